"""The folded tree as text: one line per shown node,

    name x N: value each  (share of the parent)  [rule]  {note: smallest .. largest}

``x N`` marks N identical siblings printed once (the share is that of each one); merged
runs of differing siblings say ``sum of N differing`` with their smallest and largest
member; ``(N smaller terms)`` and ``(N faster units ...)`` are the collapsed rest.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..engine.contributions import Contribution
from ..engine.results import EstimateResult
from ..outputs import check_explain_path, explain_paths, figure_unit, format_quantity
from .fold import Shown, fitted_tree


def _how(node: Shown) -> str:
    if not node.children:
        return ""
    return {"sum": "  [sum]", "max": "  [max of]",
            "scale": f"  [= child x {node.factor:.6g}]"}.get(node.rule, "")


def format_shown(root: Shown, unit: str, max_depth: int = 3) -> str:
    """Lines of ``root`` down to ``max_depth``; deeper nodes are summarised as
    ``(+N terms below)``."""
    lines: list[str] = []

    def visit(node: Shown, depth: int, parent: Shown | None, unit: str) -> None:
        share = ""
        if parent is not None and parent.rule in ("sum", "max") and parent.value:
            each = " each" if node.count > 1 else ""
            share = f"  ({100.0 * node.value / parent.value:.3g}%{each})"
        count = f" x {node.count}" if node.count > 1 else ""
        each = " each" if node.count > 1 else ""
        extra = ""
        if node.note:
            extra = f"  {{{node.note}"
            if node.spread is not None:
                lo, hi = node.spread
                extra += f": {format_quantity(lo, unit)} .. {format_quantity(hi, unit)}"
            extra += "}"
        folded = ""
        if node.children and depth >= max_depth:
            n = sum(1 for _ in _walk(node)) - 1
            folded = f"  (+{n} terms below)"
        lines.append(f"{'  ' * depth}{node.name}{count}: {format_quantity(node.value, unit)}"
                     f"{each}{share}{_how(node)}{extra}{folded}")
        if depth >= max_depth:
            return
        child_unit = unit
        if node.rule == "scale" and "clock period" in node.name and unit == "s":
            child_unit = "cycles"
        for c in node.children:
            visit(c, depth + 1, node, child_unit)

    visit(root, 0, None, unit)
    return "\n".join(lines)


def _walk(node: Shown):
    yield node
    for c in node.children:
        yield from _walk(c)


def format_folded(tree: Contribution, unit: str, max_depth: int = 3,
                  max_lines: int = 60) -> str:
    """The default ``neurosim explain`` view of ``tree``: folded (see
    :func:`~neurosim.explain.fold.fitted_tree`), terms collapsed only as far as needed
    for ``max_lines`` lines; a last line says which share was collapsed."""
    shown, share = fitted_tree(tree, max_depth, max_lines)
    text = format_shown(shown, unit, max_depth)
    if share > 0:
        text += (f"\n(terms under {100 * share:g}% of the total are collapsed; "
                 "--full prints every node)")
    return text


def folded_text(res: EstimateResult, paths: Sequence[str], max_depth: int = 3,
                max_lines: int = 60) -> str:
    """``neurosim explain``'s printout: each path's folded tree (``list``: the paths)."""
    blocks: list[str] = []
    for path in paths:
        if path == "list":
            blocks.append("Explainable figures:\n" + "\n".join(f"  {p}" for p in
                                                                explain_paths(res)))
            continue
        check_explain_path(path, len(res.layers))
        unit = figure_unit(path.rsplit(".", 1)[1])
        tree = res.explain(path)
        blocks.append(f"== {path} = {format_quantity(tree.value, unit)}\n"
                      + format_folded(tree, unit, max_depth, max_lines))
    return "\n\n".join(blocks)
