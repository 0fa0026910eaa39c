"""Interconnect-wire resistance model of NeuroSim V1.4 (``Param.cpp``).

Each metal layer of width ``w`` (nm) gets an aspect ratio ``AR`` (thickness / width) and a
bulk resistivity ``rho`` from a table of width bins (size effect: narrower wires scatter
more), then

* a barrier correction ``rho_eff = rho / (1 - (2 AR w + w) t_b / (AR w^2))`` -- the conducting
  cross-section lost to the liner. NeuroSim evaluates it with ``w`` in nm but the barrier
  thickness ``t_b`` in m, so the correction is ~1e-9 relative (numerically inert); it is
  reproduced as NeuroSim computes it;
* for the main wire (``wireWidth``) only, a temperature correction
  ``rho *= 1 + 0.00451 |T - 300|`` (copper TCR); Metal0 / Metal1 stay at 300 K values;
* the resistance per unit length ``R' = rho / (w^2 AR)`` (w in m), in ohm/m.

Metal0 carries the columns and Metal1 the rows inside a subarray; ``wireWidth`` (= F) is used
for everything else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import ConfigError

#: (lower bound of the width bin in nm, AR, bulk resistivity in ohm*m), widest first;
#: a width falls in the first bin whose lower bound it reaches.
WIRE_BINS: tuple[tuple[float, float, float], ...] = (
    (175, 1.6, 2.01 * 1e-8),
    (110, 1.6, 2.20 * 1e-8),
    (105, 1.7, 2.21 * 1e-8),
    (80, 1.7, 2.37 * 1e-8),
    (56, 1.8, 2.63 * 1e-8),
    (40, 1.9, 2.97 * 1e-8),
    (32, 2.0, 3.25 * 1e-8),
    (22, 2.00, 3.95 * 1e-8),
    (20, 2.00, 4.17 * 1e-8),
    (15, 2.00, 4.98 * 1e-8),
    (12, 2.00, 5.8 * 1e-8),
    (10, 2.00, 6.61 * 1e-8),
    (8, 3.00, 7.87 * 1e-8),
)

#: Copper temperature coefficient of resistivity used by NeuroSim, 1/K.
TEMPERATURE_COEFFICIENT = 0.00451


def aspect_ratio_and_resistivity(width_nm: float) -> tuple[float, float]:
    """``(AR, rho_bulk)`` of a wire ``width_nm`` wide (width bins of Param.cpp).

    Raises :class:`ConfigError` below 8 nm (NeuroSim exits: "Wire width out of range").
    """
    for lower, ar, rho in WIRE_BINS:
        if width_nm >= lower:
            return ar, rho
    raise ConfigError(f"wire width {width_nm:g} nm is out of range: the resistivity table "
                      "covers widths of 8 nm and more")


def barrier_corrected_resistivity(rho: float, ar: float, width_nm: float,
                                  barrier_thickness_m: float) -> float:
    """``rho / (1 - (2 AR w + w) t_b / (AR w^2))`` with ``w`` in nm and ``t_b`` in m.

    The unit mismatch is NeuroSim's (the correction is ~1e-9 relative); kept for parity.
    """
    return rho * 1 / (1 - ((2 * ar * width_nm + width_nm) * barrier_thickness_m
                           / (ar * math.pow(width_nm, 2))))


def temperature_corrected_resistivity(rho: float, temperature_k: int) -> float:
    """``rho * (1 + 0.00451 |T - 300|)``; ``T`` is NeuroSim's integer temperature in K."""
    return rho * (1 + TEMPERATURE_COEFFICIENT * abs(int(temperature_k) - 300))


def unit_length_resistance(rho: float, width_nm: float, ar: float) -> float:
    """Resistance per unit length ``rho / (w * w * AR)`` of a wire ``width_nm`` wide, ohm/m."""
    return rho / (width_nm * 1e-9 * width_nm * 1e-9 * ar)


@dataclass(frozen=True)
class WireModel:
    """Aspect ratios, effective resistivities and unit-length resistances of one node.

    Names follow Param.h by the porting rule (``AR``, ``Rho``, ``AR_Metal0``, ...,
    ``unitLengthWireResistance``, ``Metal0_unitwireresis``).
    """

    ar: float
    rho: float  #: main wire, barrier and temperature corrected
    ar_metal0: float
    rho_metal0: float  #: barrier corrected, 300 K
    ar_metal1: float
    rho_metal1: float  #: barrier corrected, 300 K
    unit_length_wire_resistance: float  #: ohm/m
    metal0_unitwireresis: float  #: ohm/m
    metal1_unitwireresis: float  #: ohm/m


def wire_model(wire_width_nm: float, metal0_nm: float, metal1_nm: float,
               barrier_thickness_m: float, temperature_k: int) -> WireModel:
    """Param.cpp's wire initialisation for one node (widths in nm, barrier in m)."""
    ar, rho = aspect_ratio_and_resistivity(wire_width_nm)
    rho = barrier_corrected_resistivity(rho, ar, wire_width_nm, barrier_thickness_m)
    ar0, rho0 = aspect_ratio_and_resistivity(metal0_nm)
    rho0 = barrier_corrected_resistivity(rho0, ar0, metal0_nm, barrier_thickness_m)
    ar1, rho1 = aspect_ratio_and_resistivity(metal1_nm)
    rho1 = barrier_corrected_resistivity(rho1, ar1, metal1_nm, barrier_thickness_m)
    metal0_r = unit_length_resistance(rho0, metal0_nm, ar0)
    metal1_r = unit_length_resistance(rho1, metal1_nm, ar1)
    rho = temperature_corrected_resistivity(rho, temperature_k)
    return WireModel(ar=ar, rho=rho, ar_metal0=ar0, rho_metal0=rho0, ar_metal1=ar1,
                     rho_metal1=rho1,
                     unit_length_wire_resistance=unit_length_resistance(rho, wire_width_nm, ar),
                     metal0_unitwireresis=metal0_r, metal1_unitwireresis=metal1_r)
