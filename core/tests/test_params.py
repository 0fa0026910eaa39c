"""NeuroSimParams against NeuroSim V1.4's Param (Param.cpp + main.cpp).

``data/param_reference.json``: every Param member printed (``%.17g``) by the C++ Param.cpp of
upstream commit ac828e6 with each user option overridden right after its literal (the way the
golden cases were produced), followed by main.cpp's derivation, for 38 option sets / command
lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path

import pytest

from neurosim.config import Config, load_config, option_names
from neurosim.engine.params import ALIASES, CONFIG_TO_PARAM, NeuroSimParams
from neurosim.errors import ConfigError

DATA = json.loads((Path(__file__).parent / "data" / "param_reference.json").read_text())
CALIBRATION = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta")


def rule(name: str) -> str:
    return re.sub(r'(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])', '_', name).lower()


def _config(case: dict) -> Config:
    sb, ib, rows, par = case["argv"]
    opts = {k: (int(v) if float(v).is_integer() else v) for k, v in case["options"].items()}
    opts.update({"synapseBit": sb, "numBitInput": ib, "numRowSubArray": rows,
                 "numRowParallel": par})
    return load_config(overrides=opts)


def _id(case):
    opts = ",".join(f"{k}={v:g}" for k, v in case["options"].items()) or "default"
    return opts + "-" + "_".join(map(str, case["argv"]))


def test_every_param_member_is_a_field():
    names = {f.name for f in fields(NeuroSimParams)}
    cpp = DATA["cases"][0]["members"]
    assert len(cpp) == 133
    assert {rule(n) for n in cpp} == names


@pytest.mark.parametrize("case", DATA["cases"], ids=[_id(c) for c in DATA["cases"]])
def test_from_config_matches_cpp(case, tech_node):
    config = _config(case)
    params = NeuroSimParams.from_config(config, tech_node(config.tech_node_nm))
    bad = []
    for cpp_name, want in case["members"].items():
        name = rule(cpp_name)
        if name in CALIBRATION and not params.validated:
            continue  # uninitialised in NeuroSim, never read (module docstring)
        got = float(getattr(params, name))
        if not (got == want or abs(got - want) <= 1e-12 * abs(want)):
            bad.append((cpp_name, got, want))
    assert not bad


def test_defaults_are_the_shipped_param_cpp():
    default = DATA["cases"][0]
    assert default["options"] == {} and default["argv"] == [8, 8, 128, 128]
    params = NeuroSimParams()
    for cpp_name, want in default["members"].items():
        assert float(getattr(params, rule(cpp_name))) == want, cpp_name


def test_defaults_equal_from_config_of_default_config(tech_node):
    assert NeuroSimParams.from_config(Config(), tech_node(22)) == NeuroSimParams()


def test_not_validated_factors(tech_node):
    # NeuroSim's zeroed, never-initialised factors (golden micro_sram_t22_notvalidated needs
    # gamma = 0); the corrected behaviour is the neutral 1.0
    params = NeuroSimParams.from_config(Config(validated=False), tech_node(22))
    assert all(getattr(params, f) == 0.0 for f in CALIBRATION)
    fixed = NeuroSimParams.from_config(Config(validated=False, compat_bugs=False), tech_node(22))
    assert all(getattr(fixed, f) == 1.0 for f in CALIBRATION)
    assert NeuroSimParams().zeta == 1.22


def test_hand_checked_derivations(tech_node):
    # RRAM 1T1R at 22 nm, 2-bit cells, 8-bit weights, 64-level ADC, 32 of 128 rows in parallel
    cfg = load_config(overrides={"device": "rram", "cell_bits": 2, "level_output": 64,
                                 "parallel_rows": 32, "resistance_on_ohm": 6e3})
    p = NeuroSimParams.from_config(cfg, tech_node(22))
    assert (p.memcelltype, p.cell_bit, p.num_col_per_synapse) == (2, 2, 4)
    assert p.dumcolshared == 64.0 and p.num_row_parallel == 32 and p.num_add == 4
    assert p.resistance_access == 6e3 * 0.25
    assert p.max_conductance == 1 / 6e3
    # wire length of one 1T1R pitch: 4 F rows, 12 F columns, F = 40 nm
    assert p.wire_length_row == 40 * 1e-9 * 4.0
    assert p.wire_resistance_col == p.unit_length_wire_resistance * (40 * 1e-9 * 12.0)
    # SRAM conventional sequential: one ADC per synapse's columns
    p = NeuroSimParams.from_config(load_config(overrides={"operation_mode": 1}), tech_node(22))
    assert p.num_col_muxed == p.num_col_per_synapse == 8 and p.parallel_read == 0


def test_aliases_read_and_write():
    p = NeuroSimParams()
    p.adc_latency = 3e-9
    assert p.ad_clatency == 3e-9
    assert p.sizingfactor_wldecoder == p.sizingfactor_w_ldecoder == 1.0
    assert p.replace(xnor_parallel_mode=1).xno_rparallel_mode == 1
    assert set(ALIASES.values()) <= {f.name for f in fields(NeuroSimParams)}


def test_config_to_param_table_covers_every_hardware_option():
    hardware = {f.name for f in fields(Config) if f.metadata.get("section") == "hardware"}
    assert hardware == set(CONFIG_TO_PARAM)
    members = {f.name for f in fields(NeuroSimParams)}
    cpp = set(DATA["cases"][0]["members"])
    for option, (member, cpp_name) in CONFIG_TO_PARAM.items():
        assert option in option_names()
        assert member in members and rule(cpp_name) == member and cpp_name in cpp


def test_invalid_operation_mode_is_rejected(tech_node):
    cfg = Config()
    cfg.operation_mode = 9
    with pytest.raises(ConfigError, match="operation_mode"):
        NeuroSimParams.from_config(cfg, tech_node(22))
