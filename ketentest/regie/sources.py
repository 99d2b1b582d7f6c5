"""One party as the regie sees it over HTTP: health and clock, journal, alarms, timeline.

A :class:`PartySource` remembers what it read between the page's requests. The journal is
read incrementally: ``GET /journal?na=<id>`` from one before the last line read, so the
answer starts with that line again when the journal is as it was. When it does not (the
harness emptied the party between scenarios, or a new party took its place), the journal is
read again from the start and :attr:`PartySource.journal` gets a new generation.

Every read is guarded: a party that is down, hangs or answers garbage is named in
:attr:`PartySource.storing` with the regie's wall-clock time it started (the party cannot
say), and what was read before stays. A partner's endpoint may have no ``/journal`` or no
``/_beheer``: that is recorded, not an error.

Each source is refreshed by one thread at a time (the regie's :class:`ChainView` sees to
that), so its state needs no lock; the journal's generation and lines are swapped as one
tuple, so a reader never pairs the lines of one generation with the number of another.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import requests

from ketentest.targets import Tls

from .leveringen import PARTIJNAMEN

__all__ = ["ALARMEN", "CBS_AANLEVERINGEN", "HEALTH", "JOURNAL", "MAPPEN", "TIJDLIJN", "PartySource",
           "UnreadableError"]

HEALTH = "/health"
JOURNAL = "/journal"
TIJDLIJN = "/_beheer/tijdlijn"
ALARMEN = "/_beheer/alarmen"
MAPPEN = "/mappen"
CBS_AANLEVERINGEN = "/api/v1/aanleveringen"

TlsClient = tuple[str, tuple[str, str]]
"""On a TLS chain: (CA bundle to trust, (certificate file, key file) to show)."""

AFWEZIG = object()
"""What :meth:`PartySource.get_json` gives for a path the party does not have (HTTP 404)."""


class UnreadableError(ValueError):
    """A party answered, but not with what the path promises (no JSON, wrong shape, HTTP 5xx)."""


class PartySource:
    """What the regie knows of one party, and how it reads more."""

    def __init__(self, naam: str, url: str, timeout: float = 5.0,
                 wall: Callable[[], datetime] = datetime.now, tls: TlsClient | None = None) -> None:
        self.naam = naam
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.wall = wall
        self.session = requests.Session()
        if tls is not None:  # a TLS chain: the harness's own certificate (docs/beveiliging.md)
            ca, (cert, key) = tls
            Tls(ca, cert, key).apply(self.session)  # REQUESTS_CA_BUNDLE must not win over the test CA
        self.journal: tuple[int, list[dict[str, Any]]] = (0, [])
        """(generation, lines read so far); a new generation when the journal was emptied."""
        self.journaal = "onbekend"  # ja | geen (no /journal) | onleesbaar
        self.bereikbaar: bool | None = None
        self.storing: str | None = None
        self.sinds: datetime | None = None
        self.health: dict[str, Any] = {}
        self.klok: str | None = None
        self.beheer: bool | None = None  # has a control API (/_beheer): a simulated party
        self.tijdlijn: dict[str, Any] | None = None
        self.alarmen: list[dict[str, Any]] = []
        self.payloads: dict[int, bytes | None] = {}
        self.lijsten: dict[str, Any] = {}
        """Read-only listings asked for by path (RINIS's folders, CBS's deliveries)."""
        self.lijstduur: dict[str, float] = {}

    @property
    def label(self) -> str:
        return PARTIJNAMEN.get(self.naam, self.naam)

    @property
    def open_taken(self) -> int | None:
        value = self.health.get("open_taken")
        return value if isinstance(value, int) else None

    def __repr__(self) -> str:
        return f"PartySource({self.naam}, {self.url})"

    # ------------------------------------------------------------------ reading

    def refresh(self) -> None:
        """Health first (it decides what the page says of the party), then the journal,
        alarms and timeline: each on its own, so one that fails leaves the others."""
        self._health()
        self._read_journal()
        if self.beheer is not False:
            self._beheer()

    def _health(self) -> None:
        try:
            response = self.session.get(self.url + HEALTH, timeout=(1.0, self.timeout))
        except requests.RequestException:
            self._down("is niet bereikbaar")
            return
        if response.status_code == 404:  # a partner without /health: it answers, that is all we know
            self._up({})
            return
        if response.status_code >= 500:
            self._down(f"antwoordt met HTTP {response.status_code}")
            return
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            self._down("geeft een onleesbaar antwoord")
            return
        self._up(data)

    def _up(self, data: dict[str, Any]) -> None:
        self.bereikbaar, self.storing, self.sinds, self.health = True, None, None, data
        if isinstance(data.get("klok"), str):
            self.klok = data["klok"]

    def _down(self, wat: str) -> None:
        if self.storing != wat:
            self.sinds = self.wall()
        self.bereikbaar, self.storing = False, wat

    def _read_journal(self) -> None:
        generatie, regels = self.journal
        laatste = regels[-1] if regels else None
        try:
            nieuw = self._journal_since(int(laatste["id"]) - 1 if laatste else 0)
            if laatste is not None:
                if nieuw and nieuw[0].get("id") == laatste["id"] and _zelfde(nieuw[0], laatste):
                    nieuw = nieuw[1:]
                else:  # emptied (a reset) or another journal altogether: read it all again
                    self.payloads.clear()
                    self.journal = (generatie + 1, self._journal_since(0))
                    self.journaal = "ja"
                    return
        except _Absent:
            self.journaal = "geen"
            return
        except (requests.RequestException, UnreadableError):
            self.journaal = "onleesbaar"
            return
        regels.extend(nieuw)
        self.journaal = "ja"

    def _journal_since(self, na: int) -> list[dict[str, Any]]:
        data = self.get_json(JOURNAL, params={"na": na}, timeout=max(self.timeout, 30.0))
        if data is AFWEZIG:
            raise _Absent
        if not isinstance(data, list) or not all(isinstance(r, dict) and "id" in r for r in data):
            raise UnreadableError(f"{self.label}: /journal gaf geen lijst van journaalregels")
        return data

    def _beheer(self) -> None:
        try:
            tijdlijn = self.get_json(TIJDLIJN)
            self.beheer = tijdlijn is not AFWEZIG
            if not self.beheer:
                return
            self.tijdlijn = tijdlijn if isinstance(tijdlijn, dict) else None
            alarmen = self.get_json(ALARMEN)
            self.alarmen = alarmen if isinstance(alarmen, list) else []
        except (requests.RequestException, UnreadableError):
            pass  # the health line says what is wrong with the party

    def get_json(self, path: str, params: dict[str, Any] | None = None, timeout: float | None = None) -> Any:
        """The JSON at ``path``; :data:`AFWEZIG` for a 404; raises ``requests.RequestException``
        or :class:`UnreadableError`."""
        response = self.session.get(self.url + path, params=params, timeout=(1.0, timeout or self.timeout))
        if response.status_code == 404:
            return AFWEZIG
        if response.status_code >= 400:
            raise UnreadableError(f"{self.label}: {path} gaf HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError:
            raise UnreadableError(f"{self.label}: {path} gaf geen JSON") from None

    def listing(self, path: str) -> None:
        """Read a read-only listing into :attr:`lijsten` (absent: :data:`AFWEZIG`), and how
        long the party took (:attr:`lijstduur`: a costly listing is asked for less often)."""
        begin = time.monotonic()
        try:
            self.lijsten[path] = self.get_json(path)
        except (requests.RequestException, UnreadableError):
            self.lijsten.pop(path, None)
        self.lijstduur[path] = time.monotonic() - begin

    def read_payloads(self, wanted: list[tuple[int, str]]) -> None:
        """Fetch these journal lines' payloads (id, URL) into :attr:`payloads` (None: unreadable)."""
        for entry_id, url in wanted:
            try:
                response = self.session.get(url, timeout=(1.0, self.timeout))
                self.payloads[entry_id] = response.content if response.status_code == 200 else None
            except requests.RequestException:
                return  # try again next time

    def close(self) -> None:
        self.session.close()


class _Absent(Exception):
    """The party has no such path."""


def _zelfde(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """The same journal line (a new party may have a line with the same id)."""
    return all(a.get(k) == b.get(k) for k in ("tijdstip", "richting", "soort", "referentienummer"))
