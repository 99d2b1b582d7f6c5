"""Steps about time: the simulated calendar every party shares."""

from __future__ import annotations

import re
from datetime import date, datetime

from pytest_bdd import given, parsers, when

from simulators.gmsd.periodes import PATROON
from simulators.kalender import DAGEN, MAANDEN

PERIODE = rf"(?P<periode>{PATROON})"
"""A verslagperiode in a step sentence (H12016), for building step patterns."""
DATUM = re.compile(r"(?:(?P<dag>[a-z]+) )?(?P<d>\d{1,2}) (?P<maand>[a-z]+) (?P<jaar>\d{4})"
                   r"(?: om (?P<uur>\d{1,2}):(?P<minuut>\d{2}))?")


def parse_datum(text: str) -> datetime:
    """'maandag 15 augustus 2016 [om 9:30]' -> datetime; a wrong weekday is an error."""
    match = DATUM.fullmatch(text.strip())
    if not match or match["maand"] not in MAANDEN:
        raise ValueError(f"'{text}' is geen datum als 'maandag 15 augustus 2016 om 9:00'")
    day = date(int(match["jaar"]), MAANDEN.index(match["maand"]) + 1, int(match["d"]))
    if match["dag"] and DAGEN[day.weekday()] != match["dag"]:
        raise ValueError(f"{day:%d-%m-%Y} is een {DAGEN[day.weekday()]}, geen {match['dag']}")
    return datetime(day.year, day.month, day.day, int(match["uur"] or 9), int(match["minuut"] or 0))


@given(parsers.parse("het is {datum}"), target_fixture="nu")
def _(keten, datum: str) -> datetime:
    """Zet de klok van alle partijen aan het begin van een scenario.
    Voorbeeld: Gegeven het is maandag 15 augustus 2016
    """
    moment = parse_datum(datum)
    keten.set_clock(moment)
    return moment


@when(parsers.parse("de klok naar {datum} gaat"), target_fixture="nu")
def _(keten, datum: str) -> datetime:
    """Zet de klok van alle partijen vooruit, dag voor dag, zodat elke partij het werk doet
    dat onderweg aan de beurt komt (terug kan niet midden in een scenario).
    Voorbeeld: Als de klok naar dinsdag 16 augustus 2016 gaat
    """
    moment = parse_datum(datum)
    keten.wait_idle()
    keten.advance_to(moment)
    return moment
