"""XYBus against NeuroSim V1.4's C++ ``XYBus`` (22 nm at 300 K and 350 K, 7 nm).

The expected numbers come from NeuroSim V1.4 C++ (upstream ``XYBus.cpp`` with its
``Param.cpp`` / ``Technology.cpp`` / ``formula.cpp``, g++ -O1), driven through the call sequence
of :func:`_run`: ``Initialize(rows, cols, globalBusDelayTolerance = 0.1, busWidth, clkFreq =
1 GHz)``, ``CalculateArea(unitH, unitW, treeFoldedRatio = 4)``, latency and power to the middle
tile as Chip.cpp calls them (``x_end = cols / 2``, ``y_init = rows / 2``), and an asynchronous
latency to tile (0, 0).
"""

import pytest

from neurosim.config import load_config
from neurosim.engine.context import build_context
from neurosim.testing.reference import mismatches
from neurosim_interconnect_xybus import XYBus

# From NeuroSim V1.4 C++ (see the module docstring).
CASES = [{'tech': '22nm',
  'temperature_k': 300,
  'grid': (4, 4),
  'bus_width': 512.0,
  'unit_m': (0.001, 0.0012),
  'expected': {'area': 8.065024e-07,
               'async_read_latency': 2.6326974563144456e-09,
               'leakage': 3.2006136882007582e-06,
               'min_dist': 8.964276944785174e-05,
               'read_dynamic_energy': 1.3896460815323043e-10,
               'read_latency': 24.0,
               'repeater_size': 38.0,
               'unit_length_wire_resistance_h': 537109.3750881194,
               'unit_length_wire_resistance_v': 537109.3750881194,
               'width_inv_n': 1.672e-06}},
 {'tech': '22nm',
  'temperature_k': 300,
  'grid': (8, 3),
  'bus_width': 1024.0,
  'unit_m': (0.003, 0.0025),
  'expected': {'area': 6.319104e-06,
               'async_read_latency': 1.8428882194201118e-08,
               'leakage': 2.1651210243711014e-05,
               'min_dist': 8.964276944785174e-05,
               'read_dynamic_energy': 9.170499630223657e-10,
               'read_latency': 37.0,
               'repeater_size': 38.0,
               'unit_length_wire_resistance_h': 537109.3750881194,
               'unit_length_wire_resistance_v': 537109.3750881194,
               'width_inv_n': 1.672e-06}},
 {'tech': '22nm',
  'temperature_k': 350,
  'grid': (6, 6),
  'bus_width': 256.0,
  'unit_m': (0.002, 0.002),
  'expected': {'area': 1.115136e-06,
               'async_read_latency': 1.104411646177746e-08,
               'leakage': 2.6998383975753165e-05,
               'min_dist': 9.307674326617151e-05,
               'read_dynamic_energy': 4.940822973380732e-10,
               'read_latency': 48.0,
               'repeater_size': 40.0,
               'unit_length_wire_resistance_h': 658227.5391704903,
               'unit_length_wire_resistance_v': 658227.5391704903,
               'width_inv_n': 1.76e-06}},
 {'tech': '7nm',
  'temperature_k': 300,
  'grid': (5, 7),
  'bus_width': 256.0,
  'unit_m': (0.0004, 0.0003),
  'expected': {'area': 7.60310208e-08,
               'async_read_latency': 2.9765742991425614e-09,
               'leakage': 1.4561791100855238e-06,
               'min_dist': 2.7752130583899482e-05,
               'read_dynamic_energy': 6.45500395948469e-11,
               'read_latency': 24.0,
               'repeater_size': 10.0,
               'unit_length_wire_resistance_h': 2178308.8238817854,
               'unit_length_wire_resistance_v': 2178308.8238817854,
               'width_inv_n': 1.4e-07}},
 {'tech': '7nm',
  'temperature_k': 300,
  'grid': (2, 2),
  'bus_width': 128.0,
  'unit_m': (0.0001, 0.0001),
  'expected': {'area': 3.7247526399999998e-09,
               'async_read_latency': 1.9667913369447437e-10,
               'leakage': 4.2828797355456586e-08,
               'min_dist': 2.7752130583899482e-05,
               'read_dynamic_energy': 1.207796998656179e-12,
               'read_latency': 11.0,
               'repeater_size': 10.0,
               'unit_length_wire_resistance_h': 9769736.843956374,
               'unit_length_wire_resistance_v': 9769736.843956374,
               'width_inv_n': 1.4e-07}}]


def _run(case):
    ctx = build_context(load_config(overrides={"tech": case["tech"],
                                               "temperature_k": case["temperature_k"]}))
    uh, uw = case["unit_m"]
    rows, cols = case["grid"]
    x = XYBus(ctx)
    x.initialize(rows, cols, ctx.param.global_bus_delay_tolerance, case["bus_width"],
                 ctx.param.clk_freq)
    got = {"repeater_size": x.repeater_size, "min_dist": x.min_dist,
           "width_inv_n": x.width_inv_n}
    x.calculate_area(uh, uw, ctx.param.tree_folded_ratio)
    got.update(area=x.area, unit_length_wire_resistance_v=x.unit_length_wire_resistance_v,
               unit_length_wire_resistance_h=x.unit_length_wire_resistance_h)
    x.calculate_latency(cols // 2, rows // 2, uh, uw, 11, 13)
    got.update(read_latency=x.read_latency)
    x.calculate_power(cols // 2, rows // 2, uh, uw, 1000 * 0.18, 2000 * 0.5)
    got.update(read_dynamic_energy=x.read_dynamic_energy, leakage=x.leakage)
    ctx.param.synchronous = False
    x.calculate_latency(0, 0, uh, uw, 3, 4)
    got.update(async_read_latency=x.read_latency)
    return got


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['tech']}-{c['temperature_k']}K-"
                         f"{c['grid'][0]}x{c['grid'][1]}")
def test_xybus_matches_neurosim(case):
    got = _run(case)
    expected = case["expected"]
    assert set(got) == set(expected)
    assert mismatches(got, expected, rel_tol=1e-9) == {}
