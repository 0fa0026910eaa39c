"""Folding contribution trees so that they fit a screen.

Three foldings, each keeping the rule "a node's printed children combine to its value":

* **identical siblings** (:func:`fold_identical`): adjacent siblings of one kind (``tile[0,0]``,
  ``tile[0,1]``: the same name once bracketed indices are dropped) whose whole sub-trees
  carry the same figures are kept once, with their count: ``tile[0,0..0,1] x 2``;
* **similar siblings** (:func:`group_similar`): a run of siblings of one kind that differ
  (nine PEs fed with different inputs) becomes one node, their sum, whose children are the
  sums of the members' matching children (only where the members' trees have the same
  shape and every merged node is a ``sum`` or a ``scale`` by one factor: a sum of maxima
  is not the maximum of sums, so a merged ``max`` node is kept as a leaf);
* **small terms** (:func:`collapse_small`): children of a ``sum`` node below a share of
  the root become one ``N smaller terms`` node (their sum); the units of a ``max`` node
  other than the slowest become one ``N faster units`` node.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..engine.contributions import Contribution

_INDEX = re.compile(r"\[[^\]]*\]")


def kind(name: str) -> str:
    """The name without bracketed indices: ``PE[0,1]`` -> ``PE[]``."""
    return _INDEX.sub("[]", name)


def _round(x: float) -> float:
    return float(f"{x:.12g}")


class SameTrees:
    """Whether two sub-trees print the same: names, rules, factors and values (to 12
    digits) all the way down. The top nodes' names count by their kind; below them, names
    count by kind too unless ``strict`` (then two siblings are the same only if their
    descendants' names are equal, so that keeping one of them loses nothing: what the JSON
    needs). The trees are compared node by node, stopping at the first difference (most
    differing siblings differ in their own value); kinds are remembered per name."""

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self._kinds: dict[str, str] = {}

    def kind(self, name: str) -> str:
        """:func:`kind`, remembered per name (a VGG8 tree: ~11,000 nodes, ~120 names)."""
        k = self._kinds.get(name)
        if k is None:
            k = self._kinds[name] = kind(name)
        return k

    def __call__(self, a: Contribution, b: Contribution) -> bool:
        return self.kind(a.name) == self.kind(b.name) and self._same_below_name(a, b)

    def _same_below_name(self, a: Contribution, b: Contribution) -> bool:
        if a is b:
            return True
        if not (_same_figure(a.value, b.value) and a.rule == b.rule
                and _same_figure(a.factor, b.factor) and len(a.children) == len(b.children)):
            return False
        for x, y in zip(a.children, b.children):
            if self.strict:
                if x.name != y.name:
                    return False
            elif self.kind(x.name) != self.kind(y.name):
                return False
            if not self._same_below_name(x, y):
                return False
        return True


def _same_figure(x: float, y: float) -> bool:
    """``_round(x) == _round(y)`` (rounding only what differs: equal floats round alike)."""
    return x == y or _round(x) == _round(y)


@dataclass
class Folded:
    """A node printed once for ``len(names)`` identical siblings (``names[0]`` is the
    representative ``node``; ``value`` is per member)."""

    node: Contribution
    names: list[str]
    children: list[Folded] = field(default_factory=list)
    note: str = ""

    @property
    def count(self) -> int:
        return len(self.names)

    @property
    def value(self) -> float:
        return self.node.value

    @property
    def total(self) -> float:
        return self.node.value * len(self.names)

    @property
    def label(self) -> str:
        return group_label(self.names)


def group_label(names: list[str]) -> str:
    """``tile[0,0]`` .. ``tile[0,1]`` -> ``tile[0,0..0,1]``; other names -> the first."""
    first, last = names[0], names[-1]
    if len(names) == 1 or first == last:
        return first
    a, b = _INDEX.search(first), _INDEX.search(last)
    if a and b and first[:a.start()] == last[:b.start()] and first[a.end():] == last[b.end():]:
        lo = a.group()[1:-1].split("..")[0]  # the ends of labels that are ranges already
        hi = b.group()[1:-1].split("..")[-1]
        return f"{first[:a.start()]}[{lo}..{hi}]{first[a.end():]}"
    return first


def fold_identical(tree: Contribution, same: SameTrees | None = None) -> Folded:
    """``tree`` with runs of adjacent identical siblings of one kind kept once (the order
    of the siblings is kept; with ``SameTrees(strict=True)`` :func:`expand` gives the
    tree back exactly, names included)."""
    same = same or SameTrees()

    def visit(node: Contribution, name: str) -> Folded:
        runs: list[list[Contribution]] = []
        for c in node.children:
            if runs and same(runs[-1][0], c):
                runs[-1].append(c)
            else:
                runs.append([c])
        kids = []
        for members in runs:
            f = visit(members[0], members[0].name)
            f.names = [m.name for m in members]
            kids.append(f)
        return Folded(node, [name], kids)

    return visit(tree, tree.name)


def expand(f: Folded) -> Contribution:
    """The plain tree back from a folded one (members share their sub-tree objects)."""
    kids: list[Contribution] = []
    for c in f.children:
        sub = expand(c)
        for name in c.names:
            kids.append(Contribution(name, sub.value, sub.children, sub.rule, sub.factor))
    n = f.node
    return Contribution(f.names[0], n.value, kids, n.rule, n.factor)


# ----------------------------------------------------------------------------- display


def _merge(nodes: list[Contribution], weights: list[int], name: str) -> Contribution:
    """The sum of ``weights[i]`` copies of ``nodes[i]``, with merged children where the
    shapes agree (see the module docstring)."""
    value = sum(w * n.value for n, w in zip(nodes, weights))
    first = nodes[0]
    rules = {n.rule for n in nodes}
    same_shape = (len(rules) == 1 and first.rule in ("sum", "scale")
                  and len({len(n.children) for n in nodes}) == 1
                  and all(kind(a.name) == kind(b.name) for n in nodes[1:]
                          for a, b in zip(first.children, n.children)))
    if first.rule == "scale" and len({_round(n.factor) for n in nodes}) != 1:
        same_shape = False
    if not first.children or not same_shape:
        return Contribution(name, value, [], "leaf")
    kids = [_merge([n.children[i] for n in nodes], weights, first.children[i].name)
            for i in range(len(first.children))]
    return Contribution(name, value, kids, first.rule, first.factor)


@dataclass
class Shown:
    """One printed node: ``count`` identical members of ``value`` each."""

    name: str
    value: float
    rule: str
    factor: float = 1.0
    count: int = 1
    children: list[Shown] = field(default_factory=list)
    note: str = ""
    spread: tuple[float, float] | None = None  # smallest and largest merged member
    span: tuple[str, str] = ("", "")  # first and last member name

    @property
    def total(self) -> float:
        return self.value * self.count


def _shown(f: Folded) -> Shown:
    n = f.node
    return Shown(f.label, n.value, n.rule if n.children else "leaf", n.factor, f.count,
                 [_shown(c) for c in f.children], f.note, span=(f.names[0], f.names[-1]))


def _to_contribution(s: Shown) -> Contribution:
    kids = []
    for c in s.children:
        kids += [_to_contribution(c)] * c.count
    return Contribution(s.name, s.value, kids, s.rule, s.factor)


def group_similar(node: Shown) -> Shown:
    """Runs (2 or more, adjacent) of same-kind children that are not identical, under a
    ``sum`` node, become one merged node; under a ``max`` node the slowest member stays
    and the others are noted. Recursive."""
    if not node.children:
        return node
    out: list[Shown] = []
    runs: list[list[Shown]] = []
    for c in node.children:
        if runs and "[" in c.name and kind(c.name) == kind(runs[-1][0].name) \
                and c.rule == runs[-1][0].rule:
            runs[-1].append(c)
        else:
            runs.append([c])
    for run in runs:
        if len(run) < 2:
            out.append(run[0])
            continue
        members = sum(c.count for c in run)
        label = group_label([run[0].span[0], run[-1].span[1]])
        lo = min(c.value for c in run)
        hi = max(c.value for c in run)
        if node.rule == "max":
            slow = max(run, key=lambda c: c.value)
            slow.note = f"slowest of {members}"
            slow.spread = (lo, hi)
            out.append(slow)
            continue
        merged = _merge([_to_contribution(c) for c in run], [c.count for c in run], label)
        s = unfolded(merged)
        s.span = (run[0].span[0], run[-1].span[1])
        s.note = f"sum of {members} differing"
        s.spread = (lo, hi)
        out.append(s)
    node.children = [group_similar(c) for c in out]
    return node


def unfolded(c: Contribution) -> Shown:
    """``c`` as printed nodes, every node once (nothing folded: ``--full``)."""
    return Shown(c.name, c.value, c.rule if c.children else "leaf", c.factor, 1,
                 [unfolded(k) for k in c.children], span=(c.name, c.name))


def collapse_small(node: Shown, threshold: float, keep: int = 1) -> Shown:
    """Children of sum nodes whose total is below ``threshold`` (absolute) become one
    ``N smaller terms`` leaf; the non-slowest units of a max node one ``faster`` leaf.
    ``keep``: a node with at most this many small children is left as it is."""
    if not node.children:
        return node
    kids = node.children
    if node.rule == "sum":
        small = [c for c in kids if abs(c.total) < threshold]
        big = [c for c in kids if abs(c.total) >= threshold]
        if small and not big:  # nothing worth a line below this node
            node.children = []
            node.note = node.note or f"{sum(c.count for c in small)} terms below, all small"
            return node
        if len(small) > keep:
            n = sum(c.count for c in small)
            rest = Shown(f"({n} smaller terms)", sum(c.total for c in small), "leaf")
            kids = big + [rest]
    elif node.rule == "max" and len(kids) > 2:
        slow = max(kids, key=lambda c: c.value)
        others = [c for c in kids if c is not slow]
        n = sum(c.count for c in others)
        rest = Shown(f"({n} faster units, off the critical path)",
                     max(c.value for c in others), "leaf")
        kids = [slow, rest]
    node.children = [collapse_small(c, threshold, keep) for c in kids]
    return node


def display_tree(tree: Contribution, threshold_share: float = 0.0) -> Shown:
    """The default (folded) view of ``tree``: identical siblings once, similar siblings
    merged, terms under ``threshold_share`` of the root collapsed (none when 0)."""
    s = group_similar(_shown(fold_identical(tree)))
    if threshold_share > 0:
        s = collapse_small(s, threshold_share * abs(tree.value))
    return s


def count_lines(node: Shown, max_depth: int, depth: int = 0) -> int:
    """Printed lines of ``node`` down to ``max_depth``."""
    if depth >= max_depth:
        return 1
    return 1 + sum(count_lines(c, max_depth, depth + 1) for c in node.children)


#: shares of the root under which terms are collapsed, tried in turn until a tree fits
THRESHOLDS: tuple[float, ...] = (0.0, 0.001, 0.005, 0.01, 0.02, 0.05)


def fitted_tree(tree: Contribution, max_depth: int, max_lines: int) -> tuple[Shown, float]:
    """The folded view with the smallest collapsing threshold whose printout down to
    ``max_depth`` has at most ``max_lines`` lines (the last threshold if none does)."""
    for share in THRESHOLDS:
        s = display_tree(tree, share)
        if count_lines(s, max_depth) <= max_lines:
            break
    return s, share


def walk_shown(node: Shown, depth: int = 0) -> Iterable[tuple[int, Shown]]:
    yield depth, node
    for c in node.children:
        yield from walk_shown(c, depth + 1)
