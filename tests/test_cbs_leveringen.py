"""CBS's delivery register: which delivery is current, what a correction does, and
that nothing superseded is deleted."""

from __future__ import annotations

from datetime import datetime

import pytest

from simulators.cbs import leveringen as lv
from simulators.clock import SimulatedClock
from simulators.store import Store


@pytest.fixture
def register(tmp_path):
    store = Store(tmp_path / "cbs.sqlite3", lv.SCHEMA)
    yield lv.Leveringen(store, SimulatedClock(datetime(2016, 8, 15, 9, 0)))
    store.close()


def _levering(register, aanmaakdatum: str | None, goedgekeurd: bool = True,
              gemeentecode: str = "0363", soort: str = "WMO") -> tuple[int, bool]:
    with register.store.transaction() as db:
        levering_id = register.received(
            db, aanlevering_id=1, gemeentecode=gemeentecode, periode="H12016", soort=soort,
            bestand=f"{soort}_H12016_{gemeentecode}.csv", ggk_referentie="20160815-090000-001",
            aanmaakdatum=aanmaakdatum, inhoud=b"x")
        actueel = register.judged(db, levering_id, goedgekeurd)
    return levering_id, actueel


def _status(register, levering_id: int) -> tuple[str, bool]:
    row = register.get(levering_id)
    return row["status"], bool(row["actueel"])


def test_a_first_approved_delivery_becomes_current(register):
    levering_id, actueel = _levering(register, "20160815090000")
    assert actueel
    assert _status(register, levering_id) == (lv.GOEDGEKEURD, True)
    [overzicht] = register.overview("0363", "H12016", "WMO")
    assert [h["status"] for h in overzicht["historie"]] == [lv.ONTVANGEN, lv.GOEDGEKEURD]


def test_a_newer_approved_delivery_supersedes_and_keeps_the_old_one(register):
    eerste, _ = _levering(register, "20160815090000")
    tweede, actueel = _levering(register, "20160916090000")
    assert actueel
    assert _status(register, eerste) == (lv.GECORRIGEERD, False)
    assert _status(register, tweede) == (lv.GOEDGEKEURD, True)
    assert register.get(eerste)["vervangen_door"] == tweede
    assert [lv_["id"] for lv_ in register.overview("0363", "H12016", "WMO")] == [tweede, eerste]


def test_an_older_file_sent_later_does_not_undo_a_correction(register):
    nieuw, _ = _levering(register, "20160916090000")
    oud, actueel = _levering(register, "20160815090000")
    assert not actueel
    assert _status(register, nieuw) == (lv.GOEDGEKEURD, True)
    assert _status(register, oud) == (lv.GOEDGEKEURD, False)
    assert "niet nieuwer" in register.get(oud)["opmerking"]


def test_a_delivery_with_the_same_aanmaakdatum_does_not_replace(register):
    eerste, _ = _levering(register, "20160815090000")
    _tweede, actueel = _levering(register, "20160815090000")
    assert not actueel and _status(register, eerste) == (lv.GOEDGEKEURD, True)


def test_a_rejected_delivery_never_replaces_an_approved_one(register):
    goed, _ = _levering(register, "20160815090000")
    fout, actueel = _levering(register, "20160916090000", goedgekeurd=False)
    assert not actueel
    assert _status(register, fout) == (lv.AFGEKEURD, False)
    assert _status(register, goed) == (lv.GOEDGEKEURD, True)


def test_an_unreadable_aanmaakdatum_never_replaces(register):
    _levering(register, "20160815090000")
    _zonder, actueel = _levering(register, None)
    assert not actueel


def test_sets_and_gemeenten_are_kept_apart(register):
    wmo, _ = _levering(register, "20160815090000")
    _sbo, actueel_sbo = _levering(register, "20160916090000", soort="SBO")
    _ander, actueel_ander = _levering(register, "20160916090000", gemeentecode="0344")
    assert actueel_sbo and actueel_ander
    assert _status(register, wmo) == (lv.GOEDGEKEURD, True)
    assert {r["soort"] for r in register.current("H12016")} == {"WMO", "SBO"}


def test_the_peers_a_spiegelrapport_compares_with_follow_every_new_and_corrected_delivery(register):
    """The peers are kept between reports, but a new gemeente, a correction and a withdrawn
    correction each change them at once: a report never compares with a superseded file."""
    def peers():
        return [(code, dict(cijfers)) for code, cijfers in register.peers(
            "H12016", "WMO", lambda _soort, _inhoud: {"ids": register.store.one(
                "SELECT MAX(id) AS n FROM leveringen")["n"]})]

    amsterdam, _ = _levering(register, "20160815090000")
    assert peers() == [("0363", {"ids": amsterdam})]
    assert register.peers("H12016", "WMO", None) is register.peers("H12016", "WMO", None), "kept"
    rotterdam, _ = _levering(register, "20160815090000", gemeentecode="0599")
    assert [code for code, _ in peers()] == ["0363", "0599"]
    correctie, _ = _levering(register, "20160916090000")
    assert peers() == [("0363", {"ids": correctie}), ("0599", {"ids": rotterdam})]
    with register.store.transaction() as db:
        register.intrek_correctie(db, gemeentecode="0363", periode="H12016", soort="WMO",
                                  toelichting="ingetrokken")
    assert peers()[0] == ("0363", {"ids": amsterdam})
