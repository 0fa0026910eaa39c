"""Input data for ``neurosim estimate`` / ``neurosim traces export`` (``--data KIND:ARG``).

* ``random:N``: N seeded synthetic inputs from the network's own generator (no files);
* ``cifar10:PATH``: the CIFAR-10 test set (torchvision layout ``PATH/cifar-10-batches-py``),
  the wrapper's test transform (ToTensor, Normalize(0.5, 0.5));
* ``imagenet:PATH``: ImageNet validation images in class folders (``PATH`` or ``PATH/val``),
  the wrapper's transform (Resize 256, CenterCrop 224, ToTensor, ImageNet mean/std);
* ``sst2:PATH``: GLUE SST-2 validation sentences, from the GLUE folder (``PATH/dev.tsv``)
  or a ``datasets`` ``save_to_disk`` folder.

Nothing is downloaded: a missing data set raises a :class:`NeuroSimError` that says what to
download and where to put it. torch/torchvision/datasets are imported only when needed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import NeuroSimError

KINDS = ("random", "cifar10", "imagenet", "sst2")
IMAGE_KINDS = ("cifar10", "imagenet")


@dataclass(frozen=True)
class DataSpec:
    """A parsed ``--data`` value."""

    kind: str
    path: str = ""
    count: int = 1

    def describe(self) -> str:
        if self.kind == "random":
            return f"{self.count} seeded random input(s)"
        return f"{self.kind} from {self.path} (first {self.count} item(s))"


def parse_data(value: str | None, count: int = 1) -> DataSpec:
    """``random:N`` / ``cifar10:PATH`` / ``imagenet:PATH`` / ``sst2:PATH``; None = random."""
    if count < 1:
        raise NeuroSimError(f"--batch {count}: must be at least 1")
    if not value:
        return DataSpec("random", "", count)
    kind, sep, arg = value.partition(":")
    kind = kind.strip().lower()
    if kind not in KINDS or not sep:
        raise NeuroSimError(f"--data {value!r}: expected random:N, cifar10:PATH, "
                            "imagenet:PATH or sst2:PATH")
    if kind == "random":
        try:
            n = int(arg)
        except ValueError:
            raise NeuroSimError(f"--data {value!r}: N must be a whole number") from None
        if n < 1:
            raise NeuroSimError(f"--data {value!r}: N must be at least 1")
        return DataSpec("random", "", n)
    if not arg:
        raise NeuroSimError(f"--data {value!r}: give the folder after '{kind}:'")
    return DataSpec(kind, os.path.expanduser(arg), count)


def _cifar_root(path: Path) -> Path | None:
    for root in (path, path / "cifar10-data"):
        if (root / "cifar-10-batches-py" / "test_batch").is_file():
            return root
    if path.name == "cifar-10-batches-py" and (path / "test_batch").is_file():
        return path.parent
    return None


def load_cifar10(path: str, n: int) -> Any:
    """The first ``n`` CIFAR-10 test images, normalized like the wrapper's test loader
    (torchvision ToTensor then Normalize(0.5, 0.5): ``(k/255 - 0.5)/0.5`` in float32).

    The python-pickle batch ``cifar-10-batches-py/test_batch`` is read directly (same
    values as torchvision's ``CIFAR10``, without its archive checksum)."""
    import pickle

    root = _cifar_root(Path(path))
    if root is None:
        raise NeuroSimError(
            f"CIFAR-10 not found under {path}: download "
            "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz and extract it there "
            f"(so that {Path(path) / 'cifar-10-batches-py' / 'test_batch'} exists), or on a "
            "machine with network access run: python -c \"import torchvision; "
            f"torchvision.datasets.CIFAR10('{path}', train=False, download=True)\"")
    import numpy as np
    import torch

    batch = root / "cifar-10-batches-py" / "test_batch"
    try:
        with open(batch, "rb") as f:
            entry = pickle.load(f, encoding="latin1")
        data = np.asarray(entry["data"], dtype=np.uint8).reshape(-1, 3, 32, 32)
    except Exception as exc:  # truncated or foreign file
        raise NeuroSimError(f"{batch}: not a CIFAR-10 python batch ({type(exc).__name__}: "
                            f"{exc})") from None
    x = torch.from_numpy(np.ascontiguousarray(data[:n])).float().div(255)
    mean = torch.tensor([0.5, 0.5, 0.5]).view(1, 3, 1, 1)
    return x.sub_(mean).div_(mean)


def load_imagenet(path: str, n: int) -> Any:
    """The first ``n`` ImageNet validation images (wrapper transform, float32)."""
    p = Path(path)
    root = p / "val" if (p / "val").is_dir() else p
    has_classes = root.is_dir() and any(d.is_dir() for d in root.iterdir())
    if not has_classes:
        raise NeuroSimError(
            f"ImageNet validation images not found under {path}: get ILSVRC2012_img_val.tar "
            "from https://image-net.org (an account is needed), sort the images into one "
            f"folder per class (as torchvision.datasets.ImageFolder reads them) and put them "
            f"in {p / 'val'}")
    import torch
    from torchvision import datasets, transforms

    tf = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224),
                             transforms.ToTensor(),
                             transforms.Normalize(mean=[0.485, 0.456, 0.406],
                                                  std=[0.229, 0.224, 0.225])])
    try:
        ds = datasets.ImageFolder(str(root), transform=tf)
    except (FileNotFoundError, RuntimeError) as exc:
        raise NeuroSimError(f"ImageNet folder {root}: {exc}") from None
    n = min(n, len(ds))
    return torch.stack([ds[i][0] for i in range(n)])


def load_sst2(path: str, n: int) -> list[str]:
    """The first ``n`` SST-2 validation sentences."""
    p = Path(path)
    for tsv in (p / "dev.tsv", p / "SST-2" / "dev.tsv"):
        if tsv.is_file():
            lines = tsv.read_text(encoding="utf-8").splitlines()
            if not lines or not lines[0].startswith("sentence"):
                raise NeuroSimError(f"{tsv}: expected the GLUE SST-2 header 'sentence\\tlabel'")
            sentences = [ln.split("\t")[0] for ln in lines[1:] if ln.strip()]
            if not sentences:
                raise NeuroSimError(f"{tsv}: no sentences")
            return sentences[:n]
    if (p / "dataset_dict.json").is_file() or (p / "dataset_info.json").is_file():
        try:
            import datasets
        except ImportError:
            raise NeuroSimError(f"{path} is a saved `datasets` folder, but the `datasets` "
                                "package is not installed (pip install datasets)") from None
        ds = datasets.load_from_disk(str(p))
        if hasattr(ds, "keys"):
            if "validation" not in ds:
                raise NeuroSimError(f"{path}: no 'validation' split (found {list(ds.keys())})")
            ds = ds["validation"]
        return list(ds["sentence"][:n])
    raise NeuroSimError(
        f"GLUE SST-2 not found under {path}: download "
        "https://dl.fbaipublicfiles.com/glue/data/SST-2.zip and unzip it so that "
        f"{p / 'dev.tsv'} exists, or on a machine with network access run: python -c "
        "\"import datasets; datasets.load_dataset('glue', 'sst2')"
        f".save_to_disk('{path}')\"")


def load_data(spec: Any, data: DataSpec, seed: int, checkpoint: str | None = None) -> Any:
    """Inputs for network ``spec`` (a :class:`~neurosim.networks.NetworkSpec`); text
    networks encode sentences with ``spec.extra['encode'](sentences, checkpoint)``."""
    if data.kind == "random":
        return spec.random_inputs(data.count, seed)
    text = spec.dataset == "sst2"
    if (data.kind == "sst2") != text:
        raise NeuroSimError(f"--data {data.kind}:...: network {spec.name!r} takes "
                            f"{spec.dataset} inputs")
    if data.kind == "cifar10":
        return load_cifar10(data.path, data.count)
    if data.kind == "imagenet":
        return load_imagenet(data.path, data.count)
    encode = spec.extra.get("encode")
    if encode is None:
        raise NeuroSimError(f"network {spec.name!r} has no text encoder for sst2 data")
    return encode(load_sst2(data.path, data.count), checkpoint)
