"""scikit-learn's bundled handwritten digits (UCI optdigits test part): 1,797 labelled
8 x 8 images of the digits 0-9, 16 grey levels, shipped inside scikit-learn (no download).

Split (fixed, stratified): within each class, in the order of
``sklearn.datasets.load_digits()``, items 0, 5, 10, ... of that class are ``digits:test``
(364 items, 35-37 per class) and the others ``digits:train`` (1,433 items); each split
keeps the original order.
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


def class_rank(target: Any) -> Any:
    """Each item's position among the items of its class (0, 1, 2, ... in order)."""
    import numpy as np

    order = np.argsort(target, kind="stable")
    ordered = target[order]
    rank = np.empty(len(target), dtype=np.int64)
    rank[order] = np.arange(len(target)) - np.searchsorted(ordered, ordered, side="left")
    return rank


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
    rank = class_rank(bunch.target)
    keep = rank % TEST_EVERY == 0 if split == "test" else rank % TEST_EVERY != 0
    x = (bunch.images[keep] / 16.0).astype(np.float32).reshape(-1, *SHAPE)
    return x, bunch.target[keep].astype(np.int64)


def open_digits(split: str, limit: int | None = None) -> Dataset:
    """``digits:train`` / ``digits:test`` as a :class:`Dataset`."""
    import torch

    x, y = digits_arrays(split)
    return tensor_dataset("digits", f"sklearn.datasets.load_digits ({split})", split,
                          torch.from_numpy(x), torch.from_numpy(y), 10, limit,
                          details={"split_rule": f"per class, every {TEST_EVERY}th item "
                                                 "(0, 5, ...) is test, the others train"})
