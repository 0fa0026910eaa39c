"""Every installed tech plugin's data equals the shared spec ``technology_nodes.json``.

All fields of all 13 nodes are compared: the spec keys are mapped one by one to the
:class:`~neurosim.technology.TechNode` fields (an unmapped spec key fails the test), values the
spec lists after ``Technology::Initialize``'s post-processing are compared with the derived
:class:`~neurosim.technology.Technology`. Floats are compared to 1e-12 relative: the spec's
derived wire numbers (``wire_rho_eff``, unit resistances) and ``2.01e-08``-style bulk
resistivities differ from NeuroSim's arithmetic (``2.01*1e-8``) in the last bit, and the
plugins follow the C++ (``test_technology_cpp.py`` checks that exactly).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

from neurosim.errors import ConfigError
from neurosim.technology import Technology
from neurosim.testing import make_host

ROOT = Path(__file__).resolve().parents[1]
# the shared spec when present (NEUROSIM_SPEC_DIR or ../shared/spec), else the copy kept with
# the golden data in tests/golden/spec
SPEC_PATH = Path(os.environ.get("NEUROSIM_SPEC_DIR", ROOT.parent / "shared" / "spec")) \
    / "technology_nodes.json"
if not SPEC_PATH.exists():
    SPEC_PATH = ROOT / "tests" / "golden" / "spec" / "technology_nodes.json"
SPEC = json.loads(SPEC_PATH.read_text())
NODE_KEYS = list(SPEC["nodes"])

PARAM_KEYS = {
    "Metal0_nm": "metal0", "Metal1_nm": "metal1", "wireWidth_nm": "wire_width",
    "barrierthickness_m": "barrierthickness", "featuresize_m": "featuresize",
    "readVoltage_V": "read_voltage", "heightInFeatureSizeSRAM_F": "height_in_feature_size_sram",
    "widthInFeatureSizeSRAM_F": "width_in_feature_size_sram",
    "SRAM_cell_area_F2": "sram_cell_area_f2", "widthSRAMCellNMOS": "width_sram_cell_nmos",
    "widthSRAMCellPMOS": "width_sram_cell_pmos", "widthAccessCMOS": "width_access_cmos",
    "SRAM_cell_source": "sram_cell_source", "sizingfactor_MUX": "sizingfactor_mux",
    "sizingfactor_WLdecoder": "sizingfactor_wldecoder",
    "newswitchmatrixsizeratio": "newswitchmatrixsizeratio",
    "switchmatrixsizeratio": "switchmatrixsizeratio", "buffernumber": "buffernumber",
    "buffersizeratio": "buffersizeratio", "wire_AR": "ar", "wire_rho_bulk_ohm_m": "rho_bulk",
    "wire_rho_eff_ohm_m": "rho", "Metal0_AR": "ar_metal0",
    "Metal0_rho_bulk_ohm_m": "rho_bulk_metal0", "Metal1_AR": "ar_metal1",
    "Metal1_rho_bulk_ohm_m": "rho_bulk_metal1",
    "Metal0_unitwireresis_ohm_per_m": "metal0_unitwireresis",
    "Metal1_unitwireresis_ohm_per_m": "metal1_unitwireresis",
    "unitLengthWireResistance_ohm_per_m_at_300K": "unit_length_wire_resistance",
}
# Values the branch of Technology::Initialize assigns (TransistorData and Technology).
TRANSISTOR_KEYS = {
    "vdd": "vdd", "vth": "vth", "phyGateLength": "phy_gate_length",
    "capIdealGate": "cap_ideal_gate", "capFringe": "cap_fringe",
    "effectiveResistanceMultiplier": "effective_resistance_multiplier",
    "current_gmNmos": "current_gm_nmos", "current_gmPmos": "current_gm_pmos",
    "pnSizeRatio": "pn_size_ratio", "cap_draintotal": "cap_draintotal",
    "heightFin": "height_fin", "widthFin": "width_fin", "PitchFin": "pitch_fin",
    "max_fin_num": "max_fin_num", "effective_width": "effective_width",
    "max_fin_per_GAA": "max_fin_per_gaa", "max_sheet_num": "max_sheet_num",
    "thickness_sheet": "thickness_sheet", "width_sheet": "width_sheet",
    "gm_oncurrent": "gm_oncurrent",
}
TABLE_KEYS = {"currentOnNmos": "current_on_nmos", "currentOnPmos": "current_on_pmos",
              "currentOffNmos": "current_off_nmos", "currentOffPmos": "current_off_pmos"}
# Results of Initialize's post-processing: Technology only.
DERIVED_KEYS = {"capOverlap_F_per_m": "cap_overlap", "capJunction_F_per_m2": "cap_junction",
                "capSidewall_F_per_m": "cap_sidewall",
                "capDrainToChannel_F_per_m": "cap_drain_to_channel",
                "buildInPotential_V": "build_in_potential"}
LAYOUT_KEYS = {"MAX_TRANSISTOR_HEIGHT_F": "max_transistor_height",
               "MIN_GAP_BET_P_AND_N_DIFFS_F": "min_gap_bet_p_and_n_diffs",
               "OUTER_HEIGHT_REGION_F": "outer_height_region", "CPP_F": "cpp",
               "POLY_WIDTH_F": "poly_width", "M2_PITCH_F": "m2_pitch", "M3_PITCH_F": "m3_pitch"}


def same(ours, theirs) -> bool:
    if isinstance(theirs, str) or isinstance(ours, str) or theirs is None or ours is None:
        return ours == theirs
    return math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=0.0)


@pytest.fixture(scope="module")
def registry():
    old = {v: os.environ.pop(v, None) for v in ("NEUROSIM_DISABLE_PLUGINS",
                                                 "NEUROSIM_LOAD_PLUGINS")}
    try:
        host = make_host()
    finally:
        for k, v in old.items():
            if v is not None:
                os.environ[k] = v
    return host.registry


def check_transistor(node, ttype: str, roadmap: str, spec: dict) -> None:
    where = f"{node.name} {ttype}/{roadmap}"
    if not spec["supported"]:
        assert roadmap.lower() not in node.supported(ttype.lower()), where
        with pytest.raises(ConfigError):
            Technology.from_node(node, roadmap.lower(), ttype.lower())
        assert set(spec) == {"supported"}
        return
    td = node.transistor(roadmap.lower(), ttype.lower())
    tech = Technology.from_node(node, roadmap.lower(), ttype.lower())
    for key, value in spec.items():
        if key == "supported":
            continue
        if key == "_source_lines":
            assert td.source == value, where
        elif key in TRANSISTOR_KEYS:
            name = TRANSISTOR_KEYS[key]
            assert same(getattr(td, name), value), (where, key, getattr(td, name), value)
            assert same(getattr(tech, name), value), (where, key, getattr(tech, name), value)
        elif key in TABLE_KEYS:
            name = TABLE_KEYS[key]
            assert sorted(int(i) for i in value) == list(range(0, 101, 10)), (where, key)
            for i, v in value.items():
                assert same(getattr(td, name)[int(i) // 10], v), (where, key, i)
                assert same(getattr(tech, name)[int(i)], v), (where, key, i)
        elif key in DERIVED_KEYS:
            ours = getattr(tech, DERIVED_KEYS[key])
            assert same(ours, value), (where, key, ours, value)
        else:
            pytest.fail(f"{where}: spec field {key!r} is not mapped to the node data")


@pytest.mark.parametrize("key", NODE_KEYS)
def test_node_equals_spec(registry, key):
    spec = SPEC["nodes"][key]
    node = registry.get("tech", f"{key}nm")
    assert node.node_nm == int(key)
    known = {"device_type", "param_cpp", "technology_cpp", "manual_table_II",
             "manual_table_III", "fin_or_sheet_count_per_transistor_README"}
    assert set(spec) <= known, set(spec) - known
    assert node.device_type == spec["device_type"]
    for k, v in spec["param_cpp"].items():
        assert k in PARAM_KEYS, f"spec field param_cpp.{k} is not mapped"
        ours = getattr(node.param_cpp, PARAM_KEYS[k])
        assert same(ours, v), (k, ours, v)
    for roadmap, tspec in spec["technology_cpp"].items():
        check_transistor(node, "conventional", roadmap, tspec)
    assert node.manual_table_ii == spec.get("manual_table_II", {})
    assert node.manual_table_iii == spec.get("manual_table_III", {})
    assert node.fin_or_sheet_count_readme == spec.get(
        "fin_or_sheet_count_per_transistor_README", "")


@pytest.mark.parametrize("ttype", [t for t in SPEC["legacy_transistor_types"]
                                   if not t.startswith("_")])
def test_legacy_transistor_types_equal_spec(registry, ttype):
    per_node = SPEC["legacy_transistor_types"][ttype]
    for key in NODE_KEYS:
        node = registry.get("tech", f"{key}nm")
        if key in per_node:
            for roadmap, tspec in per_node[key].items():
                check_transistor(node, ttype, roadmap, tspec)
        else:
            assert node.supported(ttype.lower()) == ()
            with pytest.raises(ConfigError, match=f"transistor_type = {ttype.lower()}"):
                Technology.from_node(node, "lstp", ttype.lower())


def test_layout_rules_equal_constant_h(registry):
    consts = SPEC["constants_feature_size_units"]
    for key in NODE_KEYS:
        layout = registry.get("tech", f"{key}nm").layout
        for table, name in LAYOUT_KEYS.items():
            t = consts[table]
            default = t.get("default(>=22nm)", t.get("default"))
            expected = t.get(key, default if int(key) >= 22 else None)
            assert getattr(layout, name) == expected, (key, table)


def test_lookup_lists_of_14nm_and_below(registry):
    """``_meta.lookup_lists`` (Technology.cpp's per-node arrays for 14..1 nm) against the
    values the plugins hold: caplist is aF per fin or per sheet stack."""
    meta = SPEC["_meta"]
    lists = meta["lookup_lists"]
    for i, nm in enumerate(meta["lookup_lists_for_14nm_and_below_order"]):
        node = registry.get("tech", f"{nm}nm")
        td = node.transistor("lstp")
        sheets = td.max_sheet_num if node.family == "gaa" else 1
        assert same(td.cap_ideal_gate * td.effective_width * sheets / 1e-18, lists["caplist"][i])
        assert td.current_on_nmos[0] == lists["currentlist"][i]
        assert td.current_on_pmos[0] == lists["currentlist"][i]
        assert td.current_off_nmos[0] == lists["currentlist_off"][i]
        assert td.effective_resistance_multiplier == lists["eff_res_mul"][i]
        assert td.current_gm_nmos == td.current_gm_pmos == td.gm_oncurrent == lists["gm"][i]
        assert td.vth == lists["vth_list"][i]
        assert same(td.cap_draintotal * td.effective_width, lists["cap_draintotallist"][i])
        fixed_cj = SPEC["nodes"][str(nm)]["technology_cpp"]["LSTP"]["capJunction_F_per_m2"]
        assert node.cap_junction == fixed_cj


# Section 5 of spec/parameters.md: families, fins / sheets, backside power, CFET SRAM.
FAMILY = {130: "planar", 90: "planar", 65: "planar", 45: "planar", 32: "planar", 22: "planar",
          14: "finfet", 10: "finfet", 7: "finfet", 5: "finfet", 3: "finfet", 2: "gaa", 1: "gaa"}
FINS = {14: 4, 10: 3, 7: 2, 5: 2, 3: 2}
SHEETS = {2: 3, 1: 4}


@pytest.mark.parametrize("nm", sorted(FAMILY))
def test_device_family_and_flags(registry, nm):
    node = registry.get("tech", f"{nm}nm")
    assert node.family == FAMILY[nm]
    assert node.fins_per_transistor == FINS.get(nm, 0)
    assert node.nanosheets_per_transistor == SHEETS.get(nm, 0)
    assert node.backside_power_rail == (nm in (2, 1))
    assert node.dielectric_wall == (nm == 1)
    assert node.cfet_sram == (nm == 1)
    assert node.supported() == (("hp", "lstp") if nm >= 22 else ("lstp",))
    assert (node.cap_junction is not None) == (nm <= 14)


def test_every_spec_node_is_registered_once(registry):
    names = registry.names("tech")
    for key in NODE_KEYS:
        assert f"{key}nm" in names
        entry = registry.entry("tech", f"{key}nm")
        assert entry.distribution == f"neurosim-tech-{key}nm"
