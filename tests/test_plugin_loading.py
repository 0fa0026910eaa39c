"""Plugin discovery that survives broken plugins, through the API and the ``neurosim`` CLI.

Throwaway plugins are installed for one subprocess by putting a ``*.dist-info`` folder (with
``METADATA`` and ``entry_points.txt``) and the plugin module on ``PYTHONPATH``; in-process
tests hand ``importlib.metadata.EntryPoint`` objects to ``PluginHost.load_entry_points``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path

import pytest

from neurosim.errors import DuplicateComponentError, UnknownComponentError
from neurosim.plugins import PluginHost
from neurosim.testing import make_host

_SCRIPT = Path(sys.executable).with_name("neurosim")
NEUROSIM = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "neurosim.cli"]

BROKEN = """raise RuntimeError("boom: this plugin is broken")\n"""
MISSPELLED = """
from neurosim import hookimpl

@hookimpl
def neurosim_register_tech(register):  # missing "s": matches no hook specification
    raise AssertionError("never called")
"""
DUPLICATE_1NM = """
from neurosim import hookimpl
from neurosim_tech_1nm import node

@hookimpl
def neurosim_register_techs(register):
    register("1nm", node())
"""


def fake_dist(root: Path, dist: str, module: str, source: str) -> Path:
    """An installed-looking distribution ``dist`` whose entry point is ``module``."""
    (root / f"{module}.py").write_text(textwrap.dedent(source))
    info = root / f"{dist.replace('-', '_')}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[neurosim]\n{dist} = {module}\n")
    return root


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("NEUROSIM_DISABLE_PLUGINS", "NEUROSIM_LOAD_PLUGINS", "PYTHONPATH")}
    env.update(extra)
    return env


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([*NEUROSIM, *args], capture_output=True, text=True,
                          env=clean_env(**env), timeout=120)


def installed_ep(dist: str) -> metadata.EntryPoint:
    (ep,) = [e for e in metadata.distribution(dist).entry_points
             if e.group == "neurosim" and e.name == dist]
    return ep


@pytest.fixture(autouse=True)
def _no_filters(monkeypatch):
    monkeypatch.delenv("NEUROSIM_DISABLE_PLUGINS", raising=False)
    monkeypatch.delenv("NEUROSIM_LOAD_PLUGINS", raising=False)


# -- a plugin that raises on import -------------------------------------------------------------
def test_broken_plugin_is_a_load_error_and_others_load(tmp_path, monkeypatch):
    (tmp_path / "ns_broken_mod.py").write_text(BROKEN)
    monkeypatch.syspath_prepend(str(tmp_path))
    eps = [metadata.EntryPoint("neurosim-broken", "ns_broken_mod", "neurosim"),
           installed_ep("neurosim-tech-1nm"), installed_ep("neurosim-tech-2nm")]
    host = make_host(eps)
    assert [e.distribution for e in host.errors] == ["neurosim-broken"]
    err = host.errors[0]
    assert err.entry_point == "neurosim-broken = ns_broken_mod"
    assert err.error == "RuntimeError: boom: this plugin is broken"
    assert "Traceback" in err.traceback
    assert host.registry.names("tech") == ["1nm", "2nm"]


def test_broken_plugin_in_cli(tmp_path):
    fake_dist(tmp_path, "neurosim-broken", "ns_broken_mod", BROKEN)
    out = run_cli("plugins", "--kind", "tech", "--json", PYTHONPATH=str(tmp_path))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    (err,) = data["errors"]
    assert err.pop("traceback").startswith("Traceback (most recent call last):")
    assert err == {"distribution": "neurosim-broken",
                   "entry_point": "neurosim-broken = ns_broken_mod",
                   "error": "RuntimeError: boom: this plugin is broken"}
    names = {c["name"]: c["distribution"] for c in data["components"]}
    assert names["1nm"] == "neurosim-tech-1nm" and names["130nm"] == "neurosim-tech-130nm"
    assert len(names) >= 13

    text = run_cli("plugins", PYTHONPATH=str(tmp_path))
    assert text.returncode == 0, text.stderr
    assert "Plugins that failed to load:" in text.stdout
    assert ("neurosim-broken (neurosim-broken = ns_broken_mod): RuntimeError: boom: this plugin "
            "is broken") in text.stdout
    assert "neurosim-tech-22nm" in text.stdout
    assert "Traceback" not in text.stdout + text.stderr


# -- two plugins, one name ------------------------------------------------------------------
def test_duplicate_name_names_both_distributions(tmp_path, monkeypatch):
    (tmp_path / "ns_dup_mod.py").write_text(textwrap.dedent(DUPLICATE_1NM))
    monkeypatch.syspath_prepend(str(tmp_path))
    eps = [installed_ep("neurosim-tech-1nm"),
           metadata.EntryPoint("neurosim-tech-1nm-copy", "ns_dup_mod", "neurosim"),
           installed_ep("neurosim-tech-2nm")]
    host = make_host(eps)  # a conflict is a load error of the second plugin, not a crash
    assert [e.distribution for e in host.errors] == ["neurosim-tech-1nm-copy"]
    assert host.errors[0].error.startswith("DuplicateComponentError: ")
    assert host.registry.get("tech", "2nm").name == "2nm"  # the rest works
    with pytest.raises(DuplicateComponentError) as info:
        host.registry.get("tech", "1nm")  # the ambiguous name does not
    msg = str(info.value)
    assert "tech '1nm' is registered by both" in msg
    assert "neurosim-tech-1nm " in msg + " " and "neurosim-tech-1nm-copy" in msg
    assert "NEUROSIM_DISABLE_PLUGINS" in msg


def test_duplicate_name_in_cli_and_disabling_one(tmp_path):
    fake_dist(tmp_path, "neurosim-tech-1nm-copy", "ns_dup_mod", DUPLICATE_1NM)
    out = run_cli("plugins", PYTHONPATH=str(tmp_path))
    assert out.returncode == 0, out.stderr  # listing still works and shows the conflict
    assert "Plugins that failed to load:" in out.stdout
    assert "neurosim-tech-1nm and neurosim-tech-1nm-copy" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr
    use = run_cli("config", "show", "--set", "technode=1", PYTHONPATH=str(tmp_path))
    assert use.returncode == 2
    assert use.stderr.startswith("Error: tech '1nm' is registered by both neurosim-tech-1nm "
                                 "and neurosim-tech-1nm-copy")
    ok = run_cli("plugins", "--kind", "tech", "--json", PYTHONPATH=str(tmp_path),
                 NEUROSIM_DISABLE_PLUGINS="neurosim-tech-1nm-copy")
    assert ok.returncode == 0, ok.stderr
    comps = json.loads(ok.stdout)["components"]
    assert [c["distribution"] for c in comps if c["name"] == "1nm"] == ["neurosim-tech-1nm"]


# -- unknown names --------------------------------------------------------------------------
def test_unknown_name_suggests_close_matches():
    host = make_host([installed_ep(f"neurosim-tech-{n}") for n in ("22nm", "2nm", "32nm")])
    with pytest.raises(UnknownComponentError) as info:
        host.registry.get("tech", "22mn")
    msg = str(info.value)
    assert "no tech '22mn' is installed. Did you mean '22nm'" in msg
    assert "Installed: 22nm, 2nm, 32nm" in msg


def test_unknown_node_in_cli():
    out = run_cli("config", "show", "--set", "technode=28")
    assert out.returncode == 2
    assert "no tech '28nm' is installed. Did you mean" in out.stderr
    assert "Traceback" not in out.stderr


# -- environment switches -------------------------------------------------------------------
def test_disable_plugins_env(monkeypatch):
    monkeypatch.setenv("NEUROSIM_DISABLE_PLUGINS", "neurosim-tech-1nm, neurosim-tech-2nm")
    names = make_host().registry.names("tech")
    assert "1nm" not in names and "2nm" not in names and "3nm" in names


def test_load_plugins_allow_list(monkeypatch):
    monkeypatch.setenv("NEUROSIM_LOAD_PLUGINS", "neurosim-tech-7nm")
    host = make_host()
    assert [(e.kind, e.name) for e in host.registry] == [("tech", "7nm")]
    monkeypatch.setenv("NEUROSIM_LOAD_PLUGINS", "")
    assert list(make_host().registry) == []


def test_disable_plugins_env_in_cli():
    out = run_cli("plugins", "--kind", "tech", "--json",
                  NEUROSIM_DISABLE_PLUGINS="neurosim-tech-1nm")
    assert out.returncode == 0, out.stderr
    names = [c["name"] for c in json.loads(out.stdout)["components"]]
    assert "1nm" not in names and "2nm" in names


# -- misspelled hook ------------------------------------------------------------------------
def test_check_pending_reports_misspelled_hook(tmp_path, monkeypatch):
    (tmp_path / "ns_typo_mod.py").write_text(textwrap.dedent(MISSPELLED))
    monkeypatch.syspath_prepend(str(tmp_path))
    host = PluginHost()
    host.load_entry_points([metadata.EntryPoint("neurosim-typo", "ns_typo_mod", "neurosim"),
                            installed_ep("neurosim-tech-5nm")])
    assert host.errors == []
    host.check_pending()
    host.collect()
    assert [e.distribution for e in host.errors] == ["neurosim-typo"]
    assert "PluginValidationError" in host.errors[0].error
    assert "neurosim_register_tech" in host.errors[0].error
    assert host.plugins["neurosim-typo"].status == "failed"
    assert host.registry.names("tech") == ["5nm"]


def test_misspelled_hook_in_cli(tmp_path):
    fake_dist(tmp_path, "neurosim-typo", "ns_typo_mod", MISSPELLED)
    out = run_cli("plugins", "--json", PYTHONPATH=str(tmp_path))
    assert out.returncode == 0, out.stderr
    errors = json.loads(out.stdout)["errors"]
    assert [e["distribution"] for e in errors] == ["neurosim-typo"]
    assert "neurosim_register_tech" in errors[0]["error"]
