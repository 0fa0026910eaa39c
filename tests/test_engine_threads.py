"""Engine threads (``neurosim.engine.threads``): the weight traces are parsed on pool
threads ahead of their layers, and every figure is bit-identical whatever the count; the
clock pass of a design whose converter latency reads no resistance parses no weight trace;
``--threads`` / ``$NEUROSIM_THREADS`` are checked like every other option."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import case_by_id, case_params, network_path, trace_files  # noqa: E402

from neurosim.commands.compat import compat_config  # noqa: E402
from neurosim.engine import chip as chip_module  # noqa: E402
from neurosim.engine import layer_workers  # noqa: E402
from neurosim.engine.flow import estimate, estimate_from_files  # noqa: E402
from neurosim.engine.layer_memory import LayerMemory, ShapeOnlyMemory  # noqa: E402
from neurosim.engine.threads import resolve_threads  # noqa: E402
from neurosim.engine.workload import InputFile, WeightFile, Workload  # noqa: E402
from neurosim.errors import ConfigError  # noqa: E402

BIN = Path(sys.executable).with_name("neurosim")


def _config(case: dict):
    a = case["argv"]
    return compat_config(a["synapseBit"], a["numBitInput"], a["numRowSubArray"],
                         a["numRowParallel"], case_params(case))


def _run(case_id: str, threads: int) -> dict:
    case = case_by_id(case_id)
    files = trace_files(case)
    return estimate_from_files(network_path(case), files[0::2], files[1::2], _config(case),
                               threads=threads).to_json()


@pytest.mark.parametrize("case_id", ["minivgg_t1_fefet", "minivgg_rram_cb2_t22"])
def test_figures_do_not_depend_on_the_thread_count(case_id: str) -> None:
    one = _run(case_id, 1)
    three = _run(case_id, 3)
    assert json.dumps(one, sort_keys=True) == json.dumps(three, sort_keys=True)


def test_golden_figures_with_threads() -> None:
    # the golden C++ numbers (6 printed digits) with the default thread count too
    case = case_by_id("minivgg_t1_fefet")
    res = _run("minivgg_t1_fefet", 4)
    golden = case["golden"]
    for key in ("read_energy_j", "adc_energy_j", "read_latency_s"):
        assert res["chip"][key] == pytest.approx(golden["chip"][key], rel=1e-4), key
    assert res["performance"]["tops_per_w"] == pytest.approx(
        golden["performance"]["tops_per_w"], rel=1e-4)


def test_clock_pass_reads_no_stored_value(monkeypatch) -> None:
    # MLSA latency is a table value per conversion: the clock pass gets a shape-only
    # memory and no weight trace is parsed before the main pass (before: every layer's
    # trace was parsed and its blocks gathered for the clock pass)
    seen: list[tuple[bool, type]] = []
    perf = chip_module.Chip.calculate_performance

    def spy(self, layer, memory, inputs, clock, origin=None):
        seen.append((clock, type(memory)))
        return perf(self, layer, memory, inputs, clock, origin)

    monkeypatch.setattr(chip_module.Chip, "calculate_performance", spy)
    before_main: list[int] = []
    load = WeightFile.load

    def counted_load(self):
        before_main.append(sum(1 for clock, _ in seen if not clock))
        return load(self)

    monkeypatch.setattr(WeightFile, "load", counted_load)
    case = case_by_id("micro_rram_cb2_t65")
    files = trace_files(case)
    estimate_from_files(network_path(case), files[0::2], files[1::2], _config(case), threads=1)
    assert {t for clock, t in seen if clock} == {ShapeOnlyMemory}
    assert {t for clock, t in seen if not clock} == {LayerMemory}
    n = len(before_main)
    assert n and before_main == list(range(n))  # layer k parsed when main pass reaches it


def _count_submissions(monkeypatch) -> list:
    """The parses ``Workload.prefetch_traces`` hands to the pool."""
    submitted: list = []
    prefetch = Workload.prefetch_traces

    def spy(self, submit, weights=True):
        def counted(fn):
            submitted.append(fn)
            return submit(fn)
        return prefetch(self, counted, weights)

    monkeypatch.setattr(Workload, "prefetch_traces", spy)
    return submitted


def _count_parses(monkeypatch, cls, names: tuple[str, ...]) -> list:
    """The threads that ran ``cls``'s parse methods ``names`` (one entry per parse; a
    prefetched file's ``load_quietly`` calls no ``load``)."""
    runs: list = []
    for name in names:
        original = getattr(cls, name)

        def spy(self, _original=original):
            runs.append(threading.current_thread().name)
            return _original(self)

        monkeypatch.setattr(cls, name, spy)
    return runs


def test_prefetch_keeps_notice_order_and_parses_each_file_once(monkeypatch, capsys,
                                                                tmp_path) -> None:
    case = case_by_id("micro_rram_cb2_t65")
    files = trace_files(case)
    weights = [Path(f) for f in files[0::2]]
    # two layers with a weight outside [-1, 1]: one notice each, in layer order, printed
    # by the main thread when the layer is used
    moved = []
    for k in (0, len(weights) - 1):
        text = weights[k].read_bytes()
        out = tmp_path / f"w{k}.csv"
        out.write_bytes(b"   1.50000" + text[10:])
        weights[k] = out
        moved.append(str(out))
    submitted = _count_submissions(monkeypatch)
    parses = _count_parses(monkeypatch, WeightFile, ("load", "load_quietly"))
    cfg = _config(case)
    forked = layer_workers.fork_wanted(case["network_rows"], case["argv"]["numBitInput"], 2)
    res = estimate_from_files(network_path(case), [str(w) for w in weights], files[1::2], cfg,
                              threads=2)
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if "outside algoWeightMin/Max" in ln]
    assert [moved[0] in lines[0], moved[1] in lines[1]] == [True, True] and len(lines) == 2
    # every trace handed to the pool (inputs, then weights); each weight file parsed once,
    # by the pool or (when the main thread got there first) by the main thread; where the
    # main pass forks (layer_workers), each process parses its own layers' weights
    if forked:
        assert len(submitted) == len(weights) and len(parses) <= len(weights)
    else:
        assert len(submitted) == 2 * len(weights)
        assert len(parses) == len(weights)
    serial = estimate_from_files(network_path(case), [str(w) for w in weights], files[1::2],
                                 cfg, threads=1)
    capsys.readouterr()
    assert json.dumps(res.to_json(), sort_keys=True) == json.dumps(serial.to_json(),
                                                                    sort_keys=True)


def test_a_bad_weight_trace_is_the_same_error_with_threads(tmp_path) -> None:
    case = case_by_id("micro_rram_cb2_t65")
    files = trace_files(case)
    weights = list(files[0::2])
    bad = tmp_path / "bad.csv"
    text = Path(weights[1]).read_bytes()
    bad.write_bytes(b"       nan" + text[10:])
    weights[1] = str(bad)
    messages = []
    for threads in (1, 2):
        with pytest.raises(Exception) as info:
            estimate_from_files(network_path(case), weights, files[1::2], _config(case),
                                threads=threads)
        messages.append(str(info.value))
    assert messages[0] == messages[1] and "bad.csv" in messages[0]


def test_input_traces_parsed_ahead_and_a_bad_one_named(monkeypatch, tmp_path) -> None:
    case = case_by_id("micro_rram_cb2_t65")
    files = trace_files(case)
    submitted = _count_submissions(monkeypatch)
    parses = _count_parses(monkeypatch, InputFile, ("load",))
    n = len(files) // 2
    # where the main pass forks, the pool parses no weight trace
    forked = layer_workers.fork_wanted(case["network_rows"], case["argv"]["numBitInput"], 2)
    estimate_from_files(network_path(case), files[0::2], files[1::2], _config(case),
                        threads=2)
    assert len(submitted) == (1 if forked else 2) * n
    assert len(parses) == n  # each input trace parsed once
    # a malformed input trace of the last layer: the same error, naming the file, either way
    inputs = list(files[1::2])
    bad = tmp_path / "in_bad.csv"
    bad.write_text("0,1,x\n")
    inputs[-1] = str(bad)
    messages = []
    for threads in (1, 2):
        with pytest.raises(Exception) as info:
            estimate_from_files(network_path(case), files[0::2], inputs, _config(case),
                                threads=threads)
        messages.append(str(info.value))
    assert messages[0] == messages[1] and "in_bad.csv" in messages[0]


def test_workload_reused_after_prefetch_gives_the_same_figures() -> None:
    case = case_by_id("micro_rram_cb2_t65")
    files = trace_files(case)
    a = case["argv"]
    work = Workload.from_files(network_path(case), files[0::2], files[1::2],
                               num_bit_input=a["numBitInput"])
    cfg = _config(case)
    first = estimate(cfg, work, threads=2).to_json()
    again = estimate(cfg, work, threads=1).to_json()
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)
    # input traces parsed on first use (estimate_from_files) or up front: the same figures
    lazy = estimate_from_files(network_path(case), files[0::2], files[1::2], cfg).to_json()
    assert json.dumps(lazy, sort_keys=True) == json.dumps(first, sort_keys=True)


def test_resolve_threads(monkeypatch) -> None:
    monkeypatch.setenv("NEUROSIM_THREADS", "3")
    assert resolve_threads() == 3
    assert resolve_threads(1) == 1
    monkeypatch.setenv("NEUROSIM_THREADS", "many")
    with pytest.raises(ConfigError, match="NEUROSIM_THREADS"):
        resolve_threads()
    monkeypatch.delenv("NEUROSIM_THREADS")
    assert 1 <= resolve_threads() <= 8
    with pytest.raises(ConfigError, match="1 to 1024"):
        resolve_threads(0)


def _compat(*extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    case = case_by_id("micro_rram_cb2_t65")
    a = case["argv"]
    params = [x for kv in case_params(case) for x in ("--param", kv)]
    return subprocess.run([str(BIN), "compat", str(network_path(case)), str(a["synapseBit"]),
                           str(a["numBitInput"]), str(a["numRowSubArray"]),
                           str(a["numRowParallel"]), *trace_files(case), *params, "--quiet",
                           *extra], capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("value", ["0", "-2", "2000"])
def test_threads_option_out_of_range(value: str) -> None:
    proc = _compat("--threads", value)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:") and f"--threads {value}" in lines[0]


def test_threads_environment_variable_malformed() -> None:
    import os

    proc = _compat(env=dict(os.environ, NEUROSIM_THREADS="two"))
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:") and "NEUROSIM_THREADS=two" in lines[0]


def test_threads_option_same_output(tmp_path) -> None:
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    p1 = _compat("--threads", "1", "--json", str(one))
    p2 = _compat("--threads", "2", "--json", str(two))
    assert p1.returncode == 0 and p2.returncode == 0, (p1.stderr, p2.stderr)
    a, b = json.loads(one.read_text()), json.loads(two.read_text())
    for d in (a, b):
        d.pop("provenance", None)
    assert a == b


def test_weight_shape_check_never_blocks_on_a_fifo(tmp_path) -> None:
    # SRAM reads only the shape of a weight trace; a named pipe nothing writes to made the
    # check open() it and wait forever (before); it is read without waiting and named
    import os

    case = case_by_id("micro_sram_t22")
    layer = Workload.from_files(network_path(case), trace_files(case)[0::2],
                                trace_files(case)[1::2]).layers[0]
    fifo = tmp_path / "weights.fifo"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def check() -> None:
        try:
            WeightFile(str(fifo), layer).check_shape()
        except BaseException as exc:  # noqa: BLE001 - inspected below
            outcome.append(exc)

    worker = threading.Thread(target=check, daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():  # let the blocked open() go before failing
        with open(fifo, "wb"):
            pass
        pytest.fail("check_shape blocked on a FIFO")
    assert outcome and "weights.fifo" in str(outcome[0])
