"""Parallel-in bit shifter made of DFFs (NeuroSim V1.4 ``BitShifter``, the ReLU unit)."""

from __future__ import annotations

from typing import Any

from neurosim.primitives.constants import AreaModify
from neurosim.primitives.function_unit import FunctionUnit, apply_area_option, require_initialized


class BitShifter(FunctionUnit):
    """``num_unit`` registers of ``num_bit`` DFFs, read out in parallel in one DFF access.

    Area is the DFF bank's (one row) reshaped to the given width or height; latency is one
    DFF access per read; energy and leakage are those of the DFF bank (no activity factor).
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False
        self.dff = ctx.circuit("dff")(ctx)

    def initialize(self, num_unit: int, num_bit: int, clk_freq: float) -> None:
        self.num_unit = int(num_unit)
        self.num_bit = int(num_bit)
        self.clk_freq = clk_freq
        self.num_dff = self.num_bit * self.num_unit
        self.dff.initialize(self.num_dff, clk_freq)
        self.initialized = True

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        self.area = 0.0
        self.height = 0.0
        self.width = 0.0
        self.dff.calculate_area(0, 0, AreaModify.NONE)
        self.area = self.dff.area
        if new_width and option == AreaModify.NONE:
            self.width = new_width
            self.height = self.area / self.width
        else:
            self.height = new_height
            self.width = self.area / self.height
        apply_area_option(self, new_height, new_width, option)

    def calculate_latency(self, num_read: float) -> None:
        require_initialized(self, "calculate_latency")
        self.read_latency = 0.0
        self.dff.calculate_latency(1e20, 1)
        self.read_latency += self.dff.read_latency  # all bits read out in parallel
        self.read_latency *= num_read

    def calculate_power(self, num_read: float) -> None:
        require_initialized(self, "calculate_power")
        self.leakage = 0.0
        self.read_dynamic_energy = 0.0
        self.dff.calculate_power(num_read, self.num_dff, False)
        self.read_dynamic_energy += self.dff.read_dynamic_energy
        self.leakage += self.dff.leakage
