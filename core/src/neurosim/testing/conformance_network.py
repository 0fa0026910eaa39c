"""Standard checks for network plugins (models registered with ``neurosim_register_networks``).

::

    from neurosim.testing.conformance_network import NetworkConformance

    class TestVGG8(NetworkConformance):
        network_name = "vgg8"
        distribution = "neurosim-network-vgg8"

The kit checks what ``neurosim estimate --network NAME`` relies on: the registered object is a
:class:`neurosim.networks.NetworkSpec` with typed fields; the plugin module loads without
importing torch; ``random_inputs(n, seed)`` gives ``n`` items of ``input_shape``,
reproducibly; the factory builds a ``torch.nn.Module`` in eval mode with the configured
precisions; one forward pass gives finite outputs; and :func:`neurosim.nn.capture.capture`
derives a layer table and traces that agree with each other (weight rows ``Cin*K*K`` x
``Cout``, weights in the algorithm range, input bits 0/1 with ``input_bits`` columns per
window) under unique layer names, with no layer left off the CIM arrays unless the class
lists it in ``allowed_unmapped``.

Class attributes adapt the checks: ``build_options`` (factory settings for a cheap build,
e.g. a tiny transformer config), ``config_overrides`` (configuration options),
``layer_table`` (the expected NeuroSim table, if known), ``seed``. A model too large for a
quick test may override :meth:`NetworkConformance.capture_inputs` to capture on smaller
inputs its factory accepts (the shape check of ``random_inputs`` still runs).
Each test's docstring has a *Troubleshooting* paragraph.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any, ClassVar

import numpy as np
import pytest

from ..config import Config, load_config
from .conformance import ComponentConformance


def _tensors(batch: Any) -> list[Any]:
    import torch

    if isinstance(batch, torch.Tensor):
        return [batch]
    if isinstance(batch, dict):
        return [v for v in batch.values() if isinstance(v, torch.Tensor)]
    return []


def _output_tensor(out: Any) -> Any:
    import torch

    if isinstance(out, torch.Tensor):
        return out
    for attr in ("logits", "last_hidden_state"):
        if isinstance(getattr(out, attr, None), torch.Tensor):
            return getattr(out, attr)
    if isinstance(out, (tuple, list)) and out and isinstance(out[0], torch.Tensor):
        return out[0]
    return None


class NetworkConformance(ComponentConformance):
    """Checks for a network plugin: set ``network_name`` and ``distribution``."""

    kind: ClassVar[str] = "network"
    network_name: ClassVar[str] = ""
    build_options: ClassVar[dict[str, Any]] = {}
    config_overrides: ClassVar[dict[str, Any]] = {}
    layer_table: ClassVar[tuple[tuple[int, ...], ...] | None] = None
    allowed_unmapped: ClassVar[tuple[str, ...]] = ()
    seed: ClassVar[int] = 0

    @classmethod
    def component_name(cls) -> str:
        return cls.network_name

    # -- helpers (may be overridden) ------------------------------------------------------------
    def config(self) -> Config:
        return load_config(overrides=dict(self.config_overrides))

    def build(self, spec: Any) -> Any:
        """The model as ``neurosim estimate`` builds it (seeded, configured precisions)."""
        import torch

        torch.manual_seed(self.seed)
        return spec.build_configured(self.config(), settings=dict(self.build_options))

    def capture_inputs(self, spec: Any, n: int) -> Any:
        """Inputs of the captured forward pass (default: ``spec.random_inputs(n, seed)``)."""
        return spec.random_inputs(n, self.seed)

    # -- fixtures -------------------------------------------------------------------------------
    @pytest.fixture(scope="class")
    @classmethod
    def captured(cls) -> tuple[Any, Any, Any]:
        """(model, output, capture) of one forward pass, shared by the checks of the class."""
        pytest.importorskip("torch")
        from ..nn.capture import capture
        from . import make_host

        kit = cls()
        kit._require_config()
        spec = make_host(kit._entry_points()).registry.get("network", cls.network_name)
        model = kit.build(spec)
        cfg = kit.config()
        cap = capture(model, kit.capture_inputs(spec, 1), weight_bits=cfg.synapse_bits,
                      input_bits=cfg.input_bits)
        return model, cap.output, cap

    # -- checks ---------------------------------------------------------------------------------
    def test_network_spec_fields(self, component: Any) -> None:
        """The registered object is a NetworkSpec with a name, description, data set, a
        positive integer input shape and callable ``factory`` / ``random_inputs``.

        Troubleshooting: register ``neurosim.networks.NetworkSpec(name=..., description=...,
        dataset=..., input_shape=(C, H, W), factory=build, random_inputs=inputs)``; the
        ``name`` is what users pass to ``--network``.
        """
        from ..networks import NetworkSpec

        assert isinstance(component, NetworkSpec), type(component)
        assert component.name == self.network_name
        assert component.description.strip() and component.dataset.strip()
        shape = component.input_shape
        assert isinstance(shape, tuple) and shape, shape
        assert all(isinstance(v, int) and v > 0 for v in shape), shape
        assert callable(component.factory) and callable(component.random_inputs)

    def test_plugin_module_does_not_import_torch(self) -> None:
        """Loading the plugin module leaves torch unimported (``neurosim plugins`` and
        ``--help`` must stay fast, and work where torch is missing).

        Troubleshooting: import torch (and transformers, ...) inside the factory and
        ``random_inputs`` functions, not at the top of the modules ``plugin.py`` imports.
        """
        self._require_config()
        (ep,) = [e for e in self._entry_points() if e.name == self.distribution]
        code = (f"import importlib, sys; importlib.import_module({ep.module!r}); "
                "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             timeout=120, check=False)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "[]", f"{ep.module} imports {out.stdout.strip()}"

    def test_random_inputs(self, component: Any) -> None:
        """``random_inputs(n, seed)`` gives ``n`` items of ``input_shape``, the same for the
        same seed and different for another seed.

        Troubleshooting: draw from ``numpy.random.default_rng(seed)`` (see
        ``neurosim.networks.image_batch``), never from global random state; text models
        return a dict of tensors (``input_ids``, ``attention_mask``).
        """
        pytest.importorskip("torch")
        import torch

        a, b = component.random_inputs(2, self.seed), component.random_inputs(2, self.seed)
        other = component.random_inputs(2, self.seed + 1)
        ta, tb, to = _tensors(a), _tensors(b), _tensors(other)
        assert ta, f"random_inputs returned {type(a).__name__}, not a tensor or dict of them"
        for t in ta:
            assert tuple(t.shape) == (2, *component.input_shape), tuple(t.shape)
        assert all(torch.equal(x, y) for x, y in zip(ta, tb))
        assert not all(torch.equal(x, y) for x, y in zip(ta, to))

    def test_builds_in_eval_mode(self, captured: tuple[Any, Any, Any]) -> None:
        """The factory returns a ``torch.nn.Module`` in eval mode.

        Troubleshooting: end the factory with ``return model.eval()``; accept
        ``mode, wl_weight, wl_activate, checkpoint`` and ``**settings`` keywords.
        """
        import torch

        model = captured[0]
        assert isinstance(model, torch.nn.Module), type(model)
        assert not model.training

    def test_forward_pass_is_finite(self, captured: tuple[Any, Any, Any]) -> None:
        """One forward pass on one synthetic item gives a finite output.

        Troubleshooting: a NaN usually means an uninitialized parameter or a division by a
        zero scale in a quantizer; run the model by hand on ``random_inputs(1, 0)``.
        """
        out = _output_tensor(captured[1])
        assert out is not None, f"the model returned {type(captured[1]).__name__}"
        assert out.shape[0] == 1 and out.numel() > 0
        assert bool(out.isfinite().all())

    def test_layer_table(self, captured: tuple[Any, Any, Any]) -> None:
        """The derived layer table has positive sizes and matches ``layer_table`` if set.

        Troubleshooting: every CIM layer must be an ``nn.Conv2d`` or ``nn.Linear`` module
        (``neurosim.nn`` layers are), called once per forward pass; ``neurosim network show
        NAME`` prints the table.
        """
        cap = captured[2]
        rows = cap.table_rows()
        assert rows, "no CIM layer was captured"
        for row in rows:
            assert all(isinstance(v, int) for v in row), row
            h, w, cin, kh, kw, cout, pool, stride = row
            assert min(h, w, cin, kh, kw, cout, stride) > 0 and pool in (0, 1), row
        if self.layer_table is not None:
            assert [tuple(r) for r in rows] == [tuple(r) for r in self.layer_table]

    def test_traces_fit_the_table(self, captured: tuple[Any, Any, Any]) -> None:
        """Each layer's weight trace is ``Cin*K*K`` x ``Cout`` with finite weights in the
        algorithm range, and its input trace has ``Cin*K*K`` rows of 0/1 bits, a whole
        number of ``input_bits`` columns per window.

        Troubleshooting: weights outside [-1, 1] need ``quant_mode = WAGE`` layers or a
        wider ``algo_weight_min/max``; a mismatch of rows means the layer's input is not the
        module's first argument.
        """
        cfg = self.config()
        for layer in captured[2].layers:
            s = layer.spec
            assert layer.weights.shape == (s.cin * s.kh * s.kw, s.cout), layer.name
            assert np.isfinite(layer.weights).all(), layer.name
            assert layer.weights.min() >= cfg.algo_weight_min, layer.name
            assert layer.weights.max() <= cfg.algo_weight_max, layer.name
            bits = layer.input_bits
            assert bits.dtype == np.uint8 and bits.shape[0] == s.cin * s.kh * s.kw, layer.name
            assert bits.shape[1] > 0 and bits.shape[1] % layer.input_bits_n == 0, layer.name
            assert int(bits.max(initial=0)) <= 1, layer.name

    def test_layer_names_unique(self, captured: tuple[Any, Any, Any]) -> None:
        """Layer names (the wrapper's ``name`` attribute or the module path) are non-empty
        and unique, as reports, CSV columns and ``explain`` paths use them.

        Troubleshooting: give ``neurosim.nn`` layers distinct ``name=`` arguments, or leave
        them unset so the module path is used.
        """
        names = [layer.name for layer in captured[2].layers]
        assert all(n.strip() for n in names), names
        dup = sorted({n for n in names if names.count(n) > 1})
        assert not dup, f"duplicate layer names {dup}"

    def test_no_layer_left_off_the_arrays(self, captured: tuple[Any, Any, Any]) -> None:
        """No layer with weights is left off the CIM arrays (ConvTranspose, Conv1d/3d,
        RNN/LSTM/GRU, ...), unless listed in ``allowed_unmapped``.

        Troubleshooting: such layers are reported with a warning and are not in the chip
        figures; rewrite them with Conv2d/Linear, or list their module paths in
        ``allowed_unmapped`` if leaving them out is intended.
        """
        left = [u.path for u in captured[2].unmapped if u.path not in self.allowed_unmapped]
        assert not left, captured[2].mapping_notes()

    def test_capture_is_deterministic(self, component: Any,
                                      captured: tuple[Any, Any, Any]) -> None:
        """Building again with the same seed gives the same weights (so estimates repeat).

        Troubleshooting: initialize parameters from torch's seeded generator only (no
        ``time``, no unseeded numpy); the kit calls ``torch.manual_seed(seed)`` first.
        """
        model = captured[0]
        again = self.build(component)
        sd_a, sd_b = model.state_dict(), again.state_dict()
        assert list(sd_a) == list(sd_b)
        import torch

        diff = [k for k in sd_a if not torch.equal(sd_a[k], sd_b[k])]
        assert not diff, f"parameters differ between two seeded builds: {diff[:5]}"
