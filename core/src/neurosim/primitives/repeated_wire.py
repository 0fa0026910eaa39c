"""Repeated global wire of NeuroSim V1.4, shared by ``HTree.cpp`` and ``XYBus.cpp``.

:class:`RepeatedWire` holds what both interconnects compute the same way:

* repeater sizing (:meth:`RepeatedWire._size_repeaters`): the delay-optimal repeater of a
  distributed RC line, size ``floor(sqrt(R_inv C_wire' / (C_inv,in R_wire')))`` minimum
  inverters and spacing ``sqrt(2 R_inv (C_inv,out + C_inv,in) / (R_wire' C_wire'))``; with a
  delay tolerance the size is halved and the spacing shrunk by 10 % until the per-length
  Elmore delay ``0.7 (R_rep (C_in + C_out + C' d) + 0.54 R' d C' d + R' d C_in) / d`` exceeds
  the optimum by the tolerance (trading delay for energy);
* the per-metre delays of a line with (``unit_latency_rep``) and without repeaters
  (``unit_latency_wire``), the per-metre repeater leakage and the per-metre switching
  energies ``(C_in + C_out + C' d) Vdd^2 / d / 2`` and ``C' Vdd^2 / 2``;
* the wire resistance per metre of a global wire of a given length
  (:mod:`neurosim.primitives.global_wire`).

Attribute names follow the C++ members (``repeaterSize`` -> ``repeater_size``, ``minDist`` ->
``min_dist``, ...). Subclasses set ``delaytolerance`` before :meth:`_size_repeaters` and
implement the topology (``initialize``, ``calculate_area``/``_latency``/``_power``).
"""

from __future__ import annotations

import math
from typing import Any

from .constants import INV, MAX_TRANSISTOR_HEIGHT, MIN_NMOS_SIZE, NMOS, PMOS
from .formula import (
    calculate_gate_area,
    calculate_gate_capacitance,
    calculate_gate_leakage,
    calculate_on_resistance,
)
from .function_unit import FunctionUnit
from .global_wire import unit_length_res_ohm_per_m

#: Wire capacitance per unit length, 0.2 fF/um, in F/m.
UNIT_LENGTH_WIRE_CAP_F_PER_M = 0.2e-15 / 1e-6


class RepeatedWire(FunctionUnit):
    """Repeater sizing and per-metre figures of a repeated global wire (see the module)."""

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.initialized = False
        # members read before assignment in some call orders (a fresh C++ object's zeros)
        self.unit_latency_rep = 0.0
        self.unit_latency_wire = 0.0
        self.unit_length_leakage = 0.0
        self.unit_length_energy_rep = 0.0
        self.unit_length_energy_wire = 0.0
        self.total_wire_length = 0.0
        self.cap_inv_input = 0.0
        self.cap_inv_output = 0.0
        self.critical_latency = 0.0

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
        """Resistance per metre (ohm/m) of a global wire of length ``wire_length`` (m)."""
        p = self.ctx.param
        return unit_length_res_ohm_per_m(wire_length, self.ctx.tech.feature_size,
                                         p.wire_width, p.temp)

    def _repeated(self, wire_length: float) -> bool:
        """C++ ``ceil(wireLength / minDist) > 0``: the wire holds at least one repeater."""
        return wire_length / self.min_dist > 0

    def _require_initialized(self) -> None:
        if not self.initialized:
            raise RuntimeError(f"{type(self).__name__}: initialize() must be called first")

    # ---------------------------------------------------------------------------------------
    def _size_repeaters(self) -> None:
        """``Initialize``'s repeater sizing: ``repeater_size``, ``min_dist``, ``width_inv_n/p``.

        Reads ``self.delaytolerance``; sets the minimum-inverter and repeater figures too.
        """
        tech = self.ctx.tech
        fs = tech.feature_size
        self.unit_length_wire_resistance = self.ctx.param.unit_length_wire_resistance
        self.unit_length_wire_cap = UNIT_LENGTH_WIRE_CAP_F_PER_M

        # minimum inverter -> delay-optimal repeater
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

    def _size_repeater_inverter(self) -> None:
        """``CalculateArea``'s repeater: ``h_inv``, ``w_inv``, ``cap_inv_input/output``."""
        tech = self.ctx.tech
        _, self.h_inv, self.w_inv = calculate_gate_area(
            INV, 1, self.width_inv_n, self.width_inv_p, tech.feature_size * MAX_TRANSISTOR_HEIGHT,
            tech)
        self.cap_inv_input, self.cap_inv_output = calculate_gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, self.h_inv, tech)

    def _set_unit_latencies(self, res_on_rep: float, res_wire: float) -> None:
        """Per-metre delays with (``unit_latency_rep``) and without repeaters, at ``R'``."""
        self.unit_latency_rep = self._unit_delay(res_on_rep, self.cap_inv_input,
                                                 self.cap_inv_output, res_wire)
        self.unit_latency_wire = (0.7 * res_wire * self.min_dist * self.unit_length_wire_cap
                                  * self.min_dist / self.min_dist)

    def _set_unit_length_power(self) -> None:
        """Per-metre repeater leakage (W/m, per bit) and switching energies (J/m, per bit)."""
        tech = self.ctx.tech
        self.unit_length_leakage = (calculate_gate_leakage(INV, 1, self.width_inv_n,
                                                           self.width_inv_p,
                                                           self.ctx.input.temperature, tech)
                                    * tech.vdd / self.min_dist)
        c, d, vdd = self.unit_length_wire_cap, self.min_dist, tech.vdd
        self.unit_length_energy_rep = ((self.cap_inv_input + self.cap_inv_output + c * d)
                                       * vdd * vdd / d * 0.5)
        self.unit_length_energy_wire = (c * d) * vdd * vdd / d * 0.5
