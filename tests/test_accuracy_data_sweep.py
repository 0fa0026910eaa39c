"""neurosim accuracy --sweep/--plot: one run per grid point on the same data, a table, the
JSON of every run and a figure."""

from __future__ import annotations

import json

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("matplotlib")

from click.testing import CliRunner  # noqa: E402

from neurosim.cli import cli  # noqa: E402


def _cli(args):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_sweep_table_json_and_plot(tmp_path):
    out, png = tmp_path / "s.json", tmp_path / "s.png"
    r = _cli(["accuracy", "-n", "lenet", "--data", "digits:test", "--limit", "12",
              "--sweep", "adc_bits=3,8", "--sweep", "cell_bits=4,2", "--json", str(out),
              "--plot", str(png), "--quiet"])
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text())
    assert doc["sweep"] == ["adc_bits", "cell_bits"]
    points = [run["point"] for run in doc["runs"]]
    assert points == [{"adc_bits": "3", "cell_bits": "4"}, {"adc_bits": "3", "cell_bits": "2"},
                      {"adc_bits": "8", "cell_bits": "4"}, {"adc_bits": "8", "cell_bits": "2"}]
    for run in doc["runs"]:
        assert run["result"]["settings"]["adc_bits"] == int(run["point"]["adc_bits"])
        assert run["result"]["n_items"] == 12
    sw = {run["result"]["software_accuracy"] for run in doc["runs"]}
    assert len(sw) == 1  # the software model does not depend on the ADC or the cells
    lines = r.output.splitlines()
    assert lines[1].split() == ["adc_bits", "cell_bits", "hardware", "software", "agreement"]
    assert len(lines) >= 6 and lines[2].split()[:2] == ["3", "4"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_sweep_user_errors(tmp_path):
    r = _cli(["accuracy", "-n", "lenet", "--plot", str(tmp_path / "a.png")])
    assert r.exit_code == 2 and "--plot draws a --sweep" in r.output
    r = _cli(["accuracy", "-n", "lenet", "--sweep", "adc_bits"])
    assert r.exit_code == 2 and "expected KEY=V1,V2" in r.output
    r = _cli(["accuracy", "-n", "lenet", "--sweep", "adc_bits=4", "--plot",
              str(tmp_path / "a.gif")])
    assert r.exit_code == 2 and ".png, .pdf or .svg" in r.output
    r = _cli(["accuracy", "-n", "lenet", "--sweep", "adc_bitz=4", "--quiet"])
    assert r.exit_code == 2 and "adc_bitz" in r.output
    assert not (tmp_path / "a.png").exists()
