"""An objective that no finished row has as a figure (``layers.9.*`` of a 4-layer network)
is named in one ``Notice:`` by ``sweep run`` and ``sweep show`` (before: exit 0 and an
empty Pareto front without a word). Unit: the notice names the layers the rows have; an
objective the rows have gets none."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from test_bad_input_cli import neurosim  # noqa: E402

from neurosim.sweep.pareto import objective_notices  # noqa: E402
from neurosim.sweep.table import Table  # noqa: E402

SPEC = ('network = "lenet"\n[grid]\nlevelOutput = [16, 32]\n[objectives]\n'
        'maximize = ["performance.tops_per_w"]\nminimize = ["layers.9.read_latency_s"]\n')
NOTICE = ("Notice: objective layers.9.read_latency_s: no finished row has this figure (the "
          "rows have layers 1 to 4), so the Pareto front is empty")


def test_run_and_show_name_the_objective(tmp_path: Path) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC)
    out = tmp_path / "out"
    run = neurosim("sweep", "run", str(spec), "--out", str(out), "--workers", "1", "--quiet")
    assert run.returncode == 0, run.stderr
    assert [ln for ln in run.stderr.splitlines() if ln.startswith("Notice")] == [NOTICE]
    show = neurosim("sweep", "show", str(out))
    assert show.returncode == 0, show.stderr
    assert show.stderr.splitlines() == [NOTICE]


def test_objective_notices_unit() -> None:
    cols = ["config_id", "status", "layers.1.read_latency_s", "layers.2.read_latency_s"]
    recs = [{"config_id": "a", "status": "done", "layers.1.read_latency_s": 1e-6,
             "layers.2.read_latency_s": 2e-6},
            {"config_id": "b", "status": "rejected"}]
    table = Table(cols, recs, [])
    assert objective_notices(table, [("layers.2.read_latency_s", "min")]) == []
    assert objective_notices(table, [("layers.3.read_latency_s", "min")]) == [
        "Notice: objective layers.3.read_latency_s: no finished row has this figure (the rows "
        "have layers 1 to 2), so the Pareto front is empty"]
    no_done = Table(cols, recs[1:], [])
    assert objective_notices(no_done, [("layers.3.read_latency_s", "min")]) == []
