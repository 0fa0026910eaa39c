"""The commands shown in README.md and docs/*.md, extracted for ``tests/test_docs_run.py``.

A *command* is a line of a fenced code block (no language, ``sh``, ``bash``, ``shell`` or
``console``; in ``console`` blocks only ``$ `` lines) or of an indented code block whose first
word, after ``NAME=value`` environment assignments, is ``neurosim`` (or
``.venv/bin/neurosim``) followed by one of its commands, ``sh``, ``python``, ``make`` or
``pip``. A trailing ``\\`` continues it on the next line; ``# ...`` ends it.

Markers, an HTML comment on the line right before a block (blank lines between allowed):

* ``<!-- not-run: REASON -->``: the block's commands are not run (reported as skipped with
  REASON); for what a test genuinely cannot do (build the virtual environment, install
  packages into it, minutes-long benchmarks). Keep this list tiny.
* ``<!-- exit: N -->``: the block's commands are expected to exit with status N.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHELL_LANGS = {"", "sh", "bash", "shell", "console"}
_FENCE = re.compile(r"^\s*```(\S*)\s*$")
_MARKER = re.compile(r"^\s*<!--\s*(not-run|exit):\s*(.*?)\s*-->\s*$")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=\S*$")
PROGRAMS = {"neurosim", ".venv/bin/neurosim", "sh", "python", "make", "pip"}


@dataclass(frozen=True)
class Command:
    """One command of a doc: where it is, its words, and the block's markers."""

    doc: str  # path relative to the repository root
    line: int  # 1-based line of its first physical line
    text: str
    env: tuple[tuple[str, str], ...]
    argv: tuple[str, ...]
    not_run: str | None = None
    exit_code: int = 0

    @property
    def where(self) -> str:
        return f"{self.doc}:{self.line}"


def doc_files() -> list[Path]:
    """README.md and every docs/*.md (new docs are picked up automatically)."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _blocks(lines: list[str]):
    """(first body line number, language, body lines, markers) of every code block."""
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m:
            j = i + 1
            while j < len(lines) and not _FENCE.match(lines[j]):
                j += 1
            yield i + 2, m.group(1).lower(), lines[i + 1:j], _markers(lines, i)
            i = j + 1
            continue
        if lines[i].startswith("    ") and lines[i].strip() and \
                (i == 0 or not lines[i - 1].strip()) and not _in_list(lines, i):
            j = i
            while j < len(lines) and (lines[j].startswith("    ") or not lines[j].strip()):
                j += 1
            yield i + 1, "", [ln[4:] for ln in lines[i:j]], _markers(lines, i)
            i = j
            continue
        i += 1


def _in_list(lines: list[str], i: int) -> bool:
    """An indented line continuing a list item is not a code block."""
    k = i - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    return k >= 0 and bool(re.match(r"^\s*([*+-]|\d+\.)\s", lines[k])) and \
        not lines[k].startswith("    ")


def _markers(lines: list[str], i: int) -> dict[str, str]:
    out = {}
    k = i - 1
    while k >= 0 and (not lines[k].strip() or _MARKER.match(lines[k])):
        m = _MARKER.match(lines[k])
        if m:
            out[m.group(1)] = m.group(2)
        k -= 1
    return out


def _command_words(text: str) -> tuple[list[tuple[str, str]], list[str]] | None:
    try:
        words = shlex.split(text, comments=True)
    except ValueError:
        return None
    env = []
    while words and _ENV.match(words[0]):
        k, v = words.pop(0).split("=", 1)
        env.append((k, v))
    if not words or words[0] not in PROGRAMS:
        return None
    if words[0].endswith("neurosim"):
        from neurosim.cli import cli

        if len(words) < 2 or not (words[1] in cli.commands or words[1].startswith("-")):
            return None  # e.g. an output line "neurosim 0.1.0 (...)"
    return env, words


def commands(doc: Path) -> list[Command]:
    """Every command of ``doc``, in order."""
    lines = doc.read_text().splitlines()
    rel = str(doc.relative_to(ROOT))
    out: list[Command] = []
    for first, lang, body, marks in _blocks(lines):
        if lang not in SHELL_LANGS:
            continue
        pending, start = "", 0
        for k, raw in enumerate(body):
            s = raw.rstrip()
            if lang == "console" and not pending:
                if not s.startswith("$ "):
                    continue
                s = s[2:]
            if not pending:
                start = first + k
            pending = f"{pending} {s.strip()}" if pending else s.strip()
            if pending.endswith("\\"):
                pending = pending[:-1].rstrip()
                continue
            parsed = _command_words(pending)
            if parsed is not None:
                env, words = parsed
                out.append(Command(rel, start, pending, tuple(env), tuple(words),
                                   marks.get("not-run"), int(marks.get("exit", 0))))
            pending = ""
    return out
