"""Helpers shared by the digital circuits: errors, SRAM cell loads, GAA layout, clock cycles.

The initialisation check, the layout option and the FinFET width factor every circuit plugin
uses are in :mod:`neurosim.primitives.function_unit`.
"""

from __future__ import annotations

import math
from typing import Any

from neurosim.errors import NeuroSimError
from neurosim.primitives import formula
from neurosim.primitives.constants import MAX_TRANSISTOR_HEIGHT, NMOS, PMOS
from neurosim.primitives.function_unit import finfet_width_factor


class CircuitSizeError(NeuroSimError):
    """A circuit cannot be laid out in the floor-plan size it was given."""


def add_sram_cell_loads(unit: Any, ctx: Any) -> None:
    """The 6T SRAM cell seen from the array of a Buffer or Sigmoid (NeuroSim V1.4).

    Sets ``unit.res_cell_access``, ``unit.cap_cell_access`` and ``unit.cap_sram_cell``; adds the
    access-transistor gates of a row (``2 C_g num_col``) to ``unit.cap_row1`` and the access
    drains of a column to ``unit.cap_col`` (the FinFET ``cap_draintotal`` model at 14 nm and
    below). ``cap_row1``, ``cap_col``, ``num_row`` and ``num_col`` must be set before.
    """
    tech, cell = ctx.tech, ctx.cell
    f = tech.feature_size
    k = finfet_width_factor(tech)
    temp = ctx.input.temperature
    height = MAX_TRANSISTOR_HEIGHT * f
    unit.res_cell_access = formula.calculate_on_resistance(
        cell.width_access_cmos * k * f, NMOS, temp, tech)
    unit.cap_cell_access = formula.calculate_drain_cap(
        cell.width_access_cmos * k * f, NMOS, height, tech)
    unit.cap_sram_cell = (
        unit.cap_cell_access
        + formula.calculate_drain_cap(cell.width_sram_cell_nmos * k * f, NMOS, height, tech)
        + formula.calculate_drain_cap(cell.width_sram_cell_pmos * k * f, PMOS, height, tech)
        + formula.calculate_gate_cap(cell.width_sram_cell_nmos * k * f, tech)
        + formula.calculate_gate_cap(cell.width_sram_cell_pmos * k * f, tech))
    unit.cap_row1 += 2 * formula.calculate_gate_cap(
        cell.width_access_cmos * k * f, tech) * unit.num_col
    if tech.nonplanar:
        unit.cap_col += tech.cap_draintotal * cell.width_access_cmos \
            * tech.effective_width * unit.num_row
    else:
        unit.cap_col += formula.calculate_drain_cap(
            cell.width_access_cmos * k * f, NMOS, height, tech) * unit.num_row


def gaa_node(ctx: Any) -> Any:
    """The node's GAA special-layout factors (``tech.gaa_special_layout``) when
    ``param.speciallayout`` is on and the node has them (NeuroSim: 2 nm and 1 nm), else None."""
    return ctx.tech.gaa_special_layout(ctx.param.speciallayout)


def cycles(latency_s: float, clk_freq_hz: float) -> float:
    """C++ ``ceil(latency * clkFreq)``: clock cycles, passing inf / nan through as C does."""
    x = latency_s * clk_freq_hz
    return float(math.ceil(x)) if math.isfinite(x) else x
