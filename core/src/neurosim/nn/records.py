"""What a capture produces, as plain numpy/dataclass records (no torch).

:mod:`neurosim.nn.capture` fills these records from a torch forward pass;
:mod:`neurosim.trace_cache` stores and reloads them without importing torch, so everything
after the capture (the estimate, the report, the JSON) runs on these records alone.
``neurosim.nn.capture`` and ``neurosim.nn.pipeline`` re-export them under their old names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..engine.traces import LayerSpec, out_of_range_notice
from ..errors import NeuroSimError


@dataclass
class CapturedLayer:
    """One CIM layer: where it is, its layer-table row and its traces."""

    name: str  # the wrapper's layer name (``Conv0_``) or the module path
    path: str  # module path in the model
    kind: str  # "conv" or "linear"
    spec: LayerSpec
    weights: np.ndarray  # float64, rows cin*kh*kw x cout
    input_bits: np.ndarray  # uint8, rows cin*kh*kw x (windows * num_bits)
    weight_bits: int
    input_bits_n: int
    out_channels: int  # the layer's own output channels (the table's Cout may be larger)
    groups: int = 1  # > 1: grouped conv packed block-diagonally (capture module docstring)


@dataclass
class DigitalOp:
    """An activation x activation product (not mapped to CIM arrays)."""

    op: str
    ops_per_item: float
    shapes: tuple


@dataclass
class UnmappedLayer:
    """A layer with weights that does not map to CIM arrays (listed, never dropped)."""

    path: str
    type: str
    weights: int  # parameter count
    ran: bool  # it ran in the captured forward pass
    reason: str


@dataclass
class NetworkCapture:
    """The captured network: layers in execution order, digital ops, the model output
    (``output`` is None for a capture reloaded from the trace cache)."""

    layers: list[CapturedLayer]
    digital: list[DigitalOp] = field(default_factory=list)
    output: Any = None
    batch: int = 1
    unmapped: list[UnmappedLayer] = field(default_factory=list)

    @property
    def specs(self) -> list[LayerSpec]:
        return [layer.spec for layer in self.layers]

    @property
    def weights(self) -> list[np.ndarray]:
        return [layer.weights for layer in self.layers]

    @property
    def inputs(self) -> list[np.ndarray]:
        return [layer.input_bits for layer in self.layers]

    @property
    def digital_ops(self) -> float:
        return float(sum(d.ops_per_item for d in self.digital))

    def table_rows(self) -> list[tuple[int, ...]]:
        return [layer.spec.as_row() for layer in self.layers]

    def mapping_notes(self) -> list[str]:
        """Report lines: grouped convs packed block-diagonally, and a WARNING for every
        layer left off the CIM arrays."""
        lines = [f"NOTE: {layer.name}: grouped conv (groups={layer.groups}) packed as a "
                 f"block-diagonal {layer.spec.cin * layer.spec.kh * layer.spec.kw} x "
                 f"{layer.out_channels} matrix; {100.0 / layer.groups:.3g} % of its cells "
                 "hold weights, the rest store 0 and are read like dense cells"
                 for layer in self.layers if layer.groups > 1]
        if self.unmapped:
            lines.append(f"WARNING: {len(self.unmapped)} layer(s) with weights do not map to "
                         "CIM arrays; their work is NOT in the chip figures:")
            lines += [f"  {u.path} ({u.type}, {u.weights} weights"
                      f"{'' if u.ran else ', did not run'}): {u.reason}" for u in self.unmapped]
        return lines


@dataclass
class PreparedRun:
    """A captured network and where its weights and inputs came from."""

    name: str
    wrapper_name: str
    capture: NetworkCapture
    weights_source: str
    inputs_source: str
    notes: list[str] = field(default_factory=list)

    @property
    def synthetic(self) -> bool:
        return self.weights_source.startswith("seeded random") or \
            self.inputs_source.startswith("seeded random")


def block_diagonal(weights: np.ndarray, groups: int) -> np.ndarray:
    """A grouped conv's weight trace ``(Cin/g*K*K, Cout)`` as the block-diagonal dense
    trace ``(Cin*K*K, Cout)``: column ``o`` of group ``j = o // (Cout/g)`` keeps its rows at
    ``j*Cin/g*K*K + r``, the other rows are 0."""
    rows, cout = weights.shape
    cout_g = cout // groups
    dense = np.zeros((groups, rows, groups, cout_g), dtype=weights.dtype)
    idx = np.arange(groups)
    dense[idx, :, idx, :] = weights.reshape(rows, groups, cout_g).transpose(1, 0, 2)
    return dense.reshape(groups * rows, cout)


def check_weight_range(capture: NetworkCapture, weight_min: float, weight_max: float) -> None:
    """One notice on stderr per layer whose quantized weights leave ``[weight_min,
    weight_max]`` (``algo_weight_min/max``): NeuroSim's ``LoadInWeightData`` maps them all
    the same, to levels beyond ``2^synapseBit`` or below 0 (:mod:`neurosim.engine.
    weight_mapping`), and so does the estimate; a weight that is not a finite number is a
    NeuroSimError naming the layer. Run on fresh and on cached captures alike (the range
    is not part of the trace-cache key)."""
    for layer in capture.layers:
        w = layer.weights
        if not w.size or (w.min() >= weight_min and w.max() <= weight_max):
            continue
        if not np.isfinite(w).all():
            raise NeuroSimError(f"layer {layer.name}: a quantized weight is not a finite number")
        from ..held_notices import say

        say(out_of_range_notice(f"layer {layer.name}", w, weight_min, weight_max))
