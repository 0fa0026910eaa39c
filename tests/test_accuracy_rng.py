"""The variation's counter-keyed normal streams (:mod:`neurosim.accuracy.rng`, issue 14):
the same numbers for the same (seed, call, unit) whatever the thread count, block size,
chunking or combining side; standard normal moments; disjoint seeds, calls and units."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from neurosim.accuracy.crossbar import CrossbarModel
from neurosim.accuracy.rng import stream_key, unit_generator, unit_normals, varied_cells


def _cells(rows: int, elems: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    cell = torch.randint(2, 21, (rows, elems), generator=g).double()  # cell units 2..20
    return cell, torch.mul(cell, 0.05)


def _reference(key, units, rows, cell, scaled) -> torch.Tensor:
    """``cell + scaled * N`` from the serial per-unit draws, by torch on whole tensors."""
    n = np.empty((len(units), cell.shape[1]), dtype=np.float32)
    unit_normals(key, units, n)
    idx = torch.tensor(list(rows))
    return torch.mul(torch.from_numpy(n), scaled[idx]).add_(cell[idx])


def test_same_numbers_for_any_threads_block_and_chunking():
    key = stream_key(3, 7)
    cell, scaled = _cells(4, 10_000)
    units = [g * 8 + z for g in range(4) for z in range(8)]  # 4 reads x 8 bits
    rows = [g for g in range(4) for _ in range(8)]
    want = _reference(key, units, rows, cell, scaled)
    for threads in (1, 2, 3, 5):
        for block in (1 << 16, 999):
            got = varied_cells(key, units, rows, cell, scaled,
                               torch.empty(32, 10_000, dtype=torch.float64), threads, block)
            assert torch.equal(got, want), (threads, block)
    # two chunks of units (as max_elements splits them) give the same rows
    parts = [varied_cells(key, units[a:b], rows[a:b], cell, scaled,
                          torch.empty(b - a, 10_000, dtype=torch.float64))
             for a, b in ((0, 11), (11, 32))]
    assert torch.equal(torch.cat(parts), want)
    # the device side (draws moved, the same two operations there) gives the same numbers
    dev = varied_cells(key, units, rows, cell, scaled,
                       torch.empty(32, 10_000, dtype=torch.float64), host_combine=False)
    assert torch.equal(dev, want)


def test_draws_are_float32_standard_normal_moments():
    """4 M draws over 64 units: mean, variance, skewness, excess kurtosis and the two-sided
    3-sigma tail within 5 standard errors of N(0, 1)'s 0, 1, 0, 0 and 0.0026998."""
    out = np.empty((64, 1 << 16), dtype=np.float32)
    unit_normals(stream_key(11, 1), range(64), out)
    z = out.astype(np.float64).ravel()
    n = z.size
    assert out.dtype == np.float32
    assert abs(z.mean()) < 5 / math.sqrt(n)
    assert abs(z.var() - 1) < 5 * math.sqrt(2 / n)
    assert abs((z ** 3).mean()) < 5 * math.sqrt(15 / n)
    assert abs((z ** 4).mean() - 3) < 5 * math.sqrt(96 / n)
    tail = 2 * 0.0013498980316301
    assert abs((np.abs(z) > 3).mean() - tail) < 5 * math.sqrt(tail * (1 - tail) / n)
    assert np.abs(z).max() > 4.5  # the tails are there (not a truncated transform)


def test_streams_of_seeds_calls_purposes_and_units_are_disjoint():
    a = np.empty(100_000, dtype=np.float32)
    b = np.empty(100_000, dtype=np.float32)
    base = stream_key(5, 1)
    unit_generator(base, 0).standard_normal(dtype=np.float32, out=a)
    others = [(stream_key(6, 1), 0), (stream_key(5, 2), 0),
              (stream_key(5, 1, "other"), 0), (base, 1), (base, 2 ** 40)]
    for key, unit in others:
        unit_generator(key, unit).standard_normal(dtype=np.float32, out=b)
        assert not np.array_equal(a, b)
        r = np.corrcoef(a, b)[0, 1]
        assert abs(r) < 5 / math.sqrt(a.size), (key, unit, r)
    unit_generator(stream_key(5, 1), 0).standard_normal(dtype=np.float32, out=b)
    assert np.array_equal(a, b)  # same seed, call, unit: the same numbers


def test_varied_cells_rejects_mismatched_shapes():
    cell, scaled = _cells(2, 10)
    with pytest.raises(ValueError, match="3 units, 2 rows"):
        varied_cells(stream_key(0, 0), [0, 1, 2], [0, 1], cell, scaled,
                     torch.empty(3, 10, dtype=torch.float64))


def _layer(**kw):
    base = dict(name="fc", wl_weight=8, wl_input=8, inference=1, onoffratio=10.0,
                cell_bit=1, sub_array=16, parallel_read=None, adc_precision=5, vari=0.05,
                t=0.0, v=0.0, detect=0, target=0.0, model="VGG8", mode="WAGE",
                bias=None, stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1)
    base.update(kw)
    return SimpleNamespace(**base)


def test_crossbar_variation_independent_of_chunking_and_threads():
    """A VGG8-style linear layer with variation: the same output for any ``max_elements``
    (chunks of units) and torch thread count; a new call redraws; another seed differs."""
    torch.manual_seed(0)
    x = torch.round(torch.rand(3, 64) * 255) / 255
    w = torch.round((torch.rand(12, 64) * 2 - 1) * 127) / 127
    ly = _layer()
    outs = []
    threads = torch.get_num_threads()
    try:
        for max_el, nt in ((1 << 26, threads), (1 << 10, threads), (1 << 12, 1)):
            torch.set_num_threads(nt)
            hw = CrossbarModel(seed=3, max_elements=max_el)
            outs.append((hw.linear(ly, x, w), hw.linear(ly, x, w)))
    finally:
        torch.set_num_threads(threads)
    for a, b in outs[1:]:
        assert torch.equal(a, outs[0][0]) and torch.equal(b, outs[0][1])
    assert not torch.equal(outs[0][0], outs[0][1])
    assert not torch.equal(CrossbarModel(seed=4).linear(ly, x, w), outs[0][0])


@pytest.mark.parametrize("mode", ["default", "parity"])
def test_compiled_float_adc_equals_torch_operations(mode):
    """Continuous partial sums (variation; deterministic drift) through the compiled
    two-pass ADC (:mod:`neurosim.accuracy.adc_float`): the torch operations' result bit for
    bit, conv and linear, several chunks."""
    torch.manual_seed(1)
    x = torch.round(torch.rand(2, 24, 4, 4) * 255) / 255
    w = torch.round((torch.rand(8, 24, 3, 3) * 2 - 1) * 127) / 127
    xl = torch.round(torch.rand(3, 64) * 255) / 255
    wl = torch.round((torch.rand(12, 64) * 2 - 1) * 127) / 127
    conv = _layer(name="c", padding=(1, 1))
    drift = _layer(name="d", vari=0.0, t=100.0, v=0.05, detect=1, onoffratio=10.5)
    out = []
    for compile_ in ("off", "on"):
        hw = CrossbarModel(mode=mode, seed=3, max_elements=1 << 13, compile=compile_)
        out.append([hw.conv2d(conv, x, w), hw.linear(_layer(), xl, wl),
                    hw.linear(drift, xl, wl)])
        assert hw.compile_error is None
    for a, b in zip(*out):
        assert torch.equal(a, b)
