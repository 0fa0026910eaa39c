"""What the engine expects of plugin components, and the check applied when one registers.

Every circuit is a :class:`neurosim.primitives.function_unit.FunctionUnit` subclass built as
``Cls(ctx)`` from the evaluation context (:class:`neurosim.engine.context.Context`), then
``initialize(...)``, ``calculate_area(...)``, ``calculate_latency(...)`` and
``calculate_power(...)`` with NeuroSim V1.4's argument order, leaving its results in
``area``/``height``/``width`` (m², m), ``read_latency`` (s), ``read_dynamic_energy`` (J) and
``leakage`` (W). The ADC contract (vectorized over input vectors) is documented on
``MultilevelSenseAmp`` and ``SarADC``; the interconnect contract on ``HTree``/``XYBus`` and in
:mod:`neurosim.testing.conformance_interconnect`.

:func:`contract_problem` is what the plugin host runs on every ``register(...)`` call: an
object that does not fit its kind (``register("x", 42)`` from a device hook) becomes a load
error of the plugin that registered it, instead of a crash later in an estimate.
"""

from __future__ import annotations

from typing import Any

#: Roles of peripheral circuits; the configuration picks one implementation per role
#: (``[peripherals] <role> = "<name>"``; the ADC with ``adc = "mlsa" | "sar" | ...``).
PERIPHERAL_ROLES: tuple[str, ...] = (
    "row_decoder", "decoder_driver", "wl_decoder_output", "wl_new_decoder_driver", "mux",
    "new_mux", "demux", "switch_matrix", "new_switch_matrix", "level_shifter", "precharger",
    "sram_write_driver", "sense_amp", "current_sense_amp", "voltage_sense_amp", "sram_new_sa",
    "read_circuit", "adc", "mlsa_encoder", "dff", "adder", "adder_tree", "shift_add",
    "bit_shifter", "comparator", "max_pooling", "sigmoid", "buffer", "bus",
)

#: The first-party distribution holding each role's NeuroSim V1.4 implementation (registered
#: under the name ``neurosim``), so a core-only install can say what to ``pip install``.
FIRST_PARTY_CIRCUITS: dict[str, str] = {
    **{role: "neurosim-peripheral-drivers" for role in (
        "row_decoder", "decoder_driver", "wl_decoder_output", "wl_new_decoder_driver", "mux",
        "new_mux", "demux", "switch_matrix", "new_switch_matrix", "level_shifter",
        "precharger", "sram_write_driver")},
    **{role: "neurosim-peripheral-sense" for role in (
        "sense_amp", "current_sense_amp", "voltage_sense_amp", "sram_new_sa", "read_circuit",
        "mlsa_encoder")},
    **{role: "neurosim-peripheral-digital" for role in (
        "dff", "adder", "adder_tree", "shift_add", "bit_shifter", "comparator", "max_pooling",
        "sigmoid", "buffer", "bus")},
}


def install_hint(kind: str, name: str, role: str | None = None) -> str:
    """The distribution that conventionally provides a component (``neurosim-<kind>-<name>``;
    ADCs ``neurosim-peripheral-adc-<name>``; the ``neurosim`` circuits by role)."""
    if kind == "peripheral":
        if name == "neurosim" and role in FIRST_PARTY_CIRCUITS:
            return FIRST_PARTY_CIRCUITS[role]
        return f"neurosim-peripheral-{'adc-' if role == 'adc' else ''}{name}".lower()
    return f"neurosim-{kind}-{name}".lower()


def _describe(obj: Any) -> str:
    if isinstance(obj, type):
        return f"the class {obj.__module__}.{obj.__qualname__}"
    text = repr(obj)
    return f"{type(obj).__name__} {text[:60] + '...' if len(text) > 60 else text}"


def contract_problem(kind: str, name: Any, obj: Any, role: Any = None) -> str | None:
    """Why ``obj`` cannot be registered as a ``kind`` named ``name`` (None if it can).

    * tech: a :class:`neurosim.technology.TechNode` instance;
    * device: a subclass of :class:`neurosim.devices.Device` (the class, not an instance);
    * interconnect and peripheral: a subclass of
      :class:`neurosim.primitives.function_unit.FunctionUnit`; a peripheral's role is one of
      :data:`PERIPHERAL_ROLES`;
    * network: a :class:`neurosim.networks.NetworkSpec`.

    Names are non-empty strings without spaces.
    """
    if not isinstance(name, str) or not name or name != name.strip() or " " in name:
        return f"component name {name!r} must be a non-empty string without spaces"
    if kind == "peripheral" and role not in PERIPHERAL_ROLES:
        return (f"peripheral role {role!r} (for {name!r}) is not one of neurosim's roles: "
                f"{', '.join(PERIPHERAL_ROLES)}")
    expected, ok = _expected(kind, obj)
    if ok:
        return None
    what = f"{kind} {role + ' ' if kind == 'peripheral' else ''}{name!r}"
    return f"{what} is registered with {_describe(obj)}, not {expected}"


def _expected(kind: str, obj: Any) -> tuple[str, bool]:
    if kind == "tech":
        from .technology import TechNode
        return "a neurosim.technology.TechNode", isinstance(obj, TechNode)
    if kind == "device":
        from .devices import Device
        return ("a subclass of neurosim.devices.Device",
                isinstance(obj, type) and issubclass(obj, Device))
    if kind in ("interconnect", "peripheral"):
        from .primitives.function_unit import FunctionUnit
        return ("a subclass of neurosim.primitives.function_unit.FunctionUnit",
                isinstance(obj, type) and issubclass(obj, FunctionUnit))
    if kind == "network":
        from .networks import NetworkSpec
        return "a neurosim.networks.NetworkSpec", isinstance(obj, NetworkSpec)
    return "one of the kinds tech, device, interconnect, peripheral, network", False
