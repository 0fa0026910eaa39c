"""Transmission-gate multiplexers (NeuroSim V1.4 ``Mux``, ``NewMux``, ``DeMux``)."""

from __future__ import annotations

import math
import warnings
from typing import Any

from neurosim.primitives import formula
from neurosim.primitives.constants import (
    INV,
    IR_DROP_TOLERANCE,
    MAX_TRANSISTOR_HEIGHT,
    MIN_NMOS_SIZE,
    NMOS,
    PMOS,
    AreaModify,
)
from neurosim.primitives.function_unit import FunctionUnit, apply_area_option, require_initialized

from .bugs import DEMUX_INT_TG_WIDTH, NEW_MUX_UNSET_RES_TG
from .common import tg_resistance_normal
from .layout import min_cell_width_m


def size_tg_for_resistance(res_tg: float, temp: float, tech: Any) -> tuple[float, float]:
    """(NMOS, PMOS) widths whose parallel on-resistance is ``res_tg``; below 14 nm rounded up
    to an even number of fins, above clamped to at least one feature size."""
    f = tech.feature_size
    ref = (2 if tech.nonplanar else 1) * f
    width_n = formula.calculate_on_resistance_normal(ref, NMOS, temp, tech) * f / (res_tg * 2)
    width_p = formula.calculate_on_resistance_normal(ref, PMOS, temp, tech) * f / (res_tg * 2)
    if tech.nonplanar:
        width_n = 2 * math.ceil(width_n / f) * f
        width_p = 2 * math.ceil(width_p / f) * f
    else:
        if width_n < f:
            width_n = f
        if width_p < f:
            width_p = f
    return width_n, width_p


def _fold_pass_gates(new_width: float, min_cell_width: float, num_gates: float,
                     gates_per_slot: int) -> tuple[int, float, int]:
    """Rows of pass gates that fit ``new_width``: (number of rows, width per gate, folds).

    ``gates_per_slot`` gates share one slot of ``gates_per_slot * min_cell_width``.
    """
    per_row = int(new_width / (min_cell_width * gates_per_slot)) if gates_per_slot > 1 else \
        int(new_width / min_cell_width)
    num_rows = math.ceil(num_gates / per_row)
    per_row = math.ceil(num_gates / num_rows)
    gate_width = new_width / per_row / gates_per_slot if gates_per_slot > 1 else new_width / per_row
    num_fold = int(gate_width / (0.5 * min_cell_width)) - 1
    return num_rows, gate_width, num_fold


class Mux(FunctionUnit):
    """Column multiplexer: ``num_input`` groups of ``num_selection`` transmission gates.

    Analog (``fpga`` false) gates are sized so their on-resistance is ``IR_DROP_TOLERANCE`` of
    ``res_tg`` and folded to fit the array width; digital (``fpga``) gates are minimum size.
    Delay is the RC charge to 90 %: ``2.3 R_tg (C_drain + C_gn/2 + C_gp/2 + C_load)``; energy
    is the NMOS gate switching at Vdd plus the two drain nodes at the read voltage.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False

    def initialize(self, num_input: int, num_selection: int, res_tg: float, fpga: bool) -> None:
        tech = self.ctx.tech
        temp = self.ctx.input.temperature
        f = tech.feature_size
        self.num_input = int(num_input)
        self.num_selection = int(num_selection)  # typically numColMuxed
        self.fpga = bool(fpga)
        if self.fpga:
            self.width_tg_n, self.width_tg_p = formula.enlarge_size(
                MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f,
                f * MAX_TRANSISTOR_HEIGHT, tech)
        else:
            self.width_tg_n, self.width_tg_p = size_tg_for_resistance(
                res_tg * IR_DROP_TOLERANCE, temp, tech)
        self.res_tg = tg_resistance_normal(self.width_tg_n, self.width_tg_p, temp, tech)
        self.initialized = True

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        tech = self.ctx.tech
        num_tg = self.num_input * self.num_selection
        self.height = self.width = 0.0
        fixed = new_width and option == AreaModify.NONE
        if self.fpga:  # digital mux: standard cells in rows
            _, h_tg, w_tg = formula.calculate_gate_area(
                INV, 1, self.width_tg_n, self.width_tg_p,
                tech.feature_size * MAX_TRANSISTOR_HEIGHT, tech)
            if fixed:
                if new_width < w_tg:
                    warnings.warn(f"Mux: one gate ({w_tg:.3e} m) is wider than the assigned "
                                  f"width {new_width:.3e} m; area left at 0", stacklevel=2)
                else:
                    per_row = min(int(new_width / w_tg), num_tg)
                    self.num_row_tg = math.ceil(num_tg / per_row)
                    self.width, self.height = new_width, h_tg * self.num_row_tg
            else:
                self.width, self.height = w_tg * num_tg, h_tg
        else:  # analog mux: pass gates folded to the pitch
            if fixed:
                min_cell_width = min_cell_width_m(tech)
                self.num_row_tg, self.tg_width, num_fold = _fold_pass_gates(
                    new_width, min_cell_width, num_tg, 1)
                _, h_tg, w_tg = formula.calculate_pass_gate_area(
                    self.width_tg_n, self.width_tg_p, tech, num_fold)
                self.width, self.height = new_width, h_tg * self.num_row_tg
            else:
                _, h_tg, w_tg = formula.calculate_pass_gate_area(
                    self.width_tg_n, self.width_tg_p, tech, 1)
                self.height, self.width = h_tg, w_tg * num_tg
        self.area = self.height * self.width
        apply_area_option(self, new_height, new_width, option)
        self.width_tg_shared = self.width / self.num_input

        self.cap_tg_gate_n = formula.calculate_gate_cap(self.width_tg_n, tech)
        self.cap_tg_gate_p = formula.calculate_gate_cap(self.width_tg_p, tech)
        self.cap_tg_drain = formula.calculate_gate_capacitance(
            INV, 1, self.width_tg_n, self.width_tg_p, h_tg, tech)[1]

    def calculate_latency(self, ramp_input: float, cap_load: float, num_read: float) -> None:
        """``ramp_input`` is the bit-line ramp (not the enable signal's)."""
        require_initialized(self, "calculate_latency")
        self.ramp_input, self.cap_load = ramp_input, cap_load
        tr = self.res_tg * (self.cap_tg_drain + 0.5 * self.cap_tg_gate_n
                            + 0.5 * self.cap_tg_gate_p + cap_load)
        self.read_latency = 2.3 * tr * num_read  # 0 -> 90 % charge

    def calculate_power(self, num_read: float) -> None:
        require_initialized(self, "calculate_power")
        vdd, vr = self.ctx.tech.vdd, self.ctx.cell.read_voltage
        self.leakage = 0.0
        energy = 0.0  # selected gates turn on
        energy += self.cap_tg_gate_n * self.num_input * vdd * vdd
        energy += (self.cap_tg_drain * 2) * self.num_input * vr * vr
        self.read_dynamic_energy = energy * num_read


class NewMux(FunctionUnit):
    """Three-way transmission-gate switch per column selecting sense amplifier / bit-line
    voltages in the BNN RRAM modes (minimum-size gates, two per pair, three per column).

    Delay ``2.3 R_tg (C_drain + C_gn/2 + C_gp/2 + C_load)``; write latency is the cell's write
    pulse width. Energies follow NeuroSim, whose write energy is not scaled by ``num_write``.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False

    def initialize(self, num_input: int) -> None:
        tech = self.ctx.tech
        f = tech.feature_size
        self.num_input = int(num_input)
        self.width_tg_n, self.width_tg_p = formula.enlarge_size(
            MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f, f * MAX_TRANSISTOR_HEIGHT,
            tech)
        if self.ctx.bug(NEW_MUX_UNSET_RES_TG):
            self.res_tg = 0.0
        else:
            self.res_tg = tg_resistance_normal(self.width_tg_n, self.width_tg_p,
                                               self.ctx.input.temperature, tech)
        self.initialized = True

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        tech = self.ctx.tech
        if new_width and option == AreaModify.NONE:
            min_cell_width = min_cell_width_m(tech)
            self.num_row_tg_pair, self.tg_width, num_fold = _fold_pass_gates(
                new_width, min_cell_width, self.num_input * 3, 2)
            _, h_tg, w_tg = formula.calculate_pass_gate_area(
                self.width_tg_n, self.width_tg_p, tech, num_fold)
            self.width, self.height = new_width, h_tg * self.num_row_tg_pair
        else:
            _, h_tg, w_tg = formula.calculate_pass_gate_area(
                self.width_tg_n, self.width_tg_p, tech, 1)
            self.width, self.height = w_tg * 2 * self.num_input * 3, h_tg
        self.area = self.height * self.width
        apply_area_option(self, new_height, new_width, option)

        self.cap_tg_gate_n = formula.calculate_gate_cap(self.width_tg_n, tech)
        self.cap_tg_gate_p = formula.calculate_gate_cap(self.width_tg_p, tech)
        self.cap_tg_drain = formula.calculate_gate_capacitance(
            INV, 1, self.width_tg_n, self.width_tg_p, h_tg, tech)[1]

    def calculate_latency(self, ramp_input: float, cap_load: float, num_read: float,
                          num_write: float) -> None:
        require_initialized(self, "calculate_latency")
        self.ramp_input, self.cap_load = ramp_input, cap_load
        tr = self.res_tg * (self.cap_tg_drain + 0.5 * self.cap_tg_gate_n
                            + 0.5 * self.cap_tg_gate_p + cap_load)
        self.read_latency = 2.3 * tr * num_read
        self.write_latency = self.ctx.cell.write_pulse_width * num_write

    def calculate_power(self, num_read: float, num_write: float, num_write_pulse: float,
                        mode_1_t1_r: int, activity_row_read: float,
                        activity_col_write: float) -> None:
        require_initialized(self, "calculate_power")
        vdd = self.ctx.tech.vdd
        vr, vw = self.ctx.cell.read_voltage, self.ctx.cell.write_voltage
        n = self.num_input
        drain, gates = self.cap_tg_drain, self.cap_tg_gate_n + self.cap_tg_gate_p
        self.leakage = 0.0
        read = 0.0
        read += drain * 3 * vr * vr * n  # two gates pass Vread, three drains loaded
        read += gates * 2 * vdd * vdd * n  # two gates open
        self.read_dynamic_energy = read * num_read * activity_row_read

        write = 0.0  # two-step write, half SET half RESET
        if mode_1_t1_r:
            write += (drain * 2) * vw * vw * num_write_pulse * n * activity_col_write / 2
            write += (drain * 2) * vw * vw * (n - n * activity_col_write / 2)
            write += (drain * 2) * vw * vw * num_write_pulse * n * activity_col_write / 2
            write += gates * vdd * vdd * n
        else:
            write += (drain * 2) * vw * vw * num_write_pulse * n * activity_col_write / 2
            write += (drain * 2) * vw * vw * num_write_pulse * n * activity_col_write / 2
            write += (drain * 2) * vw / 2 * vw / 2 * n * (1 - activity_col_write)
            write += gates * vdd * vdd * n
        self.write_dynamic_energy = write


class DeMux(FunctionUnit):
    """Demultiplexer: one inverter plus a transmission-gate pair per input, the gates sized
    for ``IR_DROP_TOLERANCE`` of the cell on-resistance over ``num_row`` cells.

    Delay ``2.3 R_tg C_drain``; energy is C V^2 of the inverter input, the gates (Vdd) and
    the input/output drains (read voltage).
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False

    def initialize(self, num_input: int, num_row: int) -> None:
        tech, cell = self.ctx.tech, self.ctx.cell
        temp = self.ctx.input.temperature
        f = tech.feature_size
        self.num_input = int(num_input)
        self.width_inv_n, self.width_inv_p = formula.enlarge_size(
            MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f, f * MAX_TRANSISTOR_HEIGHT,
            tech)
        self.res_tg = cell.resistance_on / num_row * IR_DROP_TOLERANCE
        self.width_tg_n = (formula.calculate_on_resistance(f, NMOS, temp, tech)
                           * f / (self.res_tg * 2))
        self.width_tg_p = (formula.calculate_on_resistance(f, PMOS, temp, tech)
                           * f / (self.res_tg * 2))
        self.initialized = True

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        tech = self.ctx.tech
        _, h_inv, w_inv = formula.calculate_gate_area(
            INV, 1, self.width_inv_n, self.width_inv_p,
            tech.feature_size * MAX_TRANSISTOR_HEIGHT, tech)
        num_tg_pair = self.num_input
        if new_width and option == AreaModify.NONE:
            min_cell_width = min_cell_width_m(tech)
            per_row = int(new_width / (min_cell_width * 2))
            num_row_tg_pair = math.ceil(num_tg_pair / per_row)
            per_row = math.ceil(num_tg_pair / num_row_tg_pair)
            tg_width = new_width / per_row / 2
            if self.ctx.bug(DEMUX_INT_TG_WIDTH):
                tg_width = int(tg_width)
            num_fold = int(tg_width / (0.5 * min_cell_width)) - 1
            _, h_tg, w_tg = formula.calculate_pass_gate_area(
                self.width_tg_n, self.width_tg_p, tech, num_fold)
            self.width = new_width
            self.height = max(h_tg * num_row_tg_pair, h_inv)
        else:
            _, h_tg, w_tg = formula.calculate_pass_gate_area(
                self.width_tg_n, self.width_tg_p, tech, 1)
            self.height = max(h_tg, h_inv)
            self.width = (w_tg * 2 * num_tg_pair) + w_inv
        self.area = self.height * self.width
        apply_area_option(self, new_height, new_width, option)

        self.cap_inv_input, self.cap_inv_output = formula.calculate_gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)
        self.cap_tg_gate_n = formula.calculate_gate_cap(self.width_tg_n, tech)
        self.cap_tg_gate_p = formula.calculate_gate_cap(self.width_tg_p, tech)
        self.cap_tg_drain = formula.calculate_gate_capacitance(
            INV, 1, self.width_tg_n, self.width_tg_p, h_tg, tech)[1]

    def calculate_latency(self, ramp_input: float, num_read: float) -> None:
        require_initialized(self, "calculate_latency")
        self.ramp_input = ramp_input  # not used by the model
        self.read_latency = 2.3 * (self.res_tg * self.cap_tg_drain) * num_read

    def calculate_power(self, num_read: float) -> None:
        require_initialized(self, "calculate_power")
        tech = self.ctx.tech
        vdd, vr = tech.vdd, self.ctx.cell.read_voltage
        self.leakage = formula.calculate_gate_leakage(
            INV, 1, self.width_inv_n, self.width_inv_p, self.ctx.input.temperature, tech) * vdd
        energy = 0.0
        energy += self.cap_inv_input * vdd * vdd
        energy += (self.cap_tg_gate_n + self.cap_tg_gate_p) * vdd * vdd * self.num_input
        energy += (self.cap_tg_drain * 2) * vr * vr * self.num_input  # input drains
        energy += self.cap_tg_drain * vr * vr * self.num_input  # output drain
        self.read_dynamic_energy = energy * num_read
        if self.read_latency:
            self.read_power = self.read_dynamic_energy / self.read_latency
