"""The chain as one: the four parties' drivers, and the control that spans them (clock,
timeline, reset, journals, waiting until idle, faults, restarts).

Waiting is always bounded and named: a step that waits says until when, and fails saying
what it saw (:class:`NoAnswerError`, with the wait and how to lengthen it: ``--wachttijd``).
``Keten`` keeps no per-scenario state: what a scenario began with is the ``marks`` fixture
(conftest.py).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import requests

from simulators.clock import AMSTERDAM

from .base import ChainError, NoAnswerError, PartyDriver, wachttijd
from .cbs import CbsDriver
from .gemeente import GemeenteDriver
from .ggk import GgkDriver
from .rinis import RinisDriver
from .tls import HARNESS, Certificates

DRIVERS: dict[str, type[PartyDriver]] = {
    driver.name: driver for driver in (GemeenteDriver, GgkDriver, RinisDriver, CbsDriver)}
POLL = 0.1
"""How often a wait asks a partner's endpoint again (its work cannot be awaited otherwise)."""
T = TypeVar("T")


@dataclass
class Keten:
    """The four parties of one chain, by URL; shared by all scenarios of a session."""

    urls: dict[str, str]
    session: requests.Session = field(default_factory=requests.Session, repr=False)
    timeout: float = field(default_factory=wachttijd)
    """How long a step waits for an answer (env KETENTEST_WACHTTIJD, ``run --wachttijd``)."""
    extern: frozenset[str] = frozenset()
    """Parties played by a partner's real endpoint: the harness only talks to them as a
    neighbour would (no reset, clock, journal or task list), and judges what it sees at its
    own, simulated parties."""
    stilte: float = field(default_factory=lambda: float(os.environ.get("KETENTEST_STILTE", "0.5")))
    """With a partner in the chain: how long the simulated parties must stay quiet before the
    chain counts as idle (the partner's own work cannot be seen); env KETENTEST_STILTE."""
    tls: Certificates | None = None
    """A TLS chain: the certificates the harness shows (per role it plays) and trusts."""
    drivers: dict[str, PartyDriver] = field(init=False, repr=False)
    _quiet: tuple[dict[str, int], float] | None = field(default=None, init=False, repr=False)
    """With a partner: the journal marks last seen unchanged over a wait, and since when."""

    def __post_init__(self) -> None:
        onbekend = sorted(set(self.urls) - set(DRIVERS))
        if onbekend:
            raise ChainError(f"onbekende partij {', '.join(onbekend)}; kies uit {', '.join(DRIVERS)}")
        self.drivers = {party: DRIVERS[party](url, self.session, self.timeout, self.tls)
                        for party, url in self.urls.items()}
        if self.extern:  # whatever the harness says to the partner may set it going again
            partner = tuple(self.urls[party].rstrip("/") + "/" for party in self.extern)

            def heard(response, *_args, **_kwargs) -> None:
                if response.url.startswith(partner):
                    self._quiet = None

            self.session.hooks["response"].append(heard)

    def __repr__(self) -> str:  # short: Allure prints step arguments with repr()
        return f"Keten({', '.join(self.urls)})"

    # --------------------------------------------------------------- parties

    def party(self, name: str) -> PartyDriver:
        """The driver of one party, by its name in chain order (gemeente, ggk, rinis, cbs)."""
        return self.drivers[name]

    @property
    def gemeente(self) -> GemeenteDriver:
        return self.drivers["gemeente"]

    @property
    def ggk(self) -> GgkDriver:
        return self.drivers["ggk"]

    @property
    def rinis(self) -> RinisDriver:
        return self.drivers["rinis"]

    @property
    def cbs(self) -> CbsDriver:
        return self.drivers["cbs"]

    @property
    def eigen(self) -> list[str]:
        """The simulated parties, in chain order: the ones the harness can steer and watch."""
        return [party for party in self.urls if party not in self.extern]

    # ------------------------------------------------------------------ clock

    def set_clock(self, moment: datetime, terug: bool = True) -> None:
        """Set every party's clock (parties sharing one clock are set once each: harmless).
        ``terug`` allows setting it back, as a new scenario does."""
        for party in self.eigen:
            self.drivers[party].set_clock(moment, terug)

    def clock(self) -> datetime:
        """The chain's time, as the first simulated party tells it."""
        return self.drivers[self.eigen[0]].clock()

    def advance_to(self, moment: datetime) -> None:
        """Move every party's clock forward to ``moment``, stopping at each moment some
        party has work due and letting the whole chain finish it before going on: so a
        report due on Tuesday reaches the gemeente before a reminder due on Wednesday."""
        self.wait_idle()
        now = self.clock().replace(tzinfo=None)
        if moment < now:
            raise ChainError(f"de klok kan niet terug: het is al {now:%d-%m-%Y %H:%M}")
        target = moment.replace(tzinfo=AMSTERDAM)
        while (due := self.next_due()) is not None and due <= target:
            self.set_clock(due.astimezone(AMSTERDAM).replace(tzinfo=None), terug=False)
            self.wait_idle()
        self.set_clock(moment, terug=False)
        self.wait_idle()

    def next_due(self) -> datetime | None:
        """The earliest moment any party has work waiting for (None: nothing waits)."""
        found = [due for party in self.eigen if (due := self.drivers[party].next_due()) is not None]
        return min(found) if found else None

    def apply_timeline(self, tijdlijn: dict) -> None:
        """Every simulated party follows this timeline (its JSON form)."""
        for party in self.eigen:
            self.drivers[party].apply_timeline(tijdlijn)

    # ---------------------------------------------------------------- journal

    def journal_marks(self) -> dict[str, int]:
        """The last journal id of each party: what came before a scenario."""
        return {party: self.drivers[party].journal_mark() for party in self.eigen}

    def reset(self) -> None:
        """Empty every simulated party's state so a scenario starts from nothing (a partner's
        endpoint keeps its state: steps judge what happened since the scenario began).

        Twice over: a send still running at one party when it is reset lands at a neighbour
        that may already be empty (RINIS finishing a report to the GGk, say). The first pass
        ends every such send and lifts every fault; the second empties what they left."""
        for _pass in range(2):
            for party in self.eigen:
                self.drivers[party].reset()

    def journal_since(self, marks: dict[str, int], inhoud: bool = False) -> dict[str, list[dict[str, Any]]]:
        """Every simulated party's journal after ``marks`` (the ``marks`` fixture: since the
        scenario began); with ``inhoud`` every entry carries its raw bytes (base64)."""
        return {party: self.drivers[party].journal(marks.get(party, 0), inhoud) for party in self.eigen}

    def payload(self, entry: dict, timeout: float | None = None) -> bytes:
        """The bytes of one journal entry's message, as they went over the wire."""
        tls = {} if self.tls is None else {"verify": self.tls.ca, "cert": self.tls.cert(HARNESS)}
        return self.session.get(entry["payload"], timeout=timeout or self.timeout + 5, **tls).content

    def tasks(self) -> dict[str, list[dict]]:
        """Every simulated party's task list."""
        return {party: self.drivers[party].tasks() for party in self.eigen}

    def wait_idle(self, seconds: float | None = None) -> None:
        """Wait until the whole chain is quiet (or fail, naming who is not).

        One pass in chain order is not enough: the return channel runs backwards (CBS's
        report makes work for RINIS after RINIS looked idle). So passes repeat until one
        finds every party idle and no journal grew during it.
        """
        limit = seconds or self.timeout
        deadline = time.monotonic() + limit
        before, seen = self.journal_marks(), time.monotonic()
        while True:
            if self.extern:  # the partner's work shows only as traffic at the simulated parties
                self._sleep_until_quiet(before, seen)
            for party in self.eigen:
                remaining = min(60.0, max(0.1, deadline - time.monotonic()))  # a party waits 60 s at most
                self.drivers[party].wait_idle(remaining, limit)
            after = self.journal_marks()
            if after == before:
                if self.extern:
                    self._quiet = self._quiet if self._quiet and self._quiet[0] == after else (after, seen)
                return
            if time.monotonic() > deadline:
                raise NoAnswerError("de keten werd niet rustig: de journalen van "
                                    f"{', '.join(p for p in after if after[p] != before.get(p))} groeiden nog",
                                    limit)
            before, seen = after, time.monotonic()

    def _sleep_until_quiet(self, marks: dict[str, int], seen: float) -> None:
        """Sleep until the simulated parties' journals have stood at ``marks`` for ``stilte``
        seconds. Quiet already seen counts: a wait that ended on these marks, with nothing
        said to the partner since, started the clock then (a step's wait and the one after
        the scenario cost one ``stilte``, not two)."""
        since = self._quiet[1] if self._quiet and self._quiet[0] == marks else seen
        rest = self.stilte - (time.monotonic() - since)
        if rest > 0:
            time.sleep(rest)

    def wait_for(self, probe: Callable[[], T], wat: str, seconds: float | None = None) -> T:
        """Ask ``probe`` until it gives something (a truthy value), at most ``seconds`` (the
        harness's wait); fail with :class:`NoAnswerError` naming ``wat``. Against simulated
        parties only, a chain that went quiet without it ends the wait: nothing more comes."""
        limit = seconds or self.timeout
        deadline = time.monotonic() + limit
        while True:
            found = probe()
            if found:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise NoAnswerError(wat, limit)
            if self.extern:
                time.sleep(min(POLL, remaining))
                continue
            self.wait_idle(max(0.1, remaining))
            found = probe()
            if found:
                return found
            raise NoAnswerError(f"{wat} (de keten werd rustig zonder dat het kwam)")

    # ------------------------------------------------------- faults, restarts

    def arm_fault(self, party: str, storing: dict | list[dict]) -> dict:
        """Arm one fault (or a list) at ``party``; the answer lists every fault armed there."""
        return self.drivers[party].arm_fault(storing)

    def clear_faults(self, party: str, pad: str | None = None) -> int:
        """Clear the faults at ``party`` (only those on ``pad``, when given); returns how many."""
        return self.drivers[party].clear_faults(pad)

    def faults(self, party: str) -> dict:
        """The faults armed at ``party`` and what they did (``voorvallen``)."""
        return self.drivers[party].faults()

    def restart(self, party: str) -> dict:
        """Restart ``party`` in place; the answer says which tasks it found open."""
        return self.drivers[party].restart()

    def set_courier_timeout(self, party: str, seconds: float) -> None:
        """How long ``party`` waits for its neighbours, until the next reset."""
        self.drivers[party].set_courier_timeout(seconds)

    # ------------------------------------- for callers outside steps/ (tests, bench)

    def url(self, party: str, path: str) -> str:
        """A raw URL of a party, for tests that probe its HTTP surface itself."""
        return self.drivers[party].url(path)

    def get(self, party: str, path: str, **kwargs) -> requests.Response:
        return self.drivers[party].get(path, **kwargs)

    def post(self, party: str, path: str, **kwargs) -> requests.Response:
        return self.drivers[party].post(path, **kwargs)

    def compose_and_deliver(self, gemeentecode: str, **spec) -> requests.Response:
        return self.gemeente.compose_and_deliver(gemeentecode, **spec)

    def downloads(self, gemeentecode: str, after: int = 0, wait: float = 0) -> list[dict]:
        return self.ggk.downloads(gemeentecode, after, wait)

    def wait_for_download(self, gemeentecode: str, after: int, predicate: Callable[[dict], bool],
                          what: str) -> dict:
        return self.ggk.wait_for_download(gemeentecode, after, predicate, what)

    def cbs_deliveries(self) -> list[dict]:
        return self.cbs.aanleveringen()

    def cbs_status(self, **filters: str) -> list[dict]:
        return self.cbs.status(**filters)
