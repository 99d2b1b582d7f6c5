"""Carries a party's messages to another party over HTTP, and journals both ways.

Connection errors, time-outs and 5xx answers without a StUF answer become
:class:`TransientError` (the task is tried again later); a 4xx or a Fo03 is an
answer, never retried. Each worker thread keeps its own keep-alive session.

On a TLS chain (``tls["pki"]``, docs/beveiliging.md) a party trusts the test CA and shows
the client certificate of the test CA for its organisation; the gemeente simulator, which
plays every gemeente, shows the certificate of the gemeente a call is made for.
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
        """``tls``: ``ca`` (a CA bundle to trust) and ``cert`` and ``key`` (a client certificate
        for mutual TLS), as in ``ketentest/targets.py``; or ``pki``: the organisation whose
        certificate of the test CA to show (``gemeente``: the gemeente of each call), trusting
        the test CA unless ``ca`` is given."""
        self.party = party
        self.journal = journal
        self.timeout = timeout
        self.tls = tls or {}
        self._local = threading.local()
        self._per_gemeente = self.tls.get("pki") == "gemeente" and not self.tls.get("cert")

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
            elif self.tls.get("pki"):
                from . import pki

                session.verify = self.tls.get("ca") or str(pki.ca_bestand())
                if not self._per_gemeente:
                    session.cert = pki.client_files(self.tls["pki"])
        return session

    def request(self, method: str, url: str, *, gemeentecode: str | None = None,
                **kwargs) -> requests.Response:
        """One HTTP call; raises TransientError when the peer is unreachable or fails (5xx).
        ``gemeentecode``: the gemeente the call is made for (its certificate, on a TLS chain)."""
        kwargs.setdefault("timeout", self.timeout)
        if gemeentecode and self._per_gemeente:
            from . import pki

            kwargs["cert"] = pki.client_files(gemeentecode)
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
