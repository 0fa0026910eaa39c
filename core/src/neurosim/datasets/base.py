"""What every loaded data set offers: its size, labels, and inputs read in batches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Dataset:
    """Items of one data set, read a batch at a time (so a large set is never held whole).

    ``read(start, stop)`` returns the model inputs of items ``start..stop-1`` (a tensor, or
    a dict of tensors for text models); ``labels`` is an int64 tensor of every item's class
    (None: unlabelled, e.g. synthetic inputs); ``classes`` the number of classes the labels
    come from (None when unknown); ``item_shape`` one item's input shape where fixed.
    """

    kind: str
    source: str
    split: str
    size: int
    read: Callable[[int, int], Any] = field(repr=False)
    labels: Any = None
    classes: int | None = None
    item_shape: tuple[int, ...] | None = None
    details: dict[str, Any] = field(default_factory=dict)
    #: ``take(indices)``: the inputs of the items at ``indices`` (a 1-D int64 tensor), for
    #: shuffled training batches; None: read everything once and index it
    take: Callable[[Any], Any] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return self.size

    def batches(self, batch_size: int) -> Iterator[tuple[int, int, Any]]:
        """``(start, stop, inputs)`` for consecutive batches of ``batch_size`` items."""
        for start in range(0, self.size, batch_size):
            stop = min(start + batch_size, self.size)
            yield start, stop, self.read(start, stop)

    def items(self, indices: Any) -> Any:
        """The inputs of the items at ``indices`` (any order)."""
        if self.take is not None:
            return self.take(indices)
        import torch

        whole = self.read(0, self.size)
        if isinstance(whole, dict):
            return {k: (v[indices] if isinstance(v, torch.Tensor) and v.dim() else v)
                    for k, v in whole.items()}
        return whole[indices]

    def provenance(self) -> dict[str, Any]:
        """What the JSON output records about the data set."""
        return {"kind": self.kind, "source": self.source, "split": self.split,
                "n_items": self.size, "labelled": self.labels is not None,
                "classes": self.classes, **self.details}


def tensor_dataset(kind: str, source: str, split: str, inputs: Any, labels: Any = None,
                   classes: int | None = None, limit: int | None = None,
                   transform: Callable[[Any], Any] | None = None,
                   details: dict[str, Any] | None = None) -> Dataset:
    """A :class:`Dataset` over a tensor (or dict of tensors) held in memory; ``transform``
    turns a raw slice (e.g. uint8 pixels) into model inputs batch by batch."""
    import torch

    def count(x: Any) -> int:
        if isinstance(x, dict):
            return next(int(v.shape[0]) for v in x.values()
                        if isinstance(v, torch.Tensor) and v.dim())
        return int(x.shape[0])

    n = count(inputs)
    if limit is not None:
        n = min(n, limit)
    if labels is not None:
        labels = torch.as_tensor(labels, dtype=torch.int64)[:n]

    def select(index: Any) -> Any:
        if isinstance(inputs, dict):
            part = {k: (v[index] if isinstance(v, torch.Tensor) and v.dim() else v)
                    for k, v in inputs.items()}
        else:
            part = inputs[index]
        return transform(part) if transform is not None else part

    def read(start: int, stop: int) -> Any:
        return select(slice(start, stop))

    def take(indices: Any) -> Any:
        return select(indices.numpy() if not isinstance(inputs, (dict, torch.Tensor))
                      else indices)

    shape = None if isinstance(inputs, dict) else tuple(int(s) for s in inputs.shape[1:])
    return Dataset(kind, source, split, n, read, labels, classes, shape, details or {}, take)
