"""Locate reference (golden) files for tests: ``$NEUROSIM_GOLDEN``, then the shared
golden folder next to the repository (``<repo>/../shared/golden``), then the copies inside
the repository (``<repo>/tests/golden``)."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]


def golden_roots() -> list[Path]:
    roots = []
    env = os.environ.get("NEUROSIM_GOLDEN")
    if env:
        roots.append(Path(env))
    roots += [REPO.parent / "shared" / "golden", Path("/work/shared/golden"),
              REPO / "tests" / "golden", Path.cwd() / "tests" / "golden"]
    return roots


def find_golden(*candidates: str) -> Path | None:
    """The first existing file among ``candidates`` (paths relative to a golden root),
    searching the roots in order; None when none exists."""
    for root in golden_roots():
        for rel in candidates:
            p = root / rel
            if p.exists():
                return p
    return None
