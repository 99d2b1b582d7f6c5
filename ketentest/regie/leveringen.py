"""One delivery across the four parties: where it is, with each party's clock at every step.

:func:`build_levering` reads the lines :class:`~ketentest.regie.index.DeliveryIndex` filed
under a GGk reference and says, step by step, how far the delivery got: uploaded at the GGk,
accepted by RINIS (its Bv03), in the CBS inbox, fetched by CBS, the technical report and its
verdict, the report back in the GGk's download area, fetched by the gemeente; then the op-orde
report and spiegelrapport II. Each step carries the time on the clock of the party whose
journal shows it (each party keeps its own clock) and a link to that journal line's payload.

What the journals do not say comes from :class:`Extra`, filled from the parties' read-only
APIs where they offer them: when RINIS placed the file in the CBS inbox (RINIS journals the
hand-over to CBS, not the placing), the verdict of a technical report (it is in the PDF;
CBS's list of deliveries says it), the gemeentecode of a delivery that never got as far as
RINIS's naming, and the foutcode and text of a Fo01 or Fo03 (in the message's payload). A
step that must have happened but that no journal shows is marked done without a time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from simulators import stuf
from simulators.gmsd.periodes import CODE_IN_NAAM

from .index import Line, report_of

__all__ = ["PARTIJNAMEN", "STAPPEN", "TOESTANDEN", "Extra", "Fout", "FoutTekst", "Levering", "Stap",
           "build_levering", "read_fault", "read_sender"]

PARTIJNAMEN = {"gemeente": "gemeente", "ggk": "GGk", "rinis": "RINIS", "cbs": "CBS"}
"""How the page names a party."""

STAPPEN: tuple[tuple[str, str, str], ...] = (
    # (key, the party whose state it is, what the page calls it)
    ("geupload", "ggk", "geüpload bij het GGk"),
    ("bij_rinis", "rinis", "aangenomen door RINIS (Bv03)"),
    ("in_inbox", "rinis", "in de inbox van het CBS"),
    ("bij_cbs", "cbs", "opgehaald door het CBS"),
    ("technisch_rapport", "cbs", "technisch rapport gemaakt"),
    ("in_downloadgebied", "ggk", "rapport in het downloadgebied"),
    ("bij_gemeente", "gemeente", "rapport opgehaald door de gemeente"),
    ("op_orde", "cbs", "op-orde rapport"),
    ("spiegelrapport_2", "cbs", "spiegelrapport II"),
)
"""The steps of a delivery in chain order: its state is the furthest one reached."""

TOESTANDEN: dict[str, str] = {key: tekst for key, _, tekst in STAPPEN} | {"fout": "fout (Fo01/Fo03)"}
"""Every state a delivery can be in, in order, with its Dutch name (the filter's choices)."""

ZENDERS = {"RINIS": "RINIS", "CBS": "CBS", "IB": "IB (GGk)", "GGK": "GGk"}
BESTAND_BIJ_CBS = re.compile(r"_(?P<code>\d{4})\.(?:csv|txt|zip)(?:\.metagegevens\.xml)?", re.IGNORECASE)
SOORT = re.compile(r"(WMO|SBO|JEUGD)_", re.IGNORECASE)
RAPPORTSTAPPEN = (("bij_gemeente", "opgehaald door de gemeente"),
                  ("in_downloadgebied", "in het downloadgebied"), ("verzonden", "verzonden door het CBS"))
"""How far an op-orde report or spiegelrapport II got, furthest first."""


@dataclass(frozen=True)
class Stap:
    """A step the delivery reached: when (the party's own clock, ISO), and the journal line
    that shows it (``bron``: the payload's URL). ``tijdstip`` is None for a step that must have
    happened (a later one did) but that no journal shows."""

    partij: str
    tijdstip: str | None
    bron: str | None = None
    tekst: str | None = None


@dataclass(frozen=True)
class FoutTekst:
    """What a Fo01 or Fo03 says: its foutcode and omschrijving, and who sent it."""

    foutcode: str
    omschrijving: str
    afzender: str


@dataclass(frozen=True)
class Fout:
    """A Fo01 or Fo03 about one of the delivery's messages, merged over the journals that hold
    it; ``gemeld``: when the gemeente got it as a foutrapport in its download area."""

    berichtcode: str
    tijdstip: str
    afzender: str
    foutcode: str | None = None
    omschrijving: str | None = None
    bron: str | None = None
    gemeld: str | None = None

    @property
    def tekst(self) -> str:
        """``Fo01 RIN001 van RINIS: <omschrijving>``, or without code and text while unread."""
        kop = " ".join(d for d in (self.berichtcode, self.foutcode) if d)
        return f"{kop} van {self.afzender}" + (f": {self.omschrijving}" if self.omschrijving else "")


@dataclass
class Extra:
    """What the parties' read-only APIs add to their journals (see the module's docstring)."""

    inbox: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Upload reference -> RINIS's folder line of the file (geplaatst, opgehaald, gemeentecode)."""
    oordelen: dict[str, str] = field(default_factory=dict)
    """GGk reference -> the technical report's verdict (CBS)."""
    bestanden: dict[str, str] = field(default_factory=dict)
    """GGk reference -> the CSV's name at CBS (for a ZIP's members)."""
    gemeentecodes: dict[str, str] = field(default_factory=dict)
    """Upload reference -> gemeentecode (CBS, or read from the metadata record's sender)."""
    teksten: dict[tuple[str, int], FoutTekst] = field(default_factory=dict)
    """(partij, journal id) of a Fo01/Fo03 line -> what it says."""


@dataclass(frozen=True)
class Levering:
    """One delivery (one CSV, one GGk reference) as the chain's journals show it."""

    referentie: str
    upload: str
    gemeentecode: str | None
    gemeente: str | None
    bestandsnaam: str | None
    geupload_als: str | None
    soort: str | None
    periode: str | None
    stappen: dict[str, Stap]
    oordeel: str | None
    fouten: tuple[Fout, ...]
    te_lezen: tuple[tuple[str, int, str], ...] = ()
    """Payloads (partij, journal id, URL) whose reading would fill a gap: a fault's text, the
    sender of a metadata record when no name gave the gemeentecode."""

    @property
    def toestand(self) -> str:
        if self.fouten:
            return "fout"
        return next((key for key, _, _ in reversed(STAPPEN) if key in self.stappen), "geupload")

    @property
    def laatst(self) -> str | None:
        """The time of the furthest step that has one."""
        return next((self.stappen[k].tijdstip for k, _, _ in reversed(STAPPEN)
                     if k in self.stappen and self.stappen[k].tijdstip), None)


def build_levering(referentie: str, upload: str, lines: Sequence[Line], extra: Extra,
                   gemeentenamen: Mapping[str, str]) -> Levering:
    """The delivery ``referentie`` (of the upload ``upload``) from its journal lines."""
    regels = _Regels(lines)
    stappen: dict[str, Stap] = {}
    te_lezen: list[tuple[str, int, str]] = []

    upload_in = regels.first("ggk", "in", soort="upload")
    antwoord = regels.first("gemeente", "in", soort="upload-antwoord")
    if upload_in or antwoord:
        stappen["geupload"] = _stap(upload_in or antwoord)
    geupload_als = _naam(upload_in) or _naam(regels.first("gemeente", "uit", soort="upload"))

    bestand_di01 = {r["referentienummer"] for p, r in lines
                    if p in ("ggk", "rinis") and r.get("berichtcode") == "Di01"
                    and r.get("bestandsnaam") and report_of(r.get("bestandsnaam")) is None}
    bv03 = (regels.first("rinis", "uit", code="Bv03", cross=bestand_di01)
            or regels.first("ggk", "in", code="Bv03", cross=bestand_di01))
    if bv03:
        stappen["bij_rinis"] = _stap(bv03)
    geplaatst = extra.inbox.get(upload, {})
    if geplaatst.get("geplaatst"):
        stappen["in_inbox"] = Stap("rinis", geplaatst["geplaatst"])
    opgehaald = (regels.first("cbs", "in", soort="bestand", data=True)
                 or regels.first("rinis", "uit", soort="bestand", data=True))
    if opgehaald:
        stappen["bij_cbs"] = _stap(opgehaald)
    elif geplaatst.get("opgehaald"):
        stappen["bij_cbs"] = Stap("cbs", geplaatst["opgehaald"])

    oordeel = extra.oordelen.get(referentie)
    technisch = _rapport(regels, referentie, "TECHNISCH")
    if "verzonden" in technisch:
        stappen["technisch_rapport"] = _stap(technisch["verzonden"], oordeel)
    if "in_downloadgebied" in technisch:
        stappen["in_downloadgebied"] = _stap(technisch["in_downloadgebied"])
    if "bij_gemeente" in technisch:
        stappen["bij_gemeente"] = _stap(technisch["bij_gemeente"])
    for key, soort in (("op_orde", "OPORDE"), ("spiegelrapport_2", "SPIEGEL2")):
        verder = _rapport(regels, referentie, soort)
        for waar, tekst in RAPPORTSTAPPEN:
            if waar in verder:
                stappen[key] = _stap(verder[waar], tekst)
                break
    _implied(stappen)

    fouten, ongelezen = _fouten(lines, extra.teksten)
    te_lezen += ongelezen
    gemeentecode = _gemeentecode(lines, upload, extra)
    if gemeentecode is None:
        metadata = regels.first("ggk", "uit", code="Di01", naamloos=True) or regels.first(
            "rinis", "in", code="Di01", naamloos=True)
        if metadata and metadata[1].get("payload"):
            te_lezen.append((metadata[0], int(metadata[1]["id"]), metadata[1]["payload"]))
    bestandsnaam = _csv_naam(extra.bestanden.get(referentie)) or geupload_als
    return Levering(
        referentie=referentie, upload=upload, gemeentecode=gemeentecode,
        gemeente=gemeentenamen.get(gemeentecode or ""), bestandsnaam=bestandsnaam, geupload_als=geupload_als,
        soort=_soort(bestandsnaam), periode=_periode(bestandsnaam, lines), stappen=stappen,
        oordeel=oordeel, fouten=fouten, te_lezen=tuple(te_lezen))


class _Regels:
    """The delivery's lines per party, with a finder for the first line of a kind."""

    def __init__(self, lines: Sequence[Line]) -> None:
        self.per_partij: dict[str, list[Mapping[str, Any]]] = {}
        for partij, regel in lines:
            self.per_partij.setdefault(partij, []).append(regel)

    def of(self, partij: str) -> list[Mapping[str, Any]]:
        return self.per_partij.get(partij, [])

    def first(self, partij: str, richting: str, soort: str | None = None, code: str | None = None,
              cross: set[str] | None = None, data: bool = False, naamloos: bool = False,
              rapport: tuple[str, str] | None = None) -> Line | None:
        """The party's first line that fits every condition given."""
        for regel in self.of(partij):
            if regel.get("richting") != richting:
                continue
            if soort is not None and regel.get("soort") != soort:
                continue
            if code is not None and regel.get("berichtcode") != code:
                continue
            if cross is not None and regel.get("crossRefnummer") not in cross:
                continue
            naam = regel.get("bestandsnaam") or ""
            if data and naam.endswith(".metagegevens.xml"):
                continue
            if naamloos and naam:
                continue
            if rapport is not None:
                gevonden = report_of(naam)
                if gevonden is None or (gevonden.soort, gevonden.referentie) != rapport:
                    continue
            return partij, regel
        return None


def _stap(line: Line, tekst: str | None = None) -> Stap:
    partij, regel = line
    return Stap(partij, regel.get("tijdstip"), regel.get("payload"), tekst)


def _naam(line: Line | None) -> str | None:
    return line[1].get("bestandsnaam") if line else None


def _rapport(regels: _Regels, referentie: str, soort: str) -> dict[str, Line]:
    """Where a report of this delivery got to: sent by CBS, in the download area, fetched."""
    sleutel = (soort, referentie)
    found = {
        "verzonden": regels.first("cbs", "uit", soort="rapport", rapport=sleutel)
        or regels.first("rinis", "in", soort="rapport", rapport=sleutel),
        "in_downloadgebied": regels.first("ggk", "in", code="Du01", rapport=sleutel)
        or regels.first("ggk", "in", code="Di01", rapport=sleutel)
        or regels.first("rinis", "in", code="Bv03", rapport=sleutel),
        "bij_gemeente": regels.first("gemeente", "in", soort="rapport", rapport=sleutel),
    }
    return {waar: regel for waar, regel in found.items() if regel is not None}


def _implied(stappen: dict[str, Stap]) -> None:
    """A later step of the file's way means the earlier ones happened (the op-orde report and
    spiegelrapport II say nothing of the technical report's way back)."""
    weg = [key for key, _, _ in STAPPEN[:7]]
    verste = max((weg.index(k) for k in stappen if k in weg), default=-1)
    partij = {key: p for key, p, _ in STAPPEN}
    for key in weg[:verste]:
        stappen.setdefault(key, Stap(partij[key], None))


def _fouten(lines: Sequence[Line], teksten: Mapping[tuple[str, int], FoutTekst]
            ) -> tuple[tuple[Fout, ...], list[tuple[str, int, str]]]:
    """Every Fo01/Fo03 about the delivery's messages, once (merged by the message it refuses)."""
    per_bericht: dict[str, list[Line]] = {}
    for partij, regel in lines:
        if regel.get("berichtcode") in ("Fo01", "Fo03") or regel.get("soort") == "foutrapport":
            per_bericht.setdefault(regel.get("crossRefnummer") or f"{partij}:{regel.get('id')}", []).append(
                (partij, regel))
    fouten, te_lezen = [], []
    for groep in per_bericht.values():
        berichten = [line for line in groep if line[1].get("soort") != "foutrapport"]
        gemeld = next((r.get("tijdstip") for p, r in groep if r.get("soort") == "foutrapport"), None)
        bron = _fout_bron(berichten or groep)
        partij, regel = bron
        code = regel.get("berichtcode") or "Fo01"
        tekst = teksten.get((partij, int(regel.get("id") or 0)))
        if tekst is None and regel.get("payload"):
            te_lezen.append((partij, int(regel.get("id") or 0), regel["payload"]))
        afzender = ZENDERS.get(tekst.afzender.upper(), tekst.afzender) if tekst else _afzender(bron)
        fouten.append(Fout(code, str(regel.get("tijdstip") or ""), afzender,
                           tekst.foutcode if tekst else None, tekst.omschrijving if tekst else None,
                           regel.get("payload"), gemeld))
    fouten.sort(key=lambda f: f.tijdstip)
    return tuple(fouten), te_lezen


def _fout_bron(groep: list[Line]) -> Line:
    """The line a fault's text is read from: the GGk's receipt, else the sender's, else any."""
    for partij, richting in (("ggk", "in"), ("rinis", "uit"), ("rinis", "in"), ("ggk", "uit")):
        for line in groep:
            if line[0] == partij and line[1].get("richting") == richting:
                return line
    return groep[0]


def _afzender(line: Line) -> str:
    partij, regel = line
    if regel.get("soort") == "foutrapport":
        return "?"
    wie = partij if regel.get("richting") == "uit" else str(regel.get("peer"))
    return PARTIJNAMEN.get(wie, wie)


def _gemeentecode(lines: Sequence[Line], upload: str, extra: Extra) -> str | None:
    for _, regel in lines:
        naam = regel.get("bestandsnaam") or ""
        rapport = report_of(naam)
        if rapport is not None:
            return rapport.gemeentecode
        if regel.get("soort") == "bestand":
            match = BESTAND_BIJ_CBS.search(naam)
            if match:
                return match["code"]
    return extra.inbox.get(upload, {}).get("gemeentecode") or extra.gemeentecodes.get(upload)


def _csv_naam(naam_bij_cbs: str | None) -> str | None:
    """A ZIP member's name as the gemeente made it: CBS's name without ``_<gemeentecode>``."""
    if not naam_bij_cbs:
        return None
    return BESTAND_BIJ_CBS.sub(lambda m: m[0][len(m["code"]) + 1:], naam_bij_cbs, count=1)


def _soort(bestandsnaam: str | None) -> str | None:
    match = SOORT.match(bestandsnaam or "")
    return match[1].upper() if match else None


def _periode(bestandsnaam: str | None, lines: Sequence[Line]) -> str | None:
    match = CODE_IN_NAAM.search((bestandsnaam or "").upper())
    if match:
        return match[1]
    for _, regel in lines:
        rapport = report_of(regel.get("bestandsnaam"))
        if rapport is not None and rapport.periode != "ONBEKEND":
            return rapport.periode
    return None


# ----------------------------------------------------------------------- payloads


def read_fault(payload: bytes) -> FoutTekst | None:
    """What a Fo01 or Fo03 says (bare, in a SOAP body, or in a SOAP fault); None if unreadable."""
    try:
        antwoord = stuf.read_antwoord(stuf.unwrap(payload))
    except Exception:  # a garbled payload is a gap on the page, never a crash
        return None
    if antwoord.fout is None:
        return None
    fout = antwoord.fout
    return FoutTekst(fout.code, fout.omschrijving, antwoord.stuurgegevens.zender.organisatie)


def read_sender(payload: bytes) -> str | None:
    """The zender's organisatie of a StUF message: for a GGk Di01, the gemeentecode."""
    try:
        return stuf.read_stuurgegevens(stuf.unwrap(payload)).zender.organisatie or None
    except Exception:  # a garbled payload is a gap on the page, never a crash
        return None
