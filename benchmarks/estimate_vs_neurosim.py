#!/usr/bin/env python3
"""Whole-process cost of ``neurosim compat`` on the golden VGG8 case ``vgg8_t22`` (default
options, 22 nm, 8-bit, 128x128 subarrays, traces of ``gen_traces.py`` seed 0) against the
recorded cost of NeuroSim V1.4's C++ on the same input (``wall_s``, ``user_cpu_s``,
``peak_rss_kb`` of the golden case). Targets: < 5 s wall, < 2 GB peak RSS.

    python benchmarks/estimate_vs_neurosim.py [--case vgg8_t22] [--repeat 1]

The traces (175 MB) are generated once into ``$NEUROSIM_TRACE_CACHE`` (default
``~/.cache/neurosim-golden``); generation is not timed. Besides the cost, the run's JSON is
compared with the golden numbers (max relative difference).

Measured 2026-11-26 on the 2-core development machine (load average about 1.1, Python 3.11,
``PYTHONDONTWRITEBYTECODE=1`` so every run compiles the project's modules): best of 3
2.03 s wall, 1.9 s user CPU (about 2.5 s user+sys per run under /usr/bin/time), 266 MB
peak RSS, max relative difference 4.1e-6; single runs 2.0-3.1 s wall, 2.1-3.2 s user+sys.
Before the speed-ups (commit 340a978, same machine and load, runs alternated): 4.8-6.1 s
wall, 4.9-6.1 s user+sys, 504 MB. The speed-ups: weight traces
parsed 8 characters at a time (SWAR on uint64 views, about 330 MB/s, bit-identical to
strtod), SRAM layers skip the conductance array entirely (its values never enter the read
model), blocked level computation and row gathers, the ADC's static power evaluated once
per vector when all columns share a resistance, and fewer garbage-collector passes while
the engine runs.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_WALL_S = 5.0
TARGET_RSS_MB = 2048.0


def max_rel_diff(golden, ours) -> float:
    if isinstance(golden, dict):
        return max((max_rel_diff(v, ours.get(k)) for k, v in golden.items()), default=0.0)
    if isinstance(golden, list):
        return max((max_rel_diff(g, o) for g, o in zip(golden, ours)), default=0.0)
    if isinstance(golden, str) or not math.isfinite(golden):
        return 0.0
    if not isinstance(ours, (int, float)):
        return math.inf
    return abs(ours - golden) / max(abs(golden), 1e-300)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", default="vgg8_t22")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    from golden_traces import ENV_TO_PARAM, case_by_id, network_path, trace_files

    case = case_by_id(args.case)
    net = network_path(case)
    files = trace_files(case)  # generated once into the cache, not timed
    params: list[str] = []
    for k, v in case["env"].items():
        params += ["--param", f"{ENV_TO_PARAM[k]}={v}"]
    a = case["argv"]
    neurosim = Path(sys.executable).with_name("neurosim")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        cmd = [str(neurosim), "compat", str(net), str(a["synapseBit"]), str(a["numBitInput"]),
               str(a["numRowSubArray"]), str(a["numRowParallel"]), *files,
               *params, "--json", str(out), "--quiet"]
        walls = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True)
            walls.append(time.perf_counter() - t0)
            if proc.returncode:
                print(proc.stderr, file=sys.stderr)
                return proc.returncode
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        ours = json.loads(out.read_text())
    wall = min(walls)
    rss_mb = usage.ru_maxrss / 1024.0
    user = usage.ru_utime / args.repeat
    diff = max_rel_diff(case["golden"], ours)
    print(f"case {case['id']} ({net.name}, {len(files) // 2} layers)")
    print(f"{'':22}{'neurosim (Python)':>20}{'NeuroSim C++':>16}{'ratio':>10}")
    print(f"{'wall time [s]':22}{wall:>20.2f}{case['wall_s']:>16.1f}"
          f"{case['wall_s'] / wall:>9.0f}x")
    print(f"{'user CPU [s]':22}{user:>20.2f}{case['user_cpu_s']:>16.1f}"
          f"{case['user_cpu_s'] / max(user, 1e-9):>9.0f}x")
    print(f"{'peak RSS [MB]':22}{rss_mb:>20.0f}{case['peak_rss_kb'] / 1024:>16.0f}")
    print(f"max relative difference to the golden numbers: {diff:.2e}")
    ok = wall < TARGET_WALL_S and rss_mb < TARGET_RSS_MB
    print(f"targets (< {TARGET_WALL_S:g} s, < {TARGET_RSS_MB:g} MB): "
          f"{'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
