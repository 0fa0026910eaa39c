"""Per-node circuit fits: the Cadence-fitted coefficients a technology node ships for the
circuit models (``node.json`` ``circuit_fits``), and the opt-in fallback rule.

A circuit asks ``tech.circuit_fit("mlsa", "csa_latency")``. The node's own datum is used when
present. Otherwise:

* ``fit_fallback = "none"`` (the default): :class:`~neurosim.errors.ConfigError` naming the
  circuit, the missing datum, the node and the distribution that registered it;
* ``fit_fallback = "nearest"``: the datum of the registered node nearest in
  ``|ln(node_nm) - ln(other_nm)|`` that has it (ties: the smaller node), with a
  :class:`FitFallbackWarning` naming the circuit, the datum and the node borrowed from.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from .errors import ConfigError

FALLBACKS = ("none", "nearest")


class FitFallbackWarning(UserWarning):
    """A circuit fit was borrowed from another node (``fit_fallback = "nearest"``)."""


@dataclass(frozen=True)
class CircuitFits:
    """The ``circuit_fits`` of one node, with the fallback policy and the other nodes' fits.

    ``others`` holds ``(name, node_nm, circuit_fits)`` of the other registered nodes; it is
    only read when ``fallback == "nearest"``.
    """

    node_name: str
    node_nm: float
    distribution: str
    data: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    fallback: str = "none"
    others: tuple[tuple[str, float, Mapping[str, Any]], ...] = ()

    @classmethod
    def of(cls, node: Any, *, distribution: str = "", fallback: str = "none",
           others: Iterable[Any] = ()) -> "CircuitFits":
        """The fits of ``node`` (a :class:`~neurosim.technology.TechNode`); ``others`` are
        the other nodes the nearest-node fallback may borrow from."""
        if fallback not in FALLBACKS:
            raise ConfigError(f"option fit_fallback = {fallback!r} is not allowed; choose one "
                              f"of {', '.join(FALLBACKS)}")
        rest = tuple((o.name, float(o.node_nm), o.circuit_fits) for o in others
                     if o.name != node.name)
        return cls(node.name, float(node.node_nm), distribution or f"the {node.name} node plugin",
                   node.circuit_fits, fallback, rest)

    def has(self, circuit: str, datum: str) -> bool:
        """Whether the node itself provides ``circuit_fits[circuit][datum]``."""
        return datum in self.data.get(circuit, {})

    def get(self, circuit: str, datum: str) -> Any:
        """``circuit_fits[circuit][datum]`` of the node, or per the fallback rule."""
        block = self.data.get(circuit, {})
        if datum in block:
            return block[datum]
        if self.fallback == "nearest":
            borrowed = self._nearest(circuit, datum)
            if borrowed is not None:
                name, value = borrowed
                warnings.warn(
                    f"{circuit}: tech = {self.node_name} has no circuit fit "
                    f"circuit_fits.{circuit}.{datum}; using the {name} node's "
                    "(fit_fallback = nearest)", FitFallbackWarning, stacklevel=3)
                return value
        hint = ("no registered node has it either" if self.fallback == "nearest" else
                "set fit_fallback = nearest to borrow the nearest node's fit (with a warning)")
        raise ConfigError(
            f"{circuit}: tech = {self.node_name} has no circuit fit "
            f"circuit_fits.{circuit}.{datum} in its node data ({self.distribution}); add it "
            f"to the node plugin's node.json, or {hint}")

    def _nearest(self, circuit: str, datum: str) -> tuple[str, Any] | None:
        """``(name, value)`` of the nearest node in log(node) that has the datum."""
        here = math.log(self.node_nm) if self.node_nm > 0 else 0.0
        best = None
        for name, nm, fits in self.others:
            if datum not in fits.get(circuit, {}) or nm <= 0:
                continue
            key = (abs(math.log(nm) - here), nm)
            if best is None or key < best[0]:
                best = (key, name, fits[circuit][datum])
        return None if best is None else (best[1], best[2])


__all__ = ["CircuitFits", "FitFallbackWarning", "FALLBACKS"]
