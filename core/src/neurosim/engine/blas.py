"""How many threads the BLAS library (OpenBLAS, MKL) may use during an estimate.

The engine's matrix products are many small ones (a block of input vectors times one row
block of conductances, at most a few hundred columns wide), for which BLAS threads cost
more than they give: on a 2-core machine OpenBLAS's default (one thread per core) made the
RRAM VGG8 estimate 2.4x slower than one thread, and several worker processes each starting
a thread per core over-subscribe any machine. So an estimate runs with **one BLAS thread**
unless told otherwise:

* ``--blas-threads N`` on ``neurosim compat`` / ``neurosim estimate`` (0: leave the
  library's own default);
* the ``NEUROSIM_BLAS_THREADS`` environment variable (same meaning), read when no option
  is given;
* ``estimate(..., blas_threads=N)`` in Python; a sweep's worker processes keep the default
  (one thread each).

The limit is applied with ``threadpoolctl`` around the estimate only and restored after it.
The figures do not depend on it (each product's sums are computed in the same order).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from ..errors import ConfigError

ENV = "NEUROSIM_BLAS_THREADS"
DEFAULT_THREADS = 1


def resolve_threads(threads: int | None = None) -> int:
    """The thread count to use: ``threads``, else ``$NEUROSIM_BLAS_THREADS``, else 1
    (0 = the library's default)."""
    if threads is None:
        text = os.environ.get(ENV, "").strip()
        if not text:
            return DEFAULT_THREADS
        try:
            threads = int(text)
        except ValueError:
            raise ConfigError(f"{ENV}={text!r}: expected a whole number of threads "
                              "(0 = the BLAS library's default)") from None
    if threads < 0:
        raise ConfigError(f"blas threads = {threads}: must be 0 (library default) or more")
    return int(threads)


@contextlib.contextmanager
def blas_threads(threads: int | None = None) -> Iterator[int]:
    """Limit the BLAS thread pools for the ``with`` block; yields the count applied (0:
    unchanged). Without ``threadpoolctl`` installed the library is left as it is."""
    n = resolve_threads(threads)
    if n == 0:
        yield 0
        return
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a declared dependency
        yield 0
        return
    with threadpool_limits(limits=n, user_api="blas"):
        yield n
