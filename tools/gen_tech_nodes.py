"""Generate each tech plugin's ``node.json`` from the shared spec ``technology_nodes.json``.

Run once when the node data changes (the plugins ship the generated files; nothing imports
this script). The spec has no circuit fits: each node.json's ``circuit_fits`` block and its
``layout.subarray_cpp`` (data of the circuit models, not of Technology.cpp / Param.cpp) are
kept from the file being replaced, so the node plugin stays their only home:

    .venv/bin/python tools/gen_tech_nodes.py ../shared/spec/technology_nodes.json

The Param.cpp wire model (aspect-ratio / resistivity bins, barrier correction, unit
resistances) is recomputed with :meth:`neurosim.technology.ParamCpp.derive`, which follows
Param.cpp's arithmetic bit for bit; the spec's own derived wire numbers agree to ~1e-16
relative. ``tests/test_tech_nodes_json.py`` checks every field of the result against the spec
and ``tests/test_technology.py`` checks the derived Technology against the C++.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

from neurosim.technology import LayoutRules, ParamCpp, TechNode, TransistorData

ROOT = Path(__file__).resolve().parents[1]

# Spec key -> TransistorData field (values the Initialize branch assigns).
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
    "currentOnNmos": "current_on_nmos", "currentOnPmos": "current_on_pmos",
    "currentOffNmos": "current_off_nmos", "currentOffPmos": "current_off_pmos",
}
# Spec keys that are results of Initialize's post-processing (checked against Technology).
DERIVED_KEYS = ("capOverlap_F_per_m", "capJunction_F_per_m2", "capSidewall_F_per_m",
                "capDrainToChannel_F_per_m", "buildInPotential_V")

PARAM_INPUT_KEYS = {
    "Metal0_nm": "metal0", "Metal1_nm": "metal1", "wireWidth_nm": "wire_width",
    "barrierthickness_m": "barrierthickness", "featuresize_m": "featuresize",
    "readVoltage_V": "read_voltage",
    "heightInFeatureSizeSRAM_F": "height_in_feature_size_sram",
    "widthInFeatureSizeSRAM_F": "width_in_feature_size_sram",
    "widthSRAMCellNMOS": "width_sram_cell_nmos", "widthSRAMCellPMOS": "width_sram_cell_pmos",
    "widthAccessCMOS": "width_access_cmos", "SRAM_cell_source": "sram_cell_source",
    "sizingfactor_MUX": "sizingfactor_mux", "sizingfactor_WLdecoder": "sizingfactor_wldecoder",
    "newswitchmatrixsizeratio": "newswitchmatrixsizeratio",
    "switchmatrixsizeratio": "switchmatrixsizeratio",
    "buffernumber": "buffernumber", "buffersizeratio": "buffersizeratio",
}

DESCRIPTIONS = {
    130: "130 nm planar bulk CMOS (PTM 130nm HP/LP models)",
    90: "90 nm planar bulk CMOS (PTM 90nm HP/LP models)",
    65: "65 nm planar bulk CMOS (PTM 65nm HP/LP models)",
    45: "45 nm planar bulk CMOS (PTM 45nm HP/LP models)",
    32: "32 nm planar bulk CMOS (PTM 32nm HP/LP models)",
    22: "22 nm planar bulk CMOS (PTM 22nm HP/LP models; also 2D-FET and TFET data)",
    14: "14 nm FinFET, 4 fins (IRDS 2016; also 2D-FET data)",
    10: "10 nm FinFET, 3 fins (IRDS 2017)",
    7: "7 nm FinFET, 2 fins (IRDS 2017)",
    5: "5 nm FinFET, 2 fins (IRDS 2021)",
    3: "3 nm FinFET, 2 fins (IRDS 2022)",
    2: "2 nm GAA nanosheet, 3 sheets, backside power rail (IRDS 2022)",
    1: "1 nm GAA nanosheet, 4 sheets, backside power rail, dielectric wall, CFET-style SRAM "
       "cell (IRDS 2022)",
}


def family_of(device_type: str) -> str:
    low = device_type.lower()
    if "gaa" in low:
        return "gaa"
    if "finfet" in low:
        return "finfet"
    return "planar"


def transistor(ttype: str, roadmap: str, spec: dict) -> TransistorData:
    kw = {}
    for k, v in spec.items():
        if k in ("supported", "_source_lines") or k in DERIVED_KEYS:
            continue
        name = TRANSISTOR_KEYS[k]  # KeyError = a spec field this script does not know
        if isinstance(v, dict):
            v = [v[str(i)] for i in range(0, 101, 10)]
        kw[name] = v
    return TransistorData(transistor_type=ttype, roadmap=roadmap,
                          source=spec.get("_source_lines", ""), **kw)


def layout_rules(consts: dict, nm: int) -> LayoutRules:
    key = str(nm)

    def pick(table: str, default_key: str | None = "default"):
        t = consts[table]
        if key in t:
            return t[key]
        if nm >= 22 and default_key is not None:
            return t[default_key]
        return None

    return LayoutRules(
        max_transistor_height=pick("MAX_TRANSISTOR_HEIGHT_F", "default(>=22nm)"),
        min_gap_bet_p_and_n_diffs=pick("MIN_GAP_BET_P_AND_N_DIFFS_F"),
        poly_width=pick("POLY_WIDTH_F"),
        m2_pitch=pick("M2_PITCH_F"),
        m3_pitch=pick("M3_PITCH_F"),
        outer_height_region=pick("OUTER_HEIGHT_REGION_F", None),
        cpp=pick("CPP_F", None),
    )


def build(spec: dict, nm: int, previous: TechNode | None = None) -> TechNode:
    node = spec["nodes"][str(nm)]
    p = node["param_cpp"]
    param = ParamCpp.derive(**{PARAM_INPUT_KEYS[k]: p[k] for k in PARAM_INPUT_KEYS})
    tds = [transistor("conventional", rm.lower(), s)
           for rm, s in node["technology_cpp"].items() if s["supported"]]
    for ttype, per_node in spec["legacy_transistor_types"].items():
        if ttype.startswith("_") or str(nm) not in per_node:
            continue
        for rm, s in per_node[str(nm)].items():
            if s["supported"]:
                tds.append(transistor(ttype.lower(), rm.lower(), s))
    lstp = node["technology_cpp"]["LSTP"]
    fixed_cj = lstp["capJunction_F_per_m2"] if nm <= 14 else None
    dt = node["device_type"]
    layout = layout_rules(spec["constants_feature_size_units"], nm)
    if previous is not None:
        layout = dataclasses.replace(layout, subarray_cpp=previous.layout.subarray_cpp)
    return TechNode(
        name=f"{nm}nm", node_nm=nm, family=family_of(dt), device_type=dt,
        param_cpp=param, technology_cpp=tuple(tds),
        layout=layout,
        cap_junction=fixed_cj,
        backside_power_rail="backside power" in dt.lower(),
        dielectric_wall="dielectric wall" in dt.lower(),
        cfet_sram="cfet" in dt.lower(),
        description=DESCRIPTIONS[nm],
        source="NeuroSim V1.4 (DNN_NeuroSim_V1.4 ac828e6): Technology.cpp, Param.cpp, "
               "constant.h; manual Tables II/III",
        manual_table_ii=node.get("manual_table_II", {}),
        manual_table_iii=node.get("manual_table_III", {}),
        fin_or_sheet_count_readme=node.get("fin_or_sheet_count_per_transistor_README", ""),
        circuit_fits=previous.circuit_fits if previous is not None else {},
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("spec", type=Path, nargs="?",
                    default=ROOT.parent / "shared" / "spec" / "technology_nodes.json")
    args = ap.parse_args()
    spec = json.loads(args.spec.read_text())
    for key in spec["nodes"]:
        nm = int(key)
        out = (ROOT / "plugins" / "techs" / f"neurosim-tech-{nm}nm" / "src"
               / f"neurosim_tech_{nm}nm" / "node.json")
        node = build(spec, nm, TechNode.from_json(out) if out.exists() else None)
        out.parent.mkdir(parents=True, exist_ok=True)
        node.to_json(out)
        assert TechNode.from_json(out) == node
        print(out.relative_to(ROOT))


if __name__ == "__main__":
    main()
