"""The GGk's opt-in, opt-out and withdrawal (docs/optin.md): rules on a bare GGk, then the
Di01 to RINIS and a refusal coming back, over real HTTP in a whole chain."""

from __future__ import annotations

import base64
import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
import requests
from lxml import etree

from simulators import stuf
from simulators.chain import Chain
from simulators.clock import AMSTERDAM, SimulatedClock
from simulators.ggk.backend import Ggk
from simulators.ggk.common import IntrekkingRefused, OptinRefused
from simulators.gmsd import ondertekening
from simulators.tijdlijn import laad

START = datetime(2016, 8, 15, 9, 0)
OPTIN_DAG = datetime(2016, 11, 10, 9, 0)
HENK = {"gebruiker": "henk@amsterdam.nl", "naam": "Henk de Vries", "telefoon": "020-1234567"}
HEADER = (b"Naam organisatie;verslagperiode;naam verzoek;conclusie;datumconclusie;naam van gebruiker;"
          b"emailadres;telefoonnummer\r\n")


@pytest.fixture
def ggk(make_party) -> Ggk:
    """A bare GGk, not started: its tasks stay in the ``taken`` table."""
    return make_party(Ggk)


def give_report(ggk: Ggk, naam: str, gemeentecode: str = "0363") -> None:
    """As if RINIS had delivered this report to the gemeente's download area."""
    with ggk.store.transaction() as db:
        ggk.download_area.add(db, gemeentecode, "rapport", naam, b"PK", "application/zip")


def oporde(gemeentecode: str = "0363", periode: str = "H12016") -> str:
    return f"CBS_OPORDE_{gemeentecode}_{periode}_20160815-090000-001.zip"


def optin_body(periode: str = "H12016", **besluiten: str) -> dict:
    return HENK | {"periode": periode, "besluiten": besluiten or {"WMO": "opt-in"}}


def intrekken_body(periode: str = "H22017", soorten: list | None = None) -> dict:
    return HENK | {"periode": periode, "soorten": soorten or ["WMO", "JEUGD", "SBO"]}


# ------------------------------------------------------------------ the CSV


def test_optin_csv_bytes_exactly_as_documented(ggk, clock):
    give_report(ggk, oporde())
    clock.set(OPTIN_DAG)
    result = ggk.optin("0363", optin_body(JEUGD="opt-out", WMO="opt-in"))
    row = ggk.store.one("SELECT bestandsnaam, inhoud FROM optins")
    assert bytes(row["inhoud"]) == HEADER + (
        b"Amsterdam;H12016;WMO;opt-in;20161110;Henk de Vries;henk@amsterdam.nl;020-1234567\r\n"
        b"Amsterdam;H12016;JEUGD;opt-out;20161110;Henk de Vries;henk@amsterdam.nl;020-1234567\r\n"
    ), f"the CSV of docs/optin.md (sets in the order WMO, JEUGD, SBO): {bytes(row['inhoud'])!r}"
    assert result.bestandsnaam == row["bestandsnaam"] == "OPTIN_H12016_0363_20161110090000.zip"
    assert result.referentie == "20161110-090000-001", f"a GGk reference like an upload's: {result}"


def test_intrekking_csv_one_ingetrokken_row_per_set(make_party, clock):
    ggk = make_party(Ggk)
    ggk.set_tijdlijn(laad("pilot fase II 2018"))
    clock.set(datetime(2018, 3, 12, 10, 30, 5))
    result = ggk.intrekken("0363", intrekken_body(soorten=["SBO", "WMO"]))
    row = ggk.store.one("SELECT inhoud FROM optins")
    assert bytes(row["inhoud"]) == HEADER + (
        b"Amsterdam;H22017;WMO;ingetrokken;20180312;Henk de Vries;henk@amsterdam.nl;020-1234567\r\n"
        b"Amsterdam;H22017;SBO;ingetrokken;20180312;Henk de Vries;henk@amsterdam.nl;020-1234567\r\n"
    ), bytes(row["inhoud"])
    assert result.bestandsnaam == "INTREKKING_H22017_0363_20180312103005.zip", result


def test_optin_reference_shares_the_count_with_uploads_in_the_same_second(ggk, clock):
    give_report(ggk, oporde())
    clock.set(OPTIN_DAG)
    [upload] = ggk.upload("0363", "henk@amsterdam.nl", [("WMO_H12016_a.csv", b"x;y\r\n")])
    result = ggk.optin("0363", optin_body())
    assert upload.referenties[0][1] == "20161110-090000-001"
    assert result.referentie == "20161110-090000-002", (
        f"an opt-in in the same second as an upload needs its own number: {result.referentie}")


def test_optin_stored_journaled_and_one_task(ggk):
    give_report(ggk, oporde())
    result = ggk.optin("0363", optin_body())
    [listed] = ggk.optins("0363")
    assert listed["referentie"] == result.referentie and listed["status"] == "ontvangen"
    assert listed["besluiten"] == {"WMO": "opt-in"} and listed["soort"] == "optin"
    sending = [(t["soort"], t["status"]) for t in ggk.tasks.listing() if t["soort"] != "melden"]
    assert sending == [("optin_versturen", "open")], ggk.tasks.listing()
    [entry] = [e for e in ggk.journal.entries() if e["soort"] == "optin"]
    assert (entry["richting"], entry["peer"], entry["correlatie"]) == ("in", "gemeente", result.bestandsnaam)


# ------------------------------------------------------------------ refusals


@pytest.mark.parametrize("body,status,named", [
    pytest.param(optin_body() | {"gebruiker": ""}, 400, "gebruiker", id="no-gebruiker"),
    pytest.param(optin_body() | {"naam": None}, 400, "naam", id="no-naam"),
    pytest.param(optin_body() | {"gebruiker": "henk"}, 422, "e-mailadres", id="not-an-address"),
    pytest.param(optin_body() | {"naam": "Henk;de Vries"}, 422, "puntkomma", id="semicolon"),
    pytest.param(optin_body() | {"periode": "2016-1"}, 400, "H12016", id="periode-format"),
    pytest.param(optin_body() | {"besluiten": {}}, 422, "besluiten", id="no-besluiten"),
    pytest.param(optin_body(WMO_BASIS="opt-in"), 422, "WMO, JEUGD of SBO", id="unknown-set"),
    pytest.param(optin_body(WMO="gedeeltelijk"), 422, "hele set", id="partial"),
    pytest.param(optin_body("H12015"), 422, "huidige of de vorige", id="old-period"),
    pytest.param(["WMO"], 400, "JSON-object", id="not-an-object"),
])
def test_optin_refused_with_a_dutch_message_nothing_stored(ggk, body, status, named):
    give_report(ggk, oporde())
    with pytest.raises(OptinRefused) as caught:
        ggk.optin("0363", body)
    assert caught.value.status == status, f"expected HTTP {status}, got {caught.value.status}: {caught.value}"
    assert named in str(caught.value), f"the refusal should name {named!r}: {caught.value}"
    assert ggk.optins("0363") == [], "a refused opt-in is not stored"
    assert not [t for t in ggk.tasks.listing() if t["soort"] == "optin_versturen"], "nor sent"


def test_optin_unknown_gemeente_refused(ggk):
    with pytest.raises(OptinRefused, match="onbekend"):
        ggk.optin("9999", optin_body())


@pytest.mark.parametrize("reports", [
    pytest.param([], id="none"),
    pytest.param(["CBS_TECHNISCH_0363_H12016_20160815-090000-001.zip"], id="technical-only"),
    pytest.param([oporde(periode="H22015")], id="other-period"),
    pytest.param([oporde(gemeentecode="0518")], id="other-gemeente"),
])
def test_optin_without_oporde_rapport_for_that_period_refused(ggk, reports):
    for naam in reports:
        give_report(ggk, naam, naam.split("_")[2])
    with pytest.raises(OptinRefused) as caught:
        ggk.optin("0363", optin_body())
    assert caught.value.status == 422 and "op-orde rapport" in str(caught.value), caught.value


def test_optin_with_oporde_rapport_accepted(ggk):
    give_report(ggk, oporde())
    assert ggk.optin("0363", optin_body()).referentie


# ------------------------------------------------------------------ windows


@pytest.mark.parametrize("moment,open_,named", [
    pytest.param(datetime(2016, 11, 8, 23, 59), False, "9 november 2016", id="day-before-open"),
    pytest.param(datetime(2016, 11, 9, 0, 0), True, None, id="first-day"),
    pytest.param(datetime(2016, 12, 2, 23, 59), True, None, id="last-day"),
    pytest.param(datetime(2016, 12, 3, 0, 0), False, "2 december 2016", id="day-after-deadline"),
])
def test_optin_window_from_the_timeline_inclusive(ggk, clock, moment, open_, named):
    ggk.set_tijdlijn(laad("H1 2016"))
    give_report(ggk, oporde())
    clock.set(moment)
    if open_:
        assert ggk.optin("0363", optin_body()).referentie
        return
    with pytest.raises(OptinRefused) as caught:
        ggk.optin("0363", optin_body())
    assert caught.value.status == 422 and named in str(caught.value), caught.value


def test_optin_period_not_in_timeline_refused(ggk, clock):
    ggk.set_tijdlijn(laad("H1 2016"))
    give_report(ggk, oporde(periode="H12015"))
    clock.set(OPTIN_DAG)
    with pytest.raises(OptinRefused, match="H12016, H22015"):
        ggk.optin("0363", optin_body("H12015"))


def test_optin_without_timeline_is_open_for_current_and_previous_period(ggk):
    give_report(ggk, oporde(periode="H22015"))
    assert ggk.optin("0363", optin_body("H22015")).referentie, "the previous period on 15 Aug 2016"


@pytest.mark.parametrize("moment,open_,named", [
    pytest.param(datetime(2018, 3, 11, 12, 0), False, "12 maart 2018", id="day-before-open"),
    pytest.param(datetime(2018, 3, 12, 0, 0), True, None, id="first-day"),
    pytest.param(datetime(2018, 3, 23, 23, 59), True, None, id="last-day"),
    pytest.param(datetime(2018, 3, 24, 0, 0), False, "23 maart 2018", id="day-after-close"),
])
def test_intrekken_window_from_the_timeline_inclusive(ggk, clock, moment, open_, named):
    ggk.set_tijdlijn(laad("pilot fase II 2018"))
    clock.set(moment)
    if open_:
        assert ggk.intrekken("0363", intrekken_body()).referentie
        return
    with pytest.raises(IntrekkingRefused) as caught:
        ggk.intrekken("0363", intrekken_body())
    assert caught.value.status == 422 and named in str(caught.value), caught.value


@pytest.mark.parametrize("soorten", [["OPTIN"], ["WMO", "WMO"], "WMO"], ids=["unknown", "twice", "string"])
def test_intrekken_bad_soorten_refused(ggk, soorten):
    with pytest.raises(IntrekkingRefused) as caught:
        ggk.intrekken("0363", HENK | {"periode": "H12016", "soorten": soorten})
    assert caught.value.status == 422, caught.value


# ------------------------------------------------------------------ over HTTP, whole chain


@pytest.fixture
def chain(tmp_path: Path):
    with Chain(tmp_path, SimulatedClock(START)) as running:
        yield running


def deliver_until_oporde(chain) -> None:
    response = requests.post(f"{chain.urls['gemeente']}/api/v1/aanleveringen",
                             json={"rijen": 10, "seed": 1}, timeout=10)
    assert response.status_code == 201, response.text
    assert chain.wait_idle(15), "the chain did not settle after the delivery"
    names = [d["bestandsnaam"] for d in
             requests.get(f"{chain.urls['ggk']}/api/v1/gemeenten/0363/downloads", timeout=10).json()]
    assert any(n.startswith("CBS_OPORDE_0363_H12016_") for n in names), f"no op-orde rapport: {names}"


def soap_child(raw: bytes) -> etree._Element:
    body = etree.fromstring(raw).find("{http://schemas.xmlsoap.org/soap/envelope/}Body")
    return body[0]


def test_http_optin_refused_without_oporde_rapport(chain):
    response = requests.post(f"{chain.urls['ggk']}/api/v1/gemeenten/0363/optin", json=optin_body(),
                             timeout=10)
    assert response.status_code == 422, response.text
    assert response.json()["fout"] == "Opt-in geweigerd"
    assert "op-orde rapport" in response.json()["melding"], response.json()


def test_http_optin_travels_as_one_di01_gmsd_optin_to_rinis(chain):
    deliver_until_oporde(chain)
    response = requests.post(f"{chain.urls['ggk']}/api/v1/gemeenten/0363/optin",
                             json=optin_body(WMO="opt-in", SBO="opt-out"), timeout=10)
    assert response.status_code == 201, response.text
    naam = response.json()["bestandsnaam"]
    assert chain.wait_idle(15)
    journal = requests.get(f"{chain.urls['ggk']}/journal", params={"correlatie": naam}, timeout=10).json()
    [uit] = [e for e in journal if (e["richting"], e["soort"]) == ("uit", "Di01")]
    di01 = soap_child(requests.get(uit["payload"], timeout=10).content)
    sg = stuf.read_stuurgegevens(di01)
    assert sg.functie == "GMSD-OPTIN", f"functie of the opt-in Di01: {sg.functie}"
    assert (sg.zender.organisatie, sg.zender.applicatie) == ("0363", "GGKWebservice"), sg.zender
    assert (sg.ontvanger.organisatie, sg.ontvanger.applicatie) == ("CBS", "GGk"), sg.ontvanger
    bestand = stuf.read_envelop(di01).bestand
    assert bestand.bestandsnaam == naam == "OPTIN_H12016_0363_20160815090000.zip"
    assert base64.b64decode(di01.find(".//{*}tekstBestand").text) == bestand.inhoud
    csv_naam = naam.replace(".zip", ".csv")
    with zipfile.ZipFile(io.BytesIO(bestand.inhoud)) as zf:
        assert zf.namelist() == [csv_naam, naam.replace(".zip", ".xml")], "the CSV and its signed decision"
        csv, xml = zf.read(csv_naam), zf.read(naam.replace(".zip", ".xml"))
    assert csv.startswith(HEADER) and b"0363" not in csv.split(b"\r\n")[1], (
        "the CSV travels unchanged; the gemeentecode is in the envelope and the name only")
    gecontroleerd = ondertekening.controleer(csv_naam, csv, xml, nu=START.replace(tzinfo=AMSTERDAM))
    assert (gecontroleerd.houder.email, gecontroleerd.houder.gemeentecode) == ("henk@amsterdam.nl", "0363")
    assert b"xml-exc-c14n#" in xml and b"ecdsa-sha256" in xml, "exclusive c14n, ECDSA-SHA256"
    [listed] = requests.get(f"{chain.urls['ggk']}/api/v1/gemeenten/0363/optin", timeout=10).json()
    assert listed["status"] == "doorgestuurd", f"RINIS acknowledged (Bv03): {listed}"
    rinis = requests.get(f"{chain.urls['rinis']}/journal", timeout=10).json()
    assert any((e["richting"], e["soort"], e["referentienummer"]) == ("in", "Di01", sg.referentienummer)
               for e in rinis), "RINIS journals the opt-in Di01 it received"


def test_http_intrekken_refused_403_for_a_delegating_member(chain):
    verband = {"naam": "Holland Rijnland", "uitvoerder": "0546", "leden": ["0547", "0579"],
               "gedelegeerd": True}
    put = requests.put(f"{chain.urls['ggk']}/_beheer/samenwerkingsverbanden", json=[verband], timeout=10)
    assert put.status_code == 200, put.text
    response = requests.post(f"{chain.urls['ggk']}/api/v1/gemeenten/0547/intrekken",
                             json=intrekken_body("H12016"), timeout=10)
    assert response.status_code == 403, response.text
    assert response.json()["fout"] == "Intrekking geweigerd"
    assert "formulier van het CBS" in response.json()["melding"], response.json()


def test_optin_refused_by_rinis_becomes_fo01_in_download_area(tmp_path):
    """A RINIS that does not know functie GMSD-OPTIN answers Fo03 (StUF034); the gemeente
    gets it as a Fo01 from IB with the ISD-keten code IB102 (geen routering bekend), as for
    an upload; RINIS's own code stays in details."""
    mappen = {"inbox": {"GMSD-AANLEVERING": "RGMSD001", "GMSD-METAGEGEVENS": "RGMSD001"},
              "verzend": {"RGMSD101": "GMSD-RAPPORT"}}
    with Chain(tmp_path, SimulatedClock(START), options={"rinis": {"mappen": mappen}}) as chain:
        deliver_until_oporde(chain)
        response = requests.post(f"{chain.urls['ggk']}/api/v1/gemeenten/0363/optin", json=optin_body(),
                                 timeout=10)
        assert response.status_code == 201, response.text
        referentie = response.json()["referentie"]
        assert chain.wait_idle(15)
        [listed] = requests.get(f"{chain.urls['ggk']}/api/v1/gemeenten/0363/optin", timeout=10).json()
        assert listed["status"] == "geweigerd" and listed["melding"].startswith("IB102"), listed
        items = requests.get(f"{chain.urls['ggk']}/api/v1/gemeenten/0363/downloads", timeout=10).json()
        [fout] = [i for i in items if i["soort"] == "foutrapport"]
        assert fout["bestandsnaam"] == f"Fo01_{referentie}.xml" and fout["correlatie"] == referentie, fout
        raw = requests.get(f"{chain.urls['ggk']}/api/v1/gemeenten/0363/downloads/{fout['id']}",
                           timeout=10).content
        fo01 = stuf.parse_xml(raw)
        assert stuf.read_stuurgegevens(fo01).berichtcode == "Fo01"
        assert fo01.find(".//{*}details").text == "GMSD-OPTIN-00010000; RINIS antwoordde Fo03 StUF034"
        assert fo01.find(".//{*}code").text == "IB102"


def test_fo01_from_rinis_after_bv03_marks_the_optin_refused(ggk):
    """RINIS acknowledged, then found the file wrong: its Fo01 names the opt-in Di01."""
    give_report(ggk, oporde())
    result = ggk.optin("0363", optin_body())
    refnr = ggk.store.one("SELECT referentienummer FROM optins")["referentienummer"]
    fo01 = stuf.build_antwoord("Fo01", stuf.Stuurgegevens(
        "Fo01", stuf.Systeem("RINIS", "RINIS-router"), stuf.Systeem("0363", "GGk"),
        stuf.new_referentienummer(), ggk.clock.stuf_tijdstip(), crossRefnummer=refnr),
        stuf.Foutbericht("StUF055", "client", "bestandsnaam klopt niet", details="GMSD-OPTIN-00010000"))
    _payload, status = ggk.receive(stuf.wrap(fo01))
    assert status == 200, _payload
    [listed] = ggk.optins("0363")
    assert listed["status"] == "geweigerd" and "StUF055" in listed["melding"], listed
    fout = [d for d in ggk.downloads("0363") if d["soort"] == "foutrapport"]
    assert [d["bestandsnaam"] for d in fout] == [f"Fo01_{result.referentie}.xml"], fout
    [entry] = [e for e in ggk.journal.entries() if e["soort"] == "Fo01" and e["richting"] == "in"]
    assert entry["correlatie"] == result.bestandsnaam, "journaled under the file name, as at RINIS"
