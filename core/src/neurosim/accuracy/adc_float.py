"""The ADC of continuous (float64) partial sums on the CPU in two passes (issue 14).

With variation (or drift) the partial sums ``y`` of :meth:`CrossbarModel._crossbar` are
float64 and the torch path reads them with about ten passes over each chunk
(``amin``, ``amax``, ``sub_``, ``mul_``, ``div_``, ``floor_``, ``clamp_``, ``mul_``). Here
``torch.compile`` (inductor) fuses them into one pass for the ranges and one for the index:
per range (``max - min`` over ``dims``) ``delta = max - min`` (1 when 0) and
``q = min(max(floor(((y - min) * amp) / delta), 0), top) * (delta / amp)`` -- the same
IEEE operations in the same order as the torch path (no reassociation, and no multiply-add
to contract), so ``q`` is the torch path's bit for bit (``tests/test_accuracy_rng.py``). It
is written over ``y`` (a reused buffer: no fresh 512 MB temporary per chunk). The sums of
``q`` over reads, bits and digits stay with the caller's torch operations, in its order.
"""

from __future__ import annotations

import functools

import torch


def adc_float(y: torch.Tensor, dims: tuple[int, ...], amp: float,
              top: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Overwrite ``y`` with its ADC values above the range's minimum, ``q`` (module doc);
    returns ``(min, delta)`` per range (``keepdim``)."""
    lo = torch.amin(y, dim=dims, keepdim=True)
    delta = torch.amax(y, dim=dims, keepdim=True) - lo
    delta = torch.where(delta > 0, delta, torch.ones_like(delta))
    q = torch.floor(((y - lo) * amp) / delta).clamp(0, top) * (delta / amp)
    y.copy_(q)
    return lo, delta


@functools.cache
def adc_float_kernel() -> object:
    """:func:`adc_float` compiled (inductor, dynamic shapes); raises what the compiler
    raises (the caller falls back to the torch operations)."""
    from .quant import quiet_cuda_home_probe

    quiet_cuda_home_probe()
    return torch.compile(adc_float, dynamic=True, fullgraph=True)
