"""The CPU fast path of the exact crossbar reads (issue 14) gives the step-by-step torch
path's result, bit for bit.

``CrossbarModel(compile="on")`` runs the exact integer partial sums through the compiled
fused ADC (:func:`neurosim.accuracy.quant.adc_shift_add`, ``torch.compile``; products
``bits @ digits`` in bfloat16 where exact and the CPU has a bfloat16 kernel, else
float32); ``compile="off"`` runs the
separate torch operations. Both must agree exactly (``torch.equal``) in every branch:
per-item and per-batch ranges, signed inputs, float32 products (cellBit 2 with 128 rows),
linear layers, ties read downwards, reused scratch buffers. The first run on a machine
compiles (inductor, ~10-30 s); torch caches the result on disk.
"""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import pytest

torch = pytest.importorskip("torch")

from neurosim.accuracy import crossbar as cb  # noqa: E402
from neurosim.accuracy.crossbar import CrossbarModel  # noqa: E402


def layer(**kw):
    d = dict(name="t", wl_input=8, wl_weight=8, inference=1, onoffratio=10.0, cell_bit=1,
             sub_array=16, parallel_read=None, adc_precision=5, vari=0.0, t=0.0, v=0.0,
             detect=0, target=0.0, model="VGG8", mode="WAGE", bias=None, stride=(1, 1),
             padding=(1, 1), dilation=(1, 1), groups=1)
    d.update(kw)
    return SimpleNamespace(**d)


def grid_weights(*shape, seed=0):
    g = torch.Generator().manual_seed(seed)
    w = torch.randn(*shape, generator=g) * 0.35
    return torch.round(torch.clamp(w, -127 / 128, 127 / 128) * 128) / 128


def activations(*shape, seed=1, signed=False):
    g = torch.Generator().manual_seed(seed)
    x = 0.3 * (torch.randn(*shape, generator=g) + (0.0 if signed else 0.25))
    lo = -255 / 256 if signed else 0
    return torch.round(torch.clamp(x, lo, 255 / 256) * 256) / 256


def both(ly, x, w, conv=True, bf16=None, **kw):
    out = []
    for mode in ("off", "on"):
        hw = CrossbarModel(compile=mode, **kw)
        hw.bf16_products = bf16
        out.append(hw.conv2d(ly, x, w) if conv else hw.linear(ly, x, w))
        assert hw.compile_error is None
    return out


@pytest.mark.parametrize("mode", ["default", "parity"])
def test_conv_bf16_products(mode):
    """cellBit 1, 16 rows: bfloat16 products; one ADC range per item or per batch."""
    ly = layer()
    a, b = both(ly, activations(2, 32, 6, 6), grid_weights(12, 32, 3, 3), mode=mode,
                bf16=True)
    assert torch.equal(a, b) and a.abs().max() > 0


def test_products_float32_where_the_cpu_has_no_bf16_kernel():
    """By default the compiled path multiplies in bfloat16 only where the CPU does so
    natively: on AVX2-only CPUs torch's bfloat16 ``bmm`` is a scalar fallback (measured
    15x slower than float32; a VGG8 pass ran for minutes instead of seconds). Before the
    fix the product buffer was bfloat16 on every CPU."""
    ly = layer()
    hw = CrossbarModel(compile="on")
    out = hw.conv2d(ly, activations(2, 32, 6, 6), grid_weights(12, 32, 3, 3))
    native = bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    dtypes = {key[1] for key in hw._buffers if key[0] == "prod"}
    assert dtypes == {torch.bfloat16 if native else torch.float32}
    hw.bf16_products = not native
    assert torch.equal(hw.conv2d(ly, activations(2, 32, 6, 6), grid_weights(12, 32, 3, 3)),
                       out)


def test_conv_float32_products_signed_inputs_ties_down():
    """cellBit 2 with 128 rows (|P| up to 384: float32 products), signed inputs (as
    DenseNet40/ResNet18 feed), ties on a bin edge read in the lower bin."""
    ly = layer(cell_bit=2, sub_array=128, adc_precision=6)
    x = activations(2, 160, 4, 4, signed=True)
    assert (x < 0).any()
    a, b = both(ly, x, grid_weights(10, 160, 3, 3), ties=("down", "exact"))
    assert torch.equal(a, b)


def test_linear_and_batch_one():
    """A linear layer (one output position per item) and a batch of one."""
    ly = layer(sub_array=32, padding=(0, 0))
    w = grid_weights(24, 100)
    a, b = both(ly, activations(3, 100), w, conv=False)
    assert torch.equal(a, b)
    a, b = both(ly, activations(1, 100, seed=4), w, conv=False, mode="parity")
    assert torch.equal(a, b)


def test_buffers_reused_across_layers():
    """Scratch buffers are kept: a second, smaller layer reuses the first one's storage,
    and each result still equals a fresh model's."""
    hw = CrossbarModel(compile="on")
    big, small = layer(), layer(sub_array=8, name="u")
    xb, wb = activations(2, 32, 6, 6), grid_weights(12, 32, 3, 3)
    xs, ws = activations(2, 8, 5, 5, seed=5), grid_weights(6, 8, 3, 3, seed=6)
    yb = hw.conv2d(big, xb, wb)
    ptrs = {k: v.data_ptr() for k, v in hw._buffers.items()}
    ys = hw.conv2d(small, xs, ws)
    assert {k: v.data_ptr() for k, v in hw._buffers.items()} == ptrs
    assert torch.equal(ys, CrossbarModel(compile="off").conv2d(small, xs, ws))
    assert torch.equal(hw.conv2d(big, xb, wb), yb)
    hw.release_buffers()
    assert not hw._buffers


def test_auto_threshold_and_failure_fallback(monkeypatch):
    """compile="auto" compiles only large layer calls; when the compiled kernel fails it
    warns once, records why and computes the same result with torch operations;
    compile="on" raises."""
    ly = layer()
    x, w = activations(2, 32, 6, 6), grid_weights(12, 32, 3, 3)
    expected = CrossbarModel(compile="off").conv2d(ly, x, w)
    calls = []

    def broken():
        def kernel(*args):
            calls.append(1)
            raise RuntimeError("no compiler")
        return kernel

    import neurosim.accuracy.quant as quant
    monkeypatch.setattr(quant, "adc_shift_add_kernel", broken)
    hw = CrossbarModel()  # "auto": this call is far below the threshold
    assert torch.equal(hw.conv2d(ly, x, w), expected) and not calls
    monkeypatch.setattr(cb, "COMPILE_MIN_PARTIAL_SUMS", 1)
    with pytest.warns(RuntimeWarning, match="compiled ADC failed"):
        y = hw.conv2d(ly, x, w)
    assert torch.equal(y, expected) and calls and "no compiler" in hw.compile_error
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not tried again
        assert torch.equal(hw.conv2d(ly, x, w), expected)
    with pytest.raises(RuntimeError, match="no compiler"):
        CrossbarModel(compile="on").conv2d(ly, x, w)
    with pytest.raises(Exception, match="compile 'yes'"):
        CrossbarModel(compile="yes")


@pytest.mark.parametrize("mode", ["default", "parity"])
def test_variation_cells_mapped_once_equal_per_chunk_mapping(mode):
    """With variation the cells are mapped once per layer and the per-read draws land in a
    reused buffer: the same numbers as mapping the digits per chunk and multiplying by a
    fresh draw (the slow path), for conv and linear layers, several chunks and calls."""
    conv = layer(vari=0.05, sub_array=16)
    lin = layer(vari=0.1, sub_array=16, padding=(0, 0), name="fc")
    x, w = activations(2, 24, 4, 4), grid_weights(8, 24, 3, 3)
    xl, wl = activations(3, 40, seed=8), grid_weights(6, 40, seed=9)
    out = []
    for once in (False, True):
        hw = CrossbarModel(mode=mode, seed=3, max_elements=1 << 14)
        hw._map_variation_once = once
        out.append([hw.conv2d(conv, x, w), hw.linear(lin, xl, wl), hw.conv2d(conv, x, w)])
    for a, b in zip(*out):
        assert torch.equal(a, b)
    assert not torch.equal(out[1][0], out[1][2])  # redrawn on every call
