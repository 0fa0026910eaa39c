"""``neurosim sweep run`` with a bad spec: one ``Error:`` line naming the file, table and
key, exit 2, nothing run and no --out folder created (each failed before its fix)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_bad_input_cli import assert_error, neurosim  # noqa: E402

MODEL = 'model = "smallnet.py:build"\n'
GRID = "[grid]\ntechnode = [22]\n"


def run_spec(tmp_path: Path, name: str, text: str | bytes, *extra: str):
    spec = tmp_path / name
    spec.write_bytes(text if isinstance(text, bytes) else text.encode())
    out = tmp_path / "out"
    proc = neurosim("sweep", "run", str(spec), "--out", str(out), "--workers", "1",
                    "--quiet", "--no-plots", *extra)
    return proc, spec, out


@pytest.mark.parametrize("name,text,named", [
    # was UnicodeDecodeError (internal error, exit 1)
    ("bin.toml", b"\xff\xfe\x00grid", "not UTF-8"),
    # was accepted: a Pareto front maximizing and minimizing one figure
    ("both.toml", MODEL + GRID + "[objectives]\nmaximize = ['chip.area_m2']\n"
                  "minimize = ['chip.area_m2']\n", "chip.area_m2"),
    # was MemoryError (exit 1) while drawing the samples
    ("huge.toml", MODEL + "[random]\nsamples = 100000000000\ntechnode = [22, 7]\n",
     "samples"),
    # was minutes of expansion (2,150,400 rows) before anything ran
    ("grid.toml", MODEL + "[grid]\nsubarray_rows = [" + ",".join(map(str, range(16, 400, 4)))
     + "]\nlevel_output = [2,4,8,16,32,64,128]\nsynapse_bits = [1,2,3,4,5,6,7,8]\n"
       "input_bits = [1,2,3,4,5,6,7,8]\ntemperature_k = ["
     + ",".join(map(str, range(300, 400, 2))) + "]\n", "96 x 7 x 8 x 8 x 50"),
    # was accepted, the second value kept silently
    ("dup.yaml", "model: smallnet.py:build\ngrid:\n  technode: [22]\n  technode: [7]\n",
     "given twice"),
])
def test_bad_spec(tmp_path: Path, name: str, text: str | bytes, named: str) -> None:
    proc, spec, out = run_spec(tmp_path, name, text)
    assert_error(proc, str(spec), named)
    assert not out.exists()


def test_device_without_accuracy(tmp_path: Path) -> None:
    # was silently ignored (the sweep ran, exit 0)
    from small_models import SMALLNET

    (tmp_path / "smallnet.py").write_text(SMALLNET)  # the model is checked first
    proc, _, out = run_spec(tmp_path, "s.toml", MODEL + GRID, "--device", "cuda")
    assert_error(proc, "--device", "--with-accuracy")
    assert not out.exists()


@pytest.mark.parametrize("text,named", [
    ('network = "lenett"\n' + GRID, "lenett"),
    ('network = "lenet"\ndata = "foo:1"\n' + GRID, "foo:1"),
    ('traces = "no_such_folder"\n' + GRID, "no_such_folder"),
])
def test_bad_source(tmp_path: Path, text: str, named: str) -> None:
    # was: every row 'rejected' with the same error, exit 0
    proc, spec, out = run_spec(tmp_path, "s.toml", text)
    assert_error(proc, str(spec), named)
    assert not out.exists()


@pytest.mark.parametrize("expr", ["technode ==", "technode =", "chip.area_m2 <="])
def test_where_without_value(expr: str) -> None:
    """``sweep show --where 'technode =='`` read as technode = "=" and listed no row."""
    from neurosim.errors import NeuroSimError
    from neurosim.sweep.query import parse_where

    with pytest.raises(NeuroSimError, match="no value after|cannot read"):
        parse_where(expr, ["technode", "chip.area_m2"])
    assert parse_where("technode >= 22", ["technode"])[0].value == 22.0
