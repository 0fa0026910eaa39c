"""One sweep row through the estimator: the code path of ``neurosim estimate``.

:func:`check_row` is ``neurosim estimate``'s configuration check (validation and the
node/device plugins); :func:`run_engine` is the only call of the engine in the sweep
package; :func:`evaluate_row` turns what happens into an :class:`Outcome`: ``done`` with the
``--json`` figures (``EstimateResult.to_json``), ``rejected`` with NeuroSim's reason (a
:class:`~neurosim.errors.NeuroSimError`) or ``failed`` with the error of anything else.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Mapping

from ..config import Config
from ..errors import NeuroSimError
from .inputs import SharedInputs


@dataclass
class Outcome:
    """What became of one row."""

    config_id: str
    status: str  # done / rejected / failed
    reason: str = ""
    result: dict[str, Any] | None = None  # the --json object (without "network")
    seconds: float = 0.0
    memo_hits: int = 0  # statistics memo lookups of this row that were reused
    memo_misses: int = 0  # ... and computed
    worker: int = 0  # process id of the worker that ran it (0: not run)
    peak_rss_mb: float = 0.0  # that process's peak resident memory after the row (MB)


def make_config(options: Mapping[str, Any]) -> Config:
    """The row's configuration from its effective options (``Config.to_dict()``)."""
    return Config(**dict(options))


def check_row(cfg: Config) -> None:
    """What ``neurosim estimate`` checks before it runs (``commands.common.build_config``):
    NeuroSim's rejected combinations and the node and device plugins."""
    from ..plugins import get_host

    cfg.validate()
    reg = get_host().registry
    reg.entry("tech", cfg.tech)
    reg.entry("device", cfg.device)


def run_engine(cfg: Config, shared: SharedInputs) -> dict[str, Any]:
    """The estimate of ``cfg`` on the shared workload, as its ``--json`` object: the
    engine entry point ``neurosim estimate`` uses (``engine.flow.estimate``); the
    workload's statistics memo lets rows on the same traces share their trace statistics
    (bit-identical to a fresh evaluation). Before it, ``neurosim estimate``'s cost guard
    (without ``--force``); after it, its refusal of non-finite figures."""
    from ..cost import guard, predict
    from ..engine.flow import estimate
    from ..validation import check_finite

    guard(predict(cfg, shared.workload.layers), False, "this configuration")
    out = estimate(cfg, shared.workload, threads=1).to_json()  # the sweep spreads rows instead
    check_finite(out, cfg)  # as neurosim estimate: inf/nan figures are refused
    return out


def evaluate_row(config_id: str, options: Mapping[str, Any],
                 shared: SharedInputs | None) -> Outcome:
    """Check and estimate one row; never raises for the row's own errors."""
    t0 = time.perf_counter()
    try:
        cfg = make_config(options)
        check_row(cfg)
        if shared is None:
            raise NeuroSimError("no traces for this configuration")
        result = run_engine(cfg, shared)
    except NeuroSimError as exc:
        return Outcome(config_id, "rejected", str(exc), None, time.perf_counter() - t0)
    except Exception as exc:  # a defect or a resource error: the sweep goes on
        return Outcome(config_id, "failed", f"{type(exc).__name__}: {exc}", None,
                       time.perf_counter() - t0)
    return Outcome(config_id, "done", "", result, time.perf_counter() - t0)


def precheck(config_id: str, options: Mapping[str, Any]) -> Outcome | None:
    """The rejected outcome of a row whose configuration fails :func:`check_row` (so it
    needs no traces and no worker), else None."""
    try:
        check_row(make_config(options))
    except NeuroSimError as exc:
        return Outcome(config_id, "rejected", str(exc))
    return None


def cost_check(config_id: str, cfg: Config, layers: Any) -> Outcome | None:
    """The rejected outcome of a row ``neurosim estimate``'s cost guard refuses (without
    ``--force``) on the traces' ``layers``, decided before any worker sees it, else None."""
    from ..cost import guard, predict

    try:
        guard(predict(cfg, layers), False, "this configuration")
    except NeuroSimError as exc:
        return Outcome(config_id, "rejected", str(exc))
    return None
