"""What a sweep writes after its rows: ``results.csv`` (+ ``.parquet``), ``pareto.csv``,
``pareto.png``, ``sensitivity.png``, and the printed front."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .pareto import format_front, front_table, pareto_front
from .store import Store
from .table import Table, build_table, write_table


@dataclass
class Report:
    table: Table
    front: list[int]
    objectives: list[tuple[str, str]]
    files: list[Path] = field(default_factory=list)

    def text(self, limit: int = 40) -> str:
        counts = {s: sum(1 for r in self.table.records if r["status"] == s)
                  for s in ("done", "rejected", "failed", "pending")}
        lines = [f"{len(self.table.records)} rows: " +
                 ", ".join(f"{n} {s}" for s, n in counts.items() if n)]
        if self.objectives:
            what = ", ".join(f"{'max' if s == 'max' else 'min'} {n}"
                             for n, s in self.objectives)
            lines.append(f"Pareto front ({what}): {len(self.front)} rows")
            if self.front:
                lines.append(format_front(self.table, self.front, self.objectives, limit))
        return "\n".join(lines)


def load_table(store: Store) -> tuple[Table, list[tuple[str, str]]]:
    axes = list(store.meta("axes", []))
    objectives = [tuple(o) for o in store.meta("objectives", [])]
    table = build_table(store.rows(), axes, bool(store.meta("accuracy", False)))
    return table, objectives  # type: ignore[return-value]


def write_report(store: Store, plots: bool = True) -> Report:
    """Export the store's rows and the front into the store's folder."""
    table, objectives = load_table(store)
    front = pareto_front(table, objectives)
    rep = Report(table, front, objectives)
    rep.files += write_table(table, store.directory, "results")
    if objectives:
        rep.files += write_table(front_table(table, front), store.directory, "pareto")
        if plots and front:
            from .plots import pareto_figure, sensitivity_figure

            pareto_figure(table, front, objectives, store.directory / "pareto.png")
            rep.files.append(store.directory / "pareto.png")
            if any(len({str(v) for v in table.column(a)}) > 1 for a in table.axes):
                sensitivity_figure(table, objectives, store.directory / "sensitivity.png")
                rep.files.append(store.directory / "sensitivity.png")
    return rep
