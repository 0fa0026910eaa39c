"""VGG8 plugin against the upstream wrapper: seed-0 weights, logits and layer table.

References (accuracy/README.md): the wrapper's ``torch.manual_seed(0); vgg8(args)`` weights
(sha256 of each raw float32 tensor, ``vgg8_seed0_state_dict.pt['raw_sha256']``), its
inference=0 logits on ``cifar_batch(11, 4)`` (``vgg8_seed0_inf0.npz``, sha256 in
networks.json) and upstream's ``NetWork_VGG8.csv``.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from neurosim.networks import cifar_batch, get_network  # noqa: E402
from neurosim.testing.golden import find_golden  # noqa: E402

RAW_SHA256 = {
    "features.0.weight": "d3d677d4f5f7ad42984b25fbfedc02f495b30cafcfdc6ea3bc881e37b05c23d4",
    "features.2.weight": "5ec3c96517080f09ef80f3e8ad5922580efed0625a1256ed6e223fd9056eef68",
    "features.5.weight": "46a26ac8ee8243241d2a2651f4c1d460f14ee93b7617a2f9d013e4951540c5b6",
    "features.7.weight": "ccf8f4f05f6069736052decb38a46e8d6b7ff699d4a11849b07e43f426ebc1d5",
    "features.10.weight": "5863ede5db8c9334b097079a7fd6937f45c22e0a2c71c5d54e6a97b3dfcc899b",
    "features.12.weight": "0bed5436017d7acc09133811bdeaa97ab34d932e3498ac4ba058a4928003e8f6",
    "classifier.0.weight": "b9f206e55bff505f7348e3793be4b81955ac508afa7375840d5e5543768dcd45",
    "classifier.2.weight": "a595f5d77f49f0d7cc28bed3adf3a7248cc829497ca7a5db9bc8dd6646bdc228",
}
LOGITS_SHA256 = "938ff80e47f827e920aac6b1a59b693182762d17f50ae9e28d9bf6842b2dbe82"
# upstream Inference_pytorch/NeuroSIM/NetWork_VGG8.csv
NETWORK_VGG8 = [(32, 32, 3, 3, 3, 128, 0, 1), (32, 32, 128, 3, 3, 128, 1, 1),
                (16, 16, 128, 3, 3, 256, 0, 1), (16, 16, 256, 3, 3, 256, 1, 1),
                (8, 8, 256, 3, 3, 512, 0, 1), (8, 8, 512, 3, 3, 512, 1, 1),
                (1, 1, 8192, 1, 1, 1024, 0, 1), (1, 1, 1024, 1, 1, 10, 0, 1)]


@pytest.fixture(scope="module")
def seed0_model():
    torch.manual_seed(0)
    return get_network("vgg8").build()


def test_seed0_weights_equal_the_wrappers(seed0_model):
    sd = seed0_model.state_dict()
    assert list(sd) == list(RAW_SHA256)
    for k, v in sd.items():
        assert hashlib.sha256(v.numpy().tobytes()).hexdigest() == RAW_SHA256[k], k
    names = [m.name for m in seed0_model.modules() if hasattr(m, "scale")]
    assert names == ["Conv0_", "Conv1_", "Conv3_", "Conv4_", "Conv6_", "Conv7_", "FC0_", "FC1_"]


def test_seed0_logits_are_bit_identical(seed0_model):
    with torch.no_grad():
        y = seed0_model(cifar_batch(11, 4)).numpy()
    assert hashlib.sha256(y.tobytes()).hexdigest() == LOGITS_SHA256
    ref = find_golden("accuracy/networks/vgg8_seed0_inf0.npz")
    if ref is not None:
        d = np.load(ref)
        np.testing.assert_array_equal(cifar_batch(11, 4).numpy(), d["input"])
        np.testing.assert_array_equal(y, d["logits_inference0"])


def test_layer_table_equals_upstream_network_csv(seed0_model):
    from neurosim.nn.capture import capture

    cap = capture(seed0_model, cifar_batch(0, 1))
    assert cap.table_rows() == NETWORK_VGG8
