"""Network CSV and trace readers / writers (``neurosim.engine.traces``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from neurosim.engine import traces
from neurosim.engine.traces import (
    LayerSpec,
    format_input_trace,
    format_weight_trace,
    read_input_trace,
    read_network_csv,
    read_weight_trace,
    write_input_trace,
    write_weight_trace,
)
from neurosim.errors import InputFileError

REPO = Path(__file__).resolve().parents[2]
NETWORKS = REPO / "tests" / "golden" / "networks"


@pytest.fixture(scope="module")
def micro(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("micro_traces_io")
    subprocess.run(
        [
            sys.executable,
            str(REPO / "tests" / "golden" / "gen_traces.py"),
            str(NETWORKS / "Micro.csv"),
            str(out),
            "--synapse-bit",
            "8",
            "--input-bit",
            "8",
            "--seed",
            "0",
        ],
        check=True,
        capture_output=True,
    )
    return out


def test_read_network_csv_micro_and_vgg8():
    micro = read_network_csv(NETWORKS / "Micro.csv")
    assert [layer.as_row() for layer in micro] == [
        (8, 8, 3, 3, 3, 32, 0, 1),
        (8, 8, 32, 3, 3, 64, 1, 1),
        (4, 4, 64, 3, 3, 128, 1, 1),
        (1, 1, 512, 1, 1, 10, 0, 1),
    ]
    assert len(read_network_csv(NETWORKS / "MiniVGG.csv")) == 7


def test_read_network_csv_upstream_crlf_format(tmp_path):
    # the first two rows of upstream NetWork_VGG8.csv, with its CRLF line ends
    path = tmp_path / "vgg8.csv"
    path.write_bytes(b"32,32,3,3,3,128,0,1\r\n32,32,128,3,3,128,1,1\r\n")
    vgg = read_network_csv(path)
    assert vgg[0] == LayerSpec(32, 32, 3, 3, 3, 128, False, 1)
    assert vgg[1].pool and vgg[1].cin == 128
    # valid convolution: (32-3+1)^2 = 900 vectors (the wrapper writes 1024 padded patches)
    assert vgg[0].num_in_vector == 900
    assert vgg[0].weight_rows == 27


def test_num_in_vector_follows_cpp_double_arithmetic():
    # (7-3+1)/2 * (7-3+1)/2 = 2.5*5/2 = 6.25 -> 6 (int truncation of the double expression)
    assert LayerSpec(7, 7, 1, 3, 3, 1, False, 2).num_in_vector == 6
    assert LayerSpec(1, 1, 512, 1, 1, 10, False, 1).num_in_vector == 1


@pytest.mark.parametrize(
    "text,line,needle",
    [
        ("8,8,3,3,3,32,0,1\n8,8,32,3,3,64,1\n", 2, "expected 8"),
        ("8,8,3,3,3,32,0,1\n\n8,8,x,3,3,64,1,1\n", 3, "not a number"),
        ("8,8,3,3,3,0,0,1\n", 1, "must be positive"),
        ("8,8,3,3,3,16,2,1\n", 1, "pooling flag"),
        ("8,8,3,3,3,16,0,1.5\n", 1, "whole number"),
        ("2,2,3,3,3,16,0,1\n", 1, "larger than"),
    ],
)
def test_read_network_csv_errors_name_file_and_line(tmp_path, text, line, needle):
    path = tmp_path / "net.csv"
    path.write_text(text)
    with pytest.raises(InputFileError) as info:
        read_network_csv(path)
    msg = str(info.value)
    assert str(path) in msg and f"line {line}" in msg and needle in msg
    assert info.value.line == line


def test_weight_trace_parse_is_exact_and_round_trips(micro):
    layers = read_network_csv(NETWORKS / "Micro.csv")
    for i, layer in enumerate(layers, start=1):
        path = micro / f"weight{i}.csv"
        w = read_weight_trace(path, layer)
        assert w.shape == (layer.weight_rows, layer.cout) and w.dtype == np.float64
        # bit-identical to a correctly rounded decimal parse (what C++ >> / strtod gives)
        text = path.read_text().replace("\n", ",").rstrip(",").split(",")
        ref = np.array([float(v) for v in text]).reshape(w.shape)
        assert np.array_equal(w, ref)
        assert np.array_equal(np.signbit(w), np.signbit(ref))
        assert format_weight_trace(w) == path.read_bytes()


def test_input_trace_reads_only_the_columns_neurosim_reads(micro):
    layers = read_network_csv(NETWORKS / "Micro.csv")
    for i, layer in enumerate(layers, start=1):
        path = micro / f"input{i}.csv"
        full = traces.parse_input_trace(path)
        x = read_input_trace(path, layer, 8)
        assert x.dtype == np.uint8
        # Micro layer 1: 64 padded patches written, (8-3+1)^2 = 36 read
        assert x.shape == (layer.weight_rows, layer.num_in_vector * 8)
        assert np.array_equal(x, full[:, : x.shape[1]])
        assert format_input_trace(full) == path.read_bytes()
    assert read_input_trace(micro / "input1.csv", layers[0], 8).shape == (27, 288)


def test_slow_path_equals_fast_path(micro, tmp_path):
    layer = read_network_csv(NETWORKS / "Micro.csv")[1]
    for kind in ("weight", "input"):
        src = (micro / f"{kind}2.csv").read_bytes()
        crlf = tmp_path / f"{kind}_crlf.csv"
        crlf.write_bytes(src.replace(b"\n", b"\r\n"))
        if kind == "weight":
            a, b = read_weight_trace(micro / "weight2.csv", layer), read_weight_trace(crlf, layer)
        else:
            a, b = (
                read_input_trace(micro / "input2.csv", layer, 8),
                read_input_trace(crlf, layer, 8),
            )
        assert np.array_equal(a, b)


def test_writers_match_numpy_savetxt(tmp_path):
    rng = np.random.default_rng(3)
    w = np.round(rng.normal(0, 0.3, size=(20, 7)), 6)
    w[0, 0], w[1, 1] = -0.0, 0.015625  # a signed zero and an exact tie at 5 decimals
    bits = (rng.random((9, 16)) < 0.4).astype(np.uint8)
    write_weight_trace(tmp_path / "w.csv", w)
    write_input_trace(tmp_path / "x.csv", bits)
    np.savetxt(tmp_path / "w_ref.csv", w, delimiter=",", fmt="%10.5f")
    np.savetxt(tmp_path / "x_ref.csv", bits.astype(str), delimiter=",", fmt="%s")
    assert (tmp_path / "w.csv").read_bytes() == (tmp_path / "w_ref.csv").read_bytes()
    assert (tmp_path / "x.csv").read_bytes() == (tmp_path / "x_ref.csv").read_bytes()


LAYER = LayerSpec(4, 4, 2, 3, 3, 3, False, 1)  # 18 rows, 3 cols, (4-3+1)^2 = 4 vectors


def _weights(rows=18, cols=3, value="   0.50000"):
    return "".join(",".join([value] * cols) + "\n" for _ in range(rows))


def _bits(rows=18, cols=32, value="0"):
    return "".join(",".join([value] * cols) + "\n" for _ in range(rows))


@pytest.mark.parametrize(
    "content,line,needle",
    [
        (_weights(rows=17), None, "needs 18 x 3"),
        (_weights(cols=4), None, "needs 18 x 3"),
        (_weights()[:-1] + "\n" + "   0.1,   0.2\n", 19, "values on this line"),
        (_weights().replace("   0.50000", "       nan", 4), 2, "not a finite number"),
        (_weights().replace("0.50000", "abc", 4), 2, "not a number"),
    ],
)
def test_weight_trace_errors(tmp_path, content, line, needle):
    # the 4th replaced value is the first of line 2 (3 values per line)
    if "nan" in content or "abc" in content:
        lines = _weights().splitlines(keepends=True)
        bad = "       nan" if "nan" in content else "abc"
        lines[1] = lines[1].replace("   0.50000", bad, 1)
        content = "".join(lines)
    path = tmp_path / "weight.csv"
    path.write_text(content)
    with pytest.raises(InputFileError) as info:
        read_weight_trace(path, LAYER)
    msg = str(info.value)
    assert str(path) in msg and needle in msg
    assert info.value.line == line


@pytest.mark.parametrize("value,lo,hi", [("   1.50000", -1.0, 1.0), ("  -0.75000", -0.5, 1.0),
                                          ("   0.50000", -1.0, 0.25)])
def test_weight_trace_outside_the_algorithm_range_is_kept(tmp_path, capsys, value, lo, hi):
    """NeuroSim's LoadInWeightData maps values outside algoWeightMin/Max to levels above
    2^synapseBit or below 0 without a word; we keep them too, with one notice naming the
    file and how many values lie outside (they used to be refused)."""
    lines = _weights().splitlines(keepends=True)
    lines[1] = lines[1].replace("   0.50000", value, 1)
    path = tmp_path / "weight.csv"
    path.write_text("".join(lines))
    w = read_weight_trace(path, LAYER, weight_min=lo, weight_max=hi)
    assert w[1, 0] == float(value) and w.shape == (18, 3)
    err = capsys.readouterr().err.splitlines()
    n = int(np.count_nonzero((w < lo) | (w > hi)))
    assert len(err) == 1 and err[0].startswith(f"Notice: {n} weights of {path} lie outside")
    assert f"[{lo:g}, {hi:g}]" in err[0]
    read_weight_trace(path, LAYER, weight_min=min(lo, float(w.min())),
                      weight_max=max(hi, float(w.max())))
    assert capsys.readouterr().err == ""  # inside the range: no notice


@pytest.mark.parametrize(
    "content,line,needle",
    [
        (_bits(rows=17), None, "needs 18"),
        (_bits(cols=30), 1, "not a multiple"),
        (_bits(cols=24), 1, "needs 4"),
        (_bits()[:64] + "2" + _bits()[65:], 2, "only 0 and 1"),
        (_bits()[:64] + _bits()[66:], 2, "values on this line"),
    ],
)
def test_input_trace_errors(tmp_path, content, line, needle):
    path = tmp_path / "input.csv"
    path.write_text(content)
    with pytest.raises(InputFileError) as info:
        read_input_trace(path, LAYER, 8)
    msg = str(info.value)
    assert str(path) in msg and needle in msg
    assert info.value.line == line


def test_missing_file_is_an_input_file_error(tmp_path):
    with pytest.raises(InputFileError, match="cannot read"):
        read_weight_trace(tmp_path / "nope.csv", LAYER)


@pytest.mark.parametrize("scale", [1.0, 9.99999, 1234.0])
def test_fixed_width_paths_equal_strtod(scale, tmp_path):
    """Small (|v| < 10, SWAR) and wide (table) fixed-width paths: bit-identical to float()."""
    rng = np.random.default_rng(11)
    w = np.round(rng.uniform(-scale, scale, size=(37, 13)), 5)
    w[0, :4] = [-0.0, 0.0, scale, -scale]
    data = format_weight_trace(w)
    parsed = traces.parse_weight_trace(_write(tmp_path / "w.csv", data))
    ref = np.array([float(v) for v in data.decode().replace("\n", ",").rstrip(",").split(",")])
    assert np.array_equal(parsed.ravel(), ref)
    assert np.array_equal(np.signbit(parsed.ravel()), np.signbit(ref))


@pytest.mark.parametrize("field", [b"  -0.1234x", b"  +0.12345", b" 0  .12345", b"   0:12345",
                                   b"  --0.1234", b" x 0.12345", b"   0.1/345"])
def test_fixed_width_small_path_rejects_other_spellings(field):
    data = b"   0.50000," + field + b"\n"
    assert traces._parse_small_10_5(data) is None


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
