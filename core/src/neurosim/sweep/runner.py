"""A sweep from spec to store: expand, skip finished rows, reject what NeuroSim rejects,
build the shared inputs once per trace key, run the rest, commit each row as it finishes,
then the accuracy runs (once per accuracy key), the exports and the Pareto front."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from ..errors import NeuroSimError
from ..progress import progress_bar
from .evaluate import Outcome, cost_check, make_config, precheck
from .executors import run_dask, run_inline, run_processes
from .inputs import SharedInputs, build_inputs, trace_key
from .schedule import Task, make_task, row_weight
from .spec import Row, SweepSpec
from .store import Store

#: the statistics memo's budget per worker (MB) at most, by default: one VGG8 row's float32
#: conductance sums on 64-row subarrays take 1,485 MB, on 128-row ones about 800 MB
#: (docs/sweeps.md); the default is this or a quarter of the memory per worker if less
MEMO_MB_MAX_DEFAULT = 2048
#: ... and at least this (the engine's own default budget)
MEMO_MB_MIN_DEFAULT = 256


def total_memory_mb() -> int | None:
    """This machine's physical memory in MB (None where it cannot be read)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20)
    except (ValueError, OSError, AttributeError):
        return None


def default_memo_mb(workers: int) -> int:
    """The default ``--memo-mb``: :data:`MEMO_MB_MAX_DEFAULT`, or a quarter of the physical
    memory per worker when that is less, but not below :data:`MEMO_MB_MIN_DEFAULT`."""
    total = total_memory_mb()
    if total is None:
        return MEMO_MB_MIN_DEFAULT
    return max(MEMO_MB_MIN_DEFAULT, min(MEMO_MB_MAX_DEFAULT, total // (4 * max(1, workers))))


def check_memo_mb(value: Any, what: str) -> int:
    """A memo budget in MB (``what`` names the option or spec key in the error): an integer
    from 0 (keep no large statistics) to the machine's physical memory."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise NeuroSimError(f"{what} = {value!r}: expected a whole number of MB")
    total = total_memory_mb()
    if value < 0 or (total is not None and value > total):
        limit = f" and {total} (this machine's memory)" if total is not None else ""
        raise NeuroSimError(f"{what} = {value}: give a budget between 0{limit} MB")
    return value


#: options the accuracy simulation depends on (besides network, data and checkpoint)
ACCURACY_OPTIONS = ("quant_mode", "inference", "adc_bits", "onoff_ratio", "variation",
                    "retention_time_s", "drift_nu", "drift_detect", "drift_target", "seed",
                    "cell_bits", "subarray_rows", "parallel_rows", "synapse_bits",
                    "input_bits")


@dataclass
class RunSettings:
    """How to run: ``workers`` processes (1 = in this process), or on Dask
    (``scheduler`` = "local" or an address)."""

    workers: int = 0  # 0 = all cores
    scheduler: str | None = None
    with_accuracy: bool = False
    device: str = "cpu"
    quiet: bool = False
    dask_processes: bool = True
    use_cache: bool = True  # captures through the trace cache (neurosim.trace_cache)
    memo_mb: int | None = None  # per worker; None: the spec's memo_mb, else the default

    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else (os.cpu_count() or 1)

    def memo_budget_mb(self, spec: SweepSpec) -> int:
        """``--memo-mb``, else the spec's ``memo_mb``, else :func:`default_memo_mb`."""
        if self.memo_mb is not None:
            return self.memo_mb
        if spec.memo_mb is not None:
            return spec.memo_mb
        return default_memo_mb(self.worker_count())


@dataclass
class SweepSummary:
    total: int
    new: int
    skipped: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    evaluated: int = 0
    memo_hits: int = 0  # statistics memo lookups reused by the evaluated rows
    memo_misses: int = 0  # ... and computed
    worker_peak_rss_mb: float = 0.0  # the largest peak RSS a worker reported
    workers_seen: int = 0  # distinct worker processes that ran rows


def accuracy_key(options: dict[str, Any], spec: SweepSpec) -> str:
    from .spec import config_id

    acc = {k: options[k] for k in ACCURACY_OPTIONS}
    acc["parallel_rows"] = options["parallel_rows"] or options["subarray_rows"]
    acc["mode"] = spec.accuracy_mode
    return "acc-" + config_id(acc, spec.source_identity())


def run_sweep(spec: SweepSpec, out_dir: str | Path, settings: RunSettings,
              echo: Callable[[str], None] = lambda s: None) -> SweepSummary:
    """Run (or resume) ``spec`` into ``out_dir``; see the module doc."""
    t0 = time.perf_counter()
    rows = spec.expand()
    with_acc = settings.with_accuracy or spec.accuracy
    if with_acc and "network" not in spec.source:
        raise NeuroSimError("--with-accuracy needs network = NAME in the spec")
    store = Store(out_dir)
    try:
        store.lock()  # one run per folder at a time
        store.set_meta("axes", list(spec.axis_names))
        store.set_meta("objectives", spec.objectives)
        store.set_meta("accuracy", with_acc)
        store.set_meta("source", spec.source_identity())
        keys = {r.config_id: accuracy_key(r.options, spec) for r in rows} if with_acc else {}
        new = store.add_rows(rows, keys)
        finished = store.finished_ids()
        todo = [r for r in rows if r.config_id not in finished]
        summary = SweepSummary(total=len(rows), new=new, skipped=len(rows) - len(todo))
        echo(f"{len(rows)} configurations: {new} new, {summary.skipped} already finished, "
             f"{len(todo)} to run")
        _run_rows(todo, spec, store, settings, summary)
        if with_acc:
            _run_accuracy(spec, store, settings, echo)
        summary.counts = {s: store.count(s) for s in ("done", "rejected", "failed", "pending")}
        summary.seconds = time.perf_counter() - t0
        return summary
    finally:
        store.close()


def _run_rows(todo: list[Row], spec: SweepSpec, store: Store, settings: RunSettings,
              summary: SweepSummary) -> None:
    if not todo:
        return
    counts = {"done": 0, "rejected": 0, "failed": 0}
    t_start = time.perf_counter()
    with progress_bar(total=len(todo), description="sweep", unit="config",
                      quiet=settings.quiet) as bar:
        def record(out: Outcome) -> None:
            store.record(out)
            counts[out.status] = counts.get(out.status, 0) + 1
            rate = sum(counts.values()) / max(time.perf_counter() - t_start, 1e-9)
            bar.advance(status=f"rejected {counts['rejected']} failed {counts['failed']} "
                        f"{rate:.3g} config/s")

        groups: dict[str, list[Row]] = {}
        for row in todo:  # NeuroSim's rejections: decided here, no worker round trip
            rejected = precheck(row.config_id, row.options)
            if rejected is not None:
                record(rejected)
                continue
            key = trace_key(row.options, spec.source)
            groups.setdefault(key, []).append(row)
        shared = _shared_inputs(groups, spec, record, bar, settings.use_cache)
        budget = settings.memo_budget_mb(spec) * 2**20
        for inputs in shared.values():
            inputs.set_memo_budget(budget)
        tasks: list[Task] = []
        for key, group in groups.items():
            if key not in shared:
                continue
            layers = shared[key].workload.layers
            for r in group:
                cfg = make_config(r.options)
                rejected = cost_check(r.config_id, cfg, layers)
                if rejected is not None:
                    record(rejected)
                    continue
                tasks.append(make_task(r.config_id, r.options, key, row_weight(cfg, layers)))
        pids: set[int] = set()
        for out in _execute(tasks, shared, settings):
            summary.memo_hits += out.memo_hits
            summary.memo_misses += out.memo_misses
            summary.worker_peak_rss_mb = max(summary.worker_peak_rss_mb, out.peak_rss_mb)
            pids.add(out.worker)
            record(out)
        summary.evaluated = len(tasks)
        summary.workers_seen = len(pids - {0})


def _shared_inputs(groups: dict[str, list[Row]], spec: SweepSpec,
                   record: Callable[[Outcome], None], bar: Any,
                   use_cache: bool = True) -> dict[str, SharedInputs]:
    """One capture per trace key; a key whose capture NeuroSim rejects rejects its rows."""
    shared: dict[str, SharedInputs] = {}
    spec_dir = Path(spec.path).parent
    for key, group in groups.items():
        bar.status(f"capturing traces ({len(shared) + 1}/{len(groups)})")
        try:
            shared[key] = build_inputs(make_config(group[0].options), spec.source, spec_dir,
                                       use_cache)
        except NeuroSimError as exc:
            for r in group:
                record(Outcome(r.config_id, "rejected", str(exc)))
    return shared


def _execute(tasks: list[Task], shared: dict[str, SharedInputs],
             settings: RunSettings) -> Iterator[Outcome]:
    """The rows on the chosen executor; rows of one reuse group stay on one worker
    (:mod:`neurosim.sweep.schedule`)."""
    n = min(settings.worker_count(), max(len(tasks), 1))
    if not tasks:
        return iter(())
    if settings.scheduler:
        return run_dask(tasks, shared, settings.scheduler, n, settings.dask_processes)
    if n <= 1:
        return run_inline(tasks, shared)
    return run_processes(tasks, shared, n)


def _run_accuracy(spec: SweepSpec, store: Store, settings: RunSettings,
                  echo: Callable[[str], None]) -> None:
    """The accuracy simulation once per distinct accuracy key of the done rows, cached in
    the store (``neurosim.accuracy.evaluate.evaluate_network``, as ``neurosim accuracy``)."""
    pending = store.pending_accuracy()
    if not pending:
        return
    echo(f"accuracy: {len(pending)} distinct accuracy setting(s) to simulate")
    from ..datasets import parse_data

    try:
        from ..accuracy.evaluate import evaluate_network
    except ImportError as exc:
        raise NeuroSimError(f"--with-accuracy needs PyTorch ({exc})") from None
    from ..commands.common import parse_net_options

    data = parse_data(spec.source.get("data"), int(spec.source.get("batch", 1)))
    build_kwargs = parse_net_options(tuple(
        f"{k}={v}" for k, v in (spec.source.get("net_options") or {}).items()))
    with progress_bar(total=len(pending), description="accuracy", unit="setting",
                      quiet=settings.quiet) as bar:
        for key, options in pending:
            cfg = make_config(options)
            try:
                cfg.validate_accuracy()
                res = evaluate_network(cfg, spec.source["network"], data,
                                       checkpoint=spec.source.get("checkpoint"),
                                       device=settings.device, mode=spec.accuracy_mode,
                                       build_kwargs=build_kwargs or None)
            except NeuroSimError as exc:
                store.record_accuracy(key, "rejected", str(exc), None, None)
            else:
                store.record_accuracy(key, "done", "", res.mean, res.to_json())
            bar.advance()
