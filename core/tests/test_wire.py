"""Wire model (Param.cpp) against the spec's per-node values and the C++ Param."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from neurosim.errors import ConfigError
from neurosim.primitives.global_wire import unit_length_res_ohm_per_m
from neurosim.primitives.wire import (
    aspect_ratio_and_resistivity,
    barrier_corrected_resistivity,
    temperature_corrected_resistivity,
    unit_length_resistance,
    wire_model,
)

# technology_nodes.json (spec), param_cpp block: node, wireWidth, Metal0, Metal1 (nm),
# barrier (m), wire AR, wire rho_eff, Metal0 AR, Metal1 AR, unitLengthWireResistance at 300 K,
# Metal0_unitwireresis, Metal1_unitwireresis (ohm/m), wire rho_bulk (ohm*m)
SPEC = [
    (130, 175.0, 175.0, 175.0, 1e-08, 1.6, 2.0100000003015002e-08, 1.6, 1.6, 410204.0816941836, 410204.0816941836, 410204.0816941836, 2.01e-08),  # noqa: E501
    (90, 110.0, 110.0, 110.0, 1e-08, 1.6, 2.2000000005249998e-08, 1.6, 1.6, 1136363.6366348136, 1136363.6366348136, 1136363.6366348136, 2.2e-08),  # noqa: E501
    (65, 105.0, 105.0, 105.0, 7e-09, 1.7, 2.2100000003813332e-08, 1.7, 1.7, 1179138.322198924, 1179138.322198924, 1179138.322198924, 2.21e-08),  # noqa: E501
    (45, 80.0, 80.0, 80.0, 5e-09, 1.7, 2.3700000003833824e-08, 1.7, 1.7, 2178308.8238817854, 2178308.8238817854, 2178308.8238817854, 2.37e-08),  # noqa: E501
    (32, 56.0, 56.0, 56.0, 4e-09, 1.8, 2.6300000004800795e-08, 1.8, 1.8, 4659155.329648666, 4659155.329648666, 4659155.329648666, 2.63e-08),  # noqa: E501
    (22, 40.0, 40.0, 40.0, 2.5e-09, 1.9, 2.9700000004689473e-08, 1.9, 1.9, 9769736.843647853, 9769736.843647853, 9769736.843647853, 2.97e-08),  # noqa: E501
    (14, 32.0, 32.0, 39.0, 2.5e-09, 2.0, 3.250000000634766e-08, 2.0, 2.0, 15869140.628099442, 15869140.628099442, 10683760.685472822, 3.25e-08),  # noqa: E501
    (10, 22.0, 22.0, 32.0, 2e-09, 2.0, 3.9500000008977275e-08, 2.0, 2.0, 40805785.13324098, 40805785.13324098, 15869140.627479553, 3.95e-08),  # noqa: E501
    (7, 20.0, 20.0, 28.5, 2e-09, 2.0, 4.1700000010425006e-08, 2.0, 2.0, 52125000.01303125, 52125000.01303125, 24315173.90392725, 4.17e-08),  # noqa: E501
    (5, 15.0, 15.0, 17.0, 2e-09, 2.0, 4.98000000166e-08, 2.0, 2.0, 110666666.70355554, 110666666.70355554, 86159169.57551394, 4.98e-08),  # noqa: E501
    (3, 12.0, 12.0, 16.0, 1.5e-09, 2.0, 5.8000000018125006e-08, 2.0, 2.0, 201388888.95182288, 201388888.95182288, 97265625.02279663, 5.8e-08),  # noqa: E501
    (2, 10.0, 10.0, 11.5, 5e-10, 2.0, 6.61000000082625e-08, 2.0, 2.0, 330500000.0413125, 330500000.0413125, 249905482.06875154, 6.61e-08),  # noqa: E501
    (1, 8.0, 8.0, 10.0, 2e-10, 3.0, 7.870000000459084e-08, 3.0, 2.0, 409895833.3572439, 409895833.3572439, 330500000.016525, 7.87e-08),  # noqa: E501
]
PARAM_CPP = json.loads((Path(__file__).parent / "data" / "param_reference.json").read_text())


def close(a: float, b: float, rel: float = 1e-12) -> bool:
    return a == b or abs(a - b) <= rel * abs(b)


@pytest.mark.parametrize("row", SPEC, ids=[f"{r[0]}nm" for r in SPEC])
def test_wire_model_matches_spec(row):
    (node, w, m0, m1, tb, ar, rho_eff, ar0, ar1, r_unit, r0, r1, rho_bulk) = row
    got_ar, got_rho = aspect_ratio_and_resistivity(w)
    assert got_ar == ar and close(got_rho, rho_bulk)  # C++ computes 2.01*1e-8 (1 ulp off)
    model = wire_model(int(w), m0, m1, tb, 300)
    assert (model.ar, model.ar_metal0, model.ar_metal1) == (ar, ar0, ar1)
    assert close(model.rho, rho_eff)
    assert close(model.unit_length_wire_resistance, r_unit)
    assert close(model.metal0_unitwireresis, r0)
    assert close(model.metal1_unitwireresis, r1)


@pytest.mark.parametrize("case", [c for c in PARAM_CPP["cases"] if "temp" in c["options"]
                                  or "technode" in c["options"]])
def test_wire_model_matches_cpp_param(case, tech_node):
    """Temperature applies to the main wire only, bit for bit as the C++ computes it."""
    m = case["members"]
    node = tech_node(int(m["technode"]))
    p = node.param_cpp
    model = wire_model(int(p.wire_width), p.metal0, p.metal1, p.barrierthickness, int(m["temp"]))
    assert model.rho == m["Rho"]
    assert model.unit_length_wire_resistance == m["unitLengthWireResistance"]
    assert (model.rho_metal0, model.rho_metal1) == (m["Rho_Metal0"], m["Rho_Metal1"])
    assert model.metal0_unitwireresis == m["Metal0_unitwireresis"]
    assert model.metal1_unitwireresis == m["Metal1_unitwireresis"]


def test_temperature_correction_hand_value():
    # 22 nm at 350 K: rho_eff * (1 + 0.00451 * 50) = 2.9700000004689473e-08 * 1.2255
    assert close(temperature_corrected_resistivity(2.9700000004689473e-08, 350),
                 2.9700000004689473e-08 * 1.2255, 1e-15)
    assert temperature_corrected_resistivity(1.0, 250) == 1 + 0.00451 * 50  # |T - 300|
    hot = wire_model(40, 40, 40, 2.5e-9, 350)
    cold = wire_model(40, 40, 40, 2.5e-9, 300)
    assert hot.metal0_unitwireresis == cold.metal0_unitwireresis
    assert close(hot.unit_length_wire_resistance / cold.unit_length_wire_resistance, 1.2255)


def test_bins_edges_and_range():
    # Param.cpp writes the resistivities as products, e.g. 2.01*1e-8
    assert aspect_ratio_and_resistivity(175) == (1.6, 2.01 * 1e-8)
    assert aspect_ratio_and_resistivity(174.9) == (1.6, 2.20 * 1e-8)
    assert aspect_ratio_and_resistivity(28.5) == (2.0, 3.95 * 1e-8)
    assert aspect_ratio_and_resistivity(8) == (3.0, 7.87 * 1e-8)
    with pytest.raises(ConfigError, match="out of range"):
        aspect_ratio_and_resistivity(7.5)


def test_barrier_correction_uses_nanometres_as_neurosim():
    # w = 40 (nm), t_b = 2.5e-9 (m): 1 - (2*1.9*40 + 40)*2.5e-9 / (1.9*1600)
    x = (2 * 1.9 * 40 + 40) * 2.5e-9 / (1.9 * 1600)
    assert barrier_corrected_resistivity(2.97e-8, 1.9, 40, 2.5e-9) == 2.97e-8 / (1 - x)
    assert close(unit_length_resistance(2.97e-8, 40, 1.9), 2.97e-8 / (40e-9 ** 2 * 1.9), 1e-15)


# Global (tile-to-tile) wire of HTree.cpp / XYBus.cpp ``GetUnitLengthRes``.
def test_global_wire_resistance_by_hand():
    # 22 nm node, wireWidth 40 nm; a 1 mm wire is 45454 F long -> drawn 2 x 40 = 80 nm:
    # AR 1.7, rho 2.37e-8 ohm*m, barrier 5e-9 m; at 300 K
    # R' = rho / (1 - (2*1.7*80 + 80) * 5e-9 / (1.7 * 80^2)) / (80e-9^2 * 1.7)
    rho = 2.37e-8 / (1 - (2 * 1.7 * 80 + 80) * 5e-9 / (1.7 * 80 ** 2))
    expected = rho / (80e-9 * 80e-9 * 1.7)
    assert math.isclose(unit_length_res_ohm_per_m(1e-3, 22e-9, 40, 300), expected,
                        rel_tol=1e-12)
    # at 350 K the copper TCR 0.00451/K scales it by 1 + 0.00451 * 50
    assert math.isclose(unit_length_res_ohm_per_m(1e-3, 22e-9, 40, 350),
                        expected * (1 + 0.00451 * 50), rel_tol=1e-12)
