"""Named contributions: every figure the engine reports keeps the tree of blocks that
produced it (chip -> tile -> PE -> subarray -> circuit), so ``neurosim explain`` can say
where any number comes from.

A :class:`Contribution` is a value with a name and the rule that combines its children:
``sum`` (the value is the sum of the children), ``max`` (the slowest of parallel units) or
``scale`` (one child times ``factor``: a speed-up division or a clock-period conversion).

:class:`Perf` is the running set of performance figures of one block while NeuroSim's
accumulation code executes: each operation updates the value exactly as the C++ statement
does (same operations, same order) and records the matching tree node.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

#: performance figures of a layer, with NeuroSim's meaning (latency in cycles or seconds,
#: energy in joules); names follow the C++ pointer outputs of ChipCalculatePerformance.
PERF_FIGURES: tuple[str, ...] = (
    "read_latency", "read_dynamic_energy", "buffer_latency", "buffer_dynamic_energy",
    "ic_latency", "ic_dynamic_energy", "core_latency_adc", "core_latency_accum",
    "core_latency_other", "core_energy_adc", "core_energy_accum", "core_energy_other",
)


@dataclass
class Contribution:
    """One named term of a figure and the terms it is made of."""

    name: str
    value: float
    children: list["Contribution"] = field(default_factory=list)
    rule: str = "sum"  # "sum" | "max" | "scale" | "leaf"
    factor: float = 1.0  # for rule "scale"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "value": self.value}
        if self.children:
            d["rule"] = self.rule
            if self.rule == "scale":
                d["factor"] = self.factor
            d["children"] = [c.to_dict() for c in self.children]
        return d

    def walk(self, depth: int = 0) -> Iterator[tuple[int, "Contribution"]]:
        yield depth, self
        for c in self.children:
            yield from c.walk(depth + 1)

    def format(self, unit: str = "", scale: float = 1.0, max_depth: int = 99) -> str:
        lines = []
        for depth, c in self.walk():
            if depth > max_depth:
                continue
            how = ""
            if c.children:
                how = {"sum": "", "max": "  [max of]", "scale": f"  [x {c.factor:g}]"}.get(
                    c.rule, "")
            lines.append(f"{'  ' * depth}{c.name}: {c.value * scale:.6g}{unit}{how}")
        return "\n".join(lines)


def leaf(name: str, value: float) -> Contribution:
    return Contribution(name, float(value), rule="leaf")


def total(name: str, parts: Iterable[Contribution]) -> Contribution:
    """A sum node whose value is the sum of ``parts`` (left to right)."""
    parts = list(parts)
    v = 0.0
    for p in parts:
        v += p.value
    return Contribution(name, v, parts, "sum")


class Perf:
    """Performance figures of one block, each with its contribution tree.

    ``value(f)`` is the figure; ``node(f)`` its tree (a ``sum`` node named after the
    block). Operations mirror the C++ statements: ``add`` is ``+=``, ``keep_max`` is
    ``x = MAX(child, x)``, ``scale`` is ``*=`` / ``/=``, ``set`` is ``=``.
    """

    __slots__ = ("name", "values", "parts", "clk_period", "leakage", "leakage_sram_in_use",
                 "leakage_tree")

    def __init__(self, name: str, figures: Iterable[str] = PERF_FIGURES) -> None:
        self.name = name
        self.values: dict[str, float] = {f: 0.0 for f in figures}
        self.parts: dict[str, list[Contribution]] = {f: [] for f in self.values}
        self.clk_period = 0.0
        self.leakage = 0.0
        self.leakage_sram_in_use = 0.0
        self.leakage_tree: Contribution | None = None

    # -- reading -------------------------------------------------------------------------
    def value(self, fig: str) -> float:
        return self.values[fig]

    def __getitem__(self, fig: str) -> float:
        return self.values[fig]

    def node(self, fig: str, name: str | None = None) -> Contribution:
        return Contribution(name or self.name, self.values[fig], list(self.parts[fig]), "sum")

    # -- C++ statements ------------------------------------------------------------------
    def add(self, fig: str, name: str, value: float | Contribution) -> None:
        """``fig += value`` (a named term or a whole sub-tree)."""
        node = value if isinstance(value, Contribution) else leaf(name, value)
        self.values[fig] += node.value
        self.parts[fig].append(node)

    def add_many(self, figs: Iterable[str], name: str, value: float) -> None:
        for f in figs:
            self.add(f, name, value)

    def set(self, fig: str, name: str, value: float | Contribution) -> None:
        """``fig = value`` (discards earlier terms)."""
        node = value if isinstance(value, Contribution) else leaf(name, value)
        self.values[fig] = node.value
        self.parts[fig] = [node]

    def keep_max(self, fig: str, group: str, child: Contribution) -> None:
        """``fig = MAX(child, fig)``: the slowest of parallel units (a ``max`` group)."""
        parts = self.parts[fig]
        if parts and parts[-1].rule == "max" and parts[-1].name == group:
            g = parts[-1]
        else:
            # a max with the value accumulated so far (NeuroSim's pattern starts from 0)
            g = Contribution(group, 0.0, [], "max")
            if self.values[fig] != 0.0:
                g.children.append(Contribution("so far", self.values[fig], parts[:], "sum"))
            self.parts[fig] = [g]
        g.children.append(child)
        # NeuroSim's MAX(a, b) is ``a > b ? a : b``: a NaN child leaves the figure as it was
        new = child.value if child.value > self.values[fig] else self.values[fig]
        g.value = new
        self.values[fig] = new

    def scale(self, fig: str, name: str, factor: float, divide: bool = False) -> None:
        """``fig *= factor`` (or ``fig /= factor`` with ``divide``)."""
        old = self.values[fig]
        new = old / factor if divide else old * factor
        inner = Contribution(self.name, old, self.parts[fig], "sum")
        self.values[fig] = new
        self.parts[fig] = [Contribution(name, new, [inner], "scale",
                                        (1.0 / factor) if divide else factor)]

    def renamed(self, name: str) -> "Perf":
        """The same figures and trees for a block called ``name``: the nodes this block's
        own operations named after it (the inner sum of each :meth:`scale`, also inside
        the ``so far`` node of a later :meth:`keep_max` group, and the top of
        ``leakage_tree``) are rebuilt with the new name; every other node is shared."""
        old = self.name
        out = Perf.__new__(Perf)
        out.name = name
        out.values = dict(self.values)
        out.parts = {f: [_renamed(c, old, name) for c in parts]
                     for f, parts in self.parts.items()}
        out.clk_period = self.clk_period
        out.leakage = self.leakage
        out.leakage_sram_in_use = self.leakage_sram_in_use
        tree = self.leakage_tree
        if tree is not None and tree.name == old:
            tree = Contribution(name, tree.value, tree.children, tree.rule, tree.factor)
        out.leakage_tree = tree
        return out

    def absorb(self, other: "Perf", name: str | None = None,
               figs: Iterable[str] | None = None) -> None:
        """``fig += other.fig`` for every figure (energies of a child block)."""
        for f in figs or self.values:
            self.add(f, "", other.node(f, name))


def _renamed(c: Contribution, old: str, new: str) -> Contribution:
    """``c`` with the nodes :class:`Perf` named ``old`` renamed ``new`` (see
    :meth:`Perf.renamed`): a ``scale`` node's inner sum, and what a ``max`` group's
    ``so far`` node wraps."""
    kids = c.children
    if c.rule == "scale" and kids and kids[0].name == old and kids[0].rule == "sum":
        inner = kids[0]
        inner = Contribution(new, inner.value, [_renamed(k, old, new) for k in inner.children],
                             "sum", inner.factor)
        return Contribution(c.name, c.value, [inner], "scale", c.factor)
    if c.rule == "max" and kids and kids[0].name == "so far" and kids[0].rule == "sum":
        so_far = kids[0]
        so_far = Contribution("so far", so_far.value,
                              [_renamed(k, old, new) for k in so_far.children], "sum",
                              so_far.factor)
        return Contribution(c.name, c.value, [so_far, *kids[1:]], "max", c.factor)
    return c
