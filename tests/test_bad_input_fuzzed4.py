"""Bad input found by a fourth fuzzing round (the V1.5 non-ideality options and their CSVs,
configuration files, ``sweep show``, trace files, environment variables, options given
twice): one ``Error:`` line naming the option, file or key, exit 2, no traceback, nothing
written; or a ``Notice:`` / ``NOTE:`` where an option has no effect. Each case failed
before its fix (exit 1 with an internal error, exit 0 with NaN figures, a hang, a value
taken silently, or an earlier output overwritten)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_bad_input_fuzzed2 import assert_one_error, in_process  # noqa: E402
from test_bad_input_fuzzed3 import result  # noqa: E402,F401 (the --json result fixture)

ACC = ("accuracy", "--network", "lenet", "--data", "random:2", "--quiet")


def env_run(env: dict[str, str], *args: str, cwd: Path | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "neurosim.cli", *args], capture_output=True,
                          text=True, env={**os.environ, **env}, cwd=cwd, timeout=timeout)


# ---------------------------------------------------------------- non-ideality CSVs
@pytest.mark.parametrize("text,named", [
    # exit 1: IndexError (a header and no row)
    ("states,mean,std\n", "a header but no rows"),
    # exit 0: NaN figures (the crossbar's units overflowed)
    ("states,mean,std\n0,1e-300,0\n1,1e300,0\n", "at most 1e+06"),
    ("states,mean,std\n0,1e-6,1e300\n1,1e-5,0\n", "at most 1e+06"),
    # exit 0: taken silently
    ("states,mean,std\n0,1e-6,0\n0,1e-5,0\n", "number the states 0 to 1, each once"),
    ("states,mean,std\n0.5,1e-6,0\n7,1e-5,0\n", "number the states 0 to 1, each once"),
    ("states,mean,std\n0,1e-6,0,5\n1,1e-5,0\n", "line 2: option mem_states_file: 4 values"),
    ("states,mean,mean\n0,1e-6,0\n1,1e-5,0\n", "column 'mean' is given twice"),
])
def test_mem_states_file(tmp_path: Path, text: str, named: str) -> None:
    csv = tmp_path / "states.csv"
    csv.write_text(text)
    out = tmp_path / "o.json"
    proc = in_process(*ACC, "--set", f"mem_states_file={csv}", "--json", str(out))
    assert_one_error(proc, "states.csv", "mem_states_file", named)
    assert not out.exists()


def test_mem_states_file_still_read(tmp_path: Path) -> None:
    csv = tmp_path / "states.csv"  # BOM, CRLF and a trailing empty cell are no values
    csv.write_bytes(b"\xef\xbb\xbfstates,mean,std\r\n0,1e-6,0,\r\n1,1e-5,0,\r\n")
    proc = in_process(*ACC, "--set", f"mem_states_file={csv}")
    assert proc.returncode == 0, proc.stderr


def test_output_noise_level_twice(tmp_path: Path) -> None:
    csv = tmp_path / "noise.csv"  # before: exit 0, the second row of level 3 taken
    csv.write_text("output,mean,std\n" + "".join(f"{i},{i},0.1\n" for i in range(32))
                   + "3,5,0.1\n")
    proc = in_process(*ACC, "--set", "output_noise_lsb=-1", "--set",
                      f"output_noise_file={csv}")
    assert_one_error(proc, "noise.csv", "output level 3 has two rows")


@pytest.mark.parametrize("args,named", [
    # exit 1: OverflowError (read_noise had no upper bound)
    (["--set", "read_noise=1e300"], "read_noise = 1e+300 must be <= 1"),
    # exit 0 with NaN figures / accepted although drift_nu is at most 1
    (["--set", "drift_nu_per_layer=1e300,1,1,1", "--set", "retention_time_s=100"],
     "drift_nu_per_layer"),
    (["--set", "drift_nu_per_layer=5,5,5,5", "--set", "retention_time_s=100"],
     "from 0 to 1"),
])
def test_nonideality_values(args: list[str], named: str) -> None:
    assert_one_error(in_process(*ACC, *args), named)


@pytest.mark.parametrize("args,named", [
    # before: no note at all (variation gets one on these paths)
    (["--set", "read_noise=0.1", "--set", "inference=false"],
     ["read_noise = 0.1 has no effect", "off path"]),
    (["--set", "stuck_at_1_rate=0.1", "--set", "quant_mode=FP"],
     ["stuck_at_1_rate = 0.1 has no effect", "fp path"]),
    (["--set", "variation_mode=d2d"], ["variation_mode = d2d has no effect", "variation = 0"]),
])
def test_nonideality_without_effect_noted(args: list[str], named: list[str]) -> None:
    proc = in_process(*ACC, *args)
    assert proc.returncode == 0, proc.stderr
    notes = [line for line in proc.stdout.splitlines() if line.startswith("NOTE: ")]
    assert any(all(n in line for n in named) for line in notes), notes


def test_nonideality_in_effect_not_noted() -> None:
    proc = in_process(*ACC, "--set", "read_noise=0.1", "--set", "variation_mode=d2d",
                      "--set", "variation=0.1")
    assert proc.returncode == 0, proc.stderr
    assert "has no effect" not in proc.stdout


# ---------------------------------------------------------------- configuration files
@pytest.mark.parametrize("name,text,named", [
    # exit 1: AttributeError / TypeError on a YAML key that is not text
    ("a.yaml", "1: 2\n", "key 1: an option name must be text"),
    ("b.yaml", "hardware:\n  1: 2\n", "[hardware] key 1"),
    ("c.yaml", "? [a, b]\n: 1\n", "line 1: a key is a name"),
    # exit 0: the last of two values kept silently (TOML and YAML refuse it)
    ("d.json", '{"technode": 7, "technode": 22}', "'technode' is given twice"),
    # exit 0: a list flattened into a name, true taken as the code 1 (sram)
    ("e.toml", '[peripherals]\nadc = ["sar"]\n', "adc = ['sar'] must be a name"),
    ("f.toml", 'mem_states_file = ["a.csv"]\n', "mem_states_file = ['a.csv'] must be a name"),
    ("g.toml", "device = true\n", "device = True must be a name or a NeuroSim code"),
])
def test_config_file_values(tmp_path: Path, name: str, text: str, named: str) -> None:
    cfg = tmp_path / name
    cfg.write_text(text)
    assert_one_error(in_process("config", "show", "--config", str(cfg)), name, named)


@pytest.mark.parametrize("text,shown", [
    ("drift_nu_per_layer = [0.01, 0.02]\n", 'drift_nu_per_layer = "0.01,0.02"'),
    ("SARADC = true\n", 'adc = "sar"'),
])
def test_config_file_values_still_taken(tmp_path: Path, text: str, shown: str) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(text)
    proc = in_process("config", "show", "--config", str(cfg))
    assert proc.returncode == 0, proc.stderr
    assert shown in proc.stdout


# ---------------------------------------------------------------- an option given twice
@pytest.mark.parametrize("args,named", [
    (["estimate", "-n", "lenet", "--network", "vgg8", "--quiet"], "--network"),
    (["accuracy", "-n", "lenet", "--data", "random:1", "--limit", "1", "--limit", "2"],
     "--limit"),
    (["estimate", "-n", "lenet", "--json", "{d}/a.json", "--json", "{d}/b.json", "--quiet"],
     "--json"),
])
def test_option_given_twice(tmp_path: Path, args: list[str], named: str) -> None:
    # before: click kept the last value and dropped the first silently (exit 0)
    proc = in_process(*[a.format(d=tmp_path) for a in args])
    assert_one_error(proc, named, "is given twice; give it once")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- sweep show
@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-row sweep folder (smallnet, 22 nm SRAM) with its results.csv and plots."""
    from small_models import SMALLNET

    d = tmp_path_factory.mktemp("show4")
    (d / "smallnet.py").write_text(SMALLNET)
    (d / "s.toml").write_text('model = "smallnet.py:build"\n[grid]\ntechnode = [22]\n'
                              "[objectives]\nminimize = ['chip.area_m2', "
                              "'chip.read_latency_s']\n")
    proc = in_process("sweep", "run", str(d / "s.toml"), "--out", str(d / "out"),
                      "--workers", "1", "--quiet")
    assert proc.returncode == 0, proc.stderr
    return d / "out"


@pytest.mark.parametrize("where,named", [
    # before: exit 0 and no row listed
    ("technode = abc", "technode holds numbers"),
    ("status < 5", "status holds names (done)"),
    ("status = 4", "status holds names"),
])
def test_show_where_of_the_wrong_kind(store: Path, where: str, named: str) -> None:
    assert_one_error(in_process("sweep", "show", str(store), "--where", where), named)


@pytest.mark.parametrize("option,name", [("--csv", "results.csv"), ("--plot", "pareto.png")])
def test_show_outputs_onto_the_sweeps_files(store: Path, option: str, name: str) -> None:
    before = (store / name).read_bytes()  # before: overwritten with the shown rows
    proc = in_process("sweep", "show", str(store), "--where", "technode = 22", option,
                      str(store / name))
    assert_one_error(proc, f"{option} {store / name}", "sweep's own")
    assert (store / name).read_bytes() == before


def test_show_where_still_filters(store: Path) -> None:
    proc = in_process("sweep", "show", str(store), "--where", "technode = 22 and status = done")
    assert proc.returncode == 0, proc.stderr
    assert "done" in proc.stdout


def test_sweep_spec_csv_file_missing(tmp_path: Path) -> None:
    # before: exit 0, every row 'done' with an empty accuracy and the read error as reason
    spec = tmp_path / "s.toml"
    spec.write_text('network = "lenet"\ndata = "random:2"\naccuracy = true\n[[points]]\n'
                    f'mem_states_file = "{tmp_path / "nope.csv"}"\n')
    out = tmp_path / "out"
    proc = in_process("sweep", "run", str(spec), "--out", str(out), "--workers", "1",
                      "--quiet", "--no-plots")
    assert_one_error(proc, str(spec), "[[points]] #1 mem_states_file", "no such file")
    assert not out.exists()


# ---------------------------------------------------------------- trace files
@pytest.fixture(scope="module")
def traces(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from small_models import SMALLNET

    d = tmp_path_factory.mktemp("tr4")
    (d / "smallnet.py").write_text(SMALLNET)
    proc = in_process("traces", "export", str(d / "tr"), "--model",
                      f"{d / 'smallnet.py'}:build", "--quiet")
    assert proc.returncode == 0, proc.stderr
    return d / "tr"


def compat_args(folder: Path) -> list[str]:
    script = (folder / "trace_command.sh").read_text().split("exec neurosim ")[1]
    return [a for a in script.split() if a != '"$@"']


def test_trace_file_fifo(traces: Path, tmp_path: Path) -> None:
    d = tmp_path / "tr"
    shutil.copytree(traces, d)
    (d / "weightConv0_.csv").unlink()
    os.mkfifo(d / "weightConv0_.csv")  # before: compat blocked forever opening it
    proc = env_run({}, *compat_args(d), "--quiet", cwd=d, timeout=60)
    assert_one_error(proc, "weightConv0_.csv", "is a pipe")


def test_config_file_fifo(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "c.toml")  # before: blocked forever
    proc = env_run({}, "config", "show", "--config", str(tmp_path / "c.toml"), timeout=60)
    assert_one_error(proc, "c.toml", "pipe with nothing (left) to read")


@pytest.mark.parametrize("edit,named", [
    # before: '... line 1: value '\ufeff  -0.35156' is not a number' / '1 values on this
    # line' for the editor's empty lines at the end: both are read now
    (lambda b: b"\xef\xbb\xbf" + b, None),
    (lambda b: b + b"\n\n\n", None),
    (lambda b: b.replace(b"\n", b"\n\n", 1), "the line is empty"),
])
def test_trace_file_spellings(traces: Path, tmp_path: Path, edit, named: str | None) -> None:
    d = tmp_path / "tr"
    shutil.copytree(traces, d)
    w = d / "weightConv1_.csv"
    w.write_bytes(edit(w.read_bytes()))
    proc = in_process(*compat_args(d)[:1], *[str(d / a) if a.endswith(".csv") else a
                                           for a in compat_args(d)[1:]], "--quiet")
    if named is None:
        assert proc.returncode == 0, proc.stderr
    else:
        assert_one_error(proc, "weightConv1_.csv", "line 2", named)


def test_input_trace_value_named_plainly(traces: Path, tmp_path: Path) -> None:
    d = tmp_path / "tr"
    shutil.copytree(traces, d)
    i = d / "inputConv0_.csv"
    lines = i.read_text().splitlines()
    lines[2] = "2" + lines[2][1:]
    i.write_text("\n".join(lines) + "\n")
    proc = in_process(*compat_args(d)[:1], *[str(d / a) if a.endswith(".csv") else a
                                           for a in compat_args(d)[1:]], "--quiet")
    line = assert_one_error(proc, "inputConv0_.csv, line 3", "input bit in column 1 is 2;")
    assert "np." not in line  # was np.float64(2.0)


# ---------------------------------------------------------------- diff


def test_diff_folder_named_as_such(result: Path, tmp_path: Path) -> None:
    # before: "tmp: no such file" for a folder that exists
    assert_one_error(in_process("diff", str(tmp_path), str(result)), str(tmp_path),
                     "is a folder")


def test_diff_min_share_nan(result: Path) -> None:
    # before: exit 0 (click's FloatRange lets NaN through)
    assert_one_error(in_process("diff", str(result), str(result), "--min-share", "nan"),
                     "--min-share nan")


def test_diff_names_the_file_of_a_non_finite_figure(result: Path, tmp_path: Path) -> None:
    import json

    data = json.loads(result.read_text())
    data["chip"]["area_m2"] = "abc"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    # before: 'area_m2: not finite in A (nan) ...' without the file
    assert_one_error(in_process("diff", str(bad), str(result)), str(bad), "area_m2")


# ---------------------------------------------------------------- accuracy-only options
@pytest.mark.parametrize("command,on", [
    (["explain", "chip.area_m2", "-n", "lenet"], "the hardware figures"),
    (["network", "show", "lenet"], "the network table"),
    (["traces", "export", "{d}/tr", "-n", "lenet"], "the traces"),
])
def test_accuracy_options_without_effect(tmp_path: Path, command: list[str], on: str) -> None:
    # before: ignored silently
    proc = in_process(*[a.format(d=tmp_path) for a in command], "--set", "read_noise=0.1",
                      "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert f"Notice: read_noise = 0.1 has no effect on {on}" in proc.stderr, proc.stderr


# ---------------------------------------------------------------- environment variables
@pytest.mark.parametrize("env,named", [
    # before: 'abc' / 'nan' ignored silently, -5 pruned every cache file
    ({"NEUROSIM_CACHE_MAX_MB": "abc"}, "NEUROSIM_CACHE_MAX_MB='abc'"),
    ({"NEUROSIM_CACHE_MAX_MB": "-5"}, "NEUROSIM_CACHE_MAX_MB='-5'"),
    # before: 100000 was killed by SIGSEGV (2000: accepted)
    ({"NEUROSIM_CAPTURE_THREADS": "2000"}, "NEUROSIM_CAPTURE_THREADS='2000'"),
])
def test_environment_values(tmp_path: Path, env: dict[str, str], named: str) -> None:
    out = tmp_path / "o.json"
    proc = env_run({**env, "NEUROSIM_CACHE_DIR": str(tmp_path / "cache")}, "estimate", "-n",
                   "lenet", "--quiet", "--json", str(out))
    assert_one_error(proc, named)
    assert not out.exists()


def test_max_input_mb_huge(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"  # before: exit 1, OverflowError (float infinity to integer)
    cfg.write_text("technode = 7\n")
    proc = env_run({"NEUROSIM_MAX_INPUT_MB": "1e308"}, "config", "show", "--config", str(cfg))
    assert_one_error(proc, "NEUROSIM_MAX_INPUT_MB", "1e308")
