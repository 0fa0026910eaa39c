"""Cost guards: predict a run's work before starting it and refuse what is far beyond the
usual (``--force`` runs it anyway).

The estimator's time grows with the number of *subarray reads*: for every layer, the
subarrays its weights occupy x the input vectors x the input bits
(``ceil(cin*kh*kw / rows) * ceil(cout * ceil(synapse_bits / cell_bits) / cols) *
numInVector * input_bits``). VGG8 at the defaults (128x128 subarrays, 8-bit weights and
inputs) takes 1.78e6 of them, about 6 s of CPU time including the model capture; 32x32
subarrays (16x as many reads) take 12 s, and 8x8 subarrays (256x) several minutes.
:data:`MAX_SUBARRAY_READS` is 64x the VGG8 default. Memory is predicted from the traces
the engine holds (one byte per input bit, eight per weight) and limited to half of the
machine's memory.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any, Sequence

from .errors import CostError

#: subarray reads of VGG8 at the defaults (hand count in the module docstring)
VGG8_DEFAULT_READS = 1_783_872.0
MAX_SUBARRAY_READS = 64 * VGG8_DEFAULT_READS


@dataclass(frozen=True)
class Cost:
    """Predicted work of one estimate."""

    subarray_reads: float
    trace_bytes: float

    def describe(self) -> str:
        return (f"{self.subarray_reads:.3g} subarray reads "
                f"({self.subarray_reads / VGG8_DEFAULT_READS:.3g}x VGG8 at the defaults), "
                f"{self.trace_bytes / 2**30:.3g} GiB of traces")


def predict(cfg: Any, layers: Sequence[Any]) -> Cost:
    """The :class:`Cost` of estimating ``layers`` (LayerSpecs) with ``cfg``."""
    rows, cols = cfg.subarray_rows, cfg.subarray_cols
    cell = 1 if str(cfg.device).lower() == "sram" else min(cfg.cell_bits, cfg.synapse_bits)
    cols_per_weight = math.ceil(cfg.synapse_bits / cell)
    reads = 0.0
    trace = 0.0
    for layer in layers:
        vectors = max(layer.num_in_vector, 0)
        subarrays = math.ceil(layer.weight_rows / rows) * \
            math.ceil(layer.cout * cols_per_weight / cols)
        reads += float(subarrays) * vectors * cfg.input_bits
        trace += float(layer.weight_rows) * (vectors * cfg.input_bits + 8 * layer.cout)
    return Cost(reads, trace)


def memory_limit_bytes() -> float:
    """Half of the physical memory (16 GiB where it cannot be read)."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2
    except (ValueError, OSError, AttributeError):
        return 16 * 2**30


def guard(cost: Cost, force: bool, what: str = "this run") -> None:
    """Raise :class:`CostError` (exit 2) when ``cost`` exceeds a limit and not ``force``."""
    if force:
        return
    if cost.subarray_reads > MAX_SUBARRAY_READS:
        raise CostError(f"{what} is predicted to take {cost.describe()}, more than the "
                        f"{MAX_SUBARRAY_READS:.3g}-read limit (minutes of CPU time); use "
                        "larger subarrays, or pass --force to run it anyway")
    limit = memory_limit_bytes()
    if cost.trace_bytes > limit:
        raise CostError(f"{what} is predicted to hold {cost.trace_bytes / 2**30:.3g} GiB of "
                        f"traces, more than half of this machine's memory "
                        f"({limit / 2**30:.3g} GiB); pass --force to run it anyway")
