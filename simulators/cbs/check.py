"""CBS's technical check of a delivered GMSD file: the rule catalogue and the verdict.

This module owns what CBS decides about one file as RINIS hands it over (the
gemeentecode appended to the name): each rule of :data:`RULES` gives a
:class:`Bevinding`, and together they make the :class:`Oordeel` that the technical
report prints. It does no I/O and knows no other party: it keeps its own copy of the
columns and code lists of ``docs/bestanden.md`` instead of importing the gemeente's
generator, because CBS and the gemeente's software must be able to disagree.
``docs/controles.md`` lists the catalogue with example messages.

Where the simulator chooses (the real check was not published):

* the file name convention (TC01) follows the GMSD aanleverprotocol; control
  characters are rejected as well, a WMO file may leave its free text out, and SBO and
  JEUGD files may have free text only with ``vrije_tekst_sbo_jeugd``;
* only UTF-8 is accepted (TC03), with or without a BOM; the other rules read a byte
  that is no UTF-8 as Windows-1252 (the usual cause), so a Windows export is reported
  once, by TC03, and not again by TC04 for its header "Reden beëindiging";
* line numbers are physical lines counted from 1, the header being line 1; blank
  lines at the very end of a file are ignored, blank lines in between are rows;
* quotes follow the csv module's lenient default (``"x"y`` reads as ``xy``);
* one defect, one rule: an empty field is only TC07's business, a field longer than
  its maximum only TC08's; the format and content rules (TC09–TC14, TC16) judge the
  filled values within their maximum length. A field of spaces counts as empty;
* the field rules (TC07–TC14, TC16) read the columns by the header, so they pass when
  TC04 rejects the header, and they skip rows with another number of fields than the
  header (TC05 reports those); TC05, TC06 and TC15 do not need the header's names and
  still run;
* a ``.zip`` is not handled here.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from itertools import count, filterfalse
from operator import itemgetter
from typing import NamedTuple

FOUT = "fout"
WAARSCHUWING = "waarschuwing"
ERNSTEN: tuple[str, ...] = (FOUT, WAARSCHUWING)

SOORTEN: tuple[str, ...] = ("WMO", "SBO", "JEUGD")
ONBEKEND = "ONBEKEND"
"""Soort of a file whose name does not say WMO, SBO or JEUGD."""

EXTENSIES: tuple[str, ...] = ("csv", "txt")
VERBODEN_TEKENS = ':\\/?;*"><|]['
MAX_REGELS = 20
"""At most this many offending line numbers are kept per Bevinding."""

SEPARATOR = ";"

# --- the columns (docs/bestanden.md) ------------------------------------------------

AANMAAKDATUM = "Aanmaakdatum bestand"
GEMEENTECODE = "Gemeentecode"
BSN = "BSN"
TYPE_MAATWERKARRANGEMENT = "Type maatwerkarrangement"
TYPE_INSTELLING = "Type instelling"
BEOOGDE_START = "Beoogde startdatum ondersteuning"
BEOOGDE_EINDE = "Beoogde einddatum ondersteuning"
LEVERINGSVORM = "Leveringsvorm"
START = "Datum start daadwerkelijke ondersteuning"
EINDE = "Einddatum ondersteuning"
INTENSITEIT = "Intensiteit"
BETAALD_BEDRAG = "Daadwerkelijk betaald bedrag"
REDEN_BEEINDIGING = "Reden beëindiging"
CODE_UITVRAAG = "Code uitvraag"
IV3_CATEGORIE = "Iv3-categorie"
TYPE_VOORZIENING = "Type voorziening"
KOSTEN = "Kosten"


class Kolom(NamedTuple):
    """A column of a GMSD file: its name, whether it must be filled, its maximum length."""

    naam: str
    verplicht: bool
    max_lengte: int


KOLOMMEN: dict[str, tuple[Kolom, ...]] = {
    "WMO": (
        Kolom(AANMAAKDATUM, True, 14),
        Kolom(GEMEENTECODE, True, 4),
        Kolom(BSN, True, 9),
        Kolom(TYPE_MAATWERKARRANGEMENT, True, 2),
        Kolom(TYPE_INSTELLING, True, 8),
        Kolom(BEOOGDE_START, False, 8),  # this one or START: TC07
        Kolom(BEOOGDE_EINDE, False, 8),
        Kolom(LEVERINGSVORM, False, 3),
        Kolom(START, False, 8),
        Kolom(EINDE, False, 8),
        Kolom(INTENSITEIT, False, 3),
        Kolom(BETAALD_BEDRAG, False, 12),
        Kolom(REDEN_BEEINDIGING, False, 2),
    ),
    "SBO": (
        Kolom(AANMAAKDATUM, True, 14),
        Kolom(GEMEENTECODE, True, 4),
        Kolom(CODE_UITVRAAG, True, 6),
        Kolom(IV3_CATEGORIE, True, 3),
        Kolom(KOSTEN, True, 12),
    ),
    "JEUGD": (
        Kolom(AANMAAKDATUM, True, 14),
        Kolom(GEMEENTECODE, True, 4),
        Kolom(CODE_UITVRAAG, True, 6),
        Kolom(TYPE_VOORZIENING, True, 2),
        Kolom(KOSTEN, True, 12),
    ),
}
KOPREGELS: dict[str, tuple[str, ...]] = {
    soort: tuple(kolom.naam for kolom in kolommen) for soort, kolommen in KOLOMMEN.items()
}
WMO_HEADER = KOPREGELS["WMO"]
SBO_HEADER = KOPREGELS["SBO"]
JEUGD_HEADER = KOPREGELS["JEUGD"]

DATUMKOLOMMEN: dict[str, tuple[str, ...]] = {
    "WMO": (BEOOGDE_START, BEOOGDE_EINDE, START, EINDE),
    "SBO": (),
    "JEUGD": (),
}
STARTKOLOMMEN = (BEOOGDE_START, START)
EINDKOLOMMEN = (BEOOGDE_EINDE, EINDE)
START_EN_EINDE = ((BEOOGDE_START, BEOOGDE_EINDE), (START, EINDE))
"""Which end date may not lie before which start date: planned with planned, actual with actual."""

PRODUCTCATEGORIEEN = frozenset(f"{code:02d}" for code in range(1, 19))
LEVERINGSVORMEN = frozenset({"ZIN", "PGB"})
REDENEN_BEEINDIGING = frozenset(f"{code:02d}" for code in range(1, 6))
IV3_CATEGORIEEN = frozenset({"670", "671"})
TYPES_VOORZIENING = frozenset(f"{code:02d}" for code in range(1, 6))
CATEGORIEKOLOM = {"SBO": (IV3_CATEGORIE, IV3_CATEGORIEEN), "JEUGD": (TYPE_VOORZIENING, TYPES_VOORZIENING)}
"""The column whose valid codes may occur only once in an SBO or JEUGD file (TC16)."""

_NAAM = re.compile(r"(?P<soort>WMO|SBO|JEUGD)_(?P<code>H(?P<halfjaar>[12])(?P<jaar>\d{4}))", re.ASCII)
_CODE_ERGENS = re.compile(r"_(H[12]\d{4})(?![0-9])", re.ASCII)
_SOORT_PREFIX = re.compile(r"(WMO|SBO|JEUGD)_", re.IGNORECASE)
_BEDRAG = re.compile(r"\d{1,9}\.\d{2}", re.ASCII)
_INSTELLING = re.compile(r"\d{8}", re.ASCII)
_INTENSITEIT = re.compile(r"[1-9]\d{0,2}", re.ASCII)
_CIJFERS = re.compile(r"\d+", re.ASCII)
_NEGEN_CIJFERS = re.compile(r"\d{9}", re.ASCII)
_GETOOND_TEKENS = 40
"""A value quoted in a message is cut to this many characters."""


@dataclass(frozen=True)
class Bevinding:
    """The outcome of one rule for one file."""

    regel: str
    omschrijving: str
    geslaagd: bool
    melding: str = ""
    regels: tuple[int, ...] = ()
    ernst: str = FOUT
    """``fout`` rejects the file when the rule fails; ``waarschuwing`` only reports it."""


@dataclass(frozen=True)
class Oordeel:
    """CBS's verdict on one file: every applicable rule's Bevinding, in catalogue order."""

    bestandsnaam: str
    bevindingen: tuple[Bevinding, ...]

    @property
    def goedgekeurd(self) -> bool:
        return all(b.geslaagd for b in self.bevindingen if b.ernst == FOUT)

    @property
    def verdict(self) -> str:
        return "goedgekeurd" if self.goedgekeurd else "afgekeurd"

    @property
    def waarschuwingen(self) -> tuple[Bevinding, ...]:
        """The failed rules that only warn: reported, but the file is not rejected for them."""
        return tuple(b for b in self.bevindingen if not b.geslaagd and b.ernst == WAARSCHUWING)


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
    kop: tuple[str, ...] = ()
    """The specified header when the file has it (TC04 passes), else empty."""
    rijen: tuple[tuple[int, tuple[str, ...]], ...] = ()
    """The data rows the field rules read: those with as many fields as :attr:`kop`."""

    @cached_property
    def regelnummers(self) -> tuple[int, ...]:
        return tuple(map(itemgetter(0), self.rijen))

    @cached_property
    def _waarden(self) -> dict[str, tuple[str, ...]]:
        if not self.rijen:
            return {}
        return dict(zip(self.kop, zip(*map(itemgetter(1), self.rijen), strict=True), strict=True))

    @cached_property
    def _verschillend(self) -> dict[str, frozenset[str]]:
        return {naam: frozenset(waarden) for naam, waarden in self._waarden.items()}

    def kolom(self, naam: str) -> tuple[str, ...]:
        """The values of column ``naam`` in :attr:`rijen` order (empty without rows)."""
        return self._waarden.get(naam, ())

    def verschillend(self, naam: str) -> frozenset[str]:
        """The distinct values of column ``naam``: rules judge each value once."""
        return self._verschillend.get(naam, frozenset())

    @cached_property
    def max_lengte(self) -> dict[str, int]:
        return {kolom.naam: kolom.max_lengte for kolom in KOLOMMEN.get(self.soort, ())}


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
    ernst: str = FOUT

    def __post_init__(self) -> None:
        if self.ernst not in ERNSTEN:
            raise ValueError(f"ernst moet fout of waarschuwing zijn, niet {self.ernst!r}")

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
            ernst=self.ernst,
        )


class Catalogusregel(NamedTuple):
    """One row of the catalogue for documents and reports."""

    id: str
    ernst: str
    soorten: tuple[str, ...]
    omschrijving: str


# --- file names ---------------------------------------------------------------------


def parse_bestandsnaam(
    naam: str, gemeentecode: str | None = None, *, vrije_tekst_sbo_jeugd: bool = False
) -> dict | None:
    """The parts of a GMSD file name, or None when it does not follow the convention.

    With ``gemeentecode`` the name is read as CBS receives it: RINIS appended
    ``_<gemeentecode>`` before the extension, and it must be there. Without it the
    name is read as the gemeente made it. The result has soort, code_uitvraag, jaar,
    halfjaar, vrije_tekst (without the appended gemeentecode), extensie (lower case)
    and gemeentecode (the appended one, or None). ``vrije_tekst_sbo_jeugd`` lets SBO
    and JEUGD names carry free text after the code uitvraag, as WMO names may.
    """
    delen, _fout = _lees_bestandsnaam(naam, gemeentecode, vrije_tekst_sbo_jeugd)
    return delen


def _lees_bestandsnaam(
    naam: str, gemeentecode: str | None, vrije_tekst_sbo_jeugd: bool = False
) -> tuple[dict | None, str]:
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
            f"de bestandsnaam moet precies één punt hebben, vóór de extensie (gevonden: {naam.count('.')})"
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
    fout = _controleer_vrije_tekst(soort, rest, vrije_tekst_sbo_jeugd)
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
    return "na het voorvoegsel moet de code uitvraag volgen: H1 of H2 en het jaar (bijvoorbeeld H12016)"


def _zonder_gemeentecode(rest: str, gemeentecode: str | None) -> tuple[str, str]:
    """``rest`` without RINIS's appended ``_<gemeentecode>``, and an error if it is missing."""
    if gemeentecode is None:
        return rest, ""
    achtervoegsel = f"_{gemeentecode}"
    if not rest.endswith(achtervoegsel):
        return rest, f"de bestandsnaam eindigt niet op de gemeentecode {gemeentecode}"
    return rest[: -len(achtervoegsel)], ""


def _controleer_vrije_tekst(soort: str, rest: str, vrije_tekst_sbo_jeugd: bool) -> str:
    """``rest`` is what follows the code uitvraag: empty, or ``_`` and free text."""
    if not rest:
        return ""
    if soort != "WMO" and not vrije_tekst_sbo_jeugd:
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
    vrije_tekst_sbo_jeugd: bool = False,
) -> Aanlevering:
    naam, naamfout = _lees_bestandsnaam(bestandsnaam, gemeentecode, vrije_tekst_sbo_jeugd)
    soort = naam["soort"] if naam else _soort_uit_voorvoegsel(bestandsnaam)
    tekst = inhoud.decode("utf-8-sig", errors=_ALS_WINDOWS_1252)
    records, csv_fout, csv_fout_regel = _lees_records(tekst)
    kop: tuple[str, ...] = ()
    rijen: tuple[tuple[int, tuple[str, ...]], ...] = ()
    verwacht = KOPREGELS.get(soort)
    if verwacht and not csv_fout and records and _kopregel(records) == verwacht:
        kop = verwacht
        rijen = records[1:]
        if set(map(len, map(itemgetter(1), rijen))) - {len(kop)}:
            rijen = tuple(record for record in rijen if len(record[1]) == len(kop))
    return Aanlevering(
        bestandsnaam=bestandsnaam,
        inhoud=inhoud,
        gemeentecode=gemeentecode,
        verslagperiodes=None if verslagperiodes is None else frozenset(verslagperiodes),
        naam=naam,
        naamfout=naamfout,
        soort=soort,
        records=records,
        csv_fout=csv_fout,
        csv_fout_regel=csv_fout_regel,
        kop=kop,
        rijen=rijen,
    )


def _als_windows_1252(fout: UnicodeError) -> tuple[str, int]:
    """Read bytes that are no UTF-8 as Windows-1252, their usual cause (TC03 reports them)."""
    if not isinstance(fout, UnicodeDecodeError):
        raise fout
    return fout.object[fout.start : fout.end].decode("cp1252", errors="replace"), fout.end


_ALS_WINDOWS_1252 = "cbs-als-windows-1252"
codecs.register_error(_ALS_WINDOWS_1252, _als_windows_1252)


def _soort_uit_voorvoegsel(bestandsnaam: str) -> str:
    """Which content rules apply to a wrongly named file: by its prefix, any case."""
    prefix = _SOORT_PREFIX.match(bestandsnaam)
    return prefix.group(1).upper() if prefix else ONBEKEND


def _lees_records(tekst: str) -> tuple[tuple[tuple[int, tuple[str, ...]], ...], str, int]:
    """(line number, fields) per record; trailing blank lines dropped; a CSV error if any."""
    reader = csv.reader(io.StringIO(tekst, newline=""), delimiter=SEPARATOR)
    records: list[tuple[int, tuple[str, ...]]] = []
    try:
        if '"' not in tekst and tekst.count("\r") == tekst.count("\r\n"):
            records = list(zip(count(1), map(tuple, reader)))  # a record is a line: 3x faster
        else:
            eerste_regel = 1
            for velden in reader:
                records.append((eerste_regel, tuple(velden)))
                eerste_regel = reader.line_num + 1
    except csv.Error as fout:
        return tuple(records), f"regel {reader.line_num}: {fout}", reader.line_num
    while records and not records[-1][1]:
        records.pop()
    return tuple(records), "", 0


def _kopregel(records: tuple[tuple[int, tuple[str, ...]], ...]) -> tuple[str, ...]:
    return tuple(veld.strip() for veld in records[0][1])


# --- values -------------------------------------------------------------------------


def _gevuld(waarde: str) -> bool:
    return bool(waarde) and not waarde.isspace()


def _is_datum(waarde: str) -> bool:
    """``YYYYMMDD`` that names a day of the Gregorian calendar."""
    if len(waarde) != 8 or not _CIJFERS.fullmatch(waarde):
        return False
    try:
        date(int(waarde[:4]), int(waarde[4:6]), int(waarde[6:]))
    except ValueError:
        return False
    return True


def _is_tijdstip(waarde: str) -> bool:
    """``YYYYMMDDhhmmss`` that names a moment (no leap second)."""
    if len(waarde) != 14 or not _CIJFERS.fullmatch(waarde):
        return False
    delen = (waarde[:4], waarde[4:6], waarde[6:8], waarde[8:10], waarde[10:12], waarde[12:])
    try:
        datetime(*map(int, delen))
    except ValueError:
        return False
    return True


def bsn_geldig(bsn: str) -> bool:
    """True when ``bsn`` is 9 digits that pass the 11-proef and are not all zero."""
    if not _NEGEN_CIJFERS.fullmatch(bsn):
        return False
    b = bsn.encode()  # digit bytes are 48 + digit; the weights 9..2, -1 sum to 43
    som = 9 * b[0] + 8 * b[1] + 7 * b[2] + 6 * b[3] + 5 * b[4] + 4 * b[5] + 3 * b[6] + 2 * b[7]
    som -= b[8] + 48 * 43
    return som != 0 and som % 11 == 0


def _kort(waarde: str) -> str:
    if len(waarde) <= _GETOOND_TEKENS:
        return waarde
    return waarde[:_GETOOND_TEKENS] + "…"


def _periode(naam: dict) -> tuple[str, str]:
    """First and last day of the name's code uitvraag, as ``YYYYMMDD``."""
    jaar = naam["jaar"]
    if naam["halfjaar"] == 1:
        return f"{jaar:04d}0101", f"{jaar:04d}0630"
    return f"{jaar:04d}0701", f"{jaar:04d}1231"


# --- messages -----------------------------------------------------------------------

_Fout = tuple[int, str, str]
"""One offence: the line, the column ("" for a whole row), and what is wrong, in words."""


def _regellijst(regels: Iterable[int]) -> str:
    """``regel 3, 7, 9`` with at most MAX_REGELS numbers, then ``(en nog N)``."""
    regels = list(regels)
    getoond = ", ".join(map(str, regels[:MAX_REGELS]))
    meer = f" (en nog {len(regels) - MAX_REGELS})" if len(regels) > MAX_REGELS else ""
    return f"regel {getoond}{meer}"


def _uitkomst(wat: str, fouten: list[_Fout]) -> Uitkomst:
    """Passed without offences; else how many lines ``wat``, which, in which columns, and
    the first offence in words."""
    if not fouten:
        return Uitkomst(True)
    fouten.sort(key=lambda fout: fout[0])
    regels = tuple(dict.fromkeys(regel for regel, _, _ in fouten))
    kolommen = ", ".join(dict.fromkeys(kolom for _, kolom, _ in fouten if kolom))
    waar = f" (kolom: {kolommen})" if kolommen else ""
    regel, _, eerste = fouten[0]
    return Uitkomst(
        False,
        f"{len(regels)} regel(s) {wat}: {_regellijst(regels)}{waar}. Bijvoorbeeld regel {regel}: {eerste}.",
        regels,
    )


def _waardefouten(
    a: Aanlevering, kolom: str, geldig: Callable[[str], object], uitleg: str | Callable[[str], str]
) -> list[_Fout]:
    """Each filled value of ``kolom`` within its maximum length that is not ``geldig``.

    ``geldig`` sees each distinct value once (a C function such as a pattern's
    ``fullmatch`` or a set's ``__contains__`` keeps 100,000 rows cheap); ``uitleg`` says
    why a value is wrong, as text or as a function of the value."""
    maximum = a.max_lengte[kolom]
    foutief = {
        waarde: uitleg if isinstance(uitleg, str) else uitleg(waarde)
        for waarde in filterfalse(geldig, a.verschillend(kolom))
        if _gevuld(waarde) and len(waarde) <= maximum
    }
    return _regels_met(a, kolom, foutief, lambda waarde: f'{kolom} "{_kort(waarde)}" {foutief[waarde]}')


def _regels_met(
    a: Aanlevering, kolom: str, waarden: Collection[str], tekst: Callable[[str], str]
) -> list[_Fout]:
    """An offence for each row whose ``kolom`` holds one of ``waarden``, described by ``tekst``."""
    if not waarden:
        return []
    return [
        (regel, kolom, tekst(waarde))
        for regel, waarde in zip(a.regelnummers, a.kolom(kolom), strict=True)
        if waarde in waarden
    ]


# --- the rules: file, encoding, CSV -------------------------------------------------


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
    try:
        aanlevering.inhoud.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return Uitkomst(True)
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
    return Uitkomst(
        False,
        f"Het bestand is geen geldige UTF-8: {eerste_fout}; "
        f"{len(foute_regels)} regel(s) met ongeldige bytes: {_regellijst(foute_regels)}.",
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
        return Uitkomst(False, "Het bestand heeft geen kopregel (regel 1 is leeg).", (1,))
    kop = _kopregel(aanlevering.records)
    if len(kop) == 1:
        return Uitkomst(False, _melding_scheidingsteken(kop[0]), (1,))
    if "" in kop:
        return Uitkomst(False, "De kopregel (regel 1) bevat een lege kolomnaam.", (1,))
    verwacht = KOPREGELS.get(aanlevering.soort)
    if verwacht and kop != verwacht:
        return Uitkomst(False, _melding_kolommen(aanlevering.soort, kop, verwacht), (1,))
    return Uitkomst(True)


def _melding_scheidingsteken(kop: str) -> str:
    for teken, naam in ((",", "komma"), ("\t", "tab"), ("|", "verticale streep")):
        if teken in kop:
            return (
                f"De kopregel (regel 1) lijkt de {naam} als scheidingsteken te gebruiken; "
                "het scheidingsteken moet een puntkomma (;) zijn."
            )
    return "De kopregel (regel 1) heeft maar één kolom; het scheidingsteken moet een puntkomma (;) zijn."


def _melding_kolommen(soort: str, kop: tuple[str, ...], verwacht: tuple[str, ...]) -> str:
    ontbrekend = [kolom for kolom in verwacht if kolom not in kop]
    onbekend = [kolom for kolom in kop if kolom not in verwacht]
    delen = []
    if ontbrekend:
        delen.append("ontbrekende kolommen: " + ", ".join(ontbrekend))
    if onbekend:
        delen.append("onbekende kolommen: " + ", ".join(map(_kort, onbekend)))
    if not delen:
        delen.append("de kolommen staan niet in de voorgeschreven volgorde of komen dubbel voor")
    return f"De kopregel (regel 1) wijkt af van de specificatie voor {soort}: " + "; ".join(delen) + "."


def _tc05_aantal_velden(aanlevering: Aanlevering) -> Uitkomst:
    if not aanlevering.records:
        return Uitkomst(True)
    verwacht = len(aanlevering.records[0][1])
    if set(map(len, map(itemgetter(1), aanlevering.records[1:]))) <= {verwacht}:
        return Uitkomst(True)
    afwijkend = [nummer for nummer, velden in aanlevering.records[1:] if len(velden) != verwacht]
    return Uitkomst(
        False,
        f"{len(afwijkend)} regel(s) hebben een ander aantal velden dan de kopregel "
        f"({verwacht}): {_regellijst(afwijkend)}.",
        tuple(afwijkend),
    )


def _tc06_gegevens(aanlevering: Aanlevering) -> Uitkomst:
    if len(aanlevering.records) > 1:
        return Uitkomst(True)
    if not aanlevering.records:
        return Uitkomst(False, "Het bestand is leeg.")
    return Uitkomst(False, "Het bestand bevat alleen een kopregel (regel 1) en geen gegevensregels.")


# --- the rules: fields ---------------------------------------------------------------


def _tc07_verplichte_velden(a: Aanlevering) -> Uitkomst:
    fouten: list[_Fout] = []
    for kolom in KOLOMMEN.get(a.soort, ()):
        if kolom.verplicht:
            fouten += _waardefouten_leeg(a, kolom.naam)
    if a.soort == "WMO" and all(_heeft_lege(a, naam) for naam in STARTKOLOMMEN):
        beoogd, daadwerkelijk = (a.kolom(naam) for naam in STARTKOLOMMEN)
        fouten += [
            (
                regel,
                " / ".join(STARTKOLOMMEN),
                f"{BEOOGDE_START} en {START} zijn allebei leeg (één van beide is verplicht)",
            )
            for regel, b, d in zip(a.regelnummers, beoogd, daadwerkelijk, strict=True)
            if (not b or b.isspace()) and (not d or d.isspace())
        ]
    return _uitkomst("met een leeg verplicht veld", fouten)


def _heeft_lege(a: Aanlevering, kolom: str) -> bool:
    verschillend = a.verschillend(kolom)
    return "" in verschillend or any(map(str.isspace, verschillend))


def _waardefouten_leeg(a: Aanlevering, kolom: str) -> list[_Fout]:
    if not _heeft_lege(a, kolom):
        return []
    leeg = {waarde for waarde in a.verschillend(kolom) if not _gevuld(waarde)}
    return _regels_met(a, kolom, leeg, lambda _: f"{kolom} is leeg")


def _tc08_veldlengte(a: Aanlevering) -> Uitkomst:
    fouten: list[_Fout] = []
    for naam, _, maximum in KOLOMMEN.get(a.soort, ()):
        verschillend = a.verschillend(naam)
        if max(map(len, verschillend), default=0) > maximum:
            te_lang = {waarde for waarde in verschillend if len(waarde) > maximum}
            fouten += _regels_met(
                a,
                naam,
                te_lang,
                lambda waarde, naam=naam, maximum=maximum: (
                    f'{naam} "{_kort(waarde)}" heeft {len(waarde)} tekens, ten hoogste {maximum} toegestaan'
                ),
            )
    return _uitkomst("met een te lang veld", fouten)


def _tc09_datums(a: Aanlevering) -> Uitkomst:
    fouten = _waardefouten(a, AANMAAKDATUM, _is_tijdstip, "is geen bestaand tijdstip (JJJJMMDDuummss)")
    for kolom in DATUMKOLOMMEN.get(a.soort, ()):
        fouten += _waardefouten(a, kolom, _is_datum, "is geen bestaande datum (JJJJMMDD)")
    return _uitkomst("met een ongeldige datum", fouten)


def _tc10_datums_in_periode(a: Aanlevering) -> Uitkomst:
    if not a.kop or a.naam is None:
        return Uitkomst(True)  # without a readable name TC01 fails and there is no period
    code = a.naam["code_uitvraag"]
    begin, einde = _periode(a.naam)
    fouten: list[_Fout] = []
    for kolom in STARTKOLOMMEN:  # an invalid date is TC09's: it counts as in the period here
        fouten += _waardefouten(
            a,
            kolom,
            lambda waarde: waarde <= einde or not _is_datum(waarde),
            f"ligt na het einde van verslagperiode {code} ({einde})",
        )
    for kolom in EINDKOLOMMEN:
        fouten += _waardefouten(
            a,
            kolom,
            lambda waarde: waarde >= begin or not _is_datum(waarde),
            f"ligt vóór het begin van verslagperiode {code} ({begin})",
        )
    for start, eind in START_EN_EINDE:
        fouten += [
            (regel, eind, f"{eind} {e} ligt vóór {start} {s}")
            for regel, s, e in zip(a.regelnummers, a.kolom(start), a.kolom(eind), strict=True)
            if e and e < s and _is_datum(e) and _is_datum(s)  # YYYYMMDD sorts as dates do
        ]
    return _uitkomst("met een datum die niet past bij de verslagperiode", fouten)


def _tc11_bsn(a: Aanlevering) -> Uitkomst:
    return _uitkomst("met een ongeldig BSN", _waardefouten(a, BSN, bsn_geldig, _bsn_reden))


def _bsn_reden(bsn: str) -> str:
    if not _NEGEN_CIJFERS.fullmatch(bsn):
        return "bestaat niet uit 9 cijfers"
    return "voldoet niet aan de 11-proef"


_BEDRAG_UITLEG = "is geen bedrag als 1234.50 (hoogstens 9 cijfers, een punt en 2 decimalen)"

CODECONTROLES: dict[str, tuple[tuple[str, Callable[[str], object], str], ...]] = {
    "WMO": (
        (TYPE_MAATWERKARRANGEMENT, PRODUCTCATEGORIEEN.__contains__, "is geen code van 01 t/m 18"),
        (TYPE_INSTELLING, _INSTELLING.fullmatch, "bestaat niet uit 8 cijfers"),
        (LEVERINGSVORM, LEVERINGSVORMEN.__contains__, "is niet ZIN of PGB"),
        (INTENSITEIT, _INTENSITEIT.fullmatch, "is geen geheel aantal uren van 1 t/m 999"),
        (BETAALD_BEDRAG, _BEDRAG.fullmatch, _BEDRAG_UITLEG),
        (REDEN_BEEINDIGING, REDENEN_BEEINDIGING.__contains__, "is geen code van 01 t/m 05"),
    ),
    "SBO": (
        (IV3_CATEGORIE, IV3_CATEGORIEEN.__contains__, "is niet 670 of 671"),
        (KOSTEN, _BEDRAG.fullmatch, _BEDRAG_UITLEG),
    ),
    "JEUGD": (
        (TYPE_VOORZIENING, TYPES_VOORZIENING.__contains__, "is geen code van 01 t/m 05"),
        (KOSTEN, _BEDRAG.fullmatch, _BEDRAG_UITLEG),
    ),
}
"""Per soort, the columns TC12 checks: which values are valid, and what a wrong one is."""


def _tc12_codewaarden(a: Aanlevering) -> Uitkomst:
    if not a.kop:
        return Uitkomst(True)
    fouten: list[_Fout] = []
    for kolom, geldig, uitleg in CODECONTROLES[a.soort]:
        fouten += _waardefouten(a, kolom, geldig, uitleg)
    if a.soort == "WMO":
        fouten += [
            (regel, REDEN_BEEINDIGING, f'{REDEN_BEEINDIGING} "{_kort(reden)}" is gevuld zonder {EINDE}')
            for regel, reden, einde in zip(
                a.regelnummers, a.kolom(REDEN_BEEINDIGING), a.kolom(EINDE), strict=True
            )
            if reden and (not einde or einde.isspace()) and _gevuld(reden) and len(reden) <= 2
        ]
    elif a.naam is not None:  # SBO, JEUGD: the column repeats the code in the name
        code = a.naam["code_uitvraag"]
        fouten += _waardefouten(
            a, CODE_UITVRAAG, code.__eq__, f"wijkt af van de code uitvraag in de bestandsnaam ({code})"
        )
    return _uitkomst("met een ongeldige codewaarde of opmaak", fouten)


def _tc13_gemeentecode(a: Aanlevering) -> Uitkomst:
    gemeente = a.gemeentecode
    fouten = _waardefouten(
        a, GEMEENTECODE, gemeente.__eq__, f"is niet de code van de aanleverende gemeente ({gemeente})"
    )
    return _uitkomst("met een andere gemeentecode dan die van de aanleverende gemeente", fouten)


def _tc14_aanmaakdatum(a: Aanlevering) -> Uitkomst:
    tijdstippen = set(filter(_is_tijdstip, a.verschillend(AANMAAKDATUM)))
    if len(tijdstippen) <= 1:
        return Uitkomst(True)  # an invalid one is TC09's
    waarden = a.kolom(AANMAAKDATUM)
    meest, _ = Counter(waarde for waarde in waarden if waarde in tijdstippen).most_common(1)[0]
    anders = tijdstippen - {meest}
    fouten = _regels_met(a, AANMAAKDATUM, anders, lambda waarde: f"{AANMAAKDATUM} is {waarde}")
    return _uitkomst(f"met een andere {AANMAAKDATUM} dan de meeste regels ({meest})", fouten)


def _tc15_gelijke_regels(a: Aanlevering) -> Uitkomst:
    rijen = [velden for _, velden in a.records[1:] if velden]  # a blank line is no data row
    if len(set(rijen)) == len(rijen):
        return Uitkomst(True)
    gezien: dict[tuple[str, ...], int] = {}
    fouten: list[_Fout] = []
    for regel, velden in a.records[1:]:
        if velden:
            eerste = gezien.setdefault(velden, regel)
            if eerste != regel:
                fouten.append((regel, "", f"de regel is gelijk aan regel {eerste}"))
    return _uitkomst("zijn gelijk aan een eerdere regel", fouten)


def _tc16_dubbele_categorie(a: Aanlevering) -> Uitkomst:
    if not a.kop:
        return Uitkomst(True)
    kolom, codes = CATEGORIEKOLOM[a.soort]
    per_code: dict[str, list[int]] = {}
    for regel, waarde in zip(a.regelnummers, a.kolom(kolom), strict=True):
        if waarde in codes:
            per_code.setdefault(waarde, []).append(regel)
    dubbel = {code: regels for code, regels in per_code.items() if len(regels) > 1}
    if not dubbel:
        return Uitkomst(True)
    regels = tuple(sorted(regel for regels in dubbel.values() for regel in regels))
    per = "; ".join(f"{code} {len(regels)} keer, {_regellijst(regels)}" for code, regels in dubbel.items())
    return Uitkomst(False, f"{kolom} komt meer dan eens voor: {per}.", regels)


_ALLE = frozenset({*SOORTEN, ONBEKEND})
_GEKEND = frozenset(SOORTEN)
_WMO = frozenset({"WMO"})
_SBO_JEUGD = frozenset({"SBO", "JEUGD"})

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
        "kopregel met de voorgeschreven kolommen in de voorgeschreven volgorde.",
        _ALLE,
        _tc04_csv_kopregel,
    ),
    Regel("TC05", "Elke gegevensregel heeft evenveel velden als de kopregel.", _GEKEND, _tc05_aantal_velden),
    Regel("TC06", "Het bestand bevat ten minste één gegevensregel.", _GEKEND, _tc06_gegevens),
    Regel(
        "TC07",
        "Elk verplicht veld is gevuld; bij Wmo ten minste één van Beoogde startdatum "
        "ondersteuning en Datum start daadwerkelijke ondersteuning.",
        _GEKEND,
        _tc07_verplichte_velden,
    ),
    Regel("TC08", "Geen veld is langer dan de maximale lengte van zijn kolom.", _GEKEND, _tc08_veldlengte),
    Regel(
        "TC09",
        "Elke datum is een bestaande datum JJJJMMDD; Aanmaakdatum bestand is een bestaand "
        "tijdstip JJJJMMDDuummss.",
        _GEKEND,
        _tc09_datums,
    ),
    Regel(
        "TC10",
        "De datums passen bij de verslagperiode: een startdatum niet na het einde ervan, een "
        "einddatum niet vóór het begin ervan, en geen einddatum vóór zijn startdatum.",
        _WMO,
        _tc10_datums_in_periode,
    ),
    Regel("TC11", "Elk BSN bestaat uit 9 cijfers en voldoet aan de 11-proef.", _WMO, _tc11_bsn),
    Regel(
        "TC12",
        "Elke code en elk bedrag heeft een toegestane waarde en opmaak; Reden beëindiging "
        "alleen met een Einddatum ondersteuning; Code uitvraag gelijk aan die in de bestandsnaam.",
        _GEKEND,
        _tc12_codewaarden,
    ),
    Regel(
        "TC13",
        "De Gemeentecode op elke regel is die van de aanleverende gemeente.",
        _GEKEND,
        _tc13_gemeentecode,
    ),
    Regel(
        "TC14",
        "Aanmaakdatum bestand is op elke regel dezelfde.",
        _GEKEND,
        _tc14_aanmaakdatum,
    ),
    Regel(
        "TC15",
        "Geen gegevensregel komt meer dan eens voor.",
        _GEKEND,
        _tc15_gelijke_regels,
        WAARSCHUWING,
    ),
    Regel(
        "TC16",
        "Elke Iv3-categorie (SBO) of elk type voorziening (JEUGD) komt hoogstens één keer voor.",
        _SBO_JEUGD,
        _tc16_dubbele_categorie,
    ),
)


def catalogus() -> tuple[Catalogusregel, ...]:
    """The catalogue as rows (id, ernst, soorten, omschrijving), for documents and reports.

    Soorten are listed as WMO, SBO, JEUGD, then ONBEKEND (a file whose name says no soort).
    """
    volgorde = (*SOORTEN, ONBEKEND)
    return tuple(
        Catalogusregel(
            regel.id,
            regel.ernst,
            tuple(soort for soort in volgorde if soort in regel.soorten),
            regel.omschrijving,
        )
        for regel in RULES
    )


def check_file(
    bestandsnaam: str,
    inhoud: bytes,
    gemeentecode: str,
    verslagperiodes: set[str] | None = None,
    *,
    vrije_tekst_sbo_jeugd: bool = False,
) -> Oordeel:
    """CBS's technical check of one file as received from RINIS.

    ``bestandsnaam`` carries the gemeentecode RINIS appended; ``verslagperiodes``
    holds the codes uitvraag that may be delivered now (current and previous period);
    without it the period is not checked. ``vrije_tekst_sbo_jeugd`` allows free text
    after the code uitvraag in SBO and JEUGD names. Each rule that applies to the
    file's soort gives one Bevinding, in catalogue order.
    """
    aanlevering = _lees_aanlevering(
        bestandsnaam, inhoud, gemeentecode, verslagperiodes, vrije_tekst_sbo_jeugd
    )
    bevindingen = tuple(regel.pas_toe(aanlevering) for regel in RULES if regel.geldt_voor(aanlevering.soort))
    return Oordeel(bestandsnaam=bestandsnaam, bevindingen=bevindingen)


__all__ = [
    "FOUT",
    "JEUGD_HEADER",
    "KOLOMMEN",
    "KOPREGELS",
    "MAX_REGELS",
    "ONBEKEND",
    "RULES",
    "SBO_HEADER",
    "SOORTEN",
    "WAARSCHUWING",
    "WMO_HEADER",
    "Bevinding",
    "Catalogusregel",
    "Kolom",
    "Oordeel",
    "Regel",
    "bsn_geldig",
    "catalogus",
    "check_file",
    "parse_bestandsnaam",
]
