"""Timelines as data: every file loads, the seed's dates are what the files say, and a
broken file is refused with a reason."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from simulators import tijdlijn as tijdlijnen
from simulators.tijdlijn import Tijdlijn, TijdlijnError


def test_every_timeline_file_loads_and_survives_the_json_trip_to_the_parties():
    namen = tijdlijnen.namen()
    assert {"H1 2016", "H1 2016 gepubliceerd", "pilot 2017", "pilot fase II 2018"} <= set(namen)
    for naam in namen:
        tijdlijn = tijdlijnen.laad(naam)
        assert Tijdlijn.from_json(tijdlijn.to_json()) == tijdlijn


def test_h1_2016_has_the_dates_of_the_aanleverprotocol():
    tijdlijn = tijdlijnen.laad("H1 2016")
    assert tijdlijn.start == datetime(2016, 8, 15, 9, 0)
    h1 = tijdlijn.periode("H12016")
    assert (h1.levering_open, h1.tussentijdse_deadline, h1.spiegelrapport_1, h1.correctie_deadline,
            h1.spiegelrapport_2, h1.optin_open, h1.optin_deadline) == (
        date(2016, 8, 15), date(2016, 9, 19), date(2016, 10, 3), date(2016, 10, 24),
        date(2016, 11, 7), date(2016, 11, 9), date(2016, 12, 2))
    assert tijdlijn.periode("H22015") is not None, "the previous period is still deliverable"
    assert tijdlijn.sla.technisch_rapport_werkdagen == 3 and tijdlijn.sla.oporde_werkdagen == 2


def test_pilot_fase_2_windows():
    h2 = tijdlijnen.laad("pilot fase II 2018").periode("H22017")
    assert (h2.levering_open, h2.regulier_tot, h2.laat_tot) == (
        date(2018, 2, 12), date(2018, 3, 9), date(2018, 3, 9))
    assert (h2.intrekken_open, h2.intrekken_sluit) == (date(2018, 3, 12), date(2018, 3, 23))
    assert len(tijdlijnen.laad("pilot fase II 2018").gemeenten) == 4


def test_a_new_timeline_is_a_file(tmp_path):
    pad = tmp_path / "eigen.toml"
    pad.write_text('naam = "eigen"\nstart = 2019-01-07\n[[perioden]]\ncode = "H22018"\n'
                   'levering_open = 2019-01-07\n', encoding="utf-8")
    tijdlijn = tijdlijnen.laad(pad)
    assert tijdlijn.start == datetime(2019, 1, 7, 9, 0)
    assert tijdlijn.periode("H22018").levering_open == date(2019, 1, 7)


@pytest.mark.parametrize(("inhoud", "reden"), [
    ('naam = "x"\nstart = 2019-01-07\n', "ten minste één periode"),
    ('naam = "x"\nstart = 2019-01-07\n[[perioden]]\ncode = "H22018"\nopen = 2019-01-07\n',
     "onbekende velden"),
    ('start = 2019-01-07\n[[perioden]]\ncode = "H22018"\n', "verplicht veld"),
    ('naam = "x"\nstart = 2019-01-07\n[sla]\nsnel = 1\n[[perioden]]\ncode = "H22018"\n', "snel"),
    ("naam = \n", "geen geldige TOML"),
])
def test_a_broken_timeline_is_refused_with_a_reason(tmp_path, inhoud, reden):
    pad = tmp_path / "kapot.toml"
    pad.write_text(inhoud, encoding="utf-8")
    with pytest.raises(TijdlijnError, match=reden):
        tijdlijnen.laad(pad)


def test_an_unknown_timeline_names_the_known_ones():
    with pytest.raises(TijdlijnError, match="H1 2016"):
        tijdlijnen.laad("bestaat niet")
