"""Folded contribution trees (``neurosim explain`` default view): identical siblings once
with ``x N``, differing runs merged into their sum, small terms collapsed, and every printed
node still the combination (sum / max / scale) of its printed children."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from neurosim.engine.contributions import Contribution, leaf, total
from neurosim.explain.fold import display_tree, expand, fold_identical, group_label, walk_shown
from neurosim.explain.printing import format_shown
from test_explain import parse_tree
from vgg8_runs import vgg8_result


def pe(name: str, adc: float, other: float) -> Contribution:
    return total(name, [leaf("ADC", adc), leaf("other", other)])


def tile(name: str, pes: list[Contribution]) -> Contribution:
    return total(name, pes + [leaf("H-tree", 1.0)])


def hand_tree() -> Contribution:
    """Two identical tiles of three PEs (two identical) and a third tile that differs."""
    a = [pe("PE[0]", 3.0, 1.0), pe("PE[1]", 3.0, 1.0), pe("PE[2]", 2.0, 1.0)]
    b = [pe("PE[0]", 5.0, 1.0), pe("PE[1]", 3.0, 2.0), pe("PE[2]", 2.0, 1.0)]
    return total("layer 1", [tile("tile[0,0]", a), tile("tile[0,1]", list(a)),
                             tile("tile[1,0]", b), leaf("global buffer", 0.5)])


def test_identical_siblings_fold_and_expand_back() -> None:
    tree = hand_tree()
    f = fold_identical(tree)
    assert [c.label for c in f.children] == ["tile[0,0..0,1]", "tile[1,0]", "global buffer"]
    assert [c.count for c in f.children] == [2, 1, 1]
    first = f.children[0]
    assert [(c.label, c.count) for c in first.children] == [("PE[0..1]", 2), ("PE[2]", 1),
                                                            ("H-tree", 1)]
    # per-member value; the group's total is count x value (12 = 3+1 + 3+1 + 2+1 + 1)
    assert first.value == 12.0 and first.total == 24.0
    back = expand(f)
    assert [(c.name, c.value) for _, c in back.walk()] == \
        [(c.name, c.value) for _, c in tree.walk()]


def test_differing_runs_merge_into_their_sum() -> None:
    shown = display_tree(hand_tree())
    tiles = shown.children[0]
    # tile[0,0..0,1] x 2 (12 each) and tile[1,0] (15) differ: one merged node, 2*12 + 15
    assert tiles.name == "tile[0,0..1,0]" and tiles.value == 39.0
    assert tiles.note == "sum of 3 differing" and tiles.spread == (12.0, 15.0)
    assert [(c.name, c.value) for c in tiles.children] == [("PE[0..2]", 36.0),
                                                           ("H-tree", 3.0)]
    pes = tiles.children[0]  # ADC: 2 x (3+3+2) + (5+3+2); other: 2 x 3 + 4
    assert [(c.name, c.value) for c in pes.children] == [("ADC", 26.0), ("other", 10.0)]
    assert shown.value == sum(c.total for c in shown.children) == 39.5


def test_small_terms_collapse_to_their_sum() -> None:
    tree = total("chip", [leaf("array", 10.0), leaf("a", 0.25), leaf("b", 0.5),
                          total("c", [leaf("d", 0.125), leaf("e", 0.125)])])
    shown = display_tree(tree, threshold_share=0.1)  # under 1.1 of 11
    assert [(c.name, c.value) for c in shown.children] == [("array", 10.0),
                                                           ("(3 smaller terms)", 1.0)]
    shown = display_tree(hand_tree(), threshold_share=0.05)
    for _, node in walk_shown(shown):
        if node.rule == "sum" and node.children:
            assert math.isclose(sum(c.total for c in node.children), node.value)


def test_max_runs_keep_the_slowest() -> None:
    lat = Contribution("tile", 7.0, [leaf("PE[0]", 5.0), leaf("PE[1]", 7.0),
                                     leaf("PE[2]", 6.0)], "max")
    shown = display_tree(lat)
    assert [(c.name, c.value, c.note) for c in shown.children] == \
        [("PE[1]", 7.0, "slowest of 3")]
    assert shown.children[0].spread == (5.0, 7.0)
    text = format_shown(shown, "s")
    assert "PE[1]: 7 s  (100%)  {slowest of 3: 5 s .. 7 s}" in text


def test_group_label() -> None:
    assert group_label(["tile[0,0]", "tile[3,1]"]) == "tile[0,0..3,1]"
    assert group_label(["PE[0..1]", "PE[7..8]"]) == "PE[0..8]"
    assert group_label(["layer 1", "layer 2"]) == "layer 1"


@pytest.fixture(scope="module")
def vgg8():
    return vgg8_result()


@pytest.mark.parametrize("figure,unit", [("chip.read_energy_j", "J"),
                                         ("chip.read_latency_s", "s"),
                                         ("chip.area_m2", "m^2"),
                                         ("chip.leakage_power_w", "W")])
def test_vgg8_folded_trees_add_up(vgg8, figure, unit) -> None:
    from neurosim.explain.printing import format_folded

    text = format_folded(vgg8.explain(figure), unit, max_depth=4)
    body = [x for x in text.splitlines() if not x.startswith("(terms under")]
    # "x N" groups print each member's value; parse_tree reads the per-member numbers
    nodes = parse_tree("\n".join(x.replace(" each", "") for x in body))
    assert nodes[0]["value"] == pytest.approx(vgg8.explain(figure).value, rel=1e-5)
    for n, line in zip(nodes, body):
        m = re.search(r" x (\d+): ", line)
        n["count"] = int(m.group(1)) if m else 1
    checked = 0
    for n in nodes:  # each printed node is the combination of its printed children
        if not n["children"]:
            continue
        vals = [nodes[i]["value"] for i in n["children"]]
        if n["rule"] == "sum":
            expect = sum(v * nodes[i]["count"] for v, i in zip(vals, n["children"]))
        elif n["rule"] == "max":
            expect = max(vals)
        else:
            expect = vals[0] * n["factor"]
        assert n["value"] == pytest.approx(expect, rel=2e-5), n["name"]
        checked += 1
    assert checked >= 3


def test_full_view_prints_every_node(vgg8) -> None:
    from neurosim.explain.printing import folded_text
    from neurosim.outputs import explain_text

    full = explain_text(vgg8, ["chip.read_energy_j"], 3).splitlines()
    folded = folded_text(vgg8, ["chip.read_energy_j"], 3).splitlines()
    assert len(full) > 1000  # the 1,012 lines of issue 17
    assert len(folded) < 80
    assert full[0] == folded[0]


def test_explain_vgg8_fits_a_screen() -> None:
    cmd = [sys.executable, "-m", "neurosim.cli", "explain", "chip.read_energy_j",
           "--network", "vgg8", "--quiet"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) < 80, proc.stdout
    assert any("tile[0,0..0,1] x 2:" in x for x in lines)  # VGG8 layer 2: 2 equal tiles
    assert any("sum of 9 differing" in x for x in lines)   # its 9 PEs differ
    assert lines[2].startswith("== chip.read_energy_j = ")
