"""A message the next hop cannot take is retried until its delivery deadline on the
simulated calendar, and then becomes an alert and an error report: never silence."""

from __future__ import annotations

import socket
import time
from datetime import datetime

from simulators import stuf
from simulators.ggk.backend import Ggk


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(predicate, seconds: float = 5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    return predicate()


CSV = b"Aanmaakdatum bestand;Gemeentecode\r\n20160815090000;0363\r\n"


def test_rinis_unreachable_past_the_deadline_gives_the_gemeente_a_kt001_report(make_party, clock):
    ggk = make_party(Ggk, {"aflevertermijn_werkdagen": 2},
                     urls={"rinis": f"http://127.0.0.1:{_closed_port()}"})
    ggk.tasks.retry_delays = (0.01, 0.02)
    ggk.start()
    [result] = ggk.upload("0363", "henk@amsterdam.nl", [("WMO_H12016_regulier.csv", CSV)])
    assert _wait(lambda: ggk.store.one("SELECT pogingen FROM taken")["pogingen"] >= 3), (
        "the GGk keeps retrying while RINIS is down")
    assert ggk.tasks.alarms() == [] and ggk.downloads("0363") == [], "no alarm before the deadline"
    clock.set(datetime(2016, 8, 16, 9, 0))  # one working day later: still within two
    time.sleep(0.1)
    assert ggk.tasks.alarms() == []
    clock.set(datetime(2016, 8, 17, 9, 0, 1))  # past 2 working days after Monday 15 August
    [alarm] = _wait(ggk.tasks.alarms)
    assert alarm["status"] == "verlopen" and "pogingen" in alarm["fout"]
    [item] = _wait(lambda: ggk.downloads("0363"))
    assert item["soort"] == "foutrapport"
    fo01 = stuf.parse_xml(ggk.download("0363", item["id"])[1])
    stuf.require_valid(fo01)
    answer = stuf.read_antwoord(fo01)
    assert answer.stuurgegevens.berichtcode == "Fo01"
    assert answer.fout.code == "KT001" and answer.fout.plek == "server"
    assert "WMO_H12016_regulier.csv" in answer.fout.omschrijving
    assert answer.stuurgegevens.crossRefnummer == result.referentienummer
    assert ggk.uploads("0363")[0]["status"] == "niet afgeleverd"


def test_without_a_deadline_a_task_still_ends_failed_after_its_retries(make_party):
    from simulators.rinis.backend import Rinis
    rinis = make_party(Rinis)
    rinis.tasks.retry_delays = (0.01,)
    calls = []

    def flaky(_data):
        from simulators.tasks import TransientError
        calls.append(1)
        raise TransientError("weg")

    rinis.tasks.handlers["plaatsen"] = flaky
    rinis.start()
    rinis.tasks.add("plaatsen", {})
    [alarm] = _wait(rinis.tasks.alarms)
    assert alarm["status"] == "mislukt" and len(calls) == 2
