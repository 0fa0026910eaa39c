"""Bad input found by a second fuzzing round (sweep spec files, ``sweep show``, ``accuracy``
/ ``train`` / ``traces export`` options, command groups without a command): one
``Error:`` line naming the option, file or key, exit 2, no traceback, nothing written.
Each case failed before its fix (exit 1 with an internal error, or exit 0 with every row
rejected or the value silently ignored)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_bad_input_cli import assert_error, neurosim  # noqa: E402

MODEL = 'model = "smallnet.py:build"\n'
GRID = "[grid]\ntechnode = [22]\n"


def in_process(*args: str) -> subprocess.CompletedProcess:
    """``neurosim ARGS`` run by click's test runner in this process (the spec cases: a
    subprocess each took 1-3 s of imports); stdout and stderr kept apart."""
    from click.testing import CliRunner

    from neurosim.cli import cli

    res = CliRunner().invoke(cli, list(args))
    return subprocess.CompletedProcess(args, res.exit_code, res.stdout, res.stderr)


def run_spec(tmp_path: Path, name: str, text: str, *extra: str):
    spec = tmp_path / name
    spec.write_text(text)
    out = tmp_path / "out"
    proc = in_process("sweep", "run", str(spec), "--out", str(out), "--workers", "1",
                      "--quiet", "--no-plots", *extra)
    return proc, spec, out


def assert_one_error(proc, *names: str) -> str:
    line = assert_error(proc, *names)
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    return line


# ---------------------------------------------------------------- spec values
@pytest.mark.parametrize("name,text,named", [
    # exit 1: ValueError / OverflowError converting a float node to '<int>nm'
    ("nan.toml", MODEL + "[grid]\ntechnode = [nan]\n", "[grid] technode"),
    ("inf.toml", MODEL + "[base]\ntechnode = inf\n", "[base] technode"),
    ("pnan.toml", MODEL + "[[points]]\ntechnode = nan\n", "[[points]] #1 technode"),
    # exit 1: AttributeError ('int' object has no attribute 'startswith')
    ("key.yaml", "model: smallnet.py:build\ngrid:\n  1: [22]\n", "[grid] 1"),
    # exit 1: numpy's ValueError (expected non-negative integer)
    ("seed.toml", MODEL + "[random]\nsamples = 1\nseed = -1\ntechnode = [22]\n",
     "[random] seed = -1"),
    # exit 0, every row rejected: bounds were checked per row, not when the file was read
    ("neg.toml", MODEL + "[grid]\nsubarray_rows = [-128]\n", "must be >= 1"),
    ("huge.toml", MODEL + "[base]\nsubarray_rows = 9223372036854775807\n", "<= 8192"),
    ("pneg.toml", MODEL + "[[points]]\nsubarray_rows = -128\n", "[[points]] #1"),
    ("temp.toml", MODEL + "[random]\nsamples = 1\ntemperature_k = {min = 1, max = 1e9}\n",
     "300-400 K"),
    ("choice.toml", MODEL + "[grid]\nquant_mode = ['WAGE', 'x']\n", "quant_mode"),
    ("periph.toml", MODEL + "[grid]\n'peripherals.adc' = ['sar', 'nope']\n", "'nope'"),
    # exit 0, rows of 13nm, 17nm, ... rejected: a range over plugin names
    ("range.toml", MODEL + "[random]\nsamples = 2\ntechnode = {min = 7, max = 22}\n",
     "list of choices"),
    # exit 0: 100,010 combinations expanded (13 s) although at most 100,000 are allowed
    ("total.toml", MODEL + "[random]\nsamples = 100000\ntechnode = [22]\n[grid]\n"
     "temperature_k = [300, 310]\n", "100002 configurations"),
    # exit 0: an objective twice, a layer 0 (layers count from 1)
    ("obj2.toml", MODEL + GRID + "[objectives]\nminimize = ['chip.area_m2', "
     "'chip.area_m2']\n", "given twice"),
    ("obj0.toml", MODEL + GRID + "[objectives]\nminimize = ['layers.0.read_energy_j']\n",
     "layers.0.read_energy_j"),
    # exit 1: RecursionError in the YAML / TOML parser
    ("deep.yaml", "grid:\n  technode: " + "[" * 50000 + "]" * 50000 + "\n", "too deeply"),
    ("deep.toml", MODEL + "base = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n", "too deeply"),
])
def test_bad_spec_values(tmp_path: Path, name: str, text: str, named: str) -> None:
    proc, spec, out = run_spec(tmp_path, name, text)
    assert_one_error(proc, str(spec), named)
    assert not out.exists()


# ---------------------------------------------------------------- spec inputs
@pytest.mark.parametrize("text,named", [
    ('model = "nofile.py:build"\n' + GRID, "no such file nofile.py"),
    ('model = "smallnet.py:nofunc"\n' + GRID, "no function 'nofunc'"),
    ('model = "smallnet"\n' + GRID, "expected module:function"),
    ('model = "broken.py:build"\n' + GRID, "SyntaxError"),
    ('network = "lenet"\ncheckpoint = "nope.pth"\n' + GRID, "checkpoint nope.pth: no such file"),
    ('network = "lenet"\ninput_shape = "a,b"\n' + GRID, "input_shape = 'a,b'"),
    ('traces = "empty"\n' + GRID, "no trace_command.sh"),
    ('network = "lenet"\ncheckpoint = "junk.pth"\n' + GRID, "cannot load it"),
    (MODEL + 'checkpoint = "junk.pth"\n' + GRID, "checkpoint applies to network"),
    (MODEL + 'data = "digits:test"\n' + GRID, "random inputs only"),
    ('network = "lenet"\ninput_shape = "3,32,32"\n' + GRID, "takes inputs of shape 1,8,8"),
    ('network = "lenet"\ndata = "cifar10:nowhere"\n' + GRID, "takes 1x8x8 images"),
    ('network = "lenet"\n' + GRID + "[net_options.a]\nb = 1\n", "[net_options] 'a'"),
])
def test_bad_spec_inputs(tmp_path: Path, text: str, named: str) -> None:
    # before: exit 0, every row 'rejected' with the same capture error
    from small_models import SMALLNET

    (tmp_path / "smallnet.py").write_text(SMALLNET)
    (tmp_path / "broken.py").write_text("def build(:\n")
    (tmp_path / "empty").mkdir()
    (tmp_path / "junk.pth").write_bytes(b"garbage" * 10)
    proc, spec, out = run_spec(tmp_path, "s.toml", text)
    assert_one_error(proc, str(spec), named)
    assert not out.exists()


def test_trace_set_missing_a_file(tmp_path: Path) -> None:
    from small_models import SMALLNET

    (tmp_path / "smallnet.py").write_text(SMALLNET)
    traces = tmp_path / "tr"
    proc = neurosim("traces", "export", str(traces), "--model",
                    f"{tmp_path / 'smallnet.py'}:build", "--quiet")
    assert proc.returncode == 0, proc.stderr
    (traces / "inputConv1_.csv").unlink()  # before: exit 0, every row rejected
    proc, spec, out = run_spec(tmp_path, "s.toml", 'traces = "tr"\n' + GRID)
    assert_one_error(proc, str(spec), "inputConv1_.csv", "missing")
    assert not out.exists()


# ---------------------------------------------------------------- sweep show
@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A one-row sweep folder (smallnet, 22 nm SRAM)."""
    from small_models import SMALLNET

    d = tmp_path_factory.mktemp("show")
    (d / "smallnet.py").write_text(SMALLNET)
    (d / "s.toml").write_text(MODEL + GRID + "[objectives]\nminimize = ['chip.area_m2', "
                              "'chip.read_latency_s']\n")
    proc = neurosim("sweep", "run", str(d / "s.toml"), "--out", str(d / "out"), "--workers",
                    "1", "--quiet", "--no-plots")
    assert proc.returncode == 0, proc.stderr
    return d / "out"


def test_show_csv_onto_the_store(store: Path) -> None:
    db = store / "results.sqlite"
    before = db.read_bytes()  # before: exit 0, the store overwritten by the CSV
    assert_one_error(in_process("sweep", "show", str(store), "--csv", str(db)), "--csv",
                     "input file")
    assert db.read_bytes() == before


@pytest.mark.parametrize("args,named", [
    (["--where", "chip.area_m2 < nan"], "finite"),  # before: exit 0, no row matched
    (["--where", "chip.area_m2 > inf"], "finite"),
    (["--where", ""], "--where"),  # before: exit 0, the option ignored
    (["--sort", " "], "--sort"),
    (["--columns", ","], "--columns"),
])
def test_show_bad_options(store: Path, args: list[str], named: str) -> None:
    assert_one_error(in_process("sweep", "show", str(store), *args), named)


def test_show_writes_both_outputs_or_neither(store: Path, tmp_path: Path) -> None:
    csv = tmp_path / "rows.csv"
    csv.write_text("previous")  # before: the CSV was written, then the plot failed
    empty = tmp_path / "empty"
    empty.mkdir()
    import shutil
    import sqlite3

    shutil.copy(store / "results.sqlite", empty / "results.sqlite")
    with sqlite3.connect(empty / "results.sqlite") as db:
        db.execute("UPDATE meta SET value = '[]' WHERE key = 'objectives'")
    proc = neurosim("sweep", "show", str(empty), "--csv", str(csv), "--plot",
                    str(tmp_path / "p.png"))
    assert_one_error(proc, "--plot", "no objectives")
    assert csv.read_text() == "previous" and not (tmp_path / "p.png").exists()


@pytest.mark.parametrize("table", ["rows (a int)", "other (a int)"])
def test_foreign_sqlite_file(tmp_path: Path, table: str) -> None:
    import sqlite3

    d = tmp_path / "d"
    d.mkdir()
    with sqlite3.connect(d / "results.sqlite") as db:
        db.execute(f"CREATE TABLE {table}")
    before = (d / "results.sqlite").read_bytes()
    # before: exit 1 (OperationalError: no such column) or exit 0 with the store's
    # tables added to the foreign file
    assert_one_error(neurosim("sweep", "show", str(d)), "results.sqlite", "not a sweep store")
    spec = tmp_path / "s.toml"
    spec.write_text(MODEL + GRID)
    from small_models import SMALLNET

    (tmp_path / "smallnet.py").write_text(SMALLNET)
    assert_one_error(neurosim("sweep", "run", str(spec), "--out", str(d), "--workers", "1",
                              "--quiet"), "results.sqlite", "not a sweep store")
    assert (d / "results.sqlite").read_bytes() == before
    assert sorted(p.name for p in d.iterdir()) == ["results.sqlite"]


# ---------------------------------------------------------------- command line
@pytest.mark.parametrize("group,commands", [("sweep", "run, show"), ("traces", "export"),
                                            ("network", "list, show"), ("config", "show")])
def test_group_without_a_command(group: str, commands: str) -> None:
    # before: exit 2 with the group's help text (6-7 lines) and no Error line
    assert_one_error(neurosim(group), f"'neurosim {group}' needs a command: {commands}",
                     f"neurosim {group} --help")


def test_negative_number_argument() -> None:
    # before: "Error: No such option '-1'", which says nothing of what to give instead
    proc = neurosim("compat", "net.csv", "8", "8", "128", "-1", "w1.csv", "i1.csv")
    assert_one_error(proc, "-1 is not an option of 'neurosim compat'", "PARALLEL_ROWS",
                     "positive numbers")


# ---------------------------------------------------------------- accuracy / train
ACC = ("accuracy", "--network", "lenet", "--data", "random:2", "--quiet")


@pytest.mark.parametrize("option", ["mem_states_file", "output_noise_file"])
def test_nonideality_csv_not_utf8(tmp_path: Path, option: str) -> None:
    bad = tmp_path / "states.csv"
    bad.write_bytes(bytes(range(256)))  # before: exit 1 (UnicodeDecodeError)
    out = tmp_path / "o.json"
    proc = neurosim(*ACC, "--set", f"{option}={bad}", "--json", str(out))
    assert_one_error(proc, "states.csv", option, "not UTF-8")
    assert not out.exists()


def test_nonideality_csv_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "states.csv"  # before: read whole, whatever its size (/dev/zero: hang)
    big.write_text("states,mean,std\n" + "0,1e-6,0\n" * 2000)
    import os
    import subprocess

    proc = subprocess.run([sys.executable, "-m", "neurosim.cli", *ACC, "--set",
                           f"mem_states_file={big}"], capture_output=True, text=True,
                          env={**os.environ, "NEUROSIM_MAX_INPUT_MB": "0.001"})
    assert_one_error(proc, "mem_states_file", "limit")


@pytest.mark.parametrize("args,named", [
    (["--seed", "99999999999999999999"], "--seed"),  # exit 1: Overflow (long long)
    (["--lr", "1e308"], "--lr 1e+308: must be <= 1000"),  # exit 1: float overflow in SGD
    (["--weight-decay", "1e308"], "--weight-decay"),  # exit 1: float overflow in SGD
    (["--momentum", "5"], "--momentum 5.0: must be <= 1"),  # exit 0: diverging SGD
    (["--threads", "100000"], "--threads 100000"),  # killed by SIGSEGV (rc -11)
    (["--decreasing-lr", "-5"], "--decreasing-lr -5"),  # exit 0: never applied
])
def test_train_settings(tmp_path: Path, args: list[str], named: str) -> None:
    out = tmp_path / "t.pth"
    proc = neurosim("train", "--network", "lenet", "--data", "digits:train", "--limit", "8",
                    "--epochs", "1", "--quiet", "--out", str(out), *args)
    assert_one_error(proc, named)
    assert not out.exists() and list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- stderr of good runs
def test_compiled_adc_kernel_is_silent() -> None:
    """The CPU kernel torch.compile builds for the accuracy path: where a CUDA toolkit is
    installed without a GPU, torch logged 'No CUDA runtime is found, using CUDA_HOME=...'
    on stderr (every VGG8 `neurosim accuracy` run on such a machine)."""
    import subprocess

    code = ("import torch\nfrom neurosim.accuracy.adc_float import adc_float_kernel\n"
            "adc_float_kernel()(torch.rand(4, 8), (1,), 7.0, 7.0)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stderr == ""


@pytest.mark.parametrize("scheduler,named", [
    ("tcp://127.0.0.1:1", "cannot connect"),  # before: 30 s, then the error
    ("tcp://", "expected tcp://HOST:PORT"),
    ("tcp://[::1:80", "expected tcp://HOST:PORT"),  # before: exit 1 (Invalid IPv6 URL)
    ("tls://127.0.0.1:1", "tcp://HOST:PORT"),  # before: exit 1 (TypeError: ssl_context)
])
def test_unreachable_scheduler_writes_nothing(tmp_path: Path, scheduler: str,
                                              named: str) -> None:
    # before: the --out folder was created with a store of pending rows
    proc, _, out = run_spec(tmp_path, "s.toml", MODEL + GRID, "--scheduler", scheduler)
    assert_one_error(proc, f"--scheduler {scheduler}", named)
    assert not out.exists()


def test_where_quoted_value_with_separators() -> None:
    """A quoted value holding ',' or ' and ' (NeuroSim's reasons do) was split inside the
    quotes: ``Error: --where ...: cannot read "reason = 'a"``."""
    from neurosim.sweep.query import parse_where

    conds = parse_where("reason = 'at 7nm, rram and sram' and technode <= 22",
                        ["reason", "technode"])
    assert [(c.column, c.value) for c in conds] == [("reason", "at 7nm, rram and sram"),
                                                    ("technode", 22.0)]


def test_accuracy_sweep_too_many_points(tmp_path: Path) -> None:
    # before: 48,000 configurations loaded (a minute) before the first of 48,000 runs
    seeds = ",".join(str(i) for i in range(1000))
    out = tmp_path / "o.json"
    proc = in_process(*ACC, "--sweep", f"seed={seeds}", "--sweep", "adc_bits=" +
                      ",".join(str(b) for b in range(1, 17)), "--sweep", "variation=0,0.1,0.2",
                      "--json", str(out))
    assert_one_error(proc, "--sweep", "48,000 combinations", "at most 10,000")
    assert not out.exists()
