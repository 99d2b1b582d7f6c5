"""A party's durable to-do list and the worker threads that work through it.

Work that follows an acknowledged message (forward a file, check it, route a report)
is first written to the ``taken`` table in the same transaction as the state it
belongs to, and only then done. A party that stops mid-way finds its open tasks on
start and does them then: nothing acknowledged is lost.

Hand-offs are event-driven: adding a task wakes the worker at once; there is no
polling interval. A task may be due later (``niet_voor``, a moment on the party's
clock: a report due in three working days): it waits until the clock gets there, and
on a simulated clock moving the clock wakes the worker.

Tasks of one kind (``soort``) are done one at a time, in order; tasks of different kinds
may run side by side, up to ``workers`` at once: a CBS fetches the next file while it
checks the previous one and places an earlier report, the way a real party's stages run.
Order within a delivery needs nothing more: each step adds the next task when it is done.
Among the tasks due, the kinds a party names ``first`` go before the rest: CBS places a report
it drew before it draws the next, so the chain behind it has work while it draws.

A task whose handler raises :class:`TransientError` (the next hop
was unreachable or answered 5xx) is tried again after a short pause; any other error
marks it failed, visible in ``/_beheer/taken``.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from .clock import Clock
from .store import Store, dumps

log = logging.getLogger(__name__)

TASKS_SCHEMA = """
CREATE TABLE IF NOT EXISTS taken (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    soort TEXT NOT NULL,
    data TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',   -- open, klaar, mislukt, verlopen
    pogingen INTEGER NOT NULL DEFAULT 0,
    fout TEXT,
    niet_voor TEXT,                         -- due moment on the clock, UTC ISO; NULL: at once
    verloopt TEXT                           -- give up retrying at this moment on the clock (UTC ISO)
);
"""
TASKS_INDEX = "CREATE INDEX IF NOT EXISTS taken_open ON taken (status, niet_voor)"
"""The worker and ``wait_idle`` ask for open tasks all the time; done ones pile up."""

Handler = Callable[[dict[str, Any]], None]


class TransientError(Exception):
    """The task could not be done now but may succeed later (connection error, 5xx)."""


class Tasks:
    """Durable tasks of one party: one kind at a time and in order, kinds side by side."""

    def __init__(
        self,
        store: Store,
        handlers: dict[str, Handler],
        retry_delays: tuple[float, ...] = (0.05, 0.2, 0.5, 1.0, 2.0, 5.0),
        clock: Clock | None = None,
        expiry: dict[str, Callable[[dict[str, Any], str], None]] | None = None,
        workers: int = 1,
        first: tuple[str, ...] = (),
    ) -> None:
        self.store = store
        self.handlers = handlers
        self.expiry = expiry or {}
        self.retry_delays = retry_delays
        self.clock = clock
        with store.transaction() as db:
            db.execute(TASKS_SCHEMA)
            columns = {row["name"] for row in db.execute("PRAGMA table_info(taken)")}
            for column in ("niet_voor", "verloopt"):  # state from before these existed
                if column not in columns:
                    db.execute(f"ALTER TABLE taken ADD COLUMN {column} TEXT")
            db.execute(TASKS_INDEX)
        if clock is not None:  # weakly: a party replaced by a restart must not live on in the clock
            wake = weakref.WeakMethod(self.wake)
            clock.on_advance(lambda _moment: (woken := wake()) is not None and woken())
        self.workers = max(1, int(workers))
        self.first = tuple(first)  # these kinds before any other task that is due
        self._cond = threading.Condition()
        self._not_before: dict[int, float] = {}
        self._running: set[str] = set()  # the kinds a worker is doing a task of right now
        self._generation = 0  # moves on every wake and every finished task: time to look again
        self._finished = 0  # moves on every finished task: a pick made before it may be stale
        self._stopping = False
        self._stilgezet = False
        self._threads: list[threading.Thread] = []

    def add(self, soort: str, data: dict[str, Any], db: sqlite3.Connection | None = None,
            niet_voor: datetime | None = None, verloopt: datetime | None = None) -> int:
        """Record a task; within ``db``'s transaction when given. Wakes the worker.

        ``niet_voor``: not before this moment on the clock. ``verloopt``: a task that
        keeps failing transiently is retried (backing off up to the last delay) until this
        moment on the clock, then its expiry handler runs and it ends ``verlopen``:
        visible, never silent. Without it, it ends ``mislukt`` after the retry delays.
        """
        if soort not in self.handlers:
            raise KeyError(f"no handler for task {soort!r}")
        if (niet_voor is not None or verloopt is not None) and self.clock is None:
            raise ValueError("a task with niet_voor or verloopt needs a clock")
        sql = "INSERT INTO taken (soort, data, niet_voor, verloopt) VALUES (?, ?, ?, ?)"
        row = (soort, dumps(data), _utc(niet_voor) if niet_voor is not None else None,
               _utc(verloopt) if verloopt is not None else None)
        task_id = db.execute(sql, row).lastrowid if db is not None else self.store.execute(sql, row)
        self.wake()
        return task_id

    def wake(self) -> None:
        with self._cond:
            self._generation += 1
            self._cond.notify_all()

    def start(self) -> None:
        self._stopping = False
        self._threads = [threading.Thread(target=self._run, name=f"tasks-{i}", daemon=True)
                         for i in range(self.workers)]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def forget(self) -> None:
        """Drop the in-memory retry schedule (the tasks themselves live in the store)."""
        with self._cond:
            self._not_before.clear()

    def pending(self) -> int:
        """Open tasks that are due now (a task due later does not keep a party busy)."""
        row = self.store.one("SELECT COUNT(*) AS n FROM taken WHERE status = 'open'"
                             " AND (niet_voor IS NULL OR niet_voor <= ?)", (self._now(),))
        return int(row["n"]) if row else 0

    def later(self) -> list[dict[str, Any]]:
        """Open tasks due later, earliest first: what moving the clock will set off."""
        rows = self.store.query("SELECT id, soort, data, niet_voor FROM taken WHERE status = 'open'"
                                " AND niet_voor > ? ORDER BY niet_voor, id", (self._now(),))
        return [dict(r) | {"data": json.loads(r["data"])} for r in rows]

    def _now(self) -> str:
        return _utc(self.clock.peek()) if self.clock is not None else "9999"

    def listing(self) -> list[dict[str, Any]]:
        rows = self.store.query("SELECT id, soort, data, status, pogingen, fout, niet_voor FROM taken"
                                " ORDER BY id")
        return [dict(r) | {"data": json.loads(r["data"])} for r in rows]

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until no task is open or running; False when ``timeout`` passed first."""
        deadline = time.monotonic() + timeout
        while True:
            with self._cond:
                busy = bool(self._running)
            if not busy and not self.pending():  # the store is read without holding _cond
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            with self._cond:
                self._cond.wait(min(remaining, 0.05))

    @contextmanager
    def stilgezet(self, timeout: float) -> Iterator[bool]:
        """Within this block no task starts, and the one running when it began has finished
        (or ``timeout`` passed: the value is False). A reset empties the store inside it, so
        a task begun before the reset does its last side effect before the reset returns,
        not in the next scenario, and no open task starts between the last wait and the wipe."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._stilgezet = True
            while self._running and time.monotonic() < deadline:
                self._cond.wait(min(max(deadline - time.monotonic(), 0.0), 0.05))
            klaar = not self._running
        try:
            yield klaar
        finally:
            with self._cond:
                self._stilgezet = False
                self._generation += 1
                self._cond.notify_all()

    # ----------------------------------------------------------------- the worker

    def _next(self, busy: set[str]) -> tuple[sqlite3.Row | None, float | None]:
        """The first due task of a kind no worker is doing; else how long until a paused
        one may be tried again (None: until woken)."""
        now = time.monotonic()
        wait: float | None = self._until_due()
        # Only as many rows as can be waiting out a retry pause, plus one: a period makes
        # thousands of tasks due at once, and reading all of them for every pick is quadratic.
        kinds = sorted(busy)
        rows = self.store.query(
            "SELECT * FROM taken WHERE status = 'open' AND (niet_voor IS NULL OR niet_voor <= ?)"
            f" AND soort NOT IN ({', '.join('?' * len(kinds))})"
            f" ORDER BY soort IN ({', '.join('?' * len(self.first))}) DESC, COALESCE(niet_voor, ''), id"
            " LIMIT ?", (self._now(), *kinds, *self.first, len(self._not_before) + 1))
        for row in rows:
            not_before = self._not_before.get(row["id"], 0.0)
            if not_before <= now:
                return row, None
            wait = min(wait or not_before - now, not_before - now)
        return None, wait

    def _run(self) -> None:
        # Lock order: the store's lock is never taken while holding _cond (a request
        # thread holds the store's lock inside a transaction when it calls wake()).
        while True:
            with self._cond:
                if self._stopping:
                    return
                if self._stilgezet:  # a reset is emptying the store: start nothing
                    self._cond.wait(0.05)
                    continue
                seen, finished, busy = self._generation, self._finished, set(self._running)
            row, wait = self._next(busy)
            with self._cond:
                if row is None:
                    if self._generation == seen and not self._stopping:
                        self._cond.wait(wait)
                    continue
                # another worker may have taken its kind, or done the task, since the pick
                if self._stilgezet or row["soort"] in self._running or self._finished != finished:
                    continue
                self._running.add(row["soort"])
            try:
                self._do(row)
            finally:
                with self._cond:
                    self._running.discard(row["soort"])
                    self._finished += 1
                    self._generation += 1
                    self._cond.notify_all()

    def _until_due(self) -> float | None:
        """Seconds until the next task due later, on a wall clock; None on a simulated
        one (moving it wakes the worker) or when nothing waits."""
        if self.clock is None or self.clock.simulated:
            return None
        row = self.store.one("SELECT MIN(niet_voor) AS eerst FROM taken WHERE status = 'open'"
                             " AND niet_voor > ?", (self._now(),))
        if row is None or row["eerst"] is None:
            return None
        due = datetime.fromisoformat(row["eerst"])
        return max(0.01, (due - self.clock.peek()).total_seconds())

    def _do(self, row: sqlite3.Row) -> None:
        task_id, attempt = row["id"], row["pogingen"] + 1
        try:
            self.handlers[row["soort"]](json.loads(row["data"]))
        except TransientError as exc:
            deadline = row["verloopt"]
            if deadline is not None and self._now() >= deadline:
                self._expire(row, attempt, str(exc))
            elif deadline is None and attempt > len(self.retry_delays):
                self._finish(task_id, attempt, "mislukt", f"opgegeven na {attempt} pogingen: {exc}")
            else:
                delay = self.retry_delays[min(attempt, len(self.retry_delays)) - 1]
                self._not_before[task_id] = time.monotonic() + delay
                self.store.execute("UPDATE taken SET pogingen = ?, fout = ? WHERE id = ?",
                                   (attempt, str(exc), task_id))
            return
        except Exception as exc:  # a bug or a refusal: keep it visible, do not retry
            log.exception("task %s (%s) failed", task_id, row["soort"])
            self._finish(task_id, attempt, "mislukt", f"{type(exc).__name__}: {exc}")
            return
        self._finish(task_id, attempt, "klaar", None)

    def _expire(self, row: sqlite3.Row, attempt: int, fout: str) -> None:
        """Past its delivery deadline: tell whoever must know (the handler), then stop."""
        melding = f"niet gelukt vóór {row['verloopt']} (UTC), na {attempt} pogingen: {fout}"
        handler = self.expiry.get(row["soort"])
        if handler is not None:
            try:
                handler(json.loads(row["data"]), melding)
            except Exception as exc:  # the alert stays visible even if the report fails
                log.exception("expiry of task %s (%s) failed", row["id"], row["soort"])
                melding += f"; foutrapport mislukt: {type(exc).__name__}: {exc}"
        self._finish(row["id"], attempt, "verlopen", melding)

    def alarms(self) -> list[dict[str, Any]]:
        """Tasks that failed or ran past their deadline: what a coordinator must see."""
        rows = self.store.query("SELECT id, soort, data, status, pogingen, fout, verloopt FROM taken"
                                " WHERE status IN ('mislukt', 'verlopen') ORDER BY id")
        return [dict(r) | {"data": json.loads(r["data"])} for r in rows]

    def _finish(self, task_id: int, attempt: int, status: str, fout: str | None) -> None:
        self._not_before.pop(task_id, None)
        self.store.execute("UPDATE taken SET status = ?, pogingen = ?, fout = ? WHERE id = ?",
                           (status, attempt, fout, task_id))


def _utc(moment: datetime) -> str:
    """A moment as UTC ISO text: it sorts as time does, across summer and winter time."""
    return moment.astimezone(UTC).isoformat()
