"""Progress display for long runs, shared by every command.

A ``rich`` progress bar on stderr (done/total, a free-text status such as "acc 91.2 %",
rate, elapsed time and ETA). It is off with ``quiet=True`` and whenever stderr is not a
terminal, so pipes, CI logs and tests see no control characters. Usage::

    with progress_bar(total=8, description="layers", unit="layer", quiet=quiet) as bar:
        for layer in layers:
            ...
            bar.advance(status=f"layer {i} done")
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

from .held_notices import release as release_notices


@dataclass
class ProgressBar:
    """One task on a rich ``Progress`` (or nothing when disabled)."""

    total: float | None
    description: str
    unit: str = "item"
    enabled: bool = True
    done: float = 0.0
    _progress: Any = field(default=None, repr=False)
    _task: Any = field(default=None, repr=False)

    def advance(self, n: float = 1, status: str | None = None) -> None:
        """Count ``n`` more units done; ``status`` replaces the free-text column. The
        first unit done means the command got past its checks: its held notices are
        printed (:mod:`neurosim.held_notices`)."""
        release_notices()
        self.done += n
        if self._progress is not None:
            kwargs = {} if status is None else {"status": status}
            self._progress.update(self._task, advance=n, **kwargs)

    def status(self, text: str) -> None:
        """Change the free-text column without advancing."""
        release_notices()
        if self._progress is not None:
            self._progress.update(self._task, status=text)

    def set_total(self, total: float | None) -> None:
        self.total = total
        if self._progress is not None:
            self._progress.update(self._task, total=total)


def stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # closed or replaced stream
        return False


@contextmanager
def progress_bar(total: float | None, description: str, unit: str = "item",
                 quiet: bool = False) -> Iterator[ProgressBar]:
    """A progress bar on stderr for the ``with`` block; a silent one when ``quiet`` or when
    stderr is not a terminal (or rich is missing)."""
    bar = ProgressBar(total=total, description=description, unit=unit,
                      enabled=not quiet and stderr_is_terminal())
    if not bar.enabled:
        yield bar
        return
    try:
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)
    except ImportError:
        bar.enabled = False
        yield bar
        return
    columns = [TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn(f"{unit}s"), TextColumn("{task.fields[status]}"),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn()]
    with Progress(*columns, console=Console(stderr=True), transient=False) as prog:
        bar._progress = prog
        bar._task = prog.add_task(description, total=total, status="")
        yield bar
