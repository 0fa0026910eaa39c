"""Which contributions explain the change of a figure between two results A and B.

The change of a tree's value is split exactly over its nodes (each split adds up to the
node's change, so the leaves of a printed split add up to the figure's change):

* ``sum``: the children's changes, matched by name (numbers in names, such as a tile
  count or a clock period, do not break a match; repeated names match in order); a child
  only in A or only in B changes by minus / plus its value;
* ``scale`` (``v = f c``): ``f_B (c_B - c_A)`` through the child, and ``(f_B - f_A) c_A``
  for the factor (a new clock period, tile count or speed-up);
* ``max`` (the slowest of parallel units): the change of the unit that is slowest in B,
  and, if that unit was not the slowest in A, ``c'_A - max_A`` for the switch of the
  critical unit;
* anything a node's parts leave out (a value that is not the sum of its parts) is one
  ``rest`` term.

Figures that are ratios of a tree's value (TOPS/W = K / E with E = dynamic + leakage
energy; TOPS and FPS = K / latency) change by ``(K_B - K_A) / E_B - K_A (E_B - E_A) /
(E_A E_B)``: exactly additive again, the tree's changes scaled by ``-K_A / (E_A E_B)``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from ..engine.contributions import Contribution

_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


@dataclass
class Delta:
    """One block's part of a figure's change: ``delta`` in the figure's units; ``a`` and
    ``b`` the block's own values in A and B (None: absent), in ``block_unit``."""

    name: str
    a: float | None
    b: float | None
    delta: float
    children: list["Delta"] = field(default_factory=list)
    note: str = ""
    count: int = 1  # identical siblings shown once
    key: str = ""  # what :func:`by_circuit` sums it under (default: its name's kind)

    def walk(self, depth: int = 0):
        yield depth, self
        for c in self.children:
            yield from c.walk(depth + 1)

    def leaves(self):
        for _, d in self.walk():
            if not d.children:
                yield d


def match_key(name: str) -> str:
    return _NUMBER.sub("#", name)


def _pairs(a: list[Contribution], b: list[Contribution]):
    """Children matched by name (numbers replaced), repeated names in order; B's order
    first, then what only A has."""
    def keyed(nodes: list[Contribution]) -> dict[tuple[str, int], Contribution]:
        seen: Counter[str] = Counter()
        out = {}
        for n in nodes:
            k = match_key(n.name)
            out[(k, seen[k])] = n
            seen[k] += 1
        return out

    ka, kb = keyed(a), keyed(b)
    for k, nb in kb.items():
        yield ka.get(k), nb
    for k, na in ka.items():
        if k not in kb:
            yield na, None


def _name(a: Contribution | None, b: Contribution | None) -> str:
    if a is None or b is None:
        return (b or a).name  # type: ignore[union-attr]
    return b.name if a.name == b.name else f"{a.name} -> {b.name}"


def delta_tree(a: Contribution | None, b: Contribution | None, k: float = 1.0) -> Delta:
    """The split of ``k (b - a)`` over the tree (see the module docstring)."""
    va = a.value if a is not None else 0.0
    vb = b.value if b is not None else 0.0
    node = Delta(_name(a, b), None if a is None else va, None if b is None else vb,
                 k * (vb - va))
    if a is None or b is None:
        node.note = "only in B" if a is None else "only in A"
        return node
    if not a.children or not b.children or a.rule != b.rule:
        return node
    kids: list[Delta] = []
    if a.rule == "sum":
        kids = [delta_tree(ca, cb, k) for ca, cb in _pairs(a.children, b.children)]
    elif a.rule == "scale":
        kids = [delta_tree(a.children[0], b.children[0], k * b.factor)]
        if b.factor != a.factor:
            kids.append(Delta(f"factor {a.factor:.6g} -> {b.factor:.6g}", a.factor, b.factor,
                              k * (b.factor - a.factor) * a.children[0].value,
                              note="factor", key=f"factor of '{match_key(b.name)}'"))
    elif a.rule == "max":
        slow_b = max(b.children, key=lambda c: c.value)
        slow_a = max(a.children, key=lambda c: c.value)
        partner = next((ca for ca, cb in _pairs(a.children, b.children) if cb is slow_b), None)
        kids = [delta_tree(partner, slow_b, k)]
        base = partner.value if partner is not None else 0.0
        if partner is not slow_a:
            kids.append(Delta(f"slowest unit: {slow_a.name} -> {slow_b.name}", slow_a.value,
                              base, k * (base - slow_a.value), note="critical path",
                              key="switch of the slowest unit"))
    rest = node.delta - math.fsum(c.delta for c in kids)
    if kids and abs(rest) > 1e-9 * max(abs(k * va), abs(k * vb), abs(node.delta), 1e-300):
        kids.append(Delta("rest (not in the parts)", None, None, rest, note="rest",
                          key="rest (not in the parts)"))
    node.children = kids
    return node


def ratio_delta(tree_a: Contribution, tree_b: Contribution, fig_a: float, fig_b: float,
                name: str) -> Delta:
    """The split of ``fig = K / value(tree)`` (K = fig x value in each result): the tree's
    changes scaled by ``-K_A / (E_A E_B)``, plus ``(K_B - K_A) / E_B`` when K changed."""
    ea, eb = tree_a.value, tree_b.value
    ka, kb = fig_a * ea, fig_b * eb
    inner = delta_tree(tree_a, tree_b, -ka / (ea * eb))
    kids = [inner]
    if abs(kb - ka) > 1e-12 * abs(ka):
        kids.append(Delta("operations per inference", ka, kb, (kb - ka) / eb, note="numerator",
                          key="operations per inference"))
    return Delta(name, fig_a, fig_b, fig_b - fig_a, kids)


def by_circuit(root: Delta) -> list[tuple[str, float, int]]:
    """The leaves' changes summed by circuit (leaf name, numbers and indices dropped),
    largest change first: (name, delta, number of leaves)."""
    from .fold import kind

    sums: dict[str, float] = {}
    counts: Counter[str] = Counter()
    for leaf in root.leaves():
        key = leaf.key or kind(match_key(leaf.name.split(" -> ")[-1]))
        sums[key] = sums.get(key, 0.0) + leaf.delta * leaf.count
        counts[key] += leaf.count
    return sorted(((n, d, counts[n]) for n, d in sums.items() if d != 0.0),
                  key=lambda t: -abs(t[1]))
