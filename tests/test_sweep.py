"""``neurosim sweep``: rows equal single ``neurosim estimate --json`` runs (1e-12 relative),
NeuroSim's rejections are rows with its reason, the Pareto front equals a brute-force
check, a killed sweep resumes without losing or duplicating rows, a changed spec adds only
its new rows, and the same sweep runs on a Dask LocalCluster."""

from __future__ import annotations

import csv
import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("torch")
from click.testing import CliRunner  # noqa: E402

from neurosim.cli import cli  # noqa: E402
from neurosim.config import load_config  # noqa: E402
from neurosim.errors import RejectedConfiguration  # noqa: E402
from neurosim.sweep.table import flatten  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from small_models import SMALLNET  # noqa: E402

SPEC = """\
model = "smallnet.py:build"
[base]
technode = 22
[grid]
device = ["sram", "rram"]
technode = [22, 7]
levelOutput = [16, 32]
[[points]]
technode = 7
adc = "sar"
[objectives]
maximize = ["performance.tops_per_w"]
minimize = ["chip.area_m2", "chip.read_latency_s"]
"""
NEURO = [sys.executable, "-c", "from neurosim.cli import main; main()"]


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    d = tmp_path_factory.mktemp("sweep")
    (d / "smallnet.py").write_text(SMALLNET)
    (d / "spec.toml").write_text(SPEC)
    r = CliRunner().invoke(cli, ["sweep", "run", str(d / "spec.toml"), "--out",
                                 str(d / "out"), "--workers", "1", "--quiet"])
    assert r.exit_code == 0, r.output
    return d, r.output


def test_rows_equal_single_estimate_runs(swept, monkeypatch):
    d, _ = swept
    rows = {(r["device"], r["technode"], r["levelOutput"], r["adc"]): r
            for r in _rows(d / "out" / "results.csv")}
    assert len(rows) == 9
    monkeypatch.chdir(d)
    runner = CliRunner()
    cases = [("sram", "7nm", "16", "mlsa"), ("rram", "22nm", "32", "mlsa"),
             ("sram", "7nm", "32", "sar")]
    for dev, node, levels, adc in cases:
        out = d / f"est_{dev}_{node}_{levels}_{adc}.json"
        r = runner.invoke(cli, ["estimate", "--model", "smallnet.py:build", "--set",
                                f"device={dev}", "--set", f"technode={node[:-2]}", "--set",
                                f"levelOutput={levels}", "--set", f"adc={adc}", "--json",
                                str(out), "--quiet"])
        assert r.exit_code == 0, r.output
        est = json.loads(out.read_text())
        figures = ("floorplan", "clock_period_s", "layers", "chip", "performance")
        want = flatten({k: est[k] for k in figures})  # not network/contributions/provenance
        row = rows[(dev, node, levels, adc)]
        assert row["status"] == "done"
        assert len(want) == 78  # 3 layers x 14, chip 21, performance 4, floorplan 10, clock
        for k, v in want.items():
            assert float(row[k]) == pytest.approx(float(v), rel=1e-12, abs=0.0), k


def test_rejected_rows_carry_neurosims_reason(swept):
    d, _ = swept
    rejected = [r for r in _rows(d / "out" / "results.csv") if r["status"] == "rejected"]
    assert sorted((r["device"], r["technode"]) for r in rejected) == [("rram", "7nm")] * 2
    with pytest.raises(RejectedConfiguration) as exc:
        load_config((), {"device": "rram", "technode": 7})
    assert {r["reason"] for r in rejected} == {str(exc.value)}
    assert "RRAM-CIM is not supported" in str(exc.value)
    assert all(r["chip.area_m2"] == "" for r in rejected)


def test_pareto_front_equals_brute_force(swept):
    d, output = swept
    rows = [r for r in _rows(d / "out" / "results.csv") if r["status"] == "done"]
    obj = [(k, s) for k, s in (("performance.tops_per_w", -1), ("chip.area_m2", 1),
                               ("chip.read_latency_s", 1))]
    vals = {r["config_id"]: [s * float(r[k]) for k, s in obj] for r in rows}

    def dominates(a, b):
        return all(x <= y for x, y in zip(a, b)) and any(x < y for x, y in zip(a, b))

    brute = {c for c, v in vals.items() if not any(dominates(w, v) for w in vals.values())}
    front = {r["config_id"] for r in _rows(d / "out" / "pareto.csv")}
    assert front == brute and front
    assert f"Pareto front (max performance.tops_per_w, min chip.area_m2, min " \
           f"chip.read_latency_s): {len(front)} rows" in output
    png = (d / "out" / "pareto.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and (d / "out" / "sensitivity.png").is_file()


def test_show_filters_and_sorts_without_recomputing(swept):
    d, _ = swept
    runner = CliRunner()
    r = runner.invoke(cli, ["sweep", "show", str(d / "out"), "--where",
                            "device = sram and technode <= 22", "--sort",
                            "-performance.tops_per_w", "--csv", str(d / "shown.csv")])
    assert r.exit_code == 0, r.output
    shown = _rows(d / "shown.csv")
    assert len(shown) == 5 and {s["device"] for s in shown} == {"sram"}
    tops = [float(s["performance.tops_per_w"]) for s in shown]
    assert tops == sorted(tops, reverse=True)
    r = runner.invoke(cli, ["sweep", "show", str(d / "out"), "--where",
                            "__import__('os').system('true')"])
    assert r.exit_code == 2 and "Error: --where" in r.output
    r = runner.invoke(cli, ["sweep", "show", str(d / "out"), "--sort", "nope"])
    assert r.exit_code == 2 and "--sort: no column 'nope'" in r.output


@pytest.mark.parametrize("text,message", [
    ("model = 'smallnet.py:build'\n[grid]\ndevise = ['sram']\n",
     "spec.toml: [grid] devise: unknown option 'devise'"),
    ("model = 'smallnet.py:build'\n[grid]\nlevelOutput = 'x'\n",
     "spec.toml: [grid] levelOutput: expected a non-empty list"),
    ("model = 'smallnet.py:build'\n[base]\ntechnode = 4\n",
     "spec.toml: [base] technode = 4: "),
    ("model = 'smallnet.py:build'\n[objectives]\nmaximize = ['tops']\n",
     "spec.toml: [objectives] maximize: unknown figure 'tops'"),
    ("network = 'vgg8'\nmodel = 'x:y'\n", "spec.toml: give exactly one of"),
    ("model = 'smallnet.py:build'\n[[points]]\ncell_bits = 'two'\n",
     "spec.toml: [[points]] #1 cell_bits: option cell_bits = 'two' must be a number"),
])
def test_spec_errors_name_file_table_and_key(tmp_path, text, message):
    (tmp_path / "spec.toml").write_text(text)
    r = CliRunner().invoke(cli, ["sweep", "run", str(tmp_path / "spec.toml"), "--out",
                                 str(tmp_path / "o"), "--quiet"])
    assert r.exit_code == 2, r.output
    assert message in r.output and "Traceback" not in r.output


RESUME_SPEC = """\
model = "smallnet.py:build"
[grid]
device = ["sram", "rram"]
levelOutput = [8, 16, 32]
subarray_rows = [64, 128]
pipeline = [true, false]
[objectives]
minimize = ["chip.area_m2", "chip.read_energy_j"]
"""


def _store_rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT config_id, status, result FROM rows ORDER BY seq").fetchall()


def test_killed_sweep_resumes_without_losing_or_duplicating_rows(tmp_path):
    (tmp_path / "smallnet.py").write_text(SMALLNET)
    (tmp_path / "spec.toml").write_text(RESUME_SPEC)
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONHASHSEED="0")
    cmd = NEURO + ["sweep", "run", str(tmp_path / "spec.toml"), "--out", str(out),
                   "--workers", "1", "--quiet"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    db = out / "results.sqlite"
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if db.is_file():
            try:
                done = sum(1 for r in _store_rows(db) if r[1] == "done")
            except sqlite3.Error:
                continue
            if done >= 3:
                break
    assert proc.poll() is None, "the sweep finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    before = {r[0]: r[2] for r in _store_rows(db) if r[1] == "done"}
    assert 3 <= len(before) < 24
    again = cmd[:-3] + ["--workers", "2"]  # each option once (a repeat is an error)
    r = subprocess.run(again, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert f"24 configurations: 0 new, {len(before)} already finished" in r.stderr
    after = _store_rows(db)
    assert len(after) == 24 and len({a[0] for a in after}) == 24
    assert all(a[1] == "done" for a in after)
    for cid, res in before.items():  # finished rows were not recomputed or lost
        assert dict((a[0], a[2]) for a in after)[cid] == res
    csv_rows = _rows(out / "results.csv")
    assert [c["config_id"] for c in csv_rows] == [a[0] for a in after]
    # the rows the second run (two worker processes) computed equal an in-process run
    fresh = tmp_path / "fresh"
    r = CliRunner().invoke(cli, ["sweep", "run", str(tmp_path / "spec.toml"), "--out",
                                 str(fresh), "--workers", "1", "--quiet", "--no-plots"])
    assert r.exit_code == 0, r.output
    ref = {a[0]: json.loads(a[2]) for a in _store_rows(fresh / "results.sqlite")}
    for cid, _, res in after:
        got = flatten(json.loads(res))
        for k, v in flatten(ref[cid]).items():
            assert got[k] == v or math.isclose(got[k], v, rel_tol=1e-12), k


def test_changed_spec_adds_only_new_rows(swept, tmp_path):
    d, _ = swept
    import shutil

    work = tmp_path / "w"
    shutil.copytree(d, work, ignore=shutil.ignore_patterns("est_*", "shown.csv"))
    with sqlite3.connect(work / "out" / "results.sqlite") as db:
        db.execute("UPDATE rows SET result = '{\"sentinel\": 1}' WHERE status = 'done'")
    (work / "spec.toml").write_text(SPEC.replace("levelOutput = [16, 32]",
                                                 "levelOutput = [16, 32, 64]"))
    r = CliRunner().invoke(cli, ["sweep", "run", str(work / "spec.toml"), "--out",
                                 str(work / "out"), "--workers", "1", "--no-plots"])
    assert r.exit_code == 0, r.output
    assert "13 configurations: 4 new, 9 already finished, 4 to run" in r.output
    rows = _store_rows(work / "out" / "results.sqlite")
    assert len(rows) == 13  # 9 old + 4 new (2 devices x 2 nodes x levelOutput 64)
    assert sum(1 for r in rows if r[2] == '{"sentinel": 1}') == 7  # old rows untouched
    assert sum(1 for r in rows if r[1] == "rejected") == 3


def test_dask_local_cluster_gives_the_same_rows(swept, tmp_path):
    pytest.importorskip("distributed")
    from neurosim.sweep.runner import RunSettings, run_sweep
    from neurosim.sweep.spec import load_spec

    d, _ = swept
    spec = load_spec(d / "spec.toml")
    summary = run_sweep(spec, tmp_path / "dask", RunSettings(
        workers=1, scheduler="local", quiet=True, dask_processes=False))
    assert summary.counts["done"] == 7 and summary.counts["rejected"] == 2
    mine = {a[0]: a[2] for a in _store_rows(tmp_path / "dask" / "results.sqlite")}
    ref = {a[0]: a[2] for a in _store_rows(d / "out" / "results.sqlite")}
    assert mine.keys() == ref.keys()
    for cid in ref:
        assert (mine[cid] is None) == (ref[cid] is None)
        if ref[cid] is not None:
            assert json.loads(mine[cid]) == json.loads(ref[cid])


def test_trace_set_sweep_equals_model_sweep(swept, monkeypatch):
    """traces = "DIR" (what `neurosim traces export` writes) gives the model's rows."""
    d, _ = swept
    monkeypatch.chdir(d)
    runner = CliRunner()
    r = runner.invoke(cli, ["traces", "export", "tr", "--model", "smallnet.py:build",
                            "--quiet"])
    assert r.exit_code == 0, r.output
    (d / "traces.toml").write_text('traces = "tr"\n[grid]\ndevice = ["sram", "rram"]\n'
                                   'levelOutput = [16]\n')
    r = runner.invoke(cli, ["sweep", "run", "traces.toml", "--out", "tr_out", "--workers",
                            "1", "--quiet"])
    assert r.exit_code == 0, r.output
    model_rows = {(r["device"], r["levelOutput"]): r for r in _rows(d / "out" / "results.csv")
                  if r["technode"] == "22nm" and r["adc"] == "mlsa"}
    rows = _rows(d / "tr_out" / "results.csv")
    assert [(r["device"], r["status"]) for r in rows] == [("sram", "done"), ("rram", "done")]
    for row in rows:
        ref = model_rows[(row["device"], row["levelOutput"])]
        for k in ("chip.area_m2", "chip.read_energy_j", "chip.read_latency_s",
                  "performance.tops_per_w", "layers.2.read_energy_j"):
            assert float(row[k]) == pytest.approx(float(ref[k]), rel=1e-9), k
