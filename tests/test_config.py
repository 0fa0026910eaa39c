"""The typed configuration: NeuroSim's defaults, its spellings and codes, its rejections.

Defaults are compared with ``Param::Param()`` of NeuroSim V1.4 (values as shipped, read from
upstream Param.cpp); rejections are the ones NeuroSim's ``main.cpp`` / ``Param.cpp`` make
(spec/parameters.md section 4) and are checked through the CLI: exit status 2, one message
naming the option, no traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from neurosim.config import Config, load_config, read_config_file, resolve_name
from neurosim.errors import ConfigError, RejectedConfiguration

_SCRIPT = Path(sys.executable).with_name("neurosim")
NEUROSIM = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "neurosim.cli"]

#: Param::Param() user options as shipped in NeuroSim V1.4 (Param.cpp), by their C++ names.
PARAM_CPP_DEFAULTS = {
    "operationmode": 2, "memcelltype": 1, "accesstype": 1, "transistortype": 1,
    "deviceroadmap": 2, "globalBusType": False, "globalBufferType": False,
    "globalBufferCoreSizeRow": 128, "globalBufferCoreSizeCol": 128, "tileBufferType": False,
    "tileBufferCoreSizeRow": 32, "tileBufferCoreSizeCol": 32, "peBufferType": False,
    "chipActivation": True, "reLu": True, "novelMapping": True, "SARADC": False,
    "currentMode": True, "pipeline": True, "speedUpDegree": 8, "validated": True,
    "synchronous": True, "algoWeightMax": 1, "algoWeightMin": -1, "clkFreq": 1e9, "temp": 300,
    "technode": 22, "Activationtype": True, "speciallayout": 1,
    "globalBusDelayTolerance": 0.1, "localBusDelayTolerance": 0.1, "treeFoldedRatio": 4,
    "maxGlobalBusWidth": 2048, "inputtoggle": 0.18, "outputtoggle": 0.5,
    "numRowSubArray": 128, "numColSubArray": 128, "sync_data_transfer": 0,
    "relaxArrayCellHeight": 0, "relaxArrayCellWidth": 0, "numColMuxed": 8, "levelOutput": 32,
    "cellBit": 1, "minSenseVoltage": 0.1, "heightInFeatureSize1T1R": 4,
    "widthInFeatureSize1T1R": 12, "heightInFeatureSizeCrossbar": 2,
    "widthInFeatureSizeCrossbar": 2, "resistanceOn": 100e3, "resistanceOff": 100e3 * 17,
    "readPulseWidth": 10e-9, "accessVoltage": 1.1, "writeVoltage": 2,
}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("NEUROSIM_DISABLE_PLUGINS", "NEUROSIM_LOAD_PLUGINS")}
    return subprocess.run([*NEUROSIM, *args], capture_output=True, text=True, env=env,
                          timeout=120)


# -- defaults -------------------------------------------------------------------------------
def test_defaults_equal_param_cpp():
    # Applying every Param.cpp default through its C++ name (and numeric code) changes nothing.
    assert load_config(overrides=PARAM_CPP_DEFAULTS) == Config()
    every_param_option = {resolve_name(k) for k in PARAM_CPP_DEFAULTS}
    assert len(every_param_option) == len(PARAM_CPP_DEFAULTS)


def test_defaults_decoded():
    c = Config().validate()
    assert (c.operation_mode, c.device, c.access_type, c.transistor_type, c.device_roadmap) == \
        (2, "sram", "cmos", "conventional", "lstp")
    assert (c.tech, c.tech_node_nm, c.temperature_k) == ("22nm", 22, 300.0)
    assert (c.global_bus, c.adc) == ("xybus", "mlsa")
    assert (c.resistance_on_ohm, c.resistance_off_ohm) == (100e3, 1.7e6)
    # numRowParallel = numRowSubArray in the (default) parallel mode
    assert c.effective_parallel_rows == c.subarray_rows == 128
    # wrapper (inference.py) defaults passed to the C++ on its command line
    assert (c.synapse_bits, c.input_bits, c.subarray_rows) == (8, 8, 128)
    assert (c.adc_bits, c.onoff_ratio, c.seed, c.quant_mode) == (5, 10.0, 117, "WAGE")


# -- aliases and codes ----------------------------------------------------------------------
def test_param_cpp_names_and_codes():
    c = load_config(overrides=["technode=7", "memcelltype=3", "globalBusType=1", "SARADC=1"])
    assert (c.tech, c.device, c.global_bus, c.adc) == ("7nm", "fefet", "htree", "sar")
    c = load_config(overrides={"transistortype": 2, "deviceroadmap": 1, "accesstype": 4,
                               "operationmode": 5, "numColMuxed": 16, "temp": 350})
    assert (c.transistor_type, c.device_roadmap, c.access_type) == ("fet_2d", "hp", "none")
    assert (c.operation_mode, c.col_mux, c.temperature_k) == (5, 16, 350.0)
    # Param.cpp's bool switches also take true/false
    c = load_config(overrides=["globalBusType=true", "SARADC=false", "reLu=0"])
    assert (c.global_bus, c.adc, c.relu) == ("htree", "mlsa", False)


def test_bad_code_and_unknown_option_name_the_option():
    with pytest.raises(ConfigError, match=r"option device = 7: unknown code"):
        load_config(overrides=["memcelltype=7"])
    with pytest.raises(ConfigError, match=r"unknown option 'technod'.*Did you mean 'technode'"):
        load_config(overrides=["technod=7"])


def test_unknown_option_suggests_each_name_once():
    # before: "Did you mean 'read_noise' or 'read_noise' or 'readvoltage'?" (the field and
    # its lower-case alias spelled alike)
    with pytest.raises(ConfigError) as info:
        load_config(overrides=["readNoise=0.1"])
    hint = str(info.value).split("Did you mean", 1)[1].split("?", 1)[0]
    names = [part.strip().strip("'") for part in hint.split(" or ")]
    assert "read_noise" in names and len(names) == len(set(names))


# -- rejections (NeuroSim's own) ------------------------------------------------------------
REJECTIONS = [
    (["technode=14", "memcelltype=2"], "device = rram (memcelltype=2) at tech = 14nm"),
    (["technode=7", "memcelltype=2"], "RRAM-CIM is not supported"),
    (["technode=14", "deviceroadmap=1"], "device_roadmap = hp (deviceroadmap=1) at tech = 14nm"),
    (["technode=1", "deviceroadmap=1"], "the HP roadmap is not supported at 14 nm and below"),
    (["technode=7", "temp=350"], "temperature_k = 350 (temp) at tech = 7nm"),
    (["sync_data_transfer=1"], "sync_data_transfer = true is only supported with"),
    (["sync_data_transfer=1", "globalBusType=1", "globalBufferType=1"],
     "global_buffer_sram = false"),
    (["operationmode=9"], "option operation_mode = 9 is not allowed"),
    (["temp=450"], "temperature_k (NeuroSim: temp) = 450 K must be <= 400 K: the transistor "
                   "tables cover 300-400 K"),
]


@pytest.mark.parametrize("overrides,message", REJECTIONS)
def test_rejections_api(overrides, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_config(overrides=overrides)


def test_rejection_types():
    with pytest.raises(RejectedConfiguration):
        load_config(overrides=["technode=14", "memcelltype=2"])
    # the one sync_data_transfer combination NeuroSim accepts
    c = load_config(overrides=["sync_data_transfer=1", "globalBusType=1"])
    assert c.sync_data_transfer and c.global_bus == "htree"
    # HP and any temperature are fine at 22 nm
    load_config(overrides=["technode=22", "deviceroadmap=1", "temp=350"])


@pytest.mark.parametrize("overrides,message", REJECTIONS[::2] + [
    (["technode=28"], "no tech '28nm' is installed")])
def test_rejections_cli(overrides, message):
    args = [a for o in overrides for a in ("--set", o)]
    out = run_cli("config", "show", *args)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert out.stderr.startswith("Error: ")
    assert message in out.stderr
    assert "Traceback" not in out.stderr
    assert out.stdout == ""


def test_config_show_accepts_param_cpp_spelling():
    out = run_cli("config", "show", "--json", "--set", "technode=7", "--set", "memcelltype=3",
                  "--set", "globalBusType=1", "--set", "SARADC=1")
    assert out.returncode == 0, out.stderr
    assert '"tech": "7nm"' in out.stdout and '"device": "fefet"' in out.stdout
    assert '"global_bus": "htree"' in out.stdout and '"adc": "sar"' in out.stdout


# -- files ----------------------------------------------------------------------------------
def test_toml_file(tmp_path):
    f = tmp_path / "run.toml"
    f.write_text('[hardware]\ntechnode = 7\nmemcelltype = 3\nglobalBusType = true\n'
                 'subarray_rows = 64\nclk_freq_hz = 5e8\n\n[peripherals]\nmux = "neurosim"\n\n'
                 '[accuracy]\nADCprecision = 6\n')
    c = load_config([f])
    assert (c.tech, c.device, c.global_bus, c.subarray_rows, c.clk_freq_hz, c.adc_bits) == \
        ("7nm", "fefet", "htree", 64, 5e8, 6)
    assert c.peripherals == {"mux": "neurosim"}


def test_yaml_file_and_override_order(tmp_path):
    f = tmp_path / "run.yaml"
    f.write_text("technode: 14\nhardware:\n  numColMuxed: 4\n"
                 "peripherals:\n  adc: sar\n")
    c = load_config([f], overrides=["numColMuxed=16"])
    assert (c.tech, c.col_mux) == ("14nm", 16)
    assert c.adc == "sar"  # peripherals.adc is the adc option (with SARADC too: refused)
    assert read_config_file(f)["technode"] == 14


def test_bad_files_name_the_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("technode = = 7\n")
    with pytest.raises(ConfigError, match="bad.toml: invalid TOML"):
        load_config([bad])
    rejected = tmp_path / "rram14.yaml"
    rejected.write_text("technode: 14\nmemcelltype: 2\n")
    with pytest.raises(ConfigError, match="RRAM-CIM"):
        load_config([rejected])
    with pytest.raises(ConfigError, match="missing.toml: cannot read"):
        load_config([tmp_path / "missing.toml"])


def test_config_file_in_cli(tmp_path):
    f = tmp_path / "run.yaml"
    f.write_text("technode: 5\nmemcelltype: 1\n")
    out = run_cli("config", "show", "--json", "--config", str(f))
    assert out.returncode == 0, out.stderr
    assert '"tech": "5nm"' in out.stdout
