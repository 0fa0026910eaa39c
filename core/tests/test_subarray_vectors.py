"""``SubArray.evaluate_vectors`` (all input vectors at once) equals NeuroSim's per-vector loop
written with the scalar ``calculate_latency`` / ``calculate_power``, and the vectorized
row activity / column resistances equal a literal port of ``GetInputVector`` /
``GetColumnResistance`` (ProcessingUnit.cpp)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from neurosim.config import Config, set_options
from neurosim.engine.array_activity import ColumnModel, activity_row_read
from neurosim.engine.context import build_context
from neurosim.engine.subarray import SubArray
from neurosim.primitives.constants import CellAccessType, MemCellType

DESIGNS = {
    "sram22": {},
    "sram22_sar_par32": {"adc": "sar", "parallel_rows": 32},
    "sram22_seq": {"operation_mode": 1},
    "sram1": {"tech": "1nm"},
    "rram22": {"device": "rram"},
    "rram22_cb2": {"device": "rram", "cell_bits": 2},
    "rram22_par32_vsa": {"device": "rram", "parallel_rows": 32, "current_mode": False},
    "rram22_seq_cb2": {"device": "rram", "operation_mode": 1, "cell_bits": 2},
    "rram22_xbar_sar": {"device": "rram", "access_type": "none", "adc": "sar"},
    "rram22_async": {"device": "rram", "synchronous": False},
    "fefet7": {"device": "fefet", "tech": "7nm"},
}


def make(design):
    ctx = build_context(set_options(Config(), DESIGNS[design]).validate())
    sa = SubArray(ctx)
    sa.initialize_for_pe()
    return ctx, sa


def random_subarray(ctx, rows, cols, nvec, seed=1):
    """Memory of random cell levels and sparse 0/1 inputs (one all-zero vector included)."""
    rng = np.random.default_rng(seed)
    p = ctx.param
    levels = rng.integers(0, 2**p.cell_bit, size=(rows, cols))
    g = levels / (2**p.cell_bit - 1) * (p.max_conductance - p.min_conductance) + p.min_conductance
    bits = (rng.random((rows, nvec)) < 0.2).astype(np.uint8)
    bits[:, 3] = 0
    bits[:, 5] = 1
    return g, bits


def scalar_loop(sa, bits, memory, calculate_clk_freq):
    """The C++ loop over input vectors, one scalar call per vector."""
    model = sa.column_model()
    nrow = sa.ctx.param.num_row_sub_array
    keys = (
        "maxlat",
        "lat",
        "adc",
        "accum",
        "other",
        "e",
        "eadc",
        "eaccum",
        "eother",
        "leak",
        "leaksram",
    )
    out = {k: 0.0 for k in keys}
    with np.errstate(divide="ignore", invalid="ignore"):
        for k in range(bits.shape[1]):
            col = bits[:, k]
            sa.activity_row_read = np.count_nonzero(col) / nrow
            res = model.column_resistance(col[:, None], memory)[0]
            sa.calculate_latency(1e20, res, calculate_clk_freq)
            out["maxlat"] = max(out["maxlat"], sa.read_latency)
            if not calculate_clk_freq:
                sa.calculate_power(res)
                out["e"] += sa.read_dynamic_energy
                out["leak"] = sa.leakage
                out["leaksram"] = sa.leakage_sram_in_use
                out["adc"] += sa.read_latency_adc
                out["accum"] += sa.read_latency_accum
                out["lat"] += sa.read_latency
                out["other"] += sa.read_latency_other
                out["eadc"] += sa.read_dynamic_energy_adc
                out["eaccum"] += sa.read_dynamic_energy_accum
                out["eother"] += sa.read_dynamic_energy_other
    return out


@pytest.mark.parametrize("design", sorted(DESIGNS))
@pytest.mark.parametrize("rows", [128, 45])
def test_evaluate_vectors_equals_scalar_loop(design, rows, monkeypatch):
    # the column-resistance path (the fused eNVM ADC path is checked against it, to 1e-8,
    # in tests/test_envm_fast_path.py)
    monkeypatch.setattr("neurosim.engine.subarray_vectors.FUSED_ENVM_ADC", False)
    ctx, sa = make(design)
    memory, bits = random_subarray(ctx, rows, 128 if rows == 128 else 100, 40)
    pairs = {
        "lat": "read_latency_s",
        "adc": "read_latency_adc_s",
        "accum": "read_latency_accum_s",
        "other": "read_latency_other_s",
        "e": "read_dynamic_energy_j",
        "eadc": "read_dynamic_energy_adc_j",
        "eaccum": "read_dynamic_energy_accum_j",
        "eother": "read_dynamic_energy_other_j",
        "leak": "leakage_w",
        "leaksram": "leakage_sram_in_use_w",
    }
    synchronous = ctx.param.synchronous
    if synchronous:
        ref = scalar_loop(sa, bits, memory, True)
        got = sa.evaluate_vectors(bits, memory, True)
        assert got.max_read_latency_s == pytest.approx(ref["maxlat"], rel=1e-12)
        sa.clk_freq = 1.0 / ref["maxlat"]
    ref = scalar_loop(sa, bits, memory, False)
    got = sa.evaluate_vectors(bits, memory, False)
    for key, field in pairs.items():
        want, value = ref[key], getattr(got, field)
        if np.isnan(want):
            assert np.isnan(value), field
        else:
            assert value == pytest.approx(want, rel=1e-12, abs=0.0), field


def cpp_get_column_resistance(
    inputs,
    weight,
    cell_type,
    access,
    parallel,
    res_cell_access,
    r_row,
    r_col,
    r_access,
    num_row_sub_array,
    num_row_parallel,
):
    """Literal port of ProcessingUnit.cpp GetColumnResistance (one input vector)."""
    rows, cols = len(weight), len(weight[0])
    out = []
    for j in range(cols):
        g, activated = 0.0, 0
        for i in range(rows):
            if cell_type == MemCellType.SRAM:
                total = res_cell_access + r_col
            else:
                total = 1.0 / weight[i][j] + (j + 1) * r_row + (rows - i) * r_col
                if cell_type == MemCellType.RRAM and access == CellAccessType.CMOS_ACCESS:
                    total += r_access
            if int(inputs[i]) == 1:
                g += 1.0 / total
                activated += 1
        if cell_type != MemCellType.SRAM:
            if not parallel:
                g = g / activated if activated else math.nan
            else:
                g = g / math.ceil(num_row_sub_array // num_row_parallel)
        out.append(1.0 / g if g != 0 else math.inf)
    return out


@pytest.mark.parametrize(
    "cell_type,access,parallel",
    [
        (MemCellType.RRAM, CellAccessType.CMOS_ACCESS, True),
        (MemCellType.RRAM, CellAccessType.NONE_ACCESS, True),
        (MemCellType.FeFET, CellAccessType.CMOS_ACCESS, True),
        (MemCellType.RRAM, CellAccessType.CMOS_ACCESS, False),
        (MemCellType.SRAM, CellAccessType.CMOS_ACCESS, True),
    ],
)
def test_column_resistance_equals_cpp_loop(cell_type, access, parallel):
    rng = np.random.default_rng(7)
    rows, cols, nvec = 37, 11, 9
    weight = rng.choice([1 / 100e3, 1 / 1.7e6, 1 / 5e5], size=(rows, cols))
    bits = (rng.random((rows, nvec)) < 0.3).astype(np.uint8)
    bits[:, 0] = 0  # no activated row
    model = ColumnModel(
        cell_type,
        access,
        parallel,
        num_row_sub_array=128,
        num_row_parallel=48,
        wire_resistance_row=2.93,
        wire_resistance_col=3.61,
        resistance_access=25e3,
        res_cell_access=86357.3,
    )
    assert model.num_add == 2  # ceil(128/48) with C++ integer division inside: 2, not 3
    with np.errstate(divide="ignore", invalid="ignore"):
        got = model.column_resistance(bits, weight)
    for k in range(nvec):
        want = cpp_get_column_resistance(
            bits[:, k],
            weight.tolist(),
            cell_type,
            access,
            parallel,
            86357.3,
            2.93,
            3.61,
            25e3,
            128,
            48,
        )
        np.testing.assert_allclose(got[k], want, rtol=1e-13)
    act = activity_row_read(bits, 128)
    np.testing.assert_array_equal(act, bits.sum(axis=0) / 128.0)  # numRowSubArray denominator


@pytest.mark.parametrize("compat", [True, False])
def test_half_parallel_rows_compat_bug(compat):
    """NeuroSim divides by numRowParallel/2 in int arithmetic (compat bug
    ``subarray_half_parallel_rows_int_division``): 33 parallel rows count as 16, 1 as 0."""
    opts = {"device": "rram", "parallel_rows": 33, "compat_bugs": compat}
    ctx = build_context(set_options(Config(), opts).validate())
    sa = SubArray(ctx)
    sa.initialize_for_pe()
    memory, bits = random_subarray(ctx, 128, 128, 8)
    sa.evaluate_vectors(bits, memory, True)
    half = 16 if compat else 16.5
    assert sa.col_delay == sa.cap_col * (ctx.cell.res_mem_cell_avg / half) * 0.2
    ctx1 = build_context(
        set_options(Config(), {"parallel_rows": 1, "compat_bugs": compat}).validate()
    )
    sram = SubArray(ctx1)
    sram.initialize_for_pe()
    assert sram.half_parallel_rows() == (0 if compat else 0.5)
