"""The only place in the simulators that knows what time it is.

Every party receives one clock object and asks it for the time; nothing else calls
``datetime.now()``. A :class:`SimulatedClock` starts at a chosen moment and only moves
when told to (by a scenario, or the control API); a :class:`WallClock` follows the
machine's time. Listeners registered with :meth:`Clock.on_advance` are told after the
clock moves, so a party can do the work that has become due.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

Listener = Callable[[datetime], None]


class Clock:
    """Common behaviour: listeners and the StUF timestamp format."""

    simulated: bool = False

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.RLock()

    def now(self) -> datetime:
        raise NotImplementedError

    def peek(self) -> datetime:
        """The time, without taking a timestamp of it (a simulated clock does not tick on)."""
        return self.now()

    def on_advance(self, listener: Listener) -> None:
        """Call ``listener(new_time)`` each time the clock is moved."""
        with self._lock:
            self._listeners.append(listener)

    def _notify(self, moment: datetime) -> None:
        for listener in list(self._listeners):
            listener(moment)

    def stuf_tijdstip(self) -> str:
        """``tijdstipBericht`` in StUF form: yyyymmddhhmmssfff (17 digits)."""
        moment = self.now()
        return moment.strftime("%Y%m%d%H%M%S") + f"{moment.microsecond // 1000:03d}"


class WallClock(Clock):
    """The machine's time in Europe/Amsterdam; it cannot be moved."""

    def now(self) -> datetime:
        return datetime.now(AMSTERDAM)

    def set(self, moment: datetime, allow_back: bool = False) -> None:
        raise ClockError("de klok volgt de echte tijd en kan niet verzet worden")

    def advance(self, delta: timedelta) -> None:
        raise ClockError("de klok volgt de echte tijd en kan niet verzet worden")


class SimulatedClock(Clock):
    """A clock that stands still until moved; time inside a step is strictly increasing.

    Each call to :meth:`now` returns a moment at least one millisecond after the last
    one, so messages made in one frozen instant still get distinct, ordered
    ``tijdstipBericht`` values (StUF019 asks for increasing timestamps per sender).
    """

    simulated = True

    def __init__(self, start: datetime) -> None:
        super().__init__()
        self._base = _aware(start)
        self._last = self._base - timedelta(milliseconds=1)

    def now(self) -> datetime:
        with self._lock:
            candidate = max(self._base, self._last + timedelta(milliseconds=1))
            self._last = candidate
            return candidate

    def peek(self) -> datetime:
        with self._lock:
            return max(self._base, self._last)

    def set(self, moment: datetime, allow_back: bool = False) -> None:
        """Jump to ``moment``. The clock does not go back, unless a test harness starts a
        new scenario (``allow_back``)."""
        moment = _aware(moment)
        with self._lock:
            if allow_back:
                self._last = moment - timedelta(milliseconds=1)
            elif moment == self._base:
                return  # already there: parties sharing one clock are each told once
            elif moment < self._base:
                raise ClockError(
                    f"de klok kan niet terug: het is al {self._last:%d-%m-%Y %H:%M}, "
                    f"gevraagd {moment:%d-%m-%Y %H:%M}"
                )
            self._base = moment
        self._notify(moment)

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            target = max(self._base, self._last) + delta
        self.set(target)


class ClockError(ValueError):
    """The clock was asked to do something it cannot (go back, or move the wall clock)."""


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=AMSTERDAM)


def clock_from_setting(start: str | None) -> Clock:
    """``None`` or ``"wall"`` gives the wall clock; an ISO date or time a simulated one."""
    if start in (None, "", "wall"):
        return WallClock()
    return SimulatedClock(datetime.fromisoformat(start))
