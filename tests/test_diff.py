"""``neurosim diff``: the change of every headline figure between two results is split
exactly over the contribution trees (issue 17: SRAM VGG8 at 22 nm vs 7 nm), by hand on
small trees, and through the command (JSON files, sweep-store rows, errors)."""

from __future__ import annotations

import json
import math
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from vgg8_runs import vgg8_result  # noqa: E402

from neurosim.engine.contributions import Contribution, leaf, total  # noqa: E402
from neurosim.explain.attribution import by_circuit, delta_tree, ratio_delta  # noqa: E402
from neurosim.explain.compare import FIGURES, attribute, load  # noqa: E402
from neurosim.explain.difftext import fold_deltas, merge_similar, prune  # noqa: E402
from neurosim.explain.treejson import contributions_json, trees_from_json  # noqa: E402


def _sums(d) -> None:
    """Every node's children add up to its change (the printed split is exact)."""
    if d.children:
        s = math.fsum(c.delta * c.count for c in d.children)
        assert s == pytest.approx(d.delta, rel=1e-9, abs=1e-12 * abs(d.delta) + 1e-300), d.name
        for c in d.children:
            _sums(c)


def test_sum_scale_max_by_hand() -> None:
    a = total("chip", [leaf("ADC", 3.0), Contribution("2 tiles", 4.0, [leaf("tile", 2.0)],
                                                       "scale", 2.0)])
    b = total("chip", [leaf("ADC", 1.0), Contribution("3 tiles", 9.0, [leaf("tile", 3.0)],
                                                       "scale", 3.0), leaf("new", 0.5)])
    d = delta_tree(a, b)
    assert d.delta == 10.5 - 7.0
    got = {c.name: c.delta for c in d.children}
    # scale: f_B (c_B - c_A) = 3 x 1 through the tile, (f_B - f_A) c_A = 1 x 2 the count
    assert got == {"ADC": -2.0, "2 tiles -> 3 tiles": 5.0, "new": 0.5}
    tiles = d.children[1]
    assert [(c.name, c.delta) for c in tiles.children] == [("tile", 3.0),
                                                           ("factor 2 -> 3", 2.0)]
    # max: the slowest unit changes from x to y; y's change + the switch = the change
    ma = Contribution("t", 3.0, [leaf("x", 3.0), leaf("y", 2.0)], "max")
    mb = Contribution("t", 4.0, [leaf("x", 1.0), leaf("y", 4.0)], "max")
    m = delta_tree(ma, mb)
    assert [(c.name, c.delta) for c in m.children] == [("y", 2.0),
                                                       ("slowest unit: x -> y", -1.0)]


def test_ratio_figure_by_hand() -> None:
    """TOPS/W = K / E: K = 4, E 2 -> 1 (two halves each): 2 -> 4; each half -K dE/(E_A E_B)
    = -4 x (-0.5) / 2 = +1."""
    ea = total("E", [leaf("dyn", 1.0), leaf("leak", 1.0)])
    eb = total("E", [leaf("dyn", 0.5), leaf("leak", 0.5)])
    d = ratio_delta(ea, eb, 2.0, 4.0, "TOPS/W")
    assert d.delta == 2.0
    assert [(c.name, c.delta) for c in d.children[0].children] == [("dyn", 1.0), ("leak", 1.0)]


@pytest.fixture(scope="module")
def jsons(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("diff")
    out = []
    for tech in ("22", "7"):
        res = vgg8_result(f"technode={tech}")
        path = folder / f"vgg8_{tech}nm.json"
        path.write_text(json.dumps(res.to_json(contributions=True)))
        out.append(path)
    return out[0], out[1]


def test_trees_round_trip_through_json() -> None:
    res = vgg8_result("technode=22")
    back = trees_from_json(json.loads(json.dumps(contributions_json(res))), "x")
    for path, tree in back.items():
        ours = [(n.name, n.value) for _, n in res.explain(path).walk()]
        assert [(n.name, n.value) for _, n in tree.walk()] == ours, path


def test_vgg8_22_vs_7nm_every_change_is_attributed(jsons) -> None:
    a, b = load(str(jsons[0])), load(str(jsons[1]))
    assert a.from_trees and b.from_trees
    r22, r7 = vgg8_result("technode=22"), vgg8_result("technode=7")
    for fig in FIGURES:
        d = attribute(a, b, fig)
        want_a = (r22.performance.to_json() | r22.chip.to_json())[fig.key]
        want_b = (r7.performance.to_json() | r7.chip.to_json())[fig.key]
        assert (d.a, d.b) == (want_a, want_b), fig.key
        assert d.delta == want_b - want_a
        leaves = math.fsum(x.delta for x in d.leaves())
        assert leaves == pytest.approx(d.delta, rel=1e-9), fig.key  # the whole change
        assert math.fsum(v for _, v, _ in by_circuit(d)) == pytest.approx(d.delta, rel=1e-9)
        shown = prune(merge_similar(fold_deltas(d)), abs(d.delta) * 0.01, 4, 6)
        _sums(shown)
    # 7 nm: smaller chip, better TOPS/W; the subarrays dominate the energy change
    e = attribute(a, b, next(f for f in FIGURES if f.key == "read_energy_j"))
    top = by_circuit(e)[0]
    assert top[0] == "subarray[]" and top[1] / e.delta > 0.8


def test_cli_text_json_plot(jsons, tmp_path: Path) -> None:
    out, png = tmp_path / "d.json", tmp_path / "d.png"
    proc = subprocess.run([sys.executable, "-m", "neurosim.cli", "diff", str(jsons[0]),
                           str(jsons[1]), "--json", str(out), "--plot", str(png)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "== TOPS/W (tops_per_w): 26.5228 -> " in proc.stdout
    assert "by circuit" in proc.stdout
    data = json.loads(out.read_text())
    assert data["schema"] == "neurosim.diff/1"
    assert [f["key"] for f in data["figures"]] == [f.key for f in FIGURES]
    for f in data["figures"]:
        assert f["ratio"] == pytest.approx(f["b"] / f["a"])
        top = f["attribution"]
        assert math.fsum(c["delta"] * c.get("count", 1) for c in top["children"]) == \
            pytest.approx(f["delta"], rel=1e-9)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_sweep_rows_and_categories_without_trees(tmp_path: Path) -> None:
    """Sweep rows hold results without trees: the split falls back to NeuroSim's
    categories, which add up too."""
    from neurosim.sweep.store import SCHEMA

    db = tmp_path / "results.sqlite"
    con = sqlite3.connect(db)
    con.executescript(SCHEMA)
    for i, tech in enumerate(("22", "7")):
        res = vgg8_result(f"technode={tech}").to_json()
        con.execute("INSERT INTO rows (config_id, seq, status, axes, options, result) VALUES "
                    "(?, ?, 'done', '{}', '{}', ?)", (f"cfg{tech}abc", i, json.dumps(res)))
    con.commit()
    con.close()
    a, b = load(f"{db}#cfg22"), load(f"{tmp_path}#cfg7")
    assert not a.from_trees
    for fig in FIGURES:
        d = attribute(a, b, fig)
        assert math.fsum(x.delta for x in d.leaves()) == pytest.approx(d.delta, rel=1e-9)
    proc = subprocess.run([sys.executable, "-m", "neurosim.cli", "diff", f"{db}#cfg22",
                           f"{db}#nope"], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.startswith("Error: ")
    assert "no row with config id 'nope'" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_inputs(tmp_path: Path, jsons) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"chip": {}, "performance": {},
                               "contributions": {"schema": "neurosim.contributions/99"}}))
    cases = [(["missing.json", str(jsons[0])], "missing.json: no such file"),
             ([str(bad), str(jsons[0])], "contributions schema 'neurosim.contributions/99'"),
             ([str(jsons[0]), str(jsons[1]), "--plot", str(tmp_path / "d.gif")],
              "use a .png, .pdf or .svg")]
    for args, msg in cases:
        proc = subprocess.run([sys.executable, "-m", "neurosim.cli", "diff", *args],
                              capture_output=True, text=True)
        assert proc.returncode == 2, proc.stdout
        assert proc.stderr.startswith("Error: ") and msg in proc.stderr, proc.stderr


def test_accuracy_is_compared_when_both_have_it(jsons, tmp_path: Path) -> None:
    from neurosim.commands.diff import diff_report

    sides = []
    for path, mean in zip(jsons, (0.9, 0.85)):
        data = json.loads(path.read_text())
        data["accuracy"] = {"accuracy": {"mean": mean, "std": 0.0}}  # estimate --with-accuracy
        p = tmp_path / path.name
        p.write_text(json.dumps(data))
        sides.append(load(str(p)))
    text, obj = diff_report(sides[0], sides[1], ("accuracy",), 4, 0.01, 4)
    assert obj["figures"] == [] and obj["accuracy"]["delta"] == pytest.approx(-0.05)
    assert "== accuracy: 0.9 -> 0.85  (change -0.05;" in text
