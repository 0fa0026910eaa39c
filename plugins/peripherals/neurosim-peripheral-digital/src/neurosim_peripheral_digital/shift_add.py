"""Shift-and-add accumulator of bit-serial partial sums (NeuroSim V1.4 ``ShiftAdd``)."""

from __future__ import annotations

from typing import Any

from neurosim.primitives import formula
from neurosim.primitives.constants import (
    INV,
    MAX_TRANSISTOR_HEIGHT,
    MIN_NMOS_SIZE,
    NAND,
    AreaModify,
    SpikingMode,
)
from neurosim.primitives.function_unit import FunctionUnit, apply_area_option, require_initialized


def cell_height_f(tech: Any) -> float:
    """Standard-cell height in F: 28 F, or the node's cell height (``tech.layout``) at FinFET /
    GAA nodes."""
    height = MAX_TRANSISTOR_HEIGHT
    if tech.nonplanar:
        height *= tech.layout.max_transistor_height / MAX_TRANSISTOR_HEIGHT
    return height


class ShiftAdd(FunctionUnit):
    """``num_unit`` shift-add units: an adder plus a DFF shift register per unit.

    Non-spiking (binary) mode: each unit adds the shifted running sum to the new
    ``num_adder_bit``-bit partial sum and stores (num_adder_bit + num_read_pulse) bits in
    DFFs. Spiking mode: 2**num_adder_bit DFFs per unit count spikes and shift them out.
    The shift-add of one input cycle hides behind the next read pulse; only the excess over
    ``cell.read_pulse_width`` adds latency, plus one full shift-add at the end. The PISO
    inverters and NAND2 gates add one cell row (or their width) to the area only.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False
        self.adder = ctx.circuit("adder")(ctx)
        self.dff = ctx.circuit("dff")(ctx)

    def initialize(self, num_unit: int, num_adder_bit: int, clk_freq: float,
                   spiking_mode: int, num_read_pulse: int) -> None:
        tech = self.ctx.tech
        f = tech.feature_size
        self.num_unit = int(num_unit)
        self.num_adder_bit = int(num_adder_bit)
        self.num_adder = self.num_unit
        self.clk_freq = clk_freq
        self.spiking_mode = SpikingMode(spiking_mode)
        self.num_read_pulse = int(num_read_pulse)
        if self.spiking_mode == SpikingMode.NONSPIKING:
            # adder output is 1 bit wider; num_read_pulse-1 more bits for the shift extension
            self.num_dff = (self.num_adder_bit + 1 + self.num_read_pulse - 1) * self.num_unit
            self.dff.initialize(self.num_dff, clk_freq)
            self.adder.initialize(self.num_adder_bit, self.num_adder, clk_freq)
        else:
            self.num_bit_per_dff = int(2.0 ** self.num_adder_bit)
            self.num_dff = self.num_bit_per_dff * self.num_unit
            self.dff.initialize(self.num_dff, clk_freq)
        # PISO shift-register glue (area only)
        self.width_inv_n = MIN_NMOS_SIZE * f
        self.width_inv_p = tech.pn_size_ratio * MIN_NMOS_SIZE * f
        self.num_inv = self.num_unit
        self.width_nand_n = 2 * MIN_NMOS_SIZE * f
        self.width_nand_p = tech.pn_size_ratio * MIN_NMOS_SIZE * f
        self.num_nand = 3 * (self.num_dff // self.num_unit - 1) * self.num_unit
        self.initialized = True

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        tech = self.ctx.tech
        f = tech.feature_size
        cell_h = f * MAX_TRANSISTOR_HEIGHT
        _, h_inv, w_inv = formula.calculate_gate_area(
            INV, 1, self.width_inv_n, self.width_inv_p, cell_h, tech)
        nand_n = self.width_nand_n
        if tech.gaa_special_layout(self.ctx.param.speciallayout) is not None:  # GAA layout
            nand_n = self.width_nand_n / 2.0
        _, h_nand, w_nand = formula.calculate_gate_area(
            NAND, 2, nand_n, self.width_nand_p, cell_h, tech)
        self.area = 0.0
        self.height = 0.0
        self.width = 0.0
        nonspiking = self.spiking_mode == SpikingMode.NONSPIKING
        if new_width and option == AreaModify.NONE:
            if nonspiking:
                self.adder.calculate_area(0, new_width, AreaModify.NONE)
            self.dff.calculate_area(0, new_width, AreaModify.NONE)
            glue_h = f * cell_height_f(tech)  # one row of INV and NAND2
            if nonspiking:
                self.height = self.adder.height + glue_h + self.dff.height
            else:
                self.height = glue_h + self.dff.height
            self.width = new_width
        else:
            if nonspiking:
                self.adder.calculate_area(new_height, 0, AreaModify.NONE)
            self.dff.calculate_area(new_height, 0, AreaModify.NONE)
            self.height = new_height
            if nonspiking:
                self.width = self.adder.width + w_inv + w_nand + self.dff.width
            else:
                self.width = w_inv + w_nand + self.dff.width
        self.area = self.height * self.width
        apply_area_option(self, new_height, new_width, option)

    def calculate_latency(self, num_read: float) -> None:
        require_initialized(self, "calculate_latency")
        pulse = self.ctx.cell.read_pulse_width
        latency = 0.0
        if self.spiking_mode == SpikingMode.NONSPIKING:
            self.adder.calculate_latency(1e20, self.dff.cap_tg_drain, 1)
            self.dff.calculate_latency(1e20, 1)
            shift_add_latency = self.adder.read_latency + self.dff.read_latency
            if shift_add_latency > pulse:  # only the excess over a read pulse shows
                latency += (shift_add_latency - pulse) * (num_read - 1)
            latency += shift_add_latency  # the last one is never hidden
            if self.ctx.param.synchronous:
                latency = num_read  # cycles
        else:
            self.dff.calculate_latency(1e20, self.num_bit_per_dff)
            shift_latency = self.dff.read_latency
            if shift_latency > pulse:
                latency += (shift_latency - pulse) * (num_read - 1)
            latency += shift_latency
            if self.ctx.param.synchronous:
                latency = self.num_bit_per_dff * num_read  # cycles
        self.read_latency = latency

    def calculate_power(self, num_read: float) -> None:
        require_initialized(self, "calculate_power")
        validated = self.ctx.param.validated
        self.leakage = 0.0
        self.read_dynamic_energy = 0.0
        if self.spiking_mode == SpikingMode.NONSPIKING:
            self.adder.calculate_power(num_read, self.num_adder)
            self.dff.calculate_power(num_read, self.num_dff, validated)
            self.read_dynamic_energy += self.adder.read_dynamic_energy
            self.read_dynamic_energy += self.dff.read_dynamic_energy
            self.leakage += self.adder.leakage
            self.leakage += self.dff.leakage
        else:
            self.dff.calculate_power(num_read, self.num_dff, validated)
            self.read_dynamic_energy += self.dff.read_dynamic_energy
            self.leakage += self.dff.leakage
