"""Grouped/depthwise convolutions map block-diagonally; layers that cannot map are listed.

* ``block_diagonal`` against a hand-written 2-group matrix;
* a grouped conv and a dense conv holding the block-diagonal weights compute the same output
  (torch's own convolutions), and capture gives them the same traces and the same estimate;
* ConvTranspose2d, Conv1d and LSTM layers are listed as unmapped (with a warning in the
  report, in the JSON and on stderr), never dropped silently.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from neurosim.config import load_config  # noqa: E402
from neurosim.engine.flow import estimate  # noqa: E402
from neurosim.errors import NeuroSimError  # noqa: E402
from neurosim.nn.capture import block_diagonal, capture  # noqa: E402

_SCRIPT = Path(sys.executable).with_name("neurosim")
NEUROSIM = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "neurosim.cli"]

MODELS = """
import torch
from torch import nn


class Mobile(nn.Module):
    def __init__(self, depthwise=True):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.dw = nn.Conv2d(8, 8, 3, padding=1, groups=8 if depthwise else 1)
        self.up = nn.ConvTranspose2d(8, 4, 2, stride=2)
        self.fc = nn.Linear(4 * 4 * 4, 10)

    def forward(self, x):
        x = torch.relu(self.stem(x))
        x = torch.relu(self.dw(x))
        x = nn.functional.avg_pool2d(self.up(x), 4)
        return self.fc(x.flatten(1))


def build():
    torch.manual_seed(0)
    return Mobile().eval()
"""


def test_block_diagonal_by_hand():
    w = np.array([[1.0, 2.0, 3.0, 4.0],
                  [5.0, 6.0, 7.0, 8.0]])  # rows Cin/g*K*K = 2, Cout = 4, groups = 2
    expected = np.array([[1.0, 2.0, 0.0, 0.0],
                         [5.0, 6.0, 0.0, 0.0],
                         [0.0, 0.0, 3.0, 4.0],
                         [0.0, 0.0, 7.0, 8.0]])
    np.testing.assert_array_equal(block_diagonal(w, 2), expected)
    np.testing.assert_array_equal(block_diagonal(w, 1), w)


@pytest.mark.parametrize("cin,cout,groups", [(4, 6, 2), (6, 6, 6), (6, 12, 3)])
def test_block_diagonal_conv_equals_grouped_conv(cin, cout, groups):
    torch.manual_seed(1)
    conv = nn.Conv2d(cin, cout, 3, padding=1, groups=groups, bias=False).double()
    x = torch.randn(2, cin, 5, 5, dtype=torch.float64)
    trace = conv.weight.detach().reshape(cout, -1).t().numpy()
    dense = torch.from_numpy(block_diagonal(trace, groups).T.reshape(cout, cin, 3, 3).copy())
    torch.testing.assert_close(nn.functional.conv2d(x, dense, padding=1), conv(x),
                               rtol=1e-12, atol=1e-12)


def _models():
    ns: dict = {}
    exec(textwrap.dedent(MODELS), ns)
    return ns["Mobile"]


def test_grouped_capture_and_estimate_equal_the_dense_packing():
    mobile = _models()
    torch.manual_seed(0)
    grouped = mobile().eval()
    dense = mobile(depthwise=False).eval()
    dense.load_state_dict({**grouped.state_dict(), "dw.weight": torch.from_numpy(
        block_diagonal(grouped.dw.weight.detach().reshape(8, -1).t().numpy(), 8)
        .T.reshape(8, 8, 3, 3).copy())})
    x = torch.rand(1, 3, 8, 8) * 2 - 1
    a, b = capture(grouped, x), capture(dense, x)
    assert a.table_rows() == b.table_rows()
    assert a.table_rows()[1] == (8, 8, 8, 3, 3, 8, 1, 1)  # the pool after "up"
    layer = a.layers[1]
    assert layer.groups == 8 and layer.weights.shape == (72, 8)
    assert np.count_nonzero(layer.weights) <= 9 * 8  # one 9-row block per output channel
    for la, lb in zip(a.layers, b.layers):
        np.testing.assert_array_equal(la.weights, lb.weights)
        np.testing.assert_array_equal(la.input_bits, lb.input_bits)
    notes = a.mapping_notes()
    assert notes[0] == ("NOTE: dw: grouped conv (groups=8) packed as a block-diagonal 72 x 8 "
                        "matrix; 12.5 % of its cells hold weights, the rest store 0 and are "
                        "read like dense cells")
    cfg = load_config(overrides={"technode": 22, "numRowSubArray": 16, "numColSubArray": 16})
    ra = estimate(cfg, a.specs, a.weights, a.inputs)
    rb = estimate(cfg, b.specs, b.weights, b.inputs)
    ja, jb = ra.to_json(), rb.to_json()
    assert ja["chip"] == jb["chip"]


def test_unmappable_layers_are_listed():
    model = nn.ModuleDict({"c1": nn.Conv1d(2, 4, 3), "lstm": nn.LSTM(4, 8, batch_first=True),
                           "fc": nn.Linear(8, 3), "up": nn.ConvTranspose2d(1, 1, 2)})

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.m = model

        def forward(self, x):  # (N, 2, T): conv1d -> lstm -> linear; "up" never runs
            y = self.m["c1"](x).transpose(1, 2)
            return self.m["fc"](self.m["lstm"](y)[0][:, -1])

    cap = capture(Net().eval(), torch.rand(1, 2, 6))
    assert [layer.path for layer in cap.layers] == ["m.fc"]
    got = [(u.path, u.type, u.weights, u.ran) for u in cap.unmapped]
    assert got == [("m.c1", "Conv1d", 2 * 4 * 3 + 4, True),
                   ("m.lstm", "LSTM", 4 * (8 * 4 + 8 * 8 + 2 * 8), True),
                   ("m.up", "ConvTranspose2d", 4 + 1, False)]
    notes = cap.mapping_notes()
    assert notes[0].startswith("WARNING: 3 layer(s) with weights do not map to CIM arrays; "
                               "their work is NOT in the chip figures")
    assert notes[2].startswith("  m.lstm (LSTM, 448 weights): recurrent layer")
    assert notes[3].startswith("  m.up (ConvTranspose2d, 5 weights, did not run): transposed")


def test_model_of_only_unmappable_layers_names_them():
    with pytest.raises(NeuroSimError, match=r"nothing maps to CIM arrays; lstm \(LSTM\): "
                                            "recurrent layer"):
        capture(_Only(), torch.rand(1, 3, 4))


class _Only(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(4, 4)

    def forward(self, x):
        return self.lstm(x)[0]


def test_estimate_cli_reports_grouped_and_unmapped(tmp_path):
    (tmp_path / "mobile.py").write_text(textwrap.dedent(MODELS))
    out = subprocess.run([*NEUROSIM, "estimate", "--model", f"{tmp_path / 'mobile.py'}:build",
                          "--input-shape", "3,8,8", "--set", "technode=22",
                          "--set", "numRowSubArray=16", "--set", "numColSubArray=16", "--quiet",
                          "--json", str(tmp_path / "out.json")],
                         capture_output=True, text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stderr
    assert "Warning: 1 layer(s) do not map to CIM arrays" in out.stderr
    assert "NOTE: dw: grouped conv (groups=8) packed as a block-diagonal 72 x 8" in out.stdout
    assert ("  up (ConvTranspose2d, 132 weights): transposed convolution") in out.stdout
    net = json.loads((tmp_path / "out.json").read_text())["network"]
    assert net["grouped_layers"] == [{"name": "dw", "groups": 8, "packing": "block-diagonal"}]
    assert [(u["path"], u["type"], u["ran"]) for u in net["unmapped_layers"]] == [
        ("up", "ConvTranspose2d", True)]
    assert net["layer_names"] == ["stem", "dw", "fc"]
