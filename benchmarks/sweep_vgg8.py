#!/usr/bin/env python3
"""``neurosim sweep`` on VGG8: N configurations drawn from all 13 nodes, SRAM/RRAM/FeFET,
ADC levels, parallel rows and subarray sizes (a ``[random]`` spec, seed 1), against one
``neurosim estimate --network vgg8`` in the same run. Target (issue 12): 1,000
configurations in <= 60 s on the 2-core machine; ``--scheduler local`` within 1.5x of
``--workers``; peak memory bounded by the shared inputs plus a per-worker constant.

    python benchmarks/sweep_vgg8.py [--configs 1000] [--workers 0] [--devices sram,rram,fefet]
        [--compare-dask] [--keep DIR]

Each command runs in a fresh process; wall time, CPU time (user+sys of the process and its
workers) and the peak RSS of the largest process are printed. With fewer than 1,000
configurations the 1,000-configuration time is extrapolated from the per-configuration
rate and marked as such. Measured figures and the machine load are in docs/sweeps.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 60.0
TARGET_CONFIGS = 1000
NODES = [130, 90, 65, 45, 32, 22, 14, 10, 7, 5, 3, 2, 1]


def spec_text(n: int, devices: list[str]) -> str:
    return (f'network = "vgg8"\ndata = "random:1"\n[random]\nsamples = {n}\nseed = 1\n'
            f"technode = {NODES}\ndevice = {json.dumps(devices)}\n"
            "levelOutput = [8, 16, 32, 64]\nsubarray_rows = [64, 128, 256]\n"
            "parallel_rows = [0, 16, 32, 64]\n[objectives]\n"
            'maximize = ["performance.tops_per_w"]\n'
            'minimize = ["chip.area_m2", "chip.read_latency_s"]\n')


def timed(cmd: list[str]) -> dict[str, float]:
    """Wall and CPU seconds and peak RSS (MB, largest child) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        sys.exit(f"Error: {' '.join(cmd)} failed:\n{r.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "peak_rss_mb": after.ru_maxrss / 1024}


def counts(out: Path) -> dict[str, int]:
    with sqlite3.connect(out / "results.sqlite") as db:
        return dict(db.execute("SELECT status, COUNT(*) FROM rows GROUP BY status"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--configs", type=int, default=TARGET_CONFIGS)
    ap.add_argument("--workers", type=int, default=0, help="0 = all cores")
    ap.add_argument("--devices", default="sram,rram,fefet")
    ap.add_argument("--compare-dask", action="store_true",
                    help="also run the sweep with --scheduler local")
    ap.add_argument("--keep", type=Path, help="keep the sweep folders under this folder")
    args = ap.parse_args()
    exe = Path(sys.executable).with_name("neurosim")
    neurosim = [str(exe) if exe.exists() else "neurosim"]
    work = args.keep or Path(tempfile.mkdtemp(prefix="sweep_vgg8_"))
    work.mkdir(parents=True, exist_ok=True)
    spec = work / "spec.toml"
    spec.write_text(spec_text(args.configs, args.devices.split(",")))
    workers = args.workers or os.cpu_count() or 1

    single = timed(neurosim + ["estimate", "--network", "vgg8", "--quiet"])
    print(f"one `neurosim estimate --network vgg8`: {single['wall_s']:.2f} s wall, "
          f"{single['cpu_s']:.2f} s CPU, {single['peak_rss_mb']:.0f} MB")
    runs = [("workers", ["--workers", str(workers)])]
    if args.compare_dask:
        runs.append(("dask-local", ["--scheduler", "local", "--workers", str(workers)]))
    walls = {}
    for name, opts in runs:
        out = work / name
        m = timed(neurosim + ["sweep", "run", str(spec), "--out", str(out), "--quiet",
                              "--no-plots", *opts])
        c = counts(out)
        n = sum(c.values())
        walls[name] = m["wall_s"]
        per = m["wall_s"] / max(n, 1)
        at_target = per * TARGET_CONFIGS
        est = "" if n >= TARGET_CONFIGS else " (extrapolated)"
        print(f"sweep [{name}, {workers} workers]: {n} configurations ({c}) in "
              f"{m['wall_s']:.2f} s wall, {m['cpu_s']:.2f} s CPU, peak "
              f"{m['peak_rss_mb']:.0f} MB; {n / m['wall_s']:.3g} configurations/s; "
              f"per configuration {per:.3g} s = {single['wall_s'] / per:.3g}x faster than "
              f"one estimate command; {TARGET_CONFIGS} configurations: {at_target:.0f} s"
              f"{est} (target {TARGET_S:.0f} s: {'met' if at_target <= TARGET_S else 'NOT met'})")
    if len(walls) == 2:
        ratio = walls["dask-local"] / walls["workers"]
        print(f"--scheduler local / --workers: {ratio:.2f}x (target <= 1.5x: "
              f"{'met' if ratio <= 1.5 else 'NOT met'})")
    if not args.keep:
        print(f"(sweep folders in {work})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
