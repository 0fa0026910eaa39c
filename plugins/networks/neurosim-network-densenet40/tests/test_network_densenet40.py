"""DenseNet40 plugin against the upstream wrapper: the trained checkpoint's logits and the
layer table.

References (accuracy/README.md): ``log/DenseNet40.pth`` run by the wrapper at inference=0
on ``cifar_batch(11, 4)`` (``densenet40_ckpt.npz``, sha256 in networks.json) and upstream's
``NetWork_DenseNet40.csv``.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from neurosim.errors import NeuroSimError  # noqa: E402
from neurosim.networks import cifar_batch, get_network  # noqa: E402
from neurosim.testing.golden import find_golden  # noqa: E402

LOGITS_SHA256 = "8749712451e4cec0a352f82cf7779212fd234fbd75fe54777c5020d1a25bb5bb"


# upstream Inference_pytorch/NeuroSIM/NetWork_DenseNet40.csv
NETWORK_DENSENET40 = [
    (32, 32, 3, 3, 3, 24, 0, 1), (32, 32, 24, 1, 1, 48, 0, 1), (32, 32, 48, 3, 3, 36, 0, 1),
    (32, 32, 36, 1, 1, 48, 0, 1), (32, 32, 48, 3, 3, 48, 0, 1), (32, 32, 48, 1, 1, 48, 0, 1),
    (32, 32, 48, 3, 3, 60, 0, 1), (32, 32, 60, 1, 1, 48, 0, 1), (32, 32, 48, 3, 3, 72, 0, 1),
    (32, 32, 72, 1, 1, 48, 0, 1), (32, 32, 48, 3, 3, 84, 0, 1), (32, 32, 84, 1, 1, 48, 0, 1),
    (32, 32, 48, 3, 3, 96, 0, 1), (32, 32, 96, 1, 1, 48, 1, 1), (16, 16, 48, 1, 1, 48, 0, 1),
    (16, 16, 48, 3, 3, 60, 0, 1), (16, 16, 60, 1, 1, 48, 0, 1), (16, 16, 48, 3, 3, 72, 0, 1),
    (16, 16, 72, 1, 1, 48, 0, 1), (16, 16, 48, 3, 3, 84, 0, 1), (16, 16, 84, 1, 1, 48, 0, 1),
    (16, 16, 48, 3, 3, 96, 0, 1), (16, 16, 96, 1, 1, 48, 0, 1), (16, 16, 48, 3, 3, 108, 0, 1),
    (16, 16, 108, 1, 1, 48, 0, 1), (16, 16, 48, 3, 3, 120, 0, 1), (16, 16, 120, 1, 1, 60, 1, 1),
    (8, 8, 60, 1, 1, 48, 0, 1), (8, 8, 48, 3, 3, 72, 0, 1), (8, 8, 72, 1, 1, 48, 0, 1),
    (8, 8, 48, 3, 3, 84, 0, 1), (8, 8, 84, 1, 1, 48, 0, 1), (8, 8, 48, 3, 3, 96, 0, 1),
    (8, 8, 96, 1, 1, 48, 0, 1), (8, 8, 48, 3, 3, 108, 0, 1), (8, 8, 108, 1, 1, 48, 0, 1),
    (8, 8, 48, 3, 3, 120, 0, 1), (8, 8, 120, 1, 1, 48, 0, 1), (8, 8, 48, 3, 3, 132, 1, 1),
    (1, 1, 132, 1, 1, 10, 0, 1),
]


def _checkpoint():
    p = find_golden("checkpoints/DenseNet40.pth", "accuracy/networks/DenseNet40.pth")
    if p is None:
        pytest.skip("DenseNet40.pth not available")
    return str(p)


def test_checkpoint_logits_are_bit_identical():
    model = get_network("densenet40").build(checkpoint=_checkpoint())
    x = cifar_batch(11, 4)
    with torch.no_grad():
        y = model(x).numpy()
        y1 = model(x[:1]).numpy()
    assert hashlib.sha256(y.tobytes()).hexdigest() == LOGITS_SHA256
    assert y.argmax(1).tolist() == [9, 9, 9, 3]
    ref = find_golden("accuracy/networks/densenet40_ckpt.npz")
    if ref is not None:
        d = np.load(ref)
        np.testing.assert_array_equal(y, d["logits_inference0"])
        np.testing.assert_array_equal(y1, d["logits_inference0_batch1_item0"])


def test_layer_table_equals_upstream_network_csv():
    from neurosim.nn.capture import capture

    torch.manual_seed(0)
    cap = capture(get_network("densenet40").build(), cifar_batch(0, 1))
    rows = cap.table_rows()
    assert rows == NETWORK_DENSENET40
    assert [layer.name for layer in cap.layers][:3] == ["Conv0_", "Conv1_", "Conv2_"]


def test_wrong_checkpoint_is_a_user_error(tmp_path):
    bad = tmp_path / "bad.pth"
    torch.save({"conv1.0.weight": torch.zeros(1)}, bad)
    with pytest.raises(NeuroSimError, match="does not fit the model"):
        get_network("densenet40").build(checkpoint=str(bad))
    with pytest.raises(NeuroSimError, match="no such file"):
        get_network("densenet40").build(checkpoint=str(tmp_path / "missing.pth"))
