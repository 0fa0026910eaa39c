"""More bad input: one ``Error:`` line naming the option, key or file, exit 2, no
traceback, nothing written (holes found by a second review; each test failed before its
fix: the option was ignored, the value changed silently, or the run crashed with exit 1)."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import case_by_id, network_path, trace_files  # noqa: E402
from test_bad_input_cli import assert_error, neurosim  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ACC = ["accuracy", "-n", "lenet", "--limit", "4", "--quiet"]


# ---------------------------------------------------------------- accuracy data selectors
@pytest.mark.parametrize("data,args,named", [
    ("digits:test", ["--split", "train"], ["--split train", "digits:train or digits:test"]),
    ("random:2", ["--split", "test"], ["--split test", "no splits"]),
    ("digits:test", ["--text-field", "s"], ["--text-field", "only to text data"]),
    ("random:2", ["--label-field", "y"], ["--label-field", "only to text data"]),
])
def test_data_selectors_that_would_be_ignored(data: str, args: list[str],
                                              named: list[str]) -> None:
    # before: accepted and ignored (exit 0)
    assert_error(neurosim(*ACC, "--data", data, *args), *named)


def test_train_split_that_would_be_ignored(tmp_path: Path) -> None:
    # before: neurosim train took digits:train and ignored --split test (exit 0, trained)
    out = tmp_path / "ck.pt"
    proc = neurosim("train", "-n", "lenet", "--data", "digits:train", "--split", "test",
                    "--epochs", "1", "--limit", "8", "--quiet", "--out", str(out))
    assert_error(proc, "--split test", "digits:train or digits:test")
    assert not out.exists()


# ---------------------------------------------------------------- SRAM cell bits
def test_sram_cell_bits_refused_by_estimate(tmp_path: Path) -> None:
    out = tmp_path / "o.json"  # before: estimated with 1 bit per cell, exit 0
    proc = neurosim("estimate", "-n", "lenet", "--set", "cell_bits=2", "--quiet",
                    "--json", str(out))
    assert_error(proc, "cell_bits", "cellBit", "device = sram")
    assert not out.exists()


def test_sram_cell_bits_refused_by_compat() -> None:
    case = case_by_id("micro_sram_t22")
    proc = neurosim("compat", str(network_path(case)), "8", "8", "128", "128",
                    *trace_files(case), "--param", "cellBit=2", "--quiet")
    assert_error(proc, "cellBit", "device = sram")


def test_sram_cell_bits_still_taken_by_the_accuracy_model() -> None:
    # the wrapper's accuracy model is device-agnostic: cell_bits is used as given
    proc = neurosim(*ACC, "--data", "digits:test", "--set", "cell_bits=2")
    assert proc.returncode == 0, proc.stderr


# ---------------------------------------------------------------- --input-shape
MODEL = """import torch
def build():
    return torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.Flatten(),
                               torch.nn.Linear(4 * 6 * 6, 10))
"""


@pytest.mark.parametrize("args,named", [
    (["--input-shape", "3,100000,100000"], ["--input-shape 3,100000,100000", "2**24"]),
    (["--input-shape", "3,1000,1000", "--batch", "1000"], ["--input-shape", "--batch 1000"]),
])
def test_huge_input_shape(tmp_path: Path, args: list[str], named: list[str]) -> None:
    (tmp_path / "m.py").write_text(MODEL)  # before: MemoryError (exit 1) or minutes
    proc = neurosim("estimate", "--model", "m.py:build", *args, "--quiet", cwd=tmp_path)
    assert_error(proc, *named)


# ---------------------------------------------------------------- --blas-threads
def test_blas_threads_bounded() -> None:
    # before: 100000 accepted (exit 0)
    assert_error(neurosim("estimate", "-n", "lenet", "--quiet", "--blas-threads", "100000"),
                 "--blas-threads 100000", "1024")


def test_blas_threads_variable_bounded() -> None:
    env = {**os.environ, "NEUROSIM_BLAS_THREADS": "100000"}
    import subprocess

    proc = subprocess.run([sys.executable, "-m", "neurosim.cli", "estimate", "-n", "lenet",
                           "--quiet"], capture_output=True, text=True, env=env)
    assert_error(proc, "NEUROSIM_BLAS_THREADS=100000")


# ---------------------------------------------------------------- ADC set twice in a file
@pytest.mark.parametrize("name,text,keys", [
    ("a.toml", 'adc = "mlsa"\n[peripherals]\nadc = "sar"\n', ["adc", "peripherals.adc"]),
    ("b.toml", 'SARADC = 0\n[peripherals]\nadc = "sar"\n', ["SARADC", "peripherals.adc"]),
    ("c.yaml", "peripherals:\n  adc: sar\nhardware:\n  adc: mlsa\n", ["peripherals.adc"]),
])
def test_adc_given_twice_in_one_file(tmp_path: Path, name: str, text: str,
                                     keys: list[str]) -> None:
    cfg = tmp_path / name  # before: one of the two silently won (exit 0)
    cfg.write_text(text)
    assert_error(neurosim("config", "show", "--config", str(cfg)), str(cfg), "given twice",
                 *keys)


def test_adc_once_under_peripherals_still_accepted(tmp_path: Path) -> None:
    cfg = tmp_path / "p.toml"
    cfg.write_text('[peripherals]\nadc = "sar"\n')
    proc = neurosim("config", "show", "--config", str(cfg))
    assert proc.returncode == 0, proc.stderr
    assert 'adc = "sar"' in proc.stdout


# ---------------------------------------------------------------- sweep run --out
SPEC = 'model = "smallnet.py:build"\n[grid]\ntechnode = [22]\n'


def sweep(tmp_path: Path, out: str, spec: str = SPEC):
    (tmp_path / "smallnet.py").write_text((ROOT / "examples/sweeps/smallnet.py").read_text())
    (tmp_path / "s.toml").write_text(spec)
    return neurosim("sweep", "run", "s.toml", "--out", out, "--workers", "1", "--quiet",
                    "--no-plots", cwd=tmp_path)


def test_sweep_out_parent_must_exist(tmp_path: Path) -> None:
    # before: no/such was created
    assert_error(sweep(tmp_path, "no/such"), "--out no/such", "does not exist")
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("out", [".", "other"])
def test_sweep_out_folder_of_other_files(tmp_path: Path, out: str) -> None:
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    # before: results.sqlite, results.csv ... were written among the other files
    assert_error(sweep(tmp_path, out), f"--out {out}", "not a sweep folder")
    assert not (tmp_path / out / "results.sqlite").exists()


def test_sweep_out_of_other_inputs_refused_same_resumed(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    first = sweep(tmp_path, "empty")  # an empty folder is taken
    assert first.returncode == 0, first.stderr
    again = sweep(tmp_path, "empty")  # the same command resumes
    assert again.returncode == 0, again.stderr
    assert "1 already finished" in again.stdout
    grown = sweep(tmp_path, "empty", SPEC.replace("[22]", "[22, 32]"))  # a grid grows
    assert grown.returncode == 0, grown.stderr
    assert "(1 estimated, 1 already finished)" in grown.stdout
    # before: the rows of another data set were mixed into the same store
    other = sweep(tmp_path, "empty", 'data = "random:2"\n' + SPEC)
    assert_error(other, "--out empty", "other inputs", "random:2")
    with sqlite3.connect(tmp_path / "empty" / "results.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM rows").fetchone()[0] == 2


def test_sweep_huge_input_shape(tmp_path: Path) -> None:
    proc = sweep(tmp_path, "o", SPEC.replace("[grid]", 'input_shape = "3,100000,100000"\n'
                                             "[grid]"))
    assert_error(proc, "s.toml", "input_shape = 3,100000,100000")
    assert not (tmp_path / "o").exists()


def test_sweep_workers_bounded(tmp_path: Path) -> None:
    # before: accepted (one process per row, up to 100000)
    (tmp_path / "s.toml").write_text(SPEC)
    (tmp_path / "smallnet.py").write_text((ROOT / "examples/sweeps/smallnet.py").read_text())
    proc = neurosim("sweep", "run", "s.toml", "--out", "o", "--workers", "100000",
                    "--quiet", cwd=tmp_path)
    assert_error(proc, "--workers 100000", "cores")
    assert not (tmp_path / "o").exists()


# ---------------------------------------------------------------- an option set twice
@pytest.mark.parametrize("args,named", [
    (["--set", "tech=7nm", "--set", "technode=22"], ["technode=22", "tech=7nm", "once"]),
    (["--set", "technode=7", "--set", "technode=7"], ["technode=7", "once"]),
    (["--set", "SARADC=1", "--set", "adc=mlsa"], ["adc=mlsa", "SARADC=1"]),
])
def test_option_set_twice_on_the_command_line(args: list[str], named: list[str]) -> None:
    # before: the last value won silently (exit 0)
    assert_error(neurosim("config", "show", *args), "--set", *named)


def test_compat_param_set_twice() -> None:
    case = case_by_id("micro_rram_cb2_t65")
    a = case["argv"]
    proc = neurosim("compat", str(network_path(case)), str(a["synapseBit"]),
                    str(a["numBitInput"]), str(a["numRowSubArray"]), str(a["numRowParallel"]),
                    *trace_files(case), "--param", "technode=65", "--param", "technode=22",
                    "--quiet")
    assert_error(proc, "--param technode=22", "--param technode=65")


@pytest.mark.parametrize("seeds", ["0", "10001", "1000000000"])
def test_seeds_out_of_range(seeds: str) -> None:
    # before: --seeds 1000000000 was accepted (a run of a billion passes)
    assert_error(neurosim(*ACC, "--data", "random:1", "--seeds", seeds), f"--seeds {seeds}",
                 "10,000")
