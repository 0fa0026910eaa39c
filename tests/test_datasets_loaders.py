"""neurosim.datasets loaders on files the tests write: CIFAR-10/100 pickles read directly
(no md5: any file in the format, bytes keys, a folder holding only test_batch, the train
batches), malformed files as one clear error, the bundled digits split, image folders
resized to the network's input, and text sets through `datasets` (TSV, CSV, JSON lines,
parquet, save_to_disk) with --split/--text-field/--label-field."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from neurosim.datasets import open_dataset, parse_data  # noqa: E402
from neurosim.errors import NeuroSimError  # noqa: E402
from neurosim.networks import get_network  # noqa: E402


def _pickle(path, obj):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        pickle.dump(obj, f)


def test_cifar_pickles_read_directly(tmp_path):
    rng = np.random.default_rng(0)
    px = rng.integers(0, 256, size=(3, 3072), dtype=np.uint8)
    # bytes keys, as the official files hold them when unpickled with encoding="bytes"
    _pickle(tmp_path / "a" / "test_batch", {b"data": px, b"labels": [7, 0, 3]})
    ds = open_dataset(get_network("vgg8"), parse_data(f"cifar10:{tmp_path / 'a'}"), 0)
    assert len(ds) == 3 and ds.labels.tolist() == [7, 0, 3] and ds.classes == 10
    x = ds.read(0, 3)
    assert torch.equal(x[1, 2, 0, 0], torch.tensor((px[1, 2048] / 255 - 0.5) / 0.5,
                                                   dtype=torch.float32))
    for i in (1, 2):  # train split: data_batch_1..5, whichever exist, in order
        _pickle(tmp_path / "a" / f"data_batch_{i}", {"data": px[:i], "labels": [i] * i})
    tr = open_dataset(get_network("vgg8"), parse_data(f"cifar10:{tmp_path / 'a'}",
                                                      split="train"), 0)
    assert tr.labels.tolist() == [1, 2, 2]
    # CIFAR-100 ("test", fine_labels) for a 100-class network; 10-class vgg8 rejects it
    _pickle(tmp_path / "c" / "cifar-100-python" / "test", {"data": px, "fine_labels": [99, 5, 0],
                                                           "coarse_labels": [1, 2, 3]})
    spec = get_network("vgg8")
    ds = open_dataset(spec, parse_data(f"cifar100:{tmp_path / 'c'}"), 0,
                      net_options={"num_classes": 100})
    assert ds.labels.tolist() == [99, 5, 0]
    with pytest.raises(NeuroSimError, match="100 classes, but network 'vgg8' outputs 10"):
        open_dataset(spec, parse_data(f"cifar100:{tmp_path / 'c'}"), 0)


def test_cifar_bad_files_are_clear_errors(tmp_path):
    (tmp_path / "test_batch").write_bytes(b"not a pickle")
    with pytest.raises(NeuroSimError, match="not a cifar10 python batch"):
        open_dataset(get_network("vgg8"), parse_data(f"cifar10:{tmp_path}"), 0)
    _pickle(tmp_path / "b" / "test_batch", {"data": np.zeros((2, 3072), np.uint8),
                                            "labels": [0]})
    with pytest.raises(NeuroSimError, match="2 images but 1 labels"):
        open_dataset(get_network("vgg8"), parse_data(f"cifar10:{tmp_path / 'b'}"), 0)
    with pytest.raises(NeuroSimError, match="cifar-10-python.tar.gz"):
        open_dataset(get_network("vgg8"), parse_data(f"cifar10:{tmp_path / 'none'}"), 0)


def test_digits_split():
    pytest.importorskip("sklearn")
    spec = get_network("lenet")
    test = open_dataset(spec, parse_data("digits:test"), 0)
    train = open_dataset(spec, parse_data("digits:train"), 0)
    assert (len(test), len(train)) == (364, 1433)  # 1,797 items; per class every 5th
    counts = torch.bincount(test.labels, minlength=10)
    assert int(counts.min()) >= 35 and int(counts.max()) <= 37
    x = test.read(0, 364)
    assert x.shape == (364, 1, 8, 8) and float(x.min()) == 0 and float(x.max()) == 1
    from sklearn.datasets import load_digits

    d = load_digits()
    # by hand: the first test items are the first 0, 1, 2, ... of load_digits (one per
    # class), then the 6th 0 (the 5th after the first)
    first = [int(np.flatnonzero(d.target == c)[0]) for c in range(10)]
    assert test.labels[:10].tolist() == d.target[sorted(first)].tolist()
    k = sorted(first)[1]
    assert torch.equal(x[1], torch.from_numpy(d.images[k] / 16).float().reshape(1, 8, 8))
    sixth_zero = int(np.flatnonzero(d.target == 0)[5])
    test_idx = sorted(i for c in range(10) for i in np.flatnonzero(d.target == c)[::5])
    assert sixth_zero in test_idx and len(test_idx) == 364
    assert torch.equal(test.labels, torch.from_numpy(d.target[test_idx]))
    assert len(open_dataset(spec, parse_data("digits:test", limit=7), 0)) == 7
    with pytest.raises(NeuroSimError, match="digits:train or digits:test"):
        parse_data("digits:val")


def test_image_folder_resized_to_the_network(tmp_path):
    from PIL import Image

    for i, cls in enumerate(("cat", "dog")):
        (tmp_path / "val" / cls).mkdir(parents=True)
        Image.new("RGB", (60, 45), (255 * i, 0, 0)).save(tmp_path / "val" / cls / "x.png")
    ds = open_dataset(get_network("vgg8"), parse_data(f"imagenet:{tmp_path}"), 0)
    x = ds.read(0, 2)
    assert x.shape == (2, 3, 32, 32) and ds.labels.tolist() == [0, 1]
    assert float(x[1, 0, 0, 0]) == 1.0 and float(x[0, 0, 0, 0]) == -1.0  # CIFAR's 0.5/0.5
    assert torch.equal(ds.items(torch.tensor([1, 0])), x.flip(0))
    assert ds.details["resize"] == round(32 * 256 / 224)


def _encode(sentences):
    return {"input_ids": torch.tensor([[len(s)] for s in sentences])}


def test_text_formats(tmp_path):
    pytest.importorskip("datasets")
    from neurosim.datasets.text import open_text

    (tmp_path / "dev.tsv").write_text('sentence\tlabel\nit \'s a "charming" trip\t1\n'
                                      "dull\t0\n")
    ds = open_text("sst2", str(tmp_path), None, None, None, _encode)
    assert ds.split == "validation" and ds.labels.tolist() == [1, 0]
    assert ds.read(0, 2)["input_ids"].tolist() == [[23], [4]]  # quotes kept (no quoting)
    (tmp_path / "reviews.csv").write_text("text,stars\ngood movie,1\nbad,0\nok,1\n")
    ds = open_text("text", str(tmp_path / "reviews.csv"), None, "text", "stars", _encode)
    assert ds.labels.tolist() == [1, 0, 1] and ds.classes == 2
    with pytest.raises(NeuroSimError, match="--text-field 'sentence'.*text, stars"):
        open_text("text", str(tmp_path / "reviews.csv"), None, None, None, _encode)
    import datasets

    dd = datasets.DatasetDict({
        "train": datasets.Dataset.from_dict({"sentence": ["a"], "label": [0]}),
        "test": datasets.Dataset.from_dict({"sentence": ["b", "c"], "label": [-1, -1]})})
    dd.save_to_disk(str(tmp_path / "saved"))
    ds = open_text("sst2", str(tmp_path / "saved"), "test", None, None, _encode)
    assert len(ds) == 2 and ds.labels is None  # GLUE test split: unlabelled
    with pytest.raises(NeuroSimError, match="has the splits train, test"):
        open_text("sst2", str(tmp_path / "saved"), "validation", None, None, _encode)
    (tmp_path / "p").mkdir()
    dd["train"].to_parquet(str(tmp_path / "p" / "train.parquet"))
    ds = open_text("sst2", str(tmp_path / "p"), "train", None, None, _encode)
    assert ds.labels.tolist() == [0]
