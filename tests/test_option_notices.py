"""An option the configured device never reads is not ignored silently: one ``Notice:``
line names it (before: exit 0 and nothing said, e.g. ``--set resistanceOn=5e4`` on SRAM).
The figures are those of the run without it, which is what "no effect" claims."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_bad_input_cli import neurosim  # noqa: E402


def _estimate(tmp_path: Path, name: str, *sets: str) -> tuple[list[str], dict]:
    out = tmp_path / f"{name}.json"
    args = ["estimate", "-n", "lenet", "--quiet", "--json", str(out)]
    for s in sets:
        args += ["--set", s]
    proc = neurosim(*args)
    assert proc.returncode == 0, proc.stderr
    figures = {k: v for k, v in json.loads(out.read_text()).items()
               if k not in ("config", "provenance")}
    return [line for line in proc.stderr.splitlines() if line.strip()], figures


@pytest.mark.parametrize("setting,named", [
    ("resistanceOn=5e4", "resistance_on_ohm (resistanceOn) = 50000"),
    ("access_type=none", "access_type (accesstype) = none"),
    ("widthInFeatureSize1T1R=30", "width_1t1r_f"),
])
def test_sram_notice_for_resistive_cell_option(tmp_path: Path, setting: str,
                                               named: str) -> None:
    lines, figures = _estimate(tmp_path, "set", setting)
    assert len(lines) == 1 and lines[0].startswith("Notice: "), lines
    assert named in lines[0] and "device = sram" in lines[0], lines[0]
    _, plain = _estimate(tmp_path, "plain")
    assert figures == plain


def test_no_notice_where_the_device_reads_the_option(tmp_path: Path) -> None:
    lines, figures = _estimate(tmp_path, "rram", "device=rram", "resistanceOn=5e4")
    assert not [line for line in lines if "resistance_on_ohm" in line], lines
    _, default_ron = _estimate(tmp_path, "rram0", "device=rram")
    assert figures["chip"] != default_ron["chip"]  # Ron matters for RRAM


def test_no_notice_at_the_default_value(tmp_path: Path) -> None:
    lines, _ = _estimate(tmp_path, "dflt", "resistanceOn=100e3")
    assert not lines, lines


@pytest.mark.parametrize("setting,named", [
    ("tileBufferType=1", "tile_buffer_sram (tileBufferType) = true has no effect"),
    ("Activationtype=0", "activation_sram (Activationtype) = false has no effect with relu"),
    ("speciallayout=0", "special_layout (speciallayout) = 0 has no effect at 22nm"),
])
def test_notice_for_option_this_design_never_reads(tmp_path: Path, setting: str,
                                                   named: str) -> None:
    lines, figures = _estimate(tmp_path, "set", setting)
    assert len(lines) == 1 and named in lines[0], lines
    _, plain = _estimate(tmp_path, "plain")
    assert figures == plain


def test_special_layout_at_a_gaa_node_has_effect_and_no_notice(tmp_path: Path) -> None:
    lines, figures = _estimate(tmp_path, "off", "technode=2", "speciallayout=0")
    assert not lines, lines
    _, on = _estimate(tmp_path, "on", "technode=2")
    assert figures["chip"] != on["chip"]


def test_word_line_buffer_ratio_only_where_the_node_has_buffers(tmp_path: Path) -> None:
    lines, figures = _estimate(tmp_path, "22", "buffersizeratio=2")
    assert len(lines) == 1 and "buffersizeratio = 2 has no effect with buffernumber = 0" \
        in lines[0], lines
    _, plain = _estimate(tmp_path, "plain")
    assert figures == plain
    lines, figures = _estimate(tmp_path, "2", "technode=2", "buffersizeratio=2")
    assert not lines, lines
    _, node_value = _estimate(tmp_path, "2n", "technode=2")
    assert figures["chip"] != node_value["chip"]  # 2 nm sizes its buffers by it


def test_switch_matrix_ratio_is_an_envm_option(tmp_path: Path) -> None:
    lines, figures = _estimate(tmp_path, "s", "newswitchmatrixsizeratio=2")
    assert lines == ["Notice: newswitchmatrixsizeratio = 2 has no effect with device = "
                     "sram: the sram cell does not read it (NeuroSim ignores it too)"], lines
    _, plain = _estimate(tmp_path, "plain")
    assert figures == plain


def test_accuracy_options_on_a_hardware_only_estimate(tmp_path: Path) -> None:
    lines, figures = _estimate(tmp_path, "acc", "variation=0.1", "stuck_at_0_rate=0.01")
    assert lines == ["Notice: variation = 0.1, stuck_at_0_rate = 0.01 have no effect on the "
                     "hardware figures: accuracy simulation options (add --with-accuracy, or "
                     "run neurosim accuracy)"], lines
    _, plain = _estimate(tmp_path, "plain")
    assert figures == plain
    lines, seeded = _estimate(tmp_path, "seed", "seed=5")  # shapes the random weights
    assert not lines and seeded != plain


def test_no_accuracy_notice_with_the_accuracy_run(tmp_path: Path) -> None:
    proc = neurosim("estimate", "-n", "lenet", "--quiet", "--with-accuracy", "--set",
                    "variation=0.1")
    assert proc.returncode == 0, proc.stderr
    assert "no effect" not in proc.stderr, proc.stderr


def test_sweep_without_accuracy_names_its_accuracy_axes(tmp_path: Path) -> None:
    import csv

    spec = tmp_path / "spec.toml"
    spec.write_text('network = "lenet"\n[grid]\nvariation = [0.0, 0.1]\n'
                    '[objectives]\nmaximize = ["performance.tops_per_w"]\n')
    proc = neurosim("sweep", "run", str(spec), "--out", str(tmp_path / "out"), "--workers",
                    "1", "--quiet")
    assert proc.returncode == 0, proc.stderr
    notices = [line for line in proc.stderr.splitlines() if line.startswith("Notice: ")]
    assert notices == ["Notice: variation ([grid]) has no effect on the hardware figures: "
                       "accuracy simulation options, and this sweep runs no accuracy (add "
                       "--with-accuracy, or accuracy = true in the spec)"], proc.stderr
    rows = list(csv.DictReader((tmp_path / "out" / "results.csv").open()))
    assert len(rows) == 2
    assert rows[0]["chip.area_m2"] == rows[1]["chip.area_m2"]
    assert rows[0]["performance.tops_per_w"] == rows[1]["performance.tops_per_w"]


def test_batch_above_the_data_set_size(tmp_path: Path) -> None:
    """Before: --batch 5000 on the 364 test digits loaded them all without a word."""
    proc = neurosim("estimate", "-n", "lenet", "--data", "digits:test", "--batch", "5000",
                    "--quiet", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == ["Notice: --batch 5000: the data set holds 364 items; "
                                        "all of them are loaded"], proc.stderr
    proc = neurosim("estimate", "-n", "lenet", "--data", "digits:test", "--batch", "5",
                    "--quiet", "--no-cache")
    assert proc.returncode == 0 and not proc.stderr, proc.stderr
