#!/usr/bin/env python3
"""Whole-process cost of ``neurosim compat`` and ``neurosim estimate`` against NeuroSim V1.4's
C++ (issue 11): wall time, CPU time (user + sys of the child process), peak memory, and the
ratio to the C++ ``user_cpu_s`` recorded in the golden case where one matches (of our CPU
time, and of our wall time: the C++ runs on one core).

    python benchmarks/estimate_vs_neurosim.py [--only vgg8-rram] [--repeat 1] [--list]

Runs (ids for ``--only``, several allowed):

* ``vgg8-sram``, ``vgg8-rram``, ``vgg8-rram-cb2``, ``vgg8-fefet``: ``neurosim compat`` on the
  VGG8 traces of golden case ``vgg8_t22`` (22 nm; SRAM, RRAM cellBit 1 (= golden
  ``vgg8_rram_t22``), RRAM cellBit 2, FeFET);
* ``densenet40-sram``: ``compat`` on golden case ``densenet40_t22``; ``resnet18-sram``:
  ``compat`` on ResNet18 traces made by ``gen_traces.py`` with the VGG8 case's parameters
  (no golden case: no C++ ratio);
* ``micro-rram``, ``minivgg-fefet``: small golden cases (start-up dominates);
* ``estimate-vgg8-cold``, ``estimate-densenet40-cold``, ``estimate-resnet18-cold``:
  ``neurosim estimate --network NAME --no-cache`` (torch import, model build, capture and
  estimate in one process); ``estimate-NAME-warm``: the same command with the trace cache
  filled (a private ``$NEUROSIM_CACHE_DIR``, primed by one untimed run whose JSON the warm
  run's is compared with: the difference must be 0). ``--only estimate-NAME`` runs both.

Traces come from ``gen_traces.py`` once, cached in ``$NEUROSIM_TRACE_CACHE`` (default
``~/.cache/neurosim-golden``; not timed). Each run is a fresh process (start-up counts);
``--repeat`` keeps the best wall time and the CPU time and peak RSS of that run. The compat
runs' JSON is compared with the golden numbers where a case matches (max relative
difference, must stay below 1e-4). Figures and the machine they were measured on:
``docs/performance.md``. The machine is shared: record CPU seconds, not only wall time.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).with_name("neurosim")


@dataclass
class Run:
    """One benchmark: a ``compat`` run on a golden (or synthetic) case, or an ``estimate``."""

    id: str
    case: str | None = None  # golden case id whose traces (and C++ figures) are used
    params: list[str] = field(default_factory=list)  # extra --param NAME=VALUE
    network_csv: str | None = None  # synthetic case: this network, the case's trace params
    golden: str | None = None  # golden case whose numbers / CPU time match this run
    network: str | None = None  # for `neurosim estimate --network`
    cache: str = ""  # estimate runs: "cold" (--no-cache) or "warm" (primed trace cache)


RUNS = [
    Run("vgg8-sram", "vgg8_t22", golden="vgg8_t22"),
    Run("vgg8-rram", "vgg8_t22", ["memcelltype=2"], golden="vgg8_rram_t22"),
    Run("vgg8-rram-cb2", "vgg8_t22", ["memcelltype=2", "cellBit=2"]),
    Run("vgg8-fefet", "vgg8_t22", ["memcelltype=3"]),
    Run("densenet40-sram", "densenet40_t22", golden="densenet40_t22"),
    Run("resnet18-sram", "vgg8_t22", network_csv="NetWork_ResNet18.csv"),
    Run("micro-rram", "micro_rram_cb2_t65", golden="micro_rram_cb2_t65"),
    Run("minivgg-fefet", "minivgg_t22_fefet", golden="minivgg_t22_fefet"),
    *(Run(f"estimate-{net}-{mode}", network=net, cache=mode)
      for net in ("vgg8", "densenet40", "resnet18") for mode in ("cold", "warm")),
]


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


def run_child(cmd: list[str], env: dict[str, str] | None = None
              ) -> tuple[float, float, float, subprocess.CompletedProcess]:
    """(wall s, user+sys CPU s, peak RSS MB) of one run of ``cmd`` and its result; a small
    wrapper process reports the command's own rusage."""
    wrapper = ("import os,resource,subprocess,sys,json;"
               "p=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
               "u=resource.getrusage(resource.RUSAGE_CHILDREN);"
               "sys.stdout.write(p.stdout);sys.stderr.write(p.stderr);"
               "sys.stderr.write('\\n@@USAGE@@'+json.dumps([u.ru_utime+u.ru_stime,"
               "u.ru_maxrss])+'\\n');sys.exit(p.returncode)")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True,
                          text=True, env=env)
    wall = time.perf_counter() - t0
    err, _, tail = proc.stderr.rpartition("\n@@USAGE@@")
    cpu, rss_kb = json.loads(tail) if tail.strip() else (float("nan"), 0)
    return wall, cpu, rss_kb / 1024.0, subprocess.CompletedProcess(cmd, proc.returncode,
                                                                   proc.stdout, err)


def command(run: Run, tmp: Path) -> tuple[list[str], dict | None]:
    """The command line of ``run`` and the golden case it is compared with."""
    sys.path.insert(0, str(ROOT / "tests"))
    from golden_traces import ENV_TO_PARAM, SHARED_NETWORKS, case_by_id, network_path, \
        trace_files

    if run.network:
        return [str(BIN), "estimate", "--network", run.network, "--quiet", "--json",
                str(tmp / "out.json"), *(["--no-cache"] if run.cache == "cold" else [])], None
    case = dict(case_by_id(run.case))
    if run.network_csv:
        case["network_csv"] = run.network_csv
        case.pop("network_rows", None)
        net = SHARED_NETWORKS / run.network_csv
    else:
        net = network_path(case)
    files = trace_files(case)
    params: list[str] = []
    for k, v in case["env"].items():
        params += ["--param", f"{ENV_TO_PARAM[k]}={v}"]
    for p in run.params:
        params += ["--param", p]
    a = case["argv"]
    cmd = [str(BIN), "compat", str(net), str(a["synapseBit"]), str(a["numBitInput"]),
           str(a["numRowSubArray"]), str(a["numRowParallel"]), *files, *params,
           "--json", str(tmp / "out.json"), "--quiet"]
    return cmd, (case_by_id(run.golden) if run.golden else None)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", action="append", help="run ids (repeatable; default: all)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--list", action="store_true", help="list the run ids and exit")
    args = ap.parse_args()
    if args.list:
        for r in RUNS:
            print(r.id)
        return 0
    chosen = [r for r in RUNS if not args.only or r.id in args.only
              or (r.network and f"estimate-{r.network}" in args.only)]
    if not chosen:
        ap.error(f"--only: no such run; choose from {', '.join(r.id for r in RUNS)}")
    print(f"{'run':26}{'wall s':>9}{'CPU s':>9}{'RSS MB':>9}{'C++ CPU s':>11}{'ratio':>8}"
          f"{'wall ratio':>11}"
          f"{'max rel diff':>14}")
    failed = 0
    for run in chosen:
        with tempfile.TemporaryDirectory() as tmp:
            cmd, golden = command(run, Path(tmp))
            env = None
            primed = None
            if run.cache == "warm":  # a private trace cache, filled by one untimed run
                env = {**os.environ, "NEUROSIM_CACHE_DIR": str(Path(tmp) / "traces")}
                _, _, _, proc = run_child(cmd, env)
                if proc.returncode:
                    print(f"{run.id}: priming run exit {proc.returncode}\n{proc.stderr}",
                          file=sys.stderr)
                    failed += 1
                    continue
                primed = json.loads((Path(tmp) / "out.json").read_text())
            best = None
            for _ in range(args.repeat):
                wall, cpu, rss, proc = run_child(cmd, env)
                if proc.returncode:
                    print(f"{run.id}: exit {proc.returncode}\n{proc.stderr}", file=sys.stderr)
                    failed += 1
                    break
                if best is None or wall < best[0]:
                    best = (wall, cpu, rss)
            if best is None:
                continue
            cxx = golden.get("user_cpu_s") if golden else None
            diff = ""
            if golden is not None:
                d = max_rel_diff(golden["golden"], json.loads((Path(tmp) / "out.json")
                                                              .read_text()))
                diff = f"{d:.1e}"
                failed += d >= 1e-4
            elif primed is not None:  # warm run: figures equal the cold (priming) run's
                ours = json.loads((Path(tmp) / "out.json").read_text())
                d = max_rel_diff({k: primed[k] for k in ("chip", "layers", "performance")},
                                 ours)
                diff = f"{d:.1e}"
                failed += d != 0
        ratio = f"{cxx / best[1]:.0f}x" if cxx else "-"  # C++ CPU time / ours
        wall_ratio = f"{cxx / best[0]:.0f}x" if cxx else "-"  # C++ CPU time / our wall
        print(f"{run.id:26}{best[0]:>9.2f}{best[1]:>9.2f}{best[2]:>9.0f}"
              f"{(f'{cxx:.1f}' if cxx else '-'):>11}{ratio:>8}{wall_ratio:>11}{diff:>14}",
              flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
