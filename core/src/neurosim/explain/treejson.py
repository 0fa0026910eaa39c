"""The contribution trees in ``--json`` results (key ``contributions``), versioned.

    "contributions": {
      "schema": "neurosim.contributions/1",
      "figures": {"chip.area_m2": NODE, "chip.read_latency_s": NODE, ...}
    }
    NODE = {"name": str, "value": float,            # SI units, per member
            "rule": "sum" | "max" | "scale",        # only with children
            "factor": float,                        # only for "scale"
            "names": [str, ...],                    # only for N > 1 identical siblings
            "children": [NODE, ...]}                # only when not a leaf

Identical siblings (same kind and the same figures all the way down, see
:func:`neurosim.explain.fold.fold_identical`) are stored once with the list of their
names; :func:`trees_from_json` expands them back, so a tree read from a file is the tree
the engine built. A reader that meets another ``schema`` refuses the file.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..engine.contributions import Contribution
from ..engine.results import json_number
from ..errors import NeuroSimError
from .fold import Folded, SameTrees, expand, fold_identical

SCHEMA = "neurosim.contributions/1"

#: the trees written to ``--json``: the headline figures' (the rest follow from them)
TREE_PATHS: tuple[str, ...] = ("chip.area_m2", "chip.read_latency_s", "chip.read_energy_j",
                               "chip.leakage_energy_j", "chip.leakage_power_w",
                               "chip.area_empty_m2")


def _number(x: float) -> float | str:
    """:func:`~neurosim.engine.results.json_number`, without its checks for a finite float."""
    return x if type(x) is float and x - x == 0.0 else json_number(x)


def node_json(f: Folded) -> dict[str, Any]:
    n = f.node
    d: dict[str, Any] = {"name": f.names[0], "value": _number(n.value)}
    if n.children:
        d["rule"] = n.rule
        if n.rule == "scale":
            d["factor"] = _number(n.factor)
    if len(f.names) > 1:
        d["names"] = list(f.names)
    if f.children:
        d["children"] = list(map(node_json, f.children))
    return d


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off for the block: folding and writing VGG8's trees
    makes ~100,000 dicts, lists and tuples (none in a reference cycle: counting references
    frees them all), and the collections they would set off walk the whole heap (torch and
    the model included) for nothing, 0.1-0.2 s."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def contributions_json(res: Any, paths: tuple[str, ...] = TREE_PATHS) -> dict[str, Any]:
    """The ``contributions`` object of a result (paths it does not have are skipped)."""
    figures = {}
    with paused_gc():
        for path in paths:
            try:
                tree = res.explain(path)
            except KeyError:
                continue
            figures[path] = node_json(fold_identical(tree, SameTrees(strict=True)))
    return {"schema": SCHEMA, "figures": figures}


def _float(v: Any, where: str) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        raise NeuroSimError(f"{where}: value {v!r} is not a number") from None


def node_from_json(d: Any, where: str) -> Folded:
    if not isinstance(d, dict) or "name" not in d or "value" not in d:
        raise NeuroSimError(f"{where}: a tree node needs 'name' and 'value'")
    kids = [node_from_json(c, f"{where}/{c.get('name', '?') if isinstance(c, dict) else '?'}")
            for c in d.get("children", [])]
    rule = d.get("rule", "leaf" if not kids else "sum")
    if rule not in ("sum", "max", "scale", "leaf"):
        raise NeuroSimError(f"{where}: unknown rule {rule!r}")
    node = Contribution(str(d["name"]), _float(d["value"], where), [], rule,
                        _float(d.get("factor", 1.0), where))
    names = d.get("names") or [node.name]
    return Folded(node, [str(x) for x in names], kids)


def trees_from_json(obj: Any, source: str) -> dict[str, Contribution]:
    """The trees of a result's ``contributions`` object (``source`` names the file in
    errors); an empty dict when the result has none."""
    if obj is None:
        return {}
    if not isinstance(obj, dict) or obj.get("schema") != SCHEMA:
        got = obj.get("schema") if isinstance(obj, dict) else type(obj).__name__
        raise NeuroSimError(f"{source}: contributions schema {got!r}; this neurosim reads "
                            f"{SCHEMA!r} (re-run the estimate with this version)")
    out = {}
    for path, d in (obj.get("figures") or {}).items():
        out[path] = expand(node_from_json(d, f"{source}: contributions.{path}"))
    return out
