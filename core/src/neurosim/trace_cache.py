"""Trace cache: the captured workload of ``neurosim estimate --network NAME``, stored once
and reused across processes (issue 11).

Building a network and tracing its forward pass needs torch (``import torch`` alone costs
1-3 CPU-s) and does not depend on the hardware configuration. So the capture -- layer
table, weight traces, input-bit traces, digital products, unmapped layers, provenance
lines -- is written to one ``.npz`` file per capture under the cache folder
(``$NEUROSIM_CACHE_DIR``, default ``~/.cache/neurosim/traces``) and read back by later runs
**without importing torch**. A cached run gives bit-identical figures to a cold one
(``tests/test_trace_cache.py``).

Key
---
The file name holds the SHA-256 of everything the capture depends on
(:func:`capture_key`): the network's canonical name and its plugin's distribution and
version; a SHA-256 of the plugin package's ``.py`` files and of the core capture code
(``neurosim.nn``, ``neurosim.networks``, ``neurosim.datasets``, this module), so an edited
checkout never reuses stale traces; the core version, the versions of the libraries in
:data:`LIBRARIES` (torch, numpy, torchvision, transformers, peft, scikit-learn) and the
machine type; the checkpoint's path as given (the report prints it) and the file's SHA-256
and size (or none: the seed makes the weights); ``seed``, ``quant_mode``,
``synapse_bits``, ``input_bits``; the data spec (kind, path, ``--batch`` count, split,
fields) with the size and modification time of every file of a data-set path;
``--input-shape`` and ``--net-option`` values (a value naming a file: its SHA-256). The
key is also stored inside the file and compared on load.

Not cached (always traced afresh): ``--model module:function`` (user code), a checkpoint
that is not a regular file (a model folder or hub id), a ``--net-option`` string that is
not a file, data-set paths with more than :data:`MAX_DATA_FILES` files.
``algo_weight_min/max`` is not in the key: the range check runs on every load.

File
----
Uncompressed ``.npz`` (``numpy.load(allow_pickle=False)``; each member's CRC-32 is checked
as it is read): ``meta`` (UTF-8 JSON: format, key, run provenance, layer records),
``w{i}`` the weights of layer ``i`` (int8/int16 codes ``w * 2**(bits-1)`` where that is
exact, with ``z{i}`` the positions of its -0.0 values, else float32 where exact, else
float64; decoded as ``codes / 2**(bits-1)`` in float64, equal bit for bit), ``x{i}`` its
input bits packed along the columns with ``numpy.packbits``. Writes go to a temporary
file in the same folder and are moved in place with ``os.replace`` (readers see a whole
file or none). A file that cannot be read (truncated, corrupt, another format) is ignored
with a notice on stderr, traced afresh and rewritten. Files are pruned oldest-first (by
last use) when the folder exceeds ``$NEUROSIM_CACHE_MAX_MB`` (default 2048 MB).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import platform
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

from .errors import NeuroSimError

#: environment variable naming the cache folder
ENV_DIR = "NEUROSIM_CACHE_DIR"
#: environment variable bounding the folder's size (MB)
ENV_MAX_MB = "NEUROSIM_CACHE_MAX_MB"
DEFAULT_MAX_MB = 2048
#: bumped whenever the file layout changes (old files are then simply not found)
FORMAT = 1
#: data-set paths with more files than this are not fingerprinted (not cached)
MAX_DATA_FILES = 256
#: temporary files older than this (seconds) are leftovers of a killed writer
STALE_TMP_S = 3600.0


def cache_dir() -> Path:
    """``$NEUROSIM_CACHE_DIR``, else ``~/.cache/neurosim/traces``."""
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "neurosim" / "traces"


# -- key ------------------------------------------------------------------------------------

def max_bytes() -> float:
    """``$NEUROSIM_CACHE_MAX_MB`` in bytes (default 2048 MB); a value that is not a number
    >= 0 is an error (before: 'abc' and 'nan' were ignored silently, -5 pruned every file)."""
    text = os.environ.get(ENV_MAX_MB, "").strip()
    if not text:
        return DEFAULT_MAX_MB * 1e6
    try:
        mb = float(text)
    except ValueError:
        mb = math.nan
    if not (math.isfinite(mb) and mb >= 0):
        from .errors import NeuroSimError

        raise NeuroSimError(f"{ENV_MAX_MB}={text!r}: expected a number of megabytes >= 0 "
                            f"(the trace cache's size bound; default {DEFAULT_MAX_MB})")
    return mb * 1e6


def _file_sha256(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _sources_sha256(paths: list[Path]) -> str:
    """SHA-256 over the names and contents of ``paths`` (sorted)."""
    h = hashlib.sha256()
    for p in sorted(set(paths)):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def _core_sources() -> list[Path]:
    here = Path(__file__).resolve().parent
    return [here / "trace_cache.py", here / "networks.py",
            *sorted((here / "nn").glob("*.py")), *sorted((here / "datasets").glob("*.py"))]


def _package_sources(obj: Any) -> list[Path]:
    """The ``.py`` files of the top-level package that defines ``obj`` (a network
    factory); only its own file for a top-level module (never a whole site-packages)."""
    name = getattr(obj, "__module__", "") or ""
    top = sys.modules.get(name.partition(".")[0])
    if top is None:
        return []
    folders = list(getattr(top, "__path__", None) or [])
    if folders:
        return sorted(p for folder in folders for p in Path(folder).resolve().rglob("*.py"))
    file = getattr(top, "__file__", None)
    return [Path(file).resolve()] if file else []


#: libraries whose version can change a capture (random init, data loading, HF models)
LIBRARIES = ("torch", "numpy", "torchvision", "transformers", "peft", "scikit-learn")


def _norm(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def _versions(dists: tuple[str, ...]) -> dict[str, str | None]:
    """Installed versions of ``dists``, each from the first ``<name>-<version>.dist-info``
    folder on ``sys.path`` (what ``importlib.metadata`` finds first, without importing
    it: start-up cost); None where not installed."""
    want = {_norm(d): d for d in dists}
    found: dict[str, str | None] = {}
    for path in sys.path:
        try:
            entries = os.listdir(path or ".")
        except OSError:
            continue
        for entry in entries:
            if entry.endswith(".dist-info"):
                name, _, version = entry[:-len(".dist-info")].partition("-")
                dist = want.get(_norm(name))
                if dist is not None and version and dist not in found:
                    found[dist] = version
    return {d: found.get(d) for d in dists}


def _version(dist: str) -> str | None:
    """The installed version of ``dist`` (:func:`_versions`)."""
    return _versions((dist,))[dist]


def _data_fingerprint(data: Any) -> list | None:
    """Size and modification time of each file of a data-set path (None: too many files
    or not a path: not cacheable)."""
    if data.kind == "random":
        return []
    if data.kind == "digits":  # bundled with scikit-learn (its version is in the key)
        return []
    root = Path(data.path)
    if root.is_file():
        st = root.stat()
        return [[str(root.resolve()), st.st_size, st.st_mtime_ns]]
    if not root.is_dir():
        return None
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            p = Path(dirpath) / name
            st = p.stat()
            out.append([str(p.relative_to(root)), st.st_size, st.st_mtime_ns])
            if len(out) > MAX_DATA_FILES:
                return None
    return [str(root.resolve()), out]


def capture_key(cfg: Any, network: str | None, model_ref: str | None,
                checkpoint: str | None, data: str | None, batch: int,
                input_shape: str | None, net_options: tuple[str, ...]) -> dict | None:
    """The fields a capture depends on (module docstring), or None when the run is not
    cacheable. Raises nothing for bad input: the uncached path then reports it."""
    if network is None or model_ref is not None:
        return None
    try:
        from .commands.common import parse_net_options
        from .datasets import parse_data
        from .plugins import get_registry

        entry = get_registry().entry("network", network)
        spec = entry.obj
        data_spec = parse_data(data, batch)
        options = parse_net_options(net_options)
        fingerprint = _data_fingerprint(data_spec)
        if fingerprint is None:
            return None
        opts: dict[str, Any] = {}
        for k, v in sorted(options.items()):
            if isinstance(v, str):
                if not os.path.isfile(v):
                    return None  # a folder or hub id: content not known here
                v = {"file_sha256": _file_sha256(v)}
            opts[k] = v
        ckpt = None
        if checkpoint:
            if not os.path.isfile(checkpoint):
                return None
            # the path as given is in the report's provenance line ("Weights: checkpoint
            # PATH"), so it is part of the key next to the content
            ckpt = {"path": checkpoint, "sha256": _file_sha256(checkpoint),
                    "size": os.path.getsize(checkpoint)}
        from . import __version__

        return {
            "format": FORMAT,
            "core": __version__,
            "core_sources": _sources_sha256(_core_sources()),
            "network": spec.name,
            "plugin": [entry.distribution, entry.version],
            "plugin_sources": _sources_sha256(_package_sources(spec.factory)),
            "libraries": _versions(LIBRARIES),
            "machine": platform.machine(),
            "checkpoint": ckpt,
            "seed": int(cfg.seed),
            "quant_mode": str(cfg.quant_mode),
            "synapse_bits": int(cfg.synapse_bits),
            "input_bits": int(cfg.input_bits),
            "data": dataclasses.asdict(data_spec),
            "data_files": fingerprint,
            "input_shape": input_shape,
            "net_options": opts,
        }
    except (NeuroSimError, OSError, ValueError, TypeError):
        return None


def key_path(key: dict) -> Path:
    """``<cache dir>/<network>-<sha256 of the key, 32 hex digits>.npz``."""
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:32]
    name = "".join(c if c.isalnum() or c in "-_" else "_" for c in str(key["network"]))
    return cache_dir() / f"{name}-{digest}.npz"


# -- weights encoding -----------------------------------------------------------------------

def encode_weights(w: np.ndarray, bits: int) -> tuple[np.ndarray, dict, np.ndarray | None]:
    """The smallest exact stored form of a weight trace (module docstring), how to decode
    it, and the flat positions of its negative zeros (integer codes have no -0; ``Q``
    gives -0.0 for small negative weights); :func:`decode_weights` of the three equals
    ``w`` bit for bit.

    Integer codes: ``t = w * 2**(bits-1)`` is exact (a power-of-two scale >= 1 neither
    underflows nor rounds; an overflow gives inf, which no code equals), so ``codes == t``
    everywhere means ``codes / 2**(bits-1) == w`` up to the sign of zeros."""
    w = np.asarray(w)
    if w.dtype == np.float64 and 1 <= bits <= 16:
        scale = float(2 ** (bits - 1))
        t = w * scale
        for dtype in (np.int8, np.int16):
            with np.errstate(invalid="ignore"):  # out-of-range values: caught by the compare
                codes = t.astype(dtype)
            if np.array_equal(codes, t):
                neg_zeros = np.flatnonzero(np.signbit(t) & (codes == 0))
                return codes, {"encoding": np.dtype(dtype).name, "scale": scale}, neg_zeros
        del t
    if w.dtype == np.float64:
        stored = w.astype(np.float32)
        if np.array_equal(stored, w):  # float32 keeps the sign of zeros
            return stored, {"encoding": "float32"}, None
    return w, {"encoding": w.dtype.name}, None


def decode_weights(stored: np.ndarray, how: dict,
                   neg_zeros: np.ndarray | None = None) -> np.ndarray:
    """float64 weights from :func:`encode_weights`' form (``codes / scale``, exact for a
    power-of-two scale; ``neg_zeros`` set to -0.0)."""
    enc = how["encoding"]
    if enc in ("int8", "int16"):
        out = stored.astype(np.float64)
        out /= how["scale"]
        if neg_zeros is not None and neg_zeros.size:
            out.reshape(-1)[neg_zeros] = -0.0
        return out
    if enc == "float32":
        return stored.astype(np.float64)
    return stored


# -- store / load ---------------------------------------------------------------------------

def _layer_meta(layer: Any, how: dict) -> dict:
    return {"name": layer.name, "path": layer.path, "kind": layer.kind,
            "spec": list(dataclasses.astuple(layer.spec)), "weight_bits": layer.weight_bits,
            "input_bits_n": layer.input_bits_n, "out_channels": layer.out_channels,
            "groups": layer.groups, "weights": {**how, "shape": list(layer.weights.shape)},
            "inputs_shape": list(layer.input_bits.shape)}


def store(path: Path, key: dict, run: Any) -> None:
    """Write ``run`` (a :class:`~neurosim.nn.records.PreparedRun`) to ``path`` atomically
    (temporary file in the same folder, then ``os.replace``)."""
    cap = run.capture
    arrays: dict[str, np.ndarray] = {}
    layers = []
    for i, layer in enumerate(cap.layers):
        stored, how, neg_zeros = encode_weights(layer.weights, layer.weight_bits)
        arrays[f"w{i}"] = stored
        if neg_zeros is not None:
            arrays[f"z{i}"] = neg_zeros
        bits = np.asarray(layer.input_bits, dtype=np.uint8)
        arrays[f"x{i}"] = np.packbits(bits, axis=1)
        layers.append(_layer_meta(layer, how))
    meta = {
        "format": FORMAT, "key": key,
        "run": {"name": run.name, "wrapper_name": run.wrapper_name,
                "weights_source": run.weights_source, "inputs_source": run.inputs_source,
                "notes": list(run.notes)},
        "batch": cap.batch,
        "digital": [{"op": d.op, "ops_per_item": d.ops_per_item,
                     "shapes": [list(s) for s in d.shapes]} for d in cap.digital],
        "unmapped": [dataclasses.asdict(u) for u in cap.unmapped],
        "layers": layers,
    }
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def load(path: Path, key: dict) -> Any:
    """The :class:`~neurosim.nn.records.PreparedRun` stored at ``path``; raises on any
    problem (caller: :func:`prepare_cached`)."""
    from .engine.traces import LayerSpec
    from .nn.records import (CapturedLayer, DigitalOp, NetworkCapture, PreparedRun,
                             UnmappedLayer)

    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(z["meta"].tobytes().decode())
        if meta.get("format") != FORMAT or meta.get("key") != key:
            raise ValueError("it was written for another capture or format")
        layers = []
        for i, m in enumerate(meta["layers"]):
            w = decode_weights(z[f"w{i}"], m["weights"],
                               z[f"z{i}"] if f"z{i}" in z.files else None)
            rows, cols = m["inputs_shape"]
            x = np.unpackbits(z[f"x{i}"], axis=1, count=cols)
            if list(w.shape) != m["weights"]["shape"] or x.shape != (rows, cols):
                raise ValueError(f"layer {i}: stored arrays have the wrong shape")
            spec = m["spec"]
            layers.append(CapturedLayer(m["name"], m["path"], m["kind"],
                                        LayerSpec(*spec[:6], bool(spec[6]), spec[7]), w, x,
                                        int(m["weight_bits"]), int(m["input_bits_n"]),
                                        int(m["out_channels"]), int(m["groups"])))
    digital = [DigitalOp(d["op"], float(d["ops_per_item"]),
                         tuple(tuple(s) for s in d["shapes"])) for d in meta["digital"]]
    unmapped = [UnmappedLayer(**u) for u in meta["unmapped"]]
    cap = NetworkCapture(layers, digital, None, int(meta["batch"]), unmapped)
    r = meta["run"]
    return PreparedRun(r["name"], r["wrapper_name"], cap, r["weights_source"],
                       r["inputs_source"], list(r["notes"]))


def prune(folder: Path, keep: Path | None = None) -> None:
    """Remove leftover temporary files and, oldest use first, cache files beyond
    ``$NEUROSIM_CACHE_MAX_MB`` (never ``keep``)."""
    limit = max_bytes()
    now = time.time()
    files = []
    for p in folder.iterdir():
        try:
            st = p.stat()
        except OSError:
            continue
        if p.name.endswith(".tmp") and now - st.st_mtime > STALE_TMP_S:
            p.unlink(missing_ok=True)
        elif p.suffix == ".npz":
            files.append((st.st_mtime, st.st_size, p))
    total = sum(size for _, size, _ in files)
    for _, size, p in sorted(files):
        if total <= limit:
            break
        if p != keep:
            p.unlink(missing_ok=True)
            total -= size


def prepare_cached(network: str | None, model_ref: str | None, checkpoint: str | None,
                   data: str | None, batch: int, input_shape: str | None, cfg: Any,
                   net_options: tuple[str, ...] = (), *, use_cache: bool = True,
                   say: Callable[[str], None] | None = None,
                   notice: Callable[[str], None] | None = None) -> Any:
    """:func:`neurosim.commands.common.prepare_from_options` through the cache: a hit is
    loaded without torch; a miss (or an unreadable file, reported through ``notice``) is
    captured and written. ``use_cache=False``: neither read nor written."""
    from .commands.common import prepare_from_options
    from .nn.records import check_weight_range

    say = say or (lambda _msg: None)
    if notice is None:
        from .held_notices import say as notice
    if use_cache:
        max_bytes()  # a bad $NEUROSIM_CACHE_MAX_MB before the capture, not after it
    key = capture_key(cfg, network, model_ref, checkpoint, data, batch, input_shape,
                      net_options) if use_cache else None
    try:
        path = key_path(key) if key is not None else None
        found = path is not None and path.is_file()
    except (OSError, RuntimeError) as exc:  # no home folder, a folder we may not read
        notice(f"Notice: the trace cache is not usable ({exc}); continuing without it")
        path, found = None, False
    if found:
        try:
            run = load(path, key)
        except Exception as exc:  # any unreadable file: notice, trace afresh, rewrite
            notice(f"Notice: trace cache file {path} is unreadable ({type(exc).__name__}: "
                   f"{exc}); tracing the network again and rewriting it")
        else:
            try:
                os.utime(path)  # last use, for pruning
            except OSError:
                pass
            say(f"traces from the cache ({path})")
            check_weight_range(run.capture, cfg.algo_weight_min, cfg.algo_weight_max)
            return run
    say("building the model and capturing traces")
    run = prepare_from_options(network, model_ref, checkpoint, data, batch, input_shape, cfg,
                               net_options)
    if path is not None:
        try:
            store(path, key, run)
            prune(path.parent, keep=path)
        except Exception as exc:  # never fail an estimate over its cache
            why = getattr(exc, "strerror", None) or f"{type(exc).__name__}: {exc}"
            notice(f"Notice: cannot write the trace cache file {path} ({why}); continuing "
                   "without it")
    return run
