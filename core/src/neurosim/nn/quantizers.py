"""WAGE and floating-range quantizers of the DNN+NeuroSim V1.4 PyTorch wrapper (forward values).

Semantics (``spec/accuracy_model.md``; wrapper ``utee/wage_quantizer.py``,
``utee/wage_initializer.py``, ``utee/float_quantizer.py``):

* ``S(b) = 2**(b-1)``, the number of grid steps in [0, 1) for ``b`` bits;
* ``C(x, b)`` clips to ``[-1 + 1/S(b), 1 - 1/S(b)]`` (no clip margin for ``b == 1`` or
  ``b > 15``);
* ``Q(x, b) = round(x*S(b))/S(b)`` with ``torch.round`` (round half to even); ``sign`` for
  ``b == 1``, identity for ``b > 15``;
* ``wage_quantize_f(x, b_a)`` is the wrapper's ``WAGEQuantizer_f``: ``Q(C(x, b_a), b_a)``
  (identity for ``b_a == -1``);
* :func:`wage_init_` draws the WAGE uniform initial weights and returns the layer's fixed
  power-of-two ``scale``;
* :func:`float_range_quantize` is the FP mode's min/max uniform quantizer.

Every operation is the same float32 torch operation as in the wrapper, so results are
bit-identical.
"""

from __future__ import annotations

import math

import numpy as np
import torch


def S(bits: int) -> float:
    """Grid steps per unit: ``2**(bits-1)``."""
    return 2.0 ** (bits - 1)


def C(x: torch.Tensor, bits: int) -> torch.Tensor:
    """Clip to the symmetric WAGE range ``[-1 + 2**-(bits-1), 1 - 2**-(bits-1)]``."""
    delta = 0.0 if bits > 15 or bits == 1 else 1.0 / S(bits)
    return torch.clamp(x, -1 + delta, 1 - delta)


def Q(x: torch.Tensor, bits: int) -> torch.Tensor:
    """Round to the ``bits``-bit WAGE grid (round half to even, no clipping)."""
    if bits == -1:
        raise ValueError("Q: bits = -1 means 'do not quantize'; the caller must skip Q")
    if bits == 1:
        return torch.sign(x)
    if bits > 15:
        return x
    return torch.round(x * S(bits)) / S(bits)


class _RoundSTE(torch.autograd.Function):
    """``Q`` in the forward pass, identity gradient (the wrapper's backward quantizes the
    error with ``wl_error``; training is not part of this package)."""

    @staticmethod
    def forward(ctx, x, bits):  # noqa: D401 - torch API
        return x if bits == -1 else Q(x, bits)

    @staticmethod
    def backward(ctx, grad):
        return grad, None


def wage_quantize_f(x: torch.Tensor, bits_a: int, bits_e: int = 8) -> torch.Tensor:
    """The wrapper's ``WAGEQuantizer_f``: clip with ``C`` then round with ``Q`` (activations).

    ``bits_e`` (the error bits of training) does not change the forward value.
    """
    if bits_a != -1:
        x = C(x, bits_a)
    return _RoundSTE.apply(x, bits_a)


def scale_limit(float_limit: float, bits_w: int) -> tuple[float, float]:
    """WAGE weight limit ``1 - 2**-(b-1)`` and the power-of-two layer scale
    ``2**ceil(log2(limit_std / float_limit))`` with ``limit_std = limit/sqrt(3)``
    (``0.75/sqrt(3)`` for ``b <= 2``)."""
    delta = 1 / (2 ** (bits_w - 1))
    limit = 1 - delta
    limit_std = limit / math.sqrt(3) if bits_w > 2 else 0.75 / math.sqrt(3)
    scale = 2 ** np.ceil(np.log2(limit_std / float_limit))
    return limit, float(scale)


def fan_in(tensor: torch.Tensor) -> int:
    """Inputs feeding one output: ``in_features`` or ``Cin*kh*kw``."""
    if tensor.dim() < 2:
        raise ValueError("fan_in needs a weight of at least 2 dimensions")
    if tensor.dim() == 2:
        return int(tensor.size(1))
    return int(tensor.size(1) * tensor[0][0].numel())


def wage_scale(tensor: torch.Tensor, bits_w: int, factor: float = 1.0) -> float:
    """The layer scale :func:`wage_init_` returns, without touching the tensor."""
    return scale_limit(math.sqrt(3 * factor / fan_in(tensor)), bits_w)[1]


def wage_init_(tensor: torch.Tensor, bits_w: int, factor: float = 2.0) -> float:
    """Fill ``tensor`` with U(-limit, limit) (WAGE limit of ``bits_w`` bits, one
    ``uniform_`` call as in the wrapper, so the RNG stream is the same) and return the
    layer scale (a power of two) derived from ``sqrt(3*factor/fan_in)``."""
    limit, scale = scale_limit(math.sqrt(3 * factor / fan_in(tensor)), bits_w)
    with torch.no_grad():
        tensor.uniform_(-limit, limit)
    return scale


def float_range_quantize(x: torch.Tensor, bits: int) -> torch.Tensor:
    """FP mode: ``2**bits - 1`` uniform levels between the tensor's min and max
    (``sign(x) - 1`` for one bit), rounding with ``floor(v*n + 0.5)``."""
    if bits < 1:
        raise ValueError(f"float_range_quantize: bits = {bits} must be >= 1")
    if bits == 1:
        return torch.sign(x) - 1
    min_val = float(x.min())
    max_val = float(x.max())
    rescaled = (x - min_val) / (max_val - min_val)
    n = math.pow(2.0, bits) - 1
    v = torch.floor(rescaled * n + 0.5) / n
    return v * (max_val - min_val) + min_val
