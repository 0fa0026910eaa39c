"""The third-party plugin flow of docs/writing-plugins.md, on examples/neurosim-device-pcm.

In a plain virtual environment (no system site-packages) holding neurosim-core from a wheel
(``pip wheel --no-deps core``) and its runtime dependencies from a local wheelhouse
(``--no-index``), installing the PCM example's wheel makes ``neurosim plugins`` list ``pcm``
from ``neurosim-device-pcm``. With the 22 nm node, the X-Y bus and the peripheral plugins
installed as well, ``neurosim compat ... --param device=pcm`` estimates a network with it.

Built wheels are kept in pytest's cache folder keyed by a hash of each project's files, and
the dependency wheelhouse is shared with ``test_isolated_install.py``, so reruns are fast and
need no network.
"""

from __future__ import annotations

import hashlib
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
PCM = ROOT / "examples" / "neurosim-device-pcm"
#: What an estimate needs besides the core and the device: the default configuration's node,
#: the global X-Y bus, the tiles' H-trees and every peripheral role.
ESTIMATE_PROJECTS = [ROOT / "plugins" / "techs" / "neurosim-tech-22nm",
                     ROOT / "plugins" / "interconnects" / "neurosim-interconnect-xybus",
                     ROOT / "plugins" / "interconnects" / "neurosim-interconnect-htree",
                     *sorted((ROOT / "plugins" / "peripherals").glob("neurosim-peripheral-*"))]
TIMEOUT = 600
_IGNORE = shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__", "*.pyc")


def _env() -> dict[str, str]:
    drop = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "NEUROSIM_DISABLE_PLUGINS",
            "NEUROSIM_LOAD_PLUGINS", "PIP_REQUIRE_VIRTUALENV")
    return {k: v for k, v in os.environ.items() if k not in drop}


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    out = subprocess.run([str(c) for c in cmd], cwd=cwd, env=_env(), capture_output=True,
                         text=True, timeout=TIMEOUT)
    assert out.returncode == 0, f"{' '.join(map(str, cmd))}\n{out.stdout}\n{out.stderr}"
    return out


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _source_hash(project: Path) -> str:
    """Hash of a project's files (what its wheel is built from)."""
    h = hashlib.sha256()
    for path in sorted(project.rglob("*")):
        rel = path.relative_to(project)
        if path.is_file() and not any(p in ("build", "dist", "__pycache__") or
                                      p.endswith(".egg-info") for p in rel.parts):
            h.update(str(rel).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _wheel(project: Path, cache: Path, tmp: Path) -> Path:
    """The project's wheel, built with ``pip wheel --no-deps`` unless cached for its hash."""
    slot = cache / f"{project.name}-{_source_hash(project)}"
    found = list(slot.glob("*.whl"))
    if found:
        return found[0]
    copy = tmp / "src" / project.name
    shutil.copytree(project, copy, ignore=_IGNORE)
    staging = tmp / "dist" / project.name
    cmd = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", staging]
    if importlib.util.find_spec("setuptools") is not None:
        cmd.append("--no-build-isolation")  # offline and fast: this environment's setuptools
    _run([*cmd, copy], tmp)
    (built,) = staging.glob("*.whl")
    slot.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(built, slot / built.name))


def _dependency_wheelhouse(cache_root: Path, tmp: Path) -> Path:
    """Wheels of neurosim-core's runtime dependencies, at this environment's versions."""
    house = cache_root / "neurosim-wheelhouse"
    house.mkdir(parents=True, exist_ok=True)
    from packaging.requirements import Requirement

    pins = []
    for text in metadata.requires("neurosim-core") or []:
        req = Requirement(text)  # extras and markers such as python_version < "3.11" apply
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        pins.append(f"{req.name}=={metadata.version(req.name)}")
    have = {p.name.lower() for p in house.glob("*.whl")}
    missing = [p for p in pins if not any(
        w.startswith(_norm(p.split("==")[0]) + "-" + p.split("==")[1] + "-") for w in have)]
    if missing:
        staging = tmp / "download"
        _run([sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:",
              "--dest", staging, *pins], tmp)
        for whl in staging.glob("*.whl"):
            os.replace(whl, house / whl.name)
    return house


class FreshEnv:
    """A plain venv with neurosim-core and the PCM example installed from wheels."""

    def __init__(self, root: Path, cache_root: Path):
        self.root = root
        self.cache = cache_root / "neurosim-project-wheels"
        projects = [ROOT / "core", PCM, *ESTIMATE_PROJECTS]
        with ThreadPoolExecutor(max_workers=4) as pool:
            wheels = list(pool.map(lambda p: _wheel(p, self.cache, root / p.name), projects))
        self.core_whl, self.pcm_whl, *self.estimate_whls = wheels
        house = _dependency_wheelhouse(cache_root, root)
        self.venv = root / "venv"
        _run([sys.executable, "-m", "venv", "--without-pip", self.venv], root)
        assert "include-system-site-packages = false" in (self.venv / "pyvenv.cfg").read_text()
        self.python = self.venv / "bin" / "python"
        self.pip = [sys.executable, "-m", "pip", "--python", self.python, "install", "-q",
                    "--no-compile", "--no-index", "--find-links", house]
        _run([*self.pip, self.core_whl], root)
        _run([*self.pip, self.pcm_whl], root)
        self.neurosim = self.venv / "bin" / "neurosim"
        self._estimate_ready = False

    def installed(self) -> set[str]:
        out = _run([self.python, "-c", "import importlib.metadata as m, json; print(json.dumps("
                    "[d.metadata['Name'] for d in m.distributions()]))"], self.root)
        return {n.lower() for n in json.loads(out.stdout)}

    def ready_to_estimate(self) -> None:
        if not self._estimate_ready:
            _run([*self.pip, *self.estimate_whls], self.root)
            self._estimate_ready = True


@pytest.fixture(scope="module")
def fresh_env(request, tmp_path_factory) -> FreshEnv:
    root = tmp_path_factory.mktemp("pcm-example")
    cache = getattr(request.config, "cache", None)
    cache_root = Path(cache.mkdir("neurosim-pcm-example")) if cache is not None else root
    return FreshEnv(root, cache_root)


def test_pcm_listed_after_pip_install(fresh_env):
    names = fresh_env.installed()
    assert {"neurosim-core", "neurosim-device-pcm"} <= names
    assert "neurosim-device-rram" not in names and "neurosim-device-sram" not in names
    out = json.loads(_run([fresh_env.neurosim, "plugins", "--kind", "device", "--json"],
                          fresh_env.root).stdout)
    assert out["errors"] == []
    assert [(c["name"], c["distribution"], c["version"], c["module"])
            for c in out["components"]] == [
        ("pcm", "neurosim-device-pcm", "0.1.0", "neurosim_device_pcm.device")]


def test_pcm_estimates_a_network(fresh_env, tmp_path):
    """``neurosim compat`` with ``device=pcm`` in the fresh environment, against ``rram`` in
    this one: same floorplan, and the array area is exactly a third (a 4 F x 4 F PCM cell
    against NeuroSim's 4 F x 12 F 1T1R RRAM cell)."""
    fresh_env.ready_to_estimate()
    network = ROOT / "tests" / "golden" / "networks" / "Micro.csv"
    traces = _run([sys.executable, ROOT / "tests" / "golden" / "gen_traces.py", network,
                   tmp_path / "traces", "--synapse-bit", "8", "--input-bit", "8", "--seed", "0"],
                  tmp_path).stdout.split("\n")[-2].split()
    args = ["compat", network, "8", "8", "128", "128", *traces, "--quiet"]
    _run([fresh_env.neurosim, *args, "--param", "device=pcm", "--json", tmp_path / "pcm.json"],
         tmp_path)
    here = Path(sys.executable).parent / "neurosim"
    _run([here, *args, "--param", "device=rram", "--json", tmp_path / "rram.json"], tmp_path)
    pcm = json.loads((tmp_path / "pcm.json").read_text())
    rram = json.loads((tmp_path / "rram.json").read_text())
    assert pcm["floorplan"] == rram["floorplan"]
    assert pcm["chip"]["area_array_m2"] == pytest.approx(rram["chip"]["area_array_m2"] / 3,
                                                         rel=1e-12)
    assert pcm["chip"]["read_energy_j"] > 0 and pcm["chip"]["read_latency_s"] > 0
    # Ron = 40 kOhm instead of 100 kOhm: the array reads draw other currents
    assert pcm["chip"]["read_energy_j"] != rram["chip"]["read_energy_j"]
