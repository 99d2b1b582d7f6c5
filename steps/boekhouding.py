"""Steps about the chain's books: nothing lost, nothing doubled (ketentest/boekhouding.py);
and the many deliveries of a soak, whose books must close just the same."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

import allure
from pytest_bdd import parsers, then, when

from ketentest.boekhouding import boeken
from simulators.gmsd.gemeenten import gemeenten
from steps.drivers import ChainError, WrongAnswerError
from steps.storingsplan import Storingsplan, arm_ronde

HOP_KOLOMMEN = ("verzonden", "herhaald", "bevestigd", "afgeleverd", "dubbel_onderdrukt", "gedupliceerd",
                "verloren", "onverwacht", "geweigerd", "open", "mislukt")
RONDE_SECONDEN = 30.0
"""How long one round of a soak may take to pass through the chain."""


@dataclass(frozen=True)
class Levering:
    """One delivery of a soak: who delivered what, and the GGk reference it got."""

    gemeentecode: str
    bestandsnaam: str
    referentie: str


def boeken_van_scenario(keten, marks: dict[str, int]):
    """The books over what the parties journalled since the scenario began (``marks``)."""
    return boeken(keten.journal_since(marks), keten.tasks(), keten.clock())


def toon(books) -> None:
    """The books in the report: as a table, as text and as JSON."""
    allure.attach(books.als_html(), name="boekhouding per hop · tabel", attachment_type=allure.attachment_type.HTML)
    allure.attach(books.als_tabel(), name="boekhouding per hop", attachment_type=allure.attachment_type.TEXT)
    allure.attach(json.dumps(books.als_json(), ensure_ascii=False, indent=1), name="boekhouding (JSON)",
                  attachment_type=allure.attachment_type.JSON)


@then("is de boekhouding van de keten sluitend")
def _(keten, marks) -> None:
    """Na het leeglopen van de keten: per hop niets verloren, dubbel verwerkt, onverwacht of open.
    Voorbeeld: Dan is de boekhouding van de keten sluitend
    """
    keten.wait_idle()
    books = boeken_van_scenario(keten, marks)
    toon(books)
    if not books.sluitend:
        raise WrongAnswerError("de boekhouding sluit niet", "per hop niets verloren, dubbel, onverwacht of open",
                               "zie de tabel", detail=books.als_tabel())


@then("is de boekhouding per hop:")
def _(keten, marks, datatable) -> None:
    """De boeken per hop (zie docs/storingen.md) hebben precies deze waarden, voor de kolommen in de
    tabel; de hop heet als in de tags (gemeente-ggk, ggk-rinis, rinis-cbs, cbs-rinis, rinis-ggk).
    Voorbeeld: Dan is de boekhouding per hop:
    """
    kop, *regels = datatable
    onbekend = [k for k in kop[1:] if k not in HOP_KOLOMMEN]
    assert kop[0] == "hop" and not onbekend, (
        f"de tabel begint met 'hop' en heeft verder kolommen uit {', '.join(HOP_KOLOMMEN)}; niet {onbekend}")
    keten.wait_idle()
    books = boeken_van_scenario(keten, marks)
    toon(books)
    per_hop = {f"{hop.van}-{hop.naar}": hop for hop in books.hops}
    afwijkend = []
    for naam, *verwacht in regels:
        assert naam in per_hop, f"hop '{naam}' bestaat niet; wel: {', '.join(per_hop)}"
        hop = per_hop[naam]
        for kolom, waarde in zip(kop[1:], verwacht, strict=True):
            gezien = hop.herhaald if kolom == "herhaald" else getattr(hop, kolom)
            if str(gezien) != waarde.strip():
                afwijkend.append(f"{naam} {kolom}: {gezien}, verwacht {waarde.strip()}")
    assert not afwijkend, "de boekhouding wijkt af:\n" + "\n".join(afwijkend) + "\n" + books.als_tabel()


@when(parsers.re(r"(?P<aantal>\d+) gemeenten elk een Wmo-bestand aanleveren"), target_fixture="leveringen")
def _(keten, storingsplan: Storingsplan | None, aantal: str) -> list[Levering]:
    """Zoveel verschillende gemeenten leveren elk een eigen Wmo-bestand aan (25 cliënten, hun code in de
    naam), een paar tegelijk. Met willekeurige storingen gaat dat in rondes: een deel van de gemeenten
    levert aan onder de storingen van die ronde en de keten verwerkt dat deel (de rapporten gaan terug)
    voor de volgende ronde storingen ingaat, zodat de storingen op elke hop verkeer treffen.
    Voorbeeld: Als 200 gemeenten elk een Wmo-bestand aanleveren
    """
    codes = sorted(gemeenten())
    n = int(aantal)
    if not 0 < n <= len(codes):
        raise ChainError(f"kies 1 tot {len(codes)} gemeenten, niet {n}")
    rondes = len(storingsplan.rondes) if storingsplan else 1
    stuk = -(-n // rondes)
    leveringen: list[Levering] = []
    for ronde in range(rondes):
        deel = codes[ronde * stuk:min(n, (ronde + 1) * stuk)]
        if storingsplan and ronde:
            arm_ronde(keten, storingsplan, ronde)
        specs = [{"gemeentecode": code, "soort": "WMO", "rijen": 25, "seed": int(code),
                  "vrije_tekst": f"duurtest{code}"} for code in deel]
        for spec, response in zip(specs, keten.gemeente.compose_and_deliver_many(specs), strict=True):
            if response.status_code != 201:
                raise ChainError(f"{spec['gemeentecode']} kon niet aanleveren: HTTP {response.status_code} "
                                 f"{response.text[:300]}")
            upload = response.json()["uploads"][0]
            leveringen.append(Levering(spec["gemeentecode"], upload["bestandsnaam"],
                                       upload["referenties"][0]["referentie"]))
        if storingsplan:
            keten.wait_idle(RONDE_SECONDEN)
    return leveringen


@then(parsers.re(r"is de keten binnen (?P<seconden>\d+) seconden leeggelopen"))
def _(keten, seconden: str) -> None:
    """Geen partij heeft nog werk open en er gaan geen berichten meer: de keten is tot rust gekomen.
    Voorbeeld: Dan is de keten binnen 60 seconden leeggelopen
    """
    keten.wait_idle(float(seconden))


@then("heeft het CBS elk bestand precies één keer ontvangen")
def _(keten, leveringen: list[Levering]) -> None:
    """Elke aanlevering staat precies één keer bij het CBS, en het CBS heeft niets anders.
    Voorbeeld: Dan heeft het CBS elk bestand precies één keer ontvangen
    """
    keten.wait_idle()
    ontvangen = Counter(a["correlatie"] for a in keten.cbs.aanleveringen())
    verwacht = Counter(lev.referentie for lev in leveringen)
    assert ontvangen == verwacht, (
        f"niet ontvangen: {sorted(verwacht - ontvangen)[:10]}; dubbel of onverwacht: "
        f"{sorted((ontvangen - verwacht).elements())[:10]} ({sum(ontvangen.values())} ontvangen, "
        f"{len(leveringen)} aangeleverd)")


@then(parsers.re(r'heeft elke gemeente precies één technisch rapport "(?P<oordeel>goedgekeurd|afgekeurd)" '
                 r"opgehaald"))
def _(keten, leveringen: list[Levering], oordeel: str) -> None:
    """Elke gemeente heeft het technisch rapport over haar aanlevering één keer uit haar downloadgebied
    gehaald, en het CBS gaf het dat oordeel.
    Voorbeeld: Dan heeft elke gemeente precies één technisch rapport "goedgekeurd" opgehaald
    """
    keten.wait_idle()
    opgehaald = Counter(r["bestandsnaam"] for r in keten.gemeente.reports()
                        if r["bestandsnaam"].startswith("CBS_TECHNISCH_"))
    oordelen = {r["ggk_referentie"]: r["oordeel"] for a in keten.cbs.aanleveringen() for r in a["rapporten"]
                if r["soort"] == "TECHNISCH"}
    fouten = []
    for lev in leveringen:
        namen = [naam for naam in opgehaald if lev.referentie in naam]
        if [opgehaald[naam] for naam in namen] != [1]:
            fouten.append(f"{lev.gemeentecode}: {[(naam, opgehaald[naam]) for naam in namen] or 'geen rapport'}")
        elif oordelen.get(lev.referentie) != oordeel:
            fouten.append(f"{lev.gemeentecode}: oordeel {oordelen.get(lev.referentie)}")
    assert not fouten, f"{len(fouten)} van de {len(leveringen)} gemeenten: {fouten[:10]}"
    assert sum(opgehaald.values()) == len(leveringen), (
        f"{sum(opgehaald.values())} technische rapporten opgehaald voor {len(leveringen)} aanleveringen")

