"""The GGk's users and e-mails: registration, "rapport klaar" after a delivery, and mails
planned from the timeline that appear only once the clock reaches their moment."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
import requests

from simulators.chain import Chain
from simulators.clock import SimulatedClock
from simulators.ggk.backend import Ggk
from simulators.ggk.common import GebruikerRefused
from simulators.ggk.mail import TAAK, werkdagen_voor
from simulators.kalender import Werkdagkalender
from simulators.tijdlijn import laad

START = datetime(2016, 8, 15, 9, 0)
EARLY = datetime(2016, 8, 1, 12, 0)  # before H1 2016's delivery opens
HENK = {"email": "henk@amsterdam.nl", "naam": "Henk de Vries", "telefoon": "020-1234567"}


@pytest.fixture
def make_ggk(make_party):
    """A GGk whose task worker runs (no neighbours: nothing is sent anywhere), on the
    ``clock`` fixture or, given ``start``, on a clock of its own that starts then."""
    def make(options: dict | None = None, start: datetime | None = None) -> Ggk:
        return make_party(Ggk, options, klok=SimulatedClock(start) if start else None, start=True)

    return make


@pytest.fixture
def ggk(make_ggk) -> Ggk:
    return make_ggk()


def mails(ggk: Ggk, aan: str, soort: str | None = None) -> list[dict]:
    assert ggk.tasks.wait_idle(5), f"the GGk did not finish its tasks: {ggk.tasks.listing()}"
    return [m for m in ggk.mails(aan) if soort is None or m["soort"] == soort]


def move(ggk: Ggk, clock: SimulatedClock, moment: datetime) -> None:
    clock.set(moment)
    assert ggk.tasks.wait_idle(5)


# ------------------------------------------------------------------ users


def test_register_user_with_personal_address(ggk):
    user = ggk.register_gebruiker("0363", HENK)
    assert user == {"gemeentecode": "0363", "email": "henk@amsterdam.nl", "naam": "Henk de Vries",
                    "telefoon": "020-1234567", "geregistreerd": "2016-08-15T09:00:00+02:00",
                    "bron": "aangemeld"}, user
    assert ggk.gebruikers("0363") == [user]


@pytest.mark.parametrize("gemeentecode,body,status", [
    pytest.param("0363", HENK | {"email": "henk"}, 422, id="not-an-address"),
    pytest.param("0363", HENK | {"email": "henk @amsterdam.nl"}, 422, id="space"),
    pytest.param("0363", HENK | {"email": None}, 422, id="no-address"),
    pytest.param("9999", HENK, 404, id="unknown-gemeente"),
    pytest.param("0363", "henk@amsterdam.nl", 400, id="not-an-object"),
])
def test_register_user_refused(ggk, gemeentecode, body, status):
    with pytest.raises(GebruikerRefused) as caught:
        ggk.register_gebruiker(gemeentecode, body)
    assert caught.value.status == status, caught.value
    assert ggk.gebruikers(gemeentecode) == []


def test_register_user_twice_in_one_gemeente_refused_409_other_gemeente_fine(ggk):
    ggk.register_gebruiker("0363", HENK)
    with pytest.raises(GebruikerRefused) as caught:
        ggk.register_gebruiker("0363", HENK | {"email": "Henk@Amsterdam.NL"})
    assert caught.value.status == 409 and "al geregistreerd" in str(caught.value), caught.value
    assert ggk.register_gebruiker("0518", HENK)["gemeentecode"] == "0518"


def test_uploading_user_is_registered_by_address_only_once(ggk):
    ggk.register_gebruiker("0363", HENK)
    for naam in ("WMO_H12016_a.csv", "WMO_H12016_b.csv"):
        ggk.upload("0363", "jan@amsterdam.nl", [(naam, b"a;b\r\n")])
    ggk.upload("0363", "henk@amsterdam.nl", [("WMO_H12016_c.csv", b"a;b\r\n")])
    ggk.upload("0363", "medewerker 12", [("WMO_H12016_d.csv", b"a;b\r\n")])  # not an address
    users = ggk.gebruikers("0363")
    assert [(u["email"], u["bron"]) for u in users] == [
        ("henk@amsterdam.nl", "aangemeld"), ("jan@amsterdam.nl", "upload")], users


# ------------------------------------------------------------------ rapport klaar


def test_http_rapport_klaar_mail_to_every_user_after_a_delivery(tmp_path: Path):
    with Chain(tmp_path, SimulatedClock(START)) as chain:
        ggk = chain.urls["ggk"]
        response = requests.post(f"{ggk}/api/v1/gemeenten/0363/gebruikers", json=HENK, timeout=10)
        assert response.status_code == 201, response.text
        requests.post(f"{ggk}/api/v1/gemeenten/0518/gebruikers", json=HENK | {"email": "a@denhaag.nl"},
                      timeout=10)
        delivered = requests.post(f"{chain.urls['gemeente']}/api/v1/aanleveringen",
                                  json={"rijen": 10, "seed": 1}, timeout=10)
        assert delivered.status_code == 201, delivered.text
        assert chain.wait_idle(15)
        downloads = requests.get(f"{ggk}/api/v1/gemeenten/0363/downloads", timeout=10).json()
        sent = requests.get(f"{ggk}/api/v1/mails", params={"aan": "henk@amsterdam.nl"}, timeout=10).json()
        assert len(sent) == len(downloads) == 2, f"one mail per report (technisch, op-orde): {sent}"
        for mail, download in zip(sent, downloads, strict=True):
            assert mail["soort"] == "rapport_klaar" and "rapport" in mail["onderwerp"], mail
            assert download["bestandsnaam"] in mail["tekst"] and "Beste Henk de Vries" in mail["tekst"]
            assert mail["tijdstip"].startswith("2016-08-15"), mail
        assert requests.get(f"{ggk}/api/v1/mails", params={"aan": "a@denhaag.nl"}, timeout=10).json() == [], (
            "a user of another gemeente hears nothing")
        users = requests.get(f"{ggk}/api/v1/gemeenten/0363/gebruikers", timeout=10).json()
        assert any(u["bron"] == "upload" for u in users), f"the gemeente simulator's uploader: {users}"


def test_rapport_klaar_mail_not_sent_twice_when_the_task_is_retried(ggk):
    ggk.register_gebruiker("0363", HENK)
    with ggk.store.transaction() as db:
        download_id = ggk.download_area.add(db, "0363", "rapport", "r.zip", b"PK", "application/zip")
    ggk.download_area.notify(download_id)  # as a retry would
    assert len(mails(ggk, "henk@amsterdam.nl", "rapport_klaar")) == 1


# ------------------------------------------------------------------ planned mails


def test_working_days_before_skips_weekend_and_holidays():
    kalender = Werkdagkalender()
    assert werkdagen_voor(kalender, date(2016, 9, 19), 3) == date(2016, 9, 14)
    assert werkdagen_voor(kalender, date(2016, 12, 28), 2) == date(2016, 12, 23), "Christmas"


def test_reminder_appears_only_when_the_clock_reaches_0900_three_working_days_before(ggk, clock):
    ggk.register_gebruiker("0363", HENK)
    ggk.set_tijdlijn(laad("H1 2016"))
    move(ggk, clock, datetime(2016, 9, 13, 9, 0))
    move(ggk, clock, datetime(2016, 9, 14, 8, 59))
    assert mails(ggk, "henk@amsterdam.nl", "herinnering") == [], "not before 09:00 on 14 September"
    move(ggk, clock, datetime(2016, 9, 14, 9, 0))
    [mail] = mails(ggk, "henk@amsterdam.nl", "herinnering")
    assert "19 september 2016" in mail["onderwerp"] and "H1 2016, H2 2015" in mail["tekst"], mail
    assert mail["tijdstip"].startswith("2016-09-14T09:00"), mail
    move(ggk, clock, datetime(2016, 10, 19, 9, 0))
    assert len(mails(ggk, "henk@amsterdam.nl", "herinnering")) == 2, "and before the correction deadline"


def test_reminder_working_days_are_an_option(make_ggk, clock):
    ggk = make_ggk({"herinnering_werkdagen": 5})
    ggk.register_gebruiker("0363", HENK)
    ggk.set_tijdlijn(laad("H1 2016"))
    move(ggk, clock, datetime(2016, 9, 12, 9, 0))
    assert len(mails(ggk, "henk@amsterdam.nl", "herinnering")) == 1


def test_reminder_option_invalid_refused_at_start(make_ggk):
    with pytest.raises(ValueError, match="herinnering_werkdagen"):
        make_ggk({"herinnering_werkdagen": -1})


def test_delivery_start_mail_to_timeline_gemeenten_resolved_when_due(ggk, clock):
    ggk.set_tijdlijn(laad("pilot 2017"))  # gemeenten 0363, 0344, 0088, 0599; opens 1 Feb 2017
    ggk.register_gebruiker("0363", HENK)  # registered after the timeline was loaded
    ggk.register_gebruiker("0518", HENK | {"email": "a@denhaag.nl"})
    move(ggk, clock, datetime(2017, 1, 31, 9, 0))
    assert mails(ggk, "henk@amsterdam.nl") == []
    move(ggk, clock, datetime(2017, 2, 1, 9, 0))
    [mail] = mails(ggk, "henk@amsterdam.nl", "levering_open")
    assert "H2 2016" in mail["onderwerp"] and mail["tijdstip"].startswith("2017-02-01T09:00"), mail
    assert mails(ggk, "a@denhaag.nl") == [], "Den Haag is not in the pilot's gemeenten"


def test_delivery_start_mail_to_every_registered_user_without_timeline_gemeenten(make_ggk):
    ggk = make_ggk(start=EARLY)
    clock = ggk.clock
    ggk.register_gebruiker("0363", HENK)
    ggk.register_gebruiker("0518", HENK | {"email": "a@denhaag.nl"})
    ggk.set_tijdlijn(laad("H1 2016"))
    assert mails(ggk, "henk@amsterdam.nl") == []
    move(ggk, clock, datetime(2016, 8, 15, 9, 0))
    assert len(mails(ggk, "henk@amsterdam.nl", "levering_open")) == 1
    assert len(mails(ggk, "a@denhaag.nl", "levering_open")) == 1


def test_optin_request_only_to_gemeenten_with_an_oporde_rapport(ggk, clock):
    ggk.register_gebruiker("0363", HENK)
    ggk.register_gebruiker("0518", HENK | {"email": "a@denhaag.nl"})
    ggk.set_tijdlijn(laad("H1 2016"))
    with ggk.store.transaction() as db:
        ggk.download_area.add(db, "0363", "rapport", "CBS_OPORDE_0363_H12016_20160815-090000-001.zip",
                          b"PK", "application/zip")
        ggk.download_area.add(db, "0518", "rapport", "CBS_TECHNISCH_0518_H12016_20160815-090000-002.zip",
                          b"PK", "application/zip")
    move(ggk, clock, datetime(2016, 11, 8, 9, 0))
    assert mails(ggk, "henk@amsterdam.nl", "optin_verzoek") == []
    move(ggk, clock, datetime(2016, 11, 9, 9, 0))
    [mail] = mails(ggk, "henk@amsterdam.nl", "optin_verzoek")
    assert "opt-in" in mail["onderwerp"] and "2 december 2016" in mail["tekst"], mail
    assert mails(ggk, "a@denhaag.nl", "optin_verzoek") == [], "no op-orde rapport, no request"


def test_timeline_reload_replaces_planned_mails_and_sends_none_twice(make_ggk):
    ggk = make_ggk(start=EARLY)
    clock = ggk.clock
    ggk.register_gebruiker("0363", HENK)
    ggk.set_tijdlijn(laad("H1 2016"))
    first = [t["data"] for t in ggk.tasks.later() if t["soort"] == TAAK]
    ggk.set_tijdlijn(laad("H1 2016 gepubliceerd"))
    later = [t for t in ggk.tasks.later() if t["soort"] == TAAK]
    assert first and {t["data"]["deadline"] for t in later} == {"", "2016-09-02", "2016-09-30"}, later
    open_ = [t for t in ggk.tasks.listing() if t["soort"] == TAAK and t["status"] == "open"]
    assert len(open_) == len(later), "the first timeline's planned mails are gone"
    ggk.set_tijdlijn(laad("H1 2016 gepubliceerd"))  # again, on the same day
    move(ggk, clock, datetime(2016, 10, 1, 9, 0))
    sent = mails(ggk, "henk@amsterdam.nl")
    assert [m["soort"] for m in sent] == ["levering_open", "herinnering", "herinnering"], sent
    assert "Over 3 werkdagen" in sent[1]["tekst"] and "2 september 2016" in sent[1]["onderwerp"]


def test_past_moments_are_not_planned(ggk, clock):
    clock.set(datetime(2016, 10, 1, 9, 0))
    ggk.set_tijdlijn(laad("H1 2016"))
    days = sorted(t["data"]["dag"] for t in ggk.tasks.later() if t["soort"] == TAAK)
    # the correction deadline's reminder, the opt-in request, the reminder before the opt-in deadline
    assert days == ["2016-10-19", "2016-11-09", "2016-11-29"], days


def test_http_mails_listing_filters_by_address(tmp_path: Path):
    with Chain(tmp_path, SimulatedClock(START)) as chain:
        ggk = chain.party("ggk")
        ggk.register_gebruiker("0363", HENK)
        ggk.register_gebruiker("0363", HENK | {"email": "jan@amsterdam.nl"})
        with ggk.store.transaction() as db:
            ggk.download_area.add(db, "0363", "foutrapport", "Fo01_x.xml", b"<x/>", "application/xml")
        assert chain.wait_idle(10)
        everything = requests.get(f"{chain.urls['ggk']}/api/v1/mails", timeout=10).json()
        assert sorted(m["aan"] for m in everything) == ["henk@amsterdam.nl", "jan@amsterdam.nl"]
        [jan] = requests.get(f"{chain.urls['ggk']}/api/v1/mails", params={"aan": "JAN@amsterdam.nl"},
                             timeout=10).json()
        assert set(jan) == {"id", "aan", "gemeentecode", "soort", "onderwerp", "tekst", "tijdstip"}, jan
        assert "foutrapport" in jan["onderwerp"] and "Fo01_x.xml" in jan["tekst"], jan
