"""``neurosim diff A B``: what changed between two designs, and which blocks explain it.

    neurosim diff a.json b.json [--figure tops_per_w ...] [--depth 6] [--min-share 0.01]
        [--json OUT] [--plot OUT.png]
    neurosim diff sweep/results.sqlite#3f2a sweep/results.sqlite#9c01

A and B are ``--json`` results of ``neurosim estimate`` / ``compat`` (which carry the
contribution trees) or rows of a sweep store. For each headline figure: both values, the
ratio B/A and the change, split exactly over the contribution trees down to the circuits
(largest first, identical blocks folded with ``x N``, small changes lumped), then summed
by circuit. The listed changes add up to the figure's change (:mod:`neurosim.explain`).
"""

from __future__ import annotations

import json
import math
from typing import Any

import click

from ..errors import NeuroSimError


def check_folder(option: str, path: str | None) -> None:
    """Refuse an output whose folder does not exist, before any work."""
    from pathlib import Path

    if path:
        folder = Path(path).parent if str(Path(path).parent) else Path(".")
        if not folder.is_dir():
            raise NeuroSimError(f"{option} {path}: folder {folder} does not exist")


def _ratio(a: float, b: float) -> float:
    return b / a if a else math.inf if b else math.nan


def diff_report(a: Any, b: Any, figures: tuple[str, ...], depth: int, min_share: float,
                max_children: int) -> tuple[str, dict[str, Any]]:
    """The text and the JSON object of the diff of loaded results ``a`` and ``b``."""
    from ..explain.compare import FIGURES, accuracy_of, attribute
    from ..explain.difftext import circuits, delta_json, delta_lines, fold_deltas, merge_similar, \
        prune, quantity, signed

    lines = [f"A: {a.label}", f"B: {b.label}"]
    for side in (a, b):
        if not side.from_trees:
            lines.append(f"NOTE: {side.label} has no contribution trees (not written by "
                         "this neurosim's --json): split over NeuroSim's categories only")
    out: dict[str, Any] = {"schema": "neurosim.diff/1", "a": a.label, "b": b.label,
                           "figures": []}
    for fig in FIGURES:
        if figures and fig.key not in figures:
            continue
        d = attribute(a, b, fig)
        shown = prune(merge_similar(fold_deltas(d)), abs(d.delta) * min_share, max_children,
                      depth)
        by = circuits(d)
        lines.append("")
        lines.append(f"== {fig.label} ({fig.key}): {quantity(d.a, fig.unit)} -> "
                     f"{quantity(d.b, fig.unit)}  (B/A = {_ratio(d.a, d.b):.4g}, change "
                     f"{signed(d.delta, fig.unit)})")
        if d.delta == 0:
            lines.append("  (no change)")
        else:
            lines += ["  " + x for x in delta_lines(shown, fig.unit, fig.block_unit)[1:]]
            lines.append("  by circuit (the leaves above, all of them, summed by name):")
            for name, v, n in by:
                lines.append(f"    {name}: {signed(v, fig.unit)}  "
                             f"({100 * v / d.delta:.3g}%, {n} terms)")
        out["figures"].append({
            "key": fig.key, "label": fig.label, "unit": fig.unit, "a": d.a, "b": d.b,
            "ratio": _ratio(d.a, d.b), "delta": d.delta,
            "attribution": delta_json(shown),
            "by_circuit": [{"name": n, "delta": v, "terms": c} for n, v, c in by]})
    acc_a, acc_b = accuracy_of(a), accuracy_of(b)
    if (not figures or "accuracy" in figures) and acc_a is not None and acc_b is not None:
        lines += ["", f"== accuracy: {acc_a:.4g} -> {acc_b:.4g}  (change {acc_b - acc_a:+.4g};"
                  " from the accuracy simulation, not a contribution tree)"]
        out["accuracy"] = {"a": acc_a, "b": acc_b, "delta": acc_b - acc_a}
    return "\n".join(lines), out


@click.command("diff")
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@click.option("--figure", "figures", multiple=True,
              type=click.Choice(["area_m2", "read_latency_s", "read_energy_j",
                                 "leakage_power_w", "tops", "tops_per_w", "fps", "accuracy"]),
              help="Only this headline figure (repeatable; default: all).")
@click.option("--depth", type=click.IntRange(min=1), default=6, show_default=True,
              help="Levels of each split to print (chip, layer, tile, PE, subarray, ...).")
@click.option("--min-share", type=click.FloatRange(min=0.0, max=1.0), default=0.01,
              show_default=True,
              help="Changes under this share of the figure's change are lumped together.")
@click.option("--max-children", type=click.IntRange(min=1), default=4, show_default=True,
              help="Largest changes listed under each node before the rest is lumped.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False),
              help="Write the diff (values, ratios, splits) to this JSON file.")
@click.option("--plot", "plot_out", type=click.Path(dir_okay=False),
              help="Write a waterfall figure (.png/.pdf/.svg) of each figure's change.")
def diff_cmd(a: str, b: str, figures: tuple[str, ...], depth: int, min_share: float,
             max_children: int, json_out: str | None, plot_out: str | None) -> None:
    """Compare two results (--json files or DIR/results.sqlite#CONFIG_ID sweep rows):
    each headline figure's values, ratio and the contributions that explain its change."""
    from ..explain.compare import load
    from ..output_group import OutputGroup
    from ..outputs import check_output_args, plot_format

    if min_share != min_share:  # click's FloatRange lets NaN through
        raise NeuroSimError(f"--min-share {min_share}: give a share from 0 to 1")
    check_output_args(None, plot_out)
    group = OutputGroup(inputs=[p.partition("#")[0] for p in (a, b)])
    group.declare("--json", json_out)
    group.declare("--plot", plot_out)
    left, right = load(a), load(b)
    if left.data.get("network", {}).get("name") != right.data.get("network", {}).get("name"):
        click.echo("NOTE: A and B are different networks", err=True)
    text, obj = diff_report(left, right, figures, depth, min_share, max_children)
    if json_out:
        group.set("--json", json.dumps(obj, indent=2) + "\n")
    if plot_out:
        from ..explain.waterfall import render_waterfall

        group.set("--plot", render_waterfall(obj, plot_format(plot_out)))
    group.commit()
    click.echo(text)
    if not obj["figures"] and "accuracy" not in obj:
        raise NeuroSimError("--figure accuracy: A or B has no accuracy (estimate "
                            "--with-accuracy writes it)")
