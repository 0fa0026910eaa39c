"""Bad input found by a fifth fuzzing round (subnormal numbers, range errors of
configuration files, malformed ``diff`` inputs, outputs onto the ``--model`` file or a
configuration CSV, ``network show NAME -n NAME``): one ``Error:`` line naming the option,
file or key, exit 2, no traceback, nothing written; or a ``Notice:`` where a value has no
effect (a sweep's ``[base]`` value that every row sets again). Each case failed before its
fix (exit 1 with an internal error, exit 0 with other figures, an Error line without the
file, a value ignored silently, or an input overwritten)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_bad_input_fuzzed2 import assert_one_error, in_process, run_spec  # noqa: E402
from test_bad_input_fuzzed3 import result  # noqa: E402,F401 (the --json result fixture)

EST = ("estimate", "-n", "lenet", "--quiet")


# ---------------------------------------------------------------- subnormal numbers
@pytest.mark.parametrize("args,named", [
    # exit 1: ZeroDivisionError (1 / 1e-320 overflows to inf, then inf / inf)
    (["--set", "device=rram", "--set", "sizingfactor_mux=1e-320"], "sizingfactor_mux"),
    (["--set", "device=rram", "--set", "switchmatrixsizeratio=1e-320"],
     "switchmatrixsizeratio"),
    # exit 0 with other figures than any clock from 1 Hz to 1e-308 Hz gives (1/clk = inf)
    (["--set", "clk_freq_hz=1e-320"], "clk_freq_hz (NeuroSim: clkFreq)"),
    (["--set", "clk_freq_hz=-1e-320"], "clk_freq_hz"),
])
def test_subnormal_values(tmp_path: Path, args: list[str], named: str) -> None:
    out = tmp_path / "o.json"
    proc = in_process(*EST, *args, "--json", str(out))
    assert_one_error(proc, named, "is subnormal")
    assert not out.exists()


def test_subnormal_in_a_sweep_grid(tmp_path: Path) -> None:
    # before: exit 0, the row estimated with 1/clk = inf
    proc, spec, out = run_spec(tmp_path, "s.toml", 'network = "lenet"\n[grid]\n'
                               "clk_freq_hz = [1e-320]\n")
    assert_one_error(proc, str(spec), "[grid] clk_freq_hz", "is subnormal")
    assert not out.exists()


def test_small_normal_values_still_taken() -> None:
    proc = in_process(*EST, "--set", "clk_freq_hz=1e-300")
    assert proc.returncode == 0, proc.stderr


# ---------------------------------------------------------------- configuration files
@pytest.mark.parametrize("name,text,named", [
    # before: 'Error: option subarray_rows ... = 1000000000000000019884624838656 must be
    # <= 8192' (no file; float-to-int digits)
    ("a.toml", "subarray_rows = 1e30\n", "subarray_rows (NeuroSim: numRowSubArray) = 1e+30"),
    ("b.json", '{"temperature_k": -0.0}', "temperature_k (NeuroSim: temp) = -0 K"),
    ("c.yaml", "level_output: 1\n", "level_output (NeuroSim: levelOutput) = 1 must be >= 2"),
    ("d.toml", '[accuracy]\nquant_mode = "x"\n', "quant_mode = 'x' is not allowed"),
    # before: a 309-digit seed in the Error line
    ("e.toml", "seed = 1e308\n", "seed = 1e+308 must be <= 4294967295"),
])
def test_config_file_range_errors_name_the_file(tmp_path: Path, name: str, text: str,
                                                named: str) -> None:
    cfg = tmp_path / name
    cfg.write_text(text)
    line = assert_one_error(in_process("config", "show", "--config", str(cfg)), str(cfg),
                            named)
    assert len(line) < 300, line


def test_config_file_value_set_again_by_set_is_still_checked(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("subarray_rows = 0\n")
    proc = in_process("config", "show", "--config", str(cfg), "--set", "subarray_rows=64")
    assert_one_error(proc, str(cfg), "subarray_rows")


def test_config_files_that_agree_only_together_still_load(tmp_path: Path) -> None:
    # the relations between options are checked after every file, not per file
    (tmp_path / "a.toml").write_text("parallel_rows = 256\nsubarray_rows = 256\n")
    (tmp_path / "b.toml").write_text("subarray_rows = 512\n")
    proc = in_process("config", "show", "--config", str(tmp_path / "a.toml"), "--config",
                      str(tmp_path / "b.toml"))
    assert proc.returncode == 0, proc.stderr


# ---------------------------------------------------------------- sweep [base]
MODEL = 'model = "smallnet.py:build"\n'


@pytest.mark.parametrize("text,named", [
    # before: exit 0, the [base] value overridden by every row silently
    (MODEL + "[base]\ntechnode = 22\n[grid]\ntechnode = [22, 7]\n",
     "[base] technode = 22 has no effect: every row sets it again ([grid] technode)"),
    (MODEL + "[base]\ntech = '22nm'\n[grid]\ntechnode = [7]\n", "[base] tech = '22nm'"),
    (MODEL + "[base]\nadc = 'sar'\n[[points]]\n'peripherals.adc' = 'mlsa'\n[[points]]\n"
     "SARADC = 0\n", "([[points]] #1 peripherals.adc, [[points]] #2 SARADC)"),
    (MODEL + "[base]\nsubarray_rows = 64\n[random]\nsamples = 1\n"
     "subarray_rows = [128]\n", "([random] subarray_rows)"),
])
def test_sweep_base_value_no_row_uses(tmp_path: Path, text: str, named: str) -> None:
    from small_models import SMALLNET

    (tmp_path / "smallnet.py").write_text(SMALLNET)
    proc, spec, out = run_spec(tmp_path, "s.toml", text)
    assert proc.returncode == 0, proc.stderr
    notices = [line for line in proc.stderr.splitlines() if line.startswith("Notice: ")]
    assert any(str(spec) in line and named in line for line in notices), proc.stderr


def test_sweep_base_value_used_by_some_rows_not_noted(tmp_path: Path) -> None:
    from neurosim.sweep.spec import load_spec, unused_base_notices

    root = Path(__file__).resolve().parents[1]
    for path in sorted((root / "examples" / "sweeps").glob("*.toml")):
        assert unused_base_notices(load_spec(path)) == [], path
    spec = tmp_path / "s.toml"  # the point takes [base] technode = 22
    spec.write_text(MODEL + "[base]\ntechnode = 22\n[grid]\ntechnode = [7]\n[[points]]\n"
                    "adc = 'sar'\n")
    assert unused_base_notices(load_spec(spec)) == []
    assert len(load_spec(spec).expand()) == 2


# ---------------------------------------------------------------- diff
@pytest.mark.parametrize("key,value,named", [
    # exit 1: TypeError ('int' object is not subscriptable / not iterable)
    ("chip", 5, "'chip' is 5, not a table of figures"),
    ("chip", [], "'chip' is [], not a table of figures"),
    ("performance", 5, "'performance' is 5"),
    # exit 0: a result whose layers are not tables, compared as if it were whole
    ("layers", 5, "'layers' is not a list of tables"),
])
def test_diff_result_of_the_wrong_shape(result: Path, tmp_path: Path, key: str, value,
                                        named: str) -> None:
    data = json.loads(result.read_text())
    data[key] = value
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    assert_one_error(in_process("diff", str(result), str(bad)), str(bad), named)


# ---------------------------------------------------------------- outputs onto inputs
@pytest.fixture()
def model(tmp_path: Path) -> Path:
    from small_models import SMALLNET

    path = tmp_path / "m.py"
    path.write_text(SMALLNET)
    return path


@pytest.mark.parametrize("option", ["--json", "--csv"])
def test_estimate_output_onto_the_model_file(model: Path, option: str) -> None:
    before = model.read_bytes()  # before (--json): exit 0, the result written over m.py
    proc = in_process("estimate", "--model", f"{model}:build", "--quiet", option, str(model))
    assert_one_error(proc, f"{option} {model}", "is the input file")
    assert model.read_bytes() == before


def test_traces_export_onto_the_model_folder(model: Path) -> None:
    folder = model.parent / "tr"  # before: the export folder replaced, m.py with it
    folder.mkdir()
    inner = folder / "m.py"
    inner.write_bytes(model.read_bytes())
    proc = in_process("traces", "export", str(folder), "--model", f"{inner}:build", "--quiet")
    assert_one_error(proc, f"DIRECTORY {folder}", "is the input file")
    assert inner.read_bytes() == model.read_bytes()


@pytest.mark.parametrize("command", [
    ["accuracy", "-n", "lenet", "--data", "random:2", "--quiet"],
    ["accuracy", "-n", "lenet", "--data", "random:2", "--quiet", "--sweep", "adc_bits=3,4"],
    ["estimate", "-n", "lenet", "--quiet", "--with-accuracy"],
])
def test_json_onto_the_mem_states_file(tmp_path: Path, command: list[str]) -> None:
    csv = tmp_path / "states.csv"  # before: exit 0, the JSON written over the CSV it read
    csv.write_text("states,mean,std\n0,1e-6,0\n1,1e-5,0\n")
    before = csv.read_bytes()
    proc = in_process(*command, "--set", f"mem_states_file={csv}", "--json", str(csv))
    assert_one_error(proc, f"--json {csv}", "is the input file")
    assert csv.read_bytes() == before


def test_estimate_model_output_elsewhere_still_written(model: Path) -> None:
    out = model.parent / "o.json"
    proc = in_process("estimate", "--model", f"{model}:build", "--quiet", "--json", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "chip" in json.loads(out.read_text())


# ---------------------------------------------------------------- network show
@pytest.mark.parametrize("other", ["vgg8", "lenet"])
def test_network_show_name_and_network(other: str) -> None:
    # before: exit 0, NAME shown and --network dropped silently
    proc = in_process("network", "show", "lenet", "-n", other, "--quiet")
    assert_one_error(proc, f"NAME lenet and --network {other}", "give one")
