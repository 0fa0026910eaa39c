"""scikit-learn's bundled handwritten digits (UCI optdigits test part): 1,797 labelled
8 x 8 images of the digits 0-9, 16 grey levels, shipped inside scikit-learn (no download).

Split (fixed): item ``i`` of ``sklearn.datasets.load_digits()`` is in ``digits:test`` when
``i % 5 == 0`` (360 items, 34-39 per class), else in ``digits:train`` (1,437 items).
Inputs: ``1 x 8 x 8`` float32, ``x = k/16`` for grey level ``k`` in 0..16 (so in [0, 1],
unsigned as the crossbar's bit-serial input driver reads them).
"""

from __future__ import annotations

from typing import Any

from ..errors import NeuroSimError
from .base import Dataset, tensor_dataset

#: every ``TEST_EVERY``-th item is a test item
TEST_EVERY = 5
SHAPE = (1, 8, 8)


def digits_arrays(split: str) -> tuple[Any, Any]:
    """``(images float32 N x 1 x 8 x 8 in [0, 1], labels int64)`` of ``split``."""
    import numpy as np

    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise NeuroSimError("--data digits:...: needs scikit-learn (pip install "
                            "scikit-learn; `make install` installs it)") from None
    if split not in ("train", "test"):
        raise NeuroSimError(f"digits:{split}: expected digits:train or digits:test")
    bunch = load_digits()
    idx = np.arange(len(bunch.target))
    keep = idx % TEST_EVERY == 0 if split == "test" else idx % TEST_EVERY != 0
    x = (bunch.images[keep] / 16.0).astype(np.float32).reshape(-1, *SHAPE)
    return x, bunch.target[keep].astype(np.int64)


def open_digits(split: str, limit: int | None = None) -> Dataset:
    """``digits:train`` / ``digits:test`` as a :class:`Dataset`."""
    import torch

    x, y = digits_arrays(split)
    return tensor_dataset("digits", f"sklearn.datasets.load_digits ({split})", split,
                          torch.from_numpy(x), torch.from_numpy(y), 10, limit,
                          details={"split_rule": f"test = items i with i % {TEST_EVERY} "
                                                 "== 0, train = the others"})
