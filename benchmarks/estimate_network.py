#!/usr/bin/env python3
"""Whole-process cost of ``neurosim estimate --network NAME`` with seeded random weights and
inputs, cold (``--no-cache``: torch import, model construction, the traced forward pass and
the hardware estimate) and warm (the trace cache filled: no torch, the traces read from
``$NEUROSIM_CACHE_DIR``, here a private temporary folder), plus the in-process split
between building + capturing, loading the cached traces and the estimate.

    python benchmarks/estimate_network.py [--network vgg8] [--repeat 1] [--set KEY=VALUE ...]

Each repeat runs the CLI in a fresh process (so start-up and plugin loading count); the
warm runs must give the cold run's figures exactly. Figures: ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def split_times(network: str, overrides: list[str]) -> dict[str, float]:
    """Seconds spent building + capturing, storing and loading the cached traces, and
    estimating, in this process."""
    import os

    from neurosim import trace_cache
    from neurosim.commands.common import build_config, prepare_from_options
    from neurosim.commands.estimate import run_estimate

    import neurosim.nn.pipeline  # noqa: F401 (torch imported before the clock starts)

    cfg = build_config((), tuple(overrides))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ[trace_cache.ENV_DIR] = tmp
        key = trace_cache.capture_key(cfg, network, None, None, None, 1, None, ())
        t0 = time.perf_counter()
        run = prepare_from_options(network, None, None, None, 1, None, cfg)
        t1 = time.perf_counter()
        trace_cache.store(trace_cache.key_path(key), key, run)
        t2 = time.perf_counter()
        trace_cache.load(trace_cache.key_path(key), key)
        t3 = time.perf_counter()
        run_estimate(cfg, run)
        t4 = time.perf_counter()
    return {"build_and_capture_s": t1 - t0, "cache_store_s": t2 - t1, "cache_load_s": t3 - t2,
            "estimate_s": t4 - t3}


def timed(cmd: list[str], env: dict[str, str], repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + sys) seconds of ``repeat`` fresh processes."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True, env=env)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if r.returncode:
            raise SystemExit(f"{' '.join(cmd)}: exit {r.returncode}\n{r.stderr[-2000:]}")
    return walls, cpus


def main() -> int:
    import os

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--network", default="vgg8")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--set", dest="overrides", action="append", default=[])
    args = ap.parse_args()
    exe = Path(sys.executable).with_name("neurosim")
    cmd = [str(exe) if exe.exists() else "neurosim", "estimate", "--network", args.network,
           "--quiet"]
    for o in args.overrides:
        cmd += ["--set", o]
    report: dict = {"network": args.network}
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "NEUROSIM_CACHE_DIR": str(Path(tmp) / "traces")}
        cold, warm = Path(tmp) / "cold.json", Path(tmp) / "warm.json"
        walls, cpus = timed(cmd + ["--no-cache", "--json", str(cold)], env, args.repeat)
        report.update(cold_wall_s=min(walls), cold_cpu_s=cpus[walls.index(min(walls))])
        timed(cmd + ["--json", str(cold)], env, 1)  # fills the cache
        walls, cpus = timed(cmd + ["--json", str(warm)], env, args.repeat)
        report.update(warm_wall_s=min(walls), warm_cpu_s=cpus[walls.index(min(walls))])
        a, b = json.loads(cold.read_text()), json.loads(warm.read_text())
        report["warm_equals_cold"] = all(a[k] == b[k] for k in ("chip", "layers",
                                                                 "performance"))
        report["tops_per_w"] = b["performance"]["tops_per_w"]
    report["peak_rss_mb_any_run"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report.update(split_times(args.network, args.overrides))
    print(json.dumps(report, indent=2))
    return 0 if report["warm_equals_cold"] else 1


if __name__ == "__main__":
    sys.exit(main())
