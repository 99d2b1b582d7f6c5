"""The working-day calendar every deadline of the chain is counted on.

The documents count in *werkdagen*: a technical report within 3 working days, the
op-orde report within 2 working days of technical approval (seeds 002, 004). A working
day is Monday to Friday and not a Dutch public holiday, as the ``holidays`` package
lists them (pinned ``>=0.102``; its list changes between releases, so a test pins one
year). Which holidays count is a choice, and configurable:

* ``"nationaal"`` (default): the public holidays as listed for the Netherlands, where
  Bevrijdingsdag (5 May) is a day off only every fifth year (2015, 2020, ...);
* ``"termijnenwet"``: the Algemene termijnenwet, which treats Goede Vrijdag and
  5 May as holidays every year when a legal deadline is counted.

Dates only: the time of day does not change whether a day is a working day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

import holidays

REGELS = ("nationaal", "termijnenwet")

MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december")
MAANDEN_KORT = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
DAGEN = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
DAGEN_KORT = ("ma", "di", "wo", "do", "vr", "za", "zo")
"""The Dutch names of months and days: the one home for every page, report and step."""


def dag_tekst(datum: date) -> str:
    """``9 november 2016``: a date as a Dutch reader writes it."""
    return f"{datum.day} {MAANDEN[datum.month - 1]} {datum.year}"


class Werkdagkalender:
    """Working days of the Netherlands under one holiday rule."""

    def __init__(self, regel: str = "nationaal") -> None:
        if regel not in REGELS:
            raise ValueError(f"feestdagregel '{regel}' is onbekend; kies uit {', '.join(REGELS)}")
        self.regel = regel

    def feestdagen(self, jaar: int) -> dict[date, str]:
        return dict(_feestdagen(jaar, self.regel))

    def is_werkdag(self, dag: date | datetime) -> bool:
        dag = _datum(dag)
        return dag.weekday() < 5 and dag not in _feestdagen(dag.year, self.regel)

    def plus_werkdagen(self, dag: date | datetime, aantal: int) -> date:
        """The working day ``aantal`` working days after ``dag`` (``dag`` itself not counted).

        ``plus_werkdagen(vrijdag, 1)`` is the next Monday (or later after a holiday);
        with 0 it is ``dag`` itself when that is a working day, else the next one.
        """
        if aantal < 0:
            raise ValueError(f"aantal werkdagen moet 0 of meer zijn, niet {aantal}")
        dag = _datum(dag)
        if aantal == 0:
            while not self.is_werkdag(dag):
                dag += timedelta(days=1)
            return dag
        while aantal:
            dag += timedelta(days=1)
            if self.is_werkdag(dag):
                aantal -= 1
        return dag

    def werkdagen_tussen(self, van: date | datetime, tot: date | datetime) -> int:
        """Working days after ``van`` up to and including ``tot``: how late ``tot`` is, in
        working days, counted the way a deadline "within N working days" is."""
        van, tot = _datum(van), _datum(tot)
        if tot < van:
            return -self.werkdagen_tussen(tot, van)
        return sum(1 for n in range(1, (tot - van).days + 1) if self.is_werkdag(van + timedelta(days=n)))

    def werkdagen(self, van: date | datetime, tot: date | datetime) -> list[date]:
        """Every working day from ``van`` up to and including ``tot``."""
        van, tot = _datum(van), _datum(tot)
        return [van + timedelta(days=n) for n in range((tot - van).days + 1)
                if self.is_werkdag(van + timedelta(days=n))]


@cache
def _feestdagen(jaar: int, regel: str) -> dict[date, str]:
    days = dict(holidays.country_holidays("NL", years=jaar, language="nl"))
    if regel == "termijnenwet":
        pasen = next(d for d, naam in days.items() if naam.lower().startswith("eerste paasdag"))
        days[pasen - timedelta(days=2)] = "Goede vrijdag"
        days[date(jaar, 5, 5)] = "Bevrijdingsdag"
    return days


def _datum(dag: date | datetime) -> date:
    return dag.date() if isinstance(dag, datetime) else dag
