"""Seeded random VGG8 estimates shared by the explain/diff/breakdown tests: the model is
built and traced once per process, each configuration estimated once (``lru_cache``)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def vgg8_run() -> Any:
    """The traced VGG8 (seeded random weights and one random input)."""
    from neurosim.commands.common import build_config, prepare_from_options

    cfg = build_config((), ())
    return prepare_from_options("vgg8", None, None, None, 1, None, cfg)


@lru_cache(maxsize=8)
def vgg8_result(*overrides: str) -> Any:
    """The estimate of :func:`vgg8_run` with ``--set`` ``overrides``."""
    from neurosim.commands.common import build_config
    from neurosim.commands.estimate import run_estimate

    return run_estimate(build_config((), overrides), vgg8_run())
