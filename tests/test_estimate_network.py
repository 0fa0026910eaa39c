"""End to end: model -> in-memory traces -> ``neurosim estimate`` equals
``neurosim traces export`` + ``neurosim compat`` on the written files (1e-9 relative),
plus the CLI's user errors (exit status 2, one message)."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
from click.testing import CliRunner  # noqa: E402

from neurosim.cli import cli  # noqa: E402
from neurosim.commands.compat import run_compat  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from small_models import SMALLNET  # noqa: E402


#: Keys of ``estimate --json`` that describe the run rather than its figures: the provenance
#: (option sources differ between the two routes) and the contribution trees (``run_compat``
#: serializes figures only).
RUN_KEYS = ("provenance", "contributions")


def _figures(result: dict) -> dict:
    return {k: v for k, v in result.items() if k not in RUN_KEYS}


def _compare(a, b, path=""):
    if not path and isinstance(a, dict):
        a, b = _figures(a), _figures(b)
    if isinstance(a, dict):
        assert set(a) == set(b), path
        for k in a:
            _compare(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _compare(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=0.0), path
    else:
        assert a == b, path


def _export_then_compat(runner, tmp_path, args):
    out = tmp_path / "traces"
    r = runner.invoke(cli, ["traces", "export", str(out), *args, "--quiet"])
    assert r.exit_code == 0, r.output
    script = (out / "trace_command.sh").read_text()
    cmd = shlex.split(script.splitlines()[-1])  # exec neurosim compat ... "$@"
    argv = cmd[3:-1]
    params = [argv[i + 1] for i, a in enumerate(argv) if a == "--param"]
    pos = [a for i, a in enumerate(argv) if a != "--param" and (i == 0 or argv[i - 1] != "--param")]
    net, wb, ib, rows, par, *traces = pos
    res = run_compat(str(out / net), int(wb), int(ib), int(rows), int(par),
                     [str(out / t) for t in traces], params, progress=False)
    return out, json.loads(res.dumps()), params


@pytest.mark.parametrize("options,params", [(["--set", "memcelltype=2"], ["device=rram"]),
                                            (["--set", "pipeline=0"], ["pipeline=0"])])
def test_estimate_equals_export_plus_compat(tmp_path, monkeypatch, options, params):
    (tmp_path / "smallnet.py").write_text(SMALLNET)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["--model", "smallnet.py:build", *options]
    out, compat_json, written = _export_then_compat(runner, tmp_path, args)
    assert written == params  # the non-default options reach neurosim compat
    assert (out / "NetWork_build.csv").read_text() == \
        "8,8,3,3,3,16,0,1\n8,8,16,3,3,32,1,1\n1,1,512,1,1,10,0,1\n"
    r = runner.invoke(cli, ["estimate", *args, "--json", "est.json", "--quiet"])
    assert r.exit_code == 0, r.output
    est = json.loads(Path("est.json").read_text())
    net = est.pop("network")
    assert net["layer_table"] == [[8, 8, 3, 3, 3, 16, 0, 1], [8, 8, 16, 3, 3, 32, 1, 1],
                                  [1, 1, 512, 1, 1, 10, 0, 1]]
    _compare(compat_json, est)
    assert "Network: build (3 CIM layers)" in r.output
    assert "Energy Efficiency TOPS/W" in r.output


def test_plain_torch_model_with_input_shape(tmp_path, monkeypatch):
    (tmp_path / "smallnet.py").write_text(SMALLNET)
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(cli, ["network", "show", "--model", "smallnet.py:plain",
                                 "--input-shape", "3,8,8", "--csv", "--quiet"])
    assert r.exit_code == 0, r.output
    assert r.output == "8,8,3,3,3,8,0,1\n1,1,288,1,1,4,0,1\n"


def test_network_show_vgg8_csv_equals_upstream():
    r = CliRunner().invoke(cli, ["network", "show", "vgg8", "--csv", "--quiet"])
    assert r.exit_code == 0, r.output
    # upstream Inference_pytorch/NeuroSIM/NetWork_VGG8.csv
    assert r.output == ("32,32,3,3,3,128,0,1\n32,32,128,3,3,128,1,1\n16,16,128,3,3,256,0,1\n"
                        "16,16,256,3,3,256,1,1\n8,8,256,3,3,512,0,1\n8,8,512,3,3,512,1,1\n"
                        "1,1,8192,1,1,1024,0,1\n1,1,1024,1,1,10,0,1\n")


@pytest.mark.parametrize("args,message", [
    (["estimate", "--network", "vgg9"], "Did you mean 'vgg8'"),
    (["estimate"], "give --network NAME"),
    (["estimate", "--network", "vgg8", "--data", "cifar10:/nonexistent/cifar"],
     "cifar-10-python.tar.gz"),
    (["estimate", "--network", "resnet18", "--data", "imagenet:/nonexistent/in"],
     "ILSVRC2012_img_val.tar"),
    (["estimate", "--network", "vgg8", "--data", "mnist:/x"], "expected KIND:ARG with KIND one of random"),
    (["estimate", "--network", "vgg8", "--checkpoint", "/nonexistent.pth"], "no such file"),
    (["traces", "export", "/tmp/x", "--model", "nonexistent_mod_xyz:build"], "cannot import"),
])
def test_user_errors_exit_2_with_one_message(args, message):
    r = CliRunner().invoke(cli, [*args, "--quiet"])
    assert r.exit_code == 2, r.output
    assert message in r.output
    assert "Traceback" not in r.output


def test_concatenating_model_estimates_like_its_exported_files(tmp_path, monkeypatch):
    (tmp_path / "smallnet.py").write_text(SMALLNET)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["--model", "smallnet.py:dense", "--set", "subarray_rows=16",
            "--set", "subarray_cols=16"]
    out, compat_json, _ = _export_then_compat(runner, tmp_path, args)
    assert (out / "NetWork_dense.csv").read_text() == \
        "8,8,3,3,3,16,0,1\n8,8,16,3,3,24,0,1\n8,8,24,1,1,16,1,1\n"
    r = runner.invoke(cli, ["estimate", *args, "--json", "est.json", "--quiet"])
    assert r.exit_code == 0, r.output
    est = json.loads(Path("est.json").read_text())
    est.pop("network")
    _compare(compat_json, est)


def _densenet_checkpoint():
    from neurosim.testing.golden import find_golden

    p = find_golden("checkpoints/DenseNet40.pth", "accuracy/networks/DenseNet40.pth")
    if p is None:
        pytest.skip("DenseNet40.pth not available")
    return ["--checkpoint", str(p)]


@pytest.mark.slow
@pytest.mark.parametrize("network", ["vgg8", "densenet40"])
def test_network_estimate_equals_export_plus_compat(tmp_path, monkeypatch, network):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["--network", network] + (_densenet_checkpoint() if network == "densenet40" else [])
    _, compat_json, _ = _export_then_compat(runner, tmp_path, args)
    r = runner.invoke(cli, ["estimate", *args, "--json", "est.json", "--quiet"])
    assert r.exit_code == 0, r.output
    assert "synthetic run" in r.output  # no --data: seeded random inputs
    est = json.loads(Path("est.json").read_text())
    est.pop("network")
    _compare(compat_json, est)


def test_cli_and_network_plugins_load_without_torch():
    import subprocess
    import sys

    code = ("import sys, neurosim.cli\n"
            "from neurosim.plugins import get_host\n"
            "names = get_host().registry.names('network')\n"
            "print(sorted(names), 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "'vgg8'" in out and out.strip().endswith("False")
