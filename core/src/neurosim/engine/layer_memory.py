"""A layer's memory array (NeuroSim's ``newMemory``: conductance of every cell, rows x
weight columns x cells per synapse), built on demand one tile at a time.

``LoadInWeightData`` maps every weight to an integer level (at most ``2^synapseBit + 1`` of
them) and the level alone to ``numColPerSynapse`` cell conductances. So the layer is kept
as a small table (level -> its cells) plus one level index per weight, and a block of the
array is gathered from the table when a tile asks for it. The full array of a
large layer (VGG8's FC layer: 8192 x 8192 cells, 0.5 GB of float64) is never materialised.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np


class LayerMemory:
    """Read-only 2-D view of the conductance array supporting ``[rows, col_slice]`` with
    ``rows`` a slice or an integer index array, and ``shape``."""

    def __init__(self, weights: np.ndarray, levels: np.ndarray,
                 cells_of: Callable[[np.ndarray], np.ndarray], cells_per_synapse: int) -> None:
        """``levels``: the integer level of every weight; ``cells_of(values)`` maps a column
        vector of weights (n x 1) to their cells (n x ``cells_per_synapse``)."""
        w = np.asarray(weights, dtype=np.float64)
        lv = np.asarray(levels)
        if lv.dtype.kind not in "iu":
            lv = lv.astype(np.int64)
        lo = int(lv.min())
        num_levels = int(lv.max()) - lo + 1
        # level - lowest level straight into the stored dtype (no full-size int64 temporary:
        # fresh large arrays cost page faults)
        dtype = np.int16 if num_levels < 2 ** 15 else np.int64
        index = np.empty(lv.shape, dtype=dtype)
        np.subtract(lv, lo, out=index, casting="unsafe")  # exact: 0 <= value < num_levels
        # one weight of each level stands for all of them
        rep = np.full(num_levels, w.flat[0])
        rep[index.ravel()] = w.ravel()
        self._table = np.asarray(cells_of(rep.reshape(-1, 1)), dtype=np.float64)
        if self._table.shape != (rep.size, cells_per_synapse):
            raise ValueError("cells_of must map n weights to n x cells_per_synapse cells")
        self._index = index
        self._ncol = int(cells_per_synapse)
        self.shape = (w.shape[0], w.shape[1] * self._ncol)

    def __getitem__(self, key: Any) -> np.ndarray:
        rows, cols = key
        if not isinstance(cols, slice) or cols.step not in (None, 1):
            raise TypeError("columns must be a contiguous slice")
        c0, c1, _ = cols.indices(self.shape[1])
        c1 = max(c1, c0)
        w0 = c0 // self._ncol
        w1 = -(-c1 // self._ncol)
        # rows x weights x cells; take() copies whole table rows (3x fancy indexing)
        block = self._table.take(self._index[rows, w0:w1], axis=0)
        block = block.reshape(block.shape[0], -1)
        off = w0 * self._ncol
        return block[:, c0 - off:c1 - off]

    def dense(self) -> np.ndarray:
        """The whole array (for small layers and tests)."""
        return self[:, :]


class ShapeOnlyMemory:
    """Stand-in for the memory array of a cell whose read model ignores the stored values
    (SRAM: NeuroSim's ``GetColumnResistance`` counts activated rows only).

    Supports the same ``[rows, col_slice]`` indexing and ``shape`` as :class:`LayerMemory`
    but returns read-only zero-stride blocks of NaN (any use of a value would show), so no
    weight level is computed and no block of conductances is gathered.
    """

    def __init__(self, shape: tuple[int, int]) -> None:
        self.shape = (int(shape[0]), int(shape[1]))

    def __getitem__(self, key: Any) -> np.ndarray:
        rows, cols = key
        if not isinstance(cols, slice) or cols.step not in (None, 1):
            raise TypeError("columns must be a contiguous slice")
        return np.broadcast_to(np.float64(np.nan), (_length(rows, self.shape[0]),
                                                    _length(cols, self.shape[1])))

    def dense(self) -> np.ndarray:
        """The whole (placeholder) array."""
        return self[:, :]


def _length(index: Any, size: int) -> int:
    """Number of elements ``index`` (a slice or a 1-D integer array) selects of ``size``."""
    if isinstance(index, slice):
        return len(range(*index.indices(size)))
    idx = np.asarray(index)
    if idx.ndim != 1 or (idx.size and (idx.max() >= size or idx.min() < -size)):
        raise IndexError(f"row index out of range for {size} rows")
    return int(idx.size)
