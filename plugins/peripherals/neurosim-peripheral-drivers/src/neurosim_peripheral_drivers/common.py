"""Helpers shared by the drive circuits: layout options and initialisation checks."""

from __future__ import annotations

import math
from typing import Any

from neurosim.primitives import formula
from neurosim.primitives.constants import NMOS, PMOS, AreaModify


def apply_area_option(unit: Any, new_height: float, new_width: float, option: int) -> None:
    """Record the requested floor-plan size and apply the MAGIC / OVERRIDE layout option."""
    unit.new_height = new_height
    unit.new_width = new_width
    if option == AreaModify.MAGIC:
        unit.magic_layout()
    elif option == AreaModify.OVERRIDE:
        unit.override_layout()


def require_initialized(unit: Any, method: str) -> None:
    """Raise when a calculation is asked of a circuit that was never initialised."""
    if not getattr(unit, "initialized", False):
        raise RuntimeError(f"{type(unit).__name__}.{method}: call initialize() first")


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
    """On-resistance of an NMOS || PMOS transmission gate (normal on-resistance model)."""
    return 1 / (1 / formula.calculate_on_resistance_normal(width_n, NMOS, temp, tech)
                + 1 / formula.calculate_on_resistance_normal(width_p, PMOS, temp, tech))
