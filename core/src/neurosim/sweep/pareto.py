"""The Pareto front of the sweep's objectives.

Row ``a`` dominates row ``b`` when it is at least as good in every objective and strictly
better in one (larger for ``maximize``, smaller for ``minimize``). The front is the set of
done rows with finite objective values that no such row dominates. The test is done on
arrays, a block of candidate rows against all rows at a time (memory ``block x n x k``).
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .table import Table, number


def objective_matrix(table: Table, objectives: Sequence[tuple[str, str]]) -> tuple[
        np.ndarray, np.ndarray]:
    """``(indices, values)``: the done rows with finite values of every objective and their
    objectives as a ``rows x k`` matrix in "smaller is better" form (maximized ones
    negated)."""
    if not objectives:
        return np.zeros(0, dtype=int), np.zeros((0, 0))
    status = np.array([r.get("status") == "done" for r in table.records], dtype=bool)
    cols = []
    for name, sense in objectives:
        v = np.array([number(x) for x in table.column(name)], dtype=float)
        cols.append(-v if sense == "max" else v)
    m = np.stack(cols, axis=1) if cols else np.zeros((len(table.records), 0))
    ok = status & np.all(np.isfinite(m), axis=1)
    idx = np.nonzero(ok)[0]
    return idx, m[idx]


def objective_notices(table: Table, objectives: Sequence[tuple[str, str]]) -> list[str]:
    """A ``Notice:`` line per objective that no finished row has as a figure (e.g.
    ``layers.9.read_latency_s`` of a 3-layer network): the front is empty because of it."""
    done = [r for r in table.records if r.get("status") == "done"]
    if not done:
        return []
    layers = {int(c.split(".")[1]) for c in table.columns
              if c.startswith("layers.") and c.split(".")[1].isdigit()}
    out = []
    for name, _ in objectives:
        if any(math.isfinite(number(r.get(name))) for r in done):
            continue
        hint = (f" (the rows have layers 1 to {max(layers)})"
                if name.startswith("layers.") and layers else "")
        out.append(f"Notice: objective {name}: no finished row has this figure{hint}, so "
                   "the Pareto front is empty")
    return out


def non_dominated(values: np.ndarray, block: int = 512) -> np.ndarray:
    """Boolean mask of the rows of ``values`` (smaller is better) no other row dominates."""
    n = values.shape[0]
    keep = np.ones(n, dtype=bool)
    for s in range(0, n, block):
        cand = values[s:s + block, None, :]  # b x 1 x k
        le = np.all(values[None, :, :] <= cand, axis=2)  # others at least as good
        lt = np.any(values[None, :, :] < cand, axis=2)  # ... and better somewhere
        keep[s:s + block] = ~np.any(le & lt, axis=1)
    return keep


def pareto_front(table: Table, objectives: Sequence[tuple[str, str]]) -> list[int]:
    """Indices (into ``table.records``) of the Pareto-optimal rows, in table order."""
    idx, vals = objective_matrix(table, objectives)
    if idx.size == 0:
        return []
    return [int(i) for i in idx[non_dominated(vals)]]


def front_table(table: Table, front: Sequence[int]) -> Table:
    return Table(table.columns, [table.records[i] for i in front], table.axes)


def format_front(table: Table, front: Sequence[int], objectives: Sequence[tuple[str, str]],
                 limit: int = 40) -> str:
    """The front as an aligned text table: config_id, the axes, the objectives."""
    cols = ["config_id"] + table.axes + [name for name, _ in objectives]
    heads = cols[:1] + table.axes + [f"{n} ({'max' if s == 'max' else 'min'})"
                                     for n, s in objectives]
    body = []
    for i in list(front)[:limit]:
        rec = table.records[i]
        body.append([_fmt(rec.get(c)) for c in cols])
    widths = [max(len(h), *(len(b[j]) for b in body)) if body else len(h)
              for j, h in enumerate(heads)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(heads, widths))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(b, widths)) for b in body]
    if len(front) > limit:
        lines.append(f"... {len(front) - limit} more rows in pareto.csv")
    return "\n".join(lines)


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    return "" if v is None else str(v)
