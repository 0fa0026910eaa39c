"""Hardware-aware (WAGE) training of a registered network: the wrapper's ``train.py``.

Per epoch: the training items in a seeded random order, in batches; forward through the
quantized layers (inference=0: the WAGE quantization of weights and activations is the
hardware awareness, as in the wrapper); the loss (SSE for WAGE, cross-entropy for FP
unless ``loss`` says otherwise); backward with errors quantized to ``wl_error`` bits at
every layer; every gradient quantized to ``wl_grad`` bits by ``QG`` with the current
gradient scale; an SGD step (``lr``, momentum, weight decay; the wrapper's 0.01, 0.9,
1e-4); every parameter clipped to ``C(p, wl_weight)``. At each epoch listed in
``decreasing_lr`` the gradient scale is divided by 8 (WAGE; the wrapper's schedule) or, in
FP mode, the learning rate. After each epoch the software accuracy on the optional
validation set is measured (eval mode, no gradient). Formulas: :mod:`.wage`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import torch

from ..errors import NeuroSimError
from .wage import clip_weights, qg, quantize_errors, sse_loss


#: the largest value of each float setting: beyond float32's 3.4e38 torch's SGD raised
#: (internal error), and SGD diverges with a momentum or weight decay above 1
MAX_SETTINGS = {"lr": 1e3, "grad_scale": 1e6, "momentum": 1.0, "weight_decay": 1.0}
#: the seeds torch.manual_seed takes (a larger one overflowed: internal error)
MAX_SEED = 2**32 - 1


@dataclass(frozen=True)
class TrainSettings:
    """The wrapper's ``train.py`` options (its defaults)."""

    epochs: int = 200
    batch_size: int = 64
    lr: float = 0.01
    momentum: float = 0.9
    weight_decay: float = 1e-4
    grad_scale: float = 8.0
    decreasing_lr: tuple[int, ...] = (140, 180)
    wl_weight: int = 8
    wl_activate: int = 8
    wl_error: int = 8
    wl_grad: int = 8
    seed: int = 117
    loss: str = "auto"  # auto: sse for WAGE, ce for FP
    mode: str = "WAGE"

    def check(self) -> TrainSettings:
        for name in ("epochs", "batch_size"):
            if getattr(self, name) < 1:
                raise NeuroSimError(f"--{name.replace('_', '-')} {getattr(self, name)}: "
                                    "must be at least 1")
        for name in ("lr", "grad_scale"):
            if not getattr(self, name) > 0:
                raise NeuroSimError(f"--{name.replace('_', '-')} {getattr(self, name)}: "
                                    "must be positive")
        for name in ("wl_weight", "wl_activate", "wl_error", "wl_grad"):
            v = getattr(self, name)
            if v != -1 and not 1 <= v <= 32:
                raise NeuroSimError(f"--{name.replace('_', '-')} {v}: expected 1..32 or -1 "
                                    "(no quantization)")
        for name, most in MAX_SETTINGS.items():
            if getattr(self, name) > most:
                raise NeuroSimError(f"--{name.replace('_', '-')} {getattr(self, name)}: "
                                    f"must be <= {most:g}")
        if not 0 <= self.seed <= MAX_SEED:
            raise NeuroSimError(f"--seed {self.seed}: must be from 0 to {MAX_SEED}")
        if any(e < 1 for e in self.decreasing_lr):  # an epoch below 1 is never reached
            raise NeuroSimError(f"--decreasing-lr {','.join(map(str, self.decreasing_lr))}: "
                                "epochs count from 1")
        if self.wl_grad == -1:
            raise NeuroSimError("--wl-grad -1: the WAGE gradient quantizer needs a bit count")
        if self.loss not in ("auto", "sse", "ce"):
            raise NeuroSimError(f"--loss {self.loss!r}: expected auto, sse or ce")
        return self

    @property
    def loss_name(self) -> str:
        if self.loss != "auto":
            return self.loss
        return "sse" if self.mode == "WAGE" else "ce"


@dataclass
class EpochRecord:
    epoch: int
    loss: float
    train_accuracy: float
    val_accuracy: float | None
    grad_scale: float
    lr: float
    seconds: float


@dataclass
class TrainResult:
    network: str
    settings: TrainSettings
    history: list[EpochRecord] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"network": self.network, "settings": asdict(self.settings),
                "history": [asdict(h) for h in self.history], "seconds": self.seconds,
                "final": asdict(self.history[-1]) if self.history else None}


def accuracy_of(model: Any, dataset: Any, device: str, batch_size: int = 500) -> float:
    """Top-1 software accuracy of ``model`` (eval mode, no gradient) on ``dataset``."""
    from ..accuracy.evaluate import _logits, _to

    was = model.training
    model.eval()
    hits = 0
    with torch.no_grad():
        for start, stop, x in dataset.batches(batch_size):
            x = _to(x, device)
            out = _logits(model(**x) if isinstance(x, dict) else model(x))
            hits += int((out.argmax(-1).cpu() == dataset.labels[start:stop]).sum())
    model.train(was)
    return hits / len(dataset)


def _loss_fn(name: str) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    if name == "sse":
        return sse_loss
    return torch.nn.functional.cross_entropy


def train_model(model: Any, train_set: Any, settings: TrainSettings, *, device: str = "cpu",
                val_set: Any = None, network: str = "",
                progress: Callable[[EpochRecord], None] | None = None) -> TrainResult:
    """Train ``model`` in place on ``train_set`` (a labelled :class:`~neurosim.datasets.
    Dataset`) with the WAGE recipe of the module doc; returns the per-epoch history."""
    from ..accuracy.evaluate import _logits, _to

    settings.check()
    if train_set.labels is None:
        raise NeuroSimError(f"--data {train_set.kind}:{train_set.source}: training needs "
                            "labels")
    wage = settings.mode == "WAGE"
    gen = torch.Generator().manual_seed(settings.seed)
    model.to(device).train()
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.SGD(params, lr=settings.lr, momentum=settings.momentum,
                          weight_decay=settings.weight_decay)
    loss_fn = _loss_fn(settings.loss_name)
    handles = quantize_errors(model) if wage else []
    grad_scale, result = settings.grad_scale, TrainResult(network, settings)
    t_start = time.perf_counter()
    try:
        for epoch in range(settings.epochs):
            if epoch in settings.decreasing_lr:
                if wage:
                    grad_scale /= 8.0
                else:
                    for group in opt.param_groups:
                        group["lr"] /= 8.0
            t0 = time.perf_counter()
            order = torch.randperm(len(train_set), generator=gen)
            total, hits = 0.0, 0
            for s in range(0, len(order), settings.batch_size):
                idx = order[s:s + settings.batch_size]
                x = _to(train_set.items(idx), device)
                y = train_set.labels[idx].to(device)
                opt.zero_grad(set_to_none=True)
                out = _logits(model(**x) if isinstance(x, dict) else model(x))
                loss = loss_fn(out, y)
                loss.backward()
                if wage:
                    for p in params:
                        if p.grad is not None:
                            p.grad = qg(p.grad, settings.wl_grad, grad_scale, gen)
                opt.step()
                if wage:
                    clip_weights(model, settings.wl_weight)
                total += float(loss.detach()) * (len(idx) if settings.loss_name == "ce"
                                                 else 1.0)
                hits += int((out.detach().argmax(-1) == y).sum())
            val = accuracy_of(model, val_set, device) if val_set is not None else None
            rec = EpochRecord(epoch, total / len(order), hits / len(order), val, grad_scale,
                              opt.param_groups[0]["lr"], time.perf_counter() - t0)
            result.history.append(rec)
            if progress is not None:
                progress(rec)
    finally:
        for h in handles:
            h.remove()
    model.eval()
    result.seconds = time.perf_counter() - t_start
    return result
