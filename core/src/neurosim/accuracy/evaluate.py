"""Evaluate a registered network with hardware-aware inference (``neurosim accuracy``).

The network is built with the configuration's accuracy settings (the wrapper's layer
arguments), every Conv2d/Linear is routed through :class:`CrossbarModel`, and every item of
the data set (or the first ``--limit``) is run in batches. Each batch runs twice, from the
same inputs: the software model (inference=0: the same quantized network without the
hardware model) and the hardware-aware model. With labels the results are top-1 (and top-5
for sets of 100 or more classes) accuracy of both; without labels (``random:N``) the
reference is the software prediction, and the figure is the agreement with it, reported as
such. A per-layer report (:mod:`.report`) shows which layer loses the accuracy, and
notices say when a setting has no effect on the chosen path.
"""

from __future__ import annotations

import math
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import torch

from ..config import Config
from ..errors import NeuroSimError
from .crossbar import CrossbarModel, attach
from .nonideal import apply_device_preset
from .nonideal import from_config as nonideal_from_config


#: the most repetitions --seeds takes (each is a whole pass over the data)
MAX_SEEDS = 10_000


def layer_settings(cfg: Config) -> dict[str, Any]:
    """The wrapper's layer arguments from the configuration (``neurosim.nn`` keywords)."""
    return dict(inference=int(bool(cfg.inference)), onoffratio=float(cfg.onoff_ratio),
                cell_bit=int(cfg.cell_bits), sub_array=int(cfg.subarray_rows),
                adc_precision=int(cfg.adc_bits), vari=float(cfg.variation),
                t=float(cfg.retention_time_s), v=float(cfg.drift_nu),
                detect=int(bool(cfg.drift_detect)), target=float(cfg.drift_target),
                parallel_read=int(cfg.effective_parallel_rows))


def random_drift(cfg: Config) -> bool:
    """Retention drift in a random direction per cell (every path applies retention)."""
    return cfg.drift_nu != 0 and cfg.retention_time_s != 1 and not cfg.drift_detect


def is_random(cfg: Config, paths: set[str] | None = None) -> bool:
    """Whether the hardware forward draws random numbers (variation, random drift,
    random non-idealities). ``paths``: the layers' paths (:func:`.report.layer_path`);
    variation is read only by the full path."""
    from .nonideal import from_config
    from .report import cell_model_on_simplified

    ni = from_config(cfg)
    vari = cfg.variation > 0 and (paths is None or "full" in paths or (
        "simplified" in paths and cell_model_on_simplified(cfg, ni)))
    return bool(cfg.inference) and (vari or random_drift(cfg) or ni.random())


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
    #: hardware predictions equal to the software predictions, per seed
    agreement: list[float] = field(default_factory=list)
    top5: list[float] | None = None
    software_top5: float | None = None
    layers: list[dict[str, Any]] = field(default_factory=list)
    provenance: dict[str, Any] = field(default_factory=dict)

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
        out = {"network": self.network, "reference": self.reference,
               "n_items": self.n_items,
               "accuracy": {"mean": self.mean, "std": self.std,
                            "min": min(self.per_seed), "max": max(self.per_seed),
                            "per_seed": self.per_seed, "seeds": self.seeds},
               "software_accuracy": self.software_accuracy,
               "agreement_with_software": self.agreement,
               "images_per_s": self.images_per_s, "seconds": self.seconds,
               "layers": self.layers, "notes": self.notes,
               "provenance": self.provenance}
        if self.top5 is not None:
            out["top5"] = {"mean": sum(self.top5) / len(self.top5), "per_seed": self.top5}
            out["software_top5"] = self.software_top5
        return out


def _to(inputs: Any, device: str) -> Any:
    if isinstance(inputs, dict):
        return {k: (v.to(device) if isinstance(v, torch.Tensor) else v)
                for k, v in inputs.items()}
    return inputs.to(device)


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


@dataclass
class _Tally:
    """Running counts of one seed's hardware run (and of the software run)."""

    hits: int = 0
    top5: int = 0
    agree: int = 0
    done: int = 0

    def rate(self, n: int) -> float:
        return n / self.done if self.done else 0.0


class _Runner:
    """One model, its crossbar model and its CIM layers, switched between software
    (inference=0) and hardware-aware forwards."""

    def __init__(self, model: Any, hw: CrossbarModel, device: str, inference: int) -> None:
        from ..nn import CIMLayer

        self.model, self.hw, self.device, self.inference = model, hw, device, inference
        self.cim = [m for m in model.modules() if isinstance(m, CIMLayer)]

    def logits(self, inputs: Any, inference: int) -> torch.Tensor:
        for m in self.cim:
            m.inference = inference
        for shim in self.hw.shims:  # plain torch layers
            shim.inference = inference
        x = _to(inputs, self.device)
        with torch.no_grad():
            out = self.model(**x) if isinstance(x, dict) else self.model(x)
        return _logits(out).float().cpu()

    def software(self, inputs: Any) -> torch.Tensor:
        """Software logits; the crossbar model's random stream is left as it was."""
        calls, seed = self.hw.calls, self.hw.seed
        try:
            return self.logits(inputs, 0)
        finally:
            self.hw.calls, self.hw.seed = calls, seed


@contextmanager
def _net_option_errors(net_options: dict | None) -> Iterator[None]:
    """The first software forward pass of a network built with ``--net-option`` values:
    a shape or type error there (``image_size=3`` for 32x32 inputs) is those values' doing,
    one :class:`NeuroSimError` naming them (the estimate path does the same in
    ``neurosim.nn.pipeline``). Without options, errors propagate."""
    try:
        yield
    except (RuntimeError, ValueError, TypeError) as exc:
        if not net_options:
            raise
        from ..networks import net_option_forward_error

        raise net_option_forward_error(net_options, exc) from None


def _resolve_path(path: str, spec: Any) -> str:
    """``auto``: the network's declared ``hardware_path`` (``spec.extra``) when it has
    one, else the wrapper's rule (left to the crossbar model)."""
    if path == "auto":
        return (spec.extra or {}).get("hardware_path", "auto")
    return path


def evaluate_network(cfg: Config, network: str, data: Any, *, checkpoint: str | None = None,
                     seeds: int = 1, device: str = "cpu", mode: str = "default",
                     path: str = "auto", batch_size: int = 200,
                     max_elements: int = 1 << 26, build_kwargs: dict | None = None,
                     progress: Callable[..., None] | None = None,
                     arithmetic: str = "exact", layer_report: bool = True,
                     progress_total: Callable[[int], None] | None = None) -> AccuracyResult:
    """Accuracy of ``network`` under the configured hardware model (see module doc).

    ``data``: a :class:`~neurosim.datasets.DataSpec`. ``progress(n, status)`` is called
    with the number of items finished and a status text after each batch.
    ``build_kwargs``: extra keywords for the network factory (e.g. a tiny RoBERTa config).
    ``arithmetic``: :class:`CrossbarModel`'s partial sums ("exact" / "wrapper-float32").
    ``layer_report``: fill the per-layer report (one software re-run of each layer).
    ``progress_total(n)``: told the number of items to run (items x seeds) once known.
    """
    from ..datasets import check_compatible, network_input, open_dataset
    from ..networks import get_network
    from . import provenance as prov
    from .report import LayerMonitor, ignored_settings, saturation_notes

    if device.startswith("cuda") and not torch.cuda.is_available():
        raise NeuroSimError("--device cuda: no CUDA device is available to torch here")
    if batch_size < 1:
        raise NeuroSimError(f"--batch-size {batch_size}: must be at least 1")
    if not 1 <= seeds <= MAX_SEEDS:
        raise NeuroSimError(f"--seeds {seeds}: give 1 to {MAX_SEEDS:,} repetitions (each "
                            "one is a whole accuracy run)")
    spec = get_network(network)
    check_compatible(network_input(spec, build_kwargs), data)  # before the slow build
    seed0 = int(cfg.seed)
    dataset = None if data.kind == "random" else open_dataset(
        spec, data, seed0, checkpoint, net_options=build_kwargs)
    cfg = apply_device_preset(cfg)  # device_nonidealities: the device's cited figures
    settings = layer_settings(cfg)
    torch.manual_seed(seed0)
    model = spec.build_configured(cfg, checkpoint, settings, build_kwargs)
    model = model.to(device).eval()
    hw = CrossbarModel(mode=mode, path=_resolve_path(path, spec), seed=seed0,
                       max_elements=max_elements, arithmetic=arithmetic,
                       nonideal=nonideal_from_config(cfg))
    shim_settings = dict(settings, wl_input=cfg.input_bits, wl_activate=cfg.input_bits,
                         wl_weight=cfg.synapse_bits, model=None)
    attach(model, hw, shim_settings)
    if dataset is None:
        dataset = open_dataset(spec, data, seed0, checkpoint, model=model,
                               net_options=build_kwargs)
    n = len(dataset)
    labels = dataset.labels
    run = _Runner(model, hw, device, int(bool(cfg.inference)))
    monitor = LayerMonitor(model, hw)
    paths = monitor.paths()
    notes = ignored_settings(cfg, paths, spec.name, hw.nonideal)
    if labels is None:
        notes.append("the data have no labels: the accuracy is the agreement of the "
                     "hardware-aware predictions with the software (inference=0) "
                     "predictions of the same network")
    if seeds > 1 and not is_random(cfg, paths):
        why = ("variation has no effect on the " + " and ".join(sorted(paths)) + " path"
               if cfg.variation > 0 else "variation = 0, no random drift")
        notes.append(f"--seeds {seeds}: the hardware model draws no random numbers with these "
                     f"settings ({why}), so one run is exact")
        seeds = 1
    if progress_total is not None:
        progress_total(n * seeds)
    classes = None
    soft = _Tally()
    tallies = [_Tally() for _ in range(seeds)]
    seed_list = [seed0 + i for i in range(seeds)]
    sw_preds = torch.empty(n, dtype=torch.int64)
    hw_time, hw_items = 0.0, 0
    t_start = time.perf_counter()
    for i, seed in enumerate(seed_list):
        hw.reseed(seed)
        tally = tallies[i]
        for start, stop, inputs in dataset.batches(batch_size):
            m = stop - start
            if i == 0:  # the software run, from the same batch
                with _net_option_errors(build_kwargs if start == 0 else None):
                    sw_logits = run.software(inputs)
                sw_preds[start:stop] = sw_logits.argmax(-1)
                if labels is not None:
                    soft.hits += int((sw_preds[start:stop] == labels[start:stop]).sum())
                    soft.top5 += _top5_hits(sw_logits, labels[start:stop])
                    soft.done += m
            monitor.active = layer_report and i == 0
            t0 = time.perf_counter()
            hw_logits = run.logits(inputs, run.inference)
            if device.startswith("cuda"):
                torch.cuda.synchronize()
            hw_time += time.perf_counter() - t0
            hw_items += m
            monitor.active = False
            classes = hw_logits.shape[-1]
            pred = hw_logits.argmax(-1)
            ref = labels[start:stop] if labels is not None else sw_preds[start:stop]
            tally.hits += int((pred == ref).sum())
            tally.top5 += _top5_hits(hw_logits, ref)
            tally.agree += int((pred == sw_preds[start:stop]).sum())
            tally.done += m
            if progress is not None:
                progress(m, _status(tally, soft, labels is not None, hw_items / hw_time
                                    if hw_time > 0 else 0.0, seed_list, i))
    monitor.remove()
    dt = time.perf_counter() - t_start
    stats = monitor.stats
    notes += saturation_notes(stats, int(cfg.input_bits))
    ni = nonideal_from_config(cfg)
    notes += list(getattr(ni, "notes", ()))
    reference = "labels" if labels is not None else "software predictions (inference=0)"
    per_seed = [t.rate(t.hits) for t in tallies]
    top5 = [t.rate(t.top5) for t in tallies] if labels is not None and classes \
        and classes >= 100 else None
    res = AccuracyResult(
        spec.name, reference, n, per_seed, seed_list,
        hw_items / hw_time if hw_time > 0 else float("inf"), dt,
        soft.rate(soft.hits) if labels is not None else None, notes,
        agreement=[t.rate(t.agree) for t in tallies],
        top5=top5, software_top5=soft.rate(soft.top5) if top5 is not None else None,
        layers=[s.to_json() for s in stats])
    res.provenance = {
        "network": prov.network_provenance(spec.name),
        "weights": prov.weights_provenance(checkpoint, seed0),
        "data": dataset.provenance(), "seeds": seed_list, "batch_size": batch_size,
        "hardware_path": hw.path, "device": prov.device_provenance(device),
        "versions": prov.versions(), "net_options": dict(build_kwargs or {})}
    return res


def _top5_hits(logits: torch.Tensor, ref: torch.Tensor) -> int:
    k = min(5, logits.shape[-1])
    top = logits.topk(k, dim=-1).indices
    return int((top == ref.reshape(-1, 1)).any(-1).sum())


def _status(tally: _Tally, soft: _Tally, labelled: bool, rate: float, seeds: list[int],
            i: int) -> str:
    """``acc 91.2 % (sw 92.0 %), 35 items/s[, seed 118]`` for the progress bar."""
    what = "acc" if labelled else "agree"
    text = f"{what} {100 * tally.rate(tally.hits):.1f} %"
    if labelled and soft.done:
        text += f" (sw {100 * soft.rate(soft.hits):.1f} %)"
    if rate > 0:
        text += f", {rate:.3g} items/s"
    if len(seeds) > 1:
        text += f", seed {seeds[i]}"
    return text
