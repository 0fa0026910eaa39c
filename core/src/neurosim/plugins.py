"""Plugin discovery and loading that survives broken plugins.

Entry points of the ``neurosim`` group are loaded one by one (never with pluggy's
``load_setuptools_entrypoints``, which aborts on the first failure): a plugin that raises on
import, implements a misspelled hook, fails in its registration code or registers an object
that does not fit its kind's contract (:func:`neurosim.contracts.contract_problem`) is
recorded as a :class:`LoadError` naming its distribution, and the rest still load. A name two
distributions register is a conflict (an error of the second one); looking that name up fails,
everything else works.

Environment:

``NEUROSIM_DISABLE_PLUGINS``
    comma-separated distribution (entry-point) names not to load, e.g. when a broken plugin
    stops the CLI: ``NEUROSIM_DISABLE_PLUGINS=neurosim-device-pcm neurosim plugins``.
``NEUROSIM_LOAD_PLUGINS``
    if set, an allow-list: only these are loaded (empty: none).
``NEUROSIM_TRACE_PLUGINS``
    if set (non-empty, not ``0``), every step (entry point loaded or skipped, hook called,
    component registered or refused) is written to standard error as ``neurosim-trace: ...``.
"""

from __future__ import annotations

import os
import re
import sys
import traceback
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from importlib import metadata

import pluggy

from . import hookspecs
from .contracts import contract_problem
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
                "error": self.error, "traceback": self.traceback}


@dataclass
class PluginInfo:
    """One plugin (an entry point, or an object registered in code) and its state.

    ``status`` is ``loaded``, ``disabled`` (by an environment variable, named in ``reason``)
    or ``failed`` (see the host's errors).
    """

    name: str
    distribution: str
    version: str
    module: str
    entry_point: str = ""
    path: str = ""
    hooks: list[str] = field(default_factory=list)
    status: str = "loaded"
    reason: str = ""
    commands: list[str] = field(default_factory=list)


def _env_list(var: str) -> list[str] | None:
    raw = os.environ.get(var)
    if raw is None:
        return None
    return [s.strip() for s in raw.split(",") if s.strip()]


def _tracing() -> bool:
    return os.environ.get("NEUROSIM_TRACE_PLUGINS", "") not in ("", "0")


# -- entry-point discovery ---------------------------------------------------------------------
#
# ``importlib.metadata.entry_points`` costs a fifth of the start-up of a small ``neurosim
# compat`` run (importing it pulls in the ``email`` package; then every distribution's metadata
# is read). The scan below reads only what the ``neurosim`` group needs, with the same result:
# every ``*.dist-info`` / ``*.egg-info`` folder of every ``sys.path`` folder, in path order, the
# first distribution of a name winning (importlib.metadata's ``_unique``), its
# ``entry_points.txt`` section ``[neurosim]``, and ``Name`` / ``Version`` from its metadata.
# Anything it does not model (a zip or other non-folder path entry, a meta-path finder that
# finds distributions) falls back to importlib.metadata.

_EP_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


@dataclass(frozen=True)
class _Dist:
    """The ``dist`` of a scanned entry point: the distribution's ``Name`` and ``Version``."""

    name: str
    version: str


@dataclass(frozen=True)
class _EntryPoint:
    """One entry point found by :func:`discover_entry_points` (the attributes of
    ``importlib.metadata.EntryPoint`` the host reads, and ``load``)."""

    name: str
    value: str
    group: str
    dist: _Dist | None = None

    def load(self) -> Any:
        """Import the module and look up the attribute, as ``EntryPoint.load`` does."""
        import importlib

        match = _EP_VALUE.match(self.value)
        if match is None:
            raise ValueError(f"malformed entry point value {self.value!r}")
        obj: Any = importlib.import_module(match.group("module"))
        for part in (match.group("attr") or "").split(".") if match.group("attr") else ():
            obj = getattr(obj, part)
        return obj


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _headers(folder: str) -> tuple[str, str] | None:
    """``Name`` and ``Version`` of the metadata file of a dist-info / egg-info folder."""
    for fname in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(folder, fname), encoding="utf-8", errors="replace") as f:
                name = version = None
                for line in f:
                    if not line.strip():
                        break  # end of the header block
                    key, sep, value = line.partition(":")
                    if sep and key == "Name" and name is None:
                        name = value.strip()
                    elif sep and key == "Version" and version is None:
                        version = value.strip()
                return (name, version) if name else None
        except OSError:
            continue
    return None


def _group_lines(text: str, group: str) -> list[tuple[str, str]]:
    """``name = value`` pairs of section ``[group]`` of an ``entry_points.txt``."""
    out, section = [], None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")  # as importlib.metadata ("[ x ]" names " x ")
            continue
        if section == group:
            name, sep, value = line.partition("=")
            if sep:
                out.append((name.strip(), value.strip()))
    return out


def discover_entry_points(group: str = "neurosim") -> list[Any]:
    """The installed entry points of ``group``, in the order (and with the names, values
    and distributions) ``importlib.metadata.entry_points(group=group)`` gives."""
    finders = [f for f in sys.meta_path if hasattr(f, "find_distributions")
               and (f if isinstance(f, type) else type(f)).__name__ != "PathFinder"]
    paths = [p or "." for p in sys.path]
    if finders or any(not os.path.isdir(p) for p in paths if os.path.exists(p)):
        from importlib import metadata as md

        return list(md.entry_points(group=group))
    seen: set[str] = set()
    found: list[Any] = []
    for path in paths:
        try:
            entries = os.listdir(path)
        except OSError:
            continue
        for entry in entries:
            stem, dot, suffix = entry.rpartition(".")
            if suffix not in ("dist-info", "egg-info") or not dot:
                continue
            folder = os.path.join(path, entry)
            key = _normalized(stem.partition("-")[0])
            if key in seen:
                continue
            try:
                with open(os.path.join(folder, "entry_points.txt"), encoding="utf-8") as f:
                    text = f.read()
            except OSError:
                text = ""
            if not os.path.isdir(folder):
                continue
            seen.add(key)
            if f"[{group}]" not in text.replace(" ", ""):
                continue
            head = _headers(folder)
            dist = _Dist(*head) if head and head[1] is not None else None
            found += [_EntryPoint(n, v, group, dist) for n, v in _group_lines(text, group)]
    return found


def _module_path(module: Any) -> str:
    path = getattr(module, "__file__", None)
    if path is None and not hasattr(module, "__name__"):
        path = getattr(sys.modules.get(type(module).__module__), "__file__", None)
    elif path is None:
        path = getattr(sys.modules.get(getattr(module, "__module__", "")), "__file__", None)
    return str(path or "")


class PluginHost:
    """A pluggy manager plus the registry its plugins filled and the load errors."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(GROUP)
        self.pm.add_hookspecs(hookspecs)
        self.registry = Registry()
        self.errors: list[LoadError] = []
        self.plugins: dict[str, PluginInfo] = {}
        self.trace_enabled = _tracing()
        if self.trace_enabled:
            self.pm.trace.root.setwriter(lambda text: print(f"neurosim-trace: pluggy: {text}",
                                                            end="", file=sys.stderr))
            self.pm.enable_tracing()

    def trace(self, message: str) -> None:
        """One ``neurosim-trace:`` line on stderr when NEUROSIM_TRACE_PLUGINS is set."""
        if self.trace_enabled:
            print(f"neurosim-trace: {message}", file=sys.stderr)

    def _error(self, err: LoadError) -> None:
        self.errors.append(err)
        self.trace(f"error in {err.distribution}: {err.error}")

    # -- loading ---------------------------------------------------------------------------
    def load_entry_points(self, entry_points: Iterable[metadata.EntryPoint] | None = None) -> None:
        """Load every entry point of the ``neurosim`` group (or those given), one by one."""
        if entry_points is None:
            entry_points = discover_entry_points(GROUP)
        disabled = set(_env_list("NEUROSIM_DISABLE_PLUGINS") or [])
        allowed = _env_list("NEUROSIM_LOAD_PLUGINS")
        for ep in sorted(entry_points, key=lambda e: e.name):
            dist = ep.dist.name if ep.dist is not None else ep.name
            version = ep.dist.version if ep.dist is not None else "unknown"
            where = f"{ep.name} = {ep.value}"
            reason = ("NEUROSIM_DISABLE_PLUGINS" if ep.name in disabled else
                      "not in NEUROSIM_LOAD_PLUGINS" if allowed is not None
                      and ep.name not in allowed else "")
            if reason:
                self.plugins.setdefault(ep.name, PluginInfo(
                    ep.name, dist, version, ep.value, where, status="disabled", reason=reason))
                self.trace(f"skipped {where} ({dist} {version}): {reason}")
                continue
            if self.pm.has_plugin(ep.name):
                self.trace(f"skipped {where}: a plugin named {ep.name} is already loaded")
                continue
            self.trace(f"loading {where} ({dist} {version})")
            try:
                module = ep.load()
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # noqa: BLE001 - a plugin may raise anything
                self.plugins[ep.name] = PluginInfo(ep.name, dist, version, ep.value, where,
                                                   status="failed")
                self._error(LoadError(dist, where, f"{type(exc).__name__}: {exc}",
                                      traceback.format_exc()))
                continue
            self.register_plugin(module, ep.name, dist, version, entry_point=where)

    def register_plugin(self, module: Any, name: str, distribution: str | None = None,
                        version: str = "unknown", *, entry_point: str = "") -> None:
        """Register one plugin object (a module or instance with hook implementations)."""
        distribution = distribution or name
        modname = getattr(module, "__name__", type(module).__name__)
        info = PluginInfo(name, distribution, version, modname, entry_point or name,
                          _module_path(module))
        try:
            self.pm.register(module, name=name)
        except Exception as exc:  # noqa: BLE001 - e.g. pluggy refusing a hook signature
            info.status = "failed"
            self.plugins.setdefault(name, info)
            self._error(LoadError(distribution, info.entry_point,
                                  f"{type(exc).__name__}: {exc}", traceback.format_exc()))
            return
        self.plugins[name] = info
        info.hooks = sorted(c.name for c in self.pm.get_hookcallers(module) or [])
        self.trace(f"registered plugin {name} ({distribution} {version}) from "
                   f"{info.path or modname}; hooks: {', '.join(info.hooks) or 'none'}")

    def check_pending(self) -> None:
        """Record hook implementations that match no hook spec (misspelled names)."""
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            plugin = exc.plugin
            name = self.pm.get_name(plugin) or str(plugin)
            info = self.plugins.get(name)
            self._error(LoadError(info.distribution if info else name,
                                  info.entry_point if info else name,
                                  f"PluginValidationError: {exc}"))
            self.pm.unregister(plugin)
            if info is not None:
                info.status = "failed"
            self.check_pending()

    # -- registration ----------------------------------------------------------------------
    def _info(self, plugin: Any) -> PluginInfo:
        name = self.pm.get_name(plugin)
        return self.plugins.get(name) or PluginInfo(name, name, "unknown", "?", name)

    def collect(self) -> None:
        """Call every ``neurosim_register_*`` hook, one plugin at a time, into the registry."""
        for hook_name, kind in _HOOK_KIND.items():
            caller = getattr(self.pm.hook, hook_name)
            for impl in caller.get_hookimpls():
                info = self._info(impl.plugin)
                register = partial(self._register, kind, info)
                self.trace(f"calling {hook_name} of {info.name}")
                try:
                    impl.function(register=register)
                except Exception as exc:  # noqa: BLE001 - the plugin's registration code failed
                    self._error(LoadError(info.distribution, info.entry_point,
                                          f"{type(exc).__name__} in {hook_name}: {exc}",
                                          traceback.format_exc()))

    def _register(self, kind: str, info: PluginInfo, *args: Any, aliases=(),
                  description: str = "") -> None:
        """The ``register`` callback handed to a plugin's hook: validate, then add."""
        want = 3 if kind == "peripheral" else 2
        if len(args) != want:
            form = "register(role, name, obj)" if want == 3 else "register(name, obj)"
            raise TypeError(f"{kind} registration takes {form}; got {len(args)} positional "
                            "argument(s)")
        role, name, obj = args if kind == "peripheral" else (None, *args)
        if isinstance(aliases, str):
            aliases = (aliases,)
        problems = [contract_problem(kind, n, obj, role) for n in (name, *aliases)]
        problem = next((p for p in problems if p), None)
        if problem:
            self._error(LoadError(info.distribution, info.entry_point,
                                  f"ContractError: {problem} (registered by "
                                  f"{info.distribution} {info.version})"))
            return
        # a class or function is listed by its own module; a data object (a TechNode) by the
        # plugin module that registered it
        module = (getattr(obj, "__module__", None) if callable(obj) else None) or info.module
        entry = Entry(kind=kind, name=name, obj=obj, distribution=info.distribution,
                      version=info.version, module=module, role=role,
                      aliases=tuple(str(a) for a in aliases), description=str(description))
        try:
            self.registry.add(entry)
        except DuplicateComponentError as exc:
            self.registry.add_conflict(entry, str(exc))
            self._error(LoadError(info.distribution, info.entry_point,
                                  f"DuplicateComponentError: {exc}"))
            return
        self.trace(f"  {info.distribution} registered {kind} "
                   f"{role + ' ' if role else ''}{name!r}")

    def add_commands(self, cli: Any) -> None:
        """Let plugins add subcommands; each plugin's new command names are recorded, and a
        plugin replacing an existing command is a load error (the original is kept)."""
        for impl in self.pm.hook.neurosim_register_commands.get_hookimpls():
            info = self._info(impl.plugin)
            # the stored table: commands registered lazily stay unimported (neurosim.cli)
            raw = getattr(cli, "raw_commands", None)
            commands = raw() if raw is not None else getattr(cli, "commands", {})
            before = dict(commands)
            try:
                impl.function(cli=cli)
            except Exception as exc:  # noqa: BLE001 - the plugin's command code failed
                self._error(LoadError(info.distribution, info.entry_point,
                                      f"{type(exc).__name__} in neurosim_register_commands: "
                                      f"{exc}", traceback.format_exc()))
            for name, cmd in before.items():
                now = commands.get(name)
                if now is not cmd and not (hasattr(cmd, "load") and now is cmd.load()):
                    commands[name] = cmd
                    self._error(LoadError(info.distribution, info.entry_point,
                                          f"CommandConflict: the command {name!r} already "
                                          "exists; the plugin's replacement is ignored"))
            info.commands = sorted(set(commands) - set(before))
            self.trace(f"  {info.distribution} added command(s) "
                       f"{', '.join(info.commands) or 'none'}")

    def components_of(self, distribution: str) -> list[Entry]:
        return [e for e in self.registry if e.distribution == distribution]


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
