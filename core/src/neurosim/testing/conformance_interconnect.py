"""Standard checks for global-interconnect plugins (tile-to-tile buses such as the H-tree).

::

    from neurosim.testing.conformance_interconnect import InterconnectConformance

    class TestHTree(InterconnectConformance):
        interconnect_name = "htree"
        distribution = "neurosim-interconnect-htree"
        latency_args = (0, 0, 1, 1, UNIT_HEIGHT_M, UNIT_WIDTH_M, 10)
        power_args = (0, 0, 1, 1, UNIT_HEIGHT_M, UNIT_WIDTH_M, 128, 10)

An interconnect is a :class:`neurosim.primitives.function_unit.FunctionUnit` subclass built
as ``Cls(ctx)`` and driven like NeuroSim's ``HTree`` / ``XYBus``:
``initialize(num_row, num_col, delaytolerance, bus_width, clk_freq)``, then
``calculate_area(unit_height, unit_width, foldedratio)``, ``calculate_latency(*latency_args)``
and ``calculate_power(*power_args)`` (the plugin states its own argument tuples, which use
the kit's unit size ``UNIT_HEIGHT_M`` x ``UNIT_WIDTH_M``). The context comes from
:func:`neurosim.engine.context.build_context` for ``tech_names`` (technology plugins and
the default ``sram`` device must be installed; a missing one skips the check, naming it).
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import pytest

from ..config import load_config
from ..errors import UnknownComponentError
from ..plugins import PluginHost
from ..primitives.function_unit import FunctionUnit
from .conformance import ComponentConformance

#: Size of one unit (tile) the checks connect, in m.
UNIT_HEIGHT_M = 1.0e-3
UNIT_WIDTH_M = 1.2e-3
#: Grid, bus width (bits) and folding ratio of the checks.
GRID = (4, 4)
BUS_WIDTH = 256
FOLDED_RATIO = 4


class InterconnectConformance(ComponentConformance):
    """Checks for an interconnect plugin: set ``interconnect_name``, ``distribution``,
    ``latency_args`` and ``power_args``."""

    kind: ClassVar[str] = "interconnect"
    interconnect_name: ClassVar[str] = ""
    tech_names: ClassVar[tuple[str, ...]] = ("22nm", "7nm")
    latency_args: ClassVar[tuple[Any, ...]] = ()
    power_args: ClassVar[tuple[Any, ...]] = ()

    @classmethod
    def component_name(cls) -> str:
        return cls.interconnect_name

    # -- helpers -------------------------------------------------------------------------------
    def _context(self, host: PluginHost, tech: str, **options: Any) -> Any:
        from ..engine.context import build_context

        config = load_config(overrides={"tech": tech, **options})
        for kind, name in (("tech", config.tech), ("device", config.device)):
            try:
                host.registry.entry(kind, name)
            except UnknownComponentError:
                pytest.skip(f"{kind} plugin {name} is not installed")
        return build_context(config, host.registry)

    def _evaluate(self, cls: type, ctx: Any, bus_width: float = BUS_WIDTH) -> Any:
        if not (self.latency_args and self.power_args):
            pytest.fail(f"{type(self).__name__} must set latency_args and power_args")
        unit = cls(ctx)
        unit.initialize(GRID[0], GRID[1], ctx.param.global_bus_delay_tolerance, bus_width,
                        ctx.param.clk_freq)
        unit.calculate_area(UNIT_HEIGHT_M, UNIT_WIDTH_M, FOLDED_RATIO)
        unit.calculate_latency(*self.latency_args)
        unit.calculate_power(*self.power_args)
        return unit

    @pytest.fixture
    def interconnect(self, conformance_host: PluginHost) -> type:
        return conformance_host.registry.get("interconnect", self.interconnect_name)

    # -- checks --------------------------------------------------------------------------------
    def test_is_function_unit(self, interconnect: Any) -> None:
        """The registered object is a FunctionUnit subclass with NeuroSim's four methods.

        Troubleshooting: register the class (``register("htree", HTree)``); subclass
        ``neurosim.primitives.function_unit.FunctionUnit`` and implement ``initialize``,
        ``calculate_area``, ``calculate_latency`` and ``calculate_power``.
        """
        assert isinstance(interconnect, type) and issubclass(interconnect, FunctionUnit)
        for method in ("initialize", "calculate_area", "calculate_latency", "calculate_power"):
            assert callable(getattr(interconnect, method, None)), method

    def test_figures_finite_positive(self, interconnect: Any,
                                     conformance_host: PluginHost) -> None:
        """At each node: area, read latency, read energy and leakage are finite and > 0, in
        SI units (m^2, s or cycles, J, W).

        Troubleshooting: a zero usually means a method left a figure unset; NaN/inf a
        division by a zero repeater distance or an uninitialised member. Areas of 1e-12 to
        1e-3 m^2 are plausible for a chip bus; larger values suggest mixed units.
        """
        for tech in self.tech_names:
            unit = self._evaluate(interconnect, self._context(conformance_host, tech))
            figures = {"area": unit.area, "read_latency": unit.read_latency,
                       "read_dynamic_energy": unit.read_dynamic_energy, "leakage": unit.leakage}
            bad = {k: v for k, v in figures.items() if not (math.isfinite(v) and v > 0)}
            assert bad == {}, (tech, bad)
            assert 1e-12 < unit.area < 1e-3, (tech, unit.area)

    def test_wider_bus_costs_more(self, interconnect: Any,
                                  conformance_host: PluginHost) -> None:
        """Doubling the bus width increases the area and does not decrease leakage.

        Troubleshooting: the area of a bus is proportional to its width in bits; check that
        ``initialize``'s ``bus_width`` reaches ``calculate_area``.
        """
        ctx = self._context(conformance_host, self.tech_names[0])
        narrow = self._evaluate(interconnect, ctx, BUS_WIDTH)
        wide = self._evaluate(interconnect, ctx, 2 * BUS_WIDTH)
        assert wide.area > narrow.area
        assert wide.leakage >= narrow.leakage

    def test_asynchronous_latency_in_seconds(self, interconnect: Any,
                                             conformance_host: PluginHost) -> None:
        """With ``synchronous = false`` the read latency is a time well below 1 ms.

        Troubleshooting: in synchronous mode NeuroSim counts latencies in clock cycles;
        without it they are seconds. Read ``ctx.param.synchronous`` at calculation time.
        """
        ctx = self._context(conformance_host, self.tech_names[0], synchronous=False)
        unit = self._evaluate(interconnect, ctx)
        assert 0 < unit.read_latency < 1e-3, unit.read_latency

    def test_evaluation_deterministic(self, interconnect: Any,
                                      conformance_host: PluginHost) -> None:
        """Two fresh instances given the same calls report identical figures.

        Troubleshooting: keep all state on the instance (no module-level caches that
        depend on call order).
        """
        ctx = self._context(conformance_host, self.tech_names[0])
        a = self._evaluate(interconnect, ctx).summary()
        b = self._evaluate(interconnect, ctx).summary()
        assert a == b


__all__ = ["InterconnectConformance", "UNIT_HEIGHT_M", "UNIT_WIDTH_M", "GRID", "BUS_WIDTH",
           "FOLDED_RATIO"]
