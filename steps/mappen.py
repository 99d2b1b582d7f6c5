"""Steps about the RINIS folders between RINIS and CBS: the inbox CBS reads and the send
folder where CBS places its reports (the RINIS↔CBS hop)."""

from __future__ import annotations

import random
import re

import pytest
from pytest_bdd import parsers, then, when

from steps.drivers import INBOX, VERZENDMAP, ChainError, WrongAnswerError, the_one


def eigen_referenties(request) -> set[str]:
    """The GGk references of this scenario's own traffic: of the file the harness offered as the
    GGk (``verzonden``) or of the gemeente's upload (``aanlevering``). A partner's RINIS keeps
    its folders between runs, so a name alone may also be an earlier run's file."""
    for naam in ("verzonden", "aanlevering"):
        try:
            gegeven = request.getfixturevalue(naam)
        except pytest.FixtureLookupError:
            continue
        referenties = {gegeven.referentie} if naam == "verzonden" else set(gegeven.referenties)
        if referenties - {None}:
            return referenties - {None}
    raise ChainError("dit scenario heeft nog niets aangeboden of aangeleverd: er is geen GGk-referentie om "
                     "zijn bestand in de inbox aan te herkennen")


def eigen_bestand(keten, referenties: set[str]) -> dict | None:
    """This scenario's file (not its metadata) in the CBS's inbox at RINIS, when it is there."""
    gevonden = [i for i in keten.rinis.folder(INBOX)
                if i["correlatie"] in referenties and not i["naam"].endswith(".metagegevens.xml")]
    return the_one(gevonden, f"het bestand met GGk-referentie {', '.join(sorted(referenties))} in {INBOX}") \
        if gevonden else None


@then(parsers.re(r'staat "(?P<naam>[^"]+)" in de inbox van het CBS bij RINIS, met zijn metagegevens '
                 r"ernaast"))
def _(keten, request, naam: str) -> None:
    """RINIS zette het bestand van dit scenario (herkend aan zijn GGk-referentie) met de gemeentecode
    in de naam in de inbox, en zijn metagegevens ernaast.
    Voorbeeld: Dan staat "WMO_H12016_regulier_0363.csv" in de inbox van het CBS bij RINIS, met zijn metagegevens ernaast
    """
    referenties = eigen_referenties(request)
    wat = f"RINIS zette het bestand met GGk-referentie {', '.join(sorted(referenties))} niet in {INBOX}"
    bestand = keten.wait_for(lambda: eigen_bestand(keten, referenties), wat)
    if bestand["naam"] != naam:
        raise WrongAnswerError(f"RINIS zette het bestand in {INBOX} onder een andere naam", naam, bestand["naam"])

    def metagegevens() -> list[str]:
        return [i["naam"] for i in keten.rinis.folder(INBOX)
                if i["correlatie"] in referenties and i["naam"].endswith(".metagegevens.xml")]

    meta = keten.wait_for(metagegevens, f"de metagegevens van '{naam}' staan niet in {INBOX}")
    if meta != [f"{naam}.metagegevens.xml"]:
        raise WrongAnswerError(f"de metagegevens van '{naam}' staan niet ernaast in {INBOX}",
                               f"{naam}.metagegevens.xml", meta)


@then(parsers.re(r'haalt het CBS "(?P<naam>[^"]+)" op uit de inbox'))
def _(keten, marks, request, naam: str) -> None:
    """Het CBS heeft het bestand van dit scenario (herkend aan zijn GGk-referentie) opgehaald en
    RINIS heeft dat vastgelegd.
    Voorbeeld: Dan haalt het CBS "WMO_H12016_regulier_0363.csv" op uit de inbox
    """
    referenties = eigen_referenties(request)
    bestand = keten.wait_for(lambda: eigen_bestand(keten, referenties),
                             f"het bestand met GGk-referentie {', '.join(sorted(referenties))} staat niet in "
                             f"{INBOX}")
    if bestand["naam"] != naam:
        raise WrongAnswerError(f"het bestand in {INBOX} heeft een andere naam", naam, bestand["naam"])
    keten.wait_for(lambda: (eigen_bestand(keten, referenties) or {}).get("opgehaald"),
                   f"RINIS heeft niet vastgelegd dat het CBS '{naam}' ophaalde")
    if "rinis" not in keten.extern:  # RINIS journals every file it hands to CBS
        opgehaald = [e for e in keten.journal_since(marks)["rinis"]
                     if e["richting"] == "uit" and e["peer"] == "cbs" and e["bestandsnaam"] == naam
                     and e["correlatie"] in referenties]
        if not opgehaald:
            raise WrongAnswerError(f"RINIS legde vast dat het CBS '{naam}' ophaalde, maar gaf het niet af",
                                   "het bestand afgegeven aan het CBS", "niets afgegeven")


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
        raise WrongAnswerError(f"RINIS nam '{naam}' niet aan in {VERZENDMAP}", "HTTP 201",
                               f"HTTP {response.status_code} {response.text[:300]}")
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

    def aangeboden() -> list[dict]:  # what the GGk received from RINIS
        return [e for e in keten.journal_since(marks)["ggk"]
                if e["richting"] == "in" and e["peer"] == "rinis" and e["bestandsnaam"] == naam
                and e["berichtcode"] in ("Di01", "Du01")]

    sent = keten.wait_for(aangeboden, f"RINIS bood '{naam}' niet aan het GGk aan")
    body = keten.payload(sent[0])
    if f"<StUF:organisatie>{code}</StUF:organisatie>".encode() not in body and code.encode() not in body:
        raise WrongAnswerError(f"het bericht met '{naam}' is niet aan gemeente {code} gericht",
                               f"ontvanger {code}", "een andere ontvanger")


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
    # the folders' marks before the request: what RINIS keeps of it is after them
    voor = {folder: keten.rinis.folder_mark(folder) for folder in (INBOX, VERZENDMAP)}
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
    return {"status": response.status_code, "naam": naam, "voor": voor, **body}


@then(parsers.re(r'weigert RINIS het verzoek van het CBS met HTTP (?P<status>4\d\d) en een melding met '
                 r'"(?P<tekst>[^"]+)"'))
def _(keten, mapverzoek: dict, status: str, tekst: str) -> None:
    """De map-API van RINIS weigert met deze status en een Nederlandse melding, en bewaart niets.
    Voorbeeld: Dan weigert RINIS het verzoek van het CBS met HTTP 403 en een melding met "inbox"
    """
    if mapverzoek["status"] != int(status):
        raise WrongAnswerError(f"RINIS antwoordde HTTP {mapverzoek['status']}: {mapverzoek.get('melding')}",
                               f"HTTP {status}", f"HTTP {mapverzoek['status']}")
    if tekst not in mapverzoek.get("melding", ""):
        raise WrongAnswerError(f"de melding noemt '{tekst}' niet", f"een melding met '{tekst}'",
                               mapverzoek.get("melding"))
    if mapverzoek.get("naam"):  # only what came after the request: an earlier run may have used the name
        bewaard = [i for folder, voor in mapverzoek["voor"].items() for i in keten.rinis.folder_after(folder, voor)
                   if i["naam"] == mapverzoek["naam"]]
        if bewaard:
            raise WrongAnswerError(f"RINIS bewaarde '{mapverzoek['naam']}' toch", "niets bewaard", bewaard)


@then(parsers.re(r'zet RINIS het rapport in de verzendmap op "(?P<status>[a-z]+)" met een melding met '
                 r'"(?P<tekst>[^"]+)"'))
def _(keten, mapverzoek: dict, status: str, tekst: str) -> None:
    """RINIS nam het rapport aan maar kan het nergens heen sturen: het CBS ziet waarom.
    Voorbeeld: Dan zet RINIS het rapport in de verzendmap op "onbestelbaar" met een melding met "rapportconventie"
    """
    if "id" not in mapverzoek:
        raise WrongAnswerError(f"RINIS nam het rapport niet aan (HTTP {mapverzoek['status']})",
                               "HTTP 201 met een id", mapverzoek)

    def afgehandeld() -> dict | None:  # by the id RINIS gave it: this scenario's report
        item = the_one((i for i in keten.rinis.folder(VERZENDMAP) if i["id"] == mapverzoek["id"]),
                       f"het rapport {mapverzoek['id']} in {VERZENDMAP}")
        return item if item["status"] != "nieuw" else None

    item = keten.wait_for(afgehandeld,
                          f"RINIS gaf het rapport '{mapverzoek['naam']}' in {VERZENDMAP} geen status (het "
                          "bleef 'nieuw')")
    if item["status"] != status or tekst not in (item["melding"] or ""):
        raise WrongAnswerError(f"het rapport in {VERZENDMAP} heeft een andere status of melding",
                               f"'{status}' met een melding met '{tekst}'",
                               f"'{item['status']}' met melding '{item['melding']}'")
