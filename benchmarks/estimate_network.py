#!/usr/bin/env python3
"""Whole-process cost of ``neurosim estimate --network vgg8`` with seeded random weights and
inputs: model construction, the traced forward pass (layer table, weight and input-bit
traces of all 8 layers in memory) and the hardware estimate. Target: < 10 s wall.

    python benchmarks/estimate_network.py [--network vgg8] [--repeat 1] [--set KEY=VALUE ...]

Each repeat runs the CLI in a fresh process (so torch import and plugin loading count) and
also reports the in-process split between capture and estimate.

Measured 2026-11-26 on the 2-core development machine (load average about 1.1, Python 3.11):
best of 3 5.45 s wall (runs 5.4-5.8 s; about 5.7 s user+sys per run under /usr/bin/time),
765 MB peak RSS; in-process split: model build + capture 0.63 s, estimate 1.36 s. The rest
of the process is start-up, mostly ``import torch`` (about 2.8 s alone). Before the speed-ups
(commit 340a978, same machine and load, runs alternated): 6.9-7.9 s wall, 7.2-8.2 s user+sys,
1.0 GB (after: 5.3-6.4 s wall, 5.7-6.8 s user+sys, 0.8 GB). Under heavy load from other
sessions (load average 12-14) the same command took 30-50 s wall.
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
TARGET_WALL_S = 10.0


def split_times(network: str, overrides: list[str]) -> dict[str, float]:
    """Seconds spent building + capturing vs estimating, in this process."""
    from neurosim.commands.common import build_config
    from neurosim.datasets import DataSpec
    from neurosim.engine.flow import estimate
    from neurosim.nn.pipeline import prepare

    cfg = build_config((), tuple(overrides))
    t0 = time.perf_counter()
    run = prepare(cfg, network=network, data=DataSpec("random", "", 1))
    t1 = time.perf_counter()
    cap = run.capture
    estimate(cfg, cap.specs, cap.weights, cap.inputs)
    t2 = time.perf_counter()
    return {"build_and_capture_s": t1 - t0, "estimate_s": t2 - t1}


def main() -> int:
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
    walls = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        for _ in range(args.repeat):
            t = time.perf_counter()
            r = subprocess.run(cmd + ["--json", str(out)], capture_output=True, text=True)
            walls.append(time.perf_counter() - t)
            if r.returncode:
                print(r.stdout[-2000:], r.stderr[-2000:], file=sys.stderr)
                return r.returncode
        result = json.loads(out.read_text())
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    split = split_times(args.network, args.overrides)
    report = {
        "network": args.network,
        "wall_s": min(walls),
        "wall_s_all": walls,
        "user_cpu_s_total": child.ru_utime,
        "peak_rss_mb": child.ru_maxrss / 1024,
        **split,
        "layers": len(result["layers"]),
        "tops_per_w": result["performance"]["tops_per_w"],
        "target_wall_s": TARGET_WALL_S,
        "meets_target": min(walls) < TARGET_WALL_S,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
