"""Steps about reports: what CBS sends back and the gemeente finds in its download area.

Every report is read back the way a person would: the ZIP from the GGk download area is
opened, the PDF in it is parsed (pypdf) and the steps judge its text.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import pytest
from pypdf import PdfReader
from pytest_bdd import parsers, then, when

from simulators import stuf
from steps.drivers import WrongAnswerError, the_one

RAPPORTSOORT = {"technisch rapport": "TECHNISCH", "op-orde rapport": "OPORDE",
                "spiegelrapport II": "SPIEGEL2"}


@dataclass
class Rapport:
    bestandsnaam: str  # the ZIP in the download area
    pdf_naam: str
    tekst: str
    pdf: bytes

    def __repr__(self) -> str:
        return f"Rapport({self.bestandsnaam})"

    def regel(self, regel_id: str) -> str:
        """The report's line for one rule of the catalogue: ``TC11 - niet voldaan`` (or empty)."""
        return next((line for line in self.tekst.splitlines()
                     if line.strip().startswith(f"{regel_id} - ")), "")

    def blok(self, regel_id: str) -> str:
        """The rule's line and what the report says under it, up to the next rule."""
        start = self.tekst.find(f"{regel_id} - ")
        if start < 0:
            return ""
        volgende = re.search(r"\nTC\d\d - ", self.tekst[start + 1:])
        return self.tekst[start:start + 1 + volgende.start()] if volgende else self.tekst[start:]


def lees_rapport(keten, gemeentecode: str, item: dict) -> Rapport:
    archive = zipfile.ZipFile(io.BytesIO(keten.ggk.download(gemeentecode, item["id"])))
    names = archive.namelist()
    assert len(names) == 1 and names[0].endswith(".pdf"), f"ZIP bevat {names}, verwacht één PDF"
    pdf = archive.read(names[0])
    reader = PdfReader(io.BytesIO(pdf))
    tekst = "\n".join(page.extract_text() for page in reader.pages)
    return Rapport(item["bestandsnaam"], names[0], tekst, pdf)


def wacht_op_rapport(keten, gemeente, aanlevering, soort: str, bestand: str | None = None) -> Rapport:
    """The newest report of ``soort`` about this delivery (and file), waiting for it."""
    prefix = f"CBS_{RAPPORTSOORT[soort]}_"

    def past(item: dict) -> bool:
        if item["soort"] != "rapport" or not item["bestandsnaam"].startswith(prefix):
            return False
        if item["correlatie"] not in aanlevering.referenties:
            return False
        return bestand is None or lees_rapport(keten, gemeente.code, item).tekst.count(bestand) > 0

    item = keten.ggk.wait_for_download(gemeente.code, aanlevering.downloads_voor, past,
                                   f"{soort}" + (f" over {bestand}" if bestand else ""))
    return lees_rapport(keten, gemeente.code, item)


@then(parsers.re(r'staat een technisch rapport "(?P<oordeel>goedgekeurd|afgekeurd)"( over '
                 r'"(?P<bestand>[^"]+)")? klaar in het downloadgebied van de gemeente'),
      target_fixture="rapport")
def _(keten, gemeente, aanlevering, oordeel: str, bestand: str | None) -> Rapport:
    """Wacht op het technisch rapport (een ZIP met een PDF) en lees het oordeel.
    Voorbeeld: Dan staat een technisch rapport "goedgekeurd" klaar in het downloadgebied van de gemeente
    """
    rapport = wacht_op_rapport(keten, gemeente, aanlevering, "technisch rapport", bestand)
    if f"Oordeel: {oordeel}" not in rapport.tekst:
        gezien = next((r for r in rapport.tekst.splitlines() if r.startswith("Oordeel:")), "geen oordeel")
        raise WrongAnswerError(f"het technisch rapport {rapport.pdf_naam} heeft een ander oordeel",
                               f"Oordeel: {oordeel}", gezien, detail=rapport.tekst[:1200])
    return rapport


@then("staan er technische rapporten klaar in het downloadgebied van de gemeente:")
def _(keten, gemeente, aanlevering, datatable) -> None:
    """Per bestand (bijvoorbeeld uit één ZIP) een eigen technisch rapport met dit oordeel.
    Voorbeeld: Dan staan er technische rapporten klaar in het downloadgebied van de gemeente:
    """
    kop, *regels = datatable
    assert kop[:2] == ["bestand", "oordeel"], f"de tabel heeft de kolommen 'bestand | oordeel', niet {kop}"
    for bestand, oordeel in (regel[:2] for regel in regels):
        rapport = wacht_op_rapport(keten, gemeente, aanlevering, "technisch rapport", bestand)
        assert f"Oordeel: {oordeel}" in rapport.tekst, (
            f"het rapport over {bestand} zegt niet 'Oordeel: {oordeel}':\n{rapport.tekst[:1200]}")


@then(parsers.parse('noemt het rapport het bestand "{naam}"'))
def _(rapport: Rapport, naam: str) -> None:
    """Het rapport noemt het bestand waar het over gaat.
    Voorbeeld: Dan noemt het rapport het bestand "WMO_H12016_regulier_0363.csv"
    """
    assert naam in rapport.tekst, f"'{naam}' staat niet in het rapport:\n{rapport.tekst[:800]}"


@then(parsers.re(r'meldt het rapport regel (?P<regel>TC\d\d) als "(?P<uitkomst>voldaan|niet voldaan|'
                 r'waarschuwing)"'))
def _(rapport: Rapport, regel: str, uitkomst: str) -> None:
    """De regel uit de controlecatalogus staat in het rapport met deze uitkomst.
    Voorbeeld: Dan meldt het rapport regel TC11 als "niet voldaan"
    """
    lijn = rapport.regel(regel)
    assert lijn, f"regel {regel} staat niet in het rapport:\n{rapport.tekst[:1500]}"
    gevonden = re.search(r"(niet voldaan|waarschuwing|voldaan)", lijn)
    assert gevonden and gevonden.group(1) == uitkomst, (
        f"het rapport zegt bij {regel}: '{lijn.strip()}', verwacht '{uitkomst}'")


@then(parsers.re(r"noemt het rapport bij regel (?P<regel>TC\d\d) de foute regelnummers"))
def _(rapport: Rapport, aanlevering, regel: str) -> None:
    """De regelnummers die de fout in het bestand bevatten staan bij die regel in het rapport.
    Voorbeeld: Dan noemt het rapport bij regel TC11 de foute regelnummers
    """
    assert aanlevering.kapotte_regels, "de aanlevering weet niet welke regels kapot zijn"
    stuk = rapport.blok(regel)
    assert stuk, f"regel {regel} staat niet in het rapport:\n{rapport.tekst[:1500]}"
    nummers = {int(n) for n in re.findall(r"\d+", stuk.split(regel, 1)[1])}
    missend = [n for n in aanlevering.kapotte_regels if n not in nummers]
    assert not missend, f"bij {regel} ontbreken de regelnummers {missend}:\n{stuk[:800]}"


@then(parsers.re(r"staat een (?P<soort>op-orde rapport|spiegelrapport II) klaar in het downloadgebied "
                 r"van de gemeente"), target_fixture="rapport")
def _(keten, gemeente, aanlevering, soort: str) -> Rapport:
    """Wacht op het op-orde rapport (spiegelrapport I) of spiegelrapport II over de aanlevering.
    Voorbeeld: Dan staat een op-orde rapport klaar in het downloadgebied van de gemeente
    """
    rapport = wacht_op_rapport(keten, gemeente, aanlevering, soort)
    assert gemeente.naam in rapport.tekst, f"het rapport noemt {gemeente.naam} niet:\n{rapport.tekst[:800]}"
    return rapport


@then("vergelijkt het rapport de gemeente met haar vergelijkingsgroep in een tabel en een grafiek")
def _(rapport: Rapport) -> None:
    """Het spiegelrapport heeft een vergelijkingstabel en een staafgrafiek (getekende vlakken).
    Voorbeeld: Dan vergelijkt het rapport de gemeente met haar vergelijkingsgroep in een tabel en een grafiek
    """
    assert "ergelijkingsgroep" in rapport.tekst, f"geen vergelijkingsgroep in het rapport:\n{rapport.tekst[:800]}"
    reader = PdfReader(io.BytesIO(rapport.pdf))
    staven = sum(page.get_contents().get_data().count(b" re") for page in reader.pages)
    assert staven >= 2, "het rapport heeft geen grafiek (geen getekende staven gevonden)"


@when("de gemeente haar downloadgebied bij het GGk opvraagt", target_fixture="downloadgebied")
def _(keten, gemeente) -> list[dict]:
    """De harness speelt de gemeente en vraagt de lijst met downloads op.
    Voorbeeld: Als de gemeente haar downloadgebied bij het GGk opvraagt
    """
    keten.wait_idle()
    return keten.ggk.downloads(gemeente.code)


@then(parsers.parse('vindt de gemeente "{zipnaam}" met daarin "{pdfnaam}"'))
def _(keten, request, gemeente, downloadgebied: list[dict], zipnaam: str, pdfnaam: str) -> None:
    """Het rapport staat als ZIP in het downloadgebied en de ZIP bevat de PDF. Bood de harness het
    rapport zelf aan (als RINIS), dan is het te herkennen aan het referentienummer van dat bericht:
    een GGk dat zijn downloadgebied bewaart, kan dezelfde naam van een eerdere run nog hebben.
    Voorbeeld: Dan vindt de gemeente "CBS_TECHNISCH_0363_H12016_20160815-090000-001.zip" met daarin "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf"
    """
    try:
        verzonden = request.getfixturevalue("verzonden")
    except pytest.FixtureLookupError:
        verzonden = None
    if verzonden is not None and verzonden.berichten:
        refnr = stuf.read_stuurgegevens(stuf.unwrap(verzonden.berichten[-1][0])).referentienummer
        item = keten.wait_for(
            lambda: [i for i in keten.ggk.downloads(gemeente.code) if i["referentienummer"] == refnr],
            f"het rapport van bericht {refnr} staat niet in het downloadgebied van {gemeente.code}")
        item = the_one(item, f"het rapport van bericht {refnr}", toon="bestandsnaam")
        if item["bestandsnaam"] != zipnaam:
            raise WrongAnswerError("het rapport staat onder een andere naam in het downloadgebied", zipnaam,
                                   item["bestandsnaam"])
    else:
        gevonden = [i for i in downloadgebied if i["bestandsnaam"] == zipnaam]
        if not gevonden:
            raise WrongAnswerError(f"'{zipnaam}' staat niet in het downloadgebied", zipnaam,
                                   [i["bestandsnaam"] for i in downloadgebied])
        item = the_one(gevonden, f"'{zipnaam}' in het downloadgebied", toon="bestandsnaam")
    names = zipfile.ZipFile(io.BytesIO(keten.ggk.download(gemeente.code, item["id"]))).namelist()
    if names != [pdfnaam]:
        raise WrongAnswerError(f"de ZIP '{zipnaam}' bevat iets anders", [pdfnaam], names)
