"""neurosim.nn.capture: traces and layer table from a forward pass.

The trace layout is checked against a direct transcription of the wrapper's ``hook.py``
loops (``stretch_input`` window loop, ``dec2bin`` per value), and ``dec2bin`` against hand
calculations of two's complement codes.
"""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from neurosim.errors import NeuroSimError  # noqa: E402
from neurosim.nn import QConv2d, QLinear, Q  # noqa: E402
from neurosim.nn.capture import capture, dec2bin_planes  # noqa: E402


@pytest.mark.parametrize("x,bits", [
    (-0.5, "11000000"),     # -64/128: two's complement of -64
    (0.3, "00100110"),      # 38.4 -> 38 (greedy truncation)
    (1.5, "01111111"),      # >= 1 saturates to all ones
    (-1.0, "10000000"),     # -128
    (-0.0078125, "11111111"),  # -1/128
    (0.99609375, "01111111"),  # 127.5/128 -> 127
])
def test_dec2bin_twos_complement(x, bits):
    planes = dec2bin_planes(np.array([x], dtype=np.float32), 8)
    assert "".join(str(int(b)) for b in planes[:, 0]) == bits


def _wrapper_reference_bits(x: np.ndarray, k: int, pad: int, stride: int, n: int) -> np.ndarray:
    """hook.py's stretch_input + write_matrix_activation_conv, transcribed with loops."""
    c, h, w = x.shape
    xp = np.zeros((c, h + 2 * pad, w + 2 * pad))
    xp[:, pad:pad + h, pad:pad + w] = x
    oh, ow = (h + 2 * pad - k) // stride + 1, (w + 2 * pad - k) // stride + 1
    out = np.zeros((c * k * k, oh * ow * n), dtype=np.uint8)
    it = 0
    for i in range(oh):
        for j in range(ow):
            vec = xp[:, i * stride:i * stride + k, j * stride:j * stride + k].reshape(-1)
            for r, v in enumerate(vec):
                code = int(np.floor(v * 2 ** (n - 1)))
                code = min(code, 2 ** (n - 1) - 1)
                code &= (1 << n) - 1
                for b in range(n):
                    out[r, it * n + b] = (code >> (n - 1 - b)) & 1
            it += 1
    return out


def test_conv_and_linear_traces_match_the_wrapper_layout():
    torch.manual_seed(1)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = QConv2d(3, 4, 3, stride=2, padding=1, name="Conv0_")
            self.fc = QLinear(4 * 3 * 3, 5, name="FC0_")

        def forward(self, x):
            y = torch.relu(self.conv(x))
            return self.fc(y.flatten(1))

    rng = np.random.default_rng(5)
    x = torch.from_numpy(np.round(rng.uniform(-1, 1, (2, 3, 6, 6)) * 128).astype(np.float32) / 128)
    cap = capture(Net(), x)
    conv, fc = cap.layers
    # weights: Q(W, 8), (Cout, Cin*K*K) transposed
    torch.manual_seed(1)  # the same weights again
    ref = Net()
    model_w = Q(ref.conv.weight.detach(), 8).reshape(4, -1).t().numpy()
    np.testing.assert_array_equal(conv.weights, model_w.astype(np.float64))
    np.testing.assert_array_equal(conv.input_bits,
                                  _wrapper_reference_bits(x[0].numpy(), 3, 1, 2, 8))
    assert conv.spec.as_row() == (6, 6, 3, 3, 3, 4, 0, 2)
    assert fc.spec.as_row() == (1, 1, 36, 1, 1, 5, 0, 1)
    assert fc.input_bits.shape == (36, 8)
    assert fc.weights.shape == (36, 5)


def test_pool_flag_and_concatenated_channels_in_the_table():
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Conv2d(3, 4, 3, padding=1, bias=False)
            self.b = torch.nn.Conv2d(4, 2, 1, bias=False)
            self.c = torch.nn.Conv2d(6, 8, 3, padding=1, bias=False)

        def forward(self, x):
            y = self.a(x)
            z = torch.cat([self.b(y), y], 1)          # DenseNet-style growth: Cout 2 -> 6
            return torch.nn.functional.avg_pool2d(self.c(z), 2)  # pool after the last conv

    cap = capture(Net(), torch.zeros(1, 3, 8, 8))
    assert cap.table_rows() == [(8, 8, 3, 3, 3, 4, 0, 1), (8, 8, 4, 1, 1, 6, 0, 1),
                                (8, 8, 6, 3, 3, 8, 1, 1)]
    # the concatenated layer's arrays follow the table: 2 own columns + 4 weight-0 columns
    w = cap.layers[1].weights
    assert w.shape == (4, 6) and not w[:, 2:].any() and w[:, :2].any()


def test_attention_products_are_counted_as_digital_ops():
    class Attn(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.q = torch.nn.Linear(8, 8, bias=False)

        def forward(self, x):  # x: (B, T, 8)
            q = self.q(x)
            s = q @ q.transpose(-1, -2)    # T x T x 8 MACs
            return s.softmax(-1) @ q       # T x 8 x T MACs

    cap = capture(Attn(), torch.rand(2, 5, 8) * 0.5)
    assert cap.table_rows() == [(5, 1, 8, 1, 1, 8, 0, 1)]  # 5 tokens = 5 input vectors
    assert cap.digital_ops == 2 * (5 * 5 * 8 + 5 * 8 * 5)   # per item, 2 ops per MAC
    assert cap.layers[0].input_bits.shape == (8, 5 * 8)


def test_mismatched_precision_is_a_user_error():
    layer = QConv2d(3, 2, 3, wl_weight=4, wl_input=4, wl_activate=4)
    with pytest.raises(NeuroSimError, match="synapse_bits"):
        capture(layer, torch.zeros(1, 3, 4, 4), weight_bits=8, input_bits=8)
