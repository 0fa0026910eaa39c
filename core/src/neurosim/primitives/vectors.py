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
