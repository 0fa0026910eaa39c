"""The ``fefet`` device: the standard checks, and its cell against NeuroSim V1.4's C++."""

import pytest

from neurosim.config import load_config
from neurosim.engine.context import build_context
from neurosim.primitives.constants import CellAccessType, MemCellType
from neurosim.testing.conformance_device import DeviceConformance
from neurosim.testing.reference import mismatches


class TestFeFETConformance(DeviceConformance):
    device_name = "fefet"
    distribution = "neurosim-device-fefet"


# MemCell after ProcessingUnitInitialize + SubArray::Initialize, printed by NeuroSim V1.4 C++
# (memcelltype = 3, default Param.cpp; accesstype 1 = 1T1R, 4 = crossbar).
NEUROSIM_CELL = {
    ("22nm", "cmos"): {"feature_size": 4.0000000000000001e-08,
                       "read_voltage": 0.55000000000000004,
                       "width_access_cmos": 0.69085857948088025, "res_cell_access": 25000.0,
                       "res_mem_cell_on": 125000.0, "res_mem_cell_off": 1725000.0,
                       "res_mem_cell_avg": 233108.10810810811},
    ("7nm", "cmos"): {"feature_size": 2e-08, "read_voltage": 0.26400000000000001,
                      "height_in_feature_size": 4.0, "width_in_feature_size": 12.0,
                      "width_access_cmos": 0.1908906705942699, "res_cell_access": 25000.0,
                      "res_mem_cell_on": 125000.0, "res_mem_cell_off": 1725000.0,
                      "res_mem_cell_avg": 233108.10810810811, "min_sense_voltage": 0.0},
    ("7nm", "none"): {"height_in_feature_size": 2.0, "width_in_feature_size": 2.0,
                      "width_access_cmos": 0.0, "res_cell_access": 0.0,
                      "res_mem_cell_on": 100000.0, "res_mem_cell_off": 1700000.0,
                      "res_mem_cell_avg": 188888.88888888888,
                      "res_mem_cell_on_at_half_vw": 100000.0, "res_mem_cell_avg_at_vw": 900000.0},
}


@pytest.mark.parametrize("tech,access", sorted(NEUROSIM_CELL))
def test_fefet_cell_matches_neurosim(tech, access):
    cell = build_context(load_config(overrides={"device": "fefet", "tech": tech,
                                                "access_type": access})).cell
    assert cell.mem_cell_type == MemCellType.FeFET and cell.family == "envm"
    assert cell.access_type == (CellAccessType.CMOS_ACCESS if access == "cmos"
                                else CellAccessType.NONE_ACCESS)
    assert mismatches(cell, NEUROSIM_CELL[(tech, access)], rel_tol=1e-12) == {}


def test_fefet_param_is_neurosims_memcelltype_3():
    ctx = build_context(load_config(overrides={"device": "fefet"}))
    assert ctx.param.memcelltype == 3
    assert (ctx.param.resistance_on, ctx.param.resistance_off) == (100e3, 1.7e6)
