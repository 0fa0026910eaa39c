"""Tile: PEs plus the tile accumulation adder tree, tile input/output buffers, the tile
H-tree and (when activation is inside the tile) ReLU or sigmoid units (NeuroSim V1.4
``Tile.cpp``: ``TileInitialize``, ``TileCalculateArea``, ``TileCalculatePerformance``).

Two tile designs exist: one for novel-mapped layers (``numPENM`` = K*K PEs, one per kernel
position) and one for conventionally mapped layers (``numPECM`` x ``numPECM`` PEs). Buffer
latencies are divided by the number of buffer cores that can work in parallel,
``min(cores, ceil(htree bus width / buffer interface width))``.
"""

from __future__ import annotations

from math import ceil, log2, sqrt
from typing import Any

import numpy as np

from ..primitives.constants import AreaModify
from .compat_bugs import register_bug
from .contributions import Contribution, Perf, leaf, total
from .processing_unit import Area, ProcessingUnit, num_bit_subarray_output
from .subarray_stats import Origin

NONE = AreaModify.NONE

STALE_PE = register_bug(
    "tile_stale_pe_results",
    "Tile.cpp (no-duplication CM branch) adds the previous PE's latency/energy again for "
    "every PE position the weight matrix does not reach")

LATENCIES = ("read_latency", "core_latency_adc", "core_latency_accum", "core_latency_other",
             "buffer_latency", "ic_latency")
ENERGIES = ("read_dynamic_energy", "buffer_dynamic_energy", "ic_dynamic_energy",
            "core_energy_adc", "core_energy_accum", "core_energy_other")


class Tile:
    """Both tile designs of the chip (NeuroSim keeps them in file-level globals)."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx
        self.p = ctx.param
        buffer = ctx.circuit("buffer")
        adder_tree = ctx.circuit("adder_tree")
        bit_shifter = ctx.circuit("bit_shifter")
        sigmoid = ctx.circuit("sigmoid")
        htree = ctx.interconnect("htree")
        self.input_buffer_nm = buffer(ctx)
        self.output_buffer_nm = buffer(ctx)
        self.h_tree_nm = htree(ctx)
        self.accumulation_nm = adder_tree(ctx)
        self.input_buffer_cm = buffer(ctx)
        self.output_buffer_cm = buffer(ctx)
        self.h_tree_cm = htree(ctx)
        self.accumulation_cm = adder_tree(ctx)
        self.re_lu_nm = bit_shifter(ctx)
        self.re_lu_cm = bit_shifter(ctx)
        self.sigmoid_nm = sigmoid(ctx)
        self.sigmoid_cm = sigmoid(ctx)
        self.pe = ProcessingUnit(ctx)
        self.num_in_buffer_core_cm = 0
        self.num_out_buffer_core_cm = 0
        self.num_in_buffer_core_nm = 0
        self.num_out_buffer_core_nm = 0
        self._area_cache: dict[tuple, Area] = {}
        self._results: dict[tuple, Perf] = {}
        #: which part sets (novel-mapped or not) :meth:`_parts` handed out (read by
        #: neurosim.engine.layer_workers: the parts whose leakage a layer sums)
        self.parts_used: set[bool] = set()

    # ------------------------------------------------------------------------------------
    def initialize(self, num_pe_nm: float, pe_size_nm: float, num_pe_cm: float,
                   pe_size_cm: float) -> None:
        """``TileInitialize``."""
        p = self.p
        clk = p.clk_freq
        nrs, ncs, mux, nbi = (p.num_row_sub_array, p.num_col_sub_array, p.num_col_muxed,
                              p.num_bit_input)
        core = p.tile_buffer_core_size_row * p.tile_buffer_core_size_col
        core_col = p.tile_buffer_core_size_col
        wire = p.unit_length_wire_resistance
        sram = p.pe_buffer_type  # tileBufferType is never read by NeuroSim
        num_sub_nm = ceil(pe_size_nm / nrs) * ceil(pe_size_nm / ncs)
        num_sub_cm = ceil(pe_size_cm / nrs) * ceil(pe_size_cm / ncs)
        self.num_sub_array_nm = int(ceil(sqrt(num_sub_nm)))
        self.num_sub_array_cm = int(ceil(sqrt(num_sub_cm)))
        self.pe.initialize(self.num_sub_array_nm, self.num_sub_array_nm,
                           self.num_sub_array_cm, self.num_sub_array_cm)
        bits = num_bit_subarray_output(p)

        if p.novel_mapping:
            out_nm = bits + ceil(sqrt(num_sub_nm))
            self.accumulation_nm.initialize(int(num_pe_nm), int(out_nm),
                                            int(ceil(pe_size_nm / mux)), clk)
            if not p.chip_activation:
                if p.re_lu:
                    self.re_lu_nm.initialize(int(ceil(pe_size_nm * ncs / mux)), nbi, clk)
                else:
                    self.sigmoid_nm.initialize(p.activationtype, nbi,
                                               int(out_nm + ceil(log2(num_pe_nm))),
                                               int(ceil(num_pe_nm * ncs / mux)), clk)
                need = nbi * num_pe_nm * ncs / mux
                self.num_out_buffer_core_nm = int(ceil(need / core))
                if need < core:
                    self.output_buffer_nm.initialize(int(need), int(nbi * num_pe_nm), 1, wire,
                                                     clk, sram)
                else:
                    self.output_buffer_nm.initialize(core, core_col, 1, wire, clk, sram)
            else:
                width = out_nm + ceil(log2(num_pe_nm))
                need = width * num_pe_nm * ncs / mux
                self.num_out_buffer_core_nm = int(ceil(need / core))
                if p.sync_data_transfer:
                    self.output_buffer_nm.initialize(int(width * pe_size_nm / mux),
                                                     int(width * pe_size_nm / mux), 1, wire, clk,
                                                     sram)
                elif need < core:
                    self.output_buffer_nm.initialize(int(need), int(width * num_pe_nm), 1, wire,
                                                     clk, sram)
                else:
                    self.output_buffer_nm.initialize(core, core_col, 1, wire, clk, sram)
            need = num_pe_nm * nbi * nrs
            self.num_in_buffer_core_nm = int(ceil(need / core))
            if p.sync_data_transfer:
                self.input_buffer_nm.initialize(int(num_pe_nm * pe_size_nm * nbi),
                                                int(num_pe_nm * pe_size_nm * nbi), 1, wire, clk,
                                                sram)
            elif need < core:
                self.input_buffer_nm.initialize(int(need), int(num_pe_nm * nrs), 1, wire, clk,
                                                sram)
            else:
                self.input_buffer_nm.initialize(core, core_col, 1, wire, clk, sram)
            side = int(ceil(sqrt(num_pe_nm)))
            self.h_tree_nm.initialize(side, side, p.local_bus_delay_tolerance,
                                      num_pe_nm * pe_size_nm, clk)

        out_cm = bits + ceil(sqrt(num_sub_cm))
        self.accumulation_cm.initialize(int(num_pe_cm), int(out_cm),
                                        int(ceil(num_pe_cm * pe_size_cm / mux)), clk)
        if not p.chip_activation:
            if p.re_lu:
                self.re_lu_cm.initialize(int(ceil(pe_size_cm * ncs / mux)), nbi, clk)
            else:
                self.sigmoid_cm.initialize(p.activationtype, nbi,
                                           int(out_cm + ceil(log2(num_pe_cm))),
                                           int(ceil(num_pe_cm * ncs / mux)), clk)
            need = nbi * num_pe_cm * ncs / mux
            self.num_out_buffer_core_cm = int(ceil(need / core))
            if need < core:
                self.output_buffer_cm.initialize(int(need), int(nbi * num_pe_cm), 1, wire, clk,
                                                 sram)
            else:
                self.output_buffer_cm.initialize(core, core_col, 1, wire, clk, sram)
        else:
            width = out_cm + ceil(log2(num_pe_cm))
            need = width * num_pe_cm * ncs / mux
            self.num_out_buffer_core_cm = int(ceil(need / core))
            if p.sync_data_transfer:
                sz = width * num_pe_cm * pe_size_cm / mux
                self.num_out_buffer_core_cm = int(ceil(sz / core))
                self.output_buffer_cm.initialize(int(sz), int(sz), 1, wire, clk, sram)
            elif need < core:
                self.output_buffer_cm.initialize(int(need), int(width * num_pe_cm), 1, wire, clk,
                                                 sram)
            else:
                self.output_buffer_cm.initialize(core, core_col, 1, wire, clk, sram)
        need = num_pe_cm * nbi * nrs
        self.num_in_buffer_core_cm = int(ceil(need / core))
        if p.sync_data_transfer:
            sz = num_pe_cm * nbi * pe_size_cm
            self.num_in_buffer_core_cm = int(ceil(sz / core))
            self.input_buffer_cm.initialize(int(sz), int(sz), 1, wire, clk, sram)
        elif need < core:
            self.input_buffer_cm.initialize(int(need), int(num_pe_cm * nrs), 1, wire, clk, sram)
        else:
            self.input_buffer_cm.initialize(core, core_col, 1, wire, clk, sram)
        self.h_tree_cm.initialize(int(num_pe_cm), int(num_pe_cm), p.local_bus_delay_tolerance,
                                  num_pe_cm * pe_size_cm, clk)

    def _parts(self, nm: bool):
        self.parts_used.add(bool(nm))
        if nm:
            return (self.input_buffer_nm, self.output_buffer_nm, self.h_tree_nm,
                    self.accumulation_nm, self.re_lu_nm, self.sigmoid_nm,
                    self.num_in_buffer_core_nm, self.num_out_buffer_core_nm)
        return (self.input_buffer_cm, self.output_buffer_cm, self.h_tree_cm,
                self.accumulation_cm, self.re_lu_cm, self.sigmoid_cm,
                self.num_in_buffer_core_cm, self.num_out_buffer_core_cm)

    def pe_area(self, pe_size: float, nm: bool) -> Area:
        p = self.p
        n = ceil(pe_size / p.num_row_sub_array) * ceil(pe_size / p.num_col_sub_array)
        side = int(ceil(sqrt(n)))
        return self.pe.calculate_area(side, side, nm)

    # ------------------------------------------------------------------------------------
    def calculate_area(self, num_pe: float, pe_size: float, nm_tile: bool) -> Area:
        """``TileCalculateArea``: PEs + accumulation + buffers + H-tree (+ activation)."""
        key = (float(num_pe), float(pe_size), bool(nm_tile))
        if key in self._area_cache:
            return self._area_cache[key]
        p = self.p
        in_buf, out_buf, htree, accum, relu, sigm, n_in, n_out = self._parts(nm_tile)
        pe = self.pe_area(pe_size, nm_tile)
        side_w = ceil(sqrt(num_pe)) * pe.width
        accum.calculate_area(0, side_w, NONE)
        act: list[Contribution] = []
        if not p.chip_activation:
            if p.re_lu:
                relu.calculate_area(0, side_w, NONE)
                act.append(leaf("ReLU", relu.area))
            else:
                sigm.calculate_unit_area(NONE)
                sigm.calculate_area(0, side_w, NONE)
                act.append(leaf("sigmoid", sigm.area))
        in_buf.calculate_area(ceil(sqrt(num_pe)) * pe.height, 0, NONE)
        out_buf.calculate_area(0, side_w, NONE)
        in_area = in_buf.area * n_in
        out_area = out_buf.area * n_out
        htree.calculate_area(pe.height, pe.width, 16)
        name = "NM tile" if nm_tile else "CM tile"
        pes = Contribution(f"{num_pe:g} PEs", pe.area.value * num_pe, [pe.area], "scale", num_pe)
        area = total(name, act + [pes, leaf("accumulation", accum.area),
                                  leaf(f"input buffer ({n_in} cores)", in_area),
                                  leaf(f"output buffer ({n_out} cores)", out_area),
                                  leaf("H-tree", htree.area)])
        height = sqrt(area.value)
        width = area.value / height

        def times(c: Contribution) -> Contribution:
            return Contribution(f"{num_pe:g} PEs", c.value * num_pe, [c], "scale", num_pe)

        ic = total(name, [leaf("H-tree", htree.area)])
        adc = total(name, [times(pe.adc)])
        accum_a = total(name, [times(pe.accum), leaf("accumulation", accum.area)])
        other = total(name, [times(pe.other), leaf(f"input buffer ({n_in} cores)", in_area),
                             leaf(f"output buffer ({n_out} cores)", out_area)] + act)
        array = total(name, [times(pe.array)])
        empty = total(name, [times(pe.empty)]) if pe.empty is not None else None
        result = Area(area, adc, accum_a, other, array, height, width, ic=ic, empty=empty)
        self._area_cache[key] = result
        return result

    # ------------------------------------------------------------------------------------
    def calculate_performance(self, memory: np.ndarray, inputs: np.ndarray, novel_map: int,
                              num_pe: float, pe_size: float, speed_up_row: int,
                              speed_up_col: int, weight_matrix_row: int, weight_matrix_col: int,
                              num_in_vector: int, calculate_clk_freq: bool,
                              name: str = "tile", origin: Origin | None = None) -> Perf:
        """``TileCalculatePerformance`` for one tile; ``num_in_vector`` counts bit-vectors
        (input vectors x input bits); ``origin``: which block of the layer the tile holds.

        Tiles holding the same data (the same :class:`Origin` block: input rows, and the
        cells where their values enter the read model) with the same arguments give the same
        figures, so within one layer pass (see :meth:`reset_results`) a repeat (for SRAM:
        the column tiles of a row of tiles) returns the first one's :class:`Perf`, renamed
        (:meth:`Perf.renamed`) when its name differs."""
        p = self.p
        if not calculate_clk_freq:
            for unit in (self.input_buffer_cm, self.output_buffer_cm, self.h_tree_cm,
                         self.accumulation_cm, self.re_lu_cm, self.sigmoid_cm,
                         self.input_buffer_nm, self.output_buffer_nm, self.h_tree_nm,
                         self.accumulation_nm, self.re_lu_nm, self.sigmoid_nm):
                unit.clk_freq = p.clk_freq
        key = None
        if origin is not None:
            key = (calculate_clk_freq, p.clk_freq, origin.block(weight_matrix_row,
                                                                weight_matrix_col),
                   memory.shape, inputs.shape, novel_map, num_pe, pe_size, speed_up_row,
                   speed_up_col, num_in_vector)
            hit = self._results.get(key)
            if hit is not None:
                return hit if hit.name == name else hit.renamed(name)
        perf = self._evaluate(memory, inputs, novel_map, num_pe, pe_size, speed_up_row,
                              speed_up_col, weight_matrix_row, weight_matrix_col,
                              num_in_vector, calculate_clk_freq, name, origin)
        if key is not None:
            self._results[key] = perf
        return perf

    def reset_results(self) -> None:
        """Forget reused tile and PE results (called per layer and pass)."""
        self._results.clear()
        self.pe.reset_results()

    def _evaluate(self, memory: np.ndarray, inputs: np.ndarray, novel_map: int,
                  num_pe: float, pe_size: float, speed_up_row: int, speed_up_col: int,
                  weight_matrix_row: int, weight_matrix_col: int, num_in_vector: int,
                  calculate_clk_freq: bool, name: str, origin: Origin | None) -> Perf:
        """:meth:`calculate_performance` itself (the units' clock already set)."""
        p = self.p
        perf = Perf(name)
        in_buf, out_buf, htree, accum, relu, sigm, n_in, n_out = self._parts(bool(novel_map))
        nsr = int(ceil(pe_size / p.num_row_sub_array))
        nsc = int(ceil(pe_size / p.num_col_sub_array))
        pe_leak: Perf | None = None
        speed = speed_up_row * speed_up_col

        def run_pe(mem, inp, dup_r, dup_c, rows, cols, nm, label, r0=0, c0=0) -> Perf:
            nonlocal pe_leak
            at = None if origin is None else origin.shifted(r0, c0)
            r = self.pe.calculate_performance(mem, inp, dup_r, dup_c, nsr, nsc, rows, cols,
                                              num_in_vector, nm, calculate_clk_freq, label,
                                              at)
            perf.clk_period = max(perf.clk_period, r.clk_period)
            pe_leak = r
            return r

        def gather(r: Perf, label: str) -> None:
            """max of latencies, sum of energies over parallel PEs"""
            if calculate_clk_freq:
                return
            for f in LATENCIES:
                perf.keep_max(f, "slowest PE", r.node(f, label))
            for f in ENERGIES:
                perf.add(f, "", r.node(f, label))

        def divide_by_speed_up() -> None:
            for f in LATENCIES:
                perf.scale(f, f"/ speed-up {speed:g}", speed, divide=True)

        def accumulate(unit, n_read, n_add, what) -> None:
            unit.calculate_latency(n_read, int(n_add), 0)
            unit.calculate_power(n_read, int(n_add))
            if calculate_clk_freq:
                return  # NeuroSim evaluates it in the clock pass too; only leakage stays
            if not p.sync_data_transfer:
                perf.add("read_latency", what, unit.read_latency)
                perf.add("core_latency_accum", what, unit.read_latency)
            perf.add("read_dynamic_energy", what, unit.read_dynamic_energy)
            perf.add("core_energy_accum", what, unit.read_dynamic_energy)

        if not novel_map:
            if speed > 1:
                if speed_up_row >= num_pe and speed_up_col >= num_pe:
                    # every PE holds the whole matrix ("full" duplication)
                    r = run_pe(memory[:weight_matrix_row, :weight_matrix_col],
                               inputs[:weight_matrix_row], int(ceil(speed_up_row / num_pe)),
                               int(ceil(speed_up_col / num_pe)), weight_matrix_row,
                               weight_matrix_col, False, "PE")
                    if not calculate_clk_freq:
                        npe2 = num_pe * num_pe
                        for f in LATENCIES:
                            perf.set(f, "", r.node(f, "PE"))
                            perf.scale(f, f"/ PE duplication {npe2:g}", npe2, divide=True)
                        for f in ENERGIES:
                            perf.set(f, "", r.node(f, "PE"))
                else:
                    # a group of PEs holds the matrix
                    n_i = ceil(weight_matrix_row / pe_size)
                    for i in range(n_i):
                        for j in range(ceil(weight_matrix_col / pe_size)):
                            rows = int(min(pe_size, weight_matrix_row - i * pe_size))
                            cols = int(min(pe_size, weight_matrix_col - j * pe_size))
                            r0, c0 = int(i * pe_size), int(j * pe_size)
                            r = run_pe(memory[r0:r0 + rows, c0:c0 + cols], inputs[r0:r0 + rows],
                                       1, 1, rows, cols, False, f"PE[{i},{j}]", r0, c0)
                            gather(r, f"PE[{i},{j}]")
                    if not calculate_clk_freq:
                        divide_by_speed_up()
                    if n_i > 1:  # evaluated in the clock pass too, as in NeuroSim
                        accumulate(self.accumulation_cm, (num_in_vector // p.num_bit_input)
                                   * ceil(p.num_col_muxed / p.num_col_per_synapse), n_i,
                                   "tile accumulation")
            else:
                # no duplication: the matrix is partitioned over the PEs
                prev: tuple[Perf, str] | None = None
                for i in range(int(num_pe)):
                    for j in range(int(num_pe)):
                        if i * pe_size < weight_matrix_row and j * pe_size < weight_matrix_col:
                            rows = int(min(pe_size, weight_matrix_row - i * pe_size))
                            cols = int(min(pe_size, weight_matrix_col - j * pe_size))
                            r0, c0 = int(i * pe_size), int(j * pe_size)
                            r = run_pe(memory[r0:r0 + rows, c0:c0 + cols], inputs[r0:r0 + rows],
                                       1, 1, rows, cols, False, f"PE[{i},{j}]", r0, c0)
                            prev = (r, f"PE[{i},{j}]")
                            gather(r, f"PE[{i},{j}]")
                        elif prev is not None and self.ctx.bug(STALE_PE):
                            gather(prev[0], f"PE[{i},{j}] (empty; repeats {prev[1]})")
                accumulate(self.accumulation_cm, (num_in_vector // p.num_bit_input)
                           * ceil(p.num_col_muxed / p.num_col_per_synapse), num_pe,
                           "tile accumulation")
        else:
            # novel mapping: one PE per kernel position
            per_pe = int(weight_matrix_row / num_pe)
            for i in range(int(num_pe)):
                location = int(i * min(pe_size, int(weight_matrix_row / num_pe)))
                r = run_pe(memory[location:location + per_pe, :weight_matrix_col],
                           inputs[location:location + per_pe], 1, 1, per_pe, weight_matrix_col,
                           True, f"PE[{i}]", location, 0)
                gather(r, f"PE[{i}]")
            if not calculate_clk_freq:
                divide_by_speed_up()
                accumulate(self.accumulation_nm, (num_in_vector // p.num_bit_input)
                           * (p.num_col_muxed // p.num_col_per_synapse), num_pe,
                           "tile accumulation")
        if calculate_clk_freq:
            return perf

        # activation, buffers, H-tree
        nbi, cps = p.num_bit_input, p.num_col_per_synapse
        n_vec = num_in_vector // nbi
        mux_per_syn = p.num_col_muxed // cps
        groups = weight_matrix_col // cps
        if not p.chip_activation:
            unit = relu if p.re_lu else sigm
            what = "ReLU" if p.re_lu else "sigmoid"
            per = unit.num_unit if p.re_lu else unit.num_entry
            n_read = n_vec * mux_per_syn / per
            unit.calculate_latency(n_read)
            unit.calculate_power(n_read)
            perf.add("read_latency", what, unit.read_latency)
            perf.add("read_dynamic_energy", what, unit.read_dynamic_energy)
            perf.add("core_latency_other", what, unit.read_latency)
            perf.add("core_energy_other", what, unit.read_dynamic_energy)
            out_bits = 1 + (unit.num_bit if p.re_lu else unit.num_ybit)
            num_bit_in = max(groups * out_bits * num_in_vector / nbi, 0)
            if novel_map:
                num_bit_in = max(groups * out_bits * num_in_vector / nbi / num_pe, 0)
        else:
            num_bit_in = max(groups * (accum.num_stage + accum.num_adder_bit) * num_in_vector
                             / nbi, 0)
        iw = out_buf.interface_width
        out_buf.calculate_latency(iw, num_bit_in / iw / 2.0, iw, num_bit_in / iw / 2.0)
        out_buf.calculate_power(iw, num_bit_in / iw / 2.0, iw, num_bit_in / iw / 2.0)
        if novel_map:
            num_bit_out = max(weight_matrix_row * num_in_vector / sqrt(num_pe), 0)
        else:
            num_bit_out = max(weight_matrix_row * num_in_vector, 0)
        iw = in_buf.interface_width
        in_buf.calculate_latency(iw, num_bit_out / iw / 2.0, iw, num_bit_out / iw / 2.0)
        in_buf.calculate_power(iw, num_bit_out / iw / 2.0, iw, num_bit_out / iw / 2.0)
        # multi-core buffers work in parallel
        div_in = min(n_in, ceil(htree.bus_width / in_buf.interface_width))
        div_out = min(n_out, ceil(htree.bus_width / out_buf.interface_width))
        in_r, in_w = in_buf.read_latency / div_in, in_buf.write_latency / div_in
        out_r, out_w = out_buf.read_latency / div_out, out_buf.write_latency / div_out
        if not p.sync_data_transfer:
            perf.add("read_latency", "input buffer", in_r + in_w)
            perf.add("read_latency", "output buffer", out_r + out_w)
        perf.add("read_dynamic_energy", "input buffer",
                 in_buf.read_dynamic_energy + in_buf.write_dynamic_energy)
        perf.add("read_dynamic_energy", "output buffer",
                 out_buf.read_dynamic_energy + out_buf.write_dynamic_energy)
        pe_geom = self.pe_area(pe_size, bool(novel_map))
        hops = (0, 0, 1, 1) if novel_map else (0, 0, 0, 0)
        htree.calculate_latency(*hops, pe_geom.height, pe_geom.width,
                                (num_bit_out + num_bit_in) / htree.bus_width)
        htree.calculate_power(*hops, pe_geom.height, pe_geom.width, htree.bus_width,
                              (num_bit_out * p.inputtoggle + num_bit_in * p.outputtoggle)
                              / htree.bus_width)
        bufs_lat = total("tile buffers", [leaf("input buffer", in_r), leaf("output buffer", out_r),
                                          leaf("input buffer write", in_w),
                                          leaf("output buffer write", out_w)])
        if not p.sync_data_transfer:
            perf.add("read_latency", "tile H-tree", htree.read_latency)
            perf.add("buffer_latency", "", bufs_lat)
            perf.add("ic_latency", "tile H-tree", htree.read_latency)
            perf.add("core_latency_other", "", total("tile buffers + H-tree", [
                leaf("input buffer", in_r + in_w), leaf("output buffer", out_r + out_w),
                leaf("tile H-tree", htree.read_latency)]))
        perf.add("read_dynamic_energy", "tile H-tree", htree.read_dynamic_energy)
        perf.add("buffer_dynamic_energy", "", total("tile buffers", [
            leaf("input buffer", in_buf.read_dynamic_energy),
            leaf("output buffer", out_buf.read_dynamic_energy),
            leaf("input buffer write", in_buf.write_dynamic_energy),
            leaf("output buffer write", out_buf.write_dynamic_energy)]))
        perf.add("ic_dynamic_energy", "tile H-tree", htree.read_dynamic_energy)
        perf.add("core_energy_other", "", total("tile buffers + H-tree", [
            leaf("input buffer", in_buf.read_dynamic_energy + in_buf.write_dynamic_energy),
            leaf("output buffer", out_buf.read_dynamic_energy + out_buf.write_dynamic_energy),
            leaf("tile H-tree", htree.read_dynamic_energy)]))

        # leakage of the tile (IC included since V1.4)
        n_pe_total = num_pe if novel_map else num_pe * num_pe
        pl = pe_leak
        perf.leakage = (pl.leakage * n_pe_total + accum.leakage + in_buf.leakage
                        + out_buf.leakage + htree.leakage)
        perf.leakage_sram_in_use = pl.leakage_sram_in_use * n_pe_total
        perf.leakage_tree = total(name, [
            Contribution(f"{n_pe_total:g} PEs", pl.leakage * n_pe_total,
                         [pl.leakage_tree] if pl.leakage_tree else [], "scale", n_pe_total),
            leaf("accumulation", accum.leakage), leaf("input buffer", in_buf.leakage),
            leaf("output buffer", out_buf.leakage), leaf("tile H-tree", htree.leakage)])
        return perf
