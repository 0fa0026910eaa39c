"""Waterfall figure of ``neurosim diff``: for each headline figure, A's value, the change
of each circuit (largest first, the rest in one bar) and B's value, so the bars walk from
A to B."""

from __future__ import annotations

import math
from typing import Any

from ..errors import NeuroSimError
from ..outputs import figure_bytes

_SCALE = {"m^2": (1e6, "mm$^2$"), "s": (1e6, "us"), "J": (1e6, "uJ"), "W": (1e3, "mW")}


def _steps(fig: dict[str, Any], top: int) -> list[tuple[str, float]]:
    rows = [(r["name"], r["delta"]) for r in fig["by_circuit"]]
    if len(rows) > top + 1:
        rest = math.fsum(v for _, v in rows[top:])
        rows = rows[:top] + [(f"{len(rows) - top} others", rest)]
    return rows


def render_waterfall(diff: dict[str, Any], fmt: str = "png", top: int = 6) -> bytes:
    """The figure's bytes in ``fmt`` (png, pdf, svg) for a ``neurosim diff`` JSON object."""
    try:
        import matplotlib
        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
    except ImportError:
        raise NeuroSimError("--plot needs matplotlib: pip install 'neurosim-core[plot]'") \
            from None
    figs = [f for f in diff["figures"] if f["delta"] != 0]
    if not figs:
        raise NeuroSimError("--plot: no figure changed between A and B")
    cols = min(3, len(figs))
    nrows = math.ceil(len(figs) / cols)
    fig, axes = plt.subplots(nrows, cols, figsize=(5.2 * cols, 4.2 * nrows), squeeze=False)
    try:
        for ax, f in zip(axes.flat, figs):
            scale, unit = _SCALE.get(f["unit"], (1.0, f["unit"]))
            steps = _steps(f, top)
            labels = ["A"] + [n[:18] for n, _ in steps] + ["B"]
            level = f["a"]
            for i, (_, v) in enumerate(steps, start=1):
                lo = min(level, level + v)
                ax.bar(i, abs(v) * scale, bottom=lo * scale,
                       color="#55a868" if v * (1 if f["key"] in ("tops", "tops_per_w", "fps")
                                               else -1) > 0 else "#c44e52")
                level += v
            ax.bar(0, f["a"] * scale, color="#4c72b0")
            ax.bar(len(steps) + 1, f["b"] * scale, color="#4c72b0")
            ax.set_xticks(range(len(labels)))
            ax.set_xticklabels(labels, rotation=45, ha="right", fontsize=8)
            ax.set_ylabel(unit)
            ax.set_title(f"{f['key']}: x {f['ratio']:.3g}", fontsize=10)
            ax.grid(axis="y", alpha=0.3)
        for ax in list(axes.flat)[len(figs):]:
            ax.axis("off")
        fig.suptitle(f"A: {diff['a']}   B: {diff['b']}  (green: better, red: worse)",
                     fontsize=10)
        fig.tight_layout(rect=(0, 0, 1, 0.95))
        return figure_bytes(fig, fmt, dpi=110)
    finally:
        plt.close(fig)
