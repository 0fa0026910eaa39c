"""Bad input found by a systematic fuzzer of the CLI (every option with bad values through
``config show --set``, config files, ``estimate --set``): one ``Error:`` line naming the
option or file, exit 2, no traceback, nothing written. Each test failed before its fix
(exit 1 with an internal error, or exit 0 with the value silently ignored)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_bad_input_cli import assert_error, neurosim  # noqa: E402


# ---------------------------------------------------------------- peripherals as a scalar
@pytest.mark.parametrize("value", ["x", "0", ""])
def test_peripherals_scalar_by_set(value: str) -> None:
    # before: exit 1, internal error (AttributeError: 'str' object has no attribute 'items')
    assert_error(neurosim("config", "show", "--set", f"peripherals={value}"),
                 "peripherals", "peripherals.ROLE")


@pytest.mark.parametrize("text", ['peripherals = 5\n', '[hardware]\nperipherals = "sar"\n'])
def test_peripherals_scalar_in_a_file(tmp_path: Path, text: str) -> None:
    cfg = tmp_path / "c.toml"  # before: exit 1, internal error (AttributeError)
    cfg.write_text(text)
    assert_error(neurosim("config", "show", "--config", str(cfg)), "peripherals", "c.toml")


# ---------------------------------------------------------------- unknown global bus
def test_unknown_global_bus_refused_by_config_show() -> None:
    # before: exit 0, global_bus = "foo" shown as the effective value
    assert_error(neurosim("config", "show", "--set", "global_bus=foo"),
                 "global_bus", "foo", "htree", "xybus")


def test_unknown_global_bus_refused_by_estimate(tmp_path: Path) -> None:
    out = tmp_path / "o.json"  # before: exit 0, estimated with the X-Y bus, 'foo' ignored
    proc = neurosim("estimate", "-n", "lenet", "--set", "global_bus=foo", "--quiet",
                    "--json", str(out))
    assert_error(proc, "global_bus", "foo")
    assert not out.exists()


# ---------------------------------------------------------------- per-node Param.cpp values
@pytest.mark.parametrize("key,value,named", [
    ("sizingfactor_mux", "0", "must be > 0"),  # before: ZeroDivisionError (exit 1)
    ("sizingfactor_mux", "1e308", "must be <= 1000"),  # math domain error
    ("sizingfactor_wldecoder", "1e308", "must be <= 1000"),  # math domain error
    ("switchmatrixsizeratio", "0", "must be > 0"),  # ZeroDivisionError
    ("wire_width_nm", "1e308", "must be <= 100000 nm"),  # OverflowError
    ("metal0_nm", "1e308", "must be <= 100000 nm"),  # OverflowError
    ("barrier_thickness_m", "100000", "must be <= 1e-06 m"),  # math domain error
    ("read_voltage_v", "0", "must be > 0 V"),  # ZeroDivisionError
    ("sram_cell_height_f", "0", "must be >= 1 F"),  # ZeroDivisionError
    ("sram_cell_width_f", "1e-6", "must be >= 1 F"),  # ZeroDivisionError
    ("sram_access_width_f", "1e308", "must be <= 1000 F"),  # OverflowError
    ("sram_cell_nmos_width_f", "1e308", "must be <= 1000 F"),  # exit 0 with nan figures
])
def test_node_values_out_of_range(tmp_path: Path, key: str, value: str, named: str) -> None:
    out = tmp_path / "o.json"
    proc = neurosim("estimate", "-n", "lenet", "--set", f"{key}={value}", "--quiet",
                    "--json", str(out))
    assert_error(proc, key, named)
    assert not out.exists()


@pytest.mark.parametrize("key,value", [("sizingfactor_mux", "1000"),
                                       ("sram_cell_width_f", "1"),
                                       ("barrier_thickness_m", "1e-6")])
def test_node_values_at_their_bounds_still_estimate(key: str, value: str) -> None:
    proc = neurosim("estimate", "-n", "lenet", "--set", f"{key}={value}", "--quiet")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not re.search(r"\b(nan|inf)\b", proc.stdout.lower()), proc.stdout


# ---------------------------------------------------------------- click usage errors
@pytest.mark.parametrize("args,named", [
    (["compat", "net.csv", "8", "8.5", "128", "128"], ["INPUT_BITS", "8.5", "compat --help"]),
    (["compat", "net.csv", "8", "8", "1e9", "128"], ["SUBARRAY_ROWS", "1e9"]),
    (["estimate", "lenet"], ["unexpected extra argument (lenet)", "estimate --help"]),
    (["estimate", "--bogus"], ["--bogus", "estimate --help"]),
    (["no-such-command"], ["no-such-command"]),
])
def test_usage_errors_are_one_error_line(args: list[str], named: list[str]) -> None:
    # before: click's usage block and "Try ... for help." came first (4 stderr lines)
    proc = neurosim(*args)
    assert_error(proc, *named)
    assert proc.stderr.startswith("Error: ") and len(proc.stderr.strip().splitlines()) == 1, \
        proc.stderr


# ---------------------------------------------------------------- network CSV sizes
def test_network_csv_with_a_huge_size(tmp_path: Path) -> None:
    from golden_traces import case_by_id, network_path, trace_files

    case = case_by_id("micro_sram_t22")
    lines = network_path(case).read_text().splitlines()
    net = tmp_path / "net.csv"  # before: exit 1, OverflowError (float count of vectors)
    net.write_text("\n".join(["1e308," + lines[0].split(",", 1)[1], *lines[1:]]) + "\n")
    proc = neurosim("compat", str(net), "8", "8", "128", "128", *trace_files(case), "--quiet")
    line = assert_error(proc, "net.csv", "line 1", "ifm_h = 1e+308 exceeds 1048576")
    assert len(line) < 300


# ---------------------------------------------------------------- two output formats
def test_config_show_json_and_toml_together() -> None:
    # before: exit 0, the JSON printed and --toml silently ignored
    assert_error(neurosim("config", "show", "--json", "--toml"), "--json", "--toml")
