"""SubArray against NeuroSim V1.4's C++.

Reference numbers (``data/subarray_cpp_reference.json``) come from NeuroSim V1.4 C++
(upstream ac828e6, built with g++ -O1) instrumented to print, for the Micro network and the
traces ``gen_traces.py Micro.csv --synapse-bit 8 --input-bit 8 --seed 0``: the SubArray
geometry and areas after ``Initialize``/``CalculateArea``, and for several subarrays the
sums ``ProcessingUnitCalculatePerformance`` accumulates over the input vectors (read latency
and its ADC / accumulation / other parts, dynamic energy and its parts, leakage) plus the
largest per-vector latency of the clock pass. Each case changes the Param.cpp options in
``env``; the same design is configured here with ``options``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from neurosim.config import Config, set_options
from neurosim.engine.context import build_context
from neurosim.engine.subarray import SubArray
from neurosim.engine.traces import read_input_trace, read_network_csv, read_weight_trace
from neurosim.engine.weight_mapping import load_weight_memory

REPO = Path(__file__).resolve().parents[2]
REF = json.loads((Path(__file__).parent / "data" / "subarray_cpp_reference.json").read_text())
CASES = {c["name"]: c for c in REF["cases"]}
NETWORK = REPO / "tests" / "golden" / "networks" / "Micro.csv"
RTOL = 1e-9

AREA_FIELDS = {
    "area": "area",
    "height": "height",
    "width": "width",
    "usedArea": "used_area",
    "areaADC": "area_adc",
    "areaAccum": "area_accum",
    "areaOther": "area_other",
    "areaArray": "area_array",
    "capRow1": "cap_row1",
    "capRow2": "cap_row2",
    "capCol": "cap_col",
    "resRow": "res_row",
    "resCol": "res_col",
}
SUM_FIELDS = {
    "lat": "read_latency_s",
    "adc": "read_latency_adc_s",
    "accum": "read_latency_accum_s",
    "other": "read_latency_other_s",
    "E": "read_dynamic_energy_j",
    "Eadc": "read_dynamic_energy_adc_j",
    "Eaccum": "read_dynamic_energy_accum_j",
    "Eother": "read_dynamic_energy_other_j",
    "leak": "leakage_w",
    "leaksram": "leakage_sram_in_use_w",
}


@pytest.fixture(scope="module")
def micro_traces(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("micro_traces")
    subprocess.run(
        [
            sys.executable,
            str(REPO / "tests" / "golden" / "gen_traces.py"),
            str(NETWORK),
            str(out),
            "--synapse-bit",
            "8",
            "--input-bit",
            "8",
            "--seed",
            "0",
        ],
        check=True,
        capture_output=True,
    )
    return out


def case_context(case):
    opts = dict(case["options"])
    opts["subarray_rows"] = case["subarray_rows"]
    opts["parallel_rows"] = case["parallel_rows"]
    return build_context(set_options(Config(), opts).validate())


def subarray_data(ctx, traces: Path, sub) -> tuple[np.ndarray, np.ndarray]:
    """Memory and input bits of the subarray the C++ printed (located by layer/row/col)."""
    p = ctx.param
    layer = read_network_csv(NETWORK)[sub["layer"] - 1]
    li = sub["layer"]
    w = read_weight_trace(traces / f"weight{li}.csv", layer)
    x = read_input_trace(traces / f"input{li}.csv", layer, p.num_bit_input)
    mem = load_weight_memory(
        w,
        synapse_bit=p.synapse_bit,
        cell_bit=p.cell_bit,
        max_conductance=p.max_conductance,
        min_conductance=p.min_conductance,
    )
    r, c = sub["row"], sub["col"]
    m = mem[r : r + sub["rows"], c : c + sub["cols"]]
    bits = x[r : r + sub["rows"]]
    # the same data as the C++ subarray: sequential sums printed by the instrumented C++
    assert float(np.cumsum(m.ravel())[-1]) == sub["memsum"]
    assert int(bits.sum()) == sub["insum"] and bits.shape[1] == sub["nvec"]
    return m, bits


def assert_close(got: float, want: float, what: str) -> None:
    if np.isnan(want):  # e.g. 0/0 column conductance of an idle sequential eNVM read
        assert np.isnan(got), f"{what}: {got!r} is not NaN like the C++"
    elif want == 0:
        assert got == 0, f"{what}: {got!r} != 0"
    else:
        assert got == pytest.approx(want, rel=RTOL), what


@pytest.mark.parametrize("name", sorted(CASES))
def test_subarray_area_matches_cpp(name):
    case = CASES[name]
    ctx = case_context(case)
    sa = SubArray(ctx)
    sa.initialize_for_pe()
    for cpp, attr in AREA_FIELDS.items():
        assert_close(getattr(sa, attr), case["area"][cpp], f"{name} {attr}")
    if ctx.cell.mem_cell_type == 0:  # SRAM: the access resistance the column model uses
        assert_close(sa.res_cell_access, case["area"]["resCellAccess"], "res_cell_access")


@pytest.mark.parametrize("name", sorted(CASES))
def test_subarray_vector_sums_match_cpp(name, micro_traces):
    case = CASES[name]
    ctx = case_context(case)
    sa = SubArray(ctx)
    sa.initialize_for_pe()
    for sub in case["subarrays"]:
        m, bits = subarray_data(ctx, micro_traces, sub)
        where = f"{name} layer {sub['layer']} rows {sub['rows']}"
        if sub["clk_maxlat"] is not None:  # synchronous: the clock pass first, as in the C++
            sa.clk_freq = ctx.param.clk_freq
            clk = sa.evaluate_vectors(bits, m, True)
            assert_close(clk.max_read_latency_s, sub["clk_maxlat"], where + " clock pass")
        sa.clk_freq = sub["clk_freq"]
        sums = sa.evaluate_vectors(bits, m, False)
        for cpp, field in SUM_FIELDS.items():
            assert_close(getattr(sums, field), sub["sums"][cpp], f"{where} {field}")


def test_reference_covers_the_required_designs():
    """SRAM 22 nm, RRAM 22 nm cellBit 1 and 2, FeFET 7 nm, SAR and MLSA, partial parallel
    read, sequential read, buffered 2/1 nm word lines are all in the reference set."""
    for name in (
        "sram22",
        "rram22",
        "rram22_cb2",
        "fefet7",
        "sram22_sar",
        "rram22_sar",
        "sram22_par32",
        "rram22_par32",
        "sram22_seq",
        "rram_seq_cb2",
        "sram1",
        "sram2",
        "rram22_xbar",
        "sram22_vsa",
        "rram22_vsa",
    ):
        assert CASES[name]["subarrays"], name
