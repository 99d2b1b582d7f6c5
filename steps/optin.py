"""Steps about the opt-in, opt-out and withdrawal (intrekken) a gemeente's employee
submits through the GGk web service, and what CBS records of them (docs/optin.md)."""

from __future__ import annotations

from dataclasses import dataclass

import allure
from pytest_bdd import given, parsers, then, when

from steps.drivers import ChainError
from steps.klok import PERIODE

SET = {"Wmo": "WMO", "Jeugd": "JEUGD", "SBO": "SBO"}


@dataclass
class Medewerker:
    naam: str
    email: str
    telefoon: str
    gemeentecode: str

    def gegevens(self) -> dict:
        return {"gebruiker": self.email, "naam": self.naam, "telefoon": self.telefoon}


@dataclass
class Verzoek:
    """What the employee submitted and what the GGk answered."""

    soort: str  # opt-in, intrekking
    status: int
    antwoord: dict

    def __repr__(self) -> str:
        return f"Verzoek({self.soort}, HTTP {self.status})"


@given(parsers.re(r'medewerker "(?P<naam>[^"]+)" \((?P<email>[^,]+), (?P<telefoon>[^)]+)\) van de gemeente'),
       target_fixture="medewerker")
def _(keten, gemeente, naam: str, email: str, telefoon: str) -> Medewerker:
    """Registreer een medewerker met een persoonlijk e-mailadres bij het GGk.
    Voorbeeld: Gegeven medewerker "Henk de Vries" (henk@amsterdam.nl, 020-1234567) van de gemeente
    """
    response = keten.ggk.register_user(gemeente.code, email, naam, telefoon)
    if response.status_code not in (200, 201):
        raise ChainError(f"het GGk registreerde {email} niet: HTTP {response.status_code} {response.text[:300]}")
    return Medewerker(naam, email, telefoon, gemeente.code)


def _dien_in(keten, medewerker: Medewerker, body: dict, soort: str) -> Verzoek:
    """Submit an opt-in (``soort`` "opt-in") or a withdrawal ("intrekking") as the employee."""
    indienen = keten.ggk.submit_optin if soort == "opt-in" else keten.ggk.submit_intrekking
    response = indienen(medewerker.gemeentecode, medewerker.gegevens() | body)
    allure.attach(response.content, name=f"ggk → harness · {soort} HTTP {response.status_code}",
                  attachment_type=allure.attachment_type.JSON)
    return Verzoek(soort, response.status_code, response.json())


@when(parsers.re(rf"de medewerker voor {PERIODE} (?:een )?(?P<besluit>opt-in|opt-out) geeft "
                 r"voor (?P<sets>(?:Wmo|Jeugd|SBO)(?:(?:, | en )(?:Wmo|Jeugd|SBO))*)"),
      target_fixture="verzoek")
def _(keten, medewerker: Medewerker, periode: str, besluit: str, sets: str) -> Verzoek:
    """De medewerker geeft via het GGk een opt-in of opt-out voor één of meer sets.
    Voorbeeld: Als de medewerker voor H12016 een opt-in geeft voor Wmo, Jeugd en SBO
    """
    gekozen = [SET[s] for s in sets.replace(" en ", ", ").split(", ")]
    return _dien_in(keten, medewerker, {"periode": periode, "besluiten": {s: besluit for s in gekozen}}, "opt-in")


@when("de medewerker deze besluiten indient:", target_fixture="verzoek")
def _(keten, medewerker: Medewerker, datatable) -> Verzoek:
    """Meerdere besluiten in één formulier; kolommen periode, set en besluit.
    Voorbeeld: Als de medewerker deze besluiten indient:
    """
    kop, *regels = datatable
    assert kop[:3] == ["periode", "set", "besluit"], f"kolommen 'periode | set | besluit', niet {kop}"
    perioden = {r[0] for r in regels}
    assert len(perioden) == 1, "één formulier per verslagperiode (het portaal toont ze apart)"
    return _dien_in(keten, medewerker, {"periode": perioden.pop(), "besluiten": {
        SET[r[1]]: r[2] for r in regels}}, "opt-in")


@when(parsers.re(rf"de medewerker de levering van {PERIODE} intrekt"), target_fixture="verzoek")
def _(keten, medewerker: Medewerker, periode: str) -> Verzoek:
    """De medewerker trekt via het GGk de hele levering van een periode in.
    Voorbeeld: Als de medewerker de levering van H22017 intrekt
    """
    return _dien_in(keten, medewerker, {"periode": periode, "soorten": ["WMO", "JEUGD", "SBO"]}, "intrekking")


@then(parsers.re(r"neemt het GGk (?:het besluit|de intrekking) aan"))
def _(verzoek: Verzoek) -> None:
    """Aangenomen, met een GGk-referentienummer.
    Voorbeeld: Dan neemt het GGk het besluit aan
    """
    assert verzoek.status == 201, f"het GGk nam de {verzoek.soort} niet aan: {verzoek.antwoord}"
    assert verzoek.antwoord.get("referentie"), f"geen referentie in {verzoek.antwoord}"


@then(parsers.re(r"weigert het GGk (?:het besluit|de intrekking) met HTTP (?P<status>4\d\d) en een melding "
                 r'met "(?P<tekst>[^"]+)"'))
def _(verzoek: Verzoek, status: str, tekst: str) -> None:
    """Geweigerd met deze HTTP-status en een Nederlandse melding.
    Voorbeeld: Dan weigert het GGk het besluit met HTTP 422 en een melding met "9 november 2016"
    """
    assert verzoek.status == int(status), (
        f"het GGk antwoordde HTTP {verzoek.status}, verwacht {status}: {verzoek.antwoord}")
    melding = verzoek.antwoord.get("melding", "")
    assert tekst in melding, f"de melding '{melding}' noemt '{tekst}' niet"


@then(parsers.re(rf'legt het CBS bij de (?P<set>Wmo|Jeugd|SBO)-levering voor {PERIODE} '
                 r'"(?P<status>opt-in|opt-out|ingetrokken)" vast met de naam van de medewerker'))
def _(keten, gemeente, medewerker: Medewerker, set: str, periode: str, status: str) -> None:
    """Het besluit staat in het leveringsregister van het CBS, met wie het nam.
    Voorbeeld: Dan legt het CBS bij de Wmo-levering voor H12016 "opt-in" vast met de naam van de medewerker
    """
    keten.wait_idle()
    leveringen = keten.cbs.status(gemeente=gemeente.code, periode=periode, soort=SET[set])
    assert leveringen, f"het CBS kent geen {set}-levering van {gemeente.code} voor {periode}"
    historie = [h for lv in leveringen for h in lv["historie"] if h["status"] == status]
    assert historie, (f"het CBS legde geen '{status}' vast; statussen: "
                      f"{[h['status'] for lv in leveringen for h in lv['historie']]}")
    assert medewerker.naam in (historie[-1]["toelichting"] or ""), (
        f"de naam van de medewerker ontbreekt bij het besluit: {historie[-1]}")
