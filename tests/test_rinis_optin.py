"""RINIS and opt-in/withdrawal Di01s without HTTP: acknowledged, placed in CBS's inbox under
their own name without metadata, or refused afterwards with a Fo01 to the GGk.

The party is built but not started: the tests run its tasks by hand, so what each
task leaves behind (a file in a folder, the next task) can be seen.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from simulators import stuf
from simulators.clock import SimulatedClock
from simulators.gmsd.gemeenten import gemeenten
from simulators.rinis.backend import Rinis

START = datetime(2016, 11, 10, 12, 0)
NAAM = "OPTIN_H12016_0363_20161110120000.csv"
CSV = (b"Naam organisatie;verslagperiode;naam verzoek;conclusie;datumconclusie;naam van gebruiker;"
       b"emailadres;telefoonnummer\r\nAmsterdam;H12016;WMO;opt-in;20161110;Henk de Vries;"
       b"henk@amsterdam.nl;020-1234567\r\n")


@pytest.fixture
def rinis(make_party) -> Rinis:
    """Not started, on a clock of its own at START (the opt-in day), with neighbours'
    addresses that nothing answers at."""
    return make_party(Rinis, klok=SimulatedClock(START),
                      urls={"cbs": "http://cbs.invalid", "ggk": "http://ggk.invalid"})


def _di01(naam: str | None = NAAM, *, zender: str = "0363", functie: str = "GMSD-OPTIN",
          inhoud: bytes = CSV) -> stuf.Envelop:
    """The Di01 the GGk sends for an opt-in (``naam`` None: as an xmlBestand)."""
    sg = stuf.Stuurgegevens("Di01", stuf.Systeem(zender, "GGKWebservice", gemeenten()[zender][:50]),
                            stuf.Systeem("CBS", "GGk"), stuf.new_referentienummer(),
                            "20161110120000000", functie=functie)
    return stuf.Envelop(sg, stuf.Bestand(inhoud, naam))


def _receive(rinis: Rinis, envelop: stuf.Envelop) -> stuf.Antwoord:
    element = stuf.build_envelop(envelop)
    stuf.require_valid(element)
    payload, _status = rinis.receive(stuf.wrap(element))
    return stuf.read_antwoord(stuf.unwrap(payload))


def _run(rinis: Rinis, soort: str) -> list[dict]:
    """Run the open tasks of one kind by hand; returns their data."""
    done = []
    for task in rinis.tasks.listing():
        if task["soort"] == soort and task["status"] == "open":
            rinis.task_handlers()[soort](task["data"])
            rinis.store.execute("UPDATE taken SET status = 'klaar' WHERE id = ?", (task["id"],))
            done.append(task["data"])
    return done


def _open(rinis: Rinis, soort: str) -> list[dict]:
    return [t["data"] for t in rinis.tasks.listing() if t["soort"] == soort and t["status"] == "open"]


@pytest.mark.parametrize("functie,naam", [
    ("GMSD-OPTIN", NAAM),
    ("GMSD-INTREKKING", "INTREKKING_H22017_0363_20180301090000.csv"),
])
def test_rinis_optin_acknowledged_and_placed_under_its_own_name_without_metadata(rinis, functie, naam):
    envelop = _di01(naam, functie=functie)
    antwoord = _receive(rinis, envelop)
    assert antwoord.bevestigd, f"expected Bv03, got {antwoord.fout}"
    _run(rinis, "plaatsen")
    rows = rinis.store.query("SELECT map, naam, inhoud, metagegevens_id, referentienummer, gemeentecode,"
                             " correlatie FROM mapbestanden")
    assert [(r["map"], r["naam"], r["metagegevens_id"], r["gemeentecode"]) for r in rows] == [
        ("RGMSD001", naam, None, "0363")], [dict(r) for r in rows]
    assert bytes(rows[0]["inhoud"]) == CSV, "the CSV is placed as it came"
    assert rows[0]["referentienummer"] == envelop.stuurgegevens.referentienummer
    assert rows[0]["correlatie"] == naam, "the file's name correlates its journal lines"
    [melding] = _open(rinis, "cbs_melden")
    assert melding == {"map": "RGMSD001", "id": melding["id"], "naam": naam, "metagegevens_id": None}
    assert [i["naam"] for i in rinis.listing("RGMSD001", only_new=True)] == [naam], "CBS can poll it"
    assert _open(rinis, "fo01") == [], "nothing is refused"


def test_rinis_optin_fetched_and_picked_up_like_a_delivery(rinis):
    _receive(rinis, _di01())
    _run(rinis, "plaatsen")
    [melding] = _open(rinis, "cbs_melden")
    assert rinis.fetch("RGMSD001", melding["id"]) == (NAAM, CSV)
    assert rinis.mark_picked_up("RGMSD001", melding["id"])
    assert rinis.listing("RGMSD001", only_new=True) == [], "picked up: no longer new"


@pytest.mark.parametrize("naam,functie,melding", [
    pytest.param("OPTIN_H12016_0518_20161110120000.csv", "GMSD-OPTIN",
                 "de gemeentecode 0518 in bestandsnaam 'OPTIN_H12016_0518_20161110120000.csv' wijkt af "
                 "van de zender 0363", id="gemeentecode-not-zender"),
    pytest.param("optin_0363.csv", "GMSD-OPTIN", "volgt niet de vorm OPTIN_<periode>", id="bad-pattern"),
    pytest.param("OPTIN_H32016_0363_20161110120000.csv", "GMSD-OPTIN", "volgt niet de vorm",
                 id="bad-period"),
    pytest.param(NAAM, "GMSD-INTREKKING", "past niet bij functie GMSD-INTREKKING", id="name-not-functie"),
])
def test_rinis_optin_bad_name_acknowledged_then_refused_with_fo01(rinis, monkeypatch, naam, functie,
                                                                   melding):
    envelop = _di01(naam, functie=functie)
    assert _receive(rinis, envelop).bevestigd, "the Bv03 says only 'received'"
    _run(rinis, "plaatsen")
    assert rinis.store.query("SELECT * FROM mapbestanden") == [], "a refused file is not placed"
    assert _open(rinis, "cbs_melden") == [], "CBS is not told of a refused file"
    [bericht] = rinis.store.query("SELECT status, melding FROM berichten")
    assert bericht["status"] == "geweigerd" and melding in bericht["melding"], dict(bericht)

    sent = []
    monkeypatch.setattr(rinis.courier, "send_stuf", lambda peer, url, element, **kw: sent.append(
        (peer, url, element)) or stuf.Antwoord(stuf.Stuurgegevens(
            "Bv03", stuf.Systeem("0363", "GGk"), stuf.Systeem("RINIS", "RINIS-router"),
            stuf.new_referentienummer(), "20161110120001000")))
    assert _run(rinis, "fo01"), "a Fo01 task was made"
    [(peer, url, element)] = sent
    assert (peer, url) == ("ggk", "http://ggk.invalid/stuf/ontvang")
    stuf.require_valid(element)
    fo01 = stuf.read_antwoord(element)
    sg = fo01.stuurgegevens
    assert sg.berichtcode == "Fo01"
    assert sg.crossRefnummer == envelop.stuurgegevens.referentienummer, "it answers the refused Di01"
    assert (sg.zender.organisatie, sg.ontvanger.organisatie) == ("RINIS", "0363")
    assert fo01.fout.code == "RIN001" and melding[:100] in fo01.fout.omschrijving, fo01.fout
    assert fo01.fout.details == f"{functie}-00010000"


def test_rinis_optin_as_xml_bestand_refused_at_once_with_fo03(rinis):
    antwoord = _receive(rinis, _di01(None, inhoud=b"<a/>"))
    assert not antwoord.bevestigd and antwoord.fout.code == "StUF055", antwoord
    assert "tekstBestand" in antwoord.fout.omschrijving
    assert rinis.tasks.listing() == [], "a refused message causes no task"
