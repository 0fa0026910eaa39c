"""Effect of each wrapper defect that ``--mode default`` corrects (docs/accuracy.md table).

Part 1, layers (golden layer cases, the wrapper's own data): error of the hardware-aware
pre-activation against the ideal product of the same quantized weights and inputs
(``(1-2**-bW)(1-2**-bA) * conv(x, W_q) / scale``), RMS in output LSBs (1/128), with the
defect (parity) and with its correction.

Part 2, network: VGG8 with the wrapper's seed-0 weights and the full bit-serial crossbar
model, N synthetic CIFAR-like images in one batch (no labelled data or trained VGG8 here):
agreement of the top-1 prediction with the software (inference=0) model and RMS of the logit
deviation, for parity, default and each correction alone, at (cellBit 1, subArray 96: 128
input channels do not fill whole subarrays) and (cellBit 3, subArray 128).

    python benchmarks/accuracy_modes.py [--images 2] [--golden DIR] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from neurosim.accuracy.crossbar import FIXES, CrossbarModel, attach
from neurosim.accuracy.replay import build_layer, load_case
from neurosim.networks import get_network

REPO = Path(__file__).resolve().parents[1]


def golden_dir(arg: str | None) -> Path:
    for c in ([Path(arg)] if arg else []) + [
            Path(os.environ.get("NEUROSIM_GOLDEN", "/nonexistent")) / "accuracy",
            REPO.parent / "shared" / "golden" / "accuracy", REPO / "tests" / "golden" / "accuracy"]:
        if (c / "cases").is_dir():
            return c
    raise SystemExit("golden accuracy cases not found (--golden DIR)")


def preact(case: dict, fixes: tuple[str, ...], x: torch.Tensor | None = None) -> torch.Tensor:
    layer = build_layer(case)
    layer.hardware = CrossbarModel(fixes=fixes)
    pre = []
    inner = layer.compute

    def compute(xx, w):
        y = inner(xx, w)
        pre.append(y / layer.scale)
        return y

    layer.compute = compute
    with torch.no_grad():
        layer(torch.from_numpy(case["input"]) if x is None else x)
    return pre[0].double()


def layer_error(case: dict, fixes: tuple[str, ...]) -> tuple[float, float]:
    """(bias, std) of preact - ideal, in output LSB."""
    x = torch.from_numpy(case["input"])
    w = torch.from_numpy(case["weight_eff"]).double()
    with torch.no_grad():
        if w.dim() == 4:
            ideal = F.conv2d(x.double(), w, padding=int(case["padding"]))
        else:
            ideal = F.linear(x.double(), w)
    err = (preact(case, fixes) - ideal * (255 / 256) ** 2 / float(case["scale"])) * 128
    return float(err.mean()), float(err.std())


def part_layers(root: Path) -> list[dict]:
    rows = []
    for fix, cases in (("channels", ["cin96_c1_sa64_adc5", "cin96_c2_sa64_adc5",
                                     "cin96_c4_sa64_adc5", "lin_in200_c2_sa64_adc5"]),
                       ("digits", ["conv_c3_sa64_adc5_r10"])):
        for cid in cases:
            case = load_case(root / "cases" / f"{cid}.npz")
            (b0, s0), (b1, s1) = layer_error(case, ()), layer_error(case, (fix,))
            rows.append({"fix": fix, "case": cid, "metric": "error vs ideal, bias/std LSB",
                         "parity": [b0, s0], "fixed": [b1, s1]})
    for cid in ("conv_c1_sa64_adc5_r10", "lin_c2_sa128_adc5_r10", "conv_c4_sa128_adc5_r10"):
        case = load_case(root / "cases" / f"{cid}.npz")
        x = torch.from_numpy(case["input"])
        res = {}
        for label, fixes in (("parity", ()), ("fixed", ("adc_range",))):
            alone, inside = preact(case, fixes, x[:1]), preact(case, fixes, x)[:1]
            d = (alone - inside).abs() * 128
            res[label] = [float((d > 0).double().mean()), float(d.mean())]
        rows.append({"fix": "adc_range", "case": cid,
                     "metric": "item 0 alone vs in its batch: fraction changed, mean |d| LSB",
                     **res})
    return rows


def part_network(n: int, cell_bits: int, rows: int, adc_bits: int) -> list[dict]:
    """VGG8 (seed-0 weights, the wrapper's initialization), full crossbar path, n images in
    one batch: logits against the software (inference=0) model."""
    spec = get_network("vgg8")
    x = spec.random_inputs(n, 11)
    settings = dict(cell_bit=cell_bits, sub_array=rows, parallel_read=rows,
                    adc_precision=adc_bits, onoffratio=10.0)
    torch.manual_seed(0)
    soft = spec.build(inference=0, **settings)
    with torch.no_grad():
        ref = soft(x)
    rows_out = []
    variants = [("parity", ()), ("default", FIXES)] + [
        (f"parity + {f}", (f,)) for f in ("channels", "adc_range", "digits")
        if (f != "digits" or cell_bits == 3) and (f != "channels" or 128 % rows)]
    for name, fixes in variants:
        torch.manual_seed(0)
        model = spec.build(inference=1, **settings)
        attach(model, CrossbarModel(fixes=fixes), {})
        t = time.perf_counter()
        with torch.no_grad():
            y = model(x)
        dt = time.perf_counter() - t
        rows_out.append({"variant": name, "cell_bits": cell_bits, "subarray": rows,
                         "adc_bits": adc_bits, "images": n,
                         "top1_agreement": float((y.argmax(-1) == ref.argmax(-1)).float().mean()),
                         "logit_rms_dev": float(((y - ref) ** 2).mean().sqrt()),
                         "logit_rms_software": float((ref ** 2).mean().sqrt()),
                         "s_per_image": dt / n})
        print(json.dumps(rows_out[-1]), flush=True)
    return rows_out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--golden")
    ap.add_argument("--images", type=int, default=2)
    ap.add_argument("--adc-bits", type=int, default=5)
    ap.add_argument("--json")
    ap.add_argument("--no-network", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(torch.get_num_threads())
    root = golden_dir(a.golden)
    out = {"layers": part_layers(root)}
    print("Layers (golden cases):")
    for r in out["layers"]:
        print(f"  {r['fix']:10s} {r['case']:28s} {r['metric']}: parity "
              f"{r['parity'][0]:.3f}/{r['parity'][1]:.3f}  fixed "
              f"{r['fixed'][0]:.3f}/{r['fixed'][1]:.3f}")
    out["network"] = []
    if not a.no_network:
        for cb, rows in ((1, 96), (3, 128)):
            out["network"] += part_network(a.images, cb, rows, a.adc_bits)
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
