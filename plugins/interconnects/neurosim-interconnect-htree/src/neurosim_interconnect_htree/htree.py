"""NeuroSim V1.4's H-tree interconnect between tiles (``HTree.cpp``)."""

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


class HTree(FunctionUnit):
    """A repeated, balanced H-tree connecting ``num_row x num_col`` units (tiles or PEs).

    Model (NeuroSim V1.4):

    * Repeaters: the delay-optimal repeater of a distributed RC line, size
      ``floor(sqrt(R_inv C_wire' / (C_inv,in R_wire')))`` minimum inverters and spacing
      ``sqrt(2 R_inv (C_inv,out + C_inv,in) / (R_wire' C_wire'))``; with a delay tolerance the
      size is halved and the spacing shrunk by 10 % until the per-length Elmore delay
      ``0.7 (R_rep (C_in + C_out + C' d) + 0.54 R' d C' d + R' d C_in) / d`` exceeds the
      optimum by the tolerance (trading delay for energy).
    * Topology: ``2 ceil(log2(max(rows, cols))) + 1`` stages; each level halves the vertical
      and the horizontal wire; the tree is grown to a square power of two; a main bus runs
      from the nearest chip edge to the centre.
    * Area: bus width x (repeater width or wire width) / folding ratio per stage, over half
      of each stage's length, plus the main bus.
    * Latency: per-length Elmore delay of each stage (wire resistance per stage width from
      :mod:`.global_wire`) times its length, root to leaf (plus the main bus) or between two
      leaves from the level where their zones separate; in synchronous mode rounded up to
      clock cycles (``critical_latency`` keeps the fraction), then times ``num_read``.
    * Energy: ``(C_in + C_out + C' d) Vdd^2 / d / 2`` per metre with repeaters (``C' Vdd^2 / 2``
      without) along the same path, per bit and per read; leakage of the repeaters along
      the whole tree, per bit.

    C++ details kept for parity: ``repeaterSize``, the tree size and the centre are ``int``
    members (truncation), and the leaf-to-leaf search (``find_stage``, ``hit``, ``skipVer``)
    and the last per-length delays persist between calls as in the C++ object.
    """

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
        self.find_stage = 0.0
        self.hit = 0
        self.skip_ver = 0

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
        """Resistance per metre (ohm/m) of a stage of length ``wire_length`` (m)."""
        p = self.ctx.param
        return unit_length_res_ohm_per_m(wire_length, self.ctx.tech.feature_size,
                                         p.wire_width, p.temp)

    def _repeated(self, wire_length: float) -> bool:
        """C++ ``ceil(wireLength / minDist) > 0``: the stage holds at least one repeater."""
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

        self.num_stage = 2 * math.ceil(math.log2(float(max(self.num_row, self.num_col)))) + 1.0
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

    def _require_initialized(self) -> None:
        if not self.initialized:
            raise RuntimeError("HTree: initialize() must be called first")

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
        tech = self.ctx.tech
        _, self.h_inv, self.w_inv = calculate_gate_area(
            INV, 1, self.width_inv_n, self.width_inv_p, tech.feature_size * MAX_TRANSISTOR_HEIGHT,
            tech)
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
        self.cap_inv_input, self.cap_inv_output = calculate_gate_capacitance(
            INV, 1, self.width_inv_n, self.width_inv_p, self.h_inv, tech)

    # ---------------------------------------------------------------------------------------
    def _stage_latency(self, wire_length: float, res_on_rep: float) -> float:
        """Delay of one stage, updating the per-length delays from its wire resistance."""
        res_wire = self.get_unit_length_res(wire_length)
        self.unit_latency_rep = self._unit_delay(res_on_rep, self.cap_inv_input,
                                                 self.cap_inv_output, res_wire)
        self.unit_latency_wire = (0.7 * res_wire * self.min_dist * self.unit_length_wire_cap
                                  * self.min_dist / self.min_dist)
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
        tech = self.ctx.tech
        self.leakage = 0.0
        self.read_dynamic_energy = 0.0

        self.unit_length_leakage = (calculate_gate_leakage(INV, 1, self.width_inv_n,
                                                           self.width_inv_p,
                                                           self.ctx.input.temperature, tech)
                                    * tech.vdd / self.min_dist)
        self.leakage = self.unit_length_leakage * self.total_wire_length * num_bit_access

        c, d, vdd = self.unit_length_wire_cap, self.min_dist, tech.vdd
        self.unit_length_energy_rep = ((self.cap_inv_input + self.cap_inv_output + c * d)
                                       * vdd * vdd / d * 0.5)
        self.unit_length_energy_wire = (c * d) * vdd * vdd / d * 0.5
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
