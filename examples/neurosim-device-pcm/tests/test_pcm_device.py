"""The ``pcm`` example device: neurosim's standard device checks plus its own numbers."""

import numpy as np
import pytest

from neurosim.config import load_config
from neurosim.engine.context import build_context
from neurosim.testing.conformance_device import DeviceConformance
from neurosim_device_pcm import PCMDevice


class TestPCMConformance(DeviceConformance):
    device_name = "pcm"
    distribution = "neurosim-device-pcm"


def _cell(**options):
    return build_context(load_config(overrides={"device": "pcm", **options})).cell


def test_pcm_preset_reaches_the_estimator():
    ctx = build_context(load_config(overrides={"device": "pcm"}))
    # the circuits read Ron/Roff and the read pulse from NeuroSim's Param as well
    assert (ctx.param.resistance_on, ctx.param.resistance_off) == (40e3, 500e3)
    assert ctx.param.read_pulse_width == 250e-9
    assert ctx.param.memcelltype == 2  # NeuroSim's resistive-eNVM circuit branch
    assert (ctx.cell.height_in_feature_size, ctx.cell.width_in_feature_size) == (4.0, 4.0)


def test_pcm_1t1r_cell_at_22nm():
    cell = _cell(tech="22nm")
    # access device sized to IR_DROP_TOLERANCE * Ron = 0.25 * 40 kOhm
    assert cell.res_cell_access == 10e3
    # NeuroSim V1.4 C++ gives W = 0.69085857948088025 F for 25 kOhm at 22 nm; W ~ 1/R_access
    assert cell.width_access_cmos == pytest.approx(0.69085857948088025 * 25e3 / 10e3, rel=1e-12)
    assert cell.width_access_cmos < cell.width_in_feature_size  # fits the 4 F cell
    assert (cell.res_mem_cell_on, cell.res_mem_cell_off) == (50e3, 510e3)
    # n rows in parallel: n / (n/2 / R_on + n/2 / R_off) = 2 / (1/50k + 1/510k)
    assert cell.res_mem_cell_avg == pytest.approx(2 / (1 / 50e3 + 1 / 510e3), rel=1e-12)


def test_pcm_crossbar_cell():
    cell = _cell(access_type="none")
    assert cell.res_cell_access == 0.0
    assert cell.res_mem_cell_avg == pytest.approx(2 / (1 / 40e3 + 1 / 500e3), rel=1e-12)


def test_user_options_override_the_preset():
    cell = _cell(resistance_on_ohm=60e3)
    assert (cell.resistance_on, cell.resistance_off) == (60e3, 500e3)


def test_pcm_levels_to_conductance():
    cell = _cell()
    g = PCMDevice.weight_to_conductance(np.array([0, 1, 2, 3]), cell, 2)
    g_min, g_max = 1 / 500e3, 1 / 40e3  # 2 uS .. 25 uS
    assert g == pytest.approx([g_min, g_min + (g_max - g_min) / 3,
                               g_min + 2 * (g_max - g_min) / 3, g_max], rel=1e-12)
