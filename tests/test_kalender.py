"""The working-day calendar: Dutch holidays pinned for one year, and deadline arithmetic."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from simulators.kalender import Werkdagkalender

KALENDER = Werkdagkalender()


def test_the_2016_holidays_are_pinned():
    """holidays' list changes between releases; this pins what the deadlines count on."""
    assert sorted(KALENDER.feestdagen(2016)) == [
        date(2016, 1, 1), date(2016, 3, 25), date(2016, 3, 27), date(2016, 3, 28), date(2016, 4, 27),
        date(2016, 5, 5), date(2016, 5, 15), date(2016, 5, 16), date(2016, 12, 25), date(2016, 12, 26)]
    assert KALENDER.feestdagen(2016)[date(2016, 4, 27)] == "Koningsdag"


def test_bevrijdingsdag_counts_every_fifth_year_unless_the_termijnenwet_applies():
    assert not KALENDER.is_werkdag(date(2015, 5, 5))  # a lustrum year: a day off
    assert KALENDER.is_werkdag(date(2017, 5, 5))
    assert not Werkdagkalender("termijnenwet").is_werkdag(date(2017, 5, 5))


def test_weekends_and_holidays_are_not_working_days():
    assert KALENDER.is_werkdag(date(2016, 8, 15))  # Monday
    assert not KALENDER.is_werkdag(date(2016, 8, 20))  # Saturday
    assert not KALENDER.is_werkdag(datetime(2016, 12, 26, 10, 0))  # Tweede kerstdag


@pytest.mark.parametrize(("start", "n", "expected"), [
    (date(2016, 8, 15), 3, date(2016, 8, 18)),  # Monday + 3 = Thursday
    (date(2016, 8, 19), 1, date(2016, 8, 22)),  # Friday + 1 = Monday
    (date(2016, 12, 23), 1, date(2016, 12, 27)),  # over Christmas
    (date(2016, 3, 24), 2, date(2016, 3, 30)),  # over Goede vrijdag and Easter Monday
    (date(2016, 8, 20), 0, date(2016, 8, 22)),  # a Saturday: the next working day
    (date(2016, 8, 15), 0, date(2016, 8, 15)),
])
def test_adding_working_days(start, n, expected):
    assert KALENDER.plus_werkdagen(start, n) == expected


def test_counting_working_days_between_two_moments():
    assert KALENDER.werkdagen_tussen(date(2016, 8, 15), date(2016, 8, 18)) == 3
    assert KALENDER.werkdagen_tussen(datetime(2016, 8, 19, 17), datetime(2016, 8, 22, 9)) == 1
    assert KALENDER.werkdagen_tussen(date(2016, 12, 23), date(2016, 12, 27)) == 1
    assert KALENDER.werkdagen_tussen(date(2016, 8, 18), date(2016, 8, 15)) == -3
    assert KALENDER.werkdagen(date(2016, 8, 19), date(2016, 8, 23)) == [
        date(2016, 8, 19), date(2016, 8, 22), date(2016, 8, 23)]


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="onbekend"):
        Werkdagkalender("zondagsrust")
    with pytest.raises(ValueError):
        KALENDER.plus_werkdagen(date(2016, 8, 15), -1)
