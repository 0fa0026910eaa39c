"""High-voltage level shifter for eNVM write voltages (NeuroSim V1.4 ``LevelShifter``)."""

from __future__ import annotations

from typing import Any

from neurosim.errors import NeuroSimError
from neurosim.primitives import formula
from neurosim.primitives.constants import (
    INV,
    MAX_TRANSISTOR_HEIGHT,
    MIN_NMOS_SIZE,
    PMOS,
    AreaModify,
)
from neurosim.primitives.function_unit import FunctionUnit, apply_area_option, require_initialized


class LevelShifter(FunctionUnit):
    """Cross-coupled level shifter per line: low-voltage input inverter (15/20 x minimum),
    latch (32/10 x) and high-voltage pull-up (64/82 x).

    With ``param.validated`` the devices are laid out as IO transistors (2x width, 2.5x cell
    height and latch/pull-up width) and the area carries the wiring factor ``param.alpha``.
    Delay: two Horowitz pull-up stages (low-voltage trigger, then the high-voltage output into
    ``cap_load``). Read energy: the low-voltage side of the active rows; write energy: the low
    side plus the output swinging to the write voltage.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False
        # Set by calculate_latency and read by calculate_power; a caller that skips the
        # latency (NeuroSim's synchronous SRAM buffer) sees the zero of fresh object memory.
        self.cap_load = 0.0

    def initialize(self, num_output: int, activity_row_read: float, clk_freq: float) -> None:
        tech = self.ctx.tech
        f = tech.feature_size
        self.num_output = int(num_output)
        self.activity_row_read = activity_row_read
        self.clk_freq = clk_freq
        self.width_n = MIN_NMOS_SIZE * f
        self.width_p = tech.pn_size_ratio * MIN_NMOS_SIZE * f
        self.initialized = True

    def un_initialize(self) -> None:
        self.initialized = False

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        tech, param = self.ctx.tech, self.ctx.param
        wn, wp = self.width_n, self.width_p
        cell_h = tech.feature_size * MAX_TRANSISTOR_HEIGHT
        if param.validated:  # IO devices: 2x width, 2.5x height
            _, h_low, w_low = formula.calculate_gate_area(INV, 1, wn * 15 * 2, wp * 20 * 2,
                                                          cell_h * 2.5, tech)
            _, h_latch, w_latch = formula.calculate_gate_area(INV, 1, wn * 32 * 2, wp * 10 * 2,
                                                              cell_h * 2.5, tech)
            _, h_high, w_high = formula.calculate_gate_area(INV, 1, wn * 64 * 2, wp * 82 * 2,
                                                            cell_h * 2.5, tech)
            h_ls = max(max(h_low, h_latch), h_high)
            w_ls = (w_low + (2 * w_latch + w_high) * 2.5)
            self.area = h_ls * w_ls * self.num_output * param.alpha  # wiring area
        else:
            _, h_low, w_low = formula.calculate_gate_area(INV, 1, wn * 15, wp * 20, cell_h, tech)
            _, h_latch, w_latch = formula.calculate_gate_area(INV, 1, wn * 32, wp * 10, cell_h,
                                                              tech)
            _, h_high, w_high = formula.calculate_gate_area(INV, 1, wn * 64, wp * 82, cell_h,
                                                            tech)
            h_ls = max(max(h_low, h_latch), h_high)
            w_ls = w_low + 2 * w_latch + w_high
            self.area = h_ls * w_ls * self.num_output

        fixed = option == AreaModify.NONE
        if new_width and fixed:
            self.width = new_width
            self.height = self.area / self.width
        elif new_height and fixed:
            self.height = new_height
            self.width = self.area / self.height
        else:
            raise NeuroSimError("LevelShifter.calculate_area: give a fixed width or height "
                                "(option NONE); NeuroSim stops here as well")
        apply_area_option(self, new_height, new_width, option)

        self.cap_mid_gate_n = formula.calculate_gate_cap(wn * 32, tech)
        self.cap_low_drain = formula.calculate_gate_capacitance(
            INV, 1, wn * 15, wp * 20, h_low, tech, with_input=False)[1]
        self.cap_high_drain = formula.calculate_gate_capacitance(
            INV, 1, wn * 64, wp * 82, h_high, tech, with_input=False)[1]

    def calculate_latency(self, ramp_input: float, cap_load: float, res_load: float,
                          num_read: float, num_write: float) -> None:
        require_initialized(self, "calculate_latency")
        tech = self.ctx.tech
        temp = self.ctx.input.temperature
        self.ramp_input, self.cap_load, self.res_load = ramp_input, cap_load, res_load
        latency = 0.0
        # low-voltage triggered pull-up into the latch
        res = formula.calculate_on_resistance(self.width_p * 20, PMOS, temp, tech)
        tr = res * (self.cap_low_drain + self.cap_mid_gate_n * 2)
        gm = formula.calculate_transconductance(self.width_p * 20, PMOS, tech)
        latency += formula.horowitz(tr, 1 / (res * gm), 1e20)[0]
        # high-voltage pull-up into the load
        res = formula.calculate_on_resistance(self.width_p * 82, PMOS, temp, tech)
        tr = res * (cap_load + self.cap_high_drain)
        gm = formula.calculate_transconductance(self.width_p * 82, PMOS, tech)
        delay, self.ramp_output = formula.horowitz(tr, 1 / (res * gm), 1e20)
        latency += delay
        self.read_latency = latency * num_read
        self.write_latency = latency * num_write

    def calculate_power(self, num_read: float, num_write: float, active_row_read: float) -> None:
        """``active_row_read`` is accepted for the interface; NeuroSim uses the activity given
        to :meth:`initialize`."""
        require_initialized(self, "calculate_power")
        vdd, vw = self.ctx.tech.vdd, self.ctx.cell.write_voltage
        low = self.cap_low_drain + self.cap_mid_gate_n * 2
        self.leakage = 0.0
        # the high-voltage side does not switch during read
        self.read_dynamic_energy = low * vdd * vdd * self.num_output * self.activity_row_read \
            * num_read
        write = 0.0
        write += low * vdd * vdd
        write += (self.cap_load + self.cap_high_drain) * 2 * vw * vw
        self.write_dynamic_energy = write * num_write
