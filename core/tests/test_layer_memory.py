"""Memory arrays handed to the tiles: :class:`LayerMemory` and :class:`ShapeOnlyMemory`."""

from __future__ import annotations

import numpy as np
import pytest
from neurosim.engine.layer_memory import LayerMemory, ShapeOnlyMemory


def _cells(values: np.ndarray) -> np.ndarray:
    return np.hstack([values, 2 * values])


def test_shape_only_memory_indexes_like_layer_memory():
    w = np.linspace(-1, 1, 12 * 5).reshape(12, 5)
    real = LayerMemory(w, np.round(w * 4).astype(int), _cells, 2)
    stand_in = ShapeOnlyMemory(real.shape)
    for key in [(slice(None), slice(None)), (slice(2, 9), slice(3, 8)),
                (np.array([0, 5, 11, 3]), slice(1, 10)), (slice(10, 20), slice(8, 30))]:
        block = stand_in[key]
        assert block.shape == real[key].shape
        assert np.isnan(block).all() and not block.flags.writeable
    assert stand_in.dense().shape == real.shape


def test_shape_only_memory_rejects_bad_keys():
    m = ShapeOnlyMemory((4, 6))
    with pytest.raises(TypeError):
        m[:, ::2]
    with pytest.raises(IndexError):
        m[np.array([4]), :]
