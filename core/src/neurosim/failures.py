"""What the CLI prints when a command fails, and how user code is blamed precisely.

* :class:`~neurosim.errors.NeuroSimError` (bad input): one ``Error: ...`` line, exit 2.
* An :class:`OSError` that names a file (a missing, unreadable or special path that no
  reader caught): one ``Error: PATH: reason`` line, exit 2.
* ``KeyboardInterrupt``: ``Interrupted``, exit 130; a closed stdout (``| head``): exit 141;
  SIGTERM/SIGHUP (see :mod:`neurosim.output_group`): exit 128 + signal. Pending outputs are
  discarded.
* Anything else is a defect of neurosim: one ``Error: internal error ...`` line naming a
  file holding the full traceback (``$NEUROSIM_CRASH_DIR`` or the temporary folder), exit 1;
  ``neurosim --debug ...`` (or ``NEUROSIM_DEBUG=1``) prints the traceback inline as well.

:func:`user_code` wraps calls into user code (``--model`` functions, their forward pass):
an exception raised there becomes a :class:`~neurosim.errors.UserCodeError` naming the
function and the user's own line (``model.py, line 12, in build``).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Iterable, Iterator

from .errors import NeuroSimError, UserCodeError

EXIT_USER_ERROR = 2
EXIT_INTERNAL = 1
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


def one_line(text: str) -> str:
    """``text`` with its lines joined (every CLI error is exactly one line)."""
    return " ".join(part.strip() for part in str(text).splitlines() if part.strip())


def _user_frame(exc: BaseException, files: Iterable[str]) -> traceback.FrameSummary | None:
    wanted = {os.path.realpath(f) for f in files if f}
    if isinstance(exc, SyntaxError) and exc.filename and \
            os.path.realpath(exc.filename) in wanted:
        return traceback.FrameSummary(exc.filename, exc.lineno or 0, "<module>")
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if os.path.realpath(frame.filename) in wanted:
            found = frame
    return found


@contextlib.contextmanager
def user_code(what: str, files: Iterable[str]) -> Iterator[None]:
    """Run user code: an exception whose traceback passes through one of ``files`` becomes
    a :class:`UserCodeError` ``WHAT raised TYPE: MESSAGE (FILE, line N, in FUNC)``;
    anything else propagates unchanged."""
    files = list(files)
    try:
        yield
    except NeuroSimError:
        raise
    except Exception as exc:
        frame = _user_frame(exc, files)
        if frame is None:
            raise
        msg = one_line(str(exc)) or "(no message)"
        raise UserCodeError(f"{what} raised {type(exc).__name__}: {msg} ({frame.filename}, "
                            f"line {frame.lineno}, in {frame.name})") from exc


def save_traceback(exc: BaseException) -> Path | None:
    """Write ``exc``'s traceback to a new file; its path (None when nothing is writable)."""
    folder = os.environ.get("NEUROSIM_CRASH_DIR") or tempfile.gettempdir()
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    header = f"neurosim {' '.join(sys.argv[1:])}\n{time.strftime('%Y-%m-%d %H:%M:%S')}\n\n"
    try:
        fd, path = tempfile.mkstemp(prefix="neurosim-crash-", suffix=".txt", dir=folder)
        with os.fdopen(fd, "w") as f:
            f.write(header + text)
        return Path(path)
    except OSError:
        return None


def debug_requested(flag: bool = False) -> bool:
    return flag or os.environ.get("NEUROSIM_DEBUG", "") not in ("", "0")


def report(exc: BaseException, debug: bool = False) -> int:
    """Print the one-line report of ``exc`` on stderr; returns the exit status."""
    err = sys.stderr
    if isinstance(exc, NeuroSimError):
        if debug_requested(debug):
            traceback.print_exception(type(exc), exc, exc.__traceback__, file=err)
        print(f"Error: {one_line(str(exc))}", file=err)
        return exc.exit_code
    if isinstance(exc, BrokenPipeError):  # `neurosim ... | head`: stop quietly
        with contextlib.suppress(Exception):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    if isinstance(exc, KeyboardInterrupt):
        print("Interrupted (no output was written)", file=err)
        return EXIT_INTERRUPTED
    if isinstance(exc, OSError) and exc.filename and not debug_requested(debug):
        print(f"Error: {exc.filename}: {exc.strerror or exc}", file=err)
        return EXIT_USER_ERROR
    if isinstance(exc, MemoryError):
        print("Error: out of memory; use a smaller network, batch or subarray count",
              file=err)
        return EXIT_INTERNAL
    if debug_requested(debug):
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=err)
    path = save_traceback(exc)
    where = f"the traceback is in {path}" if path else "no traceback file could be written"
    msg = one_line(str(exc))
    print(f"Error: internal error ({type(exc).__name__}{': ' + msg[:200] if msg else ''}); "
          f"{where} (neurosim --debug prints it); please report it", file=err)
    return EXIT_INTERNAL
