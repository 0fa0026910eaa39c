"""Model -> inputs -> captured traces, shared by ``neurosim estimate``, ``neurosim traces
export`` and ``neurosim network show`` (imports torch)."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import torch

from ..config import Config
from ..datasets import DataSpec, load_data
from ..errors import NeuroSimError
from ..failures import one_line, user_code
from ..networks import NetworkSpec, get_network
from .capture import capture
from .records import PreparedRun, check_weight_range  # noqa: F401 (re-exported)


def load_model_function(ref: str) -> Any:
    """``module:function`` or ``path/to/file.py:function`` -> the function."""
    mod_name, sep, func_name = ref.rpartition(":")
    if not sep or not mod_name or not func_name:
        raise NeuroSimError(f"--model {ref!r}: expected module:function or file.py:function")
    try:
        if mod_name.endswith(".py"):
            path = Path(mod_name)
            if not path.is_file():
                raise NeuroSimError(f"--model {ref!r}: no such file {path}")
            spec = importlib.util.spec_from_file_location(path.stem, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules.setdefault(path.stem, module)
            with user_code(f"--model {ref}: importing {path}", [str(path)]):
                spec.loader.exec_module(module)  # type: ignore[union-attr]
        else:
            module = importlib.import_module(mod_name)
    except NeuroSimError:
        raise
    except ImportError as exc:
        raise NeuroSimError(f"--model {ref!r}: cannot import {mod_name}: {exc}") from None
    func = getattr(module, func_name, None)
    if not callable(func):
        raise NeuroSimError(f"--model {ref!r}: {mod_name} has no function {func_name!r}")
    return func


@contextmanager
def _torch_layer_errors(model_ref: str | None, inputs: Any,
                        net_options: dict[str, Any] | None = None) -> Iterator[None]:
    """A ``--model`` whose forward pass fails inside a torch layer (a shape mismatch of
    --input-shape or of the returned example inputs, a dtype error) is bad input: one
    :class:`NeuroSimError` naming the input shape, not an internal error. So is a
    network whose ``--net-option`` values (``image_size=3``) do not fit its inputs."""
    try:
        yield
    except (RuntimeError, ValueError, TypeError) as exc:
        if net_options and model_ref is None and _raised_by_torch_op(exc):
            from ..networks import net_option_forward_error

            raise net_option_forward_error(net_options, exc) from None
        if model_ref is None or not _raised_by_torch_op(exc):
            raise
        shape = ",".join(str(v) for v in getattr(inputs, "shape", ())[1:])
        raise NeuroSimError(f"--model {model_ref}: the forward pass on inputs of shape "
                            f"{shape or '?'} (per item) raised {type(exc).__name__}: "
                            f"{one_line(str(exc))}; check --input-shape or the example "
                            "inputs the function returns") from None


def _raised_by_torch_op(exc: BaseException) -> bool:
    """``exc`` came out of a torch operation itself (torch's code, or the capture mode's
    ``out = func(*args, **kwargs)`` dispatch of it), not out of neurosim's own code."""
    tb = traceback.extract_tb(exc.__traceback__)
    if not tb:
        return False
    last = tb[-1]
    if "/torch/" in last.filename.replace("\\", "/"):
        return True
    return last.name == "__torch_function__" and (last.line or "").startswith("out = func(")


def _class_files(model: Any) -> list[str]:
    """Source files of the model's own module classes (where its forward() lives)."""
    import inspect

    out = set()
    for m in model.modules():
        try:
            f = inspect.getsourcefile(type(m))
        except TypeError:
            continue
        if f and "site-packages" not in f and "/torch/" not in f:
            out.add(f)
    return sorted(out)


def parse_shape(text: str | None) -> tuple[int, ...] | None:
    if not text:
        return None
    try:
        shape = tuple(int(v) for v in text.replace("x", ",").split(",") if v.strip())
    except ValueError:
        raise NeuroSimError(f"--input-shape {text!r}: expected numbers like 3,32,32") from None
    if not shape or min(shape) < 1:
        raise NeuroSimError(f"--input-shape {text!r}: sizes must be positive")
    return shape


def _random_like(shape: tuple[int, ...], n: int, seed: int) -> torch.Tensor:
    k = np.random.default_rng(seed).integers(0, 256, size=(n, *shape))
    return torch.from_numpy((2 * k / 255 - 1).astype(np.float32))


#: environment variable: torch threads of the build and capture (0 = torch's default)
ENV_CAPTURE_THREADS = "NEUROSIM_CAPTURE_THREADS"
#: the most threads it may ask for (as --threads and $NEUROSIM_THREADS)
MAX_CAPTURE_THREADS = 1024


def capture_threads() -> int:
    """``$NEUROSIM_CAPTURE_THREADS`` (default 1; 0 = leave torch's default)."""
    text = os.environ.get(ENV_CAPTURE_THREADS, "").strip()
    if not text:
        return 1
    try:
        n = int(text)
    except ValueError:
        n = -1
    if not 0 <= n <= MAX_CAPTURE_THREADS:  # 100000 threads: killed by SIGSEGV before
        raise NeuroSimError(f"{ENV_CAPTURE_THREADS}={text!r}: expected a whole number from 0 "
                            f"to {MAX_CAPTURE_THREADS} (0 = torch's default thread count)")
    return n


@contextmanager
def torch_threads(n: int) -> Iterator[None]:
    """Run the body with ``n`` torch intra-op threads (``n = 0``: unchanged), restoring the
    previous count afterwards."""
    before = torch.get_num_threads()
    if n:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        if n:
            torch.set_num_threads(before)


def prepare(config: Config, *, network: str | None = None, model_ref: str | None = None,
            checkpoint: str | None = None, data: DataSpec | None = None,
            input_shape: tuple[int, ...] | None = None,
            net_options: dict[str, Any] | None = None) -> PreparedRun:
    """Build the model (registered ``network`` or ``model_ref``), load its inputs and
    capture its layer table and traces with the configuration's precisions.

    The build and the batch-1 forward pass run on one torch thread by default
    (:func:`capture_threads`): their ops are small, and on a shared 2-core machine the
    thread pool's waiting cost 3-6x the CPU time of one thread. The traces and the
    model output are the same bit for bit with 1, 2 or 4 threads (checked for vgg8,
    densenet40, resnet18, lenet; ``tests/test_capture_speed.py``)."""
    with torch_threads(capture_threads()):
        return _prepare(config, network=network, model_ref=model_ref, checkpoint=checkpoint,
                        data=data, input_shape=input_shape, net_options=net_options)


def _prepare(config: Config, *, network: str | None, model_ref: str | None,
             checkpoint: str | None, data: DataSpec | None,
             input_shape: tuple[int, ...] | None,
             net_options: dict[str, Any] | None) -> PreparedRun:
    if (network is None) == (model_ref is None):
        raise NeuroSimError("give exactly one of --network NAME and --model module:function")
    data = data or DataSpec("random", "", 1)
    seed = int(config.seed)
    notes: list[str] = []
    own_inputs = False
    torch.manual_seed(seed)
    if network is not None:
        spec: NetworkSpec = get_network(network)
        if input_shape is not None and tuple(input_shape) != tuple(spec.input_shape):
            raise NeuroSimError(
                f"--input-shape {','.join(map(str, input_shape))}: network {spec.name} takes "
                f"inputs of shape {','.join(map(str, spec.input_shape))}; --input-shape is "
                "for --model functions that return only the model")
        inputs = load_data(spec, data, seed, checkpoint)  # data errors before the slow build
        torch.manual_seed(seed)
        model = spec.build_configured(config, checkpoint, net_options=net_options)
        name, wrapper = spec.name, spec.wrapper_name or spec.name
    else:
        if checkpoint or net_options:
            raise NeuroSimError("--checkpoint and --net-option apply to --network; a --model "
                                "function loads its own weights")
        if data.kind != "random":
            raise NeuroSimError("--model takes random inputs only (--data random:N); build "
                                "real inputs into the function's return value instead")
        func = load_model_function(model_ref)  # type: ignore[arg-type]
        user_files = [func.__code__.co_filename] if hasattr(func, "__code__") else []
        with user_code(f"--model {model_ref}", user_files):
            made = func()
        if isinstance(made, tuple) and len(made) != 2:
            raise NeuroSimError(f"--model {model_ref}: the function returned a tuple of "
                                f"{len(made)} items; return the model, or (model, "
                                "example_inputs)")
        model, inputs = (made if isinstance(made, tuple) else (made, None))
        own_inputs = inputs is not None
        if isinstance(inputs, torch.Tensor) and (inputs.ndim == 0 or inputs.shape[0] == 0):
            raise NeuroSimError(f"--model {model_ref}: the example inputs (shape "
                                f"{tuple(inputs.shape)}) hold no item; their first axis is "
                                "the batch and needs at least one")
        if own_inputs and input_shape is not None:
            raise NeuroSimError(f"--input-shape: {model_ref} returns its own example inputs, "
                                "which set the shape; drop --input-shape")
        if not isinstance(model, torch.nn.Module):
            raise NeuroSimError(f"--model {model_ref}: the function returned a "
                                f"{type(model).__name__}, not a torch.nn.Module")
        model.eval()
        if inputs is None:
            if input_shape is None:
                raise NeuroSimError(f"--model {model_ref}: give --input-shape (e.g. 3,32,32) "
                                    "or return (model, example_inputs) from the function")
            inputs = _random_like(input_shape, data.count, seed)
        name = wrapper = model_ref.rpartition(":")[2]  # type: ignore[union-attr]
        notes.append("layers without NeuroSim precisions (plain torch layers) are normalized "
                     "by max|W| and max|x| before quantization")
    forward_files = []
    if model_ref is not None:  # errors in the user's forward() name the user's line
        forward_files = [*user_files, *_class_files(model)]
    with user_code(f"--model {model_ref}: the forward pass", forward_files), \
            _torch_layer_errors(model_ref, inputs, net_options):
        cap = capture(model, inputs, weight_bits=config.synapse_bits,
                      input_bits=config.input_bits)
    check_weight_range(cap, config.algo_weight_min, config.algo_weight_max)
    if checkpoint:
        wsrc = f"checkpoint {checkpoint}"
    elif network is not None:
        wsrc = f"seeded random (torch.manual_seed({seed}), then the network's own initialization)"
    else:
        wsrc = f"as returned by {model_ref} (after torch.manual_seed({seed}))"
    if model_ref is not None and own_inputs:
        isrc = f"as returned by {model_ref}"
    elif data.kind == "random":
        isrc = f"seeded random ({data.count} input(s), numpy default_rng({seed}))"
    else:
        isrc = data.describe()
    return PreparedRun(name, wrapper, cap, wsrc, isrc, notes)
