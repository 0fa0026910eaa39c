"""Run a model once and capture, in memory, what NeuroSim needs: the layer table
(``NetWork.csv`` rows) and each layer's weight and input-bit traces.

The traces are those the wrapper's ``utee/hook.py`` writes, computed with numpy/torch array
operations (no loop per value):

* weights: WAGE layers ``Q(W, wl_weight)`` (the raw parameter, not ``W*scale``), FP layers
  ``float_range_quantize(W, wl_weight)``; conv ``(Cout, Cin, K, K)`` reshaped to
  ``(Cout, Cin*K*K)`` and transposed (rows ``c*K*K + kh*K + kw``), linear transposed;
* inputs: the hooked layer's input, **first item of the batch only**; conv inputs unfolded
  (im2col with the layer's padding and stride, windows row-major), then ``dec2bin``: two's
  complement with ``n = wl_input`` bits, MSB (sign, weight ``-1``) first, greedy truncation,
  values >= 1 saturating to all ones; column ``window*n + bit``. Conv windows are expanded
  in float64 (the wrapper's ``stretch_input`` builds a float64 matrix) and linear inputs in
  the tensor's own dtype, as in the wrapper.

Layers are every ``nn.Conv2d`` / ``nn.Linear`` (so the ``neurosim.nn`` layers, plain torch
layers and LoRA adapters' ``lora_A``/``lora_B``), in forward-execution order. Plain torch
layers carry no ``wl_weight``/``wl_input``: their weights are divided by ``max|W|`` and
quantized to the configured weight bits (``Q(C(W/max|W|))``) and their inputs divided by
``max|x|`` when that exceeds 1, because NeuroSim maps only values in [-1, 1].

Layer-table rows (``IFM_H, IFM_W, Cin, K_h, K_w, Cout, pool, stride``) come from the hooked
shapes. A linear layer on a sequence (``batch x T x in``) is a 1x1 conv on a ``T x 1`` map,
so NeuroSim reads ``T`` input vectors. ``pool`` is 1 when a pooling op runs between this
layer and the next CIM layer; ``Cout`` is the channel count after a channel concatenation
that runs in that interval (DenseNet), as in the wrapper's ``NetWork_*.csv``. Such a
layer's weight trace is padded with weight-0 columns up to that ``Cout`` so the arrays are
those of the table (the wrapper writes only the conv's own columns, and NeuroSim then reads
past the end of its weight matrix).

Grouped and depthwise convolutions (``groups > 1``, MobileNet-style) map as one layer whose
weight matrix is **block-diagonal**: rows ``Cin*K*K`` (every input channel, as the unfolded
input has them) by ``Cout``, the ``Cin/groups*K*K`` weights of each output channel in its
group's rows and weight 0 elsewhere, so the zeros occupy cells and the arrays, reads and ADC
conversions are those of a dense conv of the same shape (a depthwise layer uses ``1/Cin`` of
its cells). The layer table row is the dense conv's; the report says which layers are
packed this way and their weight density (:meth:`NetworkCapture.mapping_notes`).

Layers that compute weight x activation products but do not map to NeuroSim's layer model
(``ConvTranspose1d/2d/3d``, ``Conv1d``, ``Conv3d``, ``RNN``/``LSTM``/``GRU`` and their cells,
``Bilinear``, ``MultiheadAttention``'s packed projections) are never dropped silently: each
one in the model is listed in :attr:`NetworkCapture.unmapped` with its weight count and
whether it ran, and the report prints a warning that their work is not in the chip figures.

Activation x activation products (``matmul``/``bmm``/``scaled_dot_product_attention`` on
tensors that are not parameters, e.g. attention scores and context) are not CIM work; they
are counted as digital operations (2 per multiply-accumulate, per input item).
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode

from ..engine.traces import LayerSpec
from ..errors import NeuroSimError
from .quantizers import C, Q, float_range_quantize
from .records import (CapturedLayer, DigitalOp, NetworkCapture, UnmappedLayer,  # noqa: F401
                      block_diagonal)


#: layer types that hold weights but have no CIM mapping here, with the reason
_UNMAPPED: tuple[tuple[type, str], ...] = (
    (nn.modules.conv._ConvTransposeNd, "transposed convolution: NeuroSim's layer model has "
     "no col2im/upsampling mapping"),
    (nn.Conv1d, "1-D convolution: NeuroSim's layer table describes 2-D feature maps only"),
    (nn.Conv3d, "3-D convolution: NeuroSim's layer table describes 2-D feature maps only"),
    (nn.RNNBase, "recurrent layer: its weights are applied through the recurrence (no "
     "Linear modules to hook); rewrite it with nn.Linear cells to map it"),
    (nn.RNNCellBase, "recurrent cell: its weights are used without Linear modules; "
     "rewrite it with nn.Linear to map it"),
    (nn.Bilinear, "bilinear layer: x1^T A x2 is not a matrix-vector product"),
    (nn.MultiheadAttention, "packed in_proj/out_proj weights are applied through "
     "F.multi_head_attention_forward, not through Linear modules"),
)


def unmapped_reason(module: nn.Module) -> str | None:
    """Why ``module`` (with weights) does not map to CIM arrays, or None if it maps or
    holds no products."""
    for cls, reason in _UNMAPPED:
        if isinstance(module, cls):
            return reason
    return None


def dec2bin_planes(x: np.ndarray, n: int) -> np.ndarray:
    """Bit planes of the wrapper's ``dec2bin``: ``(n, *x.shape)`` uint8, MSB (sign) first.

    Same float operations as the wrapper in ``x``'s dtype: ``x_int = x/2**-(n-1)``, sign
    bit ``x_int < 0``, ``rest = x_int + 2**(n-1)*sign``, then greedy bits of weight
    ``2**(n-2) ... 1`` (``rest >= base``).
    """
    if n < 1:
        raise NeuroSimError(f"input bits = {n}: must be at least 1")
    if not np.all(np.isfinite(x)):
        raise NeuroSimError("a layer input holds NaN or infinite values; cannot build its "
                            "input-bit trace")
    delta = 1.0 / (2 ** (n - 1))
    x_int = x / delta
    base = 2 ** (n - 1)
    out = np.empty((n,) + x.shape, dtype=np.uint8)
    y = (x_int < 0)
    out[0] = y
    rest = x_int + base * y.astype(x.dtype)
    for i in range(1, n):  # one vectorized step per bit
        base = base / 2
        y = rest >= base
        out[i] = y
        rest = rest - base * y.astype(x.dtype)
    return out


#: the widest input precision held as one integer code per element (wider: bit planes)
MAX_CODE_BITS = 64


def _pattern_dtype(n: int) -> type:
    """The smallest unsigned integer type that holds an ``n``-bit pattern."""
    for dtype in (np.uint8, np.uint16, np.uint32, np.uint64):
        if n <= 8 * np.dtype(dtype).itemsize:
            return dtype
    raise NeuroSimError(f"input bits = {n}: at most {MAX_CODE_BITS} fit one integer code")


def dec2bin_codes(x: np.ndarray, n: int) -> np.ndarray:
    """The ``n`` bits :func:`dec2bin_planes` gives each element of ``x``, as one unsigned
    integer per element (bit ``n-1`` = the sign bit, then MSB to LSB), bit for bit equal.

    With ``x_int = x/2**-(n-1)`` and ``rest = x_int + 2**(n-1)*[x_int < 0]`` (the same
    float operations, in ``x``'s dtype), the greedy bits of weight ``2**(n-2) ... 1`` are
    the binary digits of ``code = clip(floor(rest), 0, 2**(n-1) - 1)``: while
    ``base <= rest < 2*base`` the subtraction ``rest - base`` is exact (Sterbenz), so the
    greedy steps are integer arithmetic on ``floor(rest)``; ``rest >= 2**(n-1)`` stays
    ``>= base`` at every step (all ones, the saturation) and ``rest < 0`` gives all zeros.
    Pattern ``= [x_int < 0] * 2**(n-1) + code``. About 8 passes over ``x`` instead of
    ``4n`` float passes.
    """
    if n < 1:
        raise NeuroSimError(f"input bits = {n}: must be at least 1")
    dtype = _pattern_dtype(n)
    if not np.all(np.isfinite(x)):
        raise NeuroSimError("a layer input holds NaN or infinite values; cannot build its "
                            "input-bit trace")
    top = 2 ** (n - 1) - 1
    if float(np.asarray(top, dtype=x.dtype)) != top:  # e.g. n > 25 in float32: bit planes
        planes = dec2bin_planes(x, n)
        code = np.zeros(x.shape, dtype=dtype)
        for i in range(n):  # one vectorized step per bit
            code |= planes[i].astype(dtype) << dtype(n - 1 - i)
        return code
    delta = 1.0 / (2 ** (n - 1))
    rest = x / delta  # x_int, a fresh array (modified in place below)
    sign = rest < 0
    np.add(rest, 2 ** (n - 1), out=rest, where=sign)  # x_int + 2**(n-1) where negative
    np.floor(rest, out=rest)
    np.clip(rest, 0, top, out=rest)
    code = rest.astype(dtype)
    if n > 1:
        code |= sign.astype(dtype) << dtype(n - 1)
    else:
        code = sign.astype(dtype)
    return code


def expand_codes(codes: np.ndarray, n: int) -> np.ndarray:
    """Bit columns of ``n``-bit patterns: ``(rows, cols)`` -> ``(rows, cols*n)`` uint8,
    column ``c*n + b`` = bit ``n-1-b`` of ``codes[r, c]`` (MSB, the sign, first)."""
    rows, cols = codes.shape
    if n == 8 and codes.dtype == np.uint8:
        return np.unpackbits(codes, axis=1)  # big bit order: MSB first
    shifts = np.arange(n - 1, -1, -1, dtype=codes.dtype)
    bits = (codes[:, :, None] >> shifts) & codes.dtype.type(1)
    return bits.astype(np.uint8, copy=False).reshape(rows, cols * n)


def unfold_codes(codes: np.ndarray, kernel: tuple[int, int], padding: tuple[int, int],
                 stride: tuple[int, int]) -> np.ndarray:
    """im2col of per-pixel codes ``(C, H, W)`` -> ``(C*kh*kw, windows)``, rows
    ``c*kh*kw + i*kw + j`` and windows row-major as ``F.unfold``; padding gets code 0 (the
    code of the value 0: all bits clear)."""
    (kh, kw), (ph, pw), (sh, sw) = kernel, padding, stride
    padded = np.pad(codes, ((0, 0), (ph, ph), (pw, pw))) if ph or pw else codes
    view = np.lib.stride_tricks.sliding_window_view(padded, (kh, kw), axis=(1, 2))
    view = view[:, ::sh, ::sw]  # (C, Ho, Wo, kh, kw)
    c, ho, wo = view.shape[:3]
    return np.ascontiguousarray(view.transpose(0, 3, 4, 1, 2)).reshape(c * kh * kw, ho * wo)


def conv_input_bits(x0: torch.Tensor, kernel: tuple[int, int], padding: tuple[int, int],
                    stride: tuple[int, int], n: int) -> np.ndarray:
    """Input-bit trace of a conv layer from one input item ``(C, H, W)``: rows ``C*kh*kw``,
    columns ``window*n + bit`` (windows row-major, zero padding included).

    The wrapper unfolds the input in float64 and converts every window element; the
    conversion is elementwise and unfolding only copies elements (padding is 0, code 0),
    so each pixel is converted once, in float64 as there (:func:`dec2bin_codes`), and
    the integer codes are unfolded and expanded to bits (:func:`unfold_codes`,
    :func:`expand_codes`): the same bits as :func:`conv_input_bits_reference`."""
    if n > MAX_CODE_BITS:
        return conv_input_bits_reference(x0, kernel, padding, stride, n)
    pixels = x0.detach().cpu().numpy().astype(np.float64)  # (C, H, W)
    codes = unfold_codes(dec2bin_codes(pixels, n), kernel, padding, stride)
    return expand_codes(codes, n)


def conv_input_bits_reference(x0: torch.Tensor, kernel: tuple[int, int],
                              padding: tuple[int, int], stride: tuple[int, int],
                              n: int) -> np.ndarray:
    """The wrapper's order of operations (float64 ``F.unfold``, then
    :func:`dec2bin_planes` on every window element): the slow path that
    :func:`conv_input_bits` is tested against."""
    cols = F.unfold(x0[None].to(torch.float64), kernel_size=kernel, padding=padding,
                    stride=stride)[0]  # (C*kh*kw, windows)
    planes = dec2bin_planes(cols.numpy(), n)  # (n, rows, windows)
    rows, windows = cols.shape
    return np.ascontiguousarray(planes.transpose(1, 2, 0)).reshape(rows, windows * n)


def linear_input_bits(x0: torch.Tensor, n: int) -> np.ndarray:
    """Input-bit trace of a linear layer from one item: ``(in,)`` or ``(T, in)`` -> rows
    ``in``, columns ``token*n + bit`` (converted in the tensor's own dtype, as the
    wrapper does)."""
    x = x0.detach().cpu().numpy()
    if x.ndim == 1:
        x = x[None]
    x = x.reshape(-1, x.shape[-1])  # (T, in)
    if n > MAX_CODE_BITS:
        return linear_input_bits_reference(x0, n)
    return expand_codes(np.ascontiguousarray(dec2bin_codes(x, n).T), n)


def linear_input_bits_reference(x0: torch.Tensor, n: int) -> np.ndarray:
    """:func:`linear_input_bits` through :func:`dec2bin_planes` (the slow path)."""
    x = x0.detach().cpu().numpy()
    if x.ndim == 1:
        x = x[None]
    x = x.reshape(-1, x.shape[-1])  # (T, in)
    planes = dec2bin_planes(x, n)  # (n, T, in)
    t, rows = x.shape
    return np.ascontiguousarray(planes.transpose(2, 1, 0)).reshape(rows, t * n)


def trace_weights(module: nn.Module, weight_bits: int) -> tuple[np.ndarray, int]:
    """The weight trace of a layer (rows ``cin*kh*kw`` x ``cout``, float64) and its bits."""
    w = module.weight.detach()
    mode = getattr(module, "mode", None)
    bits = int(getattr(module, "wl_weight", weight_bits))
    if mode == "WAGE":
        q = Q(w, bits) if bits == 1 or bits > 15 else \
            w.mul(2.0 ** (bits - 1)).round_().div_(2.0 ** (bits - 1))  # Q, in place
    elif mode == "FP":
        q = float_range_quantize(w, bits)
    else:
        m = float(w.abs().max())
        q = Q(C(w / m if m > 0 else w, bits), bits)
    # transposed by torch in float32 (a blocked copy), then widened: 2-3x faster than
    # numpy's strided float64 transpose of the large layers
    q = q.reshape(q.shape[0], -1).t().contiguous()
    return np.ascontiguousarray(q.cpu().numpy().astype(np.float64)), bits


def _pair(v: Any) -> tuple[int, int]:
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


class _Recorder(TorchFunctionMode):
    """Records pooling, concatenation and activation x activation products in order."""

    def __init__(self, batch: int) -> None:
        super().__init__()
        self.events: list[tuple[str, Any]] = []
        self.paused = False
        self.batch = max(batch, 1)
        self.digital: list[DigitalOp] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        if self.paused:
            return out
        name = getattr(func, "__name__", "")
        if "pool" in name:
            self.events.append(("pool", name))
        elif name == "cat" and isinstance(out, torch.Tensor) and out.dim() == 4:
            self.events.append(("cat", int(out.shape[1])))
        elif name in ("matmul", "__matmul__", "bmm", "mm", "baddbmm"):
            a, b = (args[-2], args[-1]) if name == "baddbmm" else (args[0], args[1])
            self._product(name, a, b, out)
        elif name == "scaled_dot_product_attention":
            q, k, v = args[0], args[1], args[2]
            if all(isinstance(t, torch.Tensor) for t in (q, k, v)):
                lead = math.prod(q.shape[:-2])
                macs = lead * q.shape[-2] * k.shape[-2] * (q.shape[-1] + v.shape[-1])
                self.digital.append(DigitalOp("attention scores + context", 2.0 * macs /
                                              self.batch, (tuple(q.shape), tuple(k.shape))))
        return out

    def _product(self, name: str, a: Any, b: Any, out: Any) -> None:
        if not (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor)
                and isinstance(out, torch.Tensor)):
            return
        if isinstance(a, nn.Parameter) or isinstance(b, nn.Parameter) or a.dim() < 2:
            return
        macs = out.numel() * a.shape[-1]
        self.digital.append(DigitalOp(name, 2.0 * macs / self.batch,
                                      (tuple(a.shape), tuple(b.shape))))


#: module-path prefix a PEFT wrapper adds (dropped from layer labels, kept in ``path``)
_PEFT_PREFIX = "base_model.model."


def cim_layers(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """The layers mapped to CIM arrays: every Conv2d and Linear, by module path."""
    return [(p, m) for p, m in model.named_modules() if isinstance(m, (nn.Conv2d, nn.Linear))]


def capture(model: nn.Module, inputs: Any, *, weight_bits: int = 8, input_bits: int = 8,
            check_bits: bool = True) -> NetworkCapture:
    """Run ``model`` on ``inputs`` once (no grad) and capture layer table and traces.

    ``inputs``: a tensor, or a dict of tensors passed as keyword arguments (text models).
    ``weight_bits``/``input_bits`` are NeuroSim's synapse and input precisions; with
    ``check_bits`` a layer whose own ``wl_weight``/``wl_input`` differ raises, since
    NeuroSim would read its traces with the wrong precision.
    """
    layers = cim_layers(model)
    odd = [(p, m, unmapped_reason(m)) for p, m in model.named_modules()
           if unmapped_reason(m) is not None]
    if not layers:
        extra = "".join(f"; {p} ({type(m).__name__}): {r}" for p, m, r in odd[:5])
        raise NeuroSimError("the model has no Conv2d or Linear layer: nothing maps to CIM "
                            f"arrays{extra}")
    batch = _batch_size(inputs)
    rec = _Recorder(batch)
    captured: list[CapturedLayer | None] = []
    seen: dict[int, int] = {}
    handles = []

    def hook(module: nn.Module, args: tuple, _out: Any, path: str) -> None:
        rec.paused = True
        try:
            if id(module) in seen:
                raise NeuroSimError(
                    f"layer {path} ran twice in one forward pass; NeuroSim maps each layer "
                    "to its own arrays (weight sharing is not supported)")
            x = args[0]
            wbits = int(getattr(module, "wl_weight", weight_bits))
            ibits = int(getattr(module, "wl_input", input_bits))
            if check_bits and (wbits != weight_bits or ibits != input_bits):
                raise NeuroSimError(
                    f"layer {path} uses {wbits}-bit weights and {ibits}-bit inputs, but the "
                    f"configuration says synapse_bits = {weight_bits}, input_bits = "
                    f"{input_bits}; build the model with the configured precisions or "
                    f"--set synapse_bits={wbits} --set input_bits={ibits}")
            weights, wbits = trace_weights(module, weight_bits)
            x0 = x[0].detach().cpu()
            if getattr(module, "mode", None) is None:
                m = float(x0.abs().max()) if x0.numel() else 0.0
                if m > 1:
                    x0 = x0 / m
            if isinstance(module, nn.Conv2d):
                if x0.dim() != 3:
                    raise NeuroSimError(f"conv layer {path}: expected a batched 4-D input, "
                                        f"got shape {tuple(x.shape)}")
                kh, kw = _pair(module.kernel_size)
                stride = _pair(module.stride)
                padding = module.padding
                if isinstance(padding, str):
                    raise NeuroSimError(f"conv layer {path}: padding={padding!r} is not "
                                        "supported; give the padding as numbers")
                padding = _pair(padding)
                if _pair(module.dilation) != (1, 1):
                    raise NeuroSimError(f"conv layer {path}: dilated convolutions do not map "
                                        "to NeuroSim's layer table (its window count "
                                        "assumes dilation 1)")
                if module.groups > 1:
                    weights = block_diagonal(weights, int(module.groups))
                if stride[0] != stride[1]:
                    raise NeuroSimError(f"conv layer {path}: stride {stride} differs per "
                                        "axis; NeuroSim's layer table has one stride")
                bits = conv_input_bits(x0, (kh, kw), padding, stride, ibits)
                c, h, w = x0.shape
                spec = LayerSpec(int(h), int(w), int(c), kh, kw, int(module.out_channels),
                                 False, stride[0])
                kind, cout, groups = "conv", int(module.out_channels), int(module.groups)
            else:
                bits = linear_input_bits(x0, ibits)
                tokens = 1 if x0.dim() <= 1 else int(math.prod(x0.shape[:-1]))
                spec = LayerSpec(tokens, 1, int(module.in_features), 1, 1,
                                 int(module.out_features), False, 1)
                kind, cout, groups = "linear", int(module.out_features), 1
            seen[id(module)] = len(captured)
            rec.events.append(("layer", len(captured)))
            label = str(getattr(module, "name", "") or path.removeprefix(_PEFT_PREFIX))
            captured.append(CapturedLayer(label, path,
                                          kind, spec, weights, bits, wbits, ibits, cout,
                                          groups))
        finally:
            rec.paused = False

    for path, module in layers:
        handles.append(module.register_forward_hook(
            lambda m, a, o, _p=path: hook(m, a, o, _p)))
    ran: set[str] = set()
    for path, module, _ in odd:
        handles.append(module.register_forward_hook(
            lambda m, a, o, _p=path: ran.add(_p)))
    try:
        with torch.no_grad(), rec:
            out = model(**inputs) if isinstance(inputs, dict) else model(inputs)
    finally:
        for h in handles:
            h.remove()
    done = [c for c in captured if c is not None]
    if not done:
        raise NeuroSimError("no Conv2d or Linear layer ran in the forward pass")
    _apply_events(done, rec.events)
    unmapped = [UnmappedLayer(p, type(m).__name__, sum(int(t.numel()) for t in m.parameters()),
                              p in ran, r) for p, m, r in odd]
    return NetworkCapture(done, rec.digital, out, batch, unmapped)


def _apply_events(layers: Sequence[CapturedLayer], events: list[tuple[str, Any]]) -> None:
    current: int | None = None
    pool: dict[int, bool] = {}
    cat: dict[int, int] = {}
    for kind, value in events:
        if kind == "layer":
            current = value
        elif current is None:
            continue
        elif kind == "pool":
            pool[current] = True
        elif kind == "cat" and current not in cat:
            cat[current] = value
    for i, layer in enumerate(layers):
        s = layer.spec
        cout = cat.get(i, s.cout) if layer.kind == "conv" else s.cout
        if cout > layer.weights.shape[1]:
            # the table counts the concatenated channels (upstream's NetWork_DenseNet40.csv);
            # the pass-through channels get weight-0 columns so the arrays match the table
            # (the wrapper writes only the conv's own columns and NeuroSim reads past them)
            layer.weights = np.pad(layer.weights, ((0, 0), (0, cout - layer.weights.shape[1])))
        layer.spec = LayerSpec(s.ifm_h, s.ifm_w, s.cin, s.kh, s.kw, cout, pool.get(i, False),
                               s.stride)


def _batch_size(inputs: Any) -> int:
    if isinstance(inputs, torch.Tensor):
        return int(inputs.shape[0]) if inputs.dim() else 1
    if isinstance(inputs, dict):
        for v in inputs.values():
            if isinstance(v, torch.Tensor) and v.dim():
                return int(v.shape[0])
    return 1
