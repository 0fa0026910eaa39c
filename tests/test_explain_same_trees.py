"""``neurosim.explain.fold.SameTrees``: which adjacent siblings ``fold_identical`` keeps once
(the ``--json`` trees' ``names`` lists, ``neurosim explain``'s ``x N``). The node-by-node
comparison must say what the structural key below says (names by kind at the top, below
by kind or, ``strict``, exactly; rules; factors and values to 12 digits), and the
collector pause around the ``--json`` trees must leave the collector as it found it."""

from __future__ import annotations

import gc
import random
from typing import Any

import pytest

from neurosim.engine.contributions import Contribution, leaf, total
from neurosim.explain.fold import SameTrees, _round, fold_identical, kind
from neurosim.explain.treejson import contributions_json, paused_gc, trees_from_json


def key(node: Contribution, strict: bool, top: bool = True) -> tuple:
    """The structural identity ``SameTrees`` compares, spelled out."""
    name = kind(node.name) if top or not strict else node.name
    return (name, node.rule, _round(node.factor), _round(node.value),
            tuple(key(c, strict, False) for c in node.children))


VALUES = [1.0, 1.0 + 1e-13, 1.0 + 1e-10, 0.0, -0.0, 2.5, 3, 1e-300, 7e-12]
NAMES = ["PE[0]", "PE[1]", "tile[0,0]", "tile[0,1]", "ADC", "other"]


def near_copy(rng: random.Random, node: Contribution) -> Contribution:
    """``node`` rebuilt (no shared objects), now and then renamed within its kind or with
    a figure moved in its 13th or 11th digit."""
    name = node.name.replace("0", "1") if rng.random() < 0.2 else node.name
    value = node.value * rng.choice([1.0] * 8 + [1 + 1e-13, 1 + 1e-10])
    return Contribution(name, value, [near_copy(rng, c) for c in node.children], node.rule,
                        node.factor)


def random_tree(rng: random.Random, depth: int) -> Contribution:
    n = rng.choice([0, 0, 1, 2, 3]) if depth else 0
    kids = [random_tree(rng, depth - 1) for _ in range(n)]
    if len(kids) > 1 and rng.random() < 0.3:
        kids[-1] = kids[0]  # a shared sub-tree
    return Contribution(rng.choice(NAMES), rng.choice(VALUES), kids,
                        rng.choice(["sum", "max", "scale"]), rng.choice([1.0, 1.0 + 1e-14, 2.0]))


@pytest.mark.parametrize("strict", [False, True])
def test_same_trees_is_the_structural_key(strict: bool) -> None:
    rng = random.Random(17)
    same = SameTrees(strict)
    agreed = differ = 0
    for _ in range(4000):
        a, b = random_tree(rng, 3), random_tree(rng, 3)
        if rng.random() < 0.6:
            b = near_copy(rng, a)
        expect = key(a, strict) == key(b, strict)
        assert same(a, b) == expect, (key(a, strict), key(b, strict))
        agreed += expect
        differ += not expect
    assert agreed > 500 and differ > 500  # both answers were exercised


def test_twelve_digits_signed_zero_and_names() -> None:
    same = SameTrees()
    assert same(leaf("PE[0]", 1.0), leaf("PE[1]", 1.0 + 1e-13))  # equal to 12 digits
    assert not same(leaf("PE[0]", 1.0), leaf("PE[1]", 1.0 + 1e-10))
    assert same(leaf("PE[0]", 0.0), leaf("PE[1]", -0.0))
    assert not same(leaf("PE[0]", 1.0), leaf("ADC", 1.0))  # another kind
    a = total("tile[0,0]", [leaf("PE[0]", 1.0), leaf("PE[1]", 2.0)])
    b = total("tile[0,1]", [leaf("PE[1]", 1.0), leaf("PE[0]", 2.0)])
    assert SameTrees()(a, b)  # below the top, by kind
    assert not SameTrees(strict=True)(a, b)  # strict: descendants' names must be equal
    nan = leaf("PE[0]", float("nan"))
    assert SameTrees()(nan, nan) and not SameTrees()(nan, leaf("PE[1]", float("nan")))


def test_remembered_kinds_are_kind() -> None:
    same = SameTrees()
    for name in NAMES + ["tile[0,0..0,1]", "layer 2", "x[1][2]", "a]b[c"]:
        assert same.kind(name) == kind(name) == same.kind(name)


class _Result:
    def __init__(self, tree: Contribution) -> None:
        self.tree = tree

    def explain(self, path: str) -> Contribution:
        if path != "chip.area_m2":
            raise KeyError(path)
        return self.tree


def test_json_trees_round_trip_and_the_collector_is_left_as_found() -> None:
    pes = [total(f"PE[{i}]", [leaf("ADC", 3.0), leaf("other", 1.0 + i // 2)]) for i in range(4)]
    tree = total("chip", [total("tile[0,0]", pes), total("tile[0,1]", list(pes))])
    enabled = gc.isenabled()
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            obj: Any = contributions_json(_Result(tree), ("chip.area_m2", "chip.read_energy_j"))
            assert gc.isenabled() == state
            back = trees_from_json(obj, "test")["chip.area_m2"]
            assert [(d, c.name, c.value) for d, c in back.walk()] == \
                [(d, c.name, c.value) for d, c in tree.walk()]
        gc.enable()
        with pytest.raises(ZeroDivisionError):
            with paused_gc():
                assert not gc.isenabled()
                1 / 0
        assert gc.isenabled()
    finally:
        (gc.enable if enabled else gc.disable)()
    folded = fold_identical(tree, SameTrees(strict=True))
    assert [f.names for f in folded.children] == [["tile[0,0]", "tile[0,1]"]]
    assert [f.names for f in folded.children[0].children] == [["PE[0]", "PE[1]"],
                                                              ["PE[2]", "PE[3]"]]
