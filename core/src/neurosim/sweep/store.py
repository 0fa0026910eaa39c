"""``DIR/results.sqlite``: one row per configuration, committed as each one finishes.

Tables: ``rows`` (``config_id`` primary key = the hash of the effective configuration,
``seq`` = the order rows were first added, ``status`` pending/done/rejected/failed,
``reason``, ``axes`` and ``options`` as JSON, ``result`` = the ``--json`` object as JSON,
``accuracy_key``, ``seconds``), ``accuracy`` (one row per distinct accuracy-relevant key set)
and ``meta`` (the spec's axes and objectives). WAL journal: readers (``sweep show``) never
block the writer, and a killed process loses at most the row being written.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import NeuroSimError
from .evaluate import Outcome
from .spec import Row

SCHEMA = """
CREATE TABLE IF NOT EXISTS rows (
    config_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '', axes TEXT NOT NULL, options TEXT NOT NULL,
    result TEXT, accuracy_key TEXT, seconds REAL);
CREATE TABLE IF NOT EXISTS accuracy (
    accuracy_key TEXT PRIMARY KEY, status TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '',
    accuracy REAL, result TEXT);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

#: the columns of each table of :data:`SCHEMA` (what an existing file must have)
TABLE_COLUMNS = {
    "rows": ("config_id", "seq", "status", "reason", "axes", "options", "result",
             "accuracy_key", "seconds"),
    "accuracy": ("accuracy_key", "status", "reason", "accuracy", "result"),
    "meta": ("key", "value"),
}

FINAL = ("done", "rejected")  # rows a re-run skips (failed rows are tried again)


@dataclass
class StoredRow:
    """A row read back from the store."""

    config_id: str
    seq: int
    status: str
    reason: str
    axes: dict[str, Any]
    result: dict[str, Any] | None
    accuracy: float | None
    accuracy_reason: str = ""


class Store:
    """The SQLite results store of one sweep folder."""

    FILE = "results.sqlite"

    def __init__(self, directory: str | Path, create: bool = True):
        self.directory = Path(directory)
        self.path = self.directory / self.FILE
        if not create and not self.path.is_file():
            raise NeuroSimError(f"{self.directory}: no {self.FILE} (not a sweep folder; "
                                "run `neurosim sweep run SPEC --out DIR` first)")
        if create:
            try:
                self.directory.mkdir(exist_ok=True)  # the parent must exist (--out)
            except OSError as exc:
                raise NeuroSimError(f"--out {self.directory}: cannot create the folder "
                                    f"({exc.strerror or exc})") from None
        self._lock_fd: int | None = None
        try:
            self.db = sqlite3.connect(self.path, timeout=30)
            self._check_tables()  # before anything is written to someone else's database
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise NeuroSimError(f"{self.path}: not a sweep store ({exc})") from None

    def _check_tables(self) -> None:
        """An existing database must hold the store's tables with their columns (a
        foreign SQLite file crashed on its first query, or got the tables added)."""
        names = [r[0] for r in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        if not names:
            return  # a new (or empty) file
        for table, columns in TABLE_COLUMNS.items():
            have = {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}
            missing = [c for c in columns if c not in have]
            if missing:
                self.db.close()
                what = f"has no column {missing[0]!r}" if have else "is missing"
                raise NeuroSimError(f"{self.path}: not a sweep store (table {table!r} {what}; "
                                    f"tables: {', '.join(sorted(names))})")

    def lock(self) -> None:
        """Hold the folder for one ``sweep run`` until :meth:`close` (an exclusive
        ``flock`` on the folder, released by the system when the process dies): a second
        run on the same folder is an error. Before, both computed every pending row and
        each wrote over the other's rows."""
        try:
            import fcntl
        except ImportError:  # Windows: no lock
            return
        fd = os.open(self.directory, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise NeuroSimError(f"--out {self.directory}: another `neurosim sweep run` is "
                                "writing to this folder; wait for it to finish (then run "
                                "this command again to resume) or give another folder") \
                from None
        self._lock_fd = fd

    def close(self) -> None:
        self.db.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # (releases the lock)
            self._lock_fd = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- meta ---------------------------------------------------------------------------
    def set_meta(self, key: str, value: Any) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))

    def meta(self, key: str, default: Any = None) -> Any:
        r = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(r[0]) if r else default

    # -- rows ---------------------------------------------------------------------------
    def add_rows(self, rows: Iterable[Row], accuracy_keys: dict[str, str] | None = None) -> int:
        """Insert rows not yet in the store as ``pending``; returns how many were new."""
        start = self.db.execute("SELECT COALESCE(MAX(seq), -1) + 1 FROM rows").fetchone()[0]
        before = self.count()
        keys = accuracy_keys or {}
        with self.db:
            self.db.executemany(
                "INSERT OR IGNORE INTO rows (config_id, seq, status, axes, options, "
                "accuracy_key) VALUES (?, ?, 'pending', ?, ?, ?)",
                ((r.config_id, start + i, json.dumps(r.axes, default=str),
                  json.dumps(r.options, default=str), keys.get(r.config_id))
                 for i, r in enumerate(rows)))
            if keys:
                self.db.executemany("UPDATE rows SET accuracy_key = ? WHERE config_id = ?",
                                    ((k, cid) for cid, k in keys.items()))
        return self.count() - before

    def count(self, status: str | None = None) -> int:
        if status is None:
            return self.db.execute("SELECT COUNT(*) FROM rows").fetchone()[0]
        return self.db.execute("SELECT COUNT(*) FROM rows WHERE status = ?",
                               (status,)).fetchone()[0]

    def finished_ids(self) -> set[str]:
        q = f"SELECT config_id FROM rows WHERE status IN ({','.join('?' * len(FINAL))})"
        return {r[0] for r in self.db.execute(q, FINAL)}

    def record(self, out: Outcome) -> None:
        """Store one finished row and commit."""
        with self.db:
            self.db.execute(
                "UPDATE rows SET status = ?, reason = ?, result = ?, seconds = ? "
                "WHERE config_id = ?",
                (out.status, out.reason, json.dumps(out.result) if out.result else None,
                 out.seconds, out.config_id))

    # -- accuracy -----------------------------------------------------------------------
    def accuracy_done(self) -> set[str]:
        return {r[0] for r in self.db.execute(
            "SELECT accuracy_key FROM accuracy WHERE status IN ('done', 'rejected')")}

    def record_accuracy(self, key: str, status: str, reason: str, value: float | None,
                        result: dict[str, Any] | None) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO accuracy VALUES (?, ?, ?, ?, ?)",
                            (key, status, reason, value,
                             json.dumps(result) if result is not None else None))

    # -- reading ------------------------------------------------------------------------
    def rows(self) -> Iterator[StoredRow]:
        """Every row in the order rows were added, with its accuracy when known."""
        q = ("SELECT r.config_id, r.seq, r.status, r.reason, r.axes, r.result, a.accuracy, "
             "a.status, a.reason FROM rows r LEFT JOIN accuracy a "
             "ON r.accuracy_key = a.accuracy_key ORDER BY r.seq")
        for cid, seq, status, reason, axes, result, acc, acc_status, acc_reason in \
                self.db.execute(q):
            note = acc_reason if acc_status and acc_status != "done" else ""
            yield StoredRow(cid, seq, status, reason, json.loads(axes),
                            json.loads(result) if result else None, acc, note)

    def pending_accuracy(self) -> list[tuple[str, dict[str, Any]]]:
        """``(accuracy_key, options)`` of one done row per key without an accuracy yet."""
        done = self.accuracy_done()
        out: dict[str, dict[str, Any]] = {}
        for key, options in self.db.execute(
                "SELECT accuracy_key, options FROM rows WHERE status = 'done' AND "
                "accuracy_key IS NOT NULL ORDER BY seq"):
            if key not in done and key not in out:
                out[key] = json.loads(options)
        return list(out.items())
