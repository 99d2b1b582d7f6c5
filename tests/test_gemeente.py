"""The gemeente's own rules without HTTP: which requests for a file it refuses, and why.

The party is built but not started, with a GGk address nothing answers at: a refused
request must never reach the GGk."""

from __future__ import annotations

import pytest

from simulators.gemeente.backend import MAX_RIJEN_TESTBESTAND, Gemeente, Refused


@pytest.fixture
def gemeente(make_party) -> Gemeente:
    return make_party(Gemeente, urls={"ggk": "http://ggk.invalid"})


@pytest.mark.parametrize("request_,fout,melding", [
    pytest.param({"soort": "aow"}, "Onbekende soort", "niet 'AOW'", id="unknown-soort"),
    pytest.param({"rijen": "veel"}, "Ongeldige invoer", "gehele getallen", id="rijen-not-a-number"),
    pytest.param({"jaar": None}, "Ongeldige invoer", "gehele getallen", id="jaar-null"),
    pytest.param({"halfjaar": 3}, "Ongeldige invoer", "halfjaar is 1 of 2", id="halfjaar-3"),
    pytest.param({"rijen": 0}, "Ongeldige invoer", "rijen tussen 1 en 1.000.000", id="no-rows"),
    pytest.param({"rijen": 1_000_001}, "Ongeldige invoer", "rijen tussen 1 en 1.000.000", id="too-many"),
])
def test_deliver_composed_bad_request_refused_400_before_the_ggk(gemeente, request_, fout, melding):
    with pytest.raises(Refused) as caught:
        gemeente.deliver_composed(request_)
    assert caught.value.status == 400, caught.value.status
    assert caught.value.answer["fout"] == fout and melding in caught.value.answer["melding"], (
        caught.value.answer)
    assert gemeente.store.query("SELECT * FROM aanleveringen") == [], "nothing was uploaded"


def test_test_file_names_every_fault_at_once(gemeente):
    keuze = {"soort": "AOW", "gemeente": "9999", "periode": "2016", "rijen": "x", "seed": ""}
    with pytest.raises(Refused) as caught:
        gemeente.test_file(keuze)
    melding = str(caught.value)
    assert caught.value.status == 400 and melding.startswith("Geen bestand gemaakt: "), melding
    for reden in ("kies een soort uit WMO, SBO, JEUGD", "'9999' is geen gemeentecode",
                  "'2016' is geen verslagperiode", "gehele getallen"):
        assert reden in melding, f"{reden!r} missing from {melding!r}"


def test_test_file_at_most_the_page_limit(gemeente):
    keuze = {"soort": "WMO", "gemeente": "0363", "periode": "H12016", "seed": "1"}
    with pytest.raises(Refused, match=f"tussen 1 en {MAX_RIJEN_TESTBESTAND}"):
        gemeente.test_file(keuze | {"rijen": str(MAX_RIJEN_TESTBESTAND + 1)})
    naam, data = gemeente.test_file(keuze | {"rijen": "3"})
    assert naam.startswith("WMO_H12016") and len(data.splitlines()) == 4, (naam, data[:200])


@pytest.mark.parametrize("body", [None, [], {"gemeentecode": "0363"}, {"download_id": 1},
                                  {"gemeentecode": "0363", "download_id": "1"}])
def test_notified_without_gemeentecode_and_download_id_refused(gemeente, body):
    with pytest.raises(Refused) as caught:
        gemeente.notified(body)
    assert (caught.value.status, caught.value.fout) == (400, "Ongeldige melding")
    assert gemeente.tasks.listing() == [], "nothing to fetch"


def test_report_unknown_refused_404(gemeente):
    with pytest.raises(Refused) as caught:
        gemeente.report(7)
    assert (caught.value.status, str(caught.value)) == (404, "rapport 7 bestaat niet")
