"""Parity of the SAR ADC with NeuroSim V1.4's C++ SarADC.

REF holds the numbers printed (%.17g) by a small driver compiled against NeuroSim V1.4's
C++ sources (SarADC with Technology, formula and Param), instantiating the class with the
arguments used below and, for ``mat_energy``, calling CalculatePower once per row of the
``mat`` resistance matrix with numRead = row index + 1 and summing the results. Keys:
sar/node/roadmap/levelOutput/quantity. The driver is not part of the repository.
"""
from __future__ import annotations

import functools
import math
import operator

import numpy as np
import pytest

from neurosim.config import load_config
from neurosim.engine.context import build_context
from neurosim.primitives.constants import AreaModify
from neurosim.testing.reference import (
    COLUMN_RES,
    COLUMN_RES_NAN,
    MATRIX_REF,
    check,
    make_ctx,
    matrix,
)

# NeuroSim V1.4 C++ reference numbers (see module docstring); the column-resistance
# matrix (mat/*) is the kit's, shared with the other sensing and ADC plugins.
REF = {
    **MATRIX_REF,
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
