"""``ketentest storing`` and ``ketentest herstart`` as a coordinator runs them: separate
processes against a chain that ``ketentest up`` serves, checked over the parties' own HTTP."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import requests
from test_cli import start, stop  # ketentest up as its own process

from ketentest.cli import party_url
from simulators.chain import DEFAULT_PORTS, PARTIES


@pytest.fixture(scope="module")
def urls(tmp_path_factory) -> Iterator[dict[str, str]]:
    """A chain served by ``ketentest up`` in its own process, on free ports."""
    process, found = start("--ports", "vrij", "--klok", "2016-08-15T09:00",
                           tmp_path=tmp_path_factory.mktemp("keten"), lines=len(PARTIES))
    try:
        yield found
    finally:
        assert stop(process) == 0


@pytest.fixture(autouse=True)
def clean(urls) -> None:
    for url in urls.values():
        requests.post(f"{url}/_beheer/reset", timeout=10).raise_for_status()


def ketentest(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ketentest.cli", *args], capture_output=True, text=True,
                          timeout=60)


def test_storing_arms_shows_and_clears_a_fault_at_a_running_party(urls):
    rinis = urls["rinis"]
    armed = ketentest("storing", "rinis", "503", "--pad", "/stuf/", "--aantal", "2", "--url", rinis)
    assert armed.returncode == 0, armed.stderr
    assert "503" in armed.stdout and "/stuf/" in armed.stdout and "nog 2 van 2" in armed.stdout
    listed = requests.get(f"{rinis}/_beheer/storing", timeout=5).json()["storingen"]
    assert [(s["soort"], s["pad"], s["aantal"]) for s in listed] == [("503", "/stuf/", 2)]

    assert requests.post(f"{rinis}/stuf/ontvang", data=b"<x/>", timeout=5).status_code == 503
    shown = ketentest("storing", "rinis", "--toon", "--url", rinis)
    assert shown.returncode == 0, shown.stderr
    assert "1 storing(en)" in shown.stdout and "nog 1 van 2" in shown.stdout
    assert "getroffen verzoeken sinds de laatste reset: 1" in shown.stdout
    assert "POST /stuf/ontvang" in shown.stdout

    cleared = ketentest("storing", "rinis", "--opheffen", "--url", rinis)
    assert cleared.returncode == 0 and "1 storing(en) opgeheven" in cleared.stdout
    assert requests.get(f"{rinis}/_beheer/storing", timeout=5).json()["storingen"] == []


def test_a_refused_fault_prints_the_partys_reason_and_exits_2(urls):
    result = ketentest("storing", "cbs", "503", "--seconden", "5", "--url", urls["cbs"])
    assert result.returncode == 2
    assert "cbs weigerde (HTTP 400)" in result.stderr
    assert "seconden geldt alleen voor traag en hangen" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    unknown = ketentest("storing", "cbs", "stroomuitval", "--url", urls["cbs"])
    assert unknown.returncode == 2 and "soort 'stroomuitval' is onbekend; kies uit" in unknown.stderr


@pytest.mark.parametrize("args", [
    ("storing", "rinis", "--toon"), ("storing", "ggk", "plat"), ("herstart", "cbs"),
])
def test_an_unreachable_party_is_named_in_dutch_with_exit_2(args):
    result = ketentest(*args, "--url", "http://127.0.0.1:9")
    assert result.returncode == 2
    assert "niet bereikbaar op http://127.0.0.1:9" in result.stderr and "ketentest up" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args, melding", [
    (("storing", "rinis"), "geef een soort storing, of --opheffen, of --toon"),
    (("storing", "rinis", "503", "--toon"), "geef een soort storing, of --opheffen, of --toon"),
    (("storing", "rinis", "--opheffen", "--aantal", "2"), "--aantal hoort bij een nieuwe storing"),
    (("storing", "rinus", "--toon"), "onbekende partij 'rinus'"),
    (("herstart", "rinus"), "onbekende partij 'rinus'"),
])
def test_a_muddled_command_says_what_to_give(args, melding):
    result = ketentest(*args)
    assert result.returncode == 2 and melding in result.stderr, result.stderr


def test_without_url_the_party_is_where_ketentest_up_puts_it():
    assert {p: party_url(p, None) for p in PARTIES} == {
        p: f"http://127.0.0.1:{DEFAULT_PORTS[p]}" for p in PARTIES}
    assert party_url("ggk", "http://elders:9000/") == "http://elders:9000"


def test_herstart_restarts_a_party_that_then_finishes_its_open_work(urls):
    """The GGk restarts with a file for RINIS in its queue (RINIS down), then delivers it once."""
    assert ketentest("storing", "rinis", "plat", "--url", urls["rinis"]).returncode == 0
    upload = requests.post(f"{urls['gemeente']}/api/v1/aanleveringen", json={"gemeentecode": "0344"},
                           timeout=10).json()
    referentie = upload["uploads"][0]["referenties"][0]["referentie"]
    taken = []
    for _ in range(100):
        taken = [t for t in requests.get(f"{urls['ggk']}/_beheer/taken", timeout=5).json()
                 if t["soort"] == "doorsturen" and t["pogingen"] >= 1]
        if taken:
            break
        time.sleep(0.02)
    assert taken, "the GGk never tried RINIS"

    result = ketentest("herstart", "ggk", "--url", urls["ggk"])
    assert result.returncode == 0, result.stderr
    assert "ggk is opnieuw opgestart" in result.stdout and "1 open taak gevonden" in result.stdout
    assert "doorsturen" in result.stdout and "ConnectionError" in result.stdout

    assert ketentest("storing", "rinis", "--opheffen", "--url", urls["rinis"]).returncode == 0
    items = requests.get(f"{urls['ggk']}/api/v1/gemeenten/0344/downloads", params={"wacht": 15},
                         timeout=20).json()
    assert [i["correlatie"] for i in items][:1] == [referentie]
    bij_cbs = requests.get(f"{urls['cbs']}/api/v1/aanleveringen", timeout=5).json()
    assert [a["correlatie"] for a in bij_cbs] == [referentie]
