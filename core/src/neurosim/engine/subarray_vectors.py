"""All input vectors of one or many subarrays at once (the per-vector loop of NeuroSim's
``ProcessingUnitCalculatePerformance``, for every subarray of a PE in one go).

Every circuit evaluated per input vector is a function of the vector's activity (activated
rows) and, for the ADC energy, of its column resistances only. So:

* latencies are evaluated once per distinct activity of the whole batch and mapped back;
* column resistances once per distinct vector of each subarray, from one matrix product
  per block of rows shared by several column blocks (:func:`column_resistances`);
* the ADC once for the distinct vectors of all subarrays with the same number of columns;
* the other circuits once per distinct activity; their energies then enter NeuroSim's sums
  as per-vector arrays.

Each subarray's per-vector values are then summed left to right (the C++ ``+=`` loop), so
every figure equals the one-vector-at-a-time evaluation bit for bit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..primitives.constants import MemCellType
from ..primitives.vectors import sequential_sum, unique_counts
from .array_activity import ColumnModel
from .subarray_stats import Distinct, SubarrayStatistics

#: eNVM ADC energies straight from conductance sums (:func:`fused_adc_energies`); False:
#: column resistances and the converter's elementwise formula (the reference path)
FUSED_ENVM_ADC = True
#: outputs (vectors x columns) per chunk of the fused path (2 MiB of float32: fewer
#: converter calls mattered more than L2 residence, measured 64k..2M)
FUSED_CHUNK_ELEMENTS = 1 << 19
#: outputs of one subarray's product (vectors x its columns) per fill of the buffer
FUSED_PRODUCT_ELEMENTS = 1 << 16

ENERGY_FIGS = ("read_dynamic_energy", "read_dynamic_energy_adc", "read_dynamic_energy_accum",
               "read_dynamic_energy_other")
LATENCY_PARTS = ("read_latency_adc", "read_latency_accum", "read_latency_other")


class SubArrayVectors:
    """``evaluate_vectors`` / ``evaluate_many`` of :class:`~neurosim.engine.subarray.SubArray`
    (mixin; the results are :class:`~neurosim.engine.subarray.VectorSums`)."""

    def latency_needs_resistance(self) -> bool:
        """Whether the converter's latency reads the column resistances (NeuroSim's MLSA
        and SAR ADC do not: their latency is a table value per conversion)."""
        if self.saradc:
            return False
        return bool(getattr(self.multilevel_sense_amp, "latency_uses_column_resistance", True))

    def evaluate_vectors(self, input_bits: np.ndarray, memory: np.ndarray,
                         calculate_clk_freq: bool,
                         stats: SubarrayStatistics | None = None) -> Any:
        """All input vectors of one subarray: ``input_bits`` rows x vectors (0/1),
        ``memory`` rows x cols conductances, ``stats`` their statistics (built when None)."""
        stats = stats or SubarrayStatistics(input_bits, memory)
        return self.evaluate_many([stats], calculate_clk_freq)[0]

    def evaluate_many(self, items: Sequence[SubarrayStatistics],
                      calculate_clk_freq: bool) -> list[Any]:
        """:meth:`evaluate_vectors` of several subarrays (in this order), batched."""
        from .subarray import VectorSums

        if not self.initialized:
            raise RuntimeError("SubArray.evaluate_vectors called before initialize")
        out = [VectorSums() for _ in items]
        groups: dict[int, list[int]] = {}
        for k, s in enumerate(items):
            if s.num_vectors:
                groups.setdefault(s.num_vectors, []).append(k)
        if self.latency_needs_resistance():  # per-vector resistances: one at a time
            singles = [[k] for ks in groups.values() for k in ks]
        else:
            singles = list(groups.values())
        for ks in singles:
            self._evaluate_group([items[k] for k in ks], [out[k] for k in ks],
                                 calculate_clk_freq)
        return out

    # ------------------------------------------------------------------------------------
    def _evaluate_group(self, items: list[SubarrayStatistics], outs: list[Any],
                        calculate_clk_freq: bool) -> None:
        p = self.ctx.param
        nvec, n = items[0].num_vectors, len(items)
        counts = np.concatenate([s.counts for s in items]) if n > 1 else items[0].counts
        activity = counts / float(p.num_row_sub_array)
        model = self.column_model()
        by_bits = model.mem_cell_type != MemCellType.SRAM
        needs_res = self.latency_needs_resistance()
        distinct = col_res = None
        if not calculate_clk_freq or needs_res:
            distinct = [s.distinct(by_bits) for s in items]
            if (needs_res or not self._fused_adc_applies(model)
                    or not all(_no_negative_cell_of(s) for s in items)):
                # cells of negative conductance (weights below algoWeightMin give negative
                # digits): their sums cancel, which float32 would not resolve
                col_res = column_resistances(model, items, distinct)
        self.level_output = int(p.level_output if p.parallel_read else math.pow(2, p.cell_bit))
        back = self._latency(activity, counts, items, distinct, col_res, calculate_clk_freq)

        def per_vector(name: str) -> np.ndarray:
            v = np.asarray(getattr(self, name), dtype=float)
            if back is not None and v.size > 1:  # one entry per evaluated activity
                v = v.reshape(-1)[back]
            elif v.ndim:
                v = v.reshape(-1)
            return np.broadcast_to(v, (n * nvec,)).reshape(n, nvec)

        lat = per_vector("read_latency")
        peaks = lat.max(axis=1)
        for o, m in zip(outs, peaks):
            o.max_read_latency_s = float(m)
        if calculate_clk_freq:
            self.activity_row_read = float(activity[-1])
            return
        sums = {"read_latency": sequential_sum(lat, axis=1)}
        for k in LATENCY_PARTS:
            sums[k] = sequential_sum(per_vector(k), axis=1)
        adc_all = self._adc_many(items, distinct, col_res, activity) if self.has_adc() else None
        leaks = self._leakage_of_last_vectors(counts, nvec, n)
        self.calculate_power_per_vector(counts, activity, adc_all)
        leaks[int(counts[-1])] = (float(self.leakage), float(self.leakage_sram_in_use))
        back = None
        for k in ENERGY_FIGS:
            sums[k] = sequential_sum(per_vector(k), axis=1)
        for j, o in enumerate(outs):
            o.read_latency_s = float(sums["read_latency"][j])
            o.read_latency_adc_s = float(sums["read_latency_adc"][j])
            o.read_latency_accum_s = float(sums["read_latency_accum"][j])
            o.read_latency_other_s = float(sums["read_latency_other"][j])
            o.read_dynamic_energy_j = float(sums["read_dynamic_energy"][j])
            o.read_dynamic_energy_adc_j = float(sums["read_dynamic_energy_adc"][j])
            o.read_dynamic_energy_accum_j = float(sums["read_dynamic_energy_accum"][j])
            o.read_dynamic_energy_other_j = float(sums["read_dynamic_energy_other"][j])
            o.leakage_w, o.leakage_sram_in_use_w = leaks[int(counts[(j + 1) * nvec - 1])]

    def _latency(self, activity: np.ndarray, counts: np.ndarray,
                 items: list[SubarrayStatistics], distinct: list[Distinct] | None,
                 col_res: list[np.ndarray] | None, calculate_clk_freq: bool) -> Any:
        """``CalculateLatency`` with per-vector activities; returns the map from vectors to
        the evaluated entries (None: one entry per vector)."""
        if self.latency_needs_resistance():  # one subarray (see evaluate_many)
            self.activity_row_read = activity
            self.calculate_latency(1e20, col_res[0][distinct[0].inverse], calculate_clk_freq)
            return None
        uniq, inverse = unique_counts(counts)
        self.activity_row_read = uniq / float(self.ctx.param.num_row_sub_array)
        placeholder = np.broadcast_to(np.float64(np.nan), (uniq.size, items[0].num_cols))
        self.calculate_latency(1e20, placeholder, calculate_clk_freq)
        return inverse.reshape(-1)

    def _fused_adc_applies(self, model: ColumnModel) -> bool:
        """Whether the ADC energies come from :func:`fused_adc_energies` (eNVM cells and a
        converter with ``calculate_power_from_conductance``) rather than from column
        resistances."""
        if not FUSED_ENVM_ADC or model.mem_cell_type == MemCellType.SRAM or not self.has_adc():
            return False
        adc = self.sar_adc if self.saradc else self.multilevel_sense_amp
        return callable(getattr(adc, "calculate_power_from_conductance", None))

    def _adc_many(self, items: list[SubarrayStatistics], distinct: list[Distinct],
                  col_res: list[np.ndarray] | None, activity: np.ndarray) -> np.ndarray:
        """ADC energy of every vector: one converter call for the distinct vectors of all
        subarrays with the same number of columns (``col_res`` None: the fused path)."""
        if col_res is None:
            return fused_adc_energies(self, self.column_model(), items, distinct, activity)
        nvec = items[0].num_vectors
        out = np.empty(len(items) * nvec)
        by_cols: dict[int, list[int]] = {}
        for k, s in enumerate(items):
            by_cols.setdefault(s.num_cols, []).append(k)
        for ks in by_cols.values():
            res = np.concatenate([col_res[k] for k in ks]) if len(ks) > 1 else col_res[ks[0]]
            act = np.concatenate([activity[k * nvec:(k + 1) * nvec][distinct[k].index]
                                  for k in ks])
            energy = np.broadcast_to(np.asarray(self.adc_energy(res, act), dtype=float),
                                     (res.shape[0],))
            start = 0
            for k in ks:
                size = distinct[k].size
                out[k * nvec:(k + 1) * nvec] = energy[start:start + size][distinct[k].inverse]
                start += size
        return out

    def _leakage_of_last_vectors(self, counts: np.ndarray, nvec: int,
                                 n: int) -> dict[int, tuple[float, float]]:
        """Leakage after each subarray's last vector (it depends on that vector's
        activity), for every such activity but the batch's last one."""
        out: dict[int, tuple[float, float]] = {}
        final = int(counts[-1])
        for j in range(n - 1):
            c = int(counts[(j + 1) * nvec - 1])
            if c in out or c == final:
                continue
            act = c / float(self.ctx.param.num_row_sub_array)
            self._circuit_power(act)
            self._combine_power(act, 0.0)
            out[c] = (float(self.leakage), float(self.leakage_sram_in_use))
        return out


def fused_adc_energies(sub: Any, model: ColumnModel, items: list[SubarrayStatistics],
                       distinct: list[Distinct], activity: np.ndarray) -> np.ndarray:
    """ADC energy of every vector of ``items`` (eNVM subarrays of ``sub``'s design, all
    with the same number of vectors), straight from the conductance sums.

    The subarrays reading the same input rows (and with as many columns) form a block:
    its distinct vectors ``x`` (0/1, float32) are multiplied with each subarray's effective
    conductances ``f_k G_k`` (float32; ``f_k`` a power of two that brings subarray k's
    typical sums near 1, an exact scaling), ``FUSED_PRODUCT_ELEMENTS`` outputs at a time,
    into a buffer of ``FUSED_CHUNK_ELEMENTS`` outputs laid out as rows (vector, subarray)
    of one subarray's columns. A full buffer (rows of several blocks) goes to the converter's
    ``calculate_power_from_conductance`` with ``R = f_k scale / g`` (``scale``: ``numAdd``
    or the activated rows, :meth:`ColumnModel.resistance_scale`), which returns the energy
    of every row from row sums of ``ln g``. Nothing of size vectors x all columns is
    formed; the figures differ from the column-resistance path (``FUSED_ENVM_ADC =
    False``) by the float32 product and logarithm only (docs/performance.md). Only for
    subarrays with no cell of negative (or non-finite) conductance: a weight below
    ``algoWeightMin`` maps to negative digits and conductances, whose sums cancel, and those
    subarrays take the float64 column-resistance path (as NeuroSim computes them).

    The buffer's composition depends only on the items' shapes and distinct vectors, and
    kept conductance sums (:meth:`SubarrayStatistics.conductance_buffer`) take the place
    of their product in it, so a reused workload gives fresh figures bit for bit.
    """
    adc = sub.sar_adc if sub.saradc else sub.multilevel_sense_amp
    nvec = items[0].num_vectors
    out = np.empty(len(items) * nvec)
    blocks: dict[Any, list[int]] = {}
    for k, s in enumerate(items):
        blocks.setdefault((s.rows_identity(), s.num_cols), []).append(k)
    made: list[tuple[list[int], _FusedBlock]] = []
    for ks in blocks.values():
        first, d = items[ks[0]], distinct[ks[0]]
        counts = np.asarray(first.counts)[d.index]
        act = activity[ks[0] * nvec:(ks[0] + 1) * nvec][d.index]
        reads = np.broadcast_to(np.asarray(sub.adc_num_read(act), dtype=np.float64),
                                (d.size,))
        made.append((ks, _FusedBlock(model, [items[k] for k in ks], d, counts, reads,
                                     bool(getattr(adc, "energy_reads_conductance", True)))))
    _run_blocks(adc, [b for _, b in made])
    for ks, block in made:
        block.keep_sums(model)
        for k, energy in zip(ks, block.energy):
            out[k * nvec:(k + 1) * nvec] = energy[distinct[k].inverse]
    return out


def _run_blocks(adc: Any, blocks: list[_FusedBlock]) -> None:
    """Fill, convert and distribute every block's rows (one batch)."""
    batch = _FusedBatch(adc)
    for b in blocks:
        batch.add(b)
    batch.flush()


#: stands for the conductances of a subarray whose converter reads none (see _FusedBlock)
_PLACEHOLDER = np.ones((1, 1), dtype=np.float32)


def _no_negative_cell(memory: np.ndarray) -> bool:
    """Whether no cell has a negative (or non-finite) conductance."""
    m = np.asarray(memory)
    return not m.size or (bool(np.min(m) >= 0) and bool(np.isfinite(np.max(m))))


def _no_negative_cell_of(s: SubarrayStatistics) -> bool:
    """:func:`_no_negative_cell` of a subarray's memory, kept in the memo by its cells."""
    key = s.key
    if key is None or key.cells is None:
        return _no_negative_cell(s.memory)
    return s.memo.small(("no-negative-cell", key.cells), lambda: _no_negative_cell(s.memory))


def _all_conducting(memory: np.ndarray) -> bool:
    """Whether every cell has a finite positive conductance (so ``G_eff > 0``)."""
    m = np.asarray(memory)
    return bool(m.size) and bool(np.min(m) > 0) and bool(np.isfinite(np.max(m)))


class _FusedBlock:
    """Subarrays reading the same rows with as many columns: their distinct inputs, scaled
    float32 conductances, kept sums and per-vector energies (see
    :func:`fused_adc_energies`)."""

    def __init__(self, model: ColumnModel, subs: list[SubarrayStatistics], d: Distinct,
                 counts: np.ndarray, reads: np.ndarray, reads_conductance: bool = True) -> None:
        self.subs, self.distinct, self.reads = subs, d, reads
        self.counts = counts
        self.num_cols = subs[0].num_cols
        base = model.resistance_scale(counts)
        mean_count = max(float(np.mean(counts)), 1.0) if counts.size else 1.0
        self.cached = [s.cached_conductance(model, d) for s in subs]
        self.keep = [None if c is not None else s.conductance_buffer(model, d)
                     for s, c in zip(subs, self.cached)]
        self.scales = []
        self.g_eff: list[np.ndarray | None] = []
        for k, (s, c) in enumerate(zip(subs, self.cached)):
            memory = s.memory
            # a typical cell: the mean of a sample (only the float32 range is at stake)
            sample = memory[::max(1, memory.shape[0] // 8), ::max(1, memory.shape[1] // 8)]
            typical = float(np.mean(sample)) * mean_count if sample.size else 0.0
            shift = -round(math.log2(typical)) if typical > 0 and math.isfinite(typical) else 0
            factor = math.ldexp(1.0, max(-600, min(600, shift)))
            self.scales.append(base * factor)
            if c is None and not reads_conductance and _all_conducting(memory):
                # the converter reads only whether a column conducts (voltage-mode MLSA):
                # every cell does, so a column does iff the vector activates a row
                self.g_eff.append(_PLACEHOLDER)
                self.keep[k] = None
                continue
            self.g_eff.append(None if c is not None else model.scaled_conductance(
                memory, factor, np.empty(memory.shape, dtype=np.float32)))
        self.first = subs[0]
        self._x: np.ndarray | None = None
        self.energy = [np.empty(d.size) for _ in subs]

    def inputs(self) -> np.ndarray:
        """The distinct input vectors, (U, rows) float32 0/1."""
        if self._x is None:
            bits = np.asarray(self.first.bits)
            if self.distinct.size < self.first.num_vectors:
                bits = bits[:, self.distinct.index]
            self._x = np.ascontiguousarray((bits == 1).T, dtype=np.float32)
        return self._x

    def fill(self, i: int, j: int, buf: np.ndarray) -> None:
        """Conductance sums of vectors i..j into ``buf`` ((j-i) x subarrays x columns):
        one product per subarray, whose shape depends only on (i, j) and the subarray
        (so the sums do not depend on the batching, whatever the BLAS kernels)."""
        x = None
        for k, (c, g_eff) in enumerate(zip(self.cached, self.g_eff)):
            if c is not None:
                buf[:, k, :] = c[i:j]
                continue
            if g_eff is _PLACEHOLDER:  # 1 where the vector activates a row, else 0
                buf[:, k, :] = (self.counts[i:j] > 0)[:, None]
                continue
            if x is None:
                x = self.inputs()[i:j]
            if j - i == 1:  # one distinct vector: the two-row product of every path
                buf[:, k, :] = (np.repeat(x, 2, axis=0) @ g_eff)[:1]
            else:
                np.matmul(x, g_eff, out=buf[:, k, :])
            if self.keep[k] is not None:
                self.keep[k][i:j] = buf[:, k, :]

    @property
    def scalar_scale(self) -> float | None:
        """The one ``scale`` of all rows, or None (per-vector or per-subarray scales)."""
        first = self.scales[0]
        if np.ndim(first) or any(np.ndim(sc) or sc != first for sc in self.scales):
            return None
        return float(first)

    def scale_rows(self, i: int, j: int) -> np.ndarray:
        """``scale`` of the rows (vector, subarray) of vectors i..j."""
        cols = [np.broadcast_to(np.asarray(sc, dtype=np.float64), (self.distinct.size,))[i:j]
                for sc in self.scales]
        return np.stack(cols, axis=1).reshape(-1)

    def keep_sums(self, model: ColumnModel) -> None:
        """Hand the filled buffers to the memo."""
        for s, kept in zip(self.subs, self.keep):
            if kept is not None:
                s.keep_conductance(model, self.distinct, kept)


class _FusedBatch:
    """Rows of conductance sums of several blocks gathered for one converter call."""

    def __init__(self, adc: Any) -> None:
        self.adc = adc
        self.buf = np.empty(FUSED_CHUNK_ELEMENTS, dtype=np.float32)
        self.used = 0
        self.cols = 0
        self.pending: list[tuple[_FusedBlock, int, int, int]] = []  # block, i, j, row0

    def add(self, block: _FusedBlock) -> None:
        n, c = len(block.subs), block.num_cols
        if c == 0:  # no column: no conversion energy (the empty C++ column loop)
            for e in block.energy:
                e[:] = 0.0
            return
        per_vector = n * c
        step = max(2, FUSED_PRODUCT_ELEMENTS // c)  # vectors per product: by columns only
        num = block.distinct.size
        bounds = list(range(0, num, step)) + [num]
        if len(bounds) > 2 and bounds[-1] - bounds[-2] == 1:
            del bounds[-2]  # no one-vector product (BLAS would take another kernel)
        for i, j in zip(bounds[:-1], bounds[1:]):
            size = (j - i) * per_vector
            if self.pending and (self.cols != c or self.used + size > self.buf.size):
                self.flush()
            if size > self.buf.size:
                self.buf = np.empty(size, dtype=np.float32)
            self.cols = c
            view = self.buf[self.used:self.used + size].reshape(j - i, n, c)
            block.fill(i, j, view)
            self.pending.append((block, i, j, self.used // c))
            self.used += size

    def flush(self) -> None:
        """One converter call for the pending rows; their energies go to the blocks."""
        if not self.pending:
            return
        c = self.cols
        g = self.buf[:self.used].reshape(-1, c)
        scalars = {b.scalar_scale for b, _, _, _ in self.pending}
        if len(scalars) == 1 and None not in scalars:
            scale: Any = scalars.pop()
        else:
            scale = np.concatenate([b.scale_rows(i, j) for b, i, j, _ in self.pending])
        reads = np.concatenate([np.repeat(b.reads[i:j], len(b.subs))
                                for b, i, j, _ in self.pending])
        self.adc.calculate_power_from_conductance(g, scale, reads)
        energy = np.asarray(self.adc.read_dynamic_energy_per_vector, dtype=np.float64)
        for b, i, j, row0 in self.pending:
            n = len(b.subs)
            e = energy[row0:row0 + (j - i) * n].reshape(j - i, n)
            for k in range(n):
                b.energy[k][i:j] = e[:, k]
        self.pending = []
        self.used = 0


def column_resistances(model: ColumnModel, items: list[SubarrayStatistics],
                       distinct: list[Distinct]) -> list[np.ndarray]:
    """Column resistances of the distinct vectors of every subarray, (U_k, cols_k) each.

    eNVM subarrays reading the same rows (the column blocks of one block of rows) share one
    matrix product ``x^T @ [G_1 | G_2 | ...]``; a product's columns do not depend on the
    other columns (N >= 2), so each block gets the sums of its own product.
    """
    out: list[np.ndarray | None] = [None] * len(items)
    shared: dict[Any, list[int]] = {}
    for k, s in enumerate(items):
        cached = s.cached_column_resistance(model, distinct[k])
        if cached is not None:
            out[k] = cached
        elif model.mem_cell_type == MemCellType.SRAM or s.num_cols < 2:
            out[k] = s.column_resistance(model, distinct[k])
        else:
            shared.setdefault(s.rows_identity(), []).append(k)
    for ks in shared.values():
        if len(ks) == 1:
            out[ks[0]] = items[ks[0]].column_resistance(model, distinct[ks[0]])
            continue
        first = items[ks[0]]
        d = distinct[ks[0]]
        bits = first.bits
        subset = 2 <= d.size < first.num_vectors
        if subset:
            bits = bits[:, d.index]
        x = (np.asarray(bits) == 1).astype(np.float64)
        g = np.concatenate([model.effective_conductance(items[k].memory) for k in ks], axis=1)
        res = model.resistance_from_sums(x.T @ g, x)
        if not subset and d.size < first.num_vectors:
            res = res[d.index]
        start = 0
        for k in ks:
            cols = items[k].num_cols
            out[k] = items[k].keep_column_resistance(model, distinct[k],
                                                     res[:, start:start + cols])
            start += cols
    return out  # type: ignore[return-value]
