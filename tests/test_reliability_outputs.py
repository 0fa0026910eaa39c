"""Issue 16, outputs committed as a group (:mod:`neurosim.output_group`): all or none,
no temporaries after errors or signals, modes from the umask, inputs never overwritten."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from neurosim.output_group import OutputError, OutputGroup, Terminated, write_group


def _names(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir())


def test_commit_writes_all_with_umask_modes(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_group({tmp_path / "a.json": "{}\n", tmp_path / "b.csv": b"x,y\n"})
    finally:
        os.umask(old)
    assert (tmp_path / "a.json").read_text() == "{}\n"
    assert (tmp_path / "b.csv").read_bytes() == b"x,y\n"
    for name in ("a.json", "b.csv"):  # 0o666 & ~0o027, not mkstemp's 0o600
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o640
    assert _names(tmp_path) == ["a.json", "b.csv"]


def test_render_error_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("old")

    def boom() -> str:
        raise RuntimeError("render failed")

    with pytest.raises(RuntimeError):
        write_group({tmp_path / "a.json": "new", tmp_path / "b.png": boom})
    assert (tmp_path / "a.json").read_text() == "old"
    assert _names(tmp_path) == ["a.json"]


@pytest.mark.parametrize("case", ["empty", "same_output", "is_input", "hardlink_input",
                                  "missing_folder", "folder_is_file", "special_file",
                                  "unwritable"])
def test_declare_refuses_bad_paths(tmp_path: Path, case: str) -> None:
    inp = tmp_path / "net.csv"
    inp.write_text("1,2\n")
    group = OutputGroup(inputs=[inp])
    target = {"empty": "", "same_output": tmp_path / "x.json", "is_input": inp,
              "hardlink_input": tmp_path / "link.csv", "missing_folder": tmp_path / "no/x",
              "folder_is_file": inp / "x.json", "special_file": Path("/dev/null"),
              "unwritable": Path("/proc/neurosim.json")}[case]
    if case == "same_output":
        group.declare("--json", target)
        target = tmp_path / "." / "x.json"
    if case == "hardlink_input":
        os.link(inp, target)
    with pytest.raises(OutputError) as err:
        group.declare("--csv", target)
    expected = {"empty": "empty file name", "same_output": "is also the --json output",
                "is_input": "is the input file", "hardlink_input": "is the input file",
                "missing_folder": "does not exist", "folder_is_file": "is not a folder",
                "special_file": "not a regular file", "unwritable": "not writable"}[case]
    assert str(err.value).startswith("--csv ") and expected in str(err.value)
    assert inp.read_text() == "1,2\n"
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("second_thread", [False, True])
def test_signal_during_renames_is_delivered_after_the_last(tmp_path: Path, monkeypatch,
                                                           second_thread: bool) -> None:
    """SIGINT between two renames: both files are new, then KeyboardInterrupt. With another
    live thread (which does not block signals) the kernel hands the signal to that thread;
    it still waits for the last rename."""
    for name in ("a.json", "b.csv"):
        (tmp_path / name).write_text("old")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    if second_thread:
        other.start()
    real_replace = os.replace
    calls = []

    def replace_and_interrupt(src, dst):  # noqa: ANN001
        real_replace(src, dst)
        calls.append(dst)
        if len(calls) == 1:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # time for the other thread to take it

    monkeypatch.setattr(os, "replace", replace_and_interrupt)
    try:
        with pytest.raises(KeyboardInterrupt):
            write_group({tmp_path / "a.json": "new", tmp_path / "b.csv": "new"})
    finally:
        stop.set()
        if second_thread:
            other.join()
    assert len(calls) == 2
    assert (tmp_path / "a.json").read_text() == "new" == (tmp_path / "b.csv").read_text()
    assert _names(tmp_path) == ["a.json", "b.csv"]


def test_sigterm_while_rendering_leaves_no_temporary(tmp_path: Path) -> None:
    """A real SIGTERM in a child process: exit 143, old file kept, no ``.*.tmp``."""
    (tmp_path / "a.json").write_text("old")
    code = textwrap.dedent(f"""
        import os, signal
        from neurosim.output_group import OutputGroup
        g = OutputGroup()
        g.declare("--json", {str(tmp_path / "a.json")!r})
        g.declare("--csv", {str(tmp_path / "b.csv")!r})
        g.set("--json", "new")
        g.set("--csv", lambda: os.kill(os.getpid(), signal.SIGTERM) or "x")
        g.commit()
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 128 + signal.SIGTERM, proc.stderr
    assert "Traceback" not in proc.stderr
    assert (tmp_path / "a.json").read_text() == "old"
    assert _names(tmp_path) == ["a.json"]


def test_terminated_is_a_system_exit() -> None:
    assert isinstance(Terminated(signal.SIGTERM), SystemExit)
    assert Terminated(signal.SIGTERM).code == 143


def test_folder_output_is_swapped_in_whole(tmp_path: Path) -> None:
    out = tmp_path / "export"
    out.mkdir()
    (out / "old.csv").write_text("old")
    # an interrupted export leaves the earlier one complete
    group = OutputGroup()
    group.declare("DIRECTORY", out, folder=True)
    with pytest.raises(KeyboardInterrupt), group:
        (group.staging_folder("DIRECTORY") / "new.csv").write_text("half")
        raise KeyboardInterrupt
    assert _names(out) == ["old.csv"] and _names(tmp_path) == ["export"]
    # a complete one replaces it whole (no mix of old and new files)
    group = OutputGroup()
    group.declare("DIRECTORY", out, folder=True)
    (group.staging_folder("DIRECTORY") / "new.csv").write_text("new")
    group.commit()
    assert _names(out) == ["new.csv"] and _names(tmp_path) == ["export"]


def test_folder_output_may_not_hold_an_input(tmp_path: Path) -> None:
    cfg = tmp_path / "export" / "run.toml"
    cfg.parent.mkdir()
    cfg.write_text("")
    with pytest.raises(OutputError, match="is the input file"):
        OutputGroup(inputs=[cfg]).declare("DIRECTORY", cfg.parent, folder=True)

