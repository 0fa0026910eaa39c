"""The fused eNVM ADC path (issue 11): converter energies straight from float32 conductance
sums (``neurosim.engine.subarray_vectors.fused_adc_energies`` and the converters'
``calculate_power_from_conductance``) equal the straightforward path (column resistances,
then the converter's elementwise formula, ``FUSED_ENVM_ADC = False``) within the stated
tolerances:

* converter level, float64 conductances: 1e-12 relative per vector (only the summation
  order differs); float32: 1e-6 (the float32 logarithm);
* subarray level, real traces (golden Micro network): ADC energy within 1e-7 relative, every
  other figure bit for bit;
* rows the fused sums cannot take (no activated row, NaN, static power clipped at 0) are
  the elementwise formula's numbers exactly.

The golden eNVM cases themselves (within 1e-4 of the C++) are ``tests/test_golden_parity.py``.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import case_by_id, network_path, trace_files  # noqa: E402

import neurosim.engine.subarray_vectors as subarray_vectors  # noqa: E402
from neurosim.commands.compat import compat_config  # noqa: E402
from neurosim.engine.context import build_context  # noqa: E402
from neurosim.engine.flow import estimate  # noqa: E402
from neurosim.engine.subarray import SubArray  # noqa: E402
from neurosim.engine.subarray_stats import SubarrayStatistics  # noqa: E402
from neurosim.engine.workload import Workload  # noqa: E402
from neurosim.primitives.vectors import row_sums, unique_counts  # noqa: E402
from neurosim.testing.reference import make_ctx  # noqa: E402


# -- converter level -----------------------------------------------------------------------
def _mlsa(node: int, roadmap: str, levels: int, current_mode: bool):
    ctx = make_ctx(node, roadmap)
    ctx.param.dumcolshared = levels
    adc = ctx.circuit("adc")(ctx)
    adc.initialize(16, levels, 1e9, 128, True, current_mode)
    return adc


def _conductances(seed: int, m: int = 240, c: int = 128) -> np.ndarray:
    """Conductance sums over the whole range of every fit piece (R from 1e3 to 1e7 ohm),
    with a row of no activated cell, a row with one open column and a NaN row."""
    rng = np.random.default_rng(seed)
    g = np.exp(rng.uniform(math.log(1e-7), math.log(1e-3), size=(m, c)))
    g[5] = 0.0
    g[9] = 0.0  # two open rows: evaluated once, scaled by their reads
    g[7, 3] = 0.0
    g[11, 0] = np.nan
    return g


def _reference(adc, g: np.ndarray, scale, reads: np.ndarray) -> np.ndarray:
    s = np.broadcast_to(np.asarray(scale, dtype=float), (g.shape[0],))
    with np.errstate(divide="ignore", invalid="ignore"):
        res = 1.0 / (np.asarray(g, dtype=np.float64) / s[:, None])  # the engine's R
    adc.calculate_power(res, reads)
    return np.array(adc.read_dynamic_energy_per_vector)


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    assert np.array_equal(np.isfinite(a), np.isfinite(b))
    ok = np.isfinite(b) & (b != 0)
    return float(np.max(np.abs(a[ok] - b[ok]) / np.abs(b[ok])))


@pytest.mark.parametrize("node,roadmap", [(22, "lstp"), (130, "lstp"), (7, "lstp"),
                                          (45, "hp"), (22, "hp")])
@pytest.mark.parametrize("current_mode", [True, False])
@pytest.mark.parametrize("per_vector_scale", [False, True])
def test_mlsa_from_conductance_equals_elementwise(node, roadmap, current_mode,
                                                  per_vector_scale) -> None:
    adc = _mlsa(node, roadmap, 32, current_mode)
    g = _conductances(node)
    rng = np.random.default_rng(1)
    reads = rng.integers(1, 9, g.shape[0]).astype(float)
    # sequential reads: R = activated rows / g, with a vector of no activated row (0/0)
    scale = rng.integers(0, 60, g.shape[0]).astype(float) if per_vector_scale else 1.0
    want = _reference(adc, g, scale, reads)
    adc.calculate_power_from_conductance(g, scale, reads)
    assert adc.leakage == 0.0
    got = adc.read_dynamic_energy_per_vector
    assert _rel(got, want) <= 1e-12
    assert adc.read_dynamic_energy == pytest.approx(float(np.sum(want)), rel=1e-12)
    for row in (5, 7, 9, 11):  # no fused sums for these: the elementwise numbers exactly
        assert got[row] == want[row] or (np.isnan(got[row]) and np.isnan(want[row]))
    g32 = g.astype(np.float32)
    adc.calculate_power_from_conductance(g32, scale, reads)
    assert _rel(adc.read_dynamic_energy_per_vector, _reference(adc, g32, scale, reads)) <= 1e-6


def test_mlsa_rows_clipped_at_zero_are_elementwise() -> None:
    """At 7 nm LSTP the column power turns negative for large R; with a reference power
    too small to compensate, MAX(static, 0) acts: those rows (and only those) take the
    elementwise formula, and every row equals it."""
    adc = _mlsa(7, "lstp", 32, True)
    adc._power_constants()
    latency_col, _, switching = adc._power_values
    adc._power_values = (latency_col, 0.0, switching)  # no reference-column power (kept
    # while the Param members of ``_power_key`` stay as they are)
    g = _conductances(3)
    g[20] = 1e-9  # R = 1e9: negative fit, clipped
    g[21, :64] = 1e-9
    reads = np.ones(g.shape[0])
    want = _reference(adc, g, 1.0, reads)
    adc.calculate_power_from_conductance(g, 1.0, reads)
    got = adc.read_dynamic_energy_per_vector
    assert got[20] == want[20] and got[21] == want[21]
    assert got[20] == pytest.approx(128 * switching, rel=1e-12)  # static clipped to 0
    assert _rel(got, want) <= 1e-12


@pytest.mark.parametrize("roadmap", ["lstp", "hp"])
@pytest.mark.parametrize("per_vector_scale", [False, True])
def test_sar_from_conductance_equals_elementwise(roadmap, per_vector_scale) -> None:
    ctx = make_ctx(22, roadmap)
    sar = ctx.registry.get("peripheral", "sar", role="adc")(ctx)
    sar.initialize(16, 32, 1e9, 128)
    g = _conductances(7)
    rng = np.random.default_rng(2)
    reads = rng.integers(1, 9, g.shape[0]).astype(float)
    scale = rng.integers(0, 60, g.shape[0]).astype(float) if per_vector_scale else 4.0
    want = _reference(sar, g, scale, reads)
    sar.calculate_power_from_conductance(g, scale, reads)
    got = sar.read_dynamic_energy_per_vector
    assert _rel(got, want) <= 1e-12
    for row in (5, 7, 9, 11):
        assert got[row] == want[row] or (np.isnan(got[row]) and np.isnan(want[row]))
    g32 = g.astype(np.float32)
    sar.calculate_power_from_conductance(g32, scale, reads)
    assert _rel(sar.read_dynamic_energy_per_vector, _reference(sar, g32, scale, reads)) <= 1e-6


# -- subarray level, real traces -----------------------------------------------------------
@pytest.fixture(scope="module")
def micro():
    case = case_by_id("micro_rram_cb2_t65")
    net, paths = network_path(case), trace_files(case)
    return Workload.from_files(net, paths[0::2], paths[1::2], num_bit_input=8)


DESIGNS = {
    "rram22_cb1": ["memcelltype=2", "technode=22", "cellBit=1"],
    "rram65_cb2": ["memcelltype=2", "technode=65", "cellBit=2"],
    "fefet7": ["memcelltype=3", "technode=7"],
    "rram45_hp": ["memcelltype=2", "technode=45", "deviceroadmap=1"],
    "rram22_vsa": ["memcelltype=2", "technode=22", "currentMode=0"],
    "fefet22_sar": ["memcelltype=3", "technode=22", "SARADC=1"],
    "rram22_xbar": ["memcelltype=2", "technode=22", "accesstype=4"],
    "rram22_seq_cb2": ["memcelltype=2", "technode=22", "operationmode=1", "cellBit=2"],
}


def _subarrays(work: Workload, params: list[str], parallel_rows: int = 128):
    ctx = build_context(compat_config(8, 8, 128, parallel_rows, params))
    from neurosim.engine.flow import _prepare_inputs, _prepare_memory

    i = 1  # 288 rows x 64 outputs: three row blocks, several column blocks
    mem = _prepare_memory(work.weight(i), work.layers[i], ctx.param, i)
    bits = _prepare_inputs(work.inputs[i], work.layers[i], ctx.param, i)
    items = [SubarrayStatistics(bits[r0:r0 + 128], mem[r0:r0 + 128, c0:c0 + 128])
             for r0 in range(0, bits.shape[0], 128) for c0 in range(0, mem.shape[1], 128)]
    return ctx, items


@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_fused_subarrays_equal_column_resistance_path(micro, design, monkeypatch) -> None:
    ctx, items = _subarrays(micro, DESIGNS[design])
    results = {}
    for fused in (True, False):
        monkeypatch.setattr(subarray_vectors, "FUSED_ENVM_ADC", fused)
        sa = SubArray(ctx)
        sa.initialize_for_pe()
        assert sa._fused_adc_applies(sa.column_model()) == fused
        results[fused] = [vars(r) for r in sa.evaluate_many(items, False)]
    for fast, ref in zip(results[True], results[False]):
        assert ref["read_dynamic_energy_adc_j"] > 0
        for key in ("read_dynamic_energy_adc_j", "read_dynamic_energy_j"):
            assert fast[key] == pytest.approx(ref[key], rel=1e-7, abs=0.0), key
        others = {k: v for k, v in ref.items()
                  if k not in ("read_dynamic_energy_adc_j", "read_dynamic_energy_j")}
        assert {k: fast[k] for k in others} == others


def test_kept_conductance_sums_give_fresh_figures(micro) -> None:
    """From the second configuration that asks for them the conductance sums are kept;
    a third evaluation reads them instead of multiplying, with the same figures."""
    cfg = compat_config(8, 8, 128, 128, DESIGNS["rram22_cb1"])
    fresh = estimate(cfg, Workload.from_arrays(micro.layers, [micro.weight(i) for i in
                                                              range(len(micro))],
                                               micro.inputs)).to_json()
    work = Workload.from_arrays(micro.layers, [micro.weight(i) for i in range(len(micro))],
                                micro.inputs)
    assert estimate(cfg, work).to_json() == fresh
    assert work.memo.large_bytes == 0  # first request: nothing kept
    assert estimate(cfg, work).to_json() == fresh
    kept = [k for k in work.memo._large if k[0] == "colcond32"]
    assert kept and work.memo.large_bytes == sum(work.memo._large[k].nbytes for k in kept)
    hits = work.memo.hits
    assert estimate(cfg, work).to_json() == fresh
    assert work.memo.hits >= hits + len(kept)


def test_kept_sums_stay_within_the_free_budget(micro) -> None:
    weights = [micro.weight(i) for i in range(len(micro))]
    work = Workload.from_arrays(micro.layers, weights, micro.inputs,
                                statistics_budget_bytes=200_000)
    cfg = compat_config(8, 8, 128, 128, DESIGNS["rram22_cb1"])
    first = estimate(cfg, work).to_json()
    for _ in range(2):
        assert estimate(cfg, work).to_json() == first
        assert 0 < work.memo.large_bytes <= 200_000


# -- helpers -------------------------------------------------------------------------------
def test_unique_counts_is_np_unique() -> None:
    rng = np.random.default_rng(0)
    for counts in (rng.integers(0, 129, 5000), np.array([7]), np.array([0, 0, 3]),
                   rng.integers(0, 3, (4, 50)), np.array([2**40, 1]),
                   np.array([-1, 2, -1])):
        uniq, inverse = unique_counts(counts)
        want_u, want_i = np.unique(counts, return_inverse=True)
        assert np.array_equal(uniq, want_u) and np.array_equal(inverse, want_i.reshape(-1))
        assert uniq.dtype == want_u.dtype


def test_row_sums_do_not_depend_on_the_other_rows() -> None:
    """Each row's sum is the same whatever rows surround it (a BLAS matrix-vector product
    does not guarantee that), for float32 and float64 and any row length."""
    rng = np.random.default_rng(0)
    for dtype in (np.float32, np.float64):
        for cols in (1, 7, 100, 128, 1000):
            block = rng.standard_normal((300, cols)).astype(dtype)
            full = row_sums(block)
            assert full.dtype == np.float64
            for a, b in ((0, 1), (17, 18), (3, 250), (299, 300)):
                assert np.array_equal(row_sums(np.array(block[a:b])), full[a:b])
            exact = block.astype(np.float64)
            # within a few float32 roundings of the sum of magnitudes
            assert np.all(np.abs(full - exact.sum(axis=1)) <= 1e-6 * np.abs(exact).sum(axis=1))


@pytest.mark.parametrize("cols", [1, 2, 3, 5])
def test_narrow_subarrays_batched_equal_one_at_a_time(micro, cols) -> None:
    """Subarrays of a few columns sharing rows: the batched evaluation equals one subarray
    at a time bit for bit (one product per subarray: BLAS's narrow kernels make a
    product's columns depend on its width, so blocks are not multiplied side by side),
    and the ADC energy is the column-resistance path's within 1e-7."""
    ctx, items = _subarrays(micro, DESIGNS["rram22_cb1"])
    items = [SubarrayStatistics(it.bits, it.memory[:, :cols]) for it in items]
    sa = SubArray(ctx)
    sa.initialize_for_pe()
    batched = [vars(r) for r in sa.evaluate_many(items, False)]
    single = []
    for it in items:
        one = SubArray(ctx)
        one.initialize_for_pe()
        single.append(vars(one.evaluate_vectors(it.bits, it.memory, False)))
    assert batched == single
    subarray_vectors.FUSED_ENVM_ADC = False
    try:
        sa = SubArray(ctx)
        sa.initialize_for_pe()
        ref = [vars(r) for r in sa.evaluate_many(items, False)]
    finally:
        subarray_vectors.FUSED_ENVM_ADC = True
    for b, r in zip(batched, ref):
        assert b["read_dynamic_energy_adc_j"] == pytest.approx(r["read_dynamic_energy_adc_j"],
                                                               rel=1e-7)


def test_voltage_mode_needs_no_product(micro, monkeypatch) -> None:
    """A voltage-mode MLSA reads only whether a column conducts: no conductance product is
    made (the inputs are never gathered) and the figures are the column-resistance
    path's (checked for this design in test_fused_subarrays_equal_column_resistance_path);
    a cell of zero conductance brings the product back."""
    ctx, items = _subarrays(micro, DESIGNS["rram22_vsa"])
    made = []
    real = subarray_vectors._FusedBlock.inputs
    monkeypatch.setattr(subarray_vectors._FusedBlock, "inputs",
                        lambda self: made.append(1) or real(self))
    sa = SubArray(ctx)
    sa.initialize_for_pe()
    fast = [vars(r) for r in sa.evaluate_many(items, False)]
    assert not made
    memory = np.array(items[0].memory)
    memory[0, 0] = 0.0
    items[0] = SubarrayStatistics(items[0].bits, memory)
    sa = SubArray(ctx)
    sa.initialize_for_pe()
    sa.evaluate_many(items, False)
    assert made
    monkeypatch.setattr(subarray_vectors, "FUSED_ENVM_ADC", False)
    sa = SubArray(ctx)
    sa.initialize_for_pe()
    ref = [vars(r) for r in sa.evaluate_many(_subarrays(micro, DESIGNS["rram22_vsa"])[1],
                                             False)]
    for f, r in zip(fast, ref):
        assert f["read_dynamic_energy_adc_j"] == pytest.approx(r["read_dynamic_energy_adc_j"],
                                                               rel=1e-12)
