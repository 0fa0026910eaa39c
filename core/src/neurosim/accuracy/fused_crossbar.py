"""Fused GPU kernels (Triton) for the exact integer crossbar path of :class:`CrossbarModel`.

The torch path of :meth:`CrossbarModel._crossbar` materializes every partial sum
(read x input bit x digit x row x column), then runs the ADC over them: on a GPU that is
bound by memory traffic (VGG8 at the wrapper's settings: about 3e8 partial sums per image).
These two kernels never write a partial sum to memory. For the exact case only (integer
on/off ratio, no variation or drift, range below 2**13, ADC of at most 8 bits):

1. :func:`_range_kernel`: for every (read g, bit z, digit k) tile, ``S = bits @ digits``
   on the tensor cores (fp16 inputs with fp32 accumulation: exact for integers below
   2**24); the partial sums are ``A*S + B*n`` (``n`` = rows read, ``A >= 0``), so the row
   extremes of ``S`` give their min/max, merged with integer atomics into one range per
   (g, z, k) -- or per (g, z, k, item) when the range is per input item; it also stores
   ``n`` for the dummy column and the ADC kernel.
2. :func:`_adc_kernel`: recomputes the same products and applies the ADC
   ``idx = floor((y - min) * fl32(2**bits / (max - min)) + 2**-14)``, clamped to
   ``2**bits - 1``: the true floor of the bin quotient, by the argument in ``_crossbar``
   (the computed quotient is within 2**-15 of the true one, a non-integer quotient is more
   than 2**-13 below the next integer). The kernel takes it as
   ``round(quotient + 2**-14 - 0.5)`` by adding 1.5 * 2**23 in float32 and reading the low
   bits of the sum's bit pattern: plain float32 adds, no rounding or conversion
   instruction (those run at an eighth of the float32 rate). Exact: with ``q`` the true
   quotient, ``u = fl(t*inv + 2**-14 - 0.5)`` (fused or not) lies strictly between
   ``q - 0.5`` and ``q - 0.5 + 2**-13`` (the product within 2**-15 of ``q``, the add
   rounded by at most 2**-17), so its nearest integer is ``floor(q)``, never a tie; and
   ``u + 1.5 * 2**23`` lands in [2**23, 2**24), where float32 spacing is 1, so that add
   rounds ``u`` to it exactly. ``idx * (max-min) *
   2**(cellBit*k)`` is summed over the digits in int32 (exact: checked by
   :func:`exact_bound_ok`; the 1.5 * 2**23 offsets are subtracted once, modulo 2**32),
   then shifted by ``2**z`` and summed over bits and reads in float64, exactly.

So the result is bit-identical to the torch path (and CPU and CUDA agree). The host adds the
range minima and the dummy column. ``TRITON_INTERPRET=1`` runs the same kernels on the CPU
(slowly), which is how the test suite checks them without a GPU.
"""

from __future__ import annotations

import torch
import triton
import triton.language as tl

#: tile sizes (rows x columns x subarray rows per tensor-core product) and warps
BLOCK_M, BLOCK_N, BLOCK_K = 64, 128, 128
NUM_WARPS = 4
#: the ADC kernel's own tiles and warps (None: the same as above); it holds a float64 and
#: an int32 accumulator tile besides the products: 8 warps keep a 64 x 128 tile in
#: registers (4 warps spill, per ``ptxas`` for sm_90)
ADC_BLOCK_M: int | None = None
ADC_BLOCK_N: int | None = None
ADC_WARPS: int | None = 8
#: reads per output tile split over this many programs (None: enough to fill the GPU)
SPLIT_G: int | None = None
#: register caps per thread on sm_90 and later (ptxas ``maxnreg``; None: the compiler's
#: choice, as on older GPUs). 168 lets three range programs share an SM without spills
#: (175 and two otherwise; on sm_80 the cap spills); ``benchmarks/fused_sass.py`` shows
#: what a cap costs
MAXNREG: int | None = 168
ADC_MAXNREG: int | None = None
#: the range kernel's products on int8 tensor cores (twice the fp16 rate, half the bytes
#: of weight digits; sm_80 and later), else fp16 as in the ADC kernel
RANGE_INT8 = True


@triton.jit
def _tile(M, COUT, L, BM: tl.constexpr, BN: tl.constexpr):
    """This program's rows and columns, their bounds masks and the input item of each row."""
    rm = tl.program_id(0) * BM + tl.arange(0, BM)
    rn = tl.program_id(1) * BN + tl.arange(0, BN)
    return rm, rn, rm < M, rn < COUT, rm // L


@triton.jit
def _bits(codes_ptr, g, z, k0, rm, mm, M, NN, BK: tl.constexpr, I8: tl.constexpr,
          SIGNED: tl.constexpr):
    """Input bit z of rows rm, subarray rows k0..k0+BK of read g -- int8 0/+-1 with I8, else
    fp16 0/+-1 written as bit patterns (0x3C00 is 1.0, 0x8000 the sign: integer
    operations, no conversion instruction) -- and the signed count of rows read per row
    (int32). Codes are uint8 magnitudes, or int16 sign times magnitude with SIGNED."""
    kk = k0 + tl.arange(0, BK)
    c = tl.load(codes_ptr + (g * M + rm[:, None]).to(tl.int64) * NN + kk[None, :],
                mask=mm[:, None] & (kk < NN)[None, :], other=0).to(tl.int32)
    if SIGNED:
        neg = (c < 0).to(tl.int32)
        b = (tl.abs(c) >> z) & 1
        sb = b - 2 * (b & neg)
        if I8:
            bits = sb.to(tl.int8)
        else:  # int32 -> int16 keeps the low 16 bits: 0x3C00 + 0x8000 is -1.0
            bits = (b * 0x3C00 + (b & neg) * 0x8000).to(tl.int16).to(tl.float16,
                                                                      bitcast=True)
        return bits, tl.sum(sb, axis=1)
    b = (c >> z) & 1
    if I8:
        bits = b.to(tl.int8)
    else:
        bits = (b * 0x3C00).to(tl.int16).to(tl.float16, bitcast=True)
    return bits, tl.sum(b, axis=1)


@triton.jit
def _digit(dig_ptr, g, k, k0, rn, mn, NN, COUT, KD: tl.constexpr, BK: tl.constexpr,
           I8: tl.constexpr):
    """Digit k of the weights of subarray rows k0..k0+BK of read g, columns rn: int8 digits
    are stored ``(G, KD, COUT, NN)`` (rows contiguous, as the int8 tensor-core products
    read them), fp16 digits ``(G, KD, NN, COUT)``."""
    kk = k0 + tl.arange(0, BK)
    if I8:
        at = ((g * KD + k) * COUT + rn[None, :]) * NN + kk[:, None]
    else:
        at = ((g * KD + k) * NN + kk[:, None]) * COUT + rn[None, :]
    return tl.load(dig_ptr + at, mask=(kk < NN)[:, None] & mn[None, :], other=0)


@triton.jit
def _dot(codes_ptr, dig_ptr, bits, n, g, z, k, rm, rn, mm, mn, M, NN, COUT,
         KD: tl.constexpr, ONE: tl.constexpr, BK: tl.constexpr, BM: tl.constexpr,
         BN: tl.constexpr, I8: tl.constexpr, SIGNED: tl.constexpr):
    """``S = bits @ digits`` of read g, bit z, digit k (exact integers: int32 with I8 and
    int8 digits, else fp32 from fp16) and the rows read; with ONE (a read fits one K block)
    ``bits``/``n`` are given."""
    if ONE:
        if I8:
            s = tl.dot(bits, _digit(dig_ptr, g, k, 0, rn, mn, NN, COUT, KD, BK, I8),
                       out_dtype=tl.int32)
        else:
            s = tl.dot(bits, _digit(dig_ptr, g, k, 0, rn, mn, NN, COUT, KD, BK, I8))
    else:
        if I8:
            s = tl.zeros((BM, BN), dtype=tl.int32)
        else:
            s = tl.zeros((BM, BN), dtype=tl.float32)
        n = tl.zeros((BM,), dtype=tl.int32)
        for k0 in range(0, NN, BK):
            b, nb = _bits(codes_ptr, g, z, k0, rm, mm, M, NN, BK, I8, SIGNED)
            d = _digit(dig_ptr, g, k, k0, rn, mn, NN, COUT, KD, BK, I8)
            if I8:  # Triton 3.6 asserts on int8 products into an int32 accumulator
                s = tl.dot(b, d, s, out_dtype=tl.int32)  # unless out_dtype says so
            else:
                s = tl.dot(b, d, s)
            n += nb
    return s, n


@triton.jit
def _range_kernel(codes_ptr, dig_ptr, lo_ptr, hi_ptr, cnt_ptr, M, NN, COUT, L, NB, A, B,
                  Z: tl.constexpr, KD: tl.constexpr, KP: tl.constexpr,
                  PER_ITEM: tl.constexpr, ONE: tl.constexpr, EVEN_N: tl.constexpr,
                  BM: tl.constexpr, BN: tl.constexpr, BK: tl.constexpr, I8: tl.constexpr,
                  SIGNED: tl.constexpr):
    rm, rn, mm, mn, item = _tile(M, COUT, L, BM, BN)
    g = tl.program_id(2)
    kc = tl.arange(0, KP)  # digits, padded to a power of two
    for z in range(Z):
        bits, n = _bits(codes_ptr, g, z, 0, rm, mm, M, NN, BK, I8, SIGNED)  # if ONE
        # every digit's row extremes, sent with one pair of atomics per bit (sent per
        # digit, they went through shared memory with barriers)
        lo_k = tl.full((BM, KP), 2 ** 31 - 1, tl.int32)
        hi_k = tl.full((BM, KP), -2 ** 31, tl.int32)
        for k in range(KD):
            s, n = _dot(codes_ptr, dig_ptr, bits, n, g, z, k, rm, rn, mm, mn, M, NN, COUT,
                        KD, ONE, BK, BM, BN, I8, SIGNED)
            # the partial sums are A*S + B*n with A >= 0: the row extremes of S suffice
            if EVEN_N:
                smin = tl.min(s, axis=1)
                smax = tl.max(s, axis=1)
            else:
                smin = tl.min(tl.where(mn[None, :], s, 1 << 30), axis=1)
                smax = tl.max(tl.where(mn[None, :], s, -(1 << 30)), axis=1)
            bn = B * n
            lo_k = tl.where(kc[None, :] == k, ((A * smin).to(tl.int32) + bn)[:, None], lo_k)
            hi_k = tl.where(kc[None, :] == k, ((A * smax).to(tl.int32) + bn)[:, None], hi_k)
        slot = (g * Z + z) * KD + kc
        # relaxed atomics: only the values after the kernel matter, and the default
        # (acq_rel) puts a GPU-wide fence and an L1 invalidation around every one
        if PER_ITEM:  # per-row atomics (same-item rows share an address)
            at = slot[None, :] * NB + item[:, None]
            ok = mm[:, None] & (kc < KD)[None, :]
            tl.atomic_min(lo_ptr + at, lo_k, mask=ok, sem="relaxed")
            tl.atomic_max(hi_ptr + at, hi_k, mask=ok, sem="relaxed")
        else:
            lo_b = tl.min(tl.where(mm[:, None], lo_k, 2 ** 31 - 1), axis=0)
            hi_b = tl.max(tl.where(mm[:, None], hi_k, -2 ** 31), axis=0)
            tl.atomic_min(lo_ptr + slot, lo_b, mask=kc < KD, sem="relaxed")
            tl.atomic_max(hi_ptr + slot, hi_b, mask=kc < KD, sem="relaxed")
        first_n = tl.program_id(1) == 0
        tl.store(cnt_ptr + (g * Z + z) * M + rm, n, mask=mm & first_n)


@triton.jit
def _adc_kernel(codes_ptr, dig_ptr, cnt_ptr, lo_ptr, inv_ptr, wgt_ptr, out_ptr, G, M, NN,
                COUT, L, NB, A, B, TOP_BITS, Z: tl.constexpr, KD: tl.constexpr,
                PER_ITEM: tl.constexpr, ONE: tl.constexpr, SPLIT: tl.constexpr,
                BM: tl.constexpr, BN: tl.constexpr, BK: tl.constexpr,
                SIGNED: tl.constexpr):
    rm, rn, mm, mn, item = _tile(M, COUT, L, BM, BN)
    acc = tl.zeros((BM, BN), dtype=tl.float64)
    for g in range(tl.program_id(2), G, SPLIT):
        for z in range(Z):
            bits, n = _bits(codes_ptr, g, z, 0, rm, mm, M, NN, BK, False, SIGNED)
            bn = B * tl.load(cnt_ptr + (g * Z + z) * M + rm, mask=mm, other=0)
            acc_z = tl.zeros((BM, BN), dtype=tl.int32)  # sum_k (idx + ROUND) * w, mod 2**32
            w_sum = tl.zeros((BM,), dtype=tl.int32)
            for k in range(KD):
                # this digit's range values first: their loads wait behind the products
                slot = (g * Z + z) * KD + k
                if PER_ITEM:
                    at = slot * NB + item
                    lo = tl.load(lo_ptr + at, mask=mm, other=0)
                    inv = tl.load(inv_ptr + at, mask=mm, other=0.0)[:, None]
                    w = tl.load(wgt_ptr + at, mask=mm, other=0)
                    w2 = w[:, None]
                else:
                    lo = tl.load(lo_ptr + slot)
                    inv = tl.load(inv_ptr + slot)
                    w = tl.load(wgt_ptr + slot)
                    w2 = w
                s, n = _dot(codes_ptr, dig_ptr, bits, n, g, z, k, rm, rn, mm, mn, M, NN,
                            COUT, KD, ONE, BK, BM, BN, False, SIGNED)
                t = A * s + (bn - lo).to(tl.float32)[:, None]  # partial sum - min, exact
                # round(t*inv + 2**-14 - 0.5) = floor(t*inv + 2**-14): adding 1.5*2**23
                # leaves the rounded value in the low bits of the float32 pattern
                r = ((t * inv + -0.49993896484375) + 12582912.0).to(tl.int32, bitcast=True)
                acc_z += tl.minimum(r, TOP_BITS) * w2
                w_sum += w
            acc += (acc_z - 0x4B400000 * w_sum[:, None]).to(tl.float64) * (1 << z)
    ptrs = out_ptr + rm[:, None].to(tl.int64) * COUT + rn[None, :]
    if SPLIT == 1:
        tl.store(ptrs, acc, mask=mm[:, None] & mn[None, :])
    else:  # exact sums: the order of the atomic adds does not matter
        tl.atomic_add(ptrs, acc, mask=mm[:, None] & mn[None, :], sem="relaxed")


def exact_bound_ok(g_all: int, nbits: int, kd: int, cell_bits: int, adc_bits: int,
                   bound: float) -> bool:
    """Whether the kernels' sums are exact, for partial-sum ranges up to ``bound``: per
    (read, bit), ``sum_k idx * range * 2**(cellBit*k)`` below 2**31 (int32), and the total
    over reads, bits and digits, ``g_all*nbits*kd`` terms below ``2**adc_bits * bound *
    2**(nbits - 1 + cellBit*(kd - 1))``, below 2**53 (float64)."""
    per_bit = (2.0 ** adc_bits - 1) * bound * sum(2.0 ** (cell_bits * k) for k in range(kd))
    top = 2.0 ** adc_bits * bound * 2.0 ** (nbits - 1 + cell_bits * (kd - 1))
    return per_bit < 2.0 ** 31 and top * g_all * nbits * kd < 2.0 ** 53


def fused_crossbar(codes: torch.Tensor, digits: torch.Tensor, a: int, b: int, nbits: int,
                   adc_bits: int, cell_bits: int, bsz: int, per_item: bool
                   ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Shift-added ADC outputs of every cell column, without materializing partial sums.

    ``codes``: input magnitudes ``(G, M, NN)`` uint8 (M = bsz * L rows, item-major), or
    int16 sign times magnitude for signed inputs (bits of value -1, 0 or 1);
    ``digits``: weight digits ``(G, KD, NN, COUT)`` fp16 (a cell is ``a*d + b``, integers).
    Returns ``(acc, lo, cnt)``: ``acc (M, COUT)`` float64 = ``sum_{g,z,k} 2**(z +
    cellBit*k) * (max-min) * idx`` (exact; divide by ``2**adc_bits`` for the quantized sums
    above the minima), the range minima ``lo (G, Z, KD[, bsz])`` int32 and the rows read
    ``cnt (G, Z, M)`` int32. The caller checks :func:`exact_bound_ok`.
    """
    g_all, m, nn_ = codes.shape
    kd, cout = digits.shape[1], digits.shape[3]
    signed = codes.dtype == torch.int16
    nl = m // bsz
    nb = bsz if per_item else 1
    dev = codes.device
    shape = (g_all, nbits, kd) + ((bsz,) if per_item else ())
    lo = torch.full(shape, 2 ** 31 - 1, dtype=torch.int32, device=dev)
    hi = torch.full(shape, -2 ** 31, dtype=torch.int32, device=dev)
    cnt = torch.empty((g_all, nbits, m), dtype=torch.int32, device=dev)
    codes = codes.contiguous()
    digits = digits.contiguous()
    bk = min(BLOCK_K, max(16, triton.next_power_of_2(nn_)))
    bn = min(BLOCK_N, max(16, triton.next_power_of_2(cout)))
    cuda = dev.type == "cuda"
    cap = torch.cuda.get_device_capability(dev) if cuda else (0, 0)
    hopper = cuda and cap[0] >= 9
    i8 = RANGE_INT8 and (cap >= (8, 0) or not cuda)  # int8 tensor cores: sm_80 and later
    bk_r = max(bk, 32) if i8 else bk  # int8 products take K blocks of 32
    grid = (triton.cdiv(m, BLOCK_M), triton.cdiv(cout, bn))
    dig_r = digits.to(torch.int8).transpose(2, 3).contiguous() if i8 else digits
    _range_kernel[grid + (g_all,)](codes, dig_r, lo, hi, cnt, m, nn_, cout, nl, nb, a, b,
                                   Z=nbits, KD=kd, KP=triton.next_power_of_2(kd),
                                   PER_ITEM=per_item, ONE=nn_ <= bk_r,
                                   EVEN_N=cout % bn == 0, BM=BLOCK_M, BN=bn, BK=bk_r,
                                   I8=i8, SIGNED=signed, num_warps=NUM_WARPS,
                                   maxnreg=MAXNREG if hopper else None)
    delta = hi - lo
    delta = torch.where(delta > 0, delta, torch.ones_like(delta))
    inv = float(2 ** adc_bits) / delta.to(torch.float32)  # the torch path's fl32(amp/delta)
    radix_k = (2 ** cell_bits) ** torch.arange(kd, device=dev, dtype=torch.int32)
    wgt = delta * radix_k.reshape((1, 1, kd) + ((1,) if per_item else ()))
    # enough programs to fill the GPU: split the reads over programs for few tiles
    sms = torch.cuda.get_device_properties(dev).multi_processor_count if cuda else 8
    am = ADC_BLOCK_M or BLOCK_M
    an = min(ADC_BLOCK_N or BLOCK_N, bn)
    grid = (triton.cdiv(m, am), triton.cdiv(cout, an))
    split = SPLIT_G or max(1, min(g_all, (2 * sms) // (grid[0] * grid[1])))
    out = (torch.zeros if split > 1 else torch.empty)((m, cout), dtype=torch.float64,
                                                      device=dev)
    # the float32 bit pattern of 1.5 * 2**23 + (2**bits - 1): the clamp of the ADC index
    top_bits = 0x4B400000 + 2 ** adc_bits - 1
    _adc_kernel[grid + (split,)](codes, digits, cnt, lo, inv, wgt.contiguous(), out, g_all, m,
                                 nn_, cout, nl, nb, a, b, top_bits, Z=nbits, KD=kd,
                                 PER_ITEM=per_item, ONE=nn_ <= bk, SPLIT=split, BM=am, BN=an,
                                 BK=bk, SIGNED=signed, num_warps=ADC_WARPS or NUM_WARPS,
                                 maxnreg=ADC_MAXNREG if hopper else None)
    return out, lo, cnt
