"""SRAM bit-line write driver (NeuroSim V1.4 ``SRAMWriteDriver``)."""

from __future__ import annotations

from typing import Any

from neurosim.primitives import formula
from neurosim.primitives.constants import (
    INV,
    MAX_TRANSISTOR_HEIGHT,
    MIN_NMOS_SIZE,
    NMOS,
    PMOS,
)
from neurosim.primitives.function_unit import FunctionUnit, require_initialized

from .common import lay_out_in_rows


class SRAMWriteDriver(FunctionUnit):
    """Three minimum inverters per column (two drive BL, one BL_bar).

    Delay: two Horowitz stages, the second into the bit line with the Elmore term
    ``R_load C_load / 2``. Energy: the first inverter's output and the second's input
    (bit-line charging is counted by the precharger).
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False

    def initialize(self, num_col: int, activity_col_write: float,
                   num_write_cell_per_operation_neuro: int) -> None:
        tech = self.ctx.tech
        f = tech.feature_size
        self.num_col = int(num_col)
        self.activity_col_write = activity_col_write
        self.num_write_cell_per_operation_neuro = int(num_write_cell_per_operation_neuro)
        self.width_inv_n, self.width_inv_p = formula.enlarge_size(
            MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f, f * MAX_TRANSISTOR_HEIGHT,
            tech)
        self.initialized = True

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        tech = self.ctx.tech
        _, h_inv, w_inv = formula.calculate_gate_area(
            INV, 1, self.width_inv_n, self.width_inv_p,
            tech.feature_size * MAX_TRANSISTOR_HEIGHT, tech)
        h_unit, w_unit = h_inv * 3, w_inv
        lay_out_in_rows(self, self.num_col, h_unit, w_unit, new_height, new_width, option)
        self.cap_inv_input, self.cap_inv_output = formula.calculate_gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)

    def calculate_latency(self, ramp_input: float, cap_load: float, res_load: float,
                          num_write: float) -> None:
        require_initialized(self, "calculate_latency")
        tech = self.ctx.tech
        temp = self.ctx.input.temperature
        self.ramp_input, self.cap_load, self.res_load = ramp_input, cap_load, res_load
        latency = 0.0
        # first inverter pulls up the second's input
        res = formula.calculate_on_resistance(self.width_inv_p, PMOS, temp, tech)
        tr = res * (self.cap_inv_output + self.cap_inv_input)
        gm = formula.calculate_transconductance(self.width_inv_p, PMOS, tech)
        delay, ramp_inv_output = formula.horowitz(tr, 1 / (res * gm), ramp_input)
        latency += delay
        # second inverter pulls the bit line down
        res = formula.calculate_on_resistance(self.width_inv_n, NMOS, temp, tech)
        tr = res * (cap_load + self.cap_inv_output) + res_load * cap_load / 2
        gm = formula.calculate_transconductance(self.width_inv_n, NMOS, tech)
        delay, self.ramp_output = formula.horowitz(tr, 1 / (res * gm), ramp_inv_output)
        latency += delay
        self.write_latency = latency * num_write

    def calculate_power(self, num_write: float) -> None:
        require_initialized(self, "calculate_power")
        tech = self.ctx.tech
        vdd = tech.vdd
        self.leakage = formula.calculate_gate_leakage(
            INV, 1, self.width_inv_n, self.width_inv_p, self.ctx.input.temperature, tech) \
            * vdd * 3 * self.num_col
        cols = self.num_col * self.activity_col_write
        write_cols = self.num_write_cell_per_operation_neuro \
            if self.num_write_cell_per_operation_neuro < cols else cols
        self.write_dynamic_energy = (self.cap_inv_output + self.cap_inv_input) * vdd * vdd \
            * write_cols * num_write
