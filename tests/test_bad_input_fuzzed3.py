"""Bad input found by a third fuzzing round (``--net-option``, ``--data``, ``--checkpoint``,
``explain`` / ``diff`` / ``reproduce``): one ``Error:`` line naming the option, file or key,
exit 2, no traceback, nothing written. Each case failed before its fix (exit 1 with an
internal error, exit 0 with inf figures or an input overwritten, or the value silently
ignored)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from test_bad_input_fuzzed2 import assert_one_error, in_process  # noqa: E402


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ``--json`` result of ``estimate -n lenet``."""
    out = tmp_path_factory.mktemp("res") / "a.json"
    proc = in_process("estimate", "-n", "lenet", "--quiet", "--json", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


# ---------------------------------------------------------------- diff / reproduce outputs
def test_diff_json_onto_an_input(result: Path, tmp_path: Path) -> None:
    a = tmp_path / "a.json"  # before: exit 0, the diff written over A
    shutil.copy(result, a)
    before = a.read_bytes()
    proc = in_process("diff", str(a), str(a), "--json", str(a))
    assert_one_error(proc, "--json", "input file")
    assert a.read_bytes() == before


@pytest.mark.parametrize("args,named", [
    # before: exit 0 after the whole run, the CSV written over the JSON
    (["--json", "{d}/r.out", "--csv", "{d}/r.out"], "--csv"),
    # before: a real checkpoint was overwritten by the JSON (exit 0; this one: load error)
    (["--json", "{d}/w.pth", "--checkpoint", "{d}/w.pth"], "input file"),
])
def test_reproduce_outputs_checked(tmp_path: Path, args: list[str], named: str) -> None:
    (tmp_path / "w.pth").write_bytes(b"weights")
    proc = in_process("reproduce", "table7", "--only", "rram22_p32", "--quiet",
                      *[a.format(d=tmp_path) for a in args])
    assert_one_error(proc, named)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.pth"]
    assert (tmp_path / "w.pth").read_bytes() == b"weights"


# ---------------------------------------------------------------- checkpoints
@pytest.fixture(scope="module")
def nan_checkpoints(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """lenet state dicts with one NaN / one infinite weight."""
    import torch

    from neurosim.networks import get_network

    folder = tmp_path_factory.mktemp("ckpt")
    out = {}
    for name, value in (("nan", float("nan")), ("inf", float("inf"))):
        sd = get_network("lenet").build().state_dict()
        sd["features.0.weight"][0, 0, 0, 0] = value
        out[name] = folder / f"{name}.pth"
        torch.save(sd, out[name])
    return out


@pytest.mark.parametrize("kind", ["nan", "inf"])
@pytest.mark.parametrize("command", [
    # before: exit 0, agreement 100 % with the software model run on the same NaN weights
    ["accuracy", "-n", "lenet", "--data", "random:2"],
    # before: exit 0, trained from the NaN weights and wrote the result
    ["train", "-n", "lenet", "--data", "digits:train", "--limit", "8", "--epochs", "1"],
    # before: exit 2 but naming a layer input, not the checkpoint
    ["estimate", "-n", "lenet", "--no-cache"],
])
def test_checkpoint_not_finite(nan_checkpoints: dict[str, Path], tmp_path: Path, kind: str,
                               command: list[str]) -> None:
    out = tmp_path / ("t.pth" if command[0] == "train" else "o.json")
    option = "--out" if command[0] == "train" else "--json"
    proc = in_process(*command, "--quiet", "--checkpoint", str(nan_checkpoints[kind]),
                      option, str(out))
    assert_one_error(proc, f"checkpoint {nan_checkpoints[kind]}", "'features.0.weight'",
                     "NaN or infinite")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- data sets
@pytest.mark.parametrize("command", [
    ["accuracy", "-n", "vgg8"],  # before: exit 0, 0.00 % of 0 items at inf images/s
    ["estimate", "-n", "vgg8"],  # before: exit 1, IndexError (index 0 of size 0)
])
def test_cifar_batch_without_images(tmp_path: Path, command: list[str]) -> None:
    import pickle

    import numpy as np

    data = tmp_path / "cifar"
    data.mkdir()
    with open(data / "test_batch", "wb") as f:
        pickle.dump({b"data": np.zeros((0, 3072), np.uint8), b"labels": []}, f)
    out = tmp_path / "o.json"
    proc = in_process(*command, "--data", f"cifar10:{data}", "--quiet", "--json", str(out))
    assert_one_error(proc, str(data / "test_batch"), "holds no images")
    assert not out.exists()


# ---------------------------------------------------------------- --net-option
@pytest.mark.parametrize("net,options,named", [
    # exit 1: RuntimeError (a zero / negative dimension), ValueError (int('abc')),
    # ZeroDivisionError, IndexError in the factory or the traced forward
    ("lenet", ["num_classes=0"], "num_classes=0: network 'lenet' takes a whole number >= 1"),
    ("lenet", ["num_classes=abc"], "num_classes=abc"),
    ("lenet", ["image_size=0"], "image_size=0"),
    ("lenet", ["in_channels=0"], "in_channels=0"),
    ("resnet18", ["num_classes=-5"], "num_classes=-5"),
    ("vgg8", ["num_classes=0"], "num_classes=0"),
    # exit 0: int(1.5) = 1 class built silently
    ("lenet", ["num_classes=1.5"], "num_classes=1.5"),
    # exit 0: the second value taken silently (--set refuses a key given twice)
    ("lenet", ["num_classes=4", "num_classes=5"], "already set by --net-option num_classes=4"),
    ("lenet", ["num_classes=nan"], "must be a finite number"),
    # exit 0: roberta-lora's factory takes **ignored, so these were ignored silently
    ("roberta-lora", ["foo=1"], "has no option 'foo'; its options: adapter, config"),
    ("roberta-lora", ["inference=1"], "has no option 'inference'"),
    ("roberta-lora", ["merged=maybe"], "takes true/false (or 1/0) for merged"),
    ("roberta-lora", ["lora_r=4", "lora_r=8"], "lora_r is already set"),
    # exit 1: ValueError (int('abc'), int(nan)) and RuntimeError (num_labels=0)
    ("roberta-lora", ["lora_alpha=abc"], "lora_alpha=abc"),
    ("roberta-lora", ["lora_alpha=nan"], "lora_alpha=nan: must be a finite number"),
    ("roberta-lora", ["num_labels=0"], "num_labels=0"),
    ("roberta-lora", ["lora_r=abc"], "lora_r=abc: the LoRA rank is a whole number"),
])
def test_net_option_values(net: str, options: list[str], named: str) -> None:
    if net == "roberta-lora":
        pytest.importorskip("peft")
    args = [a for o in options for a in ("--net-option", o)]
    assert_one_error(in_process("network", "show", net, "--quiet", *args), named)


@pytest.mark.parametrize("command", [
    # exit 1: ValueError (int('abc')) reading the network's classes before the build
    ["accuracy", "-n", "lenet", "--data", "random:2", "--net-option", "num_classes=abc"],
    # exit 2 but "outputs 0 classes ... give a data set of at most 0 classes"
    ["train", "-n", "lenet", "--data", "digits:train", "--limit", "8", "--epochs", "1",
     "--net-option", "num_classes=0"],
])
def test_net_option_classes_before_the_data(tmp_path: Path, command: list[str]) -> None:
    out = tmp_path / ("t.pth" if command[0] == "train" else "o.json")
    proc = in_process(*command, "--quiet", "--out" if command[0] == "train" else "--json",
                      str(out))
    assert_one_error(proc, "--net-option num_classes=", "whole number >= 1")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["network", "show", "lenet"], ["estimate", "-n", "lenet"],
                                     ["accuracy", "-n", "lenet"]])
def test_net_option_that_does_not_fit_the_inputs(tmp_path: Path, command: list[str]) -> None:
    # before: exit 1, RuntimeError (mat1 and mat2 shapes cannot be multiplied) in the capture
    # (accuracy: in the first software forward pass)
    out = tmp_path / "o.json"
    extra = ["--json", str(out)] if command[0] in ("estimate", "accuracy") else []
    proc = in_process(*command, "--quiet", "--net-option", "image_size=3", *extra)
    assert_one_error(proc, "--net-option image_size=3", "forward pass", "mat1 and mat2")
    assert not out.exists()


@pytest.mark.parametrize("value,named", [
    ("digits:x", "--val-data 'digits:x': expected digits:train or digits:test"),
    ("random:3", "--val-data random:3: training needs a labelled data set"),
])
def test_train_val_data_named(tmp_path: Path, value: str, named: str) -> None:
    # before: the Error line named --data, which was digits:train and fine
    out = tmp_path / "t.pth"
    proc = in_process("train", "-n", "lenet", "--data", "digits:train", "--limit", "8",
                      "--epochs", "1", "--val-data", value, "--quiet", "--out", str(out))
    assert_one_error(proc, named)
    assert list(tmp_path.iterdir()) == []
