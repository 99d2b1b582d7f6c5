"""Restarting a party in place: the same app and port, a new party from the same config.

A real restart of a simulator process ends everything it held in memory (faults, retry
schedules, caches) and keeps everything it had stored. :func:`restart` does that inside
a running server: it stops the app's party, builds a new one from the same
``PartyConfig`` (same state file), puts it in ``app.extensions["ketentest.party"]`` and
starts it; the new party reads its state from disk and its task worker takes up the
open tasks. The server, its port and its connections stay: the harness, ``ketentest
herstart`` and a party's neighbours reach the restarted party where they reached the old.

While the parties are swapped, the app's :class:`Deur` keeps new requests waiting and
lets the ones inside finish, so no request meets a party whose store is already closed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask

__all__ = ["Deur", "HerstartError", "restart"]


class HerstartError(RuntimeError):
    """A party that cannot be restarted as asked (the view answers 409 with this text)."""


class Deur:
    """The way in for an app's requests, which a restart closes for a moment.

    While it is closed, new requests wait outside (as at a server that is starting up)
    and the restart waits for the requests inside to finish, so none of them meets a
    party whose store is already closed.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._binnen = 0
        self._dicht = False
        self.herstart = threading.Lock()  # one restart at a time

    @contextmanager
    def binnen(self) -> Iterator[None]:
        """One request inside; it waits while the door is closed (30 s at most)."""
        with self._cond:
            self._cond.wait_for(lambda: not self._dicht, 30.0)
            self._binnen += 1
        try:
            yield
        finally:
            with self._cond:
                self._binnen -= 1
                self._cond.notify_all()

    def sluit(self) -> None:
        with self._cond:
            self._dicht = True

    def open(self) -> None:
        with self._cond:
            self._dicht = False
            self._cond.notify_all()

    def wacht_leeg(self, eigen: int, timeout: float) -> bool:
        """Wait until at most ``eigen`` requests are inside (the restart's own)."""
        with self._cond:
            return self._cond.wait_for(lambda: self._binnen <= eigen, timeout)


def restart(app: Flask, eigen: int = 0) -> dict[str, Any]:
    """Restart the app's party in place: stop it (faults cleared, task worker stopped,
    store closed), build a new one from the same config (same state file), put it in
    the app and start it. Returns what the new party found open.

    ``eigen``: requests inside the app that belong to the caller (1 when the restart is
    asked over HTTP); the others may finish first, for at most 5 s.
    """
    deur: Deur = app.extensions["ketentest.deur"]
    with deur.herstart:
        oud = app.extensions["ketentest.party"]
        if str(oud.config.state_path) == ":memory:":
            raise HerstartError(f"{oud.name} bewaart zijn toestand alleen in het geheugen; een "
                               "herstart zou alles wissen")
        start = time.monotonic()
        opgeheven = len(oud.storingen.listing()["storingen"])
        deur.sluit()
        try:
            oud.storingen.reset()  # a hanging request ends, so it can leave
            deur.wacht_leeg(eigen, 5.0)
            oud.stop(wait=oud.courier.timeout + 1)  # the task in hand finishes or times out
            nieuw = type(oud)(oud.config)
            app.extensions["ketentest.party"] = nieuw
            open_taken = [{k: t[k] for k in ("id", "soort", "pogingen", "fout", "niet_voor")}
                          for t in nieuw.tasks.listing() if t["status"] == "open"]
            nieuw.start()
        finally:
            deur.open()
    return {"partij": nieuw.name, "herstart": True, "storingen_opgeheven": opgeheven,
            "open_taken": open_taken, "courier_timeout": nieuw.courier.timeout,
            "seconden": round(time.monotonic() - start, 3)}
