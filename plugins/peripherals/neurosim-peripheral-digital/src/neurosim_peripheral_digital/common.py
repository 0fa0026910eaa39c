"""Helpers shared by the digital circuits: initialisation check, layout option, errors."""

from __future__ import annotations

import math
from typing import Any

from neurosim.errors import NeuroSimError
from neurosim.primitives.constants import AreaModify


class CircuitSizeError(NeuroSimError):
    """A circuit cannot be laid out in the floor-plan size it was given."""


def require_initialized(unit: Any, method: str) -> None:
    """Raise when a calculation is asked of a circuit that was never initialised."""
    if not getattr(unit, "initialized", False):
        raise RuntimeError(f"{type(unit).__name__}.{method}: call initialize() first")


def apply_area_option(unit: Any, new_height: float, new_width: float, option: int) -> None:
    """Record the requested floor-plan size and apply the MAGIC / OVERRIDE layout option."""
    unit.new_height = new_height
    unit.new_width = new_width
    if option == AreaModify.MAGIC:
        unit.magic_layout()
    elif option == AreaModify.OVERRIDE:
        unit.override_layout()


def finfet_width_factor(tech: Any) -> int:
    """NeuroSim V1.4 doubles SRAM-cell device widths at 14 nm and below (FinFET/GAA)."""
    return 2 if tech.feature_size <= 14 * 1e-9 else 1


def gaa_node(ctx: Any) -> float | None:
    """1e-9 or 2e-9 when the GAA special layout of the 1 nm / 2 nm node applies, else None."""
    if not ctx.param.speciallayout:
        return None
    f = ctx.tech.feature_size
    if f == 2e-9:
        return 2e-9
    if f == 1e-9:
        return 1e-9
    return None


def cycles(latency_s: float, clk_freq_hz: float) -> float:
    """C++ ``ceil(latency * clkFreq)``: clock cycles, passing inf / nan through as C does."""
    x = latency_s * clk_freq_hz
    return float(math.ceil(x)) if math.isfinite(x) else x
