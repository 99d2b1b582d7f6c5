"""Carries a party's messages to another party over HTTP, and journals both ways.

Connection errors, time-outs and 5xx answers without a StUF answer become
:class:`TransientError` (the task is tried again later); a 4xx or a Fo03 is an
answer, never retried. Each worker thread keeps its own keep-alive session.
"""

from __future__ import annotations

import threading

import requests

from . import stuf
from .store import Entry, Journal
from .tasks import TransientError


class Courier:
    def __init__(self, party: str, journal: Journal, timeout: float = 10.0,
                 tls: dict[str, str | None] | None = None) -> None:
        """``tls``: towards a partner's endpoint, ``ca`` (a CA bundle to trust) and ``cert``
        and ``key`` (a client certificate for mutual TLS), as in ``ketentest/targets.py``."""
        self.party = party
        self.journal = journal
        self.timeout = timeout
        self.tls = tls or {}
        self._local = threading.local()

    @property
    def session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.trust_env = False  # loopback partners: no proxy lookup on every call
            session.headers["User-Agent"] = f"ketentest-{self.party}"
            if self.tls.get("ca"):
                session.verify = self.tls["ca"]
            if self.tls.get("cert"):
                key = self.tls.get("key")
                session.cert = (self.tls["cert"], key) if key else self.tls["cert"]
        return session

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        """One HTTP call; raises TransientError when the peer is unreachable or fails (5xx)."""
        kwargs.setdefault("timeout", self.timeout)
        try:
            response = self.session.request(method, url, **kwargs)
        except (requests.ConnectionError, requests.Timeout,
                requests.exceptions.ChunkedEncodingError) as exc:  # a cut-off answer: try again
            raise TransientError(f"{method} {url}: {exc.__class__.__name__}") from None
        if response.status_code >= 500 and not _is_soap(response):
            raise TransientError(f"{method} {url}: HTTP {response.status_code}")
        return response

    def send_stuf(
        self,
        peer: str,
        url: str,
        message,
        *,
        correlatie: str | None = None,
        bestandsnaam: str | None = None,
    ) -> stuf.Antwoord:
        """Send a Di01, Du01 or Fo01 as SOAP; return the Bv03 or Fo03 that came back.

        The message is validated before it leaves: a simulator never sends an
        envelope the real schema rejects. The answer is validated on arrival.
        """
        stuf.require_valid(message)
        sg = stuf.read_stuurgegevens(message)
        body = stuf.wrap(message)
        self.journal.record(Entry(
            "uit", peer, sg.berichtcode, body, "text/xml", sg.berichtcode,
            sg.referentienummer, sg.crossRefnummer, bestandsnaam, correlatie))
        response = self.request("POST", url, data=body, headers={
            "Content-Type": stuf.CONTENT_TYPE, "SOAPAction": f'"{stuf.SOAP_ACTIONS[sg.berichtcode]}"'})
        try:
            answer_el = stuf.unwrap(response.content)
            stuf.require_valid(answer_el)
            answer = stuf.read_antwoord(answer_el)
        except (stuf.NotXmlError, stuf.UnsafeXmlError, stuf.StufError) as exc:
            raise TransientError(f"{peer} gaf geen geldig StUF-antwoord (HTTP "
                                 f"{response.status_code}): {exc}") from None
        asg = answer.stuurgegevens
        self.journal.record(Entry(
            "in", peer, asg.berichtcode, response.content, "text/xml", asg.berichtcode,
            asg.referentienummer, asg.crossRefnummer, bestandsnaam, correlatie))
        return answer


def _is_soap(response: requests.Response) -> bool:
    return "xml" in response.headers.get("Content-Type", "")
