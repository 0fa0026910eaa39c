"""The evaluation context handed to every circuit: configuration, derived NeuroSim
parameters, technology, memory cell and the registry of plugin components.

It replaces NeuroSim's global ``param``, ``tech``, ``cell`` and ``inputParameter`` objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..registry import Registry
from .compat_bugs import BUGS


@dataclass(frozen=True)
class InputParameter:
    """Process-level inputs of the transistor models (NeuroSim's ``InputParameter``)."""

    process_node: int
    device_roadmap: Any  # neurosim.primitives.constants.DeviceRoadmap
    temperature: int
    transistor_type: Any  # neurosim.primitives.constants.TransistorType


@dataclass
class Context:
    config: Config
    param: Any  # neurosim.engine.params.NeuroSimParams
    tech: Any  # neurosim.technology.Technology
    cell: Any  # neurosim.devices.MemCell
    input: InputParameter
    registry: Registry
    cache: dict = field(default_factory=dict)

    def bug(self, name: str) -> bool:
        """True when NeuroSim's defect ``name`` is to be reproduced."""
        if name not in BUGS:
            raise KeyError(f"undeclared compat bug {name!r}; declare it with register_bug")
        return self.config.compat_bugs

    def circuit(self, role: str) -> Any:
        """The circuit class the configuration selects for ``role``."""
        key = ("circuit", role)
        if key not in self.cache:
            if role == "adc":
                name = self.config.adc
            else:
                name = self.config.peripherals.get(role, "neurosim") if hasattr(
                    self.config, "peripherals") else "neurosim"
            self.cache[key] = self.registry.get("peripheral", name, role=role)
        return self.cache[key]

    def interconnect(self, name: str) -> Any:
        return self.registry.get("interconnect", name)


def build_context(config: Config, registry: Registry | None = None) -> Context:
    """Resolve the plugins ``config`` names and derive every model input."""
    from ..devices import apply_device_defaults
    from ..plugins import get_registry
    from ..primitives.constants import DeviceRoadmap, TransistorType
    from ..technology import Technology
    from .params import NeuroSimParams

    registry = registry or get_registry()
    device = registry.get("device", config.device)
    config = apply_device_defaults(config, device)  # the device's preset where NeuroSim's
    node_entry = registry.entry("tech", config.tech)
    node = node_entry.obj
    from ..circuit_fits import CircuitFits
    from ..node_rules import check_node_rules

    check_node_rules(config, node, device)  # NeuroSim's rejections, keyed on node physics
    others = ([registry.get("tech", n) for n in registry.names("tech")]
              if config.fit_fallback == "nearest" else ())
    fits = CircuitFits.of(node, distribution=f"{node_entry.distribution} "
                          f"{node_entry.version}".strip(), fallback=config.fit_fallback,
                          others=others)
    roadmap = DeviceRoadmap.HP if config.device_roadmap == "hp" else DeviceRoadmap.LSTP
    ttype = {"conventional": TransistorType.CONVENTIONAL, "fet_2d": TransistorType.FET_2D,
             "tfet": TransistorType.TFET}[config.transistor_type]
    tech = Technology.from_node(node, roadmap, ttype, fits=fits)
    param = NeuroSimParams.from_config(config, node,
                                       memcelltype=int(device.mem_cell_type) + 1)
    inp = InputParameter(process_node=node.node_nm, device_roadmap=roadmap,
                         temperature=int(config.temperature_k), transistor_type=ttype)
    cell = device.build_cell(config, param, tech)
    return Context(config=config, param=param, tech=tech, cell=cell, input=inp,
                   registry=registry)
