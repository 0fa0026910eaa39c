"""The shared inputs of a sweep: the traces (layer table, weight traces, input bits), built
once per distinct trace key and sent to each worker once.

A model's traces depend on the configuration only through the options in
:data:`TRACE_OPTIONS` (the network is built with ``quant_mode``, ``synapse_bits`` and
``input_bits`` and seeded with ``seed``; the weight range is checked against
``algo_weight_min/max``), so rows that agree on them share one capture. The capture is the
one ``neurosim estimate`` makes (:func:`neurosim.commands.common.prepare_from_options`,
through its trace cache); a trace set is read as ``neurosim compat`` reads it.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from ..config import Config
from ..errors import NeuroSimError

#: options the traces of a model depend on
TRACE_OPTIONS = ("seed", "quant_mode", "synapse_bits", "input_bits", "algo_weight_min",
                 "algo_weight_max")
#: options the traces read from a trace set depend on
FILE_TRACE_OPTIONS = ("input_bits", "algo_weight_min", "algo_weight_max")


@dataclass
class SharedInputs:
    """Everything the estimator needs besides the configuration: the engine's
    :class:`~neurosim.engine.workload.Workload` (its statistics memo starts empty in each
    worker and fills as the worker's rows ask for it) and the layer names.

    Pickled compactly for the trip to each worker (:meth:`__getstate__`): weight traces as
    the trace cache stores them (:func:`neurosim.trace_cache.encode_weights`: integer
    codes ``w * 2**(weight_bits-1)`` where exact, else float32 where exact, else as they
    are), 0/1 input bits packed eight to a byte (``numpy.packbits`` along the vectors).
    Both decode to the same arrays bit for bit (values, dtype, C or Fortran order), so a
    worker evaluates exactly what this process would; VGG8's 124 MB travel as about 16 MB.
    """

    key: str
    workload: Any  # neurosim.engine.workload.Workload
    layer_names: list[str] = field(default_factory=list)
    weight_bits: int = 8  # the synapse bits the traces were captured with

    def set_memo_budget(self, budget_bytes: int) -> None:
        """The statistics memo's budget for large statistics, here and in every worker
        this is sent to (``--memo-mb``)."""
        self.workload.memo.budget_bytes = int(budget_bytes)

    @property
    def nbytes(self) -> int:
        w = self.workload
        return int(sum(getattr(a, "nbytes", 0) for a in w.weights) +
                   sum(a.nbytes for a in w.inputs))

    def __getstate__(self) -> dict[str, Any]:
        packed = self.__dict__.get("_packed")  # encoded once, sent to every worker
        if packed is None or packed[0] is not self.workload:
            w = self.workload
            packed = self.__dict__["_packed"] = (w, {
                "key": self.key, "layer_names": self.layer_names,
                "weight_bits": self.weight_bits, "layers": w.layers,
                "weights": [_pack_weights(a, self.weight_bits) for a in w.weights],
                "inputs": [_pack_bits(a) for a in w.inputs]})
        return dict(packed[1], budget=self.workload.memo.budget_bytes)

    def __setstate__(self, state: dict[str, Any]) -> None:
        from ..engine.workload import Workload

        self.key, self.layer_names = state["key"], state["layer_names"]
        self.weight_bits = state["weight_bits"]
        self.workload = Workload(tuple(state["layers"]),
                                 tuple(_unpack_weights(p) for p in state["weights"]),
                                 tuple(_unpack_bits(p) for p in state["inputs"]),
                                 state["budget"])


def _order(a: np.ndarray) -> str | None:
    """'C' or 'F' for a contiguous array (C first), None for any other view."""
    if a.flags.c_contiguous:
        return "C"
    return "F" if a.flags.f_contiguous else None


def _pack_bits(a: Any) -> tuple:
    """``("bits", packed, shape, order)`` for a contiguous 2-D uint8 array of 0/1, else
    ``("raw", a)``."""
    if isinstance(a, np.ndarray) and a.dtype == np.uint8 and a.ndim == 2 and \
            _order(a) is not None and a.size and not (a > 1).any():
        return ("bits", np.packbits(a, axis=1), a.shape, _order(a))
    return ("raw", a)


def _unpack_bits(p: tuple) -> Any:
    if p[0] == "raw":
        return p[1]
    _, packed, shape, order = p
    bits = np.unpackbits(packed, axis=1, count=shape[1])
    return np.asfortranarray(bits) if order == "F" else bits


def _pack_weights(a: Any, bits: int) -> tuple:
    """``("enc", stored, how, negative zeros, order)`` for a contiguous float64 array (the
    trace cache's exact encoding), else ``("raw", a)`` (a weight file, a view, ...)."""
    from ..trace_cache import encode_weights

    if isinstance(a, np.ndarray) and a.dtype == np.float64 and _order(a) is not None:
        order = _order(a)
        stored, how, zeros = encode_weights(np.ascontiguousarray(a), bits)
        if stored is not a and how["encoding"] != "float64":
            return ("enc", stored, how, zeros, order)
    return ("raw", a)


def _unpack_weights(p: tuple) -> Any:
    from ..trace_cache import decode_weights

    if p[0] == "raw":
        return p[1]
    _, stored, how, zeros, order = p
    w = decode_weights(stored, how, zeros)
    return np.asfortranarray(w) if order == "F" else w


def trace_key(options: Mapping[str, Any], source: Mapping[str, Any]) -> str:
    """The key of the traces a row needs (a short readable string)."""
    names = FILE_TRACE_OPTIONS if "traces" in source else TRACE_OPTIONS
    return ",".join(f"{k}={options[k]!r}" for k in names)


def build_inputs(cfg: Config, source: Mapping[str, Any], spec_dir: Path,
                 use_cache: bool = True) -> SharedInputs:
    """Capture (or read) the traces for ``cfg``; NeuroSimError for inputs NeuroSim rejects.
    A registered network's capture goes through ``neurosim estimate``'s trace cache
    (:func:`neurosim.trace_cache.prepare_cached`: a hit is the same traces, bit for bit,
    loaded without torch) unless ``use_cache`` is false."""
    key = trace_key(cfg.to_dict(), source)
    if "traces" in source:
        return _read_trace_set(Path(source["traces"]), cfg, key)
    from ..trace_cache import prepare_cached

    model = source.get("model")
    if model:
        model = _relative_file(model, spec_dir)
    checkpoint = _checkpoint_path(source.get("checkpoint"), spec_dir)
    net_options = tuple(f"{k}={v}" for k, v in (source.get("net_options") or {}).items())
    run = prepare_cached(source.get("network"), model, checkpoint, source.get("data"),
                         int(source.get("batch", 1)), source.get("input_shape"), cfg,
                         net_options, use_cache=use_cache)
    from ..engine.workload import Workload

    cap = run.capture
    return SharedInputs(key, Workload.from_capture(cap), [layer.name for layer in cap.layers],
                        int(cfg.synapse_bits))


#: checkpoint names that are state-dict files (checked when the spec is read); others may
#: be what a network plugin loads itself (roberta-lora: a model folder or a hub id)
STATE_DICT_SUFFIXES = (".pth", ".pt", ".tar", ".ckpt")


def check_source_files(source: Mapping[str, Any], spec_dir: Path) -> None:
    """What every row shares, checked before any row runs (else each trace key's capture
    fails alike and every row is 'rejected'): the ``model`` function imports and takes no
    checkpoint, net_options or data set; a state-dict ``checkpoint`` loads; a network
    takes the data set and the input shape; a ``traces`` set's files exist."""
    if source.get("model"):
        _check_model_source(source, spec_dir)
    if source.get("network"):
        _check_network_source(source)
    checkpoint = _checkpoint_path(source.get("checkpoint"), spec_dir)
    if checkpoint and checkpoint.lower().endswith(STATE_DICT_SUFFIXES):
        from ..networks import load_state_dict_file

        load_state_dict_file(checkpoint)  # missing, a folder, not a state dict: named
    if source.get("traces"):
        _check_trace_set(Path(source["traces"]))


def _check_model_source(source: Mapping[str, Any], spec_dir: Path) -> None:
    from ..nn.pipeline import load_model_function

    for key in ("checkpoint", "net_options"):
        if source.get(key):
            raise NeuroSimError(f"{key} applies to network = NAME; a model function loads "
                                "its own weights")
    if not str(source.get("data", "random:1")).startswith("random:"):
        raise NeuroSimError(f"data = {source['data']!r}: a model takes random inputs only "
                            "(random:N); build real inputs into the function's return value")
    load_model_function(_relative_file(source["model"], spec_dir))


def _check_network_source(source: Mapping[str, Any]) -> None:
    from ..datasets import check_compatible, network_input, parse_data
    from ..networks import get_network

    net = get_network(source["network"])
    shape = source.get("input_shape")
    if shape and tuple(int(v) for v in shape.replace("x", ",").split(",") if v.strip()) \
            != tuple(net.input_shape):
        raise NeuroSimError(f"input_shape = {shape!r}: network {net.name} takes inputs of "
                            f"shape {','.join(map(str, net.input_shape))}; input_shape is for "
                            "model functions that return only the model")
    check_compatible(network_input(net, source.get("net_options")),
                     parse_data(source.get("data"), int(source.get("batch", 1))))


def _check_trace_set(directory: Path) -> None:
    from ..engine.traces import read_network_csv

    net, wfiles, xfiles = trace_files(directory)
    missing = [f for f in (net, *wfiles, *xfiles) if not f.is_file()]
    if missing:
        raise NeuroSimError(f"traces {directory}: {missing[0].name} (named by "
                            "trace_command.sh) is missing")
    n = len(read_network_csv(net))
    if len(wfiles) < n:
        raise NeuroSimError(f"traces {directory}: {net.name} has {n} layers, but "
                            f"trace_command.sh names {len(wfiles)} weight/input pairs")


def _checkpoint_path(checkpoint: str | None, spec_dir: Path) -> str | None:
    """A relative ``checkpoint`` next to the spec when it is there, else as given."""
    if checkpoint and not Path(checkpoint).is_absolute() and (spec_dir / checkpoint).exists():
        return str(spec_dir / checkpoint)
    return checkpoint


def _relative_file(model_ref: str, spec_dir: Path) -> str:
    """``file.py:function`` relative to the spec's folder when the file is there."""
    mod, sep, func = model_ref.rpartition(":")
    if sep and mod.endswith(".py") and not Path(mod).is_absolute() and \
            (spec_dir / mod).is_file():
        return f"{spec_dir / mod}:{func}"
    return model_ref


def trace_files(directory: Path) -> tuple[Path, list[Path], list[Path]]:
    """The network CSV and the weight/input files of a trace set, in the order of its
    ``trace_command.sh`` (what ``neurosim traces export`` writes)."""
    script = directory / "trace_command.sh"
    if not script.is_file():
        raise NeuroSimError(f"traces {directory}: no trace_command.sh (write the set with "
                            "`neurosim traces export DIR`)")
    exec_lines = [ln for ln in script.read_text().splitlines() if ln.startswith("exec ")]
    if not exec_lines:
        raise NeuroSimError(f"{script}: no 'exec neurosim compat ...' line")
    args = shlex.split(exec_lines[-1])[1:]
    if len(args) < 2 or args[1] != "compat":
        raise NeuroSimError(f"{script}: the exec line does not run neurosim compat")
    positional: list[str] = []
    rest = args[2:]
    i = 0
    while i < len(rest):
        if rest[i] == "--param":
            i += 2
            continue
        if rest[i] != "$@":
            positional.append(rest[i])
        i += 1
    files = positional[5:]
    if len(positional) < 7 or len(files) % 2:
        raise NeuroSimError(f"{script}: expected NETWORK.csv, four numbers and weight/input "
                            "file pairs")
    return (directory / positional[0], [directory / f for f in files[0::2]],
            [directory / f for f in files[1::2]])


def _read_trace_set(directory: Path, cfg: Config, key: str) -> SharedInputs:
    """The set's files as ``neurosim compat`` reads them (weights parsed when used)."""
    from ..engine.workload import Workload

    net, wfiles, xfiles = trace_files(directory)
    work = Workload.from_files(net, [str(f) for f in wfiles], [str(f) for f in xfiles],
                               num_bit_input=cfg.input_bits, weight_min=cfg.algo_weight_min,
                               weight_max=cfg.algo_weight_max)
    return SharedInputs(key, work, [f.stem.removeprefix("weight") for f in
                                    wfiles[:len(work.layers)]])
