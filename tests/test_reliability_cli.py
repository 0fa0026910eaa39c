"""Issue 16, the command line under hostile use: output paths, user code, unknown failures,
signals and concurrent runs. User errors are exit 2 with one ``Error:`` line, unknown
failures exit 1 with one line naming a saved traceback, no input or earlier output changes."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from golden_traces import case_by_id, network_path, trace_files  # noqa: E402
from small_models import SMALLNET  # noqa: E402

from neurosim.cli import cli  # noqa: E402

CASE = case_by_id("micro_sram_t22")
NET = str(network_path(CASE))
TRACES = trace_files(CASE)


def compat(*args: str, **kw):
    return CliRunner().invoke(cli, ["compat", NET, "8", "8", "128", "128", *TRACES, "--quiet",
                                    *args], **kw)


def digest(paths) -> dict:
    return {str(p): hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths}


def one_error(output: str) -> str:
    lines = [ln for ln in output.splitlines() if ln.startswith("Error:")]
    assert len(lines) == 1 and "Traceback" not in output, output
    return lines[0]


@pytest.fixture
def earlier(tmp_path: Path) -> Path:
    """A folder holding an earlier run's outputs."""
    for name in ("r.json", "r.csv"):
        (tmp_path / name).write_text("earlier")
    return tmp_path


@pytest.mark.parametrize("args,message", [
    (["--json", NET], "is the input file"),
    (["--csv", TRACES[1]], "is the input file"),
    (["--json", "{d}/r.json", "--csv", "{d}/r.json"], "is also the --json output"),
    (["--json", ""], "empty file name"),
    (["--json", "{d}/nowhere/r.json"], "does not exist"),
    (["--csv", "/proc/r.csv"], "is not writable"),
    (["--json", "/dev/null"], "is not a regular file"),
    (["--json", "{d}/r.json", "--plot", "{d}/r.gif"], "use a .png, .pdf or .svg"),
])
def test_bad_output_paths_refused_before_the_run(earlier: Path, args: list[str],
                                                 message: str) -> None:
    inputs = digest([NET, *TRACES])
    r = compat(*[a.format(d=earlier) for a in args])
    assert r.exit_code == 2
    assert message in one_error(r.output)
    assert "ChipArea" not in r.output  # refused before the estimate
    assert digest([NET, *TRACES]) == inputs
    assert sorted(p.name for p in earlier.iterdir()) == ["r.csv", "r.json"]
    assert (earlier / "r.json").read_text() == "earlier"


def test_outputs_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o002)
    try:
        r = compat("--json", str(tmp_path / "r.json"), "--csv", str(tmp_path / "r.csv"))
    finally:
        os.umask(old)
    assert r.exit_code == 0, r.output
    for name in ("r.json", "r.csv"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o664  # not mkstemp's 0600


def test_unknown_failure_is_one_line_and_a_saved_traceback(earlier: Path, monkeypatch) -> None:
    import neurosim.commands.compat as mod

    def broken(res):  # noqa: ANN001
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(mod, "format_report", broken)
    monkeypatch.setenv("NEUROSIM_CRASH_DIR", str(earlier))
    r = compat("--json", str(earlier / "r.json"))
    assert r.exit_code == 1
    line = one_error(r.output)
    assert line.startswith("Error: internal error (ZeroDivisionError: float division by zero)")
    saved = sorted(earlier.glob("neurosim-crash-*.txt"))
    assert len(saved) == 1 and str(saved[0]) in line
    assert "Traceback" in saved[0].read_text() and "in broken" in saved[0].read_text()
    r = CliRunner().invoke(cli, ["--debug", "compat", NET, "8", "8", "128", "128", *TRACES,
                                 "--quiet"])
    assert r.exit_code == 1 and "Traceback (most recent call last)" in r.output


def test_interrupt_writes_nothing(earlier: Path, monkeypatch) -> None:
    import neurosim.outputs as outputs

    def interrupted(res):  # noqa: ANN001
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs, "csv_text", interrupted)
    r = compat("--json", str(earlier / "r.json"), "--csv", str(earlier / "r.csv"))
    assert r.exit_code == 130 and "Traceback" not in r.output
    assert (earlier / "r.json").read_text() == "earlier"  # not a new JSON beside an old CSV
    assert sorted(p.name for p in earlier.iterdir()) == ["r.csv", "r.json"]


def _run_python(code: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_sigterm_between_the_outputs_leaves_no_temporary(earlier: Path) -> None:
    """A real SIGTERM while the CSV is rendered (the JSON is already rendered)."""
    proc = _run_python(f"""
        import os, signal
        import neurosim.outputs as outputs
        real = outputs.csv_text
        def csv_then_term(res):
            os.kill(os.getpid(), signal.SIGTERM)
            return real(res)
        outputs.csv_text = csv_then_term
        from neurosim.cli import main
        main(["compat", {NET!r}, "8", "8", "128", "128", *{TRACES!r}, "--quiet",
              "--json", {str(earlier / "r.json")!r}, "--csv", {str(earlier / "r.csv")!r}])
    """)
    assert proc.returncode == 128 + signal.SIGTERM, proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in earlier.iterdir()) == ["r.csv", "r.json"]
    assert (earlier / "r.json").read_text() == "earlier"


def test_concurrent_runs_leave_one_complete_output(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    args = [sys.executable, "-m", "neurosim.cli", "compat", NET, "8", "8", "128", "128",
            *TRACES, "--quiet", "--json", str(out)]
    procs = [subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for _ in range(2)]
    assert [p.wait(300) for p in procs] == [0, 0]
    assert json.loads(out.read_text())["chip"]["area_m2"] > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]


# ----------------------------------------------------------------------------- model runs
@pytest.fixture
def smallnet(tmp_path: Path, monkeypatch) -> Path:
    pytest.importorskip("torch")
    (tmp_path / "smallnet.py").write_text(SMALLNET + textwrap.dedent("""
        def broken():
            raise ValueError("no checkpoint for this model")
    """))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_user_code_error_names_the_function_and_its_line(smallnet: Path) -> None:
    r = CliRunner().invoke(cli, ["estimate", "--model", "smallnet.py:broken", "--quiet"])
    assert r.exit_code == 2
    line = one_error(r.output)
    assert "--model smallnet.py:broken raised ValueError: no checkpoint for this model" in line
    lineno = (smallnet / "smallnet.py").read_text().splitlines().index(
        '    raise ValueError("no checkpoint for this model")') + 1
    assert f"smallnet.py, line {lineno}, in broken)" in line


def test_traces_export_replaces_an_earlier_export_whole(smallnet: Path) -> None:
    out = smallnet / "export"
    args = ["traces", "export", str(out), "--model", "smallnet.py:build", "--quiet"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    first = digest(sorted(out.iterdir()))
    (out / "weightstale.csv").write_text("from an older export")
    # interrupted after the first trace file: the earlier export stays whole
    proc = _run_python(f"""
        import os, signal
        import neurosim.engine.traces as traces
        real = traces.write_input_trace
        def write_then_interrupt(path, bits):
            real(path, bits)
            os.kill(os.getpid(), signal.SIGINT)
        traces.write_input_trace = write_then_interrupt
        from neurosim.cli import main
        main({args!r})
    """, cwd=smallnet)
    assert proc.returncode == 130, proc.stderr
    assert digest(sorted(p for p in out.iterdir() if p.name != "weightstale.csv")) == first
    assert not [p for p in smallnet.iterdir() if p.name.endswith(".tmp")]
    # a complete export replaces it: no file of the older one survives
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert not (out / "weightstale.csv").exists() and digest(sorted(out.iterdir())) == first
    # a folder holding anything else is refused before the run
    (out / "notes.txt").write_text("mine")
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 2 and "holds files that are not a trace export" in one_error(
        r.output)
    assert (out / "notes.txt").read_text() == "mine"
