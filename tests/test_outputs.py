"""``--csv`` and ``--plot`` of ``neurosim compat`` / ``neurosim estimate``.

Numbers are checked against the golden case ``micro_sram_t22`` (NeuroSim V1.4 C++ on the
Micro traces, default Param.cpp): the CSV's values equal the JSON's exactly, and both equal
the golden figures to 1e-4.
"""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import REL_TOL, case_by_id, network_path, trace_files  # noqa: E402
from small_models import SMALLNET  # noqa: E402

from neurosim.engine.results import LAYER_KEYS  # noqa: E402
from neurosim.outputs import area_breakdown, energy_breakdown, latency_breakdown  # noqa: E402

CASE = case_by_id("micro_sram_t22")
GOLDEN = CASE["golden"]
NET = network_path(CASE)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def compat(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "neurosim.cli", "compat", str(NET), "8", "8",
                           "128", "128", *trace_files(CASE), "--quiet", *args],
                          capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict:
    d = tmp_path_factory.mktemp("out")
    proc = compat("--json", str(d / "r.json"), "--csv", str(d / "r.csv"),
                  "--plot", str(d / "r.png"))
    assert proc.returncode == 0, proc.stderr
    with open(d / "r.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    return {"dir": d, "proc": proc, "json": json.loads((d / "r.json").read_text()),
            "rows": rows, "png": (d / "r.png").read_bytes()}


def test_csv_equals_json_equals_golden(outputs) -> None:
    rows, data = outputs["rows"], outputs["json"]
    assert list(rows[0]) == ["layer"] + [k for k, _ in LAYER_KEYS]
    assert [r["layer"] for r in rows] == ["1", "2", "3", "4", "chip"]
    for row, js, gold in zip(rows[:-1], data["layers"], GOLDEN["layers"]):
        for key, _ in LAYER_KEYS:
            assert float(row[key]) == js[key], key  # full precision: exactly the JSON's
            assert js[key] == pytest.approx(gold[key], rel=REL_TOL), key
    chip = rows[-1]
    for key, _ in LAYER_KEYS:
        assert float(chip[key]) == data["chip"][key], key
        assert data["chip"][key] == pytest.approx(GOLDEN["chip"][key], rel=REL_TOL), key
    # hand check: the chip energy is the sum of the layers' (pipelined: latency is the max)
    assert float(chip["read_energy_j"]) == pytest.approx(
        math.fsum(float(r["read_energy_j"]) for r in rows[:-1]), rel=1e-12)
    assert float(chip["read_latency_s"]) == max(float(r["read_latency_s"]) for r in rows[:-1])
    assert not list(outputs["dir"].glob(".*.tmp"))  # no temporary file left


def test_report_unchanged_with_outputs(outputs) -> None:
    out = outputs["proc"].stdout
    assert "ChipArea : 5.48545e+06 um^2" in out
    assert "Energy Efficiency TOPS/W (Pipelined Process): 18.4134" in out


def test_plot_is_a_png(outputs) -> None:
    png = outputs["png"]
    assert png.startswith(PNG_MAGIC)
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width >= 1200 and height >= 500  # three readable panels side by side


def test_plot_breakdowns_add_up_to_golden() -> None:
    """The plotted stacks are the chip and layer figures, split without loss."""
    for gold in GOLDEN["layers"] + [GOLDEN["chip"]]:
        e = energy_breakdown(gold)
        assert math.fsum(e.values()) == pytest.approx(gold["read_energy_j"], rel=REL_TOL)
        assert e["buffer"] == gold["buffer_energy_j"] and e["interconnect"] == gold["ic_energy_j"]
        assert e["ADC"] == gold["adc_energy_j"] and all(v >= 0 for v in e.values())
    for gold in GOLDEN["layers"]:
        t = latency_breakdown(gold)
        assert math.fsum(t.values()) == pytest.approx(gold["read_latency_s"], rel=REL_TOL)


def test_area_breakdown_equals_golden() -> None:
    from neurosim.commands.compat import compat_config
    from neurosim.engine.flow import estimate_from_files

    files = trace_files(CASE)
    res = estimate_from_files(str(NET), files[0::2], files[1::2],
                              compat_config(8, 8, 128, 128))
    areas = area_breakdown(res)
    g = GOLDEN["chip"]
    assert areas["array"] == pytest.approx(g["area_array_m2"], rel=REL_TOL)
    assert areas["ADC"] == pytest.approx(g["area_adc_m2"], rel=REL_TOL)
    assert areas["interconnect"] == pytest.approx(g["area_ic_m2"], rel=REL_TOL)
    # NeuroSim's five categories leave part of the chip out: the subarrays' white space
    rest = g["area_m2"] - sum(g[f"area_{k}_m2"] for k in ("array", "adc", "accum", "ic", "other"))
    assert rest > 0.03 * g["area_m2"]
    assert areas["empty"] == pytest.approx(rest, rel=1e-3)
    assert "unaccounted" not in areas
    assert math.fsum(areas.values()) == pytest.approx(g["area_m2"], rel=REL_TOL)


def test_errors_write_nothing(tmp_path: Path) -> None:
    for name in ("r.json", "r.csv", "r.png"):
        (tmp_path / name).write_text("previous")
    args = ["--json", "r.json", "--csv", "r.csv", "--plot", "r.png"]
    # an unknown figure is found after the estimate, before any file is written
    proc = compat(*args, "--explain", "layers.7.read_energy_j", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: --explain layers.7.read_energy_j: layer '7'")
    assert "Traceback" not in proc.stderr
    # a figure file name matplotlib cannot write, refused before the estimate
    proc = compat("--csv", "r.csv", "--plot", "r.gif", cwd=tmp_path)
    assert proc.returncode == 2 and "use a .png, .pdf or .svg" in proc.stderr
    proc = compat("--csv", "nowhere/r.csv", cwd=tmp_path)
    assert proc.returncode == 2 and "folder nowhere does not exist" in proc.stderr
    for name in ("r.json", "r.csv", "r.png"):
        assert (tmp_path / name).read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "r.json", "r.png"]


def test_matplotlib_only_imported_for_plots(tmp_path: Path) -> None:
    code = textwrap.dedent(f"""
        import sys
        from click.testing import CliRunner
        from neurosim.cli import cli
        args = ["compat", {str(NET)!r}, "8", "8", "128", "128", *{trace_files(CASE)!r},
                "--quiet", "--csv", {str(tmp_path / "a.csv")!r}]
        r = CliRunner().invoke(cli, args)
        assert r.exit_code == 0, r.output
        assert "matplotlib" not in sys.modules
        r = CliRunner().invoke(cli, args + ["--plot", {str(tmp_path / "a.svg")!r}])
        assert r.exit_code == 0, r.output
        assert "matplotlib" in sys.modules
        import matplotlib
        assert matplotlib.get_backend().lower() == "agg"
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "a.svg").read_text().lstrip().startswith("<?xml")


def test_estimate_csv_plot_explain(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("torch")
    from click.testing import CliRunner

    from neurosim.cli import cli

    (tmp_path / "smallnet.py").write_text(SMALLNET)
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(cli, ["estimate", "--model", "smallnet.py:build", "--quiet",
                                 "--json", "e.json", "--csv", "e.csv", "--plot", "e.png",
                                 "--explain", "chip.read_energy_j", "--explain-depth", "1"])
    assert r.exit_code == 0, r.output
    data = json.loads(Path("e.json").read_text())
    assert "network" in data
    with open("e.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [row["layer"] for row in rows] == ["1", "2", "3", "chip"]
    for row, js in zip(rows, data["layers"] + [data["chip"]]):
        for key, _ in LAYER_KEYS:
            assert float(row[key]) == js[key]
    assert Path("e.png").read_bytes().startswith(PNG_MAGIC)
    tree = r.output[r.output.index("== chip.read_energy_j"):].splitlines()
    assert tree[1].startswith("chip (sum over layers): ")
    assert sum(1 for line in tree if line.startswith("  layer ")) == 3


def test_plot_without_matplotlib_is_a_user_error(tmp_path: Path) -> None:
    code = textwrap.dedent(f"""
        import sys
        sys.modules["matplotlib"] = None  # as if it were not installed
        from click.testing import CliRunner
        from neurosim.cli import cli
        r = CliRunner().invoke(cli, ["compat", {str(NET)!r}, "8", "8", "128", "128",
                                     *{trace_files(CASE)!r}, "--quiet", "--csv",
                                     {str(tmp_path / "a.csv")!r}, "--plot",
                                     {str(tmp_path / "a.png")!r}])
        assert r.exit_code == 2, r.output
        assert "--plot needs matplotlib: pip install 'neurosim-core[plot]'" in r.output
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert list(tmp_path.iterdir()) == []  # neither the figure nor the CSV
