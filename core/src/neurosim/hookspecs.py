"""Hook specifications every neurosim plugin implements a subset of.

Each hook hands the plugin a ``register`` callback owned by the core; the plugin calls it
once per component it provides. The core records the component together with the plugin's
distribution name and version, so ``neurosim plugins`` can say where everything came from.

A plugin is a module (named by an entry point in the ``neurosim`` group, whose name is the
distribution name) holding functions decorated with :data:`neurosim.hookimpl`::

    from neurosim import hookimpl

    @hookimpl
    def neurosim_register_devices(register):
        register("pcm", PCMDevice, description="Ge2Sb2Te5 phase-change cell")

Hooks are never removed and their arguments never change meaning; new keyword arguments may
be added (pluggy passes an implementation only the arguments it names).

Every ``register`` call is checked against its kind's contract
(:func:`neurosim.contracts.contract_problem`): an object that does not fit (``register("x",
42)`` from a device hook), a bad name or an unknown peripheral role is a load error of the
plugin that registered it, named in ``neurosim plugins``, and its other components still
register. A name two plugins register is a conflict: only looking that name up fails.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol

import pluggy

hookspec = pluggy.HookspecMarker("neurosim")


class Register(Protocol):
    """``register(name, obj, *, aliases=(), description="")``: add one component."""

    def __call__(
        self, name: str, obj: Any, *, aliases: tuple[str, ...] = (), description: str = ""
    ) -> None: ...


class RegisterPeripheral(Protocol):
    """``register(role, name, obj, *, aliases=(), description="")``: add one circuit."""

    def __call__(
        self,
        role: str,
        name: str,
        obj: Any,
        *,
        aliases: tuple[str, ...] = (),
        description: str = "",
    ) -> None: ...


@hookspec
def neurosim_register_techs(register: Register) -> None:
    """Register technology nodes: ``register("22nm", TechNode(...))``.

    The object is a :class:`neurosim.technology.TechNode` holding the node's complete data.
    """


@hookspec
def neurosim_register_devices(register: Register) -> None:
    """Register memory-cell devices: ``register("rram", RRAMDevice)``.

    The object follows :class:`neurosim.devices.Device`: it builds the cell parameters
    (geometry, access device, resistances, voltages, weight-to-conductance mapping).
    """


@hookspec
def neurosim_register_interconnects(register: Register) -> None:
    """Register global interconnects: ``register("htree", HTree)``.

    The object is a circuit class following the interconnect contract in
    :mod:`neurosim.contracts`.
    """


@hookspec
def neurosim_register_peripherals(register: RegisterPeripheral) -> None:
    """Register peripheral circuits by role: ``register("adc", "sar", SarADC)``.

    Roles are listed in :data:`neurosim.contracts.PERIPHERAL_ROLES`; the configuration picks
    the implementation of each role (``[peripherals] adc = "sar"``).
    """


@hookspec
def neurosim_register_networks(register: Register) -> None:
    """Register network factories: ``register("vgg8", NetworkSpec(...))``.

    Factories must import torch only when called, never when the plugin module loads.
    """


@hookspec
def neurosim_register_commands(cli: Any) -> None:
    """Add subcommands to the ``neurosim`` command line (a :class:`click.Group`)."""


RegisterCallback = Callable[..., None]
