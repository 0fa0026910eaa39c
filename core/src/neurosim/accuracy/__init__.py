"""Inference-accuracy simulation (the DNN+NeuroSim V1.4 wrapper's hardware-aware forward),
vectorized with torch. torch is imported only when a submodule is used.

* :mod:`neurosim.accuracy.crossbar`: :class:`CrossbarModel`, the ``layer.hardware`` object
  of the :mod:`neurosim.nn` layers (full bit-serial crossbar path with per-read ADC,
  simplified path, inference=0, FP mode; parity and default modes);
* :mod:`neurosim.accuracy.quant`: ADC (``LinearQuantizeOut`` and the exact integer ADC) and
  Retention;
* :mod:`neurosim.accuracy.replay`: run one golden layer case (npz);
* :mod:`neurosim.accuracy.evaluate`: evaluate a registered network on a data set.

See ``docs/accuracy.md``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CrossbarModel", "replay", "evaluate_network"]


def __getattr__(name: str) -> Any:  # lazy: keep `import neurosim.accuracy` torch-free
    if name == "CrossbarModel":
        from .crossbar import CrossbarModel

        return CrossbarModel
    if name == "replay":
        from .replay import replay

        return replay
    if name == "evaluate_network":
        from .evaluate import evaluate_network

        return evaluate_network
    raise AttributeError(name)
