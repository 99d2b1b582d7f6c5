"""The whole chain over real HTTP: a round trip, correlation, independent validation, restarts."""

from __future__ import annotations

import base64
import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
import requests
import xmlschema
from lxml import etree
from pypdf import PdfReader

from simulators.chain import PARTIES, Chain
from simulators.clock import SimulatedClock
from simulators.stuf.schema import GGK_XSD

START = datetime(2016, 8, 15, 9, 0)


@pytest.fixture
def chain(tmp_path: Path):
    with Chain(tmp_path, SimulatedClock(START)) as running:
        yield running


@pytest.fixture(scope="module")
def independent_schema() -> xmlschema.XMLSchema:
    """xmlschema, not lxml/libxml2: a second opinion on every envelope."""
    return xmlschema.XMLSchema(str(GGK_XSD))


def deliver(urls: dict[str, str], rijen: int = 10, seed: int = 1) -> str:
    response = requests.post(f"{urls['gemeente']}/api/v1/aanleveringen",
                             json={"rijen": rijen, "seed": seed}, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["uploads"][0]["referenties"][0]["referentie"]


def wait_for_report(urls: dict[str, str], after: int = 0, code: str = "0363") -> dict:
    items = requests.get(f"{urls['ggk']}/api/v1/gemeenten/{code}/downloads",
                         params={"na": after, "wacht": 15}, timeout=20).json()
    assert items, "no report reached the gemeente's download area within 15 s"
    return items[0]


def stuf_messages(journal: list[dict]) -> list[tuple[dict, etree._Element]]:
    """(journal entry, StUF message element) for every SOAP message in a journal."""
    found = []
    for entry in journal:
        if entry["content_type"] != "text/xml":
            continue
        raw = requests.get(entry["payload"], timeout=10).content
        body = etree.fromstring(raw).find("{http://schemas.xmlsoap.org/soap/envelope/}Body")
        child = body[0]
        if child.tag.endswith("Fault"):
            child = child.find("detail")[0]
        found.append((entry, child))
    return found


def test_round_trip_report_reaches_download_area_as_zip_with_pdf(chain):
    referentie = deliver(chain.urls)
    item = wait_for_report(chain.urls)
    assert item["soort"] == "rapport" and item["correlatie"] == referentie
    data = requests.get(f"{chain.urls['ggk']}/api/v1/gemeenten/0363/downloads/{item['id']}",
                        timeout=10).content
    archive = zipfile.ZipFile(io.BytesIO(data))
    [name] = archive.namelist()
    assert name == f"CBS_TECHNISCH_0363_H12016_{referentie}.pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(archive.read(name))).pages)
    assert "WMO_H12016_regulier_0363.csv" in text
    assert "Oordeel: goedgekeurd" in text


def test_every_party_journals_the_delivery_under_one_reference(chain):
    referentie = deliver(chain.urls)
    wait_for_report(chain.urls)
    assert chain.wait_idle(10)
    for party in PARTIES:
        entries = requests.get(f"{chain.urls[party]}/journal", params={"correlatie": referentie},
                               timeout=10).json()
        kinds = {(e["richting"], e["soort"]) for e in entries}
        expected = {
            "gemeente": {("in", "rapport")},
            "ggk": {("uit", "Di01"), ("in", "Bv03"), ("in", "Du01"), ("uit", "Bv03")},
            "rinis": {("in", "Di01"), ("uit", "Bv03"), ("uit", "Du01"), ("in", "Bv03")},
            "cbs": {("in", "bestand"), ("uit", "rapport")},
        }[party]
        assert expected <= kinds, f"{party} journal for {referentie}: {sorted(kinds)}"


def test_every_envelope_exchanged_validates_with_an_independent_validator(chain, independent_schema):
    deliver(chain.urls)
    wait_for_report(chain.urls)
    assert chain.wait_idle(10)
    seen = set()
    for party in ("ggk", "rinis"):
        journal = requests.get(f"{chain.urls[party]}/journal", timeout=10).json()
        for entry, message in stuf_messages(journal):
            errors = list(independent_schema.iter_errors(etree.tostring(message)))
            assert not errors, f"{party} {entry['soort']}: {errors[0]}"
            seen.add(etree.QName(message).localname)
    assert {"envelopHeenbericht-ggk_Di01", "envelopRetourbericht-ggk_Du01", "Bv03Bericht"} <= seen


def test_du01_answers_the_di01_that_carried_the_file(chain):
    deliver(chain.urls)
    item = wait_for_report(chain.urls)
    uploads = requests.get(f"{chain.urls['ggk']}/api/v1/gemeenten/0363/uploads", timeout=10).json()
    assert item["crossRefnummer"] == uploads[0]["referentienummer"]


def test_envelope_carries_the_file_base64_unchanged(chain):
    deliver(chain.urls)
    wait_for_report(chain.urls)
    journal = requests.get(f"{chain.urls['rinis']}/journal", timeout=10).json()
    di01s = [m for e, m in stuf_messages(journal) if e["soort"] == "Di01"]
    files = [m.find(".//{*}tekstBestand") for m in di01s]
    [tekst] = [f for f in files if f is not None]
    content = base64.b64decode(tekst.text)
    assert content.startswith(b"Aanmaakdatum bestand;"), content[:60]
    cbs = requests.get(f"{chain.urls['cbs']}/api/v1/aanleveringen", timeout=10).json()
    assert cbs[0]["bestandsnaam"] == "WMO_H12016_regulier_0363.csv"


def test_rinis_outage_delays_but_loses_no_delivery(chain):
    port = chain.stop_party("rinis")
    referentie = deliver(chain.urls)  # the GGk acknowledges and keeps it in its outbox
    tasks = requests.get(f"{chain.urls['ggk']}/_beheer/taken", timeout=10).json()
    assert tasks[-1]["status"] == "open"
    chain.start_party("rinis", port)
    item = wait_for_report(chain.urls)
    assert item["correlatie"] == referentie


def test_restarted_party_keeps_deliveries_and_reports(chain):
    referentie = deliver(chain.urls)
    technisch = wait_for_report(chain.urls)
    wait_for_report(chain.urls, after=technisch["id"])  # the op-orde rapport follows it
    assert chain.wait_idle(10)
    before = {p: requests.get(f"{chain.urls[p]}/journal", timeout=10).json() for p in PARTIES}
    for party in PARTIES:
        chain.start_party(party, chain.stop_party(party))
    for party in PARTIES:
        after = requests.get(f"{chain.urls[party]}/journal", timeout=10).json()
        assert [e["id"] for e in after] == [e["id"] for e in before[party]], party
    items = requests.get(f"{chain.urls['ggk']}/api/v1/gemeenten/0363/downloads", timeout=10).json()
    assert [i["correlatie"] for i in items] == [referentie, referentie]
    assert [i["bestandsnaam"].split("_")[1] for i in items] == ["TECHNISCH", "OPORDE"]
    cbs = requests.get(f"{chain.urls['cbs']}/api/v1/aanleveringen", timeout=10).json()
    assert cbs[0]["rapporten"][0]["oordeel"] == "goedgekeurd"
    reports = requests.get(f"{chain.urls['gemeente']}/api/v1/rapporten", timeout=10).json()
    assert len(reports) == 2


def test_open_task_survives_a_stop_and_runs_after_restart(tmp_path):
    with Chain(tmp_path, SimulatedClock(START)) as chain:
        port = chain.stop_party("ggk")
        chain.start_party("ggk", port)
        ggk = chain.party("ggk")
        ggk.tasks.stop()  # the GGk accepts the upload but does not get to forward it
        referentie = deliver(chain.urls)
        assert ggk.tasks.pending() == 1
        chain.start_party("ggk", chain.stop_party("ggk"))
        item = wait_for_report(chain.urls)
        assert item["correlatie"] == referentie


def test_retry_after_a_lost_bv03_resends_the_identical_message(chain):
    """The GGk's Di01 reached RINIS but the Bv03 got lost: the retry must be the same
    message (same referentienummer and tijdstipBericht), so RINIS answers Bv03 again."""
    ggk = chain.party("ggk")
    ggk.tasks.stop()
    deliver(chain.urls)
    [task] = [t for t in ggk.tasks.listing() if t["status"] == "open"]
    ggk.upload_desk.forward(task["data"]["upload_id"])  # first try: both Di01s delivered, Bv03s received
    ggk.store.execute("UPDATE uploads SET status = 'ontvangen'")  # as if the Bv03 was lost
    ggk.upload_desk.forward(task["data"]["upload_id"])  # the retry
    journal = requests.get(f"{chain.urls['rinis']}/journal", timeout=10).json()
    # RINIS's answers to the GGk; not the reports it sends on meanwhile (a Du01 to the GGk may
    # come between the first try and the retry: the chain goes on with the file it received)
    answers = [e["soort"] for e in journal if e["richting"] == "uit" and e["peer"] == "ggk"
               and e["soort"] not in ("Du01", "Di01")]
    assert answers[:4] == ["Bv03", "Bv03", "Bv03", "Bv03"], answers
    rinis_rows = chain.party("rinis").store.query("SELECT COUNT(*) AS n FROM berichten")
    assert rinis_rows[0]["n"] == 2, "metadata and file stored once each"
