"""Steps about the regie, the coordinator's page (docs/regie.md): one row per delivery with
its state at every party, faults in red and in words, parties that are down named, and the
same data as JSON.

The steps read the page in Debian's Chromium (steps/chromium.py) as a person does: the
deliveries table by its caption, a column by its header, a row by the GGk reference in its
row header; links and buttons by their visible name. A step that waits for the chain reloads
the page (or, where it says so, waits for the open page to update itself) until what it
looks for shows, and fails after :data:`WACHTTIJD` seconds saying what the page showed.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from json import dumps

import allure
import pytest
from playwright.sync_api import Locator, Page
from pytest_bdd import parsers, then, when

from ketentest.regie import STAPPEN, TOESTANDEN, RegieServer
from ketentest.regie.app import KOLOMMEN
from steps.aanlevering import Aanlevering
from steps.drivers.regie import RegieDriver, RegiePagina
from steps.gemeenten import GEMEENTE, parse_gemeente

WACHTTIJD = 15.0
"""How long a step waits for the chain to reach what it looks for (the chain takes well under
a second per delivery; the regie reads the parties again every 0.2 s)."""
PARTIJ = {"RINIS": "RINIS", "het GGk": "GGk", "het CBS": "CBS", "de gemeente": "gemeente"}
FILTER = {"gemeente": "Gemeente", "verslagperiode": "Verslagperiode", "soort": "Soort", "toestand": "Toestand"}


@pytest.fixture(scope="session")
def _regies() -> Iterator[dict]:
    """One regie per chain of the session (with or without TLS), started when first asked."""
    with contextlib.ExitStack() as stack:
        yield {"stack": stack}


@pytest.fixture
def regie(keten, _regies) -> RegieDriver:
    """The regie over the scenario's chain, as ``ketentest up`` serves it (in this process, on a
    free port, reading a TLS chain with the harness's certificate); it reads the parties again
    at most every 0.2 s."""
    if id(keten) not in _regies:
        tls = None if keten.tls is None else (keten.tls.ca, keten.tls.cert("harness"))
        server = _regies["stack"].enter_context(RegieServer(keten.urls, ttl=0.2, tls=tls))
        _regies[id(keten)] = RegieDriver(server.url, keten.session)
    return _regies[id(keten)]


@dataclass
class Regiepagina:
    """The coordinator at the regie in Chromium."""

    page: Page
    regie: RegieDriver

    def __repr__(self) -> str:  # short: Allure prints step arguments
        return f"Regiepagina({self.page.url})"

    def open(self, pad: str) -> None:
        antwoord = self.page.goto(self.regie.url(pad))
        assert antwoord is not None and antwoord.status == 200, (
            f"de regie gaf {antwoord.status if antwoord else 'geen antwoord'} op {pad}")

    def tabel(self) -> Locator:
        return self.page.get_by_role("table", name=re.compile(r"\d+ van \d+ leveringen"))

    def kolommen(self) -> list[str]:
        return [t.strip() for t in self.tabel().locator("thead th").all_inner_texts()]

    def rij(self, referentie: str) -> Locator:
        return self.tabel().get_by_role("row").filter(has=self.page.get_by_role("rowheader", name=referentie, exact=True))

    def cellen(self, referentie: str) -> dict[str, Locator]:
        """The row of one delivery, cell by column header; empty when the row is not there."""
        rij = self.rij(referentie)
        if rij.count() == 0:
            return {}
        return dict(zip(self.kolommen(), rij.locator("th, td").all(), strict=True))

    def wacht(self, kijk: Callable[[], str | None], wat: str, herladen: bool = True) -> None:
        """Until ``kijk`` finds nothing amiss (returns None), reloading the page between looks
        (or not: the page updates itself); fail after :data:`WACHTTIJD` s with its last finding."""
        deadline = time.monotonic() + WACHTTIJD
        while True:
            bevinding = kijk()
            if bevinding is None:
                return
            if time.monotonic() > deadline:
                pytest.fail(f"de regiepagina toonde binnen {WACHTTIJD:g} s niet {wat}: {bevinding}", pytrace=False)
            time.sleep(0.3)
            if herladen:
                self.page.reload()


def _json_tekst(data: object) -> str:
    return dumps(data, ensure_ascii=False, indent=1)


def _referentie(aanlevering: Aanlevering) -> str:
    assert aanlevering.referenties, f"de upload kreeg geen GGk-referentie: {aanlevering.antwoord}"
    return aanlevering.referenties[0]


def _toestand(tekst: str) -> str:
    key = next((k for k, t in TOESTANDEN.items() if t == tekst), None)
    assert key, f"toestand '{tekst}' kent de regie niet; kies uit {', '.join(TOESTANDEN.values())}"
    return key


def _toestand_is(pagina: Regiepagina, referentie: str, tekst: str) -> str | None:
    cellen = pagina.cellen(referentie)
    if not cellen:
        return f"geen rij voor {referentie}"
    getoond = cellen["Toestand"].inner_text().strip()
    return None if getoond == tekst else f"toestand '{getoond}'"


# -------------------------------------------------------------------- opening


@when("de ketencoördinator de regiepagina opent", target_fixture="regiepagina")
def _(scherm: Page, regie: RegieDriver) -> Regiepagina:
    """Open de regiepagina: alle leveringen met hun toestand bij elke partij.
    Voorbeeld: Als de ketencoördinator de regiepagina opent
    """
    pagina = Regiepagina(scherm, regie)
    pagina.open(RegiePagina.OVERZICHT)
    return pagina


@when("de ketencoördinator de levering opent")
def _(regiepagina: Regiepagina, aanlevering: Aanlevering) -> None:
    """Klik op de GGk-referentie van de levering: haar eigen pagina.
    Voorbeeld: Als de ketencoördinator de levering opent
    """
    referentie = _referentie(aanlevering)
    with regiepagina.page.expect_navigation():
        regiepagina.rij(referentie).get_by_role("link", name=referentie).click()


@when(parsers.re(r'de ketencoördinator filtert op (?P<veld>gemeente|verslagperiode|soort|toestand) '
                 r'"(?P<waarde>[^"]+)"'))
def _(regiepagina: Regiepagina, veld: str, waarde: str) -> None:
    """Kies in het filterformulier een waarde (zoals de keuzelijst haar toont) en klik op Tonen.
    Voorbeeld: Als de ketencoördinator filtert op soort "SBO"
    """
    regiepagina.page.get_by_label(FILTER[veld], exact=True).select_option(label=waarde)
    with regiepagina.page.expect_navigation():
        regiepagina.page.get_by_role("button", name="Tonen").click()


# ------------------------------------------------------------ one delivery


@then(parsers.re(rf'staat de levering op de regiepagina met gemeente "(?P<gemeente>{GEMEENTE})", '
                 r'bestand "(?P<bestand>[^"]+)", soort "(?P<soort>WMO|SBO|JEUGD)" en periode '
                 r'"(?P<periode>H[12]\d{4})"'))
def _(regiepagina: Regiepagina, aanlevering: Aanlevering, gemeente: str, bestand: str, soort: str,
      periode: str) -> None:
    """De rij van de levering (haar GGk-referentie) noemt gemeente, bestand, soort en verslagperiode.
    Voorbeeld: Dan staat de levering op de regiepagina met gemeente "Utrecht (0344)", bestand "WMO_H12016_regulier.csv", soort "WMO" en periode "H12016"
    """
    parse_gemeente(gemeente)
    referentie = _referentie(aanlevering)
    verwacht = {"Gemeente": gemeente, "Bestand": bestand, "Soort": soort, "Periode": periode}

    def kijk() -> str | None:
        cellen = regiepagina.cellen(referentie)
        if not cellen:
            return f"geen rij voor {referentie}"
        getoond = {k: cellen[k].inner_text().strip().splitlines()[0] for k in verwacht}
        return None if getoond == verwacht else f"{getoond}, verwacht {verwacht}"

    regiepagina.wacht(kijk, f"de levering {referentie}")


@then(parsers.re(r'volgt de regiepagina de levering stap voor stap tot "(?P<toestand>[^"]+)", elke stap met '
                 r"datum en tijd"))
def _(regiepagina: Regiepagina, aanlevering: Aanlevering, toestand: str) -> None:
    """De toestand van de levering is deze stap, en elke stap tot en met deze staat in haar rij met
    de datum en tijd waarop de partij hem zette.
    Voorbeeld: Dan volgt de regiepagina de levering stap voor stap tot "rapport opgehaald door de gemeente", elke stap met datum en tijd
    """
    referentie, doel = _referentie(aanlevering), _toestand(toestand)
    sleutels = [key for key, _, _ in STAPPEN]
    stappen = sleutels[:sleutels.index(doel) + 1]

    def kijk() -> str | None:
        anders = _toestand_is(regiepagina, referentie, toestand)
        if anders:
            return anders
        cellen = regiepagina.cellen(referentie)
        zonder = [KOLOMMEN[k] for k in stappen if cellen[KOLOMMEN[k]].locator("time").count() != 1]
        return f"zonder tijd: {', '.join(zonder)}" if zonder else None

    regiepagina.wacht(kijk, f"elke stap tot '{toestand}' met een tijd")
    cellen = regiepagina.cellen(referentie)
    for key in stappen:
        tijd = cellen[KOLOMMEN[key]].locator("time")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d", tijd.get_attribute("datetime")), (
            f"{KOLOMMEN[key]}: '{tijd.get_attribute('datetime')}' is geen tijdstip met datum")
        assert re.search(r"\b(ma|di|wo|do|vr|za|zo) \d{1,2} \w{3} \d\d:\d\d:\d\d", tijd.inner_text()), (
            f"{KOLOMMEN[key]} toont '{tijd.inner_text()}', geen dag met datum en tijd")


@then(parsers.re(r'toont de regiepagina bij het technisch rapport het oordeel "(?P<oordeel>goedgekeurd|afgekeurd)" '
                 r'en de SLA "(?P<stand>gehaald|te laat|loopt)"'))
def _(regiepagina: Regiepagina, aanlevering: Aanlevering, oordeel: str, stand: str) -> None:
    """Het oordeel staat bij de stap van het technisch rapport; de SLA-klok van het technisch
    rapport (werkdagen op de kalender van de tijdlijn) staat er in woorden bij.
    Voorbeeld: Dan toont de regiepagina bij het technisch rapport het oordeel "goedgekeurd" en de SLA "gehaald"
    """
    referentie = _referentie(aanlevering)

    def kijk() -> str | None:
        cellen = regiepagina.cellen(referentie)
        if not cellen:
            return f"geen rij voor {referentie}"
        rapport, sla = cellen[KOLOMMEN["technisch_rapport"]].inner_text(), cellen["SLA (werkdagen)"].inner_text()
        regel = next((r for r in sla.splitlines() if r.strip().startswith(("✓", "✗", "○"))
                      and "technisch rapport" in r), "")
        if oordeel not in rapport:
            return f"technisch rapport: '{rapport.strip()}'"
        if not re.search(rf"technisch rapport uiterlijk \w\w \d+ \w+ \d{{4}}: {stand}", regel):
            return f"SLA: '{sla.strip()}'"
        return None

    regiepagina.wacht(kijk, f"het oordeel '{oordeel}' met SLA '{stand}'")


@then("toont de regiepagina de reis van de berichten met een link naar elk bericht in de journalen")
def _(regiepagina: Regiepagina, keten) -> None:
    """De pagina van de levering tekent de reis (het sequentiediagram van het Allure-rapport) en
    noemt elk bericht uit de journalen van de partijen, elk met een link die het bericht opent.
    Voorbeeld: Dan toont de regiepagina de reis van de berichten met een link naar elk bericht in de journalen
    """
    page = regiepagina.page
    reis = page.get_by_role("region", name="Reis van de berichten").locator("svg")
    assert reis.count() == 1, "de pagina van de levering tekent geen reis"
    pijlen = reis.locator("g.stap").count()
    berichten = page.get_by_role("table", name=re.compile("journaalregels bij deze levering"))
    rijen = berichten.locator("tbody tr")
    assert rijen.count() >= pijlen > 0, f"{rijen.count()} berichten in de tabel, {pijlen} pijlen in de reis"
    links = [rij.get_by_role("link").get_attribute("href") for rij in rijen.all()]
    assert all(links), "niet elk bericht heeft een link naar zijn inhoud"
    for link in links:
        antwoord = keten.session.get(link, timeout=10)
        assert antwoord.status_code == 200 and antwoord.content, f"{link} gaf HTTP {antwoord.status_code}"
    allure.attach("\n".join(links), name="links naar de berichten", attachment_type=allure.attachment_type.TEXT)


@then("geeft de regie als JSON dezelfde leveringen als de pagina")
def _(regiepagina: Regiepagina, regie: RegieDriver, keten) -> None:
    """Wat een script bij de regie opvraagt (JSON) is wat de pagina toont: dezelfde leveringen,
    gemeente, bestand, soort, periode, toestand en de tijd van elke stap. Eerst is de keten stil;
    dan wordt vergeleken tot de regie ook alles gelezen heeft.
    Voorbeeld: Dan geeft de regie als JSON dezelfde leveringen als de pagina
    """
    keten.wait_idle()
    gelezen: dict = {}

    def kijk() -> str | None:
        pagina, data = _pagina_rijen(regiepagina), regie.leveringen()
        gelezen["json"] = data
        json = {lev["referentie"]: {
            "gemeente": f"{lev['gemeente']} ({lev['gemeentecode']})", "bestand": lev["bestandsnaam"],
            "soort": lev["soort"], "periode": lev["periode"],
            "toestand": "; ".join(f["berichtcode"] for f in lev["fouten"]) or lev["toestand_tekst"],
            "stappen": {k: (v or {}).get("tijdstip") for k, v in lev["stappen"].items()}}
            for lev in data["leveringen"]}
        for referentie, rij in pagina.items():
            codes = json.get(referentie, {}).get("toestand", "")
            if codes.startswith("Fo0") and all(code in rij["toestand"] for code in codes.split("; ")):
                rij["toestand"] = codes  # the page adds foutcode, sender and text
        if not pagina or data["aantal"] != len(pagina):
            return f"{len(pagina)} regels op de pagina, {data['aantal']} in de JSON"
        return None if pagina == json else f"de pagina toont {pagina}, de JSON zegt {json}"

    regiepagina.wacht(lambda: (regiepagina.open(RegiePagina.OVERZICHT), kijk())[1],
                      "dezelfde leveringen als de JSON", herladen=False)
    allure.attach(_json_tekst(gelezen["json"]), name="regie: /api/leveringen",
                  attachment_type=allure.attachment_type.JSON)


def _pagina_rijen(regiepagina: Regiepagina) -> dict[str, dict]:
    """Every row of the deliveries table as a person reads it, by GGk reference."""
    kolommen = regiepagina.kolommen()
    pagina = {}
    for rij in regiepagina.tabel().locator("tbody tr").all():
        cellen = dict(zip(kolommen, rij.locator("th, td").all(), strict=True))
        pagina[cellen["GGk-referentie"].inner_text().strip()] = {
            "gemeente": cellen["Gemeente"].inner_text().strip(),
            "bestand": cellen["Bestand"].inner_text().strip().splitlines()[0],
            "soort": cellen["Soort"].inner_text().strip(), "periode": cellen["Periode"].inner_text().strip(),
            "toestand": cellen["Toestand"].inner_text().strip(),
            "stappen": {k: (cellen[KOLOMMEN[k]].locator("time").get_attribute("datetime")
                            if cellen[KOLOMMEN[k]].locator("time").count() else None) for k, _, _ in STAPPEN}}
    return pagina


# ------------------------------------------------------------------- faults


@then(parsers.re(r'toont de regiepagina bij de levering een (?P<code>Fo01|Fo03) met foutcode "(?P<foutcode>\w+)" '
                 r"van (?P<afzender>RINIS|CBS|IB \(GGk\)), in rood en in woorden"))
def _(regiepagina: Regiepagina, aanlevering: Aanlevering, code: str, foutcode: str, afzender: str) -> None:
    """De toestand van de levering noemt de fout met berichtcode, foutcode, afzender en omschrijving,
    in rood: de kleur is niet het enige teken.
    Voorbeeld: Dan toont de regiepagina bij de levering een Fo01 met foutcode "RIN001" van RINIS, in rood en in woorden
    """
    referentie = _referentie(aanlevering)

    def kijk() -> str | None:
        cellen = regiepagina.cellen(referentie)
        if not cellen:
            return f"geen rij voor {referentie}"
        tekst = cellen["Toestand"].inner_text().strip()
        return None if re.search(rf"{code} {foutcode} van {re.escape(afzender)}: \S", tekst) else f"'{tekst}'"

    regiepagina.wacht(kijk, f"een {code} {foutcode} van {afzender} met omschrijving")
    fout = regiepagina.cellen(referentie)["Toestand"].locator(".fout").first
    kleur = fout.evaluate("e => getComputedStyle(e).color")
    rood, groen, blauw = (int(x) for x in re.findall(r"\d+", kleur)[:3])
    assert rood > 150 and groen < 90 and blauw < 90, f"de fout staat in {kleur}, niet in rood"


@then(parsers.re(r'telt de regiepagina (?P<aantal>\d+) levering(?:en)? met de toestand "(?P<toestand>[^"]+)"'))
def _(regiepagina: Regiepagina, aantal: str, toestand: str) -> None:
    """Het aantal leveringen per toestand boven de tabel.
    Voorbeeld: Dan telt de regiepagina 1 levering met de toestand "fout (Fo01/Fo03)"
    """
    _toestand(toestand)
    telling = regiepagina.page.get_by_role("listitem").filter(
        has=regiepagina.page.get_by_role("link", name=toestand, exact=True))

    def kijk() -> str | None:
        tekst = telling.inner_text().strip()
        return None if tekst == f"{toestand}: {aantal}" else f"'{tekst}'"

    regiepagina.wacht(kijk, f"{aantal} met de toestand '{toestand}'")


@then(parsers.re(r"meldt de regiepagina dat (?P<wie>RINIS|het GGk|het CBS|de gemeente) niet bereikbaar is, "
                 r"met de tijd van de regie"))
def _(regiepagina: Regiepagina, wie: str) -> None:
    """Boven de leveringen staat welke partij niet bereikbaar is en sinds wanneer (de klok van de
    regie: de partij zelf kan het niet zeggen), met haar laatst gemelde klok.
    Voorbeeld: Dan meldt de regiepagina dat RINIS niet bereikbaar is, met de tijd van de regie
    """
    patroon = re.compile(rf"{PARTIJ[wie]} is niet bereikbaar sinds \d\d:\d\d \(tijd van de regie\)")
    meldingen = regiepagina.page.get_by_role("status")

    def kijk() -> str | None:
        tekst = " | ".join(meldingen.all_inner_texts()) if meldingen.count() else "(geen meldingen)"
        return None if patroon.search(tekst) else tekst

    regiepagina.wacht(kijk, f"dat {PARTIJ[wie]} niet bereikbaar is")


@then("noemt de regiepagina geen storing meer")
def _(regiepagina: Regiepagina) -> None:
    """Geen partij is meer onbereikbaar: de melding is weg (de open pagina werkt zich bij).
    Voorbeeld: Dan noemt de regiepagina geen storing meer
    """
    regiepagina.wacht(lambda: None if regiepagina.page.get_by_role("status").count() == 0 else
                      " | ".join(regiepagina.page.get_by_role("status").all_inner_texts()),
                      "geen storing meer", herladen=False)


@then(parsers.re(r'toont de regiepagina de levering met de toestand "(?P<toestand>[^"]+)"'))
def _(regiepagina: Regiepagina, aanlevering: Aanlevering, toestand: str) -> None:
    """De rij van de levering staat in deze toestand (de pagina wordt zo nodig opnieuw geladen).
    Voorbeeld: Dan toont de regiepagina de levering met de toestand "geüpload bij het GGk"
    """
    _toestand(toestand)
    referentie = _referentie(aanlevering)
    regiepagina.wacht(lambda: _toestand_is(regiepagina, referentie, toestand), f"de toestand '{toestand}'")


@then(parsers.re(r'werkt de open regiepagina zich zonder herladen bij tot de toestand "(?P<toestand>[^"]+)"'))
def _(regiepagina: Regiepagina, aanlevering: Aanlevering, toestand: str) -> None:
    """De pagina die openstaat haalt zelf de nieuwe stand op (zonder dat iemand herlaadt).
    Voorbeeld: Dan werkt de open regiepagina zich zonder herladen bij tot de toestand "rapport opgehaald door de gemeente"
    """
    _toestand(toestand)
    referentie = _referentie(aanlevering)
    regiepagina.page.evaluate("window.regieNietHerladen = true")
    regiepagina.wacht(lambda: _toestand_is(regiepagina, referentie, toestand), f"de toestand '{toestand}'",
                      herladen=False)
    assert regiepagina.page.evaluate("window.regieNietHerladen === true"), "de pagina is herladen"


@then(parsers.re(r'toont de regiepagina alleen leveringen van soort "(?P<soort>WMO|SBO|JEUGD)"'))
def _(regiepagina: Regiepagina, soort: str) -> None:
    """Elke rij van de tabel is van deze soort, en er is er ten minste één.
    Voorbeeld: Dan toont de regiepagina alleen leveringen van soort "SBO"
    """
    kolommen = regiepagina.kolommen()
    soorten = [dict(zip(kolommen, rij.locator("th, td").all_inner_texts(), strict=True))["Soort"].strip()
               for rij in regiepagina.tabel().locator("tbody tr").all()]
    assert soorten and set(soorten) == {soort}, f"de tabel toont de soorten {soorten}"
