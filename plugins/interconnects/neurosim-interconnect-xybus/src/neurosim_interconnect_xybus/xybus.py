"""NeuroSim V1.4's X-Y bus interconnect between tiles (``XYBus.cpp``)."""

from __future__ import annotations

import math
from typing import Any

from neurosim.primitives.constants import INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, NMOS, PMOS
from neurosim.primitives.formula import (
    calculate_gate_area,
    calculate_gate_capacitance,
    calculate_gate_leakage,
    calculate_on_resistance,
)
from neurosim.primitives.function_unit import FunctionUnit

from .global_wire import unit_length_res_ohm_per_m

#: Wire capacitance per unit length, 0.2 fF/um, in F/m.
UNIT_LENGTH_WIRE_CAP_F_PER_M = 0.2e-15 / 1e-6


class XYBus(FunctionUnit):
    """A repeated X bus along a row of tiles and a Y bus along a column (NeuroSim V1.4).

    Inputs travel on the X bus to column ``x_end``, outputs on the Y bus from row ``y_init``
    to the last row (where the global buffer sits).

    * Repeaters: sized and spaced as for the H-tree (delay-optimal repeated RC line, then
      relaxed by the delay tolerance: size halved and spacing x0.9 until the per-length
      Elmore delay ``0.7 (R_rep (C_in + C_out + C' d) + 0.54 R' d C' d + R' d C_in) / d``
      exceeds the optimum by the tolerance).
    * Area: bus width x repeater width (Y) or height (X) / folding ratio, over the whole
      column height (``unit_height * num_row``) and row width (``unit_width * num_col``).
    * Latency: per-length delay times the X length (inputs) and the Y length (outputs), each
      rounded up to clock cycles in synchronous mode, times the reads of each direction. The
      wire resistances per metre are those of the last :meth:`calculate_area` (full X / Y
      lengths), as in the C++.
    * Energy: ``(C_in + C_out + C' d) Vdd^2 / d / 2`` per metre and bit along each bus, times
      the bits moved each way; leakage of the repeaters on both buses, per bus bit.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.initialized = False
        # members read before assignment in some call orders (a fresh C++ object's zeros)
        self.unit_length_wire_resistance_h = 0.0
        self.unit_length_wire_resistance_v = 0.0
        self.cap_inv_input = 0.0
        self.cap_inv_output = 0.0
        self.unit_latency_rep = 0.0
        self.unit_latency_wire = 0.0
        self.unit_length_leakage = 0.0
        self.unit_length_energy_rep = 0.0
        self.unit_length_energy_wire = 0.0
        self.total_wire_length = 0.0
        self.critical_latency = 0.0

    # ---------------------------------------------------------------------------------------
    def _res_on_inverter(self, width_n: float, width_p: float) -> float:
        tech, temp = self.ctx.tech, self.ctx.input.temperature
        return (calculate_on_resistance(width_n, NMOS, temp, tech)
                + calculate_on_resistance(width_p, PMOS, temp, tech)) / 2

    def _repeater(self, size: int) -> tuple[float, float, float]:
        """Input cap, output cap and on-resistance of a repeater of ``size`` min inverters."""
        tech = self.ctx.tech
        fs = tech.feature_size
        wn = MIN_NMOS_SIZE * fs * size
        wp = tech.pn_size_ratio * MIN_NMOS_SIZE * fs * size
        _, self.h_rep, self.w_rep = calculate_gate_area(INV, 1, wn, wp,
                                                        fs * MAX_TRANSISTOR_HEIGHT, tech)
        cap_in, cap_out = calculate_gate_capacitance(INV, 1, wn, wp, self.h_rep, tech)
        return cap_in, cap_out, self._res_on_inverter(wn, wp)

    def _unit_delay(self, res_on: float, cap_in: float, cap_out: float, res_wire: float) -> float:
        """Elmore delay per metre of a repeated line (s/m)."""
        c, d = self.unit_length_wire_cap, self.min_dist
        return 0.7 * (res_on * (cap_in + cap_out + c * d) + 0.54 * res_wire * d * c * d
                      + res_wire * d * cap_in) / d

    def get_unit_length_res(self, wire_length: float) -> float:
        """Resistance per metre (ohm/m) of a bus of length ``wire_length`` (m)."""
        p = self.ctx.param
        return unit_length_res_ohm_per_m(wire_length, self.ctx.tech.feature_size,
                                         p.wire_width, p.temp)

    def _repeated(self, wire_length: float) -> bool:
        """C++ ``ceil(wireLength / minDist) > 0``: the bus holds at least one repeater."""
        return wire_length / self.min_dist > 0

    # ---------------------------------------------------------------------------------------
    def initialize(self, num_row: int, num_col: int, delaytolerance: float, bus_width: float,
                   clk_freq: float) -> None:
        tech = self.ctx.tech
        fs = tech.feature_size
        self.num_row, self.num_col = int(num_row), int(num_col)
        self.delaytolerance = delaytolerance
        self.bus_width = bus_width
        self.clk_freq = clk_freq
        self.unit_length_wire_resistance = self.ctx.param.unit_length_wire_resistance
        self.unit_length_wire_cap = UNIT_LENGTH_WIRE_CAP_F_PER_M

        self.width_min_inv_n = MIN_NMOS_SIZE * fs
        self.width_min_inv_p = tech.pn_size_ratio * MIN_NMOS_SIZE * fs
        _, self.h_min_inv, self.w_min_inv = calculate_gate_area(
            INV, 1, self.width_min_inv_n, self.width_min_inv_p, fs * MAX_TRANSISTOR_HEIGHT, tech)
        self.cap_min_inv_input, self.cap_min_inv_output = calculate_gate_capacitance(
            INV, 1, self.width_min_inv_n, self.width_min_inv_p, self.h_min_inv, tech)
        res_on_rep = self._res_on_inverter(self.width_min_inv_n, self.width_min_inv_p)
        r, c = self.unit_length_wire_resistance, self.unit_length_wire_cap
        self.repeater_size = int(math.floor(math.sqrt(res_on_rep * c / self.cap_min_inv_input
                                                      / r)))
        self.min_dist = math.sqrt(2 * res_on_rep * (self.cap_min_inv_output
                                                    + self.cap_min_inv_input) / (r * c))
        self.cap_rep_input, self.cap_rep_output, res_on_rep = self._repeater(self.repeater_size)
        min_unit_length_delay = self._unit_delay(res_on_rep, self.cap_rep_input,
                                                 self.cap_rep_output, r)

        if self.delaytolerance:  # relax the delay to save energy
            delay = 0.0
            while delay < min_unit_length_delay * (1 + self.delaytolerance):
                self.repeater_size //= 2
                self.min_dist *= 0.9
                self.cap_rep_input, self.cap_rep_output, res_on_rep = self._repeater(
                    self.repeater_size)
                delay = self._unit_delay(res_on_rep, self.cap_rep_input, self.cap_rep_output, r)

        self.width_inv_n = max(1, self.repeater_size) * MIN_NMOS_SIZE * fs
        self.width_inv_p = max(1, self.repeater_size) * tech.pn_size_ratio * MIN_NMOS_SIZE * fs
        self.initialized = True

    def _require_initialized(self) -> None:
        if not self.initialized:
            raise RuntimeError("XYBus: initialize() must be called first")

    # ---------------------------------------------------------------------------------------
    def calculate_area(self, unit_height: float, unit_width: float, foldedratio: float) -> None:
        self._require_initialized()
        tech = self.ctx.tech
        _, self.h_inv, self.w_inv = calculate_gate_area(
            INV, 1, self.width_inv_n, self.width_inv_p, tech.feature_size * MAX_TRANSISTOR_HEIGHT,
            tech)
        self.area = 0.0
        wire_length_v = unit_height * self.num_row  # Y bus
        wire_length_h = unit_width * self.num_col  # X bus

        self.unit_length_wire_resistance_v = self.get_unit_length_res(wire_length_v)
        wire_wid_v = self.bus_width * self.w_inv / foldedratio if self._repeated(wire_length_v) \
            else 0.0  # a zero-length bus adds no area either way
        self.area += wire_wid_v * wire_length_v

        self.unit_length_wire_resistance_h = self.get_unit_length_res(wire_length_h)
        wire_wid_h = self.bus_width * self.h_inv / foldedratio if self._repeated(wire_length_h) \
            else 0.0
        self.area += wire_wid_h * wire_length_h

        self.cap_inv_input, self.cap_inv_output = calculate_gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, self.h_inv, tech)

    # ---------------------------------------------------------------------------------------
    def _bus_latency(self, wire_length: float, res_on_rep: float, res_wire: float) -> float:
        self.unit_latency_rep = self._unit_delay(res_on_rep, self.cap_inv_input,
                                                 self.cap_inv_output, res_wire)
        self.unit_latency_wire = (0.7 * res_wire * self.min_dist * self.unit_length_wire_cap
                                  * self.min_dist / self.min_dist)
        latency = 0.0
        if self._repeated(wire_length):
            latency += wire_length * self.unit_latency_rep
        else:
            latency += wire_length * self.unit_latency_wire
        if self.ctx.param.synchronous:
            latency = float(math.ceil(latency * self.clk_freq))
        return latency

    def calculate_latency(self, x_end: int, y_init: int, unit_height: float, unit_width: float,
                          num_read_input: float, num_read_output: float) -> None:
        self._require_initialized()
        x_end, y_init = int(x_end), int(y_init)
        wire_length_v = unit_height * (self.num_row - y_init - 1)  # Y bus (outputs)
        wire_length_h = unit_width * x_end  # X bus (inputs)
        res_on_rep = self._res_on_inverter(self.width_inv_n, self.width_inv_p)
        latency_input = self._bus_latency(wire_length_h, res_on_rep,
                                          self.unit_length_wire_resistance_h)
        latency_output = self._bus_latency(wire_length_v, res_on_rep,
                                           self.unit_length_wire_resistance_v)
        self.read_latency = latency_input * num_read_input + latency_output * num_read_output

    def calculate_power(self, x_end: int, y_init: int, unit_height: float, unit_width: float,
                        num_bit_input: float, num_bit_output: float) -> None:
        self._require_initialized()
        x_end, y_init = int(x_end), int(y_init)
        tech = self.ctx.tech
        self.leakage = 0.0
        wire_length_v = unit_height * (self.num_row - y_init - 1)
        wire_length_h = unit_width * x_end
        self.total_wire_length = wire_length_h + wire_length_v

        self.unit_length_leakage = (calculate_gate_leakage(INV, 1, self.width_inv_n,
                                                           self.width_inv_p,
                                                           self.ctx.input.temperature, tech)
                                    * tech.vdd / self.min_dist)
        self.leakage = self.unit_length_leakage * self.total_wire_length * self.bus_width
        c, d, vdd = self.unit_length_wire_cap, self.min_dist, tech.vdd
        self.unit_length_energy_rep = ((self.cap_inv_input + self.cap_inv_output + c * d)
                                       * vdd * vdd / d * 0.5)
        self.unit_length_energy_wire = (c * d) * vdd * vdd / d * 0.5

        def energy(length: float) -> float:
            per_m = (self.unit_length_energy_rep if self._repeated(length)
                     else self.unit_length_energy_wire)
            return 0.0 + length * per_m

        self.read_dynamic_energy = (energy(wire_length_h) * num_bit_input
                                    + energy(wire_length_v) * num_bit_output)
