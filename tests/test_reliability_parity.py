"""Issue 16, parity edges: values NeuroSim V1.4 computes although they look wrong are computed
as it does (checked against its printouts in tests/golden/reliability/, see the README there),
and what it cannot compute is refused with its reason."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import case_by_id, network_path, trace_files  # noqa: E402

from neurosim.cli import cli  # noqa: E402

GOLDEN = Path(__file__).parent / "golden" / "reliability"
CASE = case_by_id("micro_sram_t22")
PRINTED_REL = 5e-6  # NeuroSim prints 6 significant digits

#: NeuroSim printout label -> (path in neurosim's --json, factor to NeuroSim's unit)
CHIP_LINES = {
    r"ChipArea : (\S+)um\^2": (("chip", "area_m2"), 1e12),
    r"Chip pipeline-system-clock-cycle \(per image\) is: (\S+)ns": (("chip", "read_latency_s"),
                                                                  1e9),
    r"Chip pipeline-system readDynamicEnergy \(per image\) is: (\S+)pJ":
        (("chip", "read_energy_j"), 1e12),
    r"Energy Efficiency TOPS/W \(Pipelined Process\): (\S+)": (("performance", "tops_per_w"),
                                                                1.0),
    r"Throughput FPS \(Pipelined Process\): (\S+)": (("performance", "fps"), 1.0),
}


def printed(name: str) -> dict[tuple, float]:
    """Figures of one NeuroSim printout, keyed like neurosim's JSON."""
    text = (GOLDEN / name).read_text()
    out: dict[tuple, float] = {}
    for pattern, (key, _) in CHIP_LINES.items():
        out[key] = float(re.search(pattern, text).group(1))
    for m in re.finditer(r"layer(\d+)'s readLatency is: (\S+)ns", text):
        out[("layers", int(m.group(1)), "read_latency_s")] = float(m.group(2))
    for m in re.finditer(r"layer(\d+)'s readDynamicEnergy is: (\S+)pJ", text):
        out[("layers", int(m.group(1)), "read_energy_j")] = float(m.group(2))
    return out


def run_compat(tmp_path: Path, *params: str):
    out = tmp_path / "r.json"
    args = ["compat", str(network_path(CASE)), "8", "8", "128", "128", *trace_files(CASE),
            "--quiet", "--json", str(out)]
    for p in params:
        args += ["--param", p]
    return CliRunner().invoke(cli, args), out


@pytest.mark.parametrize("golden,params,notice", [
    ("micro_sram_t22_levelOutput24.txt", ["levelOutput=24"], "is not a power of 2"),
    ("micro_sram_t22_speedUpDegree0.txt", ["speedUpDegree=0"], "speedUpDegree) = 0"),
    ("micro_sram_t22_async_sram_buffers.txt",
     ["synchronous=0", "peBufferType=1", "globalBufferType=1"], None),
])
def test_computed_as_neurosim_does(tmp_path: Path, golden: str, params: list[str],
                                   notice: str | None) -> None:
    r, out = run_compat(tmp_path, *params)
    assert r.exit_code == 0, r.output
    if notice:
        assert "Notice: " in r.output and notice in r.output
    data = json.loads(out.read_text())
    want = printed(golden)
    assert len(want) == 5 + 2 * 4
    for key, value in want.items():
        if key[0] == "layers":
            got = data["layers"][key[1] - 1][key[2]] * (1e9 if key[2].endswith("_s") else 1e12)
        else:
            got = data[key[0]][key[1]] * _factor(key)
        assert got == pytest.approx(value, rel=PRINTED_REL), key


def _factor(key: tuple) -> float:
    return {k: f for k, f in CHIP_LINES.values()}[key]


def test_asynchronous_register_files_refused_with_reason(tmp_path: Path) -> None:
    """NeuroSim prints inf latencies and NaN energies here (golden printout): refused."""
    text = (GOLDEN / "micro_sram_t22_async_regfile.txt").read_text()
    assert "readLatency is: infns" in text and "-nan" in text
    r, out = run_compat(tmp_path, "synchronous=0")
    assert r.exit_code == 2
    lines = [ln for ln in r.output.splitlines() if ln.startswith("Error:")]
    assert len(lines) == 1 and "asynchronous mode" in lines[0]
    assert "peBufferType=1 globalBufferType=1" in lines[0]
    assert not out.exists()


def test_parallel_rows_zero_refused(tmp_path: Path) -> None:
    """NeuroSim divides by numRowParallel = 0 (SIGFPE): refused, not run as "all rows"."""
    args = ["compat", str(network_path(CASE)), "8", "8", "128", "0", *trace_files(CASE),
            "--quiet"]
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 2 and r.output.startswith("Error: PARALLEL_ROWS = 0")
