"""Accuracy simulation on a GPU: CPU/CUDA agreement and VGG8 throughput.

Run on a machine with CUDA (the lent device machine):

    python benchmarks/accuracy_gpu.py --json OUT.json [--batch 200] [--batches 3]
        [--sweep 64,128,128,4,168/64,128,8 64,128,128,4/64,128,8,128 ...]

1. Every deterministic golden layer case (``tests/golden/accuracy``), parity and default
   modes: the CUDA output (fused Triton kernels where the partial sums are exact integers,
   the torch path otherwise) against the CPU output (torch path), element for element.
2. VGG8 with seeded random weights, 4 synthetic images, parity and default modes, cellBit 2
   / subArray 64, and variation 0.05 (seed 3): CUDA logits against CPU logits.
3. Throughput, VGG8 at the wrapper's default hardware settings (cellBit 1, subArray 128,
   5-bit ADC, on/off ratio 10), ``--modes`` (default: default): images/s at ``--batch`` on
   the fused kernels and on the torch path, after a warm-up batch (Triton compiles on
   first use); with ``--baseline FILE``, also on another version of the kernels' module,
   for a speed-up measured on the same machine.
4. ``--sweep``: the fused kernels' throughput for each tile setting given.
5. ``--profile``: one batch of step 3 (fused kernels, first mode) under ``torch.profiler``:
   GPU time per kernel (CPU time per operator on ``--device cpu``) (the two fused kernels, and every torch kernel around them:
   im2col, codes, dummy columns, quantizers), to show where the time goes.

The steps run in the order 3, 5, 2, 1, 4 (``--skip`` drops some); the JSON is rewritten
after each.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path

import torch

from neurosim.accuracy import fused_crossbar
from neurosim.accuracy.crossbar import CrossbarModel, attach
from neurosim.accuracy.replay import build_layer, load_case
from neurosim.networks import get_network

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "accuracy"
#: VGG8's hardware settings at the wrapper's defaults
WRAPPER_DEFAULTS = dict(inference=1, cell_bit=1, sub_array=128, parallel_read=128,
                        adc_precision=5, onoffratio=10.0)


def run_case(case: dict, mode: str, device: str, kernel: str
             ) -> tuple[torch.Tensor, CrossbarModel]:
    layer = build_layer(case).to(device)
    layer.hardware = CrossbarModel(mode=mode, kernel=kernel)
    x = torch.as_tensor(case["input"]).float().to(device)
    with torch.no_grad():
        return layer(x).cpu(), layer.hardware


def sync(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def check_cases(res: dict, device: str, limit: int | None = None) -> None:
    index = json.loads((GOLDEN / "cases.json").read_text())["cases"]
    rows = []
    for entry in index[:limit]:
        if not entry.get("deterministic"):
            continue
        case = load_case(GOLDEN / "cases" / f"{entry['id']}.npz")
        for mode in ("parity", "default"):
            t = time.perf_counter()
            cpu, _ = run_case(case, mode, "cpu", "torch")
            t_cpu = time.perf_counter() - t
            t = time.perf_counter()
            gpu, hw = run_case(case, mode, device, "auto")
            sync(device)
            t_gpu = time.perf_counter() - t
            diff = int((cpu != gpu).sum())
            rows.append({"case": entry["id"], "mode": mode, "differing": diff,
                         "elements": cpu.numel(), "cpu_s": round(t_cpu, 3),
                         "cuda_s": round(t_gpu, 3), "fused_error": hw.fused_error})
            if hw.fused_error:
                print(f"  FALLBACK {entry['id']} {mode}: {hw.fused_error[:300]}", flush=True)
            if diff:
                print(f"  DIFF {entry['id']} {mode}: {diff} of {cpu.numel()}", flush=True)
    res["golden_cases"] = {"compared": len(rows),
                           "identical": sum(r["differing"] == 0 for r in rows), "rows": rows}
    print(f"golden cases: {res['golden_cases']['identical']} of {len(rows)} identical "
          "CPU vs CUDA", flush=True)


def build_network(settings: dict, device: str, mode: str, kernel: str, seed: int = 0,
                  name: str = "vgg8", path: str = "auto"):
    spec = get_network(name)
    torch.manual_seed(0)
    model = spec.build(**settings).to(device).eval()
    hw = CrossbarModel(mode=mode, kernel=kernel, seed=seed, path=path)
    attach(model, hw, {})
    return spec, model, hw


def check_network(res: dict, device: str) -> None:
    """Logits CPU (torch path) against CUDA (fused kernels): VGG8 (also at inference=0),
    DenseNet40 on the full path (its BatchNorm-fed layers take signed inputs) and ResNet18
    on the simplified path (float64 sums in default mode)."""
    base = WRAPPER_DEFAULTS
    out = []
    for name, extra, mode, net, path in [
            ("parity", {}, "parity", "vgg8", "auto"), ("default", {}, "default", "vgg8", "auto"),
            ("cellbit2_sa64_parity", {"cell_bit": 2, "sub_array": 64, "parallel_read": 64},
             "parity", "vgg8", "auto"),
            ("variation0.05_seed3", {"vari": 0.05}, "default", "vgg8", "auto"),
            ("inference0", {"inference": 0}, "default", "vgg8", "auto"),
            ("densenet40_full_signed", {}, "default", "densenet40", "full"),
            ("resnet18_simplified", {}, "default", "resnet18", "auto")]:
        s = dict(base, **extra)
        logits = {}
        for dev, kern in (("cpu", "torch"), (device, "auto")):
            spec, model, hw = build_network(s, dev, mode, kern, seed=3, name=net,
                                            path=path)
            x = spec.random_inputs(2 if net != "vgg8" else 4, 0).to(dev)
            with torch.no_grad():
                logits[kern] = model(x).double().cpu()
        a, b = logits["torch"], logits["auto"]
        row = {"check": name, "identical": bool(torch.equal(a, b)),
               "max_abs_diff": float((a - b).abs().max()),
               "argmax_equal": bool(torch.equal(a.argmax(-1), b.argmax(-1))),
               "fused_error": hw.fused_error}  # None: CUDA ran the fused kernels
        out.append(row)
        print(f"{net} {name}: {row}", flush=True)
    res["vgg8_cpu_vs_cuda"] = out


def load_baseline(path: str):
    """``fused_crossbar`` of another version of the kernels' module (a file with the same
    function), e.g. ``git show REV:core/src/neurosim/accuracy/fused_crossbar.py``."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("fused_baseline", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.fused_crossbar


def throughput(res: dict, batch: int, batches: int, kernels: list[str], device: str,
               modes: list[str], baseline: str | None = None) -> None:
    """Images/s per kernel choice ("auto", "torch"; "baseline": ``--baseline``'s kernels
    in place of the current ones) and mode."""
    s = WRAPPER_DEFAULTS
    res["throughput"] = []
    cuda = device.startswith("cuda")
    current = fused_crossbar.fused_crossbar
    for kern, mode in [(k, m) for k in kernels for m in modes]:
        if kern == "baseline":
            if not baseline:
                continue
            fused_crossbar.fused_crossbar = load_baseline(baseline)
        spec, model, hw = build_network(s, device, mode, "auto" if kern == "baseline" else kern)
        x = spec.random_inputs(batch, 1).to(device)
        try:
            with torch.no_grad():
                model(x)  # warm-up: Triton compiles
                sync(device)
                t = time.perf_counter()
                for _ in range(batches):
                    model(x)
                sync(device)
        finally:
            fused_crossbar.fused_crossbar = current
        dt = time.perf_counter() - t
        row = {"kernel": kern, "mode": mode, "batch": batch, "batches": batches,
               "images_per_s": batch * batches / dt, "s_per_batch": dt / batches,
               "peak_mem_gb": torch.cuda.max_memory_allocated() / 1e9 if cuda else None,
               "partial_sums_per_image": hw.stats["partial_sums"] / (batch * (batches + 1))}
        res["throughput"].append(row)
        print(f"throughput {row}", flush=True)
        if cuda:
            torch.cuda.reset_peak_memory_stats()


def profile(res: dict, batch: int, device: str, mode: str, top: int = 25) -> None:
    """GPU time per kernel over one VGG8 batch on the fused kernels (after a warm-up)."""
    from torch.profiler import ProfilerActivity
    from torch.profiler import profile as torch_profile

    s = WRAPPER_DEFAULTS
    spec, model, _ = build_network(s, device, mode, "auto")
    x = spec.random_inputs(batch, 1).to(device)
    with torch.no_grad():
        model(x)
        sync(device)
        with torch_profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
            model(x)
            sync(device)
    # GPU kernels are events of their own (device type CUDA); on the CPU (a dry run of the
    # script) the operators' own CPU time stands in
    cuda = device.startswith("cuda")
    rows = []
    for ev in prof.key_averages():
        if cuda:
            us = ev.device_time_total if ev.device_type.name == "CUDA" else 0
        else:
            us = ev.self_cpu_time_total
        if us > 0:
            rows.append({"kernel": ev.key[:120], "calls": ev.count, "ms": round(us / 1e3, 3)})
    rows.sort(key=lambda r: -r["ms"])
    total = sum(r["ms"] for r in rows)
    what = "GPU" if cuda else "CPU"
    res["profile"] = {"batch": batch, "mode": mode, "time": what,
                      "ms_total": round(total, 3), "kernels": rows[:top]}
    print(f"profile: {total:.1f} ms of {what} time for one batch of {batch}", flush=True)
    for r in rows[:top]:
        print(f"  {r['ms']:9.3f} ms  {r['calls']:5d}x  {r['kernel']}", flush=True)


def set_blocks(spec: str) -> None:
    """``BM,BN,BK,WARPS[,MAXNREG][/ADC_BM,ADC_BN,ADC_WARPS[,ADC_MAXNREG]]`` into the fused
    kernels' settings (a register cap of 0: none)."""
    fc = fused_crossbar
    main_part, _, adc = spec.partition("/")
    v = [int(x) for x in main_part.split(",")]
    fc.BLOCK_M, fc.BLOCK_N, fc.BLOCK_K, fc.NUM_WARPS = v[:4]
    fc.MAXNREG = (v[4] or None) if len(v) > 4 else None
    w = [int(x) for x in adc.split(",")] if adc else [0, 0, 0]
    fc.ADC_BLOCK_M, fc.ADC_BLOCK_N, fc.ADC_WARPS = (x or None for x in w[:3])
    fc.ADC_MAXNREG = (w[3] or None) if len(w) > 3 else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", required=True)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--batches", type=int, default=3)
    ap.add_argument("--skip", default="", help="comma list of: cases,network,throughput")
    ap.add_argument("--profile", action="store_true",
                    help="GPU time per kernel over one batch (torch.profiler)")
    ap.add_argument("--kernels", default="auto,torch,baseline")
    ap.add_argument("--baseline", help="a file holding another version of "
                    "neurosim/accuracy/fused_crossbar.py, timed as kernel 'baseline'")
    ap.add_argument("--modes", default="default", help="accuracy modes timed")
    ap.add_argument("--device", default="cuda", help="cpu: a dry run of the script")
    ap.add_argument("--limit", type=int, help="golden cases to compare (default: all)")
    ap.add_argument("--blocks", help="fused-kernel tiles BLOCK_M,BLOCK_N,BLOCK_K,NUM_WARPS"
                    "[,MAXNREG][/ADC_BLOCK_M,ADC_BLOCK_N,ADC_WARPS[,ADC_MAXNREG]]")
    ap.add_argument("--sweep", nargs="*", default=[],
                    help="after the steps: time each of these --blocks settings (fused "
                         "kernels, default mode, --batch, 2 batches)")
    a = ap.parse_args()
    skip = set(filter(None, a.skip.split(",")))
    dev = a.device
    if a.blocks:
        set_blocks(a.blocks)
    res = {"device": torch.cuda.get_device_name(0) if dev.startswith("cuda") else "cpu",
           "torch": torch.__version__,
           "blocks": a.blocks or "default"}
    print(res, flush=True)
    steps = [("throughput", lambda: throughput(res, a.batch, a.batches,
                                               a.kernels.split(","), dev,
                                               a.modes.split(","), a.baseline)),
             ("profile", lambda: profile(res, a.batch, dev, a.modes.split(",")[0])),
             ("network", lambda: check_network(res, dev)),
             ("cases", lambda: check_cases(res, dev, a.limit))]
    for name, fn in steps:
        if name in skip or (name == "profile" and not a.profile):
            continue
        try:
            fn()
        except Exception:
            traceback.print_exc()
            res[f"{name}_error"] = traceback.format_exc()
        Path(a.json).write_text(json.dumps(res, indent=2))
    sweep = []
    for blocks in a.sweep:
        try:
            set_blocks(blocks)
            throughput(res, a.batch, 2, ["auto"], dev, ["default"])
            sweep.append({"blocks": blocks, **res["throughput"][-1]})
        except Exception:
            traceback.print_exc()
            sweep.append({"blocks": blocks, "error": traceback.format_exc()})
        res["sweep"] = sweep
        Path(a.json).write_text(json.dumps(res, indent=2))
    sys.exit(0)


if __name__ == "__main__":
    main()
