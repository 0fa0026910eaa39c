"""Latch-type voltage sense amplifier of a memory column (NeuroSim V1.4 ``SenseAmp``)."""

from __future__ import annotations

import math
import warnings
from typing import Any

from neurosim.errors import ConfigError
from neurosim.primitives import formula
from neurosim.primitives.constants import (
    INV, NMOS, PMOS, W_SENSE_EN, W_SENSE_ISO, W_SENSE_MUX, W_SENSE_N, W_SENSE_P, AreaModify,
)
from neurosim.primitives.function_unit import (
    FunctionUnit,
    apply_area_option,
    finfet_width_factor,
    require_initialized,
)


class SenseAmp(FunctionUnit):
    """Cross-coupled latch sense amplifier, one per column (voltage sensing only).

    Area: two pull-up PMOS, two pull-down NMOS, one isolation PMOS and one enable NMOS per
    column (widths ``W_SENSE_*`` in F, doubled at <= 14 nm). Latency: regenerative latch
    ``tau * ln(Vdd / senseVoltage)`` with ``tau = C_load / (gm_N + gm_P)``. Energy:
    ``C_load * Vdd^2`` per sensed column; leakage of the enable transistor per column.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False
        self.cap_load = 0.0

    def initialize(self, num_col: int, current_sense: bool, sense_voltage: float,
                   pitch_sense_amp: float, clk_freq: float,
                   num_read_cell_per_operation_neuro: int) -> None:
        """Set the column count, sensing scheme, minimum sense voltage (V) and layout pitch (m)."""
        if self.initialized:
            warnings.warn("[SenseAmp] Warning: Already initialized!", stacklevel=2)
        self.num_col = num_col
        self.current_sense = current_sense
        self.sense_voltage = sense_voltage
        self.pitch_sense_amp = pitch_sense_amp
        self.clk_freq = clk_freq
        self.num_read_cell_per_operation_neuro = num_read_cell_per_operation_neuro
        if pitch_sense_amp <= self.ctx.tech.feature_size * 6:
            warnings.warn("[SenseAmp] Error: pitch too small, cannot do the layout", stacklevel=2)
        self.initialized = True

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        """Sum of the transistor areas times the column count, shaped to the given height/width."""
        require_initialized(self, "calculate_area")
        tech = self.ctx.tech
        if self.current_sense:
            raise ConfigError("SenseAmp: current sensing is not supported by NeuroSim V1.4's "
                              "latch sense amplifier (initialize(current_sense=True))")
        k = finfet_width_factor(tech)
        pitch = self.pitch_sense_amp
        # NeuroSim exchanges the height/width outputs here; only their products are used.
        _, w_p, h_p = formula.calculate_gate_area(INV, 1, 0, k * W_SENSE_P * tech.feature_size,
                                                  pitch, tech)
        _, w_iso, h_iso = formula.calculate_gate_area(
            INV, 1, 0, k * W_SENSE_ISO * tech.feature_size, pitch, tech)
        _, w_n, h_n = formula.calculate_gate_area(INV, 1, k * W_SENSE_N * tech.feature_size, 0,
                                                  pitch, tech)
        _, w_en, h_en = formula.calculate_gate_area(
            INV, 1, k * W_SENSE_EN * tech.feature_size, 0, pitch, tech)
        self.height = self.width = 0.0
        area = 0.0
        area += (w_p * h_p) * 2 + (w_n * h_n) * 2 + w_iso * h_iso + w_en * h_en
        area *= self.num_col
        self.area = area
        if new_width and option == AreaModify.NONE:
            self.width = new_width
            self.height = self.area / self.width
        elif new_height and option == AreaModify.NONE:
            self.height = new_height
            self.width = self.area / self.height
        apply_area_option(self, new_height, new_width, option)

        f = tech.feature_size
        self.cap_load = (formula.calculate_gate_cap(k * (W_SENSE_P + W_SENSE_N) * f, tech)
                         + formula.calculate_drain_cap(k * W_SENSE_N * f, NMOS, pitch, tech)
                         + formula.calculate_drain_cap(k * W_SENSE_P * f, PMOS, pitch, tech)
                         + formula.calculate_drain_cap(k * W_SENSE_ISO * f, PMOS, pitch, tech)
                         + formula.calculate_drain_cap(k * W_SENSE_MUX * f, NMOS, pitch, tech))

    def calculate_latency(self, num_read: float) -> None:
        """Latch regeneration time ``C_load/gm * ln(Vdd/V_sense)`` times ``num_read``; a
        zero sense margin gives an infinite time, as the C++ ``log(vdd / 0)`` does."""
        require_initialized(self, "calculate_latency")
        tech = self.ctx.tech
        k = finfet_width_factor(tech)
        gm = (formula.calculate_transconductance(k * W_SENSE_N * tech.feature_size, NMOS, tech)
              + formula.calculate_transconductance(k * W_SENSE_P * tech.feature_size, PMOS, tech))
        tau = self.cap_load / gm
        self.read_latency = 0.0
        margin = (math.log(tech.vdd / self.sense_voltage) if self.sense_voltage > 0
                  else math.inf)
        self.read_latency += tau * margin
        self.read_latency *= num_read

    def calculate_power(self, num_read: float) -> None:
        """Enable-transistor leakage per column; ``C_load Vdd^2`` per sensed column and read."""
        require_initialized(self, "calculate_power")
        tech = self.ctx.tech
        k = finfet_width_factor(tech)
        idle_current = formula.calculate_gate_leakage(
            INV, 1, k * W_SENSE_EN * tech.feature_size, 0, self.ctx.input.temperature, tech)
        self.leakage = 0.0
        self.leakage += idle_current * tech.vdd * self.num_col
        energy = 0.0
        energy += self.cap_load * tech.vdd * tech.vdd
        energy *= min(self.num_read_cell_per_operation_neuro, self.num_col) * num_read
        self.read_dynamic_energy = energy
