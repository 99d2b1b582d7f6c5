"""The technical check report: a real PDF that says what was checked and the verdict."""

import io
import re
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fpdf.enums import XPos, YPos
from pypdf import PdfReader
from tekening import drawing, same_drawing  # how a PDF is drawn, for the reference tests

from simulators.cbs.check import Bevinding, Oordeel, check_file
from simulators.cbs.page import FONT, ReportPage, pdf_text
from simulators.cbs.report import (
    RAPPORTSOORTEN,
    ReportKindError,
    report_file_name,
    technical_report_pdf,
)
from simulators.gmsd import rapportnaam
from simulators.gmsd.generator import generate_wmo_csv

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
GEMEENTE = "0363"
NAAM = "WMO_H12016_regulier_0363.csv"
REFERENTIE = "20160815-101500-001"
ONTVANGEN = datetime(2016, 8, 15, 10, 15, tzinfo=AMSTERDAM)
GEMAAKT = datetime(2016, 8, 16, 9, 30, tzinfo=AMSTERDAM)
GOED = generate_wmo_csv(GEMEENTE, 2016, 1, 40, ONTVANGEN, seed=2)


def _pdf(oordeel) -> bytes:
    return technical_report_pdf(oordeel, GEMEENTE, REFERENTIE, ONTVANGEN, GEMAAKT)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_technical_report_pdf_good_file_says_goedgekeurd():
    pdf = _pdf(check_file(NAAM, GOED, GEMEENTE, {"H12016"}))
    text = _text(pdf)
    assert pdf.startswith(b"%PDF")
    assert "Technisch controlerapport Gemeentelijke Monitor Sociaal Domein" in text
    assert NAAM in text
    assert GEMEENTE in text
    assert REFERENTIE in text
    assert "15-08-2016 10:15:00" in text
    assert "Oordeel: goedgekeurd" in text
    assert "afgekeurd" not in text
    assert "TC06 - voldaan" in text


def test_technical_report_pdf_bad_file_says_afgekeurd_and_rule():
    lines = GOED.split(b"\r\n")
    short_row = b"\r\n".join([*lines[:2], b"20160815101500;0363", *lines[2:]])
    oordeel = check_file(NAAM, short_row, GEMEENTE, {"H12016"})
    assert not oordeel.goedgekeurd
    text = _text(_pdf(oordeel))
    assert "Oordeel: afgekeurd" in text
    assert "goedgekeurd" not in text
    assert "TC05 - niet voldaan" in text
    assert "Regelnummers: 3" in text


def test_technical_report_pdf_is_a4_with_creation_date():
    reader = PdfReader(io.BytesIO(_pdf(check_file(NAAM, GOED, GEMEENTE))))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert reader.metadata["/CreationDate"].startswith("D:20160816093000")


def test_technical_report_pdf_non_latin_name_still_renders():
    oordeel = check_file("WMO_H12016_☃ €_0363.csv", GOED, GEMEENTE)
    text = _text(_pdf(oordeel))
    assert "WMO_H12016_? €_0363.csv" in text


def test_technical_report_pdf_same_inputs_identical_bytes():
    oordeel = check_file(NAAM, GOED, GEMEENTE, {"H12016"})
    assert _pdf(oordeel) == _pdf(check_file(NAAM, GOED, GEMEENTE, {"H12016"}))


def test_technical_report_pdf_other_creation_time_other_bytes():
    oordeel = check_file(NAAM, GOED, GEMEENTE)
    later = technical_report_pdf(
        oordeel, GEMEENTE, REFERENTIE, ONTVANGEN, datetime(2016, 8, 17, 9, 30, tzinfo=AMSTERDAM)
    )
    assert later != _pdf(oordeel)


def test_report_file_name_follows_pattern():
    naam = report_file_name("technisch", GEMEENTE, "H12016", REFERENTIE)
    assert naam == "CBS_TECHNISCH_0363_H12016_20160815-101500-001.pdf"
    assert re.fullmatch(r"CBS_[A-Z]+_\d{4}_H[12]\d{4}_[A-Za-z0-9.-]+\.pdf", naam)


def test_report_file_name_unknown_period_and_odd_characters_replaced():
    naam = report_file_name("TECHNISCH", GEMEENTE, "", "ref 1/2:ü")
    assert naam == "CBS_TECHNISCH_0363_ONBEKEND_ref-1-2--.pdf"
    assert re.fullmatch(r"[A-Za-z0-9._-]+", naam)


def _bevinding(line, geslaagd, ernst="fout", regels=()):
    return Bevinding(line, f"Omschrijving van {line}", geslaagd, f"Melding bij {line}", regels, ernst)


def test_technical_report_pdf_lists_every_rule_of_the_check():
    oordeel = check_file(NAAM, GOED, GEMEENTE, {"H12016"})
    text = _text(_pdf(oordeel))
    assert oordeel.bevindingen
    for bevinding in oordeel.bevindingen:
        assert f"{bevinding.regel} - voldaan" in text, bevinding.regel
        assert bevinding.omschrijving[:40] in text, bevinding.regel


def test_technical_report_pdf_failed_warning_rule_says_waarschuwing_and_keeps_verdict():
    oordeel = Oordeel("WMO_H12016_0363.csv", (
        _bevinding("TC01", True),
        _bevinding("TC90", False, ernst="waarschuwing", regels=(4, 7)),
    ))
    text = _text(_pdf(oordeel))
    assert "TC01 - voldaan" in text
    assert "TC90 - waarschuwing" in text
    assert "TC90 - niet voldaan" not in text
    assert "Melding: Melding bij TC90" in text
    assert "Regelnummers: 4, 7" in text
    assert "Waarschuwingen: TC90." in text
    assert "Oordeel: goedgekeurd" in text


def test_technical_report_pdf_failed_error_and_warning_both_listed():
    oordeel = Oordeel("WMO_H12016_0363.csv", (
        _bevinding("TC05", False, regels=(3,)),
        _bevinding("TC90", False, ernst="waarschuwing"),
    ))
    text = _text(_pdf(oordeel))
    assert "Oordeel: afgekeurd" in text
    assert "Niet voldaan aan: TC05." in text
    assert "Waarschuwingen: TC90." in text
    assert "TC05 - niet voldaan" in text


def test_technical_report_pdf_shows_at_most_max_regels_line_numbers():
    oordeel = Oordeel("WMO_H12016_0363.csv", (_bevinding("TC06", False, regels=tuple(range(2, 32))),))
    pdf = technical_report_pdf(oordeel, GEMEENTE, REFERENTIE, ONTVANGEN, GEMAAKT, max_regels=5)
    text = _text(pdf)
    assert "Regelnummers: 2, 3, 4, 5, 6 (de eerste 5 van 30)" in text
    assert "6, 7" not in text


def test_technical_report_pdf_soort_and_aanmaakdatum_shown_when_given():
    oordeel = check_file(NAAM, GOED, GEMEENTE, {"H12016"})
    pdf = technical_report_pdf(oordeel, GEMEENTE, REFERENTIE, ONTVANGEN, GEMAAKT,
                               soort="WMO", aanmaakdatum="20160815101500")
    text = _text(pdf)
    assert "Soort aanlevering: WMO" in text
    assert "Aanmaakdatum bestand: 15-08-2016 10:15:00" in text
    plain = _text(_pdf(oordeel))
    assert "Soort aanlevering" not in plain
    assert "Aanmaakdatum bestand:" not in plain


def test_technical_report_pdf_aanmaakdatum_not_a_timestamp_shown_as_given():
    oordeel = check_file(NAAM, GOED, GEMEENTE, {"H12016"})
    pdf = technical_report_pdf(oordeel, GEMEENTE, REFERENTIE, ONTVANGEN, GEMAAKT, aanmaakdatum="gisteren")
    assert "Aanmaakdatum bestand: gisteren" in _text(pdf)


def test_report_file_name_every_soort_parses_back_for_rinis():
    assert set(RAPPORTSOORTEN) == {"TECHNISCH", "OPORDE", "SPIEGEL2"}
    for soort in RAPPORTSOORTEN:
        naam = report_file_name(soort, GEMEENTE, "H12016", REFERENTIE)
        assert naam == f"CBS_{soort}_0363_H12016_20160815-101500-001.pdf"
        assert rapportnaam.parse(naam) == rapportnaam.Rapportnaam(soort, GEMEENTE, "H12016", REFERENTIE)


def test_report_file_name_unknown_soort_rejected():
    with pytest.raises(ReportKindError, match="SPIEGEL3"):
        report_file_name("spiegel3", GEMEENTE, "H12016", REFERENTIE)


def test_report_file_name_other_template_and_soorten():
    naam = report_file_name("extra", GEMEENTE, "H12016", "ref/1",
                            sjabloon="{gemeentecode}-{soort}-{referentie}.pdf",
                            soorten={"EXTRA": "Extra rapport"})
    assert naam == "0363-EXTRA-ref-1.pdf"


# ---------------------------------------------------------------- the fast page


_LASTIGE_TEKSTEN = [
    "",
    "kort",
    " begint met een spatie en eindigt met twee  ",
    "Melding: " + ", ".join(map(str, range(2, 90))) + " (en nog 5).",
    "woorden  met   dubbele spaties " * 6,
    "een_woord_zonder_spaties_dat_breder_is_dan_de_regel_" * 4 + " en dan tekst",
    " " + "een_woord_na_een_spatie_vooraan_" * 8,  # an empty first line, as fpdf2 writes it
    "haakjes (zoals hier) en \\ en € — ë " * 5,
    "kent {nb} pagina's",
    "regel\neen\tsoft\xadhyphen en no-break\xa0space " * 3,
]


@pytest.mark.parametrize("breedte", [0, 40, 95.5])
def test_report_page_writes_what_fpdf2_cell_and_multi_cell_write(breedte):
    def document(snel: bool) -> bytes:
        pdf = ReportPage("Afzender")
        pdf.set_creation_date(GEMAAKT)
        pdf.add_page()
        for index, tekst in enumerate(_LASTIGE_TEKSTEN * 4):  # enough to break pages
            pdf.set_font(FONT, style="B" if index % 3 else "", size=(8, 10, 14)[index % 3])
            if index % 5 == 4:
                pdf.set_fill_color(230, 140, 0)
            pdf.set_x(pdf.l_margin + index % 2 * 10)
            if snel:
                pdf.paragraph(breedte, 5, tekst)
            else:
                pdf.multi_cell(breedte, 5, tekst, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            for align, border in (("L", ""), ("R", "B"), ("C", "LTRB")):
                kort = pdf_text(tekst[:30])
                if snel:
                    pdf.text_cell(breedte / 3, 6, kort, border=border, align=align)
                else:
                    pdf.cell(breedte / 3, 6, kort, border=border, align=align)
            pdf.ln(6)
        return bytes(pdf.output())

    assert document(snel=True) == document(snel=False)


# ---------------------------------------------------------------- the reference drawing
#
# tests/data/cbs_rapporten/ holds, per case, the text pypdf reads from the report
# (<case>.txt) and what its pages draw (<case>.tekening: the content streams). They were
# written once from the fpdf2 cell/multi_cell drawing of commit 88c2cbc, before the fast
# drawing replaced it (``python tests/test_cbs_report.py --write-reference``): the reports
# must read and look the same. Rewrite them only when a report is meant to change.

REFERENTIES = Path(__file__).parent / "data" / "cbs_rapporten"


def _afgekeurd_bestand() -> bytes:
    """GOED with 25 invalid BSNs, a short row and a repeated row: errors, a warning, long lines."""
    kop, *rijen = [regel.split(b";") for regel in GOED.split(b"\r\n")[:-1]]
    for rij in rijen[:25]:
        rij[2] = b"123456789"
    regels = [b";".join(rij) for rij in [kop, *rijen]]
    return b"\r\n".join([*regels[:6], b"20160815101500;0363", *regels[6:], regels[31], b""])


REFERENTIEGEVALLEN = {
    "technisch_goedgekeurd": lambda: _pdf(check_file(NAAM, GOED, GEMEENTE, {"H12016"})),
    "technisch_afgekeurd": lambda: technical_report_pdf(
        check_file(NAAM, _afgekeurd_bestand(), GEMEENTE, {"H12016"}), GEMEENTE, REFERENTIE, ONTVANGEN,
        GEMAAKT, soort="WMO", aanmaakdatum="20160815101500"),
}


@pytest.mark.parametrize("geval", sorted(REFERENTIEGEVALLEN))
def test_technical_report_pdf_reads_and_draws_as_reference(geval):
    pdf = REFERENTIEGEVALLEN[geval]()
    assert _text(pdf) == (REFERENTIES / f"{geval}.txt").read_text(encoding="utf-8")
    tekening = (REFERENTIES / f"{geval}.tekening").read_text(encoding="latin-1")
    same_drawing(drawing(pdf), tekening.splitlines())


if __name__ == "__main__" and sys.argv[1:] == ["--write-reference"]:
    REFERENTIES.mkdir(parents=True, exist_ok=True)
    for naam, maak in REFERENTIEGEVALLEN.items():
        pdf = maak()
        (REFERENTIES / f"{naam}.txt").write_text(_text(pdf), encoding="utf-8")
        (REFERENTIES / f"{naam}.tekening").write_text("\n".join(drawing(pdf)) + "\n", encoding="latin-1")
