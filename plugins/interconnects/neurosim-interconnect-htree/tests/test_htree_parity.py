"""HTree against NeuroSim V1.4's C++ ``HTree`` (22 nm at 300 K and 350 K, 7 nm).

The expected numbers come from NeuroSim V1.4 C++ (upstream ``HTree.cpp`` with its
``Param.cpp`` / ``Technology.cpp`` / ``formula.cpp``, g++ -O1), driven through the call sequence
of :func:`_run` below: ``Initialize(rows, cols, globalBusDelayTolerance = 0.1, busWidth,
clkFreq = 1 GHz)``, ``CalculateArea(unitH, unitW, treeFoldedRatio = 4)``, a root-to-leaf
latency/power, two leaf-to-leaf latencies/powers (the second reuses the first's zone search, as
the C++ object does), and an asynchronous root-to-leaf latency.
"""

import pytest

from neurosim.config import load_config
from neurosim.engine.context import build_context
from neurosim.testing.reference import mismatches
from neurosim_interconnect_htree import HTree

# From NeuroSim V1.4 C++ (see the module docstring).
CASES = [{'tech': '22nm',
  'temperature_k': 300,
  'grid': (4, 4),
  'bus_width': 512.0,
  'unit_m': (0.001, 0.0012),
  'expected': {'area': 2.9004800000000003e-07,
               'async_read_latency': 4.179946992692514e-09,
               'find_stage': 0.0,
               'leaf_leaf1_leakage': 1.0825605121855505e-06,
               'leaf_leaf1_read_dynamic_energy': 4.0990677712237804e-10,
               'leaf_leaf1_read_latency': 20.0,
               'leaf_leaf2_read_dynamic_energy': 1.2297203313671343e-10,
               'leaf_leaf2_read_latency': 9.0,
               'min_dist': 8.964276944785174e-05,
               'num_row': 4.0,
               'num_stage': 5.0,
               'repeater_size': 38.0,
               'root_leaf_critical_latency': 2.089973496346257,
               'root_leaf_leakage': 2.165121024371101e-06,
               'root_leaf_read_dynamic_energy': 5.239353896673305e-09,
               'root_leaf_read_latency': 111.0,
               'skip_ver': 0.0,
               'total_wire_length': 0.0046,
               'width_inv_n': 1.672e-06,
               'x_center': 2.0,
               'y_center': 2.0}},
 {'tech': '22nm',
  'temperature_k': 300,
  'grid': (8, 3),
  'bus_width': 1024.0,
  'unit_m': (0.003, 0.0025),
  'expected': {'area': 3.649536e-06,
               'async_read_latency': 2.128097110520843e-08,
               'find_stage': 1.0,
               'leaf_leaf1_leakage': 6.23648990715589e-06,
               'leaf_leaf1_read_dynamic_energy': 1.024766942805945e-09,
               'leaf_leaf1_read_latency': 40.0,
               'leaf_leaf2_read_dynamic_energy': 3.0743008284178353e-10,
               'leaf_leaf2_read_latency': 24.0,
               'min_dist': 8.964276944785174e-05,
               'num_row': 8.0,
               'num_stage': 7.0,
               'repeater_size': 38.0,
               'root_leaf_critical_latency': 10.640485552604217,
               'root_leaf_leakage': 1.247297981431178e-05,
               'root_leaf_read_dynamic_energy': 2.6886158153981435e-08,
               'root_leaf_read_latency': 407.0,
               'skip_ver': 0.0,
               'total_wire_length': 0.026500000000000003,
               'width_inv_n': 1.672e-06,
               'x_center': 4.0,
               'y_center': 4.0}},
 {'tech': '22nm',
  'temperature_k': 350,
  'grid': (6, 6),
  'bus_width': 256.0,
  'unit_m': (0.002, 0.002),
  'expected': {'area': 6.871040000000001e-07,
               'async_read_latency': 2.0416291056840052e-08,
               'find_stage': 1.0,
               'leaf_leaf1_leakage': 2.6998383975753165e-05,
               'leaf_leaf1_read_dynamic_energy': 7.469590636922051e-10,
               'leaf_leaf1_read_latency': 35.0,
               'leaf_leaf2_read_dynamic_energy': 2.2408771910766152e-10,
               'leaf_leaf2_read_latency': 21.0,
               'min_dist': 9.307674326617151e-05,
               'num_row': 8.0,
               'num_stage': 7.0,
               'repeater_size': 40.0,
               'root_leaf_critical_latency': 10.208145528420026,
               'root_leaf_leakage': 5.399676795150633e-05,
               'root_leaf_read_dynamic_energy': 2.0267489261515165e-08,
               'root_leaf_read_latency': 407.0,
               'skip_ver': 0.0,
               'total_wire_length': 0.02,
               'width_inv_n': 1.76e-06,
               'x_center': 4.0,
               'y_center': 4.0}},
 {'tech': '7nm',
  'temperature_k': 300,
  'grid': (5, 7),
  'bus_width': 256.0,
  'unit_m': (0.0004, 0.0003),
  'expected': {'area': 4.515770111999999e-08,
               'async_read_latency': 5.80713525771631e-09,
               'find_stage': 1.0,
               'leaf_leaf1_leakage': 1.413350312730067e-06,
               'leaf_leaf1_read_dynamic_energy': 9.018217589966135e-11,
               'leaf_leaf1_read_latency': 15.0,
               'leaf_leaf2_read_dynamic_energy': 2.7054652769898404e-11,
               'leaf_leaf2_read_latency': 9.0,
               'min_dist': 2.7752130583899482e-05,
               'num_row': 8.0,
               'num_stage': 7.0,
               'repeater_size': 10.0,
               'root_leaf_critical_latency': 2.903567628858155,
               'root_leaf_leakage': 2.826700625460134e-06,
               'root_leaf_read_dynamic_energy': 2.319829115285574e-09,
               'root_leaf_read_latency': 111.0,
               'skip_ver': 0.0,
               'total_wire_length': 0.0033,
               'width_inv_n': 1.4e-07,
               'x_center': 4.0,
               'y_center': 4.0}},
 {'tech': '7nm',
  'temperature_k': 300,
  'grid': (2, 2),
  'bus_width': 128.0,
  'unit_m': (0.0001, 0.0001),
  'expected': {'area': 7.679839999999999e-10,
               'async_read_latency': 2.9501870054171157e-10,
               'find_stage': 0.0,
               'leaf_leaf1_leakage': 4.2828797355456586e-08,
               'leaf_leaf1_read_dynamic_energy': 8.588778657110605e-12,
               'leaf_leaf1_read_latency': 5.0,
               'leaf_leaf2_read_dynamic_energy': 2.5766335971331816e-12,
               'leaf_leaf2_read_latency': 3.0,
               'min_dist': 2.7752130583899482e-05,
               'num_row': 2.0,
               'num_stage': 3.0,
               'repeater_size': 10.0,
               'root_leaf_critical_latency': 0.1475093502708558,
               'root_leaf_leakage': 8.565759471091317e-08,
               'root_leaf_read_dynamic_energy': 1.2711392412523696e-10,
               'root_leaf_read_latency': 37.0,
               'skip_ver': 0.0,
               'total_wire_length': 0.0001,
               'width_inv_n': 1.4e-07,
               'x_center': 1.0,
               'y_center': 1.0}}]


def _run(case):
    ctx = build_context(load_config(overrides={"tech": case["tech"],
                                               "temperature_k": case["temperature_k"]}))
    uh, uw = case["unit_m"]
    h = HTree(ctx)
    h.initialize(*case["grid"], ctx.param.global_bus_delay_tolerance, case["bus_width"],
                 ctx.param.clk_freq)
    got = {"repeater_size": h.repeater_size, "min_dist": h.min_dist,
           "width_inv_n": h.width_inv_n, "num_stage": h.num_stage, "num_row": h.num_row,
           "x_center": h.x_center, "y_center": h.y_center}
    h.calculate_area(uh, uw, ctx.param.tree_folded_ratio)
    got.update(area=h.area, total_wire_length=h.total_wire_length)
    h.calculate_latency(0, 0, 1, 2, uh, uw, 37)
    got.update(root_leaf_read_latency=h.read_latency,
               root_leaf_critical_latency=h.critical_latency)
    h.calculate_power(0, 0, 1, 2, uh, uw, 256, 37)
    got.update(root_leaf_read_dynamic_energy=h.read_dynamic_energy,
               root_leaf_leakage=h.leakage)
    h.calculate_latency(1, 1, 2, 3, uh, uw, 5)
    got.update(leaf_leaf1_read_latency=h.read_latency, find_stage=h.find_stage,
               skip_ver=h.skip_ver)
    h.calculate_power(1, 1, 2, 3, uh, uw, 128, 5)
    got.update(leaf_leaf1_read_dynamic_energy=h.read_dynamic_energy,
               leaf_leaf1_leakage=h.leakage)
    h.calculate_latency(1, 2, 3, 2, uh, uw, 3)
    got.update(leaf_leaf2_read_latency=h.read_latency)
    h.calculate_power(1, 2, 3, 2, uh, uw, 64, 3)
    got.update(leaf_leaf2_read_dynamic_energy=h.read_dynamic_energy)
    ctx.param.synchronous = False
    h.calculate_latency(0, 0, 3, 3, uh, uw, 2)
    got.update(async_read_latency=h.read_latency)
    return got


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['tech']}-{c['temperature_k']}K-"
                         f"{c['grid'][0]}x{c['grid'][1]}")
def test_htree_matches_neurosim(case):
    got = _run(case)
    expected = case["expected"]
    assert set(got) == set(expected)
    assert mismatches(got, expected, rel_tol=1e-9) == {}


def test_htree_requires_initialize():
    ctx = build_context(load_config())
    with pytest.raises(RuntimeError, match="initialize"):
        HTree(ctx).calculate_area(1e-3, 1e-3, 4)
