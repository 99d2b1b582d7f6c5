"""Fault injection (simulators/beheer/storingen.py): each kind of fault, seen from the caller, on a
tiny Flask app served by waitress on a free loopback port; counts, clearing, the paths that
are never faulted, the control API of a real party, and what the courier makes of each."""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest
import requests
from flask import Flask, jsonify, request
from pytest_bdd.steps import step_function_context_registry

from simulators import stuf
from simulators.beheer.storingen import FO01_SLEUTEL, Storingen, StoringError
from simulators.clock import SimulatedClock
from simulators.courier import Courier
from simulators.party import PartyConfig, party_of
from simulators.rinis import create_app as rinis_app
from simulators.server import ServedApp
from simulators.store import Journal, Store
from simulators.tasks import TransientError

START = datetime(2016, 8, 15, 9, 0)


@dataclass
class Proef:
    """A served tiny app behind the fault middleware, and what reached the app."""

    url: str
    storingen: Storingen
    verwerkt: list[str]
    session: requests.Session

    def __repr__(self) -> str:
        return f"Proef({self.url})"

    def post(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 5)
        return self.session.post(self.url + path, **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 5)
        return self.session.get(self.url + path, **kwargs)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, Storingen, list[str]]]:
    """One tiny app for the module: every server stop is a chance for the race in
    ``ServedApp.stop`` (a worker pulling waitress's trigger at the same moment)."""
    app = Flask("proef")
    verwerkt: list[str] = []

    @app.post("/echo")
    @app.post("/stuf/ontvang")
    def echo():
        verwerkt.append(request.path)
        return jsonify(verwerkt=len(verwerkt), tekst="x" * 200)

    @app.get("/echo")
    @app.get("/_beheer/klok")
    @app.get("/journal/stand")
    def lees():
        return jsonify(pad=request.path)

    storingen = Storingen("proef", SimulatedClock(START))
    app.wsgi_app = storingen.middleware(app.wsgi_app)
    with ServedApp(app) as server:
        yield server.url, storingen, verwerkt


@pytest.fixture
def proef(served) -> Iterator[Proef]:
    url, storingen, verwerkt = served
    storingen.reset()
    verwerkt.clear()
    with requests.Session() as session:
        session.trust_env = False
        yield Proef(url, storingen, verwerkt, session)
        hung = any(v["soort"] == "hangen" for v in storingen.listing()["voorvallen"])
        storingen.reset()  # ends a hanging request at once
        if hung:  # and lets its worker finish before the next test counts what reached the app
            time.sleep(0.05)


def _soap(referentienummer: str = "0b5e5a38-8d2c-4f6e-9a55-0f4c2b1f0b11") -> bytes:
    sg = stuf.Stuurgegevens("Di01", stuf.Systeem("0363", "GGKWebservice"), stuf.Systeem("CBS", "GGk"),
                            referentienummer, "20160815090000000", functie="GMSD-AANLEVERING")
    return stuf.wrap(stuf.build_envelop(stuf.Envelop(sg, stuf.Bestand(b"a;b\r\n", "WMO_H12016.csv"))))


# ------------------------------------------------------------------ each kind


@pytest.mark.parametrize("soort", ["503", "500"])
def test_http_error_answers_with_that_status_and_processes_nothing(proef, soort):
    proef.storingen.arm({"soort": soort})
    response = proef.post("/echo")
    assert response.status_code == int(soort)
    assert response.headers["Content-Type"] == "application/json"
    assert "storing" in response.json()["melding"]
    assert proef.verwerkt == []


@pytest.mark.parametrize("soort", ["plat", "reset_voor"])
def test_closing_before_processing_gives_a_connection_error_and_processes_nothing(proef, soort):
    proef.storingen.arm({"soort": soort})
    with pytest.raises(requests.ConnectionError):
        proef.post("/echo", json={"a": 1})
    assert proef.verwerkt == []


def test_reset_after_processing_runs_the_app_and_then_drops_the_answer(proef):
    proef.storingen.arm({"soort": "reset_na", "aantal": 1})
    with pytest.raises(requests.ConnectionError):
        proef.post("/echo")
    assert proef.verwerkt == ["/echo"], "the app must have done its work before the connection closed"
    assert proef.post("/echo").json()["verwerkt"] == 2, "the next request is answered normally"


def test_truncated_answer_is_processed_and_cut_off_halfway(proef):
    proef.storingen.arm({"soort": "afgekapt", "aantal": 1})
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        proef.post("/echo")
    assert proef.verwerkt == ["/echo"]
    assert proef.post("/echo").status_code == 200


def test_slow_answers_late_but_in_full(proef):
    proef.storingen.arm({"soort": "traag", "seconden": 0.3})
    start = time.monotonic()
    response = proef.post("/echo")
    assert response.status_code == 200 and proef.verwerkt == ["/echo"]
    assert time.monotonic() - start >= 0.3


def test_hanging_runs_into_the_callers_timeout_and_processes_nothing(proef):
    proef.storingen.arm({"soort": "hangen", "seconden": 5})
    with pytest.raises(requests.Timeout):
        proef.post("/echo", timeout=0.3)
    assert proef.verwerkt == []


def test_hanging_without_a_caller_timeout_ends_in_a_closed_connection(proef):
    proef.storingen.arm({"soort": "hangen", "seconden": 0.2})
    with pytest.raises(requests.ConnectionError):
        proef.post("/echo")
    assert proef.verwerkt == []


def test_clearing_ends_a_hang_at_once(proef):
    proef.storingen.arm({"soort": "hangen", "seconden": 60})
    errors: list[Exception] = []

    def call() -> None:
        try:
            requests.post(proef.url + "/echo", timeout=10)
        except requests.RequestException as exc:
            errors.append(exc)

    caller = threading.Thread(target=call)
    start = time.monotonic()
    caller.start()
    deadline = time.monotonic() + 5
    while not proef.storingen.listing()["voorvallen"] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proef.storingen.clear() == 1
    caller.join(5)
    assert time.monotonic() - start < 5, "the hang did not end when the fault was cleared"
    assert errors and isinstance(errors[0], requests.ConnectionError)


def test_fo03_refuses_a_soap_message_with_a_valid_fo03_naming_the_message(proef):
    proef.storingen.arm({"soort": "fo03", "code": "StUF058", "aantal": 1})
    body = _soap()
    response = proef.post("/stuf/ontvang", data=body, headers={"Content-Type": stuf.CONTENT_TYPE})
    assert response.status_code == 500
    assert "xml" in response.headers["Content-Type"]
    answer_el = stuf.unwrap(response.content)
    stuf.require_valid(answer_el)
    answer = stuf.read_antwoord(answer_el)
    assert answer.stuurgegevens.berichtcode == "Fo03"
    assert answer.fout.code == "StUF058" and answer.fout.plek == "server"
    assert answer.stuurgegevens.crossRefnummer == stuf.read_stuurgegevens(stuf.unwrap(body)).referentienummer
    assert answer.stuurgegevens.zender.organisatie == "CBS"
    assert answer.stuurgegevens.ontvanger.organisatie == "0363"
    assert proef.verwerkt == []


def test_fo03_with_an_unknown_code_and_an_unreadable_message_is_still_valid(proef):
    proef.storingen.arm({"soort": "fo03", "code": "KT999"})
    response = proef.post("/stuf/ontvang", data=b"geen xml", headers={"Content-Type": "text/xml"})
    answer_el = stuf.unwrap(response.content)
    stuf.require_valid(answer_el)
    assert stuf.read_antwoord(answer_el).fout.code == "KT999"


def test_fo03_lets_a_request_that_is_no_soap_pass_without_using_its_count(proef):
    proef.storingen.arm({"soort": "fo03", "aantal": 1})
    assert proef.post("/echo", json={"a": 1}).status_code == 200
    assert proef.storingen.listing()["storingen"][0]["resterend"] == 1


def test_fo01_lets_a_soap_message_through_with_its_code_for_the_party(clock):
    """The party behind the middleware (here a bare WSGI app) finds the foutcode in its
    environ, once per armed count; a request that is no SOAP passes without it."""
    seen: list[str | None] = []

    def party(environ, start_response):
        seen.append(environ.get(FO01_SLEUTEL))
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]

    storingen = Storingen("proef", clock)
    storingen.arm({"soort": "fo01", "code": "StUF052", "aantal": 1, "pad": "/stuf/"})
    soap = {"data": _soap(), "headers": {"Content-Type": stuf.CONTENT_TYPE}, "timeout": 5}
    with ServedApp(storingen.middleware(party)) as server, requests.Session() as session:
        session.trust_env = False
        assert session.post(server.url + "/stuf/ontvang", json={"a": 1}, timeout=5).text == "ok"
        assert session.post(server.url + "/stuf/ontvang", **soap).text == "ok"
        assert session.post(server.url + "/stuf/ontvang", **soap).text == "ok"
    assert seen == [None, "StUF052", None]
    assert [(v["soort"], v["pad"]) for v in storingen.listing()["voorvallen"]] == [("fo01", "/stuf/ontvang")]
    storingen.arm({"soort": "fo01"})
    assert storingen.listing()["storingen"][0]["code"] == "StUF058"


# ------------------------------------------------------- matching and counting


def test_count_decrements_and_a_used_up_fault_disappears(proef):
    proef.storingen.arm({"soort": "503", "aantal": 2})
    assert proef.post("/echo").status_code == 503
    listed = proef.storingen.listing()["storingen"]
    assert [(s["soort"], s["aantal"], s["resterend"], s["geraakt"]) for s in listed] == [("503", 2, 1, 1)]
    assert proef.post("/echo").status_code == 503
    assert proef.storingen.listing()["storingen"] == []
    assert proef.post("/echo").status_code == 200
    assert [v["soort"] for v in proef.storingen.listing()["voorvallen"]] == ["503", "503"]


def test_a_fault_with_a_path_meets_only_requests_under_it(proef):
    proef.storingen.arm({"soort": "503", "pad": "/stuf/"})
    assert proef.post("/echo").status_code == 200
    assert proef.post("/stuf/ontvang").status_code == 503


def test_the_first_armed_fault_that_matches_acts(proef):
    proef.storingen.arm([{"soort": "500", "pad": "/stuf/", "aantal": 1}, {"soort": "503", "aantal": 1}])
    assert proef.post("/echo").status_code == 503
    assert proef.post("/stuf/ontvang").status_code == 500
    assert proef.post("/stuf/ontvang").status_code == 200


def test_a_fault_with_a_duration_ends_by_itself(proef):
    proef.storingen.arm({"soort": "plat", "duur": 0.2})
    with pytest.raises(requests.ConnectionError):
        proef.get("/echo")
    time.sleep(0.25)
    assert proef.get("/echo").status_code == 200
    assert proef.storingen.listing()["storingen"] == []


def test_harness_paths_are_never_faulted(proef):
    proef.storingen.arm({"soort": "plat"})
    assert proef.get("/_beheer/klok").json() == {"pad": "/_beheer/klok"}
    assert proef.get("/journal/stand").status_code == 200
    with pytest.raises(requests.ConnectionError):
        proef.get("/echo")
    with pytest.raises(StoringError, match="nooit verstoord"):
        proef.storingen.arm({"soort": "503", "pad": "/_beheer/storing"})


def test_clear_removes_every_fault_and_reset_also_forgets_what_they_did(proef):
    proef.storingen.arm([{"soort": "503"}, {"soort": "500"}])
    assert proef.post("/echo").status_code == 503
    assert proef.storingen.clear() == 2
    assert proef.post("/echo").status_code == 200
    assert len(proef.storingen.listing()["voorvallen"]) == 1
    proef.storingen.reset()
    assert proef.storingen.listing() == {"partij": "proef", "storingen": [], "voorvallen": []}


@pytest.mark.parametrize("storing, melding", [
    ({"soort": "kapot"}, "onbekend"),
    ({"soort": "503", "aantal": 0}, "aantal"),
    ({"soort": "503", "aantal": True}, "aantal"),
    ({"soort": "503", "seconden": 2}, "alleen voor traag en hangen"),
    ({"soort": "traag", "seconden": 0}, "groter dan 0"),
    ({"soort": "503", "code": "StUF058"}, "alleen voor fo03"),
    ({"soort": "fo03", "code": "kapot"}, "geen foutcode"),
    ({"soort": "fo01", "code": "StUF 058"}, "geen foutcode"),
    ({"soort": "traag", "code": "StUF058"}, "alleen voor fo03 en fo01"),
    ({"soort": "503", "pad": "stuf"}, "begin van een adres"),
    ({"soort": "503", "aanatl": 2}, "onbekende velden"),
    ([], "ten minste één"),
    ("503", "JSON-object"),
])
def test_an_unusable_fault_is_refused_with_a_reason(clock, storing, melding):
    storingen = Storingen("proef", clock)
    with pytest.raises(StoringError, match=melding):
        storingen.arm(storing)
    assert storingen.listing()["storingen"] == []


def test_defaults_for_slow_hanging_and_fo03(clock):
    storingen = Storingen("proef", clock)
    storingen.arm([{"soort": "traag"}, {"soort": "hangen"}, {"soort": "fo03"}])
    listed = storingen.listing()["storingen"]
    assert [(s["seconden"], s["code"], s["resterend"]) for s in listed] == [
        (2.0, None, None), (30.0, None, None), (None, "StUF058", None)]


# ------------------------------------------------ what the courier makes of it


@pytest.fixture
def courier(tmp_path, clock) -> Iterator[Courier]:
    store = Store(tmp_path / "courier.sqlite3", "")
    yield Courier("proef", Journal(store, clock), timeout=0.5)
    store.close()


@pytest.mark.parametrize("storing", [
    {"soort": "503"}, {"soort": "500"}, {"soort": "plat"}, {"soort": "reset_voor"},
    {"soort": "reset_na"}, {"soort": "hangen", "seconden": 2},
])
def test_the_courier_takes_each_transport_fault_as_transient(proef, courier, storing):
    proef.storingen.arm(storing | {"aantal": 1})
    with pytest.raises(TransientError):
        courier.request("POST", proef.url + "/echo")
    assert courier.request("POST", proef.url + "/echo").status_code == 200


def test_the_courier_takes_a_cut_off_answer_as_transient(proef, courier):
    proef.storingen.arm({"soort": "afgekapt", "aantal": 1})
    with pytest.raises(TransientError):
        courier.request("POST", proef.url + "/echo")


# ------------------------------------------------- the control API of a party


@pytest.fixture
def rinis(tmp_path, clock):
    app = rinis_app(PartyConfig(state_path=tmp_path / "rinis.sqlite3", clock=clock))
    yield app
    party_of(app).stop()


def test_a_party_arms_lists_and_clears_faults_over_http(rinis):
    client = rinis.test_client()
    armed = client.put("/_beheer/storing", json={"soort": "503", "pad": "/stuf/ontvang", "aantal": 2})
    assert armed.status_code == 201, armed.json
    assert armed.json["nieuw"] == [1]
    assert client.post("/stuf/ontvang", data=b"x").status_code == 503
    listed = client.get("/_beheer/storing").json
    assert listed["partij"] == "rinis"
    assert [(s["id"], s["resterend"]) for s in listed["storingen"]] == [(1, 1)]
    assert client.get("/health").status_code == 200, "a fault on /stuf/ontvang leaves /health alone"
    assert client.delete("/_beheer/storing/1").json == {"opgeheven": 1}
    assert client.delete("/_beheer/storing/1").status_code == 404
    client.put("/_beheer/storing", json={"soort": "500"})
    assert client.delete("/_beheer/storing").json == {"opgeheven": 1}
    assert client.get("/health").status_code == 200


def test_a_party_refuses_an_unusable_fault_in_dutch(rinis):
    response = rinis.test_client().put("/_beheer/storing", json={"soort": "stroomuitval"})
    assert response.status_code == 400
    assert response.json["fout"] == "Ongeldige storing"
    assert "kies uit" in response.json["melding"]


def test_a_party_journals_a_fo03_as_its_own_refusal(rinis):
    client = rinis.test_client()
    client.put("/_beheer/storing", json={"soort": "fo03", "code": "StUF058", "aantal": 1})
    body = _soap()
    response = client.post("/stuf/ontvang", data=body, headers={"Content-Type": stuf.CONTENT_TYPE})
    assert response.status_code == 500
    journal = client.get("/journal").json
    assert [(e["richting"], e["peer"], e["berichtcode"]) for e in journal] == [
        ("in", "ggk", "Di01"), ("uit", "ggk", "Fo03")]
    assert journal[1]["crossRefnummer"] == journal[0]["referentienummer"]


def test_a_party_reset_clears_its_faults(rinis):
    client = rinis.test_client()
    client.put("/_beheer/storing", json={"soort": "plat"})
    assert client.post("/_beheer/reset").status_code == 200
    assert client.get("/_beheer/storing").json["storingen"] == []


# ------------------------------------------------------------ the step vocabulary


def test_every_fault_step_has_an_example_it_matches():
    """As tests/test_stappen.py checks for the modules listed in steps/catalogus.py."""
    importlib.import_module("steps.storingen")  # registers its steps
    sleutelwoord = {"given": "Gegeven", "when": "Als", "then": "Dan"}
    found = [c for c in list(step_function_context_registry.values())
             if c.step_func.__module__ == "steps.storingen"]
    assert len(found) >= 10
    for context in found:
        lines = [line.strip() for line in (context.step_func.__doc__ or "").splitlines()]
        voorbeelden = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Voorbeeld:")]
        uitleg = [line for line in lines if line and not line.startswith("Voorbeeld:")]
        assert uitleg and voorbeelden, f"{context.parser}: geen uitleg of voorbeeld"
        for voorbeeld in voorbeelden:
            woord, _, zin = voorbeeld.partition(" ")
            assert woord == sleutelwoord[context.type], (
                f"'{voorbeeld}' begint niet met {sleutelwoord[context.type]}")
            assert context.parser.is_matching(zin), f"'{voorbeeld}' past niet bij zijn eigen stap"
