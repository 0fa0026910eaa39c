"""NeuroSim V1.4's H-tree interconnect between tiles (``HTree.cpp``)."""

from __future__ import annotations

import math
from typing import Any

from neurosim.primitives.repeated_wire import UNIT_LENGTH_WIRE_CAP_F_PER_M, RepeatedWire

__all__ = ["HTree", "UNIT_LENGTH_WIRE_CAP_F_PER_M"]


class HTree(RepeatedWire):
    """A repeated, balanced H-tree connecting ``num_row x num_col`` units (tiles or PEs).

    Model (NeuroSim V1.4):

    * Repeaters: the delay-optimal repeater of a distributed RC line, size
      ``floor(sqrt(R_inv C_wire' / (C_inv,in R_wire')))`` minimum inverters and spacing
      ``sqrt(2 R_inv (C_inv,out + C_inv,in) / (R_wire' C_wire'))``; with a delay tolerance the
      size is halved and the spacing shrunk by 10 % until the per-length Elmore delay
      ``0.7 (R_rep (C_in + C_out + C' d) + 0.54 R' d C' d + R' d C_in) / d`` exceeds the
      optimum by the tolerance (trading delay for energy). Shared with the X-Y bus:
      :class:`neurosim.primitives.repeated_wire.RepeatedWire`.
    * Topology: ``2 ceil(log2(max(rows, cols))) + 1`` stages; each level halves the vertical
      and the horizontal wire; the tree is grown to a square power of two; a main bus runs
      from the nearest chip edge to the centre.
    * Area: bus width x (repeater width or wire width) / folding ratio per stage, over half
      of each stage's length, plus the main bus.
    * Latency: per-length Elmore delay of each stage (wire resistance per stage width from
      :mod:`neurosim.primitives.global_wire`) times its length, root to leaf (plus the main
      bus) or between two leaves from the level where their zones separate; in synchronous
      mode rounded up to clock cycles (``critical_latency`` keeps the fraction), then times
      ``num_read``.
    * Energy: ``(C_in + C_out + C' d) Vdd^2 / d / 2`` per metre with repeaters (``C' Vdd^2 / 2``
      without) along the same path, per bit and per read; leakage of the repeaters along
      the whole tree, per bit.

    C++ details kept for parity: ``repeaterSize``, the tree size and the centre are ``int``
    members (truncation), and the leaf-to-leaf search (``find_stage``, ``hit``, ``skipVer``)
    and the last per-length delays persist between calls as in the C++ object.
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        # members read before assignment in some call orders (a fresh C++ object's zeros)
        self.find_stage = 0.0
        self.hit = 0
        self.skip_ver = 0

    # ---------------------------------------------------------------------------------------
    def initialize(self, num_row: int, num_col: int, delaytolerance: float, bus_width: float,
                   clk_freq: float) -> None:
        self.num_row, self.num_col = int(num_row), int(num_col)
        self.delaytolerance = delaytolerance
        self.bus_width = bus_width
        self.clk_freq = clk_freq

        self.num_stage = 2 * math.ceil(math.log2(float(max(self.num_row, self.num_col)))) + 1.0
        self._size_repeaters()

        # grow to a square power-of-two tree; centre (int members in the C++)
        self.num_row = int(math.pow(2, (self.num_stage - 1) / 2))
        self.num_col = int(math.pow(2, (self.num_stage - 1) / 2))
        self.x_center = int(self.num_row / 2.0)
        self.y_center = int(self.num_col / 2.0)
        orc = 1  # over-routing constraint: keep the source inside the chip boundary
        if self.num_col - self.x_center < orc:
            self.x_center -= orc
        if self.num_row - self.y_center < orc:
            self.y_center -= orc

        self.find_stage = 0.0
        self.hit = 0
        self.skip_ver = 0
        self.initialized = True

    @property
    def _levels(self) -> int:
        """``(numStage - 1) / 2``: the number of vertical (and horizontal) levels."""
        return int((self.num_stage - 1) / 2)

    @property
    def _main_bus_units(self) -> int:
        return min(self.num_col - self.x_center, self.x_center)

    # ---------------------------------------------------------------------------------------
    def calculate_area(self, unit_height: float, unit_width: float, foldedratio: float) -> None:
        self._require_initialized()
        self._size_repeater_inverter()
        self.area = 0.0
        self.total_wire_length = 0.0
        wire_length_v = unit_height * math.pow(2, (self.num_stage - 1) / 2) / 2
        wire_length_h = unit_width * math.pow(2, (self.num_stage - 1) / 2) / 2
        wire_wid_v = 0.0
        wire_wid_h = 0.0
        # from the centre, one vertical and one horizontal stage per level; the last level
        # overlaps the units' own layout
        for _ in range(1, self._levels):
            wire_length_v /= 2
            if self._repeated(wire_length_v):
                wire_wid_v += self.bus_width * self.w_inv / foldedratio
            # (a zero-length stage adds nothing: its area term below is 0)
            self.area += wire_wid_v * wire_length_v / 2

            wire_length_h /= 2
            if self._repeated(wire_length_h):
                wire_wid_h += self.bus_width * self.h_inv / foldedratio
            self.area += wire_wid_h * wire_length_h / 2

            self.total_wire_length += wire_length_v + wire_length_h
        self.total_wire_length += self._main_bus_units * unit_width
        self.area += (self.bus_width * self.h_inv / foldedratio) * self._main_bus_units * unit_width

    # ---------------------------------------------------------------------------------------
    def _stage_latency(self, wire_length: float, res_on_rep: float) -> float:
        """Delay of one stage, updating the per-length delays from its wire resistance."""
        self._set_unit_latencies(res_on_rep, self.get_unit_length_res(wire_length))
        return self._stage_cost(wire_length, self.unit_latency_rep, self.unit_latency_wire)

    def _stage_cost(self, wire_length: float, per_m_repeated: float, per_m_wire: float) -> float:
        return wire_length * (per_m_repeated if self._repeated(wire_length) else per_m_wire)

    def _find_separating_level(self, x_init: int, y_init: int, x_end: int, y_end: int) -> None:
        """Leaf-to-leaf: the first level whose quadrants separate the two units."""
        half = (self.num_stage - 1) / 2
        while not self.hit and self.find_stage < half:
            max_coor_diff = math.pow(2, half - self.find_stage - 1) - 1
            if abs(x_init - x_end) > max_coor_diff or abs(y_init - y_end) > max_coor_diff:
                self.hit = 1
                if abs(x_init - x_end) < max_coor_diff and abs(y_init - y_end) > max_coor_diff:
                    self.skip_ver = 1  # same row: the level's vertical bus is not passed
            else:
                self.find_stage += 1

    def calculate_latency(self, x_init: int, y_init: int, x_end: int, y_end: int,
                          unit_height: float, unit_width: float, num_read: float) -> None:
        self._require_initialized()
        x_init, y_init, x_end, y_end = int(x_init), int(y_init), int(x_end), int(y_end)
        self.read_latency = 0.0
        wire_length_v = unit_height * math.pow(2, (self.num_stage - 1) / 2)
        wire_length_h = unit_width * math.pow(2, (self.num_stage - 1) / 2)
        res_on_rep = self._res_on_inverter(self.width_inv_n, self.width_inv_p)

        if (not x_init and not y_init) or (not x_end and not y_end):  # root <-> leaf
            for _ in range(self._levels):
                wire_length_v /= 2
                self.read_latency += self._stage_latency(wire_length_v, res_on_rep)
                wire_length_h /= 2
                self.read_latency += self._stage_latency(wire_length_h, res_on_rep)
            self.read_latency += self._main_bus_units * unit_width * self.unit_latency_rep
        else:  # leaf <-> leaf: up to the separating level and down again, no main bus
            self._find_separating_level(x_init, y_init, x_end, y_end)
            wire_length_v /= math.pow(2, self.find_stage)
            wire_length_h /= math.pow(2, self.find_stage)
            self.read_latency += self._stage_cost(wire_length_h, self.unit_latency_rep,
                                                  self.unit_latency_wire)
            if not self.skip_ver:
                self.read_latency += self._stage_cost(wire_length_v, self.unit_latency_rep,
                                                      self.unit_latency_wire)
            for _ in range(int(self.find_stage) + 1, self._levels):
                wire_length_v /= 2
                self.read_latency += self._stage_latency(wire_length_v, res_on_rep)
                wire_length_h /= 2
                self.read_latency += self._stage_latency(wire_length_h, res_on_rep)

        if self.ctx.param.synchronous:
            self.critical_latency = self.read_latency * self.clk_freq
            self.read_latency = float(math.ceil(self.read_latency * self.clk_freq))
        self.read_latency *= num_read

    # ---------------------------------------------------------------------------------------
    def calculate_power(self, x_init: int, y_init: int, x_end: int, y_end: int,
                        unit_height: float, unit_width: float, num_bit_access: float,
                        num_read: float) -> None:
        self._require_initialized()
        x_init, y_init, x_end, y_end = int(x_init), int(y_init), int(x_end), int(y_end)
        self.leakage = 0.0
        self.read_dynamic_energy = 0.0

        self._set_unit_length_power()
        self.leakage = self.unit_length_leakage * self.total_wire_length * num_bit_access
        rep, wire = self.unit_length_energy_rep, self.unit_length_energy_wire

        wire_length_v = unit_height * math.pow(2, (self.num_stage - 1) / 2) / 2
        wire_length_h = unit_width * math.pow(2, (self.num_stage - 1) / 2) / 2

        if (not x_init and not y_init) or (not x_end and not y_end):  # root <-> leaf
            for _ in range(self._levels):
                wire_length_v /= 2
                self.read_dynamic_energy += self._stage_cost(wire_length_v, rep, wire)
                wire_length_h /= 2
                self.read_dynamic_energy += self._stage_cost(wire_length_h, rep, wire)
            self.read_dynamic_energy += self._main_bus_units * unit_width * rep
        else:  # leaf <-> leaf, from the level found by calculate_latency
            wire_length_v /= math.pow(2, self.find_stage)
            wire_length_h /= math.pow(2, self.find_stage)
            self.read_dynamic_energy += self._stage_cost(wire_length_h, rep, wire)
            if not self.skip_ver:
                self.read_dynamic_energy += self._stage_cost(wire_length_v, rep, wire)
            for _ in range(int(self.find_stage) + 1, self._levels):
                wire_length_v /= 2
                self.read_dynamic_energy += self._stage_cost(wire_length_v, rep, wire)
                wire_length_h /= 2
                self.read_dynamic_energy += self._stage_cost(wire_length_h, rep, wire)
        self.read_dynamic_energy *= num_bit_access
        self.read_dynamic_energy *= num_read
