"""The fast input-bit path of the capture (per-pixel integer codes, unfolded and unpacked
in uint8) equals the wrapper-order slow path (float64 ``F.unfold`` then ``dec2bin`` bit
planes) bit for bit: on edge values, on every conv/linear geometry and on whole networks.
No timing asserts (speed is in ``docs/performance.md``)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from neurosim.nn import capture as cap_mod
from neurosim.nn.capture import (conv_input_bits, conv_input_bits_reference, dec2bin_codes,
                                 dec2bin_planes, linear_input_bits,
                                 linear_input_bits_reference)


def edge_values(shape: tuple[int, ...], dtype: type, seed: int) -> np.ndarray:
    """Uniform values in [-1.3, 1.3] with a quarter on the 8-bit grid, a quarter a few ulps
    off it, and the special values 0, -0, +-1, +-tiny, +-1e-30, +-5."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.3, 1.3, size=shape).astype(dtype)
    flat = x.reshape(-1)
    k = flat.size // 4
    grid = rng.integers(-200, 200, size=k) / 128.0
    flat[:k] = grid
    ulps = rng.choice([-1, 1], size=k) * np.finfo(dtype).eps * rng.integers(0, 4, size=k)
    flat[k:2 * k] = grid + ulps
    tiny = np.finfo(dtype).tiny
    flat[2 * k:2 * k + 10] = [0.0, -0.0, 1.0, -1.0, tiny, -tiny, -1e-30, 1e-30, 5.0, -5.0]
    return x


@pytest.mark.parametrize("n", [1, 2, 3, 7, 8, 9, 16, 24, 25, 26, 32, 53, 54, 64])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_codes_are_the_bit_planes(n, dtype):
    x = edge_values((3, 17, 19), dtype, n)
    planes = dec2bin_planes(x, n)
    want = np.zeros(x.shape, dtype=np.uint64)
    for i in range(n):
        want |= planes[i].astype(np.uint64) << np.uint64(n - 1 - i)
    assert np.array_equal(dec2bin_codes(x, n).astype(np.uint64), want)


GEOMETRIES = [((3, 3), (1, 1), (1, 1)), ((7, 7), (3, 3), (2, 2)), ((1, 1), (0, 0), (2, 2)),
              ((3, 3), (0, 0), (1, 1)), ((3, 3), (2, 2), (3, 3)), ((1, 3), (0, 1), (1, 2))]


@pytest.mark.parametrize("n", [1, 4, 8, 9, 16, 70])
@pytest.mark.parametrize("geometry", GEOMETRIES)
def test_conv_bits_equal_the_reference(n, geometry):
    kernel, padding, stride = geometry
    x = torch.from_numpy(edge_values((4, 11, 13), np.float32, 7))
    fast = conv_input_bits(x, kernel, padding, stride, n)
    slow = conv_input_bits_reference(x, kernel, padding, stride, n)
    assert fast.dtype == slow.dtype == np.uint8 and fast.shape == slow.shape
    assert np.array_equal(fast, slow)


@pytest.mark.parametrize("n", [1, 5, 8, 12, 70])
@pytest.mark.parametrize("shape", [(37,), (6, 37), (2, 3, 37)])
def test_linear_bits_equal_the_reference(n, shape):
    x = torch.from_numpy(edge_values(shape, np.float32, 3))
    assert np.array_equal(linear_input_bits(x, n), linear_input_bits_reference(x, n))


def test_non_finite_inputs_are_refused():
    from neurosim.errors import NeuroSimError

    with pytest.raises(NeuroSimError, match="NaN or infinite"):
        dec2bin_codes(np.array([0.5, np.nan]), 8)
    with pytest.raises(NeuroSimError, match="at least 1"):
        dec2bin_codes(np.array([0.5]), 0)


@pytest.mark.parametrize("network", ["densenet40", "resnet18"])
def test_network_capture_equals_the_reference_path(network, monkeypatch):
    """Every layer's input bits (and weights, layer table) from the fast path equal those
    of the wrapper-order path; 1x1, 3x3 and 7x7/2 convs, padding, the FC layer."""
    from neurosim.config import Config
    from neurosim.datasets import DataSpec
    from neurosim.nn.pipeline import prepare

    cfg = Config()
    fast = prepare(cfg, network=network, data=DataSpec("random", "", 1)).capture
    monkeypatch.setattr(cap_mod, "conv_input_bits", conv_input_bits_reference)
    monkeypatch.setattr(cap_mod, "linear_input_bits", linear_input_bits_reference)
    slow = prepare(cfg, network=network, data=DataSpec("random", "", 1)).capture
    assert fast.table_rows() == slow.table_rows()
    for a, b in zip(fast.layers, slow.layers, strict=True):
        assert np.array_equal(a.input_bits, b.input_bits), a.name
        assert np.array_equal(a.weights, b.weights), a.name


def test_capture_threads_do_not_change_the_traces(monkeypatch):
    """The build and capture run on one torch thread by default; 2 threads give the same
    traces and model output bit for bit, and the caller's thread count is restored."""
    from neurosim.config import Config
    from neurosim.datasets import DataSpec
    from neurosim.nn.pipeline import ENV_CAPTURE_THREADS, prepare

    before = torch.get_num_threads()
    runs = []
    for threads in ("1", "2"):
        monkeypatch.setenv(ENV_CAPTURE_THREADS, threads)
        runs.append(prepare(Config(), network="vgg8", data=DataSpec("random", "", 1)).capture)
        assert torch.get_num_threads() == before
    one, two = runs
    assert torch.equal(one.output, two.output)
    for a, b in zip(one.layers, two.layers, strict=True):
        assert a.input_bits.tobytes() == b.input_bits.tobytes()
        assert a.weights.tobytes() == b.weights.tobytes()


@pytest.mark.parametrize("value", ["x", "-1", "1.5"])
def test_bad_capture_threads_is_one_error_line(monkeypatch, value):
    from click.testing import CliRunner

    from neurosim.cli import cli
    from neurosim.nn.pipeline import ENV_CAPTURE_THREADS

    monkeypatch.setenv(ENV_CAPTURE_THREADS, value)
    r = CliRunner().invoke(cli, ["estimate", "--network", "lenet", "--quiet"])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert r.output.count("Error:") == 1 and f"NEUROSIM_CAPTURE_THREADS={value!r}" in r.output
