"""Where the rows run: in this process, in local worker processes, or on Dask.

Each executor takes ``(config_id, options, trace_key)`` jobs and the shared inputs by trace
key, and yields :class:`~neurosim.sweep.evaluate.Outcome` objects as rows finish (in any
order). The shared inputs reach each worker once: as the process pool's initializer
argument, or with ``client.scatter(..., broadcast=True)`` on Dask. Workers run with one BLAS
thread each.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator, Sequence

from ..errors import NeuroSimError
from .evaluate import Outcome, evaluate_row
from .inputs import SharedInputs

Job = tuple[str, dict, str]  # config_id, options, trace key

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


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


def run_inline(jobs: Sequence[Job], shared: dict[str, SharedInputs]) -> Iterator[Outcome]:
    for cid, options, key in jobs:
        yield evaluate_row(cid, options, shared.get(key))


# ----------------------------------------------------------------------------- processes
_WORKER_INPUTS: dict[str, SharedInputs] = {}


def _init_worker(shared: dict[str, SharedInputs]) -> None:
    _WORKER_INPUTS.clear()
    _WORKER_INPUTS.update(shared)


def _process_job(cid: str, options: dict, key: str) -> Outcome:
    return evaluate_row(cid, options, _WORKER_INPUTS.get(key))


def run_processes(jobs: Sequence[Job], shared: dict[str, SharedInputs],
                  workers: int, restarts: int = 2) -> Iterator[Outcome]:
    """A ``spawn`` process pool of ``workers``. A worker that dies (killed, out of memory)
    breaks the pool: the rows it left unfinished are run on a new pool, up to ``restarts``
    times, then recorded as ``failed``."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    todo = list(jobs)
    for attempt in range(restarts + 1):
        if not todo:
            return
        with one_blas_thread():
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"),
                                       initializer=_init_worker, initargs=(shared,))
        broken: list[Job] = []
        try:
            futures = {pool.submit(_process_job, *job): job for job in todo}
            for fut in as_completed(futures):
                job = futures.pop(fut)  # finished results are not kept here
                try:
                    yield fut.result()
                except BrokenProcessPool:
                    broken.append(job)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        todo = broken
        if todo and attempt == restarts:
            for cid, _, _ in todo:
                yield Outcome(cid, "failed", "a worker process died while running this "
                              f"configuration's batch ({restarts + 1} tries)")


# ----------------------------------------------------------------------------- dask
def _dask_job(shared: SharedInputs, cid: str, options: dict) -> Outcome:
    return evaluate_row(cid, options, shared)


def _threads_env() -> None:
    # worker processes already started: only new threads/pools see this (BLAS reads it at
    # load, so a cluster should be started with OMP_NUM_THREADS=1 as the docs say)
    os.environ.update({k: "1" for k in THREAD_VARS})


def run_dask(jobs: Sequence[Job], shared: dict[str, SharedInputs], scheduler: str,
             workers: int, processes: bool = True) -> Iterator[Outcome]:
    """``scheduler = "local"``: a LocalCluster of ``workers`` single-threaded workers (in
    processes unless ``processes`` is false); else the address of a running scheduler
    (``tcp://HOST:PORT``). The shared inputs are scattered to every worker once."""
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
        scattered = client.scatter(shared, broadcast=True) if shared else {}
        futures = [client.submit(_dask_job, scattered.get(key), cid, options, pure=False,
                                 key=f"neurosim-row-{cid}")
                   for cid, options, key in jobs]
        by_key = {f.key: cid for f, (cid, _, _) in zip(futures, jobs)}
        for fut in as_completed(futures):
            try:
                yield fut.result()
            except Exception as exc:  # worker lost / task error outside evaluate_row
                yield Outcome(by_key[fut.key], "failed", f"{type(exc).__name__}: {exc}")
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
