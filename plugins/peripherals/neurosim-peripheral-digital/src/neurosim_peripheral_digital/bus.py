"""Repeated on-chip bus between sub-arrays or processing elements (NeuroSim V1.4 ``Bus``)."""

from __future__ import annotations

import math
from typing import Any

from neurosim.primitives import formula
from neurosim.primitives.constants import (
    INV,
    MAX_TRANSISTOR_HEIGHT,
    MIN_NMOS_SIZE,
    NMOS,
    PMOS,
    BusMode,
)
from neurosim.primitives.function_unit import FunctionUnit, require_initialized

from .bugs import BUS_WIRE_WIDTH_ACCUMULATES
from .common import cycles


class Bus(FunctionUnit):
    """``bus_width``-bit bus running along ``num_row`` x ``num_col`` units, with repeaters.

    Repeaters are sized and spaced for minimum delay of a distributed RC wire (Bakoglu):
    size sqrt(R_inv c_wire / (C_inv r_wire)), spacing sqrt(2 R_inv (C_in + C_out) /
    (r_wire c_wire)); with a delay tolerance the repeaters shrink (and spacing by 0.9x per
    step) until the delay per metre exceeds (1 + tolerance) x the minimum. The per-metre
    delay is the Elmore delay 0.7 (R (C_in + C_out + c L) + 0.54 r c L^2 + r L C_in) / L;
    energy per metre is (C_in + C_out + c L) Vdd^2 / L times half the bit toggle rate.
    The wire runs horizontally over num_col - 1 unit widths or vertically over
    num_row - 1 unit heights.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False
        self.wire_width = 0.0

    def _repeater_res(self, width_n: float, width_p: float) -> float:
        """Mean of the pull-down and pull-up on-resistances of an inverter."""
        tech, temp = self.ctx.tech, self.ctx.input.temperature
        return (formula.calculate_on_resistance(width_n, NMOS, temp, tech)
                + formula.calculate_on_resistance(width_p, PMOS, temp, tech)) / 2

    def _size_repeater(self, size: int) -> tuple[float, float]:
        """(cap_rep_input, cap_rep_output) of a repeater ``size`` x the minimum inverter."""
        tech = self.ctx.tech
        f, pn = tech.feature_size, tech.pn_size_ratio
        _, self.h_rep, self.w_rep = formula.calculate_gate_area(
            INV, 1, MIN_NMOS_SIZE * f * size, pn * MIN_NMOS_SIZE * f * size,
            f * MAX_TRANSISTOR_HEIGHT, tech)
        return formula.calculate_gate_capacitance(
            INV, 1, MIN_NMOS_SIZE * f * size, pn * MIN_NMOS_SIZE * f * size, self.h_rep, tech)

    def initialize(self, mode: int, num_row: int, num_col: int, delaytolerance: float,
                   bus_width: float, unit_height: float, unit_width: float,
                   clk_freq: float) -> None:
        tech, param = self.ctx.tech, self.ctx.param
        f, pn = tech.feature_size, tech.pn_size_ratio
        self.mode = BusMode(mode)
        self.num_row = int(num_row)
        self.num_col = int(num_col)
        self.unit_height = unit_height
        self.unit_width = unit_width
        self.clk_freq = clk_freq
        self.delaytolerance = delaytolerance
        self.bus_width = bus_width
        r_wire = self.unit_length_wire_resistance = param.unit_length_wire_resistance
        c_wire = self.unit_length_wire_cap = 0.2e-15 / 1e-6  # 0.2 fF/um

        # minimum inverter, for the optimal repeater size
        self.width_min_inv_n = MIN_NMOS_SIZE * f
        self.width_min_inv_p = pn * MIN_NMOS_SIZE * f
        _, self.h_min_inv, self.w_min_inv = formula.calculate_gate_area(
            INV, 1, self.width_min_inv_n, self.width_min_inv_p, f * MAX_TRANSISTOR_HEIGHT, tech)
        self.cap_min_inv_input, self.cap_min_inv_output = formula.calculate_gate_capacitance(
            INV, 1, self.width_min_inv_n, self.width_min_inv_p, self.h_min_inv, tech)
        res_on = self._repeater_res(self.width_min_inv_n, self.width_min_inv_p)
        self.repeater_size = int(math.floor(math.sqrt(
            res_on * c_wire / self.cap_min_inv_input / r_wire)))
        self.min_dist = math.sqrt(2 * res_on * (self.cap_min_inv_output + self.cap_min_inv_input)
                                  / (r_wire * c_wire))
        size = self.repeater_size
        self.cap_rep_input, self.cap_rep_output = self._size_repeater(size)
        res_on = self._repeater_res(MIN_NMOS_SIZE * f * size, pn * MIN_NMOS_SIZE * f * size)
        dist = self.min_dist
        self.min_delay = 0.7 * (res_on * (self.cap_rep_input + self.cap_rep_output
                                          + c_wire * dist)
                                + 0.54 * r_wire * dist * c_wire * dist
                                + r_wire * dist * self.cap_rep_input) / dist
        if delaytolerance:  # trade delay for energy: shrink repeaters, space them closer
            delay = 0.0
            while delay < self.min_delay * (1 + delaytolerance) and self.repeater_size >= 1:
                self.repeater_size -= 1
                self.min_dist *= 0.9
                size, dist = self.repeater_size, self.min_dist
                self.cap_rep_input, self.cap_rep_output = self._size_repeater(size)
                res_on = self._repeater_res(MIN_NMOS_SIZE * f * size,
                                            pn * MIN_NMOS_SIZE * f * size)
                delay = 0.7 * (res_on * (self.cap_rep_input + self.cap_rep_output
                                         + c_wire * dist)
                               + 0.54 * r_wire * dist * c_wire * dist
                               + r_wire * dist * self.cap_rep_input) / dist
        self.width_inv_n = max(1, self.repeater_size) * MIN_NMOS_SIZE * f
        self.width_inv_p = max(1, self.repeater_size) * pn * MIN_NMOS_SIZE * f
        if self.mode == BusMode.HORIZONTAL:
            self.wire_length = unit_width * (self.num_col - 1)
        else:
            self.wire_length = unit_height * (self.num_row - 1)
        self.initialized = True

    def calculate_area(self, foldedratio: float, over_lap: bool) -> None:
        require_initialized(self, "calculate_area")
        tech, param = self.ctx.tech, self.ctx.param
        _, self.h_inv, self.w_inv = formula.calculate_gate_area(
            INV, 1, self.width_inv_n, self.width_inv_p,
            tech.feature_size * MAX_TRANSISTOR_HEIGHT, tech)
        self.num_repeater = int(math.ceil(self.wire_length / self.min_dist))
        if self.num_repeater > 0:
            width = self.bus_width * self.w_inv / foldedratio
        else:
            width = self.bus_width * param.wire_width / foldedratio
        if self.ctx.bug(BUS_WIRE_WIDTH_ACCUMULATES):
            self.wire_width += width
        else:
            self.wire_width = width
        if not over_lap:
            self.area = self.num_row * self.wire_length * self.wire_width
        else:
            self.area = 0.0
        self.cap_inv_input, self.cap_inv_output = formula.calculate_gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, self.h_inv, tech)

    def calculate_latency(self, num_read: float) -> None:
        require_initialized(self, "calculate_latency")
        r_wire, c_wire = self.unit_length_wire_resistance, self.unit_length_wire_cap
        dist = self.min_dist
        res_on = self._repeater_res(self.width_inv_n, self.width_inv_p)
        self.unit_latency_rep = 0.7 * (res_on * (self.cap_inv_input + self.cap_inv_output
                                                 + c_wire * dist)
                                       + 0.54 * r_wire * dist * c_wire * dist
                                       + r_wire * dist * self.cap_inv_input) / dist
        self.unit_latency_wire = 0.7 * r_wire * dist * c_wire * dist / dist
        latency = 0.0
        if self.num_repeater > 0:
            latency += self.wire_length * self.unit_latency_rep
        else:
            latency += self.wire_length * self.unit_latency_wire
        if self.ctx.param.synchronous:
            latency = cycles(latency, self.clk_freq)
        latency *= num_read
        self.read_latency = latency

    def calculate_power(self, num_bit_access: float, num_read: float, input: bool) -> None:
        require_initialized(self, "calculate_power")
        tech, param = self.ctx.tech, self.ctx.param
        vdd = tech.vdd
        c_wire, dist = self.unit_length_wire_cap, self.min_dist
        self.unit_length_leakage = formula.calculate_gate_leakage(
            INV, 1, self.width_inv_n, self.width_inv_p, self.ctx.input.temperature,
            tech) * vdd / dist
        self.leakage = self.unit_length_leakage * self.wire_length * num_bit_access
        toggle = param.inputtoggle if input else param.outputtoggle
        self.unit_length_energy_rep = (self.cap_inv_input + self.cap_inv_output + c_wire * dist) \
            * vdd * vdd / dist * 0.5 * toggle
        self.unit_length_energy_wire = (c_wire * dist) * vdd * vdd / dist * 0.5 * toggle
        energy = 0.0
        if self.num_repeater > 0:
            energy += self.wire_length * self.unit_length_energy_rep
        else:
            energy += self.wire_length * self.unit_length_energy_wire
        energy *= num_bit_access * num_read
        self.read_dynamic_energy = energy
