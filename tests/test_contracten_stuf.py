"""The SOAP contracts in docs/interfaces/stuf/ hold for the simulators.

A partner builds against ``ggk-ontvang.wsdl`` and ``rinis-ontvang.wsdl`` and the XSDs beside
them, without reading Python. These tests keep those files true: the schemas are the ones
the simulators validate with; the WSDLs name the SOAPActions, operations and address the
simulators use; zeep, given nothing but a WSDL from docs/interfaces/ (no network, nothing
from simulators/), calls each running simulator, gets a Bv03 back parsed, and gets a Fo03
as a zeep Fault whose detail it parses as ``StUF:Fo03Bericht``; and every SOAP envelope the
simulators exchange in a round (their journals) is valid against the XSDs partners get.
"""

from __future__ import annotations

import base64
import io
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests
import zeep
import zeep.exceptions
from lxml import etree
from zeep.transports import Transport

from simulators import stuf
from simulators.chain import Chain
from simulators.clock import SimulatedClock
from simulators.gmsd import metagegevens
from simulators.gmsd.generator import generate
from simulators.stuf.model import GGK_NS, SOAP_NS, STUF_NS

ROOT = Path(__file__).resolve().parent.parent
STUF_DOCS = ROOT / "docs" / "interfaces" / "stuf"
SCHEMAS = ROOT / "simulators" / "schemas"
WSDL = {"ggk": STUF_DOCS / "ggk-ontvang.wsdl", "rinis": STUF_DOCS / "rinis-ontvang.wsdl"}
BINDING = {"ggk": f"{{{GGK_NS}}}SOAPOntvangAsynchroon", "rinis": f"{{{GGK_NS}}}SOAPOntvangAsynchroonRINIS"}
OPERATIONS = {"ggk": {"ggk_Di01", "ggk_Du01", "Fo01"}, "rinis": {"ggk_Di01", "Fo01"}}
"""What each simulator takes at /stuf/ontvang (the rest is refused with Fo03 StUF025)."""
BERICHTCODE = {"ggk_Di01": "Di01", "ggk_Du01": "Du01", "Fo01": "Fo01"}
COPIES = {  # docs/interfaces/stuf/<path> is an unchanged copy of simulators/schemas/<path>
    "0301/stuf0301.xsd": "stuf/0301/stuf0301.xsd",
    "0301/stuf0301_types.wsdl": "stuf/0301/stuf0301_types.wsdl",
    "ggk0210/ggkberichten/ggk0210_msg_ggkberichten.xsd":
        "stuf/ggk0210/ggkberichten/ggk0210_msg_ggkberichten.xsd",
    "ggk0210/ggkberichten/ggk0210_stuf0301_msg_ggkberichten.xsd":
        "stuf/ggk0210/ggkberichten/ggk0210_stuf0301_msg_ggkberichten.xsd",
    "ggk0210/ggkberichten/ggk0210_OntvangAsynchroon_ggkberichten.wsdl":
        "stuf/ggk0210/ggkberichten/ggk0210_OntvangAsynchroon_ggkberichten.wsdl",
    "ketentest/metagegevens.xsd": "ketentest/metagegevens.xsd",
}
WSDL_NS = {"w": "http://schemas.xmlsoap.org/wsdl/", "soap": "http://schemas.xmlsoap.org/wsdl/soap/"}
START = datetime(2016, 8, 15, 9, 0)
NU = START.strftime("%Y%m%d%H%M%S") + "000"


@pytest.fixture(scope="module")
def chain(tmp_path_factory) -> Iterator[Chain]:
    with Chain(tmp_path_factory.mktemp("contracten-stuf"), SimulatedClock(START)) as chain:
        yield chain


class OnlyLocalFiles(Transport):
    """zeep's transport, refusing to load anything but local files under docs/interfaces/stuf/:
    a WSDL that needs the network, or a file from elsewhere in the repository, fails."""

    def __init__(self) -> None:
        super().__init__(timeout=10, operation_timeout=10)
        self.session.trust_env = False  # the calls go to loopback: no proxy from the environment
        self.loaded: list[str] = []

    def load(self, url: str) -> bytes:
        parsed = urlparse(url)
        path = Path(parsed.path if parsed.scheme == "file" else url).resolve()
        assert parsed.scheme in ("", "file") and path.is_relative_to(STUF_DOCS), (
            f"zeep wanted {url}: the WSDL must load from docs/interfaces/stuf/ alone")
        self.loaded.append(str(path.relative_to(STUF_DOCS)))
        return super().load(url)


def _client(party: str) -> tuple[zeep.Client, OnlyLocalFiles]:
    transport = OnlyLocalFiles()
    return zeep.Client(str(WSDL[party]), transport=transport), transport


def _service(client: zeep.Client, binding: str, url: str):
    return client.create_service(binding, url + "/stuf/ontvang")


def _docs_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(STUF_DOCS / "ggk0210/ggkberichten/ggk0210_msg_ggkberichten.xsd"),
                                       parser))


def _meta_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(STUF_DOCS / "ketentest/metagegevens.xsd")))


def _stuurgegevens(berichtcode: str, zender: dict, ontvanger: dict, functie: str | None = None,
                   cross: str | None = None) -> dict:
    sg = {"berichtcode": berichtcode, "zender": zender, "ontvanger": ontvanger,
          "referentienummer": stuf.new_referentienummer(), "tijdstipBericht": NU}
    if cross is not None:
        sg["crossRefnummer"] = cross
    if functie is not None:
        sg["functie"] = functie
    return sg


def _parameters(bericht: dict) -> dict:
    return {"applicatieVersie": "0001", "applicatieSubversie": "0000", "functieVersie": "0001",
            "functieSubversie": "0000", "bericht": bericht}


GGK_ZENDER = {"organisatie": "0363", "applicatie": "GGKWebservice", "administratie": "Amsterdam"}
AAN_CBS = {"organisatie": "CBS", "applicatie": "GGk"}
CBS_ZENDER = {"organisatie": "CBS", "applicatie": "CBS-GMSD"}
AAN_0363 = {"organisatie": "0363", "applicatie": "GGk"}


def _wmo(gemeentecode: str, seed: int = 1) -> bytes:
    return generate("WMO", gemeentecode, 2016, 1, START, rows=10, seed=seed)


def _fault_fo03(client: zeep.Client, fault: zeep.exceptions.Fault):
    """The Fo03 in a zeep Fault's detail, parsed by zeep from the WSDL's own types."""
    assert fault.detail is not None and len(fault.detail) == 1, "the SOAP fault has no detail"
    element = client.get_element(f"{{{STUF_NS}}}Fo03Bericht")
    return element.parse(fault.detail[0], client.wsdl.types)


def _upload(chain: Chain, gemeentecode: str, naam: str, inhoud: bytes) -> dict:
    response = requests.post(f"{chain.urls['ggk']}/api/v1/uploads", timeout=10,
                             data={"gemeentecode": gemeentecode, "gebruiker": "henk@ketentest.nl"},
                             files=[("bestand", (naam, inhoud))])
    assert response.status_code == 201, response.text
    return response.json()["uploads"][0]


# ------------------------------------------------------------------ the files themselves


@pytest.mark.parametrize("docs_path", sorted(COPIES))
def test_the_schemas_partners_get_are_the_ones_the_simulators_validate_with(docs_path):
    copy, original = STUF_DOCS / docs_path, SCHEMAS / COPIES[docs_path]
    assert copy.read_bytes() == original.read_bytes(), (
        f"docs/interfaces/stuf/{docs_path} differs from simulators/schemas/{COPIES[docs_path]}: "
        "copy it again")


@pytest.mark.parametrize("party", sorted(WSDL))
def test_the_wsdl_names_the_soapactions_binding_and_address_the_simulators_use(party):
    wsdl = etree.parse(str(WSDL[party]))
    binding = wsdl.find("w:binding", WSDL_NS)
    assert binding.find("soap:binding", WSDL_NS).get("style") == "document"
    assert binding.find("soap:binding", WSDL_NS).get("transport") == "http://schemas.xmlsoap.org/soap/http"
    actions = {op.get("name"): op.find("soap:operation", WSDL_NS).get("soapAction")
               for op in binding.findall("w:operation", WSDL_NS)}
    assert set(actions) == OPERATIONS[party]
    for operation, action in actions.items():
        assert action == stuf.SOAP_ACTIONS[BERICHTCODE[operation]], (
            f"{operation}: the WSDL says SOAPAction {action}, the simulators send "
            f"{stuf.SOAP_ACTIONS[BERICHTCODE[operation]]}")
    for op in binding.findall("w:operation", WSDL_NS):
        for part in ("input", "output"):
            assert op.find(f"w:{part}/soap:body", WSDL_NS).get("use") == "literal"
    address = wsdl.find("w:service/w:port/soap:address", WSDL_NS).get("location")
    assert urlparse(address).path == "/stuf/ontvang", address
    documentation = "".join(wsdl.getroot().find("w:documentation", WSDL_NS).itertext())
    assert f'"{stuf.CONTENT_TYPE}"' in documentation, "the WSDL must name the content type the simulators use"


# --------------------------------------------------------------------- zeep, WSDL only


def test_zeep_delivers_a_metadata_record_and_its_file_to_rinis_from_the_wsdl_alone(chain):
    client, transport = _client("rinis")
    service = _service(client, BINDING["rinis"], chain.urls["rinis"])
    meta_sg = _stuurgegevens("Di01", GGK_ZENDER, AAN_CBS, "GMSD-METAGEGEVENS")
    file_sg = _stuurgegevens("Di01", GGK_ZENDER, AAN_CBS, "GMSD-AANLEVERING")
    referentie = "20160815-090000-901"
    meta = metagegevens.Metagegevens(
        referentienummerBestand=file_sg["referentienummer"], bestandsnaam="WMO_H12016_zeep.csv",
        bestandsnaamEnvelop="WMO_H12016_zeep.csv", gemeentecode="0363", gebruiker="henk@ketentest.nl",
        tijdstipUpload=START, ggkReferenties=(("WMO_H12016_zeep.csv", referentie),))

    bv03_meta = service.ggk_Di01(stuurgegevens=meta_sg, parameters=_parameters(
        {"xmlBestand": metagegevens.to_xml(meta)}))
    bv03_file = service.ggk_Di01(stuurgegevens=file_sg, parameters=_parameters(
        {"tekstBestand": {"_value_1": _wmo("0363"), "bestandsnaam": "WMO_H12016_zeep.csv"}}))

    for bv03, sent in ((bv03_meta, meta_sg), (bv03_file, file_sg)):
        assert bv03.berichtcode == "Bv03", bv03
        assert bv03.crossRefnummer == sent["referentienummer"]
        assert bv03.zender.organisatie == "CBS" and bv03.ontvanger.organisatie == "0363"
    assert "ggk0210/ggkberichten/ggk0210_msg_ggkberichten.xsd" in transport.loaded, transport.loaded
    assert chain.wait_idle(20)
    placed = requests.get(f"{chain.urls['rinis']}/mappen/RGMSD001", timeout=10).json()
    assert "WMO_H12016_zeep_0363.csv" in {f["naam"] for f in placed}, placed


def test_zeep_gets_rinis_refusal_as_a_fault_with_a_fo03_in_its_detail(chain):
    client, _ = _client("rinis")
    service = _service(client, BINDING["rinis"], chain.urls["rinis"])
    sent = _stuurgegevens("Di01", GGK_ZENDER, {"organisatie": "GEEN-CBS", "applicatie": "GGk"},
                          "GMSD-AANLEVERING")
    with pytest.raises(zeep.exceptions.Fault) as raised:
        service.ggk_Di01(stuurgegevens=sent, parameters=_parameters(
            {"tekstBestand": {"_value_1": b"x;y\r\n", "bestandsnaam": "WMO_H12016.csv"}}))
    assert raised.value.code == "soap:Client"
    fo03 = _fault_fo03(client, raised.value)
    assert fo03.stuurgegevens.berichtcode == "Fo03"
    assert fo03.stuurgegevens.crossRefnummer == sent["referentienummer"]
    assert (fo03.body.code, fo03.body.plek) == ("StUF010", "client")
    assert raised.value.message == fo03.body.omschrijving


@pytest.mark.parametrize("operation", ["ggk_Du01"])
def test_an_operation_missing_from_the_rinis_wsdl_is_refused_by_rinis(chain, operation):
    """The GGk's WSDL pointed at RINIS: what rinis-ontvang.wsdl leaves out, RINIS refuses (StUF025)."""
    client, _ = _client("ggk")
    service = _service(client, BINDING["ggk"], chain.urls["rinis"])
    cross = stuf.new_referentienummer()
    arguments = {
        "ggk_Du01": {"stuurgegevens": _stuurgegevens("Du01", GGK_ZENDER, AAN_CBS, "GMSD-AANLEVERING", cross),
                     "parameters": _parameters({"tekstBestand": {"_value_1": b"x",
                                                                 "bestandsnaam": "WMO_H12016.csv"}})},
        "Fo01": {"stuurgegevens": _stuurgegevens("Fo01", GGK_ZENDER, AAN_CBS, cross=cross),
                 "body": {"code": "StUF058", "plek": "server", "omschrijving": "proef"}},
    }[operation]
    with pytest.raises(zeep.exceptions.Fault) as raised:
        getattr(service, operation)(**arguments)
    assert _fault_fo03(client, raised.value).body.code == "StUF025"


def test_zeep_sends_the_ggk_a_report_a_fo01_and_a_report_answering_nothing(chain):
    upload = _upload(chain, "0363", "WMO_H12016_voor_zeep.csv", _wmo("0363", seed=2))
    client, _ = _client("ggk")
    service = _service(client, BINDING["ggk"], chain.urls["ggk"])
    rapport = "CBS_TECHNISCH_0363_H12016_20160815-090000-951.pdf"
    losse = "CBS_TECHNISCH_0363_H12016_20160815-090000-952.pdf"

    du01 = service.ggk_Du01(
        stuurgegevens=_stuurgegevens("Du01", CBS_ZENDER, AAN_0363, "GMSD-RAPPORT",
                                     cross=upload["referentienummer"]),
        parameters=_parameters({"tekstBestand": {"_value_1": b"%PDF-1.4 zeep", "bestandsnaam": rapport}}))
    di01 = service.ggk_Di01(
        stuurgegevens=_stuurgegevens("Di01", CBS_ZENDER, AAN_0363, "GMSD-RAPPORT"),
        parameters=_parameters({"tekstBestand": {"_value_1": b"%PDF-1.4 los", "bestandsnaam": losse}}))
    fo01 = service.Fo01(
        stuurgegevens=_stuurgegevens("Fo01", {"organisatie": "RINIS", "applicatie": "RINIS-router"},
                                     AAN_0363, cross=stuf.new_referentienummer()),
        body={"code": "RIN001", "plek": "client", "omschrijving": "RINIS kan het bericht niet verwerken",
              "details": "GMSD-AANLEVERING-00010000"})

    assert [a.berichtcode for a in (du01, di01, fo01)] == ["Bv03", "Bv03", "Bv03"]
    assert chain.wait_idle(20)
    downloads = requests.get(f"{chain.urls['ggk']}/api/v1/gemeenten/0363/downloads", timeout=10).json()
    names = {d["bestandsnaam"]: d for d in downloads}
    assert names[rapport.replace(".pdf", ".zip")]["correlatie"] == upload["referenties"][0]["referentie"]
    assert losse.replace(".pdf", ".zip") in names
    assert any(d["soort"] == "foutrapport" and d["correlatie"] is None for d in downloads), downloads


def test_zeep_gets_the_ggks_refusal_of_an_unknown_crossrefnummer_as_a_fo03(chain):
    client, _ = _client("ggk")
    service = _service(client, BINDING["ggk"], chain.urls["ggk"])
    with pytest.raises(zeep.exceptions.Fault) as raised:
        service.ggk_Du01(
            stuurgegevens=_stuurgegevens("Du01", CBS_ZENDER, AAN_0363, "GMSD-RAPPORT",
                                         cross=stuf.new_referentienummer()),
            parameters=_parameters({"tekstBestand": {"_value_1": b"%PDF", "bestandsnaam": "CBS_X_0363.pdf"}}))
    fo03 = _fault_fo03(client, raised.value)
    assert (fo03.body.code, fo03.body.plek) == ("StUF043", "client")


def test_the_answer_is_soap_1_1_with_the_content_type_the_wsdl_names(chain):
    client, _ = _client("rinis")
    message = client.create_message(
        _service(client, BINDING["rinis"], chain.urls["rinis"]), "ggk_Di01",
        stuurgegevens=_stuurgegevens("Di01", GGK_ZENDER, AAN_CBS, "GMSD-AANLEVERING"),
        parameters=_parameters({"tekstBestand": {"_value_1": b"", "bestandsnaam": "WMO_H12016.csv"}}))
    body = etree.tostring(message, xml_declaration=True, encoding="UTF-8")
    response = requests.post(f"{chain.urls['rinis']}/stuf/ontvang", data=body, timeout=10, headers={
        "Content-Type": stuf.CONTENT_TYPE, "SOAPAction": f'"{stuf.SOAP_ACTIONS["Di01"]}"'})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == stuf.CONTENT_TYPE
    envelope = etree.fromstring(response.content)
    assert envelope.tag == f"{{{SOAP_NS}}}Envelope"
    assert envelope.find(f"{{{SOAP_NS}}}Body")[0].tag == f"{{{STUF_NS}}}Bv03Bericht"


# ------------------------------------------------------- a round's envelopes vs the XSDs


@pytest.fixture(scope="module")
def ronde(chain) -> dict[str, list[dict]]:
    """A delivery round on the chain: a good upload (Di01s, Du01 reports, Bv03s), one that RINIS
    refuses after its Bv03 (a Fo01 to the GGk), one it refuses at once (a Fo03), and a message
    each receiver refuses itself; then the GGk's and RINIS's journals."""
    _upload(chain, "0344", "WMO_H12016_ronde.csv", _wmo("0344", seed=3))
    assert chain.wait_idle(30)
    for fout, naam in (({"soort": "fo01", "code": "RIN001"}, "WMO_H12016_fo01.csv"),
                       ({"soort": "fo03", "code": "IB103"}, "WMO_H12016_fo03.csv")):
        arm = requests.put(f"{chain.urls['rinis']}/_beheer/storing", timeout=10,
                           json=fout | {"pad": "/stuf/ontvang", "aantal": 1})
        assert arm.status_code == 201, arm.text
        _upload(chain, "0344", naam, _wmo("0344", seed=len(naam)))
        assert chain.wait_idle(30)
    for party, sg in (
            ("rinis", _stuurgegevens("Di01", GGK_ZENDER, {"organisatie": "X", "applicatie": "GGk"},
                                     "GMSD-AANLEVERING")),
            ("ggk", _stuurgegevens("Di01", CBS_ZENDER, AAN_0363, "GMSD-RAPPORT"))):
        client, _ = _client(party)
        with pytest.raises(zeep.exceptions.Fault):  # RINIS: unknown ontvanger; GGk: a report as xmlBestand
            _service(client, BINDING[party], chain.urls[party]).ggk_Di01(
                stuurgegevens=sg, parameters=_parameters({"xmlBestand": b"<a/>"}))
    return {party: requests.get(f"{chain.urls[party]}/journal", timeout=10).json()
            for party in ("ggk", "rinis")}


@pytest.mark.parametrize("party", ["ggk", "rinis"])
def test_every_envelope_exchanged_in_a_round_is_valid_against_the_partner_xsds(ronde, party):
    schema, meta_schema = _docs_schema(), _meta_schema()
    seen: set[str] = set()
    soap = [e for e in ronde[party] if e["content_type"] == "text/xml"]
    assert soap, f"{party} exchanged no SOAP in the round"
    for entry in soap:
        data = requests.get(entry["payload"], timeout=10).content
        envelope = stuf.parse_xml(data)
        where = f"{party} journal {entry['id']} ({entry['richting']} {entry['soort']})"
        assert envelope.tag == f"{{{SOAP_NS}}}Envelope", where
        body = envelope.find(f"{{{SOAP_NS}}}Body")
        assert body is not None and len(body) == 1, f"{where}: a SOAP Body holds one message"
        message = body[0]
        if message.tag == f"{{{SOAP_NS}}}Fault":
            assert message.findtext("faultcode") in ("soap:Client", "soap:Server"), where
            assert message.findtext("faultstring"), where
            detail = message.find("detail")
            assert detail is not None and len(detail) == 1, f"{where}: a fault's detail holds the Fo03"
            message = detail[0]
            assert message.tag == f"{{{STUF_NS}}}Fo03Bericht", where
        document = etree.fromstring(etree.tostring(message))
        assert schema.validate(document), f"{where}: {schema.error_log.last_error}"
        code = document.findtext(f".//{{*}}stuurgegevens/{{{STUF_NS}}}berichtcode")
        seen.add(code)
        if document.findtext(f".//{{{STUF_NS}}}functie") == "GMSD-METAGEGEVENS":
            record = etree.fromstring(base64.b64decode(document.findtext(f".//{{{GGK_NS}}}xmlBestand")))
            assert meta_schema.validate(record), f"{where}: {meta_schema.error_log.last_error}"
    assert seen >= {"Di01", "Du01", "Bv03", "Fo01", "Fo03"}, f"{party} exchanged only {sorted(seen)}"


def test_the_gemeentes_error_reports_are_valid_fo01s_against_the_partner_xsds(chain, ronde):
    schema = _docs_schema()
    ggk = chain.urls["ggk"]
    downloads = requests.get(f"{ggk}/api/v1/gemeenten/0344/downloads", timeout=10).json()
    reports = [d for d in downloads if d["soort"] == "foutrapport"]
    assert len(reports) >= 2, downloads  # the later Fo01 and the one made of RINIS's Fo03
    for download in reports:
        data = requests.get(f"{ggk}/api/v1/gemeenten/0344/downloads/{download['id']}", timeout=10).content
        document = stuf.parse_xml(data)
        assert document.tag == f"{{{STUF_NS}}}Fo01Bericht"
        assert schema.validate(document), f"{download['bestandsnaam']}: {schema.error_log.last_error}"
    good = next(d for d in downloads if d["bestandsnaam"].startswith("CBS_TECHNISCH_0344_H12016"))
    archive = requests.get(f"{ggk}/api/v1/gemeenten/0344/downloads/{good['id']}", timeout=10).content
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        assert [n.endswith(".pdf") for n in zf.namelist()] == [True]


# ------------------------------------------------------------------- the examples


VOORBEELDEN = STUF_DOCS / "voorbeelden"


def _example_message(path: Path) -> etree._Element:
    """The StUF message in an example: the Body's child, or the Fo03 in a fault's detail."""
    envelope = stuf.parse_xml(path.read_bytes())
    assert envelope.tag == f"{{{SOAP_NS}}}Envelope", path.name
    message = envelope.find(f"{{{SOAP_NS}}}Body")[0]
    if message.tag == f"{{{SOAP_NS}}}Fault":
        message = message.find("detail")[0]
    return etree.fromstring(etree.tostring(message))


@pytest.mark.parametrize("naam", sorted(p.name for p in VOORBEELDEN.glob("*.xml")))
def test_every_example_is_valid_against_the_partner_xsds(naam):
    schema, message = _docs_schema(), _example_message(VOORBEELDEN / naam)
    assert schema.validate(message), f"{naam}: {schema.error_log.last_error}"
    xml_bestand = message.findtext(f".//{{{GGK_NS}}}xmlBestand")
    if xml_bestand is not None:
        record = etree.fromstring(base64.b64decode(xml_bestand))
        assert _meta_schema().validate(record), naam


def _post_example(chain: Chain, party: str, naam: str) -> tuple[requests.Response, stuf.Antwoord]:
    data = (VOORBEELDEN / naam).read_bytes()
    code = stuf.read_stuurgegevens(_example_message(VOORBEELDEN / naam)).berichtcode
    response = requests.post(f"{chain.urls[party]}/stuf/ontvang", data=data, timeout=10, headers={
        "Content-Type": stuf.CONTENT_TYPE, "SOAPAction": f'"{stuf.SOAP_ACTIONS[code]}"'})
    return response, stuf.read_antwoord(stuf.unwrap(response.content))


def test_the_example_requests_get_the_answers_the_examples_show(chain):
    """The two Di01s to RINIS are acknowledged and their file lands in CBS's inbox; the Fo01 to the
    GGk is acknowledged; the Du01 answers a delivery this GGk never had (StUF043)."""
    bv03 = _example_message(VOORBEELDEN / "antwoord-Bv03.xml")
    for naam in ("rinis-ggk_Di01-metagegevens.xml", "rinis-ggk_Di01-aanlevering.xml"):
        response, answer = _post_example(chain, "rinis", naam)
        assert response.status_code == 200 and answer.bevestigd, (naam, response.text[:300])
        assert answer.stuurgegevens.zender == stuf.read_stuurgegevens(bv03).zender
    response, answer = _post_example(chain, "ggk", "ggk-Fo01.xml")
    assert response.status_code == 200 and answer.bevestigd, response.text[:300]
    response, answer = _post_example(chain, "ggk", "ggk-ggk_Du01-rapport.xml")
    assert (response.status_code, answer.fout.code) == (500, "StUF043"), response.text[:300]
    response, answer = _post_example(chain, "rinis", "rinis-ggk_Di01-aanlevering.xml")
    assert response.status_code == 200 and answer.bevestigd  # the same message: the same Bv03 again
    assert chain.wait_idle(20)
    placed = requests.get(f"{chain.urls['rinis']}/mappen/RGMSD001", timeout=10).json()
    assert [f["naam"] for f in placed].count("WMO_H12016_regulier_0363.csv") == 1, placed
    fo03 = stuf.read_antwoord(_example_message(VOORBEELDEN / "antwoord-Fo03.xml"))
    assert (fo03.stuurgegevens.berichtcode, fo03.fout.code, fo03.fout.plek) == ("Fo03", "StUF010", "client")
