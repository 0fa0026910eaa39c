"""``neurosim.technology`` against the NeuroSim V1.4 C++ itself.

``data/technology_cpp_reference.json`` holds what the unmodified C++ computes (its ``_about``
says how it was produced): every member of ``Technology`` after ``Technology::Initialize`` for
each node x roadmap x transistor type it accepts, the combinations where it exits, and the
per-node members of ``Param``. Our values must be identical (same arithmetic, same order), so
the comparison is exact.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from neurosim.errors import ConfigError
from neurosim.technology import TechNode, Technology

ROOT = Path(__file__).resolve().parents[1]
REF = json.loads((Path(__file__).parent / "data" / "technology_cpp_reference.json").read_text())
NODES = {node.node_nm: node for node in (
    TechNode.from_json(p) for p in ROOT.glob("plugins/techs/neurosim-tech-*/src/*/node.json"))}

# Members of the C++ object that are not part of the port (flag, never-set RRAM feature size).
NOT_PORTED = {"initialized", "RRAMFeatureSize", "_stdout"}


def snake(name: str) -> str:
    """The porting rule of docs/porting-conventions.md."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def test_all_thirteen_nodes_present():
    assert sorted(NODES) == sorted(int(n) for n in REF["param"])


@pytest.mark.parametrize("key", sorted(REF["technology"]))
def test_technology_equals_cpp(key):
    node_nm, roadmap, ttype = key.split("/")
    tech = Technology.from_node(NODES[int(node_nm)], roadmap.lower(), ttype.lower())
    ref = REF["technology"][key]
    checked = 0
    for cpp_name, expected in ref.items():
        if cpp_name in NOT_PORTED:
            continue
        ours = getattr(tech, snake(cpp_name))
        if cpp_name in ("deviceRoadmap", "transistorType"):
            ours = int(ours)
        assert ours == expected, (cpp_name, ours, expected)
        checked += 1
    assert checked == 34  # 30 scalars + 4 current tables of 101 entries


@pytest.mark.parametrize("key", sorted(REF["technology_rejected"]))
def test_technology_rejects_like_cpp(key):
    node_nm, roadmap, ttype = key.split("/")
    node = NODES[int(node_nm)]
    with pytest.raises(ConfigError) as info:
        Technology.from_node(node, roadmap.lower(), ttype.lower())
    msg = str(info.value)
    assert node.name in msg
    assert ("device_roadmap = hp" in msg) if ttype == "conventional" else \
        (f"transistor_type = {ttype.lower()}" in msg)


# Param member -> ParamCpp field, where the porting rule is not followed (see ParamCpp).
PARAM_NAMES = {"sizingfactor_WLdecoder": "sizingfactor_wldecoder"}
# Param members that depend on options other than the node (cell type, temperature, ...).
PARAM_NOT_NODE_DATA = {"technode", "temp", "speciallayout", "wireLengthRow", "wireLengthCol",
                       "wireResistanceRow", "wireResistanceCol"}


@pytest.mark.parametrize("node_nm", sorted(int(n) for n in REF["param"]))
def test_param_node_values_equal_cpp(node_nm):
    ref = REF["param"][str(node_nm)]
    p = NODES[node_nm].param_cpp
    for cpp_name, expected in ref.items():
        if cpp_name in PARAM_NOT_NODE_DATA:
            continue
        ours = getattr(p, PARAM_NAMES.get(cpp_name, snake(cpp_name)))
        assert ours == expected, (cpp_name, ours, expected)
    assert NODES[node_nm].node_nm == ref["technode"]
    # Param's wire resistances of one SRAM cell pitch at 300 K (memcelltype = SRAM default).
    wire_length_row = p.wire_width * 1e-9 * p.height_in_feature_size_sram
    assert p.unit_length_wire_resistance * wire_length_row == ref["wireResistanceRow"]


def test_wire_resistance_temperature_dependence():
    # Rho *= 1 + 0.00451*|T - 300| applies to the wireWidth resistivity only.
    node = NODES[22]
    r300 = node.unit_length_wire_resistance_at(300)
    assert r300 == node.param_cpp.unit_length_wire_resistance
    assert node.unit_length_wire_resistance_at(350) == pytest.approx(r300 * (1 + 0.00451 * 50),
                                                                     rel=1e-15)
