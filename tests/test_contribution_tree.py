"""Every reported figure keeps the tree of named contributions that produced it
(chip -> layer -> tile -> PE -> subarray -> circuit), consistent with its value.

Run on the golden case ``micro_sram_t22`` (NeuroSim V1.4 C++ values in cases.jsonl)."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import case_by_id, network_path, trace_files  # noqa: E402

from neurosim.commands.compat import compat_config  # noqa: E402
from neurosim.engine.contributions import Contribution, Perf  # noqa: E402
from neurosim.engine.flow import estimate_from_files  # noqa: E402
from neurosim.engine.results import CHIP_AREA_KEYS, CHIP_KEYS, LAYER_KEYS  # noqa: E402

CASE = case_by_id("micro_sram_t22")


@pytest.fixture(scope="module")
def result():
    files = trace_files(CASE)
    return estimate_from_files(network_path(CASE), files[0::2], files[1::2],
                               compat_config(8, 8, 128, 128))


def check(node: Contribution, path: str) -> None:
    """The rule of each node reproduces its value from its children."""
    if node.children:
        vals = [c.value for c in node.children]
        if node.rule == "sum":
            expect = math.fsum(vals)
        elif node.rule == "max":
            expect = max(vals)
        elif node.rule == "scale":
            assert len(vals) == 1, path
            expect = vals[0] * node.factor
        else:
            raise AssertionError(f"{path}: rule {node.rule!r} with children")
        assert node.value == pytest.approx(expect, rel=1e-9, abs=1e-300), path
    for c in node.children:
        check(c, f"{path}/{c.name}")


def test_every_figure_has_a_consistent_tree(result) -> None:
    for key, _ in CHIP_KEYS + CHIP_AREA_KEYS:
        tree = result.explain(f"chip.{key}")
        assert tree.value == pytest.approx(result.chip.to_json()[key], rel=1e-12)
        check(tree, f"chip.{key}")
    for layer in result.layers:
        for key, _ in LAYER_KEYS:
            tree = result.explain(f"layers.{layer.index}.{key}")
            assert tree.value == pytest.approx(layer.to_json()[key], rel=1e-12)
            check(tree, f"layers.{layer.index}.{key}")


def test_tree_reaches_the_subarrays(result) -> None:
    """Layer 2 dynamic energy: layer -> tile -> PE -> subarray (Micro's layer 2 is
    novel-mapped: 9 PEs of one 32-row block each)."""
    tree = result.explain("layers.2.read_energy_j")
    names = {c.name for _, c in tree.walk()}
    assert "tile[0,0]" in names
    assert "PE[0]" in names and "PE[8]" in names
    assert any(n.startswith("subarray[") for n in names)
    assert "global buffer" in names
    golden = CASE["golden"]["layers"][1]["read_energy_j"]
    assert tree.value == pytest.approx(golden, rel=1e-4)


def test_chip_area_breakdown(result) -> None:
    area = result.explain("chip.area_m2")
    top = {c.name.split(" (")[0]: c.value for c in area.children}
    assert "global X-Y bus" in top and "global accumulation" in top
    assert area.value == pytest.approx(CASE["golden"]["chip"]["area_m2"], rel=1e-5)
    assert "subarray" in area.format()


def test_perf_operations_follow_cpp_statements() -> None:
    """``MAX`` then ``+=`` then ``/=`` as in TileCalculatePerformance (hand values)."""
    p = Perf("tile")
    p.keep_max("read_latency", "slowest PE", Contribution("PE[0]", 3.0))
    p.keep_max("read_latency", "slowest PE", Contribution("PE[1]", 5.0))
    p.add("read_latency", "accumulation", 1.0)
    p.scale("read_latency", "/ speed-up 2", 2.0, divide=True)
    assert p["read_latency"] == 3.0  # (max(3, 5) + 1) / 2
    check(p.node("read_latency"), "tile")
