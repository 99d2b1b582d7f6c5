"""The rules on the fields of the data rows (TC07–TC16).

This module owns the tests that read the columns: filled, not too long, dates, BSN,
codes and amounts, gemeentecode, one Aanmaakdatum, no duplicate rows or categories.

Where the simulator chooses (the real check was not published):

* one defect, one rule: an empty field is only TC07's business, a field longer than
  its maximum only TC08's; the format and content rules (TC09–TC14, TC16) judge the
  filled values within their maximum length. A field of spaces counts as empty;
* the field rules (TC07–TC14, TC16) read the columns by the header, so they pass when
  TC04 rejects the header, and they skip rows with another number of fields than the
  header (TC05 reports those); TC15 does not need the header's names and still runs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from .bestandsnaam import periode
from .inlezen import Aanlevering
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
from .meldingen import Fout, Uitkomst, kort, regellijst, regels_met, uitkomst, waardefouten
from .waarden import NEGEN_CIJFERS, bsn_geldig, gevuld, is_datum, is_tijdstip

_BEDRAG = re.compile(r"\d{1,9}\.\d{2}", re.ASCII)
_INSTELLING = re.compile(r"\d{8}", re.ASCII)
_INTENSITEIT = re.compile(r"[1-9]\d{0,2}", re.ASCII)


def tc07_verplichte_velden(a: Aanlevering) -> Uitkomst:
    fouten: list[Fout] = []
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
    return uitkomst("met een leeg verplicht veld", fouten)


def _heeft_lege(a: Aanlevering, kolom: str) -> bool:
    verschillend = a.verschillend(kolom)
    return "" in verschillend or any(map(str.isspace, verschillend))


def _waardefouten_leeg(a: Aanlevering, kolom: str) -> list[Fout]:
    if not _heeft_lege(a, kolom):
        return []
    leeg = {waarde for waarde in a.verschillend(kolom) if not gevuld(waarde)}
    return regels_met(a, kolom, leeg, lambda _: f"{kolom} is leeg")


def tc08_veldlengte(a: Aanlevering) -> Uitkomst:
    fouten: list[Fout] = []
    for naam, _, maximum in KOLOMMEN.get(a.soort, ()):
        verschillend = a.verschillend(naam)
        if max(map(len, verschillend), default=0) > maximum:
            te_lang = {waarde for waarde in verschillend if len(waarde) > maximum}
            fouten += regels_met(
                a,
                naam,
                te_lang,
                lambda waarde, naam=naam, maximum=maximum: (
                    f'{naam} "{kort(waarde)}" heeft {len(waarde)} tekens, ten hoogste {maximum} toegestaan'
                ),
            )
    return uitkomst("met een te lang veld", fouten)


def tc09_datums(a: Aanlevering) -> Uitkomst:
    fouten = waardefouten(a, AANMAAKDATUM, is_tijdstip, "is geen bestaand tijdstip (JJJJMMDDuummss)")
    for kolom in DATUMKOLOMMEN.get(a.soort, ()):
        fouten += waardefouten(a, kolom, is_datum, "is geen bestaande datum (JJJJMMDD)")
    return uitkomst("met een ongeldige datum", fouten)


def tc10_datums_in_periode(a: Aanlevering) -> Uitkomst:
    if not a.kop or a.naam is None:
        return Uitkomst(True)  # without a readable name TC01 fails and there is no period
    code = a.naam["code_uitvraag"]
    begin, einde = periode(a.naam)
    fouten: list[Fout] = []
    for kolom in STARTKOLOMMEN:  # an invalid date is TC09's: it counts as in the period here
        fouten += waardefouten(
            a,
            kolom,
            lambda waarde: waarde <= einde or not is_datum(waarde),
            f"ligt na het einde van verslagperiode {code} ({einde})",
        )
    for kolom in EINDKOLOMMEN:
        fouten += waardefouten(
            a,
            kolom,
            lambda waarde: waarde >= begin or not is_datum(waarde),
            f"ligt vóór het begin van verslagperiode {code} ({begin})",
        )
    for start, eind in START_EN_EINDE:
        fouten += [
            (regel, eind, f"{eind} {e} ligt vóór {start} {s}")
            for regel, s, e in zip(a.regelnummers, a.kolom(start), a.kolom(eind), strict=True)
            if e and e < s and is_datum(e) and is_datum(s)  # YYYYMMDD sorts as dates do
        ]
    return uitkomst("met een datum die niet past bij de verslagperiode", fouten)


def tc11_bsn(a: Aanlevering) -> Uitkomst:
    return uitkomst("met een ongeldig BSN", waardefouten(a, BSN, bsn_geldig, _bsn_reden))


def _bsn_reden(bsn: str) -> str:
    if not NEGEN_CIJFERS.fullmatch(bsn):
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


def tc12_codewaarden(a: Aanlevering) -> Uitkomst:
    if not a.kop:
        return Uitkomst(True)
    fouten: list[Fout] = []
    for kolom, geldig, uitleg in CODECONTROLES[a.soort]:
        fouten += waardefouten(a, kolom, geldig, uitleg)
    if a.soort == "WMO":
        fouten += [
            (regel, REDEN_BEEINDIGING, f'{REDEN_BEEINDIGING} "{kort(reden)}" is gevuld zonder {EINDE}')
            for regel, reden, einde in zip(
                a.regelnummers, a.kolom(REDEN_BEEINDIGING), a.kolom(EINDE), strict=True
            )
            if reden and (not einde or einde.isspace()) and gevuld(reden) and len(reden) <= 2
        ]
    elif a.naam is not None:  # SBO, JEUGD: the column repeats the code in the name
        code = a.naam["code_uitvraag"]
        fouten += waardefouten(
            a, CODE_UITVRAAG, code.__eq__, f"wijkt af van de code uitvraag in de bestandsnaam ({code})"
        )
    return uitkomst("met een ongeldige codewaarde of opmaak", fouten)


def tc13_gemeentecode(a: Aanlevering) -> Uitkomst:
    gemeente = a.gemeentecode
    fouten = waardefouten(
        a, GEMEENTECODE, gemeente.__eq__, f"is niet de code van de aanleverende gemeente ({gemeente})"
    )
    return uitkomst("met een andere gemeentecode dan die van de aanleverende gemeente", fouten)


def tc14_aanmaakdatum(a: Aanlevering) -> Uitkomst:
    tijdstippen = set(filter(is_tijdstip, a.verschillend(AANMAAKDATUM)))
    if len(tijdstippen) <= 1:
        return Uitkomst(True)  # an invalid one is TC09's
    waarden = a.kolom(AANMAAKDATUM)
    meest, _ = Counter(waarde for waarde in waarden if waarde in tijdstippen).most_common(1)[0]
    anders = tijdstippen - {meest}
    fouten = regels_met(a, AANMAAKDATUM, anders, lambda waarde: f"{AANMAAKDATUM} is {waarde}")
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
    per = "; ".join(f"{code} {len(regels)} keer, {regellijst(regels)}" for code, regels in dubbel.items())
    return Uitkomst(False, f"{kolom} komt meer dan eens voor: {per}.", regels)
