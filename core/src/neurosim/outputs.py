"""Result outputs shared by ``neurosim compat`` and ``neurosim estimate``: the per-layer CSV
table, the summary figure (PNG, ...) and the printed contribution trees (``--explain``).

Every command's files are one :class:`~neurosim.output_group.OutputGroup`: the paths are
checked before the run (:func:`result_outputs`) and all files are committed together at the
end (:func:`write_outputs`), so a failed or interrupted run leaves every previous file
untouched. Matplotlib is imported
only when a figure is asked for (Agg backend, no display needed).
"""

from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path
from typing import Any, Callable, Sequence

from .engine.contributions import Contribution
from .engine.results import CHIP_AREA_KEYS, CHIP_KEYS, LAYER_KEYS, EstimateResult, dumps_json
from .errors import NeuroSimError
from .output_group import OutputGroup, write_group

# ----------------------------------------------------------------------------- writing


def write_atomic(path: str | os.PathLike, data: str | bytes,
                 inputs: Sequence[str | os.PathLike] = ()) -> None:
    """Write ``data`` to ``path`` as a one-file :class:`~neurosim.output_group.OutputGroup`
    (temporary in the same folder, mode from the umask, ``os.replace``); on any error the
    temporary is removed and ``path`` is untouched."""
    write_group({path: data}, inputs=inputs)


# ----------------------------------------------------------------------------- CSV

#: CSV columns after ``layer``: the per-layer JSON keys (SI units), in NeuroSim's order
CSV_COLUMNS: tuple[str, ...] = tuple(k for k, _ in LAYER_KEYS)


def _csv_number(v: Any) -> str:
    # JSON's "inf"/"nan" strings stay as they are (float() reads them back)
    return v if isinstance(v, str) else repr(float(v))


def csv_text(res: EstimateResult) -> str:
    """One row per layer (``layer`` = 1-based index) and a final ``chip`` row with the chip
    totals; the columns are the JSON layer keys, values in SI units (s, J, W) at full
    precision, equal to ``--json``'s numbers."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(("layer",) + CSV_COLUMNS)
    for layer in res.layers:
        js = layer.to_json()
        w.writerow([str(layer.index)] + [_csv_number(js[k]) for k in CSV_COLUMNS])
    chip = res.chip.to_json()
    w.writerow(["chip"] + [_csv_number(chip[k]) for k in CSV_COLUMNS])
    return buf.getvalue()


def write_csv(res: EstimateResult, path: str | os.PathLike) -> None:
    write_atomic(path, csv_text(res))


# ----------------------------------------------------------------------------- explain

_UNITS = {"_s": "s", "_j": "J", "_w": "W", "_m2": "m^2"}


def figure_unit(key: str) -> str:
    for suffix, unit in _UNITS.items():
        if key.endswith(suffix):
            return unit
    return ""


def explain_paths(res: EstimateResult) -> list[str]:
    """Every figure ``--explain`` accepts: ``chip.<key>`` and ``layers.<n>.<key>``."""
    out = [f"chip.{k}" for k, _ in CHIP_AREA_KEYS + CHIP_KEYS]
    for layer in res.layers:
        out += [f"layers.{layer.index}.{k}" for k, _ in LAYER_KEYS]
    return out


def check_explain_path(path: str, num_layers: int | None = None) -> None:
    """Raise :class:`NeuroSimError` unless ``path`` names an explainable figure (the layer
    number is checked when ``num_layers`` is given)."""
    chip_keys = [k for k, _ in CHIP_AREA_KEYS + CHIP_KEYS]
    layer_keys = [k for k, _ in LAYER_KEYS]
    parts = path.split(".")
    hint = "; `--explain list` prints them all"
    if parts[0] == "chip" and len(parts) == 2:
        if parts[1] not in chip_keys:
            raise NeuroSimError(f"--explain {path}: no chip figure {parts[1]!r}; chip "
                                f"figures: {', '.join(chip_keys)}")
        return
    if parts[0] == "layers" and len(parts) == 3:
        try:
            n = int(parts[1])
        except ValueError:
            n = 0
        if n < 1 or (num_layers is not None and n > num_layers):
            count = f"1..{num_layers}" if num_layers is not None else "1, 2, ..."
            raise NeuroSimError(f"--explain {path}: layer {parts[1]!r} does not exist "
                                f"(layers are numbered {count}){hint}")
        if parts[2] not in layer_keys:
            raise NeuroSimError(f"--explain {path}: no layer figure {parts[2]!r}; layer "
                                f"figures: {', '.join(layer_keys)}")
        return
    raise NeuroSimError(f"--explain {path}: expected chip.<figure> or layers.<n>.<figure>, "
                        f"e.g. chip.read_energy_j or layers.2.read_latency_s{hint}")


_PREFIXES = ((1e-18, "a"), (1e-15, "f"), (1e-12, "p"), (1e-9, "n"), (1e-6, "u"),
             (1e-3, "m"), (1.0, ""), (1e3, "k"), (1e6, "M"), (1e9, "G"))


def format_quantity(value: float, unit: str) -> str:
    """``215.206 nJ``; areas in um^2 (as NeuroSim prints them); cycles as plain numbers."""
    if not math.isfinite(value):
        return f"{value} {unit}".rstrip()
    if unit == "m^2":
        return f"{value * 1e12:.6g} um^2"
    if unit in ("", "cycles"):
        return f"{value:.6g} {unit}".rstrip()
    mag = abs(value)
    scale, prefix = 1.0, ""
    if mag > 0:
        for s, p in _PREFIXES:
            if mag >= s * 0.9999995:
                scale, prefix = s, p
    return f"{value / scale:.6g} {prefix}{unit}"


def format_explain(tree: Contribution, unit: str, max_depth: int = 3) -> str:
    """The tree as indented lines ``name: value unit  (share of parent)``.

    ``sum`` nodes are the sum of their children, ``max`` nodes the largest child (parallel
    units), ``scale`` nodes their one child times a factor (a clock-period conversion: the
    child is in cycles; or a speed-up / replication factor). Nodes below ``max_depth`` are
    folded into ``(+N terms below)``.
    """
    from .explain.fold import unfolded
    from .explain.printing import format_shown

    return format_shown(unfolded(tree), unit, max_depth)


def figure_bytes(fig: Any, fmt: str, dpi: float | None = None) -> bytes:
    """A matplotlib figure rendered to ``fmt`` (png, pdf, svg) in memory, for an output
    group to write with the command's other outputs."""
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi)
    return buf.getvalue()


def explain_text(res: EstimateResult, paths: Sequence[str], max_depth: int = 3) -> str:
    """The ``--explain`` printout for ``paths`` (``list`` prints the explainable paths),
    each path once, in the order first given."""
    blocks: list[str] = []
    for path in dict.fromkeys(paths):
        if path == "list":
            blocks.append("Explainable figures (use with --explain):\n" +
                          "\n".join(f"  {p}" for p in explain_paths(res)))
            continue
        check_explain_path(path, len(res.layers))
        key = path.rsplit(".", 1)[1]
        tree = res.explain(path)
        blocks.append(f"== {path} = {format_quantity(tree.value, figure_unit(key))}\n" +
                      format_explain(tree, figure_unit(key), max_depth))
    return "\n\n".join(blocks)


def check_explain_args(paths: Sequence[str], max_depth: int) -> None:
    """Checks that need no result (run before the estimate)."""
    if max_depth < 0:
        raise NeuroSimError(f"--explain-depth {max_depth}: give a depth >= 0")
    for p in paths:
        if p != "list":
            check_explain_path(p)


# ----------------------------------------------------------------------------- figure

def _finite(v: Any) -> float:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return 0.0
    return x if math.isfinite(x) else 0.0


def energy_breakdown(fig: dict[str, Any]) -> dict[str, float]:
    """Dynamic energy (J) of one layer or the chip as ADC / accumulation / buffer /
    interconnect / other: NeuroSim's ``other`` includes the buffer and interconnect
    energies, which are split out when they fit inside it."""
    return _split(fig, "energy_j")


def latency_breakdown(fig: dict[str, Any]) -> dict[str, float]:
    """Read latency (s) split as :func:`energy_breakdown`, plus ``overlap`` (negative)
    where NeuroSim's parts add up to more than the latency: each part is the slowest
    parallel unit's (PE, subarray) taken separately, so with units that differ (sequential
    read) the sum of the parts exceeds the slowest unit's total; present only when not
    zero, so the parts sum to the latency."""
    parts = _split(fig, "latency_s")
    total = _finite(fig["read_latency_s"])
    rest = total - math.fsum(parts.values())
    if abs(rest) > 1e-9 * abs(total):
        parts["overlap"] = rest
    return parts


def _split(fig: dict[str, Any], suffix: str) -> dict[str, float]:
    adc, acc, other = (_finite(fig[f"{p}_{suffix}"]) for p in ("adc", "accum", "other"))
    buf, ic = _finite(fig[f"buffer_{suffix}"]), _finite(fig[f"ic_{suffix}"])
    rest = other - buf - ic
    if rest >= -1e-9 * max(abs(other), 1e-300):
        return {"ADC": adc, "accumulation": acc, "buffer": buf, "interconnect": ic,
                "other": max(rest, 0.0)}
    return {"ADC": adc, "accumulation": acc, "buffer": 0.0, "interconnect": 0.0,
            "other": other}


def area_breakdown(res: EstimateResult) -> dict[str, float]:
    """Chip area (m^2) as NeuroSim's array / ADC / accumulation / interconnect / other,
    plus what that breakdown leaves out, so that the parts sum to the chip area:

    * ``empty``: the subarrays' bounding-box white space (``area_empty_m2``; NeuroSim's
      ``SubArray::emptyArea`` = height x width - usedArea: the column circuits are stacked
      under the array and the row circuits beside it, so the rectangle is larger than its
      circuits), times the subarrays of every tile;
    * ``unaccounted``: any rest (only where NeuroSim's categories count other tiles than
      its total, as with ``sync_data_transfer``), present only when not zero."""
    chip = res.chip.to_json()
    out = {"array": _finite(chip["area_array_m2"]), "ADC": _finite(chip["area_adc_m2"]),
           "accumulation": _finite(chip["area_accum_m2"]),
           "interconnect": _finite(chip["area_ic_m2"]), "other": _finite(chip["area_other_m2"]),
           "empty": _finite(chip.get("area_empty_m2", 0.0))}
    total = _finite(chip["area_m2"])
    rest = total - math.fsum(out.values())
    if abs(rest) > 1e-9 * abs(total):
        out["unaccounted"] = rest
    return out


#: how the figure labels the parts of :func:`area_breakdown`
AREA_LABELS = {"empty": "empty (subarray\nwhite space)", "unaccounted": "unaccounted"}


def config_title(cfg: Any) -> str:
    adc = {"mlsa": "MLSA", "sar": "SAR"}.get(str(cfg.adc), str(cfg.adc))
    if str(cfg.device).lower() == "sram":
        adc_text = f"{adc} ADC (SRAM sense amps)" if adc == "MLSA" else f"{adc} ADC"
    else:
        adc_text = f"{adc} ADC"
    return (f"{cfg.tech} {str(cfg.device).upper()}, {adc_text}, subarray "
            f"{cfg.subarray_rows}x{cfg.subarray_cols}, W{cfg.synapse_bits}/I{cfg.input_bits} "
            f"bits, {'pipelined' if cfg.pipeline else 'layer-by-layer'}")


def _axis_unit(largest: float, unit: str) -> tuple[float, str]:
    """The factor and prefixed unit that put ``largest`` in [1, 1000)."""
    scale, prefix = 1.0, ""
    for s, p in _PREFIXES:
        if largest >= s * 0.9999995:
            scale, prefix = s, p
    return 1.0 / scale, prefix + unit


_COLORS = {"array": "#4c72b0", "ADC": "#dd8452", "accumulation": "#55a868",
           "buffer": "#8172b3", "interconnect": "#c44e52", "other": "#937860",
           "empty": "#bbbbbb", "unaccounted": "#eeeeee"}


def plot_format(path: str | os.PathLike) -> str:
    target = Path(path)
    fmt = target.suffix.lstrip(".").lower()
    if fmt not in ("png", "pdf", "svg"):
        raise NeuroSimError(f"--plot {target}: use a .png, .pdf or .svg file name")
    return fmt


def plot_png(res: EstimateResult, cfg: Any, path: str | os.PathLike,
             layer_names: Sequence[str] | None = None, title: str | None = None) -> None:
    """:func:`render_plot` written atomically to ``path`` (format from its suffix)."""
    write_atomic(path, render_plot(res, cfg, plot_format(path), layer_names, title))


def render_plot(res: EstimateResult, cfg: Any, fmt: str = "png",
                layer_names: Sequence[str] | None = None, title: str | None = None) -> bytes:
    """One figure: (a) chip area breakdown, (b) per-layer dynamic energy stacked by
    component, (c) per-layer read latency stacked by component, titled with the
    configuration; the file's bytes in ``fmt`` (png, pdf, svg)."""
    try:
        import matplotlib
        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
    except ImportError:
        raise NeuroSimError("--plot needs matplotlib: pip install 'neurosim-core[plot]'") \
            from None

    layers = [layer.to_json() for layer in res.layers]
    n = len(layers)
    labels = [f"L{layer.index}" for layer in res.layers]
    if layer_names:
        labels = [f"L{i + 1}\n{name[:14]}" for i, name in enumerate(layer_names)]
    chip = res.chip.to_json()

    width = max(14.0, 6.0 + 0.55 * n * 2)
    fig, axes = plt.subplots(1, 3, figsize=(width, 5.4),
                             gridspec_kw={"width_ratios": [1.0, max(1.2, n * 0.35),
                                                           max(1.2, n * 0.35)]})
    try:
        fig.suptitle(title or config_title(cfg), fontsize=12, fontweight="bold")

        # (a) area
        ax = axes[0]
        areas = area_breakdown(res)
        total = _finite(chip["area_m2"]) or sum(areas.values()) or 1.0
        names = list(areas)
        vals = [areas[k] * 1e6 for k in names]  # mm^2
        bars = ax.barh([AREA_LABELS.get(k, k) for k in names[::-1]], vals[::-1],
                       color=[_COLORS[k] for k in names[::-1]])
        for b, k in zip(bars, names[::-1]):
            ax.text(b.get_width(), b.get_y() + b.get_height() / 2,
                    f" {100 * areas[k] / total:.1f}%", va="center", fontsize=9)
        ax.set_xlabel("area (mm$^2$)")
        ax.set_title(f"(a) chip area: {total * 1e6:.4g} mm$^2$", fontsize=11)
        ax.set_xlim(0, max(vals + [1e-12]) * 1.3)

        # (b) energy and (c) latency, stacked
        def stacked(ax: Any, rows: list[dict[str, float]], scale: float, unit: str,
                    heading: str) -> None:
            x = list(range(n))
            bottom = [0.0] * n
            for comp in ("ADC", "accumulation", "buffer", "interconnect", "other"):
                vals = [r[comp] * scale for r in rows]
                if not any(vals):
                    continue
                ax.bar(x, vals, bottom=bottom, color=_COLORS[comp], label=comp, width=0.7)
                bottom = [b + v for b, v in zip(bottom, vals)]
            ax.set_xticks(x)
            ax.set_xticklabels(labels, fontsize=8 if n > 8 else 9,
                               rotation=90 if n > 16 else 0)
            ax.set_ylabel(unit)
            ax.set_title(heading, fontsize=11)
            ax.legend(fontsize=8, loc="upper right", ncol=2)
            ax.grid(axis="y", alpha=0.3)
            ax.set_ylim(0, max(bottom + [1e-30]) * 1.45)

        energy = [energy_breakdown(r) for r in layers]
        e_chip = _finite(chip["read_energy_j"])
        scale, unit = _axis_unit(max([sum(r.values()) for r in energy] + [0.0]), "J")
        stacked(axes[1], energy, scale, f"dynamic energy ({unit})",
                f"(b) dynamic energy per layer (chip {format_quantity(e_chip, 'J')})")
        lat = [latency_breakdown(r) for r in layers]
        pipe = res.performance.mode.startswith("Pipelined")
        t_chip = _finite(chip["read_latency_s"])
        scale, unit = _axis_unit(max([sum(r.values()) for r in lat] + [t_chip]), "s")
        stacked(axes[2], lat, scale, f"read latency ({unit})",
                f"(c) latency per layer ({'pipeline cycle' if pipe else 'chip'} "
                f"{format_quantity(t_chip, 's')})")
        if pipe and t_chip:
            axes[2].axhline(t_chip * scale, color="k", ls="--", lw=1, label="pipeline cycle")
            axes[2].legend(fontsize=8, loc="upper right", ncol=2)
        perf = res.performance.to_json()
        fig.text(0.5, 0.01,
                 f"{_finite(perf['tops_per_w']):.4g} TOPS/W   {_finite(perf['tops']):.4g} TOPS"
                 f"   {_finite(perf['fps']):.4g} FPS   leakage "
                 f"{_finite(chip['leakage_power_w']) * 1e3:.4g} mW   "
                 f"({res.performance.mode})", ha="center", fontsize=10)
        fig.tight_layout(rect=(0, 0.04, 1, 0.94))
        return figure_bytes(fig, fmt, dpi=120)
    finally:
        plt.close(fig)


# ----------------------------------------------------------------------------- command glue

def output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--csv``, ``--plot``, ``--explain`` (repeatable) and ``--explain-depth``."""
    import click

    opts = [
        click.option("--csv", "csv_out", type=click.Path(dir_okay=False),
                     help="Write the per-layer table (SI units, one row per layer and a "
                          "final 'chip' row) to this CSV file."),
        click.option("--plot", "plot_out", type=click.Path(dir_okay=False),
                     help="Write a summary figure (area, per-layer energy and latency "
                          "breakdowns) to this .png/.pdf/.svg file (needs matplotlib)."),
        click.option("--explain", "explain", multiple=True, metavar="PATH",
                     help="Print the contribution tree of a figure, e.g. "
                          "chip.read_energy_j or layers.2.read_latency_s (repeatable); "
                          "'list' prints the explainable figures."),
        click.option("--explain-depth", type=int, default=3, show_default=True,
                     help="Levels of the --explain trees to print."),
    ]
    for opt in reversed(opts):
        func = opt(func)
    return func


def validate_outputs(res: EstimateResult, explain: Sequence[str]) -> None:
    """Checks that need the result, run before any file is written."""
    for p in explain:
        if p != "list":
            check_explain_path(p, len(res.layers))


def check_output_args(csv_out: str | None, plot_out: str | None,
                      json_out: str | None = None,
                      inputs: Sequence[str | os.PathLike | None] = ()) -> OutputGroup:
    """Checks that need no result (run before the estimate): the figure format, matplotlib
    when a figure is asked for, and every path (see :meth:`OutputGroup.declare`). Returns the
    group to pass to :func:`write_outputs`."""
    if plot_out:
        plot_format(plot_out)
        try:
            import matplotlib  # noqa: F401  (fail now, not after the run)
        except ImportError:
            raise NeuroSimError("--plot needs matplotlib: pip install 'neurosim-core[plot]'") \
                from None
    group = OutputGroup(inputs=[p for p in inputs if p])
    group.declare("--json", json_out)
    group.declare("--csv", csv_out)
    group.declare("--plot", plot_out)
    return group


result_outputs = check_output_args


def write_outputs(res: EstimateResult, cfg: Any, json_out: str | None = None,
                  json_text: str | None = None, csv_out: str | None = None,
                  plot_out: str | None = None,
                  layer_names: Sequence[str] | None = None,
                  group: OutputGroup | None = None) -> None:
    """Render every requested file, then commit them together (all new or all old).

    ``group`` is the one :func:`check_output_args` returned (its paths were checked before
    the run); without it the paths are checked now."""
    if group is None:
        group = check_output_args(csv_out, plot_out, json_out)
    for opt, path in (("--json", json_out), ("--csv", csv_out), ("--plot", plot_out)):
        if path is not None and opt not in group.outputs:
            group.declare(opt, path)
    outs = group.outputs
    if "--json" in outs:
        if json_text is None:  # the result, plus what produced it (neurosim.provenance)
            from .provenance import provenance_json

            out = res.to_json(contributions=True)
            out["provenance"] = provenance_json(cfg)
            json_text = dumps_json(out)  # json.dumps(out, indent=2), faster
        group.set("--json", json_text + "\n")
    if "--csv" in outs:
        group.set("--csv", csv_text(res))
    if "--plot" in outs:
        plot_path = outs["--plot"].path
        group.set("--plot", lambda: render_plot(res, cfg, plot_format(plot_path), layer_names))
    group.commit()
