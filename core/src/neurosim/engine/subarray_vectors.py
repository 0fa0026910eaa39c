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
from ..primitives.vectors import sequential_sum
from .array_activity import ColumnModel
from .subarray_stats import Distinct, SubarrayStatistics

ENERGY_FIGS = ("read_dynamic_energy", "read_dynamic_energy_adc", "read_dynamic_energy_accum",
               "read_dynamic_energy_other")
LATENCY_PARTS = ("read_latency_adc", "read_latency_accum", "read_latency_other")


class SubArrayVectors:
    """``evaluate_vectors`` / ``evaluate_many`` of :class:`~neurosim.engine.subarray.SubArray`
    (mixin; the results are :class:`~neurosim.engine.subarray.VectorSums`)."""

    def _latency_needs_resistance(self) -> bool:
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
        if self._latency_needs_resistance():  # per-vector resistances: one at a time
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
        needs_res = self._latency_needs_resistance()
        distinct = col_res = None
        if not calculate_clk_freq or needs_res:
            distinct = [s.distinct(by_bits) for s in items]
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
        if self._latency_needs_resistance():  # one subarray (see evaluate_many)
            self.activity_row_read = activity
            self.calculate_latency(1e20, col_res[0][distinct[0].inverse], calculate_clk_freq)
            return None
        uniq, inverse = np.unique(counts, return_inverse=True)
        self.activity_row_read = uniq / float(self.ctx.param.num_row_sub_array)
        placeholder = np.broadcast_to(np.float64(np.nan), (uniq.size, items[0].num_cols))
        self.calculate_latency(1e20, placeholder, calculate_clk_freq)
        return inverse.reshape(-1)

    def _adc_many(self, items: list[SubarrayStatistics], distinct: list[Distinct],
                  col_res: list[np.ndarray], activity: np.ndarray) -> np.ndarray:
        """ADC energy of every vector: one converter call for the distinct vectors of all
        subarrays with the same number of columns."""
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
