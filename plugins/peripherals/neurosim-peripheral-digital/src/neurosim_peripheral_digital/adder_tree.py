"""Adder tree summing the partial sums of several sub-arrays (NeuroSim V1.4 ``AdderTree``)."""

from __future__ import annotations

import math
from typing import Any

from neurosim.primitives.constants import AreaModify
from neurosim.primitives.function_unit import FunctionUnit, apply_area_option, require_initialized

from .bugs import ADDER_TREE_INT_HALVING
from .common import CircuitSizeError, cycles


class AdderTree(FunctionUnit):
    """``num_adder_tree`` binary trees of ripple-carry adders over ``num_subcore_row`` inputs.

    Stage k adds pairs of (``num_adder_bit`` + k)-bit operands, so the tree has
    ceil(log2(N)) stages. Area is that of all the tree's adder bits. Latency (V1.4) is the
    full carry chain of the first stage plus a 2-bit adder delay for every later stage;
    energy and leakage sum the adders of every stage (``Adder`` model).
    """

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.initialized = False
        self.adder = ctx.circuit("adder")(ctx)

    def initialize(self, num_subcore_row: int, num_adder_bit: int, num_adder_tree: int,
                   clk_freq: float) -> None:
        self.num_subcore_row = int(num_subcore_row)
        self.num_stage = int(math.ceil(math.log2(self.num_subcore_row)))
        self.num_adder_bit = int(num_adder_bit)
        self.num_adder_tree = int(num_adder_tree)
        self.clk_freq = clk_freq
        self.initialized = True

    def _half(self, j: int) -> int:
        """Operands left after one stage of pairwise additions."""
        if self.ctx.bug(ADDER_TREE_INT_HALVING):
            return j // 2  # C++ ceil(j/2) on ints
        return math.ceil(j / 2)

    def calculate_area(self, new_height: float, new_width: float, option: int) -> None:
        require_initialized(self, "calculate_area")
        self.area = 0.0
        self.height = 0.0
        self.width = 0.0
        # total full-adder bits of one tree
        num_bit_each_stage = self.num_adder_bit
        num_adder_each_tree = 0
        i = int(math.ceil(math.log2(self.num_subcore_row)))
        j = self.num_subcore_row
        while i != 0:
            num_adder_each_stage = self._half(j)
            num_adder_each_tree += num_bit_each_stage * num_adder_each_stage
            num_bit_each_stage += 1
            j = self._half(j)
            i -= 1
        self.adder.initialize(num_adder_each_tree, self.num_adder_tree, self.clk_freq)
        if new_width and option == AreaModify.NONE:
            self.adder.calculate_area(0, new_width, AreaModify.NONE)
            self.width = new_width
            self.height = self.adder.area / self.width
        elif new_height and option == AreaModify.NONE:
            self.adder.calculate_area(new_height, 0, AreaModify.NONE)
            self.height = new_height
            self.width = self.adder.area / self.height
        else:
            raise CircuitSizeError("AdderTree.calculate_area: no width or height assigned for "
                                   "the adder tree (pass new_width or new_height with option "
                                   "NONE)")
        self.area = self.height * self.width
        self.adder.initialized = False
        apply_area_option(self, new_height, new_width, option)

    def _operands(self, num_unit_add: int) -> tuple[int, int]:
        """(stages, operands) of the tree actually used: all inputs, or ``num_unit_add``."""
        n = self.num_subcore_row if not num_unit_add else num_unit_add
        return int(math.ceil(math.log2(n))), n

    def calculate_latency(self, num_read: float, num_unit_add: int, cap_load: float) -> None:
        require_initialized(self, "calculate_latency")
        num_unit_add = int(num_unit_add)
        latency = 0.0
        num_bit_each_stage = self.num_adder_bit
        i, j = self._operands(num_unit_add)
        # first stage: full carry chain of num_adder_bit-bit adders
        num_adder_each_stage = self._half(j)
        self.adder.initialize(num_bit_each_stage, num_adder_each_stage, self.clk_freq)
        self.adder.calculate_latency(1e20, cap_load, 1)
        latency += self.adder.read_latency
        num_bit_each_stage += 1
        j = self._half(j)
        i -= 1
        self.adder.initialized = False
        # later stages: the carry ripples only through the new top bits (2-bit adder delay)
        while i > 0:
            num_adder_each_stage = self._half(j)
            self.adder.initialize(2, num_adder_each_stage, self.clk_freq)
            self.adder.calculate_latency(1e20, cap_load, 1)
            latency += self.adder.read_latency
            num_bit_each_stage += 1
            j = self._half(j)
            i -= 1
            self.adder.initialized = False
        if self.ctx.param.synchronous:
            latency = cycles(latency, self.clk_freq)
        latency *= num_read
        self.read_latency = latency

    def calculate_power(self, num_read: float, num_unit_add: int) -> None:
        require_initialized(self, "calculate_power")
        num_unit_add = int(num_unit_add)
        self.leakage = 0.0
        energy = 0.0
        num_bit_each_stage = self.num_adder_bit
        i, j = self._operands(num_unit_add)
        while i != 0:
            num_adder_each_stage = self._half(j)
            self.adder.initialize(num_bit_each_stage, num_adder_each_stage, self.clk_freq)
            self.adder.calculate_power(1, num_adder_each_stage)
            energy += self.adder.read_dynamic_energy
            self.leakage += self.adder.leakage
            num_bit_each_stage += 1
            j = self._half(j)
            i -= 1
            self.adder.initialized = False
        energy *= self.num_adder_tree
        energy *= num_read
        self.read_dynamic_energy = energy
        self.leakage *= self.num_adder_tree
