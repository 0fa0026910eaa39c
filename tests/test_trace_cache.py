"""Trace cache of ``neurosim estimate`` (``neurosim.trace_cache``, issue 11): a hit gives the
same report and JSON as a cold run, bit for bit, and imports no torch; unreadable files are
ignored with a notice and rewritten; writes are atomic; the key follows what the capture
depends on and nothing else. The repository conftest gives every test an empty
``$NEUROSIM_CACHE_DIR``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from neurosim import trace_cache
from neurosim.cli import cli

sys.path.insert(0, str(Path(__file__).parent))
from small_models import SMALLNET  # noqa: E402


def cache_files() -> list[Path]:
    return sorted(trace_cache.cache_dir().glob("*"))


def estimate(*args: str, out: Path | None = None) -> tuple[str, str, dict | None]:
    """(stdout, stderr, JSON) of one in-process ``neurosim estimate``."""
    runner = CliRunner()
    extra = ["--json", str(out)] if out else []
    r = runner.invoke(cli, ["estimate", *args, "--quiet", *extra])
    assert r.exit_code == 0, r.output + r.stderr
    return r.stdout, r.stderr, (json.loads(out.read_text()) if out else None)


def test_hit_equals_cold_run_bit_for_bit(tmp_path):
    """VGG8: the cold run writes one file; the hit's report and JSON (every figure, the
    layer table, provenance) equal the cold run's and those of a --no-cache run."""
    cold_out, cold_err, cold = estimate("--network", "vgg8", out=tmp_path / "cold.json")
    files = cache_files()
    assert [f.suffix for f in files] == [".npz"] and cold_err == ""
    hit_out, hit_err, hit = estimate("--network", "vgg8", out=tmp_path / "hit.json")
    assert hit_err == "" and hit_out == cold_out and hit == cold
    ref_out, _, ref = estimate("--network", "vgg8", "--no-cache", out=tmp_path / "ref.json")
    assert ref_out == cold_out and ref == cold
    assert cache_files() == files


def test_stored_arrays_equal_the_capture():
    """Weights (int8 codes) and input bits (packed) come back as the captured arrays:
    same dtype, shape and values; layer records, digital and unmapped lists too."""
    from neurosim.commands.common import build_config, prepare_from_options

    cfg = build_config((), ())
    key = trace_cache.capture_key(cfg, "densenet40", None, None, None, 1, None, ())
    run = prepare_from_options("densenet40", None, None, None, 1, None, cfg)
    path = trace_cache.key_path(key)
    trace_cache.store(path, key, run)
    back = trace_cache.load(path, key)
    assert len(back.capture.layers) == len(run.capture.layers) == 40
    for a, b in zip(run.capture.layers, back.capture.layers):
        assert a.weights.dtype == b.weights.dtype == np.float64
        assert a.input_bits.dtype == b.input_bits.dtype == np.uint8
        assert same_bits(a.weights, b.weights) and same_bits(a.input_bits, b.input_bits)
        assert (a.name, a.path, a.kind, a.spec, a.weight_bits, a.input_bits_n,
                a.out_channels, a.groups) == (b.name, b.path, b.kind, b.spec, b.weight_bits,
                                              b.input_bits_n, b.out_channels, b.groups)
    assert back.capture.digital == run.capture.digital
    assert back.capture.unmapped == run.capture.unmapped
    assert (back.name, back.weights_source, back.inputs_source, back.notes) == \
        (run.name, run.weights_source, run.inputs_source, run.notes)
    # 8-bit WAGE weights are stored as int8 codes: one byte per weight
    with zipfile.ZipFile(path) as z:
        w0 = z.getinfo("w0.npy").file_size
    assert w0 - 128 <= run.capture.layers[0].weights.size <= w0


def test_digital_and_unmapped_records_round_trip(tmp_path):
    """A model with an attention-style product and a Conv1d: both lists survive."""
    import torch

    from neurosim.nn.capture import capture
    from neurosim.nn.records import PreparedRun

    class Net(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.q = torch.nn.Linear(8, 8)
            self.side = torch.nn.Conv1d(2, 2, 3)

        def forward(self, x):
            q = self.q(x)
            return torch.matmul(q, q.transpose(-1, -2))

    torch.manual_seed(3)
    cap = capture(Net().eval(), torch.rand(1, 5, 8) * 2 - 1)
    assert cap.digital and cap.unmapped
    run = PreparedRun("net", "net", cap, "w", "x", ["a note"])
    key = {"network": "net", "format": trace_cache.FORMAT}
    trace_cache.store(tmp_path / "n.npz", key, run)
    back = trace_cache.load(tmp_path / "n.npz", key)
    assert back.capture.digital == cap.digital and back.capture.unmapped == cap.unmapped
    assert back.notes == ["a note"]
    assert np.array_equal(back.capture.layers[0].weights, cap.layers[0].weights)
    assert np.array_equal(back.capture.layers[0].input_bits, cap.layers[0].input_bits)


def test_hit_imports_no_torch(tmp_path):
    """A fresh process with a warm cache never imports torch (the cold one does)."""
    code = ("import sys\nfrom neurosim.cli import main\ntry:\n"
            "    main(['estimate', '--network', 'lenet', '--quiet'])\n"
            "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
            "print('TORCH', 'torch' in sys.modules)\n")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=os.environ.copy(), timeout=300) for _ in range(2)]
    for r in runs:
        assert r.returncode == 0, r.stderr
    assert runs[0].stdout.splitlines()[-1] == "TORCH True"
    assert runs[1].stdout.splitlines()[-1] == "TORCH False"
    assert runs[0].stdout.splitlines()[:-1] == runs[1].stdout.splitlines()[:-1]


def _corrupt_truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _corrupt_garbage(path: Path) -> None:
    path.write_bytes(b"not a zip file at all\n" * 10)


def _corrupt_flip(path: Path) -> None:
    """One flipped byte inside the largest member (caught by the member's CRC-32)."""
    with zipfile.ZipFile(path) as z:
        info = max(z.infolist(), key=lambda i: i.file_size)
    data = bytearray(path.read_bytes())
    pos = info.header_offset + 30 + len(info.filename) + len(info.extra) + 200
    data[pos] ^= 0xFF
    path.write_bytes(bytes(data))


def _corrupt_key(path: Path) -> None:
    """A readable file whose stored key is not the one asked for."""
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(arrays["meta"].tobytes())
    meta["key"]["seed"] = -1
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def _corrupt_shape(path: Path) -> None:
    """A readable file with a layer's weights cut short."""
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["w1"] = arrays["w1"][:-1]
    with open(path, "wb") as f:
        np.savez(f, **arrays)


@pytest.mark.parametrize("damage", [_corrupt_truncate, _corrupt_garbage, _corrupt_flip,
                                    _corrupt_key, _corrupt_shape, lambda p: p.write_bytes(b"")])
def test_unreadable_file_is_ignored_with_a_notice_and_rewritten(tmp_path, damage):
    cold_out, _, cold = estimate("--network", "lenet", out=tmp_path / "cold.json")
    (path,) = cache_files()
    damage(path)
    out, err, res = estimate("--network", "lenet", out=tmp_path / "again.json")
    assert out == cold_out and res == cold
    assert err.count("\n") == 1 and err.startswith(f"Notice: trace cache file {path} is "
                                                   "unreadable (")
    assert "Traceback" not in err
    assert cache_files() == [path]  # rewritten in place, no temporary left
    out, err, res = estimate("--network", "lenet", out=tmp_path / "third.json")
    assert err == "" and out == cold_out and res == cold


def test_no_cache_neither_reads_nor_writes(tmp_path):
    estimate("--network", "lenet", "--no-cache")
    assert cache_files() == []
    estimate("--network", "lenet")
    (path,) = cache_files()
    _corrupt_garbage(path)
    _, err, _ = estimate("--network", "lenet", "--no-cache")
    assert err == "" and path.read_bytes().startswith(b"not a zip")


def test_write_is_atomic(tmp_path, monkeypatch):
    """A writer that fails half-way leaves neither the file nor a temporary, and the
    estimate still completes (with a notice)."""
    real = np.savez

    def broken(file, **arrays):
        file.write(b"PK partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(trace_cache.np, "savez", broken)
    out, err, _ = estimate("--network", "lenet")
    assert "Notice: cannot write the trace cache file" in err and "No space left" in err
    assert "Throughput" in out and cache_files() == []
    monkeypatch.setattr(trace_cache.np, "savez", real)
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(trace_cache.os, "replace",
                        lambda a, b: (replaced.append((Path(a), Path(b))), real_replace(a, b)))
    estimate("--network", "lenet")
    (path,) = cache_files()
    assert replaced == [(replaced[0][0], path)] and replaced[0][0].parent == path.parent
    assert replaced[0][0].name.startswith(".") and replaced[0][0].suffix == ".tmp"


def test_unwritable_folder_is_a_notice(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv(trace_cache.ENV_DIR, str(blocker / "traces"))  # parent is a file
    out, err, _ = estimate("--network", "lenet")
    assert err.startswith("Notice: cannot write the trace cache file") and "Throughput" in out


def key_of(*overrides: str, network: str = "lenet", checkpoint: str | None = None,
           data: str | None = None, batch: int = 1, net_options: tuple[str, ...] = ()):
    from neurosim.commands.common import build_config

    cfg = build_config((), overrides)
    return trace_cache.capture_key(cfg, network, None, checkpoint, data, batch, None,
                                   net_options)


def test_key_follows_what_the_capture_reads(tmp_path):
    base = key_of()
    assert base is not None and key_of() == base
    # hardware options do not change the traces: the same file serves them all
    assert trace_cache.key_path(key_of("technode=22", "memcelltype=2", "cellBit=2")) == \
        trace_cache.key_path(base)
    changed = [key_of("seed=5"), key_of("input_bits=6"), key_of("synapse_bits=6"),
               key_of("quant_mode=FP"), key_of(batch=2), key_of(data="random:3"),
               key_of(network="vgg8")]
    paths = {trace_cache.key_path(k) for k in [base, *changed]}
    assert len(paths) == len(changed) + 1


def test_key_of_a_checkpoint_is_its_content(tmp_path):
    import torch

    from neurosim.networks import get_network

    ckpt = tmp_path / "lenet.pth"
    torch.manual_seed(1)
    model = get_network("lenet").build()
    torch.save(model.state_dict(), ckpt)
    k1 = key_of(checkpoint=str(ckpt))
    assert k1["checkpoint"]["size"] == ckpt.stat().st_size
    copy = tmp_path / "copy.pth"
    copy.write_bytes(ckpt.read_bytes())
    k2 = key_of(checkpoint=str(copy))  # same bytes, another path (printed in the report)
    assert k2 != k1 and k2["checkpoint"]["sha256"] == k1["checkpoint"]["sha256"]
    with torch.no_grad():
        next(model.parameters()).mul_(0.5)
    torch.save(model.state_dict(), ckpt)
    assert key_of(checkpoint=str(ckpt)) != k1
    # a checkpoint folder or missing file: not cached (the uncached path reports errors)
    assert key_of(checkpoint=str(tmp_path)) is None
    assert key_of(checkpoint=str(tmp_path / "missing.pth")) is None


def test_not_cached_runs(tmp_path, monkeypatch):
    assert key_of(net_options=("adapter=some-hub-id",)) is None
    assert key_of(data="cifar10:/nonexistent/cifar") is None
    assert key_of(network="no-such-net") is None
    (tmp_path / "smallnet.py").write_text(SMALLNET)
    monkeypatch.chdir(tmp_path)
    estimate("--model", "smallnet.py:build", "--set", "subarray_rows=16",
             "--set", "subarray_cols=16")
    assert cache_files() == []  # user code is never cached


def test_data_files_are_fingerprinted(tmp_path):
    folder = tmp_path / "sst"
    folder.mkdir()
    (folder / "dev.tsv").write_text("sentence\tlabel\nfine\t1\n")
    k1 = key_of(data=f"sst2:{folder}")
    st = (folder / "dev.tsv").stat()
    assert k1 is not None and k1["data_files"][1] == [["dev.tsv", st.st_size, st.st_mtime_ns]]
    (folder / "dev.tsv").write_text("sentence\tlabel\nworse\t0\n")
    os.utime(folder / "dev.tsv", ns=(1, 1))
    assert key_of(data=f"sst2:{folder}") != k1


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal dtype, shape and bytes (so -0.0 differs from 0.0)."""
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("bits", [1, 2, 4, 8, 16])
def test_weight_encoding_is_exact(bits):
    rng = np.random.default_rng(bits)
    s = 2.0 ** (bits - 1)
    grid = np.clip(np.round(rng.uniform(-1, 1, (40, 30)) * s), -s, s - 1) / s
    grid[0, :3] = [-0.0, 0.0, -0.0]  # Q gives -0.0 for small negative weights
    stored, how, neg = trace_cache.encode_weights(grid, bits)
    assert how["encoding"] == ("int8" if bits <= 8 else "int16")
    assert stored.dtype.itemsize == (1 if bits <= 8 else 2)
    assert same_bits(trace_cache.decode_weights(stored, how, neg), grid)
    f32 = rng.uniform(-1, 1, (7, 5)).astype(np.float32).astype(np.float64)
    f32[0, 0] = -0.0
    stored, how, neg = trace_cache.encode_weights(f32, bits)
    assert how["encoding"] == "float32"
    assert same_bits(trace_cache.decode_weights(stored, how, neg), f32)
    f64 = rng.uniform(-1, 1, (7, 5))
    stored, how, neg = trace_cache.encode_weights(f64, bits)
    assert how["encoding"] == "float64" and same_bits(stored, f64)
    big = grid * 300  # codes beyond int8/int16 (a checkpoint outside the WAGE range)
    stored, how, neg = trace_cache.encode_weights(big, 8)
    assert same_bits(trace_cache.decode_weights(stored, how, neg), big)


def test_prune_keeps_the_folder_under_its_limit(tmp_path, monkeypatch):
    folder = tmp_path / "c"
    folder.mkdir()
    for i, name in enumerate(["a.npz", "b.npz", "c.npz"]):
        (folder / name).write_bytes(b"x" * 600_000)
        os.utime(folder / name, (1000 + i, 1000 + i))
    (folder / ".old.1.tmp").write_bytes(b"x")
    os.utime(folder / ".old.1.tmp", (1, 1))
    monkeypatch.setenv(trace_cache.ENV_MAX_MB, "1.3")
    trace_cache.prune(folder, keep=folder / "a.npz")
    assert sorted(p.name for p in folder.iterdir()) == ["a.npz", "c.npz"]


@pytest.mark.parametrize("dist", ["torch", "numpy", "scikit-learn", "neurosim-core"])
def test_versions_in_the_key_are_those_of_importlib_metadata(dist):
    from importlib import metadata

    assert trace_cache._version(dist) == metadata.version(dist)
    assert trace_cache._versions((dist, "numpy"))[dist] == metadata.version(dist)
    assert trace_cache._version("no-such-distribution-here") is None


def test_unreadable_folder_is_a_notice(tmp_path, monkeypatch):
    """A cache folder that cannot even be looked into: one notice, the estimate runs."""
    monkeypatch.setattr(trace_cache.Path, "is_file",
                        lambda self: (_ for _ in ()).throw(PermissionError(13, "denied")))
    out, err, _ = estimate("--network", "lenet")
    assert err.startswith("Notice: the trace cache is not usable") and "Throughput" in out


def test_checkpoint_runs_hit_and_miss_by_content(tmp_path):
    """Same checkpoint file: a hit with the cold run's figures; the file rewritten with
    other weights (same path): a miss, traced afresh (a second cache file)."""
    import torch

    from neurosim.networks import get_network

    ckpt = tmp_path / "lenet.pth"
    torch.manual_seed(1)
    model = get_network("lenet").build()
    torch.save(model.state_dict(), ckpt)
    args = ("--network", "lenet", "--checkpoint", str(ckpt))
    cold_out, _, cold = estimate(*args, out=tmp_path / "a.json")
    hit_out, _, hit = estimate(*args, out=tmp_path / "b.json")
    assert hit_out == cold_out and hit == cold and len(cache_files()) == 1
    assert f"Weights: checkpoint {ckpt}" in hit_out
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(-1.0)
    torch.save(model.state_dict(), ckpt)
    _, _, other = estimate(*args, out=tmp_path / "c.json")
    assert len(cache_files()) == 2
    _, _, ref = estimate(*args, "--no-cache", out=tmp_path / "d.json")
    assert other == ref


def test_concurrent_writers_leave_one_whole_file(tmp_path):
    """Four threads storing the same capture at once: one readable file, no temporaries."""
    import threading

    from neurosim.commands.common import build_config, prepare_from_options

    cfg = build_config((), ())
    key = trace_cache.capture_key(cfg, "lenet", None, None, None, 1, None, ())
    run = prepare_from_options("lenet", None, None, None, 1, None, cfg)
    path = trace_cache.key_path(key)
    threads = [threading.Thread(target=trace_cache.store, args=(path, key, run))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert cache_files() == [path]
    back = trace_cache.load(path, key)
    for a, b in zip(run.capture.layers, back.capture.layers, strict=True):
        assert same_bits(a.weights, b.weights) and same_bits(a.input_bits, b.input_bits)


def test_plugin_sources_are_its_package_only():
    import neurosim_network_vgg8.model as vgg8_model

    files = trace_cache._package_sources(vgg8_model.build_vgg8)
    assert {p.name for p in files} >= {"model.py", "plugin.py", "__init__.py"}
    assert {p.parent for p in files} == {Path(vgg8_model.__file__).resolve().parent}
    top_level = trace_cache._package_sources(trace_cache._file_sha256.__class__)  # builtins
    assert top_level == []
