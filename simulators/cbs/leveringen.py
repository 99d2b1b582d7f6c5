"""CBS's register of deliveries: one *levering* per checked CSV, and its status history.

A gemeente delivers a set (WMO, SBO or JEUGD) for a verslagperiode, and may deliver
it again to correct it. CBS keeps every delivery (nothing superseded is deleted) and
tells them apart by "Aanmaakdatum bestand" (seed 000 ch.7): an approved delivery whose
Aanmaakdatum is newer than the current one's supersedes it, which then gets the
status *gecorrigeerd*. A delivery that is not newer is kept but does not replace the
current one, so an old file sent late cannot undo a correction.

Statuses, in the order a delivery passes them: ontvangen, technisch afgekeurd or
technisch goedgekeurd, op-orde verzonden, spiegelrapport II verzonden; gecorrigeerd
when superseded.

The gemeente's decision on publication (``docs/optin.md``) is a status too: opt-in,
opt-out or ingetrokken, set on the current delivery of that set by :meth:`besluit`; a
later decision replaces an earlier one as status, the history keeps both. A decision
on a set CBS holds no current delivery of is kept on a *levering without a file*
(``aanlevering_id`` 0, empty ``inhoud``: ``zonder_bestand`` in the overview), one per
set, never current: no report and no peer group ever reads it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ..clock import Clock
from ..store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS leveringen (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    aanlevering_id INTEGER NOT NULL,
    gemeentecode TEXT NOT NULL,
    periode TEXT NOT NULL,              -- code uitvraag, or ONBEKEND
    soort TEXT NOT NULL,                -- WMO, SBO, JEUGD, or ONBEKEND
    bestand TEXT NOT NULL,              -- the name CBS checked
    ggk_referentie TEXT NOT NULL,
    aanmaakdatum TEXT,                  -- "Aanmaakdatum bestand", YYYYMMDDhhmmss, if readable
    inhoud BLOB NOT NULL,
    status TEXT NOT NULL,
    actueel INTEGER NOT NULL DEFAULT 0, -- 1: the delivery CBS uses for this gemeente/periode/soort
    vervangen_door INTEGER,
    opmerking TEXT,
    cijfers TEXT                        -- JSON: the figures the spiegelrapporten use, once computed
);
CREATE TABLE IF NOT EXISTS statussen (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    levering_id INTEGER NOT NULL REFERENCES leveringen(id),
    status TEXT NOT NULL,
    tijdstip TEXT NOT NULL,
    toelichting TEXT
);
CREATE INDEX IF NOT EXISTS leveringen_gemeente ON leveringen (gemeentecode, periode, soort);
CREATE INDEX IF NOT EXISTS leveringen_actueel ON leveringen (periode, actueel);
CREATE INDEX IF NOT EXISTS statussen_levering ON statussen (levering_id, status);
"""

ONTVANGEN = "ontvangen"
AFGEKEURD = "technisch afgekeurd"
GOEDGEKEURD = "technisch goedgekeurd"
OPORDE_VERZONDEN = "op-orde verzonden"
GECORRIGEERD = "gecorrigeerd"
SPIEGEL2_VERZONDEN = "spiegelrapport II verzonden"
OPTIN = "opt-in"
OPTOUT = "opt-out"
INGETROKKEN = "ingetrokken"
CORRECTIE_AANGEKONDIGD = "correctielevering aangekondigd"
CORRECTIE_INGETROKKEN = "correctie ingetrokken"
GEACCORDEERD = "spiegelrapport geaccordeerd"
TERUGMELDING = "terugmelding ontvangen"
STATUSSEN = (ONTVANGEN, AFGEKEURD, GOEDGEKEURD, OPORDE_VERZONDEN, GECORRIGEERD, SPIEGEL2_VERZONDEN,
             OPTIN, OPTOUT, INGETROKKEN, CORRECTIE_AANGEKONDIGD, CORRECTIE_INGETROKKEN, GEACCORDEERD,
             TERUGMELDING)
BESLUITEN = (OPTIN, OPTOUT, INGETROKKEN, CORRECTIE_AANGEKONDIGD)
"""The statuses a gemeente's decision sets (through an opt-in or withdrawal file): the
third opt-in choice is a correction delivery to come (seed 000 ch.7)."""
REACTIES = (GEACCORDEERD, TERUGMELDING)
"""The statuses a gemeente's response to a spiegelrapport sets (seeds 000 ch.2, 002)."""
ZONDER_BESTAND = 0
"""``aanlevering_id`` of a levering without a file: a decision on a set CBS holds no delivery of."""


@dataclass(frozen=True)
class Levering:
    id: int
    gemeentecode: str
    periode: str
    soort: str
    bestand: str
    ggk_referentie: str
    aanmaakdatum: str | None
    status: str
    actueel: bool

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Levering:
        return cls(row["id"], row["gemeentecode"], row["periode"], row["soort"], row["bestand"],
                   row["ggk_referentie"], row["aanmaakdatum"], row["status"], bool(row["actueel"]))


class Leveringen:
    """The delivery register, kept in the party's store."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock
        # a levering's figures never change once computed, and its id is never used again
        # (AUTOINCREMENT, also after a reset): every peer's figures, read once per process
        self._figures: dict[int, dict] = {}
        # per (periode, soort): the ids of its current deliveries and (gemeentecode, figures)
        self._peers: dict[tuple[str, str], tuple[tuple[int, ...], list]] = {}
        with store.transaction() as db:
            columns = {row["name"] for row in db.execute("PRAGMA table_info(leveringen)")}
            if "cijfers" not in columns:  # state from before the figures were kept
                db.execute("ALTER TABLE leveringen ADD COLUMN cijfers TEXT")

    def figures(self, levering: sqlite3.Row, bereken) -> dict:
        """The delivery's figures, computed once with ``bereken(soort, inhoud)`` and kept:
        every spiegelrapport compares with all peers, so re-reading their files each time
        would make a period quadratic in the number of gemeenten."""
        known = self._figures.get(levering["id"])
        if known is not None:
            return dict(known)
        if levering["cijfers"]:
            waarden = json.loads(levering["cijfers"])
        else:
            row = self.store.one("SELECT inhoud FROM leveringen WHERE id = ?", (levering["id"],))
            waarden = bereken(levering["soort"], bytes(row["inhoud"]))
            self.store.execute("UPDATE leveringen SET cijfers = ? WHERE id = ?",
                               (json.dumps(waarden), levering["id"]))
        self._figures[levering["id"]] = waarden
        return dict(waarden)

    def peers(self, periode: str, soort: str, bereken) -> list[tuple[str, Mapping[str, float]]]:
        """(gemeentecode, figures) of every current delivery of the set, in code order: what a
        spiegelrapport compares with. The list is kept while the set's current deliveries stay
        the same ones (ids are never used again, figures never change): a period of n
        gemeenten then reads n ids per report instead of n rows and n figures. Read only."""
        ids = tuple(row["id"] for row in self.store.query(
            "SELECT id FROM leveringen WHERE actueel = 1 AND periode = ? AND soort = ?"
            " ORDER BY gemeentecode", (periode, soort)))
        known = self._peers.get((periode, soort))
        if known is not None and known[0] == ids:
            return known[1]
        rows = self.current(periode, soort)
        for row in rows:
            self.figures(row, bereken)
        peers = [(row["gemeentecode"], MappingProxyType(self._figures[row["id"]])) for row in rows]
        self._peers[(periode, soort)] = (tuple(row["id"] for row in rows), peers)
        return peers

    def received(self, db: sqlite3.Connection, *, aanlevering_id: int, gemeentecode: str,
                 periode: str, soort: str, bestand: str, ggk_referentie: str,
                 aanmaakdatum: str | None, inhoud: bytes) -> int:
        """Register a checked file as a new levering with status ontvangen; returns its id."""
        levering_id = db.execute(
            "INSERT INTO leveringen (aanlevering_id, gemeentecode, periode, soort, bestand,"
            " ggk_referentie, aanmaakdatum, inhoud, status) VALUES (?,?,?,?,?,?,?,?,?)",
            (aanlevering_id, gemeentecode, periode, soort, bestand, ggk_referentie, aanmaakdatum,
             inhoud, ONTVANGEN)).lastrowid
        self._history(db, levering_id, ONTVANGEN, None)
        return levering_id

    def judged(self, db: sqlite3.Connection, levering_id: int, goedgekeurd: bool) -> bool:
        """Record the technical verdict; an approved, newer delivery becomes the current one.

        Returns whether this delivery is now the current one (and so gets an op-orde report).
        """
        if not goedgekeurd:
            self._set(db, levering_id, AFGEKEURD, None)
            return False
        self._set(db, levering_id, GOEDGEKEURD, None)
        row = db.execute("SELECT * FROM leveringen WHERE id = ?", (levering_id,)).fetchone()
        current = db.execute(
            "SELECT * FROM leveringen WHERE gemeentecode = ? AND periode = ? AND soort = ?"
            " AND actueel = 1 AND id != ?",
            (row["gemeentecode"], row["periode"], row["soort"], levering_id)).fetchone()
        if current is not None and not _newer(row["aanmaakdatum"], current["aanmaakdatum"]):
            db.execute("UPDATE leveringen SET opmerking = ? WHERE id = ?", (
                f"niet nieuwer dan levering {current['id']} (Aanmaakdatum bestand "
                f"{row['aanmaakdatum'] or 'onleesbaar'} tegen {current['aanmaakdatum']}): "
                "die blijft de actuele levering", levering_id))
            return False
        if current is not None:
            db.execute("UPDATE leveringen SET actueel = 0, vervangen_door = ? WHERE id = ?",
                       (levering_id, current["id"]))
            self._set(db, current["id"], GECORRIGEERD,
                      f"vervangen door levering {levering_id} ({row['bestand']})")
        db.execute("UPDATE leveringen SET actueel = 1 WHERE id = ?", (levering_id,))
        return True

    def besluit(self, db: sqlite3.Connection, *, gemeentecode: str, periode: str, soort: str,
                status: str, toelichting: str, bestand: str) -> int:
        """Record a gemeente's decision (opt-in, opt-out, ingetrokken) on a set; returns the
        levering it is recorded on: the current delivery, else the set's levering without a
        file (made on first need, named after the decision's ``bestand``)."""
        if status not in BESLUITEN + REACTIES:
            raise ValueError(f"{status!r} is geen besluit; kies uit {', '.join(BESLUITEN + REACTIES)}")
        row = db.execute(
            "SELECT id FROM leveringen WHERE gemeentecode = ? AND periode = ? AND soort = ?"
            " AND actueel = 1", (gemeentecode, periode, soort)).fetchone()
        if row is None:
            row = db.execute(
                "SELECT id FROM leveringen WHERE gemeentecode = ? AND periode = ? AND soort = ?"
                " AND aanlevering_id = ? ORDER BY id DESC", (gemeentecode, periode, soort,
                                                             ZONDER_BESTAND)).fetchone()
        if row is not None:
            levering_id = row["id"]
        else:
            levering_id = db.execute(
                "INSERT INTO leveringen (aanlevering_id, gemeentecode, periode, soort, bestand,"
                " ggk_referentie, aanmaakdatum, inhoud, status, opmerking)"
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                (ZONDER_BESTAND, gemeentecode, periode, soort, bestand, "", None, b"", status,
                 "levering zonder bestand: het CBS had geen actuele levering van deze set")).lastrowid
        self._set(db, levering_id, status, toelichting)
        return levering_id

    def correctie(self, db: sqlite3.Connection, gemeentecode: str, periode: str,
                  soort: str) -> sqlite3.Row | None:
        """The current delivery of this set when it is a correction (it replaced another), else None."""
        return db.execute(
            "SELECT * FROM leveringen l WHERE gemeentecode = ? AND periode = ? AND soort = ? AND actueel = 1"
            " AND EXISTS (SELECT 1 FROM leveringen v WHERE v.vervangen_door = l.id)",
            (gemeentecode, periode, soort)).fetchone()

    def intrek_correctie(self, db: sqlite3.Connection, *, gemeentecode: str, periode: str, soort: str,
                         toelichting: str) -> int:
        """Withdraw only the correction (seed 004): the delivery it replaced is current again,
        with the status it had before; returns the withdrawn correction's id."""
        correctie = self.correctie(db, gemeentecode, periode, soort)
        if correctie is None:
            raise ValueError(f"geen correctielevering van {soort} voor {periode} om in te trekken")
        vorige = db.execute("SELECT * FROM leveringen WHERE vervangen_door = ? ORDER BY id DESC",
                            (correctie["id"],)).fetchone()
        db.execute("UPDATE leveringen SET actueel = 0 WHERE id = ?", (correctie["id"],))
        self._set(db, correctie["id"], CORRECTIE_INGETROKKEN, toelichting)
        eerder = db.execute("SELECT status FROM statussen WHERE levering_id = ? AND status != ?"
                            " ORDER BY id DESC", (vorige["id"], GECORRIGEERD)).fetchone()
        db.execute("UPDATE leveringen SET actueel = 1, vervangen_door = NULL WHERE id = ?", (vorige["id"],))
        self._set(db, vorige["id"], eerder["status"] if eerder else GOEDGEKEURD,
                  f"weer de actuele levering: correctielevering {correctie['id']} ({correctie['bestand']}) "
                  "ingetrokken")
        return correctie["id"]

    def reached(self, levering_id: int, status: str) -> bool:
        """Whether the delivery ever had ``status`` (a later decision may have replaced it)."""
        return self.store.one("SELECT 1 FROM statussen WHERE levering_id = ? AND status = ?",
                              (levering_id, status)) is not None

    def set_status(self, db: sqlite3.Connection, levering_id: int, status: str,
                   toelichting: str | None = None) -> None:
        """A new status for a levering (e.g. a report sent), kept in its history."""
        self._set(db, levering_id, status, toelichting)

    def get(self, levering_id: int) -> sqlite3.Row | None:
        return self.store.one("SELECT * FROM leveringen WHERE id = ?", (levering_id,))

    def current(self, periode: str, soort: str | None = None) -> list[sqlite3.Row]:
        """The current deliveries of a period (without their file: ``figures`` reads it when needed)."""
        sql = ("SELECT id, aanlevering_id, gemeentecode, periode, soort, bestand, ggk_referentie,"
               " aanmaakdatum, status, actueel, cijfers FROM leveringen WHERE actueel = 1 AND periode = ?")
        params = [periode]
        if soort:
            sql += " AND soort = ?"
            params.append(soort)
        return self.store.query(sql + " ORDER BY gemeentecode, soort", tuple(params))

    def overview(self, gemeentecode: str | None = None, periode: str | None = None,
                 soort: str | None = None) -> list[dict]:
        """Every delivery matching the filters, newest first, with its status history."""
        sql, params = "SELECT * FROM leveringen WHERE 1 = 1", []
        for column, value in (("gemeentecode", gemeentecode), ("periode", periode), ("soort", soort)):
            if value:
                sql += f" AND {column} = ?"
                params.append(value)
        result = []
        for row in self.store.query(sql + " ORDER BY id DESC", tuple(params)):
            history = self.store.query("SELECT status, tijdstip, toelichting FROM statussen"
                                       " WHERE levering_id = ? ORDER BY id", (row["id"],))
            besluiten = [h["status"] for h in history if h["status"] in BESLUITEN]
            result.append({
                "id": row["id"], "gemeentecode": row["gemeentecode"], "periode": row["periode"],
                "soort": row["soort"], "bestand": row["bestand"],
                "ggk_referentie": row["ggk_referentie"], "aanmaakdatum": row["aanmaakdatum"],
                "status": row["status"], "actueel": bool(row["actueel"]),
                "vervangen_door": row["vervangen_door"], "opmerking": row["opmerking"],
                "zonder_bestand": row["aanlevering_id"] == ZONDER_BESTAND,
                "besluit": besluiten[-1] if besluiten else None,  # stays when a report follows
                "historie": [dict(h) for h in history],
            })
        return result

    def _set(self, db: sqlite3.Connection, levering_id: int, status: str, toelichting: str | None) -> None:
        db.execute("UPDATE leveringen SET status = ? WHERE id = ?", (status, levering_id))
        self._history(db, levering_id, status, toelichting)

    def _history(self, db: sqlite3.Connection, levering_id: int, status: str,
                 toelichting: str | None) -> None:
        db.execute("INSERT INTO statussen (levering_id, status, tijdstip, toelichting) VALUES (?,?,?,?)",
                   (levering_id, status, self.clock.now().isoformat(), toelichting))


def _newer(candidate: str | None, current: str | None) -> bool:
    """Whether Aanmaakdatum ``candidate`` is later than ``current`` (an unreadable one never is)."""
    if not candidate:
        return False
    return not current or candidate > current
