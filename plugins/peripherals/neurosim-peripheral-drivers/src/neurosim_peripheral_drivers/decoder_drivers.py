"""Word-line / source-line drivers behind a decoder (NeuroSim V1.4 ``DecoderDriver``,
``WLDecoderOutput``, ``WLNewDecoderDriver``)."""

from __future__ import annotations

import math
from typing import Any

from neurosim.primitives import formula
from neurosim.primitives.constants import (
    INV,
    IR_DROP_TOLERANCE,
    LINEAR_REGION_RATIO,
    MAX_TRANSISTOR_HEIGHT,
    MIN_NMOS_SIZE,
    NAND,
    NMOS,
    NOR,
    PMOS,
    AreaModify,
)
from neurosim.primitives.function_unit import (
    FunctionUnit,
    apply_area_option,
    require_initialized,
)

from .bugs import DECODER_DRIVER_WRITE_LATENCY_ACCUMULATES
from .common import (
    ROW_MODE,
    ieee_div,
    is_cmos_access,
    tg_resistance_normal,
)
from .layout import min_cell_height_m, min_cell_width_m


def _fold_height(new_height: float, min_cell_height: float, num_rows: int) -> float:
    """Transmission-gate height when ``num_rows`` gates share ``new_height`` (stacking extra
    columns when one row of gates would be shorter than a standard cell)."""
    tg_height = new_height / num_rows
    if tg_height < min_cell_height:
        num_col_tg = math.ceil(min_cell_height / tg_height)
        tg_height = new_height / math.ceil(num_rows / num_col_tg)
    return tg_height


class DecoderDriver(FunctionUnit):
    """Transmission-gate switch per row (or column) selected by the decoder, plus an inverter.

    The gate is sized so its on-resistance is ``IR_DROP_TOLERANCE`` of the cell on-resistance
    divided by the ``num_load`` cells it drives. Delay is Horowitz with the Elmore constant
    ``R_tg (C_out + C_load1) + R_load C_load1 / 2``; dynamic energy is C V^2 of the gate and
    inverter nodes (Vdd) and, for cross-point arrays, of the half-selected lines (Vread, Vw/2).
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False

    def initialize(self, mode: int, num_output: int, num_load: int) -> None:
        tech, cell = self.ctx.tech, self.ctx.cell
        temp = self.ctx.input.temperature
        f = tech.feature_size
        self.mode = int(mode)
        self.num_output = int(num_output)
        self.width_inv_n, self.width_inv_p = formula.enlarge_size(
            MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f, f * MAX_TRANSISTOR_HEIGHT,
            tech)
        # Size the gate for the IR-drop budget; FinFET/GAA reference device is two fins wide.
        res_tg = cell.res_mem_cell_on / num_load * IR_DROP_TOLERANCE
        ref = (2 if tech.nonplanar else 1) * f
        self.width_tg_n = (formula.calculate_on_resistance_normal(ref, NMOS, temp, tech)
                           * f / (res_tg * 2))
        self.width_tg_p = (formula.calculate_on_resistance_normal(ref, PMOS, temp, tech)
                           * f / (res_tg * 2))
        self.res_tg = tg_resistance_normal(self.width_tg_n, self.width_tg_p, temp, tech)
        self.initialized = True

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        tech, cell = self.ctx.tech, self.ctx.cell
        min_cell_height = min_cell_height_m(tech)
        min_cell_width = min_cell_width_m(tech)
        fixed = option == AreaModify.NONE

        if new_height and fixed:
            num_tg_per_col = int(new_height / min_cell_height)
            self.num_col_tg = math.ceil(self.num_output / num_tg_per_col)
            num_tg_per_col = math.ceil(self.num_output / self.num_col_tg)
            self.tg_height = new_height / num_tg_per_col
            _, h_tg, w_tg = formula.calculate_gate_area(
                INV, 1, self.width_tg_n, self.width_tg_p, self.tg_height, tech)
        elif new_width and fixed:
            num_tg_per_row = int(new_width / min_cell_width)
            self.num_row_tg = math.ceil(self.num_output / num_tg_per_row)
            num_tg_per_row = math.ceil(self.num_output / self.num_row_tg)
            self.tg_width = new_width / num_tg_per_row
            num_fold = int(self.tg_width / (0.5 * min_cell_width)) - 1
            _, h_tg, w_tg = formula.calculate_pass_gate_area(
                self.width_tg_n, self.width_tg_p, tech, num_fold)
        else:
            _, h_tg, w_tg = formula.calculate_gate_area(
                INV, 1, self.width_tg_n, self.width_tg_p, min_cell_height, tech)
        _, h_inv, w_inv = formula.calculate_gate_area(
            INV, 1, self.width_inv_n, self.width_inv_p, min_cell_height, tech)

        tgs = 3 if is_cmos_access(cell) else 2  # 1T1R: three gates per line, cross-point: two
        if self.mode == ROW_MODE:
            h_unit, w_unit = max(h_inv, h_tg), w_inv + w_tg * tgs
            if new_height and fixed:
                num_unit_per_col = int(new_height / h_unit)
                num_col_unit = min(math.ceil(self.num_output / num_unit_per_col), self.num_output)
                self.height, self.width = new_height, w_unit * num_col_unit
            else:
                self.height, self.width = h_unit * self.num_output, w_unit
        else:
            h_unit, w_unit = h_inv + h_tg * tgs, max(w_inv, w_tg)
            if new_width and fixed:
                num_unit_per_row = int(new_width / w_unit)
                num_row_unit = min(math.ceil(self.num_output / num_unit_per_row), self.num_output)
                self.height, self.width = h_unit * num_row_unit, new_width
            else:
                self.height, self.width = h_unit, w_unit * self.num_output
        self.area = self.height * self.width
        apply_area_option(self, new_height, new_width, option)

        self.cap_inv_input, self.cap_inv_output = formula.calculate_gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)
        self.cap_tg_gate_n = formula.calculate_gate_cap(self.width_tg_n, tech)
        self.cap_tg_gate_p = formula.calculate_gate_cap(self.width_tg_p, tech)
        self.cap_tg_drain = formula.calculate_gate_capacitance(
            INV, 1, self.width_tg_n, self.width_tg_p, h_tg, tech)[1]

    def calculate_latency(self, ramp_input: float, cap_load1: float, cap_load2: float,
                          res_load: float, num_read: float, num_write: float) -> None:
        """``cap_load1``: worst-case line load (1T1R SL, cross-point WL/BL); ``cap_load2``:
        1T1R BL load (kept for the interface, not used by the delay)."""
        require_initialized(self, "calculate_latency")
        self.cap_load1, self.cap_load2, self.res_load = cap_load1, cap_load2, res_load
        self.ramp_input = ramp_input
        cap_output = self.cap_tg_drain * 4 + self.cap_tg_gate_n * 0.5 + self.cap_tg_gate_p * 0.5
        tr = self.res_tg * (cap_output + cap_load1) + res_load * cap_load1 / 2
        delay, self.ramp_output = formula.horowitz(tr, 0, ramp_input)
        self.read_latency = delay * num_read
        previous = (self.write_latency if self.ctx.bug(DECODER_DRIVER_WRITE_LATENCY_ACCUMULATES)
                    else 0.0)
        self.write_latency = (previous + delay) * num_write

    def calculate_power(self, num_read_cell_per_op: float, num_write_cell_per_op: float,
                        num_read: float, num_write: float) -> None:
        require_initialized(self, "calculate_power")
        tech, cell = self.ctx.tech, self.ctx.cell
        temp = self.ctx.input.temperature
        vdd, vr, vw = tech.vdd, cell.read_voltage, cell.write_voltage
        gn, gp, drain = self.cap_tg_gate_n, self.cap_tg_gate_p, self.cap_tg_drain

        self.leakage = formula.calculate_gate_leakage(
            INV, 1, self.width_inv_n, self.width_inv_p, temp, tech) * vdd * self.num_output

        read = 0.0
        if is_cmos_access(cell):  # selected SL/BL float, unselected are grounded
            read += (self.cap_inv_input + gn * 2 + gp) * vdd * vdd * num_read_cell_per_op
            read += (self.cap_inv_output + gp * 2 + gn) * vdd * vdd * num_read_cell_per_op
        else:  # cross-point: unselected lines sit at the read voltage
            read += (self.cap_inv_input + gn + gp) * vdd * vdd * num_read_cell_per_op
            read += (self.cap_inv_output + gp + gn) * vdd * vdd * num_read_cell_per_op
            read += (drain * 2) * vr * vr * (self.num_output - num_read_cell_per_op)
        self.read_dynamic_energy = read * num_read
        if self.read_latency:
            self.read_power = self.read_dynamic_energy / self.read_latency

        write = 0.0
        if is_cmos_access(cell):  # worst case: RESET (SL cap larger than BL cap)
            write += (self.cap_inv_input + gn * 2 + gp) * vdd * vdd * num_write_cell_per_op
            write += (self.cap_inv_output + gp * 2 + gn) * vdd * vdd * num_write_cell_per_op
            write += (drain * 2) * vw * vw * num_write_cell_per_op
        else:
            write += (self.cap_inv_input + gn + gp) * vdd * vdd * num_write_cell_per_op
            write += (self.cap_inv_output + gp + gn) * vdd * vdd * num_write_cell_per_op
            if self.mode == ROW_MODE:
                write += (drain * 2) * vw * vw * num_write_cell_per_op
            write += (drain * 2) * vw / 2 * vw / 2 * (self.num_output - num_write_cell_per_op)
        self.write_dynamic_energy = write * num_write
        if self.write_latency:
            self.write_power = self.write_dynamic_energy / self.write_latency


class WLDecoderOutput(FunctionUnit):
    """Word-line decoder output stage: NOR2 + INV per row driving a transmission gate that
    passes the access voltage, with an NMOS pull-down (multifunctional memory/neuro arrays).

    Delay: Horowitz NOR2 stage plus the Elmore transmission-gate stage
    ``R_tg (C_drain + C_load) + R_load C_load / 2``. In memory mode one row switches; in neuro
    mode all rows switch from 0 to 1.

    NeuroSim's ``Initialize`` passes a null PMOS width to ``EnlargeSize`` for the pull-down
    NMOS (which dereferences it); the NMOS is sized here as the NMOS-only gate it models.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False

    def initialize(self, num_wl_row: int, multifunctional: bool, neuro: bool) -> None:
        tech = self.ctx.tech
        f, pn = tech.feature_size, tech.pn_size_ratio
        cell_h = f * MAX_TRANSISTOR_HEIGHT
        self.num_wl_row = int(num_wl_row)
        self.multifunctional = bool(multifunctional)
        self.neuro = bool(neuro)
        self.width_nor_n, self.width_nor_p = formula.enlarge_size(
            MIN_NMOS_SIZE * f, 2 * pn * MIN_NMOS_SIZE * f, cell_h, tech)
        self.width_inv_n, self.width_inv_p = formula.enlarge_size(
            MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, cell_h, tech)
        self.width_tg_n, self.width_tg_p = formula.enlarge_size(
            MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, cell_h, tech)
        self.width_nmos = formula.enlarge_size(MIN_NMOS_SIZE * f, 0.0, cell_h, tech)[0]
        self.initialized = True

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        tech = self.ctx.tech
        temp = self.ctx.input.temperature
        min_cell_height = min_cell_height_m(tech)
        _, h_nor, w_nor = formula.calculate_gate_area(
            NOR, 2, self.width_nor_n, self.width_nor_p, min_cell_height, tech)
        _, h_inv, w_inv = formula.calculate_gate_area(
            INV, 1, self.width_inv_n, self.width_inv_p, min_cell_height, tech)
        _, h_tg, w_tg = formula.calculate_gate_area(
            INV, 1, self.width_tg_n, self.width_tg_p, min_cell_height, tech)
        _, h_nmos, w_nmos = formula.calculate_gate_area(
            INV, 1, self.width_nmos, 0, min_cell_height, tech)

        if new_height and option == AreaModify.NONE:
            tg_height = _fold_height(new_height, min_cell_height, self.num_wl_row)
            _, h_tg, w_tg = formula.calculate_gate_area(
                INV, 1, self.width_tg_n, self.width_tg_p, tg_height, tech)
            h_unit = max(max(h_inv, h_nor), max(h_nmos, h_tg))
            num_unit_per_col = int(new_height / h_unit)
            num_col_unit = math.ceil(self.num_wl_row / num_unit_per_col)
            self.height = new_height
            self.width = (w_nor + w_inv + w_nmos + w_tg) * num_col_unit
        else:
            self.height = max(max(h_inv, h_nor), max(h_tg, h_nmos)) * self.num_wl_row
            self.width = w_nor + w_inv + w_tg + w_nmos
        self.area = self.height * self.width
        apply_area_option(self, new_height, new_width, option)

        res_tg_n = formula.calculate_on_resistance(self.width_tg_n, NMOS, temp, tech)
        res_tg_p = formula.calculate_on_resistance(self.width_tg_p, PMOS, temp, tech)
        self.res_tg = 1 / (1 / res_tg_n + 1 / res_tg_p)

        self.cap_nor_input, self.cap_nor_output = formula.calculate_gate_capacitance(
            NOR, 2, self.width_nor_n, self.width_nor_p, h_nor, tech)
        self.cap_inv_input, self.cap_inv_output = formula.calculate_gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)
        self.cap_tg_gate_n = formula.calculate_gate_cap(self.width_tg_n, tech)
        self.cap_tg_gate_p = formula.calculate_gate_cap(self.width_tg_p, tech)
        self.cap_tg_drain = formula.calculate_gate_capacitance(
            INV, 1, self.width_tg_n, self.width_tg_p, h_tg, tech)[1]
        self.cap_nmos_gate, self.cap_nmos_drain = formula.calculate_gate_capacitance(
            INV, 1, self.width_nmos, 0, h_nmos, tech)

    def calculate_latency(self, ramp_input: float, cap_load: float, res_load: float,
                          num_read: float, num_write: float) -> None:
        require_initialized(self, "calculate_latency")
        tech = self.ctx.tech
        temp = self.ctx.input.temperature
        self.ramp_input, self.cap_load, self.res_load = ramp_input, cap_load, res_load
        latency = 0.0
        # NOR2 pull-up (two PMOS in series)
        res_pull_up = formula.calculate_on_resistance(self.width_nor_p, PMOS, temp, tech) * 2
        tr = res_pull_up * (self.cap_nor_output + self.cap_inv_input + self.cap_tg_gate_p
                            + self.cap_nmos_gate)
        gm = formula.calculate_transconductance(self.width_nor_p, PMOS, tech)
        latency += formula.horowitz(tr, 1 / (res_pull_up * gm), ramp_input)[0]
        # transmission gate onto the word line
        cap_output = self.cap_tg_drain + self.cap_nmos_drain
        tr = self.res_tg * (cap_output + cap_load) + res_load * cap_load / 2
        delay, self.ramp_output = formula.horowitz(tr, 0, 1e20)
        latency += delay
        self.read_latency = latency * num_read
        self.write_latency = ieee_div(self.read_latency, num_read) * num_write

    def calculate_power(self, num_read: float, num_write: float) -> None:
        require_initialized(self, "calculate_power")
        tech, cell = self.ctx.tech, self.ctx.cell
        temp = self.ctx.input.temperature
        vdd, va = tech.vdd, cell.access_voltage
        leak = formula.calculate_gate_leakage
        self.leakage = 0.0
        self.leakage += leak(NOR, 2, self.width_nor_n, self.width_nor_p, temp, tech) * vdd \
            * self.num_wl_row
        self.leakage += leak(INV, 1, self.width_inv_n, self.width_inv_p, temp, tech) * vdd \
            * self.num_wl_row
        self.leakage += leak(INV, 1, self.width_nmos, 0, temp, tech) * vdd * self.num_wl_row

        read = 0.0
        if self.multifunctional and not self.neuro:  # memory mode: one row
            read += self.cap_nor_input * vdd * vdd
            read += (self.cap_inv_output + self.cap_tg_gate_n) * vdd * vdd
            read += self.cap_tg_drain * va * va
        else:  # neuro mode: all rows open
            read += self.cap_nor_input * vdd * vdd * self.num_wl_row
            read += (self.cap_inv_output + self.cap_tg_gate_n) * vdd * vdd * (self.num_wl_row - 1)
            read += self.cap_tg_drain * va * va * (self.num_wl_row - 1)
        self.read_dynamic_energy = read * num_read

        write = 0.0  # one row
        write += self.cap_nor_input * vdd * vdd
        write += (self.cap_inv_output + self.cap_tg_gate_n) * vdd * vdd
        write += self.cap_tg_drain * va * va
        self.write_dynamic_energy = write * num_write


class WLNewDecoderDriver(FunctionUnit):
    """Word-line driver of the row-by-row BNN RRAM mode: NAND2 -> INV -> NAND2 -> two
    transmission gates per row, one row active at a time.

    Delay: three Horowitz gate stages plus the Elmore transmission-gate stage
    ``R_tg (2 C_drain + C_load) + R_load C_load / 2`` with the gate resistance taken in the
    linear region (``LINEAR_REGION_RATIO``).
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False
        self.invalid = False

    def initialize(self, num_wl_row: int) -> None:
        tech = self.ctx.tech
        f, pn = tech.feature_size, tech.pn_size_ratio
        cell_h = f * MAX_TRANSISTOR_HEIGHT
        self.num_wl_row = int(num_wl_row)
        self.width_nand_n, self.width_nand_p = formula.enlarge_size(
            2 * MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, cell_h, tech)
        self.width_inv_n, self.width_inv_p = formula.enlarge_size(
            MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, cell_h, tech)
        self.width_tg_n, self.width_tg_p = formula.enlarge_size(
            MIN_NMOS_SIZE * f, pn * MIN_NMOS_SIZE * f, cell_h, tech)
        self.initialized = True

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        tech = self.ctx.tech
        temp = self.ctx.input.temperature
        min_cell_height = min_cell_height_m(tech)
        _, h_nand, w_nand = formula.calculate_gate_area(
            NAND, 2, self.width_nand_n, self.width_nand_p, min_cell_height, tech)
        _, h_inv, w_inv = formula.calculate_gate_area(
            INV, 1, self.width_inv_n, self.width_inv_p, min_cell_height, tech)
        _, h_tg, w_tg = formula.calculate_gate_area(
            INV, 1, self.width_tg_n, self.width_tg_p, min_cell_height, tech)

        if new_height and option == AreaModify.NONE:
            tg_height = _fold_height(new_height, min_cell_height, self.num_wl_row)
            _, h_tg, w_tg = formula.calculate_gate_area(
                INV, 1, self.width_tg_n, self.width_tg_p, tg_height, tech)
            h_unit = max(max(h_inv, h_nand), h_tg)
            num_unit_per_col = int(new_height / h_unit)
            num_col_unit = math.ceil(self.num_wl_row / num_unit_per_col)
            self.height = new_height
            self.width = (3 * w_nand + w_inv + 2 * w_tg) * num_col_unit
        else:
            self.height = max(max(h_inv, h_nand), h_tg) * self.num_wl_row
            self.width = 3 * w_nand + w_inv + 2 * w_tg
        self.area = self.height * self.width
        apply_area_option(self, new_height, new_width, option)

        res_tg_n = formula.calculate_on_resistance_normal(
            self.width_tg_n, NMOS, temp, tech) * LINEAR_REGION_RATIO
        res_tg_p = formula.calculate_on_resistance_normal(
            self.width_tg_p, PMOS, temp, tech) * LINEAR_REGION_RATIO
        self.res_tg = 1 / (1 / res_tg_n + 1 / res_tg_p)

        self.cap_nand_input, self.cap_nand_output = formula.calculate_gate_capacitance(
            NAND, 2, self.width_nand_n, self.width_nand_p, h_nand, tech)
        self.cap_inv_input, self.cap_inv_output = formula.calculate_gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, h_inv, tech)
        self.cap_tg_gate_n = formula.calculate_gate_cap(self.width_tg_n, tech)
        self.cap_tg_gate_p = formula.calculate_gate_cap(self.width_tg_p, tech)
        self.cap_tg_drain = formula.calculate_gate_capacitance(
            INV, 1, self.width_tg_n, self.width_tg_p, h_tg, tech)[1]

    def calculate_latency(self, ramp_input: float, cap_load: float, res_load: float,
                          num_read: float, num_write: float) -> None:
        require_initialized(self, "calculate_latency")
        if self.invalid:
            self.read_latency = self.write_latency = 1e41
            return
        tech = self.ctx.tech
        temp = self.ctx.input.temperature
        self.ramp_input, self.cap_load, self.res_load = ramp_input, cap_load, res_load
        ron = formula.calculate_on_resistance
        gm_of = formula.calculate_transconductance
        latency = 0.0
        # NAND2 (two NMOS in series) into the inverter
        res = ron(self.width_nand_n, NMOS, temp, tech) * 2
        tr = res * (self.cap_nand_output + self.cap_inv_input)
        latency += formula.horowitz(tr, 1 / (res * gm_of(self.width_nand_n, NMOS, tech)),
                                    ramp_input)[0]
        # INV into two NAND2 inputs (NeuroSim takes gm of the NAND PMOS; Horowitz ignores it)
        res = ron(self.width_inv_p, PMOS, temp, tech)
        tr = res * (self.cap_inv_output + 2 * self.cap_nand_input)
        latency += formula.horowitz(tr, 1 / (res * gm_of(self.width_nand_p, PMOS, tech)),
                                    ramp_input)[0]
        # NAND2 into both transmission-gate gates
        res = ron(self.width_nand_n, NMOS, temp, tech) * 2
        tr = res * (self.cap_nand_output + self.cap_tg_gate_p + self.cap_tg_gate_n)
        latency += formula.horowitz(tr, 1 / (res * gm_of(self.width_nand_n, NMOS, tech)),
                                    ramp_input)[0]
        # transmission gates onto the word line
        tr = self.res_tg * (2 * self.cap_tg_drain + cap_load) + res_load * cap_load / 2
        delay, self.ramp_output = formula.horowitz(tr, 0, 1e20)
        latency += delay
        self.read_latency = latency * num_read
        self.write_latency = latency * num_write

    def calculate_power(self, num_read: float, num_write: float) -> None:
        require_initialized(self, "calculate_power")
        tech, cell = self.ctx.tech, self.ctx.cell
        temp = self.ctx.input.temperature
        vdd = tech.vdd
        leak = formula.calculate_gate_leakage
        self.leakage = 0.0  # transmission gates assumed leakage-free
        self.leakage += leak(NAND, 2, self.width_nand_n, self.width_nand_p, temp, tech) * vdd \
            * self.num_wl_row * 2
        self.leakage += leak(INV, 1, self.width_inv_n, self.width_inv_p, temp, tech) * vdd \
            * self.num_wl_row * 2

        def one_row(v_line: float) -> float:
            energy = 0.0
            energy += self.cap_nand_input * vdd * vdd
            energy += (self.cap_inv_output + self.cap_tg_gate_n) * vdd * vdd
            energy += (self.cap_nand_output + self.cap_tg_gate_n + self.cap_tg_gate_p) * vdd * vdd
            energy += self.cap_tg_drain * v_line * v_line
            return energy

        self.read_dynamic_energy = one_row(cell.read_voltage) * num_read
        self.write_dynamic_energy = one_row(cell.write_voltage) * num_write
