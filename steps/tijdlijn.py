"""Steps about timelines and deadlines: load a round's calendar, let working days pass,
and judge whether a report came within its SLA — on the simulated working-day
calendar, the same way for a simulated CBS as for a real one."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from pytest_bdd import given, parsers, then, when

from simulators import tijdlijn as tijdlijnen
from simulators.kalender import Werkdagkalender
from steps.klok import parse_datum
from steps.rapporten import RAPPORTSOORT

RAPPORT = r"(?P<soort>technisch rapport|op-orde rapport|spiegelrapport II)"


def kalender(request) -> Werkdagkalender:
    """The calendar of the scenario's timeline, or the national one."""
    try:
        return request.getfixturevalue("tijdlijn").kalender
    except Exception:  # no timeline loaded in this scenario
        return Werkdagkalender()


def ontvangen_rapport(keten, gemeente, aanlevering, soort: str) -> dict:
    """The report of ``soort`` for this delivery in the download area (waiting for it)."""
    prefix = f"CBS_{RAPPORTSOORT[soort]}_"
    return keten.ggk.wait_for_download(
        gemeente.code, aanlevering.downloads_voor,
        lambda i: i["soort"] == "rapport" and i["bestandsnaam"].startswith(prefix)
        and i["correlatie"] in aanlevering.referenties, soort)


@given(parsers.parse('de tijdlijn "{naam}"'), target_fixture="tijdlijn")
def _(keten, naam: str):
    """Laad een tijdlijn uit fixtures/timelines, geef hem aan elke partij en zet de klok op
    zijn begin.
    Voorbeeld: Gegeven de tijdlijn "H1 2016"
    """
    gekozen = tijdlijnen.laad(naam)
    keten.set_clock(gekozen.start)
    keten.apply_timeline(gekozen.to_json())
    return gekozen


@given(parsers.re(r"het CBS verstuurt technische rapporten pas na (?P<n>\d+) werkdagen"),
       target_fixture="tijdlijn")
def _(keten, tijdlijn, n: str):
    """Vertraag de CBS-simulator (bijvoorbeeld om te zien dat de harness een SLA-breuk meldt).
    Voorbeeld: Gegeven het CBS verstuurt technische rapporten pas na 4 werkdagen
    """
    vertraagd = replace(tijdlijn, sla=replace(tijdlijn.sla, technisch_rapport_vertraging=int(n)))
    keten.apply_timeline(vertraagd.to_json())
    return vertraagd


@when(parsers.re(r"er (?P<n>\d+) werkdagen? verstrijk(?:t|en)"), target_fixture="nu")
def _(keten, request, n: str) -> datetime:
    """Zet de klok N werkdagen vooruit (zelfde tijd van de dag), dag voor dag.
    Voorbeeld: Als er 3 werkdagen verstrijken
    """
    keten.wait_idle()
    nu = keten.clock().replace(tzinfo=None)
    dag = kalender(request).plus_werkdagen(nu, int(n))
    doel = nu.replace(year=dag.year, month=dag.month, day=dag.day)
    keten.advance_to(doel)
    return doel


@then(parsers.re(r"ontvangt de gemeente het " + RAPPORT + r" binnen (?P<n>\d+) werkdagen"))
def _(keten, request, gemeente, aanlevering, soort: str, n: str) -> None:
    """Meet op de werkdagenkalender hoe laat het rapport in het downloadgebied kwam.
    Voorbeeld: Dan ontvangt de gemeente het technisch rapport binnen 3 werkdagen
    """
    item = ontvangen_rapport(keten, gemeente, aanlevering, soort)
    aangeleverd, ontvangen = _momenten(keten, gemeente, aanlevering, item)
    dagen = kalender(request).werkdagen_tussen(aangeleverd, ontvangen)
    assert dagen <= int(n), (
        f"SLA overschreden: het {soort} kwam {dagen} werkdagen na de aanlevering "
        f"({aangeleverd:%d-%m-%Y} → {ontvangen:%d-%m-%Y}), toegestaan {n}")


@then(parsers.re(r"meldt de harness dat het " + RAPPORT + r" de SLA van (?P<n>\d+) werkdagen "
                 r"overschreed met (?P<te_laat>\d+) werkdag(?:en)?"))
def _(keten, request, gemeente, aanlevering, soort: str, n: str, te_laat: str) -> None:
    """De harness ziet dat een rapport te laat kwam en hoeveel werkdagen te laat.
    Voorbeeld: Dan meldt de harness dat het technisch rapport de SLA van 3 werkdagen overschreed met 1 werkdag
    """
    item = ontvangen_rapport(keten, gemeente, aanlevering, soort)
    aangeleverd, ontvangen = _momenten(keten, gemeente, aanlevering, item)
    dagen = kalender(request).werkdagen_tussen(aangeleverd, ontvangen)
    assert dagen - int(n) == int(te_laat), (
        f"het {soort} kwam {dagen} werkdagen na de aanlevering ({aangeleverd:%d-%m-%Y} → "
        f"{ontvangen:%d-%m-%Y}): {max(0, dagen - int(n))} te laat, verwacht {te_laat}")


@then(parsers.re(r"staat het " + RAPPORT + r" op (?P<datum>.+) klaar, niet eerder"))
def _(keten, gemeente, aanlevering, soort: str, datum: str) -> None:
    """Het rapport kwam op precies deze dag in het downloadgebied.
    Voorbeeld: Dan staat het op-orde rapport op maandag 3 oktober 2016 klaar, niet eerder
    """
    item = ontvangen_rapport(keten, gemeente, aanlevering, soort)
    _aangeleverd, ontvangen = _momenten(keten, gemeente, aanlevering, item)
    verwacht = parse_datum(datum).date()
    assert ontvangen.date() == verwacht, (
        f"het {soort} kwam op {ontvangen:%d-%m-%Y}, verwacht {verwacht:%d-%m-%Y}")


@then(parsers.re(r"staat er nog geen " + RAPPORT + r" klaar in het downloadgebied van de gemeente"))
def _(keten, gemeente, aanlevering, soort: str) -> None:
    """Het rapport is (nog) niet verstuurd.
    Voorbeeld: Dan staat er nog geen op-orde rapport klaar in het downloadgebied van de gemeente
    """
    keten.wait_idle()
    prefix = f"CBS_{RAPPORTSOORT[soort]}_"
    items = [i["bestandsnaam"] for i in keten.ggk.downloads(gemeente.code, aanlevering.downloads_voor)
             if i["bestandsnaam"].startswith(prefix) and i["correlatie"] in aanlevering.referenties]
    assert not items, f"er staat al een {soort} klaar: {items}"


@then("neemt het GGk de upload aan als te laat")
def _(aanlevering) -> None:
    """Na de reguliere deadline maar binnen de correctietermijn: aangenomen, gemarkeerd als te laat.
    Voorbeeld: Dan neemt het GGk de upload aan als te laat
    """
    assert aanlevering.status == 201, f"upload niet aangenomen: {aanlevering.antwoord}"
    assert all(u["te_laat"] for u in aanlevering.antwoord["uploads"]), (
        f"het GGk markeerde de upload niet als te laat: {aanlevering.antwoord}")


@then("neemt het GGk de upload op tijd aan")
def _(aanlevering) -> None:
    """Binnen het reguliere venster: aangenomen en niet te laat.
    Voorbeeld: Dan neemt het GGk de upload op tijd aan
    """
    assert aanlevering.status == 201, f"upload niet aangenomen: {aanlevering.antwoord}"
    assert not any(u["te_laat"] for u in aanlevering.antwoord["uploads"]), (
        f"het GGk markeerde de upload als te laat: {aanlevering.antwoord}")


def _momenten(keten, gemeente, aanlevering, item: dict) -> tuple[datetime, datetime]:
    """(upload time at the GGk, report arrival in the download area), both by the GGk's clock."""
    uploads = keten.ggk.uploads(gemeente.code)
    tijdstip = next(u["tijdstip"] for u in uploads
                    if any(r["referentie"] in aanlevering.referenties for r in u["referenties"]))
    return datetime.fromisoformat(tijdstip), datetime.fromisoformat(item["ontvangen"])
