"""Torch layers of the NeuroSim wrapper (torch is imported on first use of a layer or
quantizer name; :mod:`neurosim.nn.records` holds the torch-free capture records).

* :mod:`neurosim.nn.quantizers`: ``S``, ``C``, ``Q``, ``wage_quantize_f`` (the wrapper's
  ``WAGEQuantizer_f``), ``wage_init_``, ``float_range_quantize``.
* :mod:`neurosim.nn.layers`: ``QConv2d``, ``QLinear`` (WAGE), ``FConv2d``, ``FLinear`` (FP),
  bit-identical to the wrapper's inference=0 forward.

Hardware-aware inference hook
-----------------------------
Every layer computes its matrix product through ``layer.compute(x, weight)``. With
``layer.hardware = None`` (the default) this is ``F.conv2d``/``F.linear`` with the layer's
stride, padding, dilation, groups and bias. Setting ``layer.hardware`` to an object with
methods ``conv2d(layer, x, weight)`` and ``linear(layer, x, weight)`` routes the product
through that object instead (e.g. the bit-serial, ADC-quantized crossbar model of
``neurosim.accuracy``); it receives the quantized weight the WAGE forward built
(``Q(weight1, wl_weight)``) and returns the raw product, which the layer then divides by
``scale`` and quantizes to ``wl_activate`` bits exactly as the wrapper does for every
inference mode. The hardware model reads the layer settings from attributes
(``layer.settings()``): ``wl_input, wl_activate, wl_error, wl_weight, inference,
onoffratio, cell_bit, sub_array, adc_precision, vari, t, v, detect, target, name, model,
parallel_read`` (wrapper spellings ``cellBit``, ``subArray``, ``ADCprecision``,
``parallelRead`` become snake_case) plus ``scale`` (WAGE), ``mode`` ("WAGE"/"FP"),
``stride``, ``padding``, ``dilation``, ``groups``.
:func:`set_hardware` sets the hook on every CIM layer of a model.
"""

from __future__ import annotations

import importlib
from typing import Any

#: public names -> the submodule that defines them (imported on first use, so that
#: ``neurosim.nn.records`` -- the torch-free capture records -- loads without torch)
_LAZY = {**{k: "layers" for k in ("SETTINGS", "CIMLayer", "FConv2d", "FLinear", "QConv2d",
                                   "QLinear", "conv_layer", "linear_layer")},
         **{k: "quantizers" for k in ("C", "Q", "S", "float_range_quantize", "scale_limit",
                                      "wage_init_", "wage_quantize_f", "wage_scale")}}

__all__ = ["C", "Q", "S", "wage_quantize_f", "wage_init_", "wage_scale", "scale_limit",
           "float_range_quantize", "QConv2d", "QLinear", "FConv2d", "FLinear", "CIMLayer",
           "SETTINGS", "conv_layer", "linear_layer", "set_hardware"]


def __getattr__(name: str) -> Any:
    """Import the torch layers and quantizers on first access (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def set_hardware(model: Any, hardware: Any) -> int:
    """Set ``hardware`` on every :class:`CIMLayer` of ``model``; returns how many."""
    from .layers import CIMLayer

    n = 0
    for m in model.modules():
        if isinstance(m, CIMLayer):
            m.hardware = hardware
            n += 1
    return n
