"""The V1.4 wrapper's float32 arithmetic on the full hardware path (``arithmetic=
"wrapper-float32"`` of :class:`~neurosim.accuracy.crossbar.CrossbarModel`).

The wrapper's ADC (``LinearQuantizeOut``, ``floor((x - min)/((max - min)*2**-bits))``)
sees float32 partial sums. About 3 % of them lie exactly on a bin edge, and float32
summation decides on which side (``docs/accuracy.md``, "Exact partial sums"). Measured on
the golden cases (made with torch 2.13 CPU, 1 thread, on an AVX-512 Intel Xeon; the same
wrapper arithmetic re-run with torch 2.11 on an AVX-512 Xeon reproduces every golden
``preact`` checked bit-exactly, while an AVX2 machine does not), the partial sums are
float32 sums of the cell values in these orders:

* ``"onednn"`` -- ``F.conv2d`` through oneDNN's ``jit:avx512_core`` direct convolution
  (input channels in blocks of 16, ``aBcd16b``): per block of 16 input channels a fresh
  sequential sum in channel order, then the block sums added in order;
* ``"im2col"`` -- ``F.conv2d`` on torch's native path (batch 1 and a small input, torch's
  rule for not using oneDNN): im2col and an MKL ``SGEMM(N,N)`` over ``K = Cin*kh*kw`` in
  ``(c, kh, kw)`` order, split into equal blocks (``K = 576``: two blocks of 288, the only
  size measured) each summed sequentially from zero, then added;
* ``"mkl16"`` -- ``F.linear`` (MKL ``SGEMM(T,N)``): 16 lanes by feature index mod 16, each
  summed sequentially, the lanes reduced as ``((l_j + l_{4+j}) + l_{8+j}) + l_{12+j}``
  for ``j < 4``, then ``(s_0 + s_1) + (s_2 + s_3)`` (measured at a batch of 4);
* ``"mkl-gemv"`` -- ``F.linear`` at batch 1 (``SGEMM(T,N)`` with n = 1, another MKL
  kernel): the features below ``km = 16*floor((K-1)/16)`` in 16 lanes by feature index
  mod 16, each summed sequentially, halved pairwise (``l_j + l_{j+8}``, then +4, +2, +1) to
  ``y``; then the last chunk ``[km, K)`` in 16 lanes (feature - km) with ``y`` added to lane
  1 and halved pairwise the same way. Measured at K = 256 only (``km = 240``; how ``km``
  goes for other K is assumed); ``y`` entering lane 9 instead, or lane 1 after the first
  halving, fit the dumps as well.

How it is computed: the partial sums of the float32 cell values are first summed exactly
(float64 holds them exactly); only the elements whose float32 rounding can matter -- those
whose bin quotient is within the float32 error bound of an integer, and the candidates for
each range's minimum and maximum -- are re-summed in the wrapper's order (a scan over the
rows of the read, vectorized over the elements); then the ADC is the wrapper's float32
``LinearQuantizeOut`` per range, and the shift-and-add is the wrapper's float32 one in its
loop order (kernel position, input bit, subarray, digit).

The RGB first layer (Cin = 3, no ADC) is :func:`first_layer_float32`: the wrapper's float32
loop over kernel positions and digits, each masked ``F.conv2d`` being oneDNN's float32 FMA
chain over the 3 input channels in order (:func:`fma32`).
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

ORDERS = ("onednn", "im2col", "mkl16", "mkl-gemv")


def _dummy_levels(levels: list[int], radix: int, upper: float, lower: float) -> list[float]:
    """Dummy-column conductance per digit: the wrapper's ``(R-1)(upper+lower)/2`` (python
    double) for a full digit; for a partial top digit (fix "digits") the mid level of its
    levels above Gmin, as in the exact model."""
    return [(radix - 1) * (upper + lower) / 2 if lv == radix
            else (upper - lower) * (lv - 1) / 2 + (radix - 1) * lower for lv in levels]


def conv_order(bsz: int, cin: int, h: int, w: int, kh: int, kw: int) -> str:
    """torch's CPU choice for a float32 ``F.conv2d`` (oneDNN unless batch 1, a kernel of
    at most 3 in a dimension and fewer than 20481 input elements)."""
    if bsz > 1 or (kh > 3 and kw > 3) or bsz * cin * h * w > 20480:
        return "onednn"
    return "im2col"


def _blocks16(t: torch.Tensor, first: int) -> torch.Tensor:
    """``t`` (E, n) placed at absolute column ``first`` of aligned blocks of 16 (zeros
    around it): (E, blocks, 16)."""
    e, n = t.shape
    off = first % 16
    nb = (off + n + 15) // 16
    buf = t.new_zeros(e, nb * 16)
    buf[:, off:off + n] = t
    return buf.reshape(e, nb, 16)


def _lane_sums(buf: torch.Tensor) -> torch.Tensor:
    """16 float32 lanes, each the sequential sum of its column over the blocks of ``buf``
    (E, blocks, 16)."""
    lanes = buf.new_zeros(buf.shape[0], 16)
    for q in range(buf.shape[1]):
        lanes = lanes + buf[:, q]
    return lanes


def ordered_sum32(terms: torch.Tensor, order: str, first: int, kk: int = 1, tap: int = 0,
                  k_total: int = 0) -> torch.Tensor:
    """float32 sum over the last dim of ``terms`` (E, n) in the given kernel order.
    ``first``: absolute input channel/feature of row 0; ``kk``, ``tap``, ``k_total``:
    im2col layout (kernel positions, this read's position, Cin*kk)."""
    t = terms.to(torch.float32)
    e, n = t.shape
    if order == "onednn":
        buf = _blocks16(t, first)
        nb = buf.shape[1]
        blk = t.new_zeros(e, nb)
        for i in range(16):  # fresh sequential sum per block of 16 channels
            blk = blk + buf[:, :, i]
        tot = t.new_zeros(e)
        for b in range(nb):
            tot = tot + blk[:, b]
        return tot
    if order == "im2col":
        nblk = max(1, math.ceil(k_total / 384))
        kb = math.ceil(k_total / nblk)
        kidx = [(first + r) * kk + tap for r in range(n)]
        tot = t.new_zeros(e)
        cur = t.new_zeros(e)
        cur_b = None
        for r, k in enumerate(kidx):  # rows in channel order; K blocks summed from zero
            b = k // kb
            if b != cur_b:
                if cur_b is not None:
                    tot = tot + cur
                cur = t.new_zeros(e)
                cur_b = b
            cur = cur + t[:, r]
        return tot + cur
    if order == "mkl16":
        buf = _blocks16(t, first)
        lanes = _lane_sums(buf)
        s = ((lanes[:, 0:4] + lanes[:, 4:8]) + lanes[:, 8:12]) + lanes[:, 12:16]
        return (s[:, 0] + s[:, 1]) + (s[:, 2] + s[:, 3])
    if order == "mkl-gemv":
        # main part: features [0, km), km = 16*floor((K-1)/16): 16 lanes by feature mod 16,
        # each summed in order, halved pairwise to y; the last (partial) chunk [km, K) in
        # lanes by feature - km with y added to lane 1, halved pairwise
        km = 16 * ((max(k_total, 1) - 1) // 16)
        ab = torch.arange(first, first + n, device=t.device)
        inm = ab < km
        y = t.new_zeros(e)
        if bool(inm.any()):
            y = _halve16(_lane_sums(_blocks16(t[:, :int(inm.sum())], first)))
        tail = t.new_zeros(e, 16)
        if not bool(inm.all()):
            tail[:, ab[~inm] - km] = t[:, ~inm]
        tail[:, 1] = y + tail[:, 1]
        return _halve16(tail)
    raise ValueError(f"unknown summation order {order!r}")


def _halve16(lanes: torch.Tensor) -> torch.Tensor:
    """float32 sum of 16 lanes halved pairwise: ``l_j + l_{j+8}``, then ``+4``, ``+2``,
    ``+1``."""
    for h in (8, 4, 2, 1):
        lanes = lanes[:, :h] + lanes[:, h:2 * h]
    return lanes[:, 0]


def _lqo32(x: torch.Tensor, bits: int, dims: tuple[int, ...]) -> torch.Tensor:
    """The wrapper's LinearQuantizeOut in float32, one range per slice over ``dims``."""
    lo = torch.amin(x, dim=dims, keepdim=True)
    delta = torch.amax(x, dim=dims, keepdim=True) - lo
    step = delta * 2.0 ** (-bits)  # exact (power of two)
    pos = delta > 0
    safe = torch.where(pos, step, torch.ones_like(step))
    idx = torch.clamp(torch.floor((x - lo) / safe), 0, 2.0 ** bits - 1)
    return torch.where(pos, idx * safe + lo, x)


def _candidates(y: torch.Tensor, bits: int, dims: tuple[int, ...], n_rows: int) -> torch.Tensor:
    """Elements whose float32 rounding can change the ADC output: a bin quotient within
    the float32 error bound of an integer, or a value that can be the range's min/max."""
    lo = torch.amin(y, dim=dims, keepdim=True)
    hi = torch.amax(y, dim=dims, keepdim=True)
    big = torch.amax(y.abs(), dim=dims, keepdim=True)
    err = big * (n_rows + 2) * 2.0 ** -23 + 1e-30  # |float32 sum - exact| bound, generous
    delta = hi - lo
    safe = torch.where(delta > 0, delta, torch.ones_like(delta))
    q = (y - lo) * 2.0 ** bits / safe
    tol = 2.0 ** bits * 4 * err / safe + 1e-9
    near = (q - torch.round(q)).abs() <= tol
    return near | (y <= lo + 2 * err) | (y >= hi - 2 * err)


def wrapper_float32_crossbar(model: Any, p: Any, cols: torch.Tensor, wg: torch.Tensor,
                             valid: torch.Tensor, bsz: int, has_outside: bool,
                             ctx: dict) -> torch.Tensor:
    """Deterministic full-path crossbar with the wrapper's float32 partial sums and ADC;
    same arguments and result as ``CrossbarModel._crossbar`` (``(B, L, cout)`` float64),
    plus ``ctx``: ``order`` (see :data:`ORDERS`), ``firsts`` (absolute first channel of
    each read), ``taps`` (kernel position of each read), ``kk``, ``k_total``."""
    g_all, m, nn_ = cols.shape
    cout = wg.shape[-1]
    nl = m // bsz
    dev = cols.device
    nbits = p.bits_in
    _, levels = model._digits_layout(p)
    kd = len(levels)
    radix = 2 ** p.cell_bits
    r = p.ratio
    upper, lower = 1, 1 / r
    parity = not model.fix_adc_range  # one ADC range over the whole batch

    xcode = model._weight_code(p, wg, valid)
    dig = model._digits(p, xcode, valid, has_outside, None).to(torch.float32)  # (G,nn,K,co)
    # the wrapper's float32 cell values (same torch ops and python scalars)
    cell32 = ((upper - lower) * (dig - 0) + (radix - 1) * lower) * valid[..., None]
    dummy32 = [torch.full((), dv, dtype=torch.float32).item()
               for dv in _dummy_levels(levels, radix, upper, lower)]

    neg = bool((cols < 0).any())
    mag = cols.abs().to(torch.int64)
    sgn = torch.sign(cols).to(torch.float64) if neg else None
    order = ctx["order"]

    model.stats["adc_ranges"] += g_all * nbits * (kd + 1) * (1 if parity else bsz)
    dims = (1, 2, 4) if parity else (2, 4)
    ddims = (1, 2) if parity else (2,)
    shifts = torch.arange(nbits, device=dev)

    def read(g: int) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """ADC outputs (float32) of read g: cells (Z, B, L, K, cout), dummy per digit."""
        first, tap = ctx["firsts"][g], ctx["taps"][g]
        bits = ((mag[g][None] >> shifts[:, None, None]) & 1).to(torch.float64)  # (Z, M, nn)
        if sgn is not None:
            bits = bits * sgn[g][None]
        w64 = cell32[g].double().reshape(nn_, kd * cout)
        y = torch.matmul(bits, w64).reshape(nbits, bsz, nl, kd, cout)  # exact sums
        model.stats["partial_sums"] += y.numel()
        cand = _candidates(y, p.adc_bits, dims, nn_)
        x32 = y.to(torch.float32)
        idx = cand.nonzero(as_tuple=False)  # (E, 5): z, b, l, k, o
        if idx.numel():
            z_, b_, l_, k_, o_ = idx.unbind(1)
            terms = bits[z_, b_ * nl + l_].to(torch.float32) * cell32[g][:, k_, o_].t()
            x32[z_, b_, l_, k_, o_] = ordered_sum32(terms, order, first, ctx["kk"], tap,
                                                    ctx["k_total"])
        q = _lqo32(x32, p.adc_bits, dims)
        # dummy columns: n * dummy_k in float32, one range per (read, bit[, item])
        cnt = bits.sum(-1).reshape(nbits, bsz, nl)
        qd: dict[float, torch.Tensor] = {}
        for lv in sorted(set(dummy32)):
            yd = cnt * lv
            xd = yd.to(torch.float32)
            di = _candidates(yd, p.adc_bits, ddims, nn_).nonzero(as_tuple=False)
            if di.numel():
                z_, b_, l_ = di.unbind(1)
                terms = bits[z_, b_ * nl + l_].to(torch.float32) * lv
                xd[z_, b_, l_] = ordered_sum32(terms, order, first, ctx["kk"], tap,
                                               ctx["k_total"])
            qd[lv] = _lqo32(xd, p.adc_bits, ddims)
        return q, [qd[lv] for lv in dummy32]

    # the wrapper's float32 shift-and-add, in its loop order: kernel position, input bit,
    # subarray, digit
    n_sub = ctx.get("n_sub", 1)
    den = 1 - 1 / r
    output = torch.zeros(bsz, nl, cout, dtype=torch.float32, device=dev)
    for t0 in range(0, g_all, n_sub):
        reads = [read(g) for g in range(t0, t0 + n_sub)]
        out_in = torch.zeros_like(output)
        for z in range(nbits):
            out_p = torch.zeros_like(output)
            for q, qd in reads:
                out_sp = torch.zeros_like(output)
                out_d = torch.zeros(bsz, nl, 1, dtype=torch.float32, device=dev)
                for k in range(kd):
                    sc = radix ** k
                    out_sp = out_sp + q[z, :, :, k] * sc * 2 / den
                    out_d = out_d + qd[k][z][..., None] * sc * 2 / den
                out_p = out_p + (out_sp - out_d)
            out_in = out_in + out_p * 2 ** z
        output = output + out_in / (2 ** nbits)
    return (output / (2 ** p.bits_w)).double()



def fma32(acc: torch.Tensor, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    """float32 ``fma(x, w, acc)`` (one rounding), exactly: the float64 product of two
    float32 is exact, the float64 sum is rounded once more to float32, and where that
    sum sits exactly on a float32 rounding midpoint while its own float64 rounding error
    is nonzero (the double-rounding case), it is moved one float64 ulp towards the true
    sum first."""
    a = acc.double()
    prod = x.double() * w.double()
    s = a + prod
    bb = s - a
    err = (a - (s - bb)) + (prod - bb)  # TwoSum: s + err == a + prod exactly
    f = s.to(torch.float32)
    inf = torch.tensor(float("inf"), dtype=torch.float32, device=f.device)
    other = torch.nextafter(f, torch.where(s > f.double(), inf, -inf))
    mid = (f.double() + other.double()) / 2  # exact in float64
    fix = (s == mid) & (err != 0)
    if bool(fix.any()):
        towards = torch.where(err > 0, inf.double(), -inf.double())
        f = torch.where(fix, torch.nextafter(s, towards).to(torch.float32), f)
    return f


def first_layer_float32(x: torch.Tensor, dig: torch.Tensor, valid: torch.Tensor,
                        levels: list[int], cell_bits: int, ratio: float, bits_w: int,
                        kernel: tuple[int, int], stride: Any, padding: Any, dilation: Any,
                        max_elements: int = 1 << 26) -> torch.Tensor:
    """The wrapper's float32 RGB first layer (Cin = 3 < rows, no ADC): per kernel position
    and weight digit one ``F.conv2d`` of the raw input with the masked cell values (and one
    with the dummy column), scaled and added in float32 in the wrapper's loop order; the
    convolution is oneDNN's (batch > 1, ``jit:avx512_core``): per output a float32 FMA
    chain over the input channels in order, from zero (the masked taps add exact zeros).
    Measured bit-identical (``preact``) on the four golden first-layer cases; plain
    multiply-add, another channel order or a multiply by the reciprocal of ``1-1/r`` are
    not. ``dig``: ``(kh*kw, cin, K, cout)`` weight digits; ``valid``: ``(kh*kw, cin, 1)``.
    Returns ``(B, cout, oh, ow)`` float32 (before the bias)."""
    kh, kw = kernel
    kk, cin, kd, cout = dig.shape
    upper, lower = 1, 1 / ratio
    radix = 2 ** cell_bits
    den = 1 - 1 / ratio
    x32 = x.to(torch.float32)
    bsz, _, h, w = x32.shape
    cell = ((upper - lower) * (dig.to(torch.float32) - 0) + (radix - 1) * lower) \
        * valid[..., None].to(torch.float32)
    dummy32 = [torch.full((1, 1, 1), dv, dtype=torch.float32, device=x.device)
               for dv in _dummy_levels(levels, radix, upper, lower)]
    cols = F.unfold(x32, (kh, kw), dilation=dilation, padding=padding, stride=stride)
    nl = cols.shape[-1]
    cols = cols.reshape(bsz, cin, kk, nl)
    step = max(1, max_elements // max(1, cout * nl))
    outs = []
    for b0 in range(0, bsz, step):
        xc = cols[b0:b0 + step]
        nb = xc.shape[0]
        output = torch.zeros(nb, cout, nl, dtype=torch.float32, device=x.device)
        for t in range(kk):  # kernel position (i, j), row-major as the wrapper
            xs = xc[:, :, t, None, :]  # (nb, cin, 1, L)
            out_p = torch.zeros_like(output)
            out_d = torch.zeros_like(output)
            for k in range(kd):
                part = torch.zeros_like(output)
                dpart = torch.zeros(nb, 1, nl, dtype=torch.float32, device=x.device)
                for c in range(cin):
                    part = fma32(part, xs[:, c], cell[t, c, k][None, :, None])
                    dpart = fma32(dpart, xs[:, c], dummy32[k])
                sc = radix ** k
                out_p = out_p + part * sc * 2 / den
                out_d = out_d + dpart * sc * 2 / den
            out_p = out_p - out_d
            output = output + out_p
        outs.append(output)
    oh = (h + 2 * _pair(padding)[0] - _pair(dilation)[0] * (kh - 1) - 1) // _pair(stride)[0] + 1
    ow = (w + 2 * _pair(padding)[1] - _pair(dilation)[1] * (kw - 1) - 1) // _pair(stride)[1] + 1
    out = torch.cat(outs, 0) / (2 ** bits_w)
    return out.reshape(bsz, cout, oh, ow)


def _pair(v: Any) -> tuple[int, int]:
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))
