"""Every breakdown sums to its total (issue 17, item 3): the chip area is NeuroSim's five
categories plus the subarrays' bounding-box white space (``area_empty_m2``), which is
exactly what the C++ breakdown leaves out. One golden case of each kind here (device, ADC,
mapping, pipeline, activation placement, sequential read, synchronous data transfer); the
golden parity test applies the same check to every case."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from breakdown_checks import check_breakdowns  # noqa: E402
from golden_traces import case_by_id, case_params, network_path, trace_files  # noqa: E402

KINDS = ["micro_fefet_cb1_t1", "micro_rram_cb1_t130", "micro_sram_t130", "micro_fefet_t22_sar",
         "micro_rram_t22_sar", "micro_sram_t22_actintile", "micro_sram_t22_conventionalmap",
         "micro_sram_t22_layerbylayer", "micro_sram_t22_sar", "micro_sram_t22_sequential",
         "micro_sram_t22_syncdt_htree", "micro_rram_t22_layerbylayer"]


def _estimate(case: dict):
    from neurosim.commands.compat import compat_config
    from neurosim.engine.flow import estimate_from_files

    files = trace_files(case)
    a = case["argv"]
    cfg = compat_config(a["synapseBit"], a["numBitInput"], a["numRowSubArray"],
                        a["numRowParallel"], case_params(case))
    return estimate_from_files(network_path(case), files[0::2], files[1::2], cfg)


@pytest.mark.parametrize("case_id", KINDS)
def test_breakdowns_sum_to_totals(case_id: str) -> None:
    case = case_by_id(case_id)
    res = _estimate(case)
    check_breakdowns(res, case["golden"], bool(case["env"].get("NS_SYNC_DATA_TRANSFER")))


def test_white_space_tree_and_report() -> None:
    """The white space has its own tree (chip -> tiles -> PEs -> subarrays) and line in the
    text report; on micro_sram_t22 it is 3.6% of the chip (hand check: golden area minus
    its five categories)."""
    from neurosim.commands.compat import format_report

    case = case_by_id("micro_sram_t22")
    res = _estimate(case)
    g = case["golden"]["chip"]
    left_out = g["area_m2"] - sum(g[f"area_{k}_m2"] for k in
                                  ("array", "adc", "accum", "ic", "other"))
    tree = res.explain("chip.area_empty_m2")
    assert tree.value == pytest.approx(left_out, rel=1e-3)
    names = [c.name for _, c in tree.walk()]
    assert any("subarrays: empty (bounding box)" in n for n in names)
    assert any("NM tiles" in n for n in names) and any("CM tiles" in n for n in names)
    report = format_report(res)
    assert "Empty (subarray white space, not in NeuroSim's breakdown) : " in report
    assert 0.03 < left_out / g["area_m2"] < 0.04
