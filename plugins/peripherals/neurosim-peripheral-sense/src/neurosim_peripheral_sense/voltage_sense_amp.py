"""Voltage sense amplifier of the voltage-mode multilevel S/A (NeuroSim V1.4 VoltageSenseAmp)."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from neurosim.primitives import formula
from neurosim.primitives.constants import (
    HEIGHT_WIDTH_RATIO_LIMIT, INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, NAND, PMOS,
)
from neurosim.primitives.function_unit import FunctionUnit, require_initialized


#: Sense-amplifier energy per conversion measured at 65 nm / 1.1 V (J), scaled by (Vdd/1.1)^2.
ENERGY_PER_SENSE_65NM_J = 9.845e-15
#: Voltage difference the amplifier resolves (V).
VOLTAGE_SENSE_DIFF_V = 0.1


class VoltageSenseAmp(FunctionUnit):
    """Precharged voltage-mode sense amplifier (6 NMOS + 5 PMOS of minimum size).

    Latency: precharge ``2.3 R_pre C_S1`` plus the time for the cell current difference
    ``Vread/R_on - Vread/R_off`` to develop ``voltageSenseDiff`` on ``C_S1 + C_drain + C_in``.
    Energy: 9.845 fJ per sense at 65 nm, scaled by ``(Vdd/1.1)^2``; leakage ~ two NAND2.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False

    def initialize(self, num_read_col: int, clk_freq: float) -> None:
        """Set the number of amplifiers (read columns) and minimum device widths."""
        if self.initialized:
            warnings.warn("[VoltageSenseAmp] Warning: Already initialized!", stacklevel=2)
        tech = self.ctx.tech
        self.voltage_sense_diff = VOLTAGE_SENSE_DIFF_V
        self.num_read_col = num_read_col
        self.clk_freq = clk_freq
        self.width_nmos = MIN_NMOS_SIZE * tech.feature_size
        self.width_pmos = tech.pn_size_ratio * MIN_NMOS_SIZE * tech.feature_size
        self.initialized = True

    def calculate_unit_area(self) -> None:
        """Unit area, precharge resistance and the sensing-node capacitance ``C_S1``."""
        require_initialized(self, "calculate_unit_area")
        tech = self.ctx.tech
        h_region = tech.feature_size * MAX_TRANSISTOR_HEIGHT
        _, h_nmos, w_nmos = formula.calculate_gate_area(INV, 1, self.width_nmos, 0, h_region, tech)
        # NeuroSim sizes the PMOS footprint with the PMOS width on the NMOS side.
        _, h_pmos, w_pmos = formula.calculate_gate_area(INV, 1, self.width_pmos, 0, h_region, tech)
        self.area_unit = (h_nmos * w_nmos) * 6 + (h_pmos * w_pmos) * 5
        self.res_precharge = formula.calculate_on_resistance(
            self.width_pmos, PMOS, self.ctx.input.temperature, tech)
        self.cap_nmos_gate, self.cap_nmos_drain = formula.calculate_gate_capacitance(
            INV, 1, self.width_nmos, 0, h_nmos, tech)
        self.cap_pmos_gate, self.cap_pmos_drain = formula.calculate_gate_capacitance(
            INV, 1, self.width_pmos, 0, h_pmos, tech)
        self.cap_s1 = self.cap_nmos_gate + self.cap_nmos_drain + self.cap_pmos_drain

    def calculate_area(self, width_voltage_sense_amp: float) -> None:
        """Amplifiers side by side, each ``width_voltage_sense_amp`` wide (capped by W/H limit)."""
        require_initialized(self, "calculate_area")
        x = math.sqrt(self.area_unit / HEIGHT_WIDTH_RATIO_LIMIT)
        if width_voltage_sense_amp > x:
            width_voltage_sense_amp = x
        self.width_voltage_sense_amp = width_voltage_sense_amp
        self.area = self.area_unit * self.num_read_col
        self.width = width_voltage_sense_amp * self.num_read_col
        # a zero width (NeuroSim's callers pass NULL) gives an infinite height, as in IEEE math
        self.height = (self.area_unit / width_voltage_sense_amp if width_voltage_sense_amp
                       else math.inf)

    def calculate_latency(self, cap_input_load: float, num_read: float) -> None:
        """Precharge plus current-integration time, times ``num_read`` (NaN, as in the C++,
        for a cell without on/off resistances)."""
        require_initialized(self, "calculate_latency")
        cell = self.ctx.cell
        latency = 0.0
        with np.errstate(divide="ignore", invalid="ignore"):  # IEEE: a 0 ohm cell gives NaN
            current = (np.float64(cell.read_voltage) / np.float64(cell.res_mem_cell_on)
                       - np.float64(cell.read_voltage) / np.float64(cell.res_mem_cell_off))
            latency += float(2.3 * self.res_precharge * self.cap_s1
                             + self.voltage_sense_diff
                             * (self.cap_s1 + self.cap_nmos_drain + cap_input_load)
                             / current)
        latency *= num_read
        self.read_latency = latency

    def calculate_power(self, num_read: float) -> None:
        """Two-NAND2 leakage; 9.845 fJ*(Vdd/1.1)^2 per amplifier and read."""
        require_initialized(self, "calculate_power")
        tech = self.ctx.tech
        self.leakage = 0.0
        self.leakage += formula.calculate_gate_leakage(
            NAND, 2, self.width_nmos, self.width_pmos, self.ctx.input.temperature,
            tech) * tech.vdd * 2
        energy = ENERGY_PER_SENSE_65NM_J * (tech.vdd / 1.1) * (tech.vdd / 1.1)
        energy *= self.num_read_col
        energy *= num_read
        self.read_dynamic_energy = energy
