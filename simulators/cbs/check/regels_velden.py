"""The rules on the fields of the data rows (TC07–TC17).

This module owns the tests that read the columns: filled, not too long, dates, BSN,
codes and amounts, gemeentecode, one Aanmaakdatum, no duplicate rows or categories, no
cell a spreadsheet would read as a formula.

Where the simulator chooses (the real check was not published):

* one defect, one rule: an empty field is only TC07's business, a field longer than
  its maximum only TC08's; the format and content rules (TC09–TC14, TC16) judge the
  filled values within their maximum length. A field of spaces counts as empty;
* the field rules (TC07–TC14, TC16) read the columns by the header, so they pass when
  TC04 rejects the header, and they skip rows with another number of fields than the
  header (TC05 reports those); TC15 does not need the header's names and still runs;
* an amount may be negative (a correction): ``-123.45``; its minus counts in the length;
* TC17 (formula injection) reads every cell of every record, the header and the rows the
  other rules skip included: a cell that begins, after spaces, with ``=``, ``+``, ``-``
  or ``@`` (or their full-width forms), or whose first character is a tab or a carriage
  return, unless it is a plain signed number such as ``-123.45``, which a spreadsheet
  reads as a number. In this contract every column holds codes, dates or amounts, so such
  a cell also breaks a format rule; TC17 says why it is dangerous as well as wrong.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from itertools import chain
from operator import itemgetter

from .bestandsnaam import periode
from .inlezen import Aanlevering, kopregel
from .kolommen import (
    AANMAAKDATUM,
    BEOOGDE_START,
    BETAALD_BEDRAG,
    BSN,
    CATEGORIEKOLOM,
    CODE_UITVRAAG,
    DATUMKOLOMMEN,
    EINDE,
    EINDKOLOMMEN,
    GEMEENTECODE,
    INTENSITEIT,
    IV3_CATEGORIE,
    IV3_CATEGORIEEN,
    KOLOMMEN,
    KOSTEN,
    LEVERINGSVORM,
    LEVERINGSVORMEN,
    PRODUCTCATEGORIEEN,
    REDEN_BEEINDIGING,
    REDENEN_BEEINDIGING,
    START,
    START_EN_EINDE,
    STARTKOLOMMEN,
    TYPE_INSTELLING,
    TYPE_MAATWERKARRANGEMENT,
    TYPE_VOORZIENING,
    TYPES_VOORZIENING,
)
from .meldingen import Fout, Uitkomst, line_list, lines_with, shorten, uitkomst, value_faults
from .waarden import NEGEN_CIJFERS, bsn_valid, is_date, is_filled, is_moment

_BEDRAG = re.compile(r"-?\d{1,9}\.\d{2}", re.ASCII)
_INSTELLING = re.compile(r"\d{8}", re.ASCII)
_INTENSITEIT = re.compile(r"[1-9]\d{0,2}", re.ASCII)


def tc07_verplichte_velden(a: Aanlevering) -> Uitkomst:
    fouten: list[Fout] = []
    for kolom in KOLOMMEN.get(a.soort, ()):
        if kolom.verplicht:
            fouten += _empty_value_faults(a, kolom.naam)
    if a.soort == "WMO" and all(_has_empty(a, naam) for naam in STARTKOLOMMEN):
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
    return uitkomst("met een leeg verplicht veld", fouten)


def _has_empty(a: Aanlevering, kolom: str) -> bool:
    verschillend = a.verschillend(kolom)
    return "" in verschillend or any(map(str.isspace, verschillend))


def _empty_value_faults(a: Aanlevering, kolom: str) -> list[Fout]:
    if not _has_empty(a, kolom):
        return []
    leeg = {waarde for waarde in a.verschillend(kolom) if not is_filled(waarde)}
    return lines_with(a, kolom, leeg, lambda _: f"{kolom} is leeg")


def tc08_veldlengte(a: Aanlevering) -> Uitkomst:
    fouten: list[Fout] = []
    for naam, _, maximum in KOLOMMEN.get(a.soort, ()):
        verschillend = a.verschillend(naam)
        if max(map(len, verschillend), default=0) > maximum:
            te_lang = {waarde for waarde in verschillend if len(waarde) > maximum}
            fouten += lines_with(
                a,
                naam,
                te_lang,
                lambda waarde, naam=naam, maximum=maximum: (
                    f'{naam} "{shorten(waarde)}" heeft {len(waarde)} tekens, ten hoogste {maximum} toegestaan'
                ),
            )
    return uitkomst("met een te lang veld", fouten)


def tc09_datums(a: Aanlevering) -> Uitkomst:
    fouten = value_faults(a, AANMAAKDATUM, is_moment, "is geen bestaand tijdstip (JJJJMMDDuummss)")
    for kolom in DATUMKOLOMMEN.get(a.soort, ()):
        fouten += value_faults(a, kolom, is_date, "is geen bestaande datum (JJJJMMDD)")
    return uitkomst("met een ongeldige datum", fouten)


def tc10_datums_in_periode(a: Aanlevering) -> Uitkomst:
    if not a.kop or a.naam is None:
        return Uitkomst(True)  # without a readable name TC01 fails and there is no period
    code = a.naam["code_uitvraag"]
    begin, einde = periode(a.naam)
    fouten: list[Fout] = []
    for kolom in STARTKOLOMMEN:  # an invalid date is TC09's: it counts as in the period here
        fouten += value_faults(
            a,
            kolom,
            lambda waarde: waarde <= einde or not is_date(waarde),
            f"ligt na het einde van verslagperiode {code} ({einde})",
        )
    for kolom in EINDKOLOMMEN:
        fouten += value_faults(
            a,
            kolom,
            lambda waarde: waarde >= begin or not is_date(waarde),
            f"ligt vóór het begin van verslagperiode {code} ({begin})",
        )
    for start, eind in START_EN_EINDE:
        fouten += [
            (regel, eind, f"{eind} {e} ligt vóór {start} {s}")
            for regel, s, e in zip(a.regelnummers, a.kolom(start), a.kolom(eind), strict=True)
            if e and e < s and is_date(e) and is_date(s)  # YYYYMMDD sorts as dates do
        ]
    return uitkomst("met een datum die niet past bij de verslagperiode", fouten)


def tc11_bsn(a: Aanlevering) -> Uitkomst:
    return uitkomst("met een ongeldig BSN", value_faults(a, BSN, bsn_valid, _bsn_reason))


def _bsn_reason(bsn: str) -> str:
    if not NEGEN_CIJFERS.fullmatch(bsn):
        return "bestaat niet uit 9 cijfers"
    return "voldoet niet aan de 11-proef"


_BEDRAG_UITLEG = (
    "is geen bedrag als 1234.50 of -1234.50 (hoogstens 9 cijfers, een punt en 2 decimalen)"
)

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


def tc12_codewaarden(a: Aanlevering) -> Uitkomst:
    if not a.kop:
        return Uitkomst(True)
    fouten: list[Fout] = []
    for kolom, geldig, uitleg in CODECONTROLES[a.soort]:
        fouten += value_faults(a, kolom, geldig, uitleg)
    if a.soort == "WMO":
        fouten += [
            (regel, REDEN_BEEINDIGING, f'{REDEN_BEEINDIGING} "{shorten(reden)}" is gevuld zonder {EINDE}')
            for regel, reden, einde in zip(
                a.regelnummers, a.kolom(REDEN_BEEINDIGING), a.kolom(EINDE), strict=True
            )
            if reden and (not einde or einde.isspace()) and is_filled(reden) and len(reden) <= 2
        ]
    elif a.naam is not None:  # SBO, JEUGD: the column repeats the code in the name
        code = a.naam["code_uitvraag"]
        fouten += value_faults(
            a, CODE_UITVRAAG, code.__eq__, f"wijkt af van de code uitvraag in de bestandsnaam ({code})"
        )
    return uitkomst("met een ongeldige codewaarde of opmaak", fouten)


def tc13_gemeentecode(a: Aanlevering) -> Uitkomst:
    gemeente = a.gemeentecode
    fouten = value_faults(
        a, GEMEENTECODE, gemeente.__eq__, f"is niet de code van de aanleverende gemeente ({gemeente})"
    )
    return uitkomst("met een andere gemeentecode dan die van de aanleverende gemeente", fouten)


def tc14_aanmaakdatum(a: Aanlevering) -> Uitkomst:
    tijdstippen = set(filter(is_moment, a.verschillend(AANMAAKDATUM)))
    if len(tijdstippen) <= 1:
        return Uitkomst(True)  # an invalid one is TC09's
    waarden = a.kolom(AANMAAKDATUM)
    meest, _ = Counter(waarde for waarde in waarden if waarde in tijdstippen).most_common(1)[0]
    anders = tijdstippen - {meest}
    fouten = lines_with(a, AANMAAKDATUM, anders, lambda waarde: f"{AANMAAKDATUM} is {waarde}")
    return uitkomst(f"met een andere {AANMAAKDATUM} dan de meeste regels ({meest})", fouten)


def tc15_gelijke_regels(a: Aanlevering) -> Uitkomst:
    rijen = [velden for _, velden in a.records[1:] if velden]  # a blank line is no data row
    if len(set(rijen)) == len(rijen):
        return Uitkomst(True)
    gezien: dict[tuple[str, ...], int] = {}
    fouten: list[Fout] = []
    for regel, velden in a.records[1:]:
        if velden:
            eerste = gezien.setdefault(velden, regel)
            if eerste != regel:
                fouten.append((regel, "", f"de regel is gelijk aan regel {eerste}"))
    return uitkomst("zijn gelijk aan een eerdere regel", fouten)


def tc16_dubbele_categorie(a: Aanlevering) -> Uitkomst:
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
    per = "; ".join(f"{code} {len(regels)} keer, {line_list(regels)}" for code, regels in dubbel.items())
    return Uitkomst(False, f"{kolom} komt meer dan eens voor: {per}.", regels)


_FORMULETEKENS = "=+-@\uff1d\uff0b\uff0d\uff20"
"""A cell that begins with one of these (after spaces) may be read as a formula: = + - @ and
their full-width forms, which some spreadsheets take as well."""
_SPATIES = " \t\r\n\f\v"
"""The white space a formula may hide behind at the start of a cell."""
_MOGELIJK_FORMULE = re.compile(rf"[{_SPATIES}]*[{re.escape(_FORMULETEKENS)}]|[\t\r]")
_GETAL = re.compile(rf"[+-][0-9]+(?:[.,][0-9]+)?[{_SPATIES}]*")
_STUURTEKENS = {"\t": "een tab", "\r": "een regelterugloop (CR)"}
_FORMULESPOREN = (b"=", b"+", b"-", b"@", b"\t", b'"\r', b"\xef\xbc")
"""Bytes without which a file has no formula cell: a CR first in a cell must be quoted (else
it ends the line), and the full-width forms share their first two UTF-8 bytes, EF BC.
Looking for them costs ~15 ms in a valid 100,000-row file, where none occurs; judging
every distinct value, when one does (a negative amount, say), ~0.1 s."""


def tc17_formules(a: Aanlevering) -> Uitkomst:
    if not any(map(a.inhoud.__contains__, _FORMULESPOREN)):
        return Uitkomst(True)
    kandidaten = filter(_MOGELIJK_FORMULE.match, _all_values(a))  # C speed; few pass
    verdacht = {waarde: begin for waarde in kandidaten if (begin := _formula_start(waarde))}
    if not verdacht:
        return Uitkomst(True)
    kop = kopregel(a.records)
    fouten: list[Fout] = []
    for nummer, (regel, velden) in enumerate(a.records):
        for index, waarde in enumerate(velden):
            if waarde in verdacht:
                getoond = shorten(waarde).replace("\t", "\\t").replace("\r", "\\r")
                if nummer == 0:
                    fouten.append((regel, "", f'de kolomnaam "{getoond}" begint met {verdacht[waarde]}'))
                else:
                    kolom = kop[index] if index < len(kop) else f"veld {index + 1}"
                    fouten.append((regel, kolom, f'{kolom} "{getoond}" begint met {verdacht[waarde]}'))
    return uitkomst("met een cel die een spreadsheet als formule kan lezen (formule-injectie)", fouten)


def _all_values(a: Aanlevering) -> set[str]:
    """Every distinct cell of every record: by column where the header is known (the sets the
    other rules use), the header and the records with another number of fields one by one."""
    if not a.kop:
        return set(chain.from_iterable(map(itemgetter(1), a.records)))
    waarden = set(a.records[0][1]).union(*map(a.verschillend, a.kop))
    if len(a.rijen) < len(a.records) - 1:
        waarden.update(chain.from_iterable(velden for _, velden in a.records if len(velden) != len(a.kop)))
    return waarden


def _formula_start(waarde: str) -> str:
    """What makes ``waarde`` readable as a formula, in words ("" when nothing does)."""
    if waarde[:1] in _STUURTEKENS and not waarde.isspace():
        return _STUURTEKENS[waarde[0]]
    kern = waarde.lstrip(_SPATIES)
    if kern and kern[0] in _FORMULETEKENS and not _GETAL.fullmatch(kern):
        return f'"{kern[0]}"'
    return ""


def tc18_sbo_drempel(a: Aanlevering) -> Uitkomst:
    """SBO is asked only of gemeenten under the threshold (20,000 inhabitants on 1 January 2016)
    that do not report Iv3 to CBS (seed 000 ch.5); for the others the request lapses. A
    gemeente CBS's table does not name is not judged (CBS cannot tell)."""
    toets = a.sbo
    if toets is None:
        return Uitkomst(True)
    if toets.iv3:
        return Uitkomst(False, f"Gemeente {a.gemeentecode} levert Iv3-informatie aan het CBS; voor haar "
                               "vervalt de uitvraag sociale basisondersteuning (SBO).")
    if toets.inwoners is not None and toets.inwoners >= toets.drempel:
        return Uitkomst(False, f"Gemeente {a.gemeentecode} had op 1 januari 2016 {toets.inwoners} inwoners; "
                               f"SBO wordt alleen uitgevraagd bij gemeenten met minder dan {toets.drempel} "
                               "inwoners.")
    return Uitkomst(True)

