"""Effective configuration and provenance: every option's value after the device preset and
the node plugin, where it came from, and which plugin distributions produced the numbers.

Sources of an option value:

* ``default``: Param.cpp's default (:class:`~neurosim.config.Config`);
* ``file <path>`` / ``--set``: the user (config files in order, then ``--set``); where only the
  final configuration is known (the ``--json`` of ``estimate`` / ``compat``), ``user``;
* ``device preset <device> (<distribution> <version>)``: the device plugin's preset
  (:func:`neurosim.devices.apply_device_defaults`);
* ``node plugin <tech> (<distribution> <version>)``: a per-node Param.cpp value left unset
  (:mod:`neurosim.node_overrides`).

``config show`` prints them (``--toml`` writes the effective values as a TOML file that
loads back to the same configuration); the ``--json`` of ``estimate`` and ``compat`` carries
them under ``"provenance"`` with the distribution and version of every plugin used.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .config import Config, describe_options, parse_overrides, read_config_file, resolve_name
from .errors import UnknownComponentError


@dataclass(frozen=True)
class OptionValue:
    """One option of the effective configuration."""

    name: str
    value: Any
    source: str
    section: str
    unit: str
    aliases: tuple[str, ...]
    doc: str


def user_sources(config_files: Iterable[str] = (), overrides: Iterable[str] = ()
                 ) -> dict[str, str]:
    """Option name -> ``file <path>`` or ``--set`` for every option the user gave (the last
    one given wins, as in :func:`neurosim.config.load_config`)."""
    out: dict[str, str] = {}

    def add(keys: Iterable[str], source: str) -> None:
        for key in keys:
            if key.startswith("peripherals.") or key.startswith("peripheral_"):
                role = key.split(".", 1)[1] if "." in key else key[len("peripheral_"):]
                out["adc" if role == "adc" else "peripherals"] = source
            else:
                out[resolve_name(key)] = source

    for f in config_files:
        add(read_config_file(f), f"file {f}")
    items = overrides if isinstance(overrides, Mapping) else parse_overrides(overrides)
    add(items, "--set")
    return out


def _entry(registry: Any, kind: str, name: str, role: str | None = None) -> Any:
    try:
        return registry.entry(kind, name, role=role)
    except UnknownComponentError:
        return None


def _label(entry: Any) -> str:
    return f"{entry.distribution} {entry.version}".strip() if entry is not None else "?"


def effective_options(cfg: Config, registry: Any,
                      sources: Mapping[str, str] | None = None) -> list[OptionValue]:
    """Every option's effective value and source, in :func:`describe_options` order.

    ``sources`` is :func:`user_sources`; without it an option that differs from its default
    counts as ``user``.
    """
    from .devices import apply_device_defaults
    from .node_overrides import NODE_OPTIONS, node_option_values

    defaults = Config()
    dev_entry = _entry(registry, "device", cfg.device)
    node_entry = _entry(registry, "tech", cfg.tech)
    preset = apply_device_defaults(cfg, dev_entry.obj) if dev_entry is not None else cfg
    node_values = node_option_values(node_entry.obj) if node_entry is not None else {}
    rows = []
    for row in describe_options():
        name = row["name"]
        value = getattr(preset, name)
        if sources is not None and name in sources:
            source = sources[name]
        elif sources is None and getattr(cfg, name) != getattr(defaults, name):
            source = "user"
        else:
            source = "default"
        if getattr(preset, name) != getattr(cfg, name):
            source = f"device preset {cfg.device} ({_label(dev_entry)})"
        if name in NODE_OPTIONS and value is None and name in node_values:
            value = node_values[name]
            source = f"node plugin {cfg.tech} ({_label(node_entry)})"
        rows.append(OptionValue(name, value, source, row["section"], row["unit"],
                                tuple(row["aliases"]), row["doc"]))
    return rows


def plugins_used(cfg: Config, registry: Any) -> dict[str, Any]:
    """Name, distribution and version of each plugin an estimate with ``cfg`` uses."""
    def one(kind: str, name: str, role: str | None = None) -> dict[str, Any]:
        e = _entry(registry, kind, name, role)
        return {"name": name, "distribution": e.distribution if e else None,
                "version": e.version if e else None}

    out = {"tech": one("tech", cfg.tech), "device": one("device", cfg.device),
           "adc": one("peripheral", cfg.adc, "adc"),
           "global_bus": one("interconnect", cfg.global_bus)}
    if cfg.global_bus != "htree":  # the tiles' buses are H-trees whatever the global bus
        out["tile_bus"] = one("interconnect", "htree")
    out["peripherals"] = {role: one("peripheral", cfg.peripherals.get(role, "neurosim"), role)
                          for role in registry.roles() if role != "adc"}
    return out


def provenance_json(cfg: Config, registry: Any | None = None,
                    sources: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The ``"provenance"`` block of the JSON outputs: effective options with their sources
    and the plugins used."""
    if registry is None:
        from .plugins import get_registry

        registry = get_registry()
    rows = effective_options(cfg, registry, sources)
    return {"configuration": {r.name: _plain(r.value) for r in rows},
            "sources": {r.name: r.source for r in rows},
            "plugins": plugins_used(cfg, registry)}


def _plain(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    return dict(v) if isinstance(v, Mapping) else v


# -- TOML ---------------------------------------------------------------------------------
def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    return json.dumps(str(v))  # a TOML basic string (JSON escapes are TOML escapes)


def to_toml(rows: Iterable[OptionValue]) -> str:
    """The options as a TOML file, one table per section, each value commented with its
    source; ``load_config([file])`` reads it back to the same effective configuration."""
    rows = list(rows)
    lines = ["# neurosim effective configuration (neurosim config show --toml)"]
    section = None
    for r in rows:
        if r.name == "peripherals":
            continue
        if r.section != section:
            section = r.section
            lines += ["", f"[{section}]"]
        if r.value is None:
            lines.append(f"# {r.name} unset ({r.source})")
            continue
        unit = f" [{r.unit}]" if r.unit else ""
        lines.append(f"{r.name} = {_toml_value(r.value)}  # {r.source}{unit}")
    periph = next((r for r in rows if r.name == "peripherals"), None)
    if periph is not None and periph.value:
        lines += ["", "[peripherals]"]
        lines += [f"{role} = {_toml_value(impl)}" for role, impl in sorted(periph.value.items())]
    return "\n".join(lines) + "\n"


def replace_values(cfg: Config, rows: Iterable[OptionValue]) -> Config:
    """``cfg`` with every effective value written in (what a ``--toml`` file loads to)."""
    return dataclasses.replace(cfg, **{r.name: r.value for r in rows})


__all__ = ["OptionValue", "user_sources", "effective_options", "plugins_used",
           "provenance_json", "to_toml", "replace_values"]
