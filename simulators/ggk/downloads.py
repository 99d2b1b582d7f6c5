"""The download area of each gemeente at the GGk: reports from CBS (as ZIP) and error reports
(Fo01), each with its GGk reference, and the notification that one is there.

:class:`DownloadArea` adds a file and plans the notification (task ``melden``): waiting
readers wake, every user of the gemeente is mailed once (by :class:`~.mail.Mail`), a line
goes into ``meldingen``, and the gemeente simulator is called at ``/notificaties``. A read
marks the file fetched, the first moment kept.

Where it differs from the real GGk: the real GGk only e-mails; the call to the gemeente
simulator lets a test see the notification without a mail server.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Mapping

from ..clock import Clock
from ..courier import Courier
from ..store import Store
from ..tasks import Tasks

SCHEMA = """
CREATE TABLE IF NOT EXISTS downloads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    gemeentecode TEXT NOT NULL,
    soort TEXT NOT NULL,                       -- rapport, foutrapport
    bestandsnaam TEXT NOT NULL,
    inhoud BLOB NOT NULL,
    content_type TEXT NOT NULL,
    ontvangen TEXT NOT NULL,
    referentienummer TEXT,                     -- of the message that brought it
    crossRefnummer TEXT,
    correlatie TEXT,                           -- GGk reference of the upload it answers
    opgehaald TEXT
);
CREATE TABLE IF NOT EXISTS meldingen (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    gemeentecode TEXT NOT NULL,
    download_id INTEGER NOT NULL,
    tekst TEXT NOT NULL,
    tijdstip TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS downloads_gemeente ON downloads (gemeentecode, id);
CREATE INDEX IF NOT EXISTS meldingen_download ON meldingen (download_id);
"""

TAAK = "melden"
"""The task soort of a notification."""
MAX_WAIT = 60.0
"""The longest a reader of the download area is kept waiting for something new (seconds)."""


def has_oporde(db: sqlite3.Connection, gemeentecode: str, periode: str) -> bool:
    """Whether the gemeente's download area holds an op-orde rapport for this period (what an
    opt-in and the opt-in request wait for)."""
    prefix = f"CBS_OPORDE_{gemeentecode}_{periode}_"
    row = db.execute("SELECT 1 FROM downloads WHERE gemeentecode = ? AND soort = 'rapport' AND"
                     " substr(bestandsnaam, 1, ?) = ? AND bestandsnaam LIKE '%.zip' LIMIT 1",
                     (gemeentecode, len(prefix), prefix)).fetchone()
    return row is not None


class DownloadArea:
    """The files waiting for each gemeente, and their notifications."""

    def __init__(self, *, store: Store, clock: Clock, tasks: Tasks, courier: Courier,
                 gemeente_url: Callable[[], str | None], mail_ready: Callable[[Mapping], None]) -> None:
        self.store, self.clock, self.tasks, self.courier = store, clock, tasks, courier
        self.gemeente_url = gemeente_url  # the gemeente simulator, when the GGk knows it
        self.mail_ready = mail_ready
        self._changed = threading.Condition()

    def add(self, db: sqlite3.Connection, gemeentecode: str, soort: str, bestandsnaam: str, inhoud: bytes,
            content_type: str, *, referentienummer: str | None = None, crossRefnummer: str | None = None,
            correlatie: str | None = None) -> int:
        """Put a file in the gemeente's area within ``db``'s transaction; the gemeente is told
        once it commits. ``correlatie``: the GGk reference of what it answers."""
        download_id = db.execute(
            "INSERT INTO downloads (gemeentecode, soort, bestandsnaam, inhoud, content_type,"
            " ontvangen, referentienummer, crossRefnummer, correlatie) VALUES (?,?,?,?,?,?,?,?,?)",
            (gemeentecode, soort, bestandsnaam, inhoud, content_type, self.clock.now().isoformat(),
             referentienummer, crossRefnummer, correlatie)).lastrowid
        self.tasks.add(TAAK, {"download_id": download_id}, db)
        return download_id

    def listing(self, gemeentecode: str, after: int = 0, wait: float = 0.0) -> list[dict]:
        """The gemeente's download area after id ``after``; with ``wait``, block until something
        newer is there (at most :data:`MAX_WAIT` seconds)."""
        deadline = time.monotonic() + min(wait, MAX_WAIT)
        with self._changed:  # held while reading, so no notification slips by
            while True:
                rows = self.store.query(
                    "SELECT id, soort, bestandsnaam, content_type, ontvangen, referentienummer,"
                    " crossRefnummer, correlatie, opgehaald FROM downloads WHERE gemeentecode = ?"
                    " AND id > ? ORDER BY id", (gemeentecode, after))
                remaining = deadline - time.monotonic()
                if rows or remaining <= 0:
                    return [dict(r) for r in rows]
                self._changed.wait(remaining)

    def owner(self, download_id: int) -> str | None:
        """The gemeente a download belongs to (None: there is no such download)."""
        row = self.store.one("SELECT gemeentecode FROM downloads WHERE id = ?", (download_id,))
        return None if row is None else row["gemeentecode"]

    def fetch(self, gemeentecode: str, download_id: int) -> tuple[str, bytes, str] | None:
        """(name, content, content type) of one of the gemeente's files, now marked fetched."""
        row = self.store.one("SELECT bestandsnaam, inhoud, content_type FROM downloads"
                             " WHERE id = ? AND gemeentecode = ?", (download_id, gemeentecode))
        if row is None:
            return None
        self.store.execute("UPDATE downloads SET opgehaald = COALESCE(opgehaald, ?) WHERE id = ?",
                           (self.clock.now().isoformat(), download_id))
        return row["bestandsnaam"], bytes(row["inhoud"]), row["content_type"]

    def fetched(self, gemeentecode: str) -> list[dict]:
        """What the gemeente fetched, for the other members of its partnerships to see."""
        rows = self.store.query("SELECT bestandsnaam, soort, ontvangen, opgehaald FROM downloads"
                                " WHERE gemeentecode = ? AND opgehaald IS NOT NULL ORDER BY id",
                                (gemeentecode,))
        return [dict(r) for r in rows]

    def meldingen(self, gemeentecode: str, limit: int = 20) -> list[dict]:
        """The gemeente's latest notifications, newest first."""
        rows = self.store.query("SELECT tekst, tijdstip FROM meldingen WHERE gemeentecode = ?"
                                " ORDER BY id DESC LIMIT ?", (gemeentecode, limit))
        return [dict(r) for r in rows]

    def notify(self, download_id: int) -> None:
        """Tell the gemeente a file is ready (the real GGk sends an e-mail). A retry (the
        gemeente simulator did not answer) calls the gemeente again, but mails once."""
        with self._changed:
            self._changed.notify_all()
        row = self.store.one("SELECT id, gemeentecode, soort, bestandsnaam FROM downloads"
                             " WHERE id = ?", (download_id,))
        tekst = f"Er staat een {row['soort']} voor u klaar: {row['bestandsnaam']}"
        if self.store.one("SELECT 1 FROM meldingen WHERE download_id = ?", (row["id"],)) is None:
            self.mail_ready(row)
            self.store.execute("INSERT INTO meldingen (gemeentecode, download_id, tekst, tijdstip)"
                               " VALUES (?,?,?,?)", (row["gemeentecode"], row["id"], tekst,
                                                     self.clock.now().isoformat()))
        gemeente = self.gemeente_url()
        if gemeente is not None:
            self.courier.request("POST", gemeente.rstrip("/") + "/notificaties", json={
                "gemeentecode": row["gemeentecode"], "download_id": row["id"],
                "soort": row["soort"], "bestandsnaam": row["bestandsnaam"], "tekst": tekst})
