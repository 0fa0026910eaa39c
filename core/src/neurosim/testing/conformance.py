"""Standard checks every neurosim plugin's test suite inherits (langchain-tests style).

A plugin subclasses the class for its kind and sets class attributes; pytest collects the
inherited ``test_*`` methods::

    from neurosim.testing.conformance import TechConformance

    class TestTech22nm(TechConformance):
        tech_name = "22nm"
        distribution = "neurosim-tech-22nm"

:class:`ComponentConformance` holds the checks common to every kind (entry point in the
installed metadata, registration under one name by this distribution only, determinism,
pickling); kind-specific classes add their own. Overriding a standard test is allowed only
with ``@pytest.mark.xfail(reason=...)`` on the override (``test_no_overrides`` enforces it).
Each test's docstring has a *Troubleshooting* paragraph.
"""

from __future__ import annotations

import math
import pickle
from importlib import metadata
from typing import Any, ClassVar, Iterator

import pytest

from ..errors import ConfigError
from ..plugins import GROUP, PluginHost
from . import make_host

_ENV_FILTERS = ("NEUROSIM_DISABLE_PLUGINS", "NEUROSIM_LOAD_PLUGINS")


class ComponentConformance:
    """Checks for any registered component: set ``kind``, ``distribution`` and the name.

    Subclasses for a kind set ``kind`` and say where the name comes from by overriding
    :meth:`component_name` (``TechConformance`` reads ``tech_name``); for peripheral circuits
    ``role`` is set too.
    """

    kind: ClassVar[str] = ""
    distribution: ClassVar[str] = ""
    name: ClassVar[str] = ""
    role: ClassVar[str | None] = None

    # -- configuration -----------------------------------------------------------------------
    @classmethod
    def component_name(cls) -> str:
        return cls.name

    def _require_config(self) -> None:
        missing = [a for a, v in (("kind", self.kind), ("distribution", self.distribution),
                                  ("name", self.component_name())) if not v]
        if missing:
            pytest.fail(f"{type(self).__name__} must set the class attribute(s) "
                        f"{', '.join(missing)}")

    def _entry_points(self) -> list[metadata.EntryPoint]:
        try:
            dist = metadata.distribution(self.distribution)
        except metadata.PackageNotFoundError:
            pytest.fail(f"distribution {self.distribution!r} is not installed (pip install -e "
                        "its folder, then rerun)")
        return [ep for ep in dist.entry_points if ep.group == GROUP]

    # -- fixtures ------------------------------------------------------------------------------
    @pytest.fixture
    def conformance_host(self, monkeypatch: pytest.MonkeyPatch) -> PluginHost:
        """A fresh host with every installed plugin (environment filters cleared)."""
        self._require_config()
        for var in _ENV_FILTERS:
            monkeypatch.delenv(var, raising=False)
        return make_host()

    @pytest.fixture
    def own_host(self, monkeypatch: pytest.MonkeyPatch) -> PluginHost:
        """A fresh host holding only this distribution's entry point(s)."""
        self._require_config()
        for var in _ENV_FILTERS:
            monkeypatch.delenv(var, raising=False)
        return make_host(self._entry_points())

    @pytest.fixture
    def component(self, own_host: PluginHost) -> Any:
        return own_host.registry.get(self.kind, self.component_name(), role=self.role)

    # -- checks --------------------------------------------------------------------------------
    def test_entry_point_in_metadata(self) -> None:
        """The distribution declares an entry point named after itself in group ``neurosim``.

        Troubleshooting: add ``[project.entry-points.neurosim] <dist-name> = "<pkg>.plugin"``
        to pyproject.toml and reinstall (``pip install -e .``): entry points are read from the
        installed metadata, not from the source tree.
        """
        self._require_config()
        names = [ep.name for ep in self._entry_points()]
        assert self.distribution in names, (
            f"{self.distribution} declares entry points {names} in group {GROUP!r}; expected "
            f"one named {self.distribution!r}")

    def test_loads_without_errors(self, own_host: PluginHost) -> None:
        """Loading the plugin alone raises nothing and leaves no load error.

        Troubleshooting: run ``neurosim plugins`` to see the error; a misspelled hook
        (``neurosim_register_tech``) shows up here as a PluginValidationError.
        """
        assert own_host.errors == [], "\n".join(
            f"{e.distribution}: {e.error}\n{e.traceback}" for e in own_host.errors)

    def test_registered_by_this_distribution(self, own_host: PluginHost) -> None:
        """The distribution alone registers the component, with its name and version.

        Troubleshooting: the ``register`` call in the hook must use exactly the name the
        test class sets; the version comes from the installed metadata (reinstall after a
        version bump).
        """
        entry = own_host.registry.entry(self.kind, self.component_name(), role=self.role)
        assert entry.name == self.component_name()
        assert entry.distribution == self.distribution
        assert entry.version == metadata.version(self.distribution)

    def test_registered_once(self, conformance_host: PluginHost) -> None:
        """With every installed plugin loaded, the name is registered once, by this plugin.

        Troubleshooting: another installed distribution registers the same name (or alias);
        uninstall one of them or rename the component.
        """
        name = self.component_name()
        same = [e for e in conformance_host.registry
                if e.kind == self.kind and e.role == self.role
                and (e.name == name or name in e.aliases)]
        assert len(same) == 1, [(e.name, e.distribution) for e in same]
        assert same[0].distribution == self.distribution
        ours = [e for e in conformance_host.errors if e.distribution == self.distribution]
        assert ours == [], ours

    def test_deterministic(self, component: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        """Loading the plugin twice gives equal components.

        Troubleshooting: the registered object must not depend on time, randomness or
        mutable module state; define ``__eq__`` (dataclasses do) for data objects.
        """
        for var in _ENV_FILTERS:
            monkeypatch.delenv(var, raising=False)
        again = make_host(self._entry_points()).registry.get(
            self.kind, self.component_name(), role=self.role)
        assert again == component

    def test_pickle_roundtrip(self, component: Any) -> None:
        """The component survives pickling (needed to run estimations in worker processes).

        Troubleshooting: avoid lambdas, open files and locks in the registered object;
        classes must be importable at module level.
        """
        assert pickle.loads(pickle.dumps(component)) == component

    def test_no_overrides(self) -> None:
        """Standard tests are not overridden unless marked ``xfail`` with a reason.

        Troubleshooting: delete the override, or decorate it with
        ``@pytest.mark.xfail(reason="why this plugin cannot pass it")``.
        """
        cls = type(self)
        for base in cls.__mro__:
            if not base.__module__.startswith("neurosim.testing"):
                continue
            for attr, std in vars(base).items():
                if not attr.startswith("test_") or not callable(std):
                    continue
                mine = getattr(cls, attr)
                if mine is std or _defined_in_kit(cls, attr):
                    continue
                marks = [m for m in getattr(mine, "pytestmark", []) if m.name == "xfail"]
                assert marks and marks[0].kwargs.get("reason"), (
                    f"{cls.__name__}.{attr} overrides a standard neurosim test without "
                    "@pytest.mark.xfail(reason=...)")


def _defined_in_kit(cls: type, attr: str) -> bool:
    """True when the class that provides ``attr`` for ``cls`` is part of the kit itself."""
    for base in cls.__mro__:
        if attr in vars(base):
            return base.__module__.startswith("neurosim.testing")
    return False


# ----------------------------------------------------------------------------------------
def _numbers(obj: Any, path: str = "") -> Iterator[tuple[str, float]]:
    """Every numeric leaf of a nested dict/list, with its dotted path (bools excluded)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _numbers(v, f"{path}.{k}" if path else str(k))
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            yield from _numbers(v, f"{path}[{i}]")
    elif isinstance(obj, (int, float)) and not isinstance(obj, bool):
        yield path, obj


def _close(a: float, b: float, rel: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=0.0)


class TechConformance(ComponentConformance):
    """Checks for a technology-node plugin: set ``tech_name`` and ``distribution``.

    The registered object must be a :class:`neurosim.technology.TechNode` whose data is
    finite, positive where physical, in the documented units, with Vdd > Vth and Ion > Ioff
    at every temperature, from which :class:`neurosim.technology.Technology` derives for
    every transistor type and roadmap it holds.
    """

    kind: ClassVar[str] = "tech"
    tech_name: ClassVar[str] = ""
    #: ``fit_fallback`` of the kit's estimates: ``"none"`` requires every circuit fit in the
    #: node's data; a node that ships none (no published Cadence fits) sets ``"nearest"``.
    fit_fallback: ClassVar[str] = "none"

    @classmethod
    def component_name(cls) -> str:
        return cls.tech_name

    @pytest.fixture
    def node(self, component: Any) -> Any:
        return component

    @pytest.fixture
    def technologies(self, node: Any) -> list[Any]:
        from ..technology import Technology

        return [Technology.from_node(node, td.roadmap, td.transistor_type)
                for td in node.technology_cpp]

    def test_is_tech_node(self, node: Any) -> None:
        """The registered object is a TechNode.

        Troubleshooting: register ``TechNode.from_json(<path to node.json>)``, not a dict or
        a path.
        """
        from ..technology import TechNode

        assert isinstance(node, TechNode), type(node)

    def test_feature_size_matches_name(self, node: Any, technologies: list[Any]) -> None:
        """The name is ``<node_nm>nm`` and the derived feature size is that node.

        Troubleshooting: ``name`` and ``node_nm`` in node.json must agree (``"7nm"`` / 7).
        """
        assert node.name == self.tech_name
        assert node.name == f"{node.node_nm}nm"
        for tech in technologies:
            assert tech.feature_size_in_nano == node.node_nm
            assert _close(tech.feature_size, node.node_nm * 1e-9)

    def test_data_finite(self, node: Any) -> None:
        """Every number of the node data is finite.

        Troubleshooting: JSON has no NaN/Infinity; look for a value computed from a zero.
        """
        bad = [(p, v) for p, v in _numbers(node.to_dict()) if not math.isfinite(v)]
        assert bad == []

    def test_positive_where_physical(self, node: Any) -> None:
        """Voltages, lengths, capacitances, currents, resistivities are > 0 (>= 0 if optional).

        Troubleshooting: a zero usually means a value left out of node.json; members a
        NeuroSim branch does not set stay 0 only where the checks allow it.
        """
        p = node.param_cpp
        positive = ("metal0", "metal1", "wire_width", "barrierthickness", "featuresize",
                    "read_voltage", "height_in_feature_size_sram", "width_in_feature_size_sram",
                    "width_sram_cell_nmos", "width_sram_cell_pmos", "width_access_cmos",
                    "sizingfactor_mux", "sizingfactor_wldecoder", "newswitchmatrixsizeratio",
                    "switchmatrixsizeratio", "ar", "rho_bulk", "rho", "ar_metal0",
                    "rho_bulk_metal0", "rho_metal0", "ar_metal1", "rho_bulk_metal1",
                    "rho_metal1", "metal0_unitwireresis", "metal1_unitwireresis",
                    "unit_length_wire_resistance")
        bad = [f for f in positive if not getattr(p, f) > 0]
        bad += [f for f in ("buffernumber", "buffersizeratio") if getattr(p, f) < 0]
        for td in node.technology_cpp:
            where = f"{td.transistor_type}/{td.roadmap}"
            for f in ("vdd", "vth", "phy_gate_length", "cap_ideal_gate",
                      "effective_resistance_multiplier", "current_gm_nmos", "current_gm_pmos",
                      "pn_size_ratio"):
                if not getattr(td, f) > 0:
                    bad.append(f"{where}.{f}")
            for f in ("current_on_nmos", "current_on_pmos", "current_off_nmos",
                      "current_off_pmos"):
                if not all(v > 0 for v in getattr(td, f)):
                    bad.append(f"{where}.{f}")
            for f in ("cap_fringe", "cap_draintotal", "height_fin", "width_fin", "pitch_fin",
                      "max_fin_num", "effective_width", "max_fin_per_gaa", "max_sheet_num",
                      "thickness_sheet", "width_sheet", "gm_oncurrent"):
                if getattr(td, f) < 0:
                    bad.append(f"{where}.{f}")
            if node.family == "finfet" and td.transistor_type == "conventional":
                bad += [f"{where}.{f}" for f in ("width_fin", "pitch_fin", "effective_width",
                                                 "max_fin_num") if not getattr(td, f) > 0]
            if node.family == "gaa" and td.transistor_type == "conventional":
                bad += [f"{where}.{f}" for f in ("thickness_sheet", "width_sheet",
                                                 "effective_width", "max_sheet_num",
                                                 "max_fin_per_gaa") if not getattr(td, f) > 0]
        if node.cap_junction is not None and not node.cap_junction > 0:
            bad.append("cap_junction")
        assert bad == []

    def test_units_consistent(self, node: Any) -> None:
        """Magnitudes match the documented units (m, nm, F/m, A/m, ohm*m) and derived
        values agree with their inputs.

        Troubleshooting: ``neurosim.technology.UNITS`` lists each field's unit; wire widths
        are in nm, all other lengths in metres; currents are per unit width (uA/um = A/m).
        """
        from ..technology import ParamCpp

        p = node.param_cpp
        assert 1 <= p.wire_width <= 1000 and 1 <= p.metal0 <= 1000 and 1 <= p.metal1 <= 1000
        assert _close(p.featuresize, p.wire_width * 1e-9)
        assert 1e-11 <= p.barrierthickness <= 1e-7
        assert 0.05 <= p.read_voltage <= 5
        inputs = {f: getattr(p, f) for f in (
            "metal0", "metal1", "wire_width", "barrierthickness", "featuresize", "read_voltage",
            "height_in_feature_size_sram", "width_in_feature_size_sram", "width_sram_cell_nmos",
            "width_sram_cell_pmos", "width_access_cmos", "sram_cell_source", "sizingfactor_mux",
            "sizingfactor_wldecoder", "newswitchmatrixsizeratio", "switchmatrixsizeratio",
            "buffernumber", "buffersizeratio")}
        derived = ParamCpp.derive(**inputs)
        for f in ("ar", "ar_metal0", "ar_metal1", "rho_bulk", "rho_bulk_metal0",
                  "rho_bulk_metal1", "rho", "rho_metal0", "rho_metal1", "metal0_unitwireresis",
                  "metal1_unitwireresis", "unit_length_wire_resistance"):
            assert _close(getattr(p, f), getattr(derived, f), 1e-12), f
        for td in node.technology_cpp:
            where = f"{td.transistor_type}/{td.roadmap}"
            assert 0.1 <= td.vdd <= 5, where
            assert 1e-9 <= td.phy_gate_length <= 1e-6, where
            assert 1e-12 <= td.cap_ideal_gate <= 1e-7, where
            assert td.cap_fringe <= 1e-7 and td.cap_draintotal <= 1e-7, where
            for f in ("current_on_nmos", "current_on_pmos"):
                assert all(1 <= v <= 1e5 for v in getattr(td, f)), (where, f)
            for f in ("current_off_nmos", "current_off_pmos"):
                assert all(1e-9 <= v <= 1e2 for v in getattr(td, f)), (where, f)
            for f in ("height_fin", "width_fin", "pitch_fin", "effective_width",
                      "thickness_sheet", "width_sheet"):
                v = getattr(td, f)
                assert v == 0 or 1e-10 <= v <= 1e-6, (where, f, v)
            if td.transistor_type == "conventional" and node.family == "gaa":
                assert _close(td.effective_width, 2 * (td.thickness_sheet + td.width_sheet))
            if (td.transistor_type == "conventional" and node.family == "finfet"
                    and td.height_fin > 0):
                assert _close(td.effective_width, 2 * td.height_fin + td.width_fin)
        if node.cap_junction is not None:
            assert 1e-5 <= node.cap_junction <= 1, node.cap_junction

    def test_vdd_above_vth(self, node: Any) -> None:
        """Supply voltage exceeds the threshold voltage for every transistor model.

        Troubleshooting: both are in volts; check for mV.
        """
        for td in node.technology_cpp:
            assert td.vdd > td.vth, (td.transistor_type, td.roadmap, td.vdd, td.vth)

    def test_on_current_above_off_current(self, technologies: list[Any]) -> None:
        """Ion > Ioff for NMOS and PMOS at every temperature 300..400 K (1 K steps).

        Troubleshooting: both tables are per unit width in A/m; an Ioff table in uA/um next
        to an Ion table in A/m, or swapped tables, fail here.
        """
        for tech in technologies:
            assert len(tech.current_on_nmos) == 101
            for on, off in (("current_on_nmos", "current_off_nmos"),
                            ("current_on_pmos", "current_off_pmos")):
                for i, (a, b) in enumerate(zip(getattr(tech, on), getattr(tech, off))):
                    assert a > b, (tech.transistor_type.name, tech.device_roadmap.name, on,
                                   300 + i, a, b)

    def test_technology_derivable(self, node: Any, technologies: list[Any]) -> None:
        """Technology derives for each roadmap the node holds, and LSTP exists.

        Troubleshooting: ``Technology.from_node`` raises the reason (a missing roadmap or an
        unsupported transistor type) as a ConfigError.
        """
        assert "lstp" in node.supported("conventional"), "the default roadmap (LSTP) is missing"
        assert len(technologies) == len(node.technology_cpp)
        for tech in technologies:
            values = [v for _, v in _numbers(tech.to_dict())]
            assert all(math.isfinite(v) for v in values)
            assert tech.cap_junction > 0 and tech.cap_sidewall > 0

    def test_unsupported_combinations_rejected(self, node: Any) -> None:
        """Roadmaps / transistor types without data raise ConfigError naming them.

        Troubleshooting: NeuroSim rejects HP at FinFET / GAA nodes (14 nm and below); 2D-FET
        and TFET data exist only at 22/14 nm. The message must name the option and the node.
        """
        from ..technology import ROADMAPS, TRANSISTOR_TYPES, Technology

        for tt in TRANSISTOR_TYPES:
            for rm in ROADMAPS:
                if rm in node.supported(tt):
                    continue
                with pytest.raises(ConfigError) as info:
                    Technology.from_node(node, rm, tt)
                msg = str(info.value)
                assert node.name in msg
                assert (tt in msg) if tt != "conventional" else ("hp" in msg or rm in msg)


    def test_schema_valid(self, node: Any) -> None:
        """The node data validates against the published schema ``neurosim-technode/2``.

        Troubleshooting: the message lists each violation with its path in node.json; the
        schema (``neurosim/data/technode-2.schema.json``) documents every field and unit, and
        docs/writing-plugins.md ("Writing a technology node") walks through one.
        """
        from ..technology import schema_errors

        errors = schema_errors(node.to_dict())
        assert errors == [], "node.json does not follow neurosim-technode/2:\n" + "\n".join(
            errors)

    def test_small_estimate_every_circuit(self, node: Any, conformance_host: PluginHost
                                          ) -> None:
        """A Micro-sized network estimates on this node with SRAM and one eNVM cell, with
        every installed ADC and every alternative peripheral: area, latency and energy come
        out finite and positive.

        Troubleshooting: a ``ConfigError`` naming ``circuit_fits.<circuit>.<datum>`` means
        the node lacks a fit a circuit reads (add it to node.json; the schema lists each
        circuit's data); a ZeroDivisionError or NaN points at layout rules or transistor data
        (``layout.cpp``, fin / sheet counts) that a formula divides by.
        """
        for config, label in _estimate_configs(self.tech_name, node, conformance_host.registry,
                                               self.fit_fallback):
            chip = _small_estimate(config, conformance_host.registry)
            bad = {k: chip.get(k) for k in ("area_m2", "read_latency_s", "read_energy_j")
                   if not (isinstance(chip.get(k), float) and math.isfinite(chip[k])
                           and chip[k] > 0)}
            assert bad == {}, (label, bad)


#: The Micro network of the golden cases (tests/golden/networks/Micro.csv), as rows.
MICRO_LAYERS = ((8, 8, 3, 3, 3, 32, 0, 1), (8, 8, 32, 3, 3, 64, 1, 1), (4, 4, 64, 3, 3, 128, 1, 1),
                (1, 1, 512, 1, 1, 10, 0, 1))


def _estimate_configs(tech: str, node: Any, registry: Any, fit_fallback: str = "none"
                      ) -> list[tuple[Any, str]]:
    """``(config, label)`` of the kit's estimates: SRAM and the first installed eNVM device
    NeuroSim's rules accept at the node, each with every installed ADC; then every other
    peripheral implementation once (with SRAM)."""
    from ..config import load_config
    from ..errors import RejectedConfiguration
    from ..node_rules import check_node_rules

    base = {"tech": tech, "synapse_bits": "4", "input_bits": "2", "cell_bits": "1",
            "fit_fallback": fit_fallback}
    devices = ["sram"] if "sram" in registry.names("device") else []
    for name in registry.names("device"):
        cls = registry.get("device", name)
        if getattr(cls, "family", "") != "envm":
            continue
        try:
            check_node_rules(load_config(overrides={**base, "device": name}, validate=False),
                             node, cls)
        except RejectedConfiguration:
            continue
        devices.append(name)
        break
    out = []
    for device in devices:
        for adc in registry.names("peripheral", role="adc"):
            cfg = load_config(overrides={**base, "device": device, "adc": adc})
            out.append((cfg, f"device={device} adc={adc}"))
    for role in registry.roles():
        if role == "adc" or not devices:
            continue
        for impl in registry.names("peripheral", role=role):
            if impl != "neurosim":
                cfg = load_config(overrides={**base, "device": devices[0],
                                             f"peripherals.{role}": impl})
                out.append((cfg, f"device={devices[0]} {role}={impl}"))
    assert out, "no memory device is installed to estimate with"
    return out


def _small_estimate(config: Any, registry: Any) -> dict[str, Any]:
    """The chip totals of :data:`MICRO_LAYERS` with seeded random traces."""
    import numpy as np

    from ..engine.context import build_context
    from ..engine.flow import estimate
    from ..engine.traces import LayerSpec

    layers = [LayerSpec(*row[:6], bool(row[6]), row[7]) for row in MICRO_LAYERS]
    rng = np.random.default_rng(0)
    levels = 2 ** (config.synapse_bits - 1)
    weights = [np.round(rng.uniform(-1, 1, (la.weight_rows, la.cout)) * levels) / levels
               for la in layers]
    inputs = [(rng.random((la.weight_rows, la.num_in_vector * config.input_bits)) < 0.3)
              .astype(np.int8) for la in layers]
    result = estimate(config, layers, weights, inputs, ctx=build_context(config, registry))
    return result.chip.to_json()


__all__ = ["ComponentConformance", "TechConformance", "MICRO_LAYERS"]
