"""The rules on the file as a whole: a refused ZIP, name, period, encoding, CSV and header,
rows (TC00–TC06).

This module owns the tests that judge the file before its fields: TC05 and TC06 do not
need the header's names, so they still run when TC04 rejects it. How the bytes are
read (UTF-8 or else Windows-1252, line numbers) is :mod:`.inlezen`'s choice. TC00 only
words the reason why CBS refused to unpack a ZIP: ``simulators.cbs.zip_safety`` finds it.
"""

from __future__ import annotations

from operator import itemgetter

from .bestandsnaam import code_uitvraag_anywhere
from .inlezen import Aanlevering, kopregel
from .kolommen import KOPREGELS
from .meldingen import Uitkomst, line_list, shorten


def tc00_zip(aanlevering: Aanlevering) -> Uitkomst:
    if not aanlevering.zipweigering:
        return Uitkomst(True)
    return Uitkomst(
        False,
        f"Het ZIP-bestand is afgekeurd: {aanlevering.zipweigering}. Het is niet uitgepakt en "
        "geen bestand erin is gecontroleerd.",
    )


def tc01_bestandsnaam(aanlevering: Aanlevering) -> Uitkomst:
    if aanlevering.naam is not None:
        return Uitkomst(True)
    return Uitkomst(False, f'Bestandsnaam "{aanlevering.bestandsnaam}": {aanlevering.naamfout}.')


def tc02_verslagperiode(aanlevering: Aanlevering) -> Uitkomst:
    if aanlevering.naam is not None:
        code = aanlevering.naam["code_uitvraag"]
    else:
        code = code_uitvraag_anywhere(aanlevering.bestandsnaam)
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


def tc03_utf8(aanlevering: Aanlevering) -> Uitkomst:
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
        f"{len(foute_regels)} regel(s) met ongeldige bytes: {line_list(foute_regels)}.",
        tuple(foute_regels),
    )


def tc04_csv_kopregel(aanlevering: Aanlevering) -> Uitkomst:
    if aanlevering.csv_fout:
        return Uitkomst(
            False,
            f"Het bestand is geen geldige CSV: {aanlevering.csv_fout}.",
            (aanlevering.csv_fout_regel,),
        )
    if not aanlevering.records or not any(aanlevering.records[0][1]):
        return Uitkomst(False, "Het bestand heeft geen kopregel (regel 1 is leeg).", (1,))
    kop = kopregel(aanlevering.records)
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
        delen.append("onbekende kolommen: " + ", ".join(map(shorten, onbekend)))
    if not delen:
        delen.append("de kolommen staan niet in de voorgeschreven volgorde of komen dubbel voor")
    return f"De kopregel (regel 1) wijkt af van de specificatie voor {soort}: " + "; ".join(delen) + "."


def tc05_aantal_velden(aanlevering: Aanlevering) -> Uitkomst:
    if not aanlevering.records:
        return Uitkomst(True)
    verwacht = len(aanlevering.records[0][1])
    if set(map(len, map(itemgetter(1), aanlevering.records[1:]))) <= {verwacht}:
        return Uitkomst(True)
    afwijkend = [nummer for nummer, velden in aanlevering.records[1:] if len(velden) != verwacht]
    return Uitkomst(
        False,
        f"{len(afwijkend)} regel(s) hebben een ander aantal velden dan de kopregel "
        f"({verwacht}): {line_list(afwijkend)}.",
        tuple(afwijkend),
    )


def tc06_gegevens(aanlevering: Aanlevering) -> Uitkomst:
    if len(aanlevering.records) > 1:
        return Uitkomst(True)
    if not aanlevering.records:
        return Uitkomst(False, "Het bestand is leeg.")
    return Uitkomst(False, "Het bestand bevat alleen een kopregel (regel 1) en geen gegevensregels.")
