"""The form of NeuroSim V1.4's multilevel-sense-amplifier Cadence fits (MultilevelSenseAmp.cpp).

The coefficients are node data: ``circuit_fits.mlsa`` of each node plugin's ``node.json``,
read with ``tech.circuit_fit("mlsa", datum)``:

* ``csa_latency`` / ``vsa_latency`` (``ColumnLatency_Table``): sensing latency against the
  reference resistance, piecewise ``a*ln(R) + b`` / ``a*R + b`` (:class:`Piece` rows
  ``[upper_ohm, "log"|"lin", a, b]``), plus a column-capacitance correction above
  ``resthreshold_ohm`` (:class:`LatencyFit`);
* ``csa_hp_power``: ``{"c_uw", "a", "b"}``, ``c*(levelOutput-1)*1 uW + a*exp(-b*log10(R))``;
* ``csa_lstp_power``: ``{"pieces"}``, the current-mirror leakage per level, pieces in R;
* ``switching_vread_v``: the read voltage the switching-energy model assumes (V).

Column resistances are normalised to a 0.5 V read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from neurosim.errors import ConfigError

LOG, LIN = "log", "lin"
#: Name of the circuit's block in the node data (``node.json`` ``circuit_fits``).
CIRCUIT = "mlsa"


@dataclass(frozen=True)
class Piece:
    """One piece ``a*f(R) + b`` of a fit, used while ``R < upper`` (``None``: the last piece)."""

    upper: float | None
    kind: str  # LOG: f = ln, LIN: f = identity
    a: float
    b: float


@dataclass(frozen=True)
class LatencyFit:
    """Latency fit of one node and mode and its column-cap correction constants."""

    pieces: tuple[Piece, ...]
    refcap_f: float  # column capacitance of the simulated reference, F
    dc_s: float  # latency increase fitting parameter, s
    r2_ohm: float  # fitting resistance, Ohm
    resthreshold_ohm: float  # resistance above which the column cap matters, Ohm

    @classmethod
    def from_data(cls, d: Mapping[str, Any]) -> "LatencyFit":
        """From the node data's ``{"pieces", "refcap_f", "dc_s", "r2_ohm",
        "resthreshold_ohm"}``."""
        return cls(pieces_from_data(d["pieces"]), float(d["refcap_f"]), float(d["dc_s"]),
                   float(d["r2_ohm"]), float(d["resthreshold_ohm"]))


def pieces_from_data(rows: Any) -> tuple[Piece, ...]:
    """Pieces from the node data's ``[[upper, kind, a, b], ...]`` (``upper`` null: last)."""
    out = []
    for row in rows:
        upper, kind, a, b = row
        if kind not in (LOG, LIN):
            raise ConfigError(f"circuit_fits.{CIRCUIT}: piece kind {kind!r} is not "
                              f"{LOG!r} or {LIN!r}")
        out.append(Piece(None if upper is None else float(upper), kind, float(a), float(b)))
    return tuple(out)


#: Power of a column whose resistance is infinite (no cell conducts), W.
OPEN_COLUMN_POWER_W = 1e-6

