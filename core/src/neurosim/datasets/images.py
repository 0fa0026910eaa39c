"""Image data sets: CIFAR-10/100 python-pickle batches and class-folder image sets.

* CIFAR: the pickle files are read directly (no torchvision, no archive checksum): each is
  a dict with ``data`` (N x 3072 uint8, channel-major 32x32 planes) and ``labels``
  (CIFAR-10) or ``fine_labels`` (CIFAR-100). Inputs are the wrapper's test transform,
  ToTensor then Normalize(0.5, 0.5): ``x = (k/255 - 0.5)/0.5`` in float32.
* Folders: ``PATH`` (or ``PATH/val``) holds one sub-folder per class, sorted by name as
  torchvision's ImageFolder does; each image is resized so that its shorter side is
  ``round(S*256/224)`` and centre-cropped to ``S`` (Resize 256 / CenterCrop 224 for a
  224-pixel network), then normalized like the network's training data (ImageNet
  mean/std; CIFAR's 0.5/0.5; [0, 1] for one-channel networks). Images are decoded a batch
  at a time.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from ..errors import NeuroSimError
from .base import Dataset, tensor_dataset

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")

#: per kind: sub-folder of the official archive, test files, train files, label key
CIFAR = {
    "cifar10": ("cifar-10-batches-py", ("test_batch",),
                tuple(f"data_batch_{i}" for i in range(1, 6)), "labels", 10,
                "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"),
    "cifar100": ("cifar-100-python", ("test",), ("train",), "fine_labels", 100,
                 "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"),
}


def cifar_files(kind: str, path: str, split: str) -> list[Path]:
    """The pickle files of ``split`` ("test" or "train") under ``path`` (the folder that
    holds them, its parent with the archive's sub-folder, or one batch file)."""
    sub, test, train, _, _, url = CIFAR[kind]
    if split not in ("test", "train"):
        raise NeuroSimError(f"--split {split!r}: {kind} has the splits test and train")
    p = Path(path)
    if p.is_file():
        return [p]
    names = test if split == "test" else train
    for root in (p, p / sub, p / "cifar10-data" / sub, p / "cifar100-data" / sub):
        found = [root / n for n in names if (root / n).is_file()]
        if found:
            return found
    want = p / sub / names[0]
    raise NeuroSimError(
        f"{kind} {split} batch not found under {path}: download {url} and extract it there "
        f"(so that {want} exists), or give the folder holding {names[0]!r} or the file "
        "itself")


def read_cifar_file(kind: str, file: Path) -> tuple[Any, list[int]]:
    """``(uint8 array N x 3 x 32 x 32, labels)`` of one pickle batch."""
    import numpy as np

    label_key = CIFAR[kind][3]
    try:
        with open(file, "rb") as f:
            entry = pickle.load(f, encoding="latin1")
        if not isinstance(entry, dict):
            raise TypeError(f"holds a {type(entry).__name__}, not a dict")
        entry = {(k.decode() if isinstance(k, bytes) else k): v for k, v in entry.items()}
        data = np.asarray(entry["data"], dtype=np.uint8).reshape(-1, 3, 32, 32)
        labels = [int(v) for v in entry[label_key]] if label_key in entry else None
    except Exception as exc:  # noqa: BLE001 - truncated, foreign or malformed file
        raise NeuroSimError(f"{file}: not a {kind} python batch ({type(exc).__name__}: "
                            f"{exc})") from None
    if labels is not None and len(labels) != len(data):
        raise NeuroSimError(f"{file}: {len(data)} images but {len(labels)} labels")
    return data, labels


def cifar_normalize(pixels: Any) -> Any:
    """uint8 ``N x 3 x 32 x 32`` -> ``(k/255 - 0.5)/0.5`` float32 (the wrapper's loader)."""
    import numpy as np
    import torch

    x = torch.from_numpy(np.ascontiguousarray(pixels)).float().div(255)
    return x.sub_(0.5).div_(0.5)


def open_cifar(kind: str, path: str, split: str = "test", limit: int | None = None) -> Dataset:
    """A CIFAR-10/100 split as a :class:`Dataset` (pixels held as uint8)."""
    import numpy as np

    files = cifar_files(kind, path, split)
    parts = [read_cifar_file(kind, f) for f in files]
    data = np.concatenate([d for d, _ in parts])
    if not len(data):
        raise NeuroSimError(f"{', '.join(map(str, files))}: the {kind} {split} split holds no "
                            "images")
    labelled = all(lab is not None for _, lab in parts)
    labels = [v for _, lab in parts for v in lab] if labelled else None
    classes = CIFAR[kind][4]
    if labels is not None and labels and not 0 <= min(labels) <= max(labels) < classes:
        raise NeuroSimError(f"{files[0]}: labels span {min(labels)}..{max(labels)}, outside "
                            f"the {classes} classes of {kind}")
    return tensor_dataset(kind, path, split, data, labels, classes, limit,
                          transform=cifar_normalize,
                          details={"files": [str(f) for f in files]})


def load_cifar10(path: str, n: int) -> Any:
    """The first ``n`` CIFAR-10 test images, normalized (float32 ``n x 3 x 32 x 32``)."""
    ds = open_cifar("cifar10", path, "test", n)
    return ds.read(0, len(ds))


# ---- class folders ------------------------------------------------------------------------
def folder_root(path: str, split: str | None) -> Path:
    """``PATH/SPLIT`` (default ``val``) when it exists, else ``PATH``; must hold class
    folders."""
    p = Path(path)
    sub = split or "val"
    root = p / sub if (p / sub).is_dir() else p
    has_classes = root.is_dir() and any(d.is_dir() for d in root.iterdir())
    if not has_classes:
        raise NeuroSimError(
            f"ImageNet-style images not found under {path}: get ILSVRC2012_img_val.tar "
            "from https://image-net.org (an account is needed), sort the images into one "
            f"folder per class (as torchvision.datasets.ImageFolder reads them) and put them "
            f"in {p / 'val'}")
    return root


def folder_items(root: Path) -> tuple[list[str], list[tuple[Path, int]]]:
    """Class names (sorted) and ``(file, class index)`` of every image, in ImageFolder's
    order (classes by name, files by path)."""
    classes = sorted(d.name for d in root.iterdir() if d.is_dir())
    items = []
    for i, name in enumerate(classes):
        files = sorted(f for f in (root / name).rglob("*")
                       if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES)
        items += [(f, i) for f in files]
    if not items:
        raise NeuroSimError(f"{root}: no images ({', '.join(IMAGE_SUFFIXES)}) in its class "
                            "folders")
    return classes, items


def folder_transform(shape: tuple[int, ...], normalization: str) -> Any:
    """Resize the shorter side to ``round(S*256/224)``, centre-crop ``S x S`` (S the
    network's input size), ToTensor, then ``normalization`` ("imagenet", "cifar" or
    "unit" = none)."""
    from torchvision import transforms

    channels, size = shape[0], shape[-1]
    steps: list[Any] = []
    if channels == 1:
        steps.append(transforms.Grayscale(1))
    steps += [transforms.Resize(round(size * 256 / 224)), transforms.CenterCrop(size),
              transforms.ToTensor()]
    if normalization == "imagenet":
        steps.append(transforms.Normalize(mean=list(IMAGENET_MEAN), std=list(IMAGENET_STD)))
    elif normalization == "cifar":
        steps.append(transforms.Normalize(mean=[0.5] * channels, std=[0.5] * channels))
    return transforms.Compose(steps)


def open_folder(path: str, split: str | None = None, limit: int | None = None,
                shape: tuple[int, ...] = (3, 224, 224),
                normalization: str = "imagenet") -> Dataset:
    """A class-folder image set resized to ``shape``; images decoded per batch."""
    import torch
    from PIL import Image

    root = folder_root(path, split)
    classes, items = folder_items(root)
    n = len(items) if limit is None else min(limit, len(items))
    items = items[:n]
    tf = folder_transform(shape, normalization)
    mode = "L" if shape[0] == 1 else "RGB"

    def decode(files: list[Path]) -> Any:
        out = []
        for f in files:  # one decode per image file (PIL has no batch API)
            try:
                with Image.open(f) as img:
                    out.append(tf(img.convert(mode)))
            except OSError as exc:
                raise NeuroSimError(f"{f}: cannot read the image ({exc})") from None
        return torch.stack(out)

    def read(start: int, stop: int) -> Any:
        return decode([f for f, _ in items[start:stop]])

    def take(indices: Any) -> Any:
        return decode([items[int(i)][0] for i in indices])

    labels = torch.tensor([c for _, c in items], dtype=torch.int64)
    return Dataset("imagenet", path, root.name, n, read, labels, len(classes), tuple(shape),
                   {"root": str(root), "normalization": normalization,
                    "resize": round(shape[-1] * 256 / 224), "crop": shape[-1]}, take)


def load_imagenet(path: str, n: int) -> Any:
    """The first ``n`` images of an ImageNet-style folder (224 x 224, ImageNet mean/std)."""
    ds = open_folder(path, None, n)
    return ds.read(0, len(ds))
