"""The HTTP/JSON contracts in docs/interfaces/openapi/ hold for the simulators.

A partner builds against ``ggk.yaml``, ``rinis.yaml``, ``cbs.yaml`` and ``gemeente.yaml`` (and the
harness's own ``beheer.yaml``) without reading Python. These tests keep them true: every
document is valid OpenAPI; every Flask route of every party has a contract and every
contract a route; and a whole delivery round over real HTTP, driven through every documented
operation, has each request and answer (status, headers, body) validated by openapi-core
against the document that covers it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlparse

import jsonschema
import pytest
import requests
import yaml
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse
from openapi_spec_validator import validate as validate_spec

from simulators.chain import PARTIES, Chain
from simulators.clock import SimulatedClock
from simulators.gmsd.generator import generate, zip_bestanden
from simulators.tijdlijn import laad

ROOT = Path(__file__).resolve().parent.parent
OPENAPI = ROOT / "docs" / "interfaces" / "openapi"
STUF_DOCS = ROOT / "docs" / "interfaces" / "stuf"
BEHEER = "beheer"
DOCUMENTS = (BEHEER, *PARTIES)
"""``beheer.yaml`` holds the endpoints every party serves; ``<party>.yaml`` the party's own."""
WSDL = {"ggk": STUF_DOCS / "ggk-ontvang.wsdl", "rinis": STUF_DOCS / "rinis-ontvang.wsdl"}
"""The parties whose ``POST /stuf/ontvang`` is a SOAP service, described by a WSDL instead."""
METHODS = ("get", "put", "post", "delete", "patch")
PAGES = ("/portaal", "/testbestanden")
"""HTML for people, not an API: the GGk portal and the gemeente's test-file page (and ``/``, which
leads a browser to them). docs/portaal.md describes them instead of an OpenAPI document."""
START = datetime(2016, 8, 15, 9, 0)
KNOWN_BROKEN: set[tuple[str, str, str]] = set()
"""Documented operations the simulator gets wrong today (none now); each would have its own
strict xfail test below, which fails as soon as the simulator is fixed."""


def _operations(document: str) -> set[tuple[str, str]]:
    spec = yaml.safe_load((OPENAPI / f"{document}.yaml").read_text(encoding="utf-8"))
    return {(method.upper(), path) for path, item in spec["paths"].items() for method in item
            if method in METHODS}


def _shape(path: str) -> str:
    """A path with every parameter as ``{}``: Flask's ``<int:file_id>`` and OpenAPI's ``{bestand}`` alike."""
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)


def _template_regex(template: str) -> re.Pattern:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")


# ----------------------------------------------------------------- the documents alone


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_openapi_document_is_valid(document):
    path = OPENAPI / f"{document}.yaml"
    validate_spec(yaml.safe_load(path.read_text(encoding="utf-8")))
    OpenAPI.from_file_path(str(path))  # and openapi-core can use it


# ------------------------------------------------------------------------- the chain


@pytest.fixture(scope="module")
def chain(tmp_path_factory) -> Iterator[Chain]:
    with Chain(tmp_path_factory.mktemp("contracten"), SimulatedClock(START)) as chain:
        yield chain


@pytest.mark.parametrize("party", PARTIES)
def test_every_route_has_a_contract_and_every_contract_a_route(chain, party):
    app = chain.servers[party].served.app
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]  # no static folder
    pages = [rule for rule in rules if rule.rule == "/" or rule.rule.startswith(PAGES)]
    routes = {(method, _shape(rule.rule)) for rule in rules if rule not in pages
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    portaal_doc = (Path(__file__).resolve().parent.parent / "docs" / "portaal.md").read_text(encoding="utf-8")
    undocumented = sorted({rule.rule for rule in pages if rule.rule.rstrip("/") not in ("", "/portaal")
                           and re.sub(r"<[^>]+>", "<id>", rule.rule) not in portaal_doc})
    assert not undocumented, f"{party}: portal pages not described in docs/portaal.md: {undocumented}"
    documented = {(m, _shape(p)) for m, p in _operations(party) | _operations(BEHEER)}
    if party in WSDL:
        wsdl = WSDL[party].read_text(encoding="utf-8")
        address = re.search(r'<soap:address location="([^"]+)"', wsdl).group(1)
        documented.add(("POST", urlparse(address).path))
    assert not routes - documented, f"{party}: routes without a contract in docs/interfaces/: " \
                                    f"{sorted(routes - documented)}"
    assert not documented - routes, f"{party}: contracts in docs/interfaces/ without a route: " \
                                    f"{sorted(documented - routes)}"
    assert requests.get(f"{chain.urls[party]}/static/x", timeout=5).status_code == 404


# ------------------------------------------------------- a round, checked call by call


@dataclass
class Call:
    party: str
    method: str
    path: str
    document: str | None
    template: str | None
    status: int
    errors: list[str]


@dataclass
class Traffic:
    """Calls made to the chain, each validated against the OpenAPI document that covers it."""

    chain: Chain
    calls: list[Call] = field(default_factory=list)
    session: requests.Session = field(init=False)
    apis: dict[str, OpenAPI] = field(init=False)
    templates: dict[str, list[tuple[str, str]]] = field(init=False)

    def __post_init__(self) -> None:
        self.session = requests.Session()
        self.session.trust_env = False  # loopback: no proxy from the environment
        self.apis = {d: OpenAPI.from_file_path(str(OPENAPI / f"{d}.yaml")) for d in DOCUMENTS}
        # the most literal template first: /journal/stand before /journal/{id}/payload
        self.templates = {d: sorted(_operations(d), key=lambda op: op[1].count("{")) for d in DOCUMENTS}

    def find(self, party: str, method: str, path: str) -> tuple[str | None, str | None]:
        """The document and path template that cover this call: the party's own first."""
        for document in (party, BEHEER):
            for op_method, template in self.templates[document]:
                if op_method == method and _template_regex(template).match(path):
                    return document, template
        return None, None

    def __call__(self, party: str, method: str, path: str, status: int, *, geldig: bool = True,
                 **kwargs) -> requests.Response:
        """Make the call; it must answer ``status`` (else the round cannot go on). Its request
        (unless ``geldig`` is False: a deliberately bad one) and answer are validated."""
        kwargs.setdefault("timeout", 30)
        response = self.session.request(method, self.chain.urls[party] + path, **kwargs)
        assert response.status_code == status, (
            f"{method} {path} at {party}: HTTP {response.status_code}, expected {status}: "
            f"{response.text[:300]}")
        document, template = self.find(party, method, urlparse(response.request.url).path)
        errors = []
        if document is None:
            errors.append("no OpenAPI document covers this call")
        else:
            api, request = self.apis[document], RequestsOpenAPIRequest(response.request)
            if geldig:
                errors += [f"request: {_explain(e)}" for e in api.iter_request_errors(request)]
            errors += [f"response {response.status_code}: {_explain(e)}"
                       for e in api.iter_response_errors(request, RequestsOpenAPIResponse(response))]
        self.calls.append(Call(party, method, path, document, template, response.status_code, errors))
        return response


def _explain(error: Exception) -> str:
    causes = getattr(error.__cause__, "schema_errors", None) or []
    details = "; ".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in causes)
    return f"{type(error).__name__}: {str(error)[:300]}" + (f" ({details})" if details else "")


def _wmo(gemeentecode: str, seed: int) -> bytes:
    return generate("WMO", gemeentecode, 2016, 1, START, rows=12, seed=seed)


WIE = {"gebruiker": "henk@ketentest.nl", "naam": "Henk de Vries", "telefoon": "020-1234567",
       "periode": "H12016"}


@pytest.fixture(scope="module")
def ronde(chain) -> Iterator[Traffic]:
    """A whole delivery round, through every documented operation of every party."""
    call = Traffic(chain)
    with call.session:
        _ronde(chain, call)
        yield call


def _ronde(chain: Chain, call: Traffic) -> None:
    _aanleveren(chain, call)
    _gebruikers_en_samenwerking(call)
    assert chain.wait_idle(30)
    _optin(call)
    assert chain.wait_idle(30)
    _rinis(call)
    _cbs(call)
    assert chain.wait_idle(30)
    _gemeente(call)
    assert chain.wait_idle(30)  # the gemeente fetches what it was notified of
    _beheer(chain, call)


def _aanleveren(chain: Chain, call: Traffic) -> None:
    """Uploads through the gemeente simulator and straight to the GGk; the download area."""
    answer = call("gemeente", "POST", "/api/v1/aanleveringen", 201,
                  json={"gemeentecode": "0363", "soort": "WMO", "rijen": 15,
                        "gebruiker": "henk@ketentest.nl"})
    assert answer.json()["uploads"][0]["referenties"]
    call("gemeente", "POST", "/api/v1/aanleveringen", 201, data={"gemeentecode": "0363"},
         files=[("bestand", ("WMO_H12016_eigen.csv", _wmo("0363", 9)))])
    call("gemeente", "POST", "/api/v1/aanleveringen", 400, json={"soort": "AOW"}, geldig=False)
    call("ggk", "POST", "/api/v1/uploads", 201, data={"gemeentecode": "0344", "gebruiker": "jan@utrecht.nl"},
         files=[("bestand", ("WMO_H12016_regulier.csv", _wmo("0344", 1)))])
    archief = zip_bestanden([("a/WMO_H12016_a.csv", _wmo("0344", 2)), ("WMO_H12016_b.csv", _wmo("0344", 3))],
                            START)
    upload = call("ggk", "POST", "/api/v1/uploads", 201,
                  data={"gemeentecode": "0344", "gebruiker": "jan@utrecht.nl"},
                  files=[("bestand", ("WMO_H12016_zip.zip", archief))])
    assert len(upload.json()["uploads"][0]["referenties"]) == 2
    call("ggk", "POST", "/api/v1/uploads", 400, data={"gemeentecode": "9999", "gebruiker": "x"},
         files=[("bestand", ("WMO_H12016.csv", b"x"))])
    call("ggk", "POST", "/api/v1/uploads", 400, data={"gemeentecode": "0344", "gebruiker": "x"},
         files=[("bestand", ("WMO_H12016.exe", b"x"))])
    call("ggk", "POST", "/api/v1/uploads", 400, data={"gemeentecode": "0344", "gebruiker": "x"}, geldig=False)
    assert chain.wait_idle(30)
    call("ggk", "GET", "/api/v1/gemeenten/0344/uploads", 200)
    downloads = call("ggk", "GET", "/api/v1/gemeenten/0344/downloads?na=0&wacht=1", 200).json()
    rapport = next(d for d in downloads if d["bestandsnaam"].startswith("CBS_TECHNISCH_0344_H12016"))
    archive = call("ggk", "GET", f"/api/v1/gemeenten/0344/downloads/{rapport['id']}", 200).content
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        assert zf.namelist() == [rapport["bestandsnaam"].replace(".zip", ".pdf")]
    call("ggk", "GET", "/api/v1/gemeenten/0344/downloads/99999", 404)


def _gebruikers_en_samenwerking(call: Traffic) -> None:
    nieuw = {"email": "petra@utrecht.nl", "naam": "Petra", "telefoon": "030-1234567"}
    call("ggk", "POST", "/api/v1/gemeenten/0344/gebruikers", 201, json=nieuw)
    call("ggk", "POST", "/api/v1/gemeenten/0344/gebruikers", 409, json=nieuw)
    call("ggk", "POST", "/api/v1/gemeenten/0344/gebruikers", 422, json={"email": "geen adres"})
    call("ggk", "POST", "/api/v1/gemeenten/9999/gebruikers", 404, json=nieuw)
    assert len(call("ggk", "GET", "/api/v1/gemeenten/0344/gebruikers", 200).json()) >= 2
    assert call("ggk", "GET", "/api/v1/mails", 200).json(), "a report in the download area is mailed"
    call("ggk", "GET", "/api/v1/mails?aan=petra@utrecht.nl", 200)
    verband = [{"naam": "Regio Amersfoort", "uitvoerder": "0344", "leden": ["0307"], "gedelegeerd": True}]
    call("ggk", "PUT", "/_beheer/samenwerkingsverbanden", 200, json=verband)
    call("ggk", "PUT", "/_beheer/samenwerkingsverbanden", 400, json=[{"naam": "x", "uitvoerder": "9999",
                                                                       "leden": ["0307"]}])
    call("ggk", "GET", "/_beheer/samenwerkingsverbanden", 200)
    call("ggk", "GET", "/_beheer/audit?gemeente=0363&na=0", 200)
    call("ggk", "POST", "/api/v1/uploads", 201,
         data={"gemeentecode": "0344", "gebruiker": "jan@utrecht.nl", "namens": "0307"},
         files=[("bestand", ("WMO_H12016_namens.csv", _wmo("0307", 4)))])
    call("ggk", "POST", "/api/v1/uploads", 403,
         data={"gemeentecode": "0363", "gebruiker": "x@amsterdam.nl", "namens": "0307"},
         files=[("bestand", ("WMO_H12016.csv", _wmo("0307", 5)))])
    leden = call("ggk", "GET", "/api/v1/gemeenten/0307/samenwerking", 200).json()["leden"]
    assert [lid["gemeentecode"] for lid in leden] == ["0344"]


def _optin(call: Traffic) -> None:
    """Opt-in and withdrawal (0344 has its op-orde rapport by now)."""
    call("ggk", "POST", "/api/v1/gemeenten/0344/optin", 201, json=WIE | {"besluiten": {"WMO": "opt-in"}})
    call("ggk", "POST", "/api/v1/gemeenten/0344/optin", 422, json=WIE | {"besluiten": {"WMO": "ja"}},
         geldig=False)
    call("ggk", "POST", "/api/v1/gemeenten/0344/optin", 400, json={"periode": "H12016"}, geldig=False)
    call("ggk", "POST", "/api/v1/gemeenten/0344/intrekken", 201, json=WIE | {"soorten": ["WMO"]})
    call("ggk", "POST", "/api/v1/gemeenten/0307/intrekken", 403, json=WIE | {"soorten": ["WMO"]})
    assert {o["soort"] for o in call("ggk", "GET", "/api/v1/gemeenten/0344/optin", 200).json()} == {
        "optin", "intrekking"}


def _rinis(call: Traffic) -> None:
    """CBS's folders on the RINIS server, the way CBS uses them, and RINIS's blocks."""
    assert call("rinis", "GET", "/mappen", 200).json() == {"RGMSD001": "inbox", "RGMSD101": "verzend"}
    inbox = call("rinis", "GET", "/mappen/RGMSD001", 200).json()
    call("rinis", "GET", "/mappen/RGMSD001?nieuw=1", 200)
    call("rinis", "GET", "/mappen/RGMSD101", 200)
    call("rinis", "GET", "/mappen/ONBEKEND", 404)
    bestand = next(f for f in inbox if f["metagegevens_id"] is not None)
    fetched = call("rinis", "GET", f"/mappen/RGMSD001/{bestand['id']}", 200)
    assert fetched.content and fetched.headers["X-Bestandsnaam"] == quote(bestand["naam"])
    call("rinis", "GET", "/mappen/RGMSD001/99999", 404)
    call("rinis", "POST", f"/mappen/RGMSD001/{bestand['id']}/opgehaald", 200)
    call("rinis", "POST", "/mappen/RGMSD001/99999/opgehaald", 404)
    pdf = {"headers": {"Content-Type": "application/pdf"}}
    call("rinis", "PUT", "/mappen/RGMSD101/ZONDER_CONVENTIE.pdf", 201, data=b"%PDF-1.4", **pdf)
    call("rinis", "PUT", "/mappen/RGMSD101/ZONDER_CONVENTIE.pdf", 200, data=b"%PDF-1.4", **pdf)
    call("rinis", "PUT", "/mappen/RGMSD101/ZONDER_CONVENTIE.pdf", 409, data=b"%PDF-1.5", **pdf)
    call("rinis", "PUT", "/mappen/RGMSD001/CBS_TECHNISCH_0344_H12016_x.pdf", 403, data=b"%PDF", **pdf)
    call("rinis", "PUT", "/mappen/RGMSD101/met%20spatie.pdf", 400, data=b"%PDF", **pdf)
    call("rinis", "PUT", "/mappen/RGMSD101/LEEG.pdf", 400, data=b"", geldig=False, **pdf)
    optin = next(f for f in inbox if f["naam"].startswith("OPTIN_"))
    weigering = {"code": "StUF055", "omschrijving": "Het CBS kan het bestand niet lezen (proef)"}
    call("rinis", "POST", f"/mappen/RGMSD001/{optin['id']}/geweigerd", 202, json=weigering)
    call("rinis", "POST", f"/mappen/RGMSD001/{optin['id']}/geweigerd", 400, json={"code": "?"}, geldig=False)
    call("rinis", "POST", "/mappen/RGMSD101/1/geweigerd", 403, json=weigering)
    call("rinis", "POST", "/mappen/RGMSD001/99999/geweigerd", 404, json=weigering)
    call("rinis", "GET", "/_beheer/blokkades", 200)
    call("rinis", "PUT", "/_beheer/blokkades", 201, json={"functie": "GMSD-INTREKKING"})
    call("rinis", "PUT", "/_beheer/blokkades", 404, json={"functie": "GMSD-ONBEKEND"})
    assert call("rinis", "GET", "/_beheer/blokkades", 200).json()[0]["functie"] == "GMSD-INTREKKING"
    assert call("rinis", "DELETE", "/_beheer/blokkades", 200).json() == {"opgeheven": 1}


def _cbs(call: Traffic) -> None:
    inbox = call("rinis", "GET", "/mappen/RGMSD001", 200).json()
    bestand = next(f for f in inbox if f["metagegevens_id"] is not None)
    call("cbs", "POST", "/rinis/nieuw", 202, json={"map": "RGMSD001", "id": bestand["id"],
                                                    "metagegevens_id": bestand["metagegevens_id"]})
    call("cbs", "POST", "/rinis/nieuw", 400, json={"map": "RGMSD001"}, geldig=False)
    call("cbs", "POST", "/api/v1/inbox/lezen", 200)
    assert call("cbs", "GET", "/api/v1/aanleveringen", 200).json()
    status = call("cbs", "GET", "/api/v1/status?gemeente=0344&periode=H12016&soort=WMO", 200).json()
    assert any(levering["actueel"] and levering["besluit"] == "ingetrokken" for levering in status), status
    call("cbs", "GET", "/api/v1/status", 200)
    assert {o["soort"] for o in call("cbs", "GET", "/api/v1/optin", 200).json()} == {"OPTIN", "INTREKKING"}
    assert {r["resultaat"] for r in call("cbs", "GET", "/_beheer/audit?gemeente=0344&na=0", 200).json()} == {
        "aanvaard"}, "the GGk signed both decisions and CBS accepted them"
    assert call("cbs", "GET", "/_beheer/ca.pem", 200).content.startswith(b"-----BEGIN CERTIFICATE-----")
    tabel = call("cbs", "PUT", "/_beheer/inwoners", 200, json={"inwoners": {"0088": 900}, "iv3": []}).json()
    assert tabel["inwoners"] == {"0088": 900} and tabel["drempel"] == 20000
    assert call("cbs", "GET", "/_beheer/inwoners", 200).json() == tabel
    call("cbs", "PUT", "/_beheer/inwoners", 400, json={"inwoners": {"88": -1}}, geldig=False)
    spiegel = call("cbs", "POST", "/api/v1/spiegelrapporten2", 202, json={"periode": "H12016"}).json()
    assert spiegel["verzonden"], spiegel
    call("cbs", "POST", "/api/v1/spiegelrapporten2", 400, json={"periode": "2016"}, geldig=False)


def _gemeente(call: Traffic) -> None:
    """What the gemeente fetched: reports (ZIP) and the Fo01 that CBS's refusal became."""
    rapporten = call("gemeente", "GET", "/api/v1/rapporten", 200).json()
    call("gemeente", "GET", "/api/v1/rapporten?gemeentecode=0344", 200)
    for soort in ("rapport", "foutrapport"):
        rapport = next(r for r in rapporten if r["soort"] == soort)
        call("gemeente", "GET", f"/api/v1/rapporten/{rapport['id']}", 200)
    call("gemeente", "GET", "/api/v1/rapporten/99999", 404)
    fo01 = next(d for d in call("ggk", "GET", "/api/v1/gemeenten/0344/downloads", 200).json()
                if d["soort"] == "foutrapport")
    inhoud = call("ggk", "GET", f"/api/v1/gemeenten/0344/downloads/{fo01['id']}", 200).content
    assert inhoud.startswith(b"<?xml"), inhoud[:100]
    call("gemeente", "POST", "/notificaties", 202, json={"gemeentecode": "0344", "download_id": fo01["id"],
                                                         "soort": "foutrapport", "bestandsnaam": "x.xml"})
    call("gemeente", "POST", "/notificaties", 400, json={"gemeentecode": "0344"}, geldig=False)


def _beheer(chain: Chain, call: Traffic) -> None:
    """The endpoints every party serves: status on all four, the control API on one or two."""
    for party in PARTIES:
        assert call(party, "GET", "/health", 200).json()["party"] == party
        journal = call(party, "GET", "/journal", 200).json()
        call(party, "GET", f"/journal?na={journal[0]['id']}&correlatie=20160815-090000-001", 200)
        assert call(party, "GET", "/journal/stand", 200).json()["laatste"] == journal[-1]["id"]
        for content_type in sorted({e["content_type"] for e in journal}):
            entry = next(e for e in journal if e["content_type"] == content_type)
            call(party, "GET", urlparse(entry["payload"]).path, 200)
    call("ggk", "GET", "/journal/99999/payload", 404)
    call("ggk", "GET", "/_beheer/klok", 200)
    call("ggk", "PUT", "/_beheer/klok", 200, json={"klok": "2016-08-15T09:30:00"})
    call("ggk", "PUT", "/_beheer/klok", 409, json={"klok": "2016-08-15T09:00:00"})
    call("ggk", "PUT", "/_beheer/klok", 400, json={"klok": "morgen"}, geldig=False)
    call("cbs", "GET", "/_beheer/tijdlijn", 200)
    call("cbs", "PUT", "/_beheer/tijdlijn", 200, json=laad("H1 2016").to_json())
    call("cbs", "GET", "/_beheer/tijdlijn", 200)
    call("cbs", "PUT", "/_beheer/tijdlijn", 400, json={"naam": "leeg"}, geldig=False)
    call("rinis", "GET", "/_beheer/courier", 200)
    call("rinis", "PUT", "/_beheer/courier", 200, json={"timeout": 5})
    call("rinis", "PUT", "/_beheer/courier", 400, json={"timeout": 0}, geldig=False)
    storingen = [{"soort": "503", "pad": "/nergens", "aantal": 1}, {"soort": "traag", "pad": "/nergens"}]
    armed = call("cbs", "PUT", "/_beheer/storing", 201, json=storingen).json()
    call("cbs", "PUT", "/_beheer/storing", 400, json={"soort": "bliksem"}, geldig=False)
    call("cbs", "GET", "/_beheer/storing", 200)
    call("cbs", "DELETE", f"/_beheer/storing/{armed['nieuw'][0]}", 200)
    call("cbs", "DELETE", f"/_beheer/storing/{armed['nieuw'][0]}", 404)
    call("cbs", "DELETE", "/_beheer/storing", 200)
    call("rinis", "GET", "/_beheer/toegang?gemeente=0363&na=0", 200)
    for party in ("ggk", "cbs"):
        call(party, "GET", "/_beheer/taken", 200)
        call(party, "GET", "/_beheer/taken/later", 200)
        call(party, "GET", "/_beheer/alarmen", 200)
        call(party, "POST", "/_beheer/wacht?seconden=10", 200)
    call("cbs", "POST", "/_beheer/herstart", 200)
    call("gemeente", "POST", "/_beheer/reset", 200)


def test_every_call_in_a_round_matches_its_contract(ronde):
    wrong = [f"{c.method} {c.path} at {c.party} (HTTP {c.status}, {c.document}.yaml {c.template}): "
             + " | ".join(c.errors) for c in ronde.calls if c.errors]
    assert not wrong, f"{len(wrong)} of {len(ronde.calls)} calls break their contract:\n" + "\n".join(wrong)


def test_a_round_exercises_every_documented_operation(ronde):
    """So nothing in a contract goes unchecked: each operation was called at least once (the
    party's own at that party, beheer's at some party; /health and /journal at every one)."""
    made = {(c.party, c.document, c.method, c.template) for c in ronde.calls}
    missing = []
    for party in PARTIES:
        missing += [(party, m, p) for m, p in _operations(party)
                    if (party, party, m, p) not in made and (party, m, p) not in KNOWN_BROKEN]
        missing += [(party, m, p) for m, p in (("GET", "/health"), ("GET", "/journal"))
                    if (party, BEHEER, m, p) not in made]
    missing += [(BEHEER, m, p) for m, p in _operations(BEHEER)
                if not any((party, BEHEER, m, p) in made for party in PARTIES)]
    assert not missing, f"documented but never called in the round: {sorted(missing)}"


def test_what_rinis_tells_cbs_fits_cbs_contract(chain, ronde):
    """RINIS's own calls to ``POST /rinis/nieuw`` (kept as its tasks) carry the body cbs.yaml asks."""
    spec = yaml.safe_load((OPENAPI / "cbs.yaml").read_text(encoding="utf-8"))
    schema = spec["paths"]["/rinis/nieuw"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    sent = [t["data"] for t in requests.get(f"{chain.urls['rinis']}/_beheer/taken", timeout=10).json()
            if t["soort"] == "cbs_melden"]
    assert len(sent) >= 4, sent
    for body in sent:
        jsonschema.validate(body, schema, cls=jsonschema.Draft202012Validator)
    assert {body["metagegevens_id"] is None for body in sent} == {True, False}  # opt-in files and deliveries


def test_rinis_lifts_its_blocks_as_its_contract_says(chain):
    call = Traffic(chain)
    with call.session:
        call("rinis", "PUT", "/_beheer/blokkades", 201, json={"functie": "GMSD-OPTIN"})
        call("rinis", "DELETE", "/_beheer/blokkades?functie=GMSD-OPTIN", 200)
        call("rinis", "DELETE", "/_beheer/blokkades", 200)
    assert not [c.errors for c in call.calls if c.errors]
