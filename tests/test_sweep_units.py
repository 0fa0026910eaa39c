"""Sweep pieces without the estimator: spec expansion and ids, accuracy keys and their
cache in the store, the --where language, the Pareto test on random matrices."""

from __future__ import annotations

import hashlib
import itertools

import numpy as np
import pytest

from neurosim.errors import NeuroSimError
from neurosim.sweep.evaluate import Outcome
from neurosim.sweep.pareto import non_dominated
from neurosim.sweep.query import filter_table, parse_where, sort_table
from neurosim.sweep.runner import accuracy_key
from neurosim.sweep.spec import config_id, load_spec
from neurosim.sweep.store import Store
from neurosim.sweep.table import Table

SPEC = """\
network = "vgg8"
[base]
technode = 22
[grid]
technode = [22, 7]
adc_bits = [4, 5]
[[points]]
technode = 22
adc_bits = 4          # equals a grid row: kept once
[[points]]
memcelltype = 3       # Param.cpp name and code
[random]
samples = 5
seed = 3
levelOutput = [8, 16, 32]
resistance_off_ohm = { min = 1e6, max = 1e7, log = true }
"""


@pytest.fixture()
def spec(tmp_path):
    (tmp_path / "s.toml").write_text(SPEC)
    return load_spec(tmp_path / "s.toml")


def test_expansion_grid_points_random_and_dedup(spec):
    rows = spec.expand()
    assert len(rows) == 4 + 1 + 5  # the first point equals grid row (22, 4)
    assert [(r.axes["technode"], r.axes["adc_bits"]) for r in rows[:4]] == \
        [("22nm", 4), ("22nm", 5), ("7nm", 4), ("7nm", 5)]
    assert rows[4].axes["memcelltype"] == "fefet" and rows[4].options["device"] == "fefet"
    rnd = rows[5:]
    assert all(r.options["level_output"] in (8, 16, 32) for r in rnd)
    assert all(1e6 <= r.options["resistance_off_ohm"] <= 1e7 for r in rnd)
    again = spec.expand()  # seeded: the same samples, the same ids
    assert [r.config_id for r in again] == [r.config_id for r in rows]
    assert len({r.config_id for r in rows}) == len(rows)


def test_config_id_is_stable_and_order_free():
    a = config_id({"x": 1, "y": [1, 2]}, {"network": "vgg8"})
    assert a == config_id({"y": [1, 2], "x": 1}, {"network": "vgg8"})
    assert a != config_id({"x": 1, "y": [1, 2]}, {"network": "resnet18"})
    text = '{"config": {"x": 1, "y": [1, 2]}, "source": {"network": "vgg8"}}'
    assert a == hashlib.sha256(text.encode()).hexdigest()[:16]  # no per-process salt


def test_accuracy_keys_ignore_hardware_only_options(spec):
    rows = spec.expand()[:4]
    keys = [accuracy_key(r.options, spec) for r in rows]
    assert keys[0] == keys[2] and keys[1] == keys[3]  # the node does not matter
    assert keys[0] != keys[1]  # ADC bits do
    base = dict(rows[0].options)
    full = dict(base, parallel_rows=base["subarray_rows"])
    assert accuracy_key(full, spec) == keys[0]  # 0 = all rows, the same reads


def test_store_runs_each_accuracy_key_once(spec, tmp_path):
    rows = spec.expand()[:4]
    keys = {r.config_id: accuracy_key(r.options, spec) for r in rows}
    with Store(tmp_path / "o") as store:
        assert store.add_rows(rows, keys) == 4
        assert store.add_rows(rows, keys) == 0  # a re-run adds nothing
        for r in rows:
            store.record(Outcome(r.config_id, "done", "", {"chip": {"area_m2": 1.0}}))
        pending = store.pending_accuracy()
        assert [k for k, _ in pending] == [keys[rows[0].config_id], keys[rows[1].config_id]]
        store.record_accuracy(pending[0][0], "done", "", 0.9, None)
        assert [k for k, _ in store.pending_accuracy()] == [pending[1][0]]
        accs = [r.accuracy for r in store.rows()]
        assert accs == [0.9, None, 0.9, None]


def test_where_language_is_parsed_not_evaluated():
    table = Table(["config_id", "status", "device", "technode", "chip.area_m2"], [
        {"config_id": "a", "status": "done", "device": "sram", "technode": "22nm",
         "chip.area_m2": 2e-6},
        {"config_id": "b", "status": "done", "device": "rram", "technode": "32nm",
         "chip.area_m2": 1e-6},
        {"config_id": "c", "status": "rejected", "device": "rram", "technode": "7nm",
         "chip.area_m2": None}], ["device", "technode"])
    ids = [r["config_id"] for r in filter_table(table, "device = rram and technode < 30")
           .records]
    assert ids == ["c"]
    ids = [r["config_id"] for r in filter_table(table, "chip.area_m2 >= 1e-6, status != x")
           .records]
    assert ids == ["a", "b"]
    assert [r["config_id"] for r in sort_table(table, "chip.area_m2").records] == \
        ["b", "a", "c"]
    assert [r["config_id"] for r in sort_table(table, "-chip.area_m2").records] == \
        ["a", "b", "c"]
    for bad in ("device == rram or 1", "__class__ = x", "device < rram", "device"):
        with pytest.raises(NeuroSimError):
            parse_where(bad, table.columns)


@pytest.mark.parametrize("seed", range(4))
def test_non_dominated_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    vals = rng.integers(0, 6, size=(60, 3)).astype(float)  # many ties and duplicates
    mask = non_dominated(vals, block=7)

    def dominates(a, b):
        return bool(np.all(a <= b) and np.any(a < b))

    brute = [not any(dominates(vals[j], vals[i]) for j in range(len(vals)))
             for i in range(len(vals))]
    assert mask.tolist() == brute
    for i, j in itertools.combinations(np.flatnonzero(mask), 2):
        assert not dominates(vals[i], vals[j]) and not dominates(vals[j], vals[i])


def test_pareto_plot_shapes_points_by_a_categorical_axis(tmp_path):
    """The device (names, 2-6 values) gets marker shapes; the node (numbers, the most
    values) the colour; the legend keys of the shapes are grey."""
    pytest.importorskip("matplotlib")
    from neurosim.sweep.plots import color_axis, marker_axis, pareto_figure
    from neurosim.sweep.table import Table

    recs = [{"config_id": f"c{i}", "status": "done", "technode": f"{n}nm", "device": d,
             "a": float(i + 1), "b": float(30 - i)}
            for i, (n, d) in enumerate((n, d) for n in (22, 14, 7, 5, 3)
                                       for d in ("sram", "rram"))]
    table = Table(["config_id", "status", "technode", "device", "a", "b"], recs,
                  ["technode", "device"])
    assert color_axis(table) == "technode"  # 5 values against 2
    assert marker_axis(table, "technode") == "device"
    assert marker_axis(table, "device") is None  # nodes are numbers ("22nm" reads as 22)
    out = tmp_path / "p.png"
    pareto_figure(table, [0, 9], [("a", "max"), ("b", "min")], out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
