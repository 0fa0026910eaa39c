"""Per-layer error report and honest notices of ``neurosim accuracy``.

:class:`LayerMonitor` hooks every compute-in-memory layer of a model whose layers are
routed through a :class:`~neurosim.accuracy.crossbar.CrossbarModel` and, during a
hardware-aware forward, compares each layer's output ``y_hw`` with the software output
``y_sw`` of the *same inputs* (the layer re-run with inference=0; for plain torch layers
the output before the hardware hook replaced it):

* relative RMS error ``sqrt(sum (y_hw - y_sw)**2 / sum y_sw**2)`` over every item scored,
  so a layer that loses accuracy stands out even when later layers hide it;
* ``clipped``: the share of a WAGE layer's outputs at the activation clip
  ``|y| = 1 - 2**(1 - wl_activate)`` (the ADC of this model spans each read's own
  min..max, so the clip that loses information is the activation quantizer's);
* on the full bit-serial path, the share of inputs above 1 (saturated by the input driver,
  whose ``2**bA - 1`` levels cover 0..1) and of negative inputs (read as sign and
  magnitude).

The software re-run restores the crossbar model's random stream, so the hardware result
is the same with or without the monitor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch

#: settings each hardware path reads (config option names)
PATH_READS = {
    "full": {"adc_bits", "cell_bits", "onoff_ratio", "variation", "subarray_rows",
             "parallel_rows", "retention_time_s", "drift_nu", "drift_detect", "drift_target",
             "input_bits"},
    "simplified": {"adc_bits", "retention_time_s", "drift_nu", "drift_detect",
                   "drift_target", "input_bits"},
    "fp": {"adc_bits", "retention_time_s", "drift_nu", "drift_detect", "drift_target",
           "input_bits"},
    "off": {"retention_time_s", "drift_nu", "drift_detect", "drift_target"},
}
#: the settings a notice is given for when no layer's path reads them
CHECKED = ("variation", "onoff_ratio", "cell_bits", "subarray_rows", "parallel_rows",
           "adc_bits")
#: the non-ideality options (docs/accuracy.md, "Non-idealities") -> the paths that read
#: them: the FP path applies only its ADC's output noise, inference=0 none of them (DAC
#: precision needs no notice where the inputs are analog already)
NONIDEAL_READS = {
    "stuck_at_0_rate": {"full", "simplified"}, "stuck_at_1_rate": {"full", "simplified"},
    "read_noise": {"full", "simplified"}, "mem_states_file": {"full", "simplified"},
    "variation_mode": {"full", "simplified"}, "output_noise_lsb": {"full", "simplified", "fp"},
    "output_noise_file": {"full", "simplified", "fp"}, "dac_bits": {"full", "simplified", "fp"},
}


def layer_path(hw: Any, layer: Any) -> str:
    """The path the crossbar model takes for ``layer``: "off" (inference=0), "fp",
    "full" or "simplified" (``path="auto"``: full for layers of model 'VGG8')."""
    if not getattr(layer, "inference", 0):
        return "off"
    if getattr(layer, "mode", "WAGE") == "FP":
        return "fp"
    if hw.path == "auto":
        return "full" if getattr(layer, "model", None) == "VGG8" else "simplified"
    return hw.path


@dataclass
class LayerStats:
    """Sums over every item of one layer (see module doc)."""

    name: str
    path: str
    sq_err: float = 0.0
    sq_ref: float = 0.0
    outputs: int = 0
    clipped: int = 0
    clip_known: bool = False
    inputs: int = 0
    above_one: int = 0
    negative: int = 0
    in_min: float = math.inf
    in_max: float = -math.inf

    @property
    def rel_rms(self) -> float | None:
        if self.outputs == 0:
            return None
        if self.sq_ref == 0:
            return 0.0 if self.sq_err == 0 else math.inf
        return math.sqrt(self.sq_err / self.sq_ref)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"layer": self.name, "path": self.path,
                               "rel_rms_error": self.rel_rms,
                               "clipped": (self.clipped / self.outputs
                                           if self.clip_known and self.outputs else None)}
        if self.path == "full" and self.inputs:
            out.update({"inputs_above_1": self.above_one / self.inputs,
                        "inputs_negative": self.negative / self.inputs,
                        "input_min": self.in_min, "input_max": self.in_max})
        return out


def _bit_serial(layer: Any, x: torch.Tensor) -> bool:
    """Whether the full path reads ``x`` bit-serially (not the RGB first layer: Cin = 3
    below the subarray rows takes the raw input)."""
    w = getattr(layer, "weight", None)
    if isinstance(w, torch.Tensor) and w.dim() == 4:
        return not (w.shape[1] == 3 and 3 < int(getattr(layer, "sub_array", 128)))
    return True


class LayerMonitor:
    """Forward hooks that fill one :class:`LayerStats` per CIM layer while ``active``."""

    def __init__(self, model: Any, hw: Any) -> None:
        from torch import nn

        from ..nn import CIMLayer

        self.hw = hw
        self.active = False
        self.stats: list[LayerStats] = []
        self._handles: list[Any] = []
        shims = {s.name: s for s in getattr(hw, "shims", [])}
        for path, m in model.named_modules():
            if isinstance(m, CIMLayer):
                st = LayerStats(m.name or path, layer_path(hw, m))
                self.stats.append(st)
                self._handles.append(m.register_forward_hook(self._cim_hook(st)))
            elif isinstance(m, (nn.Conv2d, nn.Linear)) and path in shims:
                st = LayerStats(path, layer_path(hw, shims[path]))
                self.stats.append(st)
                keep: dict[str, Any] = {}
                self._handles.append(m.register_forward_hook(self._keep(keep), prepend=True))
                self._handles.append(m.register_forward_hook(self._shim_hook(st, keep)))

    def remove(self) -> None:
        for h in self._handles:
            h.remove()

    def paths(self) -> set[str]:
        return {s.path for s in self.stats}

    # ---- hooks ------------------------------------------------------------------------
    def _record(self, st: LayerStats, x: torch.Tensor, hw_out: torch.Tensor,
                sw_out: torch.Tensor, clip: float | None) -> None:
        d = (hw_out.double() - sw_out.double())
        st.sq_err += float((d * d).sum())
        st.sq_ref += float((sw_out.double() ** 2).sum())
        st.outputs += hw_out.numel()
        if clip is not None:
            st.clip_known = True
            st.clipped += int((hw_out.abs() >= clip).sum())
        if st.path == "full" and x.numel():
            st.inputs += x.numel()
            st.above_one += int((x > 1).sum())
            st.negative += int((x < 0).sum())
            st.in_min = min(st.in_min, float(x.min()))
            st.in_max = max(st.in_max, float(x.max()))

    def _cim_hook(self, st: LayerStats) -> Any:
        def hook(mod: Any, args: tuple, out: Any) -> None:
            if not self.active or not mod.inference:
                return
            x = args[0]
            calls, seed, was = self.hw.calls, self.hw.seed, mod.inference
            mod.inference = 0
            try:
                with torch.no_grad():
                    ref = mod.forward(x)  # forward() runs no hooks
            finally:
                mod.inference = was
                self.hw.calls, self.hw.seed = calls, seed
            bits = getattr(mod, "wl_activate", -1)
            clip = 1 - 2.0 ** (1 - bits) if mod.mode == "WAGE" and bits not in (-1, 1) \
                and bits <= 15 else None
            probe = x if _bit_serial(mod, x) else x.new_zeros(0)
            self._record(st, probe, out.detach(), ref.detach(), clip)
        return hook

    @staticmethod
    def _keep(store: dict[str, Any]) -> Any:
        def hook(mod: Any, args: tuple, out: Any) -> None:
            store["sw"] = out.detach()
        return hook

    def _shim_hook(self, st: LayerStats, store: dict[str, Any]) -> Any:
        def hook(mod: Any, args: tuple, out: Any) -> None:
            sw = store.pop("sw", None)
            if not self.active or sw is None or out is sw:
                return
            self._record(st, args[0].detach(), out.detach(), sw, None)
        return hook


def cell_model_on_simplified(cfg: Any, ni: Any) -> bool:
    """Whether the simplified path maps weights to cells (V1.5 non-idealities: stuck-at,
    memory states, read noise, device-to-device or cycle-to-cycle variation), so that it
    reads cell bits, on/off ratio and variation too."""
    return bool(getattr(ni, "stuck", False) or getattr(ni, "mem_states", None) is not None
                or getattr(ni, "read_noise", 0) > 0
                or (cfg.variation > 0 and getattr(ni, "variation_mode", "") in ("d2d", "c2c")))


def ignored_settings(cfg: Any, paths: set[str], network: str,
                     ni: Any = None) -> list[str]:
    """A notice per setting changed from its default that no layer's path reads
    (``ni``: the run's non-idealities, which widen what the simplified path reads)."""
    from ..config import Config

    default = Config()
    reads = set().union(*(PATH_READS[p] for p in paths)) if paths else set()
    if "simplified" in paths and ni is not None and cell_model_on_simplified(cfg, ni):
        reads |= {"variation", "cell_bits", "onoff_ratio"}
    where = " and ".join(sorted(paths)) or "no"
    notes = []
    for name in CHECKED:
        value = getattr(cfg, name)
        if value == getattr(default, name) or name in reads:
            continue
        hint = "use --path full" if "off" not in paths and "fp" not in paths else (
            "set inference=1" if "off" in paths else "use quant_mode=WAGE and --path full")
        notes.append(f"{name} = {value:g} has no effect: every CIM layer of {network} runs "
                     f"the {where} path here, which does not read it; {hint}")
    for name, readers in NONIDEAL_READS.items():
        value = getattr(cfg, name)
        if value == getattr(default, name) or not paths or paths & readers:
            continue
        hint = "set inference=1" if "off" in paths else "use quant_mode=WAGE"
        notes.append(f"{name} = {value if isinstance(value, str) else f'{value:g}'} has no "
                     f"effect: every CIM layer of {network} runs the {where} path here, "
                     f"which does not read it; {hint}")
    if cfg.variation_mode != default.variation_mode and cfg.variation == 0 and not (
            ni is not None and getattr(ni, "mem_std", False)) and paths & {"full",
                                                                           "simplified"}:
        notes.append(f"variation_mode = {cfg.variation_mode} has no effect: variation = 0 "
                     "and no mem_states_file std to apply it to")
    return notes


def saturation_notes(stats: list[LayerStats], bits: int) -> list[str]:
    """Warnings for full-path layers whose inputs leave 0..1."""
    notes = []
    for st in stats:
        if st.path != "full" or not st.inputs:
            continue
        if st.above_one:
            notes.append(f"layer {st.name}: {100 * st.above_one / st.inputs:.1f} % of its "
                         f"inputs exceed 1 (max {st.in_max:.3g}) and saturate at the input "
                         f"driver's top level on --path full ({2 ** bits - 1} levels over "
                         "0..1); its error grows accordingly")
        if st.negative:
            notes.append(f"layer {st.name}: {100 * st.negative / st.inputs:.1f} % of its "
                         f"inputs are negative (min {st.in_min:.3g}); --path full reads "
                         "them as sign and magnitude bit planes")
    return notes
