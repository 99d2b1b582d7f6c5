"""Restarting a party over HTTP (``POST /_beheer/herstart``) and lowering its courier's
time-out (``/_beheer/courier``): on the embedded chain, real HTTP, no patching."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
import requests

from ketentest.boekhouding import boeken
from simulators.chain import Chain
from simulators.clock import SimulatedClock
from simulators.party import PartyConfig
from simulators.rinis import create_app as rinis_app
from simulators.tijdlijn import laad
from steps.drivers import Keten

START = datetime(2016, 8, 15, 9, 0)


@pytest.fixture
def keten(tmp_path: Path):
    with Chain(tmp_path, SimulatedClock(START)) as chain:
        keten = Keten(chain.urls)
        yield keten
        keten.session.close()


def _arm(keten: Keten, party: str, **storing) -> None:
    response = keten.session.put(keten.url(party, "/_beheer/storing"), json=storing, timeout=5)
    assert response.status_code == 201, response.text


def _herstart(keten: Keten, party: str) -> dict:
    response = keten.post(party, "/_beheer/herstart")
    assert response.status_code == 200, response.text
    return response.json()


def _wait_for_failed_attempts(keten: Keten, party: str, soort: str, pogingen: int = 2) -> None:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if any(t["soort"] == soort and t["status"] == "open" and t["pogingen"] >= pogingen
               for t in keten.get(party, "/_beheer/taken").json()):
            return
        time.sleep(0.02)
    pytest.fail(f"{party} has no open task {soort} that failed {pogingen} times")


def test_a_restarted_ggk_finds_its_open_task_and_delivers_the_file_once(keten):
    _arm(keten, "rinis", soort="plat")
    upload = keten.compose_and_deliver("0363", rijen=10).json()["uploads"][0]
    referentie = upload["referenties"][0]["referentie"]
    _wait_for_failed_attempts(keten, "ggk", "doorsturen")

    answer = _herstart(keten, "ggk")
    assert answer["partij"] == "ggk" and answer["herstart"] is True
    found = [t for t in answer["open_taken"] if t["soort"] == "doorsturen"]
    assert len(found) == 1 and found[0]["pogingen"] >= 2, answer["open_taken"]

    keten.session.delete(keten.url("rinis", "/_beheer/storing"), timeout=5)
    keten.wait_idle(15)
    taken = {t["id"]: t for t in keten.get("ggk", "/_beheer/taken").json()}
    assert taken[found[0]["id"]]["status"] == "klaar", taken[found[0]["id"]]
    assert [a["correlatie"] for a in keten.cbs_deliveries()] == [referentie]
    rapporten = [d["bestandsnaam"] for d in keten.downloads("0363") if d["soort"] == "rapport"]
    assert sorted(rapporten) == [f"CBS_OPORDE_0363_H12016_{referentie}.zip",
                                 f"CBS_TECHNISCH_0363_H12016_{referentie}.zip"]
    taken_per_partij = {party: keten.get(party, "/_beheer/taken").json() for party in keten.urls}
    books = boeken(keten.journal_since({}), taken_per_partij, keten.clock())
    assert books.sluitend, books.als_tabel()


def test_after_a_restart_the_new_partys_faults_act_and_the_old_ones_are_gone(keten):
    _arm(keten, "rinis", soort="plat")
    answer = _herstart(keten, "rinis")
    assert answer["storingen_opgeheven"] == 1
    assert keten.get("rinis", "/health").status_code == 200, "the fault of before the restart still acts"
    _arm(keten, "rinis", soort="503", pad="/stuf/", aantal=1)
    assert keten.post("rinis", "/stuf/ontvang", data=b"<x/>").status_code == 503, (
        "a fault armed after the restart does not act: the middleware holds the old party's faults")
    voorvallen = keten.get("rinis", "/_beheer/storing").json()["voorvallen"]
    assert [v["soort"] for v in voorvallen] == ["503"]


def test_a_restart_reads_the_state_on_disk_again(keten, tmp_path):
    tijdlijn = laad("H1 2016").to_json() | {"naam": "voor de herstart"}
    assert keten.session.put(keten.url("cbs", "/_beheer/tijdlijn"), json=tijdlijn, timeout=5).ok
    assert keten.get("cbs", "/_beheer/tijdlijn").json()["naam"] == "voor de herstart"  # now cached
    with sqlite3.connect(tmp_path / "cbs.sqlite3") as db:  # changed behind the party's back
        db.execute("UPDATE instellingen SET waarde = replace(waarde, 'voor de', 'na de')")
    assert keten.get("cbs", "/_beheer/tijdlijn").json()["naam"] == "voor de herstart"
    _herstart(keten, "cbs")
    assert keten.get("cbs", "/_beheer/tijdlijn").json()["naam"] == "na de herstart"


def test_a_restart_lets_a_request_in_progress_finish_first(keten):
    _arm(keten, "ggk", soort="traag", seconden=10, pad="/health")
    answers: list[int] = []
    caller = threading.Thread(target=lambda: answers.append(keten.get("ggk", "/health").status_code))
    caller.start()
    deadline = time.monotonic() + 5
    while not keten.get("ggk", "/_beheer/storing").json()["voorvallen"]:
        assert time.monotonic() < deadline, "the slow request never arrived"
        time.sleep(0.01)
    start = time.monotonic()
    _herstart(keten, "ggk")
    caller.join(5)
    assert answers == [200], "the request inside the party during the restart did not get its answer"
    assert time.monotonic() - start < 5, "the restart did not end the slow answer's wait"


def test_the_courier_timeout_is_lowered_at_run_time_and_restored_by_reset_and_restart(keten):
    assert keten.get("ggk", "/_beheer/courier").json() == {"timeout": 10.0, "ingesteld": 10.0}
    response = keten.session.put(keten.url("ggk", "/_beheer/courier"), json={"timeout": 0.5}, timeout=5)
    assert response.json() == {"timeout": 0.5, "ingesteld": 10.0}
    _arm(keten, "rinis", soort="hangen", pad="/stuf/", aantal=1)
    keten.compose_and_deliver("0363", rijen=10)
    _wait_for_failed_attempts(keten, "ggk", "doorsturen", pogingen=1)
    fout = next(t["fout"] for t in keten.get("ggk", "/_beheer/taken").json() if t["soort"] == "doorsturen")
    assert "Timeout" in fout, fout
    keten.wait_idle(10)
    assert keten.post("ggk", "/_beheer/reset").ok
    assert keten.get("ggk", "/_beheer/courier").json()["timeout"] == 10.0
    keten.session.put(keten.url("ggk", "/_beheer/courier"), json={"timeout": 2}, timeout=5)
    assert _herstart(keten, "ggk")["courier_timeout"] == 10.0


@pytest.mark.parametrize("timeout", [0, -1, 301, "1", True, None])
def test_an_unusable_courier_timeout_is_refused_in_dutch(keten, timeout):
    response = keten.session.put(keten.url("rinis", "/_beheer/courier"), json={"timeout": timeout},
                                 timeout=5)
    assert response.status_code == 400
    assert response.json()["fout"] == "Ongeldige time-out" and "seconden" in response.json()["melding"]
    assert keten.get("rinis", "/_beheer/courier").json()["timeout"] == 10.0


def test_a_party_kept_in_memory_is_not_restarted(clock):
    app = rinis_app(PartyConfig(state_path=Path(":memory:"), clock=clock))
    try:
        response = app.test_client().post("/_beheer/herstart")
        assert response.status_code == 409
        assert "geheugen" in response.json["melding"]
    finally:
        app.extensions["ketentest.party"].stop()


def test_waiting_requests_reach_the_new_party(keten):
    """Requests sent while a restart runs are answered by the party after it, not refused."""
    errors: list[Exception] = []
    statuses: list[int] = []
    stop = threading.Event()

    def hammer() -> None:
        with requests.Session() as session:
            while not stop.is_set():
                try:
                    statuses.append(session.get(keten.url("rinis", "/_beheer/taken"), timeout=5).status_code)
                except requests.RequestException as exc:
                    errors.append(exc)

    threads = [threading.Thread(target=hammer) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(5):
            _herstart(keten, "rinis")
    finally:
        stop.set()
        for thread in threads:
            thread.join(5)
    assert not errors and statuses and set(statuses) == {200}, (errors[:3], set(statuses))
