"""``neurosim train``: hardware-aware (WAGE) training of a registered network.

    neurosim train --network lenet --data digits:train --out lenet.pth
        [--val-data digits:test] [--epochs N] [--batch-size B] [--lr LR]
        [--grad-scale S] [--decreasing-lr E1,E2] [--wl-weight/--wl-activate/--wl-error/
        --wl-grad BITS] [--seed S] [--device cpu|cuda] [--json OUT]

The recipe is the V1.4 wrapper's ``train.py`` (:mod:`neurosim.training.loop`); the
checkpoint (a state dict, written atomically) loads with ``--checkpoint`` in
``neurosim accuracy`` / ``estimate``. torch is imported inside the command body only.
"""

from __future__ import annotations

import json
import math
import secrets
from pathlib import Path
from typing import Any

import click

from ..errors import NeuroSimError
from .accuracy import data_options


def _epochs_list(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(v) for v in text.split(",") if v.strip())
    except ValueError:
        raise NeuroSimError(f"--decreasing-lr {text!r}: expected epochs like 140,180") \
            from None


def _check_numbers(**values: float) -> None:
    """The float options finite (a nan/inf rate trains nothing useful) and the seed and
    weight decay non-negative; ``--lr`` and ``--grad-scale`` > 0 are checked by
    :meth:`TrainSettings.check`."""
    for name, v in values.items():
        if not math.isfinite(v):
            raise NeuroSimError(f"--{name.replace('_', '-')} {v}: must be a finite number")
    for name in ("momentum", "weight_decay", "seed"):
        if values[name] < 0:
            raise NeuroSimError(f"--{name.replace('_', '-')} {values[name]}: must be >= 0")


def _staging_path(out_path: str) -> Path:
    """A new hidden file next to ``out_path`` that the training loop writes the checkpoint
    to; the output group then renames it into place with ``--json`` (all or nothing)."""
    target = Path(out_path)
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.train.tmp")


def _settings(**kw: Any) -> Any:
    from ..training.loop import TrainSettings

    return TrainSettings(**kw).check()


@click.command("train")
@click.option("--network", "-n", "network", metavar="NAME", required=True,
              help="A registered network (neurosim plugins --kind network).")
@click.option("--data", metavar="KIND:ARG", required=True,
              help="Labelled training data: digits:train, cifar10:PATH (--split train), "
                   "imagenet:PATH, sst2:PATH ...")
@click.option("--val-data", metavar="KIND:ARG",
              help="Data scored (software accuracy) after every epoch, e.g. digits:test.")
@data_options
@click.option("--out", "out_path", type=click.Path(dir_okay=False), required=True,
              help="Where to write the checkpoint (a state dict; atomic).")
@click.option("--checkpoint", type=click.Path(dir_okay=False),
              help="Start from these weights (fine-tuning); default: seeded random.")
@click.option("--net-option", "net_options", multiple=True, metavar="KEY=VALUE",
              help="A network factory option (repeatable).")
@click.option("--mode", "quant_mode", type=click.Choice(["WAGE", "FP"]), default="WAGE",
              show_default=True, help="WAGE (quantized weights, activations, errors, "
                                      "gradients) or FP.")
@click.option("--epochs", type=int, default=200, show_default=True)
@click.option("--batch-size", type=int, default=64, show_default=True)
@click.option("--lr", type=float, default=0.01, show_default=True,
              help="SGD learning rate (momentum 0.9, weight decay 1e-4).")
@click.option("--momentum", type=float, default=0.9, show_default=True)
@click.option("--weight-decay", type=float, default=1e-4, show_default=True)
@click.option("--grad-scale", type=float, default=8.0, show_default=True,
              help="WAGE gradient scale of QG (divided by 8 at each --decreasing-lr epoch).")
@click.option("--decreasing-lr", default="140,180", show_default=True, metavar="E1,E2",
              help="Epochs where the gradient scale (FP: the learning rate) drops 8x.")
@click.option("--wl-weight", type=int, default=8, show_default=True)
@click.option("--wl-activate", type=int, default=8, show_default=True)
@click.option("--wl-error", type=int, default=8, show_default=True)
@click.option("--wl-grad", type=int, default=8, show_default=True)
@click.option("--loss", type=click.Choice(["auto", "sse", "ce"]), default="auto",
              show_default=True, help="auto: SSE in WAGE mode (the wrapper), "
                                      "cross-entropy in FP mode.")
@click.option("--seed", type=int, default=117, show_default=True,
              help="Initial weights, item order and stochastic rounding.")
@click.option("--device", default="cpu", show_default=True)
@click.option("--threads", type=int, default=1, show_default=True,
              help="CPU threads of torch (0: torch's default). Small batches gain nothing "
                   "from more: lenet's 20 epochs take 16 s with 1 thread, 23 s with 2.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False),
              help="Write the per-epoch history to this JSON file (atomic).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def train_cmd(network: str, data: str, val_data: str | None, limit: int | None,
              split: str | None, text_field: str | None, label_field: str | None,
              out_path: str, checkpoint: str | None, net_options: tuple[str, ...],
              quant_mode: str, epochs: int, batch_size: int, lr: float, momentum: float,
              weight_decay: float, grad_scale: float, decreasing_lr: str, wl_weight: int,
              wl_activate: int, wl_error: int, wl_grad: int, loss: str, seed: int,
              device: str, threads: int, json_out: str | None, quiet: bool) -> None:
    """Train a network with the hardware-aware WAGE quantization (the V1.4 wrapper's
    train.py) and write a checkpoint that --checkpoint loads."""
    settings = _settings(epochs=epochs, batch_size=batch_size, lr=lr, momentum=momentum,
                         weight_decay=weight_decay, grad_scale=grad_scale,
                         decreasing_lr=_epochs_list(decreasing_lr), wl_weight=wl_weight,
                         wl_activate=wl_activate, wl_error=wl_error, wl_grad=wl_grad,
                         seed=seed, loss=loss, mode=quant_mode)
    _check_numbers(lr=lr, momentum=momentum, weight_decay=weight_decay,
                   grad_scale=grad_scale, seed=seed)
    for p in (out_path, json_out):
        if p and checkpoint and p == checkpoint:
            raise NeuroSimError(f"--out {p}: would overwrite the input checkpoint")
    from ..output_group import OutputGroup
    from ..training.run import run_training

    # both outputs are checked before the epochs run and written together after them
    group = OutputGroup(inputs=[checkpoint])
    group.declare("--out", out_path)
    group.declare("--json", json_out)
    staged = _staging_path(out_path)
    try:
        res = run_training(network, data, val_data, settings, out_path=str(staged),
                           checkpoint=checkpoint, net_options=net_options, device=device,
                           quiet=quiet, limit=limit, split=split, text_field=text_field,
                           label_field=label_field, threads=threads)
        group.set("--out", staged.read_bytes)
        if json_out:
            group.set("--json", json.dumps(res.to_json(), indent=2))
        group.commit()
    finally:
        staged.unlink(missing_ok=True)
    last = res.history[-1]
    click.echo(f"Network: {network}; {len(res.history)} epoch(s) in {res.seconds:.1f} s")
    click.echo(f"train loss {last.loss:.4g}, train accuracy {100 * last.train_accuracy:.2f} %"
               + (f", validation (software) accuracy {100 * last.val_accuracy:.2f} %"
                  if last.val_accuracy is not None else ""))
    click.echo(f"checkpoint: {out_path}")
