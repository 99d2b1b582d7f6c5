"""What the soak (features/foutafhandeling/duurtest.feature) relies on: a seeded fault plan
that no message can fail to survive, and books that see a report placed twice."""

from __future__ import annotations

import inspect
from collections import defaultdict

import pytest

from ketentest.boekhouding import boeken
from simulators.beheer.storingen import Storingen
from simulators.tasks import Tasks
from steps.storingsplan import BUDGET, INGANGEN, PLAT_DUUR, kosten, maak_plan

ZADEN = range(300)


def test_the_same_seed_gives_the_same_plan_and_another_seed_another():
    assert maak_plan(2016) == maak_plan(2016)
    assert maak_plan(2016).beschrijving() == maak_plan(2016).beschrijving()
    assert maak_plan(2016) != maak_plan(2017)


def test_no_entrance_can_fail_one_task_as_often_as_its_retries_allow():
    """A task without a deadline is given up after its retries run out: the plan stays below that."""
    retries = len(inspect.signature(Tasks).parameters["retry_delays"].default)
    assert BUDGET < retries
    for zaad in ZADEN:
        besteed: dict[tuple[str, str], int] = defaultdict(int)
        for ronde in maak_plan(zaad).rondes:
            for ingang, storing in ronde:
                besteed[ingang.party, ingang.pad] += kosten(storing)
        assert max(besteed.values()) <= BUDGET, (zaad, dict(besteed))


def test_an_outage_costs_what_a_retrying_task_can_meet_in_it():
    delays = inspect.signature(Tasks).parameters["retry_delays"].default
    tries_within = 1 + sum(1 for n in range(1, len(delays)) if sum(delays[:n]) < PLAT_DUUR)
    assert kosten({"soort": "plat", "duur": PLAT_DUUR}) >= tries_within


def test_every_entrance_gets_a_fault_that_meets_traffic_in_the_first_round():
    for zaad in ZADEN:
        eerste = {(ingang.party, ingang.pad): storing for ingang, storing in maak_plan(zaad).rondes[0]}
        assert set(eerste) == {(i.party, i.pad) for i in INGANGEN}, zaad
        assert all(s["soort"] != "plat" and s["aantal"] >= 1 for s in eerste.values()), (zaad, eerste)


def test_the_send_folder_also_gets_the_ambiguous_acknowledgement():
    """RINIS takes a report PUT again as the same file, so the soak may cut the answer there
    after processing (reset_na, afgekapt); the plans of the seeds do."""
    na_verwerking = {storing["soort"] for zaad in ZADEN for ronde in maak_plan(zaad).rondes
                     for ingang, storing in ronde if ingang.pad == "/mappen/RGMSD101"}
    assert {"reset_na", "afgekapt"} & na_verwerking, na_verwerking


@pytest.mark.parametrize("zaad", [0, 1, 2016])
def test_every_planned_fault_is_one_a_party_accepts(clock, zaad):
    plan = maak_plan(zaad)
    for nummer in range(len(plan.rondes)):
        for storingen in plan.ronde(nummer).values():
            Storingen("proef", clock).arm(storingen)
    soorten = {s["soort"] for ronde in plan.rondes for _i, s in ronde}
    assert len(soorten) >= 5, f"a soak plan with too little variety: {soorten}"


def _e(richting, peer, soort, naam):
    return {"richting": richting, "peer": peer, "berichtcode": None, "referentienummer": None,
            "crossRefnummer": None, "soort": soort, "bestandsnaam": naam, "correlatie": "r"}


def test_a_report_placed_twice_is_doubled_however_often_cbs_offered_it():
    naam = "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf"
    twee_pogingen = [_e("uit", "rinis", "rapport", naam)] * 2
    dubbel = boeken({"cbs": twee_pogingen, "rinis": [_e("in", "cbs", "rapport", naam)] * 2})
    hop = next(h for h in dubbel.hops if h.soort == "rapport")
    assert (hop.herhaald, hop.gedupliceerd) == (1, 1) and not dubbel.sluitend
    eenmaal = boeken({"cbs": twee_pogingen, "rinis": [_e("in", "cbs", "rapport", naam)]})
    assert eenmaal.sluitend


def test_a_file_with_the_same_name_delivered_again_is_not_doubled():
    """Unlike a report, a delivery's name may come again: a gemeente corrects its file."""
    naam = "WMO_H12016_0363.csv"
    books = boeken({"rinis": [_e("uit", "cbs", "bestand", naam)] * 2,
                    "cbs": [_e("in", "rinis", "bestand", naam)] * 2})
    assert books.sluitend


def test_the_books_as_an_html_table_show_every_hop_and_mark_what_is_wrong():
    naam = "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf"
    html = boeken({"cbs": [_e("uit", "rinis", "rapport", naam)],
                   "rinis": [_e("in", "cbs", "rapport", naam)] * 2}).als_html()
    assert "<table>" in html and "cbs→rinis (rapport)" in html
    assert "color:#c00;font-weight:bold'>1</td>" in html
    assert "NIET sluitend: cbs→rinis (rapport): gedupliceerd = 1" in html
