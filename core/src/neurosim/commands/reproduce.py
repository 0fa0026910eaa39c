"""``neurosim reproduce table7``: the user manual's Table VII, regenerated in one step.

    neurosim reproduce table7 [--checkpoint PATH --data cifar10:DIR] [--only ID ...]
        [--json OUT] [--csv OUT] [--plot OUT.png] [--quiet]

Runs the eight configurations of the table (VGG8; SRAM at 22/5/1 nm and RRAM at 22 nm with
on/off 17; 4-bit ADC; parallel read of 32 and 64 rows) on one traced VGG8 (trained when
``--checkpoint``/``--data`` are given, seeded random otherwise: the output says which),
and prints ours beside the manual's published values with the ratios, the C++ parity
target's values where the golden data has them, and the known, sourced reasons for the
differences. The published values are cited data: ``neurosim/data/table7.toml``.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import click

from ..errors import NeuroSimError

METRICS: tuple[tuple[str, str], ...] = (("area_mm2", "area mm^2"), ("tops", "TOPS"),
                                        ("tops_per_w", "TOPS/W"),
                                        ("tops_per_mm2", "TOPS/mm^2"))


@dataclass
class Row:
    """One configuration: the manual's, the C++'s (or None) and our figures."""

    id: str
    label: str
    settings: list[str]
    manual: dict[str, float]
    cpp: dict[str, Any] | None
    ours: dict[str, float]


def load_table(name: str = "table7") -> dict[str, Any]:
    """The cited data file ``neurosim/data/<name>.toml``."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore
    text = resources.files("neurosim").joinpath("data", f"{name}.toml").read_text()
    return tomllib.loads(text)


def our_figures(res: Any) -> dict[str, float]:
    perf = res.performance.to_json()
    return {"area_mm2": res.chip.to_json()["area_m2"] * 1e6, "tops": perf["tops"],
            "tops_per_w": perf["tops_per_w"], "tops_per_mm2": perf["tops_per_mm2"]}


def run_rows(table: dict[str, Any], only: tuple[str, ...], checkpoint: str | None,
             data: str | None, say: Any) -> tuple[list[Row], Any]:
    """Trace VGG8 once (the traces depend only on the 8-bit precisions, equal in every
    configuration) and estimate each configuration on it."""
    from .common import build_config, prepare_from_options
    from .estimate import run_estimate

    configs = [c for c in table["config"] if not only or c["id"] in only]
    base = list(table["setup"]["set"])
    say("building VGG8 and capturing traces")
    run = prepare_from_options(table["setup"]["network"], None, checkpoint, data, 1, None,
                               build_config((), tuple(base + configs[0]["set"])))
    rows = []
    for i, c in enumerate(configs):
        settings = base + c["set"]
        say(f"configuration {i + 1}/{len(configs)}: {c['label']}")
        res = run_estimate(build_config((), tuple(settings)), run)
        rows.append(Row(c["id"], c["label"], settings, dict(c["manual"]), c.get("cpp"),
                        our_figures(res)))
    return rows, run


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or not a:
        return "-"
    return f"{b / a:.3f}"


def table_text(rows: list[Row], table: dict[str, Any], run: Any) -> str:
    src = table["source"]
    lines = [f"{src['table']} ({src['document']}, p. {src['page']}; generated "
             f"{src['generated']})",
             f"Setup: {table['setup']['text']}",
             f"Weights: {run.weights_source}",
             f"Inputs : {run.inputs_source}"]
    if run.synthetic:
        lines.append("NOTE: seeded random VGG8 (no --checkpoint/--data): the manual used a "
                     "trained VGG8 on CIFAR-10, so energy and TOPS/W differ for that reason "
                     "alone (see the reasons below).")
    lines.append("")
    head = f"{'configuration':<26}" + "".join(f"{h:>28}" for _, h in METRICS[:3])
    lines.append(head)
    lines.append(f"{'':<26}" + "".join(f"{'manual    ours   ours/man':>28}" for _ in
                                        METRICS[:3]))
    for r in rows:
        cells = "".join(f"{r.manual[k]:>10.4g}{r.ours[k]:>9.4g}{_ratio(r.manual[k], r.ours[k]):>9}"
                        for k, _ in METRICS[:3])
        lines.append(f"{r.label:<26}{cells}")
    with_cpp = [r for r in rows if r.cpp]
    if with_cpp:
        lines += ["", "The C++ parity target (DNN_NeuroSim_V1.4 at ac828e6, synthetic golden "
                  "traces), same settings: its area is the traces-independent check",
                  f"{'configuration':<26}" + "".join(f"{h:>28}" for _, h in METRICS[:3]),
                  f"{'':<26}" + "".join(f"{'C++   C++/man  ours/C++':>28}" for _ in
                                        METRICS[:3])]
        for r in with_cpp:
            cells = "".join(f"{r.cpp[k]:>10.4g}{_ratio(r.manual[k], r.cpp[k]):>9}"
                            f"{_ratio(r.cpp[k], r.ours[k]):>9}" for k, _ in METRICS[:3])
            lines.append(f"{r.label:<26}{cells}")
    lines += ["", "Why the numbers differ (known reasons):"]
    for i, reason in enumerate(table["reason"], 1):
        lines.append(f"  {i}. {reason['text']}")
        lines.append(f"     [source: {reason['source']}]")
    return "\n".join(lines)


def table_json(rows: list[Row], table: dict[str, Any], run: Any) -> dict[str, Any]:
    return {"schema": "neurosim.reproduce/1", "table": "table7", "source": table["source"],
            "setup": table["setup"], "weights": run.weights_source,
            "inputs": run.inputs_source, "synthetic": bool(run.synthetic),
            "rows": [{"id": r.id, "label": r.label, "set": r.settings, "manual": r.manual,
                      "cpp": r.cpp, "ours": r.ours,
                      "ours_over_manual": {k: r.ours[k] / r.manual[k] for k, _ in METRICS}}
                     for r in rows],
            "reasons": table["reason"]}


def table_csv(rows: list[Row]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "label", "metric", "manual", "ours", "ours_over_manual", "cpp"])
    for r in rows:
        for k, _ in METRICS:
            cpp = "" if not r.cpp else repr(float(r.cpp[k]))
            w.writerow([r.id, r.label, k, repr(float(r.manual[k])), repr(float(r.ours[k])),
                        repr(r.ours[k] / r.manual[k]), cpp])
    return buf.getvalue()


def render_plot(rows: list[Row], fmt: str) -> bytes:
    """Ours / manual (and C++ / manual) per configuration for area, TOPS and TOPS/W."""
    try:
        import matplotlib
        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
    except ImportError:
        raise NeuroSimError("--plot needs matplotlib: pip install 'neurosim-core[plot]'") \
            from None
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8), sharey=True)
    try:
        x = list(range(len(rows)))
        for ax, (k, head) in zip(axes, METRICS[:3]):
            ax.bar([i - 0.2 for i in x], [r.ours[k] / r.manual[k] for r in rows], 0.4,
                   label="ours / manual", color="#4c72b0")
            ax.bar([i + 0.2 for i in x], [r.cpp[k] / r.manual[k] if r.cpp else 0 for r in rows],
                   0.4, label="C++ ac828e6 / manual", color="#dd8452")
            ax.axhline(1.0, color="k", lw=1)
            ax.set_xticks(x)
            ax.set_xticklabels([r.id for r in rows], rotation=45, ha="right", fontsize=8)
            ax.set_title(head)
            ax.grid(axis="y", alpha=0.3)
        axes[0].set_ylabel("ratio to the manual's Table VII")
        axes[0].legend(fontsize=8)
        fig.suptitle("NeuroSim V1.4 manual Table VII (VGG8-CIFAR10) regenerated", fontsize=11)
        fig.tight_layout(rect=(0, 0, 1, 0.93))
        from ..outputs import figure_bytes

        return figure_bytes(fig, fmt, dpi=110)
    finally:
        plt.close(fig)


@click.command("reproduce")
@click.argument("table_name", metavar="TABLE", type=click.Choice(["table7"]))
@click.option("--checkpoint", type=click.Path(dir_okay=True),
              help="Trained VGG8 weights (default: seeded random weights).")
@click.option("--data", metavar="KIND:ARG",
              help="Inputs, e.g. cifar10:PATH (default: one seeded random image).")
@click.option("--only", multiple=True, metavar="ID",
              help="Only this configuration (repeatable): rram22_p32, rram22_p64, "
                   "sram22_p32, sram22_p64, sram5_p32, sram5_p64, sram1_p32, sram1_p64.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False),
              help="Write manual, C++ and our values, ratios and reasons as JSON.")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False),
              help="Write one row per configuration and metric as CSV.")
@click.option("--plot", "plot_out", type=click.Path(dir_okay=False),
              help="Write the ratios to the manual as a figure (.png/.pdf/.svg).")
@click.option("--quiet", is_flag=True, help="No progress lines on stderr.")
def reproduce_cmd(table_name: str, checkpoint: str | None, data: str | None,
                  only: tuple[str, ...], json_out: str | None, csv_out: str | None,
                  plot_out: str | None, quiet: bool) -> None:
    """Regenerate a published table of the NeuroSim manual (table7: VGG8 hardware
    estimation examples) and compare with it."""
    from ..output_group import OutputGroup
    from ..outputs import check_output_args, plot_format
    from .common import progress_printer

    check_output_args(csv_out, plot_out)
    group = OutputGroup(inputs=[checkpoint])
    for option, path in (("--json", json_out), ("--csv", csv_out), ("--plot", plot_out)):
        group.declare(option, path)
    table = load_table(table_name)
    known = [c["id"] for c in table["config"]]
    for o in only:
        if o not in known:
            raise NeuroSimError(f"--only {o}: no such configuration; choose from "
                                f"{', '.join(known)}")
    rows, run = run_rows(table, only, checkpoint, data, progress_printer(quiet))
    if json_out:
        group.set("--json", json.dumps(table_json(rows, table, run), indent=2) + "\n")
    if csv_out:
        group.set("--csv", table_csv(rows))
    if plot_out:
        group.set("--plot", render_plot(rows, plot_format(plot_out)))
    group.commit()
    click.echo(table_text(rows, table, run))
