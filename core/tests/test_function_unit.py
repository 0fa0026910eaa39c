"""FunctionUnit: NeuroSim's MagicLayout / OverrideLayout and the unit-named summary."""

from __future__ import annotations

import pytest

from types import SimpleNamespace

from neurosim.primitives.constants import AreaModify
from neurosim.primitives.function_unit import (
    SUMMARY_KEYS,
    FunctionUnit,
    apply_area_option,
    finfet_width_factor,
    require_initialized,
)


def test_starts_at_zero_and_keeps_ctx():
    unit = FunctionUnit(ctx="ctx")
    assert unit.ctx == "ctx"
    assert all(v == 0.0 for v in unit.summary().values())
    assert set(unit.summary()) == set(SUMMARY_KEYS.values())


def test_magic_layout_keeps_area():
    unit = FunctionUnit()
    unit.area, unit.height, unit.width = 12e-12, 3e-6, 4e-6
    unit.new_height = 2e-6
    unit.magic_layout()
    assert (unit.height, unit.width, unit.area) == (2e-6, 12e-12 / 2e-6, 12e-12)
    unit.new_height, unit.new_width = 0.0, 6e-6
    unit.magic_layout()
    assert (unit.height, unit.width) == (12e-12 / 6e-6, 6e-6)


def test_magic_layout_without_request_changes_nothing():
    unit = FunctionUnit()
    unit.area, unit.height, unit.width = 1.0, 2.0, 0.5
    unit.magic_layout()
    assert (unit.height, unit.width, unit.area) == (2.0, 0.5, 1.0)


def test_override_layout():
    unit = FunctionUnit()
    unit.area = 5.0
    unit.new_height, unit.new_width = 2e-6, 3e-6
    unit.override_layout()
    assert (unit.height, unit.width, unit.area) == (2e-6, 3e-6, 2e-6 * 3e-6)
    unit.new_width = 0.0
    with pytest.raises(RuntimeError, match="both"):
        unit.override_layout()


def test_summary_units_and_report():
    unit = FunctionUnit()
    unit.height, unit.width, unit.area = 1e-6, 2e-6, 2e-12
    unit.read_latency, unit.read_dynamic_energy, unit.leakage = 3e-9, 4e-12, 5e-6
    s = unit.summary()
    assert (s["height_m"], s["width_m"], s["area_m2"]) == (1e-6, 2e-6, 2e-12)
    assert (s["read_latency_s"], s["read_dynamic_energy_j"], s["leakage_w"]) == (3e-9, 4e-12, 5e-6)
    text = unit.print_property("Unit")
    assert "Area = 1um x 2um = 2um^2" in text and "Read Latency = 3ns" in text
    assert "Read Dynamic Energy = 4pJ" in text and "Leakage Power = 5uW" in text


def test_require_initialized_names_class_and_method():
    unit = FunctionUnit()
    with pytest.raises(RuntimeError, match=r"FunctionUnit\.calculate_area: call initialize"):
        require_initialized(unit, "calculate_area")
    unit.initialized = True
    require_initialized(unit, "calculate_area")


@pytest.mark.parametrize("option,height,width,area", [
    (AreaModify.NONE, 3e-6, 4e-6, 12e-12),
    (AreaModify.MAGIC, 2e-6, 6e-6, 12e-12),
    (AreaModify.OVERRIDE, 2e-6, 5e-6, 10e-12),
])
def test_apply_area_option(option, height, width, area):
    unit = FunctionUnit()
    unit.area, unit.height, unit.width = 12e-12, 3e-6, 4e-6
    apply_area_option(unit, 2e-6, 5e-6, option)
    assert (unit.new_height, unit.new_width) == (2e-6, 5e-6)
    assert (unit.height, unit.width, unit.area) == pytest.approx((height, width, area))


def test_finfet_width_factor():
    assert finfet_width_factor(SimpleNamespace(feature_size=22e-9, nonplanar=False)) == 1
    assert finfet_width_factor(SimpleNamespace(feature_size=14e-9, nonplanar=True)) == 2
    assert finfet_width_factor(SimpleNamespace(feature_size=7e-9, nonplanar=True)) == 2
