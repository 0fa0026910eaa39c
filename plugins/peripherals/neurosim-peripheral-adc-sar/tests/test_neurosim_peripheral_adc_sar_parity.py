"""Parity of the SAR ADC with NeuroSim V1.4's C++ SarADC.

REF holds the numbers printed (%.17g) by a small driver compiled against NeuroSim V1.4's
C++ sources (SarADC with Technology, formula and Param), instantiating the class with the
arguments used below and, for ``mat_energy``, calling CalculatePower once per row of the
``mat`` resistance matrix with numRead = row index + 1 and summing the results. Keys:
sar/node/roadmap/levelOutput/quantity. The driver is not part of the repository.
"""
from __future__ import annotations

import dataclasses
import functools
import math
import operator

import numpy as np
import pytest

from neurosim.config import load_config
from neurosim.engine.context import build_context
from neurosim.primitives.constants import AreaModify, MemCellType

# Read voltage of each node (Param.cpp's table).
VREAD = {130: 0.58, 90: 0.58, 65: 0.55, 45: 0.51, 32: 0.51, 22: 0.55, 14: 0.277, 10: 0.28,
         7: 0.264, 5: 0.253, 3: 0.248, 2: 0.28, 1: 0.272}
# Column resistances (ohm) of one input vector: every fit piece, 0 and an open column.
COLUMN_RES = [0.0, 600, 1000, 2500, 4000, 4832, 5000, 8000, 12000, 20000, 21000, 30000,
              40000, 50000, 75000, 1.0e5, 4.0e5, 1.0e6, 2.0e6, 1.0e8, math.inf]
COLUMN_RES_NAN = [5000, math.nan, 2e4]


def make_ctx(node: int, roadmap: str = "lstp", compat_bugs: bool = True):
    """The context the C++ reference driver set up: node, roadmap, RRAM (>= 22 nm) or SRAM
    cell, Param defaults, and the sub-array-provided Param members fixed to test values."""
    ctx = build_context(load_config(overrides={
        "tech": f"{node}nm", "device": "rram" if node >= 22 else "sram",
        "device_roadmap": roadmap, "compat_bugs": compat_bugs}))
    ctx.cell = dataclasses.replace(
        ctx.cell, mem_cell_type=MemCellType.RRAM if node >= 22 else MemCellType.SRAM,
        read_voltage=0.5, res_mem_cell_on=1.25e5, res_mem_cell_off=1.725e6,
        read_pulse_width=1e-8, min_sense_voltage=0.1)
    p = ctx.param
    p.technode, p.deviceroadmap, p.read_voltage, p.temp = node, 1 if roadmap == "hp" else 2, \
        VREAD[node], 300
    p.resistance_on, p.resistance_off = 100e3, 1.7e6
    p.max_conductance, p.min_conductance = 1 / p.resistance_on, 1 / p.resistance_off
    p.num_row_parallel, p.operationmode, p.speciallayout = 128, 2, 1
    p.validated, p.epsilon = True, 0.05
    p.res_cell_access = 13000.5
    p.columncap = 3.1e-14
    p.arrayheight = 128 * 4 * ctx.tech.feature_size
    p.arraywidthunit = 12 * ctx.tech.feature_size
    p.reference_energy_peri = 2.2e-15
    return ctx


def check(ref: dict, key: str, value: float) -> None:
    """``value`` equals the C++ reference ``ref[key]`` to 1e-9 relative (NaN equals NaN)."""
    assert value == pytest.approx(ref[key], rel=1e-9, abs=0.0, nan_ok=True), key


def matrix(ref: dict) -> np.ndarray:
    """The 5 x 12 column-resistance matrix the driver evaluated vector by vector."""
    return np.array([[ref[f"mat/{v}/{j}"] for j in range(12)] for v in range(5)])

# NeuroSim V1.4 C++ reference numbers (see module docstring).
REF = {
    'mat/0/0': 1000,
    'mat/0/1': 266826.83708471328,
    'mat/0/2': 7119.6560988632118,
    'mat/0/3': math.inf,
    'mat/0/4': 50689.502966080123,
    'mat/0/5': 1352.5319749835351,
    'mat/0/6': 360891.82894079719,
    'mat/0/7': 9629.5625245990304,
    'mat/0/8': 2569425.7109482456,
    'mat/0/9': 68559.173557646107,
    'mat/0/10': math.inf,
    'mat/0/11': 488117.73815271654,
    'mat/1/0': 13024.291219623363,
    'mat/1/1': 3475230.4314023047,
    'mat/1/2': math.inf,
    'mat/1/3': 2474.2445535888423,
    'mat/1/4': 660194.84840818972,
    'mat/1/5': 17615.770326037902,
    'mat/1/6': 4700360.2789074415,
    'mat/1/7': 125418.22663794934,
    'mat/1/8': 3346.4948726577718,
    'mat/1/9': math.inf,
    'mat/1/10': 23825.892629932347,
    'mat/1/11': 6357387.5711648287,
    'mat/2/0': 169632.16177355789,
    'mat/2/1': math.inf,
    'mat/2/2': 1207722.6551344623,
    'mat/2/3': 32225.281614508051,
    'mat/2/4': 8598569.9673633445,
    'mat/2/5': 229432.92278431676,
    'mat/2/6': 6121.8861109640484,
    'mat/2/7': 1633483.5079813732,
    'mat/2/8': math.inf,
    'mat/2/9': 1162.9840819992057,
    'mat/2/10': 310315.36417971685,
    'mat/2/11': 8280.0467122864775,
    'mat/3/0': math.inf,
    'mat/3/1': 58951.085074002702,
    'mat/3/2': 1572.9731573007991,
    'mat/3/3': 419711.45238172653,
    'mat/3/4': 11199.027932724757,
    'mat/3/5': 2988201.2017122959,
    'mat/3/6': 79733.227522563117,
    'mat/3/7': math.inf,
    'mat/3/8': 567673.15961306449,
    'mat/3/9': 15147.04336774396,
    'mat/3/10': 4041637.6730001043,
    'mat/3/11': 107841.73969290385,
    'mat/4/0': 2877.5070307970541,
    'mat/4/1': 767796.09971660178,
    'mat/4/2': 20486.860481335996,
    'mat/4/3': 5466444.1840306902,
    'mat/4/4': 145859.40117250354,
    'mat/4/5': 3891.9202673929435,
    'mat/4/6': math.inf,
    'mat/4/7': 27709.13386803351,
    'mat/4/8': 7393540.5483642882,
    'mat/4/9': 197279.50393776194,
    'mat/4/10': 5263.9466057354257,
    'mat/4/11': 1404562.2233911958,
    'sar/22/hp/16/area': 1.6874733568000001e-09,
    'sar/22/hp/16/height': 0.00011249822378666667,
    'sar/22/hp/16/width': 1.5e-05,
    'sar/22/hp/16/latency': 1e-08,
    'sar/22/hp/16/energy': 4.9195648139655125e-12,
    'sar/22/hp/16/leakage': 0,
    'sar/22/hp/16/mat_energy': 1.1757742679774401e-11,
    'sar/22/hp/16/nan_energy': math.nan,
    'sar/22/hp/32/area': 1.9873953792000002e-09,
    'sar/22/hp/32/height': 0.00013249302528000001,
    'sar/22/hp/32/width': 1.5e-05,
    'sar/22/hp/32/latency': 1.2000000000000002e-08,
    'sar/22/hp/32/energy': 6.0679341767586154e-12,
    'sar/22/hp/32/leakage': 0,
    'sar/22/hp/32/mat_energy': 1.4780100215729281e-11,
    'sar/22/hp/32/nan_energy': math.nan,
    'sar/22/hp/64/area': 2.2873174016000001e-09,
    'sar/22/hp/64/height': 0.00015248782677333334,
    'sar/22/hp/64/width': 1.5e-05,
    'sar/22/hp/64/latency': 1.4000000000000001e-08,
    'sar/22/hp/64/energy': 7.2711223395517165e-12,
    'sar/22/hp/64/leakage': 0,
    'sar/22/hp/64/mat_energy': 1.8026060751684163e-11,
    'sar/22/hp/64/nan_energy': math.nan,
    'sar/22/lstp/16/area': 1.6874733568000001e-09,
    'sar/22/lstp/16/height': 0.00011249822378666667,
    'sar/22/lstp/16/width': 1.5e-05,
    'sar/22/lstp/16/latency': 1e-08,
    'sar/22/lstp/16/energy': 4.5365377043435038e-12,
    'sar/22/lstp/16/leakage': 0,
    'sar/22/lstp/16/mat_energy': 1.1215035262054267e-11,
    'sar/22/lstp/16/nan_energy': math.nan,
    'sar/22/lstp/32/area': 1.9873953792000002e-09,
    'sar/22/lstp/32/height': 0.00013249302528000001,
    'sar/22/lstp/32/width': 1.5e-05,
    'sar/22/lstp/32/latency': 1.2000000000000002e-08,
    'sar/22/lstp/32/energy': 5.5665092452122029e-12,
    'sar/22/lstp/32/leakage': 0,
    'sar/22/lstp/32/mat_energy': 1.3958382314465122e-11,
    'sar/22/lstp/32/nan_energy': math.nan,
    'sar/22/lstp/64/area': 2.2873174016000001e-09,
    'sar/22/lstp/64/height': 0.00015248782677333334,
    'sar/22/lstp/64/width': 1.5e-05,
    'sar/22/lstp/64/latency': 1.4000000000000001e-08,
    'sar/22/lstp/64/energy': 6.6373687860809039e-12,
    'sar/22/lstp/64/leakage': 0,
    'sar/22/lstp/64/mat_energy': 1.6868509366875974e-11,
    'sar/22/lstp/64/nan_energy': math.nan,
    'sar/7/lstp/16/area': 4.4825375545753588e-10,
    'sar/7/lstp/16/height': 2.9883583697169058e-05,
    'sar/7/lstp/16/width': 1.5e-05,
    'sar/7/lstp/16/latency': 1e-08,
    'sar/7/lstp/16/energy': 1.2083519837683834e-12,
    'sar/7/lstp/16/leakage': 0,
    'sar/7/lstp/16/mat_energy': 2.8823777374484191e-12,
    'sar/7/lstp/16/nan_energy': math.nan,
    'sar/7/lstp/32/area': 5.2792385652518382e-10,
    'sar/7/lstp/32/height': 3.5194923768345586e-05,
    'sar/7/lstp/32/width': 1.5e-05,
    'sar/7/lstp/32/latency': 1.2000000000000002e-08,
    'sar/7/lstp/32/energy': 1.4742131805220601e-12,
    'sar/7/lstp/32/leakage': 0,
    'sar/7/lstp/32/mat_energy': 3.5575262849381029e-12,
    'sar/7/lstp/32/nan_energy': math.nan,
    'sar/7/lstp/64/area': 6.0759395759283186e-10,
    'sar/7/lstp/64/height': 4.0506263839522124e-05,
    'sar/7/lstp/64/width': 1.5e-05,
    'sar/7/lstp/64/latency': 1.4000000000000001e-08,
    'sar/7/lstp/64/energy': 1.7481379772757369e-12,
    'sar/7/lstp/64/leakage': 0,
    'sar/7/lstp/64/mat_energy': 4.2655658324277866e-12,
    'sar/7/lstp/64/nan_energy': math.nan,
    'sar/1/lstp/16/area': 1.0485760000000001e-10,
    'sar/1/lstp/16/height': 6.9905066666666671e-06,
    'sar/1/lstp/16/width': 1.5e-05,
    'sar/1/lstp/16/latency': 1e-08,
    'sar/1/lstp/16/energy': 6.8064640112380339e-13,
    'sar/1/lstp/16/leakage': 0,
    'sar/1/lstp/16/mat_energy': 1.408983933604838e-12,
    'sar/1/lstp/16/nan_energy': math.nan,
    'sar/1/lstp/32/area': 1.2349440000000001e-10,
    'sar/1/lstp/32/height': 8.2329600000000012e-06,
    'sar/1/lstp/32/width': 1.5e-05,
    'sar/1/lstp/32/latency': 1.2000000000000002e-08,
    'sar/1/lstp/32/energy': 8.1907848134856405e-13,
    'sar/1/lstp/32/leakage': 0,
    'sar/1/lstp/32/mat_energy': 1.7001737203258057e-12,
    'sar/1/lstp/32/nan_energy': math.nan,
    'sar/1/lstp/64/area': 1.4213120000000003e-10,
    'sar/1/lstp/64/height': 9.4754133333333345e-06,
    'sar/1/lstp/64/width': 1.5e-05,
    'sar/1/lstp/64/latency': 1.4000000000000001e-08,
    'sar/1/lstp/64/energy': 9.5827816157332424e-13,
    'sar/1/lstp/64/leakage': 0,
    'sar/1/lstp/64/mat_energy': 1.9944945070467735e-12,
    'sar/1/lstp/64/nan_energy': math.nan,
}


# ------------------------------------------------------------------------------------------
CASES = [(22, "hp"), (22, "lstp"), (7, "lstp"), (1, "lstp")]
LEVELS = [16, 32, 64]


def make_sar(ctx, levels: int):
    sar = ctx.registry.get("peripheral", "sar", role="adc")(ctx)
    sar.initialize(16, levels, 1e9, 128)
    return sar


@pytest.mark.parametrize("node,roadmap", CASES)
@pytest.mark.parametrize("levels", LEVELS)
def test_sar_adc_matches_cpp(node, roadmap, levels):
    ctx = make_ctx(node, roadmap)
    s = make_sar(ctx, levels)
    s.calculate_unit_area()
    s.calculate_area(0, 1.5e-5, AreaModify.NONE)
    s.calculate_latency(2)
    s.calculate_power(COLUMN_RES, 2)
    b = f"sar/{node}/{roadmap}/{levels}/"
    for key, value in (("area", s.area), ("height", s.height), ("width", s.width),
                       ("latency", s.read_latency), ("energy", s.read_dynamic_energy),
                       ("leakage", s.leakage)):
        check(REF, b + key, value)
    # hand calculation: log2(levels)+1 cycles of 1 ns, 2 reads
    assert s.read_latency == pytest.approx((math.log2(levels) + 1) * 1e-9 * 2, rel=1e-15)
    s.calculate_power(COLUMN_RES_NAN, 1)
    check(REF, b + "nan_energy", s.read_dynamic_energy)


@pytest.mark.parametrize("node,roadmap", CASES)
@pytest.mark.parametrize("levels", LEVELS)
def test_sar_adc_vectorized_equals_scalar_loop(node, roadmap, levels):
    ctx = make_ctx(node, roadmap)
    s = make_sar(ctx, levels)
    mat, reads = matrix(REF), np.arange(1, 6, dtype=float)
    energy, lat = [], []
    for row, n in zip(mat, reads):
        s.calculate_power(list(row), n)
        energy.append(s.read_dynamic_energy)
        s.calculate_latency(n)
        lat.append(s.read_latency)
    s.calculate_power(mat, reads)
    s.calculate_latency(num_read=reads, column_resistance=mat, num_col_muxed=1)
    assert s.read_dynamic_energy_per_vector.tolist() == energy
    assert s.read_latency_per_vector.tolist() == lat
    assert s.read_dynamic_energy == functools.reduce(operator.add, energy, 0.0)  # C++ += order
    assert s.read_latency == functools.reduce(operator.add, lat, 0.0)
    # the C++ loop over the same vectors, accumulating each call's result
    check(REF, f"sar/{node}/{roadmap}/{levels}/mat_energy", s.read_dynamic_energy)
    assert np.asarray(s.get_column_power(mat)).tolist() == [
        [s.get_column_power(r) for r in row] for row in mat]


def test_sar_adc_swapped_in_by_configuration():
    ctx = build_context(load_config(overrides={"tech": "22nm", "adc": "sar"}))
    assert ctx.circuit("adc").__name__ == "SarADC"
    assert ctx.circuit("adc").needs_encoder is False
    # NeuroSim's numeric spelling SARADC=1 selects it too
    ctx = build_context(load_config(overrides={"SARADC": 1}))
    assert ctx.circuit("adc").__name__ == "SarADC"
    entry = ctx.registry.entry("peripheral", "sar", role="adc")
    assert entry.distribution == "neurosim-peripheral-adc-sar"


def test_sar_adc_contract_keyword_calls():
    """The calls the engine makes on any ADC (see the class docstring's contract)."""
    ctx = make_ctx(22)
    adc = ctx.registry.get("peripheral", "sar", role="adc")(ctx)
    adc.initialize(num_col=16, level_output=32, clk_freq=1e9,
                   num_read_cell_per_operation_neuro=128, parallel=True, current_mode=True)
    adc.calculate_unit_area()
    adc.calculate_area(0, 1.5e-5, AreaModify.NONE)
    adc.calculate_latency(column_resistance=COLUMN_RES, num_col_muxed=1, num_read=2)
    adc.calculate_power(column_resistance=COLUMN_RES, num_read=2)
    check(REF, "sar/22/lstp/32/area", adc.area)
    check(REF, "sar/22/lstp/32/latency", adc.read_latency)
    check(REF, "sar/22/lstp/32/energy", adc.read_dynamic_energy)
    from neurosim.errors import NeuroSimError

    with pytest.raises(NeuroSimError, match="no width or height"):
        adc.calculate_area(0, 1.5e-5, AreaModify.MAGIC)
