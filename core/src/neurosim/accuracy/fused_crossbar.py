"""Fused GPU kernels (Triton) for the exact integer crossbar path of :class:`CrossbarModel`.

The torch path of :meth:`CrossbarModel._crossbar` materializes every partial sum
(read x input bit x digit x row x column), then runs the ADC over them: on a GPU that is
bound by memory traffic (VGG8 at the wrapper's settings: about 3e8 partial sums per image).
These two kernels never write a partial sum to memory. For the exact case only (integer
on/off ratio, no variation or drift, range below 2**13, ADC of at most 8 bits):

1. :func:`_range_kernel`: for every (read g, bit z, digit k) tile, the partial sums
   ``A*S + B*n`` (``S = bits @ digits`` on the tensor cores, fp16 inputs with fp32
   accumulation: exact for integers below 2**24; ``n`` = rows read) and their min/max,
   merged with integer atomics into one range per (g, z, k) -- or per (g, z, k, item) when
   the range is per input item; it also stores ``n`` for the dummy column.
2. :func:`_adc_kernel`: recomputes the same products and applies the ADC
   ``idx = floor((y - min) * fl32(2**bits / (max - min)) + 2**-14)`` -- the same float32
   operations as the torch path, exact by the same argument (see ``_crossbar``) -- and
   accumulates ``(max-min) * idx`` shifted by ``z + cellBit*k`` in int64, exactly.

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
#: the ADC kernel's own tiles and warps (None: the same as above); it holds a float64
#: accumulator tile besides the products, so smaller tiles may avoid register spills
ADC_BLOCK_M: int | None = None
ADC_BLOCK_N: int | None = None
ADC_WARPS: int | None = None
#: reads per output tile split over this many programs (None: enough to fill the GPU)
SPLIT_G: int | None = None


@triton.jit
def _tile(M, COUT, L, BM: tl.constexpr, BN: tl.constexpr):
    """This program's rows and columns, their bounds masks and the input item of each row."""
    rm = tl.program_id(0) * BM + tl.arange(0, BM)
    rn = tl.program_id(1) * BN + tl.arange(0, BN)
    return rm, rn, rm < M, rn < COUT, rm // L


@triton.jit
def _bits(codes_ptr, g, z, k0, rm, mm, M, NN, BK: tl.constexpr):
    """Input bit z of rows rm, subarray rows k0..k0+BK of read g (fp16 0/1), and how many
    rows each row of rm reads."""
    kk = k0 + tl.arange(0, BK)
    c = tl.load(codes_ptr + (g * M + rm[:, None]).to(tl.int64) * NN + kk[None, :],
                mask=mm[:, None] & (kk < NN)[None, :], other=0)
    bits = ((c.to(tl.int32) >> z) & 1).to(tl.float16)
    return bits, tl.sum(bits.to(tl.float32), axis=1)


@triton.jit
def _digit(dig_ptr, g, k, k0, rn, mn, NN, COUT, KD: tl.constexpr, BK: tl.constexpr):
    """Digit k of the weights of subarray rows k0..k0+BK of read g, columns rn (fp16)."""
    kk = k0 + tl.arange(0, BK)
    return tl.load(dig_ptr + ((g * KD + k) * NN + kk[:, None]) * COUT + rn[None, :],
                   mask=(kk < NN)[:, None] & mn[None, :], other=0.0)


@triton.jit
def _dot(codes_ptr, dig_ptr, bits, n, g, z, k, rm, rn, mm, mn, M, NN, COUT,
         KD: tl.constexpr, ONE: tl.constexpr, BK: tl.constexpr, BM: tl.constexpr,
         BN: tl.constexpr):
    """``S = bits @ digits`` of read g, bit z, digit k (fp32, exact integers) and the rows
    read; with ONE (a read fits one K block) ``bits``/``n`` are given."""
    if ONE:
        s = tl.dot(bits, _digit(dig_ptr, g, k, 0, rn, mn, NN, COUT, KD, BK))
    else:
        s = tl.zeros((BM, BN), dtype=tl.float32)
        n = tl.zeros((BM,), dtype=tl.float32)
        for k0 in range(0, NN, BK):
            b, nb = _bits(codes_ptr, g, z, k0, rm, mm, M, NN, BK)
            s += tl.dot(b, _digit(dig_ptr, g, k, k0, rn, mn, NN, COUT, KD, BK))
            n += nb
    return s, n


@triton.jit
def _range_kernel(codes_ptr, dig_ptr, lo_ptr, hi_ptr, cnt_ptr, M, NN, COUT, L, NB, A, B,
                  Z: tl.constexpr, KD: tl.constexpr, PER_ITEM: tl.constexpr,
                  ONE: tl.constexpr, EVEN_N: tl.constexpr, BM: tl.constexpr,
                  BN: tl.constexpr, BK: tl.constexpr):
    rm, rn, mm, mn, item = _tile(M, COUT, L, BM, BN)
    g = tl.program_id(2)
    for z in range(Z):
        bits, n = _bits(codes_ptr, g, z, 0, rm, mm, M, NN, BK)  # used when ONE
        for k in range(KD):
            s, n = _dot(codes_ptr, dig_ptr, bits, n, g, z, k, rm, rn, mm, mn, M, NN, COUT,
                        KD, ONE, BK, BM, BN)
            ps = A * s + (B * n)[:, None]  # the partial sums
            if EVEN_N:
                rmin = tl.min(ps, axis=1)
                rmax = tl.max(ps, axis=1)
            else:
                rmin = tl.min(tl.where(mn[None, :], ps, 2.0e9), axis=1)
                rmax = tl.max(tl.where(mn[None, :], ps, -2.0e9), axis=1)
            slot = (g * Z + z) * KD + k
            if PER_ITEM:  # per-row atomics (same-item rows share an address)
                tl.atomic_min(lo_ptr + slot * NB + item, rmin.to(tl.int32), mask=mm)
                tl.atomic_max(hi_ptr + slot * NB + item, rmax.to(tl.int32), mask=mm)
            else:
                tl.atomic_min(lo_ptr + slot, tl.min(tl.where(mm, rmin, 2.0e9)).to(tl.int32))
                tl.atomic_max(hi_ptr + slot, tl.max(tl.where(mm, rmax, -2.0e9)).to(tl.int32))
        first_n = tl.program_id(1) == 0
        tl.store(cnt_ptr + (g * Z + z) * M + rm, n.to(tl.int32), mask=mm & first_n)


@triton.jit
def _adc_kernel(codes_ptr, dig_ptr, lo_ptr, inv_ptr, wgt_ptr, out_ptr, G, M, NN, COUT, L,
                NB, A, B, TOP, Z: tl.constexpr, KD: tl.constexpr, PER_ITEM: tl.constexpr,
                ONE: tl.constexpr, SPLIT: tl.constexpr, BM: tl.constexpr, BN: tl.constexpr,
                BK: tl.constexpr):
    rm, rn, mm, mn, item = _tile(M, COUT, L, BM, BN)
    acc = tl.zeros((BM, BN), dtype=tl.float64)
    for g in range(tl.program_id(2), G, SPLIT):
        for z in range(Z):
            bits, n = _bits(codes_ptr, g, z, 0, rm, mm, M, NN, BK)  # used when ONE
            for k in range(KD):
                s, n = _dot(codes_ptr, dig_ptr, bits, n, g, z, k, rm, rn, mm, mn, M, NN,
                            COUT, KD, ONE, BK, BM, BN)
                slot = (g * Z + z) * KD + k
                if PER_ITEM:
                    at = slot * NB + item
                    lo = tl.load(lo_ptr + at, mask=mm, other=0).to(tl.float32)
                    inv = tl.load(inv_ptr + at, mask=mm, other=0.0)[:, None]
                    wgt = tl.load(wgt_ptr + at, mask=mm, other=0.0)[:, None]
                else:
                    lo = tl.load(lo_ptr + slot).to(tl.float32)
                    inv = tl.load(inv_ptr + slot)
                    wgt = tl.load(wgt_ptr + slot)
                t = A * s + (B * n - lo)[:, None]  # partial sum - min: exact, >= 0
                idx = tl.minimum(tl.floor(t * inv + 0.00006103515625), TOP)  # + 2**-14
                acc += idx.to(tl.float64) * wgt  # exact: integers below 2**53
    ptrs = out_ptr + rm[:, None].to(tl.int64) * COUT + rn[None, :]
    if SPLIT == 1:
        tl.store(ptrs, acc, mask=mm[:, None] & mn[None, :])
    else:  # exact sums: the order of the atomic adds does not matter
        tl.atomic_add(ptrs, acc, mask=mm[:, None] & mn[None, :])


def exact_bound_ok(g_all: int, nbits: int, kd: int, cell_bits: int, adc_bits: int,
                   bound: float) -> bool:
    """Whether the float64 accumulator holds every sum exactly: terms are below
    ``2**adc_bits * bound * 2**(nbits - 1 + cell_bits*(kd - 1))``, ``g_all*nbits*kd`` of
    them."""
    top = 2.0 ** adc_bits * bound * 2.0 ** (nbits - 1 + cell_bits * (kd - 1))
    return top * g_all * nbits * kd < 2.0 ** 53


def fused_crossbar(codes: torch.Tensor, digits: torch.Tensor, a: int, b: int, nbits: int,
                   adc_bits: int, cell_bits: int, bsz: int, per_item: bool
                   ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Shift-added ADC outputs of every cell column, without materializing partial sums.

    ``codes``: input magnitudes ``(G, M, NN)`` uint8 (M = bsz * L rows, item-major);
    ``digits``: weight digits ``(G, KD, NN, COUT)`` fp16 (a cell is ``a*d + b``, integers).
    Returns ``(acc, lo, cnt)``: ``acc (M, COUT)`` float64 = ``sum_{g,z,k} 2**(z +
    cellBit*k) * (max-min) * idx`` (exact; divide by ``2**adc_bits`` for the quantized sums
    above the minima), the range minima ``lo (G, Z, KD[, bsz])`` int32 and the rows read
    ``cnt (G, Z, M)`` int32.
    """
    g_all, m, nn_ = codes.shape
    kd, cout = digits.shape[1], digits.shape[3]
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
    one = nn_ <= bk
    grid = (triton.cdiv(m, BLOCK_M), triton.cdiv(cout, bn))
    _range_kernel[grid + (g_all,)](codes, digits, lo, hi, cnt, m, nn_, cout, nl, nb, a, b,
                                   Z=nbits, KD=kd, PER_ITEM=per_item, ONE=one,
                                   EVEN_N=cout % bn == 0, BM=BLOCK_M, BN=bn, BK=bk,
                                   num_warps=NUM_WARPS)
    delta = hi - lo
    delta = torch.where(delta > 0, delta, torch.ones_like(delta))
    inv = float(2 ** adc_bits) / delta.to(torch.float32)  # the torch path's fl32(amp/delta)
    shifts = (torch.arange(nbits, device=dev)[:, None]
              + cell_bits * torch.arange(kd, device=dev)[None, :]).double()
    shifts = shifts.reshape((1, nbits, kd) + ((1,) if per_item else ()))
    wgt = delta.double() * torch.exp2(shifts)  # (max-min) * 2**(z + cellBit*k)
    # enough programs to fill the GPU: split the reads over programs for few tiles
    sms = (torch.cuda.get_device_properties(dev).multi_processor_count
           if dev.type == "cuda" else 8)
    am = ADC_BLOCK_M or BLOCK_M
    an = min(ADC_BLOCK_N or BLOCK_N, bn)
    grid = (triton.cdiv(m, am), triton.cdiv(cout, an))
    split = SPLIT_G or max(1, min(g_all, (2 * sms) // (grid[0] * grid[1])))
    out = (torch.zeros if split > 1 else torch.empty)((m, cout), dtype=torch.float64,
                                                      device=dev)
    _adc_kernel[grid + (split,)](codes, digits, lo, inv, wgt.contiguous(), out, g_all, m, nn_,
                                 cout, nl, nb, a, b, float(2 ** adc_bits - 1), Z=nbits,
                                 KD=kd, PER_ITEM=per_item, ONE=one, SPLIT=split, BM=am,
                                 BN=an, BK=bk, num_warps=ADC_WARPS or NUM_WARPS)
    return out, lo, cnt
