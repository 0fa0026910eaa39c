"""Input bits are read in place: a capture (or a trace) holding more vector columns than
NeuroSim reads (``numInVector * numBitInput``) is used through a view of its first columns,
not copied into the workload's memo (that copy was ~100 MB of ResNet18's 1.04 GB cold peak).

Traces: the golden Micro network (``tests/golden``); the same estimate on inputs padded with
extra columns must give the same figures bit for bit, for an SRAM and an RRAM case.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import case_by_id, case_params, network_path, trace_files  # noqa: E402

from neurosim.commands.compat import compat_config  # noqa: E402
from neurosim.engine.flow import _prepare_inputs, estimate  # noqa: E402
from neurosim.engine.workload import Workload  # noqa: E402


def _config(case: dict):
    a = case["argv"]
    return compat_config(a["synapseBit"], a["numBitInput"], a["numRowSubArray"],
                         a["numRowParallel"], case_params(case))


@pytest.mark.parametrize("cid", ["micro_sram_t22", "micro_rram_cb2_t65"])
def test_padded_inputs_are_viewed_and_give_the_same_figures(cid: str) -> None:
    case = case_by_id(cid)
    paths = trace_files(case)
    exact = Workload.from_files(network_path(case), paths[0::2], paths[1::2],
                                num_bit_input=case["argv"]["numBitInput"])
    rng = np.random.default_rng(7)
    padded_inputs = [np.concatenate([x, rng.integers(0, 2, (x.shape[0], 13), dtype=np.uint8)],
                                    axis=1) for x in exact.inputs]
    padded = Workload.from_arrays(exact.layers, [exact.weight(i) for i in range(len(exact))],
                                  padded_inputs)
    cfg = _config(case)
    assert estimate(cfg, padded).to_json() == estimate(cfg, exact).to_json()

    for i, layer in enumerate(padded.layers):
        need = layer.num_in_vector * case["argv"]["numBitInput"]
        p = type("P", (), {"num_bit_input": case["argv"]["numBitInput"],
                           "xnor_parallel_mode": 0, "xnor_sequential_mode": 0})()
        got = _prepare_inputs(padded_inputs[i], layer, p, i)
        assert got.shape == (layer.weight_rows, need)
        assert np.shares_memory(got, padded_inputs[i])  # a view: no copy (failed before)
        assert np.array_equal(got, padded_inputs[i][:, :need])
