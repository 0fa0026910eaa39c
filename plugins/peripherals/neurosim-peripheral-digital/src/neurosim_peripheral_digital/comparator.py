"""Magnitude comparator bank (NeuroSim V1.4 ``Comparator``)."""

from __future__ import annotations

from typing import Any

from neurosim.primitives import formula
from neurosim.primitives.constants import (
    INV,
    MAX_TRANSISTOR_HEIGHT,
    MIN_NMOS_SIZE,
    NAND,
    NMOS,
    PMOS,
)
from neurosim.primitives.function_unit import FunctionUnit, apply_area_option, require_initialized


class Comparator(FunctionUnit):
    """``num_comparator`` ripple comparators of ``num_bit`` bits.

    Each bit slice is 4 INV + 4 NAND2 + 3 NAND3. Delay follows the greater-than signal
    through a NAND2 -> NAND3 Horowitz stage pair per bit (the middle bits repeat one pair,
    counted num_bit - 2 times); dynamic energy charges every gate's input and output once
    per bit, scaled by the control-circuit activity ``epsilon`` when validated.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False

    def initialize(self, num_bit: int, num_comparator: int) -> None:
        tech = self.ctx.tech
        f, pn = tech.feature_size, tech.pn_size_ratio
        cell_h = f * MAX_TRANSISTOR_HEIGHT
        self.num_bit = int(num_bit)
        self.num_comparator = int(num_comparator)
        self.width_inv_n, self.width_inv_p = formula.enlarge_size(
            MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, cell_h, tech)
        self.width_nand2_n, self.width_nand2_p = formula.enlarge_size(
            2 * MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, cell_h, tech)
        self.width_nand3_n, self.width_nand3_p = formula.enlarge_size(
            3 * MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, cell_h, tech)
        self.initialized = True

    def calculate_unit_area(self, option: int) -> None:
        """Area of one num_bit-bit comparator (``area_unit``) and the gate capacitances."""
        require_initialized(self, "calculate_unit_area")
        tech = self.ctx.tech
        cell_h = tech.feature_size * MAX_TRANSISTOR_HEIGHT
        _, h_inv, w_inv = formula.calculate_gate_area(
            INV, 1, self.width_inv_n, self.width_inv_p, cell_h, tech)
        _, h_nand2, w_nand2 = formula.calculate_gate_area(
            NAND, 2, self.width_nand2_n, self.width_nand2_p, cell_h, tech)
        _, h_nand3, w_nand3 = formula.calculate_gate_area(
            NAND, 3, self.width_nand3_n, self.width_nand3_p, cell_h, tech)
        self.area_unit = ((h_inv * w_inv) * 4 + (h_nand2 * w_nand2) * 4
                          + (h_nand3 * w_nand3) * 3) * self.num_bit
        apply_area_option(self, self.new_height, self.new_width, option)
        self.cap_inv_input, self.cap_inv_output = formula.calculate_gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)
        self.cap_nand2_input, self.cap_nand2_output = formula.calculate_gate_capacitance(
            NAND, 2, self.width_nand2_n, self.width_nand2_p, h_nand2, tech)
        self.cap_nand3_input, self.cap_nand3_output = formula.calculate_gate_capacitance(
            NAND, 3, self.width_nand3_n, self.width_nand3_p, h_nand3, tech)

    def calculate_area(self, width_array: float) -> None:
        require_initialized(self, "calculate_area")
        self.width = width_array
        self.area = self.area_unit * self.num_comparator
        self.height = self.area / self.width

    def _nand2_stage(self, cap: float, ramp_in: float) -> tuple[float, float]:
        tech = self.ctx.tech
        res = formula.calculate_on_resistance(self.width_nand2_n, NMOS,
                                              self.ctx.input.temperature, tech) * 2
        tr = res * cap
        gm = formula.calculate_transconductance(self.width_nand2_n, NMOS, tech)
        return formula.horowitz(tr, 1 / (res * gm), ramp_in)

    def _nand3_stage(self, cap: float, ramp_in: float) -> tuple[float, float]:
        tech = self.ctx.tech
        res = formula.calculate_on_resistance(self.width_nand3_p, PMOS,
                                              self.ctx.input.temperature, tech)
        tr = res * cap
        gm = formula.calculate_transconductance(self.width_nand3_p, PMOS, tech)
        return formula.horowitz(tr, 1 / (res * gm), ramp_in)

    def calculate_latency(self, ramp_input: float, cap_load: float, num_read: float) -> None:
        require_initialized(self, "calculate_latency")
        self.ramp_input = ramp_input
        self.cap_load = cap_load
        n2 = self.cap_nand2_output + self.cap_nand3_input
        n3 = self.cap_nand3_output + self.cap_nand2_input
        latency = 0.0
        intermediate = 0.0
        d, ramp2 = self._nand2_stage(n2, ramp_input)  # first bit
        latency += d
        d, ramp3 = self._nand3_stage(n3, ramp2)
        latency += d
        d, ramp2 = self._nand2_stage(n2, ramp3)  # bits 2 .. N-1
        intermediate += d
        d, ramp3 = self._nand3_stage(n3, ramp2)
        intermediate += d
        latency += intermediate * (self.num_bit - 2)
        d, ramp2 = self._nand2_stage(n2, ramp3)  # last bit drives the load
        latency += d
        d, ramp3 = self._nand3_stage(self.cap_nand3_output + cap_load, ramp2)
        latency += d
        latency *= num_read
        self.read_latency = latency
        self.ramp_output = ramp3

    def calculate_power(self, num_read: float, num_comparator_per_operation: int) -> None:
        require_initialized(self, "calculate_power")
        tech, param = self.ctx.tech, self.ctx.param
        vdd, temp = tech.vdd, self.ctx.input.temperature
        nb, nc = self.num_bit, self.num_comparator
        self.leakage = 0.0
        self.leakage += formula.calculate_gate_leakage(
            INV, 1, self.width_inv_n, self.width_inv_p, temp, tech) * vdd * 4 * nb * nc
        self.leakage += formula.calculate_gate_leakage(
            NAND, 2, self.width_nand2_n, self.width_nand2_p, temp, tech) * vdd * 4 * nb * nc
        self.leakage += formula.calculate_gate_leakage(
            NAND, 3, self.width_nand3_n, self.width_nand3_p, temp, tech) * vdd * 3 * nb * nc
        e = 0.0
        e += ((self.cap_inv_input + self.cap_inv_output) * 4) * vdd * vdd
        e += ((self.cap_nand2_input + self.cap_nand2_output) * 4) * vdd * vdd
        e += ((self.cap_nand3_input + self.cap_nand3_output) * 3) * vdd * vdd
        e *= nb * min(int(num_comparator_per_operation), nc) * num_read
        if param.validated:
            e *= param.epsilon  # switching activity of control circuits
        self.read_dynamic_energy = e
