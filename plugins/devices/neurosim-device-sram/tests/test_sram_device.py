"""The ``sram`` device: the standard checks, and its cell against NeuroSim V1.4's C++."""

import numpy as np
import pytest

from neurosim.config import load_config
from neurosim.devices import DeviceError
from neurosim.engine.context import build_context
from neurosim.primitives.constants import CellAccessType, MemCellType
from neurosim.testing.conformance_device import DeviceConformance
from neurosim.testing.reference import mismatches
from neurosim_device_sram import SRAMDevice


class TestSRAMConformance(DeviceConformance):
    device_name = "sram"
    distribution = "neurosim-device-sram"


# MemCell after ProcessingUnitInitialize + SubArray::Initialize, printed by NeuroSim V1.4 C++
# (memcelltype = 1, default Param.cpp at technode 22 and 7).
NEUROSIM_CELL = {
    "22nm": {"feature_size": 4.0000000000000001e-08, "read_voltage": 0.55000000000000004,
             "height_in_feature_size": 10.0, "width_in_feature_size": 28.0,
             "width_sram_cell_nmos": 1.0, "width_sram_cell_pmos": 1.0,
             "width_access_cmos": 1.0, "min_sense_voltage": 0.10000000000000001,
             "resistance_on": 100000.0, "resistance_off": 1700000.0,
             "resistance_avg": 900000.0, "resistance_access": 25000.0,
             "res_cell_access": 0.0, "res_mem_cell_on": 0.0, "res_mem_cell_avg": 0.0,
             "cap_sram_cell": 1.5591964355492122e-16},
    "7nm": {"feature_size": 2e-08, "read_voltage": 0.26400000000000001,
            "height_in_feature_size": 16.0, "width_in_feature_size": 34.43,
            "width_sram_cell_nmos": 1.0, "width_sram_cell_pmos": 1.0,
            "width_access_cmos": 1.0, "min_sense_voltage": 0.10000000000000001,
            "res_cell_access": 0.0, "cap_sram_cell": 2.1106913892000002e-16},
}


@pytest.mark.parametrize("tech", sorted(NEUROSIM_CELL))
def test_sram_cell_matches_neurosim(tech):
    cell = build_context(load_config(overrides={"tech": tech})).cell
    assert cell.mem_cell_type == MemCellType.SRAM
    assert cell.access_type == CellAccessType.CMOS_ACCESS
    assert cell.family == "sram"
    assert mismatches(cell, NEUROSIM_CELL[tech], rel_tol=1e-12) == {}
    # the derived geometry: area H*W in F^2 (280 F^2 above 14 nm, manual Table V)
    assert cell.area == pytest.approx(cell.height_in_feature_size * cell.width_in_feature_size)


def test_sram_bits_to_on_off_conductance():
    cell = build_context(load_config()).cell
    g = SRAMDevice.weight_to_conductance(np.array([[0, 1], [1, 0]]), cell, 1)
    # 0 -> 1/Roff = 1/1.7 MOhm, 1 -> 1/Ron = 1/100 kOhm (Param.cpp min/maxConductance)
    assert g.tolist() == [[1 / 1.7e6, 1 / 100e3], [1 / 100e3, 1 / 1.7e6]]
    with pytest.raises(DeviceError, match="cell_bits = 1"):
        SRAMDevice.weight_to_conductance(np.array([0, 3]), cell, 2)


@pytest.mark.parametrize("bits", [2, 4])
def test_sram_refuses_multi_bit_cells(bits):
    """NeuroSim V1.4 forces cellBit = 1 for SRAM; a cell_bits the user set is refused here
    (named), never replaced silently."""
    with pytest.raises(DeviceError, match=rf"cell_bits \(NeuroSim: cellBit\) = {bits}"):
        build_context(load_config(overrides={"cell_bits": bits}))
