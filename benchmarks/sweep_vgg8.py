#!/usr/bin/env python3
"""``neurosim sweep`` on VGG8: N configurations drawn from all 13 nodes, SRAM/RRAM/FeFET,
ADC levels, parallel rows and subarray sizes (a ``[random]`` spec, seed 1), against one
``neurosim estimate --network vgg8`` in the same run. Target (issue 12): 1,000
configurations in <= 60 s on the 2-core machine; ``--scheduler local`` within 1.5x of
``--workers``; peak memory bounded by the shared inputs plus a per-worker constant.

    python benchmarks/sweep_vgg8.py [--configs 1000] [--workers 0] [--devices sram,rram,fefet]
        [--compare-dask] [--cold] [--profile N] [--memo-mb MB] [--keep DIR]

Each command runs in a fresh process; wall time, CPU time (user+sys of the process and its
workers) and the peak RSS of the largest process are printed, with the sweep's statistics
memo hits and misses. With fewer than 1,000 configurations the 1,000-configuration time is
extrapolated from the per-configuration rate and marked as such. The estimate run traces
VGG8 into a private trace cache (``NEUROSIM_CACHE_DIR`` under the work folder), which the
sweeps then read (``--cold``: the sweeps trace afresh, ``--no-cache``). ``--profile N``
also runs N rows of the spec in this process under cProfile (in the order a worker runs
them) and prints where their time goes. Measured figures and the machine load are in
docs/sweeps.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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


def timed(cmd: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Wall and CPU seconds (user+sys of the command and its waited-for children) and peak
    RSS (MB, its largest process) of one command, and the statistics-memo line a sweep
    prints."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        sys.exit(f"Error: {' '.join(cmd)} failed:\n{stderr[-2000:]}")
    memo = next((ln for ln in stdout.splitlines() if ln.startswith("statistics memo")), "")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_rss_mb": usage.ru_maxrss / 1024, "memo": memo}


def profile_rows(spec: Path, n: int, top: int = 25) -> None:
    """Run ``n`` rows of ``spec`` in this process, in a worker's order, under cProfile."""
    import cProfile
    import pstats

    from neurosim.sweep.evaluate import cost_check, make_config, precheck
    from neurosim.sweep.executors import RowRunner
    from neurosim.sweep.inputs import build_inputs, trace_key
    from neurosim.sweep.schedule import AffinityQueue, make_task, row_weight
    from neurosim.sweep.spec import load_spec

    sp = load_spec(spec)
    rows = [r for r in sp.expand() if precheck(r.config_id, r.options) is None]
    t0 = time.perf_counter()
    shared = build_inputs(make_config(rows[0].options), sp.source, spec.parent)
    print(f"profile: traces in {time.perf_counter() - t0:.2f} s")
    key = trace_key(rows[0].options, sp.source)
    layers = shared.workload.layers
    tasks = [make_task(r.config_id, r.options, key, row_weight(make_config(r.options), layers))
             for r in rows if cost_check(r.config_id, make_config(r.options), layers) is None]
    queue, runner = AffinityQueue(tasks), RowRunner({key: shared})
    prof = cProfile.Profile()
    for _ in range(min(n, len(tasks))):
        t = queue.next_for(0)
        c0 = time.process_time()
        prof.enable()
        out = runner.run(t.config_id, t.options, key, t.group, t.column, t.keep)
        prof.disable()
        o = t.options
        print(f"profile row {o['device']} {o['tech']} {o['subarray_rows']}x"
              f"{o['subarray_cols']} parallel {o['parallel_rows']} levels "
              f"{o['level_output']}: {out.status}, {time.process_time() - c0:.2f} CPU-s, memo "
              f"{out.memo_hits} reused / {out.memo_misses} computed")
    pstats.Stats(prof).sort_stats("cumulative").print_stats(top)


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
    ap.add_argument("--cold", action="store_true",
                    help="the sweeps trace VGG8 afresh (--no-cache) instead of reading the "
                         "trace cache the estimate run wrote")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="also profile N rows in this process (cProfile)")
    ap.add_argument("--memo-mb", type=int, help="the sweeps' --memo-mb (default: theirs)")
    ap.add_argument("--keep", type=Path, help="keep the sweep folders under this folder")
    args = ap.parse_args()
    if args.configs < 1 or args.workers < 0 or args.profile < 0:
        sys.exit("Error: --configs must be positive, --workers and --profile not negative")
    exe = Path(sys.executable).with_name("neurosim")
    neurosim = [str(exe) if exe.exists() else "neurosim"]
    work = args.keep or Path(tempfile.mkdtemp(prefix="sweep_vgg8_"))
    work.mkdir(parents=True, exist_ok=True)
    spec = work / "spec.toml"
    spec.write_text(spec_text(args.configs, args.devices.split(",")))
    workers = args.workers or os.cpu_count() or 1
    env = dict(os.environ, NEUROSIM_CACHE_DIR=str(work / "trace-cache"))

    single = timed(neurosim + ["estimate", "--network", "vgg8", "--quiet"], env)
    print(f"one `neurosim estimate --network vgg8` (traced, into an empty trace cache): "
          f"{single['wall_s']:.2f} s wall, {single['cpu_s']:.2f} s CPU, "
          f"{single['peak_rss_mb']:.0f} MB")
    cache = ["--no-cache"] if args.cold else []
    if args.memo_mb is not None:
        cache += ["--memo-mb", str(args.memo_mb)]
    runs = [("workers", ["--workers", str(workers)])]
    if args.compare_dask:
        runs.append(("dask-local", ["--scheduler", "local", "--workers", str(workers)]))
    walls = {}
    for name, opts in runs:
        out = work / name
        m = timed(neurosim + ["sweep", "run", str(spec), "--out", str(out), "--quiet",
                              "--no-plots", *cache, *opts], env)
        c = counts(out)
        n = sum(c.values())
        walls[name] = m["wall_s"]
        per = m["wall_s"] / max(n, 1)
        at_target = per * TARGET_CONFIGS
        est = "" if n >= TARGET_CONFIGS else " (extrapolated)"
        print(f"sweep [{name}, {workers} workers]: {n} configurations ({c}) in "
              f"{m['wall_s']:.2f} s wall, {m['cpu_s']:.2f} s CPU, peak RSS "
              f"{m['peak_rss_mb']:.0f} MB; {n / m['wall_s']:.3g} configurations/s; "
              f"per configuration {per:.3g} s = {single['wall_s'] / per:.3g}x faster than "
              f"one estimate command; {TARGET_CONFIGS} configurations: {at_target:.0f} s"
              f"{est} (target {TARGET_S:.0f} s: {'met' if at_target <= TARGET_S else 'NOT met'})"
              f"; traces {'traced afresh' if args.cold else 'from the trace cache'}; "
              f"{m['memo']}")
    if len(walls) == 2:
        ratio = walls["dask-local"] / walls["workers"]
        print(f"--scheduler local / --workers: {ratio:.2f}x (target <= 1.5x: "
              f"{'met' if ratio <= 1.5 else 'NOT met'})")
    if args.profile:
        os.environ.update(env)
        profile_rows(spec, args.profile)
    if not args.keep:
        print(f"(sweep folders in {work})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
