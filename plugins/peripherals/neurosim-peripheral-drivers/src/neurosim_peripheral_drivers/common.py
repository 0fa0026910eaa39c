"""Helpers shared by the drive circuits: row folding, IEEE division, orientation, access
type, TG resistance.

The initialisation check and the layout option every circuit plugin uses are in
:mod:`neurosim.primitives.function_unit`.
"""

from __future__ import annotations

import math
from typing import Any

from neurosim.primitives import formula
from neurosim.primitives.constants import NMOS, PMOS, AreaModify
from neurosim.primitives.function_unit import apply_area_option


def lay_out_in_rows(unit: Any, num_units: int, h_unit: float, w_unit: float,
                    new_height: float, new_width: float, option: int) -> None:
    """``num_units`` cells of ``h_unit x w_unit`` in one row, or folded into as many rows as
    needed to fit ``new_width`` when one is given with ``AreaModify.NONE``; sets the unit's
    ``width``, ``height`` and ``area``, then applies the layout option."""
    if new_width and option == AreaModify.NONE:
        per_row = min(int(new_width / w_unit), num_units)
        num_row_unit = math.ceil(num_units / per_row)
        unit.width, unit.height = new_width, num_row_unit * h_unit
    else:
        unit.width, unit.height = num_units * w_unit, h_unit
    unit.area = unit.height * unit.width
    apply_area_option(unit, new_height, new_width, option)


def ieee_div(numerator: float, denominator: float) -> float:
    """``numerator / denominator`` with IEEE-754 results (inf / nan) for a zero denominator."""
    if denominator == 0:
        if numerator == 0 or math.isnan(numerator):
            return math.nan
        return math.copysign(math.inf, numerator) * math.copysign(1.0, denominator)
    return numerator / denominator


#: DecoderDriver / SwitchMatrix orientation (``constant.h``): drive array rows or columns.
ROW_MODE = 0
COL_MODE = 1


def is_cmos_access(cell: Any) -> bool:
    """True for a 1T1R cell (``cell.access_type`` given as the enum, its code or its name)."""
    access = cell.access_type
    if isinstance(access, str):
        return access.lower() in ("cmos", "cmos_access")
    return int(access) == 0  # CellAccessType.CMOS_ACCESS


def tg_resistance_normal(width_n: float, width_p: float, temp: float, tech: Any) -> float:
    """On-resistance of an NMOS || PMOS transmission gate (normal on-resistance model);
    infinite for two zero-width transistors, as the C++ ``1 / (1/inf + 1/inf)``."""
    conductance = (1 / formula.calculate_on_resistance_normal(width_n, NMOS, temp, tech)
                   + 1 / formula.calculate_on_resistance_normal(width_p, PMOS, temp, tech))
    return ieee_div(1.0, conductance)
