"""A command refused for bad input prints its one ``Error:`` line alone: the notices of a
command are held until its work starts or it ends well (``neurosim.held_notices``), and the
``[neurosim]`` status lines, like the progress bar, only go to a terminal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import case_by_id, network_path, trace_files  # noqa: E402

from neurosim.held_notices import holding, release, say  # noqa: E402

BIN = Path(sys.executable).with_name("neurosim")


def _compat(*params: str) -> subprocess.CompletedProcess:
    case = case_by_id("micro_sram_t22")
    a = case["argv"]
    extra = [x for p in params for x in ("--param", p)]
    return subprocess.run([str(BIN), "compat", str(network_path(case)), str(a["synapseBit"]),
                           str(a["numBitInput"]), str(a["numRowSubArray"]),
                           str(a["numRowParallel"]), *trace_files(case), *extra],
                          capture_output=True, text=True, timeout=120)


def test_a_notice_then_a_refusal_prints_the_error_alone() -> None:
    # before: "Notice: level_output ... not a power of 2" and then the Error line
    proc = _compat("SARADC=1", "levelOutput=3", "cellBit=2")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:") and "cell_bits" in lines[0]


def test_a_run_that_goes_on_prints_its_notice() -> None:
    proc = _compat("SARADC=1", "levelOutput=3")
    assert proc.returncode == 0, proc.stderr
    assert [ln for ln in proc.stderr.splitlines() if ln.startswith("Notice:")] == [
        ln for ln in proc.stderr.splitlines() if "levelOutput" in ln]
    assert "not a power of 2" in proc.stderr


def test_estimate_notice_and_missing_checkpoint(tmp_path: Path) -> None:
    # before: the Notice of resistanceOn with SRAM, then the Error of the checkpoint; and
    # without --quiet, '[neurosim] ...' status lines went to a redirected stderr too
    proc = subprocess.run([str(BIN), "estimate", "--network", "lenet", "--set",
                           "resistanceOn=1e4", "--checkpoint", str(tmp_path / "none.pth")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:") and "none.pth" in lines[0]


def test_no_status_lines_on_a_redirected_stderr() -> None:
    proc = subprocess.run([str(BIN), "estimate", "--network", "lenet"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "[neurosim]" not in proc.stderr


def test_holding_prints_on_success_and_drops_on_error(capsys) -> None:
    with holding():
        say("Notice: one")
        assert capsys.readouterr().err == ""  # held
    assert capsys.readouterr().err == "Notice: one\n"
    with pytest.raises(click.exceptions.Exit):
        with holding():
            say("Notice: two")
            raise click.exceptions.Exit(2)
    assert capsys.readouterr().err == ""  # dropped with the error
    with holding():
        say("Notice: three")
        release()  # the work starts
        assert capsys.readouterr().err == "Notice: three\n"
        say("Notice: four")  # printed at once from here on
        assert capsys.readouterr().err == "Notice: four\n"
    assert capsys.readouterr().err == ""
    say("Notice: five")  # outside a command: at once
    assert capsys.readouterr().err == "Notice: five\n"
