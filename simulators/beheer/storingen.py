"""Fault injection: a party that misbehaves as a receiver, when the harness asks it to.

Every party's app is wrapped in :meth:`Storingen.middleware`, a WSGI layer in front of
Flask. ``PUT /_beheer/storing`` arms a fault (``Storing``); a request whose path starts
with the fault's ``pad`` then meets the fault instead of (or besides) the party:

==============  =============================================================================
``503``/``500``  answered at once with that HTTP status and a JSON body; nothing processed
``traag``        answered normally, ``seconden`` late
``hangen``       no answer for ``seconden`` (default 30: past the courier's time-out), then
                 the connection is closed; nothing processed
``reset_voor``   the connection is closed without an answer; nothing processed
``reset_na``     the party processes the request fully (its state changes, its Bv03 is
                 stored), then the connection is closed without the answer: the ambiguous
                 acknowledgement
``afgekapt``     processed fully; the answer announces its whole length but stops halfway
``fo03``         a StUF message is refused with a Fo03 (``code``, default StUF058) in a SOAP
                 fault, as a receiving party answers synchronously; nothing processed. Only
                 SOAP requests meet it: others pass untouched and use up no count
``fo01``         a StUF message reaches the party with ``environ["ketentest.fo01"]`` set to
                 ``code`` (default StUF058): the party's receiver answers Bv03 and refuses the
                 message later with a Fo01 of that code. Only SOAP requests meet it, as fo03
``plat``         down: every matching request is closed without an answer, the nearest a
                 running server gets to "connection refused"; ``duur`` ends it by itself
==============  =============================================================================

``aantal`` limits a fault to the next N matching requests (default: until cleared);
``duur`` to that many seconds of wall time (the simulated clock stands still between
steps, so it cannot measure an outage). The first armed fault that matches a request
acts; a used-up or expired fault disappears. ``DELETE /_beheer/storing`` clears them all
(and ends any wait of ``traag``/``hangen`` at once); ``POST /_beheer/reset`` also forgets
what they did.

The harness's own paths, ``/_beheer`` and ``/journal``, are never faulted: a scenario must
be able to steer and watch a party that is "down". A faulted request never reaches the
party, so the party's journal does not show it (the sender's journal shows every attempt);
only a ``fo03`` is journalled, as a refusal by the party is (message in, Fo03 out), so the
chain's books (``ketentest/boekhouding.py``) count it refused, not lost. ``GET
/_beheer/storing`` lists what each fault did (``voorvallen``).

Faults live in memory, not in the party's store: they describe the running process, not
its data. A restarted party (``POST /_beheer/herstart``, or ``Chain.stop_party``/
``start_party``) starts without faults, as a real restart cures a hung or half-broken
server; and a fault must act before the party touches its store, which may be the very
thing being tested. The middleware is installed once per app and asks the app for its
current party's faults on every request (:meth:`Storingen.handle`), so a restart, which
puts a new party in place, also puts its faults in place.

Closing a connection without an answer needs the server's help: a WSGI app cannot reach
its socket. The middleware raises waitress's ``ClientDisconnected``, on which waitress
closes the connection without writing a byte (when nothing was written yet): the caller
sees ``requests.ConnectionError`` (``RemoteDisconnected``). A cut-off answer uses
waitress's rule that an answer shorter than its ``Content-Length`` closes the connection:
the caller sees ``requests.exceptions.ChunkedEncodingError`` (``IncompleteRead``). Both are
tested in ``tests/test_storingen.py``; under another server they degrade to a 500.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from waitress.channel import ClientDisconnected

from .. import stuf
from ..clock import Clock
from ..store import Entry, Journal
from ..stuf.faults import FOUTCODE, STUF_OMSCHRIJVING

__all__ = ["FO01_SLEUTEL", "SOORTEN", "VRIJ", "Storing", "StoringError", "Storingen", "ConnectionCutError"]

SOORTEN = ("503", "500", "traag", "hangen", "reset_voor", "reset_na", "afgekapt", "fo03", "fo01", "plat")
STUF_SOORTEN = ("fo03", "fo01")
"""Faults that only SOAP requests meet; they carry a foutcode (``code``)."""
FO01_SLEUTEL = "ketentest.fo01"
"""The WSGI environ key a ``fo01`` fault sets to its foutcode before the party sees the request."""
VRIJ = ("/_beheer", "/journal")
"""Paths that are never faulted: the harness steers and watches the parties through them."""

STANDAARD_SECONDEN = {"traag": 2.0, "hangen": 30.0}
MAX_SECONDEN = 300.0
VELDEN = {"soort", "pad", "aantal", "seconden", "code", "duur"}
WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


class StoringError(ValueError):
    """A fault that cannot be armed as described (the view answers 400 with this text)."""


class ConnectionCutError(ClientDisconnected):
    """Raised to make waitress close the connection without an answer."""


@dataclass(eq=False)
class Storing:
    """One armed fault: what it does, to which requests, how often, how long."""

    id: int
    soort: str
    pad: str | None = None
    aantal: int | None = None
    seconden: float | None = None
    code: str | None = None
    duur: float | None = None
    resterend: int | None = None
    geraakt: int = 0
    tot: float | None = field(default=None, repr=False)  # time.monotonic() deadline of ``duur``
    opgeheven: threading.Event = field(default_factory=threading.Event, repr=False)

    @classmethod
    def from_json(cls, storing_id: int, data: Any) -> Storing:
        """Read and check one fault as ``PUT /_beheer/storing`` takes it."""
        if not isinstance(data, dict):
            raise StoringError("geef een storing als JSON-object, bijvoorbeeld {\"soort\": \"503\"}")
        onbekend = sorted(set(data) - VELDEN)
        if onbekend:
            raise StoringError(f"onbekende velden {onbekend}; een storing heeft {sorted(VELDEN)}")
        soort = str(data.get("soort", ""))
        if soort not in SOORTEN:
            raise StoringError(f"soort '{soort}' is onbekend; kies uit {', '.join(SOORTEN)}")
        pad = data.get("pad")
        if pad is not None:
            if not isinstance(pad, str) or not pad.startswith("/"):
                raise StoringError("pad is het begin van een adres, bijvoorbeeld \"/stuf/ontvang\"")
            if _vrij(pad):
                raise StoringError(f"{' en '.join(VRIJ)} worden nooit verstoord: de harness stuurt "
                                  "en bekijkt de partij daarlangs")
        aantal = data.get("aantal")
        if aantal is not None and (isinstance(aantal, bool) or not isinstance(aantal, int) or aantal < 1):
            raise StoringError("aantal is een geheel getal van 1 of meer (weglaten: tot opheffen)")
        seconden = _getal(data, "seconden")
        if seconden is not None and soort not in STANDAARD_SECONDEN:
            raise StoringError("seconden geldt alleen voor traag en hangen; een storing beperkt "
                              "in tijd krijgt 'duur'")
        if soort in STANDAARD_SECONDEN and seconden is None:
            seconden = STANDAARD_SECONDEN[soort]
        code = data.get("code")
        if code is not None and soort not in STUF_SOORTEN:
            raise StoringError("code geldt alleen voor fo03 en fo01")
        if soort in STUF_SOORTEN:
            code = "StUF058" if code is None else str(code)
            if not FOUTCODE.fullmatch(code):
                raise StoringError(f"'{code}' is geen foutcode als StUF058")
        duur = _getal(data, "duur", maximum=3600.0)
        return cls(storing_id, soort, pad, aantal, seconden, code, duur, resterend=aantal,
                   tot=None if duur is None else time.monotonic() + duur)

    def past(self, path: str, environ: dict) -> bool:
        if self.pad is not None and not path.startswith(self.pad):
            return False
        return self.soort not in STUF_SOORTEN or _is_soap(environ)

    def verlopen(self, now: float) -> bool:
        return self.tot is not None and now >= self.tot

    def to_json(self, now: float) -> dict[str, Any]:
        return {"id": self.id, "soort": self.soort, "pad": self.pad, "aantal": self.aantal,
                "resterend": self.resterend, "seconden": self.seconden, "code": self.code,
                "duur": self.duur, "nog_seconden": None if self.tot is None
                else round(max(0.0, self.tot - now), 3), "geraakt": self.geraakt}


def _getal(data: dict, naam: str, maximum: float = MAX_SECONDEN) -> float | None:
    value = data.get(naam)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= maximum:
        raise StoringError(f"{naam} is een aantal seconden groter dan 0 en ten hoogste {maximum:g}")
    return float(value)


def _vrij(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in VRIJ)


def _is_soap(environ: dict) -> bool:
    return (environ.get("REQUEST_METHOD") == "POST"
            and ("xml" in environ.get("CONTENT_TYPE", "") or "HTTP_SOAPACTION" in environ))


class Storingen:
    """The faults armed in one party, and the WSGI middleware that acts them out."""

    def __init__(self, party: str, clock: Clock, journal: Journal | None = None,
                 peer: Callable[[], str] | None = None) -> None:
        """``journal`` and ``peer`` (who sends this party StUF) let a ``fo03`` be journalled
        as the party's own refusal is: the message in, the Fo03 out."""
        self.party = party
        self.clock = clock
        self.journal = journal
        self.peer = peer or (lambda: "onbekend")
        self._lock = threading.Lock()
        self._armed: list[Storing] = []
        self._waiting: set[Storing] = set()  # used up, but still acting out a wait
        self._ids = count(1)
        self._voorvallen: deque[dict[str, Any]] = deque(maxlen=200)

    # ------------------------------------------------------------ control API

    def arm(self, data: Any) -> list[Storing]:
        """Arm one fault (a JSON object) or several (a list); all checked before any is armed."""
        items = data if isinstance(data, list) else [data]
        if not items:
            raise StoringError("geef ten minste één storing")
        with self._lock:
            made = [Storing.from_json(next(self._ids), item) for item in items]
            self._armed.extend(made)
        return made

    def clear(self, storing_id: int | None = None) -> int:
        """Clear every fault (or one); a running wait ends at once. Returns how many were armed."""
        with self._lock:
            gone = [s for s in self._armed if storing_id is None or s.id == storing_id]
            self._armed = [s for s in self._armed if s not in gone]
            for storing in gone + [s for s in self._waiting if storing_id in (None, s.id)]:
                storing.opgeheven.set()
        return len(gone)

    def reset(self) -> None:
        """Clear every fault and forget what they did (a party's reset between scenarios)."""
        self.clear()
        with self._lock:
            self._voorvallen.clear()

    def listing(self) -> dict[str, Any]:
        """The armed faults with what is left of them, and what the faults did (newest last)."""
        now = time.monotonic()
        with self._lock:
            self._armed = [s for s in self._armed if not s.verlopen(now)]
            return {"partij": self.party, "storingen": [s.to_json(now) for s in self._armed],
                    "voorvallen": list(self._voorvallen)}

    def take(self, environ: dict) -> Storing | None:
        """The fault this request meets, its count taken; None: the request passes."""
        path = environ.get("PATH_INFO", "") or "/"
        if _vrij(path):
            return None
        now = time.monotonic()
        with self._lock:
            if not self._armed:
                return None
            self._armed = [s for s in self._armed if not s.verlopen(now)]
            storing = next((s for s in self._armed if s.past(path, environ)), None)
            if storing is None:
                return None
            storing.geraakt += 1
            if storing.resterend is not None:
                storing.resterend -= 1
                if storing.resterend == 0:
                    self._armed.remove(storing)
            self._voorvallen.append({"storing": storing.id, "soort": storing.soort,
                                     "methode": environ.get("REQUEST_METHOD"), "pad": path,
                                     "klok": self.clock.now().isoformat()})
        return storing

    # ------------------------------------------------------------- middleware

    def middleware(self, app: WSGIApp) -> WSGIApp:
        """``app`` behind these faults, for good (a party's app uses :meth:`handle` instead,
        so that a restart can put another party's faults in front of it)."""
        return lambda environ, start_response: self.handle(app, environ, start_response)

    def handle(self, app: WSGIApp, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """One request to ``app``, through the fault it meets, if any."""
        storing = self.take(environ)
        if storing is None:
            return app(environ, start_response)
        return self._act(storing, app, environ, start_response)

    def _act(self, storing: Storing, app: WSGIApp, environ: dict, start_response) -> Iterable[bytes]:
        soort = storing.soort
        if soort in ("503", "500"):
            return self._http_error(int(soort), start_response)
        if soort == "fo03":
            return self._fo03(storing.code or "StUF058", environ, start_response)
        if soort == "fo01":  # the party itself answers Bv03 and sends the Fo01 later
            environ[FO01_SLEUTEL] = storing.code or "StUF058"
            return app(environ, start_response)
        if soort in ("plat", "reset_voor"):
            raise ConnectionCutError(f"{self.party}: storing {soort}")
        if soort in ("traag", "hangen"):
            self._wait(storing)
            if soort == "hangen":
                raise ConnectionCutError(f"{self.party}: storing hangen, na {storing.seconden} s")
            return app(environ, start_response)
        status, headers, body = _run(app, environ)
        if soort == "reset_na":
            raise ConnectionCutError(f"{self.party}: storing reset_na, verwerkt met {status}")
        # afgekapt: announce the whole answer, send half of it; waitress then closes
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        start_response(status, headers + [("Content-Length", str(max(len(body), 1)))])
        return [body[: len(body) // 2]]

    def _wait(self, storing: Storing) -> None:
        with self._lock:
            self._waiting.add(storing)
        try:
            storing.opgeheven.wait(storing.seconden)
        finally:
            with self._lock:
                self._waiting.discard(storing)

    def _http_error(self, status: int, start_response) -> list[bytes]:
        tekst = {503: "Service Unavailable", 500: "Internal Server Error"}[status]
        body = json.dumps({"fout": tekst, "melding": f"{self.party} heeft een storing (gesimuleerd, "
                           f"HTTP {status}); niets is verwerkt"}, ensure_ascii=False).encode()
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        if status == 503:
            headers.append(("Retry-After", "1"))
        start_response(f"{status} {tekst}", headers)
        return [body]

    def _fo03(self, code: str, environ: dict, start_response) -> list[bytes]:
        """A Fo03 in a SOAP fault answering the message, as :class:`~simulators.receiver.Receiver`
        answers a refusal (HTTP 500)."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        if code in STUF_OMSCHRIJVING:
            fault = stuf.stuf_error(code, f"gesimuleerde storing bij {self.party}")
        else:
            fault = stuf.StufError(code, f"Gesimuleerde weigering door {self.party}", "server")
        sg, fo03 = self._fo03_element(body, fault)
        payload = stuf.wrap_fault(fo03, fault.foutbericht.omschrijving, fault.foutbericht.plek)
        if self.journal is not None:  # received and refused, as the party's Receiver journals it
            peer = self.peer()
            self.journal.record(Entry("in", peer, sg.berichtcode or "onleesbaar", body, "text/xml",
                                      sg.berichtcode or None, sg.referentienummer or None,
                                      sg.crossRefnummer))
            self.journal.record(Entry("uit", peer, "Fo03", payload, "text/xml", "Fo03", None,
                                      sg.referentienummer or None))
        start_response("500 Internal Server Error", [("Content-Type", stuf.CONTENT_TYPE),
                                                     ("Content-Length", str(len(payload)))])
        return [payload]

    def _fo03_element(self, body: bytes, fault: stuf.StufError) -> tuple[stuf.Stuurgegevens, Any]:
        anoniem = stuf.Stuurgegevens("", stuf.Systeem("onbekend", "onbekend"),
                                     stuf.Systeem(self.party.upper(), self.party.upper()), "", "")
        try:
            sg = stuf.read_stuurgegevens(stuf.unwrap(body))
        except (stuf.NotXmlError, stuf.UnsafeXmlError, stuf.StufError):
            sg = anoniem
        for gegeven in (sg, anoniem):
            fo03 = stuf.build_antwoord("Fo03", stuf.Stuurgegevens(
                "Fo03", _kort(gegeven.ontvanger), _kort(gegeven.zender), stuf.new_referentienummer(),
                self.clock.stuf_tijdstip(), crossRefnummer=gegeven.referentienummer[:40] or "onbekend"),
                fault.foutbericht)
            if not stuf.schema_errors(fo03):
                break
        return sg, fo03


def _run(app: WSGIApp, environ: dict) -> tuple[str, list[tuple[str, str]], bytes]:
    """Let ``app`` answer in full (so it does all its work) and keep the answer here."""
    answer: dict[str, Any] = {}
    written: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info=None):
        answer["status"], answer["headers"] = status, list(headers)
        return written.append

    result = app(environ, start_response)
    try:
        chunks = [bytes(chunk) for chunk in result]
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return answer.get("status", "500 Internal Server Error"), answer.get("headers", []), b"".join(
        written + chunks)


def _kort(systeem: stuf.Systeem) -> stuf.Systeem:
    """A zender/ontvanger fit for an answer: present, within the schema's lengths."""
    applicatie = systeem.applicatie if 3 <= len(systeem.applicatie or "") <= 50 else "onbekend"
    return stuf.Systeem((systeem.organisatie or "onbekend")[:200], applicatie,
                        systeem.administratie[:50] if systeem.administratie else None,
                        systeem.gebruiker[:100] if systeem.gebruiker else None)
