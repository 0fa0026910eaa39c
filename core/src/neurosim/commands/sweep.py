"""``neurosim sweep``: design-space sweeps (see ``docs/sweeps.md``).

    neurosim sweep run SPEC.toml --out DIR [--workers N] [--scheduler local|tcp://HOST:PORT]
        [--with-accuracy] [--device cpu|cuda] [--no-plots] [--no-cache] [--quiet]
    neurosim sweep show DIR [--where EXPR] [--sort KEY] [--limit N] [--plot FILE]
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..errors import NeuroSimError


@click.group("sweep")
def sweep_group() -> None:
    """Sweep configurations from a spec file into a resumable results store."""


def _check_source(spec: Any) -> None:
    """The spec's network, data and trace folder, checked once before any row runs (a
    misspelt network would otherwise reject every row and exit 0)."""
    src = spec.source
    try:
        if "network" in src:
            from ..networks import get_network

            get_network(src["network"])
        if src.get("data"):
            from ..datasets.spec import parse_data

            parse_data(src["data"], int(src.get("batch") or 1))
        if src.get("input_shape"):
            from .common import check_input_shape

            check_input_shape(src["input_shape"], int(src.get("batch") or 1),
                              ("input_shape =", "batch ="))
        if "traces" in src and not Path(src["traces"]).is_dir():
            raise NeuroSimError(f"traces = {src['traces']!r}: no such folder")
        from ..sweep.inputs import check_source_files

        check_source_files(src, Path(spec.path).parent)
    except NeuroSimError as exc:
        raise NeuroSimError(f"{spec.path}: {exc}") from None


def _same_inputs(stored: dict[str, Any], source: dict[str, Any]) -> bool:
    """Whether a store's recorded inputs are the spec's (a trace folder by its name: the
    spec's folder may have been moved with the store)."""
    def norm(src: dict[str, Any]) -> dict[str, Any]:
        out = dict(src)
        if out.get("traces"):
            out["traces"] = Path(str(out["traces"])).name
        return out
    return norm(stored) == norm(source)


def check_out_dir(out_dir: str, spec: Any) -> None:
    """``--out DIR``: a new folder in an existing one, an empty folder, or the store of a
    sweep of the same inputs (resumed; a changed grid adds its rows). Anything else would
    mix this sweep's files with others (``.``, a folder of other files) or its rows with
    another experiment's in results.csv and the Pareto front."""
    from ..sweep.store import Store

    d = Path(out_dir)
    if not d.exists():
        if not d.absolute().parent.is_dir():
            raise NeuroSimError(f"--out {out_dir}: the folder {d.absolute().parent} does not "
                                "exist; create it first (only the last folder is created)")
        return
    if not (d / Store.FILE).is_file():
        if any(d.iterdir()):
            raise NeuroSimError(f"--out {out_dir}: the folder exists and is not a sweep "
                                f"folder (no {Store.FILE}, other files in it); give a new "
                                "or empty folder")
        return
    with Store(d, create=False) as store:
        stored = store.meta("source")
    if stored is not None and not _same_inputs(stored, spec.source_identity()):
        raise NeuroSimError(f"--out {out_dir}: holds a sweep of other inputs "
                            f"({_inputs_text(stored)}; {spec.path} has "
                            f"{_inputs_text(spec.source_identity())}); its rows would mix "
                            "in results.csv and the Pareto front: give another folder")


def _inputs_text(src: dict[str, Any]) -> str:
    return ", ".join(f"{k} = {v!r}" for k, v in sorted(src.items()) if k != "batch" or v != 1)


#: local worker processes per core at most (each holds the traces and a statistics memo)
MAX_WORKERS_PER_CORE = 4


def check_workers(workers: int, scheduler: str | None) -> None:
    """``--workers``: 0 (all cores) to 4 x the cores for processes on this machine (local
    or a Dask LocalCluster); a remote cluster's size is its own."""
    import os

    if workers < 0:
        raise NeuroSimError(f"--workers {workers}: give 0 (all cores) or more")
    most = MAX_WORKERS_PER_CORE * (os.cpu_count() or 1)
    if (not scheduler or scheduler == "local") and workers > most:
        raise NeuroSimError(f"--workers {workers}: at most {most} ({MAX_WORKERS_PER_CORE} x "
                            f"the {os.cpu_count() or 1} cores) processes on this machine; "
                            "each holds its own copy of the traces")


def check_scheduler(scheduler: str | None) -> None:
    """``--scheduler``: 'local', or a tcp://HOST:PORT address whose scheduler answers now
    (probed with a plain connection, 5 s at most), before the --out folder is made: an
    unreachable scheduler left a store of pending rows behind."""
    import socket
    from urllib.parse import urlsplit

    if scheduler is None or scheduler == "local":
        return
    if "://" not in scheduler:  # (--scheduler '' ran the local process pool, silently)
        raise NeuroSimError(f"--scheduler {scheduler!r}: use 'local' or an address like "
                            "tcp://HOST:8786")
    try:
        url = urlsplit(scheduler)
        host, port = url.hostname, url.port
    except ValueError:  # tcp://[::1:80, a port above 65535
        url, host, port = urlsplit("tcp://"), None, None
    if url.scheme != "tcp":  # tls:// needs a security configuration neurosim has not
        raise NeuroSimError(f"--scheduler {scheduler}: use a tcp://HOST:PORT address (or "
                            "'local')")
    if not host or not port:
        raise NeuroSimError(f"--scheduler {scheduler}: expected tcp://HOST:PORT, e.g. "
                            "tcp://10.0.0.5:8786")
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError as exc:
        raise NeuroSimError(f"--scheduler {scheduler}: cannot connect to the Dask scheduler "
                            f"({exc.strerror or exc})") from None


@sweep_group.command("run")
@click.argument("spec_file", metavar="SPEC", type=click.Path(dir_okay=False))
@click.option("--out", "-o", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Output folder: results.sqlite, results.csv, pareto.csv/png, ...")
@click.option("--workers", type=int, default=0, show_default="all cores",
              help="Worker processes (one BLAS thread each); 1 runs in this process.")
@click.option("--scheduler", metavar="local|tcp://HOST:PORT",
              help="Run on Dask: 'local' starts a LocalCluster of --workers workers; an "
                   "address uses a running cluster.")
@click.option("--with-accuracy", is_flag=True,
              help="Also simulate accuracy, once per distinct accuracy-relevant key set.")
@click.option("--device", default="cpu", show_default=True,
              help="torch device of the accuracy runs (cpu, cuda, ...).")
@click.option("--no-plots", is_flag=True, help="Write no pareto.png / sensitivity.png.")
@click.option("--no-cache", is_flag=True,
              help="Capture the network's traces afresh: neither read nor write the trace "
                   "cache (as estimate --no-cache).")
@click.option("--memo-mb", type=int, default=None, show_default="spec's memo_mb, else "
              "2048 or a quarter of the memory per worker",
              help="Per-worker budget (MB) for the kept eNVM column statistics.")
@click.option("--quiet", is_flag=True, help="No progress bar or progress lines.")
def sweep_run(spec_file: str, out_dir: str, workers: int, scheduler: str | None,
              with_accuracy: bool, device: str, no_plots: bool, no_cache: bool,
              memo_mb: int | None, quiet: bool) -> None:
    """Run (or resume) the sweep of SPEC into --out DIR."""
    from ..sweep.report import write_report
    from ..sweep.runner import RunSettings, check_memo_mb, run_sweep
    from ..sweep.spec import load_spec
    from ..sweep.store import Store

    check_workers(workers, scheduler)
    check_scheduler(scheduler)
    if memo_mb is not None:
        check_memo_mb(memo_mb, "--memo-mb")
    spec = load_spec(spec_file)
    _check_source(spec)
    check_out_dir(out_dir, spec)
    from ..held_notices import say as say_notice
    from ..sweep.spec import unused_base_notices

    for line in unused_base_notices(spec):  # was overridden silently
        say_notice(line)
    if not (with_accuracy or spec.accuracy):
        from ..option_notices import sweep_accuracy_option_notices
        from .common import reject_unused

        reject_unused(["--device"], "--with-accuracy (or accuracy = true in the spec)")
        for line in sweep_accuracy_option_notices(spec):
            say_notice(line)
    if (with_accuracy or spec.accuracy) and device.startswith("cuda"):
        try:
            import torch
        except ImportError as exc:
            raise NeuroSimError(f"--device {device}: needs PyTorch ({exc})") from None
        if not torch.cuda.is_available():
            raise NeuroSimError(f"--device {device}: no CUDA device is available to torch")

    def say(msg: str) -> None:  # the plan and summary lines: shown in logs too
        if not quiet:
            click.echo(f"[neurosim] {msg}", err=True)

    settings = RunSettings(workers=workers, scheduler=scheduler, with_accuracy=with_accuracy,
                           device=device, quiet=quiet, use_cache=not no_cache,
                           memo_mb=memo_mb)
    try:
        summary = run_sweep(spec, out_dir, settings, echo=say)
    except KeyboardInterrupt:
        raise NeuroSimError(f"interrupted; every finished row is in {out_dir}/results.sqlite: "
                            "run the same command again to resume") from None
    with Store(out_dir, create=False) as store:
        rep = write_report(store, plots=not no_plots)
    c = summary.counts
    click.echo(f"{summary.total} configurations in {summary.seconds:.3g} s "
               f"({summary.evaluated} estimated, {summary.skipped} already finished): "
               f"{c.get('done', 0)} done, {c.get('rejected', 0)} rejected, "
               f"{c.get('failed', 0)} failed")
    looked = summary.memo_hits + summary.memo_misses
    if looked:
        click.echo(f"statistics memo: {summary.memo_hits} lookups reused, "
                   f"{summary.memo_misses} computed ({summary.memo_hits / looked:.1%} reused); "
                   f"{summary.workers_seen} worker process(es), largest peak RSS "
                   f"{summary.worker_peak_rss_mb:.0f} MB")
    click.echo(rep.text())
    click.echo("wrote " + ", ".join(str(p) for p in rep.files))
    from ..sweep.pareto import objective_notices

    for line in objective_notices(rep.table, rep.objectives):
        click.echo(line, err=True)
    sys.stdout.flush()


#: what sweep run writes next to its store (sweep show never writes over them)
SWEEP_FILES = ("results.csv", "results.parquet", "pareto.csv", "pareto.parquet",
               "pareto.png", "sensitivity.png")


@sweep_group.command("show")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--where", "where", metavar="EXPR",
              help="Filter rows, e.g. \"device = rram and chip.area_m2 < 1e-4\".")
@click.option("--sort", "sort_key", metavar="KEY", help="Sort by a column (-KEY: descending).")
@click.option("--columns", metavar="A,B,...",
              help="Columns to print (default: id, status, axes, objectives).")
@click.option("--limit", type=int, default=50, show_default=True, help="Rows to print.")
@click.option("--pareto", is_flag=True, help="Only the Pareto-optimal rows (of those shown).")
@click.option("--plot", "plot_out", type=click.Path(dir_okay=False),
              help="Scatter plot of the objectives of the shown rows (.png/.pdf/.svg).")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False),
              help="Write the shown rows (all columns) to this CSV file.")
def sweep_show(directory: str, where: str | None, sort_key: str | None, columns: str | None,
               limit: int, pareto: bool, plot_out: str | None, csv_out: str | None) -> None:
    """Print the rows of a sweep folder's store (nothing is recomputed)."""
    from ..outputs import check_output_args, plot_format
    from ..sweep.pareto import front_table, pareto_front
    from ..sweep.query import filter_table, sort_table
    from ..sweep.report import load_table
    from ..sweep.store import Store
    from ..sweep.table import csv_text

    db = Path(directory) / Store.FILE  # never an output (nor its WAL files)
    own = {(db.parent / name).resolve() for name in SWEEP_FILES}
    for option, out in (("--csv", csv_out), ("--plot", plot_out)):
        if out and Path(out).resolve() in own:  # was overwritten with the shown rows
            raise NeuroSimError(f"{option} {out}: is the sweep's own {Path(out).name} "
                                "(written by sweep run); choose another file name")
    group = check_output_args(csv_out, plot_out, inputs=[
        db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")])
    for name, value, what in (("--where", where, 'a filter such as "device = rram"'),
                              ("--sort", sort_key, "a column (-COLUMN: descending)"),
                              ("--columns", columns, "column names A,B,...")):
        if value is not None and not value.strip(" ,"):  # was silently ignored
            raise NeuroSimError(f"{name} {value!r}: empty; give {what} or drop {name}")
    if limit < 0:
        raise NeuroSimError(f"--limit {limit}: give 0 (all rows) or more")
    with Store(directory, create=False) as store:
        table, objectives = load_table(store)
    from ..sweep.pareto import objective_notices

    for line in objective_notices(table, objectives):
        click.echo(line, err=True)
    table = filter_table(table, where)
    if pareto:
        table = front_table(table, pareto_front(table, objectives))
    table = sort_table(table, sort_key)
    cols = _columns(table, objectives, columns)
    shown = table.records if limit == 0 else table.records[:limit]
    click.echo(_text(shown, cols))
    if len(shown) < len(table.records):
        click.echo(f"... {len(table.records) - len(shown)} more rows (--limit 0 shows all)")
    if csv_out:
        group.set("--csv", csv_text(table))
    if plot_out:
        from ..sweep.plots import pareto_figure_bytes

        group.set("--plot", pareto_figure_bytes(table, pareto_front(table, objectives),
                                                objectives, plot_format(plot_out)))
    group.commit()  # both files or neither


def _columns(table, objectives, spec: str | None) -> list[str]:
    if spec:
        cols = [c.strip() for c in spec.split(",") if c.strip()]
        bad = [c for c in cols if c not in table.columns]
        if bad:
            raise NeuroSimError(f"--columns: no column {bad[0]!r}")
        return cols
    cols = ["config_id", "status"] + table.axes + [n for n, _ in objectives
                                                  if n in table.columns]
    return cols + (["reason"] if any(r.get("reason") for r in table.records) else [])


def _text(records, cols: list[str]) -> str:
    def fmt(v) -> str:
        if isinstance(v, float):
            return f"{v:.6g}"
        return "" if v is None else str(v)

    body = [[fmt(r.get(c)) for c in cols] for r in records]
    widths = [max([len(c)] + [len(b[j]) for b in body]) for j, c in enumerate(cols)]
    widths = [min(w, 90) for w in widths]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths))]
    lines += ["  ".join(v[:w].ljust(w) for v, w in zip(b, widths)) for b in body]
    return "\n".join(lines)
