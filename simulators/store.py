"""Durable state of one party: a SQLite database and its message journal.

Each party owns one database file (its *state path*); nothing it acknowledged lives
only in memory, so a party stopped and started again on the same path loses nothing.
One connection guarded by a lock serves all threads of the party: the simulators
write little, and one writer keeps SQLite simple and correct.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .clock import Clock

JOURNAL_SCHEMA = """
CREATE TABLE IF NOT EXISTS journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    richting TEXT NOT NULL,          -- 'in' or 'uit'
    peer TEXT NOT NULL,              -- the other party: gemeente, ggk, rinis, cbs
    soort TEXT NOT NULL,             -- what travelled: StUF berichtcode, or upload, bestand, ...
    berichtcode TEXT,
    referentienummer TEXT,
    crossRefnummer TEXT,
    bestandsnaam TEXT,
    correlatie TEXT,                 -- the GGk reference number that ties the hops together
    tijdstip TEXT NOT NULL,          -- from the party's clock, ISO 8601
    content_type TEXT NOT NULL,
    payload BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS journal_correlatie ON journal (correlatie);
"""


class Store:
    """A SQLite database shared by the threads of one party."""

    def __init__(self, path: Path | str, schema: str = "") -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(JOURNAL_SCHEMA + schema)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work; other threads wait until it is committed."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def execute(self, sql: str, params: tuple | dict = ()) -> int:
        """Run one statement in its own transaction; return the last row id."""
        with self.transaction() as db:
            return db.execute(sql, params).lastrowid

    def wipe(self) -> None:
        """Delete every row of every table (the schema stays, and ids keep counting up)."""
        with self.transaction() as db:
            tables = [row["name"] for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
            for table in tables:
                db.execute(f'DELETE FROM "{table}"')

    def close(self) -> None:
        with self._lock:
            self._db.close()


@dataclass(frozen=True)
class Entry:
    """One journal line: what a party sent or received."""

    richting: str
    peer: str
    soort: str
    payload: bytes
    content_type: str = "application/xml"
    berichtcode: str | None = None
    referentienummer: str | None = None
    crossRefnummer: str | None = None
    bestandsnaam: str | None = None
    correlatie: str | None = None


class Journal:
    """Every message a party sent or received, with its raw payload, in order."""

    FIELDS = ("id", "richting", "peer", "soort", "berichtcode", "referentienummer",
              "crossRefnummer", "bestandsnaam", "correlatie", "tijdstip", "content_type")

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def record(self, entry: Entry, db: sqlite3.Connection | None = None) -> int:
        row = (entry.richting, entry.peer, entry.soort, entry.berichtcode,
               entry.referentienummer, entry.crossRefnummer, entry.bestandsnaam,
               entry.correlatie, self.clock.now().isoformat(), entry.content_type,
               entry.payload)
        sql = ("INSERT INTO journal (richting, peer, soort, berichtcode, referentienummer,"
               " crossRefnummer, bestandsnaam, correlatie, tijdstip, content_type, payload)"
               " VALUES (?,?,?,?,?,?,?,?,?,?,?)")
        if db is not None:
            return db.execute(sql, row).lastrowid
        return self.store.execute(sql, row)

    def entries(self, since: int = 0, correlatie: str | None = None,
                payloads: bool = False) -> list[dict[str, Any]]:
        """The lines after ``since`` (of one delivery), oldest first; with ``payloads`` each
        also carries its raw bytes as ``payload``."""
        fields = (*self.FIELDS, "payload") if payloads else self.FIELDS
        sql = f"SELECT {', '.join(fields)} FROM journal WHERE id > ?"
        params: list[Any] = [since]
        if correlatie:
            sql += " AND correlatie = ?"
            params.append(correlatie)
        return [dict(row) for row in self.store.query(sql + " ORDER BY id", tuple(params))]

    def last_id(self) -> int:
        row = self.store.one("SELECT MAX(id) AS laatste FROM journal")
        return int(row["laatste"] or 0) if row else 0

    def payload(self, entry_id: int) -> tuple[bytes, str] | None:
        row = self.store.one("SELECT payload, content_type FROM journal WHERE id = ?", (entry_id,))
        return None if row is None else (bytes(row["payload"]), row["content_type"])


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
