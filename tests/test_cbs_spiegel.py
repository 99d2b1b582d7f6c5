"""The op-orde rapport and spiegelrapport II: figures from a file, peer groups, the PDF."""

import io
import re
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from tekening import drawing, same_drawing  # how a PDF is drawn, for the reference tests

from simulators.cbs.spiegel import (
    GROOTTEKLASSEN,
    REFERENTIECIJFERS,
    SpiegelError,
    costs_per_post,
    figures_from_file,
    groepsomschrijving,
    grootteklasse,
    inwoners,
    vergelijkingsgroep,
    wmo_clients_per_type,
)
from simulators.cbs.spiegel_pdf import spiegel_report_name, spiegelrapport_pdf
from simulators.gmsd import generator

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
GEMAAKT = datetime(2016, 10, 3, 9, 0, tzinfo=AMSTERDAM)
REFERENTIE = "20160815-101500-001"
WMO_KOP = (
    "Aanmaakdatum bestand;Gemeentecode;BSN;Type maatwerkarrangement;Type instelling;"
    "Beoogde startdatum ondersteuning;Beoogde einddatum ondersteuning;Leveringsvorm;"
    "Datum start daadwerkelijke ondersteuning;Einddatum ondersteuning;Intensiteit;"
    "Daadwerkelijk betaald bedrag;Reden beëindiging"
)


def _wmo(*rijen: tuple[str, str, str]) -> bytes:
    """A WMO file with one row per (BSN, type, amount)."""
    regels = [WMO_KOP] + [
        f"20160815101500;0003;{bsn};{type_};12345678;20160101;;ZIN;20160105;;4;{bedrag};"
        for bsn, type_, bedrag in rijen
    ]
    return ("\r\n".join(regels) + "\r\n").encode()


# Three clients: 111222333 has type 01 twice and type 02 once; 123456782 has 01; 192837465 has 03.
WMO = _wmo(
    ("111222333", "01", "100.00"),
    ("111222333", "01", "50.00"),
    ("123456782", "01", ""),
    ("111222333", "02", "20.00"),
    ("192837465", "03", "7.50"),
)
SBO = (
    b"Aanmaakdatum bestand;Gemeentecode;Code uitvraag;Iv3-categorie;Kosten\r\n"
    b"20160815101500;0003;H12016;670;12000.00\r\n"
    b"20160815101500;0003;H12016;671;30500.50\r\n"
)
JEUGD = (
    b"Aanmaakdatum bestand;Gemeentecode;Code uitvraag;Type voorziening;Kosten\r\n"
    b"20160815101500;0003;H12016;01;400000.00\r\n"
    b"20160815101500;0003;H12016;03;25000.25\r\n"
    b"20160815101500;0003;H12016;05;0.75\r\n"
)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _filled_rectangles(pdf: bytes) -> int:
    reader = PdfReader(io.BytesIO(pdf))
    return sum(len(re.findall(rb" re f\n", page.get_contents().get_data())) for page in reader.pages)


def _wmo_pdf(rapport="I", **opties) -> bytes:
    argumenten = dict(
        rapport=rapport, soort="WMO", gemeentecode="0003", gemeentenaam="Appingedam",
        periode="H12016", cijfers=wmo_clients_per_type(WMO), inwoners=2_000,
        vergelijking={"01": 0.8, "02": 1.0, "03": 0.25}, gemaakt=GEMAAKT, ggk_referentie=REFERENTIE,
    )
    return spiegelrapport_pdf(**(argumenten | opties))


# ---------------------------------------------------------------- figures from a file


def test_wmo_clients_per_type_repeated_bsn_per_type_counts_distinct_clients():
    assert wmo_clients_per_type(WMO) == {"01": 2, "02": 1, "03": 1}


def test_wmo_clients_per_type_bom_lf_and_blank_lines_tolerated():
    inhoud = b"\xef\xbb\xbf" + WMO.replace(b"\r\n", b"\n") + b"\n\n"
    assert wmo_clients_per_type(inhoud) == {"01": 2, "02": 1, "03": 1}


def test_wmo_clients_per_type_without_bsn_column_raises():
    with pytest.raises(SpiegelError, match="BSN"):
        wmo_clients_per_type(WMO.replace(b";BSN;", b";Burgerservicenummer;"))


def test_costs_per_post_sums_per_iv3_category_and_type():
    assert costs_per_post(SBO, "Iv3-categorie") == {"670": 12000.0, "671": 30500.5}
    assert costs_per_post(JEUGD, "Type voorziening") == {"01": 400000.0, "03": 25000.25, "05": 0.75}
    assert costs_per_post(WMO, "Type maatwerkarrangement", bedrag="Daadwerkelijk betaald bedrag") == {
        "01": 150.0, "02": 20.0, "03": 7.5,
    }


def test_costs_per_post_same_post_twice_adds_up_exactly():
    inhoud = SBO + b"20160815101500;0003;H12016;670;0.10\r\n20160815101500;0003;H12016;670;0.20\r\n"
    assert costs_per_post(inhoud, "Iv3-categorie")["670"] == 12000.30


def test_costs_per_post_bad_amount_names_the_line():
    inhoud = SBO + b"20160815101500;0003;H12016;670;12,50\r\n"
    with pytest.raises(SpiegelError, match="regel 4"):
        costs_per_post(inhoud, "Iv3-categorie")


def test_figures_from_file_picks_the_column_per_soort():
    assert figures_from_file("wmo", WMO) == {"01": 2, "02": 1, "03": 1}
    assert figures_from_file("SBO", SBO) == {"670": 12000.0, "671": 30500.5}
    assert figures_from_file("JEUGD", JEUGD)["03"] == 25000.25
    with pytest.raises(SpiegelError, match="IV3"):
        figures_from_file("IV3", SBO)


# ---------------------------------------------------------------- inhabitants, peer group


def test_inwoners_deterministic_and_in_range():
    codes = [f"{nummer:04d}" for nummer in range(1, 400)]
    aantallen = [inwoners(code) for code in codes]
    assert aantallen == [inwoners(code) for code in codes]
    assert all(1_000 <= aantal <= 900_000 for aantal in aantallen)
    klassen = {grootteklasse(aantal) for aantal in aantallen}
    assert klassen == {label for _, label in GROOTTEKLASSEN}
    assert inwoners("GM0003") == inwoners("0003")


def test_inwoners_big_cities_in_the_biggest_class():
    assert inwoners("0363") == 835_000
    for code in ("0363", "0599", "0518", "0344"):
        assert grootteklasse(inwoners(code)) == "100.000 inwoners of meer"


def test_inwoners_smallest_gemeenten_under_20000():
    for code in ("0088", "0096", "0277", "0060", "0093"):
        assert 1_000 <= inwoners(code) < 20_000, code


def test_inwoners_bad_code_raises():
    with pytest.raises(SpiegelError, match="4 cijfers"):
        inwoners("363")


@pytest.mark.parametrize(("aantal", "klasse"), [
    (19_999, "minder dan 20.000 inwoners"),
    (20_000, "20.000 tot 50.000 inwoners"),
    (49_999, "20.000 tot 50.000 inwoners"),
    (50_000, "50.000 tot 100.000 inwoners"),
    (99_999, "50.000 tot 100.000 inwoners"),
    (100_000, "100.000 inwoners of meer"),
])
def test_grootteklasse_bounds(aantal, klasse):
    assert grootteklasse(aantal) == klasse


def test_vergelijkingsgroep_fictitious_same_for_same_class_and_near_reference():
    tallen = {"0001": 30_000, "0002": 45_000, "0004": 200_000}
    groep = vergelijkingsgroep("0001", "WMO", "H12016", inwonertallen=tallen)
    assert groep == vergelijkingsgroep("0002", "WMO", "H12016", inwonertallen=tallen)
    assert groep != vergelijkingsgroep("0004", "WMO", "H12016", inwonertallen=tallen)
    assert groep != vergelijkingsgroep("0001", "WMO", "H22016", inwonertallen=tallen)
    assert set(groep) == set(REFERENTIECIJFERS["WMO"])
    for post, basis in REFERENTIECIJFERS["WMO"].items():
        assert 0.8 * basis - 0.01 <= groep[post] <= 1.2 * basis + 0.01


def test_vergelijkingsgroep_from_other_gemeenten_of_same_class():
    tallen = {"0001": 10_000, "0002": 15_000, "0004": 5_000, "0005": 60_000}
    andere = [
        ("0001", {"01": 999}),  # the gemeente itself: left out
        ("0002", {"01": 30, "02": 6}),
        ("0004", {"01": 10}),
        ("0005", {"01": 600, "03": 60}),  # another size class: left out
    ]
    groep = vergelijkingsgroep("0001", "WMO", "H12016", andere, inwonertallen=tallen)
    assert groep == pytest.approx({"01": 40 / 20_000 * 1000, "02": 6 / 20_000 * 1000})
    assert groepsomschrijving("0001", andere, inwonertallen=tallen) == (
        "2 andere gemeenten met minder dan 20.000 inwoners (aangeleverde cijfers)"
    )


def test_vergelijkingsgroep_costs_are_per_inhabitant():
    tallen = {"0001": 10_000, "0002": 15_000, "0004": 5_000}
    andere = [("0002", {"670": 30_000.0, "671": 1_000.0}), ("0004", {"670": 10_000.0})]
    groep = vergelijkingsgroep("0001", "SBO", "H12016", andere, inwonertallen=tallen)
    assert groep == pytest.approx({"670": 2.0, "671": 0.05})


def test_vergelijkingsgroep_no_peer_in_class_falls_back_to_fictitious():
    tallen = {"0001": 10_000, "0005": 60_000}
    andere = [("0005", {"01": 600})]
    groep = vergelijkingsgroep("0001", "WMO", "H12016", andere, inwonertallen=tallen)
    assert groep == vergelijkingsgroep("0001", "WMO", "H12016", inwonertallen=tallen)
    assert groepsomschrijving("0001", andere, inwonertallen=tallen).startswith("fictieve referentiecijfers")


# ---------------------------------------------------------------- the PDF


def test_spiegelrapport_pdf_i_heading_and_data():
    pdf = _wmo_pdf(bestandsnaam="WMO_H12016_0003.csv", groep="fictieve referentiecijfers")
    text = _text(pdf)
    assert pdf.startswith(b"%PDF")
    assert "Op-orde rapport / Spiegelrapport I" in text
    assert "Gemeente: Appingedam (0003)" in text
    assert "Verslagperiode: H12016 (eerste halfjaar 2016)" in text
    assert "Bestandsnaam: WMO_H12016_0003.csv" in text
    assert f"GGk-referentienummer: {REFERENTIE}" in text
    assert "Inwoners: 2.000 (minder dan 20.000 inwoners)" in text
    assert "Vergelijkingsgroep: fictieve referentiecijfers" in text
    assert "Status: voorlopig" in text
    assert "definitief" not in text


def test_spiegelrapport_pdf_wmo_table_numbers():
    text = _text(_wmo_pdf())
    # 2,000 inhabitants: 2 clients = 1.00 per 1,000; peer 0.80 -> +0.20, +25 %.
    assert "01 Hulp bij het huishouden 2 1,00 0,80 +0,20 +25%" in text
    assert "02 Begeleiding 1 0,50 1,00 -0,50 -50%" in text
    assert "03 Persoonlijke verzorging 1 0,50 0,25 +0,25 +100%" in text
    assert "- 03 Persoonlijke verzorging: 100% hoger dan de vergelijkingsgroep" in text
    assert "- 02 Begeleiding" not in text  # exactly 50 % is not more than 50 %


def test_spiegelrapport_pdf_post_only_in_peer_group_shown_as_zero():
    text = _text(_wmo_pdf(vergelijking={"01": 1.0, "15": 2.0}))
    assert "15 Beschermd wonen 0 0,00 2,00 -2,00 -100%" in text
    assert "02 Begeleiding 1 0,50 0,00 +0,50 n.v.t." in text
    assert "- 02 Begeleiding: wel cijfers, de vergelijkingsgroep niet" in text


def test_spiegelrapport_pdf_chart_two_bars_per_post_and_legend():
    pdf = _wmo_pdf()
    assert _filled_rectangles(pdf) == 2 * 3 + 2
    assert _filled_rectangles(_wmo_pdf(vergelijking={f"{n:02d}": 1.0 for n in range(1, 19)})) == 2 * 18 + 2
    text = _text(pdf)
    assert "Grafiek: cliënten per 1.000 inwoners, gemeente en vergelijkingsgroep" in text
    assert "Cliënten per 1.000 inwoners" in text.split("Grafiek:")[1]
    assert "Type maatwerkarrangement" in text.split("Grafiek:")[1]
    assert "Gemeente Vergelijkingsgroep" in text


def test_spiegelrapport_pdf_sbo_costs_per_inhabitant():
    pdf = spiegelrapport_pdf(
        "I", "SBO", "0003", "Appingedam", "H12016", costs_per_post(SBO, "Iv3-categorie"), 4_000,
        {"670": 2.5, "671": 10.0}, GEMAAKT, REFERENTIE,
    )
    text = _text(pdf)
    assert "Cijfers per inwoner" in text
    # 12,000.00 / 4,000 = 3.00 per inhabitant; 30,500.50 / 4,000 = 7.625... -> 7,63.
    assert "670 Eerstelijnsloket Wmo en Jeugd 12.000,00 3,00 2,50 +0,50 +20%" in text
    assert "671 Algemene voorziening Wmo en Jeugd 30.500,50 7,63 10,00 -2,37 -24%" in text
    assert "Totaal 42.500,50 10,63 12,50 -1,87 -15%" in text
    assert "Kosten per inwoner (EUR)" in text
    assert _filled_rectangles(pdf) == 2 * 2 + 2


def test_spiegelrapport_pdf_jeugd_costs():
    text = _text(spiegelrapport_pdf(
        "I", "JEUGD", "0003", "Appingedam", "H12016", costs_per_post(JEUGD, "Type voorziening"), 1_000,
        {"01": 500.0, "02": 50.0}, GEMAAKT, REFERENTIE,
    ))
    assert "01 Jeugdhulp zonder verblijf 400.000,00 400,00 500,00 -100,00 -20%" in text
    assert "02 Jeugdhulp met verblijf 0,00 0,00 50,00 -50,00 -100%" in text
    assert "05 Persoonsgebonden budget (pgb) 0,75 0,00 0,00 +0,00 n.v.t." in text


def test_spiegelrapport_pdf_ii_definitief_and_compared_with_i():
    text = _text(_wmo_pdf("II", eerder={"01": 5, "04": 1}))
    assert "Spiegelrapport II" in text
    assert "Op-orde rapport" not in text
    assert "Status: definitief" in text
    assert "voorlopig" not in text
    assert "Vergelijking met spiegelrapport I" in text
    assert "01 Hulp bij het huishouden 5 2 -3" in text
    assert "04 Kortdurend verblijf 1 0 -1" in text
    assert "03 Persoonlijke verzorging 0 1 +1" in text


def test_spiegelrapport_pdf_ii_without_earlier_figures_says_so():
    text = _text(_wmo_pdf("II"))
    assert "De cijfers van spiegelrapport I zijn niet beschikbaar." in text


def test_spiegelrapport_pdf_i_with_earlier_figures_rejected():
    with pytest.raises(SpiegelError, match="spiegelrapport II"):
        _wmo_pdf("I", eerder={"01": 1})


@pytest.mark.parametrize("opties", [{"rapport": "III"}, {"soort": "IV3"}, {"inwoners": 0}])
def test_spiegelrapport_pdf_bad_arguments_rejected(opties):
    with pytest.raises(SpiegelError):
        _wmo_pdf(**opties)


def test_spiegelrapport_pdf_same_inputs_identical_bytes():
    assert _wmo_pdf("II", eerder={"01": 5}) == _wmo_pdf("II", eerder={"01": 5})
    assert _wmo_pdf() != _wmo_pdf(gemaakt=datetime(2016, 10, 4, 9, 0, tzinfo=AMSTERDAM))


def test_spiegelrapport_pdf_a4_with_creation_date_and_odd_name():
    pdf = _wmo_pdf(gemeentenaam="Súdwest-Fryslân ☃")
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert reader.metadata["/CreationDate"].startswith("D:20161003090000")
    assert "Súdwest-Fryslân ? (0003)" in _text(pdf)


def test_spiegel_report_name_per_rapport():
    assert spiegel_report_name("I", "0003", "H12016", REFERENTIE) == (
        "CBS_OPORDE_0003_H12016_20160815-101500-001.pdf"
    )
    assert spiegel_report_name("II", "0003", "H12016", REFERENTIE) == (
        "CBS_SPIEGEL2_0003_H12016_20160815-101500-001.pdf"
    )


# ---------------------------------------------------------------- the reference drawing
#
# tests/data/cbs_rapporten/ holds, per case, the text pypdf reads from the report
# (<case>.txt) and what its pages draw (<case>.tekening: the content streams). They were
# written once from the fpdf2 cell/multi_cell drawing of commit 88c2cbc, before the fast
# drawing replaced it (``python tests/test_cbs_spiegel.py --write-reference``): the reports
# must read and look the same. Rewrite them only when a report is meant to change.

REFERENTIES = Path(__file__).parent / "data" / "cbs_rapporten"
GROOT_WMO = generator.generate("WMO", "0003", 2016, 1, GEMAAKT, rows=200, seed=3)


REFERENTIEGEVALLEN = {
    # every WMO type in the peer group: an 18-bar chart that starts a second page
    "oporde_wmo": lambda: spiegelrapport_pdf(
        "I", "WMO", "0003", "Appingedam", "H12016", wmo_clients_per_type(GROOT_WMO), inwoners("0003"),
        vergelijkingsgroep("0003", "WMO", "H12016"), GEMAAKT, REFERENTIE,
        groep=groepsomschrijving("0003"), bestandsnaam="WMO_H12016_regulier_0003.csv"),
    "spiegel2_sbo": lambda: spiegelrapport_pdf(
        "II", "SBO", "0003", "Appingedam", "H12016", costs_per_post(SBO, "Iv3-categorie"), 4_000,
        {"670": 2.5, "671": 10.0}, GEMAAKT, REFERENTIE, eerder={"670": 11_000.0, "671": 30_500.5},
        groep="2 andere gemeenten met minder dan 20.000 inwoners (aangeleverde cijfers)",
        bestandsnaam="SBO_H12016_0003.csv"),
    # an odd name, and a post with a name too long for its column (cut to fit, "...")
    "spiegel2_jeugd": lambda: spiegelrapport_pdf(
        "II", "JEUGD", "1900", "Súdwest-Fryslân ☃", "H22016",
        costs_per_post(JEUGD, "Type voorziening")
        | {"Overige jeugdhulp zonder nadere indeling naar type voorziening, verblijf of financiering": 10.0},
        inwoners("1900"), vergelijkingsgroep("1900", "JEUGD", "H22016"), GEMAAKT, REFERENTIE),
}


@pytest.mark.parametrize("geval", sorted(REFERENTIEGEVALLEN))
def test_spiegelrapport_pdf_reads_and_draws_as_reference(geval):
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
