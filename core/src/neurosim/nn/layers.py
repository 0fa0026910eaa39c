"""Quantized layers of the DNN+NeuroSim V1.4 wrapper: ``QConv2d``/``QLinear`` (WAGE) and
``FConv2d``/``FLinear`` (FP), with the wrapper's inference=0 forward, bit for bit.

WAGE forward (wrapper ``modules/quantization_cpu_np_infer.py``), in float32 as written::

    weight1 = W*scale + (W - W*scale)          # value ~W; scale only shapes the gradient
    weight  = weight1 + (Q(weight1, wl_weight) - weight1)
    y = compute(x, weight)                     # conv2d / linear, or the hardware model
    y = y / scale
    y = WAGEQuantizer_f(y, wl_activate)        # clip + round to the activation grid

FP forward: ``y = compute(x, W)``.

``compute`` is the hook for hardware-aware inference (see :mod:`neurosim.nn`).
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn as nn
import torch.nn.functional as F

from .quantizers import Q, wage_init_, wage_quantize_f

#: layer settings every CIM layer keeps as attributes (wrapper spelling in comments)
SETTINGS = ("wl_input", "wl_activate", "wl_error", "wl_weight", "inference", "onoffratio",
            "cell_bit",  # cellBit
            "sub_array",  # subArray
            "adc_precision",  # ADCprecision
            "vari", "t", "v", "detect", "target", "name", "model",
            "parallel_read")  # parallelRead


class CIMLayer:
    """Mixin of the four layer classes: settings, the ``hardware`` hook and ``compute``."""

    hardware: Any = None
    mode: str = "WAGE"

    def _init_settings(self, *, wl_input: int = 8, wl_activate: int = 8, wl_error: int = 8,
                       wl_weight: int = 8, inference: int = 0, onoffratio: float = 10,
                       cell_bit: int = 1, sub_array: int = 128, adc_precision: int = 5,
                       vari: float = 0, t: float = 0, v: float = 0, detect: int = 0,
                       target: float = 0, name: str = "", model: str | None = None,
                       parallel_read: int = 128, hardware: Any = None) -> None:
        self.wl_input = wl_input
        self.wl_activate = wl_activate
        self.wl_error = wl_error
        self.wl_weight = wl_weight
        self.inference = inference
        self.onoffratio = onoffratio
        self.cell_bit = cell_bit
        self.sub_array = sub_array
        self.adc_precision = adc_precision
        self.vari = vari
        self.t = t
        self.v = v
        self.detect = detect
        self.target = target
        self.name = name
        self.model = model
        self.parallel_read = parallel_read
        self.hardware = hardware

    def settings(self) -> dict[str, Any]:
        """The layer's settings by name (what the hardware model may read)."""
        return {k: getattr(self, k) for k in SETTINGS}

    def compute(self, x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        """The matrix product of the layer: plain conv/linear, or ``self.hardware``'s."""
        raise NotImplementedError

    def extra_repr(self) -> str:  # shown by print(model)
        base = super().extra_repr()  # type: ignore[misc]
        return f"{base}, name={self.name!r}, mode={self.mode}, wl_weight={self.wl_weight}, " \
               f"wl_activate={self.wl_activate}"


class _ConvCompute(CIMLayer):
    def compute(self, x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        if self.hardware is not None:
            return self.hardware.conv2d(self, x, weight)
        return F.conv2d(x, weight, self.bias, self.stride, self.padding, self.dilation,
                        self.groups)


class _LinearCompute(CIMLayer):
    def compute(self, x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        if self.hardware is not None:
            return self.hardware.linear(self, x, weight)
        return F.linear(x, weight, self.bias)


def _effective_weight(w: torch.Tensor, scale: float, bits: int) -> torch.Tensor:
    """``weight1 + (Q(weight1) - weight1)`` with ``weight1 = w*scale + (w - w*scale)``,
    computed in place (same float32 operations, fewer temporaries) when no gradient is
    needed; IEEE addition is commutative, so ``d + weight1`` equals ``weight1 + d``."""
    if torch.is_grad_enabled() and w.requires_grad:
        weight1 = w * scale + (w - w * scale).detach()
        return weight1 + (Q(weight1, bits) - weight1).detach()
    ws = w.detach() * scale
    weight1 = torch.sub(w.detach(), ws).add_(ws)
    del ws
    if bits == 1 or bits > 15:  # sign / identity: Q may return weight1 itself
        return weight1 + (Q(weight1, bits) - weight1)
    q = weight1.mul(2.0 ** (bits - 1)).round_().div_(2.0 ** (bits - 1))
    return q.sub_(weight1).add_(weight1)


def _wage_forward(layer: Any, x: torch.Tensor) -> torch.Tensor:
    weight = _effective_weight(layer.weight, layer.scale, layer.wl_weight)
    y = layer.compute(x, weight)
    y = y / layer.scale
    return wage_quantize_f(y, layer.wl_activate, layer.wl_error)


class QConv2d(_ConvCompute, nn.Conv2d):
    """WAGE convolution (wrapper ``QConv2d``). Construction draws the weights as the wrapper
    does (``nn.Conv2d`` init, then ``wage_init_`` with factor 1), so ``torch.manual_seed``
    reproduces the wrapper's initial weights; ``scale`` is the WAGE layer scale."""

    mode = "WAGE"

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = False,
                 **settings: Any) -> None:
        nn.Conv2d.__init__(self, in_channels, out_channels, kernel_size, stride, padding,
                           dilation, groups, bias)
        self._init_settings(**settings)
        self.scale = wage_init_(self.weight, self.wl_weight, factor=1.0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _wage_forward(self, x)


class QLinear(_LinearCompute, nn.Linear):
    """WAGE fully connected layer (wrapper ``QLinear``); see :class:`QConv2d`."""

    mode = "WAGE"

    def __init__(self, in_features: int, out_features: int, bias: bool = False,
                 **settings: Any) -> None:
        nn.Linear.__init__(self, in_features, out_features, bias)
        self._init_settings(**settings)
        self.scale = wage_init_(self.weight, self.wl_weight, factor=1.0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return _wage_forward(self, x)


class FConv2d(_ConvCompute, nn.Conv2d):
    """FP-mode convolution (wrapper ``FConv2d``): float weights; inference=0 forward is the
    plain convolution. The weight trace uses ``float_range_quantize(W, wl_weight)``."""

    mode = "FP"

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = False,
                 **settings: Any) -> None:
        nn.Conv2d.__init__(self, in_channels, out_channels, kernel_size, stride, padding,
                           dilation, groups, bias)
        self._init_settings(**settings)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.compute(x, self.weight)


class FLinear(_LinearCompute, nn.Linear):
    """FP-mode fully connected layer (wrapper ``FLinear``); see :class:`FConv2d`."""

    mode = "FP"

    def __init__(self, in_features: int, out_features: int, bias: bool = False,
                 **settings: Any) -> None:
        nn.Linear.__init__(self, in_features, out_features, bias)
        self._init_settings(**settings)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.compute(x, self.weight)


def conv_layer(mode: str, *args: Any, **kwargs: Any) -> nn.Conv2d:
    """``QConv2d`` for mode "WAGE", ``FConv2d`` for "FP"."""
    return {"WAGE": QConv2d, "FP": FConv2d}[_mode(mode)](*args, **kwargs)


def linear_layer(mode: str, *args: Any, **kwargs: Any) -> nn.Linear:
    """``QLinear`` for mode "WAGE", ``FLinear`` for "FP"."""
    return {"WAGE": QLinear, "FP": FLinear}[_mode(mode)](*args, **kwargs)


def _mode(mode: str) -> str:
    m = str(mode).upper()
    if m not in ("WAGE", "FP"):
        from ..errors import ConfigError

        raise ConfigError(f"quant_mode = {mode!r}: expected WAGE or FP")
    return m
