"""Plugin discovery and loading that survives broken plugins.

Entry points of the ``neurosim`` group are loaded one by one (never with pluggy's
``load_setuptools_entrypoints``, which aborts on the first failure): a plugin that raises on
import is recorded as a :class:`LoadError` and the rest still load.

Environment:

``NEUROSIM_DISABLE_PLUGINS``
    comma-separated distribution (entry-point) names not to load, e.g. when a broken plugin
    stops the CLI: ``NEUROSIM_DISABLE_PLUGINS=neurosim-device-pcm neurosim plugins``.
``NEUROSIM_LOAD_PLUGINS``
    if set, an allow-list: only these are loaded (empty: none).
"""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass
from functools import partial
from importlib import metadata
from typing import Any, Iterable

import pluggy

from . import hookspecs
from .errors import DuplicateComponentError
from .registry import Entry, Registry

GROUP = "neurosim"

_HOOK_KIND = {
    "neurosim_register_techs": "tech",
    "neurosim_register_devices": "device",
    "neurosim_register_interconnects": "interconnect",
    "neurosim_register_peripherals": "peripheral",
    "neurosim_register_networks": "network",
}


@dataclass(frozen=True)
class LoadError:
    """A plugin that could not be loaded or registered, and why."""

    distribution: str
    entry_point: str
    error: str
    traceback: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"distribution": self.distribution, "entry_point": self.entry_point,
                "error": self.error}


@dataclass
class PluginInfo:
    name: str
    distribution: str
    version: str
    module: str


def _env_list(var: str) -> list[str] | None:
    raw = os.environ.get(var)
    if raw is None:
        return None
    return [s.strip() for s in raw.split(",") if s.strip()]


class PluginHost:
    """A pluggy manager plus the registry its plugins filled and the load errors."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(GROUP)
        self.pm.add_hookspecs(hookspecs)
        self.registry = Registry()
        self.errors: list[LoadError] = []
        self.plugins: dict[str, PluginInfo] = {}
        if os.environ.get("NEUROSIM_TRACE_PLUGINS"):
            self.pm.trace.root.setwriter(print)
            self.pm.enable_tracing()

    # -- loading ---------------------------------------------------------------------------
    def load_entry_points(self, entry_points: Iterable[metadata.EntryPoint] | None = None) -> None:
        if entry_points is None:
            entry_points = metadata.entry_points(group=GROUP)
        disabled = set(_env_list("NEUROSIM_DISABLE_PLUGINS") or [])
        allowed = _env_list("NEUROSIM_LOAD_PLUGINS")
        for ep in sorted(entry_points, key=lambda e: e.name):
            if ep.name in disabled or (allowed is not None and ep.name not in allowed):
                continue
            dist = ep.dist.name if ep.dist is not None else ep.name
            version = ep.dist.version if ep.dist is not None else "unknown"
            if self.pm.has_plugin(ep.name):
                continue
            try:
                module = ep.load()
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # noqa: BLE001 - a plugin may raise anything
                self.errors.append(LoadError(dist, f"{ep.name} = {ep.value}",
                                             f"{type(exc).__name__}: {exc}",
                                             traceback.format_exc()))
                continue
            self.register_plugin(module, ep.name, dist, version)

    def register_plugin(self, module: Any, name: str, distribution: str | None = None,
                        version: str = "unknown") -> None:
        """Register one plugin object (a module or instance with hook implementations)."""
        distribution = distribution or name
        try:
            self.pm.register(module, name=name)
        except Exception as exc:  # e.g. pluggy's validation of a bad hookimpl signature
            self.errors.append(LoadError(distribution, name, f"{type(exc).__name__}: {exc}"))
            return
        modname = getattr(module, "__name__", type(module).__name__)
        self.plugins[name] = PluginInfo(name, distribution, version, modname)

    def check_pending(self) -> None:
        """Record hook implementations that match no hook spec (misspelled names)."""
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            plugin = exc.plugin
            name = self.pm.get_name(plugin) or str(plugin)
            info = self.plugins.get(name)
            self.errors.append(LoadError(info.distribution if info else name, name,
                                         f"PluginValidationError: {exc}"))
            self.pm.unregister(plugin)
            self.plugins.pop(name, None)
            self.check_pending()

    # -- registration ----------------------------------------------------------------------
    def collect(self) -> None:
        """Call every ``neurosim_register_*`` hook, one plugin at a time, into the registry."""
        for hook_name, kind in _HOOK_KIND.items():
            caller = getattr(self.pm.hook, hook_name)
            for impl in caller.get_hookimpls():
                name = self.pm.get_name(impl.plugin)
                info = self.plugins.get(name) or PluginInfo(name, name, "unknown", "?")
                register = partial(self._register, kind, info)
                try:
                    impl.function(register=register)
                except DuplicateComponentError:
                    raise
                except Exception as exc:  # a plugin's registration code failed
                    self.errors.append(LoadError(info.distribution, name,
                                                 f"{type(exc).__name__} in {hook_name}: {exc}",
                                                 traceback.format_exc()))

    def _register(self, kind: str, info: PluginInfo, *args: Any, aliases=(), description="") -> None:
        if kind == "peripheral":
            role, name, obj = args
        else:
            (name, obj), role = args, None
        # a class or function is listed by its own module; a data object (a TechNode) by the
        # plugin module that registered it
        module = (getattr(obj, "__module__", None) if callable(obj) else None) or info.module
        self.registry.add(Entry(kind=kind, name=str(name), obj=obj, distribution=info.distribution,
                                version=info.version, module=module, role=role,
                                aliases=tuple(aliases), description=description))

    def add_commands(self, cli: Any) -> None:
        for impl in self.pm.hook.neurosim_register_commands.get_hookimpls():
            name = self.pm.get_name(impl.plugin)
            try:
                impl.function(cli=cli)
            except Exception as exc:
                info = self.plugins.get(name)
                self.errors.append(LoadError(info.distribution if info else name, name,
                                             f"{type(exc).__name__} in neurosim_register_commands: {exc}"))


_HOST: PluginHost | None = None


def get_host(reload: bool = False) -> PluginHost:
    """The process-wide plugin host, loaded lazily on first use."""
    global _HOST
    if _HOST is None or reload:
        host = PluginHost()
        host.load_entry_points()
        host.check_pending()
        host.collect()
        _HOST = host
    return _HOST


def get_registry() -> Registry:
    return get_host().registry
