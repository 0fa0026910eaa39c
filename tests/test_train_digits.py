"""The Done-when of issue 13 on real data: `neurosim train` brings lenet to >= 95 %
software accuracy on digits:test (scikit-learn's bundled handwritten digits); with that
checkpoint the hardware-aware accuracy at an 8-bit ADC is within 3 points of software and
falls as the ADC bits drop."""

from __future__ import annotations

import json

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("sklearn")

from click.testing import CliRunner  # noqa: E402

from neurosim.cli import cli  # noqa: E402

#: the documented recipe (docs/accuracy.md walk-through)
RECIPE = ["--epochs", "20", "--batch-size", "32", "--grad-scale", "16",
          "--decreasing-lr", "14,18"]


@pytest.fixture(scope="session")
def lenet_checkpoint(tmp_path_factory):
    d = tmp_path_factory.mktemp("lenet")
    out, hist = d / "lenet.pth", d / "train.json"
    r = CliRunner().invoke(cli, ["train", "-n", "lenet", "--data", "digits:train",
                                 "--out", str(out), "--json", str(hist), "--quiet",
                                 *RECIPE], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return out, json.loads(hist.read_text())


def test_train_then_accuracy_across_adc_bits(lenet_checkpoint, tmp_path):
    ck, hist = lenet_checkpoint
    assert len(hist["history"]) == 20 and hist["settings"]["wl_grad"] == 8
    acc = {}
    for bits in (8, 6, 4):
        out = tmp_path / f"acc{bits}.json"
        r = CliRunner().invoke(cli, ["accuracy", "-n", "lenet", "--checkpoint", str(ck),
                                     "--data", "digits:test", "--set", f"adc_bits={bits}",
                                     "--set", "cell_bits=4", "--json", str(out), "--quiet"],
                               catch_exceptions=False)
        assert r.exit_code == 0, r.output
        acc[bits] = json.loads(out.read_text())
    sw = acc[8]["software_accuracy"]
    assert acc[8]["n_items"] == 364 and acc[8]["reference"] == "labels"
    assert sw >= 0.95
    assert all(a["software_accuracy"] == sw for a in acc.values())  # same batches
    hw = {b: a["accuracy"]["mean"] for b, a in acc.items()}
    assert abs(hw[8] - sw) <= 0.03
    assert hw[8] >= hw[6] > hw[4] and hw[8] - hw[4] > 0.1
    assert {row["path"] for row in acc[8]["layers"]} == {"full"}  # the network's own path
    assert acc[8]["provenance"]["data"]["split"] == "test"
