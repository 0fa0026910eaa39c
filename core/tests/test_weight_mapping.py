"""Weight trace -> memory conductances (NeuroSim ``LoadInWeightData``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from neurosim.engine.traces import read_network_csv, read_weight_trace
from neurosim.engine.weight_mapping import (
    level_digits,
    load_weight_memory,
    num_col_per_synapse,
    weight_levels,
)

GMAX, GMIN = 1 / 100e3, 1 / 1.7e6  # Param.cpp: 1/resistanceOn, 1/resistanceOff


def test_levels_by_hand():
    # 8 bit, range [-1, 1]: v = 2^8/2 * (f - 1) + 2^8 = 128 (f + 1), rounded half away from 0
    f = np.array([-0.99219, 0.0, 0.99219, 0.00781, -1.5, 1.0])
    assert weight_levels(f, 8).tolist() == [1, 128, 255, 129, -64, 256]
    # exact halves: 2.5 -> 3 and -2.5 -> -3 (C++ adds +-0.5 then truncates)
    assert weight_levels(np.array([2.5 / 128 - 1, -2.5 / 128 - 1]), 8).tolist() == [3, -3]
    # another algorithm range: [0, 2] with 4 bits -> v = 8 (f - 2) + 16 = 8 f
    assert weight_levels(np.array([0.5, 1.0]), 4, 2.0, 0.0).tolist() == [4, 8]


def test_digits_msb_first_with_cpp_modulo():
    assert level_digits(np.array([200]), 2, 4).tolist() == [[3, 0, 2, 0]]  # 200 = 3020 base 4
    assert level_digits(np.array([200]), 1, 8).tolist() == [[1, 1, 0, 0, 1, 0, 0, 0]]
    # 2^8 overflows the 8 one-bit columns and wraps to zero (every digit is taken mod 2)
    assert level_digits(np.array([256]), 1, 8).tolist() == [[0] * 8]
    # C++ truncating % and / on a negative level: -5 = -(1, 1) in base 4 -> digits -1, -1
    assert level_digits(np.array([-5]), 2, 2).tolist() == [[-1, -1]]


def test_columns_per_synapse():
    assert num_col_per_synapse(8, 1) == 8
    assert num_col_per_synapse(8, 3) == 3
    assert num_col_per_synapse(8, 2, operation_mode=4) == 2
    assert num_col_per_synapse(8, 2, operation_mode=5) == 1


def test_conductances_by_hand():
    w = np.array([[0.5625, -0.25]])  # levels 200 and 96 = 3020 and 1200 in base 4
    mem = load_weight_memory(
        w, synapse_bit=8, cell_bit=2, max_conductance=GMAX, min_conductance=GMIN
    )
    digits = [3, 0, 2, 0, 1, 2, 0, 0]
    want = [d / 3 * (GMAX - GMIN) + GMIN for d in digits]
    assert mem.shape == (1, 8)
    assert mem[0].tolist() == want


def test_binary_modes_layout():
    w = np.array([[-1 + 1 / 128, 0.0]])  # levels 1 and 128
    bnn = load_weight_memory(
        w, synapse_bit=8, cell_bit=1, max_conductance=GMAX, min_conductance=GMIN, operation_mode=4
    )
    assert bnn.tolist() == [[GMAX, GMIN, GMIN, GMAX]]
    xnor = load_weight_memory(
        w, synapse_bit=8, cell_bit=1, max_conductance=GMAX, min_conductance=GMIN, operation_mode=6
    )
    assert xnor.tolist() == [[GMAX, GMIN], [GMIN, GMAX]]


def test_memory_sums_equal_cpp(tmp_path):
    """The sequential sum of a subarray's conductances as printed by NeuroSim V1.4 C++
    (the instrumented run of data/subarray_cpp_reference.json) for 1-bit and 2-bit cells,
    on Micro layer 4 (512 x 10 weights of gen_traces.py seed 0)."""
    ref = json.loads((Path(__file__).parent / "data" / "subarray_cpp_reference.json").read_text())
    cases = {c["name"]: c for c in ref["cases"]}
    repo = Path(__file__).resolve().parents[2]
    network = repo / "tests" / "golden" / "networks" / "Micro.csv"
    subprocess.run(
        [
            sys.executable,
            str(repo / "tests" / "golden" / "gen_traces.py"),
            str(network),
            str(tmp_path),
            "--synapse-bit",
            "8",
            "--input-bit",
            "8",
            "--seed",
            "0",
        ],
        check=True,
        capture_output=True,
    )
    layer = read_network_csv(network)[3]
    w = read_weight_trace(tmp_path / "weight4.csv", layer)
    for name, cell_bit in (("rram22", 1), ("rram22_cb2", 2)):
        sub = next(s for s in cases[name]["subarrays"] if s["layer"] == 4)
        mem = load_weight_memory(
            w, synapse_bit=8, cell_bit=cell_bit, max_conductance=GMAX, min_conductance=GMIN
        )
        assert mem.shape == (512, 10 * (8 // cell_bit))
        block = mem[sub["row"] : sub["row"] + sub["rows"], sub["col"] : sub["col"] + sub["cols"]]
        assert float(np.cumsum(block.ravel())[-1]) == sub["memsum"]


@pytest.mark.parametrize("cell_bit", [1, 2, 3, 4])
def test_levels_recovered_from_conductance(cell_bit):
    rng = np.random.default_rng(5)
    w = rng.integers(-127, 128, size=(6, 5)) / 128.0
    levels = weight_levels(w, 8)
    mem = load_weight_memory(
        w, synapse_bit=8, cell_bit=cell_bit, max_conductance=GMAX, min_conductance=GMIN
    )
    ncol = num_col_per_synapse(8, cell_bit)
    digits = np.rint((mem - GMIN) / (GMAX - GMIN) * (2**cell_bit - 1)).astype(int)
    digits = digits.reshape(6, 5, ncol)
    value = np.zeros((6, 5), dtype=int)
    for d in range(ncol):
        value = value * 2**cell_bit + digits[..., d]
    assert np.array_equal(value, levels % (2 ** (cell_bit * ncol)))


@pytest.mark.parametrize(
    "options",
    [
        {"device": "sram"},
        {"device": "rram"},
        {"device": "rram", "cell_bits": 2},
        {"device": "fefet", "cell_bits": 3},
    ],
)
def test_device_plugin_conductance_equals_neurosim_rule(options):
    from neurosim.config import Config, set_options
    from neurosim.engine.context import build_context
    from neurosim.engine.weight_mapping import memory_from_context

    ctx = build_context(set_options(Config(), options).validate())
    p = ctx.param
    rng = np.random.default_rng(11)
    w = rng.integers(-127, 128, size=(9, 4)) / 128.0
    plugin = memory_from_context(ctx, w)
    neurosim = load_weight_memory(
        w,
        synapse_bit=p.synapse_bit,
        cell_bit=p.cell_bit,
        max_conductance=p.max_conductance,
        min_conductance=p.min_conductance,
    )
    assert p.max_conductance == 1 / 100e3 and p.min_conductance == 1 / 1.7e6
    assert np.array_equal(plugin, neurosim)
