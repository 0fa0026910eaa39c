"""Reading input files with a size limit and a named decoding error.

Every reader of user files (configuration files, network CSVs, traces, sweep specs, ...)
goes through :func:`read_bytes` / :func:`read_text`, so that

* a folder, a device, a missing file or an unreadable one is named as such;
* a file larger than the limit of its kind (or an endless special file such as
  ``/dev/zero``) is refused after reading at most ``limit + 1`` bytes, never read whole;
* text that is not UTF-8 is reported with the byte, its offset and its line.

Limits (bytes) per kind are in :data:`LIMITS`; ``NEUROSIM_MAX_INPUT_MB`` raises (or lowers)
all of them at once, e.g. ``NEUROSIM_MAX_INPUT_MB=8000`` for traces above 2 GB.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path
from typing import Any

from .errors import FileLimitError, InputFileError

_MB = 1 << 20

#: the largest file of each kind read without complaint (bytes); VGG8's largest trace is
#: about 19 MB, an ImageNet ResNet18's about 30 MB
LIMITS: dict[str, int] = {
    "configuration": 16 * _MB,
    "network": 16 * _MB,
    "trace": 2048 * _MB,
    "spec": 16 * _MB,
    "data": 4096 * _MB,
    "result": 1024 * _MB,  # a --json result (neurosim diff)
}


#: the largest NEUROSIM_MAX_INPUT_MB (a petabyte: no input file is larger)
MAX_LIMIT_MB = 1e9


def limit_bytes(kind: str) -> int:
    """The size limit of ``kind`` files (``"weight trace"`` is a ``"trace"``);
    ``NEUROSIM_MAX_INPUT_MB`` overrides all kinds."""
    env = os.environ.get("NEUROSIM_MAX_INPUT_MB", "").strip()
    if env:
        try:
            mb = float(env)
        except ValueError:
            mb = -1.0
        if not mb > 0 or mb != mb or mb == float("inf"):
            raise InputFileError("NEUROSIM_MAX_INPUT_MB", f"{env!r} is not a positive "
                                 "number of megabytes")
        if mb > MAX_LIMIT_MB:  # 1e308 MB: OverflowError (an internal error) before
            raise InputFileError("NEUROSIM_MAX_INPUT_MB", f"{env!r} is more than "
                                 f"{MAX_LIMIT_MB:g} megabytes (a petabyte)")
        return int(mb * _MB)
    return LIMITS.get(kind) or LIMITS.get(kind.split()[-1] if kind.split() else "", 16 * _MB)


def _mb(n: int) -> str:
    return f"{n / _MB:.4g} MB"


def _open_for_reading(p: Path, st: os.stat_result) -> Any:
    """``open(p, "rb")``; a named pipe (FIFO) is opened without waiting for a writer
    (``open`` blocked forever on one that nothing writes to): with no writer its read ends
    at once, with one (``<(command)``) it reads what the writer writes."""
    if not stat.S_ISFIFO(st.st_mode):
        return open(p, "rb")
    fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


#: how long a named pipe's reader waits for a writer to connect (then it is empty)
FIFO_WRITER_WAIT_S = 2.0


def _read_fifo(f: Any, n: int) -> bytes:
    """Up to ``n`` bytes of a FIFO opened without waiting for a writer: a read before any
    writer connects ends at once, so it is tried again until one has written (the writer
    of ``<(command)`` or a feeding thread may connect a moment after the reader) or
    :data:`FIFO_WRITER_WAIT_S` pass."""
    deadline = time.monotonic() + FIFO_WRITER_WAIT_S
    while True:
        data = f.read(n)
        if data or time.monotonic() >= deadline:
            return data
        time.sleep(0.01)


def read_bytes(path: str | os.PathLike, kind: str = "input", *,
               limit: int | None = None) -> bytes:
    """The bytes of ``path`` (a ``kind`` file), at most ``limit`` of them
    (:func:`limit_bytes` by default); raises :class:`InputFileError` naming the file."""
    p = Path(path)
    cap = limit_bytes(kind) if limit is None else limit
    what = f"{kind} file"
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise InputFileError(p, f"cannot read {what}: no such file") from None
    except OSError as exc:
        raise InputFileError(p, f"cannot read {what}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputFileError(p, f"is a folder, not a {what}")
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):  # /dev/zero, /dev/sda, ...
        raise InputFileError(p, f"is a device, not a {what}")
    if stat.S_ISREG(st.st_mode) and st.st_size > cap:
        raise FileLimitError(p, f"{what} of {_mb(st.st_size)} is larger than the "
                             f"{_mb(cap)} limit (set NEUROSIM_MAX_INPUT_MB to raise it)")
    try:
        with _open_for_reading(p, st) as f:
            # a regular file: its size (+1) first, not a buffer of the whole limit
            n = min(cap, st.st_size) + 1 if stat.S_ISREG(st.st_mode) else cap + 1
            data = f.read(n) if not stat.S_ISFIFO(st.st_mode) else _read_fifo(f, n)
            if len(data) == n <= cap:  # it grew since the stat: read on to the limit
                data += f.read(cap + 1 - n)
    except OSError as exc:
        raise InputFileError(p, f"cannot read {what}: {exc.strerror or exc}") from None
    if not data and stat.S_ISFIFO(st.st_mode):
        raise InputFileError(p, f"is a pipe with nothing (left) to read, not a {what}")
    if len(data) > cap:
        kind_text = "" if stat.S_ISREG(st.st_mode) else " (not a regular file)"
        raise FileLimitError(p, f"{what}{kind_text} is larger than the {_mb(cap)} limit "
                             "(set NEUROSIM_MAX_INPUT_MB to raise it)")
    return data


def decode_text(path: str | os.PathLike, data: bytes, kind: str = "input",
                encoding: str = "utf-8") -> str:
    """``data`` decoded; a decoding error names the byte, its offset and line."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start:exc.start + 1]
        raise FileLimitError(path, f"{kind} file is not {encoding.upper()} text (byte "
                             f"0x{bad.hex()} at offset {exc.start})", line=line) from None
    return text.removeprefix("\ufeff")  # a byte-order mark is not content


def read_text(path: str | os.PathLike, kind: str = "input", *, limit: int | None = None,
              encoding: str = "utf-8") -> str:
    """The text of ``path``: :func:`read_bytes` then :func:`decode_text`."""
    return decode_text(path, read_bytes(path, kind, limit=limit), kind, encoding)
