"""The Locust user: one gemeente on the deadline day.

It uploads its WMO, SBO and JEUGD file in one upload to the GGk web service and waits in
its download area (the long-poll) until each file's technical report is there. What
Locust's figures then carry, besides the HTTP calls themselves:

* ``LEVERING <soort>``: a file the GGk accepted (its time: the upload's);
* ``RAPPORT upload tot technisch rapport``: per file, from just before the upload until the
  long-poll brought its ``CBS_TECHNISCH_`` report (a failure: a Fo01 came instead, or
  nothing within ``--wacht``);
* ``RAPPORT dubbel``: a second technical report for one file (always a failure).

The download's ``correlatie`` is the GGk reference of the file it answers. The files are
made in ``on_start``, before anything is timed. A gemeente delivers once: afterwards it
idles until the run ends.

The GGk answers a long-poll from one of its few server threads (waitress, 8) and keeps
it until something arrives. Hundreds of gemeenten each holding one would leave none for
the uploads and for RINIS's reports, and the chain would stall on the load's own waiting.
So the gemeenten of one Locust process share a :class:`Poller`: at most ``--polls``
long-polls at a time over one session (the command line gives every process its part of
four, half the GGk's threads), each of at most a second, shorter when many wait, so each
waiting gemeente is polled at least every few seconds. While no more gemeenten wait than
there are polls, a report is seen the moment it arrives; beyond that up to a few seconds
later than it came, and then the figures say the chain is behind anyway.
"""

from __future__ import annotations

import time

import gevent
from gevent.lock import BoundedSemaphore
from locust import HttpUser, task
from locust.clients import HttpSession

from ketentest.targets import Tls

from .plan import DUBBEL_NAAM, LEVERING, RAPPORT, RAPPORT_NAAM, bestanden

TECHNISCH = "CBS_TECHNISCH_"
LONG_POLL = 1.0
"""Seconds one long-poll may hold a GGk thread (it answers at once when something arrives)."""
ROUND = 5.0
"""Seconds within which every waiting gemeente gets a poll, however many wait: with more
waiting than there are polls, each poll holds its thread shorter."""


class Poller:
    """The long-polls of one Locust process, shared by its gemeenten: at most ``polls`` at a time,
    over one session, so the load's own waiting holds no more of the GGk's threads and connections."""

    def __init__(self, environment, polls: int) -> None:
        self.session = HttpSession(environment.host, environment.events.request, None)
        self.polls = polls
        self.slots = BoundedSemaphore(polls)
        self.waiting = 0

    def poll(self, gemeentecode: str, after: int, wacht: float) -> list[dict] | None:
        """What came in the download area after ``after``; None on a failure (in the figures)."""
        self.waiting += 1
        try:
            with self.slots:
                hold = min(wacht, LONG_POLL, max(0.05, ROUND * self.polls / self.waiting))
                with self.session.get(f"/api/v1/gemeenten/{gemeentecode}/downloads",
                                      params={"na": after, "wacht": f"{hold:.2f}"},
                                      name="/api/v1/gemeenten/[gemeentecode]/downloads",
                                      catch_response=True) as response:
                    if response.status_code != 200:
                        response.failure(_fout(response))
                        return None
                    return response.json()
        finally:
            self.waiting -= 1


class Gemeente(HttpUser):
    """A gemeente: one delivery of three files, then waiting for their reports."""

    poller: Poller | None = None  # one per process, made by its first gemeente

    def wait_time(self) -> float:
        return 3600.0  # done for the day

    def on_start(self) -> None:
        options = self.environment.parsed_options
        self.klaar = False
        self.wacht = float(options.wacht)
        self.code = self.environment.roster.take()
        self.bestanden = bestanden(self.code, int(options.rijen)) if self.code else []
        tls = Tls(options.ggk_ca, options.ggk_cert, options.ggk_key)
        tls.apply(self.client)
        if Gemeente.poller is None:
            Gemeente.poller = Poller(self.environment, int(options.polls))
            tls.apply(Gemeente.poller.session)

    @task
    def aanleveren(self) -> None:
        if self.klaar:
            return
        self.klaar = True
        events = 0
        try:
            if self.code:
                events = self.deliver()
        finally:
            self.environment.roster.done(events)

    def deliver(self) -> int:
        """Upload, then wait for every report; returns how many report events it fired."""
        start = time.perf_counter()
        referenties = self.upload()
        uploaded = (time.perf_counter() - start) * 1000
        self.client.close()  # a waiting gemeente holds no connection of the GGk's: the poller does
        if not referenties:
            return 0
        for soort in referenties.values():
            self.fire(LEVERING, soort, uploaded)
        return self.wait_for_reports(referenties, start)

    def upload(self) -> dict[str, str]:
        """The three files in one upload; the GGk reference of each accepted file -> its soort."""
        files = [("bestand", (naam, inhoud, "text/csv")) for naam, inhoud in self.bestanden]
        form = {"gemeentecode": self.code, "gebruiker": f"aanlevering@gemeente{self.code}.example"}
        with self.client.post("/api/v1/uploads", data=form, files=files, name="/api/v1/uploads",
                              catch_response=True) as response:
            if response.status_code != 201:
                response.failure(_fout(response))
                return {}
            return {ref["referentie"]: ref["bestand"].split("_", 1)[0]
                    for upload in response.json()["uploads"] for ref in upload["referenties"]}

    def wait_for_reports(self, referenties: dict[str, str], start: float) -> int:
        open_, answered = dict(referenties), set()
        events, after = 0, 0
        deadline = start + self.wacht
        while open_ and (rest := deadline - time.perf_counter()) > 0:
            items = self.poller.poll(self.code, after, rest)
            if items is None:
                gevent.sleep(min(0.5, max(0.0, deadline - time.perf_counter())))
                continue
            elapsed = (time.perf_counter() - start) * 1000
            for item in items:
                after = max(after, item["id"])
                ref = item.get("correlatie")
                if item["bestandsnaam"].startswith(TECHNISCH) and ref in open_:
                    self.fire(RAPPORT, RAPPORT_NAAM, elapsed)
                    del open_[ref]
                    answered.add(ref)
                elif item["bestandsnaam"].startswith(TECHNISCH) and ref in answered:
                    self.fire(RAPPORT, DUBBEL_NAAM, elapsed, f"tweede technisch rapport voor {ref}")
                elif item["soort"] == "foutrapport" and ref in open_:
                    self.fire(RAPPORT, RAPPORT_NAAM, elapsed, f"Fo01 in plaats van een technisch rapport "
                              f"({open_.pop(ref)})")
                else:
                    continue
                events += 1
        for soort in open_.values():
            self.fire(RAPPORT, RAPPORT_NAAM, self.wacht * 1000,
                      f"geen technisch rapport binnen {self.wacht:g} s ({soort})")
        return events + len(open_)

    def fire(self, soort: str, naam: str, ms: float, fout: str | None = None) -> None:
        self.environment.events.request.fire(
            request_type=soort, name=naam, response_time=ms, response_length=0,
            exception=None if fout is None else RuntimeError(fout), context={})


def _fout(response) -> str:
    """Why an answer is a failure, in one line (the GGk's Dutch ``melding`` where it has one)."""
    if response.status_code == 0:
        return f"geen antwoord: {type(response.error).__name__}"
    try:
        melding = response.json().get("melding")
    except ValueError:
        melding = None
    return f"HTTP {response.status_code}: {melding or response.text[:200]}"
