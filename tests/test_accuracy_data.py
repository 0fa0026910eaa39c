"""``neurosim accuracy`` on real data sets: every item scored, software beside hardware from
the same batches, labels read from a CIFAR-format folder the test writes (only
``test_batch``, not the official file), provenance in ``--json``, input-kind mismatches
rejected up front, honest notices."""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from click.testing import CliRunner  # noqa: E402

from neurosim.cli import cli  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DENSENET = REPO.parent / "shared" / "golden" / "checkpoints" / "DenseNet40.pth"


def _cli(args):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def _write_cifar(folder: Path, pixels: np.ndarray, labels: list[int]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "test_batch", "wb") as f:
        pickle.dump({"data": pixels.reshape(len(pixels), -1), "labels": labels}, f)
    return folder


def _densenet_software_predictions(pixels: np.ndarray) -> list[int]:
    """The software (inference=0) predictions of the DenseNet40 checkpoint, computed here
    without neurosim.accuracy: the plugin's model and the wrapper's CIFAR normalization."""
    from neurosim.networks import get_network

    model = get_network("densenet40").build(checkpoint=str(DENSENET), inference=0)
    x = torch.from_numpy(pixels).float().div(255).sub(0.5).div(0.5)
    with torch.no_grad():
        return model(x).argmax(-1).tolist()


@pytest.fixture(scope="module")
def cifar_dir(tmp_path_factory):
    """Four 'images' in CIFAR-10's pickle format, two labelled with the software
    prediction and two with another class, so software accuracy is exactly 50 %."""
    if not DENSENET.is_file():
        pytest.skip("DenseNet40 checkpoint not found")
    rng = np.random.default_rng(3)
    base = rng.integers(0, 256, size=(1, 3, 32, 32))
    pixels = np.clip(base + rng.integers(-40, 41, size=(4, 3, 32, 32)), 0, 255) \
        .astype(np.uint8)
    sw = _densenet_software_predictions(pixels)
    labels = [sw[0], sw[1], (sw[2] + 1) % 10, (sw[3] + 3) % 10]
    return _write_cifar(tmp_path_factory.mktemp("cifar") / "cifar-10-batches-py", pixels,
                        labels), sw, labels


def test_densenet40_scores_every_item_with_labels_and_provenance(cifar_dir, tmp_path):
    folder, sw, labels = cifar_dir
    out = tmp_path / "acc.json"
    r = _cli(["accuracy", "-n", "densenet40", "--checkpoint", str(DENSENET), "--data",
              f"cifar10:{folder}", "--json", str(out), "--quiet", "--batch-size", "3"])
    assert r.exit_code == 0, r.output
    res = json.loads(out.read_text())
    assert res["n_items"] == 4  # every item, in two batches (before: only the first)
    assert res["reference"] == "labels"
    assert res["software_accuracy"] == 0.5  # before: null
    assert "software (inference=0) accuracy: 50.00 %" in r.output
    assert 0.0 <= res["accuracy"]["mean"] <= 1.0
    # hardware predictions vs labels and vs software are both recorded
    assert len(res["agreement_with_software"]) == 1
    prov = res["provenance"]
    assert prov["weights"]["sha256"] == hashlib.sha256(DENSENET.read_bytes()).hexdigest()
    assert prov["weights"]["checkpoint"] == str(DENSENET.resolve())
    assert prov["data"]["kind"] == "cifar10" and prov["data"]["n_items"] == 4
    assert prov["data"]["split"] == "test" and prov["data"]["labelled"] is True
    assert prov["network"]["distribution"] == "neurosim-network-densenet40"
    assert prov["versions"]["neurosim-core"] and prov["versions"]["torch"]
    assert prov["seeds"] == [117] and prov["device"]["device"] == "cpu"
    assert res["settings"]["adc_bits"] == 5 and res["config"]["tech"] == "22nm"
    # per-layer report: every CIM layer of DenseNet40 (39 conv + 1 FC)
    assert len(res["layers"]) == 40
    assert all(0 <= row["rel_rms_error"] < 10 for row in res["layers"])
    assert all(row["path"] == "simplified" for row in res["layers"])


def test_limit_scores_the_first_items(cifar_dir, tmp_path):
    folder, sw, labels = cifar_dir
    out = tmp_path / "acc.json"
    r = _cli(["accuracy", "-n", "densenet40", "--checkpoint", str(DENSENET), "--data",
              f"cifar10:{folder.parent}", "--limit", "2", "--json", str(out), "--quiet",
              "--set", "inference=0"])
    assert r.exit_code == 0, r.output
    res = json.loads(out.read_text())
    assert res["n_items"] == 2
    # inference=0: the "hardware" run is the software model
    assert res["software_accuracy"] == 1.0 and res["accuracy"]["mean"] == 1.0


def test_mismatched_data_rejected_up_front(tmp_path):
    from PIL import Image

    folder = _write_cifar(tmp_path / "c", np.zeros((1, 3, 32, 32), np.uint8), [0])
    r = _cli(["accuracy", "-n", "resnet18", "--data", f"cifar10:{folder}", "--quiet"])
    assert r.exit_code == 2
    assert "'resnet18' takes 3x224x224 images (imagenet)" in r.output
    assert "cifar10 holds 3x32x32 images" in r.output
    # an ImageNet-style folder of 12 classes for a 10-class network: rejected before any
    # model is built (before: a matrix-shape error after 20 s)
    for i in range(12):
        (tmp_path / "val" / f"n{i:02d}").mkdir(parents=True)
        Image.new("RGB", (40, 40), (i, 0, 0)).save(tmp_path / "val" / f"n{i:02d}" / "a.png")
    r = _cli(["accuracy", "-n", "vgg8", "--data", f"imagenet:{tmp_path}", "--quiet"])
    assert r.exit_code == 2 and "12 classes" in r.output and "'vgg8' outputs 10" in r.output
    r = _cli(["accuracy", "-n", "vgg8", "--data", f"sst2:{tmp_path}", "--quiet"])
    assert r.exit_code == 2 and "'vgg8' takes 3x32x32 images" in r.output
    r = _cli(["accuracy", "-n", "roberta-lora", "--data", f"cifar10:{folder}", "--quiet"])
    assert r.exit_code == 2 and "takes text" in r.output


def test_estimate_with_accuracy_scores_the_batch(tmp_path):
    """`estimate --with-accuracy --batch N` scores the N items loaded (before: the first)."""
    pytest.importorskip("sklearn")
    out = tmp_path / "e.json"
    r = _cli(["estimate", "-n", "lenet", "--data", "digits:test", "--batch", "5",
              "--with-accuracy", "--json", str(out), "--quiet"])
    assert r.exit_code == 0, r.output
    acc = json.loads(out.read_text())["accuracy"]
    assert acc["n_items"] == 5 and acc["reference"] == "labels"
    assert acc["software_accuracy"] is not None
    assert acc["provenance"]["data"]["n_items"] == 5
