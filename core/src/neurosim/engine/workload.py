"""The traces an estimate runs on, and the statistics of them that many configurations share.

A :class:`Workload` holds a network's layer table, its weight traces (rows ``cin*kh*kw`` x
``cout``, algorithm values) and its input bit traces (rows ``cin*kh*kw`` x vectors*input
bits). It is what :func:`neurosim.engine.flow.estimate` evaluates::

    from neurosim.config import load_config
    from neurosim.engine.flow import estimate
    from neurosim.engine.workload import Workload

    work = Workload.from_files("NetWork.csv", ["weight1.csv", ...], ["input1.csv", ...],
                               num_bit_input=8)
    for node in (22, 7):                 # the trace statistics are computed once
        res = estimate(load_config(overrides={"technode": node}), work)

Config-independent work is split from config-dependent work: the parsed traces, the bits a
configuration reads, the level tables of its memory arrays and the per-subarray trace
statistics (activated rows of every input vector, the distinct vectors, and for eNVM cells
the column conductances ``inputs^T @ G_eff``) are computed lazily, the first time a
configuration asks for them, and kept in the workload's :class:`StatisticsMemo`, keyed by
everything they depend on (array geometry, bit widths, the cell conductances and wire
resistances of the column model). A later configuration with the same key reuses them: the
result is bit-identical to a fresh evaluation because the same values enter the same
arithmetic. Small statistics (row counts, distinct vectors, prepared inputs, level tables)
are kept unconditionally; the large ones (column resistances, vectors x columns per
subarray) within ``statistics_budget_bytes``, least recently used first out.

A workload pickles cheaply (numpy arrays and file names, no closures): the memo is not
pickled, so a worker process starts with an empty one (``Workload.__getstate__``). Weight
traces read from files are parsed on first use only: a configuration whose cell read model
ignores the stored values (SRAM) never parses them (their shape is still checked). The
input traces of a single estimate on files (``from_files(lazy_inputs=True)``) are parsed on
first use too; an estimate with engine threads parses both kinds ahead of their layers
(:meth:`Workload.prefetch_traces`, :mod:`neurosim.engine.threads`).
"""

from __future__ import annotations

import os
import stat
from collections import OrderedDict
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from ..errors import InputFileError, NeuroSimError
from .traces import (LayerSpec, read_input_trace, read_network_csv, read_weight_trace,
                     weights_and_notice)

#: default memory for the large statistics (column resistances) kept for reuse
DEFAULT_STATISTICS_BUDGET_BYTES = 256 * 2 ** 20


@dataclass(frozen=True)
class WeightFile:
    """A weight trace not parsed yet: ``path``, the layer it belongs to and the algorithm
    range its values must lie in (:func:`~neurosim.engine.traces.read_weight_trace`)."""

    path: str
    layer: LayerSpec
    weight_min: float = -1.0
    weight_max: float = 1.0

    def load(self) -> np.ndarray:
        """The parsed, validated weights (float64, ``cin*kh*kw`` x ``cout``)."""
        return read_weight_trace(self.path, self.layer, weight_min=self.weight_min,
                                 weight_max=self.weight_max)

    def load_quietly(self) -> tuple[np.ndarray, str | None]:
        """:meth:`load`'s weights and its out-of-range notice, not printed."""
        return weights_and_notice(self.path, self.layer, weight_min=self.weight_min,
                                  weight_max=self.weight_max)

    def check_shape(self) -> None:
        """Raise :class:`InputFileError` unless the file holds ``cin*kh*kw`` lines of
        ``cout`` values; reads the first line and the size only when the file has the
        wrapper's fixed ``'%10.5f'`` layout (otherwise it is parsed)."""
        rows, cols = self.layer.weight_rows, self.layer.cout
        path = Path(self.path)
        try:
            st = path.stat()
            if not stat.S_ISREG(st.st_mode):  # a pipe or a device: parsed (read once, by
                self.load()                   # files.read_bytes, never blocking on a FIFO)
                return
            size = st.st_size
            with open(path, "rb") as f:
                head = f.read(11 * cols + 1)
        except OSError as exc:
            raise InputFileError(path, f"cannot read weight trace: {exc.strerror}") from None
        line = head.split(b"\n", 1)[0]
        fixed = (len(line) == 11 * cols - 1 and line.count(b",") == cols - 1
                 and len(head) > len(line))
        if not (fixed and size == 11 * cols * rows):
            self.load()  # any other spelling, or a wrong shape: parse it for the message


@dataclass(frozen=True)
class InputFile:
    """An input trace not parsed yet: ``path``, its layer and the bits per vector
    (:func:`~neurosim.engine.traces.read_input_trace`)."""

    path: str
    layer: LayerSpec
    num_bit_input: int = 8

    def load(self) -> np.ndarray:
        """The input bits (uint8 0/1, ``cin*kh*kw`` x vectors*bits)."""
        return read_input_trace(self.path, self.layer, self.num_bit_input)

    def load_quietly(self) -> tuple[np.ndarray, None]:
        """:meth:`load` with no notice (the prefetch's protocol, see
        :meth:`Workload.prefetch_traces`)."""
        return self.load(), None


@dataclass(frozen=True, eq=False)
class Workload:
    """Layers, weight traces and input bit traces of one network (see the module doc).

    ``weights[i]`` is a float64 array or a :class:`WeightFile` (parsed on first use, see
    :meth:`weight`); ``inputs[i]`` a uint8 0/1 array or an :class:`InputFile` (see
    :meth:`input`). Build with :meth:`from_arrays`, :meth:`from_files` or
    :meth:`from_capture`.
    """

    layers: tuple[LayerSpec, ...]
    weights: tuple[Any, ...]
    inputs: tuple[Any, ...]
    statistics_budget_bytes: int = DEFAULT_STATISTICS_BUDGET_BYTES
    memo: StatisticsMemo = field(init=False, repr=False, compare=False)
    _prefetch: dict[tuple[str, int], Future] = field(init=False, repr=False,
                                                     compare=False)

    def __post_init__(self) -> None:
        n = len(self.layers)
        if len(self.weights) < n or len(self.inputs) < n:
            raise NeuroSimError(f"the network has {n} layers but {len(self.weights)} weight "
                                f"and {len(self.inputs)} input traces were given; each layer "
                                "needs both")
        object.__setattr__(self, "memo", StatisticsMemo(self.statistics_budget_bytes))
        object.__setattr__(self, "_prefetch", {})

    # -- constructors ---------------------------------------------------------------------
    @classmethod
    def from_arrays(cls, layers: Sequence[LayerSpec], weights: Sequence[Any],
                    inputs: Sequence[np.ndarray], *,
                    statistics_budget_bytes: int = DEFAULT_STATISTICS_BUDGET_BYTES
                    ) -> Workload:
        """A workload of in-memory traces (arrays are kept, not copied)."""
        return cls(tuple(layers), tuple(weights), tuple(np.asarray(x) for x in inputs),
                   statistics_budget_bytes)

    @classmethod
    def from_files(cls, network_csv: str | os.PathLike, weight_files: Sequence[str],
                   input_files: Sequence[str], *, num_bit_input: int = 8,
                   weight_min: float = -1.0, weight_max: float = 1.0,
                   statistics_budget_bytes: int = DEFAULT_STATISTICS_BUDGET_BYTES,
                   lazy_inputs: bool = False) -> Workload:
        """NeuroSim's files: the network CSV and one weight and one input trace per layer
        (matched by position, as NeuroSim's command line does). Input traces are read and
        checked now (``num_bit_input`` bits per vector), or when first used with
        ``lazy_inputs`` (one estimate on the files: see :meth:`prefetch_traces`); weight
        traces when first used."""
        layers = read_network_csv(network_csv)
        n = len(layers)
        if len(weight_files) < n or len(input_files) < n:
            raise NeuroSimError(f"{network_csv}: the network has {n} layers, but "
                                f"{min(len(weight_files), len(input_files))} weight/input "
                                f"trace pairs were given; NeuroSim needs one weight and one "
                                f"input file per layer")
        weights = tuple(WeightFile(str(weight_files[i]), layer, weight_min, weight_max)
                        for i, layer in enumerate(layers))
        if lazy_inputs:
            inputs: tuple[Any, ...] = tuple(InputFile(str(input_files[i]), layer, num_bit_input)
                                            for i, layer in enumerate(layers))
        else:
            inputs = tuple(read_input_trace(input_files[i], layer, num_bit_input)
                           for i, layer in enumerate(layers))
        return cls(tuple(layers), weights, inputs, statistics_budget_bytes)

    @classmethod
    def from_capture(cls, capture: Any, **kw: Any) -> Workload:
        """The traces of a captured model (:class:`neurosim.nn.capture.NetworkCapture`, or
        anything with ``specs``, ``weights`` and ``inputs``)."""
        return cls.from_arrays(capture.specs, capture.weights, capture.inputs, **kw)

    # -- access ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.layers)

    def weight(self, i: int) -> np.ndarray:
        """Layer ``i``'s weights as an array (a :class:`WeightFile` is parsed once, by
        :meth:`prefetch_traces`'s threads when they have started to)."""
        w = self.weights[i]
        if not isinstance(w, WeightFile):
            return w
        return self.memo.small(("weights", i), lambda: self._parsed(("weights", i), w))

    def input(self, i: int) -> np.ndarray:
        """Layer ``i``'s input bits as an array (an :class:`InputFile` is parsed once, as
        :meth:`weight` parses a weight trace)."""
        x = self.inputs[i]
        if not isinstance(x, InputFile):
            return x
        return self.memo.small(("input-bits", i), lambda: self._parsed(("input-bits", i), x))

    def _parsed(self, key: tuple[str, int], trace: WeightFile | InputFile) -> np.ndarray:
        """A trace's values, from the prefetch when there is one; its notice printed now
        (so the notices come in the order the layers are used)."""
        pending = self._prefetch.pop(key, None)
        if pending is None or pending.cancel():  # none, or not started yet: parse it here
            return trace.load()
        values, notice = pending.result()  # its parse error is raised here
        if notice:
            from ..held_notices import say

            say(notice)
        return values

    def prefetch_traces(self, submit: Callable[[Callable[[], Any]], Future],
                        weights: bool = True) -> None:
        """Start parsing every trace file not parsed yet (``submit``: a thread pool's): the
        input traces, then (``weights``) the weight traces, one task per file in layer
        order; :meth:`input` and :meth:`weight` then wait for theirs."""
        todo: list[tuple[tuple[str, int], Any]] = [
            (("input-bits", i), x) for i, x in enumerate(self.inputs[:len(self.layers)])
            if isinstance(x, InputFile)]
        if weights:
            todo += [(("weights", i), w) for i, w in enumerate(self.weights[:len(self.layers)])
                     if isinstance(w, WeightFile)]
        for key, trace in todo:
            if key not in self._prefetch and not self.memo.has(key):
                self._prefetch[key] = submit(trace.load_quietly)

    def drop_prefetch(self) -> None:
        """Cancel the parses not started and forget those not used (after an estimate)."""
        for pending in self._prefetch.values():
            pending.cancel()
        self._prefetch.clear()

    def check_weight_shapes(self) -> None:
        """Check every weight trace's shape without parsing values where avoidable."""
        for i, w in enumerate(self.weights[:len(self.layers)]):
            if isinstance(w, WeightFile):
                self.memo.small(("weight-shape", i), lambda w=w: w.check_shape() or True)

    # -- pickling: the memo stays behind ---------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        return {"layers": self.layers, "weights": self.weights, "inputs": self.inputs,
                "statistics_budget_bytes": self.statistics_budget_bytes}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            object.__setattr__(self, k, v)
        object.__setattr__(self, "memo", StatisticsMemo(self.statistics_budget_bytes))
        object.__setattr__(self, "_prefetch", {})


class StatisticsMemo:
    """Lazily computed statistics of a workload, keyed by what they depend on.

    ``small(key, compute)``: kept for the workload's lifetime (row counts, distinct
    vectors, prepared inputs, level tables). ``large(key, compute)``: kept within
    ``budget_bytes`` (least recently used dropped first); a value larger than the budget
    is returned without being kept. ``hits`` / ``misses`` count lookups (for tests and
    benchmarks).
    """

    def __init__(self, budget_bytes: int = DEFAULT_STATISTICS_BUDGET_BYTES) -> None:
        self.budget_bytes = int(budget_bytes)
        self._small: dict[Any, Any] = {}
        self._large: OrderedDict[Any, np.ndarray] = OrderedDict()
        self._large_bytes = 0
        self.hits = 0
        self.misses = 0

    def has(self, key: Any) -> bool:
        """Whether ``small(key, ...)`` would find its value (not counted as a lookup)."""
        return key in self._small

    def first(self, key: Any) -> bool:
        """True the first time ``key`` is asked for, then False (not counted as a lookup)."""
        if key in self._small:
            return False
        self._small[key] = True
        return True

    def small(self, key: Any, compute: Callable[[], Any]) -> Any:
        try:
            value = self._small[key]
        except KeyError:
            self.misses += 1
            value = self._small[key] = compute()
            return value
        self.hits += 1
        return value

    def large(self, key: Any, compute: Callable[[], np.ndarray]) -> np.ndarray:
        value = self.get_large(key)
        if value is None:
            value = compute()
            self.put_large(key, value)
        return value

    def get_large(self, key: Any) -> np.ndarray | None:
        """The kept value of ``key`` (counted as a hit), or None (a miss)."""
        value = self._large.get(key)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        self._large.move_to_end(key)
        return value

    def put_large(self, key: Any, value: np.ndarray) -> None:
        """Keep ``value`` within the budget (dropping the least recently used)."""
        size = int(getattr(value, "nbytes", 0))
        if size > self.budget_bytes or key in self._large:
            return
        self._large[key] = value
        self._large_bytes += size
        while self._large_bytes > self.budget_bytes:
            _, old = self._large.popitem(last=False)
            self._large_bytes -= int(old.nbytes)

    @property
    def large_bytes(self) -> int:
        """Bytes held by the large statistics now."""
        return self._large_bytes

    def clear_large(self) -> None:
        """Drop the large statistics only (a sweep moving to another column model)."""
        self._large.clear()
        self._large_bytes = 0

    def clear(self) -> None:
        self._small.clear()
        self._large.clear()
        self._large_bytes = 0
