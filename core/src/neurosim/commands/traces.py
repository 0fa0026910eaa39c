"""``neurosim traces export DIR``: write a model's traces in NeuroSim's file format.

DIR (new, empty or an earlier export, which is replaced whole: the files are written into a
new folder beside it that is swapped in at the end) receives ``NetWork_<name>.csv``,
``weight<layer>.csv`` and ``input<layer>.csv`` per layer (byte-identical to the wrapper's
``np.savetxt`` output) and ``trace_command.sh``, which runs ``neurosim compat`` on them with
the same configuration (NeuroSim's binary takes the same positional arguments).
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import Any

import click

from ..output_group import OutputGroup
from .common import build_config, model_options, option_input_files, prepare_from_options, \
    progress_printer, table_csv


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def compat_params(cfg: Any) -> list[str]:
    """``name=value`` for every option that differs from the defaults (the four argv
    numbers excluded)."""
    from ..config import Config

    default = Config().to_dict()
    skip = {"synapse_bits", "input_bits", "subarray_rows", "parallel_rows"}
    out = []
    for k, v in cfg.to_dict().items():
        if k in skip or default.get(k) == v:
            continue
        if isinstance(v, dict):
            out += [f"{k}.{role}={name}" for role, name in sorted(v.items())]
        elif isinstance(v, bool):
            out.append(f"{k}={int(v)}")
        else:
            out.append(f"{k}={v}")
    return out


#: what a trace export holds; an existing DIRECTORY with anything else is refused
_EXPORT_FILE = re.compile(r"(NetWork_.*|weight.*|input.*)\.csv|trace_command\.sh")


def check_export_folder(directory: str | os.PathLike) -> None:
    """An existing DIRECTORY must be empty or an earlier export (it is replaced whole)."""
    from ..errors import NeuroSimError

    d = Path(directory)
    if not d.is_dir():
        return
    others = sorted(p.name for p in d.iterdir() if not _EXPORT_FILE.fullmatch(p.name))
    if others:
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3
                                         else "")
        raise NeuroSimError(f"DIRECTORY {d}: holds files that are not a trace export "
                            f"({shown}); the export replaces the folder whole, so give an "
                            "empty or new folder")


def export_traces(run: Any, cfg: Any, directory: str | os.PathLike,
                  group: OutputGroup | None = None) -> Path:
    """Write the files of ``run`` into a new folder beside ``directory`` and swap it in
    (:class:`~neurosim.output_group.OutputGroup`): ``directory`` holds either the earlier
    export or this one, complete, whatever happens. Returns the command file's path."""
    from ..engine.traces import write_input_trace, write_weight_trace

    target = Path(directory)
    if group is None:
        group = OutputGroup()
        group.declare("DIRECTORY", target, folder=True)
    check_export_folder(target)
    try:
        d = group.staging_folder("DIRECTORY")
        cap = run.capture
        net_name = f"NetWork_{_safe(run.wrapper_name)}.csv"
        (d / net_name).write_text(table_csv(cap.table_rows()))
        files: list[str] = []
        used: set[str] = set()
        for i, layer in enumerate(cap.layers):
            stem = _safe(layer.name)
            if stem in used:
                stem = f"{stem}_{i + 1}"
            used.add(stem)
            w, x = f"weight{stem}.csv", f"input{stem}.csv"
            write_weight_trace(d / w, layer.weights)
            write_input_trace(d / x, layer.input_bits)
            files += [w, x]
        args = ["neurosim", "compat", net_name, str(cfg.synapse_bits), str(cfg.input_bits),
                str(cfg.subarray_rows), str(cfg.effective_parallel_rows), *files]
        main_args = args[2:]
        for p in compat_params(cfg):
            args += ["--param", p]
        script = d / "trace_command.sh"
        script.write_text("#!/bin/sh\n"
                          f"# neurosim traces export: network {run.name}\n"
                          f"# weights: {run.weights_source}\n# inputs: {run.inputs_source}\n"
                          "# NeuroSim V1.4's binary takes the same arguments (options other than "
                          "the four numbers are compiled into its Param.cpp):\n"
                          f"#   ./NeuroSIM/main {' '.join(main_args)}\n"
                          'cd "$(dirname "$0")" || exit 1\n'
                          f"exec {' '.join(shlex.quote(a) for a in args)} \"$@\"\n")
        mask = os.umask(0o022)
        os.umask(mask)
        script.chmod(0o777 & ~mask)
        group.commit()
    finally:
        group.discard()  # the new folder, after an error or a signal
    return target / script.name


@click.group("traces")
def traces_group() -> None:
    """NeuroSim trace files of a model."""


@traces_group.command("export")
@click.argument("directory", type=click.Path(file_okay=False))
@model_options
@click.option("--quiet", is_flag=True, help="No progress lines on stderr.")
def traces_export(directory: str, network: str | None, model_ref: str | None,
                  checkpoint: str | None, data: str | None, batch: int,
                  input_shape: str | None, net_options: tuple[str, ...],
                  config_files: tuple[str, ...],
                  overrides: tuple[str, ...], quiet: bool) -> None:
    """Write NetWork.csv, per-layer weight/input traces and trace_command.sh to DIRECTORY."""
    group = OutputGroup(inputs=[*config_files, checkpoint,
                                *option_input_files(model_ref, data)])
    group.declare("DIRECTORY", directory, folder=True)  # checked before the run
    check_export_folder(directory)
    cfg = build_config(config_files, overrides)
    from ..option_notices import accuracy_option_notices

    for line in accuracy_option_notices(cfg, "neurosim accuracy runs it",
                                        on="the traces"):
        click.echo(line, err=True)  # was ignored silently
    progress_printer(quiet)("building the model and capturing traces")
    run = prepare_from_options(network, model_ref, checkpoint, data, batch, input_shape, cfg,
                               net_options)
    script = export_traces(run, cfg, directory, group)
    click.echo(f"wrote {len(run.capture.layers)} layers' traces to {directory}; run "
               f"sh {script} to estimate them with neurosim compat")
