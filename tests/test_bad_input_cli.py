"""Bad input on the command line: one ``Error:`` line naming the option or file, exit 2,
no traceback, and no output file written or overwritten (holes found by a probe of every
command; each test failed before its fix)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import case_by_id, network_path, trace_files  # noqa: E402

CASE = case_by_id("micro_sram_t22")


def neurosim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "neurosim.cli", *args], capture_output=True,
                          text=True, cwd=cwd)


def assert_error(proc: subprocess.CompletedProcess, *names: str) -> str:
    """Exit 2, exactly one stderr line and it is the ``Error:`` line naming ``names``."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1, lines
    for name in names:
        assert name in errors[0], errors[0]
    return errors[0]


# ---------------------------------------------------------------- configuration files
def test_unknown_section_in_config_file(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[hardwear]\ntechnode = 7\n")  # before: accepted, technode taken
    err = assert_error(neurosim("config", "show", "--config", str(cfg)), str(cfg), "hardwear")
    assert "Did you mean 'hardware'" in err


def test_unknown_section_in_set_key() -> None:
    assert_error(neurosim("config", "show", "--set", "bogus.technode=7"), "bogus")


def test_option_given_twice_in_one_file(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"  # before: technode = 22 silently won over tech = "7nm"
    cfg.write_text('tech = "7nm"\n[hardware]\ntechnode = 22\n')
    assert_error(neurosim("config", "show", "--config", str(cfg)), str(cfg), "tech",
                 "given twice")


def test_section_names_still_accepted(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[hardware]\ntech = "32nm"\n[accuracy]\nadc_bits = 6\n')
    proc = neurosim("config", "show", "--config", str(cfg), "--set", "hardware.cell_bits=2")
    assert proc.returncode == 0, proc.stderr
    assert 'tech = "32nm"' in proc.stdout and "adc_bits = 6 " in proc.stdout
    assert "cell_bits = 2 " in proc.stdout


def test_config_show_checks_the_adc_plugin() -> None:
    # before: `config show --set adc=foo` printed adc = "foo" and exit 0
    assert_error(neurosim("config", "show", "--set", "adc=foo"), "adc", "'foo'")


# ---------------------------------------------------------------- compat / estimate
def test_sram_mlsa_without_column_mux(tmp_path: Path) -> None:
    """SRAM + MLSA + numColMuxed=1: ZeroDivisionError (exit 1, internal error) before."""
    out = tmp_path / "out.json"
    out.write_text("previous")
    proc = neurosim("compat", str(network_path(CASE)), "8", "8", "128", "128",
                    *trace_files(CASE), "--param", "numColMuxed=1", "--json", str(out),
                    "--quiet")
    assert_error(proc, "col_mux", "numColMuxed")
    assert out.read_text() == "previous"
    # the same circuit with a SAR ADC is computed
    proc = neurosim("compat", str(network_path(CASE)), "8", "8", "128", "128",
                    *trace_files(CASE), "--param", "numColMuxed=1", "--param", "SARADC=1",
                    "--quiet")
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("args,named", [
    (["--device", "cuda"], "--device"),
    (["--accuracy-mode", "parity"], "--accuracy-mode"),
])
def test_estimate_accuracy_options_need_with_accuracy(args: list[str], named: str) -> None:
    # before: silently ignored (exit 0)
    err = assert_error(neurosim("estimate", "-n", "lenet", "--quiet", *args), named,
                       "--with-accuracy")
    assert "only with" in err


def test_with_accuracy_and_model_fails_before_the_estimate(tmp_path: Path) -> None:
    proc = neurosim("estimate", "--model", "nofile.py:build", "--with-accuracy", "--quiet")
    assert_error(proc, "--with-accuracy", "--network")


MODEL = """import torch
def build():
    return torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.Flatten(),
                               torch.nn.Linear(4 * 6 * 6, 10))
"""


@pytest.mark.parametrize("shape", ["3,9,9", "3x8"])
def test_model_forward_shape_mismatch(tmp_path: Path, shape: str) -> None:
    """A --input-shape the model cannot take: internal error (exit 1) before."""
    (tmp_path / "m.py").write_text(MODEL)
    out = tmp_path / "r.json"
    proc = neurosim("estimate", "--model", "m.py:build", "--input-shape", shape, "--quiet",
                    "--json", str(out), cwd=tmp_path)
    assert_error(proc, "--model m.py:build", "forward pass", "--input-shape")
    assert not out.exists()


# ---------------------------------------------------------------- train
TRAIN = ["train", "-n", "lenet", "--data", "digits:train", "--epochs", "1", "--limit", "64",
         "--quiet"]


@pytest.mark.parametrize("option,value", [("--lr", "inf"), ("--momentum", "nan"),
                                          ("--weight-decay", "-1"), ("--seed", "-1")])
def test_train_numbers(tmp_path: Path, option: str, value: str) -> None:
    out = tmp_path / "t.pt"  # before: trained and wrote a checkpoint (exit 0)
    assert_error(neurosim(*TRAIN, "--out", str(out), option, value), option)
    assert not out.exists()


def test_train_json_on_the_checkpoint(tmp_path: Path) -> None:
    out = tmp_path / "t.pt"  # before: the JSON history replaced the checkpoint
    assert_error(neurosim(*TRAIN, "--out", str(out), "--json", str(out)), "--json",
                 "--out")
    assert not out.exists()


def test_train_missing_output_folder_before_training(tmp_path: Path) -> None:
    # before: the folder was found missing only after all epochs ran
    proc = neurosim(*TRAIN, "--out", str(tmp_path / "no" / "t.pt"))
    assert_error(proc, "--out", "does not exist")


# ---------------------------------------------------------------- accuracy --sweep
def test_accuracy_sweep_one_option_under_two_names() -> None:
    # before: both columns printed, ADCprecision=5 overriding every adc_bits value (exit 0)
    proc = neurosim("accuracy", "-n", "lenet", "--data", "digits:test", "--limit", "8",
                    "--quiet", "--sweep", "adc_bits=3,4", "--sweep", "ADCprecision=5")
    assert_error(proc, "ADCprecision", "adc_bits", "same option")
