"""Issue 16, examples of the model-driven and accuracy commands and of the cost guards: each
is one ``Error:`` line and exit 2 before any work (each failed before the fix)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from small_models import SMALLNET  # noqa: E402

from neurosim.cli import cli  # noqa: E402
from neurosim.config import Config  # noqa: E402
from neurosim.cost import MAX_SUBARRAY_READS, VGG8_DEFAULT_READS, guard, predict  # noqa: E402
from neurosim.engine.traces import LayerSpec  # noqa: E402
from neurosim.errors import CostError  # noqa: E402

CASES = Path(__file__).parent / "golden" / "accuracy" / "cases"
VGG8 = [LayerSpec(32, 32, 3, 3, 3, 128, False, 1), LayerSpec(32, 32, 128, 3, 3, 128, True, 1),
        LayerSpec(16, 16, 128, 3, 3, 256, False, 1), LayerSpec(16, 16, 256, 3, 3, 256, True, 1),
        LayerSpec(8, 8, 256, 3, 3, 512, False, 1), LayerSpec(8, 8, 512, 3, 3, 512, True, 1),
        LayerSpec(1, 1, 8192, 1, 1, 1024, False, 1), LayerSpec(1, 1, 1024, 1, 1, 10, False, 1)]


def one_error(r) -> str:  # noqa: ANN001
    lines = [ln for ln in r.output.splitlines() if ln.startswith("Error:")]
    assert r.exit_code == 2 and len(lines) == 1 and "Traceback" not in r.output, r.output
    return lines[0]


def test_vgg8_reads_hand_count() -> None:
    """Module docstring of neurosim.cost: sum over layers of ceil(rows/128) *
    ceil(8*cout/128) * numInVector * 8 = 1.78e6 for VGG8 (layer 2: 9*8*900*8 = 518400)."""
    cost = predict(Config(), VGG8)
    assert cost.subarray_reads == 57600 + 518400 + 225792 + 451584 + 165888 + 331776 + \
        32768 + 64
    assert cost.subarray_reads == VGG8_DEFAULT_READS


def test_cost_guard_needs_force_for_vgg8_on_8x8_subarrays() -> None:
    small = predict(Config(subarray_rows=8, subarray_cols=8), VGG8)
    assert small.subarray_reads > MAX_SUBARRAY_READS
    with pytest.raises(CostError, match="pass --force to run it anyway"):
        guard(small, force=False)
    guard(small, force=True)
    guard(predict(Config(subarray_rows=16, subarray_cols=16), VGG8), force=False)


@pytest.fixture
def models(tmp_path: Path, monkeypatch) -> Path:
    pytest.importorskip("torch")
    (tmp_path / "smallnet.py").write_text(SMALLNET + """

class Strided(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c = QConv2d(3, 16, 3, stride=100, name="Conv0_")
        self.fc = QLinear(16, 10, name="FC0_")

    def forward(self, x):
        return self.fc(self.c(x).flatten(1))


def strided():
    return Strided(), torch.rand(1, 3, 8, 8) * 2 - 1
""")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("args,message", [
    (["estimate", "--model", "smallnet.py:strided"],
     "layer 1: stride 100 leaves no output position on the 8x8 input map"),
    (["network", "show", "--network", "vgg8", "--input-shape", "3,64,64"],
     "network vgg8 takes inputs of shape 3,32,32"),
    (["estimate", "--model", "smallnet.py:build", "--input-shape", "3,8,8"],
     "returns its own example inputs"),
    (["estimate", "--network", "vgg8", "--checkpoint", "."], "is a folder, not a checkpoint"),
    (["estimate", "--network", "vgg8", "--checkpoint", "/dev/zero"], "is not a regular file"),
    (["estimate", "--network", "vgg8", "--data", "random:99999999999999999999"],
     "N must be at most 100000"),
    (["estimate", "--network", "vgg8", "--set", "seed=-1"], "option seed = -1 must be >= 0"),
    (["accuracy", "--network", "vgg8", "--device", "tpu"], "--device 'tpu': choose cpu"),
    (["accuracy", "--network", "vgg8", "--device", "meta"], "--device 'meta': choose cpu"),
    (["accuracy", "--network", "vgg8", "--json", ""], "--json '': empty file name"),
    (["accuracy", "--network", "vgg8", "--json", "nowhere/a.json"],
     "folder nowhere does not exist"),
])
def test_model_commands_refuse_before_running(models: Path, args: list[str],
                                              message: str) -> None:
    assert message in one_error(CliRunner().invoke(cli, [*args, "--quiet"]
                                                   if args[0] != "network" else args))


def test_cuda_without_a_gpu_is_refused() -> None:
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    r = CliRunner().invoke(cli, ["accuracy", "replay", str(next(CASES.glob("*.npz"))),
                                 "--device", "cuda", "--out", "never.npy"])
    assert "no CUDA GPU is available here" in one_error(r)


@pytest.mark.parametrize("change,message", [
    ({"input": "nan"}, "array 'input' holds NaN or infinite values"),
    ({"ADCprecision": 0}, "setting ADCprecision = 0 must be >= 1 (option adc_bits)"),
    ({"cellBit": 16}, "setting cellBit = 16 must be <= 8 (option cell_bits)"),
])
def test_replay_refuses_bad_cases(tmp_path: Path, change: dict, message: str) -> None:
    pytest.importorskip("torch")
    src = next(CASES.glob("*.npz"))
    with np.load(src, allow_pickle=False) as d:
        case = {k: d[k] for k in d.files}
    for key, value in change.items():
        if value == "nan":
            case[key] = case[key].copy()
            case[key].flat[0] = np.nan
        else:
            case[key] = np.asarray(value)
    bad = tmp_path / "bad.npz"
    np.savez(bad, **case)
    r = CliRunner().invoke(cli, ["accuracy", "replay", str(bad), "--out",
                                 str(tmp_path / "y.npy")])
    assert message in one_error(r)
    assert not (tmp_path / "y.npy").exists()
    # the case itself is never an output
    r = CliRunner().invoke(cli, ["accuracy", "replay", str(src), "--out", str(src)])
    assert "is the input file" in one_error(r)
