"""The ``neurosim`` command line. Plugins add subcommands via ``neurosim_register_commands``."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from . import __version__
from .config import Config, describe_options, load_config
from .errors import NeuroSimError
from .plugins import get_host


class _Group(click.Group):
    """Turns every :class:`NeuroSimError` into one message and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NeuroSimError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="neurosim")
def cli() -> None:
    """Compute-in-memory accelerator estimation (NeuroSim V1.4 re-implemented, with plugins)."""


config_option = click.option("--config", "config_files", multiple=True, type=click.Path(),
                             help="TOML/YAML configuration file (repeatable).")
set_option = click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
                          help="Override one option; Param.cpp names and codes are accepted.")


def build_config(config_files: tuple[str, ...], overrides: tuple[str, ...]) -> Config:
    """Config from files and --set items, with the node and device checked against plugins."""
    cfg = load_config(config_files, overrides)
    reg = get_host().registry
    reg.entry("tech", cfg.tech)
    reg.entry("device", cfg.device)
    return cfg


@cli.group("config")
def config_group() -> None:
    """Inspect configuration."""


@config_group.command("show")
@config_option
@set_option
@click.option("--json", "as_json", is_flag=True)
def config_show(config_files: tuple[str, ...], overrides: tuple[str, ...], as_json: bool) -> None:
    """Print the effective configuration (defaults = NeuroSim's Param.cpp)."""
    cfg = build_config(config_files, overrides)
    values = cfg.to_dict()
    if as_json:
        click.echo(json.dumps(values, indent=2))
        return
    section = None
    for row in describe_options():
        if row["section"] != section:
            section = row["section"]
            click.echo(f"[{section}]")
        unit = f" {row['unit']}" if row["unit"] else ""
        alias = f"  (Param.cpp: {', '.join(row['aliases'])})" if row["aliases"] else ""
        v = values[row["name"]]
        shown = json.dumps(v) if isinstance(v, (str, bool)) else repr(v)
        click.echo(f"{row['name']} = {shown}{unit:<5}# {row['doc']}{alias}")


from .commands.compat import compat_cmd  # noqa: E402
from .commands.plugins import plugins_cmd  # noqa: E402

cli.add_command(plugins_cmd)

cli.add_command(compat_cmd)
from .commands import estimate as _estimate, network as _network, traces as _traces  # noqa: E402,I001

cli.add_command(_estimate.estimate_cmd)
cli.add_command(_network.network_group)
cli.add_command(_traces.traces_group)
cli.add_command(__import__("neurosim.commands.accuracy", fromlist=["_"]).accuracy_group)
cli.add_command(__import__("neurosim.commands.explain", fromlist=["_"]).explain_cmd)


def main(argv: list[str] | None = None) -> None:
    try:
        host = get_host()  # a broken or duplicate plugin is a load error, never raised
        host.add_commands(cli)
        cli.main(args=argv, prog_name="neurosim", standalone_mode=True)
    except NeuroSimError as exc:  # raised outside a command's invoke
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
