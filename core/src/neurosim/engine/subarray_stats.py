"""Trace statistics of one subarray, and where a subarray's data comes from.

The chip, tile and PE models pass views of a layer's input bits and memory array down to
the subarrays. :class:`Origin` travels with them and says which rows and columns of the
layer those views hold, so each subarray gets a stable key (:class:`BlockKey`) under which
its config-independent statistics are kept in the workload's
:class:`~neurosim.engine.workload.StatisticsMemo`:

* ``counts``: activated rows of every input vector (NeuroSim's ``activityRowRead`` times
  the subarray height);
* ``distinct``: the distinct input vectors (eNVM) or distinct activated-row counts (SRAM,
  whose read model sees nothing else), one representative each and the map back;
* ``column_resistance``: the column resistances of the distinct vectors (the conductance
  product ``inputs^T @ G_eff`` for eNVM), keyed by the :class:`ColumnModel` and the
  memory's mapping parameters too; the fused eNVM ADC path keeps the (float32, scaled)
  conductance sums instead (``conductance_buffer`` / ``cached_conductance``), from the
  second configuration that asks for them on, or as a sweep's scheduler says
  (:func:`set_conductance_policy`).

Every circuit evaluated per input vector is a function of that vector's column resistances
and activity only, so evaluating the distinct vectors and mapping back gives the same
numbers, bit for bit, as evaluating every vector.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..primitives.constants import MemCellType
from .array_activity import ColumnModel

#: when a memo keeps the fused path's conductance sums (:meth:`SubarrayStatistics.
#: conductance_buffer`): ``auto`` from the second request on (the default: a lone
#: configuration stores nothing only a later one would reuse), ``keep`` from the first (the
#: next configuration is known to reuse them), ``skip`` never (no later one will)
CONDUCTANCE_POLICIES = ("auto", "keep", "skip")
_POLICY: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def set_conductance_policy(memo: Any, policy: str) -> None:
    """How ``memo`` keeps conductance sums from now on (one of :data:`CONDUCTANCE_POLICIES`;
    the sweep's row runner sets it per row, from the order of its rows)."""
    if policy not in CONDUCTANCE_POLICIES:
        raise ValueError(f"conductance policy {policy!r}: use one of {CONDUCTANCE_POLICIES}")
    _POLICY[memo] = policy


@dataclass(frozen=True)
class Origin:
    """Which part of layer data a (memory, inputs) pair of views holds.

    ``inputs_key``: what the layer's prepared input bits depend on (layer, input bits,
    XNOR rows); ``cells_key``: what its memory array depends on (layer and mapping
    parameters), ``None`` when the read model ignores the stored values; ``rows``: how the
    layer's rows were gathered (``()`` for a contiguous range, the arguments of the
    novel-mapping gather otherwise); ``row0`` / ``col0``: offset of the views in those.
    """

    inputs_key: tuple
    cells_key: tuple | None
    rows: tuple = ()
    row0: int = 0
    col0: int = 0
    memo: Any = field(default=None, compare=False, hash=False, repr=False)

    def shifted(self, rows: int = 0, cols: int = 0, gather: tuple | None = None) -> Origin:
        """The origin of ``view[rows:, cols:]`` (or of a row gather of the view)."""
        # built directly (dataclasses.replace costs more than the subarray bookkeeping)
        if gather is not None:
            return Origin(self.inputs_key, self.cells_key, self.rows + ((self.row0, gather),),
                          0, self.col0 + int(cols), self.memo)
        return Origin(self.inputs_key, self.cells_key, self.rows, self.row0 + int(rows),
                      self.col0 + int(cols), self.memo)

    def block(self, num_rows: int, num_cols: int) -> BlockKey:
        """The key of the subarray reading ``num_rows`` x ``num_cols`` from here."""
        rows = (self.inputs_key, self.rows, self.row0, int(num_rows))
        cells = None
        if self.cells_key is not None:
            cells = (self.cells_key, self.col0, int(num_cols))
        return BlockKey(rows, cells, int(num_cols))


@dataclass(frozen=True)
class BlockKey:
    """Stable identity of a subarray's data: its input rows, its cells (or None when the
    values do not matter) and its number of columns."""

    rows: tuple
    cells: tuple | None
    num_cols: int


@dataclass(frozen=True)
class Distinct:
    """Distinct vectors: ``index`` (one representative per class, ascending),
    ``inverse`` (class of every vector), so ``x[index][inverse] == x``."""

    index: np.ndarray
    inverse: np.ndarray

    @property
    def size(self) -> int:
        return int(self.index.size)


class SubarrayStatistics:
    """Statistics of one subarray's input bits (rows x V, 0/1) and memory (rows x cols),
    computed on first use and shared through the memo when ``key`` is given."""

    def __init__(self, bits: np.ndarray, memory: np.ndarray, key: BlockKey | None = None,
                 memo: Any = None) -> None:
        self.bits = np.asarray(bits)
        self.memory = memory
        self.key = key if memo is not None else None
        self.memo = memo
        self.num_vectors = int(self.bits.shape[1])
        self.num_cols = int(memory.shape[1])

    def _small(self, what: str, compute) -> Any:
        if self.key is None:
            return compute()
        return self.memo.small((what, self.key.rows), compute)

    @property
    def counts(self) -> np.ndarray:
        """Activated (``== 1``) rows of every vector, int64 (V,)."""
        return self._small("counts", lambda: np.count_nonzero(self.bits == 1, axis=0))

    def distinct(self, by_bits: bool) -> Distinct:
        """Distinct vectors: by their bits (``by_bits``) or by their activated-row count."""
        if by_bits:
            return self._small("distinct-bits", self._distinct_bits)
        return self._small("distinct-counts", lambda: _distinct_of(self.counts))

    def _distinct_bits(self) -> Distinct:
        packed = np.packbits(self.bits == 1, axis=0)  # (ceil(rows/8), V)
        rows = np.ascontiguousarray(packed.T)
        keys = rows.view(np.dtype((np.void, rows.shape[1]))).reshape(-1)
        return _distinct_of(keys)

    def rows_identity(self) -> Any:
        """What identifies the input rows: the key, else where the bits lie in memory."""
        if self.key is not None:
            return ("key", self.key.rows)
        b = self.bits
        return ("view", b.__array_interface__["data"][0], b.shape, b.strides, b.dtype.str)

    def _large_key(self, model: ColumnModel, distinct: Distinct) -> Any:
        """Memo key of the column resistances (None: not kept; SRAM's are a division per
        distinct count, nothing worth keeping)."""
        if (self.key is None or self.key.cells is None
                or model.mem_cell_type == MemCellType.SRAM):
            return None
        return ("colres", self.key.rows, self.key.cells, model, distinct.size)

    def cached_column_resistance(self, model: ColumnModel,
                                 distinct: Distinct) -> np.ndarray | None:
        """The kept column resistances, or None."""
        key = self._large_key(model, distinct)
        return None if key is None else self.memo.get_large(key)

    def keep_column_resistance(self, model: ColumnModel, distinct: Distinct,
                               value: np.ndarray) -> np.ndarray:
        """Keep ``value`` (computed elsewhere) as this subarray's column resistances."""
        key = self._large_key(model, distinct)
        if key is not None:
            self.memo.put_large(key, value)
        return value

    # -- conductance sums of the fused eNVM ADC path ----------------------------------------
    def _conductance_key(self, model: ColumnModel, distinct: Distinct) -> Any:
        if (self.key is None or self.key.cells is None
                or model.mem_cell_type == MemCellType.SRAM):
            return None
        return ("colcond32", self.key.rows, self.key.cells, model, distinct.size)

    def cached_conductance(self, model: ColumnModel, distinct: Distinct) -> np.ndarray | None:
        """The kept float32 conductance sums (scaled, see
        :func:`~neurosim.engine.subarray_vectors.fused_adc_energies`), or None."""
        key = self._conductance_key(model, distinct)
        return None if key is None else self.memo.get_large(key)

    def conductance_buffer(self, model: ColumnModel, distinct: Distinct) -> np.ndarray | None:
        """A (distinct vectors x columns) float32 buffer to fill with the conductance sums
        and hand to :meth:`keep_conductance`, or None when they are not to be kept.

        They are kept from the second request on (the first configuration of a workload
        does not pay for storing what only a later one would reuse), and only while they
        fit the memo's free budget (a long network's sums would otherwise push each other
        out before any reuse); :func:`set_conductance_policy` can say "from the first
        request" or "not at all" instead."""
        key = self._conductance_key(model, distinct)
        if key is None:
            return None
        policy = _POLICY.get(self.memo, "auto")
        if policy == "skip":
            return None
        asked = self.memo.small(("colcond32-asked", key), lambda: [0])
        asked[0] += 1
        size = distinct.size * self.num_cols * 4
        if (policy == "auto" and asked[0] < 2) or \
                self.memo.large_bytes + size > self.memo.budget_bytes:
            return None
        return np.empty((distinct.size, self.num_cols), dtype=np.float32)

    def keep_conductance(self, model: ColumnModel, distinct: Distinct,
                         value: np.ndarray) -> None:
        """Keep ``value`` (a filled :meth:`conductance_buffer`)."""
        key = self._conductance_key(model, distinct)
        if key is not None:
            self.memo.put_large(key, value)

    def column_resistance(self, model: ColumnModel, distinct: Distinct) -> np.ndarray:
        """Column resistances of the representatives of ``distinct``, (U, cols)."""
        cached = self.cached_column_resistance(model, distinct)
        if cached is not None:
            return cached
        return self.keep_column_resistance(model, distinct,
                                           self._column_resistance(model, distinct))

    def _column_resistance(self, model: ColumnModel, distinct: Distinct) -> np.ndarray:
        if model.mem_cell_type == MemCellType.SRAM:
            return model.column_resistance_from_counts(self.counts[distinct.index],
                                                       self.num_cols)
        bits = self.bits
        if 2 <= distinct.size < self.num_vectors and self.num_cols >= 2:
            # a GEMM's rows do not depend on the other rows (M >= 2, N >= 2): the same
            # sums as the full product
            bits = bits[:, distinct.index]
            return model.column_resistance(bits, self.memory)
        full = model.column_resistance(bits, self.memory)
        return full if distinct.size == self.num_vectors else full[distinct.index]


def _distinct_of(keys: np.ndarray) -> Distinct:
    _, index, inverse = np.unique(keys, return_index=True, return_inverse=True)
    order = np.argsort(index, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return Distinct(index[order], rank[inverse.reshape(-1)])
