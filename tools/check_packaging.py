"""Build every distribution (sdist, then the wheel from it) and run ``twine check --strict``.

    .venv/bin/python tools/check_packaging.py [--jobs 2] [DIST_DIR ...]

Distributions are ``core/``, ``plugins/<kind>s/<dist>/`` and ``examples/<dist>/`` (every folder
with a ``pyproject.toml``), or the folders given. Each is copied to a temporary folder (the
source tree gets no ``build/`` or ``*.egg-info``) and built with ``python -m build
--no-isolation`` (setuptools from the running environment, no download). Then every wheel
must carry its ``LICENSE`` and a ``License-Expression``, and ``twine check --strict`` must pass
on all sdists and wheels. Exit status 0 when all pass; otherwise each failure is printed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_IGNORE = shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__", "*.pyc",
                                 ".pytest_cache")


def distributions() -> list[Path]:
    """Every distribution folder of the repository, core first."""
    found = [ROOT / "core"]
    for pattern in ("plugins/*/*/pyproject.toml", "examples/*/pyproject.toml"):
        found += sorted(p.parent for p in ROOT.glob(pattern))
    return found


def build_one(src: Path, work: Path, outdir: Path) -> str | None:
    """Build ``src``'s sdist and wheel into ``outdir``; an error message or None."""
    copy = work / src.name
    shutil.copytree(src, copy, ignore=_IGNORE)
    out = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir",
                          str(outdir), str(copy)], capture_output=True, text=True,
                         timeout=600, check=False)
    if out.returncode != 0:
        return f"{src.relative_to(ROOT)}: python -m build failed\n{out.stdout[-2000:]}" \
               f"{out.stderr[-2000:]}"
    return None


def wheel_problems(wheel: Path) -> list[str]:
    """A wheel without its LICENSE file or License-Expression metadata."""
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
        text = zf.read(meta).decode() if meta else ""
    problems = []
    if not any(n.endswith(".dist-info/licenses/LICENSE") for n in names):
        problems.append(f"{wheel.name}: no .dist-info/licenses/LICENSE")
    if "License-Expression: " not in text:
        problems.append(f"{wheel.name}: no License-Expression in METADATA")
    return problems


def check(dists: list[Path], jobs: int = 2, outdir: Path | None = None) -> list[str]:
    """Build ``dists`` (into ``outdir``, default a temporary folder) and check them; the list
    of failures (empty: all pass)."""
    with tempfile.TemporaryDirectory(prefix="neurosim-pkg-") as tmp:
        work = Path(tmp) / "src"
        outdir = outdir or Path(tmp) / "dist"
        work.mkdir()
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            errors = [e for e in pool.map(lambda d: build_one(d, work, outdir), dists) if e]
        if errors:
            return errors
        files = sorted(outdir.glob("*.whl")) + sorted(outdir.glob("*.tar.gz"))
        if len(files) != 2 * len(dists):
            errors.append(f"expected {2 * len(dists)} files, built {len(files)}")
        for wheel in outdir.glob("*.whl"):
            errors += wheel_problems(wheel)
        out = subprocess.run([sys.executable, "-m", "twine", "--no-color", "check", "--strict",
                              *map(str, files)], capture_output=True, text=True,
                             timeout=600, check=False)
        if out.returncode != 0:
            errors.append(f"twine check --strict failed:\n{out.stdout}{out.stderr}")
        return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dists", nargs="*", type=Path, help="distribution folders")
    parser.add_argument("--jobs", type=int, default=2, help="parallel builds (default 2)")
    args = parser.parse_args(argv)
    dists = [d.resolve() for d in args.dists] or distributions()
    errors = check(dists, args.jobs)
    for e in errors:
        print(f"Error: {e}", file=sys.stderr)
    if not errors:
        print(f"{len(dists)} distributions built (sdist + wheel); twine check --strict passed")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
