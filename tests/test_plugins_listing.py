"""``neurosim plugins`` as a per-distribution listing, registration checked against each
kind's contract, conflicts that do not stop the CLI, NEUROSIM_TRACE_PLUGINS, and the
``pip install`` hint of a core-only install.

Throwaway plugins are "installed" for one subprocess with a ``*.dist-info`` folder on
``PYTHONPATH`` (``fake_dist`` of ``test_plugin_loading``); in-process checks hand entry
points to a fresh host.
"""

from __future__ import annotations

import json
import platform
import sys
import textwrap
from importlib import metadata
from pathlib import Path

import pytest

from neurosim import __version__
from neurosim.errors import UnknownComponentError
from neurosim.registry import Registry
from neurosim.testing import make_host

sys.path.insert(0, str(Path(__file__).parent))
from test_plugin_loading import DUPLICATE_1NM, fake_dist, installed_ep, run_cli  # noqa: E402

BAD_DEVICE = """
from neurosim import hookimpl
from neurosim_tech_1nm import node

@hookimpl
def neurosim_register_devices(register):
    register("answer", 42)

@hookimpl
def neurosim_register_techs(register):
    register("1nm-copy", node())          # valid: still registered
    register("1nm-bad", node, description="the function, not the node")
"""
COMMAND_ONLY = """
import click
from neurosim import hookimpl

@click.command("hello")
def hello():
    click.echo("hello from a plugin")

@hookimpl
def neurosim_register_commands(cli):
    cli.add_command(hello)
"""


@pytest.fixture(autouse=True)
def _no_filters(monkeypatch):
    for var in ("NEUROSIM_DISABLE_PLUGINS", "NEUROSIM_LOAD_PLUGINS", "NEUROSIM_TRACE_PLUGINS"):
        monkeypatch.delenv(var, raising=False)


def test_contract_violations_are_load_errors_of_that_plugin(tmp_path, monkeypatch):
    (tmp_path / "ns_bad_dev.py").write_text(textwrap.dedent(BAD_DEVICE))
    monkeypatch.syspath_prepend(str(tmp_path))
    host = make_host([metadata.EntryPoint("neurosim-device-bad", "ns_bad_dev", "neurosim"),
                      installed_ep("neurosim-tech-1nm")])
    assert [e.distribution for e in host.errors] == ["neurosim-device-bad"] * 2
    device, tech = sorted(e.error for e in host.errors)
    assert device.startswith("ContractError: device 'answer' is registered with int 42, not "
                             "a subclass of neurosim.devices.Device (registered by "
                             "neurosim-device-bad")
    assert "tech '1nm-bad' is registered with function" in tech
    assert "not a neurosim.technology.TechNode" in tech
    assert host.registry.names("tech") == ["1nm", "1nm-copy"]
    assert host.registry.names("device") == []


def test_register_arguments_and_roles_are_checked():
    class Plugin:
        @staticmethod
        def neurosim_register_peripherals(register):
            from neurosim.primitives.function_unit import FunctionUnit

            class Good(FunctionUnit):
                pass

            register("adc", "good", Good)
            register("no-such-role", "x", Good)
            register("adc", "has space", Good)
            register("adc", Good)  # forgot the name

    from neurosim import hookimpl
    hookimpl(Plugin.neurosim_register_peripherals)
    host = make_host([], plugins=[Plugin])
    errors = [e.error for e in host.errors]
    assert "peripheral role 'no-such-role' (for 'x') is not one of neurosim's roles" in errors[0]
    assert "component name 'has space' must be a non-empty string without spaces" in errors[1]
    assert errors[2].startswith("TypeError in neurosim_register_peripherals: peripheral "
                                "registration takes register(role, name, obj)")
    assert host.registry.names("peripheral", "adc") == ["good"]


def test_core_only_lookup_names_the_distribution_to_install():
    reg = Registry()
    cases = [(("tech", "7nm"), "pip install neurosim-tech-7nm"),
             (("device", "rram"), "pip install neurosim-device-rram"),
             (("network", "VGG8"), "pip install neurosim-network-vgg8"),
             (("peripheral", "sar", "adc"), "pip install neurosim-peripheral-adc-sar"),
             (("peripheral", "neurosim", "row_decoder"), "pip install neurosim-peripheral-drivers"),
             (("peripheral", "neurosim", "adder"), "pip install neurosim-peripheral-digital"),
             (("peripheral", "neurosim", "sense_amp"), "pip install neurosim-peripheral-sense")]
    for args, hint in cases:
        with pytest.raises(UnknownComponentError) as info:
            reg.get(*args)
        assert "Installed: none." in str(info.value) and hint in str(info.value), args


def test_listing_per_distribution_in_cli(tmp_path):
    """Header, one block per distribution (version, entry point, file, hooks, components,
    commands of a command-only plugin), a disabled plugin, and the JSON of the same."""
    fake_dist(tmp_path, "neurosim-hello", "ns_hello_mod", COMMAND_ONLY)
    env = {"PYTHONPATH": str(tmp_path), "NEUROSIM_DISABLE_PLUGINS": "neurosim-tech-2nm"}
    text = run_cli("plugins", **env)
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0].startswith(f"neurosim {__version__} (")
    assert lines[1].startswith(f"Python {platform.python_version()} (")
    assert "environment: NEUROSIM_DISABLE_PLUGINS=neurosim-tech-2nm" in text.stdout
    block = text.stdout.split("neurosim-hello 0.1\n")[1].split("\nneurosim-")[0]
    assert "  entry point   neurosim-hello = ns_hello_mod" in block
    assert f"  file          {tmp_path / 'ns_hello_mod.py'}" in block
    assert "  hooks         neurosim_register_commands" in block
    assert "  commands      hello" in block
    assert "neurosim-tech-2nm 0.1.0  [disabled: NEUROSIM_DISABLE_PLUGINS]" in text.stdout
    tech = text.stdout.split("neurosim-tech-22nm 0.1.0\n")[1].split("\nneurosim-")[0]
    assert "  hooks         neurosim_register_techs\n  tech          22nm" in tech

    data = json.loads(run_cli("plugins", "--json", **env).stdout)
    assert data["neurosim"]["version"] == __version__
    assert data["python"]["version"] == platform.python_version()
    by_name = {d["name"]: d for d in data["distributions"]}
    assert by_name["neurosim-hello"]["commands"] == ["hello"]
    assert by_name["neurosim-hello"]["components"] == []
    assert by_name["neurosim-tech-2nm"]["status"] == "disabled"
    assert by_name["neurosim-tech-2nm"]["reason"] == "NEUROSIM_DISABLE_PLUGINS"
    assert by_name["neurosim-tech-7nm"]["components"] == [
        {"kind": "tech", "role": None, "name": "7nm"}]
    assert by_name["neurosim-tech-7nm"]["path"].endswith("neurosim_tech_7nm/plugin.py")
    assert run_cli("hello", **env).stdout == "hello from a plugin\n"


def test_conflict_does_not_stop_help_version_or_plugins(tmp_path):
    fake_dist(tmp_path, "neurosim-tech-1nm-copy", "ns_dup_mod", DUPLICATE_1NM)
    env = {"PYTHONPATH": str(tmp_path)}
    for args in (("--help",), ("--version",), ("plugins", "--kind", "tech")):
        out = run_cli(*args, **env)
        assert out.returncode == 0, (args, out.stderr)
        assert "Traceback" not in out.stdout + out.stderr
    assert f"neurosim, version {__version__}" in run_cli("--version", **env).stdout


def test_trace_plugins_env(tmp_path):
    """NEUROSIM_TRACE_PLUGINS writes each step to stderr; stdout (here JSON) stays clean."""
    fake_dist(tmp_path, "neurosim-device-bad", "ns_bad_dev", BAD_DEVICE)
    out = run_cli("plugins", "--json", PYTHONPATH=str(tmp_path), NEUROSIM_TRACE_PLUGINS="1",
                  NEUROSIM_LOAD_PLUGINS="neurosim-tech-1nm,neurosim-device-bad")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [c["name"] for c in data["components"]] == ["1nm", "1nm-copy"]
    err = out.stderr
    assert ("neurosim-trace: loading neurosim-tech-1nm = neurosim_tech_1nm.plugin "
            "(neurosim-tech-1nm 0.1.0)") in err
    assert "neurosim-trace: skipped neurosim-tech-7nm = neurosim_tech_7nm.plugin" in err
    assert "not in NEUROSIM_LOAD_PLUGINS" in err
    assert "neurosim-trace: calling neurosim_register_techs of neurosim-tech-1nm" in err
    assert "neurosim-trace:   neurosim-tech-1nm registered tech '1nm'" in err
    assert "neurosim-trace: error in neurosim-device-bad: ContractError: device 'answer'" in err
    quiet = run_cli("plugins", "--json", NEUROSIM_TRACE_PLUGINS="0",
                    NEUROSIM_LOAD_PLUGINS="neurosim-tech-1nm")
    assert quiet.stderr == ""


def test_core_only_cli_says_what_to_install():
    """With no node plugin loaded (as after ``pip install neurosim-core`` alone) the error
    names the node's distribution; with the node but no device, the device's."""
    out = run_cli("config", "show", "--set", "technode=7", NEUROSIM_LOAD_PLUGINS="")
    assert out.returncode == 2
    assert out.stderr.startswith("Error: no tech '7nm' is installed. Installed: none. If it "
                                 "is a separate plugin, install it: pip install "
                                 "neurosim-tech-7nm")
    dev = run_cli("config", "show", "--set", "technode=7", "--set", "device=rram",
                  NEUROSIM_LOAD_PLUGINS="neurosim-tech-7nm")
    assert dev.returncode == 2
    assert "no device 'rram' is installed" in dev.stderr
    assert "pip install neurosim-device-rram" in dev.stderr


def test_a_plugin_cannot_replace_a_command():
    import click

    @click.group()
    def group():
        pass

    @group.command("plugins")
    def original():
        pass

    class Plugin:
        @staticmethod
        def neurosim_register_commands(cli):
            cli.add_command(click.Command("plugins", callback=lambda: None))
            cli.add_command(click.Command("mine", callback=lambda: None))

    from neurosim import hookimpl
    hookimpl(Plugin.neurosim_register_commands)
    host = make_host([], plugins=[Plugin])
    host.add_commands(group)
    assert group.commands["plugins"].callback is original.callback
    assert host.plugins["Plugin"].commands == ["mine"]
    assert [e.error for e in host.errors] == [
        "CommandConflict: the command 'plugins' already exists; the plugin's replacement is "
        "ignored"]
