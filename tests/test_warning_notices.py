"""Warnings reach stderr as one ``Notice:`` line each, once per distinct message, not as
Python's two lines with a file path and a source line (before: ``.../shift_add.py:92:
UserWarning: Adder: ...`` and the source line of the call, for FeFET at 1 nm with
special_layout = 0)."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import CASES, case_params, network_path, trace_files  # noqa: E402


def test_circuit_warning_is_one_notice_line() -> None:
    case = next(c for c in CASES if c["id"] == "micro_fefet_cb1_t1")
    files = trace_files(case)
    a = case["argv"]
    cmd = [sys.executable, "-m", "neurosim.cli", "compat", str(network_path(case)),
           *map(str, a.values()), *files, "--quiet"]
    for p in case_params(case) + ["special_layout=0"]:
        cmd += ["--param", p]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert lines == ["Notice: Adder: a single adder's width exceeds the assigned width; its "
                     "area is left at 0 as in NeuroSim"], lines


def test_warning_as_notice_once_per_message_with_category() -> None:
    from neurosim.cli import warning_as_notice

    class Sink:
        text = ""

        def write(self, s: str) -> None:
            self.text += s

    sink, show = Sink(), warning_as_notice()
    for category, msg in ((UserWarning, "Mux: one gate\n  is wider"), (UserWarning,
                          "Mux: one gate is wider"), (RuntimeWarning, "overflow in exp")):
        show(category(msg), category, "x.py", 1, file=sink)
    assert sink.text == ("Notice: Mux: one gate is wider\n"
                         "Notice: RuntimeWarning: overflow in exp\n")


def test_main_restores_the_callers_showwarning() -> None:
    from neurosim.cli import main

    before = warnings.showwarning
    try:
        main(["--version"])
    except SystemExit:
        pass
    assert warnings.showwarning is before
