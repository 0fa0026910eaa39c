"""``neurosim network list|show``: registered networks and their layer tables."""

from __future__ import annotations

import click

from .common import build_config, layer_table_text, model_options, prepare_from_options, \
    progress_printer, table_csv


@click.group("network")
def network_group() -> None:
    """Registered networks and the layer table NeuroSim sees."""


@network_group.command("list")
def network_list() -> None:
    """List registered networks."""
    from ..plugins import get_host

    reg = get_host().registry
    entries = [e for e in reg if e.kind == "network"]
    if not entries:
        click.echo("(no network plugins installed)")
    for e in entries:
        spec = e.obj
        click.echo(f"{e.name:<14} {getattr(spec, 'dataset', ''):<9} {e.description} "
                   f"[{e.distribution} {e.version}]")


@network_group.command("show")
@click.argument("name", required=False)
@model_options
@click.option("--csv", "as_csv", is_flag=True,
              help="Print the table in NeuroSim's NetWork.csv format only.")
@click.option("--quiet", is_flag=True, help="No progress lines on stderr.")
def network_show(name: str | None, network: str | None, model_ref: str | None,
                 checkpoint: str | None, data: str | None, batch: int,
                 input_shape: str | None, net_options: tuple[str, ...],
                 config_files: tuple[str, ...],
                 overrides: tuple[str, ...], as_csv: bool, quiet: bool) -> None:
    """Run the model once and print its layer table (IFM_H, IFM_W, Cin, K_H, K_W, Cout,
    pool, stride), derived with forward hooks."""
    if name is not None and network is not None:  # NAME won and -n was dropped silently
        from ..errors import NeuroSimError

        raise NeuroSimError(f"NAME {name} and --network {network} both name the network; "
                            "give one")
    cfg = build_config(config_files, overrides)
    from ..option_notices import accuracy_option_notices

    for line in accuracy_option_notices(cfg, "neurosim accuracy runs it",
                                        on="the network table"):
        click.echo(line, err=True)  # was ignored silently
    progress_printer(quiet)("building the model and running it once")
    run = prepare_from_options(name or network, model_ref, checkpoint, data, batch,
                               input_shape, cfg,
                               net_options)
    rows = run.capture.table_rows()
    if as_csv:
        click.echo(table_csv(rows), nl=False)
        return
    click.echo(f"network {run.name}: {len(rows)} CIM layers (conv/linear), input "
               f"{run.inputs_source}")
    click.echo(layer_table_text(rows, [layer.name for layer in run.capture.layers]))
    for line in run.capture.mapping_notes():  # grouped packing, layers left off the arrays
        click.echo(line)
    if run.capture.digital:
        click.echo(f"digital activation x activation products: {len(run.capture.digital)}, "
                   f"{run.capture.digital_ops:.6g} ops per input item")
