"""Helpers shared by the sensing circuits: initialisation check, layout option, FinFET sizing."""

from __future__ import annotations

from typing import Any

from neurosim.primitives.constants import AreaModify


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
    """NeuroSim V1.4 doubles sense-amplifier device widths at 14 nm and below (FinFET/GAA)."""
    return 2 if tech.feature_size <= 14 * 1e-9 else 1
