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
        try:
            return self.build(mode=config.quant_mode, wl_weight=config.synapse_bits,
                              wl_activate=config.input_bits, checkpoint=checkpoint,
                              **{**(settings or {}), **(net_options or {})})
        except TypeError as exc:
            if not net_options:
                raise
            raise NeuroSimError(f"network {self.name!r} does not take the --net-option(s) "
                                f"{sorted(net_options)}: {exc}") from None


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
