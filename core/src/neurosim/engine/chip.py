"""Chip: tiles plus the global buffer, the global interconnect (H-tree or X-Y bus), the
global accumulation, activation and max-pooling units (NeuroSim V1.4 ``Chip.cpp``:
``ChipInitialize``, ``ChipCalculateArea``, ``ChipCalculatePerformance``; the slicing
helpers ``CopyArray``/``CopyInput``/``ReshapeArray``/``ReshapeInput``).

The C++ keeps the global modules and the global bus width in file-level globals; here they
are members of one :class:`Chip`.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil, floor, log2, sqrt
from typing import Any, Sequence

import numpy as np

from ..errors import RejectedConfiguration
from ..primitives.constants import AreaModify
from .compat_bugs import register_bug
from .contributions import Contribution, Perf, leaf, total
from .floorplan import (IFM_C, IFM_H, IFM_W, K_H, K_W, OFM_C, POOL, STRIDE, Floorplan,
                        NetRow)
from .layer_memory import ShapeOnlyMemory
from .processing_unit import num_bit_subarray_output
from .subarray_stats import Origin
from .tile import ENERGIES, LATENCIES, Tile

NONE = AreaModify.NONE

TOTAL_INPUT = register_bug(
    "sync_total_input_current_layer",
    "Chip.cpp (sync_data_transfer): totalInput adds the current layer's input once per "
    "network layer instead of every layer's input")


@dataclass
class ChipArea:
    """``ChipCalculateArea`` results (m^2) and the tile geometry used by the buses (m)."""

    area: Contribution
    ic: Contribution
    adc: Contribution
    accum: Contribution
    other: Contribution
    array: Contribution
    height: float
    width: float
    cm_tile_height: float
    cm_tile_width: float
    nm_tile_height: float
    nm_tile_width: float
    #: subarray bounding-box white space, the part of ``area`` the five NeuroSim
    #: categories leave out (tiles counted as for ``array``)
    empty: Contribution | None = None


def num_in_vector(row: NetRow) -> int:
    """Input vectors of a layer: a valid convolution, computed in doubles and truncated."""
    return int((row[IFM_H] - row[K_H] + 1) / row[STRIDE] * (row[IFM_W] - row[K_W] + 1)
               / row[STRIDE])


def _input_volume(row: NetRow, nm: bool) -> float:
    """Input values a layer sends to its tiles (``fraction`` in ChipCalculatePerformance):
    rows of the unrolled kernel (NM: one kernel column) x input vectors, in doubles."""
    k = row[K_W] if nm else row[K_H] * row[K_W]
    return (row[IFM_C] * k * (row[IFM_H] - row[K_H] + 1) / row[STRIDE]
            * (row[IFM_W] - row[K_W] + 1) / row[STRIDE])


def reshape_rows(num_rows: int, position_row: int, rows_per_pe: int, num_pe: int,
                 weight_matrix_row: int, num_tile_rows: int) -> np.ndarray:
    """Row indices of a novel-mapped tile (``ReshapeArray``/``ReshapeInput``): block k
    (kernel position) is rows ``position_row + k*weight_matrix_row + 0..rows_per_pe-1``.

    ``num_tile_rows`` is how many tile rows the PEs read; where that is more than the
    ``num_pe`` blocks NeuroSim built (it then reads past the end of its vectors, undefined
    behaviour) the block pattern is continued, clipped to the last matrix row."""
    blocks = max(num_pe, -(-num_tile_rows // rows_per_pe))
    k = np.arange(blocks)[:, None] * weight_matrix_row
    idx = (position_row + k + np.arange(rows_per_pe)[None, :]).ravel()[:num_tile_rows]
    return np.minimum(idx, num_rows - 1)


class Chip:
    """Global modules of the chip and the layer evaluation (NeuroSim V1.4 ``Chip.cpp``)."""

    def __init__(self, ctx: Any, net: Sequence[NetRow], fp: Floorplan) -> None:
        self.ctx = ctx
        self.p = ctx.param
        self.net = net
        self.fp = fp
        buffer = ctx.circuit("buffer")
        self.global_buffer = buffer(ctx)
        self.g_h_tree = ctx.interconnect("htree")(ctx)
        self.g_bus = ctx.interconnect("xybus")(ctx)
        self.g_accumulation = ctx.circuit("adder_tree")(ctx)
        self.g_sigmoid = ctx.circuit("sigmoid")(ctx)
        self.g_re_lu = ctx.circuit("bit_shifter")(ctx)
        self.max_pool = ctx.circuit("max_pooling")(ctx)
        self.tile = Tile(ctx)
        self.global_bus_width = 0.0
        self.num_buffer_core = 0
        self.totaltile_num = 0.0
        self.area: ChipArea | None = None

    @property
    def htree_global(self) -> bool:
        return bool(self.p.global_bus_type)

    # ------------------------------------------------------------------------------------
    def initialize(self) -> None:
        """``ChipInitialize``: tiles, global buffer, interconnect, accumulation, activation."""
        p, fp, net = self.p, self.fp, self.net
        tile_cm, pe_cm, pe_nm, num_pe_nm = (fp.desired_tile_size_cm, fp.desired_pe_size_cm,
                                            fp.desired_pe_size_nm, fp.num_pe_nm)
        clk = p.clk_freq
        mux = p.num_col_muxed
        self.tile.initialize(num_pe_nm, pe_nm, ceil(tile_cm / pe_cm), pe_cm)
        max_layer_input = 0.0
        max_tile_added = 0.0
        bus_width = 0.0
        nm_side = ceil(sqrt(num_pe_nm))
        for i, row in enumerate(net):
            inp = row[IFM_H] * row[IFM_W] * row[IFM_C]
            if fp.mark_nm[i] == 0:
                w = tile_cm + tile_cm / mux
            else:
                w = pe_nm * nm_side + pe_nm * nm_side / mux
            if not p.pipeline:
                max_layer_input = max(max_layer_input, inp)
                bus_width += w
            else:
                max_layer_input += inp / 2
                bus_width += w * fp.tiles(i)
            max_tile_added = max(max_tile_added, fp.num_tile_each_layer[0][i])
        while bus_width > p.max_global_bus_width:
            bus_width /= 2
        self.global_bus_width = bus_width
        self.max_tile_added = max_tile_added
        if p.sync_data_transfer:
            buffer_size = int(p.num_bit_input * max_layer_input * 2)
        else:
            buffer_size = int(p.num_bit_input * max_layer_input)
        core_bits = p.global_buffer_core_size_row * p.global_buffer_core_size_col
        self.num_buffer_core = int(ceil(buffer_size / core_bits))
        wire = p.unit_length_wire_resistance
        if p.sync_data_transfer:
            self.global_buffer.initialize(core_bits, int(bus_width), 1, wire, clk,
                                          p.global_buffer_type)
        else:
            self.global_buffer.initialize(core_bits, p.global_buffer_core_size_col, 1, wire, clk,
                                          p.global_buffer_type)
        self.max_pool.initialize(p.num_bit_input, 2 * 2, int(max(tile_cm / mux, pe_nm / mux)),
                                 clk)
        if self.htree_global:
            if p.novel_mapping:
                area_nm = self.tile.calculate_area(num_pe_nm, pe_nm, True).array.value
                area_cm = self.tile.calculate_area(ceil(tile_cm / pe_cm) ** 2, pe_cm,
                                                   False).array.value
                # how many NM tiles make one CM tile's area
                eq = area_nm
                index = 1.0
                while eq < area_cm:
                    index += 1
                    eq = index * area_nm
                total_eq = int(index * fp.desired_num_tile_cm + fp.desired_num_tile_nm)
                row_n, col_n = total_eq * 2.0, 1.0
                while (row_n - col_n) / row_n > 0.2:
                    periphery = total_eq * 2
                    for m in range(1, int(floor(total_eq / 2.0)) + 1):
                        if total_eq % m == 0 and (m + total_eq / m) < periphery:
                            periphery = m + total_eq / m
                            row_n = total_eq / m
                            col_n = m
                    if (row_n - col_n) / row_n > 0.2:
                        total_eq += 1
                self.totaltile_num = float(total_eq)
                if p.sync_data_transfer:
                    self.g_h_tree.initialize(int(row_n), int(col_n), p.global_bus_delay_tolerance,
                                             bus_width, clk)
                else:
                    self.g_h_tree.initialize(fp.num_tile_row, fp.num_tile_col,
                                             p.global_bus_delay_tolerance, bus_width, clk)
            else:
                self.g_h_tree.initialize(fp.num_tile_row, fp.num_tile_col,
                                         p.global_bus_delay_tolerance, bus_width, clk)
        else:
            self.g_bus.initialize(fp.num_tile_row, fp.num_tile_col, p.global_bus_delay_tolerance,
                                  bus_width, clk)

        n_layers = len(net)
        if p.chip_activation:
            bits = num_bit_subarray_output(p)
            if p.novel_mapping:
                max_tp = int(max(tile_cm, ceil(pe_nm)))
                max_add = int(max(ceil(pe_cm / p.num_row_sub_array),
                                  ceil(pe_nm / p.num_row_sub_array)))
                max_add *= int(max(ceil(tile_cm / pe_cm), ceil(sqrt(num_pe_nm))))
                if p.pipeline:
                    max_tp *= n_layers + 1
                    max_add *= n_layers + 1
            else:
                max_tp = int(tile_cm)
                max_add = int(ceil(pe_cm / p.num_row_sub_array))
                max_add *= int(ceil(tile_cm / pe_cm))
                if p.pipeline:
                    max_add *= n_layers + 1
            self.g_accumulation.initialize(int(max_tile_added), int(bits + ceil(log2(max_add))),
                                           int(ceil(max_tp / mux)), clk)
            if p.re_lu:
                self.g_re_lu.initialize(int(ceil(max_tp / mux)), p.num_bit_input, clk)
            else:
                self.g_sigmoid.initialize(p.activationtype, p.num_bit_input,
                                          int(bits + ceil(log2(max_add))
                                              + ceil(log2(max_tile_added))),
                                          int(ceil(max_tp / mux)), clk)
        else:
            if p.novel_mapping:
                max_tp = int(max(tile_cm, ceil(pe_nm)))
                if p.pipeline:
                    max_tp *= n_layers + 1
            else:
                max_tp = int(tile_cm)
            self.g_accumulation.initialize(int(max_tile_added), p.num_bit_input,
                                           int(ceil(max_tp / mux)), clk)

    # ------------------------------------------------------------------------------------
    def calculate_area(self) -> ChipArea:
        """``ChipCalculateArea``: tiles + global interconnect + global buffer + pooling +
        accumulation (+ activation). Breakdown as NeuroSim prints it."""
        p, fp = self.p, self.fp
        area: list[Contribution] = []
        ic: list[Contribution] = []
        adc: list[Contribution] = []
        accum: list[Contribution] = []
        other: list[Contribution] = []
        array: list[Contribution] = []
        empty: list[Contribution] = []
        nm_h = nm_w = 0.0

        def times(c: Contribution, n: float, what: str) -> Contribution:
            return Contribution(f"{n:g} {what}", c.value * n, [c], "scale", n)

        n_nm, n_cm = fp.desired_num_tile_nm, fp.desired_num_tile_cm
        sync = p.sync_data_transfer
        if p.novel_mapping:
            t = self.tile.calculate_area(fp.num_pe_nm, fp.desired_pe_size_nm, True)
            n_area = self.totaltile_num if sync else n_nm
            area.append(times(t.area, n_area, "NM tiles"))
            ic.append(times(t.ic, n_nm, "NM tiles"))
            adc.append(times(t.adc, n_nm, "NM tiles"))
            accum.append(times(t.accum, n_nm, "NM tiles"))
            other.append(times(t.other, n_nm, "NM tiles"))
            array.append(times(t.array, n_area, "NM tiles"))
            if t.empty is not None:
                empty.append(times(t.empty, n_area, "NM tiles"))
            nm_h, nm_w = t.height, t.width
        t = self.tile.calculate_area(ceil(fp.desired_tile_size_cm / fp.desired_pe_size_cm) ** 2,
                                     fp.desired_pe_size_cm, False)
        if not sync:
            area.append(times(t.area, n_cm, "CM tiles"))
        ic.append(times(t.ic, n_cm, "CM tiles"))
        adc.append(times(t.adc, n_cm, "CM tiles"))
        accum.append(times(t.accum, n_cm, "CM tiles"))
        other.append(times(t.other, n_cm, "CM tiles"))
        if not sync:
            array.append(times(t.array, n_cm, "CM tiles"))
            if t.empty is not None:
                empty.append(times(t.empty, n_cm, "CM tiles"))
        cm_h, cm_w = t.height, t.width

        gb_height = fp.num_tile_row * max(nm_h, cm_h)
        self.global_buffer.calculate_area(gb_height, 0, NONE)
        gb_area = self.global_buffer.area * self.num_buffer_core
        gb_width = gb_area / gb_height
        bus = self.g_h_tree if self.htree_global else self.g_bus
        bus.calculate_area(max(nm_h, cm_h), max(nm_w, cm_w), p.tree_folded_ratio)
        bus_name = "global H-tree" if self.htree_global else "global X-Y bus"
        area.append(leaf(bus_name, bus.area))
        ic.append(leaf(bus_name, bus.area))
        self.max_pool.calculate_unit_area(NONE)
        self.max_pool.calculate_area(gb_width)
        self.g_accumulation.calculate_area(0, gb_height / 3, NONE)
        act: list[Contribution] = []
        if p.chip_activation:
            if p.re_lu:
                self.g_re_lu.calculate_area(0, gb_width / 3, NONE)
                act.append(leaf("global ReLU", self.g_re_lu.area))
            else:
                self.g_sigmoid.calculate_unit_area(NONE)
                self.g_sigmoid.calculate_area(0, gb_width / 3, NONE)
                act.append(leaf("global sigmoid", self.g_sigmoid.area))
        gb = leaf(f"global buffer ({self.num_buffer_core} cores)", gb_area)
        mp = leaf("max pooling", self.max_pool.area)
        ga = leaf("global accumulation", self.g_accumulation.area)
        area += act + [gb, mp, ga]
        accum.append(ga)
        other += [gb, mp] + act
        a = total("chip", area)
        height = sqrt(a.value)
        self.area = ChipArea(area=a, ic=total("chip", ic), adc=total("chip", adc),
                             accum=total("chip", accum), other=total("chip", other),
                             array=total("chip", array), height=height,
                             width=a.value / height, cm_tile_height=cm_h, cm_tile_width=cm_w,
                             nm_tile_height=nm_h, nm_tile_width=nm_w,
                             empty=total("chip", empty))
        return self.area

    # ------------------------------------------------------------------------------------
    def calculate_performance(self, layer: int, memory: np.ndarray, inputs: np.ndarray,
                              calculate_clk_freq: bool, origin: Origin | None = None) -> Perf:
        """``ChipCalculatePerformance`` of one layer. ``memory``: conductances (weight rows x
        weight columns x cells per synapse); ``inputs``: bits (rows x vectors*input bits);
        ``origin``: the layer's keys in the workload's statistics memo (None: no memo).
        Figures are cycles in synchronous mode (the caller multiplies by the clock period)."""
        p, fp, net = self.p, self.fp, self.net
        ca = self.area
        row = net[layer]
        rps, cps, nbi = p.num_row_per_synapse, p.num_col_per_synapse, p.num_bit_input
        wmr = int(row[IFM_C] * row[K_H] * row[K_W] * rps)
        wmc = int(row[OFM_C] * cps)
        perf = Perf(f"layer {layer + 1}")
        self.tile.reset_results()
        if not calculate_clk_freq:
            for unit in (self.global_buffer, self.g_h_tree, self.g_bus, self.g_accumulation,
                         self.g_sigmoid, self.g_re_lu, self.max_pool):
                unit.clk_freq = p.clk_freq
        niv = num_in_vector(row)
        total_tiles = 0
        total_input = 0
        for i in range(len(net)):
            total_tiles = int(total_tiles + fp.tiles(i))
            # NeuroSim sums the input of the current layer once per layer of the network
            other = row if self.ctx.bug(TOTAL_INPUT) else net[i]
            total_input = int(total_input + _input_volume(other, fp.mark_nm[layer] == 1))
        total_rows = ceil(sqrt(total_tiles))
        total_cols = ceil(total_tiles / total_rows)
        su_r, su_c = fp.speed_up_each_layer[0][layer], fp.speed_up_each_layer[1][layer]
        cols_bits = niv * nbi
        tile_leak: Perf | None = None

        def gather(t: Perf, label: str) -> None:
            nonlocal tile_leak
            perf.clk_period = max(perf.clk_period, t.clk_period)
            tile_leak = t
            if calculate_clk_freq:
                return
            for f in LATENCIES:
                perf.keep_max(f, "slowest tile", t.node(f, label))
            for f in ENERGIES:
                perf.add(f, "", t.node(f, label))

        nm = fp.mark_nm[layer] == 1
        if not nm:
            T = fp.desired_tile_size_cm
            for i in range(ceil(row[IFM_C] * row[K_H] * row[K_W] * rps / T)):
                for j in range(ceil(row[OFM_C] * cps / T)):
                    rows = int(min(T, wmr - i * T))
                    cols = int(min(T, wmc - j * T))
                    r0, c0 = int(i * T), int(j * T)
                    t = self.tile.calculate_performance(
                        memory[r0:r0 + rows, c0:c0 + cols], inputs[r0:r0 + rows, :cols_bits],
                        0, ceil(T / fp.desired_pe_size_cm), fp.desired_pe_size_cm, int(su_r),
                        int(su_c), rows, cols, cols_bits, calculate_clk_freq, f"tile[{i},{j}]",
                        None if origin is None else origin.shifted(r0, c0))
                    gather(t, f"tile[{i},{j}]")
        else:
            P, npe = fp.desired_pe_size_nm, fp.num_pe_nm
            n_tr = int(ceil(row[IFM_C] * rps / P))
            n_tc = int(ceil(row[OFM_C] * cps / P))
            per_row = int(row[IFM_C]) * rps // n_tr
            full = int(row[IFM_C]) * rps
            per_col = int(row[OFM_C]) * cps // n_tc  # columns a row of each tile holds
            if (not calculate_clk_freq and int(min(P, wmc)) > per_col
                    and not isinstance(memory, ShapeOnlyMemory)):
                _warn_columns_past_tile(layer, per_col, int(min(P, wmc)))
            for i in range(n_tr):
                rows = int(min(P * npe, wmr - i * P * npe))
                # rows the tile's PEs read (TileCalculatePerformance, novel mapping)
                per_pe = int(rows / npe)
                need = max(int(k * min(P, per_pe)) + per_pe for k in range(int(npe)))
                gather_args = (memory.shape[0], int(i * P), per_row, int(npe), full,
                               max(int(npe) * per_row, need))
                idx = reshape_rows(*gather_args)
                t_in = inputs[idx, :cols_bits]  # the same rows for every tile column
                for j in range(n_tc):
                    cols = int(min(P, wmc - j * P))
                    c0 = int(j * P)
                    # NeuroSim's tile holds per_col columns but its PEs read ``cols``; past
                    # per_col it reads beyond its vectors (undefined behaviour): the
                    # matrix's own next columns stand in (exact for SRAM, where the stored
                    # values do not enter the model)
                    t_mem = memory[idx, c0:c0 + cols]
                    t = self.tile.calculate_performance(
                        t_mem, t_in, 1, npe, P, int(su_r), int(su_c), rows, cols, cols_bits,
                        calculate_clk_freq, f"tile[{i},{j}]",
                        None if origin is None else origin.shifted(cols=c0, gather=gather_args))
                    gather(t, f"tile[{i},{j}]")
        if calculate_clk_freq:
            return perf

        sync = p.sync_data_transfer
        if p.chip_activation:
            if p.re_lu:
                u, what = self.g_re_lu, "global ReLU"
                n_read = ceil(niv * row[OFM_C] / u.num_unit)
            else:
                u, what = self.g_sigmoid, "global sigmoid"
                n_read = ceil(niv * row[OFM_C] / u.num_entry)
            u.calculate_latency(n_read)
            u.calculate_power(n_read)
            if not sync:
                perf.add("read_latency", what, u.read_latency)
                perf.add("core_latency_other", what, u.read_latency)
            perf.add("read_dynamic_energy", what, u.read_dynamic_energy)
            perf.add("core_energy_other", what, u.read_dynamic_energy)
        if fp.num_tile_each_layer[0][layer] > 1:
            g = self.g_accumulation
            n_read = ceil(wmc // cps * (niv / g.num_adder_tree))
            g.calculate_latency(n_read, int(fp.num_tile_each_layer[0][layer]), 0)
            g.calculate_power(n_read, int(fp.num_tile_each_layer[0][layer]))
            perf.add("read_dynamic_energy", "global accumulation", g.read_dynamic_energy)
            if not sync:
                perf.add("read_latency", "global accumulation", g.read_latency)
                perf.add("core_latency_accum", "global accumulation", g.read_latency)
            perf.add("core_energy_accum", "global accumulation", g.read_dynamic_energy)
        if row[POOL]:
            mp = self.max_pool
            if mp.num_max_pooling == 0:
                raise RejectedConfiguration(
                    f"col_mux (numColMuxed) = {p.num_col_muxed} is wider than the tiles "
                    f"({int(max(fp.desired_tile_size_cm, fp.desired_pe_size_nm))} columns): "
                    "NeuroSim V1.4 builds tile columns / numColMuxed max-pooling units, 0 "
                    f"here, so pooling layer {layer + 1} would take an infinite time; use a "
                    "col_mux no larger than the tile")
            n_read = ceil((niv * wmc // cps / mp.window) / mp.num_max_pooling)
            mp.calculate_latency(1e20, 0, n_read)
            mp.calculate_power(n_read)
            if not sync:
                perf.add("read_latency", "max pooling", mp.read_latency)
                perf.add("core_latency_other", "max pooling", mp.read_latency)
            perf.add("read_dynamic_energy", "max pooling", mp.read_dynamic_energy)
            perf.add("core_energy_other", "max pooling", mp.read_dynamic_energy)

        if nm:
            bits_out = wmr * nbi * niv / row[K_H]
            th, tw = ca.nm_tile_height, ca.nm_tile_width
        else:
            bits_out = float(wmr * nbi * niv)
            th, tw = ca.cm_tile_height, ca.cm_tile_width
        bits_in = ceil(wmc // cps) * nbi * niv / (4 if row[POOL] else 1)
        frac = _input_volume(row, nm)
        ic_lat = 0.0
        ic_energy = 0.0
        if self.htree_global:
            h = self.g_h_tree
            x_end = int(fp.tile_loca_each_layer[0][layer])
            y_end = int(fp.tile_loca_each_layer[1][layer])
            if p.novel_mapping and sync:
                width = floor(h.bus_width * (frac / total_input))
                h.calculate_latency(0, 0, x_end, y_end, ca.nm_tile_height, ca.nm_tile_width,
                                    ceil((bits_out + bits_in) / width))
                h.calculate_power(0, 0, x_end, y_end, ca.nm_tile_height, ca.nm_tile_width,
                                  ceil(h.bus_width * (frac / total_input)),
                                  ceil(bits_out * p.inputtoggle / width)
                                  + ceil(bits_in * p.outputtoggle / width))
            else:
                width = ceil(h.bus_width * (fp.tiles(layer) / total_tiles))
                h.calculate_latency(0, 0, x_end, y_end, th, tw,
                                    ceil((bits_out + bits_in) / width))
                h.calculate_power(0, 0, x_end, y_end, th, tw, width,
                                  ceil(bits_out * p.inputtoggle / width)
                                  + ceil(bits_in * p.outputtoggle / width))
            ic_lat, ic_energy, ic_name = h.read_latency, h.read_dynamic_energy, "global H-tree"
        else:
            b = self.g_bus
            x = int(ceil(total_cols / 2))
            y = int(ceil(total_rows / 2))
            b.calculate_latency(x, y, th, tw,
                                ceil(bits_out / b.bus_width * total_rows
                                     / fp.num_tile_each_layer[0][layer]),
                                ceil(bits_in / b.bus_width * total_cols
                                     / fp.num_tile_each_layer[1][layer]))
            b.calculate_power(x, y, th, tw, bits_out * p.inputtoggle, bits_in * p.outputtoggle)
            ic_lat, ic_energy, ic_name = b.read_latency, b.read_dynamic_energy, "global X-Y bus"

        gbuf = self.global_buffer
        iw = gbuf.interface_width
        gbuf.calculate_latency(iw, bits_out / iw, iw, bits_in / iw)
        gbuf.calculate_power(iw, bits_out / iw, iw, bits_in / iw)
        if sync:
            clk_buf = max(self.g_h_tree.critical_latency, 1.0)
            mult = clk_buf * ceil(total_input / frac)
            g_r, g_w = gbuf.read_latency * mult, gbuf.write_latency * mult
        else:
            div = min(self.num_buffer_core, ceil(self.global_bus_width / iw))
            g_r, g_w = gbuf.read_latency / div, gbuf.write_latency / div

        gb_lat = total("global buffer", [leaf("read", g_r), leaf("write", g_w)])
        perf.add("buffer_latency", "", gb_lat)
        if sync:
            perf.set("ic_latency", "global interconnect (sync data transfer)", 0.0)
            perf.add("read_latency", "", gb_lat)
            perf.set("core_latency_other", "", gb_lat)
        else:
            perf.add("ic_latency", ic_name, ic_lat)
            perf.add("read_latency", "", gb_lat)
            perf.add("read_latency", ic_name, ic_lat)
            perf.add("core_latency_other", "", gb_lat)
            perf.add("core_latency_other", ic_name, ic_lat)
        gb_e = total("global buffer", [leaf("read", gbuf.read_dynamic_energy),
                                       leaf("write", gbuf.write_dynamic_energy)])
        perf.add("buffer_dynamic_energy", "", gb_e)
        perf.add("ic_dynamic_energy", ic_name, ic_energy)
        perf.add("read_dynamic_energy", "", gb_e)
        perf.add("read_dynamic_energy", ic_name, ic_energy)
        perf.add("core_energy_other", "", gb_e)
        perf.add("core_energy_other", ic_name, ic_energy)
        perf.leakage = tile_leak.leakage
        perf.leakage_sram_in_use = tile_leak.leakage_sram_in_use
        perf.leakage_tree = tile_leak.leakage_tree
        return perf


def _warn_columns_past_tile(layer: int, per_col: int, cols: int) -> None:
    """The notice of a novel-mapped layer whose PEs read more weight columns than NeuroSim's
    tile holds (``ReshapeArray`` copies ``per_col`` columns a row, the PEs read ``cols``):
    the C++ reads past each row's vector there (undefined behaviour: its figures follow its
    heap layout), this engine the layer's next columns. Only where the stored values enter
    the read model (eNVM cells; an SRAM read counts activated rows only)."""
    import warnings

    warnings.warn(f"layer {layer + 1}: NeuroSim's novel mapping gives each tile {per_col} "
                  f"weight columns a row but its PEs read {cols}; the C++ reads past the "
                  "tile's data there (undefined behaviour, so its figures for this layer "
                  "depend on its memory layout); estimated with the layer's next columns in "
                  "their place", stacklevel=2)
