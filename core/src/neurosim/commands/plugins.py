"""``neurosim plugins``: what is installed, from where, and what failed.

    neurosim plugins                     # header + one block per plugin distribution
    neurosim plugins --kind device       # the component table of one kind
    neurosim plugins --components        # the component table of every kind
    neurosim plugins --json              # all of it, load errors with their tracebacks

The header names the core's version and location and the Python running it; each plugin
block shows its version, entry point, file, the hooks it implements, the components it
registered and the commands it added (a command-only plugin shows up too). Plugins skipped
because of ``NEUROSIM_DISABLE_PLUGINS`` / ``NEUROSIM_LOAD_PLUGINS`` are listed as disabled.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import textwrap
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..plugins import PluginHost, PluginInfo, get_host
from ..registry import KINDS, Entry

_ENV_VARS = ("NEUROSIM_DISABLE_PLUGINS", "NEUROSIM_LOAD_PLUGINS", "NEUROSIM_TRACE_PLUGINS")


def _label(e: Entry) -> str:
    return f"{e.role}:{e.name}" if e.role else e.name


def _component_dict(e: Entry) -> dict[str, Any]:
    return {"kind": e.kind, "role": e.role, "name": e.name, "distribution": e.distribution,
            "version": e.version, "module": e.module, "aliases": list(e.aliases),
            "description": e.description}


def _distribution_dict(host: PluginHost, info: PluginInfo, kind: str | None) -> dict[str, Any]:
    comps = [e for e in host.components_of(info.distribution) if kind in (None, e.kind)]
    return {"name": info.name, "distribution": info.distribution, "version": info.version,
            "entry_point": info.entry_point, "path": info.path, "hooks": info.hooks,
            "commands": info.commands, "status": info.status, "reason": info.reason,
            "components": [{"kind": e.kind, "role": e.role, "name": e.name} for e in comps]}


def _distributions(host: PluginHost, kind: str | None) -> list[PluginInfo]:
    infos = sorted(host.plugins.values(), key=lambda i: i.name)
    if kind is None:
        return infos
    return [i for i in infos if any(e.kind == kind for e in host.components_of(i.distribution))]


def listing(host: PluginHost, kind: str | None = None) -> dict[str, Any]:
    """The ``--json`` document: header, distributions, components and errors."""
    return {
        "neurosim": {"version": __version__, "path": str(Path(__file__).resolve().parents[1])},
        "python": {"version": platform.python_version(), "implementation":
                   platform.python_implementation(), "executable": sys.executable},
        "environment": {v: os.environ.get(v) for v in _ENV_VARS},
        "distributions": [_distribution_dict(host, i, kind) for i in _distributions(host, kind)],
        "components": [_component_dict(e) for e in host.registry if kind in (None, e.kind)],
        "errors": [err.to_dict() for err in host.errors],
    }


def _header(host: PluginHost) -> list[str]:
    states = [i.status for i in host.plugins.values()]
    counts = ", ".join(f"{states.count(s)} {s}" for s in ("loaded", "disabled", "failed")
                       if states.count(s))
    lines = [f"neurosim {__version__} ({Path(__file__).resolve().parents[1]})",
             f"Python {platform.python_version()} ({sys.executable})",
             f"plugins: {counts or 'none'}; components: {len(host.registry.entries)}"]
    env = [f"{v}={os.environ[v]}" for v in _ENV_VARS if v in os.environ]
    if env:
        lines.append("environment: " + " ".join(env))
    return lines


def _block(host: PluginHost, info: PluginInfo) -> list[str]:
    state = {"disabled": f"  [disabled: {info.reason}]",
             "failed": "  [failed to load: see below]"}.get(info.status, "")
    lines = [f"{info.distribution} {info.version}{state}"]
    rows = [("entry point", info.entry_point), ("file", info.path),
            ("hooks", ", ".join(info.hooks)), ("commands", ", ".join(info.commands))]
    by_kind: dict[str, list[str]] = {}
    for e in host.components_of(info.distribution):
        by_kind.setdefault(e.kind, []).append(_label(e))
    rows += [(kind, ", ".join(names)) for kind, names in by_kind.items()]
    for key, value in rows:
        if value:
            wrapped = textwrap.wrap(value, 80, break_on_hyphens=False,
                                    break_long_words=False) or [""]
            lines.append(f"  {key:<13} {wrapped[0]}")
            lines += [f"  {'':<13} {w}" for w in wrapped[1:]]
    return lines


def _table(rows: list[Entry], kind: str | None) -> list[str]:
    headers = ("kind", "name", "distribution", "version", "module")
    table = [(e.kind + (f":{e.role}" if e.role else ""), e.name, e.distribution, e.version,
              e.module) for e in rows]
    if not table:
        return [f"(no {kind + ' ' if kind else ''}components registered)"]
    widths = [max([len(h)] + [len(r[i]) for r in table]) for i, h in enumerate(headers)]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
            for r in [headers, *table]]


@click.command("plugins")
@click.option("--kind", type=click.Choice(list(KINDS)),
              help="Only components of this kind, as a table.")
@click.option("--components", "as_table", is_flag=True,
              help="The component table (kind, name, distribution, version, module).")
@click.option("--json", "as_json", is_flag=True,
              help="Machine-readable output, load errors with tracebacks.")
def plugins_cmd(kind: str | None, as_table: bool, as_json: bool) -> None:
    """List plugin distributions, their hooks and components, and load errors."""
    host = get_host()
    if as_json:
        click.echo(json.dumps(listing(host, kind), indent=2))
        return
    lines = _header(host) + [""]
    if kind or as_table:
        lines += _table([e for e in host.registry if kind in (None, e.kind)], kind)
    else:
        for info in _distributions(host, None):
            lines += _block(host, info)
    if host.errors:
        lines += ["", "Plugins that failed to load:"]
        lines += [f"  {err.distribution} ({err.entry_point}): {err.error}"
                  for err in host.errors]
        lines.append("(`neurosim plugins --json` has the tracebacks; "
                     "NEUROSIM_DISABLE_PLUGINS=<name> skips a plugin)")
    click.echo("\n".join(lines))
