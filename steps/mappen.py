"""Steps about the RINIS folders between RINIS and CBS: the inbox CBS reads and the send
folder where CBS places its reports (the RINIS↔CBS hop)."""

from __future__ import annotations

import random
import re
import time

import pytest
from pytest_bdd import parsers, then, when

from steps.drivers import INBOX, VERZENDMAP, ChainError


@then(parsers.re(r'staat "(?P<naam>[^"]+)" in de inbox van het CBS bij RINIS, met zijn metagegevens '
                 r"ernaast"))
def _(keten, naam: str) -> None:
    """RINIS zette het bestand (met de gemeentecode in de naam) en zijn metagegevens in de inbox.
    Voorbeeld: Dan staat "WMO_H12016_regulier_0363.csv" in de inbox van het CBS bij RINIS, met zijn metagegevens ernaast
    """
    keten.wait_idle()
    namen = [item["naam"] for item in keten.rinis.folder(INBOX)]
    assert naam in namen, f"'{naam}' staat niet in {INBOX}; wel: {namen}"
    assert f"{naam}.metagegevens.xml" in namen, f"de metagegevens van '{naam}' ontbreken in {INBOX}: {namen}"


@then(parsers.re(r'haalt het CBS "(?P<naam>[^"]+)" op uit de inbox'))
def _(keten, marks, naam: str) -> None:
    """Het CBS heeft het bestand opgehaald en RINIS heeft dat vastgelegd.
    Voorbeeld: Dan haalt het CBS "WMO_H12016_regulier_0363.csv" op uit de inbox
    """
    keten.wait_idle()
    item = next((i for i in keten.rinis.folder(INBOX) if i["naam"] == naam), None)
    assert item is not None, f"'{naam}' staat niet in {INBOX}"
    assert item["opgehaald"], f"RINIS heeft niet vastgelegd dat het CBS '{naam}' ophaalde"
    if "rinis" not in keten.extern:  # RINIS journals every file it hands to CBS
        opgehaald = [e for e in keten.journal_since(marks)["rinis"]
                     if e["richting"] == "uit" and e["peer"] == "cbs" and e["bestandsnaam"] == naam]
        assert opgehaald, f"het CBS heeft '{naam}' niet bij RINIS opgehaald"


@when(parsers.re(r'het CBS het rapport "(?P<naam>[^"]+)" in de verzendmap bij RINIS zet'),
      target_fixture="geplaatst")
def _(keten, naam: str) -> dict:
    """De harness speelt het CBS en zet een PDF in de verzendmap. Tegen een echte RINIS, die zijn
    mappen tussen scenario's bewaart, krijgt het rapport een eigen GGk-referentie in de naam.
    Voorbeeld: Als het CBS het rapport "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf" in de verzendmap bij RINIS zet
    """
    if "rinis" in keten.extern:
        naam = re.sub(r"\d{8}-\d{6}-\d{3}(?=\.pdf$)", lambda m: m[0][:9] + f"{random.randrange(10**6):06d}-001",
                      naam)
    response = keten.rinis.place_in_folder(VERZENDMAP, naam, b"%PDF-1.4 harness\n%%EOF\n")
    if response.status_code != 201:
        raise ChainError(f"RINIS nam '{naam}' niet aan in {VERZENDMAP}: HTTP {response.status_code} "
                         f"{response.text[:300]}")
    return response.json()


@then(parsers.re(r'biedt RINIS het rapport "(?P<naam>[^"]+)" in een StUF-bericht aan het GGk aan '
                 r"voor gemeente (?P<code>\d{4})"))
def _(keten, marks, request, naam: str, code: str) -> None:
    """RINIS haalde het rapport uit de verzendmap en stuurde het in een envelop naar het GGk.
    Voorbeeld: Dan biedt RINIS het rapport "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf" in een StUF-bericht aan het GGk aan voor gemeente 0363
    """
    try:
        geplaatst = request.getfixturevalue("geplaatst")
    except pytest.FixtureLookupError:  # the report was not placed by the harness in this scenario
        geplaatst = {}
    if "rinis" in keten.extern and geplaatst.get("naam", "")[:26] == naam[:26]:
        naam = geplaatst["naam"]  # the name made unique for a partner's RINIS (the step above)
    deadline = time.monotonic() + keten.timeout
    while True:
        keten.wait_idle()
        sent = [e for e in keten.journal_since(marks)["ggk"]  # what the GGk received from RINIS
                if e["richting"] == "in" and e["peer"] == "rinis" and e["bestandsnaam"] == naam
                and e["berichtcode"] in ("Di01", "Du01")]
        if sent or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert sent, f"RINIS stuurde '{naam}' niet naar het GGk"
    ontvangen = [e for e in keten.journal_since(marks)["ggk"]
                 if e["richting"] == "in" and e["referentienummer"] == sent[0]["referentienummer"]]
    assert ontvangen, "het GGk heeft het bericht niet ontvangen"
    body = keten.payload(ontvangen[0])
    assert f"<StUF:organisatie>{code}</StUF:organisatie>".encode() in body or code.encode() in body, (
        f"het bericht is niet aan gemeente {code} gericht")


MAPGEBREK = (
    r"(?P<gebrek>een rapport in de inbox zet|een rapport in een onbekende map zet|een rapport met een spatie in "
    r"de naam in de verzendmap zet|een leeg rapport in de verzendmap zet|een onbekend bestand als onleesbaar "
    r"weigert|een rapport in de verzendmap zet waarvan de naam geen gemeente noemt)"
)
def _rapportnaam() -> str:
    """A report name no earlier scenario used: a partner's RINIS keeps its folders between them."""
    return f"CBS_TECHNISCH_0363_H12016_20160815-{random.randrange(10**6):06d}-001.pdf"


@when(parsers.re(r"het CBS bij RINIS " + MAPGEBREK), target_fixture="mapverzoek")
def _(keten, gebrek: str) -> dict:
    """De harness speelt het CBS en doet bij de map-API van RINIS iets wat niet mag (of niet
    kan worden afgeleverd).
    Voorbeeld: Als het CBS bij RINIS een rapport in de inbox zet
    """
    pdf, naam = b"%PDF-1.4 harness\n%%EOF\n", None
    if gebrek == "een onbekend bestand als onleesbaar weigert":
        response = keten.rinis.refuse_file(INBOX, 999999, "StUF055", "onleesbaar")
    else:
        folder = {"een rapport in de inbox zet": INBOX, "een rapport in een onbekende map zet": "RGMSD999"}.get(
            gebrek, VERZENDMAP)
        naam = {"een rapport met een spatie in de naam in de verzendmap zet": "CBS TECHNISCH 0363.pdf",
                "een rapport in de verzendmap zet waarvan de naam geen gemeente noemt":
                    _rapportnaam().replace("_0363_", "_9999_")}.get(gebrek) or _rapportnaam()
        response = keten.rinis.place_in_folder(folder, naam, b"" if gebrek.startswith("een leeg") else pdf)
    try:
        body = response.json()
    except ValueError:
        body = {"melding": response.text[:300]}
    return {"status": response.status_code, "naam": naam, **body}


@then(parsers.re(r'weigert RINIS het verzoek van het CBS met HTTP (?P<status>4\d\d) en een melding met '
                 r'"(?P<tekst>[^"]+)"'))
def _(keten, mapverzoek: dict, status: str, tekst: str) -> None:
    """De map-API van RINIS weigert met deze status en een Nederlandse melding, en bewaart niets.
    Voorbeeld: Dan weigert RINIS het verzoek van het CBS met HTTP 403 en een melding met "inbox"
    """
    assert mapverzoek["status"] == int(status), f"RINIS antwoordde HTTP {mapverzoek['status']}: {mapverzoek}"
    assert tekst in mapverzoek.get("melding", ""), f"de melding '{mapverzoek.get('melding')}' noemt '{tekst}' niet"
    if mapverzoek.get("naam"):
        bewaard = [i for i in keten.rinis.folder(VERZENDMAP) + keten.rinis.folder(INBOX)
                   if i["naam"] == mapverzoek["naam"]]
        assert not bewaard, f"RINIS bewaarde '{mapverzoek['naam']}' toch: {bewaard}"


@then(parsers.re(r'zet RINIS het rapport in de verzendmap op "(?P<status>[a-z]+)" met een melding met '
                 r'"(?P<tekst>[^"]+)"'))
def _(keten, mapverzoek: dict, status: str, tekst: str) -> None:
    """RINIS nam het rapport aan maar kan het nergens heen sturen: het CBS ziet waarom.
    Voorbeeld: Dan zet RINIS het rapport in de verzendmap op "onbestelbaar" met een melding met "rapportconventie"
    """
    keten.wait_idle()
    [item] = [i for i in keten.rinis.folder(VERZENDMAP) if i["id"] == mapverzoek["id"]]
    assert item["status"] == status and tekst in (item["melding"] or ""), item
