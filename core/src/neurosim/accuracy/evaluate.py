"""Evaluate a registered network with hardware-aware inference (``neurosim accuracy``).

The network is built with the configuration's accuracy settings (the wrapper's layer
arguments), every Conv2d/Linear is routed through :class:`CrossbarModel`, and the inputs are
run in batches. With labels (a real data set) the result is top-1 accuracy; with synthetic
inputs (``random:N``) there are no labels, and the reference is the prediction of the same
network without the hardware model (inference=0): the figure is then the agreement with the
software model, reported as such.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import torch

from ..config import Config
from ..errors import NeuroSimError
from .crossbar import CrossbarModel, attach


def layer_settings(cfg: Config) -> dict[str, Any]:
    """The wrapper's layer arguments from the configuration (``neurosim.nn`` keywords)."""
    return dict(inference=int(bool(cfg.inference)), onoffratio=float(cfg.onoff_ratio),
                cell_bit=int(cfg.cell_bits), sub_array=int(cfg.subarray_rows),
                adc_precision=int(cfg.adc_bits), vari=float(cfg.variation),
                t=float(cfg.retention_time_s), v=float(cfg.drift_nu),
                detect=int(bool(cfg.drift_detect)), target=float(cfg.drift_target),
                parallel_read=int(cfg.effective_parallel_rows))


def is_random(cfg: Config) -> bool:
    """Whether the hardware forward draws random numbers (variation, random drift)."""
    drift = cfg.drift_nu != 0 and cfg.retention_time_s != 1 and not cfg.drift_detect
    return bool(cfg.inference) and (cfg.variation > 0 or drift)


@dataclass
class AccuracyResult:
    network: str
    reference: str  # "labels" or "software predictions (inference=0)"
    n_items: int
    per_seed: list[float]
    seeds: list[int]
    images_per_s: float
    seconds: float
    software_accuracy: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def mean(self) -> float:
        return sum(self.per_seed) / len(self.per_seed)

    @property
    def std(self) -> float:
        if len(self.per_seed) < 2:
            return 0.0
        m = self.mean
        return math.sqrt(sum((a - m) ** 2 for a in self.per_seed) / (len(self.per_seed) - 1))

    def to_json(self) -> dict[str, Any]:
        return {"network": self.network, "reference": self.reference, "n_items": self.n_items,
                "accuracy": {"mean": self.mean, "std": self.std,
                             "min": min(self.per_seed), "max": max(self.per_seed),
                             "per_seed": self.per_seed, "seeds": self.seeds},
                "software_accuracy": self.software_accuracy,
                "images_per_s": self.images_per_s, "seconds": self.seconds,
                "notes": self.notes}


def _split(inputs: Any, start: int, stop: int) -> Any:
    if isinstance(inputs, dict):
        return {k: (v[start:stop] if isinstance(v, torch.Tensor) and v.dim() else v)
                for k, v in inputs.items()}
    return inputs[start:stop]


def _to(inputs: Any, device: str) -> Any:
    if isinstance(inputs, dict):
        return {k: (v.to(device) if isinstance(v, torch.Tensor) else v)
                for k, v in inputs.items()}
    return inputs.to(device)


def _count(inputs: Any) -> int:
    if isinstance(inputs, dict):
        for v in inputs.values():
            if isinstance(v, torch.Tensor) and v.dim():
                return int(v.shape[0])
        return 1
    return int(inputs.shape[0])


def _logits(out: Any) -> torch.Tensor:
    if isinstance(out, torch.Tensor):
        return out
    for key in ("logits",):
        if hasattr(out, key):
            return getattr(out, key)
        if isinstance(out, dict) and key in out:
            return out[key]
    if isinstance(out, (tuple, list)) and out and isinstance(out[0], torch.Tensor):
        return out[0]
    raise NeuroSimError(f"the model returned a {type(out).__name__}; expected logits")


def load_labels(spec: Any, data: Any, n: int) -> torch.Tensor | None:
    """Labels of the first ``n`` items of a real data set (None for random inputs)."""
    if data.kind == "random":
        return None
    if data.kind == "cifar10":
        from torchvision import datasets

        from ..datasets import _cifar_root
        from pathlib import Path

        root = _cifar_root(Path(data.path))
        ds = datasets.CIFAR10(root=str(root), train=False, download=False)
        return torch.tensor(ds.targets[:n])
    if data.kind == "imagenet":
        from pathlib import Path

        from torchvision import datasets

        p = Path(data.path)
        root = p / "val" if (p / "val").is_dir() else p
        return torch.tensor(datasets.ImageFolder(str(root)).targets[:n])
    if data.kind == "sst2":
        from pathlib import Path

        p = Path(data.path)
        for tsv in (p / "dev.tsv", p / "SST-2" / "dev.tsv"):
            if tsv.is_file():
                lines = [ln for ln in tsv.read_text(encoding="utf-8").splitlines()[1:]
                         if ln.strip()]
                return torch.tensor([int(ln.split("\t")[1]) for ln in lines[:n]])
        import datasets as hfds

        ds = hfds.load_from_disk(str(p))
        ds = ds["validation"] if hasattr(ds, "keys") else ds
        return torch.tensor(list(ds["label"][:n]))
    return None


def evaluate_network(cfg: Config, network: str, data: Any, *, checkpoint: str | None = None,
                     seeds: int = 1, device: str = "cpu", mode: str = "default",
                     path: str = "auto", batch_size: int = 200,
                     max_elements: int = 1 << 26, build_kwargs: dict | None = None,
                     progress: Callable[[int], None] | None = None,
                     arithmetic: str = "exact") -> AccuracyResult:
    """Accuracy of ``network`` under the configured hardware model (see module doc).

    ``progress(n)`` is called with the number of items finished after each batch.
    ``build_kwargs``: extra keywords for the network factory (e.g. a tiny RoBERTa config).
    ``arithmetic``: :class:`CrossbarModel`'s partial sums ("exact" / "wrapper-float32").
    """
    from ..datasets import load_data
    from ..networks import get_network
    from ..nn import CIMLayer

    if device.startswith("cuda") and not torch.cuda.is_available():
        raise NeuroSimError("--device cuda: no CUDA device is available to torch here")
    if batch_size < 1:
        raise NeuroSimError(f"--batch-size {batch_size}: must be at least 1")
    if seeds < 1:
        raise NeuroSimError(f"--seeds {seeds}: must be at least 1")
    spec = get_network(network)
    settings = layer_settings(cfg)
    torch.manual_seed(int(cfg.seed))
    model = spec.build_configured(cfg, checkpoint, settings, build_kwargs)
    model = model.to(device).eval()
    hw = CrossbarModel(mode=mode, path=path, seed=int(cfg.seed), max_elements=max_elements,
                       arithmetic=arithmetic)
    shim_settings = dict(settings, wl_input=cfg.input_bits, wl_activate=cfg.input_bits,
                         wl_weight=cfg.synapse_bits, model=None)
    attach(model, hw, shim_settings)
    inputs = load_data(spec, data, int(cfg.seed), checkpoint)
    n = _count(inputs)
    labels = load_labels(spec, data, n)
    cim = [m for m in model.modules() if isinstance(m, CIMLayer)]

    def run_all(inference: int, seed: int | None) -> torch.Tensor:
        for m in cim:
            m.inference = inference
        for shim in hw.shims:  # plain torch layers
            shim.inference = inference
        if seed is not None:
            hw.reseed(seed)
        preds = []
        with torch.no_grad():
            for s in range(0, n, batch_size):
                out = model(**_to(_split(inputs, s, s + batch_size), device)) \
                    if isinstance(inputs, dict) else \
                    model(_to(_split(inputs, s, s + batch_size), device))
                preds.append(_logits(out).argmax(-1).cpu())
                if progress is not None and seed is not None:
                    progress(min(batch_size, n - s))
        return torch.cat(preds)

    notes: list[str] = []
    software = None
    reference = "labels"
    ref = labels
    if labels is None or not cfg.inference:
        soft = run_all(0, None)
        if labels is None:
            ref, reference = soft, "software predictions (inference=0)"
            notes.append("synthetic inputs have no labels: the accuracy is the agreement of "
                         "the hardware-aware predictions with the software (inference=0) "
                         "predictions of the same network")
        else:
            software = float((soft == labels).float().mean())
    random_draws = is_random(cfg)
    if seeds > 1 and not random_draws:
        notes.append(f"--seeds {seeds}: the hardware model draws no random numbers with these "
                     "settings (variation = 0, no random drift), so one run is exact")
        seeds = 1
    per_seed, seed_list = [], []
    t0 = time.perf_counter()
    for i in range(seeds):
        seed = int(cfg.seed) + i
        pred = run_all(int(bool(cfg.inference)), seed)
        per_seed.append(float((pred == ref).float().mean()))
        seed_list.append(seed)
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    dt = time.perf_counter() - t0
    return AccuracyResult(spec.name, reference, n, per_seed, seed_list,
                          n * seeds / dt if dt > 0 else float("inf"), dt, software, notes)
