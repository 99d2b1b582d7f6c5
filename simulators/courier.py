"""Carries a party's messages to another party over HTTP, and journals both ways.

Connection errors, time-outs and 5xx answers without a StUF answer become
:class:`TransientError` (the task is tried again later); a 4xx or a Fo03 is an
answer, never retried. Each worker thread keeps its own kept-alive connections
(:mod:`simulators.wire`, urllib3 without `requests`: half the CPU per call).

On a TLS chain (``tls["pki"]``, docs/beveiliging.md) a party trusts the test CA and shows
the client certificate of the test CA for its organisation; the gemeente simulator, which
plays every gemeente, shows the certificate of the gemeente a call is made for.
"""

from __future__ import annotations

from . import stuf
from .store import Entry, Journal
from .tasks import TransientError
from .wire import Reply, Wire, WireError


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
        self._per_gemeente = self.tls.get("pki") == "gemeente" and not self.tls.get("cert")
        self._wire: Wire | None = None

    @property
    def wire(self) -> Wire:
        """Made on first use: the test CA's files exist once the chain has started."""
        if self._wire is None:
            ca, cert = self.tls.get("ca"), None
            if self.tls.get("cert"):
                key = self.tls.get("key")
                cert = (self.tls["cert"], key) if key else self.tls["cert"]
            elif self.tls.get("pki"):
                from . import pki

                ca = ca or str(pki.ca_bestand())
                if not self._per_gemeente:
                    cert = pki.client_files(self.tls["pki"])
            self._wire = Wire(user_agent=f"ketentest-{self.party}", ca=ca, cert=cert)
        return self._wire

    def request(self, method: str, url: str, *, gemeentecode: str | None = None,
                **kwargs) -> Reply:
        """One HTTP call; raises TransientError when the peer is unreachable or fails (5xx).
        ``gemeentecode``: the gemeente the call is made for (its certificate, on a TLS chain)."""
        kwargs.setdefault("timeout", self.timeout)
        if gemeentecode and self._per_gemeente:
            from . import pki

            kwargs["cert"] = pki.client_files(gemeentecode)
        try:
            response = self.wire.request(method, url, **kwargs)
        except WireError as exc:  # unreachable, too slow, or a cut-off answer: try again
            raise TransientError(str(exc)) from None
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


def _is_soap(response: Reply) -> bool:
    return "xml" in response.headers.get("Content-Type", "")
