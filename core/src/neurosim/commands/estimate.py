"""``neurosim estimate``: model -> traces (in memory) -> hardware estimate -> report.

    neurosim estimate --network vgg8 [--checkpoint PATH] [--data cifar10:PATH]
        [--config FILE] [--set KEY=VALUE ...] [--json OUT] [--model module:function]
        [--csv OUT.csv] [--plot OUT.png] [--explain PATH ...]

The model runs once with forward hooks (the wrapper's ``hook.py`` traces of the first input
item), and the estimator runs on those arrays as ``neurosim compat`` would on the files.
The captured traces of a ``--network`` run are kept in the trace cache
(:mod:`neurosim.trace_cache`; ``--no-cache`` bypasses it): a later run with the same
network, weights, data and precisions loads them without importing torch.
The JSON has the schema of ``neurosim compat --json`` plus a ``network`` object
(provenance, layer table, digital activation x activation operations).
"""

from __future__ import annotations

import sys
from typing import Any

import click

from ..errors import NeuroSimError
from ..outputs import output_options
from .common import build_config, engine_options, layer_table_text, model_options, \
    option_input_files, progress_printer, reject_unused


def network_json(run: Any) -> dict[str, Any]:
    cap = run.capture
    return {
        "name": run.name,
        "weights": run.weights_source,
        "inputs": run.inputs_source,
        "synthetic": run.synthetic,
        "layer_names": [layer.name for layer in cap.layers],
        "layer_table": [list(r) for r in cap.table_rows()],
        "digital_ops_per_item": cap.digital_ops,
        "digital_products": [{"op": d.op, "ops_per_item": d.ops_per_item,
                              "shapes": [list(s) for s in d.shapes]} for d in cap.digital],
        "grouped_layers": [{"name": layer.name, "groups": layer.groups,
                            "packing": "block-diagonal"}
                           for layer in cap.layers if layer.groups > 1],
        "unmapped_layers": [{"path": u.path, "type": u.type, "weights": u.weights,
                             "ran": u.ran, "reason": u.reason} for u in cap.unmapped],
    }


def run_estimate(cfg: Any, run: Any, progress: Any = None,
                 blas_threads: int | None = None) -> Any:
    """The estimator on a prepared (captured) run (its traces as a
    :class:`~neurosim.engine.workload.Workload`)."""
    from ..engine.flow import estimate
    from ..engine.workload import Workload

    work = Workload.from_capture(run.capture, statistics_budget_bytes=0)
    return estimate(cfg, work, progress=progress, blas_threads=blas_threads)


def header_text(run: Any) -> str:
    cap = run.capture
    lines = [f"Network: {run.name} ({len(cap.layers)} CIM layers)",
             f"Weights: {run.weights_source}",
             f"Inputs : {run.inputs_source}; traces from the first item"]
    if run.synthetic:
        lines.append("NOTE: synthetic run -- no checkpoint and/or no data set was given, so "
                     "weights and/or inputs are seeded random; hardware figures depend on "
                     "them only through the input-bit activity and weight conductances.")
    lines += run.notes
    lines += cap.mapping_notes()  # grouped-conv packing, layers left off the arrays
    lines.append("")
    lines.append(layer_table_text(cap.table_rows(), [layer.name for layer in cap.layers]))
    lines.append("")
    return "\n".join(lines)


def digital_text(run: Any) -> str:
    cap = run.capture
    if not cap.digital:
        return ""
    return (f"Digital compute (activation x activation products, not on CIM arrays): "
            f"{len(cap.digital)} products, {cap.digital_ops:.6g} ops per input item "
            "(not included in the chip figures above)")


@click.command("estimate")
@model_options
@click.option("--json", "json_out", type=click.Path(dir_okay=False),
              help="Write the results (SI units, compat schema + network) to this file.")
@click.option("--quiet", is_flag=True,
              help="No progress on stderr (the bar is shown only when stderr is a terminal).")
@click.option("--with-accuracy", is_flag=True,
              help="Also run the inference-accuracy simulation (neurosim accuracy) on --data "
                   "with the same network, options and configuration.")
@click.option("--accuracy-mode", type=click.Choice(["default", "parity"]), default="default",
              show_default=True, help="With --with-accuracy: see neurosim accuracy --mode.")
@click.option("--device", default="cpu", show_default=True,
              help="With --with-accuracy: torch device of the accuracy run.")
@click.option("--no-cache", "no_cache", is_flag=True,
              help="Trace the network afresh and leave the trace cache alone (neither read "
                   "nor written); the cache folder is $NEUROSIM_CACHE_DIR, default "
                   "~/.cache/neurosim/traces.")
@engine_options
@output_options
def estimate_cmd(network: str | None, model_ref: str | None, checkpoint: str | None,
                 data: str | None, batch: int, input_shape: str | None,
                 net_options: tuple[str, ...], config_files: tuple[str, ...],
                 overrides: tuple[str, ...], json_out: str | None, quiet: bool,
                 with_accuracy: bool = False, accuracy_mode: str = "default",
                 device: str = "cpu", csv_out: str | None = None,
                 plot_out: str | None = None, explain: tuple[str, ...] = (),
                 explain_depth: int = 3, force: bool = False,
                 blas_threads: int | None = None, no_cache: bool = False) -> None:
    """Estimate a network's accelerator: run the model, capture traces, estimate."""
    from ..outputs import check_explain_args, check_output_args, explain_text, \
        validate_outputs, write_outputs
    from .compat import format_report

    group = check_output_args(csv_out, plot_out, json_out,
                              inputs=(*config_files, checkpoint,
                                      *option_input_files(model_ref, data)))
    if with_accuracy:
        from ..validation import check_torch_device

        if network is None:
            raise NeuroSimError("--with-accuracy needs --network (a registered network)")
        device = check_torch_device(device)
    else:
        reject_unused(["--accuracy-mode", "--device"], "--with-accuracy")
    check_explain_args(explain, explain_depth)
    cfg = build_config(config_files, overrides)
    for path in option_input_files(cfg=cfg):
        group.add_input(path)
    from ..held_notices import say as say_notice

    if not with_accuracy:
        from ..option_notices import accuracy_option_notices

        for line in accuracy_option_notices(cfg, "add --with-accuracy, or run neurosim "
                                                 "accuracy"):
            say_notice(line)
    say = progress_printer(quiet)
    from ..trace_cache import prepare_cached

    run = prepare_cached(network, model_ref, checkpoint, data, batch, input_shape, cfg,
                         net_options, use_cache=not no_cache, say=say,
                         notice=say_notice)
    if run.capture.unmapped:
        say_notice(f"Warning: {len(run.capture.unmapped)} layer(s) do not map to CIM arrays "
                   "and are left out of the chip figures (listed in the report)")
    from ..cost import guard, predict

    guard(predict(cfg, run.capture.specs), force, "this estimate")
    from ..progress import progress_bar

    with progress_bar(None, "estimate", unit="layer", quiet=quiet) as bar:
        res = run_estimate(cfg, run, progress=bar, blas_threads=blas_threads)
    from ..validation import check_finite

    check_finite(res.to_json(), cfg)  # inf/nan is refused, never printed or written
    acc = None
    if with_accuracy:  # the accuracy side (neurosim.commands.accuracy), same network/config
        from .accuracy import accuracy_json, run_accuracy

        say("running the accuracy simulation")
        acc = run_accuracy(cfg, network, data or f"random:{batch}", checkpoint, 1, device,
                           accuracy_mode, "auto", 200, quiet, net_options,
                           limit=batch if data else None)  # the --batch items loaded
    validate_outputs(res, explain)
    json_text = None
    if json_out:
        from ..engine.results import dumps_json

        out = res.to_json(contributions=True)
        out["network"] = network_json(run)
        from ..provenance import provenance_json

        out["provenance"] = provenance_json(cfg)  # effective options, sources, plugins used
        if acc is not None:
            out["accuracy"] = accuracy_json(acc, cfg, mode=accuracy_mode, path="auto",
                                            device=device, data=data)
        json_text = dumps_json(out)  # the text of json.dumps(out, indent=2), faster
    write_outputs(res, cfg, json_out=json_out, json_text=json_text, csv_out=csv_out,
                  plot_out=plot_out, layer_names=[layer.name for layer in run.capture.layers],
                  group=group)
    click.echo(header_text(run))
    for m in dict.fromkeys(res.messages):
        click.echo(m)
    click.echo(format_report(res))
    extra = digital_text(run)
    if extra:
        click.echo("")
        click.echo(extra)
    if acc is not None:
        from .accuracy import accuracy_text

        click.echo("")
        click.echo("Inference accuracy (hardware-aware; see neurosim accuracy):")
        click.echo(accuracy_text(acc))
    if explain:
        click.echo("")
        click.echo(explain_text(res, explain, explain_depth))
    sys.stdout.flush()
