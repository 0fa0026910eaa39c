"""NeuroSim V1.4's node-dependent rejections, keyed on physics rather than on names.

NeuroSim tests ``technode <= 14`` and ``memcelltype == 2``; here the rules read the node's
family (FinFET / GAA, from its plugin data) and the circuit branch the device declares
(``Device.mem_cell_type``: a third-party resistive cell that uses the RRAM branch of every
circuit gets the same rule as ``rram``):

* the RRAM circuit branch (RRAM-CIM) at a FinFET / GAA node;
* the HP roadmap at a FinFET / GAA node (no HP transistor model there);
* an operating temperature other than 300 K at a FinFET / GAA node (the TCAD current tables
  of those nodes are flat 300 K data).
"""

from __future__ import annotations

from typing import Any

from .errors import RejectedConfiguration, UnknownComponentError
from .primitives.constants import MemCellType


def check_node_rules(config: Any, node: Any, device: Any) -> None:
    """Raise :class:`RejectedConfiguration` for the combinations NeuroSim rejects.

    ``node`` is a :class:`~neurosim.technology.TechNode`, ``device`` a
    :class:`~neurosim.devices.Device` class (or None when unknown).
    """
    if node.family == "planar":
        return
    where = f"at tech = {config.tech} (a {node.family} node)"
    if device is not None and int(getattr(device, "mem_cell_type", -1)) == int(MemCellType.RRAM):
        raise RejectedConfiguration(
            f"device = {config.device} (memcelltype=2) {where}: {config.device} uses the RRAM "
            "circuit branch, and RRAM-CIM is not supported at FinFET / GAA nodes (NeuroSim: "
            "'RRAM-CIM is not supported beyond 22 nm')")
    if config.device_roadmap == "hp":
        raise RejectedConfiguration(
            f"device_roadmap = hp (deviceroadmap=1) {where}: FinFET / GAA nodes have no HP "
            "transistor model (NeuroSim: the HP roadmap is not supported at 14 nm and below)")
    if config.temperature_k != 300:
        raise RejectedConfiguration(
            f"temperature_k = {config.temperature_k:g} (temp) {where}: the FinFET / GAA "
            "current tables are 300 K data (NeuroSim: only 300 K operation is supported at "
            "14 nm and below)")


def check_installed_node_rules(config: Any) -> None:
    """:func:`check_node_rules` with the node and device the installed plugins register.

    A node or device that is not installed is left to the component lookup (which names the
    distribution to install); nothing is checked then.
    """
    from .plugins import get_registry

    registry = get_registry()
    try:
        node = registry.get("tech", config.tech)
    except UnknownComponentError:
        return
    try:
        device = registry.get("device", config.device)
    except UnknownComponentError:
        device = None
    check_node_rules(config, node, device)


__all__ = ["check_node_rules", "check_installed_node_rules"]
