"""Receiving StUF messages the way an infrastructure party (GGk, RINIS) must.

The checks of StUF 03.01 table 4.1 that can be made on the stuurgegevens are made
*before* anything is stored, and a failure is answered at once with a Fo03; a message
that passes them is handed to the party's handler and stored in the same transaction
as its Bv03, so an acknowledged message is never lost. Duplicates are the receiving
end's job: the same message again gets the same answer again and is not handled twice;
another message with a used (zender, referentienummer) gets StUF016.

On a TLS chain the caller's certificate must be that of the one neighbour that sends StUF here
(``sent_by``: the GGk at RINIS, RINIS at the GGk): a message from any other certificate,
whatever zender it names, gets a Fo03 StUF013 (the zender does not match the certificate),
and ``on_refused`` writes the audit line.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Container
from dataclasses import dataclass
from typing import Any

from lxml import etree

from . import stuf
from .store import Entry, Journal, Store

RECEIVER_SCHEMA = """
CREATE TABLE IF NOT EXISTS ontvangen (
    zender TEXT NOT NULL,
    referentienummer TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    antwoord BLOB NOT NULL,
    status INTEGER NOT NULL,
    PRIMARY KEY (zender, referentienummer)
);
"""

ALL_BERICHTCODES = {
    "Bv01", "Bv02", "Bv03", "Bv04", "Fo01", "Fo02", "Fo03", "Tr01", "Di01", "Di02",
    "Du01", "Du02", "La01", "La02", "La03", "La04", "La05", "La06", "La07", "La08", "La09",
    "La10", "La11", "La12", "La13", "La14", "Lk01", "Lk02", "Lk03", "Lk04", "Lk05", "Lk06",
    "Lv01", "Lv02", "Lv03", "Lv04", "Lv05", "Lv06", "Lv07", "Lv08", "Lv09", "Lv10", "Lv11",
    "Lv12", "Lv13", "Lv14", "Sa01", "Sa02", "Sa03", "Sa04", "Sh01", "Sh02", "Sh03", "Sh04",
}

Handler = Callable[[etree._Element, stuf.Stuurgegevens, sqlite3.Connection], str | None]
"""Handles one accepted message inside the receiving transaction; returns the
correlation reference for the journal, or raises StufError to refuse it with a Fo03."""

Verstoring = Callable[[etree._Element, stuf.Stuurgegevens, str, sqlite3.Connection], str | None]
"""Takes an accepted message that an armed ``fo01`` fault (``simulators/beheer/storingen.py``)
turns down: stores it as refused and schedules a Fo01 with the given code; returns the
correlation reference for the journal."""

STUF_NS_PREFIX = "http://www.egem.nl/StUF/StUF"


@dataclass
class Receiver:
    """The StUF endpoint of one party: checks, dedup, journal, Bv03/Fo03."""

    party: str
    peer: str
    store: Store
    journal: Journal
    clock_tijdstip: Callable[[], str]
    handlers: dict[str, Handler]
    known_zenders: Container[str]
    known_ontvangers: Container[str]
    functies: Container[str] | None = None
    geblokkeerd: Callable[[str], bool] = lambda _functie: False
    """Whether messages with this functie are blocked for now (IB103), by the party's beheer."""
    verstoring: Verstoring | None = None
    sent_by: str | None = None
    """On a TLS chain: the party whose certificate may send StUF here (None: any)."""
    on_refused: Callable[[Any, str], None] | None = None
    """Told of a message refused on its certificate (the identity, why): the audit line."""
    defecten: frozenset[str] = frozenset()
    """Deliberate deviations (``docs/conformiteit.md``), so the conformance suites can show
    they catch them: ``bv03-op-alles`` (no envelope checks: a Bv03 for anything),
    ``kwijt-crossref`` (answers carry a wrong crossRefnummer), ``dubbel-verwerken`` (an
    identical resend is handled again)."""

    def __post_init__(self) -> None:
        with self.store.transaction() as db:
            db.execute(RECEIVER_SCHEMA)

    def receive(self, body: bytes, fo01: str | None = None, identity: Any = None) -> tuple[bytes, int]:
        """Answer one HTTP request body: (SOAP bytes, HTTP status).

        ``fo01``: an armed fault's foutcode; a message that passes the checks then gets
        its Bv03 and is refused afterwards with a Fo01 with that code (``verstoring``).
        ``identity``: the caller's certificate (``simulators.identity``; None without TLS)."""
        digest = hashlib.sha256(body).hexdigest()
        message: etree._Element | None = None
        sg: stuf.Stuurgegevens | None = None
        if "bv03-op-alles" in self.defecten:
            return self._bv03_for_anything(body)
        try:
            if len(body) > stuf.MAX_MESSAGE_BYTES:
                raise stuf.StufError("IB007", "Bericht te groot: een bericht is ten hoogste "
                                     "25 MB", details=f"{len(body)} bytes ontvangen")
            try:
                message = stuf.unwrap(body)
            except stuf.UnsafeXmlError as exc:
                raise stuf.StufError("StUF055", f"Bericht geweigerd: {exc}") from None
            except stuf.NotXmlError as exc:
                raise stuf.StufError("StUF055", str(exc)[:200]) from None
            _check_versie(message)
            sg = stuf.read_stuurgegevens(message)
            self._check_berichtcode(sg.berichtcode)
            _check_uuids(sg)
            stuf.require_valid(message)
            # table 4.1 order: StUF010 (ontvanger) before StUF013 (zender)
            if sg.ontvanger.organisatie not in self.known_ontvangers:
                raise stuf.stuf_error(
                    "StUF010", f"ontvanger '{sg.ontvanger.organisatie}' is niet bekend")
            if identity is not None and self.sent_by is not None and identity.key != self.sent_by:
                self._refuse_certificate(identity, sg)
            if sg.zender.organisatie not in self.known_zenders:
                raise stuf.stuf_error("StUF013", f"zender '{sg.zender.organisatie}' is niet bekend")
            if self.functies is not None and sg.functie is not None and sg.functie not in self.functies:
                raise stuf.stuf_error("StUF034", f"functie '{sg.functie}' is niet bekend")
            if sg.functie and self.geblokkeerd(sg.functie):
                raise stuf.StufError("IB103", f"Berichttype tijdelijk geblokkeerd: {self.party.upper()} "
                                     f"neemt nu geen berichten met functie {sg.functie} aan; "
                                     "bied het later opnieuw aan", plek="server")
            return self._accept(message, sg, body, digest, fo01)
        except stuf.StufError as fault:
            return self._refuse(fault, sg, body)

    def _refuse_certificate(self, identity: Any, sg: stuf.Stuurgegevens) -> None:
        """The zender does not match the certificate: StUF013, and an audit line."""
        why = (f"zender '{sg.zender.organisatie}' past niet bij het certificaat van {identity.described}; "
               f"{self.party.upper()} neemt StUF alleen aan met het certificaat van {self.sent_by.upper()}")
        if self.on_refused is not None:
            self.on_refused(identity, why)
        short = stuf.stuf_error("StUF013", f"zender '{sg.zender.organisatie[:40]}' past niet bij het "
                                f"certificaat ({identity.identifier or identity.name[:40]})")
        raise stuf.StufError("StUF013", short.foutbericht.omschrijving, "client", details=why)

    def _check_berichtcode(self, code: str) -> None:
        if code not in ALL_BERICHTCODES:
            raise stuf.stuf_error("StUF022", f"'{code}' is geen StUF-berichtcode")
        if code not in self.handlers:
            raise stuf.stuf_error("StUF025", f"{self.party} ontvangt hier geen {code}")

    def _accept(self, message, sg: stuf.Stuurgegevens, body: bytes, digest: str,
                fo01: str | None = None) -> tuple[bytes, int]:
        with self.store.transaction() as db:
            seen = db.execute(
                "SELECT sha256, antwoord, status FROM ontvangen WHERE zender = ? AND referentienummer = ?",
                (sg.zender.organisatie, sg.referentienummer)).fetchone()
            if seen is not None and "dubbel-verwerken" not in self.defecten:
                if seen["sha256"] == digest:  # identical resend: the same answer, not handled again
                    self._journal_in(sg, body, None, db, bestandsnaam=_bestandsnaam(message))
                    self._journal_out(bytes(seen["antwoord"]), sg, None, db)
                    return bytes(seen["antwoord"]), seen["status"]
                raise stuf.stuf_error(
                    "StUF016", f"referentienummer {sg.referentienummer} is al gebruikt door "
                    f"zender {sg.zender.organisatie} voor een ander bericht")
            try:
                if fo01 is not None and self.verstoring is not None:
                    correlatie = self.verstoring(message, sg, fo01, db)
                else:
                    correlatie = self.handlers[sg.berichtcode](message, sg, db)
            except sqlite3.IntegrityError as exc:  # a conflict in the party's own tables
                raise stuf.stuf_error("StUF046", str(exc)) from None
            answer = stuf.build_antwoord("Bv03", self._answer_sg("Bv03", sg))
            payload = stuf.wrap(answer)
            db.execute("INSERT OR REPLACE INTO ontvangen VALUES (?,?,?,?,?)",
                       (sg.zender.organisatie, sg.referentienummer, digest, payload, 200))
            self._journal_in(sg, body, correlatie, db, bestandsnaam=_bestandsnaam(message))
            self._journal_out(payload, sg, correlatie, db)
        return payload, 200

    def _refuse(self, fault: stuf.StufError, sg: stuf.Stuurgegevens | None, body: bytes) -> tuple[bytes, int]:
        if sg is None or not sg.referentienummer:
            sg = stuf.Stuurgegevens("", stuf.Systeem("onbekend", "onbekend"),
                                    stuf.Systeem(self.party.upper(), self.party.upper()), "onbekend", "")
        fo03 = stuf.build_antwoord("Fo03", self._answer_sg("Fo03", sg), fault.foutbericht)
        if stuf.schema_errors(fo03):  # stuurgegevens unusable (too long, ...): answer anonymously
            anon = stuf.Stuurgegevens("", stuf.Systeem("onbekend", "onbekend"),
                                      stuf.Systeem(self.party.upper(), self.party.upper()),
                                      "onbekend", "")
            fo03 = stuf.build_antwoord("Fo03", self._answer_sg("Fo03", anon), fault.foutbericht)
        payload = stuf.wrap_fault(fo03, fault.foutbericht.omschrijving, fault.foutbericht.plek)
        # A refused message is never stored, not even in the journal: it may be hostile (an
        # entity bomb, an external DTD, 25 MB of text). The journal keeps what identifies it.
        placeholder = (f"niet bewaard: geweigerd met {fault.foutbericht.code}; {len(body)} bytes; "
                       f"sha256 {hashlib.sha256(body).hexdigest()}").encode()
        with self.store.transaction() as db:
            self._journal_in(sg, placeholder, None, db, content_type="text/plain")
            self._journal_out(payload, sg, None, db, code="Fo03")
        return payload, 500

    def _answer_sg(self, code: str, sg: stuf.Stuurgegevens) -> stuf.Stuurgegevens:
        cross = sg.referentienummer[:40] or "onbekend"
        if "kwijt-crossref" in self.defecten:
            cross = stuf.new_referentienummer()
        return stuf.Stuurgegevens(
            berichtcode=code, zender=_short(sg.ontvanger), ontvanger=_short(sg.zender),
            referentienummer=stuf.new_referentienummer(), tijdstipBericht=self.clock_tijdstip(),
            crossRefnummer=cross)

    def _bv03_for_anything(self, body: bytes) -> tuple[bytes, int]:
        """Defect ``bv03-op-alles``: acknowledge whatever came, handle nothing."""
        try:
            sg = stuf.read_stuurgegevens(stuf.unwrap(body))
        except (stuf.NotXmlError, stuf.UnsafeXmlError, stuf.StufError):
            sg = stuf.Stuurgegevens("", stuf.Systeem("onbekend", "onbekend"),
                                    stuf.Systeem(self.party.upper(), self.party.upper()), "onbekend", "")
        return stuf.wrap(stuf.build_antwoord("Bv03", self._answer_sg("Bv03", sg))), 200

    def _journal_in(self, sg, body: bytes, correlatie: str | None, db,
                    content_type: str = "text/xml", bestandsnaam: str | None = None) -> None:
        self.journal.record(Entry(
            "in", self.peer, sg.berichtcode or "onleesbaar", body, content_type,
            sg.berichtcode or None, sg.referentienummer or None, sg.crossRefnummer,
            bestandsnaam, correlatie), db)

    def _journal_out(self, payload: bytes, sg, correlatie, db, code: str = "Bv03") -> None:
        self.journal.record(Entry(
            "uit", self.peer, code, payload, "text/xml", code, None, sg.referentienummer or None,
            None, correlatie), db)


def _bestandsnaam(message: etree._Element) -> str | None:
    """The name of the file an accepted envelope carries (a tekstBestand), for the journal."""
    found = message.xpath(".//*[local-name()='tekstBestand']/@bestandsnaam")
    return str(found[0]) if found else None


def _check_versie(message: etree._Element) -> None:
    """StUF001: a message in another StUF version's namespace (e.g. StUF 02.04)."""
    for element in message.iter(etree.Element):
        namespace = etree.QName(element).namespace or ""
        if namespace.startswith(STUF_NS_PREFIX) and namespace != stuf.STUF_NS:
            versie = namespace.removeprefix(STUF_NS_PREFIX)
            raise stuf.StufError("StUF001", f"Versie StUF niet ondersteund: het bericht is StUF {versie}; "
                                 "deze partij ontvangt StUF 03.01 (StUF0301)", plek="server")


def _check_uuids(sg: stuf.Stuurgegevens) -> None:
    """IB009: the GGk envelope requires lower-case UUID v4 (cross)referentienummers."""
    for naam, waarde in (("referentienummer", sg.referentienummer), ("crossRefnummer", sg.crossRefnummer)):
        if waarde is not None and not stuf.UUID4.fullmatch(waarde):
            raise stuf.StufError("IB009", f"(Cross)referentienummer is geen geldige UUID: {naam} "
                                 f"'{waarde[:50]}' is geen UUID v4 in kleine letters")


def _short(systeem: stuf.Systeem) -> stuf.Systeem:
    """A zender/ontvanger fit for an answer: present, within the schema's lengths."""
    organisatie = (systeem.organisatie or "onbekend")[:200]
    applicatie = systeem.applicatie if 3 <= len(systeem.applicatie or "") <= 50 else "onbekend"
    administratie = systeem.administratie[:50] if systeem.administratie else None
    gebruiker = systeem.gebruiker[:100] if systeem.gebruiker else None
    return stuf.Systeem(organisatie, applicatie, administratie, gebruiker)
