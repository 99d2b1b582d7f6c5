"""State and rules of the GGk portal: sessions, roles and the audit log (no Flask).

Mixed into :class:`simulators.ggk.backend.Ggk`; uses its ``store``, ``clock``, ``config``,
``gemeenten`` and ``gebruikers``. Every time comes from the party's clock, so a scenario
expires a session by moving the simulated clock.

* Sessions live in ``portaal_sessies`` (a restart keeps them). The cookie holds a random
  token; the table holds only its SHA-256, so reading the database gives no session away.
  A session ends after ``portaal_inactief_minuten`` (default 15) without a request, or
  ``portaal_max_uren`` (default 8) after the login, whichever comes first.
* A login is *fresh* for ``portaal_vers_minuten`` (default 5): an opt-in or a withdrawal
  needs one.
* Roles: ``portaal_rollen`` holds what the administrator granted or revoked; without a
  row an identity has its default (see ``identiteiten.PERSONAS``).
* The audit log ``portaal_audit`` is append-only: triggers refuse every UPDATE, and every
  DELETE except the harness's reset (which lifts the guard for the one transaction that
  empties the table).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ... import auditlog
from .identiteiten import (
    GEBRUIKER,
    PERSONAS,
    Identiteit,
    gebruiker_identiteit,
    persona_identiteit,
)

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
CREATE TABLE IF NOT EXISTS portaal_rollen (
    gemeentecode TEXT NOT NULL,
    identiteit TEXT NOT NULL,
    rol TEXT NOT NULL,
    toegekend INTEGER NOT NULL,                -- 1 granted, 0 revoked
    door TEXT NOT NULL,
    tijdstip TEXT NOT NULL,
    PRIMARY KEY (gemeentecode, identiteit, rol)
);
""" + auditlog.schema("portaal_audit")

OPTIES = {"portaal_inactief_minuten": 15.0, "portaal_max_uren": 8.0, "portaal_vers_minuten": 5.0}


@dataclass(frozen=True)
class Sessie:
    id: str
    identiteit: Identiteit
    niveau: str
    ingelogd: datetime
    csrf: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def optie(options: dict[str, Any], naam: str) -> timedelta:
    """One of the portal's time limits, checked (a positive number)."""
    waarde = options.get(naam, OPTIES[naam])
    try:
        getal = float(waarde)
    except (TypeError, ValueError):
        getal = -1.0
    if isinstance(waarde, bool) or getal <= 0:
        raise ValueError(f"{naam} is een getal groter dan 0, niet {waarde!r}")
    return timedelta(hours=getal) if naam.endswith("uren") else timedelta(minutes=getal)


class PortaalRules:
    """Sessions, roles and audit of the portal (a mixin of Ggk)."""

    def __init__(self, config) -> None:
        super().__init__(config)
        self.portaal_limieten()  # a wrong option fails at start, not at the first login

    def portaal_limieten(self) -> tuple[timedelta, timedelta, timedelta]:
        """(idle, absolute, fresh) from the party options."""
        return tuple(optie(self.config.options, naam) for naam in OPTIES)

    # ------------------------------------------------------------ identities

    def identiteiten(self, gemeentecode: str | None = None) -> list[Identiteit]:
        """The test identities of one gemeente (None: the registered users of every gemeente)."""
        if gemeentecode is None:
            rows = self.store.query("SELECT gemeentecode, email, naam, telefoon FROM gebruikers ORDER BY id")
            return [gebruiker_identiteit(dict(r)) for r in rows]
        naam = self.gemeenten.get(gemeentecode)
        if naam is None:
            return []
        return ([persona_identiteit(gemeentecode, naam, p) for p in PERSONAS]
                + [gebruiker_identiteit(g) for g in self.gebruikers(gemeentecode)])

    def identiteit(self, sleutel: str) -> Identiteit | None:
        code = sleutel.split(":", 1)[0]
        return next((i for i in self.identiteiten(code) if i.sleutel == sleutel), None)

    def identiteit_voor(self, gemeentecode: str, persoon: str) -> Identiteit | None:
        """The identity a login form offers: a persona, or ``gebruiker:<email>`` of that gemeente."""
        if persoon.startswith(GEBRUIKER):
            persoon = GEBRUIKER + persoon[len(GEBRUIKER):].strip().lower()
        return next((i for i in self.identiteiten(gemeentecode)
                     if i.sleutel.lower() == f"{gemeentecode}:{persoon}".lower()), None)

    # -------------------------------------------------------------- sessions

    def start_sessie(self, identiteit: Identiteit, niveau: str, vorige: str | None = None) -> str:
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

    def sessie(self, token: str | None, herkomst: str = "onbekend") -> tuple[Sessie | None, str]:
        """The live session of this token and '' — or None and why not ('' when there was none,
        else 'inactief' or 'maximale duur': it ended just now, measured on the clock, and the
        audit log says so)."""
        if not token:
            return None, ""
        row = self.store.one("SELECT * FROM portaal_sessies WHERE id = ?", (_hash(token),))
        if row is None or row["einde"] is not None:
            return None, ""
        inactief, maximaal, _vers = self.portaal_limieten()
        nu = self.clock.now()
        ingelogd = datetime.fromisoformat(row["ingelogd"])
        reden = ("maximale duur" if nu - ingelogd > maximaal else
                 "inactief" if nu - datetime.fromisoformat(row["laatst"]) > inactief else "")
        identiteit = self.identiteit(row["identiteit"])
        if identiteit is None:
            reden = reden or "identiteit bestaat niet meer"
        if reden:
            self.store.execute("UPDATE portaal_sessies SET einde = ?, reden = ? WHERE id = ?",
                               (nu.isoformat(), reden, row["id"]))
            self.audit(row["identiteit"], row["gemeentecode"], "sessie", "verlopen",
                       f"sessie beëindigd: {reden} (ingelogd {row['ingelogd']}, laatst {row['laatst']})",
                       herkomst)
            return None, reden
        self.store.execute("UPDATE portaal_sessies SET laatst = ? WHERE id = ?", (nu.isoformat(), row["id"]))
        return Sessie(row["id"], identiteit, row["niveau"], ingelogd, row["csrf"]), ""

    def beeindig_sessie(self, sessie: Sessie, reden: str = "uitgelogd") -> None:
        self.store.execute("UPDATE portaal_sessies SET einde = ?, reden = ? WHERE id = ?",
                           (self.clock.now().isoformat(), reden, sessie.id))

    def login_vers(self, sessie: Sessie) -> bool:
        return self.clock.now() - sessie.ingelogd <= self.portaal_limieten()[2]

    def sessie_gegeven(self, sessie: Sessie, kolom: str, waarde: Any = None, *, neem: bool = False) -> Any:
        """Read (and with ``neem`` clear) or, with ``waarde``, set a JSON column (bericht, wacht)."""
        assert kolom in ("bericht", "wacht")
        if waarde is not None:
            self.store.execute(f"UPDATE portaal_sessies SET {kolom} = ? WHERE id = ?",
                               (json.dumps(waarde, ensure_ascii=False), sessie.id))
            return waarde
        row = self.store.one(f"SELECT {kolom} FROM portaal_sessies WHERE id = ?", (sessie.id,))
        if neem and row[kolom] is not None:
            self.store.execute(f"UPDATE portaal_sessies SET {kolom} = NULL WHERE id = ?", (sessie.id,))
        return json.loads(row[kolom]) if row[kolom] else None

    # ----------------------------------------------------------------- roles

    def heeft_cbs_rol(self, identiteit: Identiteit) -> bool:
        row = self.store.one("SELECT toegekend FROM portaal_rollen WHERE gemeentecode = ? AND identiteit = ?"
                             " AND rol = 'cbs'", (identiteit.gemeentecode, identiteit.sleutel))
        return bool(row["toegekend"]) if row is not None else identiteit.cbs_standaard

    def zet_cbs_rol(self, door: Identiteit, sleutel: str, toekennen: bool) -> Identiteit | None:
        """The administrator grants or revokes the CBS role of a user of the own gemeente;
        None when that identity is not of the administrator's gemeente (nothing changed)."""
        doel = self.identiteit(sleutel)
        if not door.beheerder or doel is None or doel.gemeentecode != door.gemeentecode:
            return None
        self.store.execute("INSERT OR REPLACE INTO portaal_rollen VALUES (?,?,?,?,?,?)",
                           (doel.gemeentecode, doel.sleutel, "cbs", int(toekennen), door.sleutel,
                            self.clock.now().isoformat()))
        return doel

    # ----------------------------------------------------------------- audit

    @property
    def auditregels(self) -> auditlog.Auditlog:
        return auditlog.Auditlog(self.store, self.clock, "portaal_audit")

    def audit(self, wie: str, gemeentecode: str | None, actie: str, resultaat: str, details: str = "",
              herkomst: str = "onbekend", db=None) -> None:
        self.auditregels.schrijf(wie, gemeentecode, actie, resultaat, details, herkomst, db)

    def auditlog(self, gemeentecode: str | None = None, actie: str | None = None, na: int = 0) -> list[dict]:
        return self.auditregels.lees(gemeentecode, actie, na)

    def reset(self, settle: float = 2.0) -> bool:
        """The harness's reset empties the audit log too."""
        self.auditregels.wis()
        return super().reset(settle)
