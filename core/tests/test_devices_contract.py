"""The device contract of ``neurosim.devices`` (no plugin needed)."""

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pytest

from neurosim.config import load_config
from neurosim.devices import (
    DeviceError,
    EnvmDevice,
    EnvmParams,
    MemCell,
    apply_device_defaults,
    conductance_range_s,
)
from neurosim.primitives.constants import CellAccessType, MemCellType


@dataclass(frozen=True)
class _TwelveKParams(EnvmParams):
    """A test preset: Ron 12 kOhm, Roff 120 kOhm, 20 ns read pulse."""

    resistance_on_ohm: float = 12e3
    resistance_off_ohm: float = 120e3
    read_pulse_width_s: float = 20e-9


class _TwelveK(EnvmDevice):
    name: ClassVar[str] = "twelve_k"
    mem_cell_type: ClassVar[MemCellType] = MemCellType.RRAM
    params: ClassVar[EnvmParams] = _TwelveKParams()


def test_preset_replaces_neurosim_defaults_only():
    cfg = apply_device_defaults(load_config(), _TwelveK)
    assert (cfg.resistance_on_ohm, cfg.resistance_off_ohm, cfg.read_pulse_width_s) == (
        12e3, 120e3, 20e-9)
    # options the preset keeps at NeuroSim's values stay as they are
    assert (cfg.height_1t1r_f, cfg.width_1t1r_f, cfg.write_voltage_v) == (4.0, 12.0, 2.0)
    # a value the user set wins over the preset
    user = apply_device_defaults(load_config(overrides={"resistanceOn": 30e3}), _TwelveK)
    assert (user.resistance_on_ohm, user.resistance_off_ohm) == (30e3, 120e3)


def test_neurosim_preset_changes_nothing():
    cfg = load_config(overrides={"device": "rram"})
    class _Plain(_TwelveK):
        params: ClassVar[EnvmParams] = EnvmParams()
    assert apply_device_defaults(cfg, _Plain) is cfg


def test_envm_params_validated():
    with pytest.raises(ValueError, match="resistance_off_ohm must exceed"):
        EnvmParams(resistance_on_ohm=2e6)
    with pytest.raises(ValueError, match="read_pulse_width_s"):
        EnvmParams(read_pulse_width_s=0.0)


def _cell(ron=12e3, roff=120e3):
    return MemCell(mem_cell_type=MemCellType.RRAM, access_type=CellAccessType.NONE_ACCESS,
                   family="envm", resistance_on=ron, resistance_off=roff)


def test_linear_level_map():
    cell = _cell()
    assert conductance_range_s(cell) == (1 / 120e3, 1 / 12e3)
    g = _TwelveK.weight_to_conductance(np.array([[0, 3], [5, 7]]), cell, 3)
    # G = level / 7 * (1/12k - 1/120k) + 1/120k
    step = (1 / 12e3 - 1 / 120e3) / 7
    assert g == pytest.approx(np.array([[0, 3], [5, 7]]) * step + 1 / 120e3, rel=1e-12)


def test_negative_levels_extend_the_line_below_gmin():
    """A weight below algoWeightMin gives negative digits (C++ truncating %), down to
    -(2^cellBit - 1); NeuroSim's linear map extends below Gmin for them."""
    cell = _cell()
    g = _TwelveK.weight_to_conductance(np.array([-7, -1, 0]), cell, 3)
    step = (1 / 12e3 - 1 / 120e3) / 7
    assert g == pytest.approx(np.array([-7, -1, 0]) * step + 1 / 120e3, rel=1e-12)
    assert g[0] < 0 < g[2]


@pytest.mark.parametrize("levels,bits,match", [
    (np.array([0.5]), 2, "not an integer"),
    (np.array([4]), 2, r"-3\.\.3"),
    (np.array([-4]), 2, r"-3\.\.3"),
    (np.array([0]), 0, "cell_bits"),
])
def test_level_map_rejects(levels, bits, match):
    with pytest.raises(DeviceError, match=match):
        _TwelveK.weight_to_conductance(levels, _cell(), bits)


def test_memcell_to_dict_names_enums():
    d = _cell().to_dict()
    assert d["mem_cell_type"] == "RRAM" and d["access_type"] == "NONE_ACCESS"
    assert d["resistance_on"] == 12e3 and d["family"] == "envm"
