"""Outputs of one command, checked before the run and committed together at its end.

Every command that writes files (``estimate``, ``compat``, ``accuracy``, ``traces export``,
``sweep``, ``train``, ``diff``, ``reproduce``, ...) uses one :class:`OutputGroup`::

    from neurosim.output_group import OutputGroup

    group = OutputGroup(inputs=[network_csv, *trace_files, *config_files])
    group.declare("--json", json_out)          # checked now, before any work:
    group.declare("--csv", csv_out)            #   non-empty path, folder exists and is
    group.declare("--plot", plot_out)          #   writable, not an input, not another output
    ...                                        # the run
    group.set("--json", text)                  # str, bytes, or a callable returning them
    group.set("--plot", lambda: render(...))   # (rendered at commit, before any rename)
    group.commit()                             # all files or none

or, when nothing needs checking before the run, ``write_group({path: data}, inputs=...)``.

Guarantees of :meth:`OutputGroup.commit`:

* every value is rendered first; an error while rendering writes nothing;
* each file is written to a temporary (``.<name>.<random>.tmp``) in its target folder, with
  mode ``0o666 & ~umask`` (``0o777 & ~umask`` for ``executable=True``), flushed and fsynced;
* the temporaries are then renamed over their targets one after the other with SIGINT,
  SIGTERM and SIGHUP blocked, so a signal arrives after the last rename (all new) or before
  the first (all old), never in between;
* on any error or signal before that point every temporary is removed and all targets are
  left as they were. While a group is open SIGTERM and SIGHUP raise :class:`Terminated`
  (instead of killing the process), so ``finally`` blocks run and no temporary is left.

A folder output (``declare(..., folder=True)``, used by ``traces export``) is staged in a
new sibling folder ``.<name>.<random>.tmp`` (:meth:`OutputGroup.staging_folder`) that is
swapped in at commit: the old folder is renamed aside, the new one into place and the old
one removed, so the folder holds either the complete old export or the complete new one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Union

from .errors import NeuroSimError

#: what :meth:`OutputGroup.set` accepts: the content or a function rendering it
Content = Union[str, bytes, Callable[[], Union[str, bytes]]]

_BLOCKED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class OutputError(NeuroSimError):
    """An output path is unusable (missing folder, read-only, equal to an input, ...)."""


class Terminated(SystemExit):
    """Raised by the SIGTERM/SIGHUP handler while outputs are pending (exit 128 + signal)."""

    def __init__(self, signum: int):
        super().__init__(128 + signum)
        self.signum = signum


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _same_file(a: Path, b: Path) -> bool:
    """``a`` and ``b`` name one file (same path after resolving links, or same inode)."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _tmp_name(target: Path) -> Path:
    return target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"


@dataclass
class _Output:
    option: str
    path: Path
    folder: bool = False
    executable: bool = False
    content: Content | None = None
    staged: Path | None = None


@dataclass
class OutputGroup:
    """Outputs of one command; see the module docstring for the guarantees."""

    inputs: Iterable[str | os.PathLike] = ()
    outputs: dict[str, _Output] = field(default_factory=dict)
    _temps: list[Path] = field(default_factory=list)
    _old_handlers: dict[int, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.inputs = [Path(p) for p in self.inputs if p is not None and str(p) != ""]

    # ------------------------------------------------------------------ before the run
    def add_input(self, path: str | os.PathLike | None) -> None:
        """Another input file that no output may overwrite: checked against the outputs
        declared so far (an input known only once the configuration is read, e.g.
        ``mem_states_file``) and by later declares."""
        if path is None or str(path) == "":
            return
        inp = Path(path)
        for out in self.outputs.values():
            if _same_file(out.path, inp) or (out.folder and _inside(inp, out.path)):
                raise OutputError(f"{out.option} {out.path}: is the input file {inp}; choose "
                                  "another output name (inputs are never overwritten)")
        self.inputs.append(inp)  # type: ignore[union-attr]

    def declare(self, option: str, path: str | os.PathLike | None, *, folder: bool = False,
                executable: bool = False) -> bool:
        """Check the output ``path`` of ``option`` now (before the run); ``None`` means the
        option was not given (returns False). Raises :class:`OutputError` naming the option."""
        if path is None:
            return False
        text = str(path)
        if text.strip() == "":
            raise OutputError(f"{option} {text!r}: empty file name")
        target = Path(os.path.abspath(text)) if folder else Path(text)
        where = f"{option} {text}"
        if folder and _inside(Path.cwd(), target):
            raise OutputError(f"{where}: is (or holds) the current folder, which a folder "
                              "output replaces whole; give a new folder name")
        parent = target.parent if str(target.parent) else Path(".")
        if not parent.is_dir():
            what = "is not a folder" if parent.exists() else "does not exist"
            raise OutputError(f"{where}: folder {parent} {what}")
        _probe(parent, where)
        if target.exists() or target.is_symlink():
            mode = os.stat(target).st_mode if target.exists() else 0
            if folder and target.exists() and not stat.S_ISDIR(mode):
                raise OutputError(f"{where}: exists and is not a folder")
            if not folder and not stat.S_ISREG(mode):
                raise OutputError(f"{where}: exists and is not a regular file "
                                  "(outputs replace regular files only)")
        for inp in self.inputs:  # type: ignore[union-attr]
            if _same_file(target, inp) or (folder and _inside(inp, target)):
                raise OutputError(f"{where}: is the input file {inp}; choose another output "
                                  "name (inputs are never overwritten)")
        for other in self.outputs.values():
            if _same_file(target, other.path):
                raise OutputError(f"{where}: is also the {other.option} output; give each "
                                  "output its own file")
        self.outputs[option] = _Output(option, target, folder, executable)
        return True

    # ------------------------------------------------------------------ after the run
    def set(self, option: str, content: Content) -> None:
        """The content of a declared file output (str, bytes or a callable returning them)."""
        self._get(option).content = content

    def staging_folder(self, option: str) -> Path:
        """A new empty folder beside a declared folder output, filled by the caller and
        swapped in at :meth:`commit` (removed on error or signal)."""
        out = self._get(option)
        if not out.folder:
            raise ValueError(f"{option} was not declared as a folder")
        if out.staged is None:
            self._open()
            tmp = _tmp_name(out.path)
            tmp.mkdir(mode=0o777)
            self._temps.append(tmp)
            out.staged = tmp
        return out.staged

    def commit(self) -> list[Path]:
        """Render, write temporaries, then rename them all together; returns the targets."""
        self._open()
        try:
            rendered = [(o, _render(o.content)) for o in self.outputs.values()
                        if not o.folder and o.content is not None]
            pairs: list[tuple[Path, Path]] = []
            for out, data in rendered:
                pairs.append((self._write_temp(out, data), out.path))
            folders = [o for o in self.outputs.values() if o.folder and o.staged is not None]
            with _signals_blocked():
                for tmp, target in pairs:
                    os.replace(tmp, target)
                    self._temps.remove(tmp)
                for out in folders:
                    self._swap_folder(out)
            return [t for _, t in pairs] + [o.path for o in folders]
        except OSError as exc:
            raise OutputError(f"cannot write {exc.filename or ''}: {exc.strerror or exc}") \
                from None
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove every temporary left (after an error, a signal or a commit)."""
        while self._temps:
            tmp = self._temps.pop()
            with contextlib.suppress(OSError):
                if tmp.is_dir() and not tmp.is_symlink():
                    shutil.rmtree(tmp)
                else:
                    tmp.unlink()
        self._close()

    def __enter__(self) -> "OutputGroup":
        self._open()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.discard()

    # ------------------------------------------------------------------ internals
    def _get(self, option: str) -> _Output:
        if option not in self.outputs:
            raise KeyError(f"output {option} was not declared")
        return self.outputs[option]

    def _write_temp(self, out: _Output, data: bytes) -> Path:
        tmp = _tmp_name(out.path)
        mode = 0o777 if out.executable else 0o666
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)  # umask applies
        self._temps.append(tmp)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        return tmp

    def _swap_folder(self, out: _Output) -> None:
        staged = out.staged
        assert staged is not None
        os.chmod(staged, 0o777 & ~_umask())
        aside = None
        if out.path.exists():
            aside = _tmp_name(out.path)
            os.replace(out.path, aside)
            self._temps.append(aside)  # the old export, removed by discard()
        os.replace(staged, out.path)
        self._temps.remove(staged)

    def _open(self) -> None:
        """Make SIGTERM/SIGHUP raise :class:`Terminated` (main thread only)."""
        if self._old_handlers or threading.current_thread() is not threading.main_thread():
            return
        for sig in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(sig) is signal.SIG_DFL:
                self._old_handlers[sig] = signal.signal(sig, _raise_terminated)

    def _close(self) -> None:
        for sig, old in self._old_handlers.items():
            signal.signal(sig, old)
        self._old_handlers.clear()


def _probe(folder: Path, where: str) -> None:
    """Create and remove a temporary in ``folder``: the only reliable writability test
    (read-only mounts, ACLs, root)."""
    probe = folder / f".neurosim-probe.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise OutputError(f"{where}: folder {folder} is not writable "
                          f"({exc.strerror or exc})") from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)


def _inside(path: Path, folder: Path) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(folder))
        return True
    except ValueError:
        return False


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def terminate_as_exit() -> Iterator[None]:
    """While active (the whole CLI run), SIGTERM and SIGHUP raise :class:`Terminated`
    instead of killing the process, so every ``finally`` (temporaries) runs."""
    old: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(sig) is signal.SIG_DFL:
                old[sig] = signal.signal(sig, _raise_terminated)
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def _render(content: Content | None) -> bytes:
    data = content() if callable(content) else content
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytes, bytearray)):
        return bytes(data)
    raise TypeError(f"output content must be str or bytes, not {type(data).__name__}")


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    # The mask holds signals sent to this thread; a signal sent to the process may still be
    # taken by another thread (a thread pool's, a test runner's), whose Python handler would
    # then run here mid-rename. So the handlers are deferred too: a signal that arrives is
    # recorded and raised again once the renames are done and the old handlers are back.
    caught: list[int] = []
    handlers = {sig: signal.getsignal(sig) for sig in _BLOCKED}
    for sig, handler in handlers.items():
        if handler not in (signal.SIG_IGN, None):
            signal.signal(sig, lambda signum, _frame: caught.append(signum))
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _BLOCKED)
    try:
        yield
    finally:
        for sig, handler in handlers.items():
            if handler not in (signal.SIG_IGN, None):
                signal.signal(sig, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
        for sig in caught:
            signal.raise_signal(sig)


def write_group(files: Mapping[str | os.PathLike, Content],
                inputs: Iterable[str | os.PathLike] = ()) -> list[Path]:
    """Check and commit ``{path: content}`` as one :class:`OutputGroup` (all or none)."""
    group = OutputGroup(inputs=inputs)
    for path in files:
        group.declare(str(path), path)
    for path, content in files.items():
        group.set(str(path), content)
    return group.commit()
