"""Python warnings (NeuroSim's own circuit messages among them) as one ``Notice:`` line each.

The CLI installs it for a command (``neurosim --debug`` keeps Python's format); a sweep's
worker processes install it too, so a row's notices read as the single run's do.
"""

from __future__ import annotations

from typing import Any


def warning_as_notice() -> Any:
    """A ``warnings.showwarning`` that writes each distinct warning once, as one
    ``Notice:`` line on stderr: NeuroSim's own messages (the circuits' ``[SenseAmp] Error:
    pitch too small``, ``Adder: ... exceeds the assigned width``, which NeuroSim prints and
    goes on) and a library's, prefixed with its category (``RuntimeWarning: ...``), instead
    of Python's two lines with the file path and source line."""
    shown: set[tuple[type, str]] = set()

    def show(message: Any, category: type, filename: str, lineno: int, file: Any = None,
             line: str | None = None) -> None:
        text = " ".join(str(message).split())
        if (category, text) in shown:
            return
        shown.add((category, text))
        prefix = "" if issubclass(category, UserWarning) else f"{category.__name__}: "
        if file is None:  # held while a command checks its inputs (neurosim.held_notices)
            from .held_notices import say

            say(f"Notice: {prefix}{text}")
            return
        try:
            file.write(f"Notice: {prefix}{text}\n")
        except OSError:  # stderr closed: nothing to tell
            pass
    return show
