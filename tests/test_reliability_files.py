"""Issue 16, bad files: configuration files, network CSVs and traces that are malformed, not
text, endless, huge or special are one ``Error:`` line naming the file (and line), exit 2,
never a traceback or a MemoryError; hypothesis feeds random bytes to every reader."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import case_by_id, network_path, trace_files  # noqa: E402

from neurosim.cli import cli  # noqa: E402
from neurosim.config import read_config_file  # noqa: E402
from neurosim.engine.traces import parse_input_trace, parse_weight_trace, \
    read_network_csv  # noqa: E402
from neurosim.errors import NeuroSimError  # noqa: E402

CASE = case_by_id("micro_sram_t22")
FAST = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

text_like = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")
                              if t else b""),
    st.lists(st.sampled_from([b"8", b",", b"\n", b"-1", b"1e999", b"nan", b" ", b"[", b"{",
                              b"=", b":", b"\xff", b"cellBit", b"0.5", b"\r\n", b"\"", b"#"]),
             max_size=60).map(b"".join),
)


@FAST
@given(data=text_like, suffix=st.sampled_from([".toml", ".yaml", ".json"]))
def test_config_reader_never_crashes(tmp_path_factory, data: bytes, suffix: str) -> None:
    p = tmp_path_factory.mktemp("cfg") / f"c{suffix}"
    p.write_bytes(data)
    try:
        read_config_file(p)
    except NeuroSimError as exc:
        assert str(p) in str(exc)


@FAST
@given(data=text_like)
def test_network_and_trace_readers_never_crash(tmp_path_factory, data: bytes) -> None:
    p = tmp_path_factory.mktemp("net") / "f.csv"
    p.write_bytes(data)
    for reader in (read_network_csv, parse_input_trace, parse_weight_trace):
        try:
            reader(p)
        except NeuroSimError as exc:
            assert str(p) in str(exc)


# ----------------------------------------------------------------------------- corpus
def _deep(n: int, open_: str, close: str) -> str:
    return open_ * n + close * n


CONFIG_CORPUS = [  # (file name, content, expected message part)
    ("nan.json", '{"cellBit": NaN}', "NaN is not a number an option can take"),
    ("big.json", '{"cellBit": 1e999}', "1e999 is out of the range of a finite number"),
    ("deep.json", _deep(100_000, "[", "]"), "nested too deeply"),
    ("deep.yaml", "a: " + _deep(100_000, "[", "]"), "nested too deeply"),
    ("deep.toml", "a = " + _deep(100_000, "[", "]"), "nested too deeply"),
    ("dup.yaml", "cellBit: 1\ncellBit: 2\n", "line 2: option 'cellBit' is given twice"),
    ("latin1.toml", b"cellBit = 1\n# caf\xe9\n", "line 2: configuration file is not UTF-8"),
    ("inf.toml", "cellBit = inf\n", "option cell_bits = inf must be a finite number"),
    ("nan.yaml", "accessVoltage: .nan\n", "access_voltage_v = nan must be a finite"),
    ("list.toml", "cellBit = [1, 2]\n", "cell_bits"),
]


@pytest.mark.parametrize("name,content,message", CONFIG_CORPUS)
def test_config_corpus(tmp_path: Path, name: str, content, message: str) -> None:
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = p.read_bytes()
    r = CliRunner().invoke(cli, ["config", "show", "--config", str(p)])
    assert r.exit_code == 2, r.output
    assert r.output.count("Error:") == 1 and "Traceback" not in r.output
    assert message in r.output and name in r.output
    assert p.read_bytes() == before


@pytest.mark.parametrize("path,message", [
    ("/dev/zero", "is a device, not a configuration file"),
    ("/tmp", "is a folder, not a configuration file"),
    ("/nonexistent/x.toml", "no such file"),
])
def test_special_config_paths(path: str, message: str) -> None:
    r = CliRunner().invoke(cli, ["config", "show", "--config", path])
    assert r.exit_code == 2 and message in r.output and r.output.count("\n") == 1


@pytest.mark.parametrize("delay_s", [0.0, 0.3])
def test_endless_pipe_is_read_up_to_the_limit(tmp_path: Path, monkeypatch,
                                              delay_s: float) -> None:
    """A FIFO/pipe has no size: at most limit + 1 bytes are read, then refused. It is opened
    without waiting for a writer (one nothing writes to must not hang); a writer connecting
    a moment later (``delay_s``) was missed: 'a pipe with nothing (left) to read' instead of
    the limit (CI saw it with no delay, the feeding thread a moment late)."""
    import os
    import threading
    import time

    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    monkeypatch.setenv("NEUROSIM_MAX_INPUT_MB", "1")

    def feed() -> None:
        time.sleep(delay_s)
        try:
            with open(fifo, "wb") as f:
                for _ in range(4):
                    f.write(b"#" * (1 << 19))
        except BrokenPipeError:
            pass

    t = threading.Thread(target=feed)
    t.start()
    r = CliRunner().invoke(cli, ["config", "show", "--config", str(fifo)])
    t.join(10)
    assert r.exit_code == 2
    assert "(not a regular file) is larger than the 1 MB limit" in r.output, r.output


def _compat(*args: str, net: str | None = None, traces: list[str] | None = None):
    argv = ["compat", net or str(network_path(CASE)), "8", "8", "128", "128",
            *(traces if traces is not None else trace_files(CASE)), "--quiet", *args]
    return CliRunner().invoke(cli, argv)


def _digest(paths) -> list[str]:
    return [hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths]


NETWORK_CORPUS = [
    ("stride.csv", "8,8,3,3,3,32,0,1\n8,8,32,3,3,64,1,100\n4,4,64,3,3,128,1,1\n"
                   "1,1,512,1,1,10,0,1\n", "line 2: stride 100 leaves no output position"),
    ("kernel.csv", "2,2,3,5,5,32,0,1\n", "line 1: kernel 5x5 is larger than the 2x2 input"),
    ("latin1.csv", b"8,8,3,3,3,32,0,1\n\xe9\n", "line 2: network file is not UTF-8"),
    ("nan.csv", "8,8,3,3,3,nan,0,1\n", "line 1: OFM channels 'nan' is not a whole number"),
]


@pytest.mark.parametrize("name,content,message", NETWORK_CORPUS)
def test_network_csv_corpus(tmp_path: Path, name: str, content, message: str) -> None:
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode())
    r = _compat(net=str(p))
    assert r.exit_code == 2, r.output
    assert r.output.count("Error:") == 1 and message in r.output and "Traceback" not in r.output


def test_device_and_huge_trace_are_refused_before_reading(tmp_path: Path,
                                                         monkeypatch) -> None:
    files = trace_files(CASE)
    r = _compat(traces=["/dev/zero", *files[1:]])
    assert r.exit_code == 2 and "/dev/zero: is a device, not a weight trace file" in r.output
    monkeypatch.setenv("NEUROSIM_MAX_INPUT_MB", "0.001")  # 1 kB: the Micro traces are larger
    r = _compat()
    assert r.exit_code == 2 and "trace file of 0.02637 MB is larger than the" in r.output


@pytest.mark.parametrize("args,message", [
    (["8", "8", "2", "2"], "switch matrix: the subarray's"),
    (["8", "8", "128", "128", "--param", "numRowSubArray=64"],
     "--param numRowSubArray=64 conflicts with the positional SUBARRAY_ROWS = 128"),
    (["8", "8", "128", "0"], "PARALLEL_ROWS = 0"),
    (["100000", "8", "128", "128"], "synapse_bits (NeuroSim: synapseBit) = 100000 must be <= 32"),
])
def test_compat_values_that_crashed_the_engine(args: list[str], message: str) -> None:
    argv = ["compat", str(network_path(CASE)), *args[:4], *trace_files(CASE), "--quiet",
            *args[4:]]
    r = CliRunner().invoke(cli, argv)
    assert r.exit_code == 2, r.output
    assert r.output.count("Error:") == 1 and message in r.output and "Traceback" not in r.output
