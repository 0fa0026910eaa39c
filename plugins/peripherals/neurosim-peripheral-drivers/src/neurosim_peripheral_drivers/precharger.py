"""SRAM bit-line precharger (NeuroSim V1.4 ``Precharger``)."""

from __future__ import annotations

from typing import Any

from neurosim.primitives import formula
from neurosim.primitives.constants import (
    INV,
    MAX_TRANSISTOR_HEIGHT,
    MIN_NMOS_SIZE,
    PMOS,
)
from neurosim.primitives.function_unit import FunctionUnit, require_initialized

from .common import lay_out_in_rows


class Precharger(FunctionUnit):
    """Two precharge PMOS (BL, BL_bar) and one equaliser PMOS per column.

    Delay: Horowitz on ``R_pmos (C_load + C_drain) + R_load C_load / 2``; leakage: the two
    precharge devices; energy: ``C_load Vdd^2`` per precharged column (read: the columns read,
    write: the columns written).
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False
        # Set by calculate_latency and read by calculate_power; a caller that skips the
        # latency (NeuroSim's synchronous SRAM buffer) sees the zero of fresh object memory.
        self.cap_load = 0.0

    def initialize(self, num_col: int, res_load: float, activity_col_write: float,
                   num_read_cell_per_operation_neuro: int,
                   num_write_cell_per_operation_neuro: int) -> None:
        tech = self.ctx.tech
        f = tech.feature_size
        cell_h = f * MAX_TRANSISTOR_HEIGHT
        self.num_col = int(num_col)
        self.res_load = res_load
        self.activity_col_write = activity_col_write
        self.num_read_cell_per_operation_neuro = int(num_read_cell_per_operation_neuro)
        self.num_write_cell_per_operation_neuro = int(num_write_cell_per_operation_neuro)
        # PMOS-only cells; the NMOS width is threaded through both calls as in NeuroSim.
        temp_width, self.width_pmos_bitline_equal = formula.enlarge_size(
            0.0, MIN_NMOS_SIZE * f, cell_h, tech)
        temp_width, self.width_pmos_bitline_precharger = formula.enlarge_size(
            temp_width, 6 * f, cell_h, tech)
        self.initialized = True

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        tech = self.ctx.tech
        cell_h = tech.feature_size * MAX_TRANSISTOR_HEIGHT
        _, h_pre, w_pre = formula.calculate_gate_area(
            INV, 1, 0, self.width_pmos_bitline_precharger, cell_h, tech)
        _, h_eq, w_eq = formula.calculate_gate_area(
            INV, 1, 0, self.width_pmos_bitline_equal, cell_h, tech)
        h_unit = h_pre * 2 + h_eq
        w_unit = w_pre if w_pre > w_eq else w_eq
        lay_out_in_rows(self, self.num_col, h_unit, w_unit, new_height, new_width, option)
        self.cap_output_bitline_precharger = (
            formula.calculate_drain_cap(self.width_pmos_bitline_precharger, PMOS, h_pre, tech)
            + formula.calculate_drain_cap(self.width_pmos_bitline_equal, PMOS, h_eq, tech))

    def calculate_latency(self, ramp_input: float, cap_load: float, num_read: float,
                          num_write: float) -> None:
        require_initialized(self, "calculate_latency")
        tech = self.ctx.tech
        self.ramp_input, self.cap_load = ramp_input, cap_load
        width = self.width_pmos_bitline_precharger
        res = formula.calculate_on_resistance(width, PMOS, self.ctx.input.temperature, tech)
        tau = res * (cap_load + self.cap_output_bitline_precharger) + self.res_load * cap_load / 2
        gm = formula.calculate_transconductance(width, PMOS, tech)
        delay, self.ramp_output = formula.horowitz(tau, 1 / (res * gm), 1e20)
        self.read_latency = delay * num_read
        self.write_latency = delay * num_write

    def calculate_power(self, num_read: float, num_write: float) -> None:
        require_initialized(self, "calculate_power")
        tech = self.ctx.tech
        vdd = tech.vdd
        self.leakage = 2 * formula.calculate_gate_leakage(
            INV, 1, 0, self.width_pmos_bitline_precharger, self.ctx.input.temperature, tech) \
            * vdd * self.num_col
        read_cols = min(self.num_read_cell_per_operation_neuro, self.num_col)
        cols = self.num_col * self.activity_col_write
        write_cols = self.num_write_cell_per_operation_neuro \
            if self.num_write_cell_per_operation_neuro < cols else cols
        self.read_dynamic_energy = self.cap_load * vdd * vdd * read_cols * num_read
        self.write_dynamic_energy = self.cap_load * vdd * vdd * write_cols * num_write
