"""Steps about refusals a person or program sees: an HTTP 4xx with a Dutch message from
the GGk web service, and Fo01 error reports in the gemeente's download area."""

from __future__ import annotations

import io
import json
import time
import zipfile
from datetime import datetime

import allure
from pytest_bdd import given, parsers, then, when

from simulators import stuf
from simulators.gmsd import generator
from steps.aanlevering import Aanlevering
from steps.drivers import VERZENDMAP, NoAnswerError, WrongAnswerError
from steps.tijdlijn import kalender


@then(parsers.re(r'weigert het GGk de upload met HTTP (?P<status>4\d\d) en een melding met "(?P<tekst>[^"]+)"'))
def _(aanlevering, status: str, tekst: str) -> None:
    """Het GGk weigert met deze HTTP-status en een Nederlandse melding die de tekst bevat.
    Voorbeeld: Dan weigert het GGk de upload met HTTP 400 en een melding met "geen bestand"
    """
    if aanlevering.status != int(status):
        raise WrongAnswerError(f"het GGk antwoordde HTTP {aanlevering.status}: {aanlevering.antwoord}",
                               f"HTTP {status}", f"HTTP {aanlevering.status}")
    melding = aanlevering.antwoord.get("melding", "")
    if tekst not in melding:
        raise WrongAnswerError(f"de melding noemt '{tekst}' niet", f"een melding met '{tekst}'", melding)
    if "Traceback" in melding:
        raise WrongAnswerError("de melding bevat een stack trace", "een Nederlandse melding", melding[:300])


ZENDER = {"IB": "IB", "RINIS": "RINIS", "het CBS": "CBS"}


@then(parsers.re(r'staat er een foutrapport met foutcode "(?P<code>[A-Za-z]+\d+)"(?: van (?P<van>IB|RINIS|het CBS))? '
                 r"in het downloadgebied van de gemeente"))
def _(keten, gemeente, aanlevering, code: str, van: str | None) -> None:
    """Een latere partij weigerde: de gemeente krijgt een Fo01 (nooit een Fo03) als foutrapport
    bij haar GGk-referentie, met deze foutcode, een omschrijving en plek; met "van" ook
    wie de fout vond (de zender van de Fo01).
    Voorbeeld: Dan staat er een foutrapport met foutcode "IB213" van IB in het downloadgebied van de gemeente
    """
    referenties = aanlevering.referenties
    # this delivery's report: by its GGk reference (an earlier run's Fo01 may arrive meanwhile)
    item = keten.ggk.wait_for_download(
        gemeente.code, aanlevering.downloads_voor,
        lambda i: i["soort"] == "foutrapport" and (not referenties or i["correlatie"] in referenties),
        "foutrapport" + (f" over GGk-referentie {referenties[0]}" if referenties else ""))
    inhoud = keten.ggk.download(gemeente.code, item["id"])
    if "ggk" not in keten.extern:  # a partner's answer is attached as it comes (conftest.py)
        allure.attach(inhoud, name=f"ggk → gemeente · foutrapport {item['bestandsnaam']}",
                      attachment_type=allure.attachment_type.XML)
    if referenties and item["bestandsnaam"] != f"Fo01_{referenties[0]}.xml":
        raise WrongAnswerError("het foutrapport heeft een andere naam", f"Fo01_{referenties[0]}.xml",
                               item["bestandsnaam"])
    fo01 = stuf.read_antwoord(stuf.parse_xml(inhoud))
    sg = fo01.stuurgegevens
    if sg.berichtcode != "Fo01":
        raise WrongAnswerError("een gemeente krijgt alleen een Fo01", "Fo01", sg.berichtcode)
    if sg.ontvanger.organisatie != gemeente.code:
        raise WrongAnswerError("de Fo01 is voor een andere ontvanger", gemeente.code, sg.ontvanger.organisatie)
    if fo01.fout.code != code:
        raise WrongAnswerError(f"het foutrapport heeft een andere foutcode ({fo01.fout.omschrijving})", code,
                               fo01.fout.code)
    if not fo01.fout.omschrijving.strip() or fo01.fout.plek not in ("client", "server"):
        raise WrongAnswerError("de Fo01 heeft geen omschrijving of geen geldige plek",
                               "een omschrijving en plek client of server",
                               f"omschrijving '{fo01.fout.omschrijving}', plek '{fo01.fout.plek}'")
    if van and sg.zender.organisatie != ZENDER[van]:
        raise WrongAnswerError("de Fo01 komt van een andere zender", ZENDER[van], sg.zender.organisatie)


# ------------------------------------------------- the GGk web service refuses

UPLOADGEBREK = (
    r"(?P<gebrek>met gemeentecode \"(?P<code>[^\"]*)\"|zonder gebruiker|zonder bestand|met een leeg bestand|"
    r"met de bestandsnaam \"(?P<naam>[^\"]+)\"|met een richtingsteken in de bestandsnaam|met een "
    r"escape-teken in de bestandsnaam|met een bestand van meer dan 25 MB|met een ZIP die geen ZIP is|"
    r"met een ZIP zonder CSV|van meer dan 64 MB)"
)


def _wmo(gemeentecode: str) -> bytes:
    return generator.generate("WMO", gemeentecode, 2016, 1, datetime(2016, 8, 15, 9))


@when(parsers.re(r"de gemeente bij het GGk een upload instuurt " + UPLOADGEBREK), target_fixture="aanlevering")
def _(keten, gemeente, gebrek: str, code: str | None, naam: str | None):
    """De harness speelt de software van de gemeente en stuurt de webservice van het GGk een
    upload met één gebrek (verder een geldig Wmo-bestand "WMO_H12016.csv").
    Voorbeeld: Als de gemeente bij het GGk een upload instuurt met de bestandsnaam "../WMO_H12016.csv"
    """
    gemeentecode, gebruiker = gemeente.code, "harness@ketentest.nl"
    files = [("WMO_H12016.csv", _wmo(gemeente.code))]
    if code is not None:
        gemeentecode = code
    elif gebrek == "zonder gebruiker":
        gebruiker = " "
    elif gebrek == "zonder bestand":
        files = []
    elif gebrek == "met een leeg bestand":
        files = [("WMO_H12016.csv", b"")]
    elif naam is not None:
        files = [(naam, files[0][1])]
    elif gebrek == "met een richtingsteken in de bestandsnaam":
        files = [("WMO_H12016_\u202evsc.csv", files[0][1])]
    elif gebrek == "met een escape-teken in de bestandsnaam":
        files = [("WMO_H12016_\x1b[2J.csv", files[0][1])]
    elif gebrek == "met een bestand van meer dan 25 MB":
        files = [("WMO_H12016.csv", files[0][1] + b"0" * stuf.MAX_MESSAGE_BYTES)]
    elif gebrek == "met een ZIP die geen ZIP is":
        files = [("GMSD_H12016.zip", b"PK\x03\x04 dit is geen ZIP")]
    elif gebrek == "met een ZIP zonder CSV":
        archief = io.BytesIO()
        with zipfile.ZipFile(archief, "w") as zf:
            zf.writestr("lees_mij.pdf", b"%PDF-1.4")
        files = [("GMSD_H12016.zip", archief.getvalue())]
    elif gebrek == "van meer dan 64 MB":
        files = [("WMO_H12016.csv", b"0" * (64 * 1024 * 1024 + 1))]
    # the mark: the gemeente's uploads before this one, and every GGk reference they carry
    voor = keten.ggk.uploads(gemeente.code)
    response = keten.ggk.upload(gemeentecode, files, gebruiker=gebruiker)
    allure.attach(response.content, name=f"ggk → harness · upload-antwoord HTTP {response.status_code}",
                  attachment_type=allure.attachment_type.JSON)
    try:
        antwoord = response.json()
    except ValueError:
        antwoord = {"melding": response.text[:500]}
    return Aanlevering(files[0][0] if files else "", response.status_code, antwoord, 0,
                       uploads_voor=max((u["id"] for u in voor), default=0),
                       bekende_referenties=frozenset(r["referentie"] for u in voor for r in u["referenties"]))


@then("heeft het GGk niets van de upload bewaard of doorgestuurd")
def _(keten, marks, gemeente, aanlevering) -> None:
    """Een geweigerde upload laat niets achter: geen upload in de lijst van de gemeente en
    geen bericht naar RINIS.
    Voorbeeld: Dan heeft het GGk niets van de upload bewaard of doorgestuurd
    """
    keten.wait_idle()
    nieuw = [u for u in keten.ggk.uploads(gemeente.code) if u["id"] > aanlevering.uploads_voor]
    if nieuw:
        raise WrongAnswerError("het GGk bewaarde de geweigerde upload", "geen nieuwe upload",
                               [u["bestandsnaam"] for u in nieuw])
    # what reached RINIS in this scenario, less what a partner's GGk still sends of earlier uploads
    naar_rinis = [e for e in keten.journal_since(marks)["rinis"]
                  if e["richting"] == "in" and e["correlatie"] not in aanlevering.bekende_referenties]
    if naar_rinis:
        raise WrongAnswerError("het GGk stuurde de geweigerde upload toch door", "geen bericht aan RINIS",
                               [(e["berichtcode"], e["bestandsnaam"]) for e in naar_rinis])


@given(parsers.re(r'RINIS blokkeert tijdelijk de functie "(?P<functie>[^"]+)"'))
def _(keten, functie: str) -> None:
    """RINIS neemt tijdelijk geen berichten met deze functie aan (Fo03 IB103), zoals bij
    onderhoud aan de ontvangende kant; de reset voor elk scenario heft het op.
    Voorbeeld: Gegeven RINIS blokkeert tijdelijk de functie "GMSD-METAGEGEVENS"
    """
    response = keten.rinis.block(functie)
    assert response.status_code == 201, f"RINIS blokkeerde {functie} niet: {response.text[:300]}"


# ------------------------------------------------- deadlines: alarm, never silence

ALARMTAAK = {"de aanlevering": ("ggk", "doorsturen"), "het rapport": ("rinis", "routeren")}


@when(parsers.re(r"er (?P<n>\d+) werkdagen verstrijken terwijl de storing aanhoudt"), target_fixture="nu")
def _(keten, request, n: str) -> datetime:
    """Zet de klok N werkdagen vooruit zonder eerst op een rustige keten te wachten: een partij
    blijft een bericht aanbieden dat niet aankomt, tot haar termijn verstreken is.
    Voorbeeld: Als er 3 werkdagen verstrijken terwijl de storing aanhoudt
    """
    _wacht_tot_alleen_herhalingen(keten)
    nu = keten.clock().replace(tzinfo=None)
    dag = kalender(request).plus_werkdagen(nu, int(n))
    doel = nu.replace(year=dag.year, month=dag.month, day=dag.day)
    keten.set_clock(doel, terug=False)
    keten.wait_idle()
    return doel


def _wacht_tot_alleen_herhalingen(keten, seconden: float = 15.0) -> None:
    """Wait until every open task in the chain is one being retried (it failed at least once)
    and the journals stand still: the chain is stuck on the fault, not still busy."""
    deadline = time.monotonic() + seconden
    vorige = None
    while time.monotonic() < deadline:
        open_ = [t for taken in keten.tasks().values() for t in taken
                 if t["status"] == "open" and t["niet_voor"] is None]
        stand = keten.journal_marks()
        if open_ and all(t["fout"] for t in open_) and stand == vorige:
            return
        vorige = stand
        time.sleep(0.2)
    raise NoAnswerError(f"de keten bleef bezig of liep niet vast op de storing: {open_}", seconden)


@then(parsers.re(r"meldt (?P<wie>het GGk|RINIS) een alarm: (?P<wat>de aanlevering|het rapport) is niet "
                 r"afgeleverd binnen de termijn"))
def _(keten, wie: str, wat: str) -> None:
    """Wat niet binnen zijn termijn (op de werkdagkalender) afgeleverd kon worden, staat als
    alarm bij de partij (haar alarmlijst in het beheer): zichtbaar voor de beheerder, nooit stil.
    Voorbeeld: Dan meldt het GGk een alarm: de aanlevering is niet afgeleverd binnen de termijn
    """
    party, soort = ALARMTAAK[wat]
    alarmen = keten.party(party).alarms()
    allure.attach(json.dumps(alarmen, ensure_ascii=False, indent=2), name=f"alarmen van {party}",
                  attachment_type=allure.attachment_type.JSON)
    verlopen = [a for a in alarmen if a["soort"] == soort and a["status"] == "verlopen"]
    assert verlopen, f"{wie} meldt geen verlopen {soort}-taak: {alarmen}"
    assert all("niet gelukt vóór" in (a["fout"] or "") for a in verlopen), verlopen


@then(parsers.re(r'staat het technisch rapport in de verzendmap van RINIS op "(?P<status>[a-z]+)" met foutcode '
                 r'"(?P<code>[A-Za-z]+\d+)"'))
def _(keten, aanlevering, status: str, code: str) -> None:
    """Hoe RINIS het rapport van het CBS in de verzendmap houdt: het CBS ziet status en melding.
    Voorbeeld: Dan staat het technisch rapport in de verzendmap van RINIS op "onbestelbaar" met foutcode "KT002"
    """
    items = [i for i in keten.rinis.folder(VERZENDMAP)
             if i["naam"].startswith("CBS_TECHNISCH_") and i["correlatie"] in aanlevering.referenties]
    assert len(items) == 1, f"in {VERZENDMAP} staan {len(items)} technische rapporten over de aanlevering"
    item = items[0]
    assert item["status"] == status and (item["melding"] or "").startswith(code), (
        f"het rapport staat op '{item['status']}' met melding '{item['melding']}', verwacht '{status}' met {code}")
