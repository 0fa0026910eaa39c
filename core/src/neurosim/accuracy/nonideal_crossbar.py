"""The crossbar paths with the non-idealities of :mod:`neurosim.accuracy.nonideal` on.

Used by :class:`~neurosim.accuracy.crossbar.CrossbarModel` only when a setting is off its
default (``NonIdealities.active()``); otherwise V1.4's model runs unchanged, bit for bit.

Full path (bit-serial, per-read ADC), per layer:

1. the programmed array: weight digits ``d`` (and the reference column's mid-level digit,
   one reference cell per row and digit) -> stuck-at faults (digit 0 or ``levels-1``,
   fixed) -> conductance ``c(d)`` (linear or ``mem_states``) -> device-to-device draws
   (fixed): ``c (1 + s_v z)`` for ``variation``, ``c + sigma_state z`` for a
   ``mem_states`` std;
2. each read applies ``dac_bits`` input bits: digits ``v_z`` of the input code in base
   ``2**dac_bits``, weighted ``2**(dac_bits z)``;
3. partial sums ``P = v @ c`` for the cell columns and the reference column, and per read
   the cycle-to-cycle part: every cell read as ``c (1 + s N)`` independently, so the sum is
   exactly Gaussian: ``P + sqrt(s^2 (v^2 @ c^2) + v^2 @ sigma_c2c^2) N(0,1)`` (s^2 =
   ``(1+read_noise^2)(1+s_v^2)-1`` with c2c variation);
4. the ADC (V1.4's dynamic range, separately for the cell and the reference columns), then
   ADC output noise on the level index, then shift-and-add of cells minus reference.

V1.4's ``variation`` redrawn per call (``per_call``) and random-direction drift keep their
per-(read, bit) redraw. Partial sums are float64 (exact integers when nothing is continuous:
stuck-at faults and DAC precision alone give exact, device-independent results).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F

from .nonideal import NonIdealities
from .nonideal_ops import (
    CellMap,
    adc_output_noise,
    apply_stuck,
    fixed_generator,
    randn,
    read_sigma2,
    stuck_masks,
)
from .quant import retention_active


@dataclass
class Programmed:
    """The fixed part of one layer's array (shape ``(G, nn, K, cout+1)``; the last column is
    the reference cell of each row and digit)."""

    masks: tuple[torch.Tensor, torch.Tensor] | None
    z_var: torch.Tensor | None  # fixed N(0,1) for d2d variation
    z_mem: torch.Tensor | None  # fixed N(0,1) for d2d mem_states std
    cells: torch.Tensor | None  # the conductances, when nothing is redrawn per read


class NonIdealLayer:
    """One layer call's settings: the resolved modes and the cell map."""

    def __init__(self, model: Any, p: Any, ni: NonIdealities, levels: list[int]) -> None:
        self.model, self.p, self.ni = model, p, ni
        self.levels = levels
        self.cmap = CellMap.build(p.cell_bits, p.ratio, ni)
        self.vmode = ni.mode_for(p.vari)
        self.mmode = "d2d" if ni.variation_mode == "auto" else ni.variation_mode
        self.s2 = read_sigma2(ni, p.vari, self.vmode)
        self.mem_c2c = ni.mem_std and self.mmode == "c2c"
        self.random_drift = retention_active(p.t, p.v) and p.detect != 1
        self.per_unit = ((p.vari > 0 and self.vmode == "per_call") or self.random_drift
                         or (ni.mem_std and self.mmode == "per_call"))
        self.noisy = self.s2 > 0 or self.mem_c2c

    @property
    def ratio(self) -> float:
        return self.cmap.ratio

    # ---- the programmed array ------------------------------------------------------------
    def program(self, shape: tuple, device: torch.device, layer: str) -> Programmed:
        """Fixed draws for an array of ``shape`` (seeded by the model's seed and ``layer``)."""
        seed, ni, p = self.model.seed, self.ni, self.p
        masks = stuck_masks(shape, ni, fixed_generator(seed, layer, "stuck"), device)
        z_var = z_mem = None
        if p.vari > 0 and self.vmode == "d2d":
            z_var = randn(shape, fixed_generator(seed, layer, "d2d"), device)
        if ni.mem_std and self.mmode == "d2d":
            z_mem = randn(shape, fixed_generator(seed, layer, "mem"), device)
        return Programmed(masks, z_var, z_mem, None)

    def cells(self, digits: torch.Tensor, prog: Programmed, sl: slice,
              gen: torch.Generator | None) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Conductances ``(..., nn, K, cout+1)`` of weight digits ``(..., nn, K, cout)`` and
        their per-read variance (or None); ``sl``: the row groups of the fixed draws."""
        p, ni, cm = self.p, self.ni, self.cmap
        dev = digits.device
        ref = torch.tensor([cm.dummy_digit(lv) for lv in self.levels], dtype=digits.dtype,
                           device=dev).reshape(-1, 1)
        ext = torch.cat([digits, ref.expand(*digits.shape[:-1], 1)], dim=-1)
        top = torch.tensor([lv - 1 for lv in self.levels], dtype=digits.dtype,
                           device=dev).reshape(-1, 1)
        if prog.masks is not None:
            masks = tuple(m[sl] if digits.dim() == 4 else m[sl, None] for m in prog.masks)
            ext = apply_stuck(ext, masks, top)
        c = cm.value(ext)
        fixed = (lambda t: t[sl] if digits.dim() == 4 else t[sl, None])
        if prog.z_var is not None:
            c = c * (1 + p.vari * fixed(prog.z_var))
        if prog.z_mem is not None:
            c = c + cm.std(ext) * fixed(prog.z_mem)
        if gen is not None and ni.mem_std and self.mmode == "per_call":
            c = c + cm.std(ext) * randn(tuple(c.shape), gen, dev)
        if gen is not None and p.vari > 0 and self.vmode == "per_call":  # V1.4: cells only
            z = randn(tuple(c.shape[:-1]) + (c.shape[-1] - 1,), gen, dev)
            c = c * torch.cat([1 + p.vari * z, torch.ones_like(z[..., :1])], dim=-1)
        var = None
        if self.noisy:
            var = self.s2 * c * c
            if self.mem_c2c:
                var = var + cm.std(ext) ** 2
        return c, var


def full_crossbar(model: Any, p: Any, ni: NonIdealities, cols: torch.Tensor,
                  wg: torch.Tensor, valid: torch.Tensor, bsz: int, has_outside: bool,
                  layer: str, key: tuple | None = None) -> torch.Tensor:
    """The full path with non-idealities (module doc); the same contract as
    ``CrossbarModel._crossbar``: returns ``(B, L, cout)`` float64, the wrapper's
    ``output/2**bW``."""
    g_all, m, nn_ = cols.shape
    cout = wg.shape[-1]
    nl = m // bsz
    dev = cols.device
    _, levels = model._digits_layout(p)
    kd = len(levels)
    radix = 2 ** p.cell_bits
    lay = NonIdealLayer(model, p, ni, levels)
    dac = ni.dac_bits
    base = 2 ** dac
    ncyc = -(-p.bits_in // dac)
    amp = float(2 ** p.adc_bits)
    top = amp - 1
    parity = not model.fix_adc_range
    cdims = (2, 3, 5) if parity else (3, 5)
    gen = model._generator(dev) if (lay.per_unit or lay.noisy or ni.output_noise) else None

    xcode = model._weight_code(p, wg, valid)  # (G, nn, cout)
    ckey = None if key is None else key + (layer, model.seed, ni)
    prog = model._nonideal_cache.get(ckey) if ckey is not None else None
    if prog is None:
        prog = lay.program((g_all, nn_, kd, cout + 1), dev, layer)
        if not lay.per_unit:
            digits = model._digits(p, xcode, valid, has_outside, None)
            prog.cells = lay.cells(digits, prog, slice(None), None)
        if ckey is not None:  # one programmed array per layer
            model._nonideal_cache = {k: v for k, v in model._nonideal_cache.items()
                                     if k[0] != ckey[0]}
            model._nonideal_cache[ckey] = prog

    mag = cols.abs().to(torch.int64)
    sgn = torch.sign(cols).double() if bool((cols < 0).any()) else None
    unit = max((m * (2 if lay.noisy else 1) + (nn_ if lay.per_unit else 0)) * (cout + 1), 1)
    budget = max(model.max_elements // unit, 1)
    kc = min(kd, budget)
    zc = min(ncyc, max(budget // kc, 1))
    gc = min(g_all, max(budget // (kc * zc), 1))
    coef_k = torch.tensor([float(radix ** k) for k in range(kd)], dtype=torch.float64,
                          device=dev)
    acc = torch.zeros(bsz, nl, cout, dtype=torch.float64, device=dev)
    for g0 in range(0, g_all, gc):
        g1 = min(g0 + gc, g_all)
        ng = g1 - g0
        for z0 in range(0, ncyc, zc):
            z1 = min(z0 + zc, ncyc)
            nz = z1 - z0
            shifts = torch.arange(z0, z1, device=dev, dtype=torch.int64) * dac
            v = ((mag[g0:g1, None] >> shifts[None, :, None, None]) & (base - 1)).double()
            if sgn is not None:
                v = v * sgn[g0:g1, None]
            coef_z = torch.tensor([float(base ** z) for z in range(z0, z1)],
                                  dtype=torch.float64, device=dev)
            if lay.per_unit:
                xu = xcode[g0:g1, None].expand(ng, nz, nn_, cout)
                digits = model._digits(p, xu, valid[g0:g1, None], has_outside, gen)
                cell, var = lay.cells(digits, prog, slice(g0, g1), gen)
            else:
                cell, var = prog.cells
                cell, var = cell[g0:g1], (var[g0:g1] if var is not None else None)
            for k0 in range(0, kd, kc):
                k1 = min(k0 + kc, kd)
                nk = k1 - k0
                ps = _products(v, cell[..., k0:k1, :], lay.per_unit, ng, nz, m, nn_, nk,
                               cout + 1)
                if var is not None:
                    sd = _products(v * v, var[..., k0:k1, :], lay.per_unit, ng, nz, m, nn_,
                                   nk, cout + 1).clamp_(min=0).sqrt_()
                    ps += sd.mul_(randn(tuple(ps.shape), gen, dev))
                    del sd
                ps = ps.reshape(ng, nz, bsz, nl, nk, cout + 1)
                model.stats["partial_sums"] += ps.numel()
                q_cell = _adc(ps[..., :cout], p.adc_bits, cdims, ni, top, gen)
                q_ref = _adc(ps[..., cout:], p.adc_bits, cdims, ni, top, gen)
                wz = (coef_z[:, None] * coef_k[None, k0:k1]).reshape(1, nz, 1, 1, nk, 1)
                acc += ((q_cell - q_ref) * wz).sum(dim=(0, 1, 4))
                del ps, q_cell, q_ref
    model.stats["adc_ranges"] += g_all * ncyc * (kd + 1) * (1 if parity else bsz)
    return acc / (lay.ratio - 1) / 2 ** p.bits_in / 2 ** p.bits_w


def _products(v: torch.Tensor, c: torch.Tensor, per_unit: bool, ng: int, nz: int, m: int,
              nn_: int, nk: int, ncol: int) -> torch.Tensor:
    """``v (ng, nz, M, nn) @ c`` -> ``(ng, nz, M, nk, ncol)`` (c per group, or per unit)."""
    if per_unit:
        out = torch.bmm(v.reshape(ng * nz, m, nn_), c.reshape(ng * nz, nn_, nk * ncol))
    else:
        out = torch.bmm(v.reshape(ng, nz * m, nn_), c.reshape(ng, nn_, nk * ncol))
    return out.reshape(ng, nz, m, nk, ncol)


def _adc(ps: torch.Tensor, bits: int, dims: tuple, ni: NonIdealities, top: float,
         gen: torch.Generator | None) -> torch.Tensor:
    """V1.4's ADC (range = min..max over ``dims``, floor to the lower edge), then the ADC
    output noise on the level index; returns the quantized values."""
    lo = torch.amin(ps, dim=dims, keepdim=True)
    delta = torch.amax(ps, dim=dims, keepdim=True) - lo
    delta = torch.where(delta > 0, delta, torch.ones_like(delta))
    amp = 2.0 ** bits
    idx = ((ps - lo) * amp / delta).floor_().clamp_(0, top)
    if gen is not None:
        idx = adc_output_noise(idx, ni, top, gen)
    return lo + idx * (delta / amp)


# ---- the first (RGB) layer and the simplified path ---------------------------------------
def effective_weight(model: Any, p: Any, ni: NonIdealities, wg: torch.Tensor,
                     valid: torch.Tensor, has_outside: bool, layer: str, levels: list[int],
                     digits_fn: Any) -> tuple[torch.Tensor, torch.Tensor | None, float]:
    """``sum_k R^k (c_k - c_ref,k)`` per weight ``(G, nn, cout)`` of the programmed array,
    the per-read variance ``sum_k R^2k (var_k + var_ref,k)`` (or None), and r."""
    lay = NonIdealLayer(model, p, ni, levels)
    xcode = model._weight_code(p, wg, valid)
    g_all, nn_, cout = xcode.shape
    kd = len(levels)
    prog = lay.program((g_all, nn_, kd, cout + 1), wg.device, layer)
    gen = model._generator(wg.device) if lay.per_unit else None
    digits = digits_fn(xcode, gen)
    c, var = lay.cells(digits, prog, slice(None), gen)
    rk = torch.tensor([float(2 ** (p.cell_bits * k)) for k in range(kd)],
                      dtype=torch.float64, device=wg.device).reshape(-1, 1)
    weff = ((c[..., :cout] - c[..., cout:]) * rk).sum(-2) * valid
    wvar = None
    if var is not None:
        wvar = ((var[..., :cout] + var[..., cout:]) * rk * rk).sum(-2) * valid
    return weff, wvar, lay.ratio


def noisy_product(y: torch.Tensor, x: torch.Tensor, wvar: torch.Tensor | None, conv: bool,
                  layer: Any, gen: torch.Generator | None) -> torch.Tensor:
    """``y + sqrt(x^2 * wvar) N(0,1)`` (conv or linear product of the squares): the read
    noise of one analog read per input vector."""
    if wvar is None or gen is None:
        return y
    x2 = x.double() ** 2
    if conv:
        var = F.conv2d(x2, wvar, None, layer.stride, layer.padding, layer.dilation)
    else:
        var = F.linear(x2, wvar)
    return y + var.clamp_(min=0).sqrt_() * randn(tuple(y.shape), gen, y.device)
