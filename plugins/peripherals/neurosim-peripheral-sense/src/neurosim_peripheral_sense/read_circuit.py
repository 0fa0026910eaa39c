"""Integrate-and-fire read circuit with spike counter (NeuroSim V1.4 ``ReadCircuit``)."""

from __future__ import annotations

import math
import warnings
from typing import Any

from neurosim.errors import ConfigError
from neurosim.primitives import formula
from neurosim.primitives.constants import (
    INV, MAX_TRANSISTOR_HEIGHT, MIN_GAP_BET_GATE_POLY, MIN_NMOS_SIZE, NOR, POLY_WIDTH,
    RATIO_READ_THRESHOLD_VS_VOLTAGE, ReadCircuitMode, SpikingMode,
)
from neurosim.primitives.function_unit import FunctionUnit, require_initialized


#: Leakage of the oscillation-neuron body (one inverter driving the NbO2 device), W.
OSCILLATION_BODY_LEAKAGE_W = 35.84e-9
#: Energy per integration event, by number of events per read (from circuit simulation), J.
#: Keys 1..10 then 20..100 in steps of 10: the arguments ``numof1 .. numof100``.
ENERGY_PER_EVENT_J = (4.74e-14, 4.20e-14, 4.14e-14, 4.11e-14, 4.10e-14, 4.09e-14, 4.09e-14,
                      4.08e-14, 4.08e-14, 4.08e-14)
ENERGY_PER_EVENT_TENS_J = (4.07e-14, 4.06e-14, 4.06e-14, 4.05e-14, 4.05e-14, 4.05e-14,
                           4.05e-14, 4.05e-14, 4.05e-14)


class ReadCircuit(FunctionUnit):
    """Current-integrating read circuit (CMOS integrate-and-fire or NbO2 oscillation neuron)
    followed by a counter of ``maxNumIntBit`` DFFs (``2^maxNumIntBit`` in spiking mode).

    Area: a 28 F x 20-poly-pitch body (CMOS) or one inverter (oscillation) stacked on the DFF
    column, each DFF 12 minimum cells wide. Latency: read pulse plus one clock. Energy: a
    per-event table from circuit simulation. Leakage: 8 inverters per DFF plus the body.

    The C++ computes the unused capacitances ``cap_tg_drain``, ``cap_inv_input/output`` (CMOS
    mode) and ``cap_pmos_gate/drain`` with uninitialised layout heights and
    ``max_num_int_per_cycle`` from the not-yet-set bit count; none of them reaches a result.
    Here they use the standard-cell height and the given bit count.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False

    def initialize(self, mode: int, num_read_col: int, max_num_int_bit: int, spiking_mode: int,
                   clk_freq: float) -> None:
        """Choose the neuron type and counter depth; set all device widths."""
        if self.initialized:
            warnings.warn("[ReadCircuit] Warning: Already initialized!", stacklevel=2)
        tech, cell = self.ctx.tech, self.ctx.cell
        f = tech.feature_size
        self.mode = ReadCircuitMode(mode)
        self.max_num_int_per_cycle = int(math.pow(2, max_num_int_bit))
        self.voltage_int_threshold = cell.read_voltage * RATIO_READ_THRESHOLD_VS_VOLTAGE
        self.num_read_col = num_read_col
        self.max_num_int_bit = max_num_int_bit
        self.spiking_mode = SpikingMode(spiking_mode)
        self.clk_freq = clk_freq
        # Oscillation neuron (NbO2): hold / threshold voltage, off resistance.
        self.vhold = 0.5
        self.vth = 0.7
        self.r_osc_off = 1e6
        if self.mode == ReadCircuitMode.CMOS:
            self.vrow = 0.65
            self.vcol = self.vrow - cell.read_voltage
        else:
            self.vrow = 1.2
            self.vcol = 1.2 - cell.read_voltage
        if self.spiking_mode == SpikingMode.NONSPIKING:
            self.num_dff = max_num_int_bit
        else:
            self.num_dff = int(math.pow(2, max_num_int_bit))
        # DFF with reset
        self.width_dff_tg_n = MIN_NMOS_SIZE * f
        self.width_dff_tg_p = tech.pn_size_ratio * MIN_NMOS_SIZE * f
        self.width_dff_inv_n = MIN_NMOS_SIZE * f
        self.width_dff_inv_p = tech.pn_size_ratio * MIN_NMOS_SIZE * f
        self.width_dff_nor_n = MIN_NMOS_SIZE * f
        self.width_dff_nor_p = 2 * tech.pn_size_ratio * MIN_NMOS_SIZE * f
        # Read-circuit body
        self.width_tg_n = 33.33 * f
        self.width_tg_p = 33.33 * f
        self.width_nmos1 = 5 * f
        self.width_pmos1 = 9 * f
        self.width_nmos2 = 5 * f
        self.width_nmos3 = 3.33 * f
        self.width_pmos3 = 6.66 * f
        self.width_nmos4 = 3.33 * f
        self.width_pmos4 = 3.33 * f
        self.width_nmos5 = 3.33 * f
        self.width_pmos5 = 3.33 * f
        self.width_nmos6 = 3.33 * f
        self.width_nmos7 = 6.11 * f
        self.width_nmos8 = 8.33 * f
        self.width_pmos8 = 9 * f
        # Output buffer
        self.width_inv_n = MIN_NMOS_SIZE * f
        self.width_inv_p = tech.pn_size_ratio * MIN_NMOS_SIZE * f
        self.initialized = True

    def calculate_unit_area(self) -> None:
        """Body + DFF column of one read circuit, and the gate capacitances."""
        require_initialized(self, "calculate_unit_area")
        tech = self.ctx.tech
        f = tech.feature_size
        h_region = f * MAX_TRANSISTOR_HEIGHT
        _, h_buf_inv, w_buf_inv = formula.calculate_gate_area(
            INV, 1, self.width_inv_n, self.width_inv_p, h_region, tech)
        if self.mode == ReadCircuitMode.CMOS:
            self.h_read_body = MAX_TRANSISTOR_HEIGHT * f
            self.w_read_body = 20 * (POLY_WIDTH + MIN_GAP_BET_GATE_POLY) * f
        else:
            self.w_read_body = w_buf_inv
            self.h_read_body = h_buf_inv
        self.area_read_body = self.h_read_body * self.w_read_body
        # A DFF is taken as 12 minimum standard cells side by side.
        _, h_min_cell, w_min_cell = formula.calculate_gate_area(
            INV, 1, MIN_NMOS_SIZE * f, tech.pn_size_ratio * MIN_NMOS_SIZE * f, h_region, tech)
        self.h_dff = h_min_cell
        self.w_dff = w_min_cell * 12
        self.area_dff = self.h_dff * self.w_dff
        self.h_unit = self.h_read_body + self.h_dff * self.num_dff
        self.w_unit = max(self.w_read_body, self.w_dff)
        self.area_unit = self.h_unit * self.w_unit
        # Capacitances
        self.cap_dff_tg_gate_n = formula.calculate_gate_cap(self.width_dff_tg_n, tech)
        self.cap_dff_tg_gate_p = formula.calculate_gate_cap(self.width_dff_tg_p, tech)
        _, self.cap_dff_tg_drain = formula.calculate_gate_capacitance(
            INV, 1, self.width_dff_tg_n, self.width_dff_tg_p, h_min_cell, tech)
        self.cap_dff_inv_input, self.cap_dff_inv_output = formula.calculate_gate_capacitance(
            INV, 1, self.width_dff_inv_n, self.width_dff_inv_p, h_min_cell, tech)
        self.cap_nor_input, self.cap_nor_output = formula.calculate_gate_capacitance(
            NOR, 2, self.width_dff_nor_n, self.width_dff_nor_p, h_min_cell, tech)
        self.cap_tg_gate_n = formula.calculate_gate_cap(self.width_tg_n, tech)
        self.cap_tg_gate_p = formula.calculate_gate_cap(self.width_tg_p, tech)
        _, self.cap_tg_drain = formula.calculate_gate_capacitance(
            INV, 1, self.width_tg_n, self.width_tg_p, h_region, tech)
        self.cap_inv_input, self.cap_inv_output = formula.calculate_gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, h_region, tech)
        self.cap_pmos_gate, self.cap_pmos_drain = formula.calculate_gate_capacitance(
            INV, 1, self.width_pmos4, 0, h_region, tech)

    def calculate_area(self, new_width: float) -> None:
        """One row of units, or as many rows as needed to fit ``new_width`` (if non-zero)."""
        require_initialized(self, "calculate_area")
        self.area = self.height = self.width = 0.0
        if new_width:
            if self.w_unit > new_width:
                warnings.warn("[ReadCircuit] Error: ReadCircuit width is even larger than the "
                              "assigned width !", stacklevel=2)
            self.num_unit_per_row = int(new_width / self.w_unit)
            if self.num_unit_per_row > self.num_read_col:
                self.num_unit_per_row = self.num_read_col
            if self.num_unit_per_row == 0:
                raise ConfigError(f"ReadCircuit: assigned width {new_width:g} m is narrower than "
                                  f"one read circuit ({self.w_unit:g} m)")
            self.num_row_unit = int(math.ceil(self.num_read_col / self.num_unit_per_row))
            self.width = new_width
        else:
            self.num_unit_per_row = self.num_read_col
            self.num_row_unit = 1
            self.width = self.w_unit * self.num_unit_per_row
        self.height = self.h_unit * self.num_row_unit
        self.area = self.height * self.width

    def calculate_latency(self, num_read: float) -> None:
        """Read pulse width plus one clock period, times ``num_read``."""
        require_initialized(self, "calculate_latency")
        latency = 0.0
        latency += self.ctx.cell.read_pulse_width
        latency += 1 / self.clk_freq
        latency *= num_read
        self.read_latency = latency

    def calculate_power(self, numof1: float, numof2: float, numof3: float, numof4: float,
                        numof5: float, numof6: float, numof7: float, numof8: float,
                        numof9: float, numof10: float, numof20: float, numof30: float,
                        numof40: float, numof50: float, numof60: float, numof70: float,
                        numof80: float, numof90: float, numof100: float,
                        num_read: float) -> None:
        """Leakage of DFFs and body per column; event energy from the simulated table."""
        require_initialized(self, "calculate_power")
        tech = self.ctx.tech
        temp = self.ctx.input.temperature
        leak = formula.calculate_gate_leakage
        leakage = 0.0
        leakage += leak(INV, 1, self.width_dff_inv_n, self.width_dff_inv_p, temp,
                        tech) * tech.vdd * 8 * self.num_dff
        if self.mode == ReadCircuitMode.CMOS:
            leakage += leak(INV, 1, self.width_nmos1, self.width_pmos1, temp, tech) * tech.vdd
            leakage += leak(INV, 1, self.width_nmos2, 0, temp, tech) * tech.vdd
            leakage += leak(INV, 1, self.width_nmos3, self.width_pmos3, temp, tech) * tech.vdd
            leakage += leak(INV, 1, self.width_nmos4, self.width_pmos4, temp, tech) * tech.vdd
            leakage += leak(INV, 1, self.width_nmos5, self.width_pmos5, temp, tech) * tech.vdd
            leakage += leak(INV, 1, self.width_nmos6, 0, temp, tech) * tech.vdd
            leakage += leak(INV, 1, self.width_nmos7, 0, temp, tech) * tech.vdd
            leakage += leak(INV, 1, self.width_nmos8, self.width_pmos8, temp, tech) * tech.vdd
            leakage += leak(INV, 1, self.width_inv_n, self.width_inv_p, temp, tech) * tech.vdd * 2
        else:
            leakage += OSCILLATION_BODY_LEAKAGE_W
        leakage *= self.num_read_col
        self.leakage = leakage
        ones = (numof1, numof2, numof3, numof4, numof5, numof6, numof7, numof8, numof9, numof10)
        tens = (numof20, numof30, numof40, numof50, numof60, numof70, numof80, numof90, numof100)
        first = ones[0] * ENERGY_PER_EVENT_J[0]
        for n, e in zip(ones[1:], ENERGY_PER_EVENT_J[1:]):
            first = first + n * e
        second = tens[0] * ENERGY_PER_EVENT_TENS_J[0]
        for n, e in zip(tens[1:], ENERGY_PER_EVENT_TENS_J[1:]):
            second = second + n * e
        energy = 0.0
        energy += first
        energy += second
        energy *= num_read
        self.read_dynamic_energy = energy
