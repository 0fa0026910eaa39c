"""Folding, text and JSON of a figure's change split (:class:`~.attribution.Delta`).

Identical siblings (same kind, same changes all the way down) are shown once with
``x N``; children are listed largest change first; changes under ``min_share`` of the
figure's change, and children beyond ``max_children``, are lumped into one
``(N smaller changes)`` term, so every shown node's children still add up to it.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from ..outputs import format_quantity
from .attribution import Delta, by_circuit, match_key
from .fold import kind


def _sig(d: Delta, memo: dict[int, tuple]) -> tuple:
    hit = memo.get(id(d))
    if hit is None:
        hit = (kind(match_key(d.name)), f"{d.delta:.12g}", f"{d.a!r:.14}", f"{d.b!r:.14}",
               tuple(_sig(c, memo) for c in d.children))
        memo[id(d)] = hit
    return hit


def fold_deltas(d: Delta, memo: dict[int, tuple] | None = None) -> Delta:
    """Identical siblings once, with ``count`` (a new tree; ``delta`` is per member)."""
    memo = {} if memo is None else memo
    groups: dict[tuple, list[Delta]] = {}
    for c in d.children:
        groups.setdefault(_sig(c, memo), []).append(c)
    kids = []
    for members in groups.values():
        first = fold_deltas(members[0], memo)
        first.count = sum(m.count for m in members)
        if len(members) > 1:
            first.name = _span(members[0].name, members[-1].name)
        kids.append(first)
    return replace(d, children=kids)


def merge_similar(d: Delta) -> Delta:
    """Adjacent siblings of one kind (``PE[0]`` .. ``PE[8]``) that differ become one node,
    their sum, with the sums of their children where the children match by kind."""
    runs: list[list[Delta]] = []
    for c in d.children:
        if runs and "[" in c.name and kind(match_key(c.name)) == kind(match_key(runs[-1][0].name)):
            runs[-1].append(c)
        else:
            runs.append([c])
    kids = [merge_similar(run[0]) if len(run) == 1 else merge_similar(_merged(run))
            for run in runs]
    return replace(d, children=kids)


def _merged(run: list[Delta]) -> Delta:
    n = sum(m.count for m in run)

    def tot(vals: list[float | None]) -> float | None:
        if any(v is None for v in vals):
            return None
        return math.fsum(v * m.count for v, m in zip(vals, run))  # type: ignore[operator]

    out = Delta(f"{_span(run[0].name, run[-1].name)} ({n} differing)",
                tot([m.a for m in run]), tot([m.b for m in run]),
                math.fsum(m.delta * m.count for m in run))
    shapes = {tuple(kind(match_key(c.name)) for c in m.children) for m in run}
    if len(shapes) == 1 and run[0].children:
        out.children = [_merged_children([m.children[i] for m in run], [m.count for m in run])
                        for i in range(len(run[0].children))]
    return out


def _merged_children(nodes: list[Delta], weights: list[int]) -> Delta:
    reps = [replace(nd, count=nd.count * w) for nd, w in zip(nodes, weights)]
    m = _merged(reps)
    m.name = nodes[0].name if len({nd.name for nd in nodes}) == 1 else m.name
    m.note, m.key = nodes[0].note, nodes[0].key
    return m


def _span(first: str, last: str) -> str:
    from .fold import group_label

    return group_label([first, last])


def prune(d: Delta, threshold: float, max_children: int, depth: int,
          mult: float = 1.0) -> Delta:
    """Largest changes first; small or surplus ones lumped; nothing below ``depth``
    (``mult``: how many times the node counts, its ancestors' ``x N``)."""
    if depth <= 0 or not d.children:
        return replace(d, children=[])
    m = mult * d.count
    kids = sorted((c for c in d.children if c.delta != 0.0),
                  key=lambda c: -abs(c.delta * c.count))
    big = [c for c in kids if abs(c.delta * c.count * m) >= threshold][:max_children]
    small = [c for c in kids if not any(c is b for b in big)]
    out = [prune(c, threshold, max_children, depth - 1, m) for c in big]
    if len(small) == 1:
        out.append(prune(small[0], threshold, max_children, 0, m))
    elif small:
        n = sum(c.count for c in small)
        out.append(Delta(f"({n} smaller changes)", None, None,
                         math.fsum(c.delta * c.count for c in small), note="lumped"))
    return replace(d, children=out)


def signed(v: float, unit: str) -> str:
    text = quantity(abs(v), unit)
    return ("-" if v < 0 else "+") + text


def quantity(v: float, unit: str) -> str:
    if unit in ("m^2", "s", "J", "W"):
        return format_quantity(v, unit)
    return f"{v:.6g}" + (" cycles" if unit == "cycles" else "")


def delta_lines(root: Delta, unit: str, block_unit: str) -> list[str]:
    """``name x N: +change each  (share of the figure's change)  [A -> B]``."""
    lines: list[str] = []
    whole = root.delta

    def visit(d: Delta, depth: int, mult: float) -> None:
        count = f" x {d.count}" if d.count > 1 else ""
        each = " each" if d.count > 1 else ""
        share = ""
        if whole and depth:
            share = f"  ({100 * d.delta * d.count * mult / whole:.3g}%" \
                    f"{' in all' if d.count * mult > 1 else ''})"
        ab = ""
        bu = "" if d.note == "factor" else unit_of[0]
        if depth and (d.a is not None or d.b is not None):
            qa = "absent" if d.a is None else quantity(d.a, bu)
            qb = "absent" if d.b is None else quantity(d.b, bu)
            ab = f"  [{qa} -> {qb}]"
        note = f"  {{{d.note}}}" if d.note in ("only in A", "only in B", "critical path",
                                             "rest") else ""
        lines.append(f"{'  ' * depth}{d.name}{count}: {signed(d.delta, unit)}{each}{share}"
                     f"{ab}{note}")
        saved = unit_of[0]
        if "clock period" in d.name and unit_of[0] == "s":
            unit_of[0] = "cycles"  # below a clock-period conversion: cycles
        for c in d.children:
            visit(c, depth + 1, mult * d.count)
        unit_of[0] = saved

    unit_of = [block_unit]
    visit(root, 0, 1.0)
    return lines


def delta_json(d: Delta) -> dict[str, Any]:
    out: dict[str, Any] = {"name": d.name, "delta": d.delta}
    if d.a is not None:
        out["a"] = d.a
    if d.b is not None:
        out["b"] = d.b
    if d.count > 1:
        out["count"] = d.count
    if d.note:
        out["note"] = d.note
    if d.children:
        out["children"] = [delta_json(c) for c in d.children]
    return out


def circuits(root: Delta, top: int = 8) -> list[tuple[str, float, int]]:
    """:func:`by_circuit` with everything past ``top`` lumped (still adds up)."""
    rows = by_circuit(root)
    if len(rows) <= top + 1:
        return rows
    rest = rows[top:]
    return rows[:top] + [(f"({len(rest)} other circuits)", math.fsum(r[1] for r in rest),
                          sum(r[2] for r in rest))]
