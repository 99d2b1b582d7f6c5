"""The journey picture: journals merged into steps, drawn as an SVG sequence diagram and an HTML page."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from lxml import etree, html

from ketentest.journey import JourneyStep, journey_steps, shorten
from ketentest.journey_svg import ROOD, journey_html, sequence_diagram_svg
from simulators.clock import AMSTERDAM, SimulatedClock
from simulators.store import Entry, Journal, Store

SVG = {"s": "http://www.w3.org/2000/svg"}
R_DI01 = "7f3c2a10-5b1e-4c7e-9a55-1d2f3e4a5b6c"
R_DU01 = "d0e1f2a3-0000-4000-8000-123456789abc"
CSV = "WMO_H12016_regulier.csv"
CSV_CBS = "WMO_H12016_regulier_0344.csv"
RAPPORT = "Technisch rapport WMO 0344.pdf"


def _t(dag: int, tijd: str) -> str:
    uur, minuut, rest = tijd.split(":")
    seconde, _, ms = rest.partition(".")
    return datetime(2016, 8, dag, int(uur), int(minuut), int(seconde), int(ms or 0) * 1000,
                    tzinfo=AMSTERDAM).isoformat()


def _e(id_: int, richting: str, peer: str, soort: str, tijdstip: str, **velden) -> dict:
    entry = {"id": id_, "richting": richting, "peer": peer, "soort": soort, "berichtcode": None,
             "referentienummer": None, "crossRefnummer": None, "bestandsnaam": None,
             "correlatie": "GGK-1", "tijdstip": tijdstip, "content_type": "text/xml"}
    return entry | velden


def _stuf(id_, richting, peer, code, tijdstip, ref=None, cross=None, **velden) -> dict:
    return _e(id_, richting, peer, code, tijdstip, berichtcode=code, referentienummer=ref,
              crossRefnummer=cross, **velden)


@pytest.fixture
def run() -> dict[str, list[dict]]:
    """A whole delivery as the four journals hold it; each party lists only its own lines.

    The GGk does not journal the upload it receives, so the upload and its answer are
    one-sided, as in the real simulators.
    """
    return {
        "gemeente": [
            _e(11, "uit", "ggk", "upload", _t(15, "09:00:00.001"), bestandsnaam=CSV, correlatie=None),
            _e(12, "in", "ggk", "upload-antwoord", _t(15, "09:00:00.002")),
            _e(13, "in", "ggk", "download", _t(16, "11:00:00.001"), bestandsnaam=RAPPORT),
        ],
        "ggk": [
            _stuf(40, "uit", "rinis", "Di01", _t(15, "09:00:01.000"), R_DI01, bestandsnaam=CSV_CBS),
            _stuf(41, "in", "rinis", "Bv03", _t(15, "09:00:01.003"), "a1", R_DI01, bestandsnaam=CSV_CBS),
            _stuf(42, "in", "rinis", "Du01", _t(16, "10:00:00.001"), R_DU01, R_DI01),
            _stuf(43, "uit", "rinis", "Bv03", _t(16, "10:00:00.002"), None, R_DU01),
            _e(44, "uit", "gemeente", "download", _t(16, "11:00:00.000"), bestandsnaam=RAPPORT),
        ],
        "rinis": [
            _stuf(7, "in", "ggk", "Di01", _t(15, "09:00:01.001"), R_DI01),
            _stuf(8, "uit", "ggk", "Bv03", _t(15, "09:00:01.002"), None, R_DI01),
            _e(9, "uit", "cbs", "bestand", _t(15, "09:05:00.000"), bestandsnaam=CSV_CBS),
            _e(10, "in", "cbs", "rapport", _t(16, "09:00:00.001"), bestandsnaam="rapport_0344.pdf"),
            _stuf(11, "uit", "ggk", "Du01", _t(16, "10:00:00.000"), R_DU01, R_DI01),
            _stuf(12, "in", "ggk", "Bv03", _t(16, "10:00:00.003"), "a2", R_DU01),
        ],
        "cbs": [
            _e(3, "in", "rinis", "bestand", _t(15, "09:05:00.001"), bestandsnaam=CSV_CBS),
            _e(4, "uit", "rinis", "rapport", _t(16, "09:00:00.000"), bestandsnaam="rapport_0344.pdf"),
        ],
    }


def _kort(stap: JourneyStep) -> tuple[str, str, str]:
    return stap.van, stap.naar, stap.berichtcode or stap.soort


def test_journey_steps_merge_each_message_once_in_order(run):
    reis = journey_steps(run)

    assert [_kort(s) for s in reis] == [
        ("gemeente", "ggk", "upload"),
        ("ggk", "gemeente", "upload-antwoord"),
        ("ggk", "rinis", "Di01"),
        ("rinis", "ggk", "Bv03"),
        ("rinis", "cbs", "bestand"),
        ("cbs", "rinis", "rapport"),
        ("rinis", "ggk", "Du01"),
        ("ggk", "rinis", "Bv03"),
        ("ggk", "gemeente", "download"),
    ]
    regels = sum(len(lijst) for lijst in run.values())
    assert sum(len(s.bronnen) for s in reis) == regels, "every journal line in exactly one step"


def test_journey_steps_keep_the_sender_time_and_both_references(run):
    di01, bv03 = journey_steps(run)[2:4]

    assert di01.bronnen == (("ggk", 40), ("rinis", 7))
    assert di01.tijdstip == _t(15, "09:00:01.000")
    assert di01.referentie == R_DI01 and di01.label == f"Di01 {CSV_CBS}"
    assert bv03.bronnen == (("rinis", 8), ("ggk", 41))
    assert (bv03.referentie, bv03.crossref) == ("a1", R_DI01), "the callee journals no own number"
    assert bv03.antwoord and not di01.antwoord


def test_journey_steps_mark_one_sided_messages(run):
    reis = journey_steps(run)

    eenzijdig = [(s.soort, s.gezien_door) for s in reis if s.enkelzijdig]
    assert eenzijdig == [("upload", ("gemeente",)), ("upload-antwoord", ("gemeente",))]


def test_journey_steps_order_within_one_journal_beats_journal_ids_across_parties():
    """Same instant everywhere: the Bv03 still follows the Di01 though RINIS's ids are smaller."""
    nu = _t(15, "09:00:00.000")
    reis = journey_steps({
        "ggk": [_stuf(500, "uit", "rinis", "Di01", nu, R_DI01),
                _stuf(501, "in", "rinis", "Bv03", nu, "a1", R_DI01)],
        "rinis": [_stuf(1, "in", "ggk", "Di01", nu, R_DI01),
                  _stuf(2, "uit", "ggk", "Bv03", nu, None, R_DI01)],
    })

    assert [s.berichtcode for s in reis] == ["Di01", "Bv03"]


def test_journey_steps_pair_a_retry_with_the_send_that_arrived():
    """The first Bv03 got lost: the GGk sent again and journaled only the second answer."""
    reis = journey_steps({
        "ggk": [_stuf(1, "uit", "rinis", "Di01", _t(15, "09:00:00.000"), R_DI01),
                _stuf(2, "uit", "rinis", "Di01", _t(15, "09:01:00.000"), R_DI01),
                _stuf(3, "in", "rinis", "Bv03", _t(15, "09:01:00.003"), "a1", R_DI01)],
        "rinis": [_stuf(1, "in", "ggk", "Di01", _t(15, "09:00:00.001"), R_DI01),
                  _stuf(2, "uit", "ggk", "Bv03", _t(15, "09:00:00.002"), None, R_DI01),
                  _stuf(3, "in", "ggk", "Di01", _t(15, "09:01:00.001"), R_DI01),
                  _stuf(4, "uit", "ggk", "Bv03", _t(15, "09:01:00.002"), None, R_DI01)],
    })

    assert [(s.berichtcode, s.bronnen) for s in reis] == [
        ("Di01", (("ggk", 1), ("rinis", 1))),
        ("Bv03", (("rinis", 2),)),
        ("Di01", (("ggk", 2), ("rinis", 3))),
        ("Bv03", (("rinis", 4), ("ggk", 3))),
    ]


def test_journey_steps_read_the_journal_shape_the_store_writes():
    clock = SimulatedClock(datetime(2016, 8, 15, 9, 0))
    ggk, rinis = (Journal(Store(":memory:"), clock) for _ in range(2))
    ggk.record(Entry("uit", "rinis", "Di01", b"<x/>", berichtcode="Di01", referentienummer=R_DI01))
    rinis.record(Entry("in", "ggk", "Di01", b"<x/>", berichtcode="Di01", referentienummer=R_DI01))
    rinis.record(Entry("uit", "ggk", "Fo03", b"<x/>", berichtcode="Fo03", crossRefnummer=R_DI01))
    clock.advance(timedelta(seconds=1))
    ggk.record(Entry("in", "rinis", "Fo03", b"<x/>", berichtcode="Fo03", referentienummer="f1",
                     crossRefnummer=R_DI01))

    reis = journey_steps({"ggk": ggk.entries(), "rinis": rinis.entries()})

    assert [(s.berichtcode, len(s.bronnen), s.fout, s.antwoord) for s in reis] == [
        ("Di01", 2, False, False), ("Fo03", 2, True, True)]


def test_journey_steps_refuse_an_unknown_direction():
    with pytest.raises(ValueError, match="richting 'heen'"):
        journey_steps({"ggk": [_e(1, "heen", "rinis", "upload", _t(15, "09:00:00"))]})


def _svg(reis, titel="Aanlevering 0344") -> etree._Element:
    tekst = sequence_diagram_svg(reis, titel)
    assert tekst.startswith("<?xml")
    return etree.fromstring(tekst.encode())


def test_svg_is_valid_xml_with_a_lifeline_per_party_in_chain_order(run):
    svg = _svg(journey_steps({"vreemd": [], **run}))

    koppen = svg.xpath("//s:g[@class='partij']/s:text/text()", namespaces=SVG)
    assert koppen[::2] == ["gemeente", "ggk", "rinis", "cbs"], koppen
    assert len(svg.xpath("//s:g[starts-with(@class, 'stap')]", namespaces=SVG)) == 9


def test_svg_shows_labels_references_and_time(run):
    svg = _svg(journey_steps(run))

    labels = svg.xpath("//s:text[@class='label']/text()", namespaces=SVG)
    assert labels[:4] == [f"upload {CSV}", "upload-antwoord", f"Di01 {CSV_CBS}", f"Bv03 {CSV_CBS}"]
    refs = svg.xpath("//s:text[@class='referentie']/text()", namespaces=SVG)
    assert "ref 7f3c2a10" in refs and "ref a1 · x 7f3c2a10" in refs, refs
    tijden = svg.xpath("//s:text[@class='tijd']/text()", namespaces=SVG)
    assert tijden[:3] == ["09:00:00", "09:00:00", "09:00:01"], tijden
    datums = svg.xpath("//s:text[@class='datum']/text()", namespaces=SVG)
    assert datums == ["ma 15 aug 2016", "di 16 aug 2016"], "the date only when it changes"


def test_svg_draws_answers_dashed_and_faults_red():
    reis = journey_steps({
        "ggk": [_stuf(1, "uit", "rinis", "Di01", _t(15, "09:00:00.000"), R_DI01),
                _stuf(2, "in", "rinis", "Fo03", _t(15, "09:00:00.003"), "f1", R_DI01),
                _stuf(3, "in", "rinis", "Fo01", _t(15, "09:00:05.000"), "f2", R_DI01)],
        "rinis": [_stuf(1, "in", "ggk", "Di01", _t(15, "09:00:00.001"), R_DI01),
                  _stuf(2, "uit", "ggk", "Fo03", _t(15, "09:00:00.002"), None, R_DI01),
                  _stuf(3, "uit", "ggk", "Fo01", _t(15, "09:00:04.000"), "f2", R_DI01)],
    })
    svg = _svg(reis)

    pijlen = {g.findtext("s:text[@class='label']", namespaces=SVG): g.find("s:line", SVG)
              for g in svg.xpath("//s:g[starts-with(@class, 'stap')]", namespaces=SVG)}
    assert pijlen["Di01"].get("stroke") != ROOD and pijlen["Di01"].get("stroke-dasharray") is None
    assert pijlen["Fo03"].get("stroke") == ROOD and pijlen["Fo03"].get("stroke-dasharray")
    assert pijlen["Fo01"].get("stroke") == ROOD and pijlen["Fo01"].get("stroke-dasharray") is None
    assert pijlen["Fo03"].get("marker-end") == "url(#pijl-fout)"


def test_svg_marks_the_silent_end_of_a_one_sided_step(run):
    svg = _svg(journey_steps(run))

    eenzijdig = svg.xpath("//s:g[contains(@class, 'enkelzijdig')]", namespaces=SVG)
    assert len(eenzijdig) == 2
    upload = eenzijdig[0]
    ggk_x = upload.find("s:line", SVG).get("x2")
    assert upload.find("s:circle", SVG).get("cx") == str(int(ggk_x) + 2), "circle on the ggk lifeline"
    assert "alleen in het journaal van gemeente" in upload.findtext("s:title", namespaces=SVG)


def test_svg_shortens_long_labels_in_the_middle_and_keeps_them_whole_in_the_tooltip():
    naam = "WMO_H12016_een_heel_lange_vrije_tekst_die_niet_past_0344.csv"
    reis = journey_steps({"rinis": [_e(1, "uit", "cbs", "bestand", _t(15, "09:00:00"), bestandsnaam=naam)]})
    svg = _svg(reis)

    [label] = svg.xpath("//s:text[@class='label']/text()", namespaces=SVG)
    assert label.startswith("bestand WMO_") and label.endswith("_0344.csv") and "…" in label
    assert label == shorten(f"bestand {naam}", len(label))
    assert naam in svg.xpath("string(//s:g[contains(@class, 'stap')]/s:title)", namespaces=SVG)


def test_kort_keeps_short_text_and_cuts_long_text_to_length():
    assert shorten("Di01", 10) == "Di01"
    assert shorten("abcdefghijklmnop.csv", 12) == "abcdefg….csv"
    assert len(shorten("x" * 100, 30)) == 30


def test_svg_escapes_file_names():
    naam = 'a<b>&"c\'.csv'
    reis = journey_steps({"gemeente": [_e(1, "uit", "ggk", "upload", _t(15, "09:00:00"), bestandsnaam=naam)]})
    tekst = sequence_diagram_svg(reis, titel="<script>&")

    assert "<b>" not in tekst and "<script>" not in tekst
    svg = etree.fromstring(tekst.encode())
    assert svg.xpath("//s:text[@class='label']/text()", namespaces=SVG) == [f"upload {naam}"]
    assert naam in svg.xpath("string(//s:g[contains(@class, 'stap')]/s:title)", namespaces=SVG)


def test_svg_survives_control_characters_and_bad_times():
    reis = [JourneyStep("ggk", "rinis", "Di01 bad\x01name", None, None, "gisteren", "Di01", "Di01")]

    svg = _svg(reis)

    assert svg.xpath("//s:text[@class='tijd']/text()", namespaces=SVG) == ["gisteren"]


def test_svg_grows_with_sixty_steps_and_keeps_rows_apart(run):
    reis = journey_steps(run) * 7  # 63 steps
    svg = _svg(reis)

    hoogte = int(svg.get("height"))
    assert svg.get("viewBox") == f"0 0 {svg.get('width')} {hoogte}"
    lijnen = [float(line.get("y1")) for line in svg.xpath("//s:g[starts-with(@class, 'stap')]/s:line",
                                                             namespaces=SVG)]
    assert len(lijnen) == 63 and all(b - a >= 40 for a, b in zip(lijnen, lijnen[1:], strict=False))
    assert lijnen[-1] < hoogte - 60, "the last arrow sits above the closing party boxes"


def test_reis_html_embeds_the_svg_and_lists_every_step(run):
    reis = journey_steps(run)
    reis_pagina = journey_html(reis, "Reis <0344> & meer")

    assert reis_pagina.startswith("<!DOCTYPE html>")
    doc = html.fromstring(reis_pagina)
    assert doc.findtext(".//title") == "Reis <0344> & meer"
    assert len(doc.xpath("//svg")) == 1
    rijen = doc.xpath("//tbody/tr")
    assert len(rijen) == len(reis)
    assert rijen[2].xpath("string(td[@class='ref'][1])") == R_DI01, "full numbers in the table"
    assert rijen[0].get("class") == "enkelzijdig"
    assert rijen[0].xpath("string(td[@class='journaal'])") == "alleen gemeente"
