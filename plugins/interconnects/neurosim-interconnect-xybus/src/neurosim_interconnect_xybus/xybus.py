"""NeuroSim V1.4's X-Y bus interconnect between tiles (``XYBus.cpp``)."""

from __future__ import annotations

import math
from typing import Any

from neurosim.primitives.repeated_wire import UNIT_LENGTH_WIRE_CAP_F_PER_M, RepeatedWire

__all__ = ["XYBus", "UNIT_LENGTH_WIRE_CAP_F_PER_M"]


class XYBus(RepeatedWire):
    """A repeated X bus along a row of tiles and a Y bus along a column (NeuroSim V1.4).

    Inputs travel on the X bus to column ``x_end``, outputs on the Y bus from row ``y_init``
    to the last row (where the global buffer sits).

    * Repeaters: sized and spaced as for the H-tree (delay-optimal repeated RC line, then
      relaxed by the delay tolerance: size halved and spacing x0.9 until the per-length
      Elmore delay ``0.7 (R_rep (C_in + C_out + C' d) + 0.54 R' d C' d + R' d C_in) / d``
      exceeds the optimum by the tolerance), shared with the H-tree in
      :class:`neurosim.primitives.repeated_wire.RepeatedWire`.
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
        # members read before assignment in some call orders (a fresh C++ object's zeros)
        self.unit_length_wire_resistance_h = 0.0
        self.unit_length_wire_resistance_v = 0.0

    # ---------------------------------------------------------------------------------------
    def initialize(self, num_row: int, num_col: int, delaytolerance: float, bus_width: float,
                   clk_freq: float) -> None:
        self.num_row, self.num_col = int(num_row), int(num_col)
        self.delaytolerance = delaytolerance
        self.bus_width = bus_width
        self.clk_freq = clk_freq
        self._size_repeaters()
        self.initialized = True

    # ---------------------------------------------------------------------------------------
    def calculate_area(self, unit_height: float, unit_width: float, foldedratio: float) -> None:
        self._require_initialized()
        self._size_repeater_inverter()
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

    # ---------------------------------------------------------------------------------------
    def _bus_latency(self, wire_length: float, res_on_rep: float, res_wire: float) -> float:
        self._set_unit_latencies(res_on_rep, res_wire)
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
        self.leakage = 0.0
        wire_length_v = unit_height * (self.num_row - y_init - 1)
        wire_length_h = unit_width * x_end
        self.total_wire_length = wire_length_h + wire_length_v

        self._set_unit_length_power()
        self.leakage = self.unit_length_leakage * self.total_wire_length * self.bus_width

        def energy(length: float) -> float:
            per_m = (self.unit_length_energy_rep if self._repeated(length)
                     else self.unit_length_energy_wire)
            return 0.0 + length * per_m

        self.read_dynamic_energy = (energy(wire_length_h) * num_bit_input
                                    + energy(wire_length_v) * num_bit_output)
