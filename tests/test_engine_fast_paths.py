"""The engine's fast paths give the numbers of the plain ones, bit for bit (issue 11):
left-to-right sums without temporaries, batched subarray evaluation, lazy weight parsing,
the BLAS thread option and the progress display of ``estimate``."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import case_by_id, network_path, trace_files  # noqa: E402

from neurosim.commands.compat import compat_config  # noqa: E402
from neurosim.engine.blas import ENV, blas_threads, resolve_threads  # noqa: E402
from neurosim.engine.context import build_context  # noqa: E402
from neurosim.engine.flow import estimate, estimate_from_files  # noqa: E402
from neurosim.engine.subarray import SubArray  # noqa: E402
from neurosim.engine.subarray_stats import SubarrayStatistics  # noqa: E402
from neurosim.engine.workload import Workload  # noqa: E402
from neurosim.errors import ConfigError, InputFileError  # noqa: E402
from neurosim.primitives.vectors import sequential_sum  # noqa: E402


def _loop_sum(values: np.ndarray, axis: int) -> np.ndarray:
    moved = np.moveaxis(values, axis, 0)
    acc = np.zeros(moved.shape[1:])
    for row in moved:  # the C++ ``for`` loop with ``+=``
        acc = acc + row
    return acc


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=40),
                  elements=st.floats(-1e12, 1e12, allow_nan=False, width=64)),
       st.integers(0, 2))
def test_sequential_sum_is_the_loop(values: np.ndarray, axis: int) -> None:
    axis = axis % values.ndim
    scaled = values * np.logspace(-9, 9, values.size).reshape(values.shape)  # wide range
    assert np.array_equal(sequential_sum(scaled, axis), _loop_sum(scaled, axis))


@pytest.fixture(scope="module")
def micro() -> tuple[Path, list[str]]:
    case = case_by_id("micro_rram_cb2_t65")
    return network_path(case), trace_files(case)


@pytest.mark.parametrize("params", [["memcelltype=2", "technode=65", "cellBit=2"],
                                    ["technode=22"],
                                    ["memcelltype=3", "technode=22", "SARADC=1"]])
def test_batched_subarrays_equal_one_at_a_time(micro, params) -> None:
    """``evaluate_many`` (one GEMM per row block, one ADC call) = ``evaluate_vectors`` on
    each subarray: four column blocks of one row block, and a second row block."""
    net, paths = micro
    work = Workload.from_files(net, paths[0::2], paths[1::2], num_bit_input=8)
    ctx = build_context(compat_config(8, 8, 128, 128, params))
    from neurosim.engine.flow import _prepare_inputs, _prepare_memory

    i = 1
    mem = _prepare_memory(work.weight(i), work.layers[i], ctx.param, i)
    bits = _prepare_inputs(work.inputs[i], work.layers[i], ctx.param, i)
    blocks = [(r0, c0) for r0 in (0, 128) for c0 in range(0, min(mem.shape[1], 512), 128)]
    items = [SubarrayStatistics(bits[r0:r0 + 128], mem[r0:r0 + 128, c0:c0 + 128])
             for r0, c0 in blocks if r0 < bits.shape[0]]
    assert len(items) >= 3
    for clock in (True, False):
        sa = SubArray(ctx)
        sa.initialize_for_pe()
        batched = sa.evaluate_many(items, clock)
        single = []
        for it in items:
            one = SubArray(ctx)
            one.initialize_for_pe()
            single.append(one.evaluate_vectors(it.bits, it.memory, clock))
        assert [vars(b) for b in batched] == [vars(s) for s in single]


def test_sram_does_not_parse_weight_values(micro, tmp_path) -> None:
    """SRAM's read model ignores the stored values: a weight file of the right layout is
    not parsed (its shape is still checked); an eNVM cell parses and rejects it."""
    net, paths = micro
    bad = tmp_path / "weight1.csv"
    text = Path(paths[0]).read_bytes()
    bad.write_bytes(text[:3] + b"x" + text[4:])  # a digit becomes 'x', same layout
    weights = [str(bad), *paths[2::2]]
    sram = compat_config(8, 8, 128, 128, ["technode=22"])
    ok = estimate_from_files(net, paths[0::2], paths[1::2], sram).to_json()
    assert estimate_from_files(net, weights, paths[1::2], sram).to_json() == ok
    with pytest.raises(InputFileError, match="weight1.csv"):
        estimate_from_files(net, weights, paths[1::2],
                            compat_config(8, 8, 128, 128, ["memcelltype=2", "technode=22"]))
    short = tmp_path / "weight2.csv"
    short.write_bytes(b"\n".join(Path(paths[2]).read_bytes().split(b"\n")[:-2]) + b"\n")
    with pytest.raises(InputFileError, match="weight2.csv"):
        estimate_from_files(net, [paths[0], str(short), *paths[4::2]], paths[1::2], sram)


def test_blas_threads_option(monkeypatch) -> None:
    from threadpoolctl import threadpool_info

    monkeypatch.delenv(ENV, raising=False)
    assert resolve_threads() == 1
    monkeypatch.setenv(ENV, "3")
    assert resolve_threads() == 3 and resolve_threads(2) == 2
    monkeypatch.setenv(ENV, "many")
    with pytest.raises(ConfigError, match=ENV):
        resolve_threads()
    with pytest.raises(ConfigError):
        resolve_threads(-1)
    with blas_threads(1) as n:
        assert n == 1
        assert all(p["num_threads"] == 1 for p in threadpool_info()
                   if p["user_api"] == "blas")


class _Bar:
    def __init__(self) -> None:
        self.total = None
        self.statuses: list[str] = []

    def set_total(self, total) -> None:
        self.total = total

    def advance(self, n: float = 1, status: str | None = None) -> None:
        self.statuses.append(status)


def test_progress_bar_advances_once_per_layer_and_pass(micro) -> None:
    net, paths = micro
    work = Workload.from_files(net, paths[0::2], paths[1::2], num_bit_input=8)
    bar = _Bar()
    estimate(compat_config(8, 8, 128, 128, ["technode=22"]), work, progress=bar)
    n = len(work)
    assert bar.total == 2 * n == len(bar.statuses)  # synchronous: clock pass + layers
    assert bar.statuses[0] == f"clock pass: layer 1/{n}" and bar.statuses[-1] == f"layer {n}/{n}"
