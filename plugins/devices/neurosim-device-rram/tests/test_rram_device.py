"""The ``rram`` device: the standard checks, and its cell against NeuroSim V1.4's C++."""

import numpy as np
import pytest

from neurosim.config import load_config
from neurosim.devices import DeviceError
from neurosim.engine.context import build_context
from neurosim.errors import RejectedConfiguration
from neurosim.primitives.constants import CellAccessType, MemCellType
from neurosim.testing.conformance_device import DeviceConformance
from neurosim.testing.reference import mismatches
from neurosim_device_rram import RRAMDevice


class TestRRAMConformance(DeviceConformance):
    device_name = "rram"
    distribution = "neurosim-device-rram"
    tech_names = ("22nm", "45nm")  # NeuroSim rejects RRAM at 14 nm and below


# MemCell after ProcessingUnitInitialize + SubArray::Initialize, printed by NeuroSim V1.4 C++
# (memcelltype = 2, technode = 22, default Param.cpp; accesstype 1 = 1T1R, 4 = crossbar).
NEUROSIM_CELL = {
    "cmos": {"access_type": CellAccessType.CMOS_ACCESS, "feature_size": 4.0000000000000001e-08,
             "read_voltage": 0.55000000000000004, "height_in_feature_size": 4.0,
             "width_in_feature_size": 12.0, "width_access_cmos": 0.69085857948088025,
             "res_cell_access": 25000.0, "res_mem_cell_on": 125000.0,
             "res_mem_cell_off": 1725000.0, "res_mem_cell_avg": 233108.10810810811,
             "res_mem_cell_on_at_half_vw": 0.0, "res_mem_cell_avg_at_vw": 0.0,
             "width_sram_cell_nmos": 0.0, "width_sram_cell_pmos": 0.0,
             "min_sense_voltage": 0.0, "cap_sram_cell": 0.0, "resistance_access": 25000.0,
             "resistance_avg": 900000.0, "read_pulse_width": 1e-08, "access_voltage": 1.1,
             "write_voltage": 2.0},
    "none": {"access_type": CellAccessType.NONE_ACCESS, "height_in_feature_size": 2.0,
             "width_in_feature_size": 2.0, "width_access_cmos": 0.0, "res_cell_access": 0.0,
             "res_mem_cell_on": 100000.0, "res_mem_cell_off": 1700000.0,
             "res_mem_cell_avg": 188888.88888888888, "res_mem_cell_on_at_half_vw": 100000.0,
             "res_mem_cell_avg_at_vw": 900000.0},
}


@pytest.mark.parametrize("access", sorted(NEUROSIM_CELL))
def test_rram_cell_matches_neurosim(access):
    cell = build_context(load_config(overrides={"device": "rram", "access_type": access})).cell
    assert cell.mem_cell_type == MemCellType.RRAM and cell.family == "envm"
    assert mismatches(cell, NEUROSIM_CELL[access], rel_tol=1e-12) == {}


def test_rram_sram_members_corrected_without_compat_bugs():
    cell = build_context(load_config(overrides={"device": "rram", "access_type": "none",
                                                "compat_bugs": False})).cell
    # Param.cpp's SRAM values (widths 1 F, 0.1 V sense margin) instead of the zeros
    assert (cell.width_sram_cell_nmos, cell.width_sram_cell_pmos, cell.width_access_cmos,
            cell.min_sense_voltage) == (1.0, 1.0, 1.0, 0.1)


def test_rram_access_transistor_must_fit_the_cell():
    # W_access scales as 1/Ron: 0.69085857948088025 F at 100 kOhm (NeuroSim C++ above) ->
    # 13.82 F at 5 kOhm, wider than the 12 F 1T1R cell: NeuroSim exits, we raise.
    with pytest.raises(DeviceError, match=r"13\.82 F.*width_1t1r_f = 12"):
        build_context(load_config(overrides={"device": "rram", "resistance_on_ohm": 5e3,
                                             "resistance_off_ohm": 85e3}))
    cell = build_context(load_config(overrides={"device": "rram", "resistance_on_ohm": 5e3,
                                                "resistance_off_ohm": 85e3,
                                                "width_1t1r_f": 14})).cell
    assert cell.width_access_cmos == pytest.approx(0.69085857948088025 * 100e3 / 5e3,
                                                   rel=1e-12)


def test_rram_rejected_at_7nm():
    with pytest.raises(RejectedConfiguration, match="RRAM"):
        load_config(overrides={"device": "rram", "tech": "7nm"})


def test_rram_two_bit_levels_to_conductance():
    cell = build_context(load_config(overrides={"device": "rram"})).cell
    g = RRAMDevice.weight_to_conductance(np.array([0, 1, 2, 3]), cell, 2)
    g_min, g_max = 1 / 1.7e6, 1 / 100e3
    # LoadInWeightData: G = level / 3 * (Gmax - Gmin) + Gmin
    assert g.tolist() == [0 / 3 * (g_max - g_min) + g_min, 1 / 3 * (g_max - g_min) + g_min,
                          2 / 3 * (g_max - g_min) + g_min, 3 / 3 * (g_max - g_min) + g_min]
