"""The sweep's statistics memo: its budget (``--memo-mb`` / spec ``memo_mb``, validated,
sent to every worker) and the column runs (rows that share eNVM conductance sums: a worker
keeps a row's sums only when its next row reuses them, and drops them when it moves to
another column model), with figures bit-identical to a fresh evaluation."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import pytest

from neurosim.errors import NeuroSimError
from neurosim.sweep.schedule import AffinityQueue, make_task

TESTS = Path(__file__).parent


def _tasks(**axes) -> list:
    import itertools

    names = list(axes)
    return [make_task(f"r{i:03d}", dict(zip(names, v)), "k")
            for i, v in enumerate(itertools.product(*axes.values()))]


def test_a_handed_out_task_says_whether_the_next_row_shares_its_column_model():
    tasks = _tasks(device=["rram"], tech=["22nm", "7nm"], parallel_rows=[0, 16],
                   level_output=[8, 16, 32])
    assert len({t.group for t in tasks}) == 1 and len({t.column for t in tasks}) == 4
    q = AffinityQueue(tasks)
    drawn = []
    while (t := q.next_for(0)) is not None:
        drawn.append(t)
    # 4 column runs of 3 rows (levels only differ): keep, keep, last of the run
    assert [t.keep for t in drawn] == [True, True, False] * 4
    runs = [t.column for t in drawn]
    assert all(runs[i] == runs[i + 1] for i in range(12) if i % 3 != 2)
    # a helper drawing from the far end gets the hints of its own order
    q = AffinityQueue(tasks)
    a = q.next_for("a")
    far = [q.next_for("b") for _ in range(4)]
    assert a.keep is True and [t.keep for t in far] == [True, True, False, True]
    assert far[0].column == far[1].column == far[2].column != far[3].column


def test_default_budget_is_capped_by_memory_per_worker(monkeypatch):
    from neurosim.sweep import runner

    for total_mb, workers, want in [(23_552, 2, 2048),  # 23 GB / (4 x 2) = 2944: the cap
                                    (4096, 2, 512),     # 4096 / 8
                                    (1024, 2, 256),     # 128: the engine's 256 at least
                                    (None, 2, 256)]:    # memory unknown
        monkeypatch.setattr(runner, "total_memory_mb", lambda t=total_mb: t)
        assert runner.default_memo_mb(workers) == want


def test_budget_precedence_and_validation(tmp_path):
    from neurosim.sweep.runner import RunSettings, check_memo_mb
    from neurosim.sweep.spec import SpecError, load_spec

    (tmp_path / "s.toml").write_text('model = "m.py:f"\nmemo_mb = 512\n')
    spec = load_spec(tmp_path / "s.toml")
    assert spec.memo_mb == 512
    assert RunSettings(memo_mb=64).memo_budget_mb(spec) == 64  # the option wins
    assert RunSettings().memo_budget_mb(spec) == 512
    assert check_memo_mb(0, "--memo-mb") == 0
    for bad in (-1, 1.5, True, "1g", 10**9):
        with pytest.raises(NeuroSimError, match="--memo-mb = "):
            check_memo_mb(bad, "--memo-mb")
    (tmp_path / "bad.toml").write_text('model = "m.py:f"\nmemo_mb = "lots"\n')
    with pytest.raises(SpecError, match=r"bad\.toml: memo_mb = 'lots': expected a whole"):
        load_spec(tmp_path / "bad.toml")


def test_cli_rejects_a_bad_budget_in_one_error_line(tmp_path):
    from click.testing import CliRunner

    from neurosim.cli import cli

    (tmp_path / "s.toml").write_text('model = "m.py:f"\n')
    r = CliRunner().invoke(cli, ["sweep", "run", str(tmp_path / "s.toml"), "--out",
                                 str(tmp_path / "o"), "--memo-mb", "-5", "--quiet"])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert "Error: --memo-mb = -5: give a budget between 0" in r.output


def test_the_budget_travels_with_the_shared_inputs():
    import numpy as np

    from neurosim.engine.traces import LayerSpec
    from neurosim.engine.workload import Workload
    from neurosim.sweep.inputs import SharedInputs

    bits = (np.arange(72 * 40).reshape(72, 40) % 3 == 0).astype(np.uint8)
    work = Workload.from_arrays([LayerSpec(8, 8, 8, 3, 3, 16, False, 1)],
                                [np.zeros((72, 16))], [bits])
    shared = SharedInputs("k", work, ["a"], 8)
    pickle.dumps(shared)  # encoded once, before the budget is set
    shared.set_memo_budget(3 * 2**20)
    assert work.memo.budget_bytes == 3 * 2**20
    assert pickle.loads(pickle.dumps(shared)).workload.memo.budget_bytes == 3 * 2**20


SPEC = """\
model = "smallnet.py:build"
[grid]
device = ["rram"]
technode = [22, 45]
levelOutput = [8, 16, 32]
"""


def test_a_column_run_reuses_conductance_sums_and_drops_them_after(tmp_path):
    """Three rows of one column model (levels 8/16/32 at 22 nm), then the same at 45 nm: the first
    row keeps its sums (told the next reuses them), the second reuses them, the last of
    the run stores nothing, the 45 nm rows start without the 22 nm sums; every figure
    equals a fresh evaluation's."""
    pytest.importorskip("torch")
    sys.path.insert(0, str(TESTS))
    from small_models import SMALLNET

    from neurosim.sweep.evaluate import evaluate_row, make_config, run_engine
    from neurosim.sweep.executors import RowRunner
    from neurosim.sweep.inputs import build_inputs, trace_key
    from neurosim.sweep.spec import load_spec

    (tmp_path / "smallnet.py").write_text(SMALLNET)
    (tmp_path / "spec.toml").write_text(SPEC)
    spec = load_spec(tmp_path / "spec.toml")
    rows = spec.expand()
    key = trace_key(rows[0].options, spec.source)
    shared = build_inputs(make_config(rows[0].options), spec.source, tmp_path)
    fresh = build_inputs(make_config(rows[0].options), spec.source, tmp_path)
    memo = shared.workload.memo
    queue = AffinityQueue([make_task(r.config_id, r.options, key) for r in rows])
    at_start = []

    def evaluate(cid, options, inputs):  # the memo as the row finds it
        at_start.append(memo.large_bytes)
        return evaluate_row(cid, options, inputs)

    runner = RowRunner({key: shared}, evaluate)
    seen = []
    while (t := queue.next_for(0)) is not None:
        out = runner.run(t.config_id, t.options, key, t.group, t.column, t.keep)
        seen.append((t.options["tech"], t.keep, at_start[-1], memo.large_bytes, out))
        fresh.workload.memo.clear()
        assert out.status == "done", out.reason
        assert out.result == run_engine(make_config(t.options), fresh)  # bit for bit
    assert [(s[0], s[1]) for s in seen] == [("22nm", True), ("22nm", True), ("22nm", False),
                                            ("45nm", True), ("45nm", True), ("45nm", False)]
    for i in (0, 3):  # each run: the first row keeps, the next finds them, the last adds none
        first, second, last = seen[i], seen[i + 1], seen[i + 2]
        assert first[2] == 0 and first[3] > 0  # (the 22 nm sums dropped before 45 nm)
        assert second[3] == first[3] and last[3] == first[3]
        assert second[4].memo_misses < first[4].memo_misses
