"""``neurosim accuracy``: hardware-aware inference accuracy (the V1.4 wrapper's model).

    neurosim accuracy --network vgg8 --data cifar10:PATH [--checkpoint PATH]
        [--set adc_bits=5 cell_bits=1 onoff_ratio=10 variation=0.05 retention_time_s=...]
        [--seeds N] [--device cpu|cuda] [--mode default|parity] [--json OUT]
    neurosim accuracy replay CASE.npz [--mode parity|default]
        [--arithmetic exact|wrapper-float32] --out OUT.npy

torch is imported inside the command bodies only.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from ..errors import NeuroSimError


def _overrides(items: tuple[str, ...]) -> tuple[str, ...]:
    """``--set a=1 b=2`` (several pairs in one value) -> one item per pair."""
    out: list[str] = []
    for item in items:
        out += [p for p in item.split() if p]
    return tuple(out)


#: CrossbarModel's ``arithmetic``, for ``neurosim accuracy`` and ``accuracy replay``
arithmetic_option = click.option(
    "--arithmetic", type=click.Choice(["exact", "wrapper-float32"]), default="exact",
    show_default=True,
    help="Crossbar partial sums: exact (ADC ties read by the true value) or the wrapper's "
         "float32 sums in its CPU kernels' order (slower; docs/accuracy.md).")


def accuracy_options(func: Any) -> Any:
    opts = [
        click.option("--seeds", type=int, default=1, show_default=True,
                     help="Repeat with seeds seed, seed+1, ... (variation / random drift)."),
        click.option("--device", default="cpu", show_default=True,
                     help="torch device for the accuracy run: cpu, cuda, cuda:1 ..."),
        click.option("--mode", "acc_mode", type=click.Choice(["default", "parity"]),
                     default="default", show_default=True,
                     help="parity reproduces the wrapper's defects; default corrects them "
                          "(docs/accuracy.md)."),
        click.option("--path", "hw_path", type=click.Choice(["auto", "full", "simplified"]),
                     default="auto", show_default=True,
                     help="auto: the wrapper's rule (bit-serial crossbar model for VGG8, one "
                          "ADC over each layer output otherwise); full / simplified for every "
                          "layer."),
        click.option("--batch-size", type=int, default=200, show_default=True,
                     help="Items per forward pass (parity mode: the ADC range spans it)."),
        arithmetic_option,
    ]
    for opt in reversed(opts):
        func = opt(func)
    return func


def run_accuracy(cfg: Any, network: str, data: str | None, checkpoint: str | None,
                 seeds: int, device: str, acc_mode: str, hw_path: str, batch_size: int,
                 quiet: bool, net_options: tuple[str, ...] = (),
                 arithmetic: str = "exact") -> Any:
    """Evaluate with a progress bar on stderr; returns the AccuracyResult."""
    from ..datasets import parse_data
    from .common import parse_net_options

    build_kwargs = parse_net_options(net_options)

    try:
        import torch  # noqa: F401
    except ImportError as exc:
        raise NeuroSimError(f"neurosim accuracy needs PyTorch ({exc}); install torch") \
            from None
    from ..accuracy.evaluate import evaluate_network, is_random

    spec = parse_data(data or "random:1", 1)
    n = spec.count if spec.kind == "random" else None
    runs = seeds if is_random(cfg) else 1
    cfg.validate_accuracy()
    bar = None
    if not quiet:
        total = n * runs if n is not None else None
        bar = click.progressbar(length=total or 0, label="accuracy", file=sys.stderr,
                                show_pos=True, show_eta=True) if total else None
    if bar is not None:
        with bar:
            return evaluate_network(cfg, network, spec, checkpoint=checkpoint, seeds=seeds,
                                    device=device, mode=acc_mode, path=hw_path,
                                    batch_size=batch_size, progress=bar.update,
                                    build_kwargs=build_kwargs, arithmetic=arithmetic)
    return evaluate_network(cfg, network, spec, checkpoint=checkpoint, seeds=seeds,
                            device=device, mode=acc_mode, path=hw_path,
                            batch_size=batch_size, build_kwargs=build_kwargs,
                            arithmetic=arithmetic)


def accuracy_json(res: Any, cfg: Any, *, mode: str, path: str, device: str,
                  data: str | None, arithmetic: str = "exact") -> dict[str, Any]:
    out = res.to_json()
    sec = {k: v for k, v in cfg.to_dict().items() if k in (
        "quant_mode", "inference", "adc_bits", "onoff_ratio", "variation", "retention_time_s",
        "drift_nu", "drift_detect", "drift_target", "seed", "cell_bits", "subarray_rows",
        "parallel_rows", "synapse_bits", "input_bits")}
    out.update({"mode": mode, "path": path, "arithmetic": arithmetic, "device": device,
                "data": data or "random:1",
                "settings": sec})
    return out


def accuracy_text(res: Any) -> str:
    what = "accuracy" if res.reference == "labels" else "agreement with software predictions"
    lines = [f"Network: {res.network}, {res.n_items} item(s); reference: {res.reference}"]
    if len(res.per_seed) > 1:
        lines.append(f"{what}: {100 * res.mean:.2f} % (std {100 * res.std:.2f} %, min "
                     f"{100 * min(res.per_seed):.2f} %, max {100 * max(res.per_seed):.2f} % "
                     f"over {len(res.per_seed)} seeds)")
    else:
        lines.append(f"{what}: {100 * res.mean:.2f} %")
    if res.software_accuracy is not None:
        lines.append(f"software (inference=0) accuracy: {100 * res.software_accuracy:.2f} %")
    lines.append(f"images_per_s: {res.images_per_s:.4g} ({res.seconds:.3g} s)")
    lines += [f"NOTE: {n}" for n in res.notes]
    return "\n".join(lines)


@click.group("accuracy", invoke_without_command=True)
@click.option("--network", "-n", "network", metavar="NAME",
              help="A registered network (neurosim plugins --kind network).")
@click.option("--data", metavar="KIND:ARG",
              help="random:N (default random:1), cifar10:PATH, imagenet:PATH, sst2:PATH.")
@click.option("--checkpoint", type=click.Path(dir_okay=True),
              help="Trained weights (default: seeded random weights).")
@click.option("--net-option", "net_options", multiple=True, metavar="KEY=VALUE",
              help="A network factory option (repeatable), e.g. lora_r=16 for roberta-lora.")
@click.option("--config", "config_files", multiple=True, type=click.Path(),
              help="TOML/YAML configuration file (repeatable).")
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Override one option (repeatable), e.g. --set adc_bits=4 --set "
                   "variation=0.05; Param.cpp / wrapper names are accepted.")
@accuracy_options
@click.option("--json", "json_out", type=click.Path(dir_okay=False),
              help="Write the result to this JSON file (atomic).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def accuracy_group(ctx: click.Context, network: str | None, data: str | None,
                   checkpoint: str | None, net_options: tuple[str, ...],
                   config_files: tuple[str, ...],
                   overrides: tuple[str, ...], seeds: int, device: str, acc_mode: str,
                   hw_path: str, batch_size: int, arithmetic: str, json_out: str | None,
                   quiet: bool) -> None:
    """Inference accuracy with the compute-in-memory hardware model (bit-serial inputs,
    multi-level cells, per-read ADC, variation, drift)."""
    if ctx.invoked_subcommand is not None:
        return
    if not network:
        raise NeuroSimError("give --network NAME (see `neurosim plugins --kind network`), "
                            "or use `neurosim accuracy replay CASE.npz`")
    from ..config import load_config
    from .compat import write_json_atomic

    cfg = load_config(config_files, _overrides(overrides))
    res = run_accuracy(cfg, network, data, checkpoint, seeds, device, acc_mode, hw_path,
                       batch_size, quiet, net_options, arithmetic=arithmetic)
    if json_out:
        write_json_atomic(json_out, json.dumps(
            accuracy_json(res, cfg, mode=acc_mode, path=hw_path, device=device, data=data,
                          arithmetic=arithmetic),
            indent=2))
    click.echo(accuracy_text(res))


@accuracy_group.command("replay")
@click.argument("case", type=click.Path(dir_okay=False))
@click.option("--mode", "acc_mode", type=click.Choice(["parity", "default"]), default="parity",
              show_default=True)
@click.option("--device", default="cpu", show_default=True)
@arithmetic_option
@click.option("--out", "out_path", type=click.Path(dir_okay=False), required=True,
              help="Where to save the layer output (.npy).")
def replay_cmd(case: str, acc_mode: str, device: str, arithmetic: str, out_path: str) -> None:
    """Run one golden layer case (the wrapper's npz format) and save the layer output."""
    import io

    import numpy as np

    from ..accuracy.replay import load_case, replay
    from ..outputs import write_atomic

    data = load_case(case)
    out = replay(data, mode=acc_mode, device=device, arithmetic=arithmetic)
    buf = io.BytesIO()
    np.save(buf, out)
    write_atomic(out_path, buf.getvalue())
    msg = f"saved {out.shape} output to {out_path}"
    if "output" in data and data["output"].shape == out.shape:
        ref = data["output"]
        msg += (f"; vs the case's output: {100 * float((out != ref).mean()):.2f} % of "
                f"elements differ, mean |d| {128 * float(np.abs(out - ref).mean()):.3f} LSB")
    click.echo(msg)
