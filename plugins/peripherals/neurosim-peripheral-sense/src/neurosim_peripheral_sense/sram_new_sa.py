"""Multilevel sense amplifier of the SRAM compute macro (NeuroSim V1.4 ``SramNewSA``)."""

from __future__ import annotations

import warnings
from typing import Any

from neurosim.primitives.function_unit import FunctionUnit, apply_area_option, require_initialized


#: Layout of one comparator stage (m).
UNIT_HEIGHT_M = 1.072e-5
UNIT_WIDTH_M = 1.011e-5
#: Latency of one conversion (s).
LATENCY_S = 0.1e-9
#: Energy of one comparator stage per conversion (J).
ENERGY_PER_LEVEL_J = 0.092e-12


class SramNewSA(FunctionUnit):
    """Fixed-cost multilevel S/A: ``levelOutput-1`` comparator stages per column.

    Area ``(levelOutput-1) * 10.72 um * 10.11 um`` per column, 0.1 ns per conversion and
    0.092 pJ per stage per conversion (figures of the silicon macro NeuroSim calibrates to).
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False

    def initialize(self, num_col: int, level_output: int) -> None:
        """Set the column count and the number of output levels."""
        if self.initialized:
            warnings.warn("[SramNewSA] Warning: Already initialized!", stacklevel=2)
        self.num_col = num_col
        self.level_output = level_output
        self.initialized = True

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        """Comparator stages of all columns, laid out ``new_width`` wide."""
        require_initialized(self, "calculate_area")
        self.height = self.width = self.area = 0.0
        area_unit = (self.level_output - 1) * UNIT_HEIGHT_M * UNIT_WIDTH_M
        self.width = new_width
        self.area = area_unit * self.num_col
        self.height = self.area / self.width
        apply_area_option(self, new_height, new_width, option)

    def calculate_latency(self, num_read: float) -> None:
        """0.1 ns per conversion."""
        require_initialized(self, "calculate_latency")
        self.read_latency = LATENCY_S * num_read

    def calculate_power(self, num_read: float) -> None:
        """0.092 pJ per stage, column and conversion; no leakage is modelled."""
        require_initialized(self, "calculate_power")
        self.leakage = 0.0
        energy = ENERGY_PER_LEVEL_J
        energy *= self.level_output - 1
        energy *= self.num_col
        energy *= num_read
        self.read_dynamic_energy = energy
