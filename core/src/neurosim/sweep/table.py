"""The results table of a store: ``config_id, status, reason``, every axis under its spec
name, every ``--json`` figure flattened with dots (``chip.area_m2``,
``performance.tops_per_w``, ``layers.2.read_latency_s``, ``floorplan.tiles_per_layer.1``),
then ``accuracy``. Written as ``DIR/results.csv`` (and ``results.parquet`` when pyarrow is
installed), atomically.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ..outputs import write_atomic
from .store import StoredRow

HEAD = ("config_id", "status", "reason")


def flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    """The ``--json`` object as ``dotted.key -> value`` (lists numbered from 1, as the
    ``--explain`` paths number layers)."""
    out: dict[str, Any] = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.update(flatten(v, f"{prefix}{k}."))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out.update(flatten(v, f"{prefix}{i + 1}."))
    else:
        out[prefix[:-1]] = obj
    return out


@dataclass
class Table:
    """Rows as dicts with a fixed column order."""

    columns: list[str]
    records: list[dict[str, Any]]
    axes: list[str]

    def column(self, name: str) -> list[Any]:
        return [r.get(name) for r in self.records]


def build_table(rows: Iterable[StoredRow], axes: list[str], with_accuracy: bool) -> Table:
    records: list[dict[str, Any]] = []
    figures: dict[str, None] = {}
    for row in rows:
        rec: dict[str, Any] = {"config_id": row.config_id, "status": row.status,
                               "reason": row.reason}
        for a in row.axes:
            if a not in axes:
                axes.append(a)
        rec.update({a: row.axes.get(a) for a in axes})
        if row.result:
            flat = flatten({k: v for k, v in row.result.items()
                            if k not in ("network", "contributions")})
            figures.update(dict.fromkeys(flat))
            rec.update(flat)
        if with_accuracy:
            rec["accuracy"] = row.accuracy
            if row.accuracy_reason and row.status == "done":
                rec["reason"] = f"accuracy: {row.accuracy_reason}"
        records.append(rec)
    columns = list(HEAD) + [a for a in axes if a not in HEAD] + \
        [f for f in figures if f not in axes and f not in HEAD]
    if with_accuracy:
        columns.append("accuracy")
    return Table(columns, records, list(axes))


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def csv_text(table: Table) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(table.columns)
    for r in table.records:
        w.writerow([_cell(r.get(c)) for c in table.columns])
    return buf.getvalue()


def write_table(table: Table, directory: Path, stem: str = "results") -> list[Path]:
    """``STEM.csv`` (and ``STEM.parquet`` with pyarrow) in ``directory``; the paths."""
    out = [directory / f"{stem}.csv"]
    write_atomic(out[0], csv_text(table))
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return out
    out.append(_write_parquet(table, directory / f"{stem}.parquet"))
    return out


def _write_parquet(table: Table, path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = {}
    for c in table.columns:
        vals = table.column(c)
        if all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool))
               for v in vals):
            cols[c] = pa.array([math.nan if v is None else float(v) for v in vals],
                               type=pa.float64())
        else:
            cols[c] = pa.array([None if v is None else _cell(v) for v in vals],
                               type=pa.string())
    buf = pa.BufferOutputStream()
    pq.write_table(pa.table(cols), buf)
    write_atomic(path, buf.getvalue().to_pybytes())
    return path


def number(v: Any) -> float:
    """A cell as a float (NaN for blanks, names and NeuroSim's "inf"/"nan" strings read as
    floats)."""
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        s = v.strip().lower().removesuffix("nm")
        try:
            return float(s)
        except ValueError:
            return math.nan
    return math.nan
