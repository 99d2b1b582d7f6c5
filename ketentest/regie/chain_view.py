"""The regie's state: what it read from the parties, the deliveries built from it, the books.

:class:`ChainView` owns one :class:`~ketentest.regie.sources.PartySource` per party and turns
their journals into rows (:class:`~ketentest.regie.leveringen.Levering`), kept between
requests. A request calls :meth:`ChainView.snapshot`: when the last read is older than
``ttl`` seconds, every party is read again (in parallel, each only what is new in its
journal) and only the deliveries with new lines are built again. A request never waits
longer than ``wacht`` seconds for a slow party: its read goes on in the background and
counts from the next request; the page says the party lags.

No HTTP handling here: the Flask app (:mod:`ketentest.regie.app`) renders what
:class:`Snapshot` holds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ketentest.boekhouding import Boeken, boeken
from ketentest.journey import chain_order
from simulators.gmsd.gemeenten import gemeenten
from simulators.tijdlijn import Tijdlijn, TijdlijnError

from .index import DeliveryIndex, Line
from .leveringen import Extra, Levering, build_levering, read_fault, read_sender
from .sources import AFWEZIG, CBS_AANLEVERINGEN, MAPPEN, PartySource, TlsClient

__all__ = ["ChainView", "PartijStand", "Snapshot"]

OPNIEUW_NA = 10.0
"""Seconds before a listing that did not fill a gap is asked for again."""
RUST = 5.0
"""A listing is asked for again at the earliest this many times its last duration later."""
MAX_PAYLOADS = 50
"""Payloads read per party per refresh (fault texts, senders): the rest follows next time."""


@dataclass(frozen=True)
class PartijStand:
    """What the page says of one party: up or not (since when, on the regie's wall clock),
    the last clock it reported, whether its journal could be read."""

    naam: str
    label: str
    url: str
    bereikbaar: bool | None
    storing: str | None
    sinds: datetime | None
    klok: str | None
    journaal: str
    beheer: bool | None
    open_taken: int | None
    alarmen: int
    achter: bool = False
    """Its last read did not finish in time: what the page shows of it is older."""

    @property
    def melding(self) -> str | None:
        """``RINIS is niet bereikbaar sinds 10:42``: the time is the regie's wall clock."""
        if self.storing is None:
            return None
        sinds = f" sinds {self.sinds:%H:%M}" if self.sinds else ""
        return f"{self.label} {self.storing}{sinds}"


@dataclass(frozen=True)
class Snapshot:
    """Everything one page shows, as read at one moment."""

    partijen: tuple[PartijStand, ...]
    leveringen: tuple[Levering, ...]
    boeken: Boeken | None
    tijdlijn: Tijdlijn | None
    nu: datetime
    """The chain's clock (the GGk's, else the first party that reported one)."""
    bijgewerkt: datetime
    """The regie's wall clock at the read."""
    versie: str

    def levering(self, referentie: str) -> Levering | None:
        return next((lev for lev in self.leveringen if lev.referentie == referentie), None)


class ChainView:
    """The parties at ``urls`` (any subset of the chain), read incrementally and cached."""

    def __init__(self, urls: Mapping[str, str], ttl: float = 1.0, wacht: float = 3.0,
                 wall: Callable[[], datetime] = datetime.now, tls: TlsClient | None = None) -> None:
        self.sources = {naam: PartySource(naam, urls[naam], wall=wall, tls=tls) for naam in chain_order(urls)}
        self.ttl, self.wacht, self.wall = ttl, wacht, wall
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=max(2, len(self.sources)), thread_name_prefix="regie")
        self._jobs: dict[str, Future] = {}
        self._gelezen = float("-inf")
        self._namen = gemeenten()
        self._versie = 0
        self._snapshot: Snapshot | None = None
        self._status: tuple = ()
        self.duur: dict[str, float] = {}
        """Seconds each part of the last read took (reading the parties, building the rows,
        filling the gaps from listings and payloads, the books): for bench/regie.py."""
        self._reset()

    def _reset(self) -> None:
        self.index = DeliveryIndex()
        self.extra = Extra()
        self.rows: dict[str, Levering] = {}
        self._consumed: dict[str, tuple[int, int]] = {}
        self._dirty: set[str] = set()
        self._gevraagd: dict[tuple[str, str], tuple[float, frozenset]] = {}
        self._geprobeerd: set[tuple[str, int]] = set()
        self._wie_wacht: dict[tuple[str, int], set[str]] = {}  # payload -> the deliveries that need it
        self._verwerkt: set[tuple[str, int]] = set()
        self._boeken: Boeken | None = None
        self._boeken_stand: tuple = ()
        self._tijdlijn: tuple[Any, Tijdlijn | None] = (None, None)

    # --------------------------------------------------------------- the page's entry

    def snapshot(self, vers: bool = False) -> Snapshot:
        """What the parties show now, read again when the last read is older than ``ttl``."""
        with self._lock:
            if vers or self._snapshot is None or time.monotonic() - self._gelezen >= self.ttl:
                self._refresh()
                self._gelezen = time.monotonic()
            assert self._snapshot is not None
            return self._snapshot

    def lines_of(self, referentie: str) -> list[Line]:
        """Every journal line of one delivery (for its page: the journey and the messages)."""
        with self._lock:
            return self.index.lines_of(referentie)

    def warm(self) -> None:
        """Start the first read in the background (the first page then finds it done)."""
        threading.Thread(target=self.snapshot, name="regie-eerste-lezing", daemon=True).start()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        for source in self.sources.values():
            source.close()

    # ------------------------------------------------------------------- one read

    def _refresh(self) -> None:
        begin = time.perf_counter()
        deadline = time.monotonic() + self.wacht
        self._run({naam: source.refresh for naam, source in self.sources.items()}, deadline)
        gelezen = time.perf_counter()
        self._consume()
        self._build()
        opgebouwd = time.perf_counter()
        self._run(self._gaps(), deadline)
        self._fill()
        self._build()
        aangevuld = time.perf_counter()
        self._snapshot = self._make_snapshot()
        self.duur = {"lezen": gelezen - begin, "opbouwen": opgebouwd - gelezen,
                     "aanvullen": aangevuld - opgebouwd, "boeken": time.perf_counter() - aangevuld}

    def _run(self, jobs: Mapping[str, Callable[[], None]], deadline: float) -> None:
        """Start each party's job unless its previous one still runs; wait until ``deadline``."""
        for naam, job in jobs.items():
            if self._idle(naam):
                self._jobs[naam] = self._pool.submit(job)
        running = [self._jobs[n] for n in jobs if n in self._jobs]
        wait(running, timeout=max(0.0, deadline - time.monotonic()))

    def _idle(self, naam: str) -> bool:
        job = self._jobs.get(naam)
        return job is None or job.done()

    def _consume(self) -> None:
        """File the journal lines read since the last time; start over after a reset."""
        for naam, source in self.sources.items():
            if not self._idle(naam):
                continue
            generatie, regels = source.journal
            gezien, aantal = self._consumed.get(naam, (generatie, 0))
            if gezien != generatie:
                self._start_over()
                return
            for regel in regels[aantal:]:
                self._dirty |= self.index.add(naam, regel)
            self._consumed[naam] = (generatie, len(regels))

    def _start_over(self) -> None:
        """A party's journal was emptied (the references start again): build everything anew,
        and forget the listings, which speak of the old references."""
        self._reset()
        self._versie += 1
        for naam, source in self.sources.items():
            source.lijsten.clear()
            generatie, regels = source.journal
            for regel in regels:
                self._dirty |= self.index.add(naam, regel)
            self._consumed[naam] = (generatie, len(regels))

    def _build(self) -> None:
        if not self._dirty:
            return
        for referentie in self._dirty:
            self.rows[referentie] = build_levering(
                referentie, self.index.upload_of(referentie), self.index.lines_of(referentie), self.extra,
                self._namen)
        self._dirty = set()
        self._versie += 1

    # ------------------------------------------------------------ filling the gaps

    def _gaps(self) -> dict[str, Callable[[], None]]:
        """What the journals leave open and a party's read-only API can tell, per party."""
        jobs: dict[str, list[Callable[[], None]]] = {}
        rinis, cbs = (self.sources[n] if n in self.sources and self._idle(n) else None
                      for n in ("rinis", "cbs"))  # a party still being read is asked next time
        if rinis is not None:
            open_ = frozenset(lev.upload for lev in self.rows.values() if "bij_rinis" in lev.stappen
                              and not lev.fouten and lev.upload not in self.extra.inbox)
            if self._ask(rinis, MAPPEN, open_):
                jobs.setdefault("rinis", []).append(lambda: self._read_folders(rinis))
        if cbs is not None:
            open_ = frozenset(lev.referentie for lev in self.rows.values()
                              if "technisch_rapport" in lev.stappen and lev.oordeel is None)
            if self._ask(cbs, CBS_AANLEVERINGEN, open_):
                jobs.setdefault("cbs", []).append(lambda: cbs.listing(CBS_AANLEVERINGEN))
        wanted: dict[str, list[tuple[int, str]]] = {}
        for lev in self.rows.values():
            for partij, entry_id, url in lev.te_lezen:
                if not self._idle(partij):
                    continue
                sleutel = (partij, entry_id)
                self._wie_wacht.setdefault(sleutel, set()).add(lev.referentie)
                if sleutel not in self._geprobeerd and len(wanted.get(partij, ())) < MAX_PAYLOADS:
                    wanted.setdefault(partij, []).append((entry_id, url))
                    self._geprobeerd.add(sleutel)
        for partij, lijst in wanted.items():
            source = self.sources[partij]
            jobs.setdefault(partij, []).append(lambda s=source, w=lijst: s.read_payloads(w))
        return {naam: _in_turn(taken) for naam, taken in jobs.items()}

    def _ask(self, source: PartySource, path: str, open_: frozenset) -> bool:
        """Ask for a listing when there is a gap it may fill: for a new gap as soon as the last
        ask is :data:`RUST` times its duration ago (a whole listing costs the party: CBS's of
        1,200 deliveries takes it about a second), else now and then; never again from a
        party that does not have it."""
        if not open_ or source.lijsten.get(path) is AFWEZIG:
            return False
        vorige = self._gevraagd.get((source.naam, path))
        if vorige is not None:
            geleden = time.monotonic() - vorige[0]
            if geleden < RUST * source.lijstduur.get(path, 0.0):
                return False
            if vorige[1] >= open_ and geleden < OPNIEUW_NA:
                return False
        self._gevraagd[(source.naam, path)] = (time.monotonic(), open_)
        return True

    @staticmethod
    def _read_folders(rinis: PartySource) -> None:
        rinis.listing(MAPPEN)
        mappen = rinis.lijsten.get(MAPPEN)
        if isinstance(mappen, dict):
            for code, soort in mappen.items():
                if soort == "inbox":
                    rinis.listing(f"{MAPPEN}/{code}")

    def _fill(self) -> None:
        """Take what the listings and payloads said into :attr:`extra`; rows it changes are dirty."""
        rinis, cbs = self.sources.get("rinis"), self.sources.get("cbs")
        if rinis is not None and self._idle("rinis"):
            for path, lijst in rinis.lijsten.items():
                if path.startswith(MAPPEN + "/") and isinstance(lijst, list):
                    for item in lijst:
                        self._inbox(item)
        if cbs is not None and self._idle("cbs"):
            lijst = cbs.lijsten.get(CBS_AANLEVERINGEN)
            for aanlevering in lijst if isinstance(lijst, list) else ():
                self._verdicts(aanlevering)
        for naam, source in self.sources.items():
            if not self._idle(naam):
                continue
            for entry_id, payload in list(source.payloads.items()):
                if (naam, entry_id) not in self._verwerkt:
                    self._verwerkt.add((naam, entry_id))
                    if payload is not None:
                        self._payload(naam, entry_id, payload)

    def _inbox(self, item: Any) -> None:
        if not isinstance(item, dict) or str(item.get("naam", "")).endswith(".metagegevens.xml"):
            return
        upload = item.get("correlatie")
        if upload and self.extra.inbox.get(upload) != item:
            self.extra.inbox[upload] = item
            self._dirty |= {ref for ref in self.index.members(upload) if ref in self.rows}

    def _verdicts(self, aanlevering: Any) -> None:
        if not isinstance(aanlevering, dict):
            return
        upload, code = aanlevering.get("correlatie"), aanlevering.get("gemeentecode")
        if upload and code and upload not in self.extra.gemeentecodes:
            self.extra.gemeentecodes[upload] = code
        for rapport in aanlevering.get("rapporten") or ():
            referentie = rapport.get("ggk_referentie")
            if rapport.get("soort") != "TECHNISCH" or not referentie:
                continue
            if self.extra.oordelen.get(referentie) != rapport.get("oordeel"):
                self.extra.oordelen[referentie] = rapport.get("oordeel")
                self.extra.bestanden[referentie] = rapport.get("bestand")
                self._dirty.add(referentie)

    def _payload(self, partij: str, entry_id: int, payload: bytes) -> None:
        """A fault's text, or the sender of a metadata record (the gemeentecode)."""
        sleutel = (partij, entry_id)
        fout = read_fault(payload)
        if fout is not None:
            self.extra.teksten[sleutel] = fout
        for referentie in self._wie_wacht.pop(sleutel, ()):
            lev = self.rows.get(referentie)
            if lev is None:
                continue
            if fout is None and lev.gemeentecode is None:
                code = read_sender(payload)
                if code:
                    self.extra.gemeentecodes[lev.upload] = code
            self._dirty.add(referentie)

    # ------------------------------------------------------------------ the result

    def _make_snapshot(self) -> Snapshot:
        partijen = tuple(PartijStand(
            s.naam, s.label, s.url, s.bereikbaar, s.storing, s.sinds, s.klok, s.journaal, s.beheer,
            s.open_taken, len(s.alarmen), not self._idle(naam)) for naam, s in self.sources.items())
        status = tuple((p.bereikbaar, p.melding, (p.klok or "")[:16], p.journaal, p.open_taken, p.alarmen,
                        p.achter) for p in partijen)
        if status != self._status:
            self._status = status
            self._versie += 1
        return Snapshot(partijen, tuple(self.rows.values()), self._books(), self._timeline(), self._now(),
                        self.wall(), f"{id(self):x}-{self._versie}")

    def _books(self) -> Boeken | None:
        journalen = {naam: s.journal[1] for naam, s in self.sources.items() if s.journaal == "ja"}
        stand = tuple((naam, s.journal[0], len(s.journal[1]), s.open_taken, len(s.alarmen))
                      for naam, s in self.sources.items())
        if stand != self._boeken_stand:
            self._boeken_stand = stand
            taken = {naam: [{"status": "open"}] * (s.open_taken or 0) + s.alarmen
                     for naam, s in self.sources.items()}
            try:
                self._boeken = boeken(journalen, taken) if journalen else None
            except (KeyError, TypeError, AttributeError):  # a partner's journal with other fields
                self._boeken = None
        return self._boeken

    def _timeline(self) -> Tijdlijn | None:
        """The timeline the parties follow: the GGk's, else the first party's that has one."""
        data = next((self.sources[n].tijdlijn for n in ("ggk", "cbs", "rinis", "gemeente")
                     if n in self.sources and self.sources[n].tijdlijn), None)
        if data != self._tijdlijn[0]:
            try:
                self._tijdlijn = (data, Tijdlijn.from_json(data) if data else None)
            except (TijdlijnError, ValueError, KeyError):
                self._tijdlijn = (data, None)
        return self._tijdlijn[1]

    def _now(self) -> datetime:
        klokken = [self.sources[n].klok for n in ("ggk", "rinis", "cbs", "gemeente")
                   if n in self.sources and self.sources[n].klok]
        for klok in klokken:
            try:
                return datetime.fromisoformat(klok)
            except ValueError:
                continue
        return self.wall().astimezone()


def _in_turn(taken: list[Callable[[], None]]) -> Callable[[], None]:
    """One job that does ``taken`` one after the other (a party is read by one thread at a time)."""
    def job() -> None:
        for taak in taken:
            taak()
    return job
