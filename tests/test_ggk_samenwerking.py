"""Samenwerkingsverbanden at the GGk: the uitvoerder uploads for one member at a time,
members see each other's uploads and downloads, delegating members cannot withdraw."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
import requests

from simulators import stuf
from simulators.chain import Chain
from simulators.clock import SimulatedClock
from simulators.ggk.backend import Ggk
from simulators.ggk.common import IntrekkingRefused, SamenwerkingRefused, UploadRefused
from simulators.gmsd import generator
from simulators.party import PartyConfig
from simulators.tijdlijn import laad

START = datetime(2016, 8, 15, 9, 0)
CSV = b"Gemeente;Periode\r\n0547;H12016\r\n"
HOLLAND_RIJNLAND = {"naam": "Holland Rijnland", "uitvoerder": "0546", "leden": ["0547", "0579"],
                    "gedelegeerd": False}
PIET = {"gebruiker": "piet@leiderdorp.nl", "naam": "Piet Bakker", "telefoon": "071-1234567"}


@pytest.fixture
def make_ggk(make_party):
    """A bare GGk, not started, made with the partnerships ``verbanden`` (a list, or the
    option's JSON text) or, with None, without the option."""
    def make(verbanden: list | str | None = None) -> Ggk:
        return make_party(Ggk, {"samenwerkingsverbanden": verbanden} if verbanden is not None else None)

    return make


@pytest.fixture
def ggk(make_ggk) -> Ggk:
    return make_ggk([HOLLAND_RIJNLAND])


def upload(ggk: Ggk, namens: str, gemeentecode: str = "0546", naam: str = "WMO_H12016_lid.csv"):
    return ggk.upload(gemeentecode, "uitvoerder@leiden.nl", [(naam, CSV)], namens=namens)


# ------------------------------------------------------------------ namens


def test_upload_namens_a_member_is_filed_for_the_member(ggk):
    [result] = upload(ggk, "0547")
    assert result.gemeentecode == "0547", result
    [row] = ggk.uploads("0547")
    assert (row["gebruiker"], row["aangeleverd_door"]) == ("uitvoerder@leiden.nl", "0546"), row
    assert ggk.uploads("0546") == [], "nothing is filed for the uitvoerder itself"
    assert result.referenties[0][1] == "20160815-090000-001", "a GGk reference as for any upload"


def test_upload_namens_own_code_or_empty_is_an_ordinary_upload(ggk):
    upload(ggk, "0546")
    upload(ggk, "")
    rows = ggk.uploads("0546")
    assert [r["aangeleverd_door"] for r in rows] == [None, None], rows


@pytest.mark.parametrize("gemeentecode,namens", [
    pytest.param("0546", "0363", id="not-a-member"),
    pytest.param("0547", "0579", id="member-is-not-the-uitvoerder"),
])
def test_upload_namens_refused_403_without_the_right(ggk, gemeentecode, namens):
    with pytest.raises(UploadRefused) as caught:
        upload(ggk, namens, gemeentecode)
    assert caught.value.status == 403 and "uitvoerende gemeente" in str(caught.value), caught.value
    assert ggk.uploads(namens) == [] and ggk.tasks.listing() == []


@pytest.mark.parametrize("namens", ["0547,0579", "0547, 0579", "alle", "ALLE"])
def test_upload_for_several_gemeenten_refused_422_one_file_per_gemeente(ggk, namens):
    with pytest.raises(UploadRefused) as caught:
        upload(ggk, namens)
    assert caught.value.status == 422, caught.value
    assert "lever per gemeente een eigen bestand aan" in str(caught.value), caught.value
    assert ggk.uploads("0547") == [] and ggk.uploads("0579") == []


def test_upload_namens_unknown_code_refused_400(ggk):
    with pytest.raises(UploadRefused, match="onbekend") as caught:
        upload(ggk, "9999")
    assert caught.value.status == 400


# ------------------------------------------------------------------ configuration


def test_partnerships_set_at_run_time_win_over_the_option(make_ggk):
    ggk = make_ggk([HOLLAND_RIJNLAND])
    ggk.set_samenwerkingsverbanden([{"naam": "Amstelland", "uitvoerder": "0363", "leden": ["0437"]}])
    with pytest.raises(UploadRefused):
        upload(ggk, "0547")
    assert ggk.upload("0363", "henk@amsterdam.nl", [("WMO_H12016.csv", CSV)], namens="0437")
    assert [v.naam for v in ggk.samenwerkingsverbanden] == ["Amstelland"]


def test_partnerships_set_at_run_time_survive_a_restart(tmp_path, clock):
    config = PartyConfig(state_path=tmp_path / "ggk.sqlite3", clock=clock, urls={}, options={})
    first = Ggk(config)
    first.set_samenwerkingsverbanden([HOLLAND_RIJNLAND])
    first.stop()
    again = Ggk(config)
    try:
        assert [v.uitvoerder for v in again.samenwerkingsverbanden] == ["0546"]
    finally:
        again.stop()


@pytest.mark.parametrize("raw,named", [
    pytest.param({"naam": "x"}, "lijst", id="not-a-list"),
    pytest.param([HOLLAND_RIJNLAND | {"uitvoerder": "546"}], "onbekend", id="short-code"),
    pytest.param([HOLLAND_RIJNLAND | {"leden": []}], "geen leden", id="no-members"),
    pytest.param([HOLLAND_RIJNLAND | {"gedelegeerd": "ja"}], "true of false", id="gedelegeerd-text"),
    pytest.param([HOLLAND_RIJNLAND, HOLLAND_RIJNLAND], "twee keer", id="twice"),
])
def test_partnerships_invalid_refused(ggk, raw, named):
    with pytest.raises(SamenwerkingRefused) as caught:
        ggk.set_samenwerkingsverbanden(raw)
    assert caught.value.status == 400 and named in str(caught.value), caught.value


def test_partnership_option_as_json_text_from_the_command_line(make_ggk):
    ggk = make_ggk('[{"naam": "HR", "uitvoerder": "0546", "leden": ["0547"], "gedelegeerd": true}]')
    assert ggk.verbanden.delegated("0547").naam == "HR"


def test_partnership_option_invalid_refused_at_start(make_ggk):
    with pytest.raises(SamenwerkingRefused, match="onbekend"):
        make_ggk([HOLLAND_RIJNLAND | {"leden": ["9999"]}])


# ------------------------------------------------------------------ visibility


def test_member_sees_other_members_uploads_and_fetched_downloads(ggk, clock):
    upload(ggk, "0547", naam="WMO_H12016_leiderdorp.csv")
    with ggk.store.transaction() as db:
        fetched = ggk.download_area.add(db, "0547", "rapport", "CBS_TECHNISCH_0547_H12016_x.zip", b"PK",
                                    "application/zip")
        ggk.download_area.add(db, "0547", "rapport", "CBS_OPORDE_0547_H12016_x.zip", b"PK",
                          "application/zip")
    clock.set(datetime(2016, 8, 16, 10, 0))
    assert ggk.download("0547", fetched) is not None
    zicht = ggk.samenwerking("0579")
    assert zicht["samenwerkingsverbanden"] == ["Holland Rijnland"]
    leden = {lid["gemeentecode"]: lid for lid in zicht["leden"]}
    assert set(leden) == {"0546", "0547"}, "every other member, the uitvoerder included, not itself"
    [seen] = leden["0547"]["uploads"]
    assert seen == {"tijdstip": "2016-08-15T09:00:00+02:00", "bestandsnaam": "WMO_H12016_leiderdorp.csv",
                    "gebruiker": "uitvoerder@leiden.nl", "aangeleverd_door": "0546"}, seen
    [download] = leden["0547"]["downloads"]
    assert download["bestandsnaam"] == "CBS_TECHNISCH_0547_H12016_x.zip", "only what was fetched"
    assert download["opgehaald"].startswith("2016-08-16T10:00"), download
    assert leden["0546"]["rol"] == "uitvoerder" and leden["0546"]["uploads"] == []


def test_download_fetched_twice_keeps_the_first_moment(ggk, clock):
    with ggk.store.transaction() as db:
        download_id = ggk.download_area.add(db, "0547", "rapport", "r.zip", b"PK", "application/zip")
    ggk.download("0547", download_id)
    clock.set(datetime(2016, 8, 17, 9, 0))
    ggk.download("0547", download_id)
    [row] = ggk.downloads("0547")
    assert row["opgehaald"].startswith("2016-08-15"), row


def test_gemeente_outside_any_partnership_sees_nobody(ggk):
    assert ggk.samenwerking("0363") == {"gemeentecode": "0363", "samenwerkingsverbanden": [], "leden": []}


# ------------------------------------------------------------------ withdrawal


@pytest.fixture
def in_withdrawal_window(ggk, clock) -> Ggk:
    ggk.set_tijdlijn(laad("pilot fase II 2018"))
    clock.set(datetime(2018, 3, 12, 9, 0))
    return ggk


def test_delegating_member_cannot_withdraw_403(in_withdrawal_window):
    ggk = in_withdrawal_window
    ggk.set_samenwerkingsverbanden([HOLLAND_RIJNLAND | {"gedelegeerd": True}])
    with pytest.raises(IntrekkingRefused) as caught:
        ggk.intrekken("0547", PIET | {"periode": "H22017", "soorten": ["WMO"]})
    assert caught.value.status == 403, caught.value
    assert "formulier van het CBS" in str(caught.value) and "Holland Rijnland" in str(caught.value)


def test_member_that_did_not_delegate_and_the_uitvoerder_may_withdraw(in_withdrawal_window):
    ggk = in_withdrawal_window
    assert ggk.intrekken("0547", PIET | {"periode": "H22017", "soorten": ["WMO"]}).referentie
    ggk.set_samenwerkingsverbanden([HOLLAND_RIJNLAND | {"gedelegeerd": True}])
    assert ggk.intrekken("0546", PIET | {"periode": "H22017", "soorten": ["WMO"]}).referentie, (
        "the uitvoerder delegated nothing")


# ------------------------------------------------------------------ over HTTP, whole chain


def test_http_upload_namens_member_forwarded_as_the_member(tmp_path: Path):
    options = {"ggk": {"samenwerkingsverbanden": [HOLLAND_RIJNLAND]}}
    with Chain(tmp_path, SimulatedClock(START), options=options) as chain:
        ggk = chain.urls["ggk"]
        data = generator.generate("WMO", "0547", 2016, 1, date(2016, 8, 15))
        response = requests.post(f"{ggk}/api/v1/uploads", data={
            "gemeentecode": "0546", "gebruiker": "uitvoerder@leiden.nl", "namens": "0547"},
            files=[("bestand", ("WMO_H12016_lid.csv", data))], timeout=10)
        assert response.status_code == 201, response.text
        referentie = response.json()["uploads"][0]["referenties"][0]["referentie"]
        several = requests.post(f"{ggk}/api/v1/uploads", data={
            "gemeentecode": "0546", "gebruiker": "uitvoerder@leiden.nl", "namens": "0547,0579"},
            files=[("bestand", ("WMO_H12016_allen.csv", data))], timeout=10)
        assert several.status_code == 422, several.text
        assert several.json()["fout"] == "Upload geweigerd" and "per gemeente" in several.json()["melding"]
        assert chain.wait_idle(15)
        journal = requests.get(f"{ggk}/journal", params={"correlatie": referentie}, timeout=10).json()
        zenders = set()
        for entry in journal:
            if (entry["richting"], entry["soort"]) == ("uit", "Di01"):
                raw = requests.get(entry["payload"], timeout=10).content
                zenders.add(stuf.read_stuurgegevens(stuf.unwrap(raw)).zender.organisatie)
        assert zenders == {"0547"}, f"metadata and file go out with the member as zender: {zenders}"
        items = requests.get(f"{ggk}/api/v1/gemeenten/0547/downloads", timeout=10).json()
        assert items and items[0]["correlatie"] == referentie, "the report reaches the member's area"
        requests.get(f"{ggk}/api/v1/gemeenten/0547/downloads/{items[0]['id']}", timeout=10)
        items = requests.get(f"{ggk}/api/v1/gemeenten/0547/downloads", timeout=10).json()
        fetched = [i["bestandsnaam"] for i in items if i["opgehaald"]]  # the gemeente simulator fetches too
        zicht = requests.get(f"{ggk}/api/v1/gemeenten/0579/samenwerking", timeout=10).json()
        [lid] = [lid for lid in zicht["leden"] if lid["gemeentecode"] == "0547"]
        assert [u["bestandsnaam"] for u in lid["uploads"]] == ["WMO_H12016_lid.csv"], zicht
        assert items[0]["bestandsnaam"] in fetched
        assert [d["bestandsnaam"] for d in lid["downloads"]] == fetched, zicht


def test_http_partnerships_put_and_get(tmp_path: Path):
    with Chain(tmp_path, SimulatedClock(START)) as chain:
        url = f"{chain.urls['ggk']}/_beheer/samenwerkingsverbanden"
        put = requests.put(url, json={"samenwerkingsverbanden": [HOLLAND_RIJNLAND]}, timeout=10)
        assert put.status_code == 200 and put.json() == [HOLLAND_RIJNLAND], put.text
        assert requests.get(url, timeout=10).json() == [HOLLAND_RIJNLAND]
        bad = requests.put(url, json=[{"naam": "x"}], timeout=10)
        assert bad.status_code == 400 and "leden" in bad.json()["melding"], bad.text
        requests.post(f"{chain.urls['ggk']}/_beheer/reset", timeout=10)
        assert requests.get(url, timeout=10).json() == [], "a reset forgets them"
