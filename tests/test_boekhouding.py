"""The chain's books: computed from journals, and closing only when nothing is lost,
doubled, unexpected or pending."""

from __future__ import annotations

from datetime import datetime

import pytest
import requests

from ketentest.boekhouding import boeken
from simulators.chain import Chain
from simulators.clock import SimulatedClock


def _e(richting, peer, code=None, ref=None, cross=None, soort=None, naam=None, correlatie="x"):
    return {"richting": richting, "peer": peer, "berichtcode": code, "referentienummer": ref,
            "crossRefnummer": cross, "soort": soort or code, "bestandsnaam": naam, "correlatie": correlatie}


def _stuf(ggk: list, rinis: list) -> dict:
    return {"ggk": ggk, "rinis": rinis}


def test_a_retried_message_counts_once_and_the_books_close():
    journalen = _stuf(
        [_e("uit", "rinis", "Di01", "a"), _e("uit", "rinis", "Di01", "a"),
         _e("in", "rinis", "Bv03", "b", "a")],
        [_e("in", "ggk", "Di01", "a"), _e("uit", "ggk", "Bv03", None, "a"),
         _e("in", "ggk", "Di01", "a"), _e("uit", "ggk", "Bv03", None, "a")])
    hop = boeken(journalen).hops[0]  # ggk→rinis (rinis→ggk carries nothing here)
    assert (hop.verzonden, hop.herhaald, hop.bevestigd, hop.afgeleverd) == (1, 1, 1, 1)
    assert hop.dubbel_onderdrukt == 1
    assert hop.sluitend


def test_a_message_sent_but_never_received_is_lost():
    journalen = _stuf([_e("uit", "rinis", "Di01", "a")], [])
    books = boeken(journalen)
    assert books.hops[0].verloren == 1 and not books.sluitend
    assert "ggk→rinis (stuf): verloren = 1" in books.afwijkingen()


def test_a_message_whose_sender_gave_up_after_its_deadline_is_surfaced_not_lost():
    """KT001: the GGk never reached RINIS and gave up at its deadline, with an alarm and an
    error report: failed and surfaced. An acknowledged message missing at RINIS stays lost."""
    journalen = _stuf([_e("uit", "rinis", "Di01", "a"), _e("uit", "rinis", "Di01", "a")], [])
    books = boeken(journalen, {"ggk": [{"status": "verlopen"}]})
    hop = books.hops[0]
    assert (hop.verloren, hop.mislukt) == (0, 1) and books.sluitend, books.als_tabel()
    acknowledged = _stuf([_e("uit", "rinis", "Di01", "a"), _e("in", "rinis", "Bv03", "b", "a")], [])
    assert boeken(acknowledged, {"ggk": [{"status": "verlopen"}]}).hops[0].verloren == 1


def test_a_message_nobody_sent_is_unexpected_and_two_answers_mean_handled_twice():
    journalen = _stuf([], [_e("in", "ggk", "Di01", "z"), _e("uit", "ggk", "Bv03", None, "z"),
                           _e("uit", "ggk", "Fo03", None, "z")])
    hop = boeken(journalen).hops[0]
    assert (hop.onverwacht, hop.gedupliceerd) == (1, 1)


def test_open_tasks_keep_the_books_open_and_a_fo03_counts_as_refused():
    journalen = _stuf([_e("uit", "rinis", "Di01", "a"), _e("in", "rinis", "Fo03", "f", "a")],
                      [_e("in", "ggk", "Di01", "a"), _e("uit", "ggk", "Fo03", None, "a")])
    books = boeken(journalen, {"ggk": [{"status": "open"}, {"status": "mislukt"}]})
    hop = books.hops[0]
    assert (hop.geweigerd, hop.open, hop.mislukt) == (1, 1, 1)
    assert not books.sluitend


def test_a_file_placed_twice_is_duplicated():
    journalen = {"rinis": [_e("uit", "cbs", soort="bestand", naam="W.csv")],
                 "cbs": [_e("in", "rinis", soort="bestand", naam="W.csv")] * 2}
    assert boeken(journalen).hops[0].gedupliceerd == 1


@pytest.mark.parametrize("refused", [False, True])
def test_an_upload_refused_with_4xx_is_answered_not_lost(refused):
    journalen = {"gemeente": [_e("uit", "ggk", soort="upload", naam="W.csv"),
                              _e("in", "ggk", soort="upload-antwoord", correlatie=None if refused else "r")],
                 "ggk": [] if refused else [_e("in", "gemeente", soort="upload", naam="W.csv")]}
    hop = boeken(journalen).hops[0]
    assert hop.verloren == 0 and hop.geweigerd == (1 if refused else 0)


def test_a_real_delivery_through_the_chain_closes_the_books(tmp_path):
    with Chain(tmp_path, SimulatedClock(datetime(2016, 8, 15, 9, 0))) as chain:
        response = requests.post(f"{chain.urls['gemeente']}/api/v1/aanleveringen",
                                 json={"gemeentecode": "0363", "rijen": 5}, timeout=20)
        assert response.status_code == 201
        items = requests.get(f"{chain.urls['ggk']}/api/v1/gemeenten/0363/downloads",
                             params={"wacht": 15}, timeout=20).json()
        assert items
        assert chain.wait_idle(10)
        journalen = {p: requests.get(f"{u}/journal", timeout=10).json() for p, u in chain.urls.items()}
        taken = {p: requests.get(f"{u}/_beheer/taken", timeout=10).json() for p, u in chain.urls.items()}
    books = boeken(journalen, taken)
    assert books.sluitend, books.als_tabel()
    by_hop = {hop.naam + ":" + hop.soort: hop for hop in books.hops}
    assert by_hop["gemeente→ggk:upload"].afgeleverd == 1
    assert by_hop["ggk→rinis:stuf"].verzonden == 2  # metadata and file
    assert by_hop["rinis→cbs:bestand"].afgeleverd == 2  # the file and its metadata sidecar
    assert by_hop["cbs→rinis:rapport"].afgeleverd >= 1
    assert "sluitend" in books.als_tabel()


def test_work_scheduled_for_later_is_not_open():
    from simulators.clock import AMSTERDAM
    journalen = _stuf([], [])
    taken = {"ggk": [{"status": "open", "niet_voor": "2016-11-07T08:00:00+00:00"},
                     {"status": "open", "niet_voor": "2016-08-15T06:00:00+00:00"}]}
    nu = datetime(2016, 8, 15, 9, 0, tzinfo=AMSTERDAM)
    assert boeken(journalen, taken, nu).hops[0].open == 1  # only the one already due
    assert boeken(journalen, taken).hops[0].open == 2
