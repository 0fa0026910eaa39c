"""Vectorized compute-in-memory inference: the crossbar model behind ``layer.hardware``.

:class:`CrossbarModel` plugs into the ``compute`` hook of the :mod:`neurosim.nn` layers
(``hardware.conv2d(layer, x, weight)`` / ``hardware.linear(layer, x, weight)``; the layer
divides the result by its WAGE ``scale`` and quantizes it to ``wl_activate`` bits). It
implements the V1.4 wrapper's accuracy model (``spec/accuracy_model.md``, ``docs/accuracy.md``):

* **full hardware path** (wrapper: WAGE, inference=1, model 'VGG8'): inputs bit-serial
  (``I = round((2**bA-1)*x)``, LSB first), weights as the offset-binary code
  ``X = round((2**bW-1)/2*(w+1))`` split into ``cellBit`` digits, each mapped to a
  conductance between Gmin and Gmax by the on/off ratio, a dummy column at mid-range
  subtracted, partial sums per subarray of ``subArray`` rows (``parallelRead`` rows when
  smaller) of one kernel position, each partial sum ADC-quantized
  (``LinearQuantizeOut`` range rule) and shifted-and-added with powers of two; device
  variation (per partial product, seeded) and retention drift on the digits; the RGB first
  layer (Cin = 3 < subArray) without bit-serial input and ADC;
* **simplified path** (wrapper: WAGE inference=1, any other model): ``conv(Q(x), W)`` and
  one ADC over the whole layer output;
* **inference=0** and the **FP** mode (``float_range_quantize`` weights and inputs, one ADC).

How it is computed (no Python loop over kernel positions, bits, subarrays or slices):
the input is unfolded (im2col) once and regrouped into ``G = K*K*numSubArray`` row groups
of ``N`` rows (one group = one subarray read of one kernel position); for a chunk of groups
x input bits x digits, one batched matrix product gives every partial sum, the ADC is
applied to the whole batch of partial sums at once (one range per group, bit and digit, as
the wrapper's per-call range), and shift-and-add is a weighted sum over the chunk's axes.

Exact partial sums: partial sums are kept in units of ``2*r*G`` (r = on/off ratio), where a
cell of digit ``d`` is ``2(r-1)d + 2(R-1)`` and the dummy column is
``2(R-1) + (r-1)(R-1)`` -- integers for an integer on/off ratio. Input bits are 0/1, so a
partial sum is an integer below 2**24, computed exactly by a float32 matrix product in any
summation order (float64 where the bound does not hold, for non-integer ratios and for drifted
digits), and the ADC takes the true floor of the bin quotient (``CrossbarModel._crossbar``,
:func:`~neurosim.accuracy.quant.adc_exact`): ties on a bin edge are decided by the true value,
not by float32 rounding as in the wrapper.
Variation makes partial sums continuous (float32 products; ties have probability zero).

Modes: ``parity`` reproduces the wrapper's defects, ``default`` corrects them (ADC range per
input item instead of per batch, channels beyond a whole number of subarrays kept in a last
partial subarray, ``ceil(bW/cellBit)`` digits instead of ``int(bW/cellBit)``); see
``docs/accuracy.md``.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

import torch
import torch.nn.functional as F

from ..errors import NeuroSimError
from .nonideal import NonIdealities
from .quant import (adc_exact, fast_bf16_matmul, linear_quantize_out, retention,
                    retention_active)
from .rng import stream_key, varied_cells

MODES = ("parity", "default")
PATHS = ("auto", "full", "simplified")
FIXES = ("channels", "adc_range", "digits", "flinear", "saturate", "sums")
KERNELS = ("auto", "torch", "fused")
ARITHMETICS = ("exact", "wrapper-float32")
COMPILES = ("auto", "on", "off")
#: compile="auto": the fused ADC is compiled for layer calls with at least this many partial
#: sums (one default chunk: VGG8's and ResNet18's conv layers from batch 1 or 2 on; a
#: compilation takes a few seconds with torch's warm disk cache, ~10-30 s on a fresh machine)
COMPILE_MIN_PARTIAL_SUMS = 1 << 26


@dataclass(frozen=True)
class LayerParams:
    """The settings of one layer the model reads (wrapper names in comments)."""

    bits_in: int  # wl_input
    bits_w: int  # wl_weight
    inference: int
    ratio: float  # onoffratio
    cell_bits: int  # cellBit
    rows: int  # subArray, or parallelRead when smaller
    adc_bits: int  # ADCprecision
    vari: float
    t: float
    v: float
    detect: int
    target: float
    model: str
    mode: str  # "WAGE" / "FP"


def layer_params(layer: Any) -> LayerParams:
    """:class:`LayerParams` from a :mod:`neurosim.nn` layer's attributes."""
    rows = int(layer.sub_array)
    pr = getattr(layer, "parallel_read", None)
    if pr is not None and int(pr) < rows:  # the wrapper overwrites subArray (permanently)
        rows = int(pr)
    p = LayerParams(int(layer.wl_input), int(layer.wl_weight), int(layer.inference),
                    float(layer.onoffratio), int(layer.cell_bit), rows,
                    int(layer.adc_precision), float(layer.vari), float(layer.t),
                    float(layer.v), int(layer.detect), float(layer.target),
                    str(layer.model or ""), str(getattr(layer, "mode", "WAGE")))
    if p.rows < 1:
        raise NeuroSimError(f"layer {layer.name!r}: subarray rows = {p.rows} must be >= 1")
    if p.cell_bits < 1:
        raise NeuroSimError(f"layer {layer.name!r}: cell_bits = {p.cell_bits} must be >= 1")
    if p.ratio <= 1:
        raise NeuroSimError(f"layer {layer.name!r}: onoff_ratio = {p.ratio} must be > 1")
    return p


@contextmanager
def _ieee_float32(device: torch.device) -> Iterator[None]:
    """No TF32 in CUDA convolutions and matrix products (torch lets cuDNN use it by
    default): float32 products keep their 24-bit significands, as on the CPU."""
    if device.type != "cuda":
        yield
        return
    saved = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    try:
        yield
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved


def _pair(v: Any) -> tuple[int, int]:
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


class CrossbarModel:
    """Hardware-aware inference for every ``neurosim.nn`` layer it is attached to.

    ``mode``: "parity" (the wrapper, defects included) or "default" (defects corrected).
    ``path``: "auto" (the wrapper's rule: full model for model 'VGG8', simplified otherwise),
    "full" or "simplified" for every WAGE layer. ``seed``: variation and random drift draws
    (reproducible for the same seed, device, batch shape and ``max_elements``).
    ``max_elements``: partial sums held at once (memory ~ 32 bytes each).
    """

    def __init__(self, mode: str = "default", path: str = "auto", seed: int = 0,
                 max_elements: int = 1 << 26, ties: tuple[str, str] = ("exact", "exact"),
                 fixes: Any = None, kernel: str = "auto", arithmetic: str = "exact",
                 nonideal: NonIdealities | None = None, compile: str = "auto") -> None:
        if mode not in MODES:
            raise NeuroSimError(f"accuracy mode {mode!r}: expected one of {', '.join(MODES)}")
        if path not in PATHS:
            raise NeuroSimError(f"hardware path {path!r}: expected one of {', '.join(PATHS)}")
        self.mode = mode
        #: the wrapper defects corrected: "channels" (inputs beyond a whole number of
        #: subarrays read in a last partial subarray instead of dropped), "adc_range" (ADC
        #: range per input item instead of per batch), "digits" (ceil(bW/cellBit) weight
        #: digits instead of int(bW/cellBit)), "flinear" (FP linear layers use their
        #: quantized weights), "saturate" (bit-serial inputs beyond the 2**bA-1 levels of
        #: the input driver saturate instead of losing their high bits; only inputs above 1,
        #: which WAGE-quantized activations never are), "sums" (the plain convolutions and
        #: products of the inference=0, simplified and FP paths summed in float64 and
        #: rounded once, the same on every device, instead of in the conv backend's float32
        #: order). mode "parity": none; "default": all; ``fixes`` overrides.
        chosen = set(FIXES if mode == "default" else ()) if fixes is None else set(fixes)
        unknown = chosen - set(FIXES)
        if unknown:
            raise NeuroSimError(f"unknown fixes {sorted(unknown)}: expected {FIXES}")
        self.fixes = tuple(f for f in FIXES if f in chosen)
        self.fix_channels = "channels" in chosen
        self.fix_adc_range = "adc_range" in chosen
        self.fix_digits = "digits" in chosen
        self.fix_flinear = "flinear" in chosen
        self.fix_saturate = "saturate" in chosen
        self.fix_sums = "sums" in chosen
        if kernel not in KERNELS:
            raise NeuroSimError(f"kernel {kernel!r}: expected one of {', '.join(KERNELS)}")
        #: exact integer reads: "auto" (fused Triton kernels on CUDA, torch elsewhere),
        #: "torch", "fused" (also on the CPU under TRITON_INTERPRET=1; slow, for tests)
        self.kernel = kernel
        #: why the fused kernels failed on this machine ("auto" then keeps the torch path)
        self.fused_error: str | None = None
        if arithmetic not in ARITHMETICS:
            raise NeuroSimError(f"arithmetic {arithmetic!r}: expected one of "
                                f"{', '.join(ARITHMETICS)}")
        #: partial sums of the deterministic full path: "exact" (integers, ties read by
        #: their true value) or "wrapper-float32" (the V1.4 wrapper's float32 sums in its
        #: CPU kernels' order and its float32 ADC; :mod:`.float32_ties`)
        self.arithmetic = arithmetic
        self._f32_ctx: dict | None = None
        self.path = path
        self.seed = int(seed)
        self.max_elements = int(max_elements)
        #: how a partial sum exactly on an ADC bin edge is read, for the cell columns and the
        #: dummy column: "exact" (its true bin, the upper one), "down" (the lower one) or
        #: "up" (upper, also for drifted-digit sums within 1e-4 of an edge); "down"/"up" are
        #: a diagnostic: the envelope of every float rounding of the wrapper
        self.ties = tuple(ties)
        self.calls = 0
        self.stats: dict[str, int] = {"partial_sums": 0, "adc_ranges": 0}
        self.shims: list[Any] = []  # plain torch layers routed here by attach()
        self._cells: dict[tuple, torch.Tensor] = {}  # mapped weights per layer
        #: V1.5 non-idealities (:mod:`.nonideal`); all off = V1.4's model, bit for bit
        self.nonideal = nonideal if nonideal is not None else NonIdealities()
        self._nonideal_cache: dict[tuple, Any] = {}  # programmed arrays per layer
        if compile not in COMPILES:
            raise NeuroSimError(f"compile {compile!r}: expected one of {', '.join(COMPILES)}")
        #: the fused ADC of exact integer partial sums on the CPU
        #: (:func:`.quant.adc_shift_add_kernel`, torch.compile): "auto" (for layer calls of
        #: at least ``COMPILE_MIN_PARTIAL_SUMS`` partial sums, where it pays for its
        #: compilation), "on" (every such call; errors raised) or "off" (torch operations);
        #: the results are the same, bit for bit
        self.compile = compile
        #: why the compiled ADC failed here ("auto" then keeps the torch operations)
        self.compile_error: str | None = None
        #: products of the compiled path in bfloat16 where exact: None (where the CPU
        #: multiplies bfloat16 natively, :func:`.quant.fast_bf16_matmul`), True or False
        self.bf16_products: bool | None = None
        self._buffers: dict[tuple, torch.Tensor] = {}  # scratch reused across calls
        self._map_variation_once = True

    @property
    def parity(self) -> bool:
        """No wrapper defect corrected."""
        return not self.fixes

    def reseed(self, seed: int) -> None:
        """Restart the random stream (one network evaluation per seed)."""
        self.seed = int(seed)
        self.calls = 0

    def _generator(self, device: torch.device) -> torch.Generator:
        """A CPU generator (draws are moved to ``device``): the same numbers on every
        device for the same seed."""
        self.calls += 1
        g = torch.Generator()
        g.manual_seed((self.seed * 1000003 + self.calls * 7919) % (2 ** 63 - 1))
        return g

    # ---- hook entry points --------------------------------------------------------------
    def conv2d(self, layer: Any, x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        if layer.groups != 1:
            raise NeuroSimError(f"layer {layer.name!r}: grouped convolutions do not map to "
                                "the crossbar model")
        if isinstance(layer.padding, str):
            raise NeuroSimError(f"layer {layer.name!r}: padding={layer.padding!r} is not "
                                "supported; give the padding as numbers")
        return self._forward(layer, x, weight, conv=True)

    def linear(self, layer: Any, x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        return self._forward(layer, x, weight, conv=False)

    def _forward(self, layer: Any, x: torch.Tensor, weight: torch.Tensor,
                 conv: bool) -> torch.Tensor:
        p = layer_params(layer)
        with torch.no_grad(), _ieee_float32(x.device):
            if p.mode == "FP":
                return self._fp(layer, p, x, conv)
            if not p.inference:
                w = self._retention_whole(p, weight)
                return self._plain(layer, x, w, conv)
            full = p.model == "VGG8" if self.path == "auto" else self.path == "full"
            if full:
                return self._full(layer, p, x, weight, conv)
            return self._simplified(layer, p, x, weight, conv)

    # ---- helpers --------------------------------------------------------------------------
    def _plain(self, layer: Any, x: torch.Tensor, w: torch.Tensor, conv: bool,
               bias: bool = True) -> torch.Tensor:
        """``conv(x, w) + b`` (or the linear product). With the ``sums`` fix in float64, then
        rounded once: float32 products of 24-bit significands times quantized weights are
        exact there and their sums are exact unless they span more than 53 bits, so the
        result does not depend on the backend's summation order (CPU, cuDNN, oneDNN)."""
        b = layer.bias if bias else None
        dtype = x.dtype
        if self.fix_sums and dtype != torch.float64:
            x, w = x.double(), w.double()
            b = b.double() if b is not None else None
        if conv:
            y = F.conv2d(x, w, b, layer.stride, layer.padding, layer.dilation, layer.groups)
        else:
            y = F.linear(x, w, b)
        return y.to(dtype)

    def _retention_whole(self, p: LayerParams, w: torch.Tensor) -> torch.Tensor:
        # applied even when it is the identity in exact arithmetic: (x+1)/2*2-1 rounds
        # off-grid float32 values (FP weights) exactly as the wrapper does
        if not retention_active(p.t, p.v):
            return retention(w, p.t, p.v, 1, p.target)
        gen = self._generator(w.device) if p.detect != 1 else None
        return retention(w, p.t, p.v, p.detect, p.target, generator=gen)

    def _adc_whole(self, y: torch.Tensor, bits: int) -> torch.Tensor:
        """One ADC range over the layer output: per batch (parity) or per item (default)."""
        self.stats["adc_ranges"] += 1
        if self.nonideal.output_noise:
            return self._adc_whole_noisy(y, bits)
        if not self.fix_adc_range or y.dim() < 2:
            return linear_quantize_out(y, bits)
        return linear_quantize_out(y, bits, dims=tuple(range(1, y.dim())))

    def _adc_whole_noisy(self, y: torch.Tensor, bits: int) -> torch.Tensor:
        """:meth:`_adc_whole` with ADC output noise on the level index (float64)."""
        from .nonideal_ops import adc_output_noise

        dims = tuple(range(1, y.dim())) if self.fix_adc_range and y.dim() >= 2 \
            else tuple(range(y.dim()))
        yd = y.double()
        lo = torch.amin(yd, dim=dims, keepdim=True)
        delta = torch.amax(yd, dim=dims, keepdim=True) - lo
        pos = delta > 0
        step = torch.where(pos, delta, torch.ones_like(delta)) * 2. ** (-bits)
        top = 2. ** bits - 1
        idx = torch.clamp(torch.floor((yd - lo) / step), 0, top)
        idx = adc_output_noise(idx, self.nonideal, top, self._generator(y.device))
        return torch.where(pos, idx * step + lo, yd).to(y.dtype)

    def _simplified(self, layer: Any, p: LayerParams, x: torch.Tensor, weight: torch.Tensor,
                    conv: bool) -> torch.Tensor:
        from ..nn.quantizers import Q

        ni = self.nonideal
        wvar = None
        if ni.stuck or ni.mem_states is not None or ni.read_noise > 0 or (
                p.vari > 0 and ni.variation_mode in ("d2d", "c2c")):
            weight, wvar = self._simplified_weight(layer, p, weight)
        w = self._retention_whole(p, weight)
        xq = Q(x, p.bits_in) if p.bits_in != -1 else x
        y = self._plain(layer, xq, w, conv)
        if wvar is not None:
            from .nonideal_crossbar import noisy_product
            b = layer.bias
            if b is not None:  # noise on the product only
                y = y - (b.reshape(1, -1, 1, 1) if conv else b)
            y = noisy_product(y.double(), xq, wvar, conv, layer,
                              self._generator(x.device)).to(y.dtype)
            if b is not None:
                y = y + (b.reshape(1, -1, 1, 1) if conv else b)
        return self._adc_whole(y, p.adc_bits)

    def _fp(self, layer: Any, p: LayerParams, x: torch.Tensor, conv: bool) -> torch.Tensor:
        if not p.inference:
            return self._plain(layer, x, layer.weight, conv)
        from ..nn.quantizers import float_range_quantize

        wq = self._retention_whole(p, float_range_quantize(layer.weight, p.bits_w))
        xq = float_range_quantize(x, p.bits_in)
        if not conv and not self.fix_flinear:
            wq = layer.weight  # wrapper FLinear: the quantized weight is discarded
        return self._adc_whole(self._plain(layer, xq, wq, conv), p.adc_bits)

    # ---- the full hardware path -------------------------------------------------------------
    def _grouping(self, cin: int, rows: int) -> tuple[int, int, int]:
        """(subarrays per kernel position, rows per subarray, channels used)."""
        if not self.fix_channels:
            n = cin // rows
            return (1, cin, cin) if n == 0 else (n, rows, n * rows)
        if cin <= rows:
            return 1, cin, cin
        return math.ceil(cin / rows), rows, cin

    def _digits_layout(self, p: LayerParams) -> tuple[list[int], list[int]]:
        """Per digit k (LSB first): its number of bits and level count."""
        c, b = p.cell_bits, p.bits_w
        k = math.ceil(b / c) if self.fix_digits else b // c
        bits = [min(c, b - i * c) if self.fix_digits else c for i in range(k)]
        if k == 0:
            raise NeuroSimError(f"cell_bits = {c} exceeds synapse_bits = {b}: no weight digit "
                                "maps to a cell (the wrapper's int(wl_weight/cellBit) = 0)")
        return bits, [2 ** x for x in bits]

    @staticmethod
    def _group_rows(t: torch.Tensor, dim: int, n_sub: int, nn_: int, used: int) -> torch.Tensor:
        """Keep the first ``used`` entries along ``dim``, zero-pad to ``n_sub*nn_`` and split
        that dim into (n_sub, nn_)."""
        t = t.narrow(dim, 0, used)
        pad = n_sub * nn_ - used
        if pad:
            shape = list(t.shape)
            shape[dim] = pad
            t = torch.cat([t, t.new_zeros(shape)], dim=dim)
        shape = list(t.shape)
        return t.reshape(shape[:dim] + [n_sub, nn_] + shape[dim + 1:])

    def _full(self, layer: Any, p: LayerParams, x: torch.Tensor, weight: torch.Tensor,
              conv: bool) -> torch.Tensor:
        bias = layer.bias
        if conv:
            cout, cin, kh, kw = weight.shape
            kk = kh * kw
            n_sub, nn_, used = self._grouping(cin, p.rows)
            wg = weight.reshape(cout, cin, kk).permute(2, 1, 0)  # (kk, cin, cout)
            wg = self._group_rows(wg, 1, n_sub, nn_, used).reshape(kk * n_sub, nn_, cout)
            valid = self._group_rows(torch.ones(kk, cin, 1, device=x.device), 1, n_sub, nn_,
                                     used).reshape(kk * n_sub, nn_, 1)
            has_outside = kk * n_sub > 1 or used < cin
            if cin == 3 and cin < p.rows:
                out = self._first_layer(layer, p, x, wg, valid, has_outside, (cout, cin, kh,
                                                                                 kw))
            else:
                xi = self._input_code(p, x)
                cols = F.unfold(xi, (kh, kw), dilation=layer.dilation, padding=layer.padding,
                                stride=layer.stride)  # (B, cin*kk, L)
                bsz, _, nl = cols.shape
                cols = cols.reshape(bsz, cin, kk, nl).permute(2, 1, 0, 3)  # (kk, cin, B, L)
                cols = self._group_rows(cols, 1, n_sub, nn_, used)  # (kk, n_sub, nn, B, L)
                cols = cols.permute(0, 1, 3, 4, 2).reshape(kk * n_sub, bsz * nl, nn_)
                if self.arithmetic == "wrapper-float32":
                    from .float32_ties import conv_order
                    self._f32_ctx = {
                        "order": conv_order(bsz, cin, x.shape[-2], x.shape[-1], kh, kw),
                        "firsts": [(g % n_sub) * nn_ for g in range(kk * n_sub)],
                        "taps": [g // n_sub for g in range(kk * n_sub)],
                        "kk": kk, "k_total": cin * kk, "n_sub": n_sub}
                y = self._crossbar(p, cols, wg, valid, bsz, has_outside,
                                   key=self._key(layer, p), name=layer.name)  # (B, L, cout)
                oh, ow = self._out_hw(layer, x, kh, kw)
                out = y.permute(0, 2, 1).reshape(bsz, cout, oh, ow).to(x.dtype).contiguous()
            if bias is not None:
                out = out + bias.reshape(1, -1, 1, 1)
            return out
        cout, cin = weight.shape
        lead = x.shape[:-1]
        xm = x.reshape(-1, cin)
        m = xm.shape[0]
        bsz = int(lead[0]) if len(lead) > 1 else m
        n_sub, nn_, used = self._grouping(cin, p.rows)
        wg = self._group_rows(weight.t(), 0, n_sub, nn_, used)  # (n_sub, nn, cout)
        valid = self._group_rows(torch.ones(cin, 1, device=x.device), 0, n_sub, nn_, used)
        xi = self._input_code(p, xm)
        cols = self._group_rows(xi, 1, n_sub, nn_, used).permute(1, 0, 2)  # (n_sub, M, nn)
        if self.arithmetic == "wrapper-float32":
            # MKL SGEMM(T,N,cout,m,cin): n = m = 1 takes another kernel (docs/accuracy.md)
            self._f32_ctx = {"order": "mkl-gemv" if m == 1 else "mkl16",
                             "firsts": [s * nn_ for s in range(n_sub)],
                             "taps": [0] * n_sub, "kk": 1, "k_total": cin,
                             "n_sub": n_sub}
        y = self._crossbar(p, cols.contiguous(), wg, valid, bsz, n_sub > 1 or used < cin,
                           key=self._key(layer, p), name=layer.name)
        out = y.reshape(*lead, cout).to(x.dtype)
        if bias is not None:
            out = out + bias
        return out

    def _input_code(self, p: LayerParams, x: torch.Tensor) -> torch.Tensor:
        """Bit-serial input integers ``round((2**bA-1)*x)`` (the wrapper's float32 op); the
        wrapper reads only their ``bA`` low bits (sign-magnitude for negative inputs)."""
        xi = torch.round((2 ** p.bits_in - 1) / 1 * (x - 0) + 0)
        if self.fix_saturate:
            top = 2 ** p.bits_in - 1
            xi = xi.clamp(-top, top)
        return xi

    @staticmethod
    def _out_hw(layer: Any, x: torch.Tensor, kh: int, kw: int) -> tuple[int, int]:
        (sh, sw), (ph, pw), (dh, dw) = (_pair(layer.stride), _pair(layer.padding),
                                        _pair(layer.dilation))
        h, w = x.shape[-2:]
        return ((h + 2 * ph - dh * (kh - 1) - 1) // sh + 1,
                (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1)

    def _weight_code(self, p: LayerParams, wg: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
        """Offset-binary weight code ``round((2**bW-1)/2*(w+1))`` (float32, as the wrapper)."""
        return torch.round((2 ** p.bits_w - 1) / 2 * (wg + 1) + 0) * valid

    def _digits(self, p: LayerParams, xcode: torch.Tensor, valid: torch.Tensor,
                has_outside: bool, gen: torch.Generator | None) -> torch.Tensor:
        """Digits (LSB first) of the weight code, drifted by Retention when active:
        ``(..., nn, K, cout)``. Retention's range is per subarray read (the wrapper's masked
        tensor, whose masked-out zeros count when the read does not cover every weight)."""
        _, levels = self._digits_layout(p)
        radix = 2 ** p.cell_bits
        active = retention_active(p.t, p.v)
        out = []
        xc = xcode
        for _k in range(len(levels)):  # a handful of digits, on the weights only
            rem = torch.fmod(xc, radix) * valid
            if active:
                lo = torch.amin(rem, dim=(-2, -1), keepdim=True)
                hi = torch.amax(rem, dim=(-2, -1), keepdim=True)
                if has_outside:
                    lo = torch.clamp(lo, max=0)
                    hi = torch.clamp(hi, min=0)
                rem = retention(rem, p.t, p.v, p.detect, p.target, lower=lo, upper=hi,
                                generator=gen) * valid
            xc = torch.round((xc - rem) / radix) * valid
            out.append(rem)
        return torch.stack(out, dim=-2)

    def _cell(self, p: LayerParams, digits: torch.Tensor) -> torch.Tensor:
        """Cell conductance in units of 2*r*G (r = on/off ratio, Gmax = R-1):
        ``2(r-1)d + 2(R-1)``; integer for integer digits and ratio."""
        r, rr = p.ratio, 2 ** p.cell_bits
        return 2 * (r - 1) * digits.double() + 2 * (rr - 1)

    def _dummy(self, p: LayerParams) -> list[float]:
        """Dummy-column cell per digit in the same units: the mid level (R_k-1)/2 of the
        digit's levels (``(R-1)(1+1/r)/2`` of the wrapper for a full digit)."""
        _, levels = self._digits_layout(p)
        r, rr = p.ratio, 2 ** p.cell_bits
        return [2 * (rr - 1) + (r - 1) * (lv - 1) for lv in levels]

    def _first_layer(self, layer: Any, p: LayerParams, x: torch.Tensor, wg: torch.Tensor,
                     valid: torch.Tensor, has_outside: bool, shape: tuple) -> torch.Tensor:
        """RGB layer (Cin = 3 < rows): raw input, no bit-serial decomposition, no ADC; the
        digit columns minus the dummy column, shifted and added, form one effective weight.
        ``arithmetic="wrapper-float32"`` (without variation): the wrapper's float32 loop
        (:func:`.float32_ties.first_layer_float32`)."""
        cout, cin, kh, kw = shape
        if self.nonideal.active():
            return self._first_layer_nonideal(layer, p, x, wg, valid, has_outside, shape)
        gen = self._generator(x.device) if (p.vari > 0 or (retention_active(p.t, p.v)
                                                             and p.detect != 1)) else None
        d = self._digits(p, self._weight_code(p, wg, valid), valid, has_outside, gen)
        if self.arithmetic == "wrapper-float32" and p.vari == 0:
            from .float32_ties import first_layer_float32
            _, levels = self._digits_layout(p)
            return first_layer_float32(x, d, valid, levels, p.cell_bits, p.ratio, p.bits_w,
                                       (kh, kw), layer.stride, layer.padding, layer.dilation,
                                       self.max_elements).to(x.dtype)
        cell = self._cell(p, d)  # (G, nn, K, cout)
        if p.vari > 0:  # c + (vari c) N(0, 1), one unit per read g (:mod:`.rng`)
            cv = cell.reshape(cell.shape[0], -1)
            cell = varied_cells(stream_key(self.seed, self.calls), range(cv.shape[0]),
                                range(cv.shape[0]), cv, torch.mul(cv, p.vari),
                                torch.empty_like(cv)).view(cell.shape)
        dummy = torch.tensor(self._dummy(p), dtype=torch.float64, device=x.device)
        radix = torch.tensor([float(2 ** (p.cell_bits * k)) for k in range(d.shape[-2])],
                             dtype=torch.float64, device=x.device)
        weff = ((cell - dummy[:, None]) * radix[:, None]).sum(-2) / (p.ratio - 1)
        weff = (weff * valid).reshape(kh * kw, cin, cout).permute(2, 1, 0)
        weff = weff.reshape(cout, cin, kh, kw)
        y = F.conv2d(x.double(), weff, None, layer.stride, layer.padding, layer.dilation)
        return (y / 2 ** p.bits_w).to(x.dtype)

    def _first_layer_nonideal(self, layer: Any, p: LayerParams, x: torch.Tensor,
                              wg: torch.Tensor, valid: torch.Tensor, has_outside: bool,
                              shape: tuple) -> torch.Tensor:
        """The RGB layer with non-idealities: the effective weight of the programmed array
        (:func:`.nonideal_crossbar.effective_weight`) and, per read, the exact Gaussian of
        the read noise; no ADC, so no ADC output noise and no DAC."""
        from .nonideal_crossbar import effective_weight, noisy_product

        cout, cin, kh, kw = shape
        _, levels = self._digits_layout(p)
        weff, wvar, ratio = effective_weight(
            self, p, self.nonideal, wg, valid, has_outside, f"{layer.name}|{tuple(wg.shape)}",
            levels, lambda xc, gen: self._digits(p, xc, valid, has_outside, gen))

        def as_conv(t: torch.Tensor) -> torch.Tensor:
            return t.reshape(kh * kw, cin, cout).permute(2, 1, 0).reshape(cout, cin, kh, kw)

        y = F.conv2d(x.double(), as_conv(weff), None, layer.stride, layer.padding,
                     layer.dilation)
        gen = self._generator(x.device) if wvar is not None else None
        y = noisy_product(y, x, as_conv(wvar) if wvar is not None else None, True, layer, gen)
        return (y / (ratio - 1) / 2 ** p.bits_w).to(x.dtype)

    def _simplified_weight(self, layer: Any, p: LayerParams,
                           weight: torch.Tensor) -> tuple[torch.Tensor, Any]:
        """The simplified path's weight with non-idealities: the code of the quantized
        weight in ``ceil(bW/cellBit)`` digits on the programmed array (stuck-at,
        mem_states, device-to-device draws), ``w = sum_k R^k (c_k - c_ref,k) /
        ((r-1)(2**bW-1))``, and the per-read variance of the product (or None)."""
        from .nonideal_crossbar import effective_weight

        c = p.cell_bits
        levels = [2 ** min(c, p.bits_w - i * c) for i in range(math.ceil(p.bits_w / c))]
        radix = 2 ** c

        def digits(xc: torch.Tensor, gen: Any) -> torch.Tensor:
            out = []
            for _ in levels:
                rem = torch.fmod(xc, radix)
                xc = torch.round((xc - rem) / radix)
                out.append(rem)
            return torch.stack(out, dim=-2)

        if p.vari > 0 and self.nonideal.mode_for(p.vari) == "per_call":
            p = dataclasses.replace(p, vari=0.0)  # V1.4: no variation on this path
        key = self._key(layer, p)
        fixed = not (retention_active(p.t, p.v) and p.detect != 1) and not (
            self.nonideal.mem_std and self.nonideal.variation_mode == "per_call")
        ckey = key + ("simplified", self.seed, self.nonideal, weight.data_ptr()) \
            if key is not None and fixed else None
        if ckey is not None and ckey in self._nonideal_cache:
            return self._nonideal_cache[ckey]
        w2 = weight.reshape(weight.shape[0], -1).t()[None]  # (1, fan-in, cout)
        weff, wvar, ratio = effective_weight(self, p, self.nonideal, w2,
                                             torch.ones_like(w2[..., :1]), False,
                                             f"{layer.name}|{tuple(weight.shape)}", levels,
                                             digits)
        scale = (ratio - 1) * (2 ** p.bits_w - 1)

        def back(t: torch.Tensor) -> torch.Tensor:
            return (t[0].t() / scale).reshape(weight.shape)

        out = back(weff).to(weight.dtype), (back(wvar) / scale if wvar is not None else None)
        if ckey is not None:  # the programmed array of this layer, for every call
            self._nonideal_cache = {k: v for k, v in self._nonideal_cache.items()
                                    if k[0] != ckey[0]}
            self._nonideal_cache[ckey] = out
        return out

    def _use_fused(self, dev: torch.device, g_all: int, nbits: int, kd: int, bound: float,
                   p: LayerParams) -> bool:
        """The fused Triton kernels (``kernel``: "auto" = on CUDA when Triton imports)."""
        if self.kernel == "torch" or (self.kernel == "auto" and (dev.type != "cuda"
                                                                  or self.fused_error)):
            return False
        try:
            from .fused_crossbar import exact_bound_ok
        except Exception:  # no (working) Triton: the torch path computes the same
            if self.kernel == "fused":
                raise
            return False
        return exact_bound_ok(g_all, nbits, kd, p.cell_bits, p.adc_bits, bound)

    def _buffer(self, name: str, shape: tuple[int, ...], dtype: torch.dtype,
                device: torch.device) -> torch.Tensor:
        """A scratch tensor of ``shape`` (uninitialized), a view of a buffer kept across
        chunks, layers and batches: large temporaries are not reallocated (each fresh
        allocation costs the kernel a page fault and a zeroed page per 4 KiB)."""
        n = math.prod(shape)
        key = (name, dtype, str(device))
        buf = self._buffers.get(key)
        if buf is None or buf.numel() < n:
            buf = torch.empty(n, dtype=dtype, device=device)
            self._buffers[key] = buf
        return buf[:n].view(shape)

    def release_buffers(self) -> None:
        """Free the scratch buffers (they are otherwise kept for the next forward pass)."""
        self._buffers.clear()

    def _bit_planes(self, mag: torch.Tensor, sgn: torch.Tensor | None, z0: int, z1: int,
                    dt: torch.dtype) -> torch.Tensor:
        """Input bits ``z0 .. z1-1`` of the magnitudes ``mag`` ``(G, M, nn)`` (times the
        input signs ``sgn`` when signed): ``(G, z1-z0, M, nn)`` in ``dt``, in a reused
        buffer (valid until the next call)."""
        g, m, nn_ = mag.shape
        shape = (g, z1 - z0, m, nn_)
        shifts = torch.arange(z0, z1, device=mag.device, dtype=mag.dtype)
        ib = self._buffer("bits_int", shape, mag.dtype, mag.device)
        torch.bitwise_right_shift(mag[:, None], shifts.view(1, -1, 1, 1), out=ib)
        ib.bitwise_and_(1)
        bits = self._buffer("bits", shape, dt, mag.device)
        bits.copy_(ib)
        if sgn is not None:
            bits.mul_(sgn[:, None])
        return bits

    def _adc_kernel(self, partial_sums: int, dev: torch.device, kind: str = "exact") -> Any:
        """The compiled fused ADC for a layer call of ``partial_sums`` partial sums, or None
        (torch operations): exact integer sums (:func:`.quant.adc_shift_add_kernel`) or,
        ``kind="float"``, continuous ones (:func:`.adc_float.adc_float_kernel`)."""
        if self.compile == "off" or dev.type != "cpu" or self.compile_error:
            return None
        if self.compile == "auto" and partial_sums < COMPILE_MIN_PARTIAL_SUMS:
            return None
        try:
            if kind == "float":
                from .adc_float import adc_float_kernel
                return adc_float_kernel()
            from .quant import adc_shift_add_kernel
            return adc_shift_add_kernel()
        except Exception as exc:  # no torch.compile here
            return self._compile_failed(exc)

    def _compile_failed(self, exc: Exception) -> None:
        if self.compile == "on":
            raise exc
        self.compile_error = f"{type(exc).__name__}: {exc}"
        warnings.warn(f"the compiled ADC failed ({self.compile_error}); the torch "
                      "operations compute the same result", RuntimeWarning, stacklevel=3)
        return None

    def _crossbar_compiled(self, p: LayerParams, kernel: Any, mag: torch.Tensor,
                           signed: torch.Tensor | None, cell: torch.Tensor,
                           ckey: tuple | None, bsz: int, coef_k: torch.Tensor,
                           parity: bool) -> torch.Tensor:
        """The exact integer case of :meth:`_crossbar` with the compiled fused ADC
        (:func:`.quant.adc_shift_add`): the same result, bit for bit.

        The matrix product gives ``P = bits @ digits`` (digits ``0..R-1`` instead of cells;
        the partial sum is ``a P + b n`` with ``a = 2(r-1)``, ``b = 2(R-1)`` and ``n`` the
        rows read, formed in the kernel). With ``|P| <= nn (R-1) <= 256`` (cellBit 1 up to
        256 rows) the product runs in bfloat16 where the CPU multiplies bfloat16 natively
        (:func:`.quant.fast_bf16_matmul`): 0/1 (or -1/0/1) times 0/1 digits, accumulated
        in float32 and rounded to bfloat16, whose 8-bit significands hold every integer up
        to 256: exact, at about 2.4x the float32 rate on AVX-512 cores; otherwise float32
        (exact below 2**24; on AVX2-only cores torch's bfloat16 product is a scalar
        fallback 15x slower than float32). ``mag``: input magnitudes ``(G, M, nn)`` (uint8
        or int32), ``signed``: the signed inputs when negative ones occur."""
        g_all, m, nn_ = mag.shape
        cout = cell.shape[-1]
        kd = cell.shape[-2]
        nl = m // bsz
        nbits = p.bits_in
        dev = mag.device
        radix = 2 ** p.cell_bits
        a, b = 2 * (int(p.ratio) - 1), 2 * (radix - 1)
        _, levels = self._digits_layout(p)
        exact_bf16 = nn_ * (max(levels) - 1) <= 256
        bf16 = fast_bf16_matmul(dev) if self.bf16_products is None else self.bf16_products
        gdt = torch.bfloat16 if exact_bf16 and bf16 else torch.float32
        dkey = None if ckey is None else ckey + ("digits", gdt)
        digits = self._cells.get(dkey) if dkey is not None else None
        if digits is None:  # (G, nn, K, cout), exact small integers
            digits = ((cell.double() - b) / a).to(gdt)
            if dkey is not None:
                self._cells[dkey] = digits
        sgn = torch.sign(signed).to(gdt) if signed is not None else None
        amp = float(2 ** p.adc_bits)
        eps = -2.0 ** -14 if self.ties[0] == "down" else 2.0 ** -14
        dims = (1, 2, 4) if parity else (2, 4)

        unit = max(m * cout, 1)
        budget = max(self.max_elements // unit, 1)
        kc = min(kd, budget)
        zc = min(nbits, max(budget // kc, 1))
        gc = min(g_all, max(budget // (kc * zc), 1))
        acc = torch.zeros(bsz, nl, cout, dtype=torch.float64, device=dev)
        acc_c = torch.zeros(bsz, dtype=torch.float64, device=dev)
        acc_d = torch.zeros(bsz, nl, dtype=torch.float64, device=dev)
        for g0 in range(0, g_all, gc):
            g1 = min(g0 + gc, g_all)
            ng = g1 - g0
            for z0 in range(0, nbits, zc):
                z1 = min(z0 + zc, nbits)
                nz = z1 - z0
                bits = self._bit_planes(mag[g0:g1], sgn[g0:g1] if sgn is not None else None,
                                        z0, z1, gdt)
                count = bits.sum(-1, dtype=torch.float32)  # (ng, nz, M), exact
                coef_z = torch.tensor([float(2 ** z) for z in range(z0, z1)],
                                      dtype=torch.float64, device=dev)
                acc_d += self._dummy_sum(p, count.double().reshape(ng, nz, bsz, nl), coef_z,
                                         coef_k, parity)
                for k0 in range(0, kd, kc):
                    k1 = min(k0 + kc, kd)
                    nk = k1 - k0
                    prod = self._buffer("prod", (ng, nz * m, nk * cout), gdt, dev)
                    torch.bmm(bits.view(ng, nz * m, nn_),
                              digits[g0:g1, :, k0:k1, :].reshape(ng, nn_, nk * cout), out=prod)
                    self.stats["partial_sums"] += prod.numel()
                    wz = (coef_z[:, None] * coef_k[None, k0:k1]).reshape(1, nz, 1, 1, nk, 1)
                    part, lo = kernel(prod.view(ng * nz, bsz, nl, nk, cout),
                                      count.view(ng * nz, bsz, nl, 1, 1),
                                      wz.expand(ng, nz, 1, 1, nk, 1).reshape(ng * nz, 1, 1, nk, 1),
                                      float(a), float(b), amp, amp - 1, eps, dims)
                    acc += part
                    acc_c += lo
        self.stats["adc_ranges"] += g_all * nbits * (kd + 1) * (1 if parity else bsz)
        total = acc + (acc_c[:, None] - acc_d)[..., None]
        return total / (p.ratio - 1) / 2 ** nbits / 2 ** p.bits_w

    def _dummy_sum(self, p: LayerParams, cnt: torch.Tensor, coef_z: torch.Tensor,
                   coef_k: torch.Tensor, parity: bool) -> torch.Tensor:
        """Shift-added ADC outputs of the dummy columns, ``(B, L)``. ``cnt``: rows read
        ``(G, Z, B, L)``; the dummy column of digit k reads ``n * dummy_k``, one ADC range
        per (read, bit[, item]); digits with the same dummy level share the ADC output."""
        dummy = self._dummy(p)
        dims = (2, 3) if parity else (3,)
        out = torch.zeros(cnt.shape[2:], dtype=torch.float64, device=cnt.device)
        for lv in sorted(set(dummy)):
            ck = float(sum(coef_k[k] for k in range(len(dummy)) if dummy[k] == lv))
            dq = adc_exact(cnt.double() * lv, p.adc_bits, dims, down=self.ties[1] == "down")
            out += torch.einsum("gzbn,z->bn", dq, coef_z) * ck
        return out

    def _crossbar_fused(self, p: LayerParams, codes: torch.Tensor, cell: torch.Tensor,
                        bsz: int, kd: int, coef_k: torch.Tensor,
                        parity: bool) -> torch.Tensor:
        """The exact integer case on the fused kernels (:mod:`.fused_crossbar`); the same
        result as the torch path, bit for bit."""
        from .fused_crossbar import fused_crossbar

        g_all, m, _ = codes.shape
        cout = cell.shape[-1]
        nl = m // bsz
        dev = codes.device
        radix = 2 ** p.cell_bits
        a, b = 2 * (int(p.ratio) - 1), 2 * (radix - 1)
        digits = ((cell.double() - b) / a).permute(0, 2, 1, 3).to(torch.float16)
        acc, lo, cnt = fused_crossbar(codes, digits, a, b, p.bits_in, p.adc_bits,
                                      p.cell_bits, bsz, per_item=not parity)
        self.stats["partial_sums"] += g_all * p.bits_in * kd * m * cout
        self.stats["adc_ranges"] += g_all * p.bits_in * (kd + 1) * (1 if parity else bsz)
        coef_z = torch.tensor([float(2 ** z) for z in range(p.bits_in)], dtype=torch.float64,
                              device=dev)
        acc_c = torch.einsum("gzk...,z,k->...", lo.double(), coef_z, coef_k).reshape(-1)
        acc_d = self._dummy_sum(p, cnt.reshape(g_all, p.bits_in, bsz, nl), coef_z, coef_k,
                                parity)
        total = (acc / 2 ** p.adc_bits).reshape(bsz, nl, cout)
        total = total + (acc_c[:, None] - acc_d)[..., None]
        return total / (p.ratio - 1) / 2 ** p.bits_in / 2 ** p.bits_w

    def _key(self, layer: Any, p: LayerParams) -> tuple | None:
        """Cache key of a layer's mapped weights (they change only with the parameter)."""
        w = getattr(layer, "weight", None)
        if not isinstance(w, torch.Tensor):
            return None
        return (id(layer), w.data_ptr(), w._version, w.device, p, self.fixes)

    def _crossbar(self, p: LayerParams, cols: torch.Tensor, wg: torch.Tensor,
                  valid: torch.Tensor, bsz: int, has_outside: bool,
                  key: tuple | None = None, name: str = "") -> torch.Tensor:
        """Bit-serial crossbar product with per-read ADC.

        ``cols``: input integers ``(G, M, nn)`` (M = B*L rows, item-major); ``wg``: weights
        ``(G, nn, cout)``. Returns ``(B, L, cout)`` float64: the wrapper's
        ``output/2**bW`` before the layer's division by ``scale``.

        ADC of a batch of partial sums ``y`` (one range per read, bit, digit [, item]):
        ``idx = floor((y - min) * 2**bits / (max - min))``, clamped to ``2**bits - 1``; the
        quantized value ``min + idx*(max-min)/2**bits`` is shifted and added as
        ``sum(coef*min) + sum(coef*step*idx)``. With integer partial sums (integer on/off
        ratio, no variation or drift) whose range is below 2**13 and ADCs of at most 8 bits,
        this runs in float32 and is exact: ``y - min`` is an exact integer, the quotient
        (at most 2**bits) computed with the rounded reciprocal is within 2**(bits-23) <=
        2**-15 of the true one, a non-integer true quotient is at least
        ``1/(max-min) > 2**-13`` from the next integer, so adding 2**-14 before the floor
        gives the true floor; ``step*idx`` is exact and summed over reads exactly in
        float32, then shifted and summed over bits and digits in float64. Otherwise the same formula
        runs in float64 (exact for integer sums below 2**53 up to the rounded division;
        continuous with variation).
        """
        if self.nonideal.active():
            from .nonideal_crossbar import full_crossbar
            return full_crossbar(self, p, self.nonideal, cols, wg, valid, bsz, has_outside,
                                 f"{name}|{tuple(wg.shape)}", key)
        g_all, m, nn_ = cols.shape
        cout = wg.shape[-1]
        nl = m // bsz
        dev = cols.device
        nbits = p.bits_in
        _, levels = self._digits_layout(p)
        kd = len(levels)
        radix = 2 ** p.cell_bits
        ret = retention_active(p.t, p.v)
        per_unit = p.vari > 0 or (ret and p.detect != 1)  # weights redrawn per (read, bit)
        if self.arithmetic == "wrapper-float32" and not per_unit and self._f32_ctx:
            from .float32_ties import wrapper_float32_crossbar
            ctx, self._f32_ctx = self._f32_ctx, None
            return wrapper_float32_crossbar(self, p, cols, wg, valid, bsz, has_outside, ctx)
        gen = self._generator(dev) if per_unit else None
        # the variation's own streams, one per (read, bit) unit (:mod:`.rng`)
        vstream = stream_key(self.seed, self.calls) if p.vari > 0 else None
        amp = float(2 ** p.adc_bits)
        top = amp - 1

        integral = (not per_unit and not ret and float(p.ratio).is_integer())
        bound = nn_ * 2 * ((p.ratio - 1) * (radix - 1) + radix - 1)  # max |partial sum|
        # one pass over the inputs: signed? (and for the fused kernels: codes within a byte?)
        cmin, cmax = torch.stack(torch.aminmax(cols)).tolist() if cols.numel() else (0, 0)
        neg = cmin < 0
        span = 2 * bound if neg else bound  # widest ADC range: signed inputs span +-bound
        fast = integral and span < 2 ** 13 and p.adc_bits <= 8
        # float64 with random cells: CPU and CUDA then round the continuous sums alike
        dt = torch.float32 if fast else torch.float64
        xcode = cell = None
        cell0 = None  # with variation alone: the cells without it, mapped once
        if per_unit:
            xcode = self._weight_code(p, wg, valid)  # (G, nn, cout)
            # the digits draw nothing: the same every read (``_map_variation_once = False``
            # maps them per chunk, the reference for the tests)
            if self._map_variation_once and not (ret and p.detect != 1):
                vkey = None if key is None else key + (dt, has_outside, "variation")
                cell0 = self._cells.get(vkey) if vkey is not None else None
                if cell0 is None:
                    cell0 = self._cell(p, self._digits(p, xcode[:, None], valid[:, None],
                                                       has_outside, None)).to(dt)
                    cell0 = (cell0.reshape(cell0.shape[0], -1).contiguous(),
                             torch.mul(cell0, p.vari).reshape(cell0.shape[0], -1))
                    if vkey is not None:
                        self._cells = {k: v for k, v in self._cells.items()
                                       if k[0] != vkey[0]}
                        self._cells[vkey] = cell0
        else:  # mapped once per weight tensor (inference: weights do not change)
            ckey = None if key is None else key + (dt, has_outside)
            hit = self._cells.get(ckey) if ckey is not None else None
            if hit is None:
                xcode = self._weight_code(p, wg, valid)
                cell = self._cell(p, self._digits(p, xcode, valid, has_outside, None)).to(dt)
                if ckey is not None:
                    self._cells = {k: v for k, v in self._cells.items() if k[0] != ckey[0]}
                    self._cells[ckey] = cell
            else:
                cell = hit

        coef_k = torch.tensor([float(radix ** k) for k in range(kd)], dtype=torch.float64,
                              device=dev)
        parity = not self.fix_adc_range  # one ADC range over the whole batch
        if (fast and nbits <= 8 and self.ties == ("exact", "exact")
                and self._use_fused(dev, g_all, nbits, kd, span, p)):
            # bits z < 8 only are read: the magnitudes' low byte (the values when below
            # 256), signed inputs as int16 sign times that byte
            if max(cmax, -cmin) >= 256:
                cols = torch.sign(cols) * (cols.abs().to(torch.int32) & 255)
            codes = cols.to(torch.int16 if neg else torch.uint8)
            try:
                return self._crossbar_fused(p, codes, cell, bsz, kd, coef_k, parity)
            except Exception as exc:  # e.g. Triton cannot compile for this GPU
                if self.kernel == "fused":
                    raise
                self.fused_error = f"{type(exc).__name__}: {exc}"
                warnings.warn(f"the fused GPU kernels failed ({self.fused_error}); "
                              "the torch path computes the same result", RuntimeWarning,
                              stacklevel=2)
        # input magnitudes: bytes when below 256 (the bit planes are cut from them)
        mag = cols.abs().to(torch.uint8 if max(cmax, -cmin) < 256 else torch.int32)
        if fast and not per_unit:  # exact integer partial sums: the fused ADC, compiled
            kernel = self._adc_kernel(g_all * nbits * kd * m * cout, dev)
            if kernel is not None:
                try:
                    return self._crossbar_compiled(p, kernel, mag, cols if neg else None,
                                                   cell, ckey, bsz, coef_k, parity)
                except Exception as exc:  # e.g. no C++ compiler for inductor
                    self._compile_failed(exc)
        sgn = torch.sign(cols).to(dt) if neg else None

        # one (read, bit, digit) unit holds M x cout partial sums, and with per-unit
        # weights (variation, random drift) also nn x cout cells
        unit = max((m + (nn_ if per_unit else 0)) * cout, 1)
        budget = max(self.max_elements // unit, 1)
        kc = min(kd, budget)
        zc = min(nbits, max(budget // kc, 1))
        gc = min(g_all, max(budget // (kc * zc), 1))
        adc_dims = (2, 3, 5) if parity else (3, 5)
        down = self.ties[0] == "down"
        fkern = None  # the compiled ADC of continuous sums (:mod:`.adc_float`)
        if not fast and self.ties == ("exact", "exact"):
            fkern = self._adc_kernel(g_all * nbits * kd * m * cout, dev, "float")

        acc = torch.zeros(bsz, nl, cout, dtype=torch.float64, device=dev)
        acc_c = torch.zeros(bsz, dtype=torch.float64, device=dev)  # per-item constants
        acc_d = torch.zeros(bsz, nl, dtype=torch.float64, device=dev)  # dummy columns
        for g0 in range(0, g_all, gc):
            g1 = min(g0 + gc, g_all)
            ng = g1 - g0
            for z0 in range(0, nbits, zc):
                z1 = min(z0 + zc, nbits)
                nz = z1 - z0
                bits = self._bit_planes(mag[g0:g1], sgn[g0:g1] if sgn is not None else None,
                                        z0, z1, dt)  # (ng, nz, M, nn), a reused buffer
                count = bits.sum(-1).double()  # (ng, nz, M): rows read per bit (exact)
                coef_z = torch.tensor([float(2 ** z) for z in range(z0, z1)],
                                      dtype=torch.float64, device=dev)
                acc_d += self._dummy_sum(p, count.reshape(ng, nz, bsz, nl), coef_z, coef_k,
                                         parity)
                # unit (read g, bit z) = g * nbits + z: its draws do not depend on chunks
                units = [g * nbits + z for g in range(g0, g1) for z in range(z0, z1)]
                if per_unit and cell0 is not None:
                    # c + (vari c) N(0, 1) per unit, (ng, nz, nn, K, cout), into a reused
                    # buffer (:func:`.rng.varied_cells`)
                    out = self._buffer("noise", (ng * nz, cell0[0].shape[1]), dt, dev)
                    rows = [g for g in range(ng) for _ in range(nz)]
                    cell_u = varied_cells(vstream, units, rows, cell0[0][g0:g1],
                                          cell0[1][g0:g1], out)
                    cell_u = cell_u.view((ng, nz, nn_, kd, cout))
                elif per_unit:
                    xu = xcode[g0:g1, None].expand(ng, nz, nn_, cout)
                    cell_u = self._cell(p, self._digits(p, xu, valid[g0:g1, None],
                                                        has_outside, gen)).to(dt)
                    if p.vari > 0:
                        cv = cell_u.reshape(ng * nz, -1)
                        cell_u = varied_cells(vstream, units, range(ng * nz), cv,
                                              torch.mul(cv, p.vari), torch.empty_like(cv))
                        cell_u = cell_u.view((ng, nz, nn_, kd, cout))
                for k0 in range(0, kd, kc):
                    k1 = min(k0 + kc, kd)
                    nk = k1 - k0
                    shape = (ng, nz, bsz, nl, nk, cout)
                    ps = self._buffer("ps", shape, dt, dev)
                    if per_unit:
                        w = cell_u[..., k0:k1, :].reshape(ng * nz, nn_, nk * cout)
                        torch.bmm(bits.reshape(ng * nz, m, nn_), w.to(dt),
                                  out=ps.view(ng * nz, m, nk * cout))
                    else:
                        w = cell[g0:g1, :, k0:k1, :].reshape(ng, nn_, nk * cout)
                        torch.bmm(bits.reshape(ng, nz * m, nn_), w,
                                  out=ps.view(ng, nz * m, nk * cout))
                    self.stats["partial_sums"] += ps.numel()
                    lo = None
                    if fkern is not None:  # continuous sums: the same ADC in two passes
                        try:
                            lo, delta = fkern(ps, adc_dims, amp, top)
                            idx = ps
                        except Exception as exc:  # e.g. no C++ compiler for inductor
                            fkern = self._compile_failed(exc)
                    if lo is None:
                        lo = torch.amin(ps, dim=adc_dims, keepdim=True)
                        delta = torch.amax(ps, dim=adc_dims, keepdim=True) - lo
                        delta = torch.where(delta > 0, delta, torch.ones_like(delta))
                        ps.sub_(lo)
                        if fast:
                            ps.mul_(amp / delta).add_(-2.0 ** -14 if down else 2.0 ** -14)
                            idx = ps.floor_()
                        else:
                            ps.mul_(amp).div_(delta)
                            # "down"/"up" (diagnostic envelope): values within 1e-4 of a
                            # bin edge count as on it (the wrapper's float32 sums of
                            # drifted digits are that far from their true values)
                            idx = ps.sub_(1e-4).ceil_().sub_(1) if down else \
                                (ps.add_(1e-4).floor_() if self.ties[0] == "up"
                                 else ps.floor_())
                        # step*idx (exact for integer sums)
                        idx = idx.clamp_(min=0, max=top).mul_(delta / amp)
                    wz = (coef_z[:, None] * coef_k[None, k0:k1]).reshape(1, nz, 1, 1, nk, 1)
                    lo64 = (wz * lo.double()).sum(dim=(0, 1, 4, 5))  # (1|B, 1)
                    acc_c += lo64.reshape(-1)
                    # step*idx summed over reads (exact in float32 for integer sums: below
                    # 2**13 * reads), then shifted by 2**z * R**k and summed over bits and
                    # digits in float64 (exact for integer sums)
                    part = torch.sum(idx, dim=0, out=self._buffer(  # (nz, B, L, nk, cout)
                        "part", tuple(idx.shape[1:]), idx.dtype, dev)).double()
                    part.mul_(wz[0])
                    acc += part.sum(dim=(0, 3))
                    del ps, idx
        self.stats["adc_ranges"] += g_all * nbits * (kd + 1) * (1 if parity else bsz)
        total = acc + (acc_c[:, None] - acc_d)[..., None]
        return total / (p.ratio - 1) / 2 ** nbits / 2 ** p.bits_w


class _PlainShim:
    """A plain ``nn.Conv2d``/``nn.Linear`` seen as a CIM layer with configured settings."""

    def __init__(self, module: Any, settings: dict[str, Any], name: str) -> None:
        self.__dict__.update(settings)
        self.name = name
        self.mode = "WAGE"
        self.bias = None
        for attr in ("stride", "padding", "dilation", "groups"):
            if hasattr(module, attr):
                setattr(self, attr, getattr(module, attr))


def attach(model: Any, hardware: CrossbarModel, settings: dict[str, Any]) -> int:
    """Route every Conv2d/Linear of ``model`` through ``hardware``; returns how many.

    ``neurosim.nn`` layers get ``layer.hardware``. Plain torch layers (e.g. RoBERTa-LoRA's
    ``nn.Linear``) carry no NeuroSim precisions: a forward hook recomputes their output with
    weights divided by ``max|W|`` and quantized to ``wl_weight`` bits (``Q(C(W/max|W|))``)
    and inputs divided by ``max|x|`` (when above 1), the same normalization as the traces
    (:mod:`neurosim.nn.capture`); the product is scaled back and the bias added.
    ``settings``: the layer keywords (``wl_weight``, ``inference``, ``cell_bit``, ...).
    """
    import torch.nn as nn

    from ..nn import CIMLayer, Q
    from ..nn.quantizers import C

    n = 0
    routed: list[Any] = []  # the CIM layers (and shims) in model order
    for path, m in model.named_modules():
        if isinstance(m, CIMLayer):
            m.hardware = hardware
            routed.append(m)
            n += 1
        elif isinstance(m, (nn.Conv2d, nn.Linear)):
            shim = _PlainShim(m, settings, path)
            hardware.shims.append(shim)
            conv = isinstance(m, nn.Conv2d)

            def hook(mod: Any, args: tuple, out: Any, _shim: Any = shim,
                     _conv: bool = conv) -> Any:
                if not _shim.inference:
                    return out
                x = args[0]
                with torch.no_grad():
                    w = mod.weight
                    mw = float(w.abs().max()) or 1.0
                    wq = Q(C(w / mw, _shim.wl_weight), _shim.wl_weight)
                    mx = float(x.abs().max()) if x.numel() else 0.0
                    mx = mx if mx > 1 else 1.0
                    y = hardware._forward(_shim, x / mx, wq, _conv)
                    y = y * (mw * mx)
                    if mod.bias is not None:
                        y = y + (mod.bias.reshape(1, -1, 1, 1) if _conv else mod.bias)
                return y

            m.register_forward_hook(hook)
            routed.append(shim)
            n += 1
    per_layer = hardware.nonideal.drift_nu_per_layer
    if per_layer is not None:
        if len(per_layer) != len(routed):
            raise NeuroSimError(f"option drift_nu_per_layer has {len(per_layer)} values; the "
                                f"network has {len(routed)} CIM layers (one value each, in "
                                "model order)")
        for layer, nu in zip(routed, per_layer):
            layer.v = float(nu)
    return n
