"""Per-input-vector evaluation helpers (see the class docstrings for the API).

NeuroSim calls a column circuit once per input vector with that vector's column resistances;
these helpers evaluate many calls at once and sum in the C++ loop order (a strict
left-to-right sum, so results equal a loop of scalar calls bit for bit)."""

from __future__ import annotations

from typing import Any

import numpy as np

from neurosim.primitives.constants import DeviceRoadmap


def as_vectors(column_resistance: Any) -> np.ndarray:
    """Column resistances as a 2-D float array (num_vectors, num_columns); 1-D is one vector,
    ``None`` is one vector of no columns."""
    if column_resistance is None:
        return np.zeros((1, 0))
    arr = np.asarray(column_resistance, dtype=float)
    if arr.ndim == 0:
        arr = arr.reshape(1, 1)
    elif arr.ndim == 1:
        arr = arr.reshape(1, -1)
    elif arr.ndim != 2:
        raise ValueError(f"column_resistance must be 1-D or 2-D, got shape {arr.shape}")
    return arr


def sequential_sum(values: Any, axis: int = -1) -> np.ndarray:
    """Left-to-right sum along ``axis`` starting from 0.0, as a C++ ``for`` loop with ``+=``.

    ``np.add.reduce`` over the leading axis of a C-contiguous array adds whole rows in
    order (no pairwise summation, which numpy uses only along the contiguous axis), so it
    gives the loop's sums bit for bit without the ``cumsum`` temporary; one-dimensional
    sums (and sums of a single column) take ``np.cumsum``, which is strictly sequential.
    """
    values = np.asarray(values, dtype=float)
    axis = axis % values.ndim
    if values.shape[axis] == 0:
        return np.zeros(values.shape[:axis] + values.shape[axis + 1:])
    moved = np.moveaxis(values, axis, 0)
    if moved.ndim == 1 or moved[0].size < 2:
        return np.cumsum(moved, axis=0)[-1]
    return np.add.reduce(np.ascontiguousarray(moved), axis=0)


def unique_counts(counts: Any) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(counts, return_inverse=True)`` (inverse flattened) for small
    non-negative integers (activated-row counts) in O(n) by a presence table instead of a
    sort; the same two arrays. Other values take ``np.unique``."""
    arr = np.asarray(counts)
    flat = arr.reshape(-1)
    if (flat.size and arr.dtype.kind in "iu" and int(flat.min()) >= 0
            and int(flat.max()) <= 4 * flat.size + 65536):
        present = np.bincount(flat) > 0
        uniq = np.flatnonzero(present).astype(arr.dtype, copy=False)
        rank = np.cumsum(present) - 1
        return uniq, rank[flat]
    uniq, inverse = np.unique(arr, return_inverse=True)
    return uniq, inverse.reshape(-1)


def per_vector(num_read: Any, num_vectors: int) -> np.ndarray:
    """``num_read`` (scalar or one value per vector) as an array of length ``num_vectors``."""
    return np.broadcast_to(np.asarray(num_read, dtype=float), (num_vectors,)).astype(float)


def is_hp(param: Any) -> bool:
    """True for Param ``deviceroadmap == 1`` (HP); accepts the code, the enum or its name."""
    roadmap = param.deviceroadmap
    if isinstance(roadmap, str):
        return roadmap.lower() == "hp"
    if isinstance(roadmap, DeviceRoadmap):
        return roadmap == DeviceRoadmap.HP
    return int(roadmap) == 1


# -- column statistics straight from conductance sums (the fused eNVM ADC path) -------------
#
# An eNVM read converts, for every input vector v and column c, the column resistance
# R_vc = scale_v / g_vc, where g_vc is the conductance sum of the activated cells
# (``x^T @ G_eff``) and scale_v is ``numAdd`` (parallel read) or the activated rows
# (sequential read). The converters' static power is a function of ln R (piecewise
# ``a ln R + b``) or of R^-beta, and what an estimate keeps is its sum over the columns of
# each vector. ``ln R_vc = ln scale_v - ln g_vc``, so these sums follow from row sums of
# ``L = ln g`` (and of ``exp(beta L)``) without forming R: the helpers below give them,
# split at thresholds of L where a fit changes piece. All sums are float64; ``g`` may be
# float32 (the fused path's matrix product), which bounds the relative error of each L
# by about 1e-7 (see docs/performance.md, "eNVM fast path").


def row_sums(values: np.ndarray) -> np.ndarray:
    """Sums of every row of a 2-D array as float64. ``einsum('ij->i')`` is about 3x
    faster than ``sum(axis=1)`` on short rows and, unlike a BLAS matrix-vector product,
    gives each row the same sum whatever the other rows and the row's alignment (so a
    batched evaluation equals one subarray at a time, bit for bit)."""
    return np.asarray(np.einsum("ij->i", values), dtype=np.float64)


def row_counts(mask: np.ndarray) -> np.ndarray:
    """Number of True entries in every row of a 2-D bool array (int64).

    Rows whose length is a multiple of 8 are read as uint64 words of eight 0/1 bytes:
    their word sums keep each byte below 256 (rows up to 2040 entries), and the bytes of
    the sum add up to the count: for rows of at most 255 entries by one multiplication
    (``w * 0x0101010101010101 >> 56`` adds the eight bytes into the top one, exact while
    the count stays below 256), else byte by byte.
    """
    m, c = mask.shape
    if c and c % 8 == 0 and c // 8 <= 255 and mask.flags.c_contiguous:
        words = np.einsum("ij->i", mask.view(np.uint64))  # 2x sum(axis=1) on short rows
        if c <= 255:
            words *= np.uint64(0x0101010101010101)  # modulo 2**64
            words >>= np.uint64(56)
            return words.astype(np.int64)
        return words.view(np.uint8).reshape(m, 8).sum(axis=1, dtype=np.int64)
    return np.count_nonzero(mask, axis=1).astype(np.int64)


#: rows with entries on both sides of a threshold are gathered (and only they are
#: multiplied with the 0/1 indicator) when they are at most 1 in this many of the rows
FEW_ROWS = 4


class Above:
    """What lies above one threshold t of L in every row: ``count`` (int64 (m,)) and
    ``sum`` (float64 (m,), the sum of those L), and for
    :meth:`LogConductanceRows.reciprocal_above` the rows ``split`` (int64 indices) with
    entries on both sides and their 0/1 indicator ``weights`` (those rows only, L's
    dtype), or None when no row has entries on both sides."""

    __slots__ = ("count", "sum", "split", "weights")

    def __init__(self, count: np.ndarray, total: np.ndarray, split: np.ndarray | None = None,
                 weights: np.ndarray | None = None) -> None:
        self.count = count
        self.sum = total
        self.split = split
        self.weights = weights


class LogConductanceRows:
    """``L = ln g`` of a block of conductance sums (m vectors x C columns) and its row
    statistics (see the section comment above).

    Rows with a zero, infinite or NaN conductance (a vector with no activated row) are
    ``bad``: their L is replaced by a finite value and their sums are meaningless; the
    caller evaluates them the straightforward way. ``lmin``/``lmax`` bound L over the
    good rows.
    """

    def __init__(self, conductance: np.ndarray) -> None:
        g = np.ascontiguousarray(conductance)
        if g.dtype not in (np.float32, np.float64):
            g = g.astype(np.float64)
        self.g = g
        with np.errstate(divide="ignore", invalid="ignore"):
            self.log = np.log(g)
        self.total = row_sums(self.log)
        self.bad = ~np.isfinite(self.total)
        self.num_cols = int(g.shape[1])
        if self.bad.all():
            self.lmin = self.lmax = 0.0
            return
        if self.bad.any():
            fill = self.log[int(np.argmin(self.bad)), 0]
            self.log[self.bad] = fill
            self.total[self.bad] = float(fill) * self.num_cols
        self.lmin = float(self.log.min())
        self.lmax = float(self.log.max())

    @property
    def good(self) -> np.ndarray:
        return ~self.bad

    def above(self, threshold: Any) -> Above:
        """Rows' count and sum of the L strictly greater than ``threshold`` (a scalar or
        one value per row, compared in L's precision).

        A row with every entry above sums to its total (:attr:`total`), one with none to
        0; only the rows with entries on both sides (often few: the extreme vectors of
        the block) are multiplied with the 0/1 indicator, gathered when they are at most
        1 in ``FEW_ROWS``. Each row's sum depends on its own entries only."""
        L, c = self.log, self.num_cols
        m = L.shape[0]
        t = np.asarray(threshold, dtype=np.float64)
        if t.size and float(np.min(t)) >= self.lmax:  # no L above (as the masks would say)
            return Above(np.zeros(m, dtype=np.int64), np.zeros(m))
        t_cmp = t.astype(L.dtype)
        mask = np.greater(L, t_cmp if t.ndim == 0 else t_cmp[:, None])
        count = row_counts(mask)
        full = count == c
        total = np.where(full, self.total, 0.0)
        split = np.flatnonzero(count * (c - count))  # 0 < count < c
        if not split.size:
            return Above(count, total)
        if split.size * FEW_ROWS <= m:
            weights = np.empty((split.size, c), dtype=L.dtype)
            np.copyto(weights, mask[split])
            total[split] = np.einsum("ij,ij->i", L[split], weights)
            return Above(count, total, split, weights)
        weights = np.empty(L.shape, dtype=L.dtype)
        np.copyto(weights, mask)
        total[split] = np.einsum("ij,ij->i", L, weights)[split]
        return Above(count, total, split, weights[split])

    def reciprocal_above(self, above: Above) -> np.ndarray:
        """Rows' sums of ``1/g`` over the entries counted in ``above`` (float64 (m,)):
        the row sum for rows with every entry above, the product with the 0/1 indicator
        for the rows with entries on both sides (gathered), 0 for the others."""
        m, c = self.g.shape
        out = np.zeros(m)
        full = np.flatnonzero(above.count == c)
        with np.errstate(divide="ignore"):
            if full.size:
                out[full] = row_sums(np.reciprocal(self.g if full.size == m else self.g[full]))
            if above.split is not None and above.split.size:
                out[above.split] = np.einsum("ij,ij->i", np.reciprocal(self.g[above.split]),
                                             above.weights)
        return out

    def exp_sums(self, beta: float) -> np.ndarray:
        """Rows' sums of ``exp(beta * L)`` = ``g**beta`` (float64 (m,))."""
        e = np.multiply(self.log, self.log.dtype.type(beta))
        with np.errstate(over="ignore"):
            np.exp(e, out=e)
        return row_sums(e)


def open_rows_first(res: np.ndarray, reads: np.ndarray, energy_of: Any,
                    cache: dict | None = None, key: Any = None) -> np.ndarray:
    """``energy_of(res, reads)`` (a converter's per-row energy, ``sum_c e(R_c) * reads``)
    with the rows whose columns are all open (R = inf: a vector with no activated row,
    one per block of rows) evaluated once and scaled by their ``reads``; the same numbers,
    row by row, as evaluating each. ``cache[key]`` (``key`` naming everything the
    converter's formula reads) keeps that one row's energy between calls."""
    open_rows = np.isposinf(res).all(axis=1) if res.shape[1] else np.zeros(len(res), bool)
    if not open_rows.any():
        return energy_of(res, reads)
    out = np.empty(res.shape[0])
    full_key = (key, res.shape[1])
    one = None if cache is None else cache.get(full_key)
    if one is None:
        one = float(energy_of(res[open_rows][:1], np.ones(1))[0])
        if cache is not None:
            cache[full_key] = one
    out[open_rows] = one * reads[open_rows]
    rest = ~open_rows
    if rest.any():
        out[rest] = energy_of(res[rest], reads[rest])
    return out
