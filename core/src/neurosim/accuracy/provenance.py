"""Where an accuracy figure came from: network, weights, data, settings, software versions.

Recorded in ``neurosim accuracy --json`` under ``provenance`` so a figure can be reproduced
and compared: the network and the distribution that registered it; the checkpoint path and
its SHA-256 (a folder: the SHA-256 over its files' relative paths and contents, in sorted
order) or "seeded random (seed S)"; the data set (kind, source, split, count, files);
seeds; the torch device (and its name); versions of neurosim-core, torch and every plugin
distribution loaded.
"""

from __future__ import annotations

import hashlib
import platform
from pathlib import Path
from typing import Any


def sha256_path(path: str) -> str:
    """SHA-256 of a file, or of a folder's files (relative path + contents, sorted)."""
    p = Path(path)
    h = hashlib.sha256()
    files = [p] if p.is_file() else sorted(f for f in p.rglob("*") if f.is_file())
    for f in files:
        if p.is_dir():
            h.update(str(f.relative_to(p)).encode() + b"\0")
        with open(f, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def weights_provenance(checkpoint: str | None, seed: int) -> dict[str, Any]:
    """The checkpoint (path, sha256) or the seeded random initialisation."""
    if not checkpoint:
        return {"source": f"seeded random (seed {seed})", "checkpoint": None,
                "sha256": None}
    p = Path(checkpoint)
    if not p.exists():  # a hub id (e.g. roberta-base), resolved by the plugin
        return {"source": "checkpoint", "checkpoint": checkpoint, "sha256": None}
    return {"source": "checkpoint", "checkpoint": str(p.resolve()),
            "sha256": sha256_path(str(p))}


def device_provenance(device: str) -> dict[str, Any]:
    import torch

    out: dict[str, Any] = {"device": device, "threads": torch.get_num_threads()}
    if device.startswith("cuda") and torch.cuda.is_available():
        out["name"] = torch.cuda.get_device_name(torch.device(device))
    else:
        out["name"] = platform.processor() or platform.machine()
    return out


def versions() -> dict[str, Any]:
    """neurosim-core, torch, Python and every loaded plugin distribution's version."""
    import torch

    from .. import __version__
    from ..plugins import get_host

    plugins = sorted({(e.distribution, e.version) for e in get_host().registry})
    return {"neurosim-core": __version__, "torch": torch.__version__,
            "python": platform.python_version(),
            "plugins": {d: v for d, v in plugins}}


def network_provenance(name: str) -> dict[str, Any]:
    from ..plugins import get_registry

    e = get_registry().entry("network", name)
    return {"name": e.name, "distribution": e.distribution, "version": e.version}
