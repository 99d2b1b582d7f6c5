"""The portal's server-side sessions, on the party's clock (a scenario expires one by moving
the simulated clock).

Sessions live in ``portaal_sessies`` (a restart keeps them). The cookie holds a random
token; the table holds only its SHA-256, so reading the database gives no session away. A
session ends after ``portaal_inactief_minuten`` (default 15) without a request, or
``portaal_max_uren`` (default 8) after the login, whichever comes first; the audit log
says so. A login is *fresh* for ``portaal_vers_minuten`` (default 5): an opt-in or a
withdrawal needs one. A session also carries the message shown once on the next page
(post-redirect-get) and a withdrawal waiting for confirmation.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ...auditlog import Auditlog
from ...clock import Clock
from ...store import Store
from .identities import Identity

SCHEMA = """
CREATE TABLE IF NOT EXISTS portaal_sessies (
    id TEXT PRIMARY KEY,                       -- SHA-256 of the cookie's token
    identiteit TEXT NOT NULL,
    gemeentecode TEXT NOT NULL,
    niveau TEXT NOT NULL,                      -- eHerkenning level of the login
    ingelogd TEXT NOT NULL,                    -- party clock, ISO
    laatst TEXT NOT NULL,                      -- last request
    csrf TEXT NOT NULL,
    bericht TEXT,                              -- JSON shown once on the next page (post-redirect-get)
    wacht TEXT,                                -- JSON: a withdrawal waiting for confirmation
    einde TEXT,                                -- when it ended
    reden TEXT                                 -- uitgelogd, inactief, maximale duur, opnieuw ingelogd
);
"""

OPTIES = {"portaal_inactief_minuten": 15.0, "portaal_max_uren": 8.0, "portaal_vers_minuten": 5.0}


@dataclass(frozen=True)
class Session:
    id: str
    identiteit: Identity
    niveau: str
    ingelogd: datetime
    csrf: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def optie(options: Mapping[str, Any], naam: str) -> timedelta:
    """One of the portal's time limits, checked (a positive number)."""
    waarde = options.get(naam, OPTIES[naam])
    try:
        getal = float(waarde)
    except (TypeError, ValueError):
        getal = -1.0
    if isinstance(waarde, bool) or getal <= 0:
        raise ValueError(f"{naam} is een getal groter dan 0, niet {waarde!r}")
    return timedelta(hours=getal) if naam.endswith("uren") else timedelta(minutes=getal)


class Sessions:
    """Start, find, expire and end the portal's sessions."""

    def __init__(self, *, store: Store, clock: Clock, options: Mapping[str, Any], audit: Auditlog,
                 identity: Callable[[str], Identity | None]) -> None:
        self.store, self.clock, self.options, self.audit = store, clock, options, audit
        self.identity = identity  # an identity by its key; None when it no longer exists
        self.limits()  # a wrong option fails at start, not at the first login

    def limits(self) -> tuple[timedelta, timedelta, timedelta]:
        """(idle, absolute, fresh) from the party options."""
        return tuple(optie(self.options, naam) for naam in OPTIES)

    def fresh_minutes(self) -> int:
        """How many minutes a login stays fresh enough for a decision."""
        return int(self.limits()[2].total_seconds() // 60)

    def start(self, identiteit: Identity, niveau: str, vorige: str | None = None) -> str:
        """A new session; the previous one (its cookie's token), if any, ends. Returns the token."""
        token = secrets.token_urlsafe(32)
        nu = self.clock.now().isoformat()
        with self.store.transaction() as db:
            if vorige:
                db.execute("UPDATE portaal_sessies SET einde = ?, reden = 'opnieuw ingelogd'"
                           " WHERE id = ? AND einde IS NULL", (nu, _hash(vorige)))
            db.execute("INSERT INTO portaal_sessies (id, identiteit, gemeentecode, niveau, ingelogd, laatst,"
                       " csrf) VALUES (?,?,?,?,?,?,?)", (_hash(token), identiteit.sleutel,
                                                         identiteit.gemeentecode, niveau, nu, nu,
                                                         secrets.token_urlsafe(24)))
        return token

    def find(self, token: str | None, herkomst: str = "onbekend") -> tuple[Session | None, str]:
        """The live session of this token and '' — or None and why not ('' when there was none,
        else 'inactief' or 'maximale duur': it ended just now, measured on the clock, and the
        audit log says so)."""
        if not token:
            return None, ""
        row = self.store.one("SELECT * FROM portaal_sessies WHERE id = ?", (_hash(token),))
        if row is None or row["einde"] is not None:
            return None, ""
        inactief, maximaal, _vers = self.limits()
        nu = self.clock.now()
        ingelogd = datetime.fromisoformat(row["ingelogd"])
        reden = ("maximale duur" if nu - ingelogd > maximaal else
                 "inactief" if nu - datetime.fromisoformat(row["laatst"]) > inactief else "")
        identiteit = self.identity(row["identiteit"])
        if identiteit is None:
            reden = reden or "identiteit bestaat niet meer"
        if reden:
            self.store.execute("UPDATE portaal_sessies SET einde = ?, reden = ? WHERE id = ?",
                               (nu.isoformat(), reden, row["id"]))
            self.audit.schrijf(row["identiteit"], row["gemeentecode"], "sessie", "verlopen",
                               f"sessie beëindigd: {reden} (ingelogd {row['ingelogd']}, "
                               f"laatst {row['laatst']})", herkomst)
            return None, reden
        self.store.execute("UPDATE portaal_sessies SET laatst = ? WHERE id = ?", (nu.isoformat(), row["id"]))
        return Session(row["id"], identiteit, row["niveau"], ingelogd, row["csrf"]), ""

    def end(self, sessie: Session, reden: str = "uitgelogd") -> None:
        self.store.execute("UPDATE portaal_sessies SET einde = ?, reden = ? WHERE id = ?",
                           (self.clock.now().isoformat(), reden, sessie.id))

    def fresh(self, sessie: Session) -> bool:
        """Whether the login is recent enough for an opt-in or a withdrawal."""
        return self.clock.now() - sessie.ingelogd <= self.limits()[2]

    def set_message(self, sessie: Session, bericht: dict) -> None:
        """The message the next page shows once."""
        self._set(sessie, "bericht", bericht)

    def take_message(self, sessie: Session) -> dict | None:
        """The message for this page, if any; it is shown once."""
        return self._get(sessie, "bericht", neem=True)

    def set_pending(self, sessie: Session, wacht: dict) -> None:
        """A withdrawal waiting for confirmation ({}: none)."""
        self._set(sessie, "wacht", wacht)

    def pending(self, sessie: Session) -> dict | None:
        return self._get(sessie, "wacht")

    def _set(self, sessie: Session, kolom: str, waarde: Any) -> None:
        self.store.execute(f"UPDATE portaal_sessies SET {kolom} = ? WHERE id = ?",
                           (json.dumps(waarde, ensure_ascii=False), sessie.id))

    def _get(self, sessie: Session, kolom: str, *, neem: bool = False) -> Any:
        row = self.store.one(f"SELECT {kolom} FROM portaal_sessies WHERE id = ?", (sessie.id,))
        if neem and row[kolom] is not None:
            self.store.execute(f"UPDATE portaal_sessies SET {kolom} = NULL WHERE id = ?", (sessie.id,))
        return json.loads(row[kolom]) if row[kolom] else None
