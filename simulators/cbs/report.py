"""CBS's reports on paper: the technical check report, report file names, the shared page.

This module owns how an :class:`~simulators.cbs.check.Oordeel` looks on paper and how
every CBS report is named; :mod:`simulators.cbs.spiegel` draws the op-orde rapport and
the spiegelrapporten on the same page (:func:`new_document`). It makes real A4 PDFs
with fpdf2 (Dutch text, core font Helvetica in Windows-1252), its text written through
:class:`~simulators.cbs.page.ReportPage` for speed, and does no I/O. A PDF's creation
date is the ``gemaakt`` passed in, so the same inputs give the same bytes; a naive
datetime is read as Europe/Amsterdam time, never as the machine's local time.

The report naming was "to be agreed between CBS and RINIS" (DOMAIN.md); the simulator's
convention is :data:`NAAMSJABLOON`, ``CBS_<SOORT>_<gemeentecode>_<code uitvraag>_<ggk
referentie>.pdf``, with ``ONBEKEND`` for a code uitvraag that could not be read, and
only ``[A-Za-z0-9._-]``. RINIS reads that shape back (``simulators.gmsd.rapportnaam``).
See docs/rapporten.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from simulators.cbs.check import Bevinding, Oordeel
from simulators.cbs.page import FONT, ReportPage, pdf_text

__all__ = [
    "MAX_REGELS_IN_RAPPORT",
    "NAAMSJABLOON",
    "RAPPORTSOORTEN",
    "ReportKindError",
    "report_file_name",
    "technical_report_pdf",
]

MONITOR = "Gemeentelijke Monitor Sociaal Domein"
RAPPORTSOORTEN: Mapping[str, str] = {
    "TECHNISCH": "Technisch controlerapport",
    "OPORDE": "Op-orde rapport / Spiegelrapport I",
    "SPIEGEL2": "Spiegelrapport II",
}
"""Report kind as written in the file name -> its Dutch title."""

TITEL = f"{RAPPORTSOORTEN['TECHNISCH']} {MONITOR}"
AFZENDER = "Centraal Bureau voor de Statistiek"
MAX_REGELS_IN_RAPPORT = 20
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NAAMSJABLOON = "CBS_{soort}_{gemeentecode}_{periode}_{referentie}.pdf"
"""The report file name; every part is cleaned to ``[A-Za-z0-9._-]`` first."""

REGELHOOGTE = 6
_LABELBREEDTE = 48
_NIET_IN_NAAM = re.compile(r"[^A-Za-z0-9._-]")
_AANMAAKDATUM = re.compile(r"\d{14}")


class ReportKindError(ValueError):
    """The report kind is not one of the known soorten: use a key of RAPPORTSOORTEN."""


def technical_report_pdf(
    oordeel: Oordeel,
    gemeentecode: str,
    ggk_referentie: str,
    ontvangen: datetime,
    gemaakt: datetime,
    max_regels: int = MAX_REGELS_IN_RAPPORT,
    *,
    soort: str | None = None,
    aanmaakdatum: datetime | str | None = None,
) -> bytes:
    """The technical check report for one file, as PDF bytes.

    Lists the file, the gemeente, the GGk reference number and when CBS received the
    file (and the soort WMO/SBO/JEUGD and the file's "Aanmaakdatum bestand" when
    given), the line "Oordeel: <verdict>", then every rule with "voldaan", "niet
    voldaan" or, for a failed warning rule, "waarschuwing", its message and at most
    ``max_regels`` offending line numbers.
    """
    pdf = new_document(TITEL, gemaakt)
    heading(pdf, TITEL)
    gegevens = [("Bestandsnaam", oordeel.bestandsnaam)]
    if soort:
        gegevens.append(("Soort aanlevering", soort))
    gegevens += [
        ("Gemeentecode", gemeentecode),
        ("GGk-referentienummer", ggk_referentie),
        ("Ontvangen door CBS", timestamp(ontvangen)),
    ]
    if aanmaakdatum:
        gegevens.append(("Aanmaakdatum bestand", _aanmaakdatum(aanmaakdatum)))
    gegevens.append(("Rapport gemaakt", timestamp(gemaakt)))
    data_block(pdf, gegevens)
    _oordeel(pdf, oordeel)
    _controles(pdf, oordeel.bevindingen, max_regels)
    return bytes(pdf.output())


def report_file_name(
    soort: str,
    gemeentecode: str,
    code_uitvraag: str | None,
    ggk_referentie: str,
    *,
    sjabloon: str = NAAMSJABLOON,
    soorten: Mapping[str, str] = RAPPORTSOORTEN,
) -> str:
    """``CBS_TECHNISCH_0363_H12016_20160815-101500-001.pdf`` for those parts.

    ``soort`` is the kind of report, a key of ``soorten`` (TECHNISCH, OPORDE,
    SPIEGEL2), in any case; an unknown one raises :class:`ReportKindError`. An
    empty ``code_uitvraag`` becomes ONBEKEND; any character outside ``[A-Za-z0-9._-]``
    becomes ``-``. ``sjabloon`` may reorder the parts; RINIS parses only the default.
    """
    soort = soort.upper()
    if soort not in soorten:
        raise ReportKindError(f"onbekende rapportsoort {soort!r}; bekend: {', '.join(soorten)}")
    delen = {
        "soort": soort,
        "gemeentecode": gemeentecode,
        "periode": code_uitvraag or "ONBEKEND",
        "referentie": ggk_referentie,
    }
    return sjabloon.format(**{sleutel: _NIET_IN_NAAM.sub("-", deel) for sleutel, deel in delen.items()})


# ---------------------------------------------------------------- shared page parts


def new_document(titel: str, gemaakt: datetime) -> ReportPage:
    """An empty A4 report with its first page, metadata and creation date set."""
    pdf = ReportPage(AFZENDER)
    pdf.set_creation_date(gemaakt if gemaakt.tzinfo else gemaakt.replace(tzinfo=AMSTERDAM))
    pdf.set_title(pdf_text(titel))
    pdf.set_author(AFZENDER)
    pdf.set_creator("ketentest CBS-simulator")
    pdf.set_lang("nl-NL")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    return pdf


def heading(pdf: ReportPage, titel: str, ondertitel: str = "") -> None:
    """The sender in small print, then the title in bold (and a subtitle)."""
    pdf.set_font(FONT, size=9)
    text_line(pdf, AFZENDER)
    pdf.set_font(FONT, style="B", size=14)
    pdf.paragraph(0, 8, pdf_text(titel))
    if ondertitel:
        pdf.set_font(FONT, size=11)
        text_line(pdf, ondertitel)
    pdf.ln(4)


def data_block(pdf: ReportPage, gegevens: list[tuple[str, str]]) -> None:
    """Label-value lines: the label in bold in a fixed column, the value wrapped."""
    for label, waarde in gegevens:
        pdf.set_font(FONT, style="B", size=10)
        pdf.text_cell(_LABELBREEDTE, REGELHOOGTE, pdf_text(f"{label}:"))
        pdf.set_font(FONT, size=10)
        pdf.paragraph(0, REGELHOOGTE, pdf_text(waarde))
    pdf.ln(3)


def text_line(pdf: ReportPage, tekst: str) -> None:
    """Text over the full width, wrapped (justified but the last line), then back to
    the left margin."""
    pdf.paragraph(0, REGELHOOGTE, pdf_text(tekst))


def timestamp(moment: datetime) -> str:
    return moment.strftime("%d-%m-%Y %H:%M:%S")


# ---------------------------------------------------------------- technical report


def _aanmaakdatum(waarde: datetime | str) -> str:
    """A datetime or the file's ``YYYYMMDDhhmmss`` as a Dutch time; anything else as given."""
    if isinstance(waarde, datetime):
        return timestamp(waarde)
    if _AANMAAKDATUM.fullmatch(waarde):
        try:
            return timestamp(datetime.strptime(waarde, "%Y%m%d%H%M%S"))
        except ValueError:
            pass
    return waarde


def _oordeel(pdf: ReportPage, oordeel: Oordeel) -> None:
    pdf.set_font(FONT, style="B", size=12)
    text_line(pdf, f"Oordeel: {oordeel.verdict}")
    pdf.set_font(FONT, size=10)
    mislukt = [b for b in oordeel.bevindingen if not b.geslaagd]
    fouten = [b.regel for b in mislukt if b.ernst != "waarschuwing"]
    waarschuwingen = [b.regel for b in mislukt if b.ernst == "waarschuwing"]
    if fouten:
        text_line(pdf, f"Niet voldaan aan: {', '.join(fouten)}.")
    if waarschuwingen:
        text_line(pdf, f"Waarschuwingen: {', '.join(waarschuwingen)}.")
    if not mislukt:
        text_line(pdf, "Het bestand voldoet aan alle technische controles.")
    pdf.ln(3)


def _controles(pdf: ReportPage, bevindingen: tuple[Bevinding, ...], max_regels: int) -> None:
    pdf.set_font(FONT, style="B", size=12)
    text_line(pdf, "Controles")
    for bevinding in bevindingen:
        _bevinding(pdf, bevinding, max_regels)


def _uitslag(bevinding: Bevinding) -> str:
    if bevinding.geslaagd:
        return "voldaan"
    return "waarschuwing" if bevinding.ernst == "waarschuwing" else "niet voldaan"


def _bevinding(pdf: ReportPage, bevinding: Bevinding, max_regels: int) -> None:
    pdf.ln(2)
    pdf.set_font(FONT, style="B", size=10)
    text_line(pdf, f"{bevinding.regel} - {_uitslag(bevinding)}")
    pdf.set_font(FONT, size=10)
    text_line(pdf, bevinding.omschrijving)
    if bevinding.melding:
        text_line(pdf, f"Melding: {bevinding.melding}")
    if bevinding.regels and max_regels > 0:
        getoond = ", ".join(map(str, bevinding.regels[:max_regels]))
        if len(bevinding.regels) > max_regels:
            getoond += f" (de eerste {max_regels} van {len(bevinding.regels)})"
        text_line(pdf, f"Regelnummers: {getoond}")
