"""Sweep figures (matplotlib, Agg, written atomically).

* :func:`pareto_figure`: one scatter panel per pair of objectives, every done row coloured
  by an axis (and shaped by a second, categorical one: the device), the Pareto front drawn
  over them (red-edged markers joined in order);
* :func:`sensitivity_figure`: per axis (columns) and objective (rows), the median and the
  range of the objective over the rows at each axis value.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..errors import NeuroSimError
from ..outputs import figure_bytes, plot_format, write_atomic
from .table import Table, number

_MAX_PAIRS = 6


def _pyplot() -> Any:
    try:
        import matplotlib
        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
    except ImportError:
        raise NeuroSimError("sweep plots need matplotlib: pip install 'neurosim-core[sweep]'") \
            from None
    return plt


def _values(table: Table, name: str, rows: np.ndarray) -> np.ndarray:
    col = table.column(name)
    return np.array([number(col[i]) for i in rows], dtype=float)


def _label(name: str) -> str:
    return name.replace("performance.", "").replace("chip.", "chip ")


def _color_values(table: Table, axis: str | None, rows: np.ndarray) -> tuple[np.ndarray,
                                                                             list[str] | None]:
    """Numbers for the colour scale; categories (device names, ...) as codes and labels."""
    if axis is None:
        return np.zeros(len(rows)), None
    raw = [table.column(axis)[i] for i in rows]
    nums = np.array([number(v) for v in raw], dtype=float)
    if np.all(np.isfinite(nums)):
        return nums, None
    cats = sorted({str(v) for v in raw})
    return np.array([cats.index(str(v)) for v in raw], dtype=float), cats


def color_axis(table: Table) -> str | None:
    """The axis with the most distinct values (ties: the first)."""
    best, count = None, 1
    for a in table.axes:
        n = len({str(v) for v in table.column(a)})
        if n > count:
            best, count = a, n
    return best


_MARKERS = ("o", "s", "^", "D", "v", "P")


def marker_axis(table: Table, color_by: str | None) -> str | None:
    """A categorical axis (names, not numbers) with 2-6 values other than ``color_by``:
    its values get marker shapes (the first such axis)."""
    for a in table.axes:
        if a == color_by:
            continue
        vals = {str(v) for v in table.column(a)}
        if 2 <= len(vals) <= len(_MARKERS) and \
                not all(math.isfinite(number(v)) for v in table.column(a)):
            return a
    return None


def pareto_figure(table: Table, front: Sequence[int], objectives: Sequence[tuple[str, str]],
                  path: str | Path, color_by: str | None = None, title: str = "") -> None:
    write_atomic(path, pareto_figure_bytes(table, front, objectives, plot_format(path),
                                           color_by, title))


def pareto_figure_bytes(table: Table, front: Sequence[int],
                        objectives: Sequence[tuple[str, str]], fmt: str,
                        color_by: str | None = None, title: str = "") -> bytes:
    """The figure of :func:`pareto_figure` as the bytes of a ``fmt`` file."""
    plt = _pyplot()
    names = [n for n, _ in objectives]
    pairs = list(itertools.combinations(names, 2))[:_MAX_PAIRS] or [(names[0], names[0])] \
        if names else []
    if not pairs:
        raise NeuroSimError("--plot: the sweep has no objectives ([objectives] in the spec)")
    done = np.array([i for i, r in enumerate(table.records) if r.get("status") == "done"],
                    dtype=int)
    color_by = color_by or color_axis(table)
    cval, cats = _color_values(table, color_by, done)
    shape_by = marker_axis(table, color_by)
    shapes = [str(table.column(shape_by)[i]) for i in done] if shape_by else []
    kinds = sorted(set(shapes)) if shape_by else [None]
    ncol = min(3, len(pairs))
    nrow = math.ceil(len(pairs) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(5.2 * ncol + 1.2, 4.4 * nrow),
                             squeeze=False, constrained_layout=True)
    lo, hi = (float(np.nanmin(cval)), float(np.nanmax(cval))) if cval.size else (0.0, 1.0)
    try:
        front_set = np.array(list(front), dtype=int)
        for ax, (x, y) in zip(axes.flat, pairs):
            xs, ys = _values(table, x, done), _values(table, y, done)
            for k, kind in enumerate(kinds):
                sel = np.array([s == kind for s in shapes], bool) if shape_by else \
                    np.ones(len(done), bool)
                sc = ax.scatter(xs[sel], ys[sel], c=cval[sel], cmap="viridis", vmin=lo,
                                vmax=hi, s=16, alpha=0.8, linewidths=0,
                                marker=_MARKERS[k % len(_MARKERS)],
                                label=f"{shape_by} = {kind}" if shape_by else None)
            if front_set.size:
                fx, fy = _values(table, x, front_set), _values(table, y, front_set)
                order = np.argsort(fx)
                ax.plot(fx[order], fy[order], "-", color="0.3", lw=0.8, zorder=2)
                ax.scatter(fx, fy, s=40, facecolors="none", edgecolors="crimson",
                           linewidths=1.3, zorder=3, label=f"Pareto front ({len(front_set)})")
            if front_set.size or shape_by:
                leg = ax.legend(fontsize=8, loc="best")
                handles = getattr(leg, "legend_handles", None) or leg.legendHandles
                for h, text in zip(handles, leg.get_texts()):
                    if shape_by and text.get_text().startswith(f"{shape_by} = "):
                        h.set_array(None)  # shape keys in grey: colour is the colour axis
                        h.set_color("0.35")
            for setter, name, vals in ((ax.set_xscale, x, xs), (ax.set_yscale, y, ys)):
                finite = vals[np.isfinite(vals)]
                if finite.size and finite.min() > 0 and finite.max() / finite.min() > 100:
                    setter("log")
            ax.set_xlabel(_label(x))
            ax.set_ylabel(_label(y))
            ax.grid(alpha=0.3)
        for ax in list(axes.flat)[len(pairs):]:
            ax.axis("off")
        if color_by is not None:
            cb = fig.colorbar(sc, ax=axes.ravel().tolist(), shrink=0.85)
            cb.set_label(color_by)
            if cats is not None:
                cb.set_ticks(range(len(cats)))
                cb.set_ticklabels(cats)
        fig.suptitle(title or f"{len(done)} configurations, Pareto front highlighted",
                     fontsize=12)
        return figure_bytes(fig, fmt, dpi=110)  # (constrained layout)
    finally:
        plt.close(fig)


def sensitivity_figure(table: Table, objectives: Sequence[tuple[str, str]],
                       path: str | Path) -> None:
    """Per axis and objective: median (line) and min-max band over the done rows."""
    plt = _pyplot()
    fmt = plot_format(path)
    axes_names = [a for a in table.axes if len({str(v) for v in table.column(a)}) > 1]
    names = [n for n, _ in objectives]
    if not axes_names or not names:
        raise NeuroSimError("sensitivity plot: the sweep needs an axis with several values "
                            "and an objective")
    done = np.array([i for i, r in enumerate(table.records) if r.get("status") == "done"],
                    dtype=int)
    fig, grid = plt.subplots(len(names), len(axes_names),
                             figsize=(3.6 * len(axes_names), 2.8 * len(names)), squeeze=False)
    try:
        for c, axis in enumerate(axes_names):
            raw = [table.column(axis)[i] for i in done]
            nums = np.array([number(v) for v in raw], dtype=float)
            numeric = bool(raw) and bool(np.all(np.isfinite(nums)))
            keys = sorted(set(nums.tolist())) if numeric else sorted({str(v) for v in raw})
            code = nums if numeric else np.array([keys.index(str(v)) for v in raw], float)
            pos = np.array(keys, float) if numeric else np.arange(len(keys), dtype=float)
            for r, name in enumerate(names):
                ax = grid[r, c]
                y = _values(table, name, done)
                stats = np.full((len(keys), 3), np.nan)
                for k in range(len(keys)):
                    sel = y[(code == (keys[k] if numeric else k)) & np.isfinite(y)]
                    if sel.size:
                        stats[k] = (np.median(sel), sel.min(), sel.max())
                ax.fill_between(pos, stats[:, 1], stats[:, 2], alpha=0.25)
                ax.plot(pos, stats[:, 0], "o-", ms=3)
                if not numeric:
                    ax.set_xticks(pos)
                    ax.set_xticklabels(keys, rotation=45 if len(keys) > 4 else 0, fontsize=8)
                finite = stats[np.isfinite(stats)]
                if finite.size and finite.min() > 0 and finite.max() / finite.min() > 100:
                    ax.set_yscale("log")
                if r == len(names) - 1:
                    ax.set_xlabel(axis)
                if c == 0:
                    ax.set_ylabel(_label(name), fontsize=9)
                ax.grid(alpha=0.3)
        fig.suptitle("sensitivity: median and range of each objective per axis value",
                     fontsize=11)
        _save(fig, path, fmt)
    finally:
        plt.close(fig)


def _save(fig: Any, path: str | Path, fmt: str) -> None:
    import warnings

    with warnings.catch_warnings():  # colorbar axes do not take part in tight_layout
        warnings.simplefilter("ignore", UserWarning)
        fig.tight_layout(rect=(0, 0, 0.9, 0.95))
    write_atomic(path, figure_bytes(fig, fmt, dpi=110))
