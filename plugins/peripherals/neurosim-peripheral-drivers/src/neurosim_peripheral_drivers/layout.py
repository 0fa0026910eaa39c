"""Node-dependent standard-cell dimensions shared by the drive circuits (NeuroSim V1.4 rules).

At FinFET / GAA nodes NeuroSim V1.4 rescales the planar-CMOS layout rules (in feature sizes
F) to the published cell height, contacted poly pitch (CPP) and metal pitch of the node; the
values are the node's data, ``tech.layout`` (:class:`neurosim.technology.LayoutRules`).
Planar nodes keep the planar rule.
"""

from __future__ import annotations

from typing import Any

from neurosim.primitives.constants import (
    M2_PITCH,
    M3_PITCH,
    MAX_TRANSISTOR_HEIGHT,
    MIN_GAP_BET_GATE_POLY,
    POLY_WIDTH,
)


def min_cell_height_m(tech: Any) -> float:
    """Standard-cell height: 28 F, or the node's published cell height below 22 nm."""
    height = MAX_TRANSISTOR_HEIGHT * tech.feature_size
    if tech.nonplanar:
        height *= tech.layout.max_transistor_height / MAX_TRANSISTOR_HEIGHT
    return height


def min_cell_width_m(tech: Any) -> float:
    """Width of one transmission gate: two poly pitches, or two of the node's CPP."""
    width = 2 * (POLY_WIDTH + MIN_GAP_BET_GATE_POLY) * tech.feature_size
    if tech.nonplanar:
        width *= tech.layout.cpp / (MIN_GAP_BET_GATE_POLY + POLY_WIDTH)
    return width


def metal_pitches_f(tech: Any) -> tuple[float, float]:
    """(M2 pitch, M3 pitch) in F: 3.2 F / 2.8 F, or the node's single-patterning pitch."""
    metal2, metal3 = M2_PITCH, M3_PITCH
    if tech.nonplanar:
        metal2 *= tech.layout.m2_pitch / M2_PITCH
        metal3 *= tech.layout.m3_pitch / M3_PITCH
    return metal2, metal3
