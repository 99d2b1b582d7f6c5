"""Opt-in, opt-out and withdrawal (*intrekken*) at the GGk: the contract in docs/optin.md.

A gemeente's employee submits its decisions per set (WMO, JEUGD, SBO) for one period, or
withdraws the delivery of a period. The GGk checks the rules (the window in the
timeline, the op-orde rapport, the right to withdraw), writes all decisions of one
submission into one CSV, gives it a GGk reference like an upload's, keeps it, and sends
it to RINIS as one Di01 (functie ``GMSD-OPTIN`` or ``GMSD-INTREKKING``, no metadata
record: the CSV says who and when). A refusal by RINIS becomes a Fo01 in the gemeente's
download area, as for an upload.

:class:`OptinDesk` is given the store, clock, journal, tasks and timeline, the partnerships
(who delegated), the download area (the op-orde rapport, a refusal), the link with RINIS
and the portal's audit log (a refusal that comes later is written there). The journal's
correlatie for these messages is the CSV's name, as RINIS and CBS use it (no GGk reference
travels with the file).

Each submission is signed (docs/ondertekening.md): the GGk makes an *ondertekend besluit*
naming the CSV and its SHA-256, signs it with the certificate of the person who decided
(issued by the harness's test CA, ``simulators.pki``; the key is the person's, derived
for the simulation), and sends ``<stem>.zip`` with the CSV and the signed XML. The Di01
carries that ZIP; the name, address and telephone number stay in every row.

Where it differs from the real GGk: the JSON web service stands beside the portal's web
form (``portaal/``), and the GGk holds the signing key for the person instead of the
person's own device.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass
from typing import Any

from .. import pki, stuf
from ..auditlog import Auditlog
from ..clock import Clock
from ..gmsd import ondertekening, periodes, rapportnaam
from ..gmsd.periodes import PERIODE
from ..store import Entry, Journal, Store
from ..tasks import Tasks
from ..tijdlijn import Tijdlijn
from . import messages
from .common import EMAIL, IntrekkingRefused, OptinRefused, dag, periode_tekst
from .downloads import DownloadArea, has_oporde
from .referenties import next_referentie
from .rinis_link import RinisLink
from .samenwerking import Samenwerkingsverbanden

SCHEMA = """
CREATE TABLE IF NOT EXISTS optins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    referentie TEXT NOT NULL UNIQUE,           -- GGk reference yyyymmdd-hhmmss-nnn
    referentienummer TEXT NOT NULL UNIQUE,     -- of the Di01 that carries the CSV
    soort TEXT NOT NULL,                       -- optin, intrekking, reactie
    gemeentecode TEXT NOT NULL,
    periode TEXT NOT NULL,
    besluiten TEXT NOT NULL,                   -- JSON {set: conclusie}, in CSV order
    gebruiker TEXT NOT NULL,
    naam TEXT NOT NULL,
    telefoon TEXT NOT NULL,
    bestandsnaam TEXT NOT NULL,
    inhoud BLOB NOT NULL,                      -- the CSV as decided
    tijdstip TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'ontvangen',  -- ontvangen, doorgestuurd, geweigerd
    melding TEXT
);
CREATE TABLE IF NOT EXISTS optin_ondertekend (
    optin_id INTEGER PRIMARY KEY,             -- optins.id
    besluit_id TEXT NOT NULL UNIQUE,          -- the Id of the signed decision
    ondertekenaar TEXT NOT NULL,
    zip BLOB NOT NULL                         -- what travels: the CSV and the signed decision
);
"""

SETS = ("WMO", "JEUGD", "SBO")
BESLUITEN = ("opt-in", "opt-out", "correctielevering")
"""Per set: publication allowed, not allowed, or a correction delivery to come first (the third
choice of seed 000 ch.7)."""
INGETROKKEN = "ingetrokken"
CORRECTIE_INGETROKKEN = "correctie ingetrokken"
REACTIES = ("akkoord", "terugmelding")
"""A gemeente's response to a spiegelrapport (seeds 000 ch.2, 002): it agrees (accordering) or
answers with a terugmelding, which says why."""
SPIEGELRAPPORTEN = ("OPORDE", "SPIEGEL2")
KOLOMMEN = ("Naam organisatie", "verslagperiode", "naam verzoek", "conclusie", "datumconclusie",
            "naam van gebruiker", "emailadres", "telefoonnummer")
FUNCTIE = {"optin": "GMSD-OPTIN", "intrekking": "GMSD-INTREKKING", "reactie": "GMSD-REACTIE"}
PREFIX = {"optin": "OPTIN", "intrekking": "INTREKKING", "reactie": "REACTIE"}
KOLOMMEN_REACTIE = (*KOLOMMEN, "rapport", "toelichting")
TAAK = "optin_versturen"
"""The task soort of sending one submission to RINIS."""


@dataclass(frozen=True)
class OptinResult:
    referentie: str
    bestandsnaam: str


def csv_bytes(organisatie: str, periode: str, besluiten: dict[str, str], datum: str,
              naam: str, email: str, telefoon: str) -> bytes:
    """The CSV of docs/optin.md: UTF-8, ``;``, CRLF after every line, a header, one row per set."""
    rows = [KOLOMMEN] + [(organisatie, periode, s, c, datum, naam, email, telefoon)
                         for s, c in besluiten.items()]
    return "".join(";".join(row) + "\r\n" for row in rows).encode("utf-8")


def reactie_csv_bytes(organisatie: str, periode: str, soort: str, conclusie: str, datum: str,
                      wie: tuple[str, str, str], rapport: str, toelichting: str) -> bytes:
    """The CSV of a response to a spiegelrapport: the opt-in columns, then the report and the text."""
    gebruiker, naam, telefoon = wie
    rows = [KOLOMMEN_REACTIE, (organisatie, periode, soort, conclusie, datum, naam, gebruiker, telefoon,
                               rapport, toelichting)]
    return "".join(";".join(row) + "\r\n" for row in rows).encode("utf-8")


class OptinDesk:
    """Takes opt-ins, opt-outs and withdrawals, signs them and sends them to RINIS."""

    def __init__(self, *, store: Store, clock: Clock, journal: Journal, tasks: Tasks,
                 gemeenten: Mapping[str, str], tijdlijn: Callable[[], Tijdlijn | None],
                 defecten: Container[str], verbanden: Samenwerkingsverbanden,
                 download_area: DownloadArea, rinis: RinisLink, audit: Auditlog) -> None:
        self.store, self.clock, self.journal, self.tasks = store, clock, journal, tasks
        self.gemeenten, self.tijdlijn, self.defecten = gemeenten, tijdlijn, defecten
        self.verbanden, self.download_area, self.rinis, self.audit = verbanden, download_area, rinis, audit

    def optin(self, gemeentecode: str, body: Any) -> OptinResult:
        """Accept one opt-in/opt-out form: one or more sets, each ``opt-in`` or ``opt-out``."""
        wie, periode = self._submission(gemeentecode, body, OptinRefused)
        besluiten = body.get("besluiten")
        if not isinstance(besluiten, dict) or not besluiten:
            raise OptinRefused("geef in 'besluiten' per set (WMO, JEUGD, SBO) een opt-in of opt-out", 422)
        onbekend = [s for s in besluiten if s not in SETS]
        if onbekend:
            raise OptinRefused(f"onbekende set {', '.join(map(str, onbekend))}: een besluit geldt voor "
                               "WMO, JEUGD of SBO", 422)
        for s, besluit in besluiten.items():
            if besluit not in BESLUITEN:
                raise OptinRefused(f"{s}: '{besluit}' is geen besluit; kies opt-in, opt-out of "
                                   "correctielevering (een opt-in geldt voor de hele set, gedeeltelijk kan "
                                   "niet)", 422)
        self._period_open(periode, "optin", OptinRefused)
        with self.store.transaction() as db:
            if not has_oporde(db, gemeentecode, periode):
                raise OptinRefused(f"gemeente {gemeentecode} heeft voor {periode_tekst(periode)} geen "
                                   "op-orde rapport in het downloadgebied; de opt-in kan pas daarna", 422)
            return self._store_submission(db, "optin", gemeentecode, periode, wie,
                                          {s: besluiten[s] for s in SETS if s in besluiten}, body)

    def intrekken(self, gemeentecode: str, body: Any) -> OptinResult:
        """Accept a withdrawal of one or more sets of one period."""
        wie, periode = self._submission(gemeentecode, body, IntrekkingRefused)
        verband = self.verbanden.delegated(gemeentecode)
        if verband is not None:
            raise IntrekkingRefused(
                f"gemeente {gemeentecode} heeft haar levering gedelegeerd aan {verband.uitvoerder} "
                f"(samenwerkingsverband {verband.naam}) en kan niet via het GGk intrekken; gebruik het "
                "formulier van het CBS", 403)
        soorten = body.get("soorten")
        if not isinstance(soorten, list) or not soorten:
            raise IntrekkingRefused("geef in 'soorten' de sets die u intrekt: WMO, JEUGD en/of SBO", 422)
        onbekend = [s for s in soorten if s not in SETS]
        if onbekend or len(set(soorten)) != len(soorten):
            raise IntrekkingRefused(f"'soorten' noemt elk van WMO, JEUGD en SBO hooguit één keer, niet "
                                    f"{soorten}", 422)
        alleen_correctie = body.get("alleen_correctie", False)
        if not isinstance(alleen_correctie, bool):
            raise IntrekkingRefused("'alleen_correctie' is true (trek alleen de correctielevering in) "
                                    "of false")
        self._period_open(periode, "intrekking", IntrekkingRefused)
        conclusie = CORRECTIE_INGETROKKEN if alleen_correctie else INGETROKKEN
        with self.store.transaction() as db:
            return self._store_submission(db, "intrekking", gemeentecode, periode, wie,
                                          {s: conclusie for s in SETS if s in soorten}, body)

    def reactie(self, gemeentecode: str, body: Any) -> OptinResult:
        """A response to a spiegelrapport in the gemeente's download area: ``akkoord`` or a
        ``terugmelding`` with a ``toelichting``. The set is the one of the delivery the report
        answers; it goes to CBS like an opt-in (one signed CSV via RINIS)."""
        if isinstance(body, dict) and "periode" not in body:
            gevonden = rapportnaam.parse(str(body.get("rapport", "")).removesuffix(".zip") + ".pdf")
            body = body | {"periode": gevonden.periode if gevonden else ""}
        wie, periode = self._submission(gemeentecode, body, OptinRefused)
        rapport, conclusie = body.get("rapport"), body.get("conclusie")
        toelichting = body.get("toelichting") or ""
        if conclusie not in REACTIES:
            raise OptinRefused(f"'conclusie' is akkoord of terugmelding, niet {conclusie!r}", 422)
        if not isinstance(toelichting, str) or any(c in toelichting for c in ";\r\n"):
            raise OptinRefused("de toelichting is tekst zonder puntkomma of regeleinde", 422)
        if conclusie == "terugmelding" and not toelichting.strip():
            raise OptinRefused("een terugmelding zegt wat er niet klopt: vul de toelichting in", 422)
        with self.store.transaction() as db:
            row = db.execute("SELECT d.bestandsnaam, r.bestand FROM downloads d LEFT JOIN referenties r"
                             " ON r.referentie = d.correlatie WHERE d.gemeentecode = ?"
                             " AND d.soort = 'rapport' AND d.bestandsnaam = ?",
                             (gemeentecode, rapport)).fetchone()
            naam = rapportnaam.parse(str(rapport).removesuffix(".zip") + ".pdf")
            if row is None or naam is None or naam.soort not in SPIEGELRAPPORTEN:
                raise OptinRefused(f"'{rapport}' is geen spiegelrapport in het downloadgebied van gemeente "
                                   f"{gemeentecode}", 422)
            soort = (row["bestand"] or "").split("_", 1)[0].upper()
            if soort not in SETS:
                raise OptinRefused(f"bij '{rapport}' hoort geen aanlevering van Wmo, Jeugd of SBO", 422)
            inhoud = reactie_csv_bytes(self.gemeenten[gemeentecode], periode, soort, conclusie,
                                       f"{self.clock.now():%Y%m%d}", wie, rapport, toelichting.strip())
            return self._store_submission(db, "reactie", gemeentecode, periode, wie, {soort: conclusie}, body,
                                          inhoud=inhoud)

    def optins(self, gemeentecode: str) -> list[dict]:
        """The gemeente's submissions, oldest first, with what became of them."""
        rows = self.store.query(
            "SELECT referentie, soort, periode, besluiten, gebruiker, naam, telefoon, bestandsnaam,"
            " tijdstip, status, melding FROM optins WHERE gemeentecode = ? ORDER BY id", (gemeentecode,))
        return [dict(r) | {"besluiten": json.loads(r["besluiten"])} for r in rows]

    def window_closed(self, periode: str, soort: str) -> str:
        """Why the window of ``soort`` (optin, intrekking) for this period is closed now
        ('' when it is open): the reason a submission would be refused with."""
        try:
            self._period_open(periode, soort, OptinRefused)
        except OptinRefused as exc:
            return str(exc)
        return ""

    def has_oporde(self, gemeentecode: str, periode: str) -> bool:
        """Whether the gemeente has the op-orde rapport an opt-in for this period waits for."""
        with self.store.transaction() as db:
            return has_oporde(db, gemeentecode, periode)

    # ------------------------------------------------------------------ rules

    def _submission(self, gemeentecode: str, body: Any,
                    refused: type[OptinRefused]) -> tuple[tuple[str, str, str], str]:
        """(gebruiker, naam, telefoon) and the period of a submission, checked."""
        if gemeentecode not in self.gemeenten:
            raise refused(f"gemeentecode '{gemeentecode}' is onbekend; gebruik de viercijferige "
                          "CBS-code, bijvoorbeeld 0363")
        if not isinstance(body, dict):
            raise refused("stuur een JSON-object met gebruiker, naam, telefoon en periode")
        wie = []
        for veld, omschrijving in (("gebruiker", "het persoonlijke e-mailadres van de medewerker"),
                                   ("naam", "de naam van de medewerker"),
                                   ("telefoon", "het telefoonnummer van de medewerker")):
            waarde = body.get(veld)
            if not isinstance(waarde, str) or not waarde.strip():
                raise refused(f"geef in '{veld}' {omschrijving}: het CBS moet weten wie besloot")
            if any(c in waarde for c in ";\r\n"):
                raise refused(f"'{veld}' mag geen puntkomma of regeleinde bevatten", 422)
            wie.append(waarde.strip())
        if not EMAIL.fullmatch(wie[0]):
            raise refused(f"'{wie[0]}' is geen geldig e-mailadres; geef het persoonlijke adres van de "
                          "medewerker", 422)
        periode = body.get("periode")
        if not isinstance(periode, str) or not PERIODE.fullmatch(periode):
            raise refused(f"'periode' is een code uitvraag als H12016, niet {periode!r}")
        return tuple(wie), periode

    def _period_open(self, periode: str, soort: str, refused: type[OptinRefused]) -> None:
        """Only the current or previous period, and within its window (dates inclusive)."""
        today = self.clock.now().date()
        wat = "de opt-in" if soort == "optin" else "het intrekken"
        tijdlijn = self.tijdlijn()
        if tijdlijn is None:  # no timeline: always open, for the current and previous period
            toegestaan = periodes.deliverable(today)
            if periode not in toegestaan:
                raise refused(f"{wat} kan alleen voor de huidige of de vorige periode: "
                              f"{' of '.join(toegestaan)}, niet {periode}", 422)
            return
        found = tijdlijn.periode(periode)
        if found is None:
            raise refused(f"{wat} voor verslagperiode {periode} kan nu niet; wel voor "
                          f"{', '.join(p.code for p in tijdlijn.perioden)}", 422)
        van, tot = ((found.optin_open, found.optin_deadline) if soort == "optin"
                    else (found.intrekken_open, found.intrekken_sluit))
        naam = periode_tekst(periode)
        if van and today < van:
            raise refused(f"het opt-in-formulier voor {naam} gaat open op {dag(van)}" if soort == "optin"
                          else f"intrekken van de levering over {naam} kan pas vanaf {dag(van)}", 422)
        if tot and today > tot:
            raise refused((f"het opt-in-formulier voor {naam} is gesloten" if soort == "optin" else
                           f"intrekken van de levering over {naam} kan niet meer")
                          + f": {dag(tot)} was de laatste dag", 422)

    def _store_submission(self, db: sqlite3.Connection, soort: str, gemeentecode: str, periode: str,
                          wie: tuple[str, str, str], besluiten: dict[str, str], body: dict,
                          inhoud: bytes | None = None) -> OptinResult:
        gebruiker, naam, telefoon = wie
        moment = self.clock.now()
        csv_naam = f"{PREFIX[soort]}_{periode}_{gemeentecode}_{moment:%Y%m%d%H%M%S}.csv"
        if inhoud is None:
            inhoud = csv_bytes(self.gemeenten[gemeentecode], periode, besluiten, f"{moment:%Y%m%d}",
                               naam, gebruiker, telefoon)
        besluit = ondertekening.besluit_voor(csv_naam, inhoud, gebruiker, moment)
        xml = None
        if "optin-niet-ondertekenen" not in self.defecten:
            xml = ondertekening.onderteken(besluit, pki.persoon(gebruiker, naam, gemeentecode,
                                                                self.gemeenten[gemeentecode]))
        bestandsnaam = ondertekening.zipnaam(csv_naam)
        referentie = next_referentie(db, moment)
        optin_id = db.execute(
            "INSERT INTO optins (referentie, referentienummer, soort, gemeentecode, periode, besluiten,"
            " gebruiker, naam, telefoon, bestandsnaam, inhoud, tijdstip) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (referentie, stuf.new_referentienummer(), soort, gemeentecode, periode,
             json.dumps(besluiten), gebruiker, naam, telefoon, bestandsnaam, inhoud,
             moment.isoformat())).lastrowid
        db.execute("INSERT INTO optin_ondertekend VALUES (?,?,?,?)",
                   (optin_id, besluit.id, gebruiker, ondertekening.verpak(csv_naam, inhoud, xml)))
        self.journal.record(Entry("in", "gemeente", soort, json.dumps(body, ensure_ascii=False).encode(),
                                  "application/json", bestandsnaam=bestandsnaam, correlatie=bestandsnaam), db)
        self.tasks.add(TAAK, {"optin_id": optin_id}, db)
        return OptinResult(referentie, bestandsnaam)

    # ------------------------------------------------------------ to RINIS (task)

    def send(self, optin_id: int) -> None:
        """One Di01 with the signed ZIP to RINIS (a task); a Fo03 becomes a Fo01 in the
        download area."""
        row = self.store.one("SELECT o.*, z.zip FROM optins o JOIN optin_ondertekend z ON z.optin_id = o.id"
                             " WHERE o.id = ?", (optin_id,))
        if row is None or row["status"] != "ontvangen":
            return
        code, functie = row["gemeentecode"], FUNCTIE[row["soort"]]
        zender = messages.gemeente_zender(code, self.gemeenten.get(code, ""))
        bestand = stuf.Bestand(bytes(row["zip"]), row["bestandsnaam"])
        element, answer = self.rinis.send(
            row["referentienummer"], lambda: messages.di01(zender, row["referentienummer"],
                                                           self.clock.stuf_tijdstip(), functie, bestand),
            correlatie=row["bestandsnaam"], bestandsnaam=row["bestandsnaam"])
        if answer.bevestigd:
            self.store.execute("UPDATE optins SET status = 'doorgestuurd' WHERE id = ?"  # a Fo01 that
                               " AND status != 'geweigerd'", (row["id"],))  # overtook the Bv03 stands
            return
        refusal = self.rinis.refusal(code, row["referentienummer"], functie, element, answer)
        with self.store.transaction() as db:
            db.execute("UPDATE optins SET status = 'geweigerd', melding = ? WHERE id = ?",
                       (refusal.melding, row["id"]))
            self.download_area.add(db, code, "foutrapport", f"Fo01_{row['referentie']}.xml", refusal.fo01,
                                   "application/xml", crossRefnummer=row["referentienummer"],
                                   correlatie=row["referentie"])

    def refused_later(self, db: sqlite3.Connection, referentienummer: str | None,
                      melding: str, zender: str = "RINIS") -> sqlite3.Row | None:
        """A Fo01 answers this opt-in Di01 (from RINIS, or from CBS when the signature or the
        file fails): mark it refused and write the refusal in the portal's audit log, under
        the person who signed; the row, or None when it answers no opt-in."""
        row = db.execute("SELECT * FROM optins WHERE referentienummer = ?", (referentienummer,)).fetchone()
        if row is not None:
            db.execute("UPDATE optins SET status = 'geweigerd', melding = ? WHERE id = ?",
                       (melding, row["id"]))
            actie = {"optin": "optin", "intrekking": "intrekken"}.get(row["soort"], row["soort"])
            self.audit.schrijf(row["gebruiker"], row["gemeentecode"], actie, "geweigerd",
                               f"{melding} ({row['bestandsnaam']}, referentie {row['referentie']})",
                               f"Fo01 van {zender} via RINIS", db)
        return row
