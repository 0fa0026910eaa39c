"""The main pass's layers on two processes (``neurosim.engine.layer_workers``): the same
figures, notices and errors as one process, in the same order; a child that dies or
raises costs time only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import case_by_id, case_params, network_path, trace_files  # noqa: E402

from neurosim.engine import layer_leakage, layer_workers  # noqa: E402
from neurosim.held_notices import capturing  # noqa: E402

ORACLE = {c["id"]: c for c in map(json.loads, (Path(__file__).parent / "golden"
                                              / "oracle_extra.jsonl").read_text().splitlines())}


def _case(case_id: str) -> dict:
    return ORACLE[case_id] if case_id in ORACLE else case_by_id(case_id)
needs_fork = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux")


#: ``neurosim`` in a fresh process that forks for any network (MIN_FORK_COST 0: these
#: small networks would run in one process) and notes each fork in the file $FORK_MARK
LAUNCH = """
import os, sys
from neurosim.engine import layer_workers as L
L.MIN_FORK_COST = 0
run = L.evaluate_layers
def noted(*a, **k):
    with open(os.environ["FORK_MARK"], "a") as f:
        f.write("fork\\n")
    return run(*a, **k)
L.evaluate_layers = noted
if os.environ.get("ZERO_STARTS"):  # every layer starts from zero leakage numbers
    L.predicted_starts = lambda clock, final, n: [tuple(0.0 for _ in final)] * n
from neurosim.cli import main
main(sys.argv[1:])
"""


def _compat(case_id: str, tmp: Path, threads: int, files: list[str] | None = None,
            zero_starts: bool = False):
    case = _case(case_id)
    a = case["argv"]
    params = [x for kv in case_params(case) for x in ("--param", kv)]
    out = tmp / f"out{threads}.json"
    mark = tmp / f"forks{threads}"
    mark.unlink(missing_ok=True)
    cmd = [sys.executable, "-c", LAUNCH, "compat", str(network_path(case)),
           str(a["synapseBit"]), str(a["numBitInput"]), str(a["numRowSubArray"]),
           str(a["numRowParallel"]), *(files or trace_files(case)), *params, "--json",
           str(out), "--threads", str(threads)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "FORK_MARK": str(mark),
                               "ZERO_STARTS": "1" if zero_starts else ""})
    forks = mark.read_text().count("fork") if mark.exists() else 0
    assert forks == (1 if threads > 1 else 0), (threads, forks, proc.stderr)
    return proc.returncode, proc.stdout, proc.stderr, out.read_text() if out.exists() else None


def _edited_traces(case_id: str, tmp: Path, edits: dict[int, str]) -> list[str]:
    """The case's trace files copied, weight file k's first value replaced by edits[k]."""
    files = []
    for k, f in enumerate(trace_files(case_by_id(case_id))):
        dst = tmp / f"{k}_{Path(f).name}"
        shutil.copyfile(f, dst)
        layer = k // 2
        if k % 2 == 0 and layer in edits:
            text = dst.read_text()
            first = text.split(",", 1)
            dst.write_text(edits[layer] + "," + first[1])
        files.append(str(dst))
    return files


@needs_fork
def test_two_processes_print_what_one_does(tmp_path) -> None:
    # out-of-range weights in layers 2 and 4 of MiniVGG FeFET: each layer's notice, in
    # layer order, whichever process evaluated it; the same JSON bit for bit
    files = _edited_traces("minivgg_t22_fefet", tmp_path, {1: "1.75", 3: "-2.5"})
    one = _compat("minivgg_t22_fefet", tmp_path, 1, files)
    two = _compat("minivgg_t22_fefet", tmp_path, 2, files)
    assert one[0] == 0, one[2]
    notices = [line for line in one[2].splitlines() if line.startswith("Notice:")]
    assert len(notices) == 2 and "2_weight2.csv" in notices[0] and "6_weight4.csv" in notices[1]
    assert one == two


@needs_fork
@pytest.mark.parametrize("case_id", ["minivgg_t1_sa256", "oracle_rndB41_84"])
def test_leakage_left_by_earlier_layers(tmp_path, case_id: str) -> None:
    # a PE whose subarrays each hold the whole matrix evaluates no adder tree and reports
    # the leakage the last layer that did left it, as NeuroSim's members do. MiniVGG on
    # 256-row subarrays at 1 nm: the last layer, evaluated out of order, saw another value
    # (leakage 1.1173e-4 W instead of 1.1337e-4 W); MiniRes at 1 nm with a SAR ADC (an
    # oracle case): layer 1's tree showed the adder tree at 0 W, not 9.6e-7 W
    one = _compat(case_id, tmp_path, 1)
    assert one[0] == 0, one[2]
    assert one == _compat(case_id, tmp_path, 2)
    # every layer started from wrong numbers: those that read them are evaluated again
    assert one == _compat(case_id, tmp_path, 2, zero_starts=True)


@needs_fork
def test_first_failing_layer_in_order_is_the_error(tmp_path) -> None:
    # unreadable values in layers 3 and 6: the Error names layer 3's file as the serial
    # run does (layer 6 is the costlier: the parent takes it first and fails there)
    files = _edited_traces("minivgg_t22_fefet", tmp_path, {2: "zz", 5: "yy"})
    one = _compat("minivgg_t22_fefet", tmp_path, 1, files)
    two = _compat("minivgg_t22_fefet", tmp_path, 2, files)
    assert one[0] == 2 and one[2].count("Error:") == 1, one[2]
    assert Path(files[4]).name in one[2] and Path(files[10]).name not in one[2]
    assert one == two


def _work(i: int) -> tuple[int, int]:
    """A layer's stand-in: tells a notice and a warning, returns (i, pid)."""
    from neurosim.held_notices import say

    say(f"Notice: layer {i} parsed")
    warnings.warn(f"layer {i} circuit message", UserWarning, stacklevel=1)
    time.sleep(0.05)  # both processes take layers
    return i, os.getpid()


@needs_fork
def test_outcomes_and_notices_come_back_in_layer_order() -> None:
    outcomes = layer_workers.evaluate_layers(_work, [3, 0, 5, 1, 4, 2])
    assert [o.perf[0] for o in outcomes] == list(range(6))
    assert len({o.perf[1] for o in outcomes}) == 2  # this process and the child
    registry: dict = {}
    lines: list[str] = []
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("default")
        with capturing(lines):
            for o in outcomes:
                layer_workers.tell(o, registry)
    assert lines == [f"Notice: layer {i} parsed" for i in range(6)]
    assert [str(w.message) for w in seen] == [f"layer {i} circuit message" for i in range(6)]


def _dies_in_child(parent: int):
    def evaluate(i: int) -> int:
        if os.getpid() != parent:
            os._exit(3)  # the child dies without sending anything
        time.sleep(0.1)  # the child takes a layer meanwhile
        return i
    return evaluate


@needs_fork
def test_a_dead_child_leaves_its_layers_to_the_caller() -> None:
    outcomes = layer_workers.evaluate_layers(_dies_in_child(os.getpid()), [0, 1, 2, 3])
    done = [i for i, o in enumerate(outcomes) if o is not None]
    assert 0 < len(done) < 4 and all(outcomes[i].perf == i for i in done)
    # the layers the child took are missing: nothing invented for them
    assert all(o is None or o.error is None for o in outcomes)


def _raises_at(bad: int):
    def evaluate(i: int) -> int:
        if i == bad:
            raise ValueError(f"layer {i} is bad")
        return i
    return evaluate


@needs_fork
@pytest.mark.parametrize("bad", [0, 3])
def test_a_raising_layer_stops_its_process(bad: int) -> None:
    outcomes = layer_workers.evaluate_layers(_raises_at(bad), [0, 1, 2, 3])
    for i, o in enumerate(outcomes):
        if o is None:
            continue  # the caller evaluates it (and raises, for the bad one, in order)
        if i == bad:
            assert isinstance(o.error, ValueError) and o.perf is None
        else:
            assert o.error is None and o.perf == i


def test_fork_only_where_it_is_safe(monkeypatch) -> None:
    monkeypatch.delitem(sys.modules, "torch", raising=False)
    others = [t for t in threading.enumerate() if t is not threading.current_thread()]
    assert layer_workers.fork_usable(4, 2) == (
        sys.platform.startswith("linux") and threading.current_thread() is threading.main_thread()
        and all(t.daemon for t in others))
    assert not layer_workers.fork_usable(4, 1)  # one engine thread: serial
    assert not layer_workers.fork_usable(1, 2)  # one layer: nothing to share
    monkeypatch.setitem(sys.modules, "torch", object())
    assert not layer_workers.fork_usable(4, 2)  # torch's OpenMP threads
    monkeypatch.delitem(sys.modules, "torch")
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)  # a non-daemon thread is running
    worker.start()
    try:
        assert not layer_workers.fork_usable(4, 2)
    finally:
        stop.set()
        worker.join()


def test_only_a_workloads_first_estimate_forks(monkeypatch) -> None:
    # later estimates on the same workload reuse the statistics the parent kept; the
    # child's stay in the child, so they run in one process
    from neurosim.commands.compat import compat_config
    from neurosim.engine.flow import estimate
    from neurosim.engine.workload import Workload

    forks: list[int] = []

    def fake(evaluate, order, holders=None, starts=None, power_calls=None):
        forks.append(len(order))
        return [None] * len(order)  # nothing done aside: the parent evaluates every layer

    monkeypatch.setattr(layer_workers, "fork_usable", lambda n, threads: threads > 1)
    monkeypatch.setattr(layer_workers, "evaluate_layers", fake)
    monkeypatch.setattr(layer_workers, "MIN_FORK_COST", 0)
    case = case_by_id("micro_rram_cb2_t65")
    files = trace_files(case)
    a = case["argv"]
    work = Workload.from_files(network_path(case), files[0::2], files[1::2],
                               num_bit_input=a["numBitInput"])
    cfg = compat_config(a["synapseBit"], a["numBitInput"], a["numRowSubArray"],
                        a["numRowParallel"], case_params(case))
    first = estimate(cfg, work, threads=2).to_json()
    second = estimate(cfg, work, threads=2).to_json()
    assert forks == [4] and first == second


def test_serial_start_check_and_prediction() -> None:
    O = layer_workers.Outcome
    fam = [[0, 1], [2]]
    check = layer_leakage.started_as_serial
    # part set 0 used: number 1 written, number 0 not: it must be the serial one
    layer = dict(perf=("p", [0]), before=(1.0, 2.0, 3.0), after=(1.0, 5.0, 3.0),
                 written=frozenset({1}))
    assert check(O(**layer), (1.0, 9.0, 8.0), fam)
    assert not check(O(**layer), (7.0, 9.0, 3.0), fam)
    # a number written with the value it had counts as written
    assert check(O(**{**layer, "written": frozenset({0, 1})}), (7.0, 9.0, 3.0), fam)
    # part set 1 not used: whatever it held is not read
    assert check(O(**{**layer, "after": (4.0, 5.0, 3.0), "written": frozenset({0, 1})}),
                 (7.0, 9.0, 8.0), fam)
    # used and not written (summed without being evaluated): must be the serial number
    assert not check(O(perf=("p", [1]), before=(1.0, 2.0, 3.0), after=(1.0, 2.0, 3.0)),
                     (1.0, 2.0, 8.0), fam)
    nan = float("nan")
    assert check(O(perf=("p", [0]), before=(nan, 2.0), after=(nan, 5.0),
                   written=frozenset({1})), (nan, 0.0), [[0, 1]])
    assert not check(O(), (1.0,), fam)  # nothing recorded
    # after an accepted layer: what it wrote, else the serial numbers
    assert layer_leakage.state_after(O(**layer), (1.0, 9.0, 8.0)) == (1.0, 5.0, 8.0)
    # the clock pass left (5, 6, 7); its layer 0 wrote number 1 (4.0), layer 1 all three:
    # main layer 1 starts from the final numbers with layer 0's write
    clock = [((0.0, 4.0, 0.0), frozenset({1})), ((5.0, 6.0, 7.0), frozenset({0, 1, 2}))]
    assert layer_leakage.predicted_starts(clock, (5.0, 6.0, 7.0), 3) == [
        (5.0, 6.0, 7.0), (5.0, 4.0, 7.0), (5.0, 6.0, 7.0)]
    assert layer_leakage.predicted_starts([], (1.0,), 2) == [(1.0,), (1.0,)]  # no clock pass




@needs_fork
def test_no_fork_to_be_had_leaves_every_layer_to_the_caller(monkeypatch) -> None:
    # fork() failing (EAGAIN: the process limit; ENOMEM) is not an error of the run: the
    # caller evaluates the layers in one process (before: the OSError ended the command)
    def refuse() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    open_fds = len(os.listdir("/proc/self/fd"))
    monkeypatch.setattr(os, "fork", refuse)
    assert layer_workers.evaluate_layers(_raises_at(-1), [0, 1, 2]) == [None, None, None]
    assert len(os.listdir("/proc/self/fd")) == open_fds  # no pipe left open
