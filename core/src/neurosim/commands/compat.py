"""``neurosim compat``: NeuroSim V1.4's own command line, re-implemented.

    neurosim compat NETWORK.csv WEIGHT_BITS INPUT_BITS SUBARRAY_ROWS PARALLEL_ROWS \\
        W1.csv I1.csv W2.csv I2.csv ... [--param technode=7 --param memcelltype=2 ...] \\
        [--json OUT.json] [--csv OUT.csv] [--plot OUT.png] [--explain chip.read_energy_j]

The positional arguments are exactly those of NeuroSim's ``main``; ``--param`` takes
Param.cpp member names with NeuroSim's values. The report follows NeuroSim's printout
(floorplan, per-layer figures, chip summary, performance); ``--json`` writes the numbers
in SI units, atomically (nothing is written when the run fails); ``--csv``, ``--plot`` and
``--explain`` are described in :mod:`neurosim.outputs` and ``docs/cli.md``.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Sequence

import click

from ..config import NEUROSIM_NODES_NM, Config, load_config, parse_overrides
from ..errors import ConfigError, NeuroSimError
from ..engine.results import EstimateResult
from ..output_group import write_group
from ..outputs import check_explain_args, check_output_args, explain_text, output_options, \
    validate_outputs, write_outputs
from .common import engine_options, threads_option


def compat_config(weight_bits: int, input_bits: int, subarray_rows: int, parallel_rows: int,
                  params: Sequence[str] = ()) -> Config:
    """The configuration of a NeuroSim run: Param.cpp options, then the four argv numbers."""
    overrides = parse_overrides(params, "--param")
    for k in list(overrides):
        if not overrides[k]:
            raise ConfigError(f"--param {k}=: empty value")
    _check_positionals(overrides, weight_bits, input_bits, subarray_rows, parallel_rows)
    cfg = load_config((), overrides, validate=False)
    cfg = cfg.replace(synapse_bits=weight_bits, input_bits=input_bits,
                      subarray_rows=subarray_rows, parallel_rows=parallel_rows)
    from ..plugins import get_registry

    registry = get_registry()
    if cfg.tech not in registry.names("tech"):  # any installed node plugin, not only V1.4's
        raise ConfigError(
            f"technode = {cfg.tech_node_nm}: no technology-node plugin provides tech = "
            f"{cfg.tech} (installed: {', '.join(registry.names('tech')) or 'none'}; NeuroSim "
            f"V1.4 itself has data for {', '.join(map(str, NEUROSIM_NODES_NM))} nm); install "
            f"neurosim-tech-{cfg.tech} or write one (docs/writing-plugins.md)")
    return cfg.validate()


#: NeuroSim's four positional numbers and the options they set
POSITIONALS = (("WEIGHT_BITS", "synapse_bits"), ("INPUT_BITS", "input_bits"),
               ("SUBARRAY_ROWS", "subarray_rows"), ("PARALLEL_ROWS", "parallel_rows"))


def _check_positionals(overrides: dict[str, str], *values: int) -> None:
    """A ``--param`` may not contradict a positional number (NeuroSim takes those from
    argv), and PARALLEL_ROWS 0 is refused: NeuroSim divides by it (SIGFPE)."""
    from ..config import resolve_name

    given = dict(zip((opt for _, opt in POSITIONALS), values))
    for key, text in overrides.items():
        name = resolve_name(key)
        if name in given:
            arg = dict((o, a) for a, o in POSITIONALS)[name]
            try:
                same = float(text) == given[name]
            except ValueError:
                same = False
            if not same:
                raise ConfigError(f"--param {key}={text} conflicts with the positional "
                                  f"{arg} = {given[name]}: NeuroSim takes it from the "
                                  "command line; give it once")
    if given["parallel_rows"] == 0:
        raise ConfigError("PARALLEL_ROWS = 0: NeuroSim divides by numRowParallel and dies "
                          "with a floating-point exception; give the rows read in parallel "
                          "(1 .. SUBARRAY_ROWS)")


def write_json_atomic(path: str | os.PathLike, text: str,
                      inputs: Sequence[str | os.PathLike] = ()) -> None:
    """Write ``text`` and a newline to ``path`` atomically (see :mod:`neurosim.output_group`)."""
    write_group({path: text + "\n"}, inputs=inputs)


def _g(x: float, scale: float = 1.0) -> str:
    return f"{x * scale:.6g}"


def format_report(res: EstimateResult) -> str:
    """A readable report with NeuroSim's sections and units."""
    fp = res.floorplan
    out: list[str] = []
    add = out.append
    add("------------------------------ FloorPlan --------------------------------")
    add(f"Desired Conventional Mapped Tile Storage Size: {fp.tile_size_cm:g}x{fp.tile_size_cm:g}")
    add(f"Desired Conventional PE Storage Size: {fp.pe_size_cm:g}x{fp.pe_size_cm:g}")
    if fp.novel_mapping:
        add(f"Desired Novel Mapped Tile Storage Size: {fp.num_pe_nm:g}x{fp.pe_size_nm:g}x"
            f"{fp.pe_size_nm:g}")
    add(f"User-defined SubArray Size: {fp.subarray_rows}x{fp.subarray_cols}")
    add("")
    add(f"{'layer':>5} {'mapping':>8} {'tiles':>7} {'speed-up':>9} {'utilization':>12}")
    for i, (t, s, u) in enumerate(zip(fp.tiles_per_layer, fp.speedup_per_layer,
                                      fp.utilization_per_layer)):
        add(f"{i + 1:>5} {'novel' if fp.mark_nm[i] else 'conv.':>8} {t:>7g} {s:>9g} "
            f"{u:>12.6g}")
    add(f"Memory Utilization of Whole Chip: {_g(fp.chip_utilization, 100)} %")
    add("")
    if res.clock_period_s is not None:
        add(f"clkPeriod: {res.clock_period_s:.6g} s")
    add("")
    add("-------------------------------- Layers (latency ns, energy pJ, power uW) "
        "--------------------------------")
    cols = (("latency", "read_latency_s", 1e9), ("dyn.energy", "read_energy_j", 1e12),
            ("leak.power", "leakage_power_w", 1e6), ("leak.energy", "leakage_energy_j", 1e12),
            ("buf.lat", "buffer_latency_s", 1e9), ("buf.energy", "buffer_energy_j", 1e12),
            ("ic.lat", "ic_latency_s", 1e9), ("ic.energy", "ic_energy_j", 1e12),
            ("ADC.lat", "adc_latency_s", 1e9), ("accum.lat", "accum_latency_s", 1e9),
            ("other.lat", "other_latency_s", 1e9), ("ADC.energy", "adc_energy_j", 1e12),
            ("accum.energy", "accum_energy_j", 1e12), ("other.energy", "other_energy_j", 1e12))
    add("layer " + " ".join(f"{c[0]:>12}" for c in cols))
    for layer in res.layers:
        js = layer.to_json()
        add(f"{layer.index:>5} " + " ".join(
            f"{(_g(js[k], s) if not isinstance(js[k], str) else js[k]):>12}" for _, k, s in cols))
    add("")
    chip = res.chip.to_json()
    add("------------------------------ Summary --------------------------------")
    add(f"ChipArea : {_g(chip['area_m2'], 1e12)} um^2")
    add(f"  CIM arrays : {_g(chip['area_array_m2'], 1e12)} um^2")
    add(f"  IC (global and tile/PE local) : {_g(chip['area_ic_m2'], 1e12)} um^2")
    add(f"  ADC (or S/As and precharger for SRAM) : {_g(chip['area_adc_m2'], 1e12)} um^2")
    add(f"  Accumulation circuits : {_g(chip['area_accum_m2'], 1e12)} um^2")
    add(f"  Other peripheries : {_g(chip['area_other_m2'], 1e12)} um^2")
    if "area_empty_m2" in chip:  # not printed by NeuroSim: what its breakdown leaves out
        add(f"  Empty (subarray white space, not in NeuroSim's breakdown) : "
            f"{_g(chip['area_empty_m2'], 1e12)} um^2")
    if res.clock_period_s is not None:
        add(f"Chip clock period : {_g(res.clock_period_s, 1e9)} ns")
    pipe = res.performance.mode.startswith("Pipelined")
    label = "pipeline-system-clock-cycle" if pipe else "layer-by-layer readLatency"

    def show(v: Any, s: float) -> str:
        return v if isinstance(v, str) else _g(v, s)

    add(f"Chip {label} (per image) : {show(chip['read_latency_s'], 1e9)} ns")
    add(f"Chip readDynamicEnergy : {show(chip['read_energy_j'], 1e12)} pJ")
    add(f"Chip leakage Energy : {show(chip['leakage_energy_j'], 1e12)} pJ")
    add(f"Chip leakage Power : {show(chip['leakage_power_w'], 1e6)} uW")
    add(f"Chip buffer readLatency : {show(chip['buffer_latency_s'], 1e9)} ns")
    add(f"Chip buffer readDynamicEnergy : {show(chip['buffer_energy_j'], 1e12)} pJ")
    add(f"Chip ic readLatency : {show(chip['ic_latency_s'], 1e9)} ns")
    add(f"Chip ic readDynamicEnergy : {show(chip['ic_energy_j'], 1e12)} pJ")
    add("Breakdown: latency ns (ADC / accumulation / other) = "
        f"{show(chip['adc_latency_s'], 1e9)} / {show(chip['accum_latency_s'], 1e9)} / "
        f"{show(chip['other_latency_s'], 1e9)}")
    add("Breakdown: dynamic energy pJ (ADC / accumulation / other) = "
        f"{show(chip['adc_energy_j'], 1e12)} / {show(chip['accum_energy_j'], 1e12)} / "
        f"{show(chip['other_energy_j'], 1e12)}")
    add("")
    perf = res.performance.to_json()
    mode = res.performance.mode
    add("----------------------------- Performance -------------------------------")
    add(f"Energy Efficiency TOPS/W ({mode}): {show(perf['tops_per_w'], 1)}")
    add(f"Throughput TOPS ({mode}): {show(perf['tops'], 1)}")
    add(f"Throughput FPS ({mode}): {show(perf['fps'], 1)}")
    add(f"Compute efficiency TOPS/mm^2 ({mode}): {show(perf['tops_per_mm2'], 1)}")
    return "\n".join(out)


def check_trace_paths(traces: Sequence[str]) -> None:
    """A trace that is a pipe (a FIFO, ``<(command)``) is refused naming it: a trace is
    read more than once (its shape first), and opening a FIFO nothing writes to blocked
    forever."""
    import os
    import stat

    from ..errors import InputFileError

    for path in traces:
        try:
            mode = os.stat(path).st_mode
        except OSError:
            continue  # missing or unreadable: the reader names it
        if stat.S_ISFIFO(mode):
            raise InputFileError(path, "is a pipe, not a trace file (a trace is read more "
                                 "than once); give a file")


def run_compat(network: str, weight_bits: int, input_bits: int, subarray_rows: int,
               parallel_rows: int, traces: Sequence[str], params: Sequence[str] = (),
               json_out: str | None = None, progress: bool = True,
               blas_threads: int | None = None,
               threads: int | None = None) -> EstimateResult:
    """Parse, estimate and (optionally) write the JSON; raises NeuroSimError on user errors."""
    from ..engine.flow import estimate_from_files

    cfg = compat_config(weight_bits, input_bits, subarray_rows, parallel_rows, params)
    if len(traces) % 2:
        raise NeuroSimError(f"{len(traces)} trace files given: NeuroSim takes pairs "
                            "(weight file, input file) per layer")
    weights = list(traces[0::2])
    inputs = list(traces[1::2])
    check_trace_paths(traces)

    from ..progress import progress_bar

    with progress_bar(None, "estimate", unit="layer", quiet=not progress) as bar:
        res = estimate_from_files(network, weights, inputs, cfg, progress=bar,
                                  blas_threads=blas_threads, threads=threads)
    if json_out:
        write_json_atomic(json_out, res.dumps(contributions=True), inputs=(network, *traces))
    return res


@click.command("compat", context_settings={"ignore_unknown_options": False})
@click.argument("network", type=click.Path(dir_okay=False))
@click.argument("weight_bits", type=int)
@click.argument("input_bits", type=int)
@click.argument("subarray_rows", type=int)
@click.argument("parallel_rows", type=int)
@click.argument("traces", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A Param.cpp option with NeuroSim's value, e.g. technode=7 memcelltype=2 "
                   "globalBusType=1 SARADC=1 pipeline=0 (repeatable).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False),
              help="Write the results (SI units) to this JSON file.")
@click.option("--quiet", is_flag=True,
              help="No progress bar on stderr (it is shown only when stderr is a terminal).")
@engine_options
@threads_option
@output_options
def compat_cmd(network: str, weight_bits: int, input_bits: int, subarray_rows: int,
               parallel_rows: int, traces: tuple[str, ...], params: tuple[str, ...],
               json_out: str | None, quiet: bool, csv_out: str | None = None,
               plot_out: str | None = None, explain: tuple[str, ...] = (),
               explain_depth: int = 3, force: bool = False,
               blas_threads: int | None = None, threads: int | None = None) -> None:
    """Run NeuroSim's estimator with NeuroSim's own arguments:
    NETWORK.csv WEIGHT_BITS INPUT_BITS SUBARRAY_ROWS PARALLEL_ROWS W1 I1 W2 I2 ..."""
    group = check_output_args(csv_out, plot_out, json_out, inputs=(network, *traces))
    check_explain_args(explain, explain_depth)
    cfg = compat_config(weight_bits, input_bits, subarray_rows, parallel_rows, params)
    from ..plugins import get_host
    from ..validation import check_components, notices

    check_components(cfg, get_host().registry)
    from ..option_notices import accuracy_option_notices

    from ..held_notices import say

    for line in notices(cfg) + accuracy_option_notices(cfg, "neurosim accuracy runs it"):
        say(line)
    from ..cost import guard, predict
    from ..engine.traces import read_network_csv

    guard(predict(cfg, read_network_csv(network)), force, "this estimate")
    res = run_compat(network, weight_bits, input_bits, subarray_rows, parallel_rows, traces,
                     params, None, progress=not quiet, blas_threads=blas_threads,
                     threads=threads)
    from ..validation import check_finite

    check_finite(res.to_json(), cfg)  # inf/nan is refused, never printed or written
    validate_outputs(res, explain)
    write_outputs(res, cfg, json_out=json_out, csv_out=csv_out, plot_out=plot_out,
                  group=group)
    for m in dict.fromkeys(res.messages):
        click.echo(m)
    click.echo(format_report(res))
    if explain:
        click.echo("")
        click.echo(explain_text(res, explain, explain_depth))
    sys.stdout.flush()
