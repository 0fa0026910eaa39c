"""Weight trace -> memory array: NeuroSim's ``LoadInWeightData`` (Chip.cpp), vectorized.

Each algorithm weight f becomes an integer level

    v = int(2^synapseBit / (wMax - wMin) * (f - wMax) + 2^synapseBit  +/- 0.5)

(rounded half away from zero, then truncated like a C++ ``int`` conversion), which for the
default range [-1, 1] is ``round(2^(synapseBit-1) * (f + 1))``. In the conventional modes v is
split into ``numColPerSynapse`` base-``2^cellBit`` digits, most significant first, each stored
in its own column; a digit d becomes the conductance

    G = d / (2^cellBit - 1) * (Gmax - Gmin) + Gmin.

The digits are taken with C++ ``%`` and ``/`` (truncating) and every digit, including the most
significant one, is reduced modulo ``2^cellBit``: a level of ``2^synapseBit`` wraps to zero,
as in the C++ (it cannot occur for WAGE-clipped weights). BNN parallel mode stores (Gmax, Gmin)
for level 1 and (Gmin, Gmax) otherwise in two columns; XNOR modes store the same pair in two
rows instead.

The digit-to-conductance rule is the device plugin's ``Device.weight_to_conductance`` when
the memory is built for a configured design (:func:`memory_from_context`); NeuroSim's own rule
(linear between Param's ``minConductance = 1/resistanceOff`` and ``maxConductance =
1/resistanceOn``, which the built-in devices implement bit for bit) is used by
:func:`load_weight_memory` when no device is given.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np


def weight_levels(
    weights: np.ndarray,
    synapse_bit: int,
    algo_weight_max: float = 1.0,
    algo_weight_min: float = -1.0,
    dtype: Any = np.int64,
) -> np.ndarray:
    """Integer level of every weight, NeuroSim's normalisation to [0, 2^synapseBit].

    Computed in cache-sized blocks, each with the C++ operations in the C++ order:
    ``scale * (f - max) + 2^synapseBit``, then +/- 0.5 (half away from zero) and a
    truncating conversion. ``dtype`` (default int64) may be a narrower signed integer
    (int32: half the memory to write for a large layer); the values are the int64 ones,
    and the result is int64 after all when some value (or NaN) does not fit it.
    """
    f = np.asarray(weights, dtype=np.float64)
    normalized_max = math.pow(2, synapse_bit)
    normalized_min = 0.0
    scale = (normalized_max - normalized_min) / (algo_weight_max - algo_weight_min)
    flat = f.reshape(-1)
    dtype = np.dtype(dtype)
    narrow = dtype != np.int64
    # |value| below this converts to ``dtype`` as to int64 (truncation toward zero)
    bound = float(np.iinfo(dtype).max) if narrow else 0.0
    out = np.empty(flat.size, dtype=dtype)
    for start in range(0, flat.size, _LEVEL_CHUNK):
        block = flat[start:start + _LEVEL_CHUNK] - algo_weight_max
        block *= scale
        block += normalized_max
        block += np.where(block >= 0, 0.5, -0.5)
        if narrow and block.size and not float(np.max(np.abs(block))) < bound:
            return weight_levels(weights, synapse_bit, algo_weight_max, algo_weight_min)
        out[start:start + _LEVEL_CHUNK] = block  # float -> int truncates toward zero
    return out.reshape(f.shape)


_LEVEL_CHUNK = 1 << 15  # weights per block of weight_levels


def num_col_per_synapse(synapse_bit: int, cell_bit: int, operation_mode: int = 2) -> int:
    """Columns per weight (main.cpp): 2 in BNN parallel, 1 in BNN sequential / XNOR modes,
    else ``ceil(synapseBit/cellBit)``."""
    if operation_mode == 4:
        return 2
    if operation_mode in (3, 5, 6):
        return 1
    return math.ceil(synapse_bit / cell_bit)


def level_digits(levels: np.ndarray, cell_bit: int, num_col: int) -> np.ndarray:
    """Base-2^cellBit digits of ``levels``, most significant first: shape (..., num_col).

    C++ truncating ``%`` and ``/`` (so negative levels give non-positive digits, as there).
    """
    v = np.asarray(levels, dtype=np.int64)
    cell_range = 1 << cell_bit
    digits = np.empty(v.shape + (num_col,), dtype=np.int64)
    for z in range(num_col):  # num_col <= synapse bits: a loop over digit positions only
        digits[..., num_col - 1 - z] = np.fmod(v, cell_range)
        v = _cdiv(v, cell_range)
    return digits


def _cdiv(v: np.ndarray, d: int) -> np.ndarray:
    """C++ integer division (truncation toward zero)."""
    q = np.abs(v) // d
    return np.where(v < 0, -q, q)


def load_weight_memory(
    weights: np.ndarray,
    *,
    synapse_bit: int,
    cell_bit: int,
    max_conductance: float,
    min_conductance: float,
    algo_weight_max: float = 1.0,
    algo_weight_min: float = -1.0,
    operation_mode: int = 2,
    conductance: Callable[[np.ndarray], np.ndarray] | None = None,
) -> np.ndarray:
    """The memory NeuroSim builds from a weight trace (rows x cols float64 conductances).

    ``weights`` is the trace (rows ``cin*kh*kw``, columns ``cout``). The result has
    ``cout * numColPerSynapse`` columns (synapse j's cells in columns
    ``j*numColPerSynapse .. +numColPerSynapse-1``), and twice the rows in XNOR modes (row 2i
    the weight, row 2i+1 its complement). ``conductance`` maps the cell digits to siemens
    (default: NeuroSim's linear rule between ``min_conductance`` and ``max_conductance``).
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 2:
        raise ValueError("weights must be a 2-D array (rows x cols)")
    rows, cols = w.shape
    levels = weight_levels(w, synapse_bit, algo_weight_max, algo_weight_min)
    gmax, gmin = float(max_conductance), float(min_conductance)
    if operation_mode == 4:  # BNN parallel: two columns per synapse
        one = levels == 1
        out = np.empty((rows, cols, 2))
        out[..., 0] = np.where(one, gmax, gmin)
        out[..., 1] = np.where(one, gmin, gmax)
        return out.reshape(rows, cols * 2)
    if operation_mode in (5, 6):  # XNOR: weight row and complement row
        one = levels == 1
        out = np.empty((rows, 2, cols))
        out[:, 0, :] = np.where(one, gmax, gmin)
        out[:, 1, :] = np.where(one, gmin, gmax)
        return out.reshape(rows * 2, cols)
    ncol = num_col_per_synapse(synapse_bit, cell_bit, operation_mode)
    cell_range = 1 << cell_bit
    digits = level_digits(levels, cell_bit, ncol)
    if conductance is not None:
        g = np.asarray(conductance(digits), dtype=np.float64)
    else:
        g = digits.astype(np.float64) / (cell_range - 1) * (gmax - gmin) + gmin
    return g.reshape(rows, cols * ncol)


def memory_from_context(ctx: Any, weights: np.ndarray) -> np.ndarray:
    """The memory of ``weights`` for the configured design: Param's precisions, weight range
    and operation mode, and the device plugin's ``weight_to_conductance``."""
    p, cfg = ctx.param, ctx.config
    device = ctx.registry.get("device", cfg.device)
    cell_bit = int(p.cell_bit)
    return load_weight_memory(
        weights,
        synapse_bit=int(p.synapse_bit),
        cell_bit=cell_bit,
        max_conductance=float(p.max_conductance),
        min_conductance=float(p.min_conductance),
        algo_weight_max=float(cfg.algo_weight_max),
        algo_weight_min=float(cfg.algo_weight_min),
        operation_mode=int(cfg.operation_mode),
        conductance=lambda digits: device.weight_to_conductance(digits, ctx.cell, cell_bit),
    )
