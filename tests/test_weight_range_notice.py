"""Weights outside ``algo_weight_min/max`` (NeuroSim's algoWeightMin/Max) are estimated as
NeuroSim's ``LoadInWeightData`` maps them (levels above 2^synapseBit or below 0), with one
``Notice:`` line, on both trace paths: weight-trace files (``compat``, ``--traces``) and
captured networks (``check_weight_range``). They used to be refused; the C++ accepts them
(the out-of-range cases of ``golden/oracle_extra.jsonl`` are its numbers)."""
from __future__ import annotations

import numpy as np
import pytest
from neurosim.engine.traces import LayerSpec
from neurosim.errors import NeuroSimError
from neurosim.nn.records import CapturedLayer, NetworkCapture, check_weight_range

SPEC = LayerSpec(4, 4, 2, 1, 1, 3, False, 1)


def _capture(*weights: np.ndarray) -> NetworkCapture:
    layers = [CapturedLayer(name=f"Conv{i}_", path=f"conv{i}", kind="conv", spec=SPEC,
                            weights=w, input_bits=np.zeros((2, 16), np.uint8), weight_bits=8,
                            input_bits_n=1, out_channels=3)
              for i, w in enumerate(weights)]
    return NetworkCapture(layers=layers)


def test_capture_outside_the_range_gives_one_notice_per_layer(capsys):
    inside = np.full((2, 3), 0.25)
    outside = np.array([[0.9, -0.9, 0.1], [0.2, 0.6, -0.7]])
    check_weight_range(_capture(inside, outside), -0.5, 0.5)
    err = capsys.readouterr().err.splitlines()
    assert err == [err[0]] and err[0].startswith(
        "Notice: 4 weights of layer Conv1_ lie outside algoWeightMin/Max [-0.5, 0.5]")
    check_weight_range(_capture(inside, outside), -1.0, 1.0)
    assert capsys.readouterr().err == ""


def test_capture_with_a_non_finite_weight_is_refused():
    w = np.array([[0.1, np.nan, 0.1], [0.1, 0.1, 0.1]])
    with pytest.raises(NeuroSimError, match="layer Conv0_: a quantized weight is not a finite"):
        check_weight_range(_capture(w), -1.0, 1.0)
