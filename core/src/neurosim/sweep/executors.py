"""Where the rows run: in this process, in local worker processes, or on Dask.

Each executor takes :class:`~neurosim.sweep.schedule.Task` objects and the shared inputs by
trace key, and yields :class:`~neurosim.sweep.evaluate.Outcome` objects as rows finish (in
any order). The shared inputs reach each worker once: as the worker process's start
argument, or with ``client.scatter(..., broadcast=True)`` on Dask. Workers run with one BLAS
thread each, keep the workload's statistics memo between rows of one reuse group and clear
it when they move to another (:mod:`neurosim.sweep.schedule`), so a worker's memory does
not grow with the number of rows. Every outcome carries the memo hits and misses of its row.
"""

from __future__ import annotations

import os
import signal
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

from ..errors import NeuroSimError
from .evaluate import Outcome, evaluate_row
from .inputs import SharedInputs
from .schedule import AffinityQueue, Task, plan_batches

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")

#: rows handed to a local worker ahead of the one it runs (hides the round trip)
AHEAD = 0

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
    """Runs rows in one worker: clears the memos when the reuse group changes and counts
    each row's memo hits and misses."""

    def __init__(self, shared: dict[str, SharedInputs],
                 evaluate: RowFunction = evaluate_row, reset: bool = True) -> None:
        self.shared, self.evaluate, self.reset = shared, evaluate, reset
        self.group: tuple | None = None

    def _memos(self) -> list[Any]:
        return [s.workload.memo for s in self.shared.values()]

    def run(self, cid: str, options: dict, key: str, group: tuple) -> Outcome:
        if self.reset and group != self.group:
            for memo in self._memos():
                memo.clear()
        self.group = group
        before = [(m.hits, m.misses) for m in self._memos()]
        out = self.evaluate(cid, options, self.shared.get(key))
        after = [(m.hits, m.misses) for m in self._memos()]
        out.memo_hits = sum(a[0] - b[0] for a, b in zip(after, before))
        out.memo_misses = sum(a[1] - b[1] for a, b in zip(after, before))
        out.worker = os.getpid()
        return out


def run_inline(tasks: Sequence[Task], shared: dict[str, SharedInputs],
               evaluate: RowFunction = evaluate_row) -> Iterator[Outcome]:
    runner = RowRunner(shared, evaluate)
    queue = AffinityQueue(tasks)
    while (t := queue.next_for(0)) is not None:
        yield runner.run(t.config_id, t.options, t.trace_key, t.group)


# ----------------------------------------------------------------------------- processes
def _worker_main(conn: Any, shared: dict[str, SharedInputs], evaluate: RowFunction) -> None:
    """A local worker: rows in, outcomes out, until ``None`` or the pipe closes. Ctrl-C
    is the parent's to handle (it stops the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    runner = RowRunner(shared, evaluate)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        conn.send(runner.run(*msg))


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
    from multiprocessing.connection import wait

    ctx = mp.get_context("spawn")
    queue = AffinityQueue(tasks)
    tries: dict[str, int] = {}
    pool: dict[int, _Worker] = {}
    serial = 0

    def start() -> None:
        nonlocal serial
        parent, child = ctx.Pipe()
        with one_blas_thread():
            proc = ctx.Process(target=_worker_main, args=(child, shared, evaluate),
                               daemon=True, name=f"neurosim-sweep-{serial}")
            proc.start()
        child.close()
        pool[serial] = _Worker(proc, parent)
        serial += 1

    def feed(wid: int) -> None:
        w = pool[wid]
        while len(w.sent) <= AHEAD:
            t = queue.next_for(wid)
            if t is None:
                return
            w.sent.append(t)
            w.conn.send((t.config_id, t.options, t.trace_key, t.group))

    def bury(wid: int) -> list[Outcome]:
        """Forget a dead worker; its rows go back to the queue (or fail)."""
        w = pool.pop(wid)
        w.conn.close()
        w.proc.join(1)
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

    try:
        for _ in range(min(workers, len(queue))):
            start()
        for wid in list(pool):
            feed(wid)
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
                    if not w.sent:  # nothing left for it
                        w.conn.send(None)
                        pool.pop(wid)
                        w.proc.join(5)
                        w.conn.close()
                yield from outs
    finally:
        for w in pool.values():
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                pass
        for w in pool.values():
            w.proc.join(2)
            if w.proc.is_alive():
                w.proc.terminate()
                w.proc.join(2)
            w.conn.close()


# ----------------------------------------------------------------------------- dask
_DASK_RUNNERS: dict[int, RowRunner] = {}


def _dask_batch(shared: SharedInputs, rows: list[tuple], reset: bool) -> list[Outcome]:
    """Several rows of one trace key in one task, on the worker's one runner (so its memo
    carries over between this worker's tasks and is cleared at group changes)."""
    runner = _DASK_RUNNERS.get(id(shared))
    if runner is None or runner.shared[shared.key] is not shared:
        runner = _DASK_RUNNERS[id(shared)] = RowRunner({shared.key: shared}, reset=reset)
    return [runner.run(cid, options, shared.key, group) for cid, options, group in rows]


def _threads_env() -> None:
    # worker processes already started: only new threads/pools see this (BLAS reads it at
    # load, so a cluster should be started with OMP_NUM_THREADS=1 as the docs say)
    os.environ.update({k: "1" for k in THREAD_VARS})


def run_dask(tasks: Sequence[Task], shared: dict[str, SharedInputs], scheduler: str,
             workers: int, processes: bool = True) -> Iterator[Outcome]:
    """``scheduler = "local"``: a LocalCluster of ``workers`` single-threaded worker
    processes (threads of this process when ``processes`` is false), no dashboard; else
    the address of a running scheduler (``tcp://HOST:PORT``). The shared inputs are
    scattered to every worker once; the rows go as batches (:func:`plan_batches`), whose
    outcomes are yielded as each batch finishes."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise NeuroSimError("--scheduler needs dask.distributed: pip install "
                            "'neurosim-core[sweep]'") from None
    cluster = None
    with one_blas_thread():
        if scheduler == "local":
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                   processes=processes, dashboard_address=None,
                                   silence_logs=40)
            client = Client(cluster)
        else:
            try:
                client = Client(scheduler, timeout=30)
            except (OSError, ValueError, TimeoutError) as exc:
                raise NeuroSimError(f"--scheduler {scheduler}: cannot connect to the Dask "
                                    f"scheduler ({exc})") from None
    try:
        if scheduler != "local":
            client.run(_threads_env)
        n = workers if scheduler == "local" else max(1, len(client.nthreads()))
        scattered = client.scatter(shared, broadcast=True) if shared else {}
        # in-process workers share one memo: clearing it under another thread is unsafe
        reset = processes or scheduler != "local"
        futures = {}
        for i, batch in enumerate(plan_batches(tasks, n)):
            rows = [(t.config_id, t.options, t.group) for t in batch]
            fut = client.submit(_dask_batch, scattered[batch[0].trace_key], rows, reset,
                                pure=False, key=f"neurosim-rows-{i}-{batch[0].config_id}")
            futures[fut.key] = (fut, [t.config_id for t in batch])
        for fut in as_completed([f for f, _ in futures.values()]):
            try:
                outs = fut.result()
            except Exception as exc:  # worker lost / task error outside evaluate_row
                outs = [Outcome(cid, "failed", f"{type(exc).__name__}: {exc}")
                        for cid in futures[fut.key][1]]
            yield from outs
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
