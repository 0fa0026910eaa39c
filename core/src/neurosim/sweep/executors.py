"""Where the rows run: in this process, in local worker processes, or on Dask.

Each executor takes :class:`~neurosim.sweep.schedule.Task` objects and the shared inputs by
trace key, and yields :class:`~neurosim.sweep.evaluate.Outcome` objects as rows finish (in
any order). The shared inputs reach each worker once: as the worker process's start
argument, or with ``client.scatter(..., broadcast=True)`` on Dask. Workers run with one BLAS
thread each, keep the workload's statistics memo between rows of one reuse group and clear
it when they move to another, drop its large statistics when they move to another column
run, and keep a row's conductance sums only when the next row is in the same column run
(:mod:`neurosim.sweep.schedule`), so a worker's memory does not grow with the number of
rows. Every outcome carries the memo hits and misses of its row.
"""

from __future__ import annotations

import math
import os
import signal
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

from ..errors import NeuroSimError
from .evaluate import Outcome, evaluate_row
from .inputs import SharedInputs
from .schedule import AffinityQueue, Task

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")

#: rows queued on a local worker behind the one it runs: it never waits for the main
#: process (which, on a loaded machine, may wait tens of ms for a CPU slice per round trip)
AHEAD = 1
#: Dask tasks queued on a worker behind the one it runs (hides the scheduler round trip)
DASK_AHEAD = 1

RowFunction = Callable[[str, dict, "SharedInputs | None"], Outcome]


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Environment for worker processes started inside the block: one BLAS thread."""
    saved = {k: os.environ.get(k) for k in THREAD_VARS}
    os.environ.update({k: "1" for k in THREAD_VARS})
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class RowRunner:
    """Runs rows in one worker: clears the memos when the reuse group changes, drops their
    large statistics when the column run changes, sets the conductance-sum policy of the
    row (``keep``: True / False / None = the engine's own) and counts each row's memo hits
    and misses."""

    def __init__(self, shared: dict[str, SharedInputs],
                 evaluate: RowFunction = evaluate_row, reset: bool = True) -> None:
        self.shared, self.evaluate, self.reset = shared, evaluate, reset
        self.group: tuple | None = None
        self.column: tuple | None = None

    def _memos(self) -> list[Any]:
        return [s.workload.memo for s in self.shared.values()]

    def run(self, cid: str, options: dict, key: str, group: tuple,
            column: tuple | None = None, keep: bool | None = None) -> Outcome:
        from ..engine.subarray_stats import set_conductance_policy

        if self.reset and group != self.group:
            for memo in self._memos():
                memo.clear()
        elif self.reset and column and self.column and column != self.column:
            for memo in self._memos():
                memo.clear_large()
        self.group, self.column = group, column
        policy = "auto" if keep is None or not self.reset else "keep" if keep else "skip"
        for memo in self._memos():  # (threads sharing one memo: the engine's own policy)
            set_conductance_policy(memo, policy)
        before = [(m.hits, m.misses) for m in self._memos()]
        out = self.evaluate(cid, options, self.shared.get(key))
        after = [(m.hits, m.misses) for m in self._memos()]
        out.memo_hits = sum(a[0] - b[0] for a, b in zip(after, before))
        out.memo_misses = sum(a[1] - b[1] for a, b in zip(after, before))
        out.worker = os.getpid()
        out.peak_rss_mb = peak_rss_mb()
        return out


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB: Linux's ``VmHWM`` (the high-water
    mark of this process image; ``ru_maxrss`` of a spawned worker also counts the parent
    it was forked from before the exec), else ``ru_maxrss``; 0 where neither exists."""
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes / KiB


def run_inline(tasks: Sequence[Task], shared: dict[str, SharedInputs],
               evaluate: RowFunction = evaluate_row) -> Iterator[Outcome]:
    runner = RowRunner(shared, evaluate)
    queue = AffinityQueue(tasks)
    while (t := queue.next_for(0)) is not None:
        yield runner.run(t.config_id, t.options, t.trace_key, t.group, t.column, t.keep)


# ----------------------------------------------------------------------------- processes
def _worker_main(conn: Any, evaluate: RowFunction) -> None:
    """A local worker: the shared inputs (one pickle), then rows in and outcomes out,
    until ``None`` or the pipe closes. Ctrl-C is the parent's to handle (it stops the
    workers)."""
    import pickle
    import warnings

    from ..warning_notice import warning_as_notice

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warnings.showwarning = warning_as_notice()  # a row's notices as one line each
    try:
        shared = pickle.loads(conn.recv_bytes())
    except (EOFError, OSError):
        return
    runner = RowRunner(shared, evaluate)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        out = runner.run(*msg)
        try:
            conn.send(out)
        except OSError:  # the main process is gone (killed): nobody to tell
            return


@dataclass
class _Worker:
    proc: Any
    conn: Any
    sent: list = field(default_factory=list)  # tasks handed out, oldest (running) first


def run_processes(tasks: Sequence[Task], shared: dict[str, SharedInputs], workers: int,
                  restarts: int = 2, evaluate: RowFunction = evaluate_row
                  ) -> Iterator[Outcome]:
    """``workers`` ``spawn`` worker processes fed from an :class:`AffinityQueue`, one row
    (plus :data:`AHEAD`) at a time; each outcome is yielded as it arrives. A worker that
    dies (killed, out of memory) is replaced: the row it was running is tried again, up to
    ``restarts`` more times, then recorded as ``failed``; the rows handed to it but not
    started go back to the queue."""
    import multiprocessing as mp
    import pickle
    from multiprocessing.connection import wait

    ctx = mp.get_context("spawn")
    queue = AffinityQueue(tasks)
    tries: dict[str, int] = {}
    pool: dict[int, _Worker] = {}
    serial = 0
    payload = pickle.dumps(shared, protocol=pickle.HIGHEST_PROTOCOL)  # pickled once

    def start(count: int = 1) -> None:
        """Start ``count`` workers, then send each the shared inputs (so they boot, import
        and read in parallel)."""
        nonlocal serial
        started = []
        with one_blas_thread():
            for _ in range(count):
                parent, child = ctx.Pipe()
                proc = ctx.Process(target=_worker_main, args=(child, evaluate),
                                   daemon=True, name=f"neurosim-sweep-{serial}")
                proc.start()
                child.close()
                pool[serial] = _Worker(proc, parent)
                started.append(serial)
                serial += 1
        for wid in started:
            try:
                pool[wid].conn.send_bytes(payload)
            except OSError:  # died at start: noticed (and replaced) by the main loop
                pass

    def feed(wid: int) -> None:
        w = pool[wid]
        while len(w.sent) <= AHEAD:
            t = queue.next_for(wid)
            if t is None:
                return
            w.sent.append(t)
            try:
                w.conn.send((t.config_id, t.options, t.trace_key, t.group, t.column, t.keep))
            except OSError:  # it died: the main loop sees it and gives its rows back
                return

    def bury(wid: int) -> list[Outcome]:
        """Forget a dead worker; its rows go back to the queue (or fail)."""
        w = pool.pop(wid)
        w.conn.close()
        w.proc.join(1)
        queue.release(wid)
        if not w.sent:
            return []
        running, rest = w.sent[0], w.sent[1:]
        for t in reversed(rest):
            queue.give_back(t)
        n = tries[running.config_id] = tries.get(running.config_id, 0) + 1
        if n <= restarts:
            queue.give_back(running)
            return []
        return [Outcome(running.config_id, "failed", "a worker process died while running "
                        f"this configuration ({restarts + 1} tries)")]

    def retire_idle() -> None:
        """Stop the workers with no row (the queue had none left for them): nothing would
        ever come from them, and waiting on them hung the sweep (2 rows on 2 workers, the
        first took both). Rows given back later (a worker died) go to a new worker."""
        for wid in [wid for wid, w in pool.items() if not w.sent]:
            w = pool.pop(wid)
            try:
                w.conn.send(None)
            except OSError:  # already gone
                pass
            w.proc.join(5)
            w.conn.close()

    try:
        start(min(workers, len(queue)))
        for wid in list(pool):
            feed(wid)
        retire_idle()
        while pool:
            conns = {w.conn: wid for wid, w in pool.items()}
            sentinels = {w.proc.sentinel: wid for wid, w in pool.items()}
            for ready in wait(list(conns) + list(sentinels)):
                wid = conns.get(ready, sentinels.get(ready))
                if wid not in pool:
                    continue
                w = pool[wid]
                outs: list[Outcome] = []
                closed = False
                try:
                    while w.conn.poll():
                        outs.append(w.conn.recv())
                except (EOFError, OSError):
                    closed = True
                done = {out.config_id for out in outs}
                w.sent = [t for t in w.sent if t.config_id not in done]
                if closed or not w.proc.is_alive():
                    outs += bury(wid)
                    if len(queue) and len(pool) < workers:
                        start()
                        feed(serial - 1)
                else:
                    feed(wid)  # before the outcomes are recorded: the worker goes on
                retire_idle()
                yield from outs
    finally:  # normally nobody is left; after Ctrl-C or an error, stop the rest now
        for w in pool.values():
            if w.proc.is_alive():
                w.proc.terminate()
        for w in pool.values():
            w.proc.join(2)
            w.conn.close()


# ----------------------------------------------------------------------------- dask
_DASK_SHARED: dict[str, SharedInputs] = {}  # this worker's shared inputs, by trace key
_DASK_RUNNER: list[RowRunner] = []


def _dask_batch(shared: SharedInputs, rows: list[tuple], reset: bool) -> list[Outcome]:
    """Several rows of one trace key in one task, on the worker's one runner (its memos
    carry over between this worker's tasks and are all cleared at group changes)."""
    if _DASK_SHARED.get(shared.key) is not shared:
        _DASK_SHARED[shared.key] = shared
    if not _DASK_RUNNER:
        _DASK_RUNNER.append(RowRunner(_DASK_SHARED, reset=reset))
    runner = _DASK_RUNNER[0]
    runner.reset = reset
    return [runner.run(cid, options, shared.key, group, column, keep)
            for cid, options, group, column, keep in rows]


def dask_batch_rows(rows: int, workers: int) -> int:
    """Rows per Dask task: about 16 tasks per worker, 1 to 16 rows each (the per-task
    overhead, a few ms, is then well below 1 % of an SRAM row's 0.2 s)."""
    return max(1, min(16, math.ceil(rows / (16 * max(1, workers)))))


def _threads_env() -> None:
    # worker processes already started: only new threads/pools see this (BLAS reads it at
    # load, so a cluster should be started with OMP_NUM_THREADS=1 as the docs say)
    os.environ.update({k: "1" for k in THREAD_VARS})


#: Dask settings of the LocalCluster (its workers get the configuration from their nannies):
#: no statistical profiler sampling the rows' stacks every 10 ms, no GIL sampling, system
#: and memory monitors at a slower pace (no memory limit: rows are not spilled or paused)
DASK_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.system-monitor.disk": False,
    "distributed.worker.memory.monitor-interval": "2s",
}


#: how long a running Dask cluster with no worker is waited on for its first one (seconds)
DASK_WORKER_WAIT_S = 30.0


def _wait_for_a_worker(client: Any, scheduler: str) -> None:
    """A scheduler without workers: wait :data:`DASK_WORKER_WAIT_S` for one, else an
    error (before: an internal error, 'TimeoutError: No valid workers found', from the
    scatter of the shared inputs)."""
    if client.scheduler_info()["workers"]:
        return
    try:
        client.wait_for_workers(1, timeout=DASK_WORKER_WAIT_S)
    except TimeoutError:
        raise NeuroSimError(f"--scheduler {scheduler}: the Dask scheduler has no workers "
                            f"(none joined in {DASK_WORKER_WAIT_S:g} s); start some with "
                            f"`dask worker {scheduler} --nthreads 1`, then run this "
                            "command again (it resumes)") from None


def run_dask(tasks: Sequence[Task], shared: dict[str, SharedInputs], scheduler: str,
             workers: int, processes: bool = True) -> Iterator[Outcome]:
    """``scheduler = "local"``: a LocalCluster of ``workers`` single-threaded worker
    processes (threads of this process when ``processes`` is false), no dashboard; else
    the address of a running scheduler (``tcp://HOST:PORT``). The shared inputs are
    scattered to every worker once. The rows go as tasks of :func:`dask_batch_rows` rows
    each, drawn for each worker from an :class:`AffinityQueue` (as the local processes
    draw them) and submitted with that worker as its (loose) place, one task running and
    :data:`DASK_AHEAD` waiting per worker; a task's outcomes are yielded when it finishes."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise NeuroSimError("--scheduler needs dask.distributed: pip install "
                            "'neurosim-core[sweep]'") from None
    import dask

    cluster = None
    with one_blas_thread(), dask.config.set(DASK_CONFIG if scheduler == "local" else {}):
        if scheduler == "local":
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                   processes=processes, dashboard_address=None,
                                   silence_logs=40, memory_limit=0)
            client = Client(cluster)
        else:
            try:
                client = Client(scheduler, timeout=30)
            except (OSError, ValueError, TimeoutError) as exc:
                raise NeuroSimError(f"--scheduler {scheduler}: cannot connect to the Dask "
                                    f"scheduler ({exc})") from None
    try:
        if scheduler != "local":
            _wait_for_a_worker(client, scheduler)
            client.run(_threads_env)
        addresses = sorted(client.scheduler_info()["workers"]) or [None]
        scattered = client.scatter(shared, broadcast=True) if shared else {}
        # in-process workers share one memo: clearing it under another thread is unsafe
        reset = processes or scheduler != "local"
        queue = AffinityQueue(tasks)
        size = dask_batch_rows(len(tasks), len(addresses))
        pending = as_completed()
        owner: dict[str, tuple[Any, list[str]]] = {}
        serial = 0

        def submit(addr: Any) -> None:
            nonlocal serial
            batch: list[Task] = []
            while len(batch) < size:
                t = queue.next_for(addr)
                if t is None:
                    break
                if batch and t.trace_key != batch[0].trace_key:
                    queue.give_back(t)  # one trace key per task
                    break
                batch.append(t)
            if not batch:
                return
            rows = [(t.config_id, t.options, t.group, t.column, t.keep) for t in batch]
            fut = client.submit(_dask_batch, scattered[batch[0].trace_key], rows, reset,
                                pure=False, key=f"neurosim-rows-{serial}-{batch[0].config_id}",
                                workers=None if addr is None else [addr],
                                allow_other_workers=True)
            serial += 1
            owner[fut.key] = (addr, [t.config_id for t in batch])
            pending.add(fut)

        for _ in range(DASK_AHEAD + 1):  # each worker: one task running, others queued
            for addr in addresses:
                submit(addr)
        for fut in pending:
            addr, ids = owner.pop(fut.key)
            submit(addr)  # before this one's outcomes are recorded
            try:
                outs = fut.result()
            except Exception as exc:  # worker lost / task error outside evaluate_row
                outs = [Outcome(cid, "failed", f"{type(exc).__name__}: {exc}") for cid in ids]
            fut.release()
            yield from outs
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
