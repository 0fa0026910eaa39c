"""Network descriptions that network plugins register (``neurosim_register_networks``).

A :class:`NetworkSpec` names a model, its dataset and input shape, and holds a factory that
builds the ``torch.nn.Module``. Factories import torch when called, never at plugin load,
so ``neurosim`` starts without torch. ``docs/writing-plugins.md`` ("Writing a network
plugin") describes the fields and what maps to CIM arrays;
:class:`neurosim.testing.conformance_network.NetworkConformance` is the plugin's test kit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .errors import NeuroSimError


@dataclass(frozen=True)
class NetworkSpec:
    """One registered network.

    ``factory(mode="WAGE", wl_weight=8, wl_activate=8, checkpoint=None, **settings)``
    returns the model in eval mode; ``settings`` are layer settings of
    :mod:`neurosim.nn` (``inference``, ``cell_bit``, ``sub_array``, ...) or, for networks
    that are not built of those layers, the factory's own options.
    ``random_inputs(n, seed)`` returns a batch of ``n`` synthetic inputs the model accepts
    (a tensor, or a dict of tensors for text models).
    """

    name: str
    description: str
    dataset: str
    input_shape: tuple[int, ...]
    factory: Callable[..., Any]
    random_inputs: Callable[[int, int], Any]
    checkpoint_help: str = ""
    #: name of the wrapper's NetWork_<name>.csv / layer_record_<name> folder
    wrapper_name: str = ""
    extra: dict = field(default_factory=dict)

    def build(self, mode: str = "WAGE", wl_weight: int = 8, wl_activate: int = 8,
              checkpoint: str | None = None, **settings: Any) -> Any:
        """The model (calls the factory)."""
        return self.factory(mode=mode, wl_weight=wl_weight, wl_activate=wl_activate,
                            checkpoint=checkpoint, **settings)

    def build_configured(self, config: Any, checkpoint: str | None = None,
                         settings: dict[str, Any] | None = None,
                         net_options: dict[str, Any] | None = None) -> Any:
        """The model with the configuration's precisions (``quant_mode``, ``synapse_bits``,
        ``input_bits``), layer ``settings`` and the user's ``--net-option`` keywords; a
        factory that does not take one of those is a NeuroSimError naming them."""
        self.check_options(net_options or {})
        try:
            return self.build(mode=config.quant_mode, wl_weight=config.synapse_bits,
                              wl_activate=config.input_bits, checkpoint=checkpoint,
                              **{**(settings or {}), **(net_options or {})})
        except TypeError as exc:
            if not net_options:
                raise
            raise NeuroSimError(f"network {self.name!r} does not take the --net-option(s) "
                                f"{sorted(net_options)}: {exc}") from None
        except (ValueError, OverflowError, ZeroDivisionError, MemoryError,
                RuntimeError) as exc:
            if not net_options or not _options_error(exc):
                raise
            raise NeuroSimError(f"network {self.name!r} cannot be built with --net-option(s) "
                                f"{_shown(net_options)}: {type(exc).__name__}: "
                                f"{str(exc).splitlines()[0][:300] if str(exc) else ''}") \
                from None

    def check_options(self, net_options: dict[str, Any]) -> None:
        """Refuse ``--net-option`` keys and values the factory's signature rules out: a
        key outside its keyword-only options (a factory that declares them, such as
        ``(..., *, adapter=None, merged=False, **ignored)``, ignores any other), a value
        of another type than the option's default (``merged=maybe`` for a bool), an
        integer option (``num_classes``, ``image_size``, ...) below 1."""
        params = _factory_options(self.factory)
        fixed = {"mode", "wl_weight", "wl_activate", "checkpoint"}
        named = {k: p for k, p in params.items() if k not in fixed}
        declared = [k for k, p in named.items() if p.kind == p.KEYWORD_ONLY]
        for key, value in net_options.items():
            if declared and key not in named and key not in fixed:
                raise NeuroSimError(f"--net-option {key}={value}: network {self.name!r} has "
                                    f"no option {key!r}; its options: "
                                    f"{', '.join(sorted(declared))}")
            if key in named:
                _check_option_value(self.name, key, value, named[key].default)


def _factory_options(factory: Callable[..., Any]) -> dict[str, Any]:
    """The factory's named parameters (none when its signature cannot be read)."""
    import inspect

    try:
        params = inspect.signature(factory).parameters
    except (TypeError, ValueError):
        return {}
    return {k: p for k, p in params.items()
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def _check_option_value(network: str, key: str, value: Any, default: Any) -> None:
    """A value fit for an option whose default is a bool or an int (others: unchecked)."""
    where = f"--net-option {key}={value}: network {network!r}"
    if isinstance(default, bool):
        if not (isinstance(value, bool) or value in (0, 1)):
            raise NeuroSimError(f"{where} takes true/false (or 1/0) for {key}")
    elif isinstance(default, int) and default >= 1:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise NeuroSimError(f"{where} takes a whole number >= 1 for {key} "
                                f"(default {default})")


def _options_error(exc: BaseException) -> bool:
    """Whether a factory's exception is the user's options (a value it could not convert,
    a size that does not fit in memory), not a defect: RuntimeError only for allocation."""
    if isinstance(exc, RuntimeError):
        return "allocate" in str(exc) or "out of memory" in str(exc)
    return True


def _shown(options: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in options.items())


def net_option_forward_error(net_options: dict[str, Any], exc: BaseException) -> NeuroSimError:
    """The error of a forward pass that fails on a network built with ``net_options``
    (``image_size=3`` for 32x32 inputs): those values' doing, named."""
    from .failures import one_line

    return NeuroSimError(f"--net-option {_shown(net_options)}: the network's forward pass on "
                         f"its inputs raised {type(exc).__name__}: {one_line(str(exc))}")


def get_network(name: str) -> NetworkSpec:
    """The installed network ``name`` (raises UnknownComponentError with suggestions)."""
    from .plugins import get_registry

    spec = get_registry().get("network", name)
    if not isinstance(spec, NetworkSpec):
        raise NeuroSimError(f"network {name!r} is registered with a {type(spec).__name__}, "
                            "not a neurosim.networks.NetworkSpec")
    return spec


def cifar_batch(seed: int, n: int) -> Any:
    """``n`` synthetic CIFAR-10 images as the normalized loader gives them: ``2k/255 - 1``
    with ``k`` uniform in 0..255 from ``numpy.random.default_rng(seed)`` (float32,
    ``n x 3 x 32 x 32``)."""
    return image_batch(seed, n, 32)


def image_batch(seed: int, n: int, size: int) -> Any:
    """Like :func:`cifar_batch` for ``n x 3 x size x size`` images."""
    import numpy as np
    import torch

    k = np.random.default_rng(seed).integers(0, 256, size=(n, 3, size, size))
    return torch.from_numpy((2 * k / 255 - 1).astype(np.float32))


def load_state_dict_file(path: str) -> dict:
    """A checkpoint file's state dict (CPU), with a clear error for missing/broken files.

    Accepts a bare state dict or a dict holding one under ``state_dict``/``model``.
    """
    import os

    import torch

    import stat

    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise NeuroSimError(f"checkpoint {path}: no such file") from None
    except OSError as exc:
        raise NeuroSimError(f"checkpoint {path}: cannot read it ({exc.strerror})") from None
    if stat.S_ISDIR(mode):
        raise NeuroSimError(f"checkpoint {path}: is a folder, not a checkpoint file")
    if not stat.S_ISREG(mode):
        raise NeuroSimError(f"checkpoint {path}: is not a regular file (a device or pipe)")
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # pickle / zip errors
        raise NeuroSimError(f"checkpoint {path}: cannot load it with torch.load "
                            f"({type(exc).__name__}: {exc})") from None
    if isinstance(obj, dict):
        for key in ("state_dict", "model"):
            if key in obj and isinstance(obj[key], dict):
                obj = obj[key]
    if not isinstance(obj, dict):
        raise NeuroSimError(f"checkpoint {path}: holds a {type(obj).__name__}, not a state dict")
    _check_finite(path, obj)
    return obj


def _check_finite(path: str, state: dict) -> None:
    """Refuse a state dict whose floating-point tensors hold NaN or infinite values (the
    model would run, and accuracy be reported, on garbage)."""
    import torch

    for key, value in state.items():
        if (isinstance(value, torch.Tensor) and value.is_floating_point()
                and not bool(torch.isfinite(value).all())):
            raise NeuroSimError(f"checkpoint {path}: tensor {key!r} holds NaN or infinite "
                                "values")


def load_checkpoint(model: Any, path: str, *, strict: bool = True) -> Any:
    """Load ``path`` into ``model``; key/shape mismatches become a NeuroSimError."""
    sd = load_state_dict_file(path)
    try:
        model.load_state_dict(sd, strict=strict)
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()
        raise NeuroSimError(f"checkpoint {path} does not fit the model: "
                            f"{' '.join(first[:3])[:600]}") from None
    return model
