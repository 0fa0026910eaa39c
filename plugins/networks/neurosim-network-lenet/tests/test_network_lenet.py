"""LeNet plugin: layer table, output shape, seeded weights, checkpoint round trip."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from neurosim.networks import get_network  # noqa: E402


def test_lenet_shapes_and_layers(tmp_path):
    spec = get_network("lenet")
    assert spec.input_shape == (1, 8, 8) and spec.dataset == "digits"
    torch.manual_seed(1)
    model = spec.build()
    x = spec.random_inputs(3, 0)
    assert x.shape == (3, 1, 8, 8) and float(x.min()) >= 0 and float(x.max()) <= 1
    assert model(x).shape == (3, 10)
    names = [m.name for m in model.modules() if hasattr(m, "wl_weight")]
    assert names == ["Conv0_", "Conv1_", "FC0_", "FC1_"]
    assert model.classifier[0].in_features == 32 * 4 * 4
    torch.save(model.state_dict(), tmp_path / "w.pth")
    torch.manual_seed(2)
    other = spec.build(checkpoint=str(tmp_path / "w.pth"))
    assert torch.equal(other(x), model(x))
