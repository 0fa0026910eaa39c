"""Processing element (PE): a grid of identical subarrays plus the PE adder tree, the PE
input/output register buffers (DFF) and the PE input/output buses (NeuroSim V1.4
``ProcessingUnit.cpp``).

One :class:`ProcessingUnit` holds the two PE designs NeuroSim builds, one for novel-mapped
layers (``*_nm``) and one for conventionally mapped layers (``*_cm``), sharing one
:class:`~neurosim.engine.subarray.SubArray`. Latency aggregation follows the C++: the
slowest subarray (max) over the input-vector sequence, divided by the subarray duplication;
energies are summed.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil, log2, sqrt
from typing import Any

import numpy as np

from ..primitives.constants import AreaModify, BusMode, MemCellType
from .contributions import Contribution, Perf, leaf, total
from .subarray_stats import Origin, SubarrayStatistics

NONE = AreaModify.NONE


@dataclass
class Area:
    """Area of one block and its NeuroSim breakdown (m^2, m)."""

    area: Contribution
    adc: Contribution
    accum: Contribution
    other: Contribution
    array: Contribution
    height: float
    width: float
    ic: Contribution | None = None
    #: what NeuroSim's breakdown leaves out: the subarrays' bounding-box white space
    #: (C++ ``SubArray::emptyArea``, area - usedArea), counted like ``array``
    empty: Contribution | None = None

    @property
    def total_m2(self) -> float:
        return self.area.value


def num_bit_subarray_output(p: Any) -> int:
    """Bits of one subarray output (C++ ``numBitSubarrayOutput``, int arithmetic)."""
    if p.parallel_read:
        num_add = p.num_row_sub_array // p.num_row_parallel
        v = (log2(p.level_output) + ceil(log2(num_add)) + p.num_bit_input
             + (p.num_col_per_synapse - 1) * p.cell_bit + 1)
    else:
        v = (ceil(log2(p.num_row_sub_array)) + p.cell_bit + p.num_bit_input
             + (p.num_col_per_synapse - 1) * p.cell_bit + 1)
    return int(v)


class ProcessingUnit:
    """PE model (``ProcessingUnitInitialize`` / ``ProcessingUnitCalculateArea`` /
    ``ProcessingUnitCalculatePerformance``)."""

    def __init__(self, ctx: Any) -> None:
        from .subarray import SubArray

        #: which part sets (novel-mapped or not) :meth:`_parts` handed out (read by
        #: neurosim.engine.layer_workers: the parts whose leakage a layer sums)
        self.parts_used: set[bool] = set()
        self.ctx = ctx
        p = ctx.param
        self.sub_array = SubArray(ctx)
        adder_tree = ctx.circuit("adder_tree")
        bus = ctx.circuit("bus")
        dff = ctx.circuit("dff")
        self.adder_tree_nm = adder_tree(ctx)
        self.bus_input_nm = bus(ctx)
        self.bus_output_nm = bus(ctx)
        self.buffer_input_nm = dff(ctx)
        self.buffer_output_nm = dff(ctx)
        self.adder_tree_cm = adder_tree(ctx)
        self.bus_input_cm = bus(ctx)
        self.bus_output_cm = bus(ctx)
        self.buffer_input_cm = dff(ctx)
        self.buffer_output_cm = dff(ctx)
        self._p = p
        self._area_cache: dict[tuple, Area] = {}
        self._results: dict[tuple, Any] = {}
        self._pe_results: dict[tuple, Perf] = {}
        self._alive: list[np.ndarray] = []
        self._weights_matter: bool | None = None

    # ------------------------------------------------------------------------------------
    def initialize(self, num_sub_array_row_nm: int, num_sub_array_col_nm: int,
                   num_sub_array_row_cm: int, num_sub_array_col_cm: int) -> None:
        """``ProcessingUnitInitialize``: build the subarray and the PE circuits."""
        p = self._p
        sa = self.sub_array
        sa.initialize_for_pe()
        num_row = p.num_row_sub_array
        num_col = p.num_col_sub_array
        bits = num_bit_subarray_output(p)
        clk = p.clk_freq
        sync = p.sync_data_transfer
        h, w = sa.height, sa.width
        if p.novel_mapping:
            nr, nc = int(num_sub_array_row_nm), int(num_sub_array_col_nm)
            self.adder_tree_nm.initialize(nr, bits, int(ceil(nc * num_col / p.num_col_muxed)), clk)
            stage = self.adder_tree_nm.num_stage
            if sync:
                self.buffer_input_nm.initialize(p.num_bit_input * num_row * nr, clk)
                self.buffer_output_nm.initialize(
                    (num_col * nc // p.num_col_muxed) * (bits + stage), clk)
                self.bus_input_nm.initialize(BusMode.HORIZONTAL, nr, nc, 0, num_row * nr, h, w,
                                             clk)
                self.bus_output_nm.initialize(BusMode.VERTICAL, nr, nc, 0, num_col * nc, h, w,
                                              clk)
            else:
                self.buffer_input_nm.initialize(p.num_bit_input * num_row, clk)
                self.buffer_output_nm.initialize((num_col // p.num_col_muxed) * (bits + stage),
                                                 clk)
                self.bus_input_nm.initialize(BusMode.HORIZONTAL, nr, nc, 0, num_row, h, w, clk)
                self.bus_output_nm.initialize(BusMode.VERTICAL, nr, nc, 0, num_col, h, w, clk)
        nr, nc = int(num_sub_array_row_cm), int(num_sub_array_col_cm)
        self.adder_tree_cm.initialize(nr, bits, int(ceil(nc * num_col / p.num_col_muxed)), clk)
        stage = self.adder_tree_cm.num_stage
        if sync:
            self.bus_input_cm.initialize(BusMode.HORIZONTAL, nr, nc, 0, num_row * nr, h, w, clk)
            self.bus_output_cm.initialize(BusMode.VERTICAL, nr, nc, 0, num_col * nc, h, w, clk)
            self.buffer_output_cm.initialize((num_col * nc // p.num_col_muxed) * (bits + stage),
                                             clk)
            self.buffer_input_cm.initialize(p.num_bit_input * num_row * nr, clk)
        else:
            self.bus_input_cm.initialize(BusMode.HORIZONTAL, nr, nc, 0, num_row, h, w, clk)
            self.bus_output_cm.initialize(BusMode.VERTICAL, nr, nc, 0, num_col, h, w, clk)
            self.buffer_output_cm.initialize((num_col // p.num_col_muxed) * (bits + stage), clk)
            self.buffer_input_cm.initialize(p.num_bit_input * num_row, clk)

    def _parts(self, nm: bool):
        self.parts_used.add(bool(nm))
        if nm:
            return (self.adder_tree_nm, self.buffer_input_nm, self.buffer_output_nm,
                    self.bus_input_nm, self.bus_output_nm)
        return (self.adder_tree_cm, self.buffer_input_cm, self.buffer_output_cm,
                self.bus_input_cm, self.bus_output_cm)

    # ------------------------------------------------------------------------------------
    def calculate_area(self, num_sub_array_row: int, num_sub_array_col: int, nm_pe: bool) -> Area:
        """``ProcessingUnitCalculateArea``: subarrays + adder tree + DFF buffers (the PE
        buses are not counted, as in NeuroSim since its 230920 update)."""
        key = (int(num_sub_array_row), int(num_sub_array_col), bool(nm_pe))
        if key in self._area_cache:
            return self._area_cache[key]
        sa = self.sub_array
        sa.calculate_area()
        adder_tree, buf_in, buf_out, bus_in, bus_out = self._parts(nm_pe)
        n = key[0] * key[1]
        adder_tree.calculate_area(0, sa.width, NONE)
        buf_in.calculate_area(key[0] * sa.height, 0, NONE)
        buf_out.calculate_area(0, key[1] * sa.width, NONE)
        bus_in.calculate_area(1, True)
        bus_out.calculate_area(1, True)
        name = "PE (novel mapping)" if nm_pe else "PE (conventional mapping)"
        subarrays = Contribution(f"{n} subarrays", sa.area * n, [sa.area_tree()], "scale", n)
        area = total(name, [subarrays, leaf("adder tree", adder_tree.area),
                            leaf("input buffer (DFF)", buf_in.area),
                            leaf("output buffer (DFF)", buf_out.area)])
        height = sqrt(area.value)
        width = area.value / height
        adc = total(name, [leaf(f"{n} subarrays: ADC", sa.area_adc * n)])
        accum = total(name, [leaf(f"{n} subarrays: accumulation", sa.area_accum * n),
                             leaf("adder tree", adder_tree.area)])
        other = total(name, [leaf(f"{n} subarrays: other", sa.area_other * n),
                             leaf("input buffer (DFF)", buf_in.area),
                             leaf("output buffer (DFF)", buf_out.area)])
        array = total(name, [leaf(f"{n} subarrays: array", sa.area_array * n)])
        white = sa.area - sa.area_array - sa.area_adc - sa.area_accum - sa.area_other
        empty = total(name, [leaf(f"{n} subarrays: empty (bounding box)", white * n)])
        result = Area(area, adc, accum, other, array, height, width, empty=empty)
        self._area_cache[key] = result
        return result

    # ------------------------------------------------------------------------------------
    def _subarray(self, memory: np.ndarray, inputs: np.ndarray, calculate_clk_freq: bool,
                  where: tuple, origin: Origin | None = None) -> Any:
        """All input vectors through one subarray (the C++ loop over ``k``).

        Subarrays fed with the same input bits and holding the same cells give the same
        result (one :class:`SubArray` object models them all), so results are reused: the
        key is where the data lives (the block of the layer named by ``origin``, else the
        same rows of the same input array, which the chip and tile pass down as views).
        For SRAM the stored values never enter the read model (NeuroSim's
        ``GetColumnResistance`` counts activated rows only), so only the array shape is part
        of the key: the column blocks of a layer are evaluated once. With an ``origin`` the
        subarray's trace statistics come from (and go to) the workload's memo.
        """
        sa = self.sub_array
        key = (calculate_clk_freq, sa.clk_freq, where)
        hit = self._results.get(key)
        if hit is None:
            stats = None
            if origin is not None:
                stats = SubarrayStatistics(inputs, memory, origin.block(*memory.shape),
                                           origin.memo)
            hit = sa.evaluate_vectors(inputs, memory, calculate_clk_freq, stats)
            self._results[key] = hit
            if origin is None:  # keep the arrays alive: their ids are part of the key
                self._alive.extend((inputs, memory))
        return hit

    def _prefetch(self, memory: np.ndarray, inputs: np.ndarray, calculate_clk_freq: bool,
                  locate: Any, blocks: list[tuple[int, int, int, int]]) -> None:
        """Evaluate the subarrays ``blocks`` (i, j, rows, cols) not evaluated yet in one
        :meth:`SubArray.evaluate_many` call; :meth:`_subarray` then finds them."""
        sa = self.sub_array
        todo: dict[tuple, SubarrayStatistics] = {}
        for i, j, rows, cols in blocks:
            r0, c0, where, sub = locate(i, j, rows, cols)
            key = (calculate_clk_freq, sa.clk_freq, where)
            if key in self._results or key in todo:
                continue
            mem, inp = memory[r0:r0 + rows, c0:c0 + cols], inputs[r0:r0 + rows]
            todo[key] = SubarrayStatistics(inp, mem, None if sub is None
                                           else sub.block(rows, cols),
                                           None if sub is None else sub.memo)
            if sub is None:
                self._alive.extend((inp, mem))
        if len(todo) < 2:
            return  # nothing to batch: _subarray evaluates it
        for key, res in zip(todo, sa.evaluate_many(list(todo.values()), calculate_clk_freq)):
            self._results[key] = res

    def reset_results(self) -> None:
        """Forget reused subarray and PE results (called per layer and pass)."""
        self._results.clear()
        self._pe_results.clear()
        self._alive.clear()

    def calculate_performance(self, memory: np.ndarray, inputs: np.ndarray, array_dup_row: int,
                              array_dup_col: int, num_sub_array_row: int, num_sub_array_col: int,
                              weight_matrix_row: int, weight_matrix_col: int, num_in_vector: int,
                              nm_pe: bool, calculate_clk_freq: bool, name: str = "PE",
                              origin: Origin | None = None) -> Perf:
        """``ProcessingUnitCalculatePerformance`` for one PE holding ``memory``
        (conductances, rows x columns) fed with ``inputs`` (bits, rows x ``num_in_vector``
        bit-vectors); ``origin``: which block of the layer they are. In the clock pass only
        ``clk_period`` (the slowest sensing) is set.

        PEs holding the same data (same :class:`Origin` block: input rows, and the cells
        where their values enter the read model) with the same arguments give the same
        :class:`Perf`, so within one layer pass (see :meth:`reset_results`) a repeat
        returns the first one's result (for SRAM: the column tiles of a row of tiles).
        Nothing mutates a returned ``Perf``; its trees are shared by the tiles that read
        it."""
        p = self._p
        adder_tree, buf_in, buf_out, bus_in, bus_out = self._parts(nm_pe)
        if not calculate_clk_freq:
            for unit in (self.sub_array, adder_tree, buf_in, buf_out, bus_in, bus_out):
                unit.clk_freq = p.clk_freq
        pe_key = None
        if origin is not None:
            pe_key = (calculate_clk_freq, self.sub_array.clk_freq, nm_pe, name,
                      origin.block(weight_matrix_row, weight_matrix_col), memory.shape,
                      inputs.shape, array_dup_row, array_dup_col, num_sub_array_row,
                      num_sub_array_col, num_in_vector)
            hit = self._pe_results.get(pe_key)
            if hit is not None:
                return hit
        perf = self._evaluate(memory, inputs, array_dup_row, array_dup_col, num_sub_array_row,
                              num_sub_array_col, weight_matrix_row, weight_matrix_col,
                              num_in_vector, nm_pe, calculate_clk_freq, name, origin)
        if pe_key is not None:
            self._pe_results[pe_key] = perf
        return perf

    def _evaluate(self, memory: np.ndarray, inputs: np.ndarray, array_dup_row: int,
                  array_dup_col: int, num_sub_array_row: int, num_sub_array_col: int,
                  weight_matrix_row: int, weight_matrix_col: int, num_in_vector: int,
                  nm_pe: bool, calculate_clk_freq: bool, name: str,
                  origin: Origin | None) -> Perf:
        """:meth:`calculate_performance` itself (the units' clock already set)."""
        p = self._p
        nrs, ncs = p.num_row_sub_array, p.num_col_sub_array
        perf = Perf(name)
        adder_tree, buf_in, buf_out, bus_in, bus_out = self._parts(nm_pe)
        num_read_tree = (num_in_vector // p.num_bit_input) * (p.num_col_muxed //
                                                              p.num_col_per_synapse)
        last = None
        if self._weights_matter is None:
            self._weights_matter = (self.sub_array.column_model().mem_cell_type
                                    != MemCellType.SRAM)
        if origin is None:
            in_at = _where(inputs)
            mem_at = _where(memory) if self._weights_matter else None
        else:
            in_at, mem_at = ("origin",), ("origin",) if self._weights_matter else None

        located: dict[tuple[int, int, int, int], tuple] = {}

        def locate(i: int, j: int, rows: int, cols: int):
            at = located.get((i, j, rows, cols))
            if at is not None:
                return at
            r0, c0 = i * nrs, j * ncs
            sub = None if origin is None else origin.shifted(r0, c0)
            # where the subarray's data lives (SRAM: the stored values do not matter)
            if sub is None:
                where = (in_at, r0, rows, mem_at, r0 if mem_at else 0, c0 if mem_at else 0,
                         rows, cols)
            else:
                where = sub.block(rows, cols)
            at = located[(i, j, rows, cols)] = (r0, c0, where, sub)
            return at

        # every subarray of the PE evaluated in one batch, then read back below
        self._prefetch(memory, inputs, calculate_clk_freq, locate,
                       _blocks(array_dup_row, array_dup_col, num_sub_array_row,
                               num_sub_array_col, weight_matrix_row, weight_matrix_col, nrs,
                               ncs))

        results, clk_key = self._results, (calculate_clk_freq, self.sub_array.clk_freq)

        def run(i: int, j: int, rows: int, cols: int):
            nonlocal last
            r0, c0, where, sub = locate(i, j, rows, cols)
            res = results.get(clk_key + (where,))
            if res is None:
                res = self._subarray(memory[r0:r0 + rows, c0:c0 + cols], inputs[r0:r0 + rows],
                                     calculate_clk_freq, where, sub)
            if calculate_clk_freq:
                perf.clk_period = max(perf.clk_period, res.clk_period)
            else:
                last = res
                label = f"subarray[{i},{j}]"
                perf.add("read_dynamic_energy", "", _sa_node(res, "read_dynamic_energy", label))
                perf.add("core_energy_adc", "", _sa_node(res, "read_dynamic_energy_adc", label))
                perf.add("core_energy_accum", "",
                         _sa_node(res, "read_dynamic_energy_accum", label))
                perf.add("core_energy_other", "",
                         _sa_node(res, "read_dynamic_energy_other", label))
            return res

        tree_name = "adder tree"
        if array_dup_row * array_dup_col > 1:
            if array_dup_row < num_sub_array_row or array_dup_col < num_sub_array_col:
                # a few subarrays hold the matrix, duplicated over the others
                for i in range(ceil(weight_matrix_row / nrs)):
                    for j in range(ceil(weight_matrix_col / ncs)):
                        rows = min(nrs, weight_matrix_row - i * nrs)
                        cols = min(ncs, weight_matrix_col - j * ncs)
                        res = run(i, j, rows, cols)
                        # evaluated in the clock pass too (its leakage is kept)
                        adder_tree.calculate_latency(num_read_tree,
                                                     int(ceil(weight_matrix_row / nrs)), 0)
                        adder_tree.calculate_power(num_read_tree,
                                                   int(ceil(weight_matrix_row / nrs)))
                        if calculate_clk_freq:
                            continue
                        at_lat = leaf(tree_name, adder_tree.read_latency)
                        perf.keep_max("read_latency", "slowest subarray",
                                      total(f"subarray[{i},{j}] + adder tree",
                                            [_sa_node(res, "read_latency", i, j), at_lat]))
                        perf.add("read_dynamic_energy", tree_name, adder_tree.read_dynamic_energy)
                        perf.keep_max("core_latency_adc", "slowest subarray",
                                      _sa_node(res, "read_latency_adc", i, j))
                        perf.keep_max("core_latency_accum", "slowest subarray",
                                      total(f"subarray[{i},{j}] + adder tree",
                                            [_sa_node(res, "read_latency_accum", i, j),
                                             at_lat]))
                        perf.keep_max("core_latency_other", "slowest subarray",
                                      _sa_node(res, "read_latency_other", i, j))
                        perf.add("core_energy_accum", tree_name, adder_tree.read_dynamic_energy)
                if not calculate_clk_freq:
                    dup = array_dup_row * array_dup_col
                    for f in ("read_latency", "core_latency_adc", "core_latency_accum",
                              "core_latency_other"):
                        perf.scale(f, f"/ subarray duplication {dup}", dup, divide=True)
            else:
                # every subarray holds the whole matrix: one evaluation, no adder tree
                res = run(0, 0, weight_matrix_row, weight_matrix_col)
                if not calculate_clk_freq:
                    dup = array_dup_row * array_dup_col
                    for f, g in (("read_latency", "read_latency"),
                                 ("core_latency_adc", "read_latency_adc"),
                                 ("core_latency_accum", "read_latency_accum"),
                                 ("core_latency_other", "read_latency_other")):
                        perf.set(f, "", _sa_node(res, g, 0, 0))
                        perf.scale(f, f"/ subarray duplication {dup}", dup, divide=True)
        else:
            # the matrix is partitioned over the subarrays, no duplication
            for i in range(int(num_sub_array_row)):
                for j in range(int(num_sub_array_col)):
                    if i * nrs < weight_matrix_row and j * ncs < weight_matrix_col:
                        rows = min(nrs, weight_matrix_row - i * nrs)
                        cols = min(ncs, weight_matrix_col - j * ncs)
                        res = run(i, j, rows, cols)
                        if calculate_clk_freq:
                            continue
                        label = f"subarray[{i},{j}]"
                        for f, g in _LATENCY_PARTS:
                            perf.keep_max(f, "slowest subarray", _sa_node(res, g, label))
            # evaluated in the clock pass too (its leakage is kept)
            n_add = int(ceil(weight_matrix_row / nrs))
            adder_tree.calculate_latency(num_read_tree, n_add, 0)
            adder_tree.calculate_power(num_read_tree, n_add)
            if not calculate_clk_freq:
                perf.add("read_latency", tree_name, adder_tree.read_latency)
                perf.add("core_latency_accum", tree_name, adder_tree.read_latency)
                perf.add("read_dynamic_energy", tree_name, adder_tree.read_dynamic_energy)
                perf.add("core_energy_accum", tree_name, adder_tree.read_dynamic_energy)
        if calculate_clk_freq:
            return perf

        # PE buffers and buses: the data moved is fixed whatever the speed-up
        rps, cps, nbi = p.num_row_per_synapse, p.num_col_per_synapse, p.num_bit_input
        in_bits = weight_matrix_row // rps * num_in_vector
        buf_in.calculate_latency(0, in_bits // buf_in.num_dff)
        out_reads = (weight_matrix_col // cps * adder_tree.num_adder_bit * num_in_vector // nbi
                     // buf_out.num_dff)
        buf_out.calculate_latency(0, out_reads)
        buf_in.calculate_power(in_bits // buf_in.num_dff, buf_in.num_dff, False)
        buf_out.calculate_power(out_reads, buf_out.num_dff, False)
        bus_in.calculate_latency(in_bits / bus_in.bus_width)
        bus_in.calculate_power(bus_in.bus_width, in_bits / bus_in.bus_width, True)
        out_bus_bits = (weight_matrix_col // cps * (adder_tree.num_stage + adder_tree.num_adder_bit)
                        * num_in_vector // nbi)
        out_width = bus_out.num_row * bus_out.bus_width
        bus_out.calculate_latency(out_bus_bits / out_width)
        bus_out.calculate_power(out_width, out_bus_bits / out_width, False)

        buffers = total("PE buffers", [leaf("input buffer (DFF)", buf_in.read_latency),
                                       leaf("output buffer (DFF)", buf_out.read_latency)])
        if not p.sync_data_transfer:
            perf.set("buffer_latency", "", buffers)
        if not p.synchronous:
            perf.set("ic_latency", "", total("PE buses", [
                leaf("input bus", bus_in.read_latency), leaf("output bus", bus_out.read_latency)]))
        perf.add("buffer_dynamic_energy", "input buffer (DFF)", buf_in.read_dynamic_energy)
        perf.add("buffer_dynamic_energy", "output buffer (DFF)", buf_out.read_dynamic_energy)
        perf.add("ic_dynamic_energy", "input bus", bus_in.read_dynamic_energy)
        perf.add("ic_dynamic_energy", "output bus", bus_out.read_dynamic_energy)

        nsub = num_sub_array_row * num_sub_array_col
        perf.leakage = (last.leakage * nsub + adder_tree.leakage + buf_in.leakage
                        + buf_out.leakage + bus_in.leakage + bus_out.leakage)
        perf.leakage_sram_in_use = last.leakage_sram_in_use * nsub
        perf.leakage_tree = total(name, [
            Contribution(f"{nsub} subarrays", last.leakage * nsub, [leaf("subarray",
                                                                         last.leakage)],
                         "scale", nsub),
            leaf("adder tree", adder_tree.leakage), leaf("input buffer (DFF)", buf_in.leakage),
            leaf("output buffer (DFF)", buf_out.leakage), leaf("input bus", bus_in.leakage),
            leaf("output bus", bus_out.leakage)])

        if not p.sync_data_transfer:
            moved = total("PE buffers + buses", [perf.node("buffer_latency", "PE buffers"),
                                                 perf.node("ic_latency", "PE buses")])
            perf.add("read_latency", "", moved)
            perf.add("core_latency_other", "", moved)
        moved_e = total("PE buffers + buses", [perf.node("buffer_dynamic_energy", "PE buffers"),
                                               perf.node("ic_dynamic_energy", "PE buses")])
        perf.add("read_dynamic_energy", "", moved_e)
        perf.add("core_energy_other", "", moved_e)
        return perf


#: PE latency figure <- the subarray result's latency it takes the slowest of
_LATENCY_PARTS = (("read_latency", "read_latency"), ("core_latency_adc", "read_latency_adc"),
                  ("core_latency_accum", "read_latency_accum"),
                  ("core_latency_other", "read_latency_other"))


def _blocks(array_dup_row: int, array_dup_col: int, num_sub_array_row: int,
            num_sub_array_col: int, weight_matrix_row: int, weight_matrix_col: int, nrs: int,
            ncs: int) -> list[tuple[int, int, int, int]]:
    """The subarrays (i, j, rows, cols) :meth:`ProcessingUnit.calculate_performance`
    evaluates, in its order."""
    if array_dup_row * array_dup_col > 1:
        if array_dup_row < num_sub_array_row or array_dup_col < num_sub_array_col:
            return [(i, j, min(nrs, weight_matrix_row - i * nrs),
                     min(ncs, weight_matrix_col - j * ncs))
                    for i in range(ceil(weight_matrix_row / nrs))
                    for j in range(ceil(weight_matrix_col / ncs))]
        return [(0, 0, weight_matrix_row, weight_matrix_col)]
    return [(i, j, min(nrs, weight_matrix_row - i * nrs), min(ncs, weight_matrix_col - j * ncs))
            for i in range(int(num_sub_array_row)) for j in range(int(num_sub_array_col))
            if i * nrs < weight_matrix_row and j * ncs < weight_matrix_col]


def _where(a: np.ndarray) -> tuple:
    """Identity of an array view: its base object, offset, shape and strides."""
    base = a
    while isinstance(base.base, np.ndarray):
        base = base.base
    offset = a.__array_interface__["data"][0] - base.__array_interface__["data"][0]
    return (id(base), offset, a.shape, a.strides, a.dtype.str)


def _sa_node(res: Any, fig: str, i: int | str, j: int | None = None) -> Contribution:
    """The contribution of subarray (i, j) to ``fig`` (its summed input vectors); ``i``
    may be the node's name itself (``"subarray[i,j]"``)."""
    name = i if j is None else f"subarray[{i},{j}]"
    return Contribution(name, getattr(res, fig), [], "leaf")
