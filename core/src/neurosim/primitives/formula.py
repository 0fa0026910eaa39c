"""Transistor-level formulas shared by every circuit model (NeuroSim V1.4 ``formula.cpp``).

The models are those of NeuroSim / CACTI:

* gate capacitance ``C_g = (C_ideal + C_overlap + C_fringe) * W_eff + L_gate * C_polywire``;
* drain (diffusion) capacitance from the standard-cell layout: bottom-junction area, sidewall
  perimeter and gate-edge terms (planar), bottom junction only for FinFET / GAA nodes;
* on-resistance ``R_on = k_eff * Vdd / (I_on(T) * W_eff)`` from the temperature tables;
* sub-threshold leakage ``I_off(T) * W_eff`` with CACTI's stacking ratios for NAND / NOR;
* Horowitz's gate-delay approximation for a ramp input;
* standard-cell area with transistor folding at a fixed cell height.

Effective transistor width ``W_eff``:

* planar nodes (>= 22 nm) and the non-conventional transistor types: the drawn width;
* FinFET nodes (14 - 3 nm): ``ceil(W / 2F)`` fins times the effective width of one fin;
* GAA nodes (2, 1 nm): ``ceil(W / 2F) * W_sheet * n_sheets / max_fin_per_gaa``.

Node-dependent layout rules (cell height, contacted poly pitch, P/N gap, outer region) are
read from the node's data, ``tech.layout`` (:class:`neurosim.technology.LayoutRules`), and the
branches from its family: ``tech.nonplanar`` (FinFET or GAA; NeuroSim tests
``featureSize <= 14 nm``), ``tech.finfet`` (``14 >= featureSize >= 3 nm``) and ``tech.gaa``.
Nothing here reads NeuroSim's global ``param``: the only "special layout"
switch of ``formula.cpp`` is local and derived from the ``height_transistor_region`` argument
(any height other than ``MAX_TRANSISTOR_HEIGHT * F`` asks for the fin / sheet count that fits
the given height). The caller-side ``param->speciallayout`` switch (GAA tuning factors) lives
in the circuits, which pass its effect through :func:`calculate_gate_capacitance_gaa`.

C++ pointer outputs are returned as tuples (conventions doc). C++ arithmetic is kept where it
changes the last digits: operation order, ``int`` casts (truncation, with x86's
``INT_MIN`` for NaN / out-of-range), ``int / int`` divisions, and IEEE results (inf / nan)
where the C++ divides by zero.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from ..engine.compat_bugs import register_bug
from ..errors import ConfigError
from .constants import (
    AVG_RATIO_LEAK_2INPUT_NAND,
    AVG_RATIO_LEAK_2INPUT_NOR,
    AVG_RATIO_LEAK_3INPUT_NAND,
    AVG_RATIO_LEAK_3INPUT_NOR,
    INV,
    MAX_TRANSISTOR_HEIGHT,
    MAX_TRANSISTOR_HEIGHT_FINFET,
    MIN_GAP_BET_FIELD_POLY,
    MIN_GAP_BET_GATE_POLY,
    MIN_GAP_BET_GATE_POLY_FINFET,
    MIN_GAP_BET_P_AND_N_DIFFS,
    MIN_POLY_EXT_DIFF,
    NAND,
    NMOS,
    NOR,
    POLY_WIDTH,
    POLY_WIDTH_FINFET,
    TransistorType,
)

__all__ = [
    "calculate_gate_cap",
    "calculate_gate_area",
    "calculate_gate_capacitance",
    "calculate_gate_capacitance_gaa",
    "calculate_drain_cap",
    "calculate_gate_leakage",
    "calculate_on_resistance",
    "calculate_on_resistance_normal",
    "calculate_transconductance",
    "horowitz",
    "calculate_pass_gate_area",
    "nonlinear_resistance",
    "enlarge_size",
    "interpolate_temperature_table",
    "temperature_index",
]

_INT_MIN = -2147483648

#: NeuroSim defects reproduced here while ``compat_bugs`` (keyword of the layout functions)
#: is true; circuits pass ``compat_bugs=ctx.bug(NAME)``.
FIN_FOLDS_BUG = register_bug(
    "formula_fin_folds_integer_division",
    "formula.cpp folds a FinFET device (and a GAA device in the capacitance model) into "
    "ceil(fins / max_fins) fingers computed with integer division, i.e. truncated (5 fins, 2 "
    "per finger -> 2 fingers); corrected: the ceiling of the real ratio",
)
INV_SIDEWALL_BUG = register_bug(
    "formula_inv_nmos_sidewall_pmos_folds",
    "CalculateGateCapacitance(_GAA): an inverter's NMOS drain-sidewall perimeter uses the PMOS "
    "folding count; corrected: the NMOS folding count",
)


# ---- C++ arithmetic helpers ----------------------------------------------------------------
def _c_int(x: float) -> int:
    """C++ ``(int)x`` on x86-64: truncation toward zero; NaN or out of range gives INT_MIN."""
    if x != x or x >= 2147483648.0 or x <= -2147483649.0:
        return _INT_MIN
    return int(x)


def _ceil(x: float) -> float:
    """C ``ceil`` (a double; inf and nan pass through)."""
    return float(math.ceil(x)) if math.isfinite(x) else x


def _floor(x: float) -> float:
    """C ``floor`` (a double; inf and nan pass through)."""
    return float(math.floor(x)) if math.isfinite(x) else x


def _div(a: float, b: float) -> float:
    """IEEE-754 ``a / b``: a zero divisor gives +-inf or nan instead of an exception."""
    if b == 0:
        if a == 0 or a != a:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _idiv(a: int, b: int) -> int:
    """C++ ``int / int`` (truncation toward zero). NeuroSim would crash on a zero divisor."""
    if b == 0:
        raise ZeroDivisionError("integer division by zero in the gate-layout model "
                                "(NeuroSim V1.4 crashes here as well)")
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _imod(a: int, b: int) -> int:
    """C++ ``int % int`` (the remainder takes the sign of the dividend)."""
    return a - b * _idiv(a, b)


def _folds(num: int, limit: int, compat_bugs: bool) -> int:
    """Fingers of a device of ``num`` fins with ``limit`` per finger: ``ceil(num / limit)``,
    with NeuroSim's integer division (truncation) while ``compat_bugs``."""
    if compat_bugs:
        return _c_int(float(_idiv(num, limit)))
    return _c_int(_ceil(_div(num, limit)))


def _cmax(a: float, b: float) -> float:
    """NeuroSim's ``MAX(a, b)`` macro, ``a > b ? a : b`` (NaN picks ``b``)."""
    return a if a > b else b


def _sqrt(x: float) -> float:
    return math.sqrt(x) if x >= 0 else math.nan


def _is_bulk(tech: Any) -> bool:
    """Planar layout rules: a planar node or a non-conventional transistor type."""
    return not tech.nonplanar or tech.transistor_type != TransistorType.CONVENTIONAL


def _scaled_cell_height(height: float, tech: Any) -> float:
    """Standard-cell height rescaled to the node's published FinFET / GAA cell height."""
    height *= MAX_TRANSISTOR_HEIGHT_FINFET / MAX_TRANSISTOR_HEIGHT
    if tech.nonplanar:
        height *= tech.layout.max_transistor_height / MAX_TRANSISTOR_HEIGHT_FINFET
    return height


def _fit_count(height: float, tech: Any) -> float:
    """Fins (or sheets) per device that fit a cell of ``height`` (special layout rule)."""
    fs = tech.feature_size
    rules = tech.layout
    span = (height - rules.min_gap_bet_p_and_n_diffs * fs - rules.outer_height_region * fs)
    return _floor(_div((span + tech.pitch_fin) / 2.0, tech.width_fin + tech.pitch_fin))


def _bulk_max_widths(ratio: float, height: float, fs: float) -> tuple[float, float]:
    """Largest unfolded (PMOS, NMOS) widths of a planar cell of ``height``."""
    edge = (MIN_POLY_EXT_DIFF + MIN_GAP_BET_FIELD_POLY / 2) * 2 * fs
    if ratio == 0:
        return 0.0, height - edge
    if ratio == 1:
        return height - edge, 0.0
    max_p = ratio * (height - MIN_GAP_BET_P_AND_N_DIFFS * fs - edge)
    return max_p, _div(max_p, ratio) * (1 - ratio)


def _split_fins(ratio: float, fin_p: int, fin_n: int, sheet_p: float, sheet_n: float,
                max_fin_per_gaa: float, sheet_is_int: bool) -> tuple[int, int, float, float]:
    """Share the fin (sheet) budget of a cell between PMOS and NMOS in proportion ``ratio``.

    Returns the folding limits ``(max P fins, max N fins, max P sheets, max N sheets)``.
    ``sheet_is_int`` reproduces the C++ type of the sheet counters (``int`` in the capacitance
    functions, ``double`` in the area function).
    """
    temp_p = 2.0 * fin_p
    temp_n = 2.0 * fin_n
    temp_p_ns = 2.0 * sheet_p
    temp_n_ns = 2.0 * sheet_n
    if ratio == 0:
        sheet_n_new = float(_c_int(temp_n_ns)) if sheet_is_int else temp_n_ns
        return 0, _c_int(temp_n), 0.0, sheet_n_new
    if ratio == 1:
        sheet_p_new = float(_c_int(temp_p_ns)) if sheet_is_int else temp_p_ns
        return _c_int(temp_p), 0, sheet_p_new, 0.0
    if ratio > 0.5:
        n_ratio = _c_int(temp_n * (1 - ratio))
        p_ratio = _c_int(temp_n - n_ratio)
    else:
        p_ratio = _c_int(temp_p * ratio)
        n_ratio = _c_int(temp_p - p_ratio)
    p_ns_ratio = n_ns_ratio = _c_int(max_fin_per_gaa)
    if p_ratio == 0:
        p_ratio += 1
        n_ratio = 2 * fin_p - p_ratio
    if n_ratio == 0:
        n_ratio += 1
        p_ratio = 2 * fin_n - n_ratio
    if p_ns_ratio == 0:
        p_ns_ratio += 1
        n_ns_ratio = _c_int(2 * sheet_p - p_ns_ratio)
    if n_ns_ratio == 0:
        n_ns_ratio += 1
        p_ns_ratio = _c_int(2 * sheet_n - n_ns_ratio)
    return p_ratio, n_ratio, float(p_ns_ratio), float(n_ns_ratio)


def _fin_width_eff(width: float, tech: Any) -> float:
    """Effective width ``W_eff`` of the capacitance / leakage model (multiply by 1/2F)."""
    fs = tech.feature_size
    if _is_bulk(tech):
        return width
    width *= 1 / (2 * fs)
    if tech.finfet:
        return _c_int(_ceil(width)) * tech.effective_width
    return _div(_c_int(_ceil(width)) * tech.effective_width * tech.max_sheet_num,
                tech.max_fin_per_gaa)


def temperature_index(temperature: float) -> int:
    """Row of the 101-entry 300-400 K current tables: ``(int)T - 300``."""
    index = _c_int(temperature) - 300
    if index > 100 or index < 0:
        raise ConfigError(f"temperature {temperature:g} K is out of range: the transistor "
                          "current tables cover 300-400 K (NeuroSim: 'Temperature is out of "
                          "range')")
    return index


def interpolate_temperature_table(table: Sequence[float]) -> list[float]:
    """Fill a 101-entry current table (1 K steps) from its entries at every 10 K.

    ``table`` has 101 entries of which indices 0, 10, ..., 100 are read; entry ``i`` becomes
    ``a + (b - a) * (i % 10) / 10`` between its 10 K neighbours ``a`` and ``b`` (the linear
    interpolation of Technology.cpp, same operation order).
    """
    out = list(table)
    for i in range(1, 100):
        if i % 10:
            a = out[i // 10 * 10]
            b = out[i // 10 * 10 + 10]
            out[i] = a + (b - a) * (i % 10) / 10
    return out


# ---- public formulas ------------------------------------------------------------------------
def calculate_gate_cap(width: float, tech: Any) -> float:
    """Gate capacitance of one transistor of drawn width ``width`` (m), in F.

    ``C_g = (C_ideal_gate + C_overlap + C_fringe) * W_eff + L_gate * C_polywire`` with
    ``W_eff`` the drawn width (planar), ``ceil(W/2F)`` fins or GAA sheets (module docstring).
    """
    width_eff = _fin_width_eff(width, tech)
    return ((tech.cap_ideal_gate + tech.cap_overlap + tech.cap_fringe) * width_eff
            + tech.phy_gate_length * tech.cap_polywire)


def calculate_gate_area(gate_type: int, num_input: int, width_nmos: float, width_pmos: float,
                        height_transistor_region: float, tech: Any, *,
                        compat_bugs: bool = True) -> tuple[float, float, float]:
    """Layout area of an INV / NOR / NAND standard cell of fixed height.

    Transistors wider than the cell allows are folded: the planar rule splits the usable
    height between PMOS and NMOS in proportion to their widths; FinFET / GAA nodes share the
    fin (sheet) budget of the cell. Each finger costs one (contacted) poly pitch; series
    stacks of unfolded NAND / NOR transistors share source/drain regions.

    Returns ``(area, height, width)`` in m^2, m, m (height = the cell height actually used).
    ``compat_bugs`` reproduces :data:`FIN_FOLDS_BUG`.
    """
    fs = tech.feature_size
    special = height_transistor_region != fs * MAX_TRANSISTOR_HEIGHT
    bulk = _is_bulk(tech)
    if tech.nonplanar:  # fin / sheet counts (the C++ divides here, it multiplies elsewhere)
        width_nmos = width_nmos * 1 / (2 * fs)
        width_pmos = width_pmos * 1 / (2 * fs)
        height_transistor_region = _scaled_cell_height(height_transistor_region, tech)
    height = height_transistor_region
    ratio = _div(width_pmos, width_pmos + width_nmos)

    cpp = POLY_WIDTH + MIN_GAP_BET_GATE_POLY
    cpp_adv = POLY_WIDTH_FINFET + MIN_GAP_BET_GATE_POLY_FINFET
    if tech.nonplanar:
        cpp_adv = tech.layout.cpp

    folded_p = folded_n = 1
    if bulk:
        max_p, max_n = _bulk_max_widths(ratio, height, fs)
        if width_pmos > 0:
            if width_pmos <= max_p:
                unit_p = 2 * cpp * fs
            else:
                folded_p = _c_int(_ceil(_div(width_pmos, max_p)))
                unit_p = (folded_p + 1) * cpp * fs
        else:
            unit_p = 0.0
        if width_nmos > 0:
            if width_nmos <= max_n:
                unit_n = 2 * cpp * fs
            else:
                folded_n = _c_int(_ceil(_div(width_nmos, max_n)))
                unit_n = (folded_n + 1) * cpp * fs
        else:
            unit_n = 0.0
    else:
        fin_p = fin_n = 0  # uninitialised in the C++ for GAA nodes, where it is never used
        sheet_p = sheet_n = 0.0
        if not special:
            if tech.finfet:
                fin_p = fin_n = _c_int(tech.max_fin_num)
            elif tech.gaa:
                sheet_p = sheet_n = float(tech.max_fin_per_gaa)
        else:
            if tech.finfet:
                fin_p = fin_n = _c_int(_fit_count(height, tech))
            elif tech.gaa:
                sheet_p = sheet_n = _fit_count(height, tech)
        fin_p, fin_n, sheet_p, sheet_n = _split_fins(ratio, fin_p, fin_n, sheet_p, sheet_n,
                                                     tech.max_fin_per_gaa, sheet_is_int=False)
        if tech.finfet:
            num_p = _c_int(_ceil(width_pmos))
            if num_p > 0:
                if num_p <= fin_p:
                    unit_p = 2 * cpp_adv * fs
                else:
                    folded_p = _folds(num_p, fin_p, compat_bugs)
                    unit_p = (folded_p + 1) * cpp_adv * fs
            else:
                unit_p = 0.0
            num_n = _c_int(_ceil(width_nmos))
            if num_n > 0:
                if num_n <= fin_n:
                    unit_n = 2 * cpp_adv * fs
                else:
                    folded_n = _folds(num_n, fin_n, compat_bugs)
                    unit_n = (folded_n + 1) * cpp_adv * fs
            else:
                unit_n = 0.0
        else:
            num_p = _c_int(_ceil(width_pmos))
            if num_p > 0:
                if num_p <= sheet_p:
                    unit_p = 2 * cpp_adv * fs
                else:
                    folded_p = _c_int(_ceil(_div(num_p, sheet_p)))
                    unit_p = (folded_p + 1) * cpp_adv * fs
            else:
                unit_p = 0.0
            num_n = _c_int(_ceil(width_nmos))
            if num_n > 0:
                if num_n <= sheet_n:
                    unit_n = 2 * cpp_adv * fs
                else:
                    folded_n = _c_int(_ceil(_div(num_n, sheet_n)))
                    unit_n = (folded_n + 1) * cpp_adv * fs
            else:
                unit_n = 0.0

    if gate_type == INV:
        region_p, region_n = unit_p, unit_n
    elif gate_type in (NOR, NAND):
        if folded_p == 1 and folded_n == 1:  # unfolded stacks share source/drain regions
            pitch = cpp if bulk else cpp_adv
            region_p = unit_p * num_input - (num_input - 1) * fs * pitch
            region_n = unit_n * num_input - (num_input - 1) * fs * pitch
        else:
            region_p = unit_p * num_input
            region_n = unit_n * num_input
    else:
        region_p = region_n = 0.0
    width = _cmax(region_n, region_p)
    return width * height, height, width


def _gate_switch(gate_type: int, num_input: int, width_nmos: float, width_pmos: float,
                 folded_p: int, folded_n: int, unit_drain_p: float, unit_drain_n: float,
                 unit_source_p: float, unit_source_n: float, height_drain_p: float,
                 height_drain_n: float, compat_bugs: bool) -> tuple[float, float, float, float]:
    """Drain widths and sidewall perimeters ``(wDP, wDN, swP, swN)`` of the output node."""
    wdp = wdn = swp = swn = 0.0
    if gate_type == INV:
        if width_pmos > 0:
            wdp = unit_drain_p
            swp = wdp * 2 + height_drain_p * (1 + _imod(folded_p + 1, 2))
        if width_nmos > 0:
            wdn = unit_drain_n
            folds = folded_p if compat_bugs else folded_n  # INV_SIDEWALL_BUG
            swn = wdn * 2 + height_drain_n * (1 + _imod(folds + 1, 2))
    elif gate_type == NOR:
        if folded_p == 1 and folded_n == 1:
            if width_pmos > 0:
                wdp = unit_drain_p * num_input
                swp = wdp * 2 + height_drain_p
            if width_nmos > 0:
                wdn = unit_drain_n * _c_int(_floor((num_input + 1) / 2))
                swn = wdn * 2 + height_drain_n * (1 - _imod(num_input + 1, 2))
        else:
            if width_pmos > 0:
                wdp = unit_drain_p * num_input + (num_input - 1) * unit_source_p
                swp = (wdp * 2
                       + height_drain_p * (1 + _imod(folded_p + 1, 2)) * num_input
                       + height_drain_p * (1 - _imod(folded_p + 1, 2)) * (num_input - 1))
            if width_nmos > 0:
                wdn = unit_drain_n * num_input
                swn = wdn * 2 + height_drain_n * (1 + _imod(folded_n + 1, 2)) * num_input
    elif gate_type == NAND:
        if folded_p == 1 and folded_n == 1:
            if width_pmos > 0:
                wdp = unit_drain_p * _c_int(_floor((num_input + 1) / 2))
                swp = wdp * 2 + height_drain_p * (1 - _imod(num_input + 1, 2))
            if width_nmos > 0:
                wdn = unit_drain_n * num_input
                swn = wdn * 2 + height_drain_n
        else:
            if width_pmos > 0:
                wdp = unit_drain_p * num_input
                swp = wdp * 2 + height_drain_p * (1 + _imod(folded_p + 1, 2)) * num_input
            if width_nmos > 0:
                wdn = unit_drain_n * num_input + (num_input - 1) * unit_source_n
                swn = (wdn * 2
                       + height_drain_n * (1 + _imod(folded_n + 1, 2)) * num_input
                       + height_drain_n * (1 - _imod(folded_n + 1, 2)) * (num_input - 1))
    return wdp, wdn, swp, swn


def _drain_fingers(num: int, limit: int, fs: float, gap: float, fin_width: float,
                   compat_bugs: bool) -> tuple[int, float, float, float]:
    """Folding of one FinFET / GAA device with ``num`` fins (sheets) and at most ``limit``
    per finger: ``(folds, drain width, source width, drain height)``."""
    if num <= 0:
        return 1, 0.0, 0.0, 0.0
    if num <= limit:
        width = fs * gap
        return 1, width, width, num * fin_width
    folded = _folds(num, limit, compat_bugs)
    drain = _c_int(_ceil((folded + 1) / 2)) * fs * gap
    source = _c_int(_floor((folded + 1) / 2)) * fs * gap
    return folded, drain, source, limit * fin_width


def _output_cap(tech: Any, wdp: float, wdn: float, swp: float, swn: float,
                folded_p: int, folded_n: int, hdp: float, hdn: float) -> float:
    """Drain junction (bottom + sidewall + gate-edge) capacitance of the output node."""
    bottom_n = wdn * hdn * tech.cap_junction
    bottom_p = wdp * hdp * tech.cap_junction
    side_p = swp * tech.cap_sidewall
    side_n = swn * tech.cap_sidewall
    channel_n = folded_n * hdn * tech.cap_drain_to_channel
    channel_p = folded_p * hdp * tech.cap_drain_to_channel
    if tech.nonplanar:  # FinFET / GAA: bottom junction only
        return bottom_n + bottom_p
    return bottom_n + bottom_p + side_n + side_p + channel_n + channel_p


def _finfet_limits(tech: Any, height: float, special: bool) -> tuple[int, int, float, float,
                                                                          float, float]:
    """Per-node fin / sheet limits, poly width and CPP of the capacitance model.

    Returns ``(fin_p, fin_n, sheet_p, sheet_n, poly_width, cpp)`` before the P/N split.
    """
    fin_p = fin_n = 0
    sheet_p = sheet_n = 0  # uninitialised int in the C++ for FinFET nodes, never used there
    poly = POLY_WIDTH_FINFET
    cpp_adv = POLY_WIDTH_FINFET + MIN_GAP_BET_GATE_POLY_FINFET
    if tech.finfet:
        fin_p = fin_n = _c_int(tech.max_fin_num)
        poly, cpp_adv = tech.layout.poly_width, tech.layout.cpp
    elif tech.gaa:
        sheet_p = sheet_n = _c_int(tech.max_fin_per_gaa)
        poly, cpp_adv = tech.layout.poly_width, tech.layout.cpp
    if special:
        if tech.finfet:
            fin_p = fin_n = _c_int(_fit_count(height, tech))
        elif tech.gaa:
            sheet_p = sheet_n = _c_int(_fit_count(height, tech))
    return fin_p, fin_n, float(sheet_p), float(sheet_n), poly, cpp_adv


def calculate_gate_capacitance(gate_type: int, num_input: int, width_nmos: float,
                               width_pmos: float, height_transistor_region: float, tech: Any,
                               *, with_input: bool = True, with_output: bool = True,
                               compat_bugs: bool = True) -> tuple[float | None, float | None]:
    """Input and output capacitance of an INV / NOR / NAND standard cell, in F.

    Input: the gate capacitance of one NMOS plus one PMOS (:func:`calculate_gate_cap`).
    Output: the drain junction capacitance of the devices on the output node, from the
    folded layout of :func:`calculate_gate_area` (bottom junction ``C_j * area``, sidewall
    ``C_jsw * perimeter`` and gate-edge ``C_jswg * height`` for planar nodes; bottom junction
    only for FinFET / GAA nodes).

    Returns ``(cap_input, cap_output)``. ``with_input`` / ``with_output`` false stand for a
    NULL pointer in the C++ (that part is skipped and returned as None). ``compat_bugs``
    reproduces :data:`FIN_FOLDS_BUG` and :data:`INV_SIDEWALL_BUG`.
    """
    cap_input = cap_output = None
    if with_input:
        cap_input = calculate_gate_cap(width_nmos, tech) + calculate_gate_cap(width_pmos, tech)
    if not with_output:
        return cap_input, cap_output
    fs = tech.feature_size
    special = height_transistor_region != fs * MAX_TRANSISTOR_HEIGHT
    if tech.nonplanar:
        width_nmos *= 1 / (2 * fs)
        width_pmos *= 1 / (2 * fs)
        height_transistor_region = _scaled_cell_height(height_transistor_region, tech)
    height = height_transistor_region
    ratio = _div(width_pmos, width_pmos + width_nmos)
    folded_p = folded_n = 1
    if _is_bulk(tech):
        max_p, max_n = _bulk_max_widths(ratio, height, fs)
        unit = fs * MIN_GAP_BET_GATE_POLY
        udp = usp = hdp = 0.0
        if width_pmos > 0:
            if width_pmos <= max_p:
                udp = usp = unit
                hdp = width_pmos
            else:
                folded_p = _c_int(_ceil(_div(width_pmos, max_p)))
                udp = _c_int(_ceil((folded_p + 1) / 2)) * fs * MIN_GAP_BET_GATE_POLY
                usp = _c_int(_floor((folded_p + 1) / 2)) * fs * MIN_GAP_BET_GATE_POLY
                hdp = max_p
        udn = usn = hdn = 0.0
        if width_nmos > 0:
            if width_nmos <= max_n:
                udn = usn = unit
                hdn = width_nmos
            else:
                folded_n = _c_int(_ceil(_div(width_nmos, max_n)))
                udn = _c_int(_ceil((folded_n + 1) / 2)) * fs * MIN_GAP_BET_GATE_POLY
                usn = _c_int(_floor((folded_n + 1) / 2)) * fs * MIN_GAP_BET_GATE_POLY
                hdn = max_n
    else:
        fin_p, fin_n, sheet_p, sheet_n, poly, cpp_adv = _finfet_limits(tech, height, special)
        fin_p, fin_n, sheet_p, sheet_n = _split_fins(ratio, fin_p, fin_n, sheet_p, sheet_n,
                                                     tech.max_fin_per_gaa, sheet_is_int=True)
        gap = cpp_adv - poly
        if tech.finfet:
            limit_p, limit_n = fin_p, fin_n
        else:
            limit_p, limit_n = int(sheet_p), int(sheet_n)
        folded_p, udp, usp, hdp = _drain_fingers(_c_int(_ceil(width_pmos)), limit_p, fs, gap,
                                                 tech.width_fin, compat_bugs)
        folded_n, udn, usn, hdn = _drain_fingers(_c_int(_ceil(width_nmos)), limit_n, fs, gap,
                                                 tech.width_fin, compat_bugs)
    wdp, wdn, swp, swn = _gate_switch(gate_type, num_input, width_nmos, width_pmos, folded_p,
                                      folded_n, udp, udn, usp, usn, hdp, hdn, compat_bugs)
    cap_output = _output_cap(tech, wdp, wdn, swp, swn, folded_p, folded_n, hdp, hdn)
    return cap_input, cap_output


def calculate_gate_capacitance_gaa(gate_type: int, num_input: int, width_nmos: float,
                                   width_pmos: float, height_transistor_region: float,
                                   tech: Any, gatefactor: float, ntuningfactor: float,
                                   ptuningfactor: float, *, with_input: bool = True,
                                   with_output: bool = True, compat_bugs: bool = True
                                   ) -> tuple[float | None, float | None]:
    """Cell capacitances with NeuroSim V1.4's GAA special-layout tuning factors.

    As :func:`calculate_gate_capacitance` for a nanosheet layout, except that the input
    capacitance is scaled by ``gatefactor`` and the drain height of each sheet by
    ``ntuningfactor`` (NMOS) / ``ptuningfactor`` (PMOS). The sheet-folding layout is used
    whatever the node (the C++ calls it only at 2 and 1 nm with ``param->speciallayout``; at
    other nodes the C++ reads an uninitialised sheet limit, here 0, which may raise
    ``ZeroDivisionError``). ``compat_bugs`` as in :func:`calculate_gate_capacitance`.

    Returns ``(cap_input, cap_output)``.
    """
    cap_input = cap_output = None
    if with_input:
        cap_input = gatefactor * (calculate_gate_cap(width_nmos, tech)
                                  + calculate_gate_cap(width_pmos, tech))
    if not with_output:
        return cap_input, cap_output
    fs = tech.feature_size
    special = height_transistor_region != fs * MAX_TRANSISTOR_HEIGHT
    if tech.nonplanar:
        width_nmos *= 1 / (2 * fs)
        width_pmos *= 1 / (2 * fs)
        height_transistor_region = _scaled_cell_height(height_transistor_region, tech)
    height = height_transistor_region
    ratio = _div(width_pmos, width_pmos + width_nmos)
    fin_p, fin_n, sheet_p, sheet_n, poly, cpp_adv = _finfet_limits(tech, height, special)
    fin_p, fin_n, sheet_p, sheet_n = _split_fins(ratio, fin_p, fin_n, sheet_p, sheet_n,
                                                 tech.max_fin_per_gaa, sheet_is_int=True)
    gap = cpp_adv - poly
    folded_p, udp, usp, hdp = _drain_fingers(_c_int(_ceil(width_pmos)), int(sheet_p), fs, gap,
                                             tech.width_fin * ptuningfactor, compat_bugs)
    folded_n, udn, usn, hdn = _drain_fingers(_c_int(_ceil(width_nmos)), int(sheet_n), fs, gap,
                                             tech.width_fin * ntuningfactor, compat_bugs)
    wdp, wdn, swp, swn = _gate_switch(gate_type, num_input, width_nmos, width_pmos, folded_p,
                                      folded_n, udp, udn, usp, usn, hdp, hdn, compat_bugs)
    cap_output = _output_cap(tech, wdp, wdn, swp, swn, folded_p, folded_n, hdp, hdn)
    return cap_input, cap_output


def calculate_drain_cap(width: float, type: int, height_transistor_region: float,
                        tech: Any, *, compat_bugs: bool = True) -> float:
    """Drain capacitance of a single NMOS (``type`` = NMOS) or PMOS transistor, in F.

    The output capacitance of an inverter holding only that transistor
    (:func:`calculate_gate_capacitance`).
    """
    if type == NMOS:
        return calculate_gate_capacitance(INV, 1, width, 0, height_transistor_region, tech,
                                          with_input=False, compat_bugs=compat_bugs)[1]
    return calculate_gate_capacitance(INV, 1, 0, width, height_transistor_region, tech,
                                      with_input=False, compat_bugs=compat_bugs)[1]


def calculate_gate_leakage(gate_type: int, num_input: int, width_nmos: float,
                           width_pmos: float, temperature: float, tech: Any) -> float:
    """Sub-threshold leakage current of an INV / NOR / NAND cell, in A.

    ``I_leak = W_eff * I_off(T)``; an inverter averages its two input states; NOR (NAND)
    cells leak through their parallel NMOS (PMOS) devices times CACTI's average stacking
    ratio (2-input: 0.95 / 0.48, otherwise 0.62 / 0.31). Raises for T outside 300-400 K.
    """
    index = temperature_index(temperature)
    fs = tech.feature_size
    if _is_bulk(tech):
        eff_n, eff_p = width_nmos, width_pmos
    elif tech.finfet:
        width_nmos *= 1 / (2 * fs)
        width_pmos *= 1 / (2 * fs)
        eff_n = _c_int(_ceil(width_nmos)) * tech.effective_width
        eff_p = _c_int(_ceil(width_pmos)) * tech.effective_width
    else:
        width_nmos *= 1 / (2 * fs)
        width_pmos *= 1 / (2 * fs)
        eff_n = _div(_c_int(_ceil(width_nmos)) * tech.effective_width * tech.max_sheet_num,
                     tech.max_fin_per_gaa)
        eff_p = _div(_c_int(_ceil(width_pmos)) * tech.effective_width * tech.max_sheet_num,
                     tech.max_fin_per_gaa)
    leak_n = tech.current_off_nmos[index]
    leak_p = tech.current_off_pmos[index]
    if gate_type == INV:
        return (eff_n * leak_n + eff_p * leak_p) / 2
    if gate_type == NOR:
        leakage = eff_n * leak_n * num_input
        return (AVG_RATIO_LEAK_2INPUT_NOR if num_input == 2
                else AVG_RATIO_LEAK_3INPUT_NOR) * leakage
    if gate_type == NAND:
        leakage = eff_p * leak_p * num_input
        return (AVG_RATIO_LEAK_2INPUT_NAND if num_input == 2
                else AVG_RATIO_LEAK_3INPUT_NAND) * leakage
    return 0.0


def _on_width_eff(width: float, tech: Any) -> float:
    """``W_eff`` of the on-resistance model (``W / 2F`` rounded up, no int cast)."""
    fs = tech.feature_size
    if _is_bulk(tech):
        return width
    width = width / (2 * fs)
    if tech.finfet:
        return _ceil(width) * tech.effective_width
    return _div(_ceil(width) * tech.effective_width * tech.max_sheet_num, tech.max_fin_per_gaa)


def calculate_on_resistance(width: float, type: int, temperature: float, tech: Any) -> float:
    """Effective on-resistance ``k_eff * Vdd / (I_on(T) * W_eff)`` of one transistor, in ohm.

    ``k_eff`` is CACTI's effective-resistance multiplier (velocity saturation); ``I_on(T)``
    is read from the 101-entry (1 K step) table at ``(int)T - 300``.
    """
    index = temperature_index(temperature)
    eff = _on_width_eff(width, tech)
    current = tech.current_on_nmos[index] if type == NMOS else tech.current_on_pmos[index]
    return _div(tech.effective_resistance_multiplier * tech.vdd, current * eff)


def calculate_on_resistance_normal(width: float, type: int, temperature: float,
                                   tech: Any) -> float:
    """On-resistance ``Vdd / (I_on(T) * W_eff)`` without the effective-resistance multiplier."""
    index = temperature_index(temperature)
    eff = _on_width_eff(width, tech)
    current = tech.current_on_nmos[index] if type == NMOS else tech.current_on_pmos[index]
    return _div(tech.vdd, current * eff)


def calculate_transconductance(width: float, type: int, tech: Any) -> float:
    """Transconductance of one transistor, in S.

    Planar nodes: ``g_m = 2 * I_gm * W / (0.7 * Vdd - Vth)`` (square law at 0.7 Vdd);
    FinFET / GAA nodes: ``g_m = gm_oncurrent * W_eff`` (TCAD gm per unit effective width;
    the FinFET ``W_eff`` here is ``ceil(W/2F) * (2 H_fin + W_fin)``).
    """
    fs = tech.feature_size
    if _is_bulk(tech):
        eff = width
    elif tech.finfet:
        width = width / (2 * fs)
        eff = _c_int(_ceil(width)) * (2 * tech.height_fin + tech.width_fin)
    else:
        width = width / (2 * fs)
        eff = _div(_c_int(_ceil(width)) * tech.effective_width * tech.max_sheet_num,
                   tech.max_fin_per_gaa)
    if not tech.nonplanar:
        current = tech.current_gm_nmos if type == NMOS else tech.current_gm_pmos
        return _div((2 * current) * eff, 0.7 * tech.vdd - tech.vth)
    return tech.gm_oncurrent * eff


def horowitz(tr: float, beta: float, ramp_input: float) -> tuple[float, float]:
    """Horowitz's delay of a gate with time constant ``tr`` driven by a ramp, in s.

    ``t = tr * sqrt(ln(vs)^2 + 2 * alpha * beta * (1 - vs))`` with ``alpha = 1/(ramp_in*tr)``
    and switching voltage ``vs = 0.5``; ``beta`` is fixed at 0.5 as in CACTI (the argument is
    ignored, as in NeuroSim). Returns ``(delay, ramp_output)`` with
    ``ramp_output = (1 - vs) / delay`` (the C++ pointer output; callers passing NULL ignore it).
    """
    alpha = _div(_div(1, ramp_input), tr)
    vs = 0.5
    beta = 0.5
    result = tr * _sqrt(math.log(vs) * math.log(vs) + 2 * alpha * beta * (1 - vs))
    return result, _div(1 - vs, result)


def calculate_pass_gate_area(width_nmos: float, width_pmos: float, tech: Any, num_fold: int
                             ) -> tuple[float, float, float]:
    """Layout area of a transmission gate whose height follows its (folded) width.

    Planar: ``numFold + 1`` poly pitches wide, ``(W_p + W_n)/numFold`` plus the P/N gap and
    poly extensions high. FinFET / GAA: the node's CPP, fins (sheets) split over the folds,
    the node's P/N gap and outer region. Returns ``(area, height, width)``.
    """
    fs = tech.feature_size
    gap_pn = outer = math.nan  # uninitialised in the C++ at planar nodes (never read there)
    cpp_adv = POLY_WIDTH_FINFET + MIN_GAP_BET_GATE_POLY_FINFET
    if tech.nonplanar:
        gap_pn = tech.layout.min_gap_bet_p_and_n_diffs
        outer = tech.layout.outer_height_region
        cpp_adv = tech.layout.cpp
    if _is_bulk(tech):
        width = (num_fold + 1) * (POLY_WIDTH + MIN_GAP_BET_GATE_POLY) * fs
        height = (_div(width_pmos, num_fold) + _div(width_nmos, num_fold)
                  + MIN_GAP_BET_P_AND_N_DIFFS * fs
                  + (MIN_POLY_EXT_DIFF + MIN_GAP_BET_FIELD_POLY / 2) * 2 * fs)
    else:
        width = (num_fold + 1) * cpp_adv * fs
        width_nmos = width_nmos / (2 * fs)
        width_pmos = width_pmos / (2 * fs)
        total_p = _c_int(_ceil(width_pmos))
        total_n = _c_int(_ceil(width_nmos))
        fins_p = _c_int(_ceil(_div(float(total_p), num_fold)))
        fins_n = _c_int(_ceil(_div(float(total_n), num_fold)))
        region_p = (fins_p - 1) * tech.pitch_fin + 2 * tech.width_fin / 2
        region_n = (fins_n - 1) * tech.pitch_fin + 2 * tech.width_fin / 2
        if tech.finfet:  # FinFET: outer region on both cell edges
            height = region_p + region_n + gap_pn * fs + outer * 2 * fs
        else:  # GAA
            height = region_p + region_n + gap_pn * fs + outer * fs
    return width * height, height, width


def nonlinear_resistance(r: float, nl: float, vw: float, vr: float, v: float) -> float:
    """Resistance at voltage ``v`` of a cell with I-V nonlinearity ``nl``.

    ``R(V) = R * V / Vr * NL^((Vr - V) / (Vw / 2))`` where ``R`` is the resistance at the read
    voltage ``Vr`` and ``NL`` the current ratio between ``Vw`` and ``Vw/2``.
    """
    return r * v / vr * math.pow(nl, (vr - v) / (vw / 2))


def enlarge_size(width_nmos: float, width_pmos: float, height_transistor_region: float,
                 tech: Any) -> tuple[float, float]:
    """Grow minimum-size transistors to the largest size the same cell area allows.

    Planar: widths up to the unfolded maxima of the cell height (keeping the P/N ratio).
    FinFET: up to the node's fin budget when the P/N ratio gives whole fins. GAA: up to two
    sheets for a lone device, one sheet each for a pair. Returns ``(width_nmos, width_pmos)``
    (the C++ in/out pointers).
    """
    fs = tech.feature_size
    ratio = _div(width_pmos, width_pmos + width_nmos)
    if _is_bulk(tech):
        max_p, max_n = _bulk_max_widths(ratio, height_transistor_region, fs)
        if ratio == 0 and width_nmos < max_n:
            width_nmos = max_n
        elif ratio == 1 and width_pmos < max_p:
            width_pmos = max_p
        elif 0 < width_pmos < max_p and 0 < width_nmos < max_n:
            width_pmos = max_p
            width_nmos = max_n
    elif tech.finfet:
        fin_p = fin_n = _c_int(tech.max_fin_num)
        num_p = _c_int(_ceil(width_pmos / (2.0 * fs)))
        num_n = _c_int(_ceil(width_nmos / (2.0 * fs)))
        if ratio == 0 and num_n <= fin_n:
            num_n = fin_n
            width_nmos = float(num_n) * 2 * fs
        elif ratio == 1 and num_p <= fin_p:
            num_p = fin_p
            width_pmos = float(num_p) * 2 * fs
        elif 0 < num_p <= fin_p and 0 < num_n <= fin_n:
            if ratio >= 0.5:
                fins = fin_p / ratio * (1 - ratio)
                if fins - _c_int(fins) == 0:  # enlarge only to a whole number of fins
                    num_n = _c_int(fins)
                    num_p = fin_p
            else:
                fins = fin_n / (1 - ratio) * ratio
                if fins - _c_int(fins) == 0:
                    num_p = _c_int(fins)
                    num_n = fin_n
            width_nmos = float(num_n) * 2 * fs
            width_pmos = float(num_p) * 2 * fs
    else:
        num_p = _c_int(_ceil(width_pmos / (2 * fs)))
        num_n = _c_int(_ceil(width_nmos / (2 * fs)))
        if ratio == 0 and num_n <= 2:
            width_nmos = float(2) * 2 * fs
        elif ratio == 1 and num_p <= 2:
            width_pmos = float(2) * 2 * fs
        elif 0 < num_p <= 1 and 0 < num_n <= 1:
            width_nmos = float(1) * 2 * fs
            width_pmos = float(1) * 2 * fs
    return width_nmos, width_pmos
