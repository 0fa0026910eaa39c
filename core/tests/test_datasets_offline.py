"""neurosim.datasets on synthetic files: CIFAR-10 batch reading equals the wrapper's
torchvision transform, SST-2 TSV reading, ImageNet folders, and the offline errors."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transforms = pytest.importorskip("torchvision.transforms")

from neurosim.datasets import load_cifar10, load_imagenet, load_sst2, parse_data  # noqa: E402
from neurosim.errors import NeuroSimError  # noqa: E402


def test_cifar10_batch_equals_the_wrappers_transform(tmp_path):
    rng = np.random.default_rng(0)
    data = rng.integers(0, 256, size=(5, 3072), dtype=np.uint8)
    d = tmp_path / "cifar-10-batches-py"
    d.mkdir()
    with open(d / "test_batch", "wb") as f:
        pickle.dump({"data": data, "labels": [0, 1, 2, 3, 4]}, f)
    x = load_cifar10(str(tmp_path), 3)
    assert x.shape == (3, 3, 32, 32) and x.dtype == torch.float32
    # the wrapper: PIL image (HWC) -> ToTensor -> Normalize((.5,.5,.5), (.5,.5,.5))
    from PIL import Image

    tf = transforms.Compose([transforms.ToTensor(),
                             transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
    for i in range(3):
        img = Image.fromarray(data[i].reshape(3, 32, 32).transpose(1, 2, 0))
        assert torch.equal(x[i], tf(img))


def test_imagenet_folder(tmp_path):
    from PIL import Image

    for cls in ("n01", "n02"):
        (tmp_path / "val" / cls).mkdir(parents=True)
        Image.new("RGB", (300, 260), (10, 200, 30)).save(tmp_path / "val" / cls / "a.png")
    x = load_imagenet(str(tmp_path), 2)
    assert x.shape == (2, 3, 224, 224)
    # uniform colour: (10/255 - 0.485)/0.229 in channel 0
    assert float(x[0, 0, 0, 0]) == pytest.approx((10 / 255 - 0.485) / 0.229, rel=1e-6)


def test_sst2_tsv(tmp_path):
    (tmp_path / "dev.tsv").write_text("sentence\tlabel\nit 's a charming journey . \t1\n"
                                      "a dull film . \t0\n")
    assert load_sst2(str(tmp_path), 5) == ["it 's a charming journey . ", "a dull film . "]


@pytest.mark.parametrize("func,hint", [(load_cifar10, "cifar-10-python.tar.gz"),
                                       (load_imagenet, "ILSVRC2012_img_val.tar"),
                                       (load_sst2, "SST-2.zip")])
def test_missing_data_names_what_to_download(tmp_path, func, hint):
    with pytest.raises(NeuroSimError, match=hint.replace(".", r"\.")):
        func(str(tmp_path / "nothing"), 1)


def test_parse_data():
    assert parse_data(None).kind == "random"
    assert parse_data("random:3").count == 3
    assert parse_data("cifar10:/d", 2).path == "/d"
    for bad in ("random:x", "svhn:/d", "cifar10:", "random:0"):
        with pytest.raises(NeuroSimError):
            parse_data(bad)
