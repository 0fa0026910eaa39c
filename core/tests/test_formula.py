"""formula.py against NeuroSim V1.4's formula.cpp.

``data/formula_reference.json.gz`` holds, for 19 (node, roadmap, transistor type) technologies,
the Technology fields and the results of every formula.cpp function on a grid of inputs, as
printed (``%.17g``) by the C++ (formula.cpp + Technology.cpp of upstream commit ac828e6, g++
-O3, x86-64) through a throwaway driver. ``SIGFPE`` marks inputs on which the C++ crashes
(integer division by zero in the fin-folding model).
"""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path
from types import SimpleNamespace

import pytest

from neurosim.engine.compat_bugs import BUGS
from neurosim.primitives import formula as F
from neurosim.primitives.constants import DeviceRoadmap, TransistorType

with gzip.open(Path(__file__).parent / "data" / "formula_reference.json.gz", "rt") as _fh:
    DATA = json.load(_fh)
REL = 1e-12


def _tech_from_dump(block: dict) -> SimpleNamespace:
    """The C++ Technology of ``block``, plus the node data the formulas read (``family``,
    ``layout``: constant.h's per-node rules, now in the node plugin's node.json)."""
    from neurosim.technology import TechNode

    node, roadmap, ttype = block["tech"]
    data = TechNode.from_json(Path(__file__).resolve().parents[2] / "plugins" / "techs"
                              / f"neurosim-tech-{node}nm" / "src" / f"neurosim_tech_{node}nm"
                              / "node.json")
    fields = dict(block["fields"])
    fields.update(family=data.family, layout=data.layout, nonplanar=data.family != "planar",
                  finfet=data.family == "finfet", gaa=data.family == "gaa")
    fields["feature_size_in_nano"] = int(fields["feature_size_in_nano"])
    fields.update({k: list(v) for k, v in block["tables"].items()})
    fields["device_roadmap"] = DeviceRoadmap(roadmap)
    fields["transistor_type"] = TransistorType(ttype)
    return SimpleNamespace(**fields)


def _call(tech, op, args):
    if op == "gatecap":
        return [F.calculate_gate_cap(args[0], tech)]
    if op == "gatearea":
        return list(F.calculate_gate_area(int(args[0]), int(args[1]), args[2], args[3], args[4],
                                          tech))
    if op == "gatecapacitance":
        return list(F.calculate_gate_capacitance(int(args[0]), int(args[1]), args[2], args[3],
                                                 args[4], tech))
    if op == "gaa":
        return list(F.calculate_gate_capacitance_gaa(int(args[0]), int(args[1]), args[2],
                                                     args[3], args[4], tech, *args[5:8]))
    if op == "draincap":
        return [F.calculate_drain_cap(args[0], int(args[1]), args[2], tech)]
    if op == "leak":
        return [F.calculate_gate_leakage(int(args[0]), int(args[1]), args[2], args[3], args[4],
                                         tech)]
    if op == "ron":
        return [F.calculate_on_resistance(args[0], int(args[1]), args[2], tech)]
    if op == "ronn":
        return [F.calculate_on_resistance_normal(args[0], int(args[1]), args[2], tech)]
    if op == "gm":
        return [F.calculate_transconductance(args[0], int(args[1]), tech)]
    if op == "passgate":
        return list(F.calculate_pass_gate_area(args[0], args[1], tech, int(args[2])))
    if op == "enlarge":
        return list(F.enlarge_size(args[0], args[1], args[2], tech))
    if op == "horowitz":
        return list(F.horowitz(*args))
    if op == "nonlin":
        return [F.nonlinear_resistance(*args)]
    raise AssertionError(op)


def _same(got: float, want: float) -> bool:
    if math.isnan(want):
        return math.isnan(got)
    if math.isinf(want):
        return got == want
    return got == want or abs(got - want) <= REL * abs(want)


def _ids():
    return ["{}nm-{}-{}".format(*b["tech"]) for b in DATA["blocks"]]


@pytest.mark.parametrize("block", DATA["blocks"], ids=_ids())
def test_formulas_match_cpp(block):
    tech = _tech_from_dump(block)
    bad = []
    for (op, *args), want in block["calls"]:
        if want == "SIGFPE":
            with pytest.raises(ZeroDivisionError):
                _call(tech, op, args)
            continue
        got = _call(tech, op, args)
        if len(got) != len(want) or not all(_same(g, w) for g, w in zip(got, want)):
            bad.append((op, args, got, want))
    assert not bad, f"{len(bad)} mismatches, first: {bad[:3]}"


def test_tech_independent_formulas_match_cpp():
    tech = _tech_from_dump(DATA["blocks"][0])
    for (op, *args), want in DATA["misc"]:
        got = _call(tech, op, args)
        assert all(_same(g, w) for g, w in zip(got, want)), (op, args, got, want)


def test_temperature_table_interpolation_matches_cpp():
    for block in DATA["blocks"]:
        for table in block["tables"].values():
            sparse = [table[i] if i % 10 == 0 else 0.0 for i in range(101)]
            assert F.interpolate_temperature_table(sparse) == table


def test_temperature_out_of_range_is_rejected():
    tech = _tech_from_dump(DATA["blocks"][0])
    from neurosim.errors import ConfigError

    with pytest.raises(ConfigError, match="out of range"):
        F.calculate_on_resistance(1e-6, 0, 401, tech)
    with pytest.raises(ConfigError, match="out of range"):
        F.calculate_gate_leakage(0, 1, 1e-6, 1e-6, 299.9, tech)


def test_horowitz_hand_value():
    # step input: alpha -> 0, delay = tr * |ln 0.5|; ramp_out = 0.5 / delay
    delay, ramp = F.horowitz(1e-10, 0.5, 1e20)
    assert delay == pytest.approx(1e-10 * math.log(2), rel=1e-9)
    assert ramp == 0.5 / delay


@pytest.mark.parametrize("block", DATA["blocks"], ids=_ids())
def test_real_technology_matches_cpp(block, tech_node):
    """neurosim.technology.Technology gives the C++ fields and hence the same formulas."""
    from neurosim.technology import Technology

    node_nm, roadmap, ttype = block["tech"]
    tech = Technology.from_node(tech_node(node_nm), DeviceRoadmap(roadmap), TransistorType(ttype))
    ref = _tech_from_dump(block)
    for name in DATA["tech_fields"]:
        assert float(getattr(tech, name)) == getattr(ref, name), name
    for name in block["tables"]:
        assert list(getattr(tech, name)) == getattr(ref, name), name
    for (op, *args), want in block["calls"][::7]:
        if want != "SIGFPE":
            assert _call(tech, op, args) == want, (op, args)


def _dumped(node_nm):
    return _tech_from_dump(next(b for b in DATA["blocks"] if b["tech"] == [node_nm, 1, 0]))


def test_fin_folds_bug_switch():
    # 7 nm, inverter with a 5-fin NMOS and no PMOS: 4 fins per finger (2 * max_fin_num)
    tech = _dumped(7)
    f = tech.feature_size
    assert F.FIN_FOLDS_BUG in BUGS and F.INV_SIDEWALL_BUG in BUGS
    _, _, width_bug = F.calculate_gate_area(F.INV, 1, 10 * f, 0, 28 * f, tech)
    _, _, width_fix = F.calculate_gate_area(F.INV, 1, 10 * f, 0, 28 * f, tech,
                                            compat_bugs=False)
    assert width_bug == (1 + 1) * 8.1428 * f  # 5 // 4 = 1 finger (NeuroSim)
    assert width_fix == (2 + 1) * 8.1428 * f  # ceil(5 / 4) = 2 fingers


def test_inverter_sidewall_bug_switch():
    # 22 nm inverter, NMOS 30 F folded twice, PMOS 2 F unfolded, 28 F cell
    tech = _dumped(22)
    f = tech.feature_size
    ratio = 2 / 32
    max_p = ratio * (28 * f - 3.5 * f - (1.0 + 1.6 / 2) * 2 * f)
    max_n = max_p / ratio * (1 - ratio)
    assert math.ceil(30 * f / max_n) == 2
    _, bug = F.calculate_gate_capacitance(F.INV, 1, 30 * f, 2 * f, 28 * f, tech)
    _, fix = F.calculate_gate_capacitance(F.INV, 1, 30 * f, 2 * f, 28 * f, tech,
                                          compat_bugs=False)
    # two NMOS fingers: the corrected drain has two sidewalls of height max_n instead of one
    assert fix - bug == pytest.approx(max_n * tech.cap_sidewall, rel=1e-9)
