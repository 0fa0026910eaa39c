"""Thermometer-to-binary encoder of the multilevel S/A (NeuroSim V1.4 ``MultilevelSAEncoder``)."""

from __future__ import annotations

import math
import warnings
from typing import Any

from neurosim.primitives import formula
from neurosim.primitives.constants import (
    INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, NAND, NMOS, AreaModify,
)
from neurosim.primitives.function_unit import FunctionUnit, apply_area_option, require_initialized


def _gaa_node(tech: Any, param: Any) -> Any:
    """The node's GAA special-layout factors (``tech.gaa_special_layout``) when the special
    layout is on and the node has them (NeuroSim: 2 nm and 1 nm), else None."""
    return tech.gaa_special_layout(param.speciallayout)


class MultilevelSAEncoder(FunctionUnit):
    """Encoder of ``numLevel-1`` S/A outputs into ``log2(numLevel)`` bits.

    Per encoder: an inverter and a NAND2 per level, and ``ceil(log2(numLevel))`` wide NANDs of
    ``numLevel/2`` inputs. Latency: two Horowitz stages (INV -> NAND2, NAND2 -> wide NAND).
    Dynamic energy is neglected by NeuroSim (negligible toggling); leakage of all gates.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False

    def initialize(self, num_level: int, num_encoder: int) -> None:
        """Set the number of S/A levels and encoders; size the gates (no enlargement)."""
        if self.initialized:
            warnings.warn("[MultilevelSAEncoder] Warning: Already initialized!", stacklevel=2)
        tech = self.ctx.tech
        self.num_encoder = int(num_encoder)
        self.num_level = int(num_level)
        self.num_input = int(math.ceil(self.num_level // 2))  # C++ int division
        self.num_gate = int(math.ceil(math.log2(self.num_level)))
        f = tech.feature_size
        self.width_inv_n = MIN_NMOS_SIZE * f
        self.width_inv_p = tech.pn_size_ratio * MIN_NMOS_SIZE * f
        self.width_nand_n = 4 * MIN_NMOS_SIZE * f
        self.width_nand_p = 2 * tech.pn_size_ratio * MIN_NMOS_SIZE * f
        self.initialized = True

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        """Encoders tiled along the given width (or height); gate capacitances."""
        require_initialized(self, "calculate_area")
        tech, param = self.ctx.tech, self.ctx.param
        f = tech.feature_size
        h_region = f * MAX_TRANSISTOR_HEIGHT
        self.area = 0.0
        self.height = 0.0
        if _gaa_node(tech, param) is not None:
            _, h_nand, w_nand = formula.calculate_gate_area(NAND, 2, MIN_NMOS_SIZE * f,
                                                            MIN_NMOS_SIZE * f, h_region, tech)
        else:
            _, h_nand, w_nand = formula.calculate_gate_area(NAND, 2, self.width_nand_n,
                                                            self.width_nand_p, h_region, tech)
        _, h_inv, w_inv = formula.calculate_gate_area(INV, 1, self.width_inv_n, self.width_inv_p,
                                                      h_region, tech)
        _, h_nand_lg, w_nand_lg = formula.calculate_gate_area(
            NAND, self.num_input, self.width_nand_n, self.width_nand_p, h_region, tech)
        w_encoder = w_inv + w_nand + w_nand_lg
        h_encoder = ((w_inv * h_inv + w_nand * h_nand) * (self.num_level - 1)
                     + w_nand_lg * self.num_gate * h_nand_lg) / w_encoder
        if new_width and option == AreaModify.NONE:
            per_row = int(math.ceil(new_width / w_encoder))
            if per_row > self.num_encoder:
                per_row = self.num_encoder
            num_row = int(math.ceil(self.num_encoder / per_row))
            self.width = max(new_width, w_encoder)
            self.height = h_encoder * num_row
        elif new_height and option == AreaModify.NONE:
            per_col = int(math.ceil(new_height / h_encoder))
            if per_col > self.num_encoder:
                per_col = self.num_encoder
            num_col = int(math.ceil(self.num_encoder / per_col))
            self.height = max(new_height, h_encoder)
            self.width = w_encoder * num_col
        self.area = self.height * self.width
        apply_area_option(self, new_height, new_width, option)

        gaa = _gaa_node(tech, param)
        if gaa is not None:
            self.cap_inv_input, self.cap_inv_output = formula.calculate_gate_capacitance_gaa(
                INV, 1, MIN_NMOS_SIZE * f, MIN_NMOS_SIZE * f, h_inv, tech, *gaa["inv_cap_factors"])
            self.cap_nand_input, self.cap_nand_output = formula.calculate_gate_capacitance_gaa(
                NAND, 2, MIN_NMOS_SIZE * f, MIN_NMOS_SIZE * f, h_nand, tech,
                *gaa["nand_cap_factors"])
        else:
            self.cap_inv_input, self.cap_inv_output = formula.calculate_gate_capacitance(
                INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)
            self.cap_nand_input, self.cap_nand_output = formula.calculate_gate_capacitance(
                NAND, 2, self.width_nand_n, self.width_nand_p, h_nand, tech)
        self.cap_nand_lg_input, self.cap_nand_lg_output = formula.calculate_gate_capacitance(
            NAND, self.num_input, self.width_nand_n, self.width_nand_p, h_nand_lg, tech)

    def calculate_latency(self, ramp_input: float, num_read: float) -> None:
        """Horowitz delay INV -> 2 NAND2 inputs, then NAND2 -> ``num_input`` wide-NAND inputs."""
        require_initialized(self, "calculate_latency")
        tech, param = self.ctx.tech, self.ctx.param
        temp = self.ctx.input.temperature
        self.ramp_input = ramp_input
        latency = 0.0
        res_pull_down = formula.calculate_on_resistance(self.width_inv_n, NMOS, temp, tech)
        tr = res_pull_down * (self.cap_inv_output + 2 * self.cap_nand_input)
        gm = formula.calculate_transconductance(self.width_inv_n, NMOS, tech)
        beta = 1 / (res_pull_down * gm)
        delay, ramp1 = formula.horowitz(tr, beta, ramp_input)
        latency += delay
        res_pull_down = formula.calculate_on_resistance(self.width_nand_n, NMOS, temp, tech) * 2
        if _gaa_node(tech, param) is not None:
            res_pull_down = res_pull_down * 3.0 / 2.0
        tr = res_pull_down * (self.cap_nand_output + self.cap_nand_lg_input * self.num_input)
        gm = formula.calculate_transconductance(self.width_nand_n, NMOS, tech)
        beta = 1 / (res_pull_down * gm)
        delay, ramp2 = formula.horowitz(tr, beta, ramp1)
        latency += delay
        latency *= num_read
        self.read_latency = latency
        self.ramp_output = ramp2

    def calculate_power(self, num_read: float) -> None:
        """Leakage of the NAND2s, wide NANDs and the S/A latch inverters; no dynamic energy."""
        require_initialized(self, "calculate_power")
        tech, param = self.ctx.tech, self.ctx.param
        temp = self.ctx.input.temperature
        leak = formula.calculate_gate_leakage
        leakage = (leak(NAND, 2, self.width_nand_n, self.width_nand_p, temp, tech)
                   * tech.vdd * (self.num_level - 1) * self.num_encoder
                   + leak(NAND, self.num_input, self.width_nand_n, self.width_nand_p, temp, tech)
                   * tech.vdd * self.num_gate * self.num_encoder)
        inv_leak = (leak(INV, 1, self.width_inv_n, self.width_inv_p, temp, tech)
                    * tech.vdd * 5 * (self.num_level - 1) * self.num_encoder)
        gaa = _gaa_node(tech, param)
        if gaa is not None:
            num, den = gaa["inv_scale"]
            inv_leak = inv_leak * num / den
        leakage += inv_leak
        self.leakage = leakage
        # Encoder toggling is negligible next to the sense amplifiers: NeuroSim sets it to 0
        # (then scales it by the control-circuit activity epsilon when validated).
        energy = 0.0
        if param.validated:
            energy *= param.epsilon
        self.read_dynamic_energy = energy
        if self.read_latency:
            self.read_power = self.read_dynamic_energy / self.read_latency
