"""Steps about the chain's books: nothing lost, nothing doubled (simulators/boekhouding.py)."""

from __future__ import annotations

import json

import allure
from pytest_bdd import then

from simulators.boekhouding import boeken


def boeken_van_scenario(keten):
    """The books over what the parties journalled since the scenario began."""
    taken = {party: keten.get(party, "/_beheer/taken").json() for party in keten.urls}
    return boeken(keten.journal_since(keten.marks), taken, keten.clock())


@then("is de boekhouding van de keten sluitend")
def _(keten) -> None:
    """Na het leeglopen van de keten: per hop niets verloren, dubbel verwerkt, onverwacht of open.
    Voorbeeld: Dan is de boekhouding van de keten sluitend
    """
    keten.wait_idle()
    books = boeken_van_scenario(keten)
    allure.attach(books.als_tabel(), name="boekhouding per hop", attachment_type=allure.attachment_type.TEXT)
    allure.attach(json.dumps(books.als_json(), ensure_ascii=False, indent=1), name="boekhouding (JSON)",
                  attachment_type=allure.attachment_type.JSON)
    assert books.sluitend, "de boekhouding sluit niet:\n" + books.als_tabel()
