"""Honest notices and the per-layer report of neurosim accuracy: settings the chosen path
ignores are named once (before: `--set vari=0.2 --seeds 3` on DenseNet40's simplified path
reported "std 0.00 % over 3 seeds"), inputs that saturate on --path full are warned about
with the layer named, and the report does not change the hardware result."""

from __future__ import annotations

import json

import pytest

torch = pytest.importorskip("torch")

from click.testing import CliRunner  # noqa: E402

from neurosim.cli import cli  # noqa: E402


def _cli(args):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_variation_on_the_simplified_path_is_reported(tmp_path):
    out = tmp_path / "a.json"
    r = _cli(["accuracy", "-n", "densenet40", "--data", "random:1", "--set", "vari=0.2",
              "--seeds", "3", "--json", str(out), "--quiet"])
    assert r.exit_code == 0, r.output
    res = json.loads(out.read_text())
    assert len(res["accuracy"]["per_seed"]) == 1  # not "std 0.00 % over 3 seeds"
    assert "over 3 seeds" not in r.output
    assert any("variation = 0.2 has no effect" in n and "use --path full" in n
               for n in res["notes"])
    assert any("--seeds 3" in n and "variation has no effect on the simplified path" in n
               for n in res["notes"])


def test_onoff_ratio_in_fp_mode_is_reported():
    r = _cli(["accuracy", "-n", "lenet", "--data", "random:2", "--set", "quant_mode=FP",
              "--set", "onoff_ratio=5", "--quiet"])
    assert r.exit_code == 0, r.output
    assert "NOTE: onoff_ratio = 5 has no effect" in r.output and "fp path" in r.output
    r = _cli(["accuracy", "-n", "lenet", "--data", "random:2", "--set", "onoff_ratio=5",
              "--quiet"])  # lenet runs the full path: no notice
    assert r.exit_code == 0 and "onoff_ratio" not in r.output


def test_saturation_on_the_full_path_names_the_layer():
    from neurosim.accuracy.crossbar import CrossbarModel, attach
    from neurosim.accuracy.report import LayerMonitor, saturation_notes
    from neurosim.nn import QConv2d

    torch.manual_seed(0)
    layer = QConv2d(4, 8, 3, padding=1, name="Conv9_", model="VGG8", inference=1,
                    cell_bit=4, sub_array=64)
    hw = CrossbarModel(path="full")
    attach(layer, hw, {})
    mon = LayerMonitor(layer, hw)
    mon.active = True
    x = torch.linspace(-0.5, 2.0, 4 * 36).reshape(1, 4, 6, 6)
    with torch.no_grad():
        layer(x)
    st = mon.stats[0]
    assert st.path == "full" and st.inputs == x.numel()
    assert st.above_one == int((x > 1).sum()) and st.negative == int((x < 0).sum())
    notes = saturation_notes(mon.stats, 8)
    assert any(n.startswith("layer Conv9_:") and "exceed 1" in n and "saturate" in n
               for n in notes)
    assert any("negative" in n for n in notes)
    assert 0 < st.rel_rms < 1


def test_layer_report_does_not_change_the_hardware_result():
    from neurosim.accuracy.evaluate import evaluate_network
    from neurosim.config import load_config
    from neurosim.datasets import parse_data

    cfg = load_config((), ["variation=0.2", "cell_bits=4"])
    a = evaluate_network(cfg, "lenet", parse_data("random:6"), seeds=2, batch_size=4)
    b = evaluate_network(cfg, "lenet", parse_data("random:6"), seeds=2, batch_size=4,
                         layer_report=False)
    assert a.per_seed == b.per_seed and a.agreement == b.agreement
    assert [row["layer"] for row in a.layers] == ["Conv0_", "Conv1_", "FC0_", "FC1_"]
    assert all(row["rel_rms_error"] > 0 for row in a.layers)  # variation reaches each layer
    assert b.layers[0]["rel_rms_error"] is None


def test_device_to_device_variation_counts_on_the_simplified_path(tmp_path):
    """With variation_mode = d2d the simplified path maps weights to cells and draws the
    variation: no 'no effect' notice, and --seeds really repeats."""
    out = tmp_path / "a.json"
    r = _cli(["accuracy", "-n", "lenet", "--path", "simplified", "--data", "random:3",
              "--set", "vari=0.2", "--set", "variation_mode=d2d", "--seeds", "2",
              "--json", str(out), "--quiet"])
    assert r.exit_code == 0, r.output
    res = json.loads(out.read_text())
    assert len(res["accuracy"]["per_seed"]) == 2
    assert not any("has no effect" in n for n in res["notes"])
    r = _cli(["accuracy", "-n", "lenet", "--path", "simplified", "--data", "random:3",
              "--set", "vari=0.2", "--seeds", "2", "--quiet"])
    assert r.exit_code == 0 and "variation = 0.2 has no effect" in r.output
