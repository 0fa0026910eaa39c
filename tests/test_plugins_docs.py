"""The network-plugin example of ``docs/writing-plugins.md`` works as printed.

Its ``plugin.py`` block is loaded as a module and registered on a fresh host; its test-kit
block's ``layer_table`` (LeNet-5 by hand: 28x28x1 -conv5/pad2-> 28x28x6 -pool-> 14x14
-conv5-> 10x10x16 -pool-> 5x5x16 = 400 -> 120 -> 84 -> 10) must be what capture derives,
and the kit's checks pass on it.
"""

from __future__ import annotations

import re
import types
from pathlib import Path

import pytest

from neurosim.testing import make_host

torch = pytest.importorskip("torch")

DOC = Path(__file__).resolve().parents[1] / "docs" / "writing-plugins.md"


def _blocks() -> list[str]:
    section = DOC.read_text().split("## Writing a network plugin", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_lenet_example_registers_and_passes_the_kit():
    plugin_src = next(b for b in _blocks() if "def build_lenet5" in b)
    kit_src = next(b for b in _blocks() if "class TestLeNet5" in b)
    module = types.ModuleType("neurosim_network_lenet5_doc")
    exec(compile(plugin_src, "writing-plugins.md:lenet5", "exec"), module.__dict__)
    host = make_host([], plugins=[module])
    assert host.errors == []
    spec = host.registry.get("network", "lenet5")
    ns: dict = {}
    exec(compile(kit_src, "writing-plugins.md:kit", "exec"), ns)
    kit_cls = ns["TestLeNet5"]
    assert kit_cls.layer_table == ((28, 28, 1, 5, 5, 6, 1, 1), (14, 14, 6, 5, 5, 16, 1, 1),
                                   (1, 1, 400, 1, 1, 120, 0, 1), (1, 1, 120, 1, 1, 84, 0, 1),
                                   (1, 1, 84, 1, 1, 10, 0, 1))

    from neurosim.nn.capture import capture

    kit = kit_cls()
    model = kit.build(spec)
    cap = capture(model, kit.capture_inputs(spec, 1))
    captured = (model, cap.output, cap)
    kit.test_network_spec_fields(spec)
    kit.test_random_inputs(spec)
    kit.test_builds_in_eval_mode(captured)
    kit.test_forward_pass_is_finite(captured)
    kit.test_layer_table(captured)
    kit.test_traces_fit_the_table(captured)
    kit.test_layer_names_unique(captured)
    kit.test_no_layer_left_off_the_arrays(captured)
    kit.test_capture_is_deterministic(spec, captured)
    assert [layer.name for layer in cap.layers] == ["Conv0_", "Conv1_", "FC0_", "FC1_",
                                                    "FC2_"]
