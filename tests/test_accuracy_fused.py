"""The fused Triton kernels of the exact crossbar path give the torch path's result, bit for bit.

Without a GPU the kernels run in Triton's interpreter (``TRITON_INTERPRET=1``, set before
Triton is imported, hence the subprocess). The shapes are small but reach every branch:
one K block and several (``ONE``), column tiles with and without a ragged edge
(``EVEN_N``), int8 and fp16 products in the range kernel, signed inputs, per-item ranges
with items longer and shorter than a row tile,
one range per batch (parity), reads split over programs (``SPLIT_G``) or not, the ADC
kernel on the range kernel's tiles or its own, conv and
linear layers; 4-bit inputs and weights keep the interpreter's loops short. On a GPU, ``benchmarks/accuracy_gpu.py`` checks CPU against CUDA.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

torch = pytest.importorskip("torch")

SCRIPT = textwrap.dedent("""
    import json, torch
    from types import SimpleNamespace
    from neurosim.accuracy.crossbar import CrossbarModel
    from neurosim.accuracy import fused_crossbar as fc

    def layer(**kw):
        d = dict(name="t", wl_input=4, wl_weight=4, inference=1, onoffratio=10.0, cell_bit=1,
                 sub_array=16, parallel_read=None, adc_precision=5, vari=0.0, t=0.0, v=0.0,
                 detect=0, target=0.0, model="VGG8", mode="WAGE", bias=None, stride=(1, 1),
                 padding=(1, 1), dilation=(1, 1), groups=1)
        d.update(kw)
        return SimpleNamespace(**d)

    def grid_weights(*shape):
        w = torch.randn(*shape) * 0.35
        return torch.round(torch.clamp(w, -127 / 128, 127 / 128) * 128) / 128

    def activations(*shape):
        x = 0.3 * (torch.randn(*shape) + 0.25)
        return torch.round(torch.clamp(x, 0, 127 / 128) * 128) / 128

    torch.manual_seed(7)
    fc.BLOCK_M = 16
    rows = []
    # (cin, cout, side, cell_bits, sub_array, adc, block_k, split, int8 range products)
    for cin, cout, side, cb, sa, adc, bk, split, i8 in [
            (16, 16, 5, 1, 16, 5, 128, None, True),  # one K block, even columns, items > tile
            (24, 20, 3, 2, 24, 3, 16, 2, False),     # two K blocks, ragged columns, items < tile
    ]:
        fc.BLOCK_K, fc.SPLIT_G, fc.RANGE_INT8 = bk, split, i8
        # the ADC kernel on its own tiles in the second configuration
        fc.ADC_BLOCK_M, fc.ADC_BLOCK_N = (32, 16) if split else (None, None)
        w = grid_weights(cout, cin, 3, 3)
        x = activations(2, cin, side, side)
        ly = layer(cell_bit=cb, sub_array=sa, adc_precision=adc)
        for mode in ("parity", "default"):
            a = CrossbarModel(mode=mode, kernel="torch").conv2d(ly, x, w)
            b = CrossbarModel(mode=mode, kernel="fused").conv2d(ly, x, w)
            rows.append(["conv", cin, cb, mode, bool(torch.equal(a, b)),
                         float((a - b).abs().max())])
    # parity mode does not saturate: inputs above 1 give codes above 255, whose low byte
    # both paths read
    fc.BLOCK_K, fc.SPLIT_G, fc.RANGE_INT8 = 128, None, True
    w = grid_weights(16, 16, 3, 3)
    x = activations(1, 16, 3, 3) * 40  # 4-bit codes up to about 600
    ly = layer(sub_array=16, wl_weight=3)  # and 3 digits: the range kernel pads them to 4
    a = CrossbarModel(mode="parity", kernel="torch").conv2d(ly, x, w)
    b = CrossbarModel(mode="parity", kernel="fused").conv2d(ly, x, w)
    rows.append(["conv, inputs above 1", 16, 1, "parity", bool(torch.equal(a, b)),
                 float((a - b).abs().max())])
    # signed inputs (bits of -1, 0 or 1): int8 and fp16 range products; in parity mode
    # magnitudes above 255 keep their low byte and their sign
    for i8, scale, modes in ((True, 1.0, ("parity", "default")), (False, 40.0, ("parity",))):
        fc.BLOCK_K, fc.SPLIT_G, fc.RANGE_INT8 = 128, None, i8
        w = grid_weights(16, 16, 3, 3)
        x = torch.round(torch.clamp(0.4 * torch.randn(1, 16, 3, 3), -127 / 128, 127 / 128)
                        * 128) / 128 * scale
        ly = layer(sub_array=16)
        for mode in modes:
            a = CrossbarModel(mode=mode, kernel="torch").conv2d(ly, x, w)
            b = CrossbarModel(mode=mode, kernel="fused").conv2d(ly, x, w)
            rows.append(["conv, signed inputs", 16, 1, mode, bool(torch.equal(a, b)),
                         float((a - b).abs().max())])
    # two reads of 40 rows: two K blocks of 32 in both kernels (int8 and fp16 products)
    fc.BLOCK_K, fc.SPLIT_G, fc.RANGE_INT8 = 32, 3, True
    w = grid_weights(12, 80)
    x = activations(3, 80)
    ly = layer(cell_bit=2, sub_array=40, adc_precision=4)
    for mode in ("parity", "default"):
        a = CrossbarModel(mode=mode, kernel="torch").linear(ly, x, w)
        b = CrossbarModel(mode=mode, kernel="fused").linear(ly, x, w)
        rows.append(["linear", 80, 2, mode, bool(torch.equal(a, b)),
                     float((a - b).abs().max())])
    print(json.dumps(rows))
""")


def test_fused_kernels_equal_torch_path_in_interpreter():
    pytest.importorskip("triton")
    env = dict(os.environ, TRITON_INTERPRET="1")
    res = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         env=env, timeout=900)
    assert res.returncode == 0, res.stderr[-3000:]
    rows = json.loads(res.stdout.strip().splitlines()[-1])
    assert len(rows) == 10
    for kind, cin, cb, mode, equal, max_diff in rows:
        assert equal, f"{kind} cin={cin} cellBit={cb} {mode}: max |diff| {max_diff}"


#: specializations of each kernel that take different code (the interpreter above runs
#: them but does not compile them): several K blocks with int8 and fp16 range products,
#: signed inputs, one range per batch, reads split over ADC programs
SPECIALIZATIONS = [
    ("range", {}), ("range", {"ONE": False}), ("range", {"ONE": False, "I8": False}),
    ("range", {"SIGNED": True, "PER_ITEM": False, "EVEN_N": False, "BN": 32}),
    ("adc", {}), ("adc", {"ONE": False, "SPLIT": 4}),
    ("adc", {"SIGNED": True, "PER_ITEM": False, "BN": 16, "BK": 16}),
]


@pytest.mark.parametrize("arch", [80, 90])
def test_fused_kernels_compile_for_gpus(arch):
    """Both kernels compile to a cubin for Ampere and Hopper in every branch, with Triton's
    own ptxas (no GPU needed). Triton 3.6, for one, refused an int8 product accumulated in
    int32 without ``out_dtype`` (several K blocks): on a GPU ``kernel="auto"`` would then
    fall back to the torch path, correct but 20x slower."""
    pytest.importorskip("triton")
    import importlib.util
    from pathlib import Path

    from neurosim.accuracy import fused_crossbar as fc

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "fused_sass.py"
    spec = importlib.util.spec_from_file_location("fused_sass", path)
    sass = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sass)
    for kind, spec_consts in SPECIALIZATIONS:
        consts = dict(spec_consts)  # BN is popped: the table serves both architectures
        if kind == "range":
            bm, bn, warps, cap = fc.BLOCK_M, fc.BLOCK_N, fc.NUM_WARPS, fc.MAXNREG
        else:
            bm, bn, warps, cap = 64, 128, fc.ADC_WARPS, fc.ADC_MAXNREG
        kernel = sass.compile_kernel(kind, bm, consts.pop("BN", bn), warps,
                                     cap if arch >= 90 else None, arch, **consts)
        assert len(kernel.asm["cubin"]) > 1000, (kind, consts)


def test_fused_kernel_selection():
    from neurosim.accuracy.crossbar import CrossbarModel
    from neurosim.errors import NeuroSimError

    cpu = torch.device("cpu")
    hw = CrossbarModel()
    assert hw.kernel == "auto"
    # auto: the fused kernels only on CUDA; the torch path on the CPU
    assert not hw._use_fused(cpu, 9, 8, 8, 5000.0, None)
    assert not CrossbarModel(kernel="torch")._use_fused(cpu, 9, 8, 8, 5000.0, None)
    with pytest.raises(NeuroSimError, match="kernel 'gpu'"):
        CrossbarModel(kernel="gpu")


def test_exact_bound():
    from neurosim.accuracy.fused_crossbar import exact_bound_ok

    # VGG8 at cellBit 1 / subArray 128 / ADC 5: 36 reads x 8 bits x 8 digits, range < 2**13
    # terms < 2**5 * 2**13 * 2**(7 + 7) = 2**32, 2304 of them: far below 2**53
    assert exact_bound_ok(36, 8, 8, 1, 5, 2.0 ** 13)
    # 16-bit inputs and weights at cellBit 1: terms up to 2**(8 + 13 + 15 + 15) = 2**51,
    # times 4096 reads x 16 x 16 terms: no longer exact in float64
    assert not exact_bound_ok(4096, 16, 16, 1, 8, 2.0 ** 13)


def test_auto_falls_back_to_torch_path_when_fused_kernels_fail():
    from types import SimpleNamespace

    from neurosim.accuracy.crossbar import CrossbarModel

    ly = SimpleNamespace(name="t", wl_input=4, wl_weight=4, inference=1, onoffratio=10.0,
                         cell_bit=1, sub_array=16, parallel_read=None, adc_precision=5,
                         vari=0.0, t=0.0, v=0.0, detect=0, target=0.0, model="VGG8",
                         mode="WAGE", bias=None, stride=(1, 1), padding=(1, 1),
                         dilation=(1, 1), groups=1)
    torch.manual_seed(3)
    w = torch.round(torch.clamp(torch.randn(8, 16, 3, 3) * 0.35, -0.99, 0.99) * 8) / 8
    x = torch.round(torch.clamp(torch.rand(1, 16, 4, 4), 0, 0.99) * 16) / 16
    expected = CrossbarModel(kernel="torch").conv2d(ly, x, w)

    hw = CrossbarModel()  # "auto"
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("no kernel image for this GPU")

    # as on CUDA: "auto" picks the fused kernels until they have failed once
    hw._use_fused = lambda *args: not hw.fused_error
    hw._crossbar_fused = broken
    with pytest.warns(RuntimeWarning, match="fused GPU kernels failed .*no kernel image"):
        first = hw.conv2d(ly, x, w)
    assert torch.equal(first, expected)
    assert hw.fused_error == "RuntimeError: no kernel image for this GPU"
    assert torch.equal(hw.conv2d(ly, x, w), expected)
    assert len(calls) == 1  # not retried

    strict = CrossbarModel(kernel="fused")
    strict._crossbar_fused = broken
    with pytest.raises(RuntimeError, match="no kernel image"):
        strict.conv2d(ly, x, w)
