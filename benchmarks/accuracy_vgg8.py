"""Accuracy-simulation speed: VGG8 (CIFAR-10) with the full bit-serial crossbar model.

1. ``neurosim.accuracy`` (vectorized): images/s for the whole VGG8 at the wrapper's default
   hardware settings (cellBit 1, subArray 128, 5-bit ADC, on/off ratio 10), seeded weights,
   synthetic CIFAR-like images.
2. The V1.4 wrapper's loop structure, re-written here for the benchmark (not the wrapper's
   code): for each kernel position, input bit, subarray and weight digit, a masked full-size
   convolution of the input bit plane with the digit conductances and one with the dummy
   column, each followed by a whole-tensor ADC. It is run on one layer and timed; the whole
   network is extrapolated from the number of convolutions each layer needs times the
   measured time of one convolution of that layer.

3. CPU figures of issue 14: after one untimed pass over the same batch (it compiles the
   fused ADC, ``CrossbarModel(compile=...)``), ``--passes`` timed forward passes; reported
   per image: wall seconds, process CPU seconds (user + system, all threads) and minor page
   faults (``resource.getrusage``), with the thread count and the load average.
   ``--network resnet18`` (full path on every layer, 224x224 inputs) and ``--variation``
   time those cases; the loop re-run (2.) is VGG8's and is skipped for ResNet18.

    python benchmarks/accuracy_vgg8.py [--device cpu|cuda] [--images 8] [--loop-layer 1]
        [--network vgg8|resnet18] [--variation 0.05] [--compile auto|on|off]
        [--passes 1] [--threads 2] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from neurosim.accuracy.crossbar import CrossbarModel, attach
from neurosim.networks import get_network

BITS_W = BITS_A = 8


def sync(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def lqo(x: torch.Tensor, bits: int) -> torch.Tensor:
    lo = torch.min(x)
    delta = torch.max(x) - lo
    if delta > 0:
        step = 2. ** (-bits) * delta.item()
        idx = torch.clamp(torch.floor((x - lo.item()) / step), 0, 2. ** bits - 1)
        return idx * step + lo.item()
    return x.clone()


def loop_conv(x: torch.Tensor, w: torch.Tensor, padding: int, cell_bits: int, rows: int,
              adc_bits: int, ratio: float) -> torch.Tensor:
    """The wrapper's loop structure for one conv layer (Cin >= rows, no variation/drift)."""
    radix = 2 ** cell_bits
    lower = 1 / ratio
    dummy = torch.full_like(w, (radix - 1) * (1 + lower) / 2)
    out = torch.zeros_like(F.conv2d(x, w, padding=padding))
    n_sub = w.shape[1] // rows
    for i in range(w.shape[2]):
        for j in range(w.shape[3]):
            xq = torch.round((2 ** BITS_A - 1) * x)
            acc_in = torch.zeros_like(out)
            for z in range(BITS_A):
                xb = torch.fmod(xq, 2)
                xq = torch.round((xq - xb) / 2)
                acc_p = torch.zeros_like(out)
                for s in range(n_sub):
                    mask = torch.zeros_like(w)
                    mask[:, s * rows:(s + 1) * rows, i, j] = 1
                    code = torch.round((2 ** BITS_W - 1) / 2 * (w + 1)) * mask
                    acc_s = torch.zeros_like(out)
                    acc_d = torch.zeros_like(out)
                    for k in range(BITS_W // cell_bits):
                        rem = torch.fmod(code, radix) * mask
                        code = torch.round((code - rem) / radix) * mask
                        g = (1 - lower) * rem + (radix - 1) * lower
                        p = F.conv2d(xb, g * mask, padding=padding)
                        d = F.conv2d(xb, dummy * mask, padding=padding)
                        acc_s = acc_s + lqo(p, adc_bits) * radix ** k * 2 / (1 - lower)
                        acc_d = acc_d + lqo(d, adc_bits) * radix ** k * 2 / (1 - lower)
                    acc_p = acc_p + acc_s - acc_d
                acc_in = acc_in + acc_p * 2 ** z
            out = out + acc_in / 2 ** BITS_A
    return out / 2 ** BITS_W


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--images", type=int, default=2)
    ap.add_argument("--loop-layer", type=int, default=1,
                    help="index of the conv layer the loop re-run times (0-5; -1: skip)")
    ap.add_argument("--cell-bits", type=int, default=1)
    ap.add_argument("--subarray", type=int, default=128)
    ap.add_argument("--adc-bits", type=int, default=5)
    ap.add_argument("--network", default="vgg8", choices=("vgg8", "resnet18"))
    ap.add_argument("--variation", type=float, default=0.0,
                    help="device variation sigma (cells redrawn per read and input bit)")
    ap.add_argument("--compile", default="auto", choices=("auto", "on", "off"),
                    help="CrossbarModel(compile=...): the fused ADC on the CPU")
    ap.add_argument("--passes", type=int, default=1, help="timed forward passes")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's)")
    ap.add_argument("--skip-loop", action="store_true",
                    help="time neurosim.accuracy only (no loop re-run or extrapolation)")
    ap.add_argument("--json")
    a = ap.parse_args()
    if a.images < 1 or a.passes < 1 or a.threads < 0:
        print("Error: --images and --passes must be >= 1, --threads >= 0", file=sys.stderr)
        raise SystemExit(2)
    if a.threads:
        torch.set_num_threads(a.threads)
    dev = a.device
    settings = dict(inference=1, cell_bit=a.cell_bits, sub_array=a.subarray,
                    parallel_read=a.subarray, adc_precision=a.adc_bits, onoffratio=10.0,
                    vari=a.variation)
    spec = get_network(a.network)
    torch.manual_seed(0)
    model = spec.build(**settings).to(dev)
    hw = CrossbarModel(mode="default", path="full", compile=a.compile)
    attach(model, hw, {})
    x = spec.random_inputs(a.images, 0).to(dev)
    if a.network != "vgg8" or a.skip_loop:
        a.loop_layer = -2  # the loop re-run and its extrapolation are VGG8's

    # per-layer inputs (software forward) for the loop extrapolation
    convs = [m for m in model.modules() if isinstance(m, torch.nn.Conv2d)]
    layer_in = {}
    def keep(mod, args, out):  # returns None: the output is kept
        layer_in.setdefault(mod, args[0][:1])

    hooks = [m.register_forward_hook(keep) for m in convs]
    if a.loop_layer > -2:
        with torch.no_grad():
            model(x[:1])
    for h in hooks:
        h.remove()

    def usage() -> tuple[float, float, int]:
        r = resource.getrusage(resource.RUSAGE_SELF)
        return time.perf_counter(), r.ru_utime + r.ru_stime, r.ru_minflt

    load0 = os.getloadavg()
    with torch.no_grad():
        t0 = usage()
        model(x)  # warm-up on the same batch: compiles the fused ADC (cached on disk)
        sync(dev)
        t1 = usage()
        for _ in range(a.passes):
            model(x)
        sync(dev)
        t2 = usage()
    n = a.images * a.passes
    ours = (t2[0] - t1[0]) / a.passes
    res = {"device": str(torch.cuda.get_device_name(0)) if dev.startswith("cuda") else "cpu",
           "network": a.network, "threads": torch.get_num_threads(), "settings": settings,
           "images": a.images, "passes": a.passes, "compile": a.compile,
           "compile_error": hw.compile_error,
           "neurosim_s_per_image": ours / a.images, "neurosim_images_per_s": a.images / ours,
           "wall_s_per_image": (t2[0] - t1[0]) / n, "cpu_s_per_image": (t2[1] - t1[1]) / n,
           "minor_faults_per_image": (t2[2] - t1[2]) / n,
           "first_pass_wall_s_per_image": (t1[0] - t0[0]) / a.images,
           "first_pass_cpu_s_per_image": (t1[1] - t0[1]) / a.images,
           "load_average_1m": [load0[0], os.getloadavg()[0]]}
    print(f"neurosim.accuracy {a.network}{' variation %g' % a.variation if a.variation else ''}"
          f", batch {a.images}, {res['threads']} threads: {res['wall_s_per_image']:.3f} wall "
          f"s/image ({a.images / ours:.3f} images/s), {res['cpu_s_per_image']:.3f} CPU "
          f"s/image, {res['minor_faults_per_image']:.0f} minor faults/image on {res['device']} "
          f"(first pass {res['first_pass_wall_s_per_image']:.3f} wall s/image; load average "
          f"{res['load_average_1m'][0]:.2f} -> {res['load_average_1m'][1]:.2f})")
    if a.loop_layer == -2:
        if a.json:
            Path(a.json).write_text(json.dumps(res, indent=2))
        return

    # loop structure: number of convolutions x time of one convolution, per layer
    est = 0.0
    per_layer = []
    for li, m in enumerate(convs):
        xin = layer_in[m]
        w = m.weight.detach()
        cin = w.shape[1]
        if cin == 3:  # RGB layer: no bit-serial input, one conv pair per digit and position
            n_conv = w.shape[2] * w.shape[3] * (BITS_W // a.cell_bits) * 2
        else:
            n_sub = max(cin // a.subarray, 1)
            n_conv = w.shape[2] * w.shape[3] * BITS_A * n_sub * (BITS_W // a.cell_bits) * 2
        with torch.no_grad():
            F.conv2d(xin, w, padding=m.padding)
            sync(dev)
            t = time.perf_counter()
            for _ in range(3):
                F.conv2d(xin, w, padding=m.padding)
            sync(dev)
        t_conv = (time.perf_counter() - t) / 3
        per_layer.append({"layer": li, "convolutions": n_conv, "s_per_conv": t_conv,
                          "extrapolated_s": n_conv * t_conv})
        est += n_conv * t_conv
    fc = 8192 * 1024 + 1024 * 10
    res["loop_layers"] = per_layer
    if 0 <= a.loop_layer < len(convs):
        m = convs[a.loop_layer]
        xin = layer_in[m]
        w = m.weight.detach()
        with torch.no_grad():
            sync(dev)
            t = time.perf_counter()
            y_loop = loop_conv(xin, w, m.padding[0], a.cell_bits, a.subarray, a.adc_bits, 10.0)
            sync(dev)
            t_loop = time.perf_counter() - t
            t = time.perf_counter()
            y_ours = CrossbarModel(mode="parity").conv2d(m, xin, w)
            sync(dev)
            t_ours = time.perf_counter() - t
        pl = per_layer[a.loop_layer]
        res["loop_layer"] = {"layer": a.loop_layer, "loop_s": t_loop, "neurosim_s": t_ours,
                             "extrapolated_s": pl["extrapolated_s"],
                             "max_abs_diff": float((y_loop - y_ours).abs().max())}
        print(f"loop structure, conv layer {a.loop_layer} ({tuple(w.shape)}), one image: "
              f"{t_loop:.2f} s measured ({pl['extrapolated_s']:.2f} s extrapolated from "
              f"{pl['convolutions']} convolutions); neurosim.accuracy {t_ours:.2f} s")
    res["loop_extrapolated_s_per_image"] = est
    if "loop_layer" in res:  # the loop's own overhead (masks, digits, ADC) per convolution
        ratio = res["loop_layer"]["loop_s"] / res["loop_layer"]["extrapolated_s"]
        est *= ratio
        res["loop_calibration"] = ratio
        res["loop_calibrated_s_per_image"] = est
    res["speedup"] = est / (ours / a.images)
    print(f"loop structure, whole VGG8 (conv layers; FC {fc} weights not counted): "
          f"~{est:.1f} s/image extrapolated; speed-up {res['speedup']:.1f}x")
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
