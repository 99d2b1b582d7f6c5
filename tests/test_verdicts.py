"""Why a check failed, in words a partner can act on: the drivers turn a time-out or a failed
connection into :class:`NoAnswerError` (naming the wait and how to raise it), a mismatch is a
:class:`WrongAnswerError` (expected vs received), a wait is bounded, and an ambiguous match
fails instead of guessing; and the rerun command spells out the run it repeats."""

from __future__ import annotations

import shlex
import socket
import time

import pytest
import requests
from flask import Flask

from ketentest.rerun import rerun_base, rerun_command
from ketentest.targets import Targets, Tls
from simulators.server import ServedApp
from steps.drivers import Keten, NoAnswerError, RinisDriver, WrongAnswerError, the_one
from steps.drivers.base import wachttijd


def test_a_party_that_never_answers_is_no_answer_with_the_wait_and_how_to_raise_it():
    with socket.socket() as server:  # accepts the connection, never answers
        server.bind(("127.0.0.1", 0))
        server.listen()
        driver = RinisDriver(f"http://127.0.0.1:{server.getsockname()[1]}", requests.Session(), timeout=0.2)
        with pytest.raises(NoAnswerError) as caught:
            driver.place_in_folder("RGMSD101", "rapport.pdf", b"%PDF")
    tekst = str(caught.value)
    assert tekst.startswith("geen antwoord binnen 0.2 s: rinis (http://127.0.0.1:"), tekst
    assert "PUT /mappen/RGMSD101/rapport.pdf" in tekst, tekst
    assert "--wachttijd" in tekst and "KETENTEST_WACHTTIJD" in tekst, "how to wait longer"


def test_a_refused_connection_is_no_answer_saying_so():
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    driver = RinisDriver(f"http://127.0.0.1:{port}", requests.Session(), timeout=1)
    with pytest.raises(NoAnswerError, match="verbinding geweigerd"):
        driver.folder("RGMSD001")


def test_a_wrong_answer_says_what_was_expected_and_what_came():
    fout = WrongAnswerError("RINIS zette het bestand onder een andere naam", "a_0363.csv", "a.csv",
                            detail="de hele map")
    assert str(fout) == ("verkeerd antwoord: RINIS zette het bestand onder een andere naam "
                         "(verwacht: a_0363.csv; ontvangen: a.csv)\nde hele map")
    assert isinstance(fout, AssertionError), "a failed check, not a broken test"


def test_the_one_refuses_to_guess_between_two_candidates():
    assert the_one([{"naam": "a"}], "het bestand") == {"naam": "a"}
    with pytest.raises(WrongAnswerError, match=r"2 kandidaten voor het bestand.*\['a', 'b'\]"):
        the_one([{"naam": "a"}, {"naam": "b"}], "het bestand")
    with pytest.raises(NoAnswerError):
        the_one([], "het bestand")


def test_waiting_on_a_partner_asks_again_until_the_deadline_then_names_what_it_waited_for():
    keten = Keten({"rinis": "http://127.0.0.1:9"}, extern=frozenset({"rinis"}), timeout=0.3)
    asked = []
    assert keten.wait_for(lambda: asked.append(1) or (len(asked) >= 3 and "er"), "iets") == "er"
    start = time.monotonic()
    with pytest.raises(NoAnswerError, match=r"^geen antwoord binnen 0.3 s: het rapport\. Geef meer tijd"):
        keten.wait_for(lambda: None, "het rapport")
    assert 0.3 <= time.monotonic() - start < 1.5


def test_with_a_partner_quiet_already_seen_counts_until_the_harness_talks_to_it():
    """Waiting for quiet with a partner in the chain: the first wait lasts ``stilte``; a second
    wait right after it (the step's, then the one after the scenario) finds the quiet already
    long enough; once the harness has said something to the partner, quiet starts over."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        nergens = f"http://127.0.0.1:{closed.getsockname()[1]}"
    partner = Flask("partner")
    partner.get("/health")(lambda: {"status": "ok"})
    served = ServedApp(partner).start()
    try:
        keten = Keten({"gemeente": nergens, "ggk": served.url}, extern=frozenset({"gemeente", "ggk"}),
                      timeout=5)
        keten.stilte = 0.8

        def waited() -> float:
            start = time.monotonic()
            keten.wait_idle()
            return time.monotonic() - start

        assert waited() >= 0.8, "the first wait lasts stilte"
        assert waited() < 0.4, "quiet seen by the wait before counts"
        keten.session.get(served.url + "/health", timeout=5)  # the harness talks to the partner
        assert waited() >= 0.8, "after talking to the partner, quiet starts over"
        with pytest.raises(requests.ConnectionError):
            keten.session.get(nergens + "/health", timeout=5)  # no answer: nothing was said
        assert waited() < 0.4
    finally:
        served.stop()


def test_the_wait_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("KETENTEST_WACHTTIJD", "42")
    assert wachttijd() == 42.0 and Keten({"rinis": "http://127.0.0.1:9"}).timeout == 42.0
    monkeypatch.delenv("KETENTEST_WACHTTIJD")
    assert wachttijd() == 10.0


def test_the_rerun_command_spells_out_the_run_against_the_same_endpoint(tmp_path):
    ca = tmp_path / "partner ca.pem"
    ca.write_text("-", encoding="utf-8")
    doelen = Targets({"rinis": "https://rinis.example:8443"}, Tls(ca=str(ca)), "0.0.0.0",
                     {"gemeente": 8101, "ggk": 8102, "cbs": 8104})
    base = rerun_base("burentest,foutafhandeling", "rol:rinis", doelen, 30)
    args = shlex.split(rerun_command(base, "RINIS weigert een bericht met een DOCTYPE"))
    assert args == ["ketentest", "run", "--suite", "burentest,foutafhandeling", "--tags", "rol:rinis",
                    "--wachttijd", "30", "--target", "rinis=https://rinis.example:8443", "--ca", str(ca),
                    "--host", "0.0.0.0", "--poort", "gemeente=8101", "--poort", "ggk=8102",
                    "--poort", "cbs=8104", "--scenario", "RINIS weigert een bericht met een DOCTYPE"]
    assert rerun_base("all", None, Targets(), None) == "ketentest run --suite all"
