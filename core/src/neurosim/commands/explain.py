"""``neurosim explain``: where a figure comes from, for a network or model.

    neurosim explain chip.read_energy_j layers.2.read_latency_s --network vgg8 [--depth 4]
    neurosim explain list --network vgg8

Runs the estimate as ``neurosim estimate`` does (same model options and configuration) and
prints only the contribution trees of the named figures: each node's name, value with its
unit, share of its parent, and how its children combine (sum, max of parallel units, or a
scale factor such as the clock period). By default the trees are folded to fit a screen
(identical tiles/PEs printed once with ``x N``, runs of differing ones merged, and, only
if still too long, terms under a small share of the total collapsed:
:mod:`neurosim.explain.fold`); ``--full`` prints every node down to ``--depth``. For
NeuroSim trace files use ``neurosim compat ... --explain PATH``.
"""

from __future__ import annotations

import sys

import click

from .common import build_config, model_options, prepare_from_options, progress_printer


@click.command("explain")
@click.argument("figures", nargs=-1, required=True, metavar="FIGURE...")
@model_options
@click.option("--depth", "explain_depth", type=int, default=3, show_default=True,
              help="Levels of each tree to print.")
@click.option("--full", is_flag=True,
              help="Print every node down to --depth (no folding of identical or similar "
                   "siblings, no collapsing of small terms).")
@click.option("--max-lines", type=click.IntRange(min=5), default=60, show_default=True,
              help="Lines per folded tree before small terms are collapsed.")
@click.option("--quiet", is_flag=True, help="No progress lines on stderr.")
def explain_cmd(figures: tuple[str, ...], network: str | None, model_ref: str | None,
                checkpoint: str | None, data: str | None, batch: int,
                input_shape: str | None, net_options: tuple[str, ...],
                config_files: tuple[str, ...], overrides: tuple[str, ...],
                explain_depth: int, full: bool, max_lines: int, quiet: bool) -> None:
    """Print the contribution tree of FIGURE (chip.<key> or layers.<n>.<key>, e.g.
    chip.read_energy_j; 'list' prints them all) for a network's estimate."""
    from ..explain.printing import folded_text
    from ..outputs import check_explain_args, explain_text, validate_outputs
    from .estimate import run_estimate

    check_explain_args(figures, explain_depth)
    cfg = build_config(config_files, overrides)
    from ..option_notices import accuracy_option_notices

    for line in accuracy_option_notices(cfg, "neurosim accuracy runs it"):
        click.echo(line, err=True)  # was ignored silently
    say = progress_printer(quiet)
    say("building the model and capturing traces")
    run = prepare_from_options(network, model_ref, checkpoint, data, batch, input_shape, cfg,
                               net_options)
    res = run_estimate(cfg, run, progress=say)
    validate_outputs(res, figures)
    names = [layer.name for layer in run.capture.layers]
    click.echo(f"Network: {run.name} ({len(names)} CIM layers: "
               + ", ".join(f"{i + 1}={n}" for i, n in enumerate(names)) + ")")
    click.echo("")
    if full:
        click.echo(explain_text(res, figures, explain_depth))
    else:
        click.echo(folded_text(res, figures, explain_depth, max_lines))
    sys.stdout.flush()
