"""The ``neurosim`` command line. Plugins add subcommands via ``neurosim_register_commands``."""

from __future__ import annotations

import contextlib
import gc
import json
import sys
import warnings
from typing import Any, Iterator

import click

from . import __version__
from .config import Config, load_config
from .errors import NeuroSimError
from .failures import report
from .held_notices import holding
from .held_notices import say as say_notice
from .output_group import terminate_as_exit
from .plugins import get_host
from .warning_notice import warning_as_notice


#: the subcommands defined in ``neurosim.commands``: name -> (module, attribute). Each is
#: imported when it is first asked for, so one command does not pay for the imports of the
#: others (issue 11: start-up of small ``compat`` runs).
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "accuracy": ("neurosim.commands.accuracy", "accuracy_group"),
    "compat": ("neurosim.commands.compat", "compat_cmd"),
    "diff": ("neurosim.commands.diff", "diff_cmd"),
    "estimate": ("neurosim.commands.estimate", "estimate_cmd"),
    "explain": ("neurosim.commands.explain", "explain_cmd"),
    "network": ("neurosim.commands.network", "network_group"),
    "plugins": ("neurosim.commands.plugins", "plugins_cmd"),
    "reproduce": ("neurosim.commands.reproduce", "reproduce_cmd"),
    "sweep": ("neurosim.commands.sweep", "sweep_group"),
    "traces": ("neurosim.commands.traces", "traces_group"),
    "train": ("neurosim.commands.train", "train_cmd"),
}


class _Lazy:
    """A subcommand not imported yet (see :data:`LAZY_COMMANDS`)."""

    __slots__ = ("module", "attribute")

    def __init__(self, module: str, attribute: str) -> None:
        self.module, self.attribute = module, attribute

    def load(self) -> click.Command:
        import importlib

        return getattr(importlib.import_module(self.module), self.attribute)


class _Group(click.Group):
    """No traceback reaches the user: a :class:`NeuroSimError` is one ``Error:`` line and
    exit 2, an unknown failure one line naming a saved traceback and exit 1 (see
    :mod:`neurosim.failures`; ``--debug`` prints the traceback).

    Subcommands may be registered lazily (:meth:`add_lazy_command`): the command table
    keeps a placeholder until the command is looked up (:meth:`get_command`) or the whole
    table is read (:attr:`commands`, e.g. for ``--help``), which imports it."""

    @property
    def commands(self) -> dict[str, click.Command]:  # type: ignore[override]
        """Every subcommand, the lazy ones imported."""
        table = self._table
        for name, cmd in list(table.items()):
            if isinstance(cmd, _Lazy):
                table[name] = cmd.load()
        return table

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._table: dict[str, Any] = dict(value)

    def raw_commands(self) -> dict[str, Any]:
        """The command table as stored: placeholders of commands not imported yet stay
        as they are (what :meth:`neurosim.plugins.PluginHost.add_commands` compares)."""
        return self._table

    def add_lazy_command(self, name: str, module: str, attribute: str) -> None:
        """Register subcommand ``name`` as ``module.attribute``, imported on first use."""
        self._table[name] = _Lazy(module, attribute)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        name = name or cmd.name
        if name is None:
            raise TypeError("Command has no name.")
        click.core._check_nested_chain(self, name, cmd, register=True)
        self._table[name] = cmd

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        cmd = self._table.get(cmd_name)
        if isinstance(cmd, _Lazy):
            cmd = self._table[cmd_name] = cmd.load()
        return cmd

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self._table)

    def invoke(self, ctx: click.Context) -> Any:
        with holding():  # a command refused for bad input shows its Error line alone
            try:
                return super().invoke(ctx)
            except (click.exceptions.ClickException, click.exceptions.Exit,
                    click.exceptions.Abort):
                raise
            except (Exception, KeyboardInterrupt) as exc:
                ctx.exit(report(exc, bool(ctx.params.get("debug"))))


_click_parse_args = click.Command.parse_args


def _parse_args_once(self: click.Command, ctx: click.Context, args: list[str]) -> list[str]:
    """``click.Command.parse_args`` refusing an option that takes one value given twice
    (``-n lenet -n vgg8``, ``--json a.json --json b.json``, ``--where A --where B``): click
    keeps the last value and drops the first silently. neurosim's commands only (a plugin's
    are among them); repeatable options (``--set``) and flags are not concerned."""
    if ctx.find_root().command is cli:
        try:
            _, _, order = self.make_parser(ctx).parse_args(args=list(args))
        except click.UsageError:
            order = []  # click's own parse below reports it
        seen: set[int] = set()
        for param in order:
            if not isinstance(param, click.Option) or param.multiple or param.count or \
                    param.is_flag:
                continue
            if id(param) in seen:
                raise NeuroSimError(f"option {'/'.join(param.opts)} is given twice; give it "
                                    f"once (see '{ctx.command_path} --help')")
            seen.add(id(param))
    return _click_parse_args(self, ctx, args)


click.Command.parse_args = _parse_args_once  # type: ignore[method-assign]


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="neurosim")
@click.option("--debug", is_flag=True, help="Print the full traceback of a failure.")
def cli(debug: bool = False) -> None:
    """Compute-in-memory accelerator estimation (NeuroSim V1.4 re-implemented, with plugins)."""


config_option = click.option("--config", "config_files", multiple=True, type=click.Path(),
                             help="TOML/YAML configuration file (repeatable).")
set_option = click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
                          help="Override one option; Param.cpp names and codes are accepted.")


def build_config(config_files: tuple[str, ...], overrides: tuple[str, ...]) -> Config:
    """Config from files and --set items, with the node and device checked against plugins."""
    cfg = load_config(config_files, overrides)
    from .validation import check_components, notices

    check_components(cfg, get_host().registry)
    for line in notices(cfg):
        say_notice(line)
    return cfg


@cli.group("config")
def config_group() -> None:
    """Inspect configuration."""


@config_group.command("show")
@config_option
@set_option
@click.option("--json", "as_json", is_flag=True,
              help="Options, their sources and the plugins used, as JSON.")
@click.option("--toml", "as_toml", is_flag=True,
              help="The effective values as a TOML file (loads back to the same configuration).")
def config_show(config_files: tuple[str, ...], overrides: tuple[str, ...], as_json: bool,
                as_toml: bool = False) -> None:
    """Print the effective configuration (after the device preset and the node plugin) and
    where each value comes from (defaults = NeuroSim's Param.cpp)."""
    from .provenance import provenance_json, to_toml, effective_options, user_sources

    if as_json and as_toml:  # one of them would be ignored
        raise click.UsageError("--json and --toml are two formats of one output; give one")
    cfg = build_config(config_files, overrides)
    registry = get_host().registry
    sources = user_sources(config_files, overrides)
    if as_json:
        prov = provenance_json(cfg, registry, sources)
        click.echo(json.dumps({"options": prov["configuration"], "sources": prov["sources"],
                               "plugins": prov["plugins"]}, indent=2))
        return
    rows = effective_options(cfg, registry, sources)
    if as_toml:
        click.echo(to_toml(rows), nl=False)
        return
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            click.echo(f"[{section}]")
        unit = f" {row.unit}" if row.unit else ""
        alias = f"  (Param.cpp: {', '.join(row.aliases)})" if row.aliases else ""
        v = row.value
        shown = json.dumps(v) if isinstance(v, (str, bool)) else repr(v)
        click.echo(f"{row.name} = {shown}{unit:<5}# [{row.source}] {row.doc}{alias}")


for _name, (_module, _attribute) in LAZY_COMMANDS.items():
    cli.add_lazy_command(_name, _module, _attribute)


@contextlib.contextmanager
def _no_collection_while_loading() -> Iterator[None]:
    """Plugin loading allocates only what lives as long as the process (modules, classes,
    registry entries): the cyclic garbage collector is paused while it runs and what it
    built is then frozen out of later collections (``gc.freeze``), so neither the loading
    nor the command pays for scanning it. The collector's state is restored after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _show_usage_error(self: click.UsageError, file: Any = None) -> None:
    """A usage error (unknown option, bad argument value, missing argument) as the one
    ``Error:`` line of every bad input, naming the option and the command's help; click's
    own ``show`` prints the usage block and a hint before it."""
    where = f"; see '{self.ctx.command_path} --help'" if self.ctx is not None else ""
    click.echo(f"Error: {_usage_message(self)}{where}",
               file=sys.stderr if file is None else file)


def _usage_message(error: click.UsageError) -> str:
    """The one-line message of a usage error, with what to do where click's says little:
    a negative number read as an option (``compat NET.csv 8 8 128 -1``)."""
    from .failures import one_line

    text = one_line(error.format_message()).rstrip(".")
    name = getattr(error, "option_name", "") or ""
    if isinstance(error, click.NoSuchOption) and error.ctx is not None and \
            name[1:].replace(".", "", 1).isdigit():
        numbers = [p.human_readable_name for p in error.ctx.command.params
                   if isinstance(p, click.Argument) and p.type in (click.INT, click.FLOAT)]
        text = (f"{name} is not an option of '{error.ctx.command_path}'" +
                (f": {', '.join(numbers)} take positive numbers" if numbers else
                 "; a negative number here is read as an option"))
    return text


def _show_missing_command(self: click.UsageError, file: Any = None) -> None:
    """A command group called without its command (``neurosim sweep``): one ``Error:``
    line listing the commands, instead of the group's help text."""
    ctx = self.ctx
    names = ctx.command.list_commands(ctx) if isinstance(ctx.command, click.Group) else []
    if ctx.parent is None:  # `neurosim` alone: the help is the answer
        click.echo(self.format_message(), file=sys.stderr if file is None else file)
        return
    click.echo(f"Error: '{ctx.command_path}' needs a command: {', '.join(names)}; see "
               f"'{ctx.command_path} --help'", file=sys.stderr if file is None else file)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    shown = warnings.showwarning
    if "--debug" not in args[:1]:  # --debug keeps Python's format (file and source line)
        warnings.showwarning = warning_as_notice()
    click.UsageError.show = _show_usage_error  # type: ignore[method-assign]
    click.exceptions.NoArgsIsHelpError.show = _show_missing_command  # type: ignore
    try:
        with terminate_as_exit():  # SIGTERM/SIGHUP run cleanups (no temporaries left)
            with _no_collection_while_loading():
                host = get_host()  # a broken or duplicate plugin is a load error, never raised
                host.add_commands(cli)
            cli.main(args=args, prog_name="neurosim", standalone_mode=True)
    except (Exception, KeyboardInterrupt) as exc:  # raised outside a command's invoke
        sys.exit(report(exc, "--debug" in args[:1]))
    finally:
        warnings.showwarning = shown  # an in-process caller gets its own back


if __name__ == "__main__":
    main()
