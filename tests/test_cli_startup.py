"""Start-up of the ``neurosim`` command line (issue 11): subcommands are imported when first
used (``neurosim.cli.LAZY_COMMANDS``), so a ``compat`` run does not import the modules of
``estimate``, ``sweep``, ``accuracy`` ...; the command table still reads complete, and a
plugin still cannot replace a command that is not imported yet."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from neurosim import hookimpl
from neurosim.cli import LAZY_COMMANDS, _Group, cli
from neurosim.testing import make_host

ROOT = Path(__file__).resolve().parents[1]
NET = ROOT / "tests" / "golden" / "networks" / "Micro.csv"


def test_lazy_commands_are_the_named_commands() -> None:
    assert set(LAZY_COMMANDS) <= set(cli.commands)
    for name in LAZY_COMMANDS:
        cmd = cli.commands[name]
        assert isinstance(cmd, click.Command) and cmd.name == name
    assert isinstance(cli.commands["config"], click.Group)


def test_one_command_imports_only_its_own_module() -> None:
    code = ("import sys\n"
            "import neurosim.cli as c\n"
            "try:\n"
            "    c.main(['compat', '--help'])\n"
            "except SystemExit:\n"
            "    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('neurosim.commands.')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.splitlines()[-1]
    assert out == "['neurosim.commands.common', 'neurosim.commands.compat']"


def _group() -> _Group:
    @click.group(cls=_Group)
    def group() -> None:
        pass

    group.add_lazy_command("compat", "neurosim.commands.compat", "compat_cmd")
    return group


def test_a_plugin_cannot_replace_a_lazy_command() -> None:
    group = _group()

    class Plugin:
        @staticmethod
        def neurosim_register_commands(cli):
            cli.add_command(click.Command("compat", callback=lambda: None))
            cli.add_command(click.Command("mine", callback=lambda: None))

    hookimpl(Plugin.neurosim_register_commands)
    host = make_host([], plugins=[Plugin])
    host.add_commands(group)
    from neurosim.commands.compat import compat_cmd

    assert group.commands["compat"] is compat_cmd
    assert host.plugins["Plugin"].commands == ["mine"]
    assert [e.error for e in host.errors] == [
        "CommandConflict: the command 'compat' already exists; the plugin's replacement is "
        "ignored"]


def test_a_plugin_reading_the_table_is_no_conflict() -> None:
    group = _group()

    class Reader:
        @staticmethod
        def neurosim_register_commands(cli):
            assert "compat" in cli.commands  # imports the lazy command
            cli.add_command(click.Command("mine", callback=lambda: None))

    hookimpl(Reader.neurosim_register_commands)
    host = make_host([], plugins=[Reader])
    host.add_commands(group)
    assert host.errors == [] and host.plugins["Reader"].commands == ["mine"]


def test_compat_runs_through_the_lazy_table(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from golden_traces import case_by_id, trace_files

    files = trace_files(case_by_id("micro_sram_t22"))
    out = subprocess.run([sys.executable, "-m", "neurosim.cli", "compat", str(NET), "8", "8",
                          "128", "128", *files, "--json", str(tmp_path / "o.json")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "Energy Efficiency TOPS/W" in out.stdout and (tmp_path / "o.json").exists()


def test_collector_paused_only_while_plugins_load(monkeypatch) -> None:
    """``main`` pauses the cyclic garbage collector while the plugins load (and freezes what
    they built); the command itself runs with the collector as it was."""
    import gc

    import neurosim.cli as cli_module

    seen = {}

    def fake_main(*args, **kwargs):
        seen["enabled"] = gc.isenabled()

    def fake_host():
        seen["loading"] = gc.isenabled()
        return type("Host", (), {"add_commands": staticmethod(lambda cli: None)})()

    monkeypatch.setattr(cli_module.cli, "main", fake_main)
    monkeypatch.setattr(cli_module, "get_host", fake_host)
    assert gc.isenabled()
    cli_module.main([])
    assert seen == {"loading": False, "enabled": True} and gc.isenabled()
    gc.unfreeze()
