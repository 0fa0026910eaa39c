"""Node-dependent standard-cell dimensions shared by the drive circuits (NeuroSim V1.4 rules).

Below 22 nm NeuroSim V1.4 rescales the planar-CMOS layout rules (in feature sizes F) to the
published cell height, contacted poly pitch (CPP) and metal pitch of each FinFET / GAA node.
The node is recognised by an exact comparison of the feature size with ``n * 1e-9`` as in the
C++ model; any other feature size keeps the planar rule.
"""

from __future__ import annotations

from typing import Any, Mapping

from neurosim.primitives.constants import (
    CPP_NM,
    M2_PITCH,
    M2_PITCH_NM,
    M3_PITCH,
    M3_PITCH_NM,
    MAX_TRANSISTOR_HEIGHT,
    MAX_TRANSISTOR_HEIGHT_NM,
    MIN_GAP_BET_GATE_POLY,
    POLY_WIDTH,
)


def node_rule(tech: Any, table: Mapping[int, float]) -> float | None:
    """The ``table`` entry of the node whose feature size is exactly ``n * 1e-9``, if any."""
    for node_nm, value in table.items():
        if tech.feature_size == node_nm * 1e-9:
            return value
    return None


def min_cell_height_m(tech: Any) -> float:
    """Standard-cell height: 28 F, or the node's published cell height below 22 nm."""
    height = MAX_TRANSISTOR_HEIGHT * tech.feature_size
    rule = node_rule(tech, MAX_TRANSISTOR_HEIGHT_NM)
    if rule is not None:
        height *= rule / MAX_TRANSISTOR_HEIGHT
    return height


def min_cell_width_m(tech: Any) -> float:
    """Width of one transmission gate: two poly pitches, or two of the node's CPP."""
    width = 2 * (POLY_WIDTH + MIN_GAP_BET_GATE_POLY) * tech.feature_size
    rule = node_rule(tech, CPP_NM)
    if rule is not None:
        width *= rule / (MIN_GAP_BET_GATE_POLY + POLY_WIDTH)
    return width


def metal_pitches_f(tech: Any) -> tuple[float, float]:
    """(M2 pitch, M3 pitch) in F: 3.2 F / 2.8 F, or the node's single-patterning pitch."""
    metal2, metal3 = M2_PITCH, M3_PITCH
    m2 = node_rule(tech, M2_PITCH_NM)
    if m2 is not None:
        metal2 *= m2 / M2_PITCH
        metal3 *= node_rule(tech, M3_PITCH_NM) / M3_PITCH
    return metal2, metal3
