"""HTTP drivers: what a step may ask of a party, in domain words.

A driver knows URLs and endpoints; a step knows the business. Waiting is always
bounded and named: a step that waits says until when, and fails saying what it saw.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import requests

from simulators.clock import AMSTERDAM


class ChainError(AssertionError):
    """A party answered something a scenario did not expect."""


@dataclass
class Keten:
    """The four parties of one chain, by URL; shared by all scenarios of a session."""

    urls: dict[str, str]
    session: requests.Session = field(default_factory=requests.Session, repr=False)
    timeout: float = 10.0
    marks: dict[str, int] = field(default_factory=dict)
    """Each party's last journal id before the running scenario began."""
    extern: frozenset[str] = frozenset()
    """Parties played by a partner's real endpoint: the harness only talks to them as a
    neighbour would (no reset, clock, journal or task list), and judges what it sees at its
    own, simulated parties."""
    stilte: float = field(default_factory=lambda: float(os.environ.get("KETENTEST_STILTE", "0.5")))
    """With a partner in the chain: how long the simulated parties must stay quiet before the
    chain counts as idle (the partner's own work cannot be seen); env KETENTEST_STILTE."""

    @property
    def eigen(self) -> list[str]:
        """The simulated parties, in chain order: the ones the harness can steer and watch."""
        return [party for party in self.urls if party not in self.extern]

    def __repr__(self) -> str:  # short: Allure prints step arguments with repr()
        return f"Keten({', '.join(self.urls)})"

    def url(self, party: str, path: str) -> str:
        return self.urls[party].rstrip("/") + path

    def get(self, party: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout + 5)
        return self.session.get(self.url(party, path), **kwargs)

    def post(self, party: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout + 5)
        return self.session.post(self.url(party, path), **kwargs)

    # ------------------------------------------------------------------ clock

    def set_clock(self, moment: datetime, terug: bool = True) -> None:
        """Set every party's clock (parties sharing one clock are set once each: harmless).
        ``terug`` allows setting it back, as a new scenario does."""
        for party in self.eigen:
            response = self.session.put(self.url(party, "/_beheer/klok"),
                                        json={"klok": moment.isoformat(), "opnieuw": terug},
                                        timeout=self.timeout)
            if response.status_code != 200:
                raise ChainError(f"klok van {party} niet gezet: {response.text}")

    def clock(self) -> datetime:
        """The chain's time, as the first simulated party tells it."""
        party = self.eigen[0]
        return datetime.fromisoformat(self.get(party, "/_beheer/klok").json()["klok"])

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
        found = []
        for party in self.eigen:
            response = self.get(party, "/_beheer/taken/later")
            if response.status_code == 200 and response.json():
                found.append(datetime.fromisoformat(response.json()[0]["niet_voor"]))
        return min(found) if found else None

    def apply_timeline(self, tijdlijn: dict) -> None:
        """Every simulated party follows this timeline (its JSON form)."""
        for party in self.eigen:
            response = self.session.put(self.url(party, "/_beheer/tijdlijn"), json=tijdlijn,
                                        timeout=self.timeout)
            if response.status_code != 200:
                raise ChainError(f"{party} nam de tijdlijn niet aan: {response.text[:300]}")

    # ---------------------------------------------------------------- journal

    def journal_marks(self) -> dict[str, int]:
        """The last journal id of each party: what came before a scenario."""
        return {party: self.get(party, "/journal/stand").json()["laatste"] for party in self.eigen}

    def reset(self) -> None:
        """Empty every simulated party's state so a scenario starts from nothing (a partner's
        endpoint keeps its state: steps judge what happened since the scenario began).

        Twice over: a send still running at one party when it is reset lands at a neighbour
        that may already be empty (RINIS finishing a report to the GGk, say). The first pass
        ends every such send and lifts every fault; the second empties what they left."""
        for _pass in range(2):
            for party in self.eigen:
                response = self.post(party, "/_beheer/reset")
                if response.status_code != 200:
                    raise ChainError(f"{party} kon niet worden leeggemaakt: {response.text[:300]}")

    def journal_since(self, marks: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
        return {party: self.get(party, "/journal", params={"na": marks.get(party, 0)}).json()
                for party in self.eigen}

    def wait_idle(self, seconds: float | None = None) -> None:
        """Wait until the whole chain is quiet (or fail, naming who is not).

        One pass in chain order is not enough: the return channel runs backwards (CBS's
        report makes work for RINIS after RINIS looked idle). So passes repeat until one
        finds every party idle and no journal grew during it.
        """
        limit = seconds or self.timeout
        deadline = time.monotonic() + limit
        before = self.journal_marks()
        while True:
            if self.extern:  # the partner's work shows only as traffic at the simulated parties
                time.sleep(self.stilte)
            for party in self.eigen:
                remaining = min(60.0, max(0.1, deadline - time.monotonic()))  # a party waits 60 s at most
                response = self.post(party, "/_beheer/wacht", params={"seconden": remaining},
                                     timeout=remaining + 5)
                if response.status_code != 200:
                    raise ChainError(f"{party} is na {limit} s nog niet klaar: "
                                     f"{self.get(party, '/_beheer/taken').text[:500]}")
            after = self.journal_marks()
            if after == before:
                return
            if time.monotonic() > deadline:
                raise ChainError(f"de keten werd binnen {limit} s niet rustig: journalen groeiden nog")
            before = after

    # ------------------------------------------------------- faults, restarts

    def arm_fault(self, party: str, storing: dict | list[dict]) -> dict:
        """Arm one fault (or a list) at ``party``; the answer lists every fault armed there."""
        response = self.session.put(self.url(party, "/_beheer/storing"), json=storing, timeout=self.timeout)
        if response.status_code != 201:
            raise ChainError(f"{party} nam de storing {storing} niet aan: HTTP {response.status_code} "
                             f"{response.text[:300]}")
        return response.json()

    def clear_faults(self, party: str, pad: str | None = None) -> int:
        """Clear the faults at ``party`` (only those on ``pad``, when given); returns how many."""
        if pad is None:
            response = self.session.delete(self.url(party, "/_beheer/storing"), timeout=self.timeout)
            if response.status_code != 200:
                raise ChainError(f"{party} hief zijn storingen niet op: {response.text[:300]}")
            return response.json()["opgeheven"]
        gone = 0
        for storing in self.faults(party)["storingen"]:
            if storing["pad"] == pad:  # 404: used up meanwhile, which is as good
                gone += self.session.delete(self.url(party, f"/_beheer/storing/{storing['id']}"),
                                            timeout=self.timeout).status_code == 200
        return gone

    def faults(self, party: str) -> dict:
        """The faults armed at ``party`` and what they did (``voorvallen``)."""
        return self.get(party, "/_beheer/storing").json()

    def restart(self, party: str) -> dict:
        """Restart ``party`` in place; the answer says which tasks it found open."""
        response = self.post(party, "/_beheer/herstart", timeout=self.timeout + 30)
        if response.status_code != 200:
            raise ChainError(f"{party} startte niet opnieuw op: HTTP {response.status_code} "
                             f"{response.text[:300]}")
        return response.json()

    def set_courier_timeout(self, party: str, seconds: float) -> None:
        """How long ``party`` waits for its neighbours, until the next reset."""
        response = self.session.put(self.url(party, "/_beheer/courier"), json={"timeout": seconds},
                                    timeout=self.timeout)
        if response.status_code != 200:
            raise ChainError(f"{party} nam de time-out {seconds} s niet aan: {response.text[:300]}")

    # --------------------------------------------------------------- gemeente

    def deliver(self, gemeentecode: str, files: list[tuple[str, bytes]]) -> requests.Response:
        """Upload files through the gemeente simulator (it logs and uploads to the GGk)."""
        return self.post("gemeente", "/api/v1/aanleveringen",
                         data={"gemeentecode": gemeentecode},
                         files=[("bestand", (name, data)) for name, data in files])

    def compose_and_deliver(self, gemeentecode: str, **spec) -> requests.Response:
        return self.post("gemeente", "/api/v1/aanleveringen",
                         json={"gemeentecode": gemeentecode, **spec})

    def compose_and_deliver_many(self, specs: list[dict], workers: int = 4) -> list[requests.Response]:
        """Several compose-and-deliver calls side by side, as gemeenten do (a session is not
        shared between threads: each call has its own connection)."""
        url = self.url("gemeente", "/api/v1/aanleveringen")
        with ThreadPoolExecutor(workers) as pool:
            return list(pool.map(lambda spec: requests.post(url, json=spec, timeout=self.timeout + 5), specs))

    # -------------------------------------------------------------------- GGk

    def downloads(self, gemeentecode: str, after: int = 0, wait: float = 0) -> list[dict]:
        response = self.get("ggk", f"/api/v1/gemeenten/{gemeentecode}/downloads",
                            params={"na": after, "wacht": wait})
        response.raise_for_status()
        return response.json()

    def wait_for_download(self, gemeentecode: str, after: int, predicate, what: str) -> dict:
        """Wait (long-poll, at most ``timeout`` s) for a download matching ``predicate``."""
        deadline = time.monotonic() + self.timeout
        seen: list[dict] = []
        while (remaining := deadline - time.monotonic()) > 0:
            new = self.downloads(gemeentecode, after, wait=remaining)
            for item in new:
                seen.append(item)
                if predicate(item):
                    return item
            after = max([after, *(i["id"] for i in new)])
        raise ChainError(f"binnen {self.timeout:.0f} s geen {what} in het downloadgebied van "
                         f"{gemeentecode}; wel gezien: {[i['bestandsnaam'] for i in seen]}")

    def download(self, gemeentecode: str, download_id: int) -> bytes:
        response = self.get("ggk", f"/api/v1/gemeenten/{gemeentecode}/downloads/{download_id}")
        response.raise_for_status()
        return response.content

    # -------------------------------------------------------------------- CBS

    def cbs_deliveries(self) -> list[dict]:
        return self.get("cbs", "/api/v1/aanleveringen").json()

    def cbs_status(self, **filters: str) -> list[dict]:
        response = self.get("cbs", "/api/v1/status", params=filters)
        response.raise_for_status()
        return response.json()

    def cbs_spiegelrapporten2(self, periode: str) -> int:
        response = self.post("cbs", "/api/v1/spiegelrapporten2", json={"periode": periode})
        if response.status_code != 202:
            raise ChainError(f"CBS verstuurde geen spiegelrapport II: {response.text[:300]}")
        return response.json()["verzonden"]

    # ------------------------------------------------------------------ RINIS

    def folder(self, folder: str) -> list[dict]:
        response = self.get("rinis", f"/mappen/{folder}")
        response.raise_for_status()
        return response.json()

    def place_in_folder(self, folder: str, naam: str, inhoud: bytes) -> requests.Response:
        return self.session.put(self.url("rinis", f"/mappen/{folder}/{naam}"), data=inhoud,
                                headers={"Content-Type": "application/pdf"}, timeout=self.timeout)

    def upload_to_ggk(self, gemeentecode: str, files: list[tuple[str, bytes]],
                      gebruiker: str = "harness@ketentest.nl") -> requests.Response:
        """Upload straight to the GGk web service, as a gemeente's own software would."""
        return self.post("ggk", "/api/v1/uploads", data={"gemeentecode": gemeentecode,
                                                         "gebruiker": gebruiker},
                         files=[("bestand", (name, data)) for name, data in files])
