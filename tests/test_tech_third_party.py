"""Third-party technology nodes, installed as a user would (issue 15, "Done when").

A fresh virtual environment sees this environment's packages (neurosim-core and the in-repo
plugins) through a ``.pth`` file, and gets three node distributions ``pip install``-ed from
source (``--no-deps --no-build-isolation``, offline):

* ``neurosim-tech-28nm``: a copy of ``neurosim-tech-32nm`` renamed and with its numbers
  changed (28 nm, 0.9 V, 10 % more on-current, its own wire widths): ``neurosim compat`` on the
  Micro network gives other figures than the 32 nm original;
* ``neurosim-tech-26nm``: the same copy without the MLSA latency fits: the estimate fails with
  one ``Error:`` line naming the missing datum and the distribution, and runs with
  ``fit_fallback=nearest`` with a warning naming the circuit;
* ``examples/neurosim-tech-16nm``: the documented 16 nm FinFET example; its own conformance
  suite passes in that environment and it estimates end to end.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MICRO = ROOT / "tests" / "golden" / "networks" / "Micro.csv"
TIMEOUT = 300
_IGNORE = shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__", "*.pyc")


def _env() -> dict[str, str]:
    drop = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "NEUROSIM_DISABLE_PLUGINS",
            "NEUROSIM_LOAD_PLUGINS", "PIP_REQUIRE_VIRTUALENV")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PYTHONWARNINGS"] = "default"
    return env


def _run(cmd: list, cwd: Path, ok: bool = True) -> subprocess.CompletedProcess:
    out = subprocess.run([str(c) for c in cmd], cwd=cwd, env=_env(), capture_output=True,
                         text=True, timeout=TIMEOUT)
    if ok:
        assert out.returncode == 0, f"{' '.join(map(str, cmd))}\n{out.stdout}\n{out.stderr}"
    return out


def _copy_node(src_nm: int, new_nm: int, dest: Path, change) -> Path:
    """A copy of ``neurosim-tech-<src_nm>nm`` renamed to ``<new_nm>nm``; ``change(data)``
    edits its node.json data in place."""
    src = ROOT / "plugins" / "techs" / f"neurosim-tech-{src_nm}nm"
    proj = dest / f"neurosim-tech-{new_nm}nm"
    shutil.copytree(src, proj, ignore=_IGNORE)
    old_pkg, new_pkg = f"neurosim_tech_{src_nm}nm", f"neurosim_tech_{new_nm}nm"
    (proj / "src" / old_pkg).rename(proj / "src" / new_pkg)
    for path in [proj / "pyproject.toml", *(proj / "src" / new_pkg).glob("*.py")]:
        text = path.read_text().replace(old_pkg, new_pkg)
        text = re.sub(rf"\b{src_nm}nm\b", f"{new_nm}nm", text)
        path.write_text(text)
    node_json = proj / "src" / new_pkg / "node.json"
    data = json.loads(node_json.read_text())
    data["name"], data["node_nm"] = f"{new_nm}nm", new_nm
    change(data)
    node_json.write_text(json.dumps(data, indent=1))
    shutil.rmtree(proj / "tests")
    return proj


def _change_numbers(data: dict) -> None:
    for td in data["technology_cpp"]:
        td["vdd"] = 0.9
        td["current_on_nmos"] = [v * 1.1 for v in td["current_on_nmos"]]
        td["current_on_pmos"] = [v * 1.1 for v in td["current_on_pmos"]]
    p = data["param_cpp"]
    p["height_in_feature_size_sram"] = 9.0  # a smaller SRAM cell (F)
    from neurosim.technology import ParamCpp  # wire model re-derived from the new widths

    inputs = {k: p[k] for k in ("metal0", "metal1", "wire_width", "barrierthickness",
                                "featuresize", "read_voltage", "height_in_feature_size_sram",
                                "width_in_feature_size_sram", "width_sram_cell_nmos",
                                "width_sram_cell_pmos", "width_access_cmos", "sram_cell_source",
                                "sizingfactor_mux", "sizingfactor_wldecoder",
                                "newswitchmatrixsizeratio", "switchmatrixsizeratio",
                                "buffernumber", "buffersizeratio")}
    inputs.update(metal0=28.0, metal1=28.0, wire_width=28.0, featuresize=28e-9)
    data["param_cpp"] = ParamCpp.derive(**inputs).__dict__


def _drop_mlsa_latency(data: dict) -> None:
    _change_numbers(data)
    del data["circuit_fits"]["mlsa"]["csa_latency"]


class Env:
    """The fresh environment and Micro's traces."""

    def __init__(self, root: Path):
        self.root = root
        venv = root / "venv"
        _run([sys.executable, "-m", "venv", "--without-pip", venv], root)
        self.python = venv / "bin" / "python"
        purelib = _run([self.python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                        "['purelib'])"], root).stdout.strip()
        Path(purelib, "_neurosim_dev.pth").write_text(
            f"import site; site.addsitedir({sysconfig.get_paths()['purelib']!r})\n")
        projects = [_copy_node(32, 28, root, _change_numbers),
                    _copy_node(32, 26, root, _drop_mlsa_latency),
                    ROOT / "examples" / "neurosim-tech-16nm"]
        for proj in projects:
            copy = root / "build" / proj.name
            shutil.copytree(proj, copy, ignore=_IGNORE)
            _run([sys.executable, "-m", "pip", "--python", self.python, "install", "-q",
                  "--no-deps", "--no-build-isolation", "--no-index", "--no-compile", copy], root)
        self.traces = _run([sys.executable, ROOT / "tests" / "golden" / "gen_traces.py", MICRO,
                            root / "traces", "--synapse-bit", "8", "--input-bit", "8",
                            "--seed", "0"], root).stdout.split("\n")[-2].split()

    def neurosim(self, *args, python: Path | None = None, ok: bool = True):
        py = python or self.python
        return _run([py, "-c", "from neurosim.cli import main; main()", *args], self.root, ok)

    def compat(self, tech: str, out: Path, *extra, python: Path | None = None, ok=True):
        return self.neurosim("compat", MICRO, "8", "8", "128", "128", *self.traces, "--quiet",
                             "--param", f"technode={tech}", "--json", out, *extra,
                             python=python, ok=ok)


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> Env:
    return Env(tmp_path_factory.mktemp("third-party-nodes"))


def test_installed_nodes_listed(env):
    out = json.loads(env.neurosim("plugins", "--kind", "tech", "--json").stdout)
    dists = {c["name"]: c["distribution"] for c in out["components"]}
    assert dists["28nm"] == "neurosim-tech-28nm" and dists["16nm"] == "neurosim-tech-16nm"
    assert dists["32nm"] == "neurosim-tech-32nm"


def test_changed_copy_estimates_differently(env):
    env.compat("28", env.root / "n28.json")
    env.compat("32", env.root / "n32.json", python=Path(sys.executable))
    new = json.loads((env.root / "n28.json").read_text())["chip"]
    old = json.loads((env.root / "n32.json").read_text())["chip"]
    for key in ("area_m2", "read_latency_s", "read_energy_j"):
        assert new[key] > 0 and old[key] > 0
        assert new[key] != pytest.approx(old[key], rel=1e-3), key
    # 28 nm is smaller than 32 nm: (28/32)^2 of the array area, the same subarray counts
    assert new["area_array_m2"] < old["area_array_m2"]


def test_missing_fit_is_one_clear_error(env):
    out = env.compat("26", env.root / "n26.json", ok=False)
    assert out.returncode == 2, out.stderr
    lines = [ln for ln in out.stderr.splitlines() if ln.strip()]
    assert lines[-1].startswith("Error: mlsa: tech = 26nm has no circuit fit "
                                "circuit_fits.mlsa.csa_latency in its node data "
                                "(neurosim-tech-26nm 0.1.0)"), out.stderr
    assert "fit_fallback = nearest" in lines[-1]
    assert "Traceback" not in out.stderr and not (env.root / "n26.json").exists()


def test_missing_fit_borrowed_with_opt_in(env):
    out = env.compat("26", env.root / "n26.json", "--param", "fit_fallback=nearest")
    assert ("mlsa: tech = 26nm has no circuit fit circuit_fits.mlsa.csa_latency; using the "
            "28nm node's (fit_fallback = nearest)") in out.stderr
    chip = json.loads((env.root / "n26.json").read_text())["chip"]
    assert chip["read_latency_s"] > 0


def test_16nm_example_passes_its_kit_and_estimates(env):
    kit = _run([env.python, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
                ROOT / "examples" / "neurosim-tech-16nm" / "tests"], env.root, ok=False)
    assert kit.returncode == 0, kit.stdout[-3000:]
    out = env.compat("16", env.root / "n16.json", "--param", "fit_fallback=nearest")
    assert "using the 14nm node's" in out.stderr
    chip = json.loads((env.root / "n16.json").read_text())["chip"]
    assert all(chip[k] > 0 for k in ("area_m2", "read_latency_s", "read_energy_j"))
    # without the opt-in, the first fit the estimate reads is named
    fail = env.compat("16", env.root / "none.json", ok=False)
    assert fail.returncode == 2 and "circuit_fits." in fail.stderr
    assert "neurosim-tech-16nm" in fail.stderr
