"""Switch matrices that connect rows / columns to read, write or access voltages
(NeuroSim V1.4 ``SwitchMatrix``, ``NewSwitchMatrix``)."""

from __future__ import annotations

import math
from typing import Any

from neurosim.errors import NeuroSimError
from neurosim.primitives import formula
from neurosim.primitives.constants import (
    INV,
    LINEAR_REGION_RATIO,
    MIN_NMOS_SIZE,
    NMOS,
    PMOS,
    AreaModify,
)
from neurosim.primitives.function_unit import (
    FunctionUnit,
    apply_area_option,
    require_initialized,
)

from .bugs import NEW_SWITCH_MATRIX_PMOS_AS_NMOS
from .common import (
    ROW_MODE,
    is_cmos_access,
    tg_resistance_normal,
)
from .layout import min_cell_height_m, min_cell_width_m


def _c_min(a: float, b: float) -> float:
    """C's ``MIN(a, b)`` macro."""
    return a if a < b else b


class SwitchMatrix(FunctionUnit):
    """Transmission-gate pair per row (``ROW_MODE``) or column (``COL_MODE``) with a DFF
    scan chain selecting which lines receive the read / write voltages.

    The gates are sized so that their parallel on-resistance is ``res_tg`` scaled by the
    per-node ``switchmatrixsizeratio`` (linear region). Read delay is the buffered distributed
    RC of the line: ``0.69 R_tg C_out + C_u s (0.69 R_tg + 0.38 R_u s)`` (+ the repeater input
    term when ``buffernumber`` > 0), with ``s = numColSubArray / (buffernumber + 1)`` and
    ``C_u``, ``R_u`` the per-cell line capacitance / resistance; write delay is Horowitz on
    the same time constant plus the DFF delay. Energies are C V^2 of the gates and of the
    selected / half-selected lines for 1T1R and cross-point arrays.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False
        self.dff = ctx.circuit("dff")(ctx)

    def initialize(self, mode: int, num_output: int, res_tg: float, neuro: bool,
                   parallel_write: bool, activity_row_read: float, activity_col_write: float,
                   num_write_cell_per_operation_memory: int,
                   num_write_cell_per_operation_neuro: int, num_write_pulse: float,
                   clk_freq: float) -> None:
        tech, param = self.ctx.tech, self.ctx.param
        temp = self.ctx.input.temperature
        f = tech.feature_size
        self.mode = int(mode)
        self.num_output = int(num_output)
        self.neuro = bool(neuro)
        self.parallel_write = bool(parallel_write)
        self.activity_row_read = activity_row_read
        self.activity_col_write = activity_col_write
        self.num_write_cell_per_operation_memory = int(num_write_cell_per_operation_memory)
        self.num_write_cell_per_operation_neuro = int(num_write_cell_per_operation_neuro)
        self.num_write_pulse = num_write_pulse
        self.clk_freq = clk_freq
        self.dff.initialize(self.num_output, clk_freq)  # scan-in chain

        target = res_tg * param.switchmatrixsizeratio
        ref = (2 if tech.nonplanar else 1) * f
        width_n = (formula.calculate_on_resistance_normal(ref, NMOS, temp, tech)
                   * f * LINEAR_REGION_RATIO / (target * 2))
        width_p = (formula.calculate_on_resistance_normal(ref, PMOS, temp, tech)
                   * f * LINEAR_REGION_RATIO / (target * 2))
        if tech.nonplanar:  # whole fins, two per reference device
            width_n = 2 * math.ceil(width_n / f) * f
            width_p = 2 * math.ceil(width_p / f) * f
        else:
            if width_n < f:
                width_n = f
            if width_p < f:
                width_p = f
        self.width_tg_n, self.width_tg_p = width_n, width_p
        self.res_tg = tg_resistance_normal(width_n, width_p, temp, tech)
        self.initialized = True

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        tech = self.ctx.tech
        fixed = option == AreaModify.NONE
        if self.mode == ROW_MODE:
            min_cell_height = min_cell_height_m(tech)
            if new_height and fixed:
                per_col = int(new_height / min_cell_height)
                if per_col < 1:  # NeuroSim divides by it (a negative width follows)
                    raise NeuroSimError(
                        f"switch matrix: the subarray's {new_height:.3g} m side is shorter "
                        f"than one transmission-gate pair ({min_cell_height:.3g} m); use "
                        "more subarray rows/columns (subarray_rows, subarray_cols)")
                self.num_col_tg_pair = math.ceil(self.num_output / per_col)
                per_col = math.ceil(self.num_output / self.num_col_tg_pair)
                self.tg_height = new_height / per_col
                _, h_tg, w_tg = formula.calculate_gate_area(
                    INV, 1, self.width_tg_n, self.width_tg_p, self.tg_height, tech)
                self.dff.calculate_area(new_height, 0, AreaModify.NONE)
                self.height = new_height
                self.width = (w_tg * 2) * self.num_col_tg_pair + self.dff.width
            else:
                _, h_tg, w_tg = formula.calculate_gate_area(
                    INV, 1, self.width_tg_n, self.width_tg_p, min_cell_height, tech)
                self.height = h_tg * self.num_output
                self.dff.calculate_area(self.height, 0, AreaModify.NONE)
                self.width = (w_tg * 2) + self.dff.width
        else:
            if new_width and fixed:
                min_cell_width = min_cell_width_m(tech)
                per_row = int(new_width / (min_cell_width * 2))
                if per_row < 1:  # NeuroSim divides by it (a negative height follows)
                    raise NeuroSimError(
                        f"switch matrix: the subarray's {new_width:.3g} m side is shorter "
                        f"than one transmission-gate pair ({2 * min_cell_width:.3g} m); use "
                        "more subarray rows/columns (subarray_rows, subarray_cols)")
                self.num_row_tg_pair = math.ceil(self.num_output / per_row)
                per_row = math.ceil(self.num_output / self.num_row_tg_pair)
                self.tg_width = new_width / per_row / 2  # two gates per pair
                num_fold = int(self.tg_width / (0.5 * min_cell_width)) - 1
                _, h_tg, w_tg = formula.calculate_pass_gate_area(
                    self.width_tg_n, self.width_tg_p, tech, num_fold)
                self.dff.calculate_area(0, new_width, AreaModify.NONE)
                self.width = new_width
                self.height = h_tg * self.num_row_tg_pair + self.dff.height
            else:
                _, h_tg, w_tg = formula.calculate_pass_gate_area(
                    self.width_tg_n, self.width_tg_p, tech, 1)
                self.width = w_tg * 2 * self.num_output
                self.dff.calculate_area(0, self.width, AreaModify.NONE)
                self.height = h_tg + self.dff.height
        self.area = self.height * self.width
        apply_area_option(self, new_height, new_width, option)

        self.cap_tg_gate_n = formula.calculate_gate_cap(self.width_tg_n, tech)
        self.cap_tg_gate_p = formula.calculate_gate_cap(self.width_tg_p, tech)
        self.cap_tg_drain = formula.calculate_gate_capacitance(
            INV, 1, self.width_tg_n, self.width_tg_p, h_tg, tech, with_input=False)[1]

    def calculate_latency(self, ramp_input: float, cap_load: float, res_load: float,
                          num_read: float, num_write: float) -> None:
        """``cap_load`` / ``res_load`` are recorded; the line RC comes from ``param.unitcap``,
        ``param.unitres`` and ``param.drivecapin`` set by the sub-array."""
        require_initialized(self, "calculate_latency")
        param = self.ctx.param
        self.ramp_input, self.cap_load, self.res_load = ramp_input, cap_load, res_load
        self.dff.calculate_latency(1e20, num_read)
        cap_output = self.cap_tg_drain * 2 + self.cap_tg_gate_n * 0.5 + self.cap_tg_gate_p * 0.5
        res = self.res_tg
        section = param.num_col_sub_array / (param.buffernumber + 1)
        tr = (res * cap_output * 0.69
              + param.unitcap * section * (0.69 * res + 0.38 * param.unitres * section))
        if param.buffernumber != 0:
            tr += (param.unitcap * section * 0.69 + 0.69 * res) * param.drivecapin
        self.read_latency = tr * num_read
        delay, self.ramp_output = formula.horowitz(tr, 0, ramp_input)
        self.write_latency = delay * num_write + self.dff.read_latency

    def calculate_power(self, num_read: float, num_write: float, activity_row_read: float,
                        activity_col_write: float) -> None:
        require_initialized(self, "calculate_power")
        tech, cell = self.ctx.tech, self.ctx.cell
        vdd, vr, vw = tech.vdd, cell.read_voltage, cell.write_voltage
        n = self.num_output
        drain3 = self.cap_tg_drain * 3
        gates = self.cap_tg_gate_n + self.cap_tg_gate_p
        mem = self.num_write_cell_per_operation_memory
        pulses = self.num_write_pulse

        self.dff.calculate_power(num_read, n, False)  # every DFF passes a bit
        self.leakage = 0.0 + self.dff.leakage  # only the DFFs leak

        read = 0.0
        if not self.neuro:  # memory mode: one line
            read += drain3 * vr * vr
            read += gates * vdd * vdd
        elif self.mode == ROW_MODE:  # no read energy in column mode
            read += drain3 * vr * vr * n * activity_row_read
            read += gates * vdd * vdd * n * activity_row_read
        self.read_dynamic_energy = read * num_read + self.dff.read_dynamic_energy

        # two-step write, average case half SET and half RESET
        write = 0.0
        sel = _c_min(self.num_write_cell_per_operation_neuro, n * activity_col_write)
        if is_cmos_access(cell):
            if self.mode == ROW_MODE:  # switching from one selected row to another
                write += gates * vdd * vdd * 2
            elif not self.neuro:
                write += drain3 * vw * vw * (n - _c_min(mem, n) // 2)  # unselected (SET)
                write += drain3 * vw * vw * _c_min(mem, n) / 2  # selected (RESET)
                write += gates * vdd * vdd * n
            else:
                write += drain3 * vw * vw * pulses * sel / 2  # LTP selected
                write += drain3 * vw * vw * (n - sel / 2)  # unselected
                write += drain3 * vw * vw * pulses * sel / 2  # LTD selected
                write += gates * vdd * vdd * n
        elif self.mode == ROW_MODE:  # cross-point rows
            if self.neuro and self.parallel_write:  # one-time charge to Vw
                write += drain3 * vw * vw * n
                write += gates * vdd * vdd * n
            else:
                write += drain3 * vw * vw  # selected row
                write += drain3 * vw / 2 * vw / 2 * (n - 1)  # half-selected rows
                write += gates * vdd * vdd * n
        else:  # cross-point columns
            if not self.neuro:
                write += drain3 * vw * vw * _c_min(mem, n) / 2
                write += drain3 * vw / 2 * vw / 2 * n
                write += gates * vdd * vdd * n
            elif self.parallel_write:
                write += drain3 * vw * vw * pulses * n * activity_col_write
                write += gates * vdd * vdd * n
            else:
                write += drain3 * vw * vw * pulses * sel / 2
                write += drain3 * vw * vw * pulses * sel / 2
                write += drain3 * vw / 2 * vw / 2 * n
                write += gates * vdd * vdd * n
        self.write_dynamic_energy = write * num_write + self.dff.read_dynamic_energy


class NewSwitchMatrix(FunctionUnit):
    """Row switch matrix of the parallel BNN RRAM mode: four transmission gates per row (WL
    access voltage and BL read voltage) and a DFF scan chain; gate widths scaled by
    ``newswitchmatrixsizeratio``.

    Delay: Horowitz on the Elmore constant ``R_tg (C_out + C_load) + R_load C_load / 2``;
    energy: C V^2 of the access / read nodes and the gates of the selected rows.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False
        self.dff = ctx.circuit("dff")(ctx)

    def initialize(self, num_output: int, activity_row_read: float, clk_freq: float) -> None:
        tech, param = self.ctx.tech, self.ctx.param
        temp = self.ctx.input.temperature
        f = tech.feature_size
        self.num_output = int(num_output)
        self.activity_row_read = activity_row_read
        self.clk_freq = clk_freq
        self.dff.initialize(self.num_output, clk_freq)
        self.width_tg_n = MIN_NMOS_SIZE * f * param.newswitchmatrixsizeratio
        self.width_tg_p = tech.pn_size_ratio * MIN_NMOS_SIZE * f * param.newswitchmatrixsizeratio
        p_type = NMOS if self.ctx.bug(NEW_SWITCH_MATRIX_PMOS_AS_NMOS) else PMOS
        self.res_tg = 1 / (
            1 / formula.calculate_on_resistance_normal(self.width_tg_n, NMOS, temp, tech)
            + 1 / formula.calculate_on_resistance_normal(self.width_tg_p, p_type, temp, tech))
        self.initialized = True

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        tech = self.ctx.tech
        min_cell_height = min_cell_height_m(tech)
        if new_height and option == AreaModify.NONE:
            per_col = int(new_height / min_cell_height)
            self.num_col_tg = math.ceil(self.num_output / per_col)
            per_col = math.ceil(self.num_output / self.num_col_tg)
            self.tg_height = new_height / per_col
            _, h_tg, w_tg = formula.calculate_gate_area(
                INV, 1, self.width_tg_n, self.width_tg_p, self.tg_height, tech)
            self.dff.calculate_area(new_height, 0, AreaModify.NONE)
            self.height = new_height
            self.width = (w_tg * 4) * self.num_col_tg + self.dff.width
        else:
            _, h_tg, w_tg = formula.calculate_gate_area(
                INV, 1, self.width_tg_n, self.width_tg_p, min_cell_height, tech)
            self.height = h_tg * self.num_output
            self.dff.calculate_area(self.height, 0, AreaModify.NONE)
            self.width = (w_tg * 4) + self.dff.width
        self.area = self.height * self.width
        apply_area_option(self, new_height, new_width, option)

        self.cap_tg_gate_n = formula.calculate_gate_cap(self.width_tg_n, tech)
        self.cap_tg_gate_p = formula.calculate_gate_cap(self.width_tg_p, tech)
        self.cap_tg_drain = formula.calculate_gate_capacitance(
            INV, 1, self.width_tg_n, self.width_tg_p, h_tg, tech, with_input=False)[1]

    def calculate_latency(self, ramp_input: float, cap_load: float, res_load: float,
                          num_read: float, num_write: float) -> None:
        require_initialized(self, "calculate_latency")
        self.ramp_input, self.cap_load, self.res_load = ramp_input, cap_load, res_load
        self.dff.calculate_latency(1e20, num_read)
        cap_output = self.cap_tg_drain * 2 + self.cap_tg_gate_n * 0.5 + self.cap_tg_gate_p * 0.5
        tr = self.res_tg * (cap_output + cap_load) + res_load * cap_load / 2
        delay, self.ramp_output = formula.horowitz(tr, 0, ramp_input)
        self.read_latency = delay * num_read
        self.write_latency = delay * num_write
        if num_write != 0:
            self.write_latency += self.dff.read_latency

    def calculate_power(self, num_read: float, num_write: float,
                        activity_row_read: float) -> None:
        require_initialized(self, "calculate_power")
        tech, cell = self.ctx.tech, self.ctx.cell
        vdd, vr, va = tech.vdd, cell.read_voltage, cell.access_voltage
        n = self.num_output
        drain = self.cap_tg_drain
        gates = self.cap_tg_gate_n + self.cap_tg_gate_p
        self.dff.calculate_power(num_read, n, False)
        self.leakage = 0.0 + self.dff.leakage  # gates assumed leakage-free

        read = 0.0
        read += (drain * 2) * va * va * n * activity_row_read  # access voltage to the WL
        read += (drain * 3) * vr * vr * n * activity_row_read  # read voltage to the BL
        read += gates * 3 * vdd * vdd * n * activity_row_read  # three gates open
        self.read_dynamic_energy = read * num_read + self.dff.read_dynamic_energy

        write = 0.0  # 1T1R rows; BL grounded while writing
        write += (drain * 2) * va * va
        write += gates * 2 * vdd * vdd * 2  # two gates, switching between selected rows
        write += gates * vdd * vdd  # one gate always open
        self.write_dynamic_energy = write * num_write
        if num_write != 0:
            self.write_dynamic_energy += self.dff.read_dynamic_energy
