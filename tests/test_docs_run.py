"""Docs that run (issue 16): every command shown in README.md and docs/*.md (extracted by
``tests/docs_commands.py``, which also describes the ``<!-- not-run: ... -->`` and
``<!-- exit: N -->`` markers) runs here and exits as the docs say; a failure names the doc
file and line.

Each doc runs top to bottom in a workspace of its own (commands see what earlier ones
wrote), ``neurosim`` in-process (``click.testing.CliRunner``), other programs as
subprocesses with the virtual environment's ``bin`` first on ``PATH``. The files a command
names are made there first when they do not exist:

* ``NetWork*.csv``, ``weightN.csv`` / ``inputN.csv`` (and ``wN.csv`` / ``iN.csv``): the golden
  Micro network cut to the layers given and their traces (one pair: Micro's layer 2);
  ``...`` after trace files stands for the remaining pairs;
* ``*.pth`` after ``--checkpoint``: the seeded weights of the network it is given to (VGG8
  for ``reproduce``);
* ``*.npz`` cases of ``accuracy replay``: a golden layer case (tests/golden/accuracy/cases);
* ``--config FILE``: docs/configuration.md's example; a sweep SPEC that does not exist:
  examples/sweeps/smallnet_quick.toml; ``examples/...``: a copy of the repository's file;
* ``module:function`` / ``file.py:function`` models: tests/small_models.py's SMALLNET (with
  ``--input-shape``, a function returning only a model);
* ``diff A.json B.json``: ``compat --json`` results on the Micro traces (22 nm and 32 nm);
* ``--data cifar10:PATH`` (where the network is not substituted): a 2-image test batch.

The cheap substitute (CPU budget of the suite): the VGG8-sized networks (vgg8, densenet40,
resnet18) are replaced by ``lenet`` and their data sets by ``digits:test`` (``random:N`` by
at most 2 items), in commands and in copied sweep specs, except for ``network show/list``,
which run as written; ``reproduce`` runs one configuration of its table (``--only
sram22_p32``). Commands that need what this machine may lack are skipped with the
reason: ``--device cuda`` without a GPU, ``--scheduler tcp://...`` (a running Dask cluster).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from docs_commands import ROOT, Command, commands, doc_files  # noqa: E402
from golden_traces import case_by_id, network_path, trace_files  # noqa: E402
from small_models import SMALLNET  # noqa: E402

BIG_NETWORKS = {"vgg8", "densenet40", "resnet18"}
SUBSTITUTE = "lenet"
REPRODUCE_ONLY = "sram22_p32"  # reproduce's tables are VGG8 runs: one configuration
CASE = case_by_id("micro_sram_t22")
_TRACE = re.compile(r"^(weight|input|w|i)(\d+)\.csv$")
_MADE: set[Path] = set()  # network files made here (remade to fit each command)
_CHECKPOINTS: dict[Path, str] = {}  # checkpoint made here -> its network


def _needs(cmd: Command) -> str | None:
    """Why ``cmd`` cannot run on this machine (None when it can)."""
    words = cmd.argv
    if "--device" in words:
        dev = words[words.index("--device") + 1]
        if dev.startswith("cuda"):
            import torch

            if not torch.cuda.is_available():
                return "needs a CUDA GPU"
    if any(w.startswith("tcp://") for w in words):
        return "needs a running Dask scheduler"
    return None


def _substitute(words: list[str]) -> list[str]:
    """The cheap substitute for VGG8-sized networks (see the module docstring)."""
    if words[:1] == ["network"]:
        return words
    if words[:1] == ["reproduce"] and "--only" not in words:
        return [*words, "--only", REPRODUCE_ONLY]
    out = list(words)
    big = False
    for k, w in enumerate(out[:-1]):
        if w in ("--network", "-n") and out[k + 1] in BIG_NETWORKS:
            out[k + 1], big = SUBSTITUTE, True
    if not big:
        return out
    for k, w in enumerate(out[:-1]):
        if w == "--data":
            kind, _, arg = out[k + 1].partition(":")
            out[k + 1] = f"random:{min(int(arg), 2)}" if kind == "random" and arg.isdigit() \
                else "digits:test"
    if out[:1] == ["accuracy"] and "--limit" not in out and "replay" not in out:
        out += ["--limit", "2"]
    return out


def _cheap_spec(src: Path, dst: Path) -> None:
    text = src.read_text()
    for net in BIG_NETWORKS:
        text = re.sub(rf"(network\s*[:=]\s*\"?){net}\b", rf"\g<1>{SUBSTITUTE}", text)
    text = re.sub(r"random:(\d+)", lambda m: f"random:{min(int(m.group(1)), 2)}", text)
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(text)
    for extra in src.parent.glob("*.py"):  # model files the spec names
        if not (dst.parent / extra.name).exists():
            shutil.copy(extra, dst.parent / extra.name)


def _config_example() -> str:
    text = (ROOT / "docs" / "configuration.md").read_text()
    m = re.search(r"```toml\n(.*?)```", text, re.S)
    return m.group(1) if m else "[hardware]\ntechnode = 22\n"


def _checkpoint(path: Path, network: str) -> None:
    import torch

    from neurosim.networks import get_network

    torch.manual_seed(0)
    torch.save(get_network(network).build().state_dict(), path)


def _layer_offset(words: list[str]) -> int:
    """One trace pair stands for Micro's layer 2 (its layer 1 alone is too small for
    NeuroSim's chip hierarchy: exit 2); otherwise layers 1, 2, ..."""
    pairs = sum(1 for w in words if _TRACE.match(w)) // 2
    return 1 if pairs == 1 and "..." not in words else 0


def _network_rows(words: list[str]) -> str:
    """The golden Micro network cut to the layers the command gives traces for."""
    rows = network_path(CASE).read_text().splitlines(keepends=True)
    if "..." in words:
        return "".join(rows)
    pairs = sum(1 for w in words if _TRACE.match(w)) // 2
    start = _layer_offset(words)
    return "".join(rows[start:start + pairs] if pairs else rows)


def _model_file(function: str, shape: str | None) -> str:
    """SMALLNET, plus ``function`` returning only a model for ``--input-shape C,H,W``."""
    if shape is None:
        return SMALLNET
    return SMALLNET + (
        "\n\nclass AnySize(Small):  # Small on any input size: pooled to 4x4 before fc\n"
        "    def forward(self, x):\n"
        "        x = torch.relu(self.c2(torch.relu(self.c1(x))))\n"
        "        return self.fc(torch.nn.functional.adaptive_max_pool2d(x, 4).flatten(1))\n"
        f"\n\ndef {function}():  # returns only the model: give --input-shape\n"
        "    return AnySize()\n")


def _results(words: list[str], ws: Path) -> None:
    """``diff`` inputs: compat --json results (the first at 22 nm, the others at 32 nm)."""
    from neurosim.cli import cli

    for k, w in enumerate(w for w in words[1:] if w.endswith(".json")):
        if not (ws / w).exists():
            params = [] if k == 0 else ["--param", "technode=32"]
            r = CliRunner().invoke(cli, ["compat", str(network_path(CASE)), "8", "8", "128",
                                         "128", *trace_files(CASE), "--quiet", "--json",
                                         str(ws / w), *params])
            assert r.exit_code == 0, r.output


def _prepare(words: list[str], ws: Path) -> list[str]:
    """Make the files ``words`` names (module docstring); returns the words to run."""
    traces = trace_files(CASE)
    if words[:1] == ["diff"]:
        _results(words, ws)
    out: list[str] = []
    last_trace: tuple[str, int] | None = None
    for k, w in enumerate(words):
        prev = words[k - 1] if k else ""
        if w == "..." and last_trace:
            names, n = last_trace
            for layer in range(n + 1, len(traces) // 2 + 1):
                out += [f"{names[0]}{layer}.csv", f"{names[1]}{layer}.csv"]
                for name, src in zip(out[-2:], traces[2 * layer - 2:2 * layer]):
                    _remake(src, ws / name)
            continue
        out.append(w)
        p = ws / w
        m = _TRACE.match(w)
        if w.startswith("NetWork") and w.endswith(".csv"):
            if not p.exists() or p in _MADE:
                p.write_text(_network_rows(words))
                _MADE.add(p)
        elif m:
            layer = int(m.group(2)) + _layer_offset(words)
            kind = m.group(1)
            _remake(traces[2 * (layer - 1) + (kind in ("input", "i"))], p)
            pair = {"weight": ("weight", "input"), "input": ("weight", "input"),
                    "w": ("w", "i"), "i": ("w", "i")}[kind]
            last_trace = (pair, layer)
        elif prev == "--checkpoint":
            net = words[words.index("--network") + 1] if "--network" in words else \
                "vgg8" if words[:1] == ["reproduce"] else SUBSTITUTE
            if not p.exists() or _CHECKPOINTS.get(p, net) != net:
                p.parent.mkdir(parents=True, exist_ok=True)
                _checkpoint(p, net)
                _CHECKPOINTS[p] = net
        elif w.endswith(".npz") and not p.exists():
            src = ROOT / "tests" / w if (ROOT / "tests" / w).exists() else next(
                (ROOT / "tests/golden/accuracy/cases").glob("*.npz"))
            _copy(src, p)
        elif prev == "--data" and w.startswith("cifar10:"):
            _cifar10(Path(os.path.expanduser(w.split(":", 1)[1])))
        elif prev == "--config" and not p.exists():
            p.write_text(_config_example())
        elif w.startswith("examples/") and (ROOT / w).exists() and not p.exists():
            _cheap_spec(ROOT / w, p) if w.endswith((".toml", ".yaml", ".yml")) else \
                _copy(ROOT / w, p)
        elif words[:2] == ["sweep", "run"] and k == 2 and not p.exists():
            _cheap_spec(ROOT / "examples/sweeps/smallnet_quick.toml", p)
        elif prev == "--model":
            mod, _, function = w.rpartition(":")
            f = ws / (mod if mod.endswith(".py") else mod.replace(".", "/") + ".py")
            if not f.exists():
                f.parent.mkdir(parents=True, exist_ok=True)
                shape = words[words.index("--input-shape") + 1] \
                    if "--input-shape" in words else None
                f.write_text(_model_file(function, shape if function != "plain" else None))
                if not mod.endswith(".py"):
                    for parent in f.relative_to(ws).parents:
                        if str(parent) != ".":
                            (ws / parent / "__init__.py").touch()
    return out


def _cifar10(folder: Path) -> None:
    """A CIFAR-10 test batch of 2 seeded images in the python-pickle format."""
    import pickle

    import numpy as np

    f = folder / "cifar-10-batches-py" / "test_batch"
    if f.exists():
        return
    f.parent.mkdir(parents=True, exist_ok=True)
    data = np.random.default_rng(0).integers(0, 256, size=(2, 3072), dtype=np.uint8)
    with open(f, "wb") as out:
        pickle.dump({"data": data, "labels": [3, 8]}, out)


def _remake(src, dst: Path) -> None:
    """Copy ``src`` unless ``dst`` is a file of the doc's own (made by an earlier command
    rather than by this fixture)."""
    if not dst.exists() or dst in _MADE:
        shutil.copy(src, dst)
        _MADE.add(dst)


def _copy(src, dst: Path) -> None:
    if not dst.exists():
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dst)


def _run(cmd: Command, ws: Path, monkeypatch) -> tuple[int, str]:
    words = list(cmd.argv)
    env = dict(cmd.env)
    if words[0].endswith("neurosim"):
        from neurosim.cli import cli

        argv = _prepare(_substitute(words[1:]), ws)
        with monkeypatch.context() as m:
            for k, v in env.items():
                m.setenv(k, v)
            r = CliRunner().invoke(cli, argv)
        return r.exit_code, r.output
    words = _prepare(words, ws)
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    proc = subprocess.run(words, cwd=ws, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PATH": path, **env})
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize("doc", doc_files(), ids=lambda p: p.name)
def test_every_command_of_the_doc_runs(doc: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.syspath_prepend(str(tmp_path))  # --model module:function in the workspace
    failures, skipped = [], []
    for cmd in commands(doc):
        reason = cmd.not_run or _needs(cmd)
        if reason:
            skipped.append(f"{cmd.where}: {reason}")
            continue
        if cmd.argv[0] in ("make", "pip"):
            failures.append(f"{cmd.where}: `{cmd.text}` changes the environment; mark its "
                            "block <!-- not-run: REASON -->")
            continue
        started = time.process_time()
        code, output = _run(cmd, tmp_path, monkeypatch)
        print(f"{cmd.where}: {time.process_time() - started:.1f} s CPU")
        if code != cmd.exit_code:
            tail = "\n    ".join(output.strip().splitlines()[-4:])
            failures.append(f"{cmd.where}: `{cmd.text}` exited {code} (expected "
                            f"{cmd.exit_code}):\n    {tail}")
    assert not failures, f"{len(failures)} command(s) of {doc.name} failed:\n" + \
        "\n".join(failures)
    for s in skipped:
        print(f"not run: {s}")
