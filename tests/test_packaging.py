"""Packaging metadata of every distribution, and a build + ``twine check --strict`` of two.

Static checks on each ``pyproject.toml`` (core, plugins, examples): an SPDX licence
expression with its ``LICENSE`` file, a readme that exists, project URLs, the setuptools that
understands licence expressions (PEP 639, setuptools >= 77), one version range per
dependency across all distributions, ``tomli`` for Python 3.10 where TOML is read, and
package-data patterns that match files. Building all ~30 distributions takes minutes, so
CI runs ``tools/check_packaging.py`` for all of them (``.ci/run``); this test builds the core
and one node plugin (which ships package data) with the same code.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import check_packaging  # noqa: E402

DISTS = check_packaging.distributions()
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$")


def _project(dist: Path) -> dict:
    return tomllib.loads((dist / "pyproject.toml").read_text())


def _requirements(dist: Path) -> list[str]:
    project = _project(dist)["project"]
    reqs = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        reqs += extra
    return reqs


def _split(req: str) -> tuple[str, str, str]:
    spec, _, marker = req.partition(";")
    name, _, version = _NAME.match(spec).groups()
    return re.sub(r"[-_.]+", "-", name).lower(), version.replace(" ", ""), marker.strip()


def test_every_distribution_is_found():
    names = {d.name for d in DISTS}
    assert {"core", "neurosim-tech-7nm", "neurosim-device-pcm",
            "neurosim-network-vgg8", "neurosim-peripheral-adc-sar"} <= names
    assert len(DISTS) >= 29


@pytest.mark.parametrize("dist", DISTS, ids=lambda d: d.name)
def test_metadata(dist):
    from packaging.licenses import canonicalize_license_expression

    data = _project(dist)
    project = data["project"]
    assert isinstance(project.get("license"), str), "license must be an SPDX expression string"
    assert canonicalize_license_expression(project["license"]) == project["license"]
    for pattern in project.get("license-files", []):
        assert list(dist.glob(pattern)), f"license-files {pattern!r} matches no file"
    assert project.get("license-files"), "license-files missing"
    assert (dist / project["readme"]).is_file(), "readme missing"
    assert project.get("urls"), "no [project.urls]"
    assert project["requires-python"] == ">=3.10"
    assert any(re.fullmatch(r"setuptools>=(\d+)", r) and int(r.split(">=")[1]) >= 77
               for r in data["build-system"]["requires"]), "PEP 639 needs setuptools>=77"
    for req in _requirements(dist):
        name, version, _ = _split(req)
        assert version or name == "pytest" or name.startswith("neurosim-tech-"), \
            f"{req!r} has no version range"


@pytest.mark.parametrize("dist", DISTS, ids=lambda d: d.name)
def test_package_data_exists(dist):
    src = dist / "src"
    for package, patterns in _project(dist).get("tool", {}).get("setuptools", {}) \
            .get("package-data", {}).items():
        for pattern in patterns:
            assert list((src / package.replace(".", "/")).glob(pattern)), \
                f"package-data {package}: {pattern!r} matches no file"


def test_tomli_for_python_310():
    """A distribution whose code imports ``tomllib`` (3.11+) depends on ``tomli`` for 3.10."""
    readers = [d for d in DISTS if any("import tomllib" in p.read_text(errors="ignore")
                                       for p in (d / "src").rglob("*.py"))]
    assert ROOT / "core" in readers  # the configuration loader reads TOML
    for dist in readers:
        assert any(_split(r)[0] == "tomli" and "python_version" in _split(r)[2]
                   for r in _requirements(dist)), f"{dist.name}: tomllib without tomli"


def test_one_version_range_per_dependency():
    ranges: dict[str, dict[str, list[str]]] = {}
    for dist in DISTS:
        for req in _requirements(dist):
            name, version, _ = _split(req)
            if version:
                ranges.setdefault(name, {}).setdefault(version, []).append(dist.name)
    mixed = {n: r for n, r in ranges.items() if len(r) > 1}
    assert not mixed, mixed


def test_build_and_twine_check(tmp_path):
    """The core and the 7 nm node build (sdist, wheel from it) and pass twine --strict; the
    node's wheel ships its node.json and the LICENSE."""
    pytest.importorskip("build")
    pytest.importorskip("twine")
    dists = [ROOT / "core", ROOT / "plugins" / "techs" / "neurosim-tech-7nm"]
    assert check_packaging.check(dists, outdir=tmp_path) == []
    (wheel,) = tmp_path.glob("neurosim_tech_7nm-*.whl")
    assert "neurosim_tech_7nm/node.json" in zipfile.ZipFile(wheel).namelist()
    (core,) = tmp_path.glob("neurosim_core-*.whl")
    assert check_packaging.wheel_problems(core) == []
