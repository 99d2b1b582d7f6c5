"""The rules added for docs/regels.md, without HTTP: the derived opening of a delivery, the
burentest weeks, the reminders for the toestemmingen, the response to a spiegelrapport,
withdrawing only a correction, and CBS's table of inhabitants for the SBO threshold."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from simulators.cbs import inwoners
from simulators.cbs import leveringen as lv
from simulators.clock import SimulatedClock
from simulators.ggk import Ggk
from simulators.ggk.common import OptinRefused
from simulators.ggk.mail import planning
from simulators.store import Store
from simulators.tijdlijn import eerste_na_periode, laad

HENK = {"gebruiker": "henk@amsterdam.nl", "naam": "Henk de Vries", "telefoon": "020-1234567"}
OPORDE = "CBS_OPORDE_0363_H12016_20160815-090000-001.zip"


def test_delivery_opens_the_first_of_the_month_after_the_period():
    assert eerste_na_periode("H12016") == date(2016, 7, 1)
    assert eerste_na_periode("H22016") == date(2017, 1, 1)
    assert laad("H2 2016 werknotities").periode("H22016").levering_open == date(2017, 1, 1)
    assert laad("H1 2016").periode("H12016").levering_open == date(2016, 8, 15)  # a date given stays


def test_burentest_weeks_are_inclusive_and_only_where_named():
    pilot = laad("pilot 2017").periode("H22016")
    assert [pilot.in_burentest(date(2017, 1, d)) for d in (8, 9, 20, 21)] == [False, True, True, False]
    assert not laad("H1 2016").periode("H12016").in_burentest(date(2016, 8, 15))


def test_reminders_before_the_optin_deadline_and_the_end_of_withdrawal_count_working_days():
    plan = planning(laad("H2 2016 werknotities"), 3)
    assert ("herinnering_optin", date(2017, 4, 24), "2017-04-28") in plan  # Koningsdag 27 April skipped
    plan = planning(laad("pilot fase II 2018"), 3)
    assert plan[("herinnering_intrekken", date(2018, 3, 20), "2018-03-23")] == ["H22017", "H12017"]


# ------------------------------------------------------------------ GGk


@pytest.fixture
def ggk(make_party) -> Ggk:
    return make_party(Ggk)


def _report_for_an_upload(ggk: Ggk, csv: str = "WMO_H12016_regulier.csv") -> None:
    with ggk.store.transaction() as db:
        upload_id = db.execute(
            "INSERT INTO uploads (referentienummer, meta_referentienummer, gemeentecode, gebruiker,"
            " bestandsnaam, bestandsnaam_envelop, tijdstip, inhoud) VALUES ('a','b','0363','x',?,?,?,?)",
            (csv, csv, "2016-08-15T09:00:00", b"x")).lastrowid
        db.execute("INSERT INTO referenties VALUES (?,?,?)", ("20160815-090000-001", upload_id, csv))
        ggk.download_area.add(db, "0363", "rapport", OPORDE, b"PK", "application/zip",
                              correlatie="20160815-090000-001")


def test_reactie_on_a_spiegelrapport_goes_as_one_signed_csv_for_the_reports_set(ggk):
    _report_for_an_upload(ggk)
    result = ggk.optin_desk.reactie("0363", HENK | {"rapport": OPORDE, "conclusie": "terugmelding",
                                                   "toelichting": "te weinig cliënten"})
    assert result.bestandsnaam.startswith("REACTIE_H12016_0363_") and result.bestandsnaam.endswith(".zip")
    [row] = ggk.optins("0363")
    assert (row["soort"], row["besluiten"]) == ("reactie", {"WMO": "terugmelding"})
    inhoud = ggk.store.one("SELECT inhoud FROM optins")["inhoud"].decode()
    assert inhoud.splitlines()[1].endswith(f";{OPORDE};te weinig cliënten")


@pytest.mark.parametrize(("extra", "named"), [
    ({"rapport": OPORDE.replace("OPORDE", "TECHNISCH"), "conclusie": "akkoord"}, "geen spiegelrapport"),
    ({"rapport": OPORDE, "conclusie": "terugmelding", "toelichting": " "}, "vul de toelichting in"),
    ({"rapport": OPORDE, "conclusie": "misschien"}, "akkoord of terugmelding"),
    ({"rapport": OPORDE, "conclusie": "terugmelding", "toelichting": "a;b"}, "puntkomma"),
])
def test_reactie_refused_with_the_reason(ggk, extra, named):
    _report_for_an_upload(ggk)
    with pytest.raises(OptinRefused, match=named):
        ggk.optin_desk.reactie("0363", HENK | extra)
    assert ggk.optins("0363") == []


def test_withdrawing_only_the_correction_travels_as_correctie_ingetrokken(ggk):
    body = HENK | {"periode": "H12016", "soorten": ["WMO"]}
    ggk.optin_desk.intrekken("0363", body | {"alleen_correctie": True})
    [row] = ggk.optins("0363")
    assert row["besluiten"] == {"WMO": "correctie ingetrokken"}
    with pytest.raises(OptinRefused, match="alleen_correctie"):
        ggk.optin_desk.intrekken("0363", body | {"alleen_correctie": "ja"})


# ------------------------------------------------------------------ CBS


@pytest.fixture
def register(tmp_path):
    store = Store(tmp_path / "cbs.sqlite3", lv.SCHEMA + inwoners.SCHEMA)
    yield lv.Leveringen(store, SimulatedClock(datetime(2018, 2, 12, 9, 0)))
    store.close()


def _levering(register, aanmaakdatum: str, bestand: str) -> int:
    with register.store.transaction() as db:
        levering_id = register.received(db, aanlevering_id=1, gemeentecode="0363", periode="H22017",
                                        soort="WMO", bestand=bestand, ggk_referentie="r",
                                        aanmaakdatum=aanmaakdatum, inhoud=b"x")
        register.judged(db, levering_id, True)
        register.set_status(db, levering_id, lv.OPORDE_VERZONDEN)
    return levering_id


def test_withdrawing_the_correction_makes_the_previous_delivery_current_again(register):
    eerste = _levering(register, "20180212090000", "WMO_H22017_eerste_0363.csv")
    correctie = _levering(register, "20180213090000", "WMO_H22017_correctie_0363.csv")
    with register.store.transaction() as db:
        assert register.intrek_correctie(db, gemeentecode="0363", periode="H22017", soort="WMO",
                                         toelichting="door Anna") == correctie
    assert (register.get(correctie)["status"], register.get(correctie)["actueel"]) == (
        lv.CORRECTIE_INGETROKKEN, 0)
    assert (register.get(eerste)["status"], register.get(eerste)["actueel"]) == (lv.OPORDE_VERZONDEN, 1)
    with register.store.transaction() as db, pytest.raises(ValueError, match="geen correctielevering"):
        register.intrek_correctie(db, gemeentecode="0363", periode="H22017", soort="WMO", toelichting="")


def test_inwoners_from_the_file_and_from_a_test(tmp_path, register):
    bestand = tmp_path / "inwoners.csv"
    bestand.write_text("gemeentecode;inwoners;iv3\n0088;950;nee\n0096;1100;ja\n", encoding="utf-8")
    tabel = inwoners.Inwoners(register.store, {"inwoners_bestand": str(bestand)})
    assert (tabel.toets("0088").inwoners, tabel.toets("0088").iv3) == (950, False)
    assert tabel.toets("0096").iv3 and tabel.toets("0363") is None
    assert tabel.zet({"inwoners": {"0363": 834_713}})["inwoners"] == {"0363": 834_713}
    assert tabel.toets("0363").inwoners == 834_713 and tabel.toets("0363").drempel == 20_000
    for fout in ({"inwoners": {"363": 1}}, {"iv3": "0363"}, {"andere": 1}, [], {"inwoners": {"0363": True}}):
        with pytest.raises(inwoners.InwonersRefused):
            tabel.zet(json.loads(json.dumps(fout)))


def test_the_shipped_table_of_inhabitants_names_no_gemeente():
    assert inwoners.lees_bestand(inwoners.BESTAND) == {}
