"""Sweep scheduling (``neurosim.sweep.schedule`` and the executors): rows of one reuse group
run on one worker one after another and reuse the workload's statistics, a worker clears
its memo when it changes group (memory bounded by one group), every row is handed out
exactly once, rejected rows never reach a worker,
and a worker that dies is replaced (its row tried again, then failed)."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import pytest

from neurosim.sweep.evaluate import Outcome
from neurosim.sweep.schedule import AffinityQueue, make_task

TESTS = Path(__file__).parent


def _tasks(spec: dict[str, list], key: str = "k") -> list:
    """One task per combination of ``spec``'s values (options given as names)."""
    import itertools

    names = list(spec)
    out = []
    for i, vals in enumerate(itertools.product(*spec.values())):
        opts = dict(zip(names, vals))
        out.append(make_task(f"r{i:03d}", opts, key, float(opts.get("w", 1.0))))
    return out


def test_affinity_queue_keeps_groups_on_one_worker():
    tasks = _tasks({"subarray_rows": [64, 128, 256], "device": ["sram", "rram"],
                    "tech": ["22nm", "7nm"], "level_output": [8, 16, 32]})
    assert len({t.group for t in tasks}) == 6  # geometry x device; tech/levels within
    q = AffinityQueue(tasks)
    drawn: dict[int, list] = {0: [], 1: []}
    w = 0
    while (t := q.next_for(w)) is not None:
        drawn[w].append(t)
        w = 1 - w  # the two workers alternate, as rows of equal cost finish
    got = [t.config_id for d in drawn.values() for t in d]
    assert sorted(got) == sorted(t.config_id for t in tasks)  # each exactly once
    for d in drawn.values():  # a worker finishes a group before it takes the next
        groups = [t.group for t in d]
        runs = [g for i, g in enumerate(groups) if i == 0 or g != groups[i - 1]]
        assert len(runs) == len(set(runs)) == 3
        # within a group, the rows of one node (column model) follow each other
        for g in set(groups):
            techs = [t.options["tech"] for t in d if t.group == g]
            assert techs == sorted(techs)


def test_affinity_queue_shares_the_last_group_from_its_far_end():
    tasks = _tasks({"device": ["rram"], "level_output": list(range(10))})
    q = AffinityQueue(tasks)
    a = [q.next_for("a") for _ in range(3)]
    b = [q.next_for("b") for _ in range(3)]
    order = [t.config_id for t in sorted(tasks, key=lambda t: t.config_id)]
    assert [t.config_id for t in a] == order[:3]
    assert [t.config_id for t in b] == order[::-1][:3]  # the helper works from the end
    rest = []
    while (t := q.next_for("a")) is not None:
        rest.append(t.config_id)
    assert rest == order[3:7] and len(q) == 0
    q.give_back(a[0])
    assert q.next_for("c").config_id == a[0].config_id and q.next_for("c") is None
    # a worker that is gone leaves its group free: a new one takes it from the front
    q = AffinityQueue(tasks)
    first = q.next_for("a")
    q.release("a")
    q.give_back(first)
    assert [q.next_for("n").config_id for _ in range(2)] == order[:2]


def test_dask_tasks_are_a_few_rows():
    from neurosim.sweep.executors import dask_batch_rows

    assert dask_batch_rows(197, 2) == 7  # ceil(197 / 32): about 16 tasks per worker
    assert dask_batch_rows(10, 2) == 1 and dask_batch_rows(100_000, 4) == 16


# -- a sweep through the real executors on the small network ---------------------------
SPEC = """\
model = "smallnet.py:build"
[grid]
device = ["sram", "rram"]
technode = [22, 7]
levelOutput = [8, 16]
subarray_rows = [64, 128]
"""


@pytest.fixture(scope="module")
def small_spec(tmp_path_factory):
    pytest.importorskip("torch")
    sys.path.insert(0, str(TESTS))
    from small_models import SMALLNET

    from neurosim.sweep.spec import load_spec

    d = tmp_path_factory.mktemp("sched")
    (d / "smallnet.py").write_text(SMALLNET)
    (d / "spec.toml").write_text(SPEC)
    return load_spec(d / "spec.toml")


def test_rows_reuse_statistics_and_memo_is_cleared_between_groups(small_spec):
    from neurosim.sweep.evaluate import make_config, precheck
    from neurosim.sweep.executors import RowRunner
    from neurosim.sweep.inputs import build_inputs, trace_key

    rows = [r for r in small_spec.expand() if precheck(r.config_id, r.options) is None]
    key = trace_key(rows[0].options, small_spec.source)
    shared = {key: build_inputs(make_config(rows[0].options), small_spec.source,
                                Path(small_spec.path).parent)}
    pick = {(r.options["device"], r.options["tech"], r.options["level_output"],
             r.options["subarray_rows"]): r for r in rows}
    runner = RowRunner(shared)

    def run(*which):
        r = pick[which]
        t = make_task(r.config_id, r.options, key)
        return runner.run(t.config_id, t.options, key, t.group)

    first = run("rram", "22nm", 8, 128)
    again = run("rram", "22nm", 16, 128)  # only the ADC differs: the statistics reused
    assert first.status == again.status == "done"
    assert first.memo_misses > 0 and again.memo_hits > first.memo_hits
    assert again.memo_misses < first.memo_misses / 2
    other = run("sram", "22nm", 8, 64)  # another group: the memo starts empty
    memo = shared[key].workload.memo
    assert other.memo_misses > 0 and memo.large_bytes == 0
    back = run("rram", "22nm", 8, 128)  # recomputed, not kept from before (bounded)
    assert back.memo_misses == first.memo_misses
    assert back.result == first.result  # bit-identical after the reset


def test_rejected_rows_never_reach_a_worker(small_spec, tmp_path, monkeypatch):
    import neurosim.cost as cost
    from neurosim.cost import predict
    from neurosim.sweep import runner
    from neurosim.sweep.evaluate import make_config
    from neurosim.sweep.inputs import build_inputs
    from neurosim.sweep.runner import RunSettings, run_sweep
    from neurosim.sweep.store import Store

    seen: list[str] = []
    real = runner._execute

    def spy(tasks, shared, settings):
        seen.extend(t.config_id for t in tasks)
        return real(tasks, shared, settings)

    monkeypatch.setattr(runner, "_execute", spy)
    # the cost guard: rows on 64-row subarrays predicted above a (lowered) read limit
    rows = small_spec.expand()
    layers = build_inputs(make_config(rows[0].options), small_spec.source,
                          Path(small_spec.path).parent).workload.layers
    reads = {r.options["subarray_rows"]: predict(make_config(r.options), layers).subarray_reads
             for r in rows}
    assert reads[64] > reads[128]
    monkeypatch.setattr(cost, "MAX_SUBARRAY_READS", (reads[64] + reads[128]) / 2)
    summary = run_sweep(small_spec, tmp_path / "o", RunSettings(workers=1, quiet=True))
    with Store(tmp_path / "o", create=False) as store:
        stored = list(store.rows())
    status = {r.config_id: (r.status, r.reason) for r in stored}
    opts = {r.config_id: r for r in rows}
    for cid, (st, reason) in status.items():
        o = opts[cid].options
        if o["device"] == "rram" and o["tech"] == "7nm":
            assert st == "rejected" and "RRAM-CIM is not supported" in reason
        elif o["subarray_rows"] == 64:
            assert st == "rejected" and "read limit" in reason
        else:
            assert st == "done"
    assert sorted(seen) == sorted(c for c, (st, _) in status.items() if st == "done")
    assert summary.evaluated == len(seen) == 6  # sram 2 nodes x rram 22 nm, x 2 levels


# -- worker death ------------------------------------------------------------------------
def dying_row(cid: str, options: dict, shared) -> Outcome:
    """A row function for the worker-death test (imported by the spawned workers): level 8
    always kills its worker, level 16 kills it the first time only."""
    marker = Path(os.environ["NEUROSIM_TEST_MARKERS"]) / cid
    if options["level_output"] == 8:
        os._exit(3)
    if options["level_output"] == 16 and not marker.exists():
        marker.touch()
        os._exit(3)
    return Outcome(cid, "done", "", {"pid": os.getpid()})


def test_a_dead_worker_is_replaced_and_its_row_retried(tmp_path, monkeypatch):
    from neurosim.sweep.executors import run_processes

    monkeypatch.setenv("NEUROSIM_TEST_MARKERS", str(tmp_path))
    monkeypatch.syspath_prepend(str(TESTS))
    import test_sweep_schedule as me  # importable by the spawned workers

    tasks = _tasks({"device": ["rram", "sram"], "level_output": [8, 16, 32, 64]})
    outs = list(run_processes(tasks, {}, 2, restarts=2, evaluate=me.dying_row))
    got = Counter(o.config_id for o in outs)
    assert set(got.values()) == {1} and len(got) == len(tasks)  # once each
    by = {o.config_id: o for o in outs}
    for t in tasks:
        o = by[t.config_id]
        if t.options["level_output"] == 8:
            assert o.status == "failed" and "died" in o.reason and "3 tries" in o.reason
        else:
            assert o.status == "done", o.reason
    # the level-16 rows ran twice: once in a worker that died, then in a fresh one
    assert {p.name for p in tmp_path.iterdir()} == {t.config_id for t in tasks
                                                    if t.options["level_output"] == 16}


def quick_row(cid, options, shared):
    """A worker's row function for the tests below (top level: the spawned workers import
    it)."""
    return Outcome(cid, "done", "", {"pid": os.getpid()})


@pytest.mark.parametrize("rows,workers", [(2, 2), (3, 4), (1, 2), (5, 4)])
def test_fewer_rows_than_the_workers_can_take_ahead_finish(rows, workers, monkeypatch):
    # before: 2 rows on 2 workers hung for ever (the first worker took both, the second
    # was never told to stop and the main process waited on it); `neurosim sweep run` of 2
    # configurations on a 2-core machine (the default --workers) did
    import threading

    from neurosim.sweep.executors import run_processes

    monkeypatch.syspath_prepend(str(TESTS))
    import test_sweep_schedule as me  # importable by the spawned workers

    tasks = _tasks({"level_output": [8, 16, 32, 64, 128][:rows]})
    outs: list = []
    runner = threading.Thread(target=lambda: outs.extend(
        run_processes(tasks, {}, workers, evaluate=me.quick_row)), daemon=True)
    runner.start()
    runner.join(120)
    assert not runner.is_alive(), "the sweep's process pool hung"
    assert sorted(o.config_id for o in outs) == sorted(t.config_id for t in tasks)
    assert {o.status for o in outs} == {"done"}


# -- the shared inputs' compact pickle ---------------------------------------------------
def test_shared_inputs_pickle_compactly_and_exactly():
    import pickle

    import numpy as np

    from neurosim.engine.traces import LayerSpec
    from neurosim.engine.workload import Workload
    from neurosim.sweep.inputs import SharedInputs

    rng = np.random.default_rng(3)
    codes = rng.integers(-128, 128, size=(72, 16))
    w8 = codes / 128.0
    w8[0, :3] = -0.0  # negative zeros survive (integer codes have none)
    bits = (rng.random((72, 400)) < 0.3).astype(np.uint8)
    weights = [w8, np.asfortranarray(w8), rng.standard_normal((72, 16)),  # not 8-bit codes
               np.float64(rng.integers(-4, 4, (72, 16))) / 4, w8[:, ::2]]  # ..., a view
    inputs = [bits, np.asfortranarray(bits), bits * 3, np.ascontiguousarray(bits[:, :397]),
              bits[:, ::2]]
    layer = LayerSpec(8, 8, 8, 3, 3, 16, False, 1)
    work = Workload.from_arrays([layer] * 5, weights, inputs)
    shared = SharedInputs("k", work, ["a", "b", "c", "d", "e"], 8)
    data = pickle.dumps(shared, protocol=5)
    back = pickle.loads(data)
    assert back.key == "k" and back.layer_names == shared.layer_names
    for a, b in zip(work.weights + work.inputs, back.workload.weights + back.workload.inputs):
        assert a.dtype == b.dtype and a.shape == b.shape
        if a.flags.c_contiguous or a.flags.f_contiguous:  # (a view pickles as a C copy)
            assert a.flags.c_contiguous == b.flags.c_contiguous
            assert a.flags.f_contiguous == b.flags.f_contiguous
        assert np.array_equal(a, b) and np.array_equal(np.signbit(a), np.signbit(b))
    # 8-bit codes travel as int8, 0/1 bits eight to a byte; the rest as they are
    raw = sum(a.nbytes for a in work.weights + work.inputs)
    small = 2 * w8.size + weights[2].nbytes + weights[3].size + w8[:, ::2].nbytes + \
        2 * bits.size / 8 + bits.nbytes + bits[:, :397].size / 8 + bits[:, ::2].nbytes
    assert len(data) < small + 4096 < raw
    assert back.workload.memo.hits == back.workload.memo.misses == 0


def test_ctrl_c_stops_the_workers_and_keeps_finished_rows(tmp_path):
    """SIGINT to ``neurosim sweep run --workers 2``: exit 2 with the resume message, the
    finished rows are in the store, no worker process is left."""
    import signal
    import sqlite3
    import subprocess
    import time

    psutil = pytest.importorskip("psutil")
    pytest.importorskip("torch")
    sys.path.insert(0, str(TESTS))
    from small_models import SMALLNET

    (tmp_path / "smallnet.py").write_text(SMALLNET)
    (tmp_path / "spec.toml").write_text(
        'model = "smallnet.py:build"\n[grid]\ndevice = ["sram", "rram"]\n'
        "levelOutput = [8, 16, 32, 64]\nsubarray_rows = [32, 64, 128]\n"
        "pipeline = [true, false]\n")
    db = tmp_path / "out" / "results.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-c", "from neurosim.cli import main; main()", "sweep", "run",
         str(tmp_path / "spec.toml"), "--out", str(tmp_path / "out"), "--workers", "2",
         "--quiet", "--no-plots"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline, done, workers = time.monotonic() + 120, 0, []
    while time.monotonic() < deadline and proc.poll() is None and done < 2:
        time.sleep(0.05)
        try:
            workers = [c for c in psutil.Process(proc.pid).children()
                       if "spawn_main" in " ".join(c.cmdline())] or workers
            with sqlite3.connect(db) as con:
                done = con.execute("SELECT COUNT(*) FROM rows WHERE status = 'done'"
                                   ).fetchone()[0]
        except (sqlite3.Error, psutil.Error):
            continue
    assert proc.poll() is None and done >= 2, "the sweep ended before it could be stopped"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert err.strip().splitlines()[-1] == (
        f"Error: interrupted; every finished row is in {tmp_path / 'out'}/results.sqlite: "
        "run the same command again to resume")
    assert len(workers) == 2
    time.sleep(0.5)
    assert not [w for w in workers if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM rows WHERE status = 'done'").fetchone()[0] \
            >= done
