"""CBS's technical check report: the PDF the gemeente downloads, and its file name.

This module owns how an :class:`~simulators.cbs.check.Oordeel` looks on paper. It
makes a real A4 PDF with fpdf2 (Dutch text, core font Helvetica in Windows-1252, plain
``cell``/``multi_cell`` for speed) and does no I/O. The PDF's creation date is the
``gemaakt`` passed in, so the same inputs give the same bytes; a naive datetime is
read as Europe/Amsterdam time, never as the machine's local time.

The report naming was "to be agreed between CBS and RINIS" (DOMAIN.md); the simulator's
convention is ``CBS_<SOORT>_<gemeentecode>_<code uitvraag>_<ggk referentie>.pdf``, with
``ONBEKEND`` for a code uitvraag that could not be read, and only ``[A-Za-z0-9._-]``.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from simulators.cbs.check import Bevinding, Oordeel

TITEL = "Technisch controlerapport Gemeentelijke Monitor Sociaal Domein"
AFZENDER = "Centraal Bureau voor de Statistiek"
MAX_REGELS_IN_RAPPORT = 20
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

_FONT = "Helvetica"
_REGELHOOGTE = 6
_LABELBREEDTE = 48
_NIET_IN_NAAM = re.compile(r"[^A-Za-z0-9._-]")


class _Rapport(FPDF):
    """An A4 page with the sender on top and page numbers at the bottom."""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(_FONT, size=8)
        self.cell(0, 10, f"{AFZENDER} - pagina {self.page_no()} van {{nb}}", align="C")


def technisch_rapport_pdf(
    oordeel: Oordeel,
    gemeentecode: str,
    ggk_referentie: str,
    ontvangen: datetime,
    gemaakt: datetime,
    max_regels: int = MAX_REGELS_IN_RAPPORT,
) -> bytes:
    """The technical check report for one file, as PDF bytes.

    Lists the file, the gemeente, the GGk reference number and when CBS received the
    file, then every rule with "voldaan" or "niet voldaan", its message and at most
    ``max_regels`` offending line numbers, and the line "Oordeel: <verdict>".
    """
    pdf = _nieuw_document(gemaakt)
    _kop(pdf)
    _gegevens(pdf, oordeel, gemeentecode, ggk_referentie, ontvangen, gemaakt)
    _oordeel(pdf, oordeel)
    _controles(pdf, oordeel.bevindingen, max_regels)
    return bytes(pdf.output())


def rapport_bestandsnaam(
    soort: str, gemeentecode: str, code_uitvraag: str | None, ggk_referentie: str
) -> str:
    """``CBS_TECHNISCH_0363_H12016_20160815-101500-001.pdf`` for those parts.

    ``soort`` is the kind of report (TECHNISCH, OPORDE, ...), written in upper case;
    an empty ``code_uitvraag`` becomes ONBEKEND; any character outside
    ``[A-Za-z0-9._-]`` becomes ``-``.
    """
    delen = ["CBS", soort.upper(), gemeentecode, code_uitvraag or "ONBEKEND", ggk_referentie]
    return "_".join(_NIET_IN_NAAM.sub("-", deel) for deel in delen) + ".pdf"


def _nieuw_document(gemaakt: datetime) -> FPDF:
    pdf = _Rapport(orientation="portrait", unit="mm", format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_creation_date(gemaakt if gemaakt.tzinfo else gemaakt.replace(tzinfo=AMSTERDAM))
    pdf.set_title(TITEL)
    pdf.set_author(AFZENDER)
    pdf.set_creator("ketentest CBS-simulator")
    pdf.set_lang("nl-NL")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    return pdf


def _kop(pdf: FPDF) -> None:
    pdf.set_font(_FONT, size=9)
    _regel(pdf, AFZENDER)
    pdf.set_font(_FONT, style="B", size=14)
    pdf.multi_cell(0, 8, TITEL, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)


def _gegevens(
    pdf: FPDF,
    oordeel: Oordeel,
    gemeentecode: str,
    ggk_referentie: str,
    ontvangen: datetime,
    gemaakt: datetime,
) -> None:
    for label, waarde in (
        ("Bestandsnaam", oordeel.bestandsnaam),
        ("Gemeentecode", gemeentecode),
        ("GGk-referentienummer", ggk_referentie),
        ("Ontvangen door CBS", _tijdstip(ontvangen)),
        ("Rapport gemaakt", _tijdstip(gemaakt)),
    ):
        pdf.set_font(_FONT, style="B", size=10)
        pdf.cell(_LABELBREEDTE, _REGELHOOGTE, _tekst(f"{label}:"))
        pdf.set_font(_FONT, size=10)
        pdf.multi_cell(0, _REGELHOOGTE, _tekst(waarde), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _oordeel(pdf: FPDF, oordeel: Oordeel) -> None:
    pdf.set_font(_FONT, style="B", size=12)
    _regel(pdf, f"Oordeel: {oordeel.verdict}")
    pdf.set_font(_FONT, size=10)
    afgekeurd = [b.regel for b in oordeel.bevindingen if not b.geslaagd]
    if afgekeurd:
        _regel(pdf, f"Niet voldaan aan: {', '.join(afgekeurd)}.")
    else:
        _regel(pdf, "Het bestand voldoet aan alle technische controles.")
    pdf.ln(3)


def _controles(pdf: FPDF, bevindingen: tuple[Bevinding, ...], max_regels: int) -> None:
    pdf.set_font(_FONT, style="B", size=12)
    _regel(pdf, "Controles")
    for bevinding in bevindingen:
        _bevinding(pdf, bevinding, max_regels)


def _bevinding(pdf: FPDF, bevinding: Bevinding, max_regels: int) -> None:
    pdf.ln(2)
    pdf.set_font(_FONT, style="B", size=10)
    uitslag = "voldaan" if bevinding.geslaagd else "niet voldaan"
    _regel(pdf, f"{bevinding.regel} - {uitslag}")
    pdf.set_font(_FONT, size=10)
    _regel(pdf, bevinding.omschrijving)
    if bevinding.melding:
        _regel(pdf, f"Melding: {bevinding.melding}")
    if bevinding.regels and max_regels > 0:
        getoond = ", ".join(map(str, bevinding.regels[:max_regels]))
        _regel(pdf, f"Regelnummers: {getoond}")


def _regel(pdf: FPDF, tekst: str) -> None:
    """Text over the full width, wrapped, then back to the left margin.

    A line that fits goes through ``cell`` (fpdf2's line breaking in ``multi_cell``
    costs ten times more, and most lines are short)."""
    tekst = _tekst(tekst)
    if pdf.get_string_width(tekst) < pdf.epw - 2 * pdf.c_margin:
        pdf.cell(0, _REGELHOOGTE, tekst, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    else:
        pdf.multi_cell(0, _REGELHOOGTE, tekst, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _tekst(tekst: str) -> str:
    """Text the core font can draw: control characters and anything outside
    Windows-1252 (possible in a file name or header from the file) become ``?``."""
    zichtbaar = "".join("?" if ord(teken) < 32 or ord(teken) == 127 else teken for teken in tekst)
    return zichtbaar.encode("cp1252", errors="replace").decode("cp1252")


def _tijdstip(moment: datetime) -> str:
    return moment.strftime("%d-%m-%Y %H:%M:%S")
