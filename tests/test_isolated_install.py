"""neurosim-core installs and runs alone, and a tech plugin wheel adds its node.

Builds wheels of ``core`` and ``neurosim-tech-1nm`` (``pip wheel --no-deps``), creates a plain
virtual environment (no system site-packages) and installs only neurosim-core and its runtime
dependencies from a local wheelhouse (``--no-index``): ``neurosim plugins --kind tech --json``
lists no node. After ``pip install`` of the 1 nm wheel it lists ``1nm`` from
``neurosim-tech-1nm``.

The wheelhouse holds the dependency versions of the running environment; it is filled once with
``pip download`` and kept in pytest's cache folder, so later runs need no network.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 300
_IGNORE = shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__", "*.pyc")


def _env() -> dict[str, str]:
    drop = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "NEUROSIM_DISABLE_PLUGINS",
            "NEUROSIM_LOAD_PLUGINS", "PIP_REQUIRE_VIRTUALENV")
    return {k: v for k, v in os.environ.items() if k not in drop}


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    out = subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True,
                         timeout=TIMEOUT)
    assert out.returncode == 0, f"{' '.join(cmd)}\n{out.stdout}\n{out.stderr}"
    return out


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _core_requirements() -> list[str]:
    """``name==version`` of neurosim-core's runtime dependencies, as installed here."""
    from packaging.requirements import Requirement

    pins = []
    for text in metadata.requires("neurosim-core") or []:
        req = Requirement(text)  # extras and markers such as python_version < "3.11" apply
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        pins.append(f"{req.name}=={metadata.version(req.name)}")
    return pins


def _wheelhouse(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    cache = getattr(request.config, "cache", None)
    house = cache.mkdir("neurosim-wheelhouse") if cache is not None else tmp_path / "wheelhouse"
    house.mkdir(exist_ok=True)
    pins = _core_requirements()
    have = {p.name.lower() for p in house.glob("*.whl")}
    missing = [p for p in pins
               if not any(w.startswith(_norm(p.split("==")[0]) + "-" + p.split("==")[1] + "-")
                          for w in have)]
    if missing:
        staging = tmp_path / "download"
        _run([sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:",
              "--dest", str(staging), *pins], tmp_path)
        for whl in staging.glob("*.whl"):
            os.replace(whl, house / whl.name)
    return house


def _build_wheel(src: Path, dist_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "src" / src.name
    shutil.copytree(src, copy, ignore=_IGNORE)
    dist_dir.mkdir(parents=True)
    cmd = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist_dir)]
    if importlib.util.find_spec("setuptools") is not None:
        cmd.append("--no-build-isolation")  # offline and fast: this environment's setuptools
    _run([*cmd, str(copy)], tmp_path)
    (wheel,) = dist_dir.glob("*.whl")
    return wheel


def test_core_alone_then_one_tech_plugin(tmp_path, request):
    dist = tmp_path / "dist"
    dist.mkdir()
    with ThreadPoolExecutor() as pool:  # the two builds are independent
        core_job = pool.submit(_build_wheel, ROOT / "core", dist / "core", tmp_path)
        tech_job = pool.submit(_build_wheel, ROOT / "plugins" / "techs" / "neurosim-tech-1nm",
                               dist / "tech", tmp_path)
        core_whl, tech_whl = core_job.result(), tech_job.result()
    assert core_whl.name.startswith("neurosim_core-")
    assert tech_whl.name.startswith("neurosim_tech_1nm-")
    house = _wheelhouse(request, tmp_path)

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    cfg = (venv / "pyvenv.cfg").read_text()
    assert "include-system-site-packages = false" in cfg
    py = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-compile",
           "--no-index", "--find-links", str(house)]
    _run([*pip, str(core_whl)], tmp_path)
    neurosim = str(venv / "bin" / "neurosim")

    # Only the core (and its dependencies) is installed: no node, no plugin, no error.
    listed = _run([py.as_posix(), "-c", "import importlib.metadata as m, json; "
                   "print(json.dumps([d.metadata['Name'] for d in m.distributions()]))"],
                  tmp_path)
    names = {n.lower() for n in json.loads(listed.stdout)}
    assert "neurosim-core" in names and not any(n.startswith("neurosim-") and
                                                n != "neurosim-core" for n in names)
    out = json.loads(_run([neurosim, "plugins", "--kind", "tech", "--json"], tmp_path).stdout)
    assert (out["components"], out["errors"], out["distributions"]) == ([], [], [])
    # a missing node names the distribution that provides it
    missing = subprocess.run([neurosim, "config", "show", "--set", "technode=1"], cwd=tmp_path,
                             env=_env(), capture_output=True, text=True, timeout=TIMEOUT)
    assert missing.returncode == 2
    assert "pip install neurosim-tech-1nm" in missing.stderr, missing.stderr

    _run([*pip, str(tech_whl)], tmp_path)
    out = json.loads(_run([neurosim, "plugins", "--kind", "tech", "--json"], tmp_path).stdout)
    assert out["errors"] == []
    assert [(c["name"], c["distribution"], c["version"], c["module"])
            for c in out["components"]] == [
        ("1nm", "neurosim-tech-1nm", "0.1.0", "neurosim_tech_1nm.plugin")]
    # the packaged node.json is in the wheel and derives NeuroSim's 1 nm transistor
    derived = _run([py.as_posix(), "-c",
                    "from neurosim.plugins import get_registry; "
                    "from neurosim.technology import Technology; "
                    "t = Technology.from_node(get_registry().get('tech', '1nm'), 'lstp'); "
                    "print(t.vdd, t.current_on_nmos[0], t.cap_junction)"], tmp_path)
    assert derived.stdout.split() == ["0.6", "460.979", "0.0102"]
