"""Max-pooling unit built of bit-serial comparators (NeuroSim V1.4 ``MaxPooling``)."""

from __future__ import annotations

from typing import Any

from neurosim.primitives import formula
from neurosim.primitives.constants import (
    INV,
    MAX_TRANSISTOR_HEIGHT,
    MIN_NMOS_SIZE,
    NAND,
    NMOS,
    NOR,
)
from neurosim.primitives.function_unit import FunctionUnit, apply_area_option, require_initialized

from .common import cycles


class MaxPooling(FunctionUnit):
    """``num_max_pooling`` max-pooling units (MPUs) over a ``window`` of ``num_bit``-bit values.

    An MPU is a tree of ``num_comparator`` N-bit comparators in ``num_stage`` stages; each
    N-bit comparator is N one-bit comparators (plus 4 TG and 1 INV of enable each) and
    3 TG, 3 INV, an AND, a NOR2 and a num_bit-input NOR. Delay per stage: half the 1-bit
    comparator chain (the search stops half-way on average) then the NOR -> INV -> TG
    Horowitz stages; energy likewise charges the control gates once (activity ``epsilon``
    when validated) plus half the 1-bit comparators.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False
        self.comparator = ctx.circuit("comparator")(ctx)

    def initialize(self, num_bit: int, window: int, num_max_pooling: int,
                   clk_freq: float) -> None:
        tech = self.ctx.tech
        f, pn = tech.feature_size, tech.pn_size_ratio
        cell_h = f * MAX_TRANSISTOR_HEIGHT
        self.num_bit = int(num_bit)
        self.window = int(window)
        self.num_max_pooling = int(num_max_pooling)
        self.clk_freq = clk_freq
        # comparator tree over the window: n/2 comparators per stage, plus one for an odd n
        self.num_comparator = 0
        self.num_stage = 0
        n = self.window
        m = n % 2
        while n != 0:
            self.num_comparator += n // 2
            self.num_stage += 1
            n //= 2
        self.num_comparator += m
        self.num_stage += m
        self.width_inv_n, self.width_inv_p = formula.enlarge_size(
            MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, cell_h, tech)
        self.width_nand_n, self.width_nand_p = formula.enlarge_size(
            2 * MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, cell_h, tech)
        self.width_nor_n, self.width_nor_p = formula.enlarge_size(
            4 * MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, cell_h, tech)
        self.width_nor_n2, self.width_nor_p2 = formula.enlarge_size(
            (self.num_bit * 2) * MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, cell_h, tech)
        self.comparator.initialize(1, 1)  # one 1-bit comparator
        self.initialized = True

    def calculate_unit_area(self, option: int) -> None:
        """Area of one MPU (``area_unit``) and the gate capacitances."""
        require_initialized(self, "calculate_unit_area")
        tech = self.ctx.tech
        cell_h = tech.feature_size * MAX_TRANSISTOR_HEIGHT
        _, h_inv, w_inv = formula.calculate_gate_area(
            INV, 1, self.width_inv_n, self.width_inv_p, cell_h, tech)
        _, h_nand, w_nand = formula.calculate_gate_area(
            NAND, 2, self.width_nand_n, self.width_nand_p, cell_h, tech)
        _, h_nor, w_nor = formula.calculate_gate_area(
            NOR, 2, self.width_nor_n, self.width_nor_p, cell_h, tech)
        _, h_nor2, w_nor2 = formula.calculate_gate_area(
            NOR, self.num_bit, self.width_nor_n2, self.width_nor_p2, cell_h, tech)
        self.comparator.calculate_unit_area(option)
        area = (self.comparator.area_unit + (h_inv * w_inv) * 5) * self.num_bit
        area += ((h_inv * w_inv) * 6) + (h_nand * w_nand + h_inv * w_inv) + (h_nor * w_nor) \
            + (h_nor2 * w_nor2)
        area *= self.num_comparator
        self.area_unit = area
        apply_area_option(self, self.new_height, self.new_width, option)
        self.cap_inv_input, self.cap_inv_output = formula.calculate_gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)
        self.cap_nand_input, self.cap_nand_output = formula.calculate_gate_capacitance(
            NAND, 2, self.width_nand_n, self.width_nand_p, h_nand, tech)
        self.cap_nor_input, self.cap_nor_output = formula.calculate_gate_capacitance(
            NOR, 2, self.width_nor_n, self.width_nor_p, h_nor, tech)
        self.cap_nor2_input, self.cap_nor2_output = formula.calculate_gate_capacitance(
            NOR, self.num_bit, self.width_nor_n2, self.width_nor_p2, h_nor2, tech)

    def calculate_area(self, width_array: float) -> None:
        require_initialized(self, "calculate_area")
        self.width = width_array
        self.area = self.area_unit * self.num_max_pooling
        self.height = self.area / self.width

    def _nmos_stage(self, width: float, cap: float, ramp_in: float) -> tuple[float, float]:
        tech = self.ctx.tech
        res = formula.calculate_on_resistance(width, NMOS, self.ctx.input.temperature, tech) * 2
        tr = res * cap
        gm = formula.calculate_transconductance(width, NMOS, tech)
        return formula.horowitz(tr, 1 / (res * gm), ramp_in)

    def calculate_latency(self, ramp_input: float, cap_load: float, num_read: float) -> None:
        require_initialized(self, "calculate_latency")
        self.ramp_input = ramp_input
        self.cap_load = cap_load
        latency = 0.0
        self.comparator.calculate_latency(ramp_input, self.cap_inv_output * 2, 1)
        latency += self.comparator.read_latency * self.num_bit / 2  # stops half-way
        # Gout through the num_bit-input NOR, an INV and a TG
        d, _ = self._nmos_stage(self.width_nor_n2,
                                self.cap_inv_input * 2 + self.num_bit * self.cap_inv_output, 1e20)
        latency += d
        d, ramp_inv = self._nmos_stage(self.width_inv_n,
                                       self.cap_inv_input + self.cap_nor2_output, 1e20)
        latency += d
        d, _ = self._nmos_stage(self.width_inv_n, self.cap_inv_input * 2 + cap_load, ramp_inv)
        latency += d
        if self.ctx.param.synchronous:
            latency = cycles(latency, self.clk_freq)
        latency *= self.num_stage
        latency *= num_read
        self.read_latency = latency

    def calculate_power(self, num_read: float) -> None:
        require_initialized(self, "calculate_power")
        tech, param = self.ctx.tech, self.ctx.param
        vdd = tech.vdd
        self.leakage = 0.0
        self.leakage += formula.calculate_gate_leakage(
            INV, 1, self.width_inv_n, self.width_inv_p, self.ctx.input.temperature,
            tech) * vdd * self.num_comparator * self.num_max_pooling
        self.comparator.calculate_power(1, 1)  # one 1-bit comparison
        e = 0.0
        e += (self.cap_nand_input + self.cap_inv_output) * vdd * vdd  # AND
        e += (self.cap_nor_input + self.cap_inv_output) * vdd * vdd  # NOR
        e += (self.cap_inv_input + self.cap_inv_output) * vdd * vdd * 2  # INV
        e += (self.cap_nor2_input + self.cap_inv_output) * vdd * vdd  # num_bit-input NOR
        if param.validated:
            e *= param.epsilon
        e += self.comparator.read_dynamic_energy * self.num_bit / 2
        e *= self.num_comparator
        e *= self.num_max_pooling
        e *= num_read
        self.read_dynamic_energy = e
