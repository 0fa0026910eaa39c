"""ResNet18 plugin: the layer table against upstream's NetWork_ResNet18.csv, the wrapper's
layer names, and loading a torchvision state dict (made locally, nothing downloaded)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
torchvision = pytest.importorskip("torchvision")

from neurosim.errors import NeuroSimError  # noqa: E402
from neurosim.networks import get_network  # noqa: E402

# upstream Inference_pytorch/NeuroSIM/NetWork_ResNet18.csv
NETWORK_RESNET18 = [
    (224, 224, 3, 7, 7, 64, 1, 2), (56, 56, 64, 3, 3, 64, 0, 1), (56, 56, 64, 3, 3, 64, 0, 1),
    (56, 56, 64, 3, 3, 64, 0, 1), (56, 56, 64, 3, 3, 64, 0, 1), (56, 56, 64, 3, 3, 128, 0, 2),
    (28, 28, 128, 3, 3, 128, 0, 1), (56, 56, 64, 1, 1, 128, 0, 2), (28, 28, 128, 3, 3, 128, 0, 1),
    (28, 28, 128, 3, 3, 128, 0, 1), (28, 28, 128, 3, 3, 256, 0, 2), (14, 14, 256, 3, 3, 256, 0, 1),
    (28, 28, 128, 1, 1, 256, 0, 2), (14, 14, 256, 3, 3, 256, 0, 1), (14, 14, 256, 3, 3, 256, 0, 1),
    (14, 14, 256, 3, 3, 512, 0, 2), (7, 7, 512, 3, 3, 512, 0, 1), (14, 14, 256, 1, 1, 512, 0, 2),
    (7, 7, 512, 3, 3, 512, 0, 1), (7, 7, 512, 3, 3, 512, 1, 1), (1, 1, 512, 1, 1, 1000, 0, 1),
]


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    return get_network("resnet18").build()


def test_layer_table_equals_upstream_network_csv(model):
    from neurosim.nn.capture import capture

    cap = capture(model, get_network("resnet18").random_inputs(1, 0))
    assert cap.table_rows() == NETWORK_RESNET18
    names = [layer.name for layer in cap.layers]
    # forward order; the wrapper's construction counter names the downsample conv first
    assert names[:8] == ["Conv_0_", "Conv3x3_1_", "Conv3x3_2_", "Conv3x3_3_", "Conv3x3_4_",
                         "Conv3x3_6_", "Conv3x3_7_", "Conv1x1_5_"]
    assert names[-1] == "FC_20_"


def test_torchvision_state_dict_loads(tmp_path):
    torch.manual_seed(1)
    tv = torchvision.models.resnet18()  # random weights, no download
    path = tmp_path / "resnet18-local.pth"
    torch.save(tv.state_dict(), path)
    ours = get_network("resnet18").build(checkpoint=str(path))
    sd = ours.state_dict()
    for k, v in tv.state_dict().items():
        if k == "fc.bias":  # the wrapper's fc has no bias; its strict=False load drops it
            assert k not in sd
            continue
        assert torch.equal(sd[k], v), k


def test_foreign_state_dict_is_a_user_error(tmp_path):
    path = tmp_path / "vgg.pth"
    torch.save({"features.0.weight": torch.zeros(3)}, path)
    with pytest.raises(NeuroSimError, match="does not fit ResNet18"):
        get_network("resnet18").build(checkpoint=str(path))
