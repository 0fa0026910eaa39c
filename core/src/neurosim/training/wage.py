"""WAGE training quantizers of the DNN+NeuroSim wrapper's ``train.py`` (backward side).

The forward side (weights ``Q(W, wl_weight)``, activations ``Q(C(y, wl_activate))``) is
in the :mod:`neurosim.nn` layers. Training adds (``spec/accuracy_model.md``; wrapper
``utee/wage_quantizer.py``):

* ``shift(x) = 2**round(log2 x)``, the power of two nearest to ``x`` in the log domain;
* errors ``QE(e, bE) = Q(C(e / shift(max|e|), bE), bE)``: the gradient arriving at each
  layer's activation quantizer, scaled by a power of two so its largest entry is near 1,
  then clipped and rounded to ``bE`` bits (:class:`ErrorQuantizer`, hooked on each layer);
* gradients ``QG(g, bG, s) = SR(s * g / shift(max|g|)) / 2**(bG-1)``: scaled the same way,
  multiplied by the gradient scale ``s`` (``--grad-scale``), stochastically rounded
  (``SR(x) = floor(x + u)``, ``u ~ U[0, 1)``) and put on the ``bG``-bit grid;
* after each SGD step every parameter is clipped to the WAGE range ``C(p, wl_weight)``;
* the loss of the WAGE networks is the sum of squared errors against one-hot targets,
  ``0.5 * sum (y - onehot)**2`` (the wrapper's ``SSE``).

All-zero errors or gradients are passed through unchanged (the wrapper asserts instead).
Stochastic rounding draws from a seeded CPU ``torch.Generator``: the same numbers on every
device for the same seed.
"""

from __future__ import annotations

from typing import Any

import torch

from ..nn.quantizers import C, Q, S


def shift(x: torch.Tensor) -> torch.Tensor:
    """``2**round(log2 x)`` (``x > 0``)."""
    return 2.0 ** torch.round(torch.log2(x))


def qe(e: torch.Tensor, bits: int) -> torch.Tensor:
    """The wrapper's error quantizer ``QE`` (module doc); ``bits = -1``: unchanged."""
    if bits == -1:
        return e
    m = e.abs().max()
    if m == 0:
        return e
    return Q(C(e / shift(m), bits), bits)


def qg(g: torch.Tensor, bits: int, grad_scale: float,
       generator: torch.Generator | None = None) -> torch.Tensor:
    """The wrapper's gradient quantizer ``QG`` with stochastic rounding (module doc)."""
    m = g.abs().max()
    if m == 0:
        return g
    norm = grad_scale * (g / shift(m))
    u = torch.rand(norm.shape, generator=generator, dtype=norm.dtype).to(norm.device)
    return torch.floor(norm + u) / S(bits)


class _QE(torch.autograd.Function):
    """Identity forward; ``QE`` on the gradient (the wrapper's ``WAGERounding.backward``)."""

    @staticmethod
    def forward(ctx: Any, y: torch.Tensor, bits: int) -> torch.Tensor:
        ctx.bits = bits
        return y.view_as(y)

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[torch.Tensor, None]:
        return qe(grad, ctx.bits), None


def quantize_errors(model: Any) -> list[Any]:
    """Hook ``QE(., wl_error)`` onto the output of every WAGE layer of ``model`` (the
    backward of its activation quantizer); returns the hook handles."""
    from ..nn import CIMLayer

    handles = []
    for m in model.modules():
        if isinstance(m, CIMLayer) and m.mode == "WAGE":
            def hook(mod: Any, args: tuple, out: torch.Tensor) -> torch.Tensor:
                if not torch.is_grad_enabled() or not out.requires_grad:
                    return out
                return _QE.apply(out, int(mod.wl_error))
            handles.append(m.register_forward_hook(hook))
    return handles


def clip_weights(model: Any, bits: int) -> None:
    """``p = C(p, wl_weight)`` for every parameter after each step (the wrapper clips every
    parameter of a WAGE model, batch-norm ones included)."""
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(C(p, bits))


def sse_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """``0.5 * sum (logits - onehot(target))**2`` over the batch (the wrapper's SSE)."""
    onehot = torch.zeros_like(logits)
    onehot[torch.arange(logits.shape[0]), target] = 1
    return 0.5 * ((logits - onehot) ** 2).sum()
