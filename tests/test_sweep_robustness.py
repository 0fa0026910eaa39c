"""``neurosim sweep`` under stress: problems found by probing the sweep with small specs
(row counts against worker counts, kills and resumes, two runs on one folder, ``sweep
show`` on odd stores). Each test failed before its fix; the hang tests have a timeout."""

from __future__ import annotations

import math
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from neurosim.cli import cli
from neurosim.errors import NeuroSimError
from neurosim.sweep.evaluate import Outcome
from neurosim.sweep.runner import RunSettings, run_sweep
from neurosim.sweep.spec import Row, load_spec
from neurosim.sweep.store import Store

SPEC = """\
network = "lenet"
[base]
device = "sram"
[grid]
technode = [22, 7]
[objectives]
maximize = ["performance.tops_per_w"]
"""


# -- two `sweep run` on one folder -------------------------------------------------------
def test_a_second_run_on_a_folder_another_run_writes_is_refused(tmp_path, monkeypatch):
    # before: two `neurosim sweep run SPEC --out DIR` at once both computed every pending
    # row, and each recorded its outcome over the other's (a done row could become
    # failed); found running the same VGG8 spec twice at once
    from neurosim.sweep import runner

    (tmp_path / "spec.toml").write_text(SPEC)
    spec = load_spec(tmp_path / "spec.toml")
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def rows(todo, *args, **kwargs):  # the first run's rows take until released
        calls.append(len(todo))
        if len(calls) == 1:
            started.set()
            release.wait(30)

    monkeypatch.setattr(runner, "_run_rows", rows)
    out = tmp_path / "out"
    settings = RunSettings(workers=1, quiet=True)
    first = threading.Thread(target=run_sweep, args=(spec, out, settings), daemon=True)
    first.start()
    assert started.wait(30)
    try:
        with pytest.raises(NeuroSimError, match="another `neurosim sweep run` is writing"):
            run_sweep(spec, out, settings)
    finally:
        release.set()
        first.join(30)
    assert not first.is_alive()
    assert calls == [2]  # the second run ran no row
    run_sweep(spec, out, settings)  # the folder is free again once the first has finished
    assert calls == [2, 2]


# -- sweep show --sort -------------------------------------------------------------------
def _store_with(tmp_path: Path, values: list) -> Path:
    """A sweep folder whose done rows have these ``performance.tops_per_w`` values (None:
    the figure is missing)."""
    out = tmp_path / "store"
    with Store(out) as store:
        store.set_meta("axes", ["n"])
        store.set_meta("objectives", [["performance.tops_per_w", "max"]])
        rows = [Row(f"c{i:02d}", {"n": i}, {"n": i}) for i in range(len(values))]
        store.add_rows(rows)
        for row, v in zip(rows, values):
            result = {"performance": {} if v is None else {"tops_per_w": v}}
            store.record(Outcome(row.config_id, "done", "", result))
    return out


@pytest.mark.parametrize("key,want", [
    ("performance.tops_per_w", [2.5, 9.0, 10.0]),
    ("-performance.tops_per_w", [10.0, 9.0, 2.5]),
])
def test_sort_keeps_a_number_column_with_nan_numeric(tmp_path, key, want):
    # before: one NaN cell made --sort compare the column as text ('10.0' < '2.5' <
    # '9.0'), and -KEY put the NaN row first; found with sweep show on a store with a NaN
    # objective. Now NaN and missing values go last, as blanks do.
    out = _store_with(tmp_path, [9.0, 10.0, math.nan, None, 2.5])
    r = CliRunner().invoke(cli, ["sweep", "show", str(out), "--sort", key, "--csv",
                                 str(tmp_path / "shown.csv")])
    assert r.exit_code == 0, r.output
    lines = (tmp_path / "shown.csv").read_text().splitlines()
    col = lines[0].split(",").index("performance.tops_per_w")
    got = [line.split(",")[col] for line in lines[1:]]
    assert [float(v) for v in got[:3]] == want
    assert got[3] == "nan" and got[4] == ""


def test_sort_order_of_nan_and_blank_cells():
    from neurosim.sweep.query import sort_table
    from neurosim.sweep.table import Table

    t = Table(["x"], [{"x": v} for v in [9.0, 10.0, "nan", None, 2.5, math.nan]], [])
    up = [r["x"] for r in sort_table(t, "x").records]
    down = [r["x"] for r in sort_table(t, "-x").records]
    assert up[:3] == [2.5, 9.0, 10.0] and down[:3] == [10.0, 9.0, 2.5]
    for order in (up, down):
        assert all(v is None or str(v) == "nan" for v in order[3:])


# -- a Dask cluster without workers ------------------------------------------------------
def test_a_dask_scheduler_without_workers_is_an_error(monkeypatch):
    # before: `sweep run --scheduler tcp://...` on a scheduler no worker had joined ended
    # after 30 s with "Error: internal error (TimeoutError: No valid workers found)" from
    # the scatter of the traces; found with a LocalCluster(n_workers=0) as the scheduler
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    from neurosim.sweep import executors
    from neurosim.sweep.schedule import make_task

    monkeypatch.setattr(executors, "DASK_WORKER_WAIT_S", 0.5, raising=False)
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None,
                      scheduler_port=0) as cluster:
        address = cluster.scheduler_address
        tasks = [make_task("c0", {"level_output": 8}, "k")]
        outs: list = []
        failure: list = []

        def run() -> None:
            try:
                outs.extend(executors.run_dask(tasks, {"k": "shared"}, address, 1))
            except Exception as exc:  # noqa: BLE001 (the test looks at it)
                failure.append(exc)

        runner = threading.Thread(target=run, daemon=True)
        runner.start()
        runner.join(60)
        assert not runner.is_alive(), "the sweep waited for ever on an empty cluster"
    assert not outs and len(failure) == 1
    assert isinstance(failure[0], NeuroSimError), repr(failure[0])
    assert "has no workers" in str(failure[0]) and address in str(failure[0])


# -- --scheduler '' ----------------------------------------------------------------------
def test_an_empty_scheduler_is_an_error_not_the_local_pool(tmp_path):
    # before: `--scheduler ''` (an unset shell variable) ran the rows on the local process
    # pool, silently, as if no --scheduler had been given
    (tmp_path / "spec.toml").write_text(SPEC)
    r = CliRunner().invoke(cli, ["sweep", "run", str(tmp_path / "spec.toml"), "--out",
                                 str(tmp_path / "out"), "--scheduler", "", "--quiet"])
    assert r.exit_code == 2, r.output
    assert "--scheduler '': use 'local' or an address like tcp://HOST:8786" in r.output
    assert not (tmp_path / "out").exists()
