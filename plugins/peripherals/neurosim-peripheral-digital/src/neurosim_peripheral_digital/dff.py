"""D flip-flop bank (NeuroSim V1.4 ``DFF``)."""

from __future__ import annotations

import math
from typing import Any

from neurosim.primitives import formula
from neurosim.primitives.constants import INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, AreaModify
from neurosim.primitives.function_unit import FunctionUnit, apply_area_option, require_initialized

from .common import CircuitSizeError, gaa_node


class DFF(FunctionUnit):
    """Bank of ``num_dff`` master-slave D flip-flops built of inverters and transmission gates.

    Area: one DFF is 12 minimum inverters side by side, packed into columns for a given
    height or rows for a given width. Latency: half a clock period per access (or one cycle
    in synchronous mode). Energy: C * Vdd^2 of the clock inverters and clock TGs of every DFF
    (4 inverter + 2 + 2 TG-gate charges per cycle) plus the D-to-Q path of the DFFs written;
    scaled by the switching activity ``gamma`` when validated. Leakage: 8 inverters per DFF.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False

    def initialize(self, num_dff: int, clk_freq: float) -> None:
        tech = self.ctx.tech
        self.num_dff = int(num_dff)
        self.clk_freq = clk_freq
        self.width_tg_n = MIN_NMOS_SIZE * tech.feature_size
        self.width_tg_p = tech.pn_size_ratio * MIN_NMOS_SIZE * tech.feature_size
        self.width_inv_n = MIN_NMOS_SIZE * tech.feature_size
        self.width_inv_p = tech.pn_size_ratio * MIN_NMOS_SIZE * tech.feature_size
        self.initialized = True

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        tech = self.ctx.tech
        f = tech.feature_size
        self.area = 0.0
        self.height = 0.0
        self.width = 0.0
        _, h_dff_inv, w_dff_inv = formula.calculate_gate_area(
            INV, 1, MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f,
            f * MAX_TRANSISTOR_HEIGHT, tech)
        self.h_dff = h_dff_inv
        self.w_dff = w_dff_inv * 12
        if self.num_dff < 1 and (new_height or new_width) and option == AreaModify.NONE:
            raise CircuitSizeError(f"DFF: a register of {self.num_dff} flip-flops was asked "
                                   "for (a zero bit width; check the precision options)")
        if new_height and option == AreaModify.NONE:  # columns of DFFs in the given height
            num_dff_per_col = min(int(new_height / self.h_dff), self.num_dff)
            if num_dff_per_col == 0:
                raise CircuitSizeError(
                    f"DFF: the assigned height {new_height:g} m is smaller than one DFF "
                    f"({self.h_dff:g} m)")
            num_col_dff = int(math.ceil(self.num_dff / num_dff_per_col))
            self.height = new_height
            self.width = self.w_dff * num_col_dff
        elif new_width and option == AreaModify.NONE:  # rows of DFFs in the given width
            num_dff_per_row = min(int(new_width / self.w_dff), self.num_dff)
            if num_dff_per_row == 0:
                raise CircuitSizeError(
                    f"DFF: the assigned width {new_width:g} m is smaller than one DFF "
                    f"({self.w_dff:g} m)")
            num_row_dff = int(math.ceil(self.num_dff / num_dff_per_row))
            self.width = new_width
            self.height = self.h_dff * num_row_dff
        else:  # one row
            self.width = self.w_dff * self.num_dff
            self.height = self.h_dff
        self.area = self.height * self.width
        apply_area_option(self, new_height, new_width, option)

        gaa = gaa_node(self.ctx)
        if gaa is not None:
            gate, n_tune, p_tune = gaa["inv_cap_factors"]
            self.cap_inv_input, self.cap_inv_output = formula.calculate_gate_capacitance_gaa(
                INV, 1, MIN_NMOS_SIZE * f, MIN_NMOS_SIZE * f, h_dff_inv, tech,
                gate, n_tune, p_tune)
            # C++: CalculateGateCap(...) * 1.0/2.0 (2 nm) or * 10.5/16.0 (1 nm)
            num, den = gaa["inv_scale"]
            self.cap_tg_gate_n = formula.calculate_gate_cap(self.width_tg_n, tech) * num / den
            self.cap_tg_gate_p = formula.calculate_gate_cap(self.width_tg_p, tech) * num / den
            self.cap_tg_drain = self.cap_inv_output
        else:
            self.cap_inv_input, self.cap_inv_output = formula.calculate_gate_capacitance(
                INV, 1, self.width_inv_n, self.width_inv_p, h_dff_inv, tech)
            self.cap_tg_gate_n = formula.calculate_gate_cap(self.width_tg_n, tech)
            self.cap_tg_gate_p = formula.calculate_gate_cap(self.width_tg_p, tech)
            _, self.cap_tg_drain = formula.calculate_gate_capacitance(
                INV, 1, self.width_tg_n, self.width_tg_p, h_dff_inv, tech)

    def calculate_latency(self, ramp_input: float, num_read: float) -> None:
        require_initialized(self, "calculate_latency")
        if self.ctx.param.synchronous:
            self.read_latency = num_read  # cycles
        else:
            self.ramp_input = ramp_input
            self.read_latency = 1 / self.clk_freq / 2
            self.read_latency *= num_read

    def calculate_power(self, num_read: float, num_dff_per_operation: float,
                        validated: bool) -> None:
        require_initialized(self, "calculate_power")
        tech, param = self.ctx.tech, self.ctx.param
        vdd = tech.vdd
        self.read_dynamic_energy = 0.0
        leak_inv = formula.calculate_gate_leakage(INV, 1, self.width_inv_n, self.width_inv_p,
                                                  self.ctx.input.temperature, tech)
        # 8 inverters per DFF; the GAA special layout scales by the gate factor
        gaa = gaa_node(self.ctx)
        if gaa is not None:
            num, den = gaa["inv_scale"]
            self.leakage = leak_inv * vdd * 8 * self.num_dff * num / den
        else:
            self.leakage = leak_inv * vdd * 8 * self.num_dff

        n_sel = min(num_dff_per_operation, self.num_dff)
        e = 0.0
        # clock inverters and clock transmission gates of every DFF
        e += (self.cap_inv_input + self.cap_inv_output) * vdd * vdd * 4 * self.num_dff
        e += self.cap_tg_gate_n * vdd * vdd * 2 * self.num_dff
        e += self.cap_tg_gate_p * vdd * vdd * 2 * self.num_dff
        # D-to-Q path of the selected DFFs: input side, feedback side, output side
        e += (self.cap_tg_drain * 3 + self.cap_inv_input) * vdd * vdd * n_sel
        e += (self.cap_tg_drain + self.cap_inv_output) * vdd * vdd * n_sel
        e += (self.cap_inv_input + self.cap_inv_output) * vdd * vdd * n_sel
        e *= num_read
        if validated:
            e *= param.gamma  # switching activity of shift-add / accumulator DFFs
        self.read_dynamic_energy = e
        self.write_dynamic_energy = self.read_dynamic_energy
