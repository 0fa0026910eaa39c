"""``neurosim compat``: NeuroSim's command line, its report, its JSON and its errors.

Numbers are checked against the golden case ``micro_sram_t22`` (NeuroSim V1.4 C++ on the
same Micro traces, default Param.cpp).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import case_by_id, network_path, trace_files  # noqa: E402

CASE = case_by_id("micro_sram_t22")
NET = network_path(CASE)


@pytest.fixture(scope="module")
def traces() -> list[str]:
    return trace_files(CASE)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "neurosim.cli", "compat", *args],
                          capture_output=True, text=True)


def test_report_and_json(traces: list[str], tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    proc = run(str(NET), "8", "8", "128", "128", *traces, "--json", str(out))
    assert proc.returncode == 0, proc.stderr
    # NeuroSim's numbers in the report (6 significant digits, NeuroSim's units)
    assert "ChipArea : 5.48545e+06 um^2" in proc.stdout
    assert "Energy Efficiency TOPS/W (Pipelined Process): 18.4134" in proc.stdout
    assert "Desired Novel Mapped Tile Storage Size: 9x" in proc.stdout
    # the progress bar is off when stderr is not a terminal: no per-layer lines
    assert "layer " not in proc.stderr and "\x1b" not in proc.stderr
    data = json.loads(out.read_text())
    # + the trees (issue 17) and what produced the numbers (issue 15)
    assert set(data) == set(CASE["golden"]) | {"contributions", "provenance"}
    assert data["provenance"]["plugins"]["tech"]["distribution"] == "neurosim-tech-22nm"
    assert data["provenance"]["configuration"]["synapse_bits"] == 8
    assert data["chip"]["area_m2"] == pytest.approx(5.48545e-06, rel=1e-5)
    assert data["clock_period_s"] == pytest.approx(1.6974e-09, rel=1e-5)
    assert data["performance"]["tops_per_w"] == pytest.approx(18.4134, rel=1e-5)
    assert len(data["layers"]) == 4
    assert not list(tmp_path.glob(".result.json.*"))  # no temporary file left


def test_fewer_trace_files_than_layers(traces: list[str], tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    out.write_text("previous")
    proc = run(str(NET), "8", "8", "128", "128", *traces[:6], "--json", str(out), "--quiet")
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: ")
    assert "4 layers" in proc.stderr and "Traceback" not in proc.stderr
    assert out.read_text() == "previous"  # nothing written on error


def test_bad_weight_csv_names_file_and_line(traces: list[str], tmp_path: Path) -> None:
    bad = tmp_path / "weight2.csv"
    lines = Path(traces[2]).read_text().splitlines()
    lines[4] = lines[4].replace(",", ",abc,", 1)
    bad.write_text("\n".join(lines) + "\n")
    files = list(traces)
    files[2] = str(bad)
    out = tmp_path / "out.json"
    proc = run(str(NET), "8", "8", "128", "128", *files, "--json", str(out), "--quiet")
    assert proc.returncode == 2
    assert str(bad) in proc.stderr and "line 5" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


@pytest.mark.parametrize("params, words", [
    (["technode=28"], "technode = 28"),  # NeuroSim exits silently (micro_err_technode28)
    (["memcelltype=2", "technode=7"], "RRAM"),  # micro_err_rram_t7
    (["operationmode=9"], "operation_mode"),  # micro_err_operationmode9
])
def test_rejected_options(traces: list[str], params: list[str], words: str) -> None:
    extra = [x for p in params for x in ("--param", p)]
    proc = run(str(NET), "8", "8", "128", "128", *traces, *extra, "--quiet")
    assert proc.returncode == 2
    assert words in proc.stderr and "Traceback" not in proc.stderr


def test_subarray_too_large(traces: list[str]) -> None:
    """NeuroSim prints "SubArray Size is too large" for Micro with 1024-row subarrays
    (golden case micro_subarray1024) and then exits 0 without results; we exit 2."""
    proc = run(str(NET), "8", "8", "1024", "1024", *traces, "--quiet")
    assert proc.returncode == 2
    assert "too large" in proc.stderr


def test_odd_number_of_trace_files(traces: list[str]) -> None:
    proc = run(str(NET), "8", "8", "128", "128", *traces[:-1], "--quiet")
    assert proc.returncode == 2
    assert "pairs" in proc.stderr


def test_nonfinite_asynchronous_mode_is_refused(traces: list[str], tmp_path: Path) -> None:
    """NeuroSim prints inf latencies for the asynchronous mode with register-file buffers
    (golden case micro_sram_t22_layerbylayer_async); neurosim refuses it with the reason and
    writes nothing (issue 16) instead of a JSON of "inf" strings."""
    golden = case_by_id("micro_sram_t22_layerbylayer_async")["golden"]
    assert math.isinf(float(golden["chip"]["read_latency_s"]))
    out = tmp_path / "async.json"
    proc = run(str(NET), "8", "8", "128", "128", *traces, "--param", "synchronous=0",
               "--param", "pipeline=0", "--json", str(out), "--quiet")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("Error: synchronous = false (asynchronous mode)")
    assert not out.exists()


def test_cli_is_registered() -> None:
    proc = subprocess.run([sys.executable, "-m", "neurosim.cli", "compat", "--help"],
                          capture_output=True, text=True)
    assert proc.returncode == 0
    assert "WEIGHT_BITS" in proc.stdout and "--param" in proc.stdout
