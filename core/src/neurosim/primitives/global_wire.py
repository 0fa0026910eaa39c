"""Global (tile-to-tile) wires of NeuroSim V1.4: ``HTree`` / ``XYBus``'s ``GetUnitLengthRes``.

A global wire is drawn wider the longer it is: ``4 w`` from 100000 F of length, ``2 w`` from
10000 F, else ``w`` (``w`` = the node's ``wireWidth`` in nm). The width bin gives the aspect
ratio, bulk resistivity and barrier thickness; then, as in ``Param.cpp`` (:mod:`.wire`) but with
this table (which differs from ``Param``'s in the 40-56 nm barrier and the 10-12 nm bin):

* ``rho_eff = rho / (1 - (2 AR w + w) t_b / (AR w^2))`` with ``w`` in nm and ``t_b`` in m
  (the unit mix makes the correction ~1e-9 relative; kept as NeuroSim computes it);
* ``rho_T = rho_eff (1 + 0.00451 (T - 300))`` (no absolute value here, unlike ``Param``);
* ``R' = rho_T / (w^2 AR)`` with ``w`` in m, in ohm/m.

Shared by the interconnect plugins (H-tree, X-Y bus); the repeated line they build on these
wires is :class:`neurosim.primitives.repeated_wire.RepeatedWire`.
"""

from __future__ import annotations

from ..errors import ConfigError
from .wire import TEMPERATURE_COEFFICIENT, barrier_corrected_resistivity, unit_length_resistance

#: (lower bound of the width bin in nm, AR, bulk resistivity in ohm*m, barrier thickness in m),
#: widest first; a width falls in the first bin whose lower bound it reaches.
GLOBAL_WIRE_BINS: tuple[tuple[float, float, float, float], ...] = (
    (175, 1.6, 2.01e-8, 10.0e-9),
    (110, 1.6, 2.20e-8, 10.0e-9),
    (105, 1.7, 2.21e-8, 7.0e-9),
    (80, 1.7, 2.37e-8, 5.0e-9),
    (56, 1.8, 2.63e-8, 4.0e-9),
    (40, 1.9, 2.97e-8, 3.0e-9),
    (32, 2.0, 3.25e-8, 2.5e-9),
    (22, 2.00, 3.95e-8, 2.5e-9),
    (20, 2.00, 4.17e-8, 2.5e-9),
    (15, 2.00, 4.98e-8, 2.0e-9),
    (12, 2.00, 5.8e-8, 1.5e-9),
    (10, 3.00, 6.65e-8, 0.5e-9),
    (8, 3.00, 7.87e-8, 0.5e-9),
)


def global_wire_width_nm(wire_length_m: float, feature_size_m: float,
                         wire_width_nm: float) -> float:
    """Drawn width (nm) of a global wire of the given length."""
    ratio = wire_length_m / feature_size_m
    if ratio >= 100000:
        return 4 * wire_width_nm
    if 10000 <= ratio <= 100000:
        return 2 * wire_width_nm
    return 1 * wire_width_nm


def unit_length_res_ohm_per_m(wire_length_m: float, feature_size_m: float,
                              wire_width_nm: float, temperature_k: int) -> float:
    """``R'`` (ohm/m) of a global wire of length ``wire_length_m``.

    Raises :class:`ConfigError` when the drawn width is below 8 nm (NeuroSim exits).
    """
    width = global_wire_width_nm(wire_length_m, feature_size_m, wire_width_nm)
    for lower, ar, rho, barrier in GLOBAL_WIRE_BINS:
        if width >= lower:
            break
    else:
        raise ConfigError(f"global wire width {width:g} nm is below the 8 nm NeuroSim's wire "
                          "table covers (NeuroSim exits: 'Wire width out of range')")
    rho = barrier_corrected_resistivity(rho, ar, width, barrier)
    rho *= (1 + TEMPERATURE_COEFFICIENT * (temperature_k - 300))
    return unit_length_resistance(rho, width, ar)
