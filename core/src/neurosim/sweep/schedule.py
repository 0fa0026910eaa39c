"""Which worker runs which row, and in what order: rows that share the workload's
config-independent statistics run on one worker one after another.

The engine keeps the statistics of a trace set in the workload's
:class:`~neurosim.engine.workload.StatisticsMemo`, keyed by what they depend on
(``neurosim.engine.flow._LayerData`` and ``neurosim.engine.subarray_stats``):

* the prepared input bits and each subarray's activated-row counts and distinct vectors:
  the traces, the input bits and the array geometry (:data:`GEOMETRY_OPTIONS`);
* the memory arrays (level tables): the cell model too (:data:`CELL_OPTIONS`);
* the eNVM column resistances: also the column model, i.e. the node's wires, the access
  device and the parallel read (:data:`COLUMN_OPTIONS`).

A *reuse group* is the rows that agree on the trace key, the geometry and the cell options:
everything the memo keeps without a budget is shared inside it, nothing outside it. Rows
are sorted by (reuse group, column options, the rest), so within a group the rows whose
column resistances or conductance sums can be reused (within the memo's budget: they
differ only in the ADC, the read circuits, the interconnect, ...) follow each other: a
*column run* (:attr:`Task.column`). A worker clears its memo when it moves to another
group and drops the large statistics when it moves to another column run (they are keyed
by the column model: no later row of its order asks for them), so its memory is the
shared inputs plus one group's statistics plus the memo's budget, whatever the number of
rows. Each task it is handed says whether the next row of its order is in the same column
run (:attr:`Task.keep`): then the engine keeps the row's conductance sums from the first
request on, else not at all (:func:`neurosim.engine.subarray_stats.set_conductance_policy`).

:class:`AffinityQueue` hands rows to local worker processes: a worker keeps drawing from
the group it is on; a free worker takes the heaviest group nobody is on, and when every
remaining group is taken it helps with the heaviest one from its far end (so the two
workers still draw neighbouring rows). Dask workers draw from the same queue, several rows
per task (``neurosim.sweep.executors.run_dask``).

The weight of a row (for balancing only; it changes no figure) is its predicted subarray
reads (:func:`neurosim.cost.predict`), times :data:`ENVM_WEIGHT` for eNVM cells, whose rows
evaluate column resistances and per-column ADC power (measured: about 40x an SRAM row of
the same geometry on VGG8).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping, Sequence

#: the array geometry and bit widths the input-side statistics depend on
GEOMETRY_OPTIONS = ("subarray_rows", "subarray_cols", "novel_mapping", "input_bits",
                    "operation_mode", "speedup_degree", "pipeline")
#: what the memory arrays (level tables) depend on besides the geometry
CELL_OPTIONS = ("device", "cell_bits", "synapse_bits", "resistance_on_ohm",
                "resistance_off_ohm")
#: what the eNVM column model depends on besides the cells (wires, access device, read)
COLUMN_OPTIONS = ("tech", "parallel_rows", "access_type", "wire_width_nm", "temperature_k",
                  "device_roadmap")
#: weight of an eNVM row relative to an SRAM row with the same subarray reads
ENVM_WEIGHT = 40.0


@dataclass(frozen=True)
class Task:
    """One row to run: its id, effective options, trace key, reuse group, weight, column
    run (reuse group + column options) and, once handed out, whether the worker's next row
    is in the same column run (None: not known)."""

    config_id: str
    options: dict[str, Any]
    trace_key: str
    group: tuple
    weight: float = 1.0
    column: tuple = ()
    keep: bool | None = None


def _values(options: Mapping[str, Any], names: Sequence[str]) -> tuple[str, ...]:
    return tuple(str(options.get(k)) for k in names)


def reuse_group(options: Mapping[str, Any], trace_key: str) -> tuple:
    """The rows that share every statistic the memo keeps without a budget."""
    return (trace_key,) + _values(options, GEOMETRY_OPTIONS) + _values(options, CELL_OPTIONS)


def order_key(task: Task) -> tuple:
    """Sort key: reuse group, then the column model, then everything else."""
    rest = tuple(sorted((k, str(v)) for k, v in task.options.items()))
    return (task.group, _values(task.options, COLUMN_OPTIONS), rest)


def row_weight(cfg: Any, layers: Sequence[Any]) -> float:
    """Relative cost of a row: predicted subarray reads, x :data:`ENVM_WEIGHT` for eNVM."""
    from ..cost import predict

    reads = predict(cfg, layers).subarray_reads
    return float(reads) * (1.0 if str(cfg.device).lower() == "sram" else ENVM_WEIGHT)


def make_task(config_id: str, options: dict[str, Any], trace_key: str,
              weight: float = 1.0) -> Task:
    group = reuse_group(options, trace_key)
    return Task(config_id, options, trace_key, group, weight,
                group + _values(options, COLUMN_OPTIONS))


def grouped(tasks: Iterable[Task]) -> dict[tuple, list[Task]]:
    """Tasks by reuse group, each group sorted by :func:`order_key`."""
    groups: dict[tuple, list[Task]] = {}
    for t in tasks:
        groups.setdefault(t.group, []).append(t)
    for g in groups.values():
        g.sort(key=order_key)
    return groups


@dataclass
class _Group:
    tasks: deque
    weight: float
    workers: set = field(default_factory=set)


class AffinityQueue:
    """Rows for local worker processes, handed out group by group (see the module doc).

    ``next_for(worker)`` gives the worker's next task (None when nothing is left);
    ``give_back(task)`` returns a task that was handed out but not run (its worker died),
    ``release(worker)`` frees the group of a worker that is gone."""

    def __init__(self, tasks: Iterable[Task]) -> None:
        self._groups = {k: _Group(deque(v), sum(t.weight for t in v))
                        for k, v in grouped(tasks).items()}
        self._on: dict[Any, tuple[tuple, bool]] = {}  # worker -> (group, from the far end)

    def __len__(self) -> int:
        return sum(len(g.tasks) for g in self._groups.values())

    def next_for(self, worker: Any) -> Task | None:
        here = self._on.get(worker)
        if here is not None:
            g = self._groups.get(here[0])
            if g is not None and g.tasks:
                return self._take(g, here[1])
            if g is not None:
                g.workers.discard(worker)
            self._on.pop(worker)
        live = [(k, g) for k, g in self._groups.items() if g.tasks]
        if not live:
            return None
        free = [(k, g) for k, g in live if not g.workers]
        far = not free
        key, g = max(free or live, key=lambda kg: kg[1].weight)
        g.workers.add(worker)
        self._on[worker] = (key, far)
        return self._take(g, far)

    def _take(self, g: _Group, far: bool) -> Task:
        t = g.tasks.pop() if far else g.tasks.popleft()
        g.weight -= t.weight
        nxt = (g.tasks[-1] if far else g.tasks[0]) if g.tasks else None
        return replace(t, keep=nxt is not None and nxt.column == t.column)

    def release(self, worker: Any) -> None:
        """``worker`` is gone: its group is free for others to take whole."""
        here = self._on.pop(worker, None)
        if here is not None and here[0] in self._groups:
            self._groups[here[0]].workers.discard(worker)

    def give_back(self, task: Task) -> None:
        g = self._groups.setdefault(task.group, _Group(deque(), 0.0))
        g.tasks.appendleft(task)
        g.weight += task.weight
