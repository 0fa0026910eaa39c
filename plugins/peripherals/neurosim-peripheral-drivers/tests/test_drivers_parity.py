"""Parity of the drive circuits with NeuroSim V1.4's C++ classes.

``data/drivers_cpp_reference.json`` holds, per node (22, 14, 7, 2, 1 nm LSTP and 130 nm HP:
planar, FinFET and GAA layouts) and
per case, the C++ call arguments (as SubArray.cpp uses them, plus the other branches) and
the area / latency / energy / leakage (and the output ramp, gate resistance and gate / drain
capacitances that SubArray.cpp reads back) the compiled NeuroSim V1.4 C++ printed with ``%.17g``.
Every number must match to 1e-9 relative.
"""

from __future__ import annotations

import dataclasses
import json
import math
from functools import lru_cache
from pathlib import Path

import pytest

from neurosim.config import load_config
from neurosim.engine.context import Context, build_context
from neurosim.primitives import formula
from neurosim.primitives.constants import INV, NMOS, PMOS, CellAccessType

REFERENCE = json.loads((Path(__file__).parent / "data" / "drivers_cpp_reference.json").read_text())
FIELDS = ("height", "width", "area", "read_latency", "write_latency", "read_dynamic_energy",
          "write_dynamic_energy", "leakage", "read_power", "write_power")
ROLE = {
    "RowDecoder": "row_decoder", "DecoderDriver": "decoder_driver",
    "WLDecoderOutput": "wl_decoder_output", "WLNewDecoderDriver": "wl_new_decoder_driver",
    "Mux": "mux", "NewMux": "new_mux", "DeMux": "demux", "SwitchMatrix": "switch_matrix",
    "NewSwitchMatrix": "new_switch_matrix", "LevelShifter": "level_shifter",
    "Precharger": "precharger", "SRAMWriteDriver": "sram_write_driver",
}
CASES = [(node, name) for node, data in REFERENCE["nodes"].items() for name in data["cases"]]


@lru_cache(maxsize=None)
def _base_context(node: str, compat_bugs: bool = True) -> Context:
    data = REFERENCE["nodes"][node]
    return build_context(load_config(overrides={"tech": data["tech"],
                                                "device_roadmap": data["device_roadmap"],
                                                "compat_bugs": compat_bugs}))


def _context(node: str, access: str = "cmos", param: dict | None = None,
             compat_bugs: bool = True) -> Context:
    """A fresh context for one case: the reference cell values and sub-array line RC."""
    base = _base_context(node, compat_bugs)
    access_type = CellAccessType.CMOS_ACCESS if access == "cmos" else CellAccessType.NONE_ACCESS
    cell = dataclasses.replace(base.cell, access_type=access_type, **REFERENCE["cell"])
    new_param = dataclasses.replace(base.param, **REFERENCE["param"], **(param or {}))
    return Context(config=base.config, param=new_param, tech=base.tech, cell=cell,
                   input=base.input, registry=base.registry)


def _run(ctx: Context, case: dict):
    unit = ctx.circuit(ROLE[case["class"]])(ctx)
    unit.initialize(*case["initialize"])
    unit.calculate_area(*case["calculate_area"])
    for args in case["calculate_latency"]:
        unit.calculate_latency(*args)
    unit.calculate_power(*case["calculate_power"])
    return unit


@pytest.mark.parametrize("node", sorted(REFERENCE["nodes"]))
def test_derived_params_match_cpp(node):
    """The per-node Param.cpp values these circuits read (NeuroSim V1.4 C++ printout)."""
    want = REFERENCE["nodes"][node]["cpp_param"]
    p = _base_context(node).param
    got = {"sizingfactor_MUX": p.sizingfactor_mux, "sizingfactor_WLdecoder":
           p.sizingfactor_w_ldecoder, "switchmatrixsizeratio": p.switchmatrixsizeratio,
           "newswitchmatrixsizeratio": p.newswitchmatrixsizeratio,
           "buffernumber": p.buffernumber, "alpha": p.alpha, "epsilon": p.epsilon,
           "numColSubArray": p.num_col_sub_array, "validated": float(p.validated)}
    assert got == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("node,name", CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_matches_neurosim_cpp(node, name):
    case = REFERENCE["nodes"][node]["cases"][name]
    unit = _run(_context(node, case["access"], case["param"]), case)
    assert set(FIELDS) <= set(case["expected"])
    for field in case["expected"]:  # FunctionUnit figures plus what SubArray reads back
        want = case["expected"][field]
        got = getattr(unit, field)
        assert math.isclose(got, want, rel_tol=1e-9, abs_tol=0.0), (
            f"{name} @ {node}: {field} = {got!r}, NeuroSim C++ gives {want!r}")


# --- the reproduced NeuroSim defects, switched off ----------------------------------------
def _case(node: str, name: str) -> dict:
    return REFERENCE["nodes"][node]["cases"][name]


def test_decoder_driver_write_latency_without_accumulation():
    """C++ adds each call's write delay onto the previous write latency: two calls with
    numWrite = 64 give (64 t + t) * 64 = 65 * 64 t, t = the read latency (numRead = 1).
    Corrected, the second call gives 64 t."""
    case = _case("22nm-lstp", "dd_row")
    cpp = case["expected"]
    assert cpp["write_latency"] == pytest.approx(65 * 64 * cpp["read_latency"], rel=1e-12)
    unit = _run(_context("22nm-lstp", compat_bugs=False), case)
    assert unit.write_latency == pytest.approx(64 * cpp["read_latency"], rel=1e-12)


def test_row_decoder_counts_address_inverter_columns():
    """REGULAR_ROW at a fixed height: corrected, the 7 address inverters fit one column, so
    the width grows by exactly one inverter width over NeuroSim's."""
    case = _case("22nm-lstp", "rd_wl")
    ctx = _context("22nm-lstp", compat_bugs=False)
    unit = _run(ctx, case)
    f = ctx.tech.feature_size
    _, _, w_inv = formula.calculate_gate_area(INV, 1, unit.width_inv_n, unit.width_inv_p,
                                              28 * f, ctx.tech)
    assert unit.num_col_inv == 1
    assert unit.width == pytest.approx(case["expected"]["width"] + w_inv, rel=1e-12)


def test_new_mux_uses_its_transmission_gate_resistance():
    """NeuroSim's NewMux reads an unset resTg (0 -> zero read latency); corrected, the delay
    is 2.3 R_tg (C_drain + C_gn/2 + C_gp/2 + C_load) with R_tg = R_n || R_p."""
    case = _case("22nm-lstp", "nmux")
    assert case["expected"]["read_latency"] == 0.0
    ctx = _context("22nm-lstp", compat_bugs=False)
    unit = _run(ctx, case)
    temp = ctx.input.temperature
    r_n = formula.calculate_on_resistance_normal(unit.width_tg_n, NMOS, temp, ctx.tech)
    r_p = formula.calculate_on_resistance_normal(unit.width_tg_p, PMOS, temp, ctx.tech)
    res = 1 / (1 / r_n + 1 / r_p)
    want = 2.3 * res * (unit.cap_tg_drain + 0.5 * unit.cap_tg_gate_n + 0.5 * unit.cap_tg_gate_p
                        + 1e-15)
    assert unit.read_latency == pytest.approx(want, rel=1e-12) and want > 0


def test_demux_folds_pass_gates_with_real_width():
    """NeuroSim truncates the DeMux pass-gate width to an int (0 m -> -1 folds, negative
    drain cap and latency at 22 nm); corrected, 16 pairs in 2560 F give 80 F per gate,
    i.e. int(80 F / (0.5 * 7.6 F)) - 1 = 20 folds."""
    case = _case("22nm-lstp", "demux_w")
    assert case["expected"]["read_latency"] < 0
    ctx = _context("22nm-lstp", compat_bugs=False)
    unit = _run(ctx, case)
    _, h_tg, _ = formula.calculate_pass_gate_area(unit.width_tg_n, unit.width_tg_p, ctx.tech, 20)
    _, h_inv, _ = formula.calculate_gate_area(INV, 1, unit.width_inv_n, unit.width_inv_p,
                                              28 * ctx.tech.feature_size, ctx.tech)
    assert unit.height == pytest.approx(max(h_tg, h_inv), rel=1e-12)
    assert unit.read_latency > 0


def test_new_switch_matrix_pmos_resistance():
    """NeuroSim sizes the NewSwitchMatrix PMOS half with the NMOS on-resistance; corrected,
    R_tg = R_n(W_n) || R_p(W_p). (At FinFET/GAA nodes the N and P on-currents are equal, so
    the defect shows at planar nodes only.)"""
    case = _case("22nm-lstp", "nsm")
    ctx = _context("22nm-lstp", compat_bugs=False)
    unit = _run(ctx, case)
    temp = ctx.input.temperature
    r_n = formula.calculate_on_resistance_normal(unit.width_tg_n, NMOS, temp, ctx.tech)
    r_p = formula.calculate_on_resistance_normal(unit.width_tg_p, PMOS, temp, ctx.tech)
    assert unit.res_tg == pytest.approx(1 / (1 / r_n + 1 / r_p), rel=1e-12)
    assert unit.read_latency > case["expected"]["read_latency"]  # R_p > R_n: slower


def test_level_shifter_needs_a_fixed_side():
    from neurosim.errors import NeuroSimError
    ctx = _context("22nm-lstp")
    unit = ctx.circuit("level_shifter")(ctx)
    unit.initialize(128, 0.5, 1e9)
    with pytest.raises(NeuroSimError, match="fixed width or height"):
        unit.calculate_area(0, 0, 0)
