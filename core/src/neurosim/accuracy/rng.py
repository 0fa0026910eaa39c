"""Counter-keyed standard normal draws for the per-read variation (issue 14).

V1.4's variation redraws every cell for every subarray read and input bit:
``c_u = c (1 + s_v N)``, ``N ~ N(0, 1)``, about 830 million draws per VGG8 forward call
(independent of the batch size). They come from here, not from torch's serial CPU generator
(Box-Muller from MT19937, 33-46 million float64 draws/s on one core):

* **Streams.** Unit ``u`` of a call (the ``(read g, input bit z)`` pair, ``u = g * Z + z``)
  draws from its own NumPy ``Philox4x64`` stream: key ``K = SeedSequence((seed, call,
  purpose)).generate_state(2, uint64)`` (128 bits) and counter ``(0, 0, u, 0)``, so the
  streams of different units, calls, seeds and purposes are disjoint blocks of Philox's 2^256
  counter space (each unit has 2^128 draws before it could reach the next one's block).
  The values are NumPy's ziggurat ``standard_normal(dtype=float32)``: standard normal,
  float32, as drawn; ``c_u`` itself is float64.
* **Determinism.** A unit's numbers depend only on (seed, call, purpose, u): not on the
  thread count, the chunking of units into calls of :func:`varied_cells` (``max_elements``),
  the block size a unit is drawn in, the batch size or the device.
* **Threads.** Units (or, for a single unit, nothing else) are split over ``threads`` Python
  threads (default: torch's intra-op thread count); NumPy releases the GIL while it fills, so
  they run in parallel.
* **Formula.** ``c_u = c + (s_v c) N``: the float32 draw widened to float64 (exact), one
  multiply by the cached ``s_v c`` and one add, each rounded once (no fused multiply-add), so
  a CUDA device doing the same two operations gets the same numbers. It is ``c (1 + s_v N)``
  up to the last bit of the product.

Seeded numbers differ from those of the torch generator used before this module (the
distribution is the same).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch

#: elements drawn and combined per step of one thread: 64 Ki float32 draws (256 KiB) and
#: the float64 cells they multiply stay in the core's cache between the passes
BLOCK = 1 << 16

_POOL: ThreadPoolExecutor | None = None
_POOL_SIZE = 0


def _pool(threads: int) -> ThreadPoolExecutor:
    global _POOL, _POOL_SIZE
    if _POOL is None or _POOL_SIZE < threads:
        if _POOL is not None:
            _POOL.shutdown(wait=True)
        _POOL = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="neurosim-rng")
        _POOL_SIZE = threads
    return _POOL


def stream_key(seed: int, call: int, purpose: str = "variation") -> np.ndarray:
    """The 128-bit Philox key of one forward call's draws, from (seed, call, purpose)."""
    tag = zlib.crc32(purpose.encode())
    ss = np.random.SeedSequence((int(seed) % 2 ** 64, int(call) % 2 ** 64, tag))
    return ss.generate_state(2, np.uint64)


def unit_generator(key: np.ndarray, unit: int) -> np.random.Generator:
    """The stream of unit ``unit`` under ``key``: Philox counter ``(0, 0, unit, 0)``."""
    counter = np.array([0, 0, int(unit), 0], dtype=np.uint64)
    return np.random.Generator(np.random.Philox(counter=counter, key=key))


def unit_normals(key: np.ndarray, units: Sequence[int], out: np.ndarray) -> np.ndarray:
    """Standard normal float32 draws of ``units`` into the rows of ``out`` (float32,
    ``(len(units), ...)``), serially and in one call per unit: the reference."""
    flat = out.reshape(out.shape[0], -1)
    for i, u in enumerate(units):
        unit_generator(key, u).standard_normal(dtype=np.float32, out=flat[i])
    return out


def _fill(key: np.ndarray, units: Sequence[int], rows: Sequence[int], todo: range,
          cell: np.ndarray | None, scaled: np.ndarray | None, out: np.ndarray,
          block: int) -> None:
    """Rows ``todo`` of ``out``: the draws of ``units[i]`` (``cell`` None: ``out`` is
    float32), or ``cell[rows[i]] + scaled[rows[i]] * N``, block by block."""
    n = out.shape[1]
    draw = np.empty(min(block, n), dtype=np.float32)
    wide = np.empty(min(block, n), dtype=np.float64) if cell is not None else None
    for i in todo:
        gen = unit_generator(key, units[i])
        o = out[i]
        if cell is None:
            gen.standard_normal(dtype=np.float32, out=o)
            continue
        c, s = cell[rows[i]], scaled[rows[i]]
        for a in range(0, n, block):
            b = min(a + block, n)
            d, w = draw[: b - a], wide[: b - a]
            gen.standard_normal(dtype=np.float32, out=d)
            np.multiply(d, s[a:b], out=w)  # d widened to float64 exactly, then one rounding
            np.add(w, c[a:b], out=o[a:b])


def _run(key: np.ndarray, units: Sequence[int], rows: Sequence[int],
         cell: np.ndarray | None, scaled: np.ndarray | None, out: np.ndarray,
         threads: int | None, block: int) -> None:
    n = out.shape[0]
    threads = max(1, min(int(threads or torch.get_num_threads()), n))
    if threads == 1:
        _fill(key, units, rows, range(n), cell, scaled, out, block)
        return
    pool = _pool(threads)
    jobs = [pool.submit(_fill, key, units, rows, range(t, n, threads), cell, scaled, out,
                        block) for t in range(threads)]
    for j in jobs:
        j.result()


def varied_cells(key: np.ndarray, units: Sequence[int], rows: Sequence[int],
                 cell: torch.Tensor, scaled: torch.Tensor, out: torch.Tensor,
                 threads: int | None = None, block: int = BLOCK,
                 host_combine: bool | None = None) -> torch.Tensor:
    """``out[i] = cell[rows[i]] + scaled[rows[i]] * N`` with ``N`` the float32 normals of
    unit ``units[i]`` (module doc); ``scaled = s_v * cell``. ``cell``, ``scaled``:
    ``(R, ...)`` float64; ``out``: ``(len(units), ...)`` float64, contiguous, on the same
    device. The draws are split over ``threads`` threads by whole units. On the CPU the
    two operations run in the drawing threads, block by block (``host_combine``); on
    another device the draws are moved there and the same two operations run there: the
    same numbers either way."""
    n = len(units)
    if len(rows) != n or out.shape[0] != n or cell.shape != scaled.shape \
            or tuple(cell.shape[1:]) != tuple(out.shape[1:]):
        raise ValueError(f"varied_cells: {n} units, {len(rows)} rows, cell "
                         f"{tuple(cell.shape)}, scaled {tuple(scaled.shape)}, out "
                         f"{tuple(out.shape)}")
    if host_combine is None:
        host_combine = out.device.type == "cpu"
    if host_combine:
        c = cell.reshape(cell.shape[0], -1).numpy()
        s = scaled.reshape(cell.shape[0], -1).numpy()
        _run(key, units, rows, c, s, out.view(n, -1).numpy(), threads, block)
        return out
    draws = torch.empty(out.shape, dtype=torch.float32)
    _run(key, units, rows, None, None, draws.view(n, -1).numpy(), threads, block)
    idx = torch.as_tensor(list(rows), dtype=torch.long, device=out.device)
    torch.mul(draws.to(out.device), scaled.index_select(0, idx), out=out)
    return out.add_(cell.index_select(0, idx))
