"""ADC and retention primitives of the accuracy model (torch; import lazily).

Two families:

* wrapper-exact float32 versions (:func:`linear_quantize_out`, :func:`retention`): the
  same torch operations in the same dtype as the V1.4 wrapper's ``LinearQuantizeOut`` and
  ``Retention`` (``spec/accuracy_model.md`` §6-7), so where the wrapper's arithmetic is
  exact (simplified path, inference=0) the results are bit-identical;
* :func:`adc_exact`, the ADC of the hardware path on partial sums held as exact integers
  (float64 holding integers): ``idx = floor((x - min) * 2**bits / (max - min))`` is the
  correctly rounded quotient of two integers below 2**53, whose floor is the true floor
  (the quotient is below 2**bits; its distance to the next integer is at least
  ``1/(max-min)``, far above the float64 rounding error), so a partial sum lying exactly on
  a bin edge goes to the bin the true value belongs to.
"""

from __future__ import annotations

import functools
import logging

from typing import Sequence

import torch


def linear_quantize_out(x: torch.Tensor, bits: int,
                        dims: Sequence[int] | None = None) -> torch.Tensor:
    """The wrapper's ``LinearQuantizeOut``: ``2**bits`` equal bins between the minimum and
    the maximum (floor to the lower bin edge; the maximum maps to the last bin's lower
    edge; a constant tensor is returned unchanged).

    ``dims=None``: one range over the whole tensor, the wrapper's float32 operations
    (bit-identical). ``dims``: one range per slice over ``dims`` (same formula per slice).
    """
    if dims is None:
        min_q = torch.min(x)
        delta = torch.max(x) - torch.min(x)
        y = x.clone()
        if delta > 0:
            step = 2. ** (-bits) * delta.item()
            index = torch.clamp(torch.floor((x - min_q.item()) / step), 0, (2. ** bits - 1))
            y = index * step + min_q.item()
        return y
    lo = torch.amin(x, dim=tuple(dims), keepdim=True)
    delta = torch.amax(x, dim=tuple(dims), keepdim=True) - lo
    step = torch.where(delta > 0, delta, torch.ones_like(delta)) * 2. ** (-bits)
    index = torch.clamp(torch.floor((x - lo) / step), 0, 2. ** bits - 1)
    return torch.where(delta > 0, index * step + lo, x)


def adc_exact(x: torch.Tensor, bits: int, dims: Sequence[int],
              down: bool = False) -> torch.Tensor:
    """ADC of partial sums given as integers in float64 (see module doc): one range per
    slice over ``dims``; returns the lower bin edges, exact (dyadic) in float64.
    ``down``: a value exactly on a bin edge is read in the lower bin (diagnostic)."""
    lo = torch.amin(x, dim=tuple(dims), keepdim=True)
    delta = torch.amax(x, dim=tuple(dims), keepdim=True) - lo
    levels = 2.0 ** bits
    pos = delta > 0
    safe = torch.where(pos, delta, torch.ones_like(delta))
    q = (x - lo) * levels / safe
    idx = (torch.ceil(q) - 1 if down else torch.floor(q)).clamp_(0, levels - 1)
    return torch.where(pos, lo + idx * (safe / levels), x)


def retention(x: torch.Tensor, t: float, v: float, detect: int, target: float,
              lower: torch.Tensor | float | None = None,
              upper: torch.Tensor | float | None = None,
              generator: torch.Generator | None = None) -> torch.Tensor:
    """The wrapper's ``Retention`` (conductance drift ``G0*(t/1s)**(v*sign)``), float32.

    ``lower``/``upper`` default to the tensor's min/max (the wrapper); tensors broadcast
    against ``x`` give one range per slice. ``detect=1``: drift towards
    ``(max-min)*target``; ``detect=0``: a random direction in {-1, 0, +1} per element.
    """
    if lower is None:
        lower = torch.min(x).item()
    if upper is None:
        upper = torch.max(x).item()
    if isinstance(lower, torch.Tensor):
        tgt = ((upper.double() - lower.double()) * target + 1) / 2
        truncate_target = tgt.to(x.dtype)
    else:
        truncate_target = ((upper - lower) * target + 1) / 2
    truncate_x = (x + 1) / 2
    if detect == 1:
        sign = torch.sign(torch.add(torch.zeros_like(x), truncate_target) - truncate_x)
    else:
        where = generator.device if generator is not None else x.device
        sign = torch.randint(-1, 2, x.shape, generator=generator, device=where,
                             dtype=x.dtype).to(x.device)
    ratio = t ** (v * sign)
    return torch.clamp((2 * truncate_x * ratio - 1), lower, upper)


def retention_active(t: float, v: float) -> bool:
    """False where Retention is the identity: ``t**(v*sign) == 1`` for every sign."""
    return not (v == 0 or t == 1)


def adc_shift_add(prod: torch.Tensor, count: torch.Tensor, weight: torch.Tensor, a: float,
                  b: float, amp: float, top: float, eps: float,
                  range_dims: tuple[int, ...]) -> tuple[torch.Tensor, torch.Tensor]:
    """ADC and shift-and-add of a chunk of exact integer partial sums, in one expression
    (what :func:`adc_shift_add_kernel` compiles into two passes over ``prod``).

    The partial sums are ``y = a * prod + b * count`` (float32, exact integers): ``prod``
    ``(R, B, L, K, C)`` -- R = reads x input bits, K digits, C columns -- the products
    ``bits @ digits`` (bfloat16 or float32, exact integers), ``count`` ``(R, B, L, 1, 1)``
    float32 the rows read (the constant ``b`` of every cell), with ADC ranges
    (``max - min`` over ``range_dims``: (2, 4) one range per item, (1, 2, 4) per batch)
    below 2**13. ``weight``: float64 ``(R, 1, 1, K, 1)``, the shift ``2**z * R**k`` of each
    (read, bit, digit); ``amp = 2**ADC``, ``top = amp - 1``, ``eps = +-2**-14``. Per range,
    ``delta = max - min`` (1 when 0) and ``idx = min(floor((y - min) * fl32(amp / delta)
    + eps), top)`` -- the true floor of the bin quotient (``+2**-14``; ``-2**-14``: an exact
    bin edge read in the lower bin), see ``CrossbarModel._crossbar`` -- the float32
    operations of the step-by-step torch path. Returns ``sum_{R,K} weight * idx * delta /
    amp`` ``(B, L, C)`` and ``sum weight * min`` ``(B | 1,)``, both float64 and exact (dyadic
    terms far below 2**53), so equal to the step-by-step path's sums in any order.
    """
    y = prod.float() * a + count * b
    lo = torch.amin(y, dim=range_dims, keepdim=True)
    delta = torch.amax(y, dim=range_dims, keepdim=True) - lo
    delta = torch.where(delta > 0, delta, torch.ones_like(delta))
    idx = torch.floor((y - lo) * (amp / delta) + eps).clamp(0, top)
    acc = (idx.double() * (weight * (delta.double() / amp))).sum(dim=(0, 3))
    lo_sum = (weight * lo.double()).sum(dim=(0, 2, 3, 4)).reshape(-1)
    return acc, lo_sum


def fast_bf16_matmul(device: torch.device) -> bool:
    """True where torch multiplies bfloat16 matrices at least at the float32 rate: CUDA,
    and CPUs whose oneDNN has a bfloat16 kernel (AVX-512 BW/VL/DQ or newer). On AVX2-only
    CPUs torch's bfloat16 ``bmm`` is a scalar fallback, measured 15x slower than float32
    (1.8 vs 27 GFLOP/s on one AMD EPYC core), so callers use float32 there; both are exact
    on the small integers they multiply, so the choice changes only the speed."""
    if device.type != "cpu":
        return True
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def quiet_cuda_home_probe() -> None:
    """Inductor's CPU compile asks ``torch.utils.cpp_extension`` for CUDA_HOME, which logs
    ``No CUDA runtime is found, using CUDA_HOME=...`` on stderr wherever a CUDA toolkit
    (nvcc) is installed without a GPU: noise for a CPU kernel, before any result. Only that
    logger is raised to ERROR, and only when torch sees no CUDA device (the message's own
    condition; a CUDA extension cannot be built then anyway)."""
    if not torch.cuda.is_available():
        logging.getLogger("torch.utils.cpp_extension").setLevel(logging.ERROR)


@functools.cache
def adc_shift_add_kernel() -> object:
    """:func:`adc_shift_add` compiled by ``torch.compile`` (inductor, dynamic shapes; a
    C++ compiler is needed, the compiled code is cached on disk by torch): one pass for
    the ranges, one for the ADC and the weighted sums, instead of ~10 passes of separate
    torch operations. Raises what the compiler raises; callers fall back to the torch
    operations."""
    quiet_cuda_home_probe()
    return torch.compile(adc_shift_add, dynamic=True, fullgraph=True)
