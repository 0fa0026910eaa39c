"""Input data for the model-driven commands (``--data KIND:ARG``).

* ``random:N``: N seeded synthetic inputs from the network's own generator (no files);
* ``digits:train`` / ``digits:test``: scikit-learn's bundled 8x8 handwritten digits
  (:mod:`.digits`; no download);
* ``cifar10:PATH`` / ``cifar100:PATH``: CIFAR python-pickle batches, read directly
  (:mod:`.images`; ``--split test|train``);
* ``imagenet:PATH``: images in class folders (``PATH/val`` or ``PATH``), resized to the
  network's input (:mod:`.images`);
* ``sst2:PATH`` / ``text:PATH``: GLUE-style text sets through ``datasets`` (save_to_disk,
  CSV, TSV, JSON, parquet; ``--split``, ``--text-field``, ``--label-field``; :mod:`.text`).

A network declares what it takes (:func:`network_input`: image or text, the input shape,
its class count); :func:`check_compatible` rejects a data set that does not fit before
anything slow runs. Nothing is downloaded: a missing data set raises a
:class:`NeuroSimError` that says what to download and where to put it. torch, torchvision
and datasets are imported only when needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import NeuroSimError
from .base import Dataset, tensor_dataset
from .spec import IMAGE_KINDS, KINDS, TEXT_KINDS, DataSpec, parse_data

__all__ = [
    "IMAGE_KINDS",
    "KINDS",
    "TEXT_KINDS",
    "DataSpec",
    "Dataset",
    "NetworkInput",
    "check_compatible",
    "load_cifar10",
    "load_data",
    "load_imagenet",
    "load_sst2",
    "network_input",
    "open_dataset",
    "parse_data",
]

#: what a network trained on each data set takes: (input kind, classes, normalization)
DATASET_INPUTS = {"cifar10": ("image", 10, "cifar"), "cifar100": ("image", 100, "cifar"),
                  "imagenet": ("image", 1000, "imagenet"), "digits": ("image", 10, "unit"),
                  "sst2": ("text", 2, "")}
#: the fixed item shape of the data sets that are not resized
FIXED_SHAPES = {"digits": (1, 8, 8), "cifar10": (3, 32, 32), "cifar100": (3, 32, 32)}


@dataclass(frozen=True)
class NetworkInput:
    """What a network takes: ``kind`` "image" or "text", the input ``shape`` of one item,
    its number of output ``classes`` and the image ``normalization`` of its training data
    ("cifar", "imagenet", "unit")."""

    network: str
    dataset: str
    kind: str
    shape: tuple[int, ...]
    classes: int | None
    normalization: str

    def describe(self) -> str:
        if self.kind == "text":
            return f"text ({self.dataset}-style sentences)"
        return f"{'x'.join(map(str, self.shape))} images ({self.dataset})"


def network_input(spec: Any, net_options: dict[str, Any] | None = None) -> NetworkInput:
    """The declaration of network ``spec`` (a NetworkSpec): ``spec.extra`` keys
    ``input_kind``, ``num_classes``, ``normalization`` override the defaults of its
    ``dataset``; a ``num_classes``/``num_labels`` factory option overrides the classes."""
    if net_options and hasattr(spec, "check_options"):
        spec.check_options(net_options)  # a bad num_classes named before it is read
    kind, classes, norm = DATASET_INPUTS.get(spec.dataset, ("image", None, "unit"))
    extra = getattr(spec, "extra", {}) or {}
    kind = extra.get("input_kind", kind)
    classes = extra.get("num_classes", classes)
    norm = extra.get("normalization", norm)
    for key in ("num_classes", "num_labels"):
        if net_options and key in net_options:
            classes = int(net_options[key])
    return NetworkInput(spec.name, spec.dataset, kind, tuple(spec.input_shape), classes,
                        norm)


def check_compatible(net: NetworkInput, data: DataSpec) -> None:
    """Reject a data set whose kind or item shape the network cannot take (before
    loading anything)."""
    if data.kind == "random":
        return
    data_kind = "text" if data.kind in TEXT_KINDS else "image"
    fixed = FIXED_SHAPES.get(data.kind)
    what = (f"{'x'.join(map(str, fixed))} images" if fixed else
            "text" if data_kind == "text" else "images")
    if data_kind != net.kind or (fixed is not None and tuple(fixed) != net.shape):
        hint = {"image": "an image data set", "text": "a text data set (sst2:PATH, "
                "text:PATH)"}[net.kind]
        raise NeuroSimError(f"--data {data.kind}:{data.path}: network {net.network!r} takes "
                            f"{net.describe()}, but {data.kind} holds {what}; give {hint}"
                            + (f" of {'x'.join(map(str, net.shape))} items" if
                               net.kind == "image" else "")
                            + " or another network")


def check_classes(net: NetworkInput, ds: Dataset) -> None:
    """Reject labels from more classes than the network outputs."""
    if ds.labels is None or net.classes is None or ds.classes is None:
        return
    if ds.classes > net.classes:
        raise NeuroSimError(f"--data {ds.kind}:{ds.source}: {ds.classes} classes, but network "
                            f"{net.network!r} outputs {net.classes} ({net.dataset}); give a "
                            f"data set of at most {net.classes} classes or another network")


def open_dataset(spec: Any, data: DataSpec, seed: int, checkpoint: str | None = None,
                 model: Any = None, net_options: dict[str, Any] | None = None) -> Dataset:
    """The data set ``data`` for network ``spec``, checked against what the network takes.

    Text networks encode sentences with ``spec.extra['encode'](sentences, checkpoint)``;
    random inputs come from ``spec.extra['random_inputs_for'](model, n, seed)`` when the
    network has one and ``model`` is given (inputs that fit the built model, e.g. token ids
    within its vocabulary), else ``spec.random_inputs(n, seed)``."""
    net = network_input(spec, net_options)
    check_compatible(net, data)
    limit = data.max_items
    if data.kind == "random":
        make = (spec.extra or {}).get("random_inputs_for")
        inputs = make(model, data.count, seed) if make and model is not None else \
            spec.random_inputs(data.count, seed)
        return tensor_dataset("random", f"seeded random (seed {seed})", "", inputs,
                              details={"seed": seed})
    if data.kind == "digits":
        from .digits import open_digits
        ds = open_digits(data.path, limit)
    elif data.kind in ("cifar10", "cifar100"):
        from .images import open_cifar
        ds = open_cifar(data.kind, data.path, data.split or "test", limit)
    elif data.kind == "imagenet":
        from .images import open_folder
        ds = open_folder(data.path, data.split, limit, net.shape, net.normalization)
    else:
        from .text import open_text
        encode = (spec.extra or {}).get("encode")
        if encode is None:
            raise NeuroSimError(f"network {spec.name!r} has no text encoder for "
                                f"{data.kind} data")
        ds = open_text(data.kind, data.path, data.split, data.text_field, data.label_field,
                       lambda s: encode(s, checkpoint), limit)
    check_classes(net, ds)
    return ds


def load_data(spec: Any, data: DataSpec, seed: int, checkpoint: str | None = None) -> Any:
    """The inputs of the first ``data.count`` items (the traced batch of ``estimate``)."""
    from dataclasses import replace

    if data.kind != "random":
        data = replace(data, limit=data.count)
    ds = open_dataset(spec, data, seed, checkpoint)
    if len(ds) < data.count:  # shown as one Notice line by the CLI
        import warnings

        warnings.warn(f"--batch {data.count}: the data set holds {len(ds)} items; all of them "
                      "are loaded", stacklevel=2)
    return ds.read(0, len(ds))


def load_cifar10(path: str, n: int) -> Any:
    """The first ``n`` CIFAR-10 test images (see :mod:`.images`)."""
    from .images import load_cifar10 as _load
    return _load(path, n)


def load_imagenet(path: str, n: int) -> Any:
    """The first ``n`` images of an ImageNet-style folder (see :mod:`.images`)."""
    from .images import load_imagenet as _load
    return _load(path, n)


def load_sst2(path: str, n: int) -> list[str]:
    """The first ``n`` SST-2 validation sentences (see :mod:`.text`)."""
    from .text import load_sst2 as _load
    return _load(path, n)
