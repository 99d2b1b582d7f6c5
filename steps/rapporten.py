"""Steps about reports: what CBS sends back and the gemeente finds in its download area."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from pypdf import PdfReader
from pytest_bdd import parsers, then


@dataclass
class Rapport:
    bestandsnaam: str  # the ZIP in the download area
    pdf_naam: str
    tekst: str

    def __repr__(self) -> str:
        return f"Rapport({self.bestandsnaam})"


@then(parsers.parse('staat een technisch rapport "{oordeel}" klaar in het downloadgebied '
                    "van de gemeente"), target_fixture="rapport")
def _(keten, gemeente, aanlevering, oordeel: str) -> Rapport:
    """Wacht op het technisch rapport (een ZIP met een PDF) en lees het oordeel.
    Voorbeeld: Dan staat een technisch rapport "goedgekeurd" klaar in het downloadgebied van de gemeente
    """
    item = keten.wait_for_download(
        gemeente.code, aanlevering.downloads_voor,
        lambda i: i["soort"] == "rapport" and i["correlatie"] in aanlevering.referenties,
        "technisch rapport")
    archive = zipfile.ZipFile(io.BytesIO(keten.download(gemeente.code, item["id"])))
    names = archive.namelist()
    assert len(names) == 1 and names[0].endswith(".pdf"), f"ZIP bevat {names}, verwacht één PDF"
    reader = PdfReader(io.BytesIO(archive.read(names[0])))
    tekst = "\n".join(page.extract_text() for page in reader.pages)
    assert f"Oordeel: {oordeel}" in tekst, f"rapport zegt niet 'Oordeel: {oordeel}':\n{tekst[:800]}"
    return Rapport(item["bestandsnaam"], names[0], tekst)


@then(parsers.parse('noemt het rapport het bestand "{naam}"'))
def _(rapport: Rapport, naam: str) -> None:
    """Het rapport noemt het bestand waar het over gaat."""
    assert naam in rapport.tekst, f"'{naam}' staat niet in het rapport:\n{rapport.tekst[:800]}"
