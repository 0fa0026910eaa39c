"""Row / column address decoder with 2-bit predecoding (NeuroSim V1.4 ``RowDecoder``)."""

from __future__ import annotations

import math
import warnings
from typing import Any

from neurosim.primitives import formula
from neurosim.primitives.constants import (
    INV,
    MAX_TRANSISTOR_HEIGHT,
    MIN_NMOS_SIZE,
    NAND,
    NMOS,
    NOR,
    PMOS,
    AreaModify,
    DecoderMode,
)
from neurosim.primitives.function_unit import FunctionUnit, apply_area_option, require_initialized

from .bugs import ROW_DECODER_INV_COLUMNS
from .common import ieee_div
from .layout import metal_pitches_f

#: what NeuroSim prints (and goes on) when one gate is taller / wider than the assigned
#: height / width; the folding then gives that stage no column (row) and no area
_TOO_LARGE = "[Row Decoder] Error: Row Decoder width is even larger than the assigned width !"


class RowDecoder(FunctionUnit):
    """Address decoder: inverters, NAND2 predecoders, ceil(N/2)-input NORs, output drivers.

    ``num_addr_row`` address bits drive ``num_addr_row`` inverters, ``4 * floor(N/2)`` NAND2
    predecoders and ``2**N`` NOR gates (N > 2). Each NOR drives either two inverters (regular
    decoder) or, for a column-mux decoder (``mux``), a NAND + INV enable stage and an INV so that
    both gates of the transmission gates are driven. Delay is a chain of Horowitz stages with
    RC time constants; the regular driver adds the Elmore delay of the distributed load
    ``res_load * (cap_load1 + cap_load1 / colnum) / 2``. Dynamic energy is C * Vdd^2 of the
    nodes that switch for one address change (every address line from 0 to 1).
    ``parallel`` widens every gate 8x (the mux decoder of the parallel read mode).
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False

    # ------------------------------------------------------------------------------------
    def initialize(self, mode: int, num_addr_row: int, mux: bool, parallel: bool) -> None:
        tech, param = self.ctx.tech, self.ctx.param
        f = tech.feature_size
        pn = tech.pn_size_ratio
        self.mode = DecoderMode(mode)
        self.num_addr_row = int(num_addr_row)
        self.mux = bool(mux)
        self.parallel = bool(parallel)
        n = self.num_addr_row
        nor_inputs = math.ceil(n / 2)

        if self.parallel:
            self.width_inv_n = 8 * MIN_NMOS_SIZE * f
            self.width_inv_p = 8 * pn * MIN_NMOS_SIZE * f
            self.width_nand_n = 8 * 2 * MIN_NMOS_SIZE * f
            self.width_nand_p = 8 * pn * MIN_NMOS_SIZE * f
            self.width_nor_n = 8 * MIN_NMOS_SIZE * f
            self.width_nor_p = 8 * nor_inputs * pn * MIN_NMOS_SIZE * f
            self.width_driver_inv_n = 8 * 3 * MIN_NMOS_SIZE * f
            self.width_driver_inv_p = 8 * 3 * pn * MIN_NMOS_SIZE * f
        else:
            cell_h = f * MAX_TRANSISTOR_HEIGHT
            self.width_inv_n, self.width_inv_p = formula.enlarge_size(
                MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, cell_h, tech)
            self.width_nand_n, self.width_nand_p = formula.enlarge_size(
                2 * MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, cell_h, tech)
            self.width_nor_n, self.width_nor_p = formula.enlarge_size(
                MIN_NMOS_SIZE * f, nor_inputs * pn * MIN_NMOS_SIZE * f, cell_h, tech)
            # Final driver: sized by the per-node factor of the mux or word-line decoder.
            sizing = param.sizingfactor_mux if self.mux else param.sizingfactor_w_ldecoder
            self.width_driver_inv_n = 2 * MIN_NMOS_SIZE * f * sizing
            self.width_driver_inv_p = 2 * pn * MIN_NMOS_SIZE * f * sizing

        self.num_inv = n  # the output-driver inverters are counted separately
        self.num_nand = 4 * (n // 2)
        self.num_nor = 2 ** n if n > 2 else 0
        # M3 tracks between the NAND2 and NOR stages.
        self.num_metal_connection = self.num_nand + (n % 2) * 2 if n > 2 else 0
        self.initialized = True

    # ------------------------------------------------------------------------------------
    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        tech = self.ctx.tech
        f = tech.feature_size
        cell_h = f * MAX_TRANSISTOR_HEIGHT
        metal2_pitch, metal3_pitch = metal_pitches_f(tech)
        nor_inputs = math.ceil(self.num_addr_row / 2)

        _, h_inv, w_inv = formula.calculate_gate_area(
            INV, 1, self.width_inv_n, self.width_inv_p, cell_h, tech)
        _, h_nand, w_nand = formula.calculate_gate_area(
            NAND, 2, self.width_nand_n, self.width_nand_p, cell_h, tech)
        _, h_nor, w_nor = formula.calculate_gate_area(
            NOR, nor_inputs, self.width_nor_n, self.width_nor_p, cell_h, tech)
        _, h_drv, w_drv = formula.calculate_gate_area(
            INV, 1, self.width_driver_inv_n, self.width_driver_inv_p, cell_h, tech)

        fixed = option == AreaModify.NONE
        if self.mode == DecoderMode.REGULAR_ROW:
            if new_height and fixed:
                if h_nor > new_height or h_nand > new_height or h_inv > new_height:
                    warnings.warn(_TOO_LARGE, stacklevel=2)
                self._columns_for_height(new_height, h_inv, h_nand, h_nor)
                self.height = new_height
                self.width = (w_inv * self.num_col_inv + w_nand * self.num_col_nand
                              + metal3_pitch * self.num_metal_connection * f
                              + w_nor * self.num_col_nor)
                if self.mux:  # NAND + INV enable stage and one INV per NOR
                    self.width += (w_nand + w_drv * 2) * self.num_col_nor
                else:  # two output inverters per NOR
                    self.width += (w_drv * 2) * self.num_col_nor
            else:
                self.height = max(h_nor * self.num_nor, h_nand * self.num_nand)
                self.width = w_inv + w_nand + metal3_pitch * self.num_metal_connection * f + w_nor
                if self.mux:
                    self.width += w_nand + w_drv * 2
                else:
                    self.width += w_drv * 2
        else:  # REGULAR_COL
            if new_width and fixed:
                if w_nor > new_width or w_nand > new_width or w_inv > new_width:
                    warnings.warn(_TOO_LARGE, stacklevel=2)
                self._rows_for_width(new_width, w_inv, w_nand, w_nor)
                self.width = new_width
                self.height = (h_inv * self.num_row_inv + h_nand * self.num_row_nand
                               + metal2_pitch * self.num_metal_connection * f
                               + h_nor * self.num_row_nor)
                if self.mux:
                    self.height += (h_nand + h_drv * 2) * self.num_row_nor
                else:
                    self.height += (h_drv * 2) * self.num_row_nor
            else:
                self.height = h_inv + h_nand + metal2_pitch * self.num_metal_connection * f + h_nor
                self.width = max(w_nor * self.num_nor, w_nand * self.num_nand)
                if self.mux:
                    self.height += h_nand + h_drv * 2
                else:
                    self.height += h_drv * 2
        self.area = self.height * self.width
        apply_area_option(self, new_height, new_width, option)

        self.cap_inv_input, self.cap_inv_output = formula.calculate_gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)
        if self.num_nand:
            self.cap_nand_input, self.cap_nand_output = formula.calculate_gate_capacitance(
                NAND, 2, self.width_nand_n, self.width_nand_p, h_nand, tech)
        else:
            self.cap_nand_input = self.cap_nand_output = 0.0
        if self.num_nor:
            self.cap_nor_input, self.cap_nor_output = formula.calculate_gate_capacitance(
                NOR, nor_inputs, self.width_nor_n, self.width_nor_p, h_nor, tech)
        else:
            self.cap_nor_input = self.cap_nor_output = 0.0
        self.cap_driver_inv_input, self.cap_driver_inv_output = formula.calculate_gate_capacitance(
            INV, 1, self.width_driver_inv_n, self.width_driver_inv_p, h_drv, tech)

    def _columns_for_height(self, new_height: float, h_inv: float, h_nand: float,
                            h_nor: float) -> None:
        """Fold each gate stage into columns that fit ``new_height`` (row decoder)."""
        self.num_col_nor = 0
        self.num_nor_per_col = min(int(new_height / h_nor), self.num_nor)
        if self.num_nor_per_col > 0:
            self.num_col_nor = math.ceil(self.num_nor / self.num_nor_per_col)
        self.num_col_nand = 0
        self.num_nand_per_col = min(int(new_height / h_nand), self.num_nand)
        if self.num_nand_per_col > 0:
            self.num_col_nand = math.ceil(self.num_nand / self.num_nand_per_col)
        self.num_col_inv = 0
        self.num_inv_per_col = min(int(new_height / h_inv), self.num_inv)
        # NeuroSim guards this with the (still zero) column count itself.
        guard = self.num_col_inv if self.ctx.bug(ROW_DECODER_INV_COLUMNS) else self.num_inv_per_col
        if guard > 0:
            self.num_col_inv = math.ceil(self.num_inv / self.num_inv_per_col)

    def _rows_for_width(self, new_width: float, w_inv: float, w_nand: float,
                        w_nor: float) -> None:
        """Fold each gate stage into rows that fit ``new_width`` (column decoder)."""
        self.num_row_nor = 0
        self.num_nor_per_row = min(int(new_width / w_nor), self.num_nor)
        if self.num_nor_per_row > 0:
            self.num_row_nor = math.ceil(self.num_nor / self.num_nor_per_row)
        self.num_row_nand = 0
        self.num_nand_per_row = min(int(new_width / w_nand), self.num_nand)
        if self.num_nand_per_row > 0:
            self.num_row_nand = math.ceil(self.num_nand / self.num_nand_per_row)
        self.num_inv_per_row = min(int(new_width / w_inv), self.num_inv)
        self.num_row_inv = math.ceil(self.num_inv / self.num_inv_per_row)

    # ------------------------------------------------------------------------------------
    def calculate_latency(self, ramp_input: float, cap_load1: float, cap_load2: float,
                          res_load: float, colnum: float, num_read: float,
                          num_write: float) -> None:
        """Horowitz chain INV -> NAND2 -> NOR -> driver; ``cap_load1``/``cap_load2`` are the
        NMOS / PMOS gate loads of the mux transmission gates (or the word line for a regular
        decoder, with ``res_load`` its resistance over ``colnum`` cells)."""
        require_initialized(self, "calculate_latency")
        tech = self.ctx.tech
        temp = self.ctx.input.temperature
        self.ramp_input = ramp_input
        self.cap_load1 = cap_load1
        self.cap_load2 = cap_load2
        latency = 0.0
        ramp_inv_output = ramp_nand_output = ramp_nor_output = 1e20

        def stage(width: float, kind: int, series: int, cap: float, ramp: float,
                  extra_tr: float = 0.0) -> tuple[float, float]:
            res = formula.calculate_on_resistance(width, kind, temp, tech)
            if series != 1:
                res = res * series
            tr = res * cap + extra_tr if extra_tr else res * cap
            gm = formula.calculate_transconductance(width, kind, tech)
            beta = 1 / (res * gm)
            return formula.horowitz(tr, beta, ramp)

        # Address inverters: each drives two NAND2 inputs (or the load when N <= 2).
        load = self.cap_nand_input * 2 if self.num_nand else cap_load1
        delay, ramp_inv_output = stage(self.width_inv_n, NMOS, 1, self.cap_inv_output + load,
                                       ramp_input)
        latency += delay
        if not self.num_nand:
            self.ramp_output = ramp_inv_output

        if self.num_nand:  # NAND2 predecoder (two NMOS in series)
            load = self.cap_nor_input * self.num_nor / 4 if self.num_nor else cap_load1
            delay, ramp_nand_output = stage(self.width_nand_n, NMOS, 2,
                                            self.cap_nand_output + load, ramp_inv_output)
            latency += delay
            if not self.num_nor:
                self.ramp_output = ramp_nand_output

        if self.num_nor:  # NOR (two PMOS in series)
            load = self.cap_nand_input if self.mux else self.cap_inv_input
            delay, ramp_nor_output = stage(self.width_nor_p, PMOS, 2,
                                           self.cap_nor_output + load, ramp_nand_output)
            latency += delay
            self.ramp_output = ramp_nor_output

        if self.mux:  # enable NAND, then INV driving the NMOS gates, INV driving the PMOS gates
            delay, ramp_nand_output = stage(self.width_nand_n, NMOS, 1,
                                            self.cap_nand_output + self.cap_inv_input,
                                            ramp_nor_output)
            latency += delay
            delay, ramp_inv_output = stage(
                self.width_driver_inv_p, PMOS, 1,
                self.cap_driver_inv_output + self.cap_driver_inv_input + cap_load1,
                ramp_nand_output)
            latency += delay
            delay, _ = stage(self.width_driver_inv_n, NMOS, 1,
                             self.cap_driver_inv_output + cap_load2, ramp_inv_output)
            latency += delay
            self.ramp_output = ramp_inv_output
        else:  # two output inverters; the second sees the distributed word-line RC
            delay, ramp_inv_output = stage(self.width_driver_inv_n, NMOS, 1,
                                           self.cap_driver_inv_output + self.cap_driver_inv_input,
                                           ramp_nor_output)
            latency += delay
            wire = (res_load * (cap_load1 + ieee_div(cap_load1, colnum))) / 2
            delay, _ = stage(self.width_driver_inv_p, PMOS, 1,
                             self.cap_driver_inv_output + cap_load1, ramp_inv_output,
                             extra_tr=wire)
            latency += delay
            self.ramp_output = ramp_inv_output

        # Read and write go through the same path.
        self.read_latency = latency * num_read
        self.write_latency = latency * num_write

    # ------------------------------------------------------------------------------------
    def calculate_power(self, num_read: float, num_write: float) -> None:
        require_initialized(self, "calculate_power")
        tech, param = self.ctx.tech, self.ctx.param
        temp = self.ctx.input.temperature
        vdd = tech.vdd
        n = self.num_addr_row
        nor_inputs = math.ceil(n / 2)

        leak = formula.calculate_gate_leakage
        self.leakage = 0.0
        self.leakage += leak(INV, 1, self.width_inv_n, self.width_inv_p, temp, tech) * vdd \
            * self.num_inv
        self.leakage += leak(NAND, 2, self.width_nand_n, self.width_nand_p, temp, tech) * vdd \
            * self.num_nand
        self.leakage += leak(NOR, nor_inputs, self.width_nor_n, self.width_nor_p, temp, tech) \
            * vdd * self.num_nor
        if self.mux:  # NeuroSim counts the enable stage with the predecoder inverter size
            self.leakage += leak(NAND, 2, self.width_nand_n, self.width_nand_p, temp, tech) \
                * vdd * self.num_nor
            self.leakage += leak(INV, 1, self.width_inv_n, self.width_inv_p, temp, tech) \
                * vdd * 2 * self.num_nor
        else:
            self.leakage += leak(INV, 1, self.width_driver_inv_n, self.width_driver_inv_p,
                                 temp, tech) * vdd * 2 * self.num_nor

        # One address change with every address line going 0 -> 1.
        energy = 0.0
        energy += (self.cap_inv_input + self.cap_nand_input * 2) * vdd * vdd * (n // 2) * 2
        energy += (self.cap_inv_input + self.cap_nor_input * self.num_nor / 2) * vdd * vdd \
            * (n - (n // 2) * 2)  # odd address bit
        # one NAND output of every group of four switches
        energy += (self.cap_nand_output + self.cap_nor_input * self.num_nor / 4) * vdd * vdd \
            * self.num_nand / 4
        # one NOR output switches
        if self.mux:
            energy += (self.cap_nor_output + self.cap_nand_input) * vdd * vdd
        else:
            energy += (self.cap_nor_output + self.cap_inv_input) * vdd * vdd
        if self.mux:
            energy += (self.cap_nand_output + self.cap_driver_inv_input) * vdd * vdd
            energy += (self.cap_driver_inv_output + self.cap_driver_inv_input) * vdd * vdd
            energy += self.cap_driver_inv_output * vdd * vdd
        else:
            energy += (self.cap_driver_inv_input + self.cap_driver_inv_output) * vdd * vdd * 2

        self.read_dynamic_energy = energy * num_read
        self.write_dynamic_energy = energy * num_write
        if param.validated:  # switching activity of control circuits
            self.read_dynamic_energy *= param.epsilon
