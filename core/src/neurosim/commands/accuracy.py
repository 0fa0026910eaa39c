"""``neurosim accuracy``: hardware-aware inference accuracy (the V1.4 wrapper's model).

    neurosim accuracy --network vgg8 --data cifar10:PATH [--limit N] [--checkpoint PATH]
        [--set adc_bits=5 cell_bits=1 onoff_ratio=10 variation=0.05 retention_time_s=...]
        [--seeds N] [--device cpu|cuda] [--mode default|parity] [--json OUT]
    neurosim accuracy replay CASE.npz [--mode parity|default]
        [--arithmetic exact|wrapper-float32] --out OUT.npy

torch is imported inside the command bodies only.
"""

from __future__ import annotations

import json
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


def data_options(func: Any) -> Any:
    """--limit/--split/--text-field/--label-field (shared with ``neurosim train``)."""
    opts = [
        click.option("--limit", type=int, default=None, metavar="N",
                     help="Score only the first N items of the data set (default: all)."),
        click.option("--split", default=None, metavar="NAME",
                     help="Split of the data set: test/train (cifar), a folder under an "
                          "image PATH (default val), a text split (default validation)."),
        click.option("--text-field", default=None, metavar="NAME",
                     help="Text data sets: the sentence field (default sentence)."),
        click.option("--label-field", default=None, metavar="NAME",
                     help="Text data sets: the integer label field (default label)."),
    ]
    for opt in reversed(opts):
        func = opt(func)
    return func


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
                     help="auto: the network's declared path (lenet: full), else the "
                          "wrapper's rule (bit-serial crossbar model for VGG8, one ADC over "
                          "each layer output otherwise); full / simplified for every layer."),
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
                 arithmetic: str = "exact", limit: int | None = None,
                 split: str | None = None, text_field: str | None = None,
                 label_field: str | None = None, label: str = "accuracy") -> Any:
    """Evaluate every item of ``data`` (or the first ``limit``) with a progress bar on
    stderr (items, accuracy so far, items/s, ETA); returns the AccuracyResult."""
    from ..datasets import parse_data
    from ..datasets.spec import check_split
    from ..progress import progress_bar
    from .common import parse_net_options

    build_kwargs = parse_net_options(net_options)
    spec = parse_data(data or "random:1", 1, limit=limit, split=split,
                      text_field=text_field, label_field=label_field)
    check_split(spec, data, split)
    try:
        import torch  # noqa: F401
    except ImportError as exc:
        raise NeuroSimError(f"neurosim accuracy needs PyTorch ({exc}); install torch") \
            from None
    from ..accuracy.evaluate import evaluate_network

    cfg.validate_accuracy()
    with progress_bar(total=None, description=label, unit="item", quiet=quiet) as bar:
        def step(n: int, status: str = "") -> None:
            bar.advance(n, status=status)

        return evaluate_network(cfg, network, spec, checkpoint=checkpoint, seeds=seeds,
                                device=device, mode=acc_mode, path=hw_path,
                                batch_size=batch_size, progress=step,
                                progress_total=bar.set_total,
                                build_kwargs=build_kwargs, arithmetic=arithmetic)


def accuracy_json(res: Any, cfg: Any, *, mode: str, path: str, device: str,
                  data: str | None, arithmetic: str = "exact") -> dict[str, Any]:
    """The result, the effective settings and the provenance (``--json``)."""
    from ..accuracy.report import PATH_READS

    out = res.to_json()
    keys = set().union(*PATH_READS.values()) | {
        "quant_mode", "inference", "seed", "synapse_bits", "device", "compat_bugs"}
    every = cfg.to_dict()
    sec = {k: v for k, v in every.items() if k in keys or k in NONIDEAL_KEYS}
    out.update({"mode": mode, "path": path, "arithmetic": arithmetic, "device": device,
                "data": data or "random:1", "settings": sec, "config": every})
    return out


#: option names of the non-ideality settings (recorded when the configuration has them)
NONIDEAL_KEYS = ("stuck_at_0_rate", "stuck_at_1_rate", "read_noise", "output_noise_lsb",
                 "output_noise_file", "mem_states_file", "dac_bits", "drift_nu_per_layer",
                 "variation_mode", "device_nonidealities")


def accuracy_text(res: Any, layers: bool = True) -> str:
    """The text report: hardware and software accuracy, per-layer errors, notices."""
    labelled = res.reference == "labels"
    what = "accuracy" if labelled else "agreement with software predictions"
    lines = [f"Network: {res.network}, {res.n_items} item(s); reference: {res.reference}"]
    if len(res.per_seed) > 1:
        lines.append(f"hardware {what}: {100 * res.mean:.2f} % (std {100 * res.std:.2f} %, "
                     f"min {100 * min(res.per_seed):.2f} %, max "
                     f"{100 * max(res.per_seed):.2f} % over {len(res.per_seed)} seeds)")
    else:
        lines.append(f"hardware {what}: {100 * res.mean:.2f} %")
    if res.software_accuracy is not None:
        lines.append(f"software (inference=0) accuracy: {100 * res.software_accuracy:.2f} %")
    if res.top5 is not None:
        lines.append(f"top-5: hardware {100 * sum(res.top5) / len(res.top5):.2f} %, "
                     f"software {100 * res.software_top5:.2f} %")
    if labelled and res.agreement:
        lines.append(f"agreement with software predictions: "
                     f"{100 * sum(res.agreement) / len(res.agreement):.2f} %")
    lines.append(f"images_per_s: {res.images_per_s:.4g} ({res.seconds:.3g} s)")
    w = res.provenance.get("weights", {}) if res.provenance else {}
    if w:
        lines.append("weights: " + (f"{w['checkpoint']} (sha256 {w['sha256'][:12]}...)"
                                    if w.get("sha256") else str(w.get("checkpoint")
                                                                or w.get("source"))))
    if layers and res.layers:
        lines.append("per layer (hardware output vs software output of the same inputs):")
        lines.append(_layers_text(res.layers))
    lines += [f"NOTE: {n}" for n in res.notes]
    return "\n".join(lines)


def _layers_text(rows: list[dict[str, Any]]) -> str:
    head = ("layer", "path", "rel RMS err", "clipped", "inputs > 1")
    body = []
    for j in rows:
        rr = j["rel_rms_error"]
        body.append((str(j["layer"]), j["path"], "-" if rr is None else f"{100 * rr:.2f} %",
                     "-" if j["clipped"] is None else f"{100 * j['clipped']:.2f} %",
                     f"{100 * j['inputs_above_1']:.2f} %" if "inputs_above_1" in j else "-"))
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(head)]

    def fmt(r: tuple) -> str:
        return "  " + "  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                                for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([fmt(head)] + [fmt(r) for r in body])


@click.group("accuracy", invoke_without_command=True)
@click.option("--network", "-n", "network", metavar="NAME",
              help="A registered network (neurosim plugins --kind network).")
@click.option("--data", metavar="KIND:ARG",
              help="random:N (default random:1), digits:test, digits:train, cifar10:PATH, "
                   "cifar100:PATH, imagenet:PATH, sst2:PATH, text:PATH; every item is "
                   "scored (see --limit).")
@data_options
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
@click.option("--sweep", "sweep_items", multiple=True, metavar="KEY=V1,V2,...",
              help="Run every combination of these option values (repeatable), e.g. "
                   "--sweep adc_bits=3,4,5,6,7,8 --sweep cell_bits=1,2,4; one table row "
                   "each.")
@click.option("--plot", "plot_out", type=click.Path(dir_okay=False),
              help="With --sweep: hardware vs software accuracy against the first swept "
                   "option (.png, .pdf, .svg).")
@click.option("--layers/--no-layers", "show_layers", default=True, show_default=True,
              help="Print the per-layer report (always in --json).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False),
              help="Write the result to this JSON file (atomic).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def accuracy_group(ctx: click.Context, network: str | None, data: str | None,
                   checkpoint: str | None, net_options: tuple[str, ...],
                   config_files: tuple[str, ...],
                   overrides: tuple[str, ...], seeds: int, device: str, acc_mode: str,
                   hw_path: str, batch_size: int, arithmetic: str, json_out: str | None,
                   quiet: bool, limit: int | None = None, split: str | None = None,
                   text_field: str | None = None, label_field: str | None = None,
                   sweep_items: tuple[str, ...] = (), plot_out: str | None = None,
                   show_layers: bool = True) -> None:
    """Inference accuracy with the compute-in-memory hardware model (bit-serial inputs,
    multi-level cells, per-read ADC, variation, drift)."""
    if ctx.invoked_subcommand is not None:
        return
    if not network:
        raise NeuroSimError("give --network NAME (see `neurosim plugins --kind network`), "
                            "or use `neurosim accuracy replay CASE.npz`")
    from ..config import load_config
    from ..output_group import OutputGroup
    from ..validation import check_torch_device
    from .common import option_input_files
    from .accuracy_sweep import combinations, parse_sweep, sweep_plot, sweep_text

    sweep = parse_sweep(sweep_items)
    if plot_out and not sweep:
        raise NeuroSimError("--plot draws a --sweep; give --sweep KEY=V1,V2,...")
    group = OutputGroup(inputs=[*config_files, checkpoint, *option_input_files(data=data)])
    group.declare("--json", json_out)  # checked before the run, written after it
    group.declare("--plot", plot_out)
    if plot_out:
        from ..outputs import plot_format
        fmt = plot_format(plot_out)
        try:
            import matplotlib  # noqa: F401  (fail now, not after the runs)
        except ImportError:
            raise NeuroSimError("--plot needs matplotlib: pip install "
                                "'neurosim-core[plot]'") from None
    device = check_torch_device(device)
    extra = [()] if not sweep else combinations(sweep)
    cfgs = [load_config(config_files, _overrides(overrides) + point) for point in extra]
    for path in dict.fromkeys(p for cfg in cfgs for p in option_input_files(cfg=cfg)):
        group.add_input(path)  # --json onto mem_states_file overwrote the CSV before
    rows = []
    for i, (point, cfg) in enumerate(zip(extra, cfgs)):
        label = "accuracy" if not sweep else f"accuracy {i + 1}/{len(extra)} " + \
            " ".join(point)
        res = run_accuracy(cfg, network, data, checkpoint, seeds, device, acc_mode, hw_path,
                           batch_size, quiet, net_options, arithmetic=arithmetic,
                           limit=limit, split=split, text_field=text_field,
                           label_field=label_field, label=label)
        out = accuracy_json(res, cfg, mode=acc_mode, path=hw_path, device=device, data=data,
                            arithmetic=arithmetic)
        rows.append({"point": dict(p.split("=", 1) for p in point), "result": out})
    keys = [k for k, _ in sweep]
    if json_out:
        doc = rows[0]["result"] if not sweep else {"sweep": keys, "runs": rows}
        group.set("--json", json.dumps(doc, indent=2) + "\n")
    if plot_out:
        group.set("--plot", sweep_plot(rows, keys, network, fmt))
    if json_out or plot_out:
        group.commit()
    if sweep:
        first = rows[0]["result"]
        click.echo(f"Network: {network}, {first['n_items']} item(s); reference: "
                   f"{first['reference']}")
        click.echo(sweep_text(rows, keys))
        notes = sorted({n for r in rows for n in r["result"]["notes"]})
        for n in notes:
            click.echo(f"NOTE: {n}")
    else:
        click.echo(accuracy_text(res, layers=show_layers))


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
    from ..output_group import OutputGroup
    from ..validation import check_torch_device

    group = OutputGroup(inputs=[case])
    group.declare("--out", out_path)  # never the case file itself
    device = check_torch_device(device)
    data = load_case(case)
    out = replay(data, mode=acc_mode, device=device, arithmetic=arithmetic)
    buf = io.BytesIO()
    np.save(buf, out)
    group.set("--out", buf.getvalue())
    group.commit()
    msg = f"saved {out.shape} output to {out_path}"
    if "output" in data and data["output"].shape == out.shape:
        ref = data["output"]
        msg += (f"; vs the case's output: {100 * float((out != ref).mean()):.2f} % of "
                f"elements differ, mean |d| {128 * float(np.abs(out - ref).mean()):.3f} LSB")
    click.echo(msg)
