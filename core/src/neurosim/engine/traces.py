"""Readers and writers of NeuroSim's text inputs: the network CSV and the per-layer traces.

Formats (``spec/traces.md``; the writers reproduce the PyTorch wrapper's ``np.savetxt`` calls
byte for byte):

* network CSV: one layer per line, ``IFM_h, IFM_w, IFM_c, k_h, k_w, OFM_c, pool, stride``;
* weight trace: ``cin*kh*kw`` lines of ``cout`` comma-separated ``'%10.5f'`` values;
* input trace: ``cin*kh*kw`` lines of ``0``/``1`` fields; column ``p*num_bit_input + b`` is
  bit ``b`` (MSB first) of input vector ``p``.

The readers work on the raw bytes with numpy (no Python loop per value) and take a fast path
for the exact formats the wrapper writes; any other spelling NeuroSim accepts (other float
widths, ``\\r\\n`` line ends, spaces) goes through a slower general path. Every malformed
file raises :class:`neurosim.errors.InputFileError` naming the file and the line.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputFileError

_COMMA, _NL, _ZERO, _ONE, _DOT, _MINUS, _SPACE = (ord(c) for c in ",\n01.- ")


@dataclass(frozen=True)
class LayerSpec:
    """One row of a NeuroSim network CSV (sizes in elements)."""

    ifm_h: int
    ifm_w: int
    cin: int
    kh: int
    kw: int
    cout: int
    pool: bool
    stride: int

    @property
    def weight_rows(self) -> int:
        """Rows of the weight / input trace: ``cin*kh*kw``."""
        return self.cin * self.kh * self.kw

    @property
    def num_in_vector(self) -> int:
        """Input vectors NeuroSim simulates: a valid (unpadded) convolution.

        Computed like main.cpp/Chip.cpp do, in double arithmetic left to right and then
        truncated: ``(H-kh+1)/s * (W-kw+1)/s``.
        """
        s = float(self.stride)
        return int((self.ifm_h - self.kh + 1) / s * (self.ifm_w - self.kw + 1) / s)

    def as_row(self) -> tuple[int, ...]:
        return (
            self.ifm_h,
            self.ifm_w,
            self.cin,
            self.kh,
            self.kw,
            self.cout,
            int(self.pool),
            self.stride,
        )


_LAYER_FIELDS = (
    "IFM height",
    "IFM width",
    "IFM channels",
    "kernel height",
    "kernel width",
    "OFM channels",
    "pooling flag",
    "stride",
)


def read_network_csv(path: str | os.PathLike) -> list[LayerSpec]:
    """Layers of a NeuroSim network description (``NetWork_*.csv``); blank lines are skipped."""
    from ..files import read_text
    from ..validation import layer_problem

    path = Path(path)
    text = read_text(path, "network")  # size limit, UTF-8 named (issue 16)
    layers: list[LayerSpec] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        fields = [f.strip() for f in line.split(",")]
        if fields and fields[-1] == "":
            fields = fields[:-1]  # tolerate one trailing comma
        if len(fields) != 8:
            raise InputFileError(
                path,
                f"expected 8 comma-separated columns (IFM_h, IFM_w, IFM_c, k_h, k_w, "
                f"OFM_c, pool, stride), found {len(fields)}",
                line=lineno,
            )
        values = []
        for name, field in zip(_LAYER_FIELDS, fields):
            try:
                v = float(field)
            except ValueError:
                raise InputFileError(
                    path, f"{name} {field!r} is not a number", line=lineno
                ) from None
            if not np.isfinite(v) or v != int(v):
                raise InputFileError(path, f"{name} {field!r} is not a whole number", line=lineno)
            values.append(int(v))
        h, w, c, kh, kw, cout, pool, stride = values
        for name, v in zip(_LAYER_FIELDS, values):
            if name != "pooling flag" and v <= 0:
                raise InputFileError(path, f"{name} = {v} must be positive", line=lineno)
        if pool not in (0, 1):
            raise InputFileError(path, f"pooling flag = {pool} must be 0 or 1", line=lineno)
        spec = LayerSpec(h, w, c, kh, kw, cout, bool(pool), stride)
        problem = layer_problem(spec)
        if problem:
            raise InputFileError(path, problem, line=lineno)
        layers.append(spec)
    if not layers:
        raise InputFileError(path, "network file holds no layer")
    return layers


# ---------------------------------------------------------------------------------------
# Generic CSV helpers (slow path)
def _read_bytes(path: Path, what: str) -> bytes:
    from ..files import read_bytes

    return read_bytes(path, f"{what} trace" if what else "trace")


def _split_lines(path: Path, data: bytes) -> list[bytes]:
    lines = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")  # a byte-order mark is no value
    lines = [ln[:-1] if ln.endswith(b"\r") else ln for ln in lines]
    while lines and not lines[-1].strip():  # empty lines at the end (an editor's)
        lines.pop()
    if not lines:
        raise InputFileError(path, "trace file is empty")
    return lines


def _parse_general(path: Path, data: bytes) -> np.ndarray:
    """Any comma-separated numeric table; one rectangular float64 array."""
    lines = _split_lines(path, data)
    ncol = lines[0].count(b",") + 1
    counts = np.fromiter((ln.count(b",") + 1 for ln in lines), dtype=np.int64, count=len(lines))
    bad = np.flatnonzero(counts != ncol)
    if bad.size:
        i = int(bad[0])
        if not lines[i].strip():
            raise InputFileError(path, f"the line is empty, but line 1 has {ncol} values",
                                 line=i + 1)
        raise InputFileError(
            path, f"{counts[i]} values on this line, but line 1 has {ncol}", line=i + 1
        )
    fields = b",".join(lines).split(b",")
    try:
        return np.array(fields).astype(np.float64).reshape(len(lines), ncol)
    except ValueError:
        pass
    # locate the offending line for the message
    for i, ln in enumerate(lines):
        for f in ln.split(b","):
            try:
                float(f)
            except ValueError:
                raise InputFileError(
                    path,
                    f"value {f.decode(errors='replace').strip()!r} is not a number",
                    line=i + 1,
                ) from None
    raise InputFileError(path, "unreadable trace")  # pragma: no cover


# ---------------------------------------------------------------------------------------
# Input (activation bit) traces
def _parse_bits_fast(data: bytes) -> np.ndarray | None:
    """The wrapper's exact layout ``b,b,...,b\\n`` (one byte per value); None otherwise."""
    nl = data.find(b"\n")
    if nl <= 0 or nl % 2 == 0 or len(data) % (nl + 1):
        return None
    width = nl + 1
    buf = np.frombuffer(data, dtype=np.uint8).reshape(-1, width)
    seps = buf[:, 1::2]
    if not (np.all(seps[:, :-1] == _COMMA) and np.all(seps[:, -1] == _NL)):
        return None
    vals = buf[:, 0::2]
    if not np.all((vals == _ZERO) | (vals == _ONE)):
        return None
    return vals - np.uint8(_ZERO)


def parse_input_trace(path: str | os.PathLike) -> np.ndarray:
    """All bits of an input trace file as uint8 (rows x columns), values checked to be 0/1."""
    path = Path(path)
    data = _read_bytes(path, "input")
    bits = _parse_bits_fast(data)
    if bits is not None:
        return bits
    values = _parse_general(path, data)
    bad = ~((values == 0.0) | (values == 1.0))
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise InputFileError(
            path,
            f"input bit in column {c + 1} is {float(values[r, c]):g}; input traces hold only 0 "
            "and 1",
            line=int(r) + 1,
        )
    return values.astype(np.uint8)


def read_input_trace(
    path: str | os.PathLike, layer: LayerSpec, num_bit_input: int, *, num_row_per_synapse: int = 1
) -> np.ndarray:
    """The input bits NeuroSim reads for ``layer``: rows ``cin*kh*kw``, columns
    ``num_in_vector * num_bit_input`` (the first columns of the file; the rest are ignored).

    ``num_row_per_synapse`` = 2 (XNOR modes) appends no rows here; the complement rows are the
    caller's business, as in the C++ loader.
    """
    path = Path(path)
    bits = parse_input_trace(path)
    rows, cols = bits.shape
    if rows != layer.weight_rows:
        raise InputFileError(
            path,
            f"input trace has {rows} lines, but the layer "
            f"(cin*kh*kw = {layer.cin}*{layer.kh}*{layer.kw}) needs "
            f"{layer.weight_rows}",
        )
    if cols % num_bit_input:
        raise InputFileError(
            path,
            f"input trace has {cols} columns, not a multiple of the {num_bit_input} input bits",
            line=1,
        )
    need = layer.num_in_vector * num_bit_input
    if cols < need:
        raise InputFileError(
            path,
            f"input trace has {cols // num_bit_input} input vectors "
            f"({cols} columns); the layer needs {layer.num_in_vector} "
            f"({need} columns)",
            line=1,
        )
    return np.ascontiguousarray(bits[:, :need])


# ---------------------------------------------------------------------------------------
# Weight traces
@functools.lru_cache(maxsize=None)
def _head_table() -> np.ndarray:
    """Sign of every valid 4-character integer part (spaces, optional '-', digits), 0 = invalid.

    Indexed by the 4 character classes packed in 16 bits (class: digit value 0-9, 10 space,
    11 minus, 12 anything else).
    """
    table = np.zeros(1 << 16, dtype=np.int8)
    names = "0123456789" + " -?"
    for code in range(1 << 16):
        cls = [(code >> s) & 15 for s in (12, 8, 4, 0)]
        if max(cls) > 12 or cls[3] > 9:
            continue
        text = "".join("d" if c < 10 else names[c] for c in cls).lstrip(" ")
        negative = text.startswith("-")
        body = text[1:] if negative else text
        if body and set(body) == {"d"}:
            table[code] = -1 if negative else 1
    return table


_CLASS = np.full(256, 12, dtype=np.uint8)
_CLASS[_ZERO : _ZERO + 10] = np.arange(10)
_CLASS[_SPACE] = 10
_CLASS[_MINUS] = 11
_DIGIT_WEIGHT = np.array([10**8, 10**7, 10**6, 10**5, 0, 10**4, 1000, 100, 10, 1], dtype=np.int32)
_CHUNK = 1 << 14  # fields per block: keeps the temporaries in cache


def _parse_fixed_10_5(data: bytes) -> np.ndarray | None:
    """Fields written by ``'%10.5f'`` (10 characters, 5 decimals, plus ',' or '\\n').

    Each value is rebuilt as the exact integer N = |value|*1e5 divided by 1e5, a single
    correctly rounded operation, so the result equals strtod's (C++ ``>>``) bit for bit.
    Values below 10 in magnitude (every weight in [-1, 1]) take :func:`_parse_small_10_5`;
    wider integer parts the table-driven loop below. Returns None when the bytes are not
    exactly this layout.
    """
    nl = data.find(b"\n")
    if nl <= 0 or (nl + 1) % 11 or len(data) % (nl + 1):
        return None
    ncol = (nl + 1) // 11
    buf = np.frombuffer(data, dtype=np.uint8).reshape(-1, 11)
    sep = buf[:, 10].reshape(-1, ncol)
    if not (np.all(sep[:, :-1] == _COMMA) and np.all(sep[:, -1] == _NL)):
        return None
    small = _parse_small_10_5(data)
    if small is not None:
        return small.reshape(-1, ncol)
    if not np.all(buf[:, 4] == _DOT):
        return None
    out = np.empty(buf.shape[0], dtype=np.float64)
    for start in range(0, buf.shape[0], _CHUNK):
        field = buf[start : start + _CHUNK, :10]
        digit = field - np.uint8(_ZERO)
        if digit[:, 5:].max() > 9:
            return None
        cls = _CLASS[field[:, :4]].astype(np.uint16)
        code = (cls[:, 0] << 12) | (cls[:, 1] << 8) | (cls[:, 2] << 4) | cls[:, 3]
        sign = _head_table()[code]
        if not sign.all():
            return None
        digit[digit > 9] = 0
        block = out[start : start + _CHUNK]
        np.divide(digit.astype(np.int32) @ _DIGIT_WEIGHT, 100000.0, out=block)
        np.negative(block, out=block, where=sign < 0)
    return out.reshape(-1, ncol)


# Bytes 2..9 of a field "  sd.ddddd" read as one little-endian uint64 (byte k = character
# k+2): s (' ' or '-'), the integer digit, '.', five decimals. XOR with the template leaves
# the digit values and a zero '.' byte; adding 6 to a digit byte stays below 16 only for 0-9.
_U64 = np.uint64
_TAIL_TEMPLATE = _U64(0x30303030302E3000)
_TAIL_CHECK = _U64(0xF0F0F0F0F0FFF000)
_TAIL_SIX = _U64(0x0606060606000600)
_TAIL_DECIMALS = _U64(0xFFFFFFFFFF000000)
_TAIL_INTEGER = _U64(0x0F00)
_SMALL_CHUNK = 1 << 15  # fields per block: keeps the temporaries in cache


def _swar_decimal(z: np.ndarray) -> np.ndarray:
    """Value of 8 digit bytes packed in uint64 (first byte most significant)."""
    z = ((z & _U64(0x0F0F0F0F0F0F0F0F)) * _U64(2561)) >> _U64(8)
    z = ((z & _U64(0x00FF00FF00FF00FF)) * _U64(6553601)) >> _U64(16)
    return ((z & _U64(0x0000FFFF0000FFFF)) * _U64(42949672960001)) >> _U64(32)


def _parse_small_10_5(data: bytes) -> np.ndarray | None:
    """``'%10.5f'`` fields of magnitude below 10 (``"   d.ddddd"`` or ``"  -d.ddddd"``), all
    separators already checked; flat float64, or None when any field is spelled otherwise.

    Eight characters of a field are read as one uint64 (unaligned strided view), checked
    and turned into N = d*1e5 + decimals with integer SWAR arithmetic.
    """
    n = len(data) // 11
    tail = np.ndarray((n,), dtype="<u8", buffer=data, offset=2, strides=(11,))
    head = np.ndarray((n,), dtype="<u2", buffer=data, offset=0, strides=(11,))
    out = np.empty(n, dtype=np.float64)
    for start in range(0, n, _SMALL_CHUNK):
        stop = start + _SMALL_CHUNK
        t = tail[start:stop] ^ _TAIL_TEMPLATE
        if ((t | (t + _TAIL_SIX)) & _TAIL_CHECK).any() or (head[start:stop] != 0x2020).any():
            return None
        sign = (t & _U64(0xFF)).astype(np.uint8)
        negative = sign == _MINUS
        if not (negative | (sign == _SPACE)).all():
            return None
        # "0 0 d d d d d d": the integer digit moves next to the decimals
        digits = (t & _TAIL_DECIMALS) | ((t & _TAIL_INTEGER) << _U64(8))
        block = out[start:stop]
        np.divide(_swar_decimal(digits), 100000.0, out=block)
        np.negative(block, out=block, where=negative)
    return out


def parse_weight_trace(path: str | os.PathLike) -> np.ndarray:
    """All values of a weight trace file as float64 (rows x columns)."""
    path = Path(path)
    data = _read_bytes(path, "weight")
    w = _parse_fixed_10_5(data)
    if w is None:
        w = _parse_general(path, data)
    return w


def read_weight_trace(
    path: str | os.PathLike, layer: LayerSpec, *, weight_min: float = -1.0, weight_max: float = 1.0
) -> np.ndarray:
    """Weights of ``layer``: float64, rows ``cin*kh*kw``, columns ``cout``.

    Values outside ``[weight_min, weight_max]`` (the algorithm's weight range, NeuroSim's
    ``algoWeightMin/Max``) are kept, as NeuroSim's ``LoadInWeightData`` keeps them, with one
    notice on stderr (:func:`out_of_range_notice`): their levels lie beyond
    ``2^synapseBit`` (the digits wrap, see :mod:`.weight_mapping`) or below 0 (negative
    digits, conductances below Gmin). A value that is not a finite number is refused.
    """
    w, notice = weights_and_notice(path, layer, weight_min=weight_min, weight_max=weight_max)
    if notice:
        from ..held_notices import say

        say(notice)
    return w


def weights_and_notice(
    path: str | os.PathLike, layer: LayerSpec, *, weight_min: float = -1.0, weight_max: float = 1.0
) -> tuple[np.ndarray, str | None]:
    """:func:`read_weight_trace`'s weights and its notice (None: every value in range),
    which is returned instead of printed (so another thread may parse the file)."""
    path = Path(path)
    w = parse_weight_trace(path)
    rows, cols = w.shape
    if (rows, cols) != (layer.weight_rows, layer.cout):
        raise InputFileError(
            path,
            f"weight trace is {rows} x {cols} (lines x values), but the "
            f"layer needs {layer.weight_rows} x {layer.cout} (cin*kh*kw x cout)",
        )
    if w.min() >= weight_min and w.max() <= weight_max:  # NaN fails both
        return w, None
    bad = ~np.isfinite(w)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise InputFileError(path, f"weight {float(w[r, c])} in column {c + 1} is not a finite "
                             "number", line=int(r) + 1)
    return w, out_of_range_notice(str(path), w, weight_min, weight_max)


def out_of_range_notice(what: str, w: np.ndarray, weight_min: float,
                        weight_max: float) -> str:
    """The one-line notice for the weights of ``what`` (a trace file, ``layer NAME``)
    outside ``[weight_min, weight_max]``."""
    n = int(np.count_nonzero((w < weight_min) | (w > weight_max)))
    return (f"Notice: {n} weights of {what} lie outside algoWeightMin/Max "
            f"[{weight_min:g}, {weight_max:g}]; mapped as NeuroSim maps them (to levels above "
            "2^synapseBit or below 0)")


# ---------------------------------------------------------------------------------------
# Writers (byte-identical to the wrapper's np.savetxt calls)
def format_weight_trace(weights: np.ndarray) -> bytes:
    """Bytes of ``np.savetxt(f, weights, fmt='%10.5f', delimiter=',')``."""
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 2 or w.size == 0:
        raise ValueError("weights must be a non-empty 2-D array")
    uniq, inverse = np.unique(w, return_inverse=True)
    table = ["%10.5f" % v for v in uniq.tolist()]  # noqa: UP031 (the C format itself)
    if all(len(s) == 10 for s in table):
        tab = np.frombuffer("".join(table).encode(), dtype=np.uint8).reshape(-1, 10)
        rows, cols = w.shape
        buf = np.empty((rows, cols, 11), dtype=np.uint8)
        buf[:, :, :10] = tab[inverse.reshape(rows, cols)]
        buf[:, :, 10] = _COMMA
        buf[:, -1, 10] = _NL
        return buf.tobytes()
    strs = np.array(table, dtype=object)[inverse.reshape(w.shape)]
    return "".join(",".join(row) + "\n" for row in strs.tolist()).encode()


def format_input_trace(bits: np.ndarray) -> bytes:
    """Bytes of ``np.savetxt(f, bits.astype(str), fmt='%s', delimiter=',')`` for 0/1 bits."""
    b = np.asarray(bits)
    if b.ndim != 2 or b.size == 0:
        raise ValueError("bits must be a non-empty 2-D array")
    if not np.all((b == 0) | (b == 1)):
        raise ValueError("input bits must be 0 or 1")
    rows, cols = b.shape
    buf = np.empty((rows, cols, 2), dtype=np.uint8)
    buf[:, :, 0] = b.astype(np.uint8) + _ZERO
    buf[:, :, 1] = _COMMA
    buf[:, -1, 1] = _NL
    return buf.tobytes()


def write_weight_trace(path: str | os.PathLike, weights: np.ndarray) -> None:
    """Write a weight trace (rows ``cin*kh*kw``, columns ``cout``) in the wrapper's format."""
    Path(path).write_bytes(format_weight_trace(weights))


def write_input_trace(path: str | os.PathLike, bits: np.ndarray) -> None:
    """Write an input-bit trace in the wrapper's format."""
    Path(path).write_bytes(format_input_trace(bits))
