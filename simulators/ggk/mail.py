"""The GGk's users and e-mail notifications (seeds 003, 004): each user has a personal
address; the GGk mails when a report is ready, when a delivery period opens, a few
working days before a deadline (the delivery's, the opt-in's and the end of the withdrawal
window), and when the opt-in form opens.

Mails go to an outbox table (``mails``), readable at ``GET /api/v1/mails``: nothing is
really sent. :class:`Mail` is given the store, clock, tasks and the GGk's timeline; the
download area tells it when a report is ready, an upload registers its uploader.

Scheduling: when a timeline is loaded, one task per moment (09:00 on the day) is
planned with ``niet_voor``; a new timeline replaces the open ones. Who gets a mail is
decided when the task runs, so a user registered after the timeline still gets it. A
mail has a ``sleutel`` (what it is about), and no address gets the same one twice, so a
task that is retried or a timeline loaded again never mails anyone twice.

Where it differs from the real GGk: no mail leaves the simulator, and the GGk does not
check whether an address is shared (seed 004 asks for personal ones).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from ..clock import AMSTERDAM, Clock
from ..kalender import Werkdagkalender
from ..store import Store
from ..tasks import Tasks
from ..tijdlijn import Tijdlijn
from .common import EMAIL, GebruikerRefused, dag, periode_tekst
from .downloads import has_oporde

SCHEMA = """
CREATE TABLE IF NOT EXISTS gebruikers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    gemeentecode TEXT NOT NULL,
    email TEXT NOT NULL COLLATE NOCASE,        -- personal address, unique per gemeente
    naam TEXT,
    telefoon TEXT,
    geregistreerd TEXT NOT NULL,
    bron TEXT NOT NULL,                        -- aangemeld, upload
    UNIQUE (gemeentecode, email)
);
CREATE TABLE IF NOT EXISTS mails (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    aan TEXT NOT NULL COLLATE NOCASE,
    gemeentecode TEXT,
    soort TEXT NOT NULL,                       -- rapport_klaar, levering_open, herinnering(_optin,
                                               -- _intrekken), optin_verzoek
    onderwerp TEXT NOT NULL,
    tekst TEXT NOT NULL,
    tijdstip TEXT NOT NULL,
    sleutel TEXT NOT NULL,                     -- what it is about; one mail per address and sleutel
    UNIQUE (aan, sleutel)
);
CREATE INDEX IF NOT EXISTS mails_aan ON mails (aan);
"""

TAAK = "mail_gepland"
"""The task soort of every scheduled mail (replaced as a whole when a timeline is loaded)."""
UUR = time(9, 0)
GROET = "\n\nMet vriendelijke groet,\nGGk — Stichting Inlichtingenbureau"


def werkdagen_voor(kalender: Werkdagkalender, datum: date, aantal: int) -> date:
    """The working day ``aantal`` working days before ``datum`` (``datum`` itself not counted)."""
    while aantal > 0:
        datum -= timedelta(days=1)
        if kalender.is_werkdag(datum):
            aantal -= 1
    return datum


def herinnering_werkdagen(waarde: Any) -> int:
    """The option ``herinnering_werkdagen`` (default 3), checked at start."""
    if isinstance(waarde, bool) or not isinstance(waarde, int | str) or not str(waarde).isdigit():
        raise ValueError(f"herinnering_werkdagen is een aantal werkdagen (0 of meer), niet {waarde!r}")
    return int(waarde)


def planning(tijdlijn: Tijdlijn, werkdagen: int) -> dict[tuple[str, date, str], list[str]]:
    """(soort, day, deadline or '') -> the periods a mail on that day is about."""
    plan: dict[tuple[str, date, str], list[str]] = defaultdict(list)
    kalender = tijdlijn.kalender
    for periode in tijdlijn.perioden:
        if periode.levering_open:
            plan[("levering_open", periode.levering_open, "")].append(periode.code)
        deadlines = {periode.tussentijdse_deadline, periode.levering_sluit, periode.correctie_deadline}
        for deadline in sorted(d for d in deadlines if d):
            dag_ = werkdagen_voor(kalender, deadline, werkdagen)
            plan[("herinnering", dag_, deadline.isoformat())].append(periode.code)
        if periode.optin_open:
            plan[("optin_verzoek", periode.optin_open, "")].append(periode.code)
        # seed 003: reminders for the toestemmingen too, before the opt-in deadline and before
        # the withdrawal window closes
        if periode.optin_deadline:
            dag_ = werkdagen_voor(kalender, periode.optin_deadline, werkdagen)
            plan[("herinnering_optin", dag_, periode.optin_deadline.isoformat())].append(periode.code)
        if periode.intrekken_sluit:
            dag_ = werkdagen_voor(kalender, periode.intrekken_sluit, werkdagen)
            plan[("herinnering_intrekken", dag_, periode.intrekken_sluit.isoformat())].append(periode.code)
    return plan


class Mail:
    """Users, the mail outbox and scheduled notifications of the GGk."""

    def __init__(self, *, store: Store, clock: Clock, tasks: Tasks, gemeenten: Mapping[str, str],
                 tijdlijn: Callable[[], Tijdlijn | None], herinnering: Any = 3) -> None:
        self.store, self.clock, self.tasks, self.gemeenten = store, clock, tasks, gemeenten
        self.tijdlijn = tijdlijn
        self.herinnering_werkdagen = herinnering_werkdagen(herinnering)  # checked at start

    # ------------------------------------------------------------------ users

    def register_gebruiker(self, gemeentecode: str, body: Any) -> dict:
        """Register a user with a personal address; the address is unique per gemeente."""
        if gemeentecode not in self.gemeenten:
            raise GebruikerRefused(f"gemeentecode '{gemeentecode}' is onbekend; gebruik de "
                                   "viercijferige CBS-code, bijvoorbeeld 0363", 404)
        if not isinstance(body, dict):
            raise GebruikerRefused("stuur een JSON-object met email, naam en telefoon")
        email, naam, telefoon = (body.get(k) for k in ("email", "naam", "telefoon"))
        if not isinstance(email, str) or not EMAIL.fullmatch(email.strip()):
            raise GebruikerRefused(f"'{email}' is geen geldig e-mailadres; geef het persoonlijke "
                                   "adres van de medewerker, bijvoorbeeld henk@amsterdam.nl", 422)
        for veld, waarde in (("naam", naam), ("telefoon", telefoon)):
            if waarde is not None and not isinstance(waarde, str):
                raise GebruikerRefused(f"{veld} is tekst")
        email = email.strip()
        try:
            self.store.execute(
                "INSERT INTO gebruikers (gemeentecode, email, naam, telefoon, geregistreerd, bron)"
                " VALUES (?,?,?,?,?,'aangemeld')",
                (gemeentecode, email, (naam or "").strip() or None, (telefoon or "").strip() or None,
                 self.clock.now().isoformat()))
        except sqlite3.IntegrityError:
            raise GebruikerRefused(f"{email} is al geregistreerd bij gemeente {gemeentecode}; "
                                   "elk adres één keer per gemeente", 409) from None
        return self._gebruiker(gemeentecode, email)

    def gebruikers(self, gemeentecode: str | None) -> list[dict]:
        """The users of one gemeente (None: of every gemeente), in order of registration."""
        sql = "SELECT gemeentecode, email, naam, telefoon, geregistreerd, bron FROM gebruikers"
        rows = (self.store.query(sql + " ORDER BY id") if gemeentecode is None else
                self.store.query(sql + " WHERE gemeentecode = ? ORDER BY id", (gemeentecode,)))
        return [dict(r) for r in rows]

    def _gebruiker(self, gemeentecode: str, email: str) -> dict:
        row = self.store.one("SELECT gemeentecode, email, naam, telefoon, geregistreerd, bron"
                             " FROM gebruikers WHERE gemeentecode = ? AND email = ?", (gemeentecode, email))
        return dict(row)

    def register_uploader(self, db: sqlite3.Connection, gemeentecode: str, gebruiker: str) -> None:
        """A user who uploads is registered by the address they upload with (if it is one)."""
        if EMAIL.fullmatch(gebruiker.strip()):
            db.execute("INSERT OR IGNORE INTO gebruikers (gemeentecode, email, geregistreerd, bron)"
                       " VALUES (?,?,?,'upload')", (gemeentecode, gebruiker.strip(),
                                                    self.clock.now().isoformat()))

    # ------------------------------------------------------------------ mails

    def mails(self, aan: str | None = None) -> list[dict]:
        sql = "SELECT id, aan, gemeentecode, soort, onderwerp, tekst, tijdstip FROM mails"
        rows = (self.store.query(sql + " WHERE aan = ? ORDER BY id", (aan.strip(),)) if aan
                else self.store.query(sql + " ORDER BY id"))
        return [dict(r) for r in rows]

    def _mail(self, db: sqlite3.Connection, gebruiker: sqlite3.Row, soort: str, onderwerp: str,
              tekst: str, sleutel: str) -> None:
        aanhef = f"Beste {gebruiker['naam']}," if gebruiker["naam"] else "Beste medewerker,"
        db.execute("INSERT OR IGNORE INTO mails (aan, gemeentecode, soort, onderwerp, tekst, tijdstip,"
                   " sleutel) VALUES (?,?,?,?,?,?,?)",
                   (gebruiker["email"], gebruiker["gemeentecode"], soort, onderwerp,
                    f"{aanhef}\n\n{tekst}{GROET}", self.clock.now().isoformat(), sleutel))

    def _users_of(self, db: sqlite3.Connection, codes: list[str] | None) -> list[sqlite3.Row]:
        """Users of these gemeenten (None: of every gemeente)."""
        if codes is None:
            return db.execute("SELECT * FROM gebruikers ORDER BY gemeentecode, id").fetchall()
        return db.execute(f"SELECT * FROM gebruikers WHERE gemeentecode IN ({', '.join('?' * len(codes))})"
                          " ORDER BY gemeentecode, id", tuple(codes)).fetchall()

    def report_ready(self, download: Mapping) -> None:
        """Every user of the gemeente hears that a file is in its download area."""
        code = download["gemeentecode"]
        wat = "foutrapport" if download["soort"] == "foutrapport" else "rapport"
        with self.store.transaction() as db:
            for user in self._users_of(db, [code]):
                self._mail(db, user, "rapport_klaar", f"Er staat een {wat} voor u klaar in het GGk",
                           f"In het downloadgebied van gemeente {self.gemeenten.get(code, code)} ({code}) "
                           f"staat een {wat} voor u klaar: {download['bestandsnaam']}.",
                           f"download:{download['id']}")

    # ------------------------------------------------------- scheduled mails

    def plan(self, tijdlijn: Tijdlijn, db: sqlite3.Connection) -> None:
        """Plan the timeline's mails; the open ones of an earlier timeline are dropped."""
        db.execute("DELETE FROM taken WHERE soort = ? AND status = 'open'", (TAAK,))
        vandaag = self.clock.peek().date()
        plan = planning(tijdlijn, self.herinnering_werkdagen)
        for (soort, dag_, deadline), perioden in sorted(plan.items()):
            if dag_ < vandaag:  # past moments are not mailed after the fact
                continue
            self.tasks.add(TAAK, {"soort": soort, "dag": dag_.isoformat(), "deadline": deadline,
                                  "perioden": perioden}, db,
                           niet_voor=datetime.combine(dag_, UUR, tzinfo=AMSTERDAM))

    def send_scheduled(self, data: dict) -> None:
        """The task of one planned moment: mail whoever it concerns now."""
        soort, perioden = data["soort"], data["perioden"]
        sleutel = f"{soort}:{data['dag']}:{data['deadline']}:{'+'.join(perioden)}"
        wanneer = ", ".join(periode_tekst(p) for p in perioden)
        tijdlijn = self.tijdlijn()
        with self.store.transaction() as db:
            if soort == "optin_verzoek":
                self._mail_optin_verzoek(db, tijdlijn, perioden, sleutel)
                return
            if soort == "herinnering_optin":
                self._mail_optin_herinnering(db, perioden, data["deadline"], sleutel)
                return
            codes = list(tijdlijn.gemeenten) if tijdlijn and tijdlijn.gemeenten else None
            if soort == "levering_open":
                onderwerp = f"De aanlevering over {wanneer} is geopend"
                tekst = (f"Vanaf vandaag kunt u via het GGk de gegevens voor de monitor sociaal domein "
                         f"over {wanneer} aanleveren.")
            elif soort == "herinnering_intrekken":
                deadline = dag(date.fromisoformat(data["deadline"]))
                onderwerp = f"Herinnering: intrekken kan tot en met {deadline}"
                tekst = (f"Wilt u uw levering over {wanneer} intrekken? Dat kan via het GGk-portaal tot en "
                         f"met {deadline}; daarna niet meer.")
            else:
                deadline = dag(date.fromisoformat(data["deadline"]))
                onderwerp = f"Herinnering: lever uiterlijk {deadline} aan"
                tekst = (f"Over {self.herinnering_werkdagen} werkdagen, op {deadline}, sluit een termijn "
                         f"voor de aanlevering over {wanneer}. Lever uw bestanden, of uw correctie, "
                         "op tijd aan via het GGk.")
            for user in self._users_of(db, codes):
                self._mail(db, user, soort, onderwerp, tekst, sleutel)

    def _mail_optin_herinnering(self, db, perioden: list[str], deadline: str, sleutel: str) -> None:
        """Before the opt-in deadline: users of a gemeente that has its op-orde rapport and has
        not yet decided for the period."""
        tot = dag(date.fromisoformat(deadline))
        for periode in perioden:
            codes = [c for c in {u["gemeentecode"] for u in self._users_of(db, None)}
                     if has_oporde(db, c, periode) and not _has_decided(db, c, periode)]
            for user in self._users_of(db, codes):
                naam = periode_tekst(periode)
                self._mail(db, user, "herinnering_optin",
                           f"Herinnering: geef uiterlijk {tot} uw opt-in of opt-out voor {naam}",
                           f"Het CBS heeft van uw gemeente nog geen opt-in of opt-out voor "
                           f"{periode_tekst(periode)}. Het formulier sluit na {tot}.", f"{sleutel}:{periode}")

    def _mail_optin_verzoek(self, db, tijdlijn: Tijdlijn | None, perioden: list[str], sleutel: str) -> None:
        """Only users of a gemeente that has an op-orde rapport for the period (seed 003)."""
        for periode in perioden:
            found = tijdlijn.periode(periode) if tijdlijn else None
            tot = f" tot en met {dag(found.optin_deadline)}" if found and found.optin_deadline else ""
            codes = [c for c in {u["gemeentecode"] for u in self._users_of(db, None)}
                     if has_oporde(db, c, periode)]
            for user in self._users_of(db, codes):
                self._mail(db, user, "optin_verzoek",
                           f"Geef uw opt-in of opt-out voor {periode_tekst(periode)}",
                           f"Het opt-in-formulier voor {periode_tekst(periode)} staat open{tot}. Geef per "
                           "set (Wmo, Jeugd, SBO) aan of het CBS de cijfers mag publiceren (opt-in) of "
                           "niet (opt-out).", f"{sleutel}:{periode}")


def _has_decided(db: sqlite3.Connection, gemeentecode: str, periode: str) -> bool:
    """Whether the gemeente submitted an opt-in/opt-out for the period that was not refused."""
    return db.execute("SELECT 1 FROM optins WHERE gemeentecode = ? AND periode = ? AND soort = 'optin'"
                      " AND status != 'geweigerd' LIMIT 1", (gemeentecode, periode)).fetchone() is not None
