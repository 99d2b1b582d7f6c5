"""The coordinator's demo, with nothing but ``ketentest up`` and a browser: make a test file at
the gemeente, log in at the GGk portal, upload it, see its reference and download its
technical report. ``ketentest up`` runs as its own process on the wall clock, as a coordinator
starts it; the person is Debian's Chromium."""

from __future__ import annotations

import csv
import html
import io
import re
import time
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page
from test_cli import start, stop  # ketentest up as its own process

from simulators.chain import PARTIES
from simulators.gmsd import periodes
from simulators.gmsd.generator import WMO_COLUMNS
from steps.aanlevering import Gemeente
from steps.portaal import Portaal

RAPPORT_BINNEN = 60.0
"""Seconds the report may take on the wall clock: the chain's tasks run in the background."""


@pytest.fixture(scope="module")
def up(tmp_path_factory) -> Iterator[dict[str, str]]:
    """``ketentest up`` with the default (wall) clock, on free ports: what the coordinator runs."""
    process, urls = start("--ports", "vrij", tmp_path=tmp_path_factory.mktemp("up"), lines=len(PARTIES))
    try:
        yield urls
    finally:
        assert stop(process) == 0


def test_ketentest_up_answers_a_browser_at_the_parties_own_addresses(up):
    """The URLs ``ketentest up`` prints lead a person to a page, not to JSON."""
    ggk = requests.get(up["ggk"], timeout=10)
    assert ggk.url.endswith("/portaal/inloggen") and "Inloggen met eHerkenning" in ggk.text
    gemeente = requests.get(up["gemeente"], timeout=10)
    assert gemeente.url.endswith("/testbestanden") and "Testbestand maken" in gemeente.text


def test_test_file_page_refuses_bad_input_in_dutch(up):
    fout = {"soort": "AOW", "gemeente": "9999", "periode": "2016", "rijen": "x"}
    antwoord = requests.get(f"{up['gemeente']}/testbestanden/bestand", params=fout, timeout=10)
    assert antwoord.status_code == 400 and "text/html" in antwoord.headers["Content-Type"]
    for reden in ("kies een soort uit WMO, SBO, JEUGD", "'9999' is geen gemeentecode",
                  "'2016' is geen verslagperiode", "gehele getallen"):
        assert reden in html.unescape(antwoord.text), reden


def test_a_coordinator_generates_uploads_and_downloads_the_report_in_chromium(up, scherm: Page,
                                                                              tmp_path: Path):
    page = scherm
    klok = datetime.fromisoformat(requests.get(f"{up['ggk']}/health", timeout=10).json()["klok"])
    jaar, halfjaar = periodes.current(klok.date())  # the current period, by the chain's (wall) clock
    periode = periodes.code_uitvraag(jaar, halfjaar)

    # the gemeente's address: the page that makes a test file
    assert page.goto(up["gemeente"]).status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Testbestand maken"
    page.get_by_label("Soort bestand").select_option(label="WMO")
    page.get_by_label("Gemeente", exact=True).select_option(label="Amsterdam (0363)")
    page.get_by_label("Verslagperiode").select_option(value=periode)
    page.get_by_label("Aantal regels (alleen Wmo)").fill("30")
    with page.expect_download() as wacht:
        page.get_by_role("button", name="Testbestand maken").click()
    download = wacht.value
    bestand = tmp_path / download.suggested_filename
    download.save_as(bestand)
    assert bestand.name == f"WMO_{periode}_regulier.csv"
    regels = list(csv.reader(io.StringIO(bestand.read_text(encoding="utf-8")), delimiter=";"))
    assert regels[0] == WMO_COLUMNS and len(regels) == 31 and {r[1] for r in regels[1:]} == {"0363"}

    # the GGk's address: the portal's login; log in at EH3 as Amsterdam's medewerker
    portaal = Portaal(page, up["ggk"], tmp_path)
    assert portaal.open("/").status == 200 and page.url.endswith("/portaal/inloggen")
    portaal.inloggen(Gemeente("0363", "Amsterdam"), "medewerker", "EH3")
    assert portaal.status == 200 and page.url.endswith("/portaal/cbs"), portaal.tekst[:300]

    # upload the generated file; the upload page links back to the gemeente's test files
    portaal.klik(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Aanleveren"))
    terug = page.get_by_role("link", name="gemeentesimulator (testbestand maken)")
    assert terug.get_attribute("href") == f"{up['gemeente']}/testbestanden"
    page.get_by_label("Bestand (CSV, TXT of ZIP)").set_input_files(bestand)
    portaal.klik(portaal.knop("Aanleveren"))
    referenties = portaal.referenties()
    assert list(referenties) == [bestand.name], portaal.tekst[:500]
    referentie = referenties[bestand.name]
    assert re.fullmatch(r"\d{8}-\d{6}-\d{3}", referentie)

    # the report arrives in the background: reload the downloads page until it is there
    portaal.klik(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Downloads"))
    rapport = page.get_by_role("link", name=re.compile(rf"^CBS_TECHNISCH_0363_{periode}"))
    deadline = time.monotonic() + RAPPORT_BINNEN
    while not rapport.count():
        assert time.monotonic() < deadline, f"geen rapport na {RAPPORT_BINNEN:g} s: {portaal.tekst[:500]}"
        time.sleep(0.5)
        portaal.antwoord = page.reload()
    rij = page.get_by_role("row").filter(has=rapport)
    assert referentie in rij.inner_text(), "the report's row names the upload's reference"
    download = portaal.bewaar(rapport)
    assert download.naam.endswith(".zip") and download.inhoud[:2] == b"PK"
    with zipfile.ZipFile(io.BytesIO(download.inhoud)) as archief:
        [pdf] = archief.namelist()
        assert pdf == download.naam.replace(".zip", ".pdf") and archief.read(pdf)[:5] == b"%PDF-"
