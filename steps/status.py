"""Steps about CBS's delivery register: the status per gemeente, period and set."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from steps.klok import PERIODE

SOORT = {"Wmo": "WMO", "SBO": "SBO", "Jeugd": "JEUGD", "WMO": "WMO", "JEUGD": "JEUGD"}


def _levering_tekst(leveringen: list[dict]) -> str:
    return "; ".join(f"{lv['bestand']}: {lv['status']}" for lv in leveringen) or "geen leveringen"


@then(parsers.re(rf"is de status van de (?P<soort>Wmo|SBO|Jeugd)-levering voor {PERIODE} "
                 r'bij het CBS "(?P<status>[^"]+)"'))
def _(keten, gemeente, soort: str, periode: str, status: str) -> None:
    """De nieuwste levering van deze set heeft bij het CBS deze status.
    Voorbeeld: Dan is de status van de Wmo-levering voor H12016 bij het CBS "op-orde verzonden"
    """
    keten.wait_idle()
    leveringen = keten.cbs.status(gemeente=gemeente.code, periode=periode, soort=SOORT[soort])
    assert leveringen, f"het CBS kent geen {soort}-levering van {gemeente.code} voor {periode}"
    assert leveringen[0]["status"] == status, (
        f"status is '{leveringen[0]['status']}', verwacht '{status}' ({_levering_tekst(leveringen)})")


@then(parsers.re(rf"heeft de vorige (?P<soort>Wmo|SBO|Jeugd)-levering voor {PERIODE} "
                 r'bij het CBS de status "(?P<status>[^"]+)" en is zij bewaard'))
def _(keten, gemeente, soort: str, periode: str, status: str) -> None:
    """De levering vóór de nieuwste bestaat nog en heeft deze status.
    Voorbeeld: Dan heeft de vorige Wmo-levering voor H12016 bij het CBS de status "gecorrigeerd" en is zij bewaard
    """
    keten.wait_idle()
    leveringen = keten.cbs.status(gemeente=gemeente.code, periode=periode, soort=SOORT[soort])
    assert len(leveringen) >= 2, f"het CBS bewaarde geen eerdere levering: {_levering_tekst(leveringen)}"
    assert leveringen[1]["status"] == status, (
        f"de vorige levering heeft status '{leveringen[1]['status']}', verwacht '{status}'")
    assert leveringen[0]["actueel"] and not leveringen[1]["actueel"], (
        "de nieuwste levering hoort de actuele te zijn, de vorige niet")


@when(parsers.re(rf"het CBS spiegelrapport II verstuurt voor verslagperiode {PERIODE}"))
def _(keten, periode: str) -> None:
    """Het CBS stuurt spiegelrapport II aan elke gemeente met een actuele levering.
    Voorbeeld: Als het CBS spiegelrapport II verstuurt voor verslagperiode H12016
    """
    keten.wait_idle()
    assert keten.cbs.send_spiegelrapporten2(periode) > 0, f"het CBS had voor {periode} niets te versturen"
