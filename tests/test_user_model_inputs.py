"""``estimate --model`` functions that return something unusable get one Error line naming
the function (before: exit 1, internal error: ValueError unpacking a 3-tuple, IndexError on
empty example inputs), and a network without a layer the novel mapping applies to is told
to turn it off (before: "the largest layer here needs only 0 columns")."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_bad_input_cli import assert_error, neurosim  # noqa: E402

MODELS = '''
import torch
from torch import nn

def three():
    return nn.Linear(10, 5), torch.rand(1, 10), "extra"

def empty():
    return nn.Sequential(nn.Linear(10, 5)), torch.rand(0, 10)

def mlp():
    return nn.Sequential(nn.Linear(20, 30), nn.ReLU(), nn.Linear(30, 5)), torch.rand(1, 20)
'''


@pytest.fixture()
def models(tmp_path: Path) -> Path:
    (tmp_path / "models.py").write_text(MODELS)
    return tmp_path


@pytest.mark.parametrize("func,named", [
    ("three", "returned a tuple of 3 items"),
    ("empty", "shape (0, 10)) hold no item"),
])
def test_unusable_return_value(models: Path, func: str, named: str) -> None:
    out = models / "o.json"
    proc = neurosim("estimate", "--model", f"models.py:{func}", "--quiet", "--json", str(out),
                    cwd=models)
    assert_error(proc, f"--model models.py:{func}", named)
    assert not out.exists()


def test_no_novel_mapped_layer_names_the_option(models: Path) -> None:
    proc = neurosim("estimate", "--model", "models.py:mlp", "--quiet", cwd=models)
    assert_error(proc, "novel_mapping", "no layer of this network qualifies", "novelMapping=0")
    proc = neurosim("estimate", "--model", "models.py:mlp", "--quiet", "--set",
                    "novel_mapping=false", "--set", "subarray_rows=16", cwd=models)
    assert proc.returncode == 0, proc.stderr
