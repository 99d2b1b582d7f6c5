"""Steps about the RINIS folders between RINIS and CBS: the inbox CBS reads and the send
folder where CBS places its reports (the RINIS↔CBS hop)."""

from __future__ import annotations

import time

from pytest_bdd import parsers, then, when

from steps.drivers import ChainError

INBOX = "RGMSD001"
VERZEND = "RGMSD101"


@then(parsers.re(r'staat "(?P<naam>[^"]+)" in de inbox van het CBS bij RINIS, met zijn metagegevens '
                 r"ernaast"))
def _(keten, naam: str) -> None:
    """RINIS zette het bestand (met de gemeentecode in de naam) en zijn metagegevens in de inbox.
    Voorbeeld: Dan staat "WMO_H12016_regulier_0363.csv" in de inbox van het CBS bij RINIS, met zijn metagegevens ernaast
    """
    keten.wait_idle()
    namen = [item["naam"] for item in keten.folder(INBOX)]
    assert naam in namen, f"'{naam}' staat niet in {INBOX}; wel: {namen}"
    assert f"{naam}.metagegevens.xml" in namen, f"de metagegevens van '{naam}' ontbreken in {INBOX}: {namen}"


@then(parsers.re(r'haalt het CBS "(?P<naam>[^"]+)" op uit de inbox'))
def _(keten, naam: str) -> None:
    """Het CBS heeft het bestand opgehaald en RINIS heeft dat vastgelegd.
    Voorbeeld: Dan haalt het CBS "WMO_H12016_regulier_0363.csv" op uit de inbox
    """
    keten.wait_idle()
    item = next((i for i in keten.folder(INBOX) if i["naam"] == naam), None)
    assert item is not None, f"'{naam}' staat niet in {INBOX}"
    assert item["opgehaald"], f"RINIS heeft niet vastgelegd dat het CBS '{naam}' ophaalde"
    opgehaald = [e for e in keten.journal_since(keten.marks)["cbs"]
                 if e["richting"] == "in" and e["peer"] == "rinis" and e["bestandsnaam"] == naam]
    assert opgehaald, f"het CBS heeft '{naam}' niet van RINIS ontvangen"


@when(parsers.re(r'het CBS het rapport "(?P<naam>[^"]+)" in de verzendmap bij RINIS zet'),
      target_fixture="geplaatst")
def _(keten, naam: str) -> dict:
    """De harness speelt het CBS en zet een PDF in de verzendmap.
    Voorbeeld: Als het CBS het rapport "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf" in de verzendmap bij RINIS zet
    """
    response = keten.place_in_folder(VERZEND, naam, b"%PDF-1.4 harness\n%%EOF\n")
    if response.status_code != 201:
        raise ChainError(f"RINIS nam '{naam}' niet aan in {VERZEND}: HTTP {response.status_code} "
                         f"{response.text[:300]}")
    return response.json()


@then(parsers.re(r'biedt RINIS het rapport "(?P<naam>[^"]+)" in een StUF-bericht aan het GGk aan '
                 r"voor gemeente (?P<code>\d{4})"))
def _(keten, naam: str, code: str) -> None:
    """RINIS haalde het rapport uit de verzendmap en stuurde het in een envelop naar het GGk.
    Voorbeeld: Dan biedt RINIS het rapport "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf" in een StUF-bericht aan het GGk aan voor gemeente 0363
    """
    deadline = time.monotonic() + keten.timeout
    while True:
        keten.wait_idle()
        sent = [e for e in keten.journal_since(keten.marks)["rinis"]
                if e["richting"] == "uit" and e["peer"] == "ggk" and e["bestandsnaam"] == naam
                and e["berichtcode"] in ("Di01", "Du01")]
        if sent or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert sent, f"RINIS stuurde '{naam}' niet naar het GGk"
    ontvangen = [e for e in keten.journal_since(keten.marks)["ggk"]
                 if e["richting"] == "in" and e["referentienummer"] == sent[0]["referentienummer"]]
    assert ontvangen, "het GGk heeft het bericht niet ontvangen"
    body = keten.session.get(ontvangen[0]["payload"]).content
    assert f"<StUF:organisatie>{code}</StUF:organisatie>".encode() in body or code.encode() in body, (
        f"het bericht is niet aan gemeente {code} gericht")
