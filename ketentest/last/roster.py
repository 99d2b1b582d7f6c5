"""Which gemeente each Locust user plays, and how many gemeenten are done.

One process keeps the roster: the master (or, without workers, the only process). A user
on any machine asks it for a gemeentecode over Locust's messages, so no two users play
the same gemeente, however Locust spreads users over workers; a user that is done says
so, with how many report events it fired, so the load shape knows when every answer has
reached the master's figures.
"""

from __future__ import annotations

from collections.abc import Iterable

from gevent.queue import Empty, Queue
from locust.runners import MasterRunner, Runner, WorkerRunner

VRAAG, ANTWOORD, KLAAR = "ketentest:gemeente?", "ketentest:gemeente", "ketentest:klaar"


class RosterError(RuntimeError):
    """The keeper of the roster did not answer."""


class Roster:
    """The roster of one process of a run; ``codes`` matter only where it is kept."""

    def __init__(self, runner: Runner, codes: Iterable[str]) -> None:
        self.runner = runner
        self.klaar = 0
        """Gemeenten that are done: their reports came back, or they stopped waiting."""
        self.rapportgebeurtenissen = 0
        """Report events the done gemeenten fired (successes, failures and doubles)."""
        self._codes = iter(codes)
        self._given: Queue = Queue()
        if not isinstance(runner, WorkerRunner):
            runner.register_message(VRAAG, self._give)
            runner.register_message(KLAAR, self._done)
        if not isinstance(runner, MasterRunner):
            runner.register_message(ANTWOORD, self._receive)

    def take(self, timeout: float = 60.0) -> str | None:
        """A gemeentecode no other user plays; None when every gemeente is taken."""
        self.runner.send_message(VRAAG)
        try:
            return self._given.get(timeout=timeout)
        except Empty:
            raise RosterError(f"geen gemeente gekregen van de master binnen {timeout:g} s") from None

    def done(self, rapportgebeurtenissen: int) -> None:
        self.runner.send_message(KLAAR, {"rapportgebeurtenissen": rapportgebeurtenissen})

    def _give(self, environment, msg, **kwargs) -> None:
        self.runner.send_message(ANTWOORD, next(self._codes, None), client_id=msg.node_id)

    def _receive(self, environment, msg, **kwargs) -> None:
        self._given.put(msg.data)

    def _done(self, environment, msg, **kwargs) -> None:
        self.klaar += 1
        self.rapportgebeurtenissen += int(msg.data["rapportgebeurtenissen"])
