"""Standard checks for memory-device plugins (:class:`neurosim.devices.Device`).

::

    from neurosim.testing.conformance_device import DeviceConformance

    class TestPCM(DeviceConformance):
        device_name = "pcm"
        distribution = "neurosim-device-pcm"

The checks build the device's cell through the engine's own path
(:func:`neurosim.engine.context.build_context`, so the technology plugins named in
``tech_names`` must be installed; a missing one skips the check that needs it, naming it).
Class attributes a plugin may set:

``tech_names``
    nodes to build the cell at (default 22 nm and 7 nm; an RRAM-like device NeuroSim rejects
    at 14 nm and below sets e.g. ``("22nm", "45nm")``);
``access_types``
    cell access types to build (default: ``cmos`` and ``none`` for eNVM cells, ``cmos`` for
    SRAM);
``cell_bits``
    bits per cell to check the conductance map with (default 1, 2, 4 for eNVM; 1 for SRAM);
``config_overrides``
    extra options for every configuration the checks build.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from typing import Any, ClassVar

import numpy as np
import pytest

from ..config import Config, load_config
from ..devices import (
    UNIT_SUFFIXES,
    Device,
    DeviceParams,
    MemCell,
    apply_device_defaults,
    conductance_range_s,
)
from ..errors import NeuroSimError, UnknownComponentError
from ..plugins import PluginHost
from ..primitives.constants import MemCellType
from .conformance import ComponentConformance


class DeviceConformance(ComponentConformance):
    """Checks for a device plugin: set ``device_name`` and ``distribution``."""

    kind: ClassVar[str] = "device"
    device_name: ClassVar[str] = ""
    tech_names: ClassVar[tuple[str, ...]] = ("22nm", "7nm")
    access_types: ClassVar[tuple[str, ...] | None] = None
    cell_bits: ClassVar[tuple[int, ...] | None] = None
    config_overrides: ClassVar[dict[str, Any]] = {}

    @classmethod
    def component_name(cls) -> str:
        return cls.device_name

    # -- helpers -------------------------------------------------------------------------------
    def _access_types(self, device: type[Device]) -> tuple[str, ...]:
        if self.access_types is not None:
            return self.access_types
        return ("cmos",) if device.family == "sram" else ("cmos", "none")

    def _cell_bits(self, device: type[Device]) -> tuple[int, ...]:
        if self.cell_bits is not None:
            return self.cell_bits
        return (1,) if device.family == "sram" else (1, 2, 4)

    def _config(self, **options: Any) -> Config:
        return load_config(overrides={"device": self.device_name, **self.config_overrides,
                                      **options})

    def _build(self, host: PluginHost, **options: Any) -> Any:
        """The engine's context for this device with ``options`` (skips a missing node)."""
        from ..engine.context import build_context

        config = self._config(**options)
        try:
            host.registry.entry("tech", config.tech)
        except UnknownComponentError:
            pytest.skip(f"technology plugin {config.tech} is not installed "
                        f"(pip install neurosim-tech-{config.tech})")
        return build_context(config, host.registry)

    @pytest.fixture
    def device(self, conformance_host: PluginHost) -> type[Device]:
        return conformance_host.registry.get("device", self.device_name)

    # -- checks --------------------------------------------------------------------------------
    def test_is_device_class(self, device: Any) -> None:
        """The registered object is a concrete :class:`neurosim.devices.Device` subclass
        whose ``name`` is the registered name.

        Troubleshooting: register the class itself (``register("pcm", PCMDevice)``), not an
        instance; set the class attributes ``name``, ``family`` ("sram" or "envm"),
        ``mem_cell_type`` (the NeuroSim circuit branch) and ``params``.
        """
        assert isinstance(device, type) and issubclass(device, Device), device
        assert not getattr(device, "__abstractmethods__", None), device.__abstractmethods__
        assert device.name == self.device_name
        assert device.family in ("sram", "envm"), device.family
        assert isinstance(device.mem_cell_type, MemCellType), device.mem_cell_type
        assert (device.family == "sram") == (device.mem_cell_type == MemCellType.SRAM)

    def test_params_typed_with_units(self, device: Any) -> None:
        """``params`` is a frozen dataclass (a DeviceParams) with typed, unit-named fields
        and a docstring citing the values' source.

        Troubleshooting: declare ``@dataclass(frozen=True) class MyParams(DeviceParams)``
        with fields like ``resistance_on_ohm: float = 40e3``; every numeric field name ends
        in a unit (``neurosim.devices.UNIT_SUFFIXES``); put the citation in the docstring.
        """
        params = device.params
        assert isinstance(params, DeviceParams) and dataclasses.is_dataclass(params)
        assert type(params).__dataclass_params__.frozen, "the preset must be frozen"
        doc = type(params).__doc__ or ""
        assert doc.strip() and not doc.startswith(f"{type(params).__name__}("), (
            "the preset class needs a docstring citing its sources")
        hints = typing.get_type_hints(type(params))
        for f in dataclasses.fields(params):
            value = getattr(params, f.name)
            assert f.name in hints, f"{f.name} has no type annotation"
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                assert f.name.endswith(UNIT_SUFFIXES), (
                    f"{type(params).__name__}.{f.name}: numeric field names end in a unit "
                    f"({', '.join(UNIT_SUFFIXES)})")
                assert math.isfinite(value), f.name

    def test_build_cell_physical(self, device: Any, conformance_host: PluginHost) -> None:
        """At each node and access type the cell has finite positive resistances, voltages,
        pulse width, feature size and geometry, with Roff > Ron.

        Troubleshooting: ``build_cell`` must fill the MemCell members NeuroSim's circuits
        read; derive them from ``param`` (which already holds the device preset's options)
        rather than from constants, and raise a ``NeuroSimError`` naming the option for a
        configuration the device cannot build.
        """
        for tech in self.tech_names:
            for access in self._access_types(device):
                ctx = self._build(conformance_host, tech=tech, access_type=access)
                cell = ctx.cell
                where = f"{self.device_name} at {tech}, access_type={access}"
                assert isinstance(cell, MemCell), where
                assert cell.mem_cell_type == device.mem_cell_type, where
                assert cell.family == device.family, where
                positive = ["resistance_on", "resistance_off", "resistance_avg",
                            "read_voltage", "access_voltage", "write_voltage",
                            "read_pulse_width", "feature_size", "height_in_feature_size",
                            "width_in_feature_size", "area"]
                if device.family == "envm":
                    positive += ["res_mem_cell_on", "res_mem_cell_off", "res_mem_cell_avg"]
                    if access == "cmos":
                        positive += ["res_cell_access", "width_access_cmos"]
                else:
                    positive += ["cap_sram_cell", "min_sense_voltage", "width_sram_cell_nmos",
                                 "width_sram_cell_pmos", "width_access_cmos"]
                bad = {m: getattr(cell, m) for m in positive
                       if not (math.isfinite(getattr(cell, m)) and getattr(cell, m) > 0)}
                assert bad == {}, (where, bad)
                assert cell.resistance_off > cell.resistance_on, where
                if device.family == "envm":
                    assert cell.res_mem_cell_off > cell.res_mem_cell_on, where
                    assert cell.res_mem_cell_on <= cell.res_mem_cell_avg <= cell.res_mem_cell_off

    def test_preset_reaches_cell(self, device: Any, conformance_host: PluginHost) -> None:
        """The preset's option values (Ron, Roff, read pulse, ...) are what the cell gets
        when the configuration leaves those options at NeuroSim's defaults.

        Troubleshooting: name preset fields exactly like the configuration options
        (``resistance_on_ohm``, ``read_pulse_width_s``, ``height_1t1r_f`` ...), and read
        the values in ``build_cell`` from ``param`` (``param.resistance_on``), not from
        ``config`` defaults.
        """
        options = device.params.option_defaults()
        ctx = self._build(conformance_host, tech=self.tech_names[0])
        applied = apply_device_defaults(self._config(tech=self.tech_names[0]), device)
        for name in options:
            assert getattr(ctx.config, name) == getattr(applied, name), name
        cell = ctx.cell
        pairs = {"resistance_on_ohm": "resistance_on", "resistance_off_ohm": "resistance_off",
                 "read_pulse_width_s": "read_pulse_width", "access_voltage_v": "access_voltage",
                 "write_voltage_v": "write_voltage", "min_sense_voltage_v": "min_sense_voltage"}
        for option, member in pairs.items():
            if option in options and option not in self.config_overrides:
                assert getattr(cell, member) == pytest.approx(options[option], rel=1e-12), option

    def test_weight_to_conductance(self, device: Any, conformance_host: PluginHost) -> None:
        """Levels 0 .. 2^b - 1 map monotonically onto [1/Roff, 1/Ron], ends included, the
        same way every call; levels beyond +/-(2^b - 1) raise a NeuroSimError. Negative
        levels down to -(2^b - 1) are the digits NeuroSim gives a weight below
        ``algoWeightMin``: the base class extends its line below 1/Roff for them, as
        NeuroSim does; a device may map them otherwise or refuse them.

        Troubleshooting: follow NeuroSim's ``LoadInWeightData`` (linear in the level)
        unless the device is known to be nonlinear; return float64 siemens of the input's
        shape; check the level range and raise ``neurosim.devices.DeviceError``.
        """
        cell = self._build(conformance_host, tech=self.tech_names[0]).cell
        g_min, g_max = conductance_range_s(cell)
        for bits in self._cell_bits(device):
            levels = np.arange(2 ** bits).reshape(1, -1)
            g = device.weight_to_conductance(levels, cell, bits)
            assert g.shape == levels.shape and g.dtype == np.float64, (bits, g.shape, g.dtype)
            flat = g.ravel()
            assert np.all(np.diff(flat) > 0), (bits, flat)
            assert flat[0] == pytest.approx(g_min, rel=1e-12), bits
            assert flat[-1] == pytest.approx(g_max, rel=1e-12), bits
            assert np.all((flat >= g_min * (1 - 1e-12)) & (flat <= g_max * (1 + 1e-12)))
            again = device.weight_to_conductance(levels.copy(), cell, bits)
            assert np.array_equal(g, again), bits
            with pytest.raises(NeuroSimError):
                device.weight_to_conductance(np.array([2 ** bits]), cell, bits)
            with pytest.raises(NeuroSimError):
                device.weight_to_conductance(np.array([-(2 ** bits)]), cell, bits)

    def test_build_cell_deterministic(self, device: Any, conformance_host: PluginHost) -> None:
        """Building the cell twice for the same configuration gives equal cells.

        Troubleshooting: ``build_cell`` must not keep state between calls or use
        randomness; it is called once per estimation.
        """
        a = self._build(conformance_host, tech=self.tech_names[0]).cell
        b = self._build(conformance_host, tech=self.tech_names[0]).cell
        assert a == b

    def test_nonideality_preset(self, device: Any) -> None:
        """An optional ``nonidealities`` preset is a
        :class:`neurosim.accuracy.nonideal.NonIdealityPreset` with a citation and figures in
        range, and ``device_nonidealities = true`` brings its figures into the accuracy
        run's options (those left at their defaults).

        Troubleshooting: declare ``nonidealities: ClassVar[NonIdealityPreset] =
        NonIdealityPreset(source="<citation>", stuck_at_0_rate=..., ...)``; rates in [0, 1]
        summing to at most 1, sigmas and drift >= 0, ``variation_mode`` per_call, d2d or
        c2c; leave out figures you cannot cite (they stay 0).
        """
        from ..accuracy.nonideal import NonIdealityPreset, apply_device_preset

        preset = getattr(device, "nonidealities", None)
        if preset is None:  # no cited figures: turning presets on must change nothing
            on = self._config(device_nonidealities=True)
            assert apply_device_preset(on) == on
            return
        assert isinstance(preset, NonIdealityPreset), type(preset)
        preset.check()
        base = self._config()
        assert apply_device_preset(base) == base  # off by default: V1.4's values
        on = apply_device_preset(self._config(device_nonidealities=True))
        for name in NonIdealityPreset.OPTIONS:
            if name == "variation_mode" and preset.variation == 0:
                continue
            assert getattr(on, name) == getattr(preset, name), name


__all__ = ["DeviceConformance"]
