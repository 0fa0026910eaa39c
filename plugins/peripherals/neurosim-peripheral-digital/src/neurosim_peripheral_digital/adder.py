"""Ripple-carry adder bank built of NAND2 gates (NeuroSim V1.4 ``Adder``)."""

from __future__ import annotations

import warnings
from typing import Any

from neurosim.primitives import formula
from neurosim.primitives.constants import (
    MAX_TRANSISTOR_HEIGHT,
    MIN_NMOS_SIZE,
    NAND,
    NMOS,
    PMOS,
    AreaModify,
)
from neurosim.primitives.function_unit import FunctionUnit, apply_area_option, require_initialized

from .common import gaa_node



class Adder(FunctionUnit):
    """``num_adder`` ripple-carry adders of ``num_bit`` bits, 9 NAND2 gates per full adder.

    Delay is the carry chain as a series of Horowitz stages (RC time constant of each NAND's
    pull-down / pull-up against the next inputs); bits 2..N-1 repeat one stage pair.
    Dynamic energy counts the 0->1 transitions of the calibration pattern A=111..., B=100...,
    Cin=1 (C * Vdd^2 per node), scaled by the switching activity ``delta`` when validated.
    At 2 nm and below with the GAA special layout the gates use minimum widths and 1.5x
    pull-up / pull-down resistance.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False

    def initialize(self, num_bit: int, num_adder: int, clk_freq: float) -> None:
        tech = self.ctx.tech
        self.num_bit = int(num_bit)
        self.num_adder = int(num_adder)
        self.clk_freq = clk_freq
        self.width_nand_n, self.width_nand_p = formula.enlarge_size(
            2 * MIN_NMOS_SIZE * tech.feature_size,
            tech.pn_size_ratio * MIN_NMOS_SIZE * tech.feature_size,
            tech.feature_size * MAX_TRANSISTOR_HEIGHT, tech)
        self.initialized = True

    def _gaa_special(self) -> bool:
        return gaa_node(self.ctx) is not None

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        tech = self.ctx.tech
        f = tech.feature_size
        if self._gaa_special():
            _, h_nand, w_nand = formula.calculate_gate_area(
                NAND, 2, MIN_NMOS_SIZE * f, MIN_NMOS_SIZE * f, f * MAX_TRANSISTOR_HEIGHT, tech)
        else:
            _, h_nand, w_nand = formula.calculate_gate_area(
                NAND, 2, self.width_nand_n, self.width_nand_p, f * MAX_TRANSISTOR_HEIGHT, tech)
        self.area = 0.0
        self.height = 0.0
        self.width = 0.0
        if new_height and option == AreaModify.NONE:  # adders stacked in the given height
            self.h_adder = h_nand
            self.w_adder = w_nand * 9 * self.num_bit
            if self.h_adder > new_height:
                # NeuroSim reports this and leaves the area at 0
                self._size_warning("height")
            else:
                self.height = new_height
                self.width = self.w_adder * self.h_adder * self.num_adder / new_height
        elif new_width and option == AreaModify.NONE:  # bits stacked, adders side by side
            self.h_adder = h_nand * self.num_bit
            self.w_adder = w_nand * 9
            if self.w_adder > new_width:
                self._size_warning("width")
            else:
                self.width = new_width
                self.height = self.w_adder * self.h_adder * self.num_adder / new_width
        else:  # one row
            self.h_adder = h_nand
            self.w_adder = w_nand * 9 * self.num_bit
            self.width = self.w_adder * self.num_adder
            self.height = self.h_adder
        self.area = self.height * self.width
        apply_area_option(self, new_height, new_width, option)

        gaa = gaa_node(self.ctx)
        if gaa is not None:
            self.cap_nand_input, self.cap_nand_output = formula.calculate_gate_capacitance_gaa(
                NAND, 2, MIN_NMOS_SIZE * f, MIN_NMOS_SIZE * f, h_nand, tech,
                *gaa["nand_cap_factors"])
        else:
            self.cap_nand_input, self.cap_nand_output = formula.calculate_gate_capacitance(
                NAND, 2, self.width_nand_n, self.width_nand_p, h_nand, tech)

    def _size_warning(self, what: str) -> None:
        warnings.warn(f"Adder: a single adder's {what} exceeds the assigned {what}; "
                      "its area is left at 0 as in NeuroSim", stacklevel=3)

    def _stage(self, width: float, kind: int, cap: float, ramp_in: float) -> tuple[float, float]:
        """One Horowitz stage of a NAND2 pulling down (NMOS, x2 stack) or up (PMOS)."""
        tech = self.ctx.tech
        res = formula.calculate_on_resistance(width, kind, self.ctx.input.temperature, tech)
        if kind == NMOS:
            res = res * 2
        if self._gaa_special():
            res = res * 3.0 / 2.0
        tr = res * cap
        gm = formula.calculate_transconductance(width, kind, tech)
        beta = 1 / (res * gm)
        return formula.horowitz(tr, beta, ramp_in)

    def calculate_latency(self, ramp_input: float, cap_load: float, num_read: float) -> None:
        """Ripple-carry delay of one add (seven Horowitz stages, the middle two once per
        middle bit) times ``num_read``. The delay of one add depends only on the arguments
        and the gate sizes, so it is kept per instance (an adder tree asks for the same few
        widths over and over) and multiplied by ``num_read`` as before."""
        require_initialized(self, "calculate_latency")
        self.ramp_input = ramp_input
        self.cap_load = cap_load
        key = (ramp_input, cap_load, self.num_bit, self.width_nand_n, self.width_nand_p,
               self.cap_nand_input, self.cap_nand_output)
        memo = self.__dict__.setdefault("_latency_memo", {})
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = self._one_add_latency(ramp_input, cap_load)
        latency, ramp = hit
        latency *= num_read
        self.read_latency = latency
        self.ramp_output = ramp

    def _one_add_latency(self, ramp_input: float, cap_load: float) -> tuple[float, float]:
        """(delay of one add, output ramp) of :meth:`calculate_latency`."""
        cin, cout = self.cap_nand_input, self.cap_nand_output
        wn, wp = self.width_nand_n, self.width_nand_p
        latency = 0.0
        intermediate = 0.0
        d, ramp = self._stage(wn, NMOS, cout + cin * 3, ramp_input)  # 1st
        latency += d
        d, ramp = self._stage(wp, PMOS, cout + cin * 2, ramp)  # 2nd
        latency += d
        d, ramp = self._stage(wn, NMOS, cout + cin * 3, ramp)  # 3rd (repeated per middle bit)
        intermediate += d
        d, ramp = self._stage(wp, PMOS, cout + cin * 2, ramp)  # 4th (repeated per middle bit)
        intermediate += d
        if self.num_bit > 2:
            latency += intermediate * (self.num_bit - 2)
        d, ramp = self._stage(wn, NMOS, cout + cin * 3, ramp)  # 5th
        latency += d
        d, ramp = self._stage(wp, PMOS, cout + cin, ramp)  # 6th
        latency += d
        d, ramp = self._stage(wn, NMOS, cout + cap_load, ramp)  # 7th: drives the load
        latency += d
        return latency, ramp

    def calculate_power(self, num_read: float, num_adder_per_operation: int) -> None:
        require_initialized(self, "calculate_power")
        tech, param = self.ctx.tech, self.ctx.param
        f, vdd = tech.feature_size, tech.vdd
        temp = self.ctx.input.temperature
        self.leakage = 0.0
        if gaa_node(self.ctx) is not None:
            self.leakage += formula.calculate_gate_leakage(
                NAND, 2, MIN_NMOS_SIZE * f, MIN_NMOS_SIZE * f, temp,
                tech) * vdd * 9 * self.num_bit * self.num_adder * 1
        else:
            self.leakage += formula.calculate_gate_leakage(
                NAND, 2, self.width_nand_n, self.width_nand_p, temp,
                tech) * vdd * 9 * self.num_bit * self.num_adder

        cin, cout = self.cap_nand_input, self.cap_nand_output
        nb1 = self.num_bit - 1
        e = 0.0
        # 0->1 transitions of the calibration pattern, first stage then later stages
        e += (cin * 6) * vdd * vdd
        e += (cout * 2) * vdd * vdd
        e += (cin * 7) * vdd * vdd * nb1
        e += (cout * 3) * vdd * vdd * nb1
        # hidden transitions, first stage
        e += (cout + cin) * vdd * vdd * 2
        e += (cout + cin * 2) * vdd * vdd
        e += (cout + cin * 3) * vdd * vdd
        e += (cout + cin) * vdd * vdd
        # hidden transitions, later stages
        e += (cout + cin * 3) * vdd * vdd * nb1
        e += (cout + cin) * vdd * vdd * nb1
        e += (cout + cin) * vdd * vdd * 2 * nb1
        e *= min(int(num_adder_per_operation), self.num_adder) * num_read
        if param.validated:
            e *= param.delta  # switching activity of adders
        self.read_dynamic_energy = e
