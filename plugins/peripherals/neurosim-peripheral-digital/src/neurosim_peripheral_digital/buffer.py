"""On-chip buffer: an SRAM array or a DFF register file (NeuroSim V1.4 ``Buffer``)."""

from __future__ import annotations

import math
from typing import Any

from neurosim.primitives import formula
from neurosim.primitives.constants import NMOS, AreaModify, DecoderMode
from neurosim.primitives.function_unit import (
    FunctionUnit,
    apply_area_option,
    finfet_width_factor,
    require_initialized,
)

from .bugs import (
    BUFFER_DFF_DECODER_ARGS,
    BUFFER_DFF_DECODER_INT_ROWS,
    BUFFER_SENSE_AMP_UNSIZED,
)
from .common import CircuitSizeError, add_sram_cell_loads


class Buffer(FunctionUnit):
    """Buffer of ``num_bit`` bits accessed one ``interface_width``-bit line at a time.

    SRAM mode: an array of ceil(num_bit / interface_width) rows of 6T cells
    (``width/height_in_feature_size_sram``) with a word-line decoder, prechargers, SRAM write
    drivers and sense amplifiers; a line read is decoder + precharge + Elmore bit-line delay
    (to a swing of half the sense voltage) + sense amp, a write is precharge + the slower of
    decoder and write driver. Register-file mode: a DFF bank with a row decoder, half a clock
    per line. Latency and energy are computed for the whole buffer and reported per line
    (``avg_bit_read_latency``) or per bit (``avg_bit_read_dynamic_energy``), then scaled by
    the accesses asked for. Synchronous mode counts one cycle per line.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False
        self.wl_decoder = ctx.circuit("row_decoder")(ctx)
        self.precharger: Any = None
        self.sram_write_driver: Any = None
        self.sense_amp: Any = None
        self.dff: Any = None

    def initialize(self, num_bit: int, interface_width: int, num_interface: int,
                   unit_wire_res: float, clk_freq: float, sram: bool) -> None:
        ctx = self.ctx
        tech, cell, param = ctx.tech, ctx.cell, ctx.param
        f = tech.feature_size
        self.num_bit = int(num_bit)
        self.interface_width = int(interface_width)
        self.num_interface = int(num_interface)
        self.unit_wire_res = unit_wire_res
        self.clk_freq = clk_freq
        self.sram = bool(sram)
        lines = float(math.ceil(self.num_bit / self.interface_width))
        self.num_col = float(self.interface_width)
        self.num_row = lines
        if self.sram:
            self.length_row = float(self.interface_width) * param.width_in_feature_size_sram * f
            self.length_col = lines * param.height_in_feature_size_sram * f
            self.cap_row1 = self.length_row * 0.2e-15 / 1e-6
            self.cap_col = self.length_col * 0.2e-15 / 1e-6
            add_sram_cell_loads(self, ctx)
            self.res_row = self.length_row * param.metal0_unitwireresis
            self.res_col = self.length_col * param.metal1_unitwireresis
            iw = self.interface_width
            self.precharger = ctx.circuit("precharger")(ctx)
            self.precharger.initialize(iw, self.length_col * unit_wire_res, 1, iw, iw)
            self.sram_write_driver = ctx.circuit("sram_write_driver")(ctx)
            self.sram_write_driver.initialize(iw, 1, iw)
            self.sense_amp = ctx.circuit("sense_amp")(ctx)
            self.sense_amp.initialize(iw, False, cell.min_sense_voltage, self.length_row / iw,
                                      clk_freq, iw)
        else:
            self.dff = ctx.circuit("dff")(ctx)
            self.dff.initialize(self.num_bit, clk_freq)
        self.wl_decoder.initialize(DecoderMode.REGULAR_ROW, int(math.ceil(math.log2(lines))),
                                   False, False)
        self.initialized = True

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        self.area = 0.0
        self.height = 0.0
        self.width = 0.0
        if self.sram:
            self.memory_area = self.length_row * self.length_col
            self.wl_decoder.calculate_area(self.length_col, 0, AreaModify.NONE)
            self.precharger.calculate_area(0, self.length_row, AreaModify.NONE)
            self.sram_write_driver.calculate_area(0, self.length_row, AreaModify.NONE)
            self.area += self.memory_area + self.wl_decoder.area + self.precharger.area \
                + self.sram_write_driver.area
            if not self.ctx.bug(BUFFER_SENSE_AMP_UNSIZED):
                self.sense_amp.calculate_area(0, self.length_row, AreaModify.NONE)
                self.area += self.sense_amp.area
        else:
            self.dff.calculate_area(0, 0, AreaModify.NONE)
            self.wl_decoder.calculate_area(
                self.dff.h_dff * math.ceil(self.num_bit / self.interface_width), 0,
                AreaModify.NONE)
            self.area += self.dff.area + self.wl_decoder.area
        if new_width and option == AreaModify.NONE:
            self.width = new_width
            self.height = self.area / self.width
        elif new_height and option == AreaModify.NONE:
            self.height = new_height
            self.width = self.area / self.height
        else:
            raise CircuitSizeError("Buffer.calculate_area: no width or height assigned for the "
                                   "buffer (pass new_width or new_height with option NONE)")
        apply_area_option(self, new_height, new_width, option)

    def calculate_latency(self, num_access_bit_read: float, num_read: float,
                          num_access_bit_write: float, num_write: float) -> None:
        require_initialized(self, "calculate_latency")
        ctx = self.ctx
        tech, cell = ctx.tech, ctx.cell
        self.read_latency = 0.0
        self.write_latency = 0.0
        self.read_whole_latency = 0.0
        self.write_whole_latency = 0.0
        if ctx.param.synchronous:  # one line per cycle
            self.read_latency = num_read
            self.write_latency = num_write
            return
        rows = self.num_row
        if self.sram:
            wire_cap_row = self.length_row * 0.2e-15 / 1e-6
            wire_cap_col = self.length_col * 0.2e-15 / 1e-6
            self.wl_decoder.calculate_latency(1e20, wire_cap_row, 0, self.res_row,
                                              self.interface_width, rows, rows)
            self.precharger.calculate_latency(1e20, wire_cap_col, rows, rows)
            self.sram_write_driver.calculate_latency(1e20, wire_cap_col,
                                                     self.length_col * self.unit_wire_res, rows)
            self.sense_amp.calculate_latency(rows)
            res_pull_down = formula.calculate_on_resistance(
                cell.width_sram_cell_nmos * finfet_width_factor(tech) * tech.feature_size,
                NMOS, ctx.input.temperature, tech)
            bl_cap = self.cap_col / rows
            bl_res = self.res_col / rows
            elmore = (self.res_cell_access + res_pull_down) * bl_cap * rows \
                + bl_cap * bl_res * rows * (rows + 1) / 2
            self.col_delay = elmore * math.log(
                tech.vdd / (tech.vdd - cell.min_sense_voltage / 2)) * rows
            self.read_whole_latency += self.wl_decoder.read_latency \
                + self.precharger.read_latency + self.col_delay + self.sense_amp.read_latency
            self.write_whole_latency += self.precharger.write_latency + max(
                self.wl_decoder.write_latency, self.sram_write_driver.write_latency)
        else:
            cap = self.dff.h_dff * self.interface_width * 0.2e-15 / 1e-6
            if ctx.bug(BUFFER_DFF_DECODER_ARGS):
                # arguments shifted by one slot; resRow is never set in this mode (0)
                self.wl_decoder.calculate_latency(1e20, cap, 0.0, self.num_col, 0, rows, rows)
            else:
                self.wl_decoder.calculate_latency(1e20, cap, 0, 0, self.num_col, rows, rows)
            half_clock = 1 / self.clk_freq / 2  # DFF access time
            self.read_whole_latency += self.wl_decoder.read_latency
            self.read_whole_latency += half_clock * rows
            self.write_whole_latency += self.wl_decoder.write_latency + half_clock * rows
        self.avg_bit_read_latency = self.read_whole_latency / rows  # per line
        self.avg_bit_write_latency = self.write_whole_latency / rows
        self.read_latency = self.avg_bit_read_latency * num_read
        self.write_latency = self.avg_bit_write_latency * num_write

    def calculate_power(self, num_access_bit_read: float, num_read: float,
                        num_access_bit_write: float, num_write: float) -> None:
        require_initialized(self, "calculate_power")
        ctx = self.ctx
        tech, cell = ctx.tech, ctx.cell
        vdd = tech.vdd
        self.read_dynamic_energy = 0.0
        self.write_dynamic_energy = 0.0
        self.leakage = 0.0
        read_whole = 0.0
        write_whole = 0.0
        if self.sram:
            rows = self.num_row
            self.wl_decoder.calculate_power(rows, rows)
            self.precharger.calculate_power(rows, rows)
            self.sram_write_driver.calculate_power(rows)
            self.sense_amp.calculate_power(rows)
            read_whole += self.wl_decoder.read_dynamic_energy \
                + self.precharger.read_dynamic_energy + self.sense_amp.read_dynamic_energy
            write_whole += self.wl_decoder.write_dynamic_energy \
                + self.precharger.write_dynamic_energy + self.sram_write_driver.write_dynamic_energy
            self.leakage += self.wl_decoder.leakage + self.precharger.leakage \
                + self.sram_write_driver.leakage + self.sense_amp.leakage
            read_whole += self.cap_row1 * vdd * vdd * rows  # word line
            write_whole += cell.cap_sram_cell * vdd * vdd * self.num_bit  # flip Q and Q_bar
            write_whole += self.cap_row1 * vdd * vdd * rows
        else:
            if ctx.bug(BUFFER_DFF_DECODER_INT_ROWS):
                lines = self.num_bit // self.interface_width
            else:
                lines = self.num_row
            self.wl_decoder.calculate_power(lines, lines)
            self.dff.calculate_power(1, self.num_bit, True)
            read_whole += self.wl_decoder.read_dynamic_energy + self.dff.read_dynamic_energy
            write_whole += self.wl_decoder.write_dynamic_energy + self.dff.write_dynamic_energy
            self.leakage += self.dff.leakage
            self.leakage += self.wl_decoder.leakage
        self.read_whole_dynamic_energy = read_whole
        self.write_whole_dynamic_energy = write_whole
        self.avg_bit_read_dynamic_energy = read_whole / self.num_bit
        self.avg_bit_write_dynamic_energy = write_whole / self.num_bit
        self.read_dynamic_energy = self.avg_bit_read_dynamic_energy * num_access_bit_read \
            * num_read
        self.write_dynamic_energy = self.avg_bit_write_dynamic_energy * num_access_bit_write \
            * num_write
