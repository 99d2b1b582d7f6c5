"""Fixtures shared by the unit tests under tests/: a simulated clock and a factory of bare
parties (no HTTP, no neighbours). The Gherkin suites' fixtures live in the root conftest.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from simulators.clock import SimulatedClock
from simulators.party import Party, PartyConfig

START = datetime(2016, 8, 15, 9, 0)


@pytest.fixture
def clock() -> SimulatedClock:
    """A simulated clock standing at Monday 15 August 2016, 09:00; tests move it with ``set``."""
    return SimulatedClock(START)


@pytest.fixture
def make_party(tmp_path, clock) -> Iterator[Callable[..., Party]]:
    """``make_party(cls, options=None, *, klok=None, urls=None, start=False)`` builds a ``cls``
    with its own database in ``tmp_path``, on the ``clock`` fixture unless ``klok`` is given.
    ``start=True`` also starts its task worker; without it the tasks stay in the ``taken``
    table. Every party made is stopped at teardown, the last one made first."""
    made: list[Party] = []

    def make(cls: type[Party], options: dict | None = None, *, klok: SimulatedClock | None = None,
             urls: dict[str, str] | None = None, start: bool = False) -> Party:
        party = cls(PartyConfig(state_path=tmp_path / f"{cls.name}{len(made)}.sqlite3",
                                clock=clock if klok is None else klok,
                                urls=urls or {}, options=options or {}))
        made.append(party)
        if start:
            party.start()
        return party

    yield make
    for party in reversed(made):
        party.stop()
