"""How many threads one estimate uses for the work it can do aside (engine threads).

The trace files of an estimate on NeuroSim's files (``neurosim compat``) are parsed on
pool threads, ahead of the layer that needs them (``Workload.prefetch_traces``): the input
traces, then, when the cell's read model uses the stored values (eNVM), the weight traces,
while the main thread runs the clock pass and the first layers. The parse is numpy work
that releases the GIL, so a second core takes it (VGG8 RRAM ``compat``: 4.3 -> 3.7 s wall
on 2 cores, the same CPU time). The parsed values are the same whoever parses them, and
each layer's notice is printed by the main thread when the layer is used, so **the
figures and the output are the same for every thread count**.

With more than one engine thread the main pass's layers are also shared by two processes
(:mod:`.layer_workers`: the process forks after the clock pass, where forking is safe);
then each process parses its own layers' weight traces and the pool parses the inputs
only. The figures and the output are again those of one thread.

Tried and not kept: the fused eNVM converter batches on several threads (planned in a
fixed order, bit-identical): their row sums (``np.einsum``, ``ufunc.reduce`` along short
rows) hold the GIL, and two threads took more wall time than one.

The count:

* ``--threads N`` on ``neurosim compat`` (the command that reads trace files);
* the ``NEUROSIM_THREADS`` environment variable, read when no option is given;
* ``estimate(..., threads=N)`` in Python;
* default: the cores this process may run on (``os.sched_getaffinity``), at most
  :data:`MAX_DEFAULT_THREADS`. A sweep's rows run with one thread each (the sweep spreads
  its rows over the cores instead).

BLAS calls stay single-threaded unless told otherwise (:mod:`.blas`).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from ..errors import ConfigError

ENV = "NEUROSIM_THREADS"
#: the default never starts more threads than this (more cores are left to other work)
MAX_DEFAULT_THREADS = 8
#: the most threads ``--threads`` / ``$NEUROSIM_THREADS`` may ask for
MAX_THREADS = 1024


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


def resolve_threads(threads: int | None = None) -> int:
    """The engine thread count: ``threads``, else ``$NEUROSIM_THREADS``, else the available
    cores (at most :data:`MAX_DEFAULT_THREADS`)."""
    source = "threads"
    if threads is None:
        text = os.environ.get(ENV, "").strip()
        if not text:
            return min(available_cores(), MAX_DEFAULT_THREADS)
        source = ENV
        try:
            threads = int(text)
        except ValueError:
            raise ConfigError(f"{ENV}={text!r}: expected a whole number of threads "
                              f"(1 to {MAX_THREADS})") from None
    if not 1 <= threads <= MAX_THREADS:
        raise ConfigError(f"{source} = {threads}: must be 1 to {MAX_THREADS}")
    return int(threads)


class Runner:
    """The threads of one estimate: ``threads`` in all, the calling one and up to
    ``threads - 1`` pool threads (started on first use of :meth:`pool`)."""

    def __init__(self, threads: int) -> None:
        self.threads = int(threads)
        self._pool: ThreadPoolExecutor | None = None

    def pool(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=max(1, self.threads - 1),
                                            thread_name_prefix="neurosim-engine")
        return self._pool

    def close(self) -> None:
        """Cancel the tasks not started and wait for the running ones."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


_SERIAL = Runner(1)
_CURRENT: contextvars.ContextVar[Runner] = contextvars.ContextVar("neurosim_engine_threads",
                                                                  default=_SERIAL)


def current() -> Runner:
    """The runner of the estimate in progress on this thread (serial outside one)."""
    return _CURRENT.get()


@contextlib.contextmanager
def engine_threads(threads: int | None = None) -> Iterator[Runner]:
    """Run the ``with`` block's estimate with ``threads`` engine threads (see the module
    doc); the pool is shut down after it."""
    runner = Runner(resolve_threads(threads))
    token = _CURRENT.set(runner)
    try:
        yield runner
    finally:
        _CURRENT.reset(token)
        runner.close()
