"""CBS's technical check of a delivered GMSD file: the rule catalogue and the verdict.

This module owns what CBS decides about one file as RINIS hands it over (the
gemeentecode appended to the name): each rule of :data:`RULES` gives a
:class:`Bevinding`, and together they make the :class:`Oordeel` that the technical
report prints. It does no I/O and knows no other party: in particular it keeps its
own copy of the expected WMO header instead of importing the gemeente's generator,
because CBS and the gemeente's software must be able to disagree.

Where the simulator chooses (the real check was not published):

* the file name convention (TC01) follows the GMSD aanleverprotocol; control
  characters are rejected as well, and a WMO file may leave its free text out;
* only UTF-8 is accepted (TC03), with or without a BOM; Windows-1252 is not;
* line numbers are physical lines counted from 1, the header being line 1; blank
  lines at the very end of a file are ignored, blank lines in between are rows;
* quotes follow the csv module's lenient default (``"x"y`` reads as ``xy``); quoting
  rules belong to the later catalogue;
* SBO and JEUGD files are only checked for name, period, encoding and being a
  ``;``-separated CSV with a header (their columns come with a later catalogue);
* a ``.zip`` is not handled here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

WMO_HEADER: tuple[str, ...] = (
    "Aanmaakdatum bestand",
    "Gemeentecode",
    "BSN",
    "Type maatwerkarrangement",
    "Type instelling",
    "Beoogde startdatum ondersteuning",
    "Beoogde einddatum ondersteuning",
    "Leveringsvorm",
    "Datum start daadwerkelijke ondersteuning",
    "Einddatum ondersteuning",
    "Intensiteit",
    "Daadwerkelijk betaald bedrag",
    "Reden beëindiging",
)

SOORTEN: tuple[str, ...] = ("WMO", "SBO", "JEUGD")
ONBEKEND = "ONBEKEND"
"""Soort of a file whose name does not say WMO, SBO or JEUGD."""

EXTENSIES: tuple[str, ...] = ("csv", "txt")
VERBODEN_TEKENS = ':\\/?;*"><|]['
MAX_REGELS = 20
"""At most this many offending line numbers are kept per Bevinding."""

SEPARATOR = ";"

_NAAM = re.compile(r"(?P<soort>WMO|SBO|JEUGD)_(?P<code>H(?P<halfjaar>[12])(?P<jaar>\d{4}))")
_CODE_ERGENS = re.compile(r"_(H[12]\d{4})(?![0-9])")
_SOORT_PREFIX = re.compile(r"(WMO|SBO|JEUGD)_", re.IGNORECASE)


@dataclass(frozen=True)
class Bevinding:
    """The outcome of one rule for one file."""

    regel: str
    omschrijving: str
    geslaagd: bool
    melding: str = ""
    regels: tuple[int, ...] = ()


@dataclass(frozen=True)
class Oordeel:
    """CBS's verdict on one file: every applicable rule's Bevinding, in catalogue order."""

    bestandsnaam: str
    bevindingen: tuple[Bevinding, ...]

    @property
    def goedgekeurd(self) -> bool:
        return all(bevinding.geslaagd for bevinding in self.bevindingen)

    @property
    def verdict(self) -> str:
        return "goedgekeurd" if self.goedgekeurd else "afgekeurd"


@dataclass(frozen=True)
class Aanlevering:
    """One delivered file and what CBS knows about it, read once for all rules."""

    bestandsnaam: str
    inhoud: bytes
    gemeentecode: str
    verslagperiodes: frozenset[str] | None
    naam: dict | None
    naamfout: str
    soort: str
    records: tuple[tuple[int, tuple[str, ...]], ...]
    csv_fout: str = ""
    csv_fout_regel: int = 0


@dataclass(frozen=True)
class Uitkomst:
    """What a rule's test returns: passed or not, the Dutch message, the lines."""

    geslaagd: bool
    melding: str = ""
    regels: tuple[int, ...] = ()


@dataclass(frozen=True)
class Regel:
    """A rule of the catalogue: its id, Dutch text, the soorten it applies to, its test."""

    id: str
    omschrijving: str
    soorten: frozenset[str]
    toets: Callable[[Aanlevering], Uitkomst]

    def geldt_voor(self, soort: str) -> bool:
        return soort in self.soorten

    def pas_toe(self, aanlevering: Aanlevering) -> Bevinding:
        uitkomst = self.toets(aanlevering)
        return Bevinding(
            regel=self.id,
            omschrijving=self.omschrijving,
            geslaagd=uitkomst.geslaagd,
            melding="" if uitkomst.geslaagd else uitkomst.melding,
            regels=uitkomst.regels[:MAX_REGELS],
        )


# --- file names ---------------------------------------------------------------------


def parse_bestandsnaam(naam: str, gemeentecode: str | None = None) -> dict | None:
    """The parts of a GMSD file name, or None when it does not follow the convention.

    With ``gemeentecode`` the name is read as CBS receives it: RINIS appended
    ``_<gemeentecode>`` before the extension, and it must be there. Without it the
    name is read as the gemeente made it. The result has soort, code_uitvraag, jaar,
    halfjaar, vrije_tekst (without the appended gemeentecode), extensie (lower case)
    and gemeentecode (the appended one, or None).
    """
    delen, _fout = _lees_bestandsnaam(naam, gemeentecode)
    return delen


def _lees_bestandsnaam(naam: str, gemeentecode: str | None) -> tuple[dict | None, str]:
    """The parts of the name and an empty string, or None and why it does not conform."""
    if not naam:
        return None, "de bestandsnaam is leeg"
    verboden = sorted({teken for teken in naam if teken in VERBODEN_TEKENS})
    if verboden:
        return None, f"de bestandsnaam bevat niet-toegestane tekens: {' '.join(verboden)}"
    if any(ord(teken) < 32 or ord(teken) == 127 for teken in naam):
        return None, "de bestandsnaam bevat stuurtekens"
    if naam.count(".") != 1:
        return None, (
            "de bestandsnaam moet precies één punt hebben, vóór de extensie "
            f"(gevonden: {naam.count('.')})"
        )
    stam, extensie = naam.split(".")
    if extensie.lower() not in EXTENSIES:
        return None, f"de extensie moet .csv of .txt zijn, niet .{extensie}"
    match = _NAAM.match(stam)
    if not match:
        return None, _waarom_geen_match(stam)
    rest = stam[match.end() :]
    rest, fout = _zonder_gemeentecode(rest, gemeentecode)
    if fout:
        return None, fout
    soort = match["soort"]
    fout = _controleer_vrije_tekst(soort, rest)
    if fout:
        return None, fout
    return {
        "soort": soort,
        "code_uitvraag": match["code"],
        "jaar": int(match["jaar"]),
        "halfjaar": int(match["halfjaar"]),
        "vrije_tekst": rest[1:],
        "extensie": extensie.lower(),
        "gemeentecode": gemeentecode,
    }, ""


def _waarom_geen_match(stam: str) -> str:
    prefix = _SOORT_PREFIX.match(stam)
    if not prefix:
        return "de bestandsnaam begint niet met WMO_, SBO_ of JEUGD_"
    if prefix.group(1) not in SOORTEN:
        return f"het voorvoegsel moet in hoofdletters: {prefix.group(1).upper()}_"
    return (
        "na het voorvoegsel moet de code uitvraag volgen: H1 of H2 en het jaar "
        "(bijvoorbeeld H12016)"
    )


def _zonder_gemeentecode(rest: str, gemeentecode: str | None) -> tuple[str, str]:
    """``rest`` without RINIS's appended ``_<gemeentecode>``, and an error if it is missing."""
    if gemeentecode is None:
        return rest, ""
    achtervoegsel = f"_{gemeentecode}"
    if not rest.endswith(achtervoegsel):
        return rest, f"de bestandsnaam eindigt niet op de gemeentecode {gemeentecode}"
    return rest[: -len(achtervoegsel)], ""


def _controleer_vrije_tekst(soort: str, rest: str) -> str:
    """``rest`` is what follows the code uitvraag: empty, or ``_`` and free text."""
    if not rest:
        return ""
    if soort != "WMO":
        return f"een {soort}-bestand mag na de code uitvraag geen vrije tekst hebben"
    if not rest.startswith("_"):
        return "na de code uitvraag moet een _ volgen vóór de vrije tekst"
    if not rest[1:].strip():
        return "de vrije tekst na de code uitvraag is leeg"
    return ""


# --- reading the content ------------------------------------------------------------


def _lees_aanlevering(
    bestandsnaam: str,
    inhoud: bytes,
    gemeentecode: str,
    verslagperiodes: set[str] | None,
) -> Aanlevering:
    naam, naamfout = _lees_bestandsnaam(bestandsnaam, gemeentecode)
    tekst = inhoud.decode("utf-8-sig", errors="replace")
    records, csv_fout, csv_fout_regel = _lees_records(tekst)
    return Aanlevering(
        bestandsnaam=bestandsnaam,
        inhoud=inhoud,
        gemeentecode=gemeentecode,
        verslagperiodes=None if verslagperiodes is None else frozenset(verslagperiodes),
        naam=naam,
        naamfout=naamfout,
        soort=naam["soort"] if naam else _soort_uit_voorvoegsel(bestandsnaam),
        records=records,
        csv_fout=csv_fout,
        csv_fout_regel=csv_fout_regel,
    )


def _soort_uit_voorvoegsel(bestandsnaam: str) -> str:
    """Which content rules apply to a wrongly named file: by its prefix, any case."""
    prefix = _SOORT_PREFIX.match(bestandsnaam)
    return prefix.group(1).upper() if prefix else ONBEKEND


def _lees_records(tekst: str) -> tuple[tuple[tuple[int, tuple[str, ...]], ...], str, int]:
    """(line number, fields) per record; trailing blank lines dropped; a CSV error if any."""
    reader = csv.reader(io.StringIO(tekst, newline=""), delimiter=SEPARATOR)
    records: list[tuple[int, tuple[str, ...]]] = []
    eerste_regel = 1
    try:
        for velden in reader:
            records.append((eerste_regel, tuple(velden)))
            eerste_regel = reader.line_num + 1
    except csv.Error as fout:
        return tuple(records), f"regel {reader.line_num}: {fout}", reader.line_num
    while records and not records[-1][1]:
        records.pop()
    return tuple(records), "", 0


# --- the rules ----------------------------------------------------------------------


def _tc01_bestandsnaam(aanlevering: Aanlevering) -> Uitkomst:
    if aanlevering.naam is not None:
        return Uitkomst(True)
    return Uitkomst(False, f'Bestandsnaam "{aanlevering.bestandsnaam}": {aanlevering.naamfout}.')


def _tc02_verslagperiode(aanlevering: Aanlevering) -> Uitkomst:
    if aanlevering.naam is not None:
        code = aanlevering.naam["code_uitvraag"]
    else:
        gevonden = _CODE_ERGENS.search(aanlevering.bestandsnaam)
        code = gevonden.group(1) if gevonden else None
    if code is None:
        return Uitkomst(False, "In de bestandsnaam staat geen code uitvraag (zoals H12016).")
    if aanlevering.verslagperiodes is None or code in aanlevering.verslagperiodes:
        return Uitkomst(True)
    toegestaan = ", ".join(sorted(aanlevering.verslagperiodes)) or "geen"
    return Uitkomst(
        False,
        f"Code uitvraag {code} is geen verslagperiode waarvoor nu geleverd kan worden "
        f"(toegestaan: {toegestaan}).",
    )


def _tc03_utf8(aanlevering: Aanlevering) -> Uitkomst:
    foute_regels: list[int] = []
    eerste_fout = ""
    for nummer, regel in enumerate(aanlevering.inhoud.split(b"\n"), start=1):
        try:
            regel.decode("utf-8")
        except UnicodeDecodeError as fout:
            foute_regels.append(nummer)
            if not eerste_fout:
                byte = regel[fout.start]
                eerste_fout = f"byte 0x{byte:02X} op regel {nummer}, positie {fout.start + 1}"
    if not foute_regels:
        return Uitkomst(True)
    return Uitkomst(
        False,
        f"Het bestand is geen geldige UTF-8: {eerste_fout}; "
        f"{len(foute_regels)} regel(s) met ongeldige bytes.",
        tuple(foute_regels),
    )


def _tc04_csv_kopregel(aanlevering: Aanlevering) -> Uitkomst:
    if aanlevering.csv_fout:
        return Uitkomst(
            False,
            f"Het bestand is geen geldige CSV: {aanlevering.csv_fout}.",
            (aanlevering.csv_fout_regel,),
        )
    if not aanlevering.records or not any(aanlevering.records[0][1]):
        return Uitkomst(False, "Het bestand heeft geen kopregel.", (1,))
    kop = tuple(veld.strip() for veld in aanlevering.records[0][1])
    if len(kop) == 1:
        return Uitkomst(False, _melding_scheidingsteken(kop[0]), (1,))
    if "" in kop:
        return Uitkomst(False, "De kopregel bevat een lege kolomnaam.", (1,))
    if aanlevering.soort == "WMO" and kop != WMO_HEADER:
        return Uitkomst(False, _melding_wmo_kolommen(kop), (1,))
    return Uitkomst(True)


def _melding_scheidingsteken(kop: str) -> str:
    for teken, naam in ((",", "komma"), ("\t", "tab"), ("|", "verticale streep")):
        if teken in kop:
            return (
                f"De kopregel lijkt de {naam} als scheidingsteken te gebruiken; "
                "het scheidingsteken moet een puntkomma (;) zijn."
            )
    return "De kopregel heeft maar één kolom; het scheidingsteken moet een puntkomma (;) zijn."


def _melding_wmo_kolommen(kop: tuple[str, ...]) -> str:
    ontbrekend = [kolom for kolom in WMO_HEADER if kolom not in kop]
    onbekend = [kolom for kolom in kop if kolom not in WMO_HEADER]
    delen = []
    if ontbrekend:
        delen.append("ontbrekende kolommen: " + ", ".join(ontbrekend))
    if onbekend:
        delen.append("onbekende kolommen: " + ", ".join(onbekend))
    if not delen:
        delen.append("de kolommen staan niet in de voorgeschreven volgorde of komen dubbel voor")
    return "De kopregel wijkt af van de Wmo-specificatie: " + "; ".join(delen) + "."


def _tc05_aantal_velden(aanlevering: Aanlevering) -> Uitkomst:
    if not aanlevering.records:
        return Uitkomst(True)
    verwacht = len(aanlevering.records[0][1])
    afwijkend = [nummer for nummer, velden in aanlevering.records[1:] if len(velden) != verwacht]
    if not afwijkend:
        return Uitkomst(True)
    getoond = ", ".join(map(str, afwijkend[:MAX_REGELS]))
    meer = f" (en nog {len(afwijkend) - MAX_REGELS})" if len(afwijkend) > MAX_REGELS else ""
    return Uitkomst(
        False,
        f"{len(afwijkend)} regel(s) hebben een ander aantal velden dan de kopregel "
        f"({verwacht}): regel {getoond}{meer}.",
        tuple(afwijkend),
    )


def _tc06_gegevens(aanlevering: Aanlevering) -> Uitkomst:
    if len(aanlevering.records) > 1:
        return Uitkomst(True)
    if not aanlevering.records:
        return Uitkomst(False, "Het bestand is leeg.")
    return Uitkomst(False, "Het bestand bevat alleen een kopregel en geen gegevensregels.")


_ALLE = frozenset({*SOORTEN, ONBEKEND})
_WMO = frozenset({"WMO"})

RULES: tuple[Regel, ...] = (
    Regel(
        "TC01",
        "De bestandsnaam volgt de naamconventie (soort, code uitvraag, vrije tekst, "
        "extensie .csv of .txt, geen verboden tekens).",
        _ALLE,
        _tc01_bestandsnaam,
    ),
    Regel(
        "TC02",
        "De code uitvraag in de bestandsnaam is een verslagperiode waarvoor geleverd kan "
        "worden (de huidige of de vorige).",
        _ALLE,
        _tc02_verslagperiode,
    ),
    Regel("TC03", "Het bestand is gecodeerd in UTF-8.", _ALLE, _tc03_utf8),
    Regel(
        "TC04",
        "Het bestand is een CSV-bestand met puntkomma (;) als scheidingsteken en een "
        "kopregel; voor Wmo met de voorgeschreven kolommen in de voorgeschreven volgorde.",
        _ALLE,
        _tc04_csv_kopregel,
    ),
    Regel(
        "TC05",
        "Elke gegevensregel heeft evenveel velden als de kopregel.",
        _WMO,
        _tc05_aantal_velden,
    ),
    Regel("TC06", "Het bestand bevat ten minste één gegevensregel.", _WMO, _tc06_gegevens),
)


def check_file(
    bestandsnaam: str,
    inhoud: bytes,
    gemeentecode: str,
    verslagperiodes: set[str] | None = None,
) -> Oordeel:
    """CBS's technical check of one file as received from RINIS.

    ``bestandsnaam`` carries the gemeentecode RINIS appended; ``verslagperiodes``
    holds the codes uitvraag that may be delivered now (current and previous period);
    without it the period is not checked. Each rule that applies to the file's soort
    gives one Bevinding, in catalogue order.
    """
    aanlevering = _lees_aanlevering(bestandsnaam, inhoud, gemeentecode, verslagperiodes)
    bevindingen = tuple(
        regel.pas_toe(aanlevering) for regel in RULES if regel.geldt_voor(aanlevering.soort)
    )
    return Oordeel(bestandsnaam=bestandsnaam, bevindingen=bevindingen)
