"""``Notice:`` lines held while a command checks its inputs.

A command prints a notice for what a user should know but that does not stop the run: an
option with no effect, a value computed as NeuroSim computes it, a circuit model's message.
A run refused for bad input must show its one ``Error:`` line alone, so the CLI holds a
command's notices (:func:`holding`) until its work starts (:func:`release`: when its progress
display opens) or it ends well, and drops them when it fails. Outside a hold (the Python
API, a library caller) :func:`say` writes at once.
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
from collections.abc import Iterator

import click

_HELD: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "neurosim_held_notices", default=None)


def _write(line: str) -> None:
    try:
        sys.stderr.write(line.rstrip("\n") + "\n")
    except (OSError, ValueError):  # stderr closed: nothing to tell
        pass


def say(line: str) -> None:
    """Print one notice line on stderr, or hold it while a command checks its inputs."""
    held = _HELD.get()
    if held is None:
        _write(line)
    else:
        held.append(line)


def release() -> None:
    """The command's work starts: print the held notices, and the next ones at once."""
    held = _HELD.get()
    if held:
        for line in held:
            _write(line)
        held.clear()
    if held is not None:
        _HELD.set(None)


@contextlib.contextmanager
def holding() -> Iterator[None]:
    """Hold the notices of the ``with`` block (a command): printed when it releases them or
    ends well (exit status 0), dropped when it ends with an error. Nested: the outer hold."""
    if _HELD.get() is not None:
        yield
        return
    token = _HELD.set([])
    ok = False
    try:
        yield
        ok = True
    except click.exceptions.Exit as exc:
        ok = exc.exit_code == 0
        raise
    except SystemExit as exc:
        ok = exc.code in (0, None)
        raise
    finally:
        held = _HELD.get()
        _HELD.reset(token)
        if ok and held:
            for line in held:
                _write(line)


@contextlib.contextmanager
def capturing(lines: list[str]) -> Iterator[None]:
    """Collect the notices of the ``with`` block into ``lines`` instead of printing or
    holding them (a layer evaluated out of order: its notices are told later, with
    :func:`say`, in the layers' order)."""
    token = _HELD.set(lines)
    try:
        yield
    finally:
        _HELD.reset(token)
