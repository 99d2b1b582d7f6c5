"""Hostile XML at the StUF endpoints of RINIS and the GGk, over real HTTP: every one is
refused with a Fo03, fast, never stored, never read from disk or network, and the party
stays up."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import pytest
import requests

from simulators import stuf
from simulators.chain import Chain
from simulators.clock import SimulatedClock

MARKER = "KWAADAARDIG-7f3a"
ENVELOPE = ('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{}'
            "</soap:Body></soap:Envelope>")


def _with_doctype(doctype: str, body: str) -> bytes:
    return (f'<?xml version="1.0"?>\n{doctype}\n' + ENVELOPE.format(body)).encode()


HOSTILE = {
    "XXE met een lokaal bestand": _with_doctype(
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>', f"<a>&e;{MARKER}</a>"),
    "externe DTD": _with_doctype(
        '<!DOCTYPE x SYSTEM "http://127.0.0.1:9/kwaad.dtd">', f"<a>{MARKER}</a>"),
    "entiteitenbom": _with_doctype(
        '<!DOCTYPE x [<!ENTITY a "' + MARKER + '"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
        '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>',
        "<a>&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;</a>"),
    "diepe nesting": ENVELOPE.format("<a>" * 20_000 + MARKER + "</a>" * 20_000).encode(),
    "XInclude": ENVELOPE.format(
        f'<a xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/hostname"/>'
        f"{MARKER}</a>").encode(),
    "geen XML": f"{MARKER} <<<>>> &&&".encode(),
}


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    with Chain(tmp_path_factory.mktemp("vijandig"), SimulatedClock(datetime(2016, 8, 15, 9, 0))) as chain:
        yield chain


def _hostname() -> str | None:
    """This machine's /etc/hostname when it is distinctive enough to search an answer for."""
    path = Path("/etc/hostname")
    name = path.read_text(encoding="utf-8").strip() if path.exists() else ""
    return name if len(name) >= 6 else None


def _post(url: str, body: bytes) -> tuple[requests.Response, float]:
    start = time.monotonic()
    response = requests.post(f"{url}/stuf/ontvang", data=body, timeout=30, headers={
        "Content-Type": stuf.CONTENT_TYPE, "SOAPAction": f'"{stuf.SOAP_ACTIONS["Di01"]}"'})
    return response, time.monotonic() - start


@pytest.mark.parametrize("party", ["rinis", "ggk"])
@pytest.mark.parametrize("naam", list(HOSTILE))
def test_hostile_xml_is_refused_fast_and_never_stored(chain, party, naam):
    url = chain.urls[party]
    hostname = _hostname()
    response, seconds = _post(url, HOSTILE[naam])
    assert response.status_code == 500, response.text[:300]
    answer = stuf.read_antwoord(stuf.unwrap(response.content))
    assert answer.stuurgegevens.berichtcode == "Fo03"
    assert answer.fout.code in ("StUF055", "IB007"), answer.fout
    assert seconds < 2, f"{naam} took {seconds:.2f} s to refuse"
    if hostname:  # the XXE and XInclude variants point at /etc/hostname
        assert hostname.encode() not in response.content, "a local file leaked into the answer"
    journal = requests.get(f"{url}/journal", timeout=10).json()
    last_in = [e for e in journal if e["richting"] == "in"][-1]
    stored = requests.get(last_in["payload"], timeout=10).content
    assert MARKER.encode() not in stored and stored.startswith(b"niet bewaard: geweigerd met ")
    assert requests.get(f"{url}/health", timeout=5).status_code == 200, "the party is still up"


@pytest.mark.parametrize("party", ["rinis", "ggk"])
def test_a_message_over_25_mb_is_refused_with_ib007_and_not_stored(chain, party):
    body = ENVELOPE.format("<a>" + "x" * (stuf.MAX_MESSAGE_BYTES + 10) + "</a>").encode()
    response, seconds = _post(chain.urls[party], body)
    answer = stuf.read_antwoord(stuf.unwrap(response.content))
    assert (response.status_code, answer.fout.code) == (500, "IB007")
    journal = requests.get(f"{chain.urls[party]}/journal", timeout=10).json()
    last_in = [e for e in journal if e["richting"] == "in"][-1]
    stored = requests.get(last_in["payload"], timeout=10).content
    assert len(stored) < 200 and f"{len(body)} bytes".encode() in stored
