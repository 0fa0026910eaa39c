"""What one subarray sees of a layer: its slice of the memory and of the input bits, the row
activity of every input vector and the column resistances the sense circuits see.

NeuroSim (ProcessingUnit.cpp ``CopySubArray``, ``CopySubInput``, ``GetInputVector``,
``GetColumnResistance``; Chip.cpp ``ReshapeArray``/``ReshapeInput``) does this one input
vector at a time with a triple loop over vectors x rows x columns (57% of its run time). Here
all vectors are handled at once: the row activity is a column count and the column
conductance a matrix product ``inputs^T @ G_eff`` of the 0/1 input matrix with the effective
cell conductances.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass

import numpy as np

from ..primitives.constants import CellAccessType, MemCellType


def copy_sub_array(
    memory: np.ndarray, position_row: int, position_col: int, num_row: int, num_col: int
) -> np.ndarray:
    """Rows ``position_row..+num_row`` and columns ``position_col..+num_col`` (a view)."""
    return memory[position_row : position_row + num_row, position_col : position_col + num_col]


def copy_sub_input(
    inputs: np.ndarray, position_row: int, num_input_vector: int, num_row: int
) -> np.ndarray:
    """Rows ``position_row..+num_row`` and the first ``num_input_vector`` columns (a view)."""
    return inputs[position_row : position_row + num_row, :num_input_vector]


def reshape_array(
    memory: np.ndarray,
    position_row: int,
    position_col: int,
    num_row: int,
    num_col: int,
    num_pe: int,
    weight_matrix_row: int,
) -> np.ndarray:
    """Novel-mapping gather (Chip.cpp ``ReshapeArray``): for PE k the rows
    ``position_row + k*weight_matrix_row + i`` (i < num_row), PEs stacked."""
    rows = (
        position_row + np.arange(num_pe)[:, None] * weight_matrix_row + np.arange(num_row)[None, :]
    ).ravel()
    return memory[rows, position_col : position_col + num_col]


def reshape_input(
    inputs: np.ndarray,
    position_row: int,
    num_input_vector: int,
    num_row: int,
    num_pe: int,
    weight_matrix_row: int,
) -> np.ndarray:
    """Novel-mapping gather of the input rows (Chip.cpp ``ReshapeInput``)."""
    rows = (
        position_row + np.arange(num_pe)[:, None] * weight_matrix_row + np.arange(num_row)[None, :]
    ).ravel()
    return inputs[rows, :num_input_vector]


def activity_row_read(inputs: np.ndarray, num_row_sub_array: int) -> np.ndarray:
    """``activityRowRead`` of every input vector (``GetInputVector``): the number of non-zero
    input bits divided by the full subarray height (NeuroSim update 122923), shape (V,)."""
    return np.count_nonzero(inputs, axis=0) / float(num_row_sub_array)


@dataclass(frozen=True)
class ColumnModel:
    """Inputs of NeuroSim's column-resistance model (``GetColumnResistance``).

    ``wire_resistance_row/col`` are Param's per-cell wire resistances (``wireResistanceRow``,
    ``wireResistanceCol``), ``resistance_access`` the 1T1R access resistance
    (``cell.resistanceAccess``), ``res_cell_access`` the SRAM access-transistor resistance the
    subarray computed (``SubArray::resCellAccess``).
    """

    mem_cell_type: MemCellType
    access_type: CellAccessType
    parallel_read: bool
    num_row_sub_array: int
    num_row_parallel: int
    wire_resistance_row: float
    wire_resistance_col: float
    resistance_access: float = 0.0
    res_cell_access: float = 0.0

    @property
    def num_add(self) -> int:
        """``ceil(numRowSubArray/numRowParallel)`` with C++ integer division inside the ceil."""
        return self.num_row_sub_array // self.num_row_parallel

    def effective_conductance(self, memory: np.ndarray) -> np.ndarray:
        """Conductance of every cell in series with its wires (and access device), rows x cols.

        eNVM cell (i, j): ``1/(1/G_ij + (j+1)*R_row + (rows-i)*R_col [+ R_access for 1T1R])``.
        SRAM: ``1/(res_cell_access + R_col)`` for every cell (the weight does not enter).
        """
        rows, cols = memory.shape
        if self.mem_cell_type == MemCellType.SRAM:
            g = 1.0 / (self.res_cell_access + self.wire_resistance_col)
            return np.full((rows, cols), g)
        wire = _wire_resistance(self.wire_resistance_row, self.wire_resistance_col, rows, cols)
        total = np.divide(1.0, np.asarray(memory, dtype=np.float64))  # in place from here
        total += wire
        if (
            self.mem_cell_type == MemCellType.RRAM
            and self.access_type == CellAccessType.CMOS_ACCESS
        ):
            total += self.resistance_access
        return np.divide(1.0, total, out=total)

    def scaled_conductance(self, memory: np.ndarray, factor: float,
                           out: np.ndarray) -> np.ndarray:
        """``factor * G_eff`` (:meth:`effective_conductance`) written into ``out`` (float32
        for the fused path): ``factor / (1/G + R_series)`` in float64, with the wire and
        access resistances of each position in one cached table (three passes instead of
        five; the sum's rounding differs from ``effective_conductance`` by an ulp of
        float64, far below float32's)."""
        rows, cols = memory.shape
        if self.mem_cell_type == MemCellType.SRAM:
            out[...] = factor / (self.res_cell_access + self.wire_resistance_col)
            return out
        access = 0.0
        if (self.mem_cell_type == MemCellType.RRAM
                and self.access_type == CellAccessType.CMOS_ACCESS):
            access = self.resistance_access
        # the float64 sum in a per-thread scratch buffer (no allocation per subarray: a
        # 128 x 128 block is glibc's mmap threshold, so a fresh one costs page faults); the
        # quotient in float64 rounded once to ``out``'s dtype, as a mixed-type divide does
        total = _scratch(memory.shape)
        with np.errstate(divide="ignore"):  # a cell of no conductance: G_eff = 0
            np.divide(1.0, np.asarray(memory, dtype=np.float64), out=total)
        np.add(total, _wire_resistance(self.wire_resistance_row, self.wire_resistance_col,
                                       rows, cols, access), out=total)
        np.divide(factor, total, out=total)
        np.copyto(out, total, casting="same_kind")
        return out

    def column_resistance_from_counts(self, counts: np.ndarray, num_cols: int) -> np.ndarray:
        """SRAM: every activated cell adds the same conductance ``1/(R_access + R_col)``, so a
        vector's column resistance is ``1/(activated rows * g)`` on every column, (V, cols)."""
        g = 1.0 / (self.res_cell_access + self.wire_resistance_col)
        g_col = np.repeat((np.asarray(counts) * g)[:, None], num_cols, axis=1)
        with np.errstate(divide="ignore"):
            return 1.0 / g_col

    def column_resistance(self, inputs: np.ndarray, memory: np.ndarray) -> np.ndarray:
        """Column resistance seen by the read circuit for every input vector, shape (V, cols).

        ``inputs`` is rows x V (0/1), ``memory`` rows x cols. A column with no activated row
        has infinite resistance (conductance 0), or NaN in sequential eNVM reads (0/0), as in
        the C++.
        """
        on = np.asarray(inputs) == 1  # the C++ tests (int)input == 1
        if self.mem_cell_type == MemCellType.SRAM:
            # every activated cell adds the same conductance: no matrix product needed
            return self.column_resistance_from_counts(on.sum(axis=0), memory.shape[1])
        x = on.astype(np.float64)
        return self.resistance_from_sums(x.T @ self.effective_conductance(memory), x)

    def resistance_scale(self, counts: np.ndarray) -> float | np.ndarray:
        """``scale`` with ``R = scale / g`` for conductance sums ``g`` (as
        :meth:`resistance_from_sums` divides them): ``numAdd`` in parallel eNVM reads, the
        activated rows ``counts`` of each vector (float64) in sequential ones, else 1."""
        if self.mem_cell_type in (MemCellType.RRAM, MemCellType.FeFET):
            if self.parallel_read:
                return float(self.num_add)
            return np.asarray(counts, dtype=np.float64)
        return 1.0

    def resistance_from_sums(self, g_col: np.ndarray, x: np.ndarray) -> np.ndarray:
        """eNVM column resistances (V, cols) from the conductance sums ``x^T @ G_eff`` of
        the 0/1 inputs ``x`` (rows x V): parallel reads divide by ``numAdd``, sequential
        reads by the activated rows of each vector."""
        g_col = np.array(g_col, dtype=np.float64)  # written in place below
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.mem_cell_type in (MemCellType.RRAM, MemCellType.FeFET):
                if self.parallel_read:
                    g_col /= float(self.num_add)
                else:
                    g_col /= x.sum(axis=0)[:, None]
            return np.divide(1.0, g_col, out=g_col)


_SCRATCH = threading.local()


def _scratch(shape: tuple[int, int]) -> np.ndarray:
    """A float64 work array of ``shape``, one per thread and shape (its contents are
    overwritten by every user; never returned to callers)."""
    cache = getattr(_SCRATCH, "arrays", None)
    if cache is None:
        cache = _SCRATCH.arrays = {}
    buf = cache.get(shape)
    if buf is None:
        if len(cache) >= 16:
            cache.clear()
        buf = cache[shape] = np.empty(shape, dtype=np.float64)
    return buf


@functools.lru_cache(maxsize=64)
def _wire_resistance(r_row: float, r_col: float, rows: int, cols: int,
                     access: float = 0.0) -> np.ndarray:
    """``(j+1)*R_row + (rows-i)*R_col`` of cell (i, j), rows x cols, plus ``access`` when
    given (read-only, shared)."""
    wire = (np.arange(1, cols + 1) * r_row)[None, :] + (
        (rows - np.arange(rows)) * r_col)[:, None]
    if access:
        wire += access
    wire.flags.writeable = False
    return wire


def column_model_from_context(ctx, res_cell_access: float = 0.0) -> ColumnModel:
    """The :class:`ColumnModel` of the configured design (``ctx.param``, ``ctx.cell``)."""
    p, cell = ctx.param, ctx.cell
    return ColumnModel(
        mem_cell_type=MemCellType(cell.mem_cell_type),
        access_type=CellAccessType(cell.access_type),
        parallel_read=bool(p.parallel_read),
        num_row_sub_array=int(p.num_row_sub_array),
        num_row_parallel=int(p.num_row_parallel),
        wire_resistance_row=float(p.wire_resistance_row),
        wire_resistance_col=float(p.wire_resistance_col),
        resistance_access=float(getattr(cell, "resistance_access", 0.0) or 0.0),
        res_cell_access=float(res_cell_access),
    )
