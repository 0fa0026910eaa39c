"""The estimation flow of NeuroSim V1.4's ``main.cpp``: checks, floorplan, chip
initialization and area, the synchronous clock-period pass, the per-layer evaluation in
layer-by-layer or pipeline mode (leakage, sums and maxima), and the performance figures.

Entry points: :func:`estimate` (in-memory network and traces) and
:func:`estimate_from_files` (NeuroSim's network CSV and trace files).
"""

from __future__ import annotations

import contextlib
import gc
import os
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from ..config import Config
from ..errors import NeuroSimError
from ..primitives.constants import MemCellType
from .array_activity import column_model_from_context
from .blas import blas_threads as limit_blas
from .chip import Chip
from .compat_bugs import register_bug
from .contributions import PERF_FIGURES, Contribution, Perf, leaf, total
from .floorplan import MappingParams, NetRow, plan
from . import layer_leakage, layer_workers
from .layer_memory import LayerMemory, ShapeOnlyMemory
from .results import (ChipResult, EstimateResult, FloorplanResult, LayerResult, Performance)
from .subarray_stats import Origin
from .threads import current as current_threads
from .threads import engine_threads
from .traces import LayerSpec
from .workload import WeightFile, Workload

PIPELINE_LEAKAGE = register_bug(
    "pipeline_leakage_running_max",
    "main.cpp weights layer i's pipeline leakage with the running maximum of the layer "
    "latencies so far, not the final system clock, and then multiplies by the final one")

Progress = Callable[[str], None]

LATENCY_FIGS = ("read_latency", "buffer_latency", "ic_latency", "core_latency_adc",
                "core_latency_accum", "core_latency_other")


def _mapping_params(p: Any) -> MappingParams:
    return MappingParams(num_row_sub_array=p.num_row_sub_array,
                         num_col_sub_array=p.num_col_sub_array,
                         num_row_per_synapse=p.num_row_per_synapse,
                         num_col_per_synapse=p.num_col_per_synapse,
                         novel_mapping=bool(p.novel_mapping), pipeline=bool(p.pipeline),
                         speed_up_degree=p.speed_up_degree)


def _prepare_inputs(bits: np.ndarray, layer: LayerSpec, p: Any, index: int) -> np.ndarray:
    """The input bits NeuroSim reads (``LoadInInputData``): XNOR modes add the complement
    row after each row; the first ``numInVector*numBitInput`` columns are used."""
    need = layer.num_in_vector * p.num_bit_input
    x = np.asarray(bits)
    if x.ndim != 2 or x.shape[0] != layer.weight_rows or x.shape[1] < need:
        raise NeuroSimError(f"layer {index + 1}: input bits of shape {x.shape} do not fit the "
                            f"layer ({layer.weight_rows} rows x at least {need} columns = "
                            f"{layer.num_in_vector} vectors x {p.num_bit_input} bits)")
    x = (x[:, :need] == 1).astype(np.uint8) if x.dtype != np.uint8 else x[:, :need]
    if p.xnor_parallel_mode or p.xnor_sequential_mode:
        out = np.empty((2 * x.shape[0], x.shape[1]), dtype=np.uint8)
        out[0::2] = x
        out[1::2] = 1 - x
        x = out
    if x.strides[1] == x.itemsize:  # rows contiguous (a column slice of the capture): no copy
        return x
    return np.ascontiguousarray(x)


def _prepare_memory(weights: np.ndarray, layer: LayerSpec, p: Any, index: int,
                    values_matter: bool = True) -> Any:
    """The layer's memory array (``LoadInWeightData``), as a :class:`LayerMemory`; a
    :class:`ShapeOnlyMemory` when the cell's read model ignores the stored values."""
    w = np.asarray(weights)
    if w.shape != (layer.weight_rows, layer.cout):
        raise NeuroSimError(f"layer {index + 1}: weights of shape {w.shape}, but the layer "
                            f"needs {layer.weight_rows} x {layer.cout} (cin*kh*kw x cout)")
    if not values_matter:
        return ShapeOnlyMemory((w.shape[0] * p.num_row_per_synapse,
                                w.shape[1] * p.num_col_per_synapse))
    w = np.asarray(w, dtype=np.float64)

    def cells_of(values: np.ndarray) -> np.ndarray:
        return _load(values, p)

    if not (p.xnor_parallel_mode or p.xnor_sequential_mode):
        # built tile by tile from a table of the weight levels
        from .weight_mapping import weight_levels

        levels = weight_levels(w, p.synapse_bit, p.algo_weight_max, p.algo_weight_min,
                               dtype=np.int32)  # values as int64, half the bytes
        return LayerMemory(w, levels, cells_of, p.num_col_per_synapse)
    return _load(w, p)  # XNOR: complement rows, the whole array


def _load(w: np.ndarray, p: Any) -> np.ndarray:
    from .weight_mapping import load_weight_memory

    return load_weight_memory(w, synapse_bit=p.synapse_bit, cell_bit=p.cell_bit,
                              max_conductance=p.max_conductance,
                              min_conductance=p.min_conductance,
                              algo_weight_max=p.algo_weight_max,
                              algo_weight_min=p.algo_weight_min,
                              operation_mode=p.operationmode)


@contextlib.contextmanager
def _few_gc_passes() -> Iterator[None]:
    """Run the engine with the objects alive before it (imported modules, a torch model)
    frozen out of the cyclic garbage collector and with rarer young-generation passes: the
    engine allocates tens of thousands of small contribution nodes, and every collection
    would otherwise rescan the whole heap. Nothing the engine computes depends on it."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def estimate(config: Config, layers: Sequence[LayerSpec] | Workload,
             weights: Sequence[np.ndarray] | None = None,
             inputs: Sequence[np.ndarray] | None = None, progress: Progress | None = None,
             ctx: Any = None, blas_threads: int | None = None,
             threads: int | None = None) -> EstimateResult:
    """Estimate area, latency, energy and throughput of a network, as NeuroSim's main does.

    ``estimate(config, workload)`` evaluates a :class:`~neurosim.engine.workload.Workload`
    and reuses (or fills) its trace statistics, so many configurations on the same traces
    pay them once; ``estimate(config, layers, weights, inputs)`` evaluates the given weight
    traces (rows ``cin*kh*kw`` x ``cout``, algorithm values) and input bit traces (rows
    ``cin*kh*kw`` x ``numInVector*numBitInput`` or more) with a workload of its own. The
    figures are the same, bit for bit, either way. ``blas_threads``: see
    :mod:`neurosim.engine.blas` (default one thread); ``threads``: the engine threads, see
    :mod:`neurosim.engine.threads` (default: the available cores; the figures do not
    depend on it).
    """
    if isinstance(layers, Workload):
        work = layers
    else:
        n = len(layers)
        weights = weights if weights is not None else ()
        inputs = inputs if inputs is not None else ()
        if len(weights) < n or len(inputs) < n:
            raise NeuroSimError(f"the network has {n} layers but {len(weights)} weight and "
                                f"{len(inputs)} input traces were given; each layer needs "
                                "both")
        work = Workload.from_arrays(layers, weights, inputs, statistics_budget_bytes=0)
    with _few_gc_passes(), limit_blas(blas_threads), engine_threads(threads):
        try:
            return _estimate(config, work, progress, ctx)
        finally:
            work.drop_prefetch()  # an error before every layer was read: the rest unread


def _estimate(config: Config, work: Workload, progress: Progress | None,
              ctx: Any) -> EstimateResult:
    """:func:`estimate` itself."""
    from .context import build_context

    layers = work.layers
    n = len(layers)
    config = config.validate()
    from ..validation import check_chip_clocking, check_layers, check_sram_mux

    check_chip_clocking(config)  # asynchronous mode with register-file buffers
    check_sram_mux(config)  # SRAM MLSA references need col_mux >= 2
    check_layers(layers)  # no output position, kernel beyond the map: named, not a crash
    ctx = ctx or build_context(config)
    p = ctx.param
    say = _progress_sink(progress, n * (2 if p.synchronous else 1))
    messages: list[str] = list(getattr(p, "messages", []) or [])
    if config.device != "sram" and config.cell_bits > config.synapse_bits:
        messages.append(f"cell_bits = {config.cell_bits} > synapse_bits = "
                        f"{config.synapse_bits}: using {config.synapse_bits} bits per cell "
                        "(NeuroSim: 'Memory precision is even higher than synapse precision')")
    net: list[NetRow] = [tuple(float(v) for v in layer.as_row()) for layer in layers]

    fp = plan(net, _mapping_params(p))
    messages += fp.messages * 2  # NeuroSim prints the speed-up notice in both passes
    if fp.messages:
        p.speed_up_degree = min(p.speed_up_degree, _clamped_speed_up(net))

    num_computation = 0.0
    for r in net:
        num_computation += 2 * (r[0] * r[1] * r[2] * r[3] * r[4] * r[5])

    chip = Chip(ctx, net, fp)
    chip.initialize()
    area = chip.calculate_area()

    # SRAM reads count activated rows only: the stored values never enter the model
    values_matter = column_model_from_context(ctx).mem_cell_type != MemCellType.SRAM
    if not values_matter:
        work.check_weight_shapes()
    data = _LayerData(work, p, values_matter)
    runner = current_threads()
    # two processes share the main pass's layers when they can (layer_workers): each then
    # parses its own layers' weights, so the pool parses the inputs only
    # (only on a workload's first estimate: the statistics of the child's layers stay in
    # the child, and later estimates on the same workload reuse the parent's)
    fork = (work.memo.first(("estimated",))
            and layer_workers.fork_wanted(net, int(p.num_bit_input), runner.threads))
    if runner.threads > 1:  # trace files parsed while the clock pass and the layers run
        work.prefetch_traces(runner.pool().submit, weights=values_matter and not fork)
    # the clock pass evaluates latencies only: the stored values enter it only when the
    # converter's latency reads the column resistances (else no weight trace is parsed and
    # no block gathered for it)
    clock_values = values_matter and chip.tile.pe.sub_array.latency_needs_resistance()

    # the circuits' leakage numbers after each clock-pass layer: where a layer evaluated
    # out of order starts (layer_leakage.predicted_starts)
    holders = layer_leakage.leakage_holders(chip) if fork else []
    calls = layer_leakage.PowerCalls(holders) if fork else None
    clock_log: list[Any] = []  # each clock-pass layer's numbers after it, what it wrote
    clk_period = 0.0
    if p.synchronous:
        for i in range(n):
            say(f"clock pass: layer {i + 1}/{n}")
            mem, inp, origin = data(i, clock_values)
            if calls is not None:
                before = layer_leakage.leakage_state(holders)
                calls.called.clear()
            r = chip.calculate_performance(i, mem, inp, True, origin)
            clk_period = max(clk_period, r.clk_period)
            if calls is not None:
                after = layer_leakage.leakage_state(holders)
                clock_log.append((after, layer_leakage.written_numbers(holders, before,
                                                                       after, calls)))
        if p.clk_freq > 1 / clk_period:
            p.clk_freq = 1 / clk_period

    # the part sets (a tile's and a PE's, conventional and novel-mapped) whose leakage a
    # layer may sum without evaluating it: each layer notes the ones it used
    groups = [(unit, nm) for unit in (chip.tile, chip.tile.pe) for nm in (False, True)]

    def main_layer(i: int) -> tuple[Perf, list[int]]:
        for unit, _ in groups:
            unit.parts_used.clear()
        mem, inp, origin = data(i)
        perf = chip.calculate_performance(i, mem, inp, False, origin)
        return perf, [g for g, (unit, nm) in enumerate(groups) if nm in unit.parts_used]

    outcomes: list[Any] = [None] * n
    if fork:
        runner.close()  # no thread may run while the process forks
        fork = (layer_workers.fork_usable(n, runner.threads)
                and layer_leakage.same_holders(layer_leakage.leakage_holders(chip), holders))
    # a layer evaluated out of order is kept when it started from the leakage numbers the
    # serial run leaves it (a unit it does not evaluate keeps an earlier layer's), else
    # it is evaluated again from them
    state = layer_leakage.leakage_state(holders)  # as the clock pass left them
    families: list[list[int]] = []
    if fork:
        families = layer_leakage.families_of(holders, [unit._parts(nm) for unit, nm in groups])
        cost = [layer_workers.layer_cost(r, int(p.num_bit_input)) for r in net]
        outcomes = layer_workers.evaluate_layers(
            main_layer, sorted(range(n), key=lambda i: -cost[i]), holders,
            layer_leakage.predicted_starts(clock_log, state, n), calls)
    registry: dict = {}
    perfs: list[Perf] = []
    for i in range(n):
        say(f"layer {i + 1}/{n}")
        done = outcomes[i]
        if done is not None and not layer_leakage.started_as_serial(done, state, families):
            layer_leakage.restore_state(holders, state)
            done = layer_workers.again(main_layer, i, done, holders, calls)
        if done is None:
            layer_leakage.restore_state(holders, state)
            r = main_layer(i)[0]
            state = layer_leakage.leakage_state(holders)
        else:  # evaluated out of order: its notices now, as the serial run tells them
            layer_workers.tell(done, registry)
            if done.error is not None:
                raise done.error
            r = done.perf[0]
            state = layer_leakage.state_after(done, state)
        if p.synchronous:
            for f in LATENCY_FIGS:
                r.scale(f, f"x clock period {clk_period:.6g} s", clk_period)
        perfs.append(r)
    if isinstance(say, _BarSink):
        say.finish()

    tiles = [fp.tiles(i) for i in range(n)]
    values: list[dict[str, float]] = []
    trees: list[dict[str, Contribution]] = []
    chip_vals = {f: 0.0 for f in PERF_FIGURES}
    chip_vals["leakage_energy"] = 0.0
    chip_vals["leakage_power"] = 0.0
    chip_trees: dict[str, list[Contribution]] = {f: [] for f in chip_vals}
    if not p.pipeline:
        for i, r in enumerate(perfs):
            other_tiles = 0.0
            for j in range(n):
                if j != i:
                    other_tiles += tiles[j]
            lat = r["read_latency"]
            leak_e = (other_tiles * r.leakage + tiles[i] * r.leakage_sram_in_use) * lat
            leak_p = tiles[i] * r.leakage
            v = dict(r.values)
            v["leakage_power"] = leak_p
            v["leakage_energy"] = leak_e
            t = {f: r.node(f) for f in PERF_FIGURES}
            t["leakage_power"] = _tile_leak_tree(r, tiles[i], f"layer {i + 1}")
            t["leakage_energy"] = total(f"layer {i + 1}", [
                Contribution(f"idle tiles of other layers ({other_tiles:g}) x read latency",
                             other_tiles * r.leakage * lat, [], "leaf"),
                Contribution(f"this layer's tiles in use ({tiles[i]:g}) x read latency",
                             tiles[i] * r.leakage_sram_in_use * lat, [], "leaf")])
            t["leakage_energy"].value = leak_e
            values.append(v)
            trees.append(t)
            for f in chip_vals:
                chip_vals[f] += v[f]
                chip_trees[f].append(_named(t[f], f"layer {i + 1}"))
        chip_t = {f: total("chip (sum over layers)", chip_trees[f]) for f in chip_vals}
        for f in chip_vals:
            chip_t[f].value = chip_vals[f]
        mode = "Layer-by-Layer Process"
    else:
        system_clock = 0.0
        leak_powers: list[float] = []
        leak_nodes: list[Contribution] = []
        final_clock = max(x["read_latency"] for x in perfs)
        for i, r in enumerate(perfs):
            lat = r["read_latency"]
            system_clock = max(system_clock, lat)
            clock_i = system_clock if ctx.bug(PIPELINE_LEAKAGE) else final_clock
            leak_powers.append(tiles[i] * (r.leakage * (clock_i - lat)
                                           + r.leakage_sram_in_use * lat) / clock_i)
            idle = Contribution(
                f"{tiles[i]:g} tiles idle {_div(clock_i - lat, clock_i):.4g} of the cycle",
                tiles[i] * r.leakage * (clock_i - lat) / clock_i,
                [_tile_leak_tree(r, tiles[i], "tiles (full leakage)")], "scale",
                _div(clock_i - lat, clock_i))
            busy = leaf(f"{tiles[i]:g} tiles in use {_div(lat, clock_i):.4g} of the cycle",
                        tiles[i] * r.leakage_sram_in_use * lat / clock_i)
            node = total(f"layer {i + 1}", [idle, busy])
            node.value = leak_powers[-1]
            leak_nodes.append(node)
        for i, r in enumerate(perfs):
            v = dict(r.values)
            v["leakage_power"] = leak_powers[i]
            v["leakage_energy"] = leak_powers[i] * system_clock
            t = {f: r.node(f) for f in PERF_FIGURES}
            t["leakage_power"] = leak_nodes[i]
            t["leakage_energy"] = Contribution(
                f"layer {i + 1}: average leakage power x pipeline cycle {system_clock:.6g} s",
                v["leakage_energy"], [t["leakage_power"]], "scale", system_clock)
            values.append(v)
            trees.append(t)
        maxed = set(LATENCY_FIGS)
        for f in chip_vals:
            if f == "read_latency":
                chip_vals[f] = system_clock
            elif f in maxed:
                m = 0.0
                for v in values:
                    m = max(m, v[f])
                chip_vals[f] = m
            else:
                s = 0.0
                for v in values:
                    s += v[f]
                chip_vals[f] = s
        chip_t = {}
        for f in chip_vals:
            nodes = [_named(t[f], f"layer {i + 1}") for i, t in enumerate(trees)]
            if f in maxed:
                chip_t[f] = Contribution("chip (slowest layer: pipeline stage)", chip_vals[f],
                                         nodes, "max")
            else:
                chip_t[f] = Contribution("chip (sum over layers)", chip_vals[f], nodes, "sum")
        mode = "Pipelined Process"

    layer_results = []
    for i in range(n):
        layer_results.append(LayerResult(i + 1, values[i], trees[i]))
    areas = {"area": area.area, "array": area.array, "ic": area.ic, "adc": area.adc,
             "accum": area.accum, "other": area.other, "empty": area.empty}
    chip_res = ChipResult(areas, chip_vals, chip_t)

    e_pj = chip_vals["read_dynamic_energy"] * 1e12 + chip_vals["leakage_energy"] * 1e12
    lat = chip_vals["read_latency"]
    tops_per_w = _div(num_computation, e_pj)
    if p.validated:
        tops_per_w = tops_per_w / p.zeta
    tops = _div(num_computation, lat * 1e12)
    perf = Performance(mode=mode, tops_per_w=tops_per_w, tops=tops, fps=_div(1.0, lat),
                       tops_per_mm2=_div(tops, area.area.value * 1e6),
                       num_computation=num_computation)
    floor = FloorplanResult(
        tiles_per_layer=fp.tiles_per_layer, speedup_per_layer=fp.speedup_per_layer,
        utilization_per_layer=list(fp.utilization_each_layer),
        chip_utilization=fp.chip_utilization, tile_size_cm=fp.desired_tile_size_cm,
        pe_size_cm=fp.desired_pe_size_cm, pe_size_nm=fp.desired_pe_size_nm,
        num_pe_nm=fp.num_pe_nm, novel_mapping=bool(p.novel_mapping),
        subarray_rows=p.num_row_sub_array, subarray_cols=p.num_col_sub_array,
        mark_nm=list(fp.mark_nm))
    return EstimateResult(floorplan=floor, clock_period_s=clk_period if p.synchronous else None,
                          layers=layer_results, chip=chip_res, performance=perf,
                          messages=messages)


def _progress_sink(progress: Any, steps: int) -> Progress:
    """``progress`` as a callable of one status text per layer evaluation. A plain
    callable is called as is; an object with ``advance(status=...)`` (the bar of
    :func:`neurosim.progress.progress_bar`) gets its total set to ``steps`` (layers x
    passes) and advances once per finished layer evaluation."""
    if progress is None:
        return lambda msg: None
    advance = getattr(progress, "advance", None)
    if advance is None:
        return progress
    if hasattr(progress, "set_total"):
        progress.set_total(steps)
    return _BarSink(advance)


class _BarSink:
    """Advances a progress bar by one step per finished layer evaluation: each status
    message announces the next layer, so the previous one is done."""

    def __init__(self, advance: Any) -> None:
        self._advance = advance
        self._current: str | None = None

    def __call__(self, msg: str) -> None:
        if self._current is not None:
            self._advance(status=self._current)
        self._current = msg

    def finish(self) -> None:
        if self._current is not None:
            self._advance(status=self._current)
            self._current = None


def _clamped_speed_up(net: Sequence[NetRow]) -> int:
    max_ifm = int(net[0][0])
    min_ifm = max_ifm
    for r in net:
        if r[3] != 1:
            min_ifm = min(min_ifm, int(r[0]))
    return max_ifm // min_ifm


def _div(a: float, b: float) -> float:
    """C++ double division (no exception on zero)."""
    if b == 0:
        if a == 0 or a != a:
            return float("nan")
        return float("inf") if a > 0 else float("-inf")
    return a / b


def _named(c: Contribution, name: str) -> Contribution:
    return Contribution(name, c.value, c.children, c.rule, c.factor)


def _tile_leak_tree(r: Perf, tiles: float, name: str) -> Contribution:
    child = [r.leakage_tree] if r.leakage_tree is not None else [leaf("tile", r.leakage)]
    return Contribution(name, tiles * r.leakage, child, "scale", tiles)


def estimate_from_files(network_csv: str | os.PathLike, weight_files: Sequence[str],
                        input_files: Sequence[str], config: Config,
                        progress: Progress | None = None,
                        blas_threads: int | None = None,
                        threads: int | None = None) -> EstimateResult:
    """:func:`estimate` on NeuroSim's files: the network CSV and one weight and one input
    trace per layer (matched by position, as NeuroSim's command line does). Weight values
    are parsed only when the cell's read model uses them (not for SRAM)."""
    from .context import build_context

    config = config.validate()
    ctx = build_context(config)
    p = ctx.param
    work = Workload.from_files(network_csv, weight_files, input_files,
                               num_bit_input=p.num_bit_input, weight_min=p.algo_weight_min,
                               weight_max=p.algo_weight_max, statistics_budget_bytes=0,
                               lazy_inputs=True)
    return estimate(config, work, progress=progress, ctx=ctx, blas_threads=blas_threads,
                    threads=threads)


class _LayerData:
    """The memory array, input bits and statistics origin of each layer for one
    configuration, taken from (and kept in) the workload's memo: the level tables and
    prepared bits are shared by both passes and by later configurations with the same
    mapping parameters / input bits."""

    def __init__(self, work: Workload, p: Any, values_matter: bool) -> None:
        self.work, self.p, self.values_matter = work, p, values_matter
        xnor = bool(p.xnor_parallel_mode or p.xnor_sequential_mode)
        self.inputs_params = (int(p.num_bit_input), xnor)
        self.cells_params = (int(p.synapse_bit), int(p.cell_bit), float(p.max_conductance),
                             float(p.min_conductance), float(p.algo_weight_max),
                             float(p.algo_weight_min), int(p.operationmode),
                             int(p.num_row_per_synapse), int(p.num_col_per_synapse), xnor)

    def __call__(self, i: int, values: bool = True) -> tuple[Any, np.ndarray, Origin]:
        """Layer ``i``'s memory, prepared inputs and origin; ``values=False``: a
        :class:`ShapeOnlyMemory` stands for the memory (for a pass that reads no stored
        value), and the origin names the cells as the full memory's does."""
        work, p, layer = self.work, self.p, self.work.layers[i]
        memo = work.memo
        inputs_key = (i,) + self.inputs_params
        cells_key = (i,) + self.cells_params if self.values_matter else None
        if self.values_matter and values:
            mem = memo.small(("memory",) + cells_key,
                             lambda: _prepare_memory(work.weight(i), layer, p, i))
        else:
            shape = (layer.weight_rows, layer.cout)
            w = work.weights[i]
            if not isinstance(w, WeightFile):
                shape = np.shape(w)
            mem = _prepare_memory(np.broadcast_to(np.float64(0), shape), layer, p, i, False)
        inp = memo.small(("inputs",) + inputs_key,
                         lambda: _prepare_inputs(work.input(i), layer, p, i))
        return mem, inp, Origin(inputs_key, cells_key, memo=memo)
