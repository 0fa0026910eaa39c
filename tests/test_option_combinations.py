"""Option combinations that crashed the estimate (exit 1, ZeroDivisionError), found by
random combinations of Param.cpp options on the Micro network, now refused with the reason
(exit 2, one Error line, nothing written) where the C++ would print infinite figures; the
neighbouring valid combinations still estimate."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import CASES, network_path, trace_files  # noqa: E402
from test_bad_input_cli import assert_error  # noqa: E402


def _compat(tmp_path: Path, case_id: str, argv: tuple[int, int, int, int],
            *params: str) -> tuple[subprocess.CompletedProcess, Path]:
    case = next(c for c in CASES if c["id"] == case_id)
    out = tmp_path / "o.json"
    cmd = [sys.executable, "-m", "neurosim.cli", "compat", str(network_path(case)),
           *map(str, argv), *trace_files(case), "--quiet", "--json", str(out)]
    for p in params:
        cmd += ["--param", p]
    return subprocess.run(cmd, capture_output=True, text=True), out


@pytest.mark.parametrize("node", [14, 7, 1])
def test_one_parallel_row_with_a_column_mux_at_finfet_nodes(tmp_path: Path, node: int) -> None:
    # before: ZeroDivisionError in the mux's transmission-gate resistance (zero fins)
    proc, out = _compat(tmp_path, "micro_sram_t22", (8, 8, 32, 1), f"technode={node}")
    assert_error(proc, "parallel_rows (numRowParallel) = 1", "col_mux = 8", "FinFET/GAA")
    assert not out.exists()


@pytest.mark.parametrize("params", [("technode=22",), ("technode=7", "compat_bugs=0"),
                                    ("technode=7", "numRowParallel=2")])
def test_one_parallel_row_neighbours_estimate(tmp_path: Path, params: tuple[str, ...]) -> None:
    argv = (8, 8, 32, 2) if "numRowParallel=2" in params else (8, 8, 32, 1)
    proc, out = _compat(tmp_path, "micro_sram_t22", argv,
                        *[p for p in params if not p.startswith("numRowParallel")])
    assert proc.returncode == 0, proc.stderr
    assert out.exists()


def test_column_mux_wider_than_the_tile(tmp_path: Path) -> None:
    # before: ZeroDivisionError (no max-pooling unit: tile columns / numColMuxed = 0)
    proc, out = _compat(tmp_path, "micro_sram_t22_sb4ib4", (4, 4, 16, 16), "numColMuxed=128")
    assert_error(proc, "col_mux (numColMuxed) = 128", "64 columns", "pooling layer 2")
    assert not out.exists()
    proc, out = _compat(tmp_path, "micro_sram_t22_sb4ib4", (4, 4, 16, 16), "numColMuxed=64")
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("device", [2, 3])
def test_sequential_envm_with_sar_names_the_cause(tmp_path: Path, device: int) -> None:
    """NaN read/ADC energies in the C++ too (0/0 column conductance of a vector activating
    no row); before: the generic 'outside what the models describe' refusal."""
    proc, out = _compat(tmp_path, "micro_sram_t22", (8, 8, 128, 128), f"memcelltype={device}",
                        "SARADC=1", "operationmode=1")
    assert_error(proc, "non-finite figures", "0/0", "use operation_mode = 2")
    assert not out.exists()
