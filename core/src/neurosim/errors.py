"""Exceptions that reach the user as one clear message (CLI exit status 2)."""

from __future__ import annotations


class NeuroSimError(Exception):
    """Base of every error the CLI reports as a message instead of a traceback."""

    exit_code = 2


class ConfigError(NeuroSimError):
    """An option value or a combination of options is invalid; names the option."""


class InputFileError(NeuroSimError):
    """A network or trace file is malformed; names the file and line."""

    def __init__(self, path, message: str, line: int | None = None):
        where = f"{path}" + (f", line {line}" if line is not None else "")
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


class UnknownComponentError(NeuroSimError, KeyError):
    """A component name was asked for that no installed plugin registered."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return self.args[0] if self.args else ""


class DuplicateComponentError(NeuroSimError):
    """Two plugins registered the same component name."""


class RejectedConfiguration(ConfigError):
    """A combination NeuroSim V1.4 itself rejects (same meaning as its message)."""


class UserCodeError(NeuroSimError):
    """User code (a ``--model`` function, a plugin) raised; names the function and the line
    of the user's file where it failed (see :func:`neurosim.failures.user_code`)."""


class CostError(NeuroSimError):
    """The predicted work of a run exceeds a guard limit; ``--force`` runs it anyway."""


class FileLimitError(InputFileError):
    """An input file is larger than the reader's limit, or is not text in its encoding."""
