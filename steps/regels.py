"""Steps for the rules of the chain that had no scenario (docs/regels.md): the op-orde SLA
measured from technical approval, who fetched and uploaded in the GGk's audit log, what the
metadata record says, the one CSV of an opt-in, a withdrawal recorded only after its
confirmation, the iWmo product categories, and CBS's table of inhabitants for the SBO
threshold. Every step talks to the parties over HTTP (``steps.drivers``)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import replace
from datetime import datetime

import allure
from pytest_bdd import given, parsers, then, when

from simulators import stuf
from simulators.gmsd import generator, metagegevens
from simulators.gmsd.optinnaam import ONTVANGEN_NAAM
from steps.aanlevering import SOORT, Aanlevering, lever_aan, periode_uit_naam
from steps.drivers import INBOX, ChainError, PortaalPagina
from steps.drivers import regels as extra
from steps.gemeenten import GEMEENTE, Gemeente, parse_gemeente
from steps.klok import PERIODE
from steps.optin import Verzoek
from steps.tijdlijn import kalender, ontvangen_rapport

SET = {"Wmo": "WMO", "Jeugd": "JEUGD", "SBO": "SBO"}
OPTIN_KOLOMMEN = ("Naam organisatie;verslagperiode;naam verzoek;conclusie;datumconclusie;naam van gebruiker;"
                  "emailadres;telefoonnummer")
"""The columns of the opt-in CSV as seed 003 gives them (its example spells 'verslagperioode')."""


# ----------------------------------------------------------- SLA from approval


@given(parsers.re(r"het CBS verstuurt op-orde rapporten pas (?P<n>\d+) werkdagen na de technische goedkeuring"),
       target_fixture="tijdlijn")
def _(keten, tijdlijn, n: str):
    """Laat de CBS-simulator het op-orde rapport expres later sturen (om een SLA-breuk te zien).
    Voorbeeld: Gegeven het CBS verstuurt op-orde rapporten pas 3 werkdagen na de technische goedkeuring
    """
    vertraagd = replace(tijdlijn, sla=replace(tijdlijn.sla, oporde_vertraging=int(n)))
    keten.apply_timeline(vertraagd.to_json())
    return vertraagd


def _na_goedkeuring(keten, request, gemeente, aanlevering) -> tuple[int, datetime, datetime]:
    """Working days from the technical report (the approval as the gemeente sees it) to the
    op-orde rapport, both as they reached the download area."""
    technisch = ontvangen_rapport(keten, gemeente, aanlevering, "technisch rapport")
    oporde = ontvangen_rapport(keten, gemeente, aanlevering, "op-orde rapport")
    goedgekeurd, ontvangen = (datetime.fromisoformat(i["ontvangen"]) for i in (technisch, oporde))
    return kalender(request).werkdagen_tussen(goedgekeurd, ontvangen), goedgekeurd, ontvangen


@then(parsers.re(r"ontvangt de gemeente het op-orde rapport binnen (?P<n>\d+) werkdagen na de technische "
                 r"goedkeuring"))
def _(keten, request, gemeente, aanlevering, n: str) -> None:
    """Meet de SLA van het op-orde rapport vanaf de technische goedkeuring (seed 004), op de
    werkdagenkalender.
    Voorbeeld: Dan ontvangt de gemeente het op-orde rapport binnen 2 werkdagen na de technische goedkeuring
    """
    dagen, goedgekeurd, ontvangen = _na_goedkeuring(keten, request, gemeente, aanlevering)
    assert dagen <= int(n), (
        f"SLA overschreden: het op-orde rapport kwam {dagen} werkdagen na de technische goedkeuring "
        f"({goedgekeurd:%d-%m-%Y} → {ontvangen:%d-%m-%Y}), toegestaan {n}")


@then(parsers.re(r"meldt de harness dat het op-orde rapport de SLA van (?P<n>\d+) werkdagen na de technische "
                 r"goedkeuring overschreed met (?P<te_laat>\d+) werkdag(?:en)?"))
def _(keten, request, gemeente, aanlevering, n: str, te_laat: str) -> None:
    """De harness ziet dat het op-orde rapport te laat kwam, geteld vanaf de technische goedkeuring.
    Voorbeeld: Dan meldt de harness dat het op-orde rapport de SLA van 2 werkdagen na de technische goedkeuring overschreed met 1 werkdag
    """
    dagen, goedgekeurd, ontvangen = _na_goedkeuring(keten, request, gemeente, aanlevering)
    assert dagen - int(n) == int(te_laat), (
        f"het op-orde rapport kwam {dagen} werkdagen na de technische goedkeuring ({goedgekeurd:%d-%m-%Y} → "
        f"{ontvangen:%d-%m-%Y}): {max(0, dagen - int(n))} te laat, verwacht {te_laat}")


# ------------------------------------------------------------ audit, metadata


@given(parsers.re(r'medewerker "(?P<naam>[^"]+)" \((?P<email>[^,]+), (?P<telefoon>[^)]+)\) van '
                  rf"(?P<wie>{GEMEENTE})"))
def _(keten, naam: str, email: str, telefoon: str, wie: str) -> None:
    """Registreer een medewerker van een andere gemeente dan die van het scenario.
    Voorbeeld: Gegeven medewerker "Piet Bakker" (piet@leiden.nl, 071-1234567) van Leiden (0546)
    """
    code = parse_gemeente(wie).code
    response = keten.ggk.register_user(code, email, naam, telefoon)
    if response.status_code not in (200, 201):
        raise ChainError(f"het GGk registreerde {email} niet: HTTP {response.status_code} {response.text[:300]}")


@when(parsers.re(r"(?P<adres>\S+@\S+) het technisch rapport ophaalt bij het GGk"))
def _(keten, gemeente, aanlevering, adres: str) -> None:
    """Een medewerker haalt het technisch rapport op via de webservice van het GGk.
    Voorbeeld: Als anna@amsterdam.nl het technisch rapport ophaalt bij het GGk
    """
    item = ontvangen_rapport(keten, gemeente, aanlevering, "technisch rapport")
    inhoud = extra.download_as(keten.ggk, gemeente.code, item["id"], adres)
    assert inhoud[:2] == b"PK", f"{item['bestandsnaam']} is geen ZIP"


@then(parsers.re(rf"staat in het auditlog van (?P<wie>{GEMEENTE}) een regel "
                 r'"(?P<actie>[^"]+)" met resultaat "(?P<resultaat>[^"]+)" door (?P<door>\S+@\S+)'))
def _(keten, wie: str, actie: str, resultaat: str, door: str) -> None:
    """Het auditlog van het GGk noemt wie het deed (de webservice net zo goed als het portaal).
    Voorbeeld: Dan staat in het auditlog van Amsterdam (0363) een regel "download" met resultaat "gelukt" door anna@amsterdam.nl
    """
    keten.wait_idle()
    regels = keten.ggk.audit(parse_gemeente(wie).code)
    gevonden = [r for r in regels if (r["actie"], r["resultaat"], r["wie"]) == (actie, resultaat, door)]
    assert gevonden, (f"geen auditregel {actie}/{resultaat} door {door}; wel: "
                      f"{[(r['actie'], r['resultaat'], r['wie']) for r in regels]}")
    assert gevonden[-1]["tijdstip"] and gevonden[-1]["herkomst"], gevonden[-1]


@then("vermelden de metagegevens bij het CBS wie uploadde, wanneer, de oorspronkelijke naam en het "
      "GGk-referentienummer")
def _(keten, gemeente, aanlevering: Aanlevering) -> None:
    """Het metagegevensbestand naast het bestand in de inbox van het CBS zegt wat het GGk vastlegde.
    Voorbeeld: Dan vermelden de metagegevens bij het CBS wie uploadde, wanneer, de oorspronkelijke naam en het GGk-referentienummer
    """
    keten.wait_idle()
    [upload] = [u for u in keten.ggk.uploads(gemeente.code)
                if any(r["referentie"] in aanlevering.referenties for r in u["referenties"])]
    namen = [i for i in keten.rinis.folder(INBOX) if i["naam"].endswith(".metagegevens.xml")]
    records = [metagegevens.from_xml(keten.rinis.folder_file(INBOX, i["id"])) for i in namen]
    mijn = [m for m in records if any(ref in aanlevering.referenties for _b, ref in m.ggkReferenties)]
    assert len(mijn) == 1, f"{len(mijn)} metagegevens bij het CBS voor {aanlevering.referenties}"
    meta = mijn[0]
    allure.attach(repr(meta), name="metagegevens", attachment_type=allure.attachment_type.TEXT)
    verwacht = {"gebruiker": upload["gebruiker"], "bestandsnaam": aanlevering.bestandsnaam,
                "gemeentecode": gemeente.code,
                "tijdstip": datetime.fromisoformat(upload["tijdstip"]).replace(tzinfo=None),
                "referenties": {(aanlevering.bestandsnaam, r) for r in aanlevering.referenties}}
    gezien = {"gebruiker": meta.gebruiker, "bestandsnaam": meta.bestandsnaam, "gemeentecode": meta.gemeentecode,
              "tijdstip": meta.tijdstipUpload.replace(tzinfo=None), "referenties": set(meta.ggkReferenties)}
    assert gezien == verwacht, f"de metagegevens zeggen {gezien}, het GGk legde vast {verwacht}"


# ------------------------------------------------------------------ opt-in


@then(parsers.re(r'gaan de besluiten in één CSV met de kolommen "(?P<kolommen>[^"]+)" naar het CBS'))
def _(keten, gemeente, verzoek, kolommen: str) -> None:
    """Eén bestand bij het CBS voor het hele formulier, met deze kopregel en een regel per set.
    Voorbeeld: Dan gaan de besluiten in één CSV met de kolommen "Naam organisatie;verslagperiode;naam verzoek;conclusie;datumconclusie;naam van gebruiker;emailadres;telefoonnummer" naar het CBS
    """
    keten.wait_idle()
    bestanden = [i for i in keten.rinis.folder(INBOX)
                 if (m := ONTVANGEN_NAAM.fullmatch(i["naam"])) and m["soort"] == "OPTIN"
                 and m["gemeentecode"] == gemeente.code]
    assert len(bestanden) == 1, f"{len(bestanden)} opt-in-bestanden van {gemeente.code} bij het CBS: {bestanden}"
    inhoud = keten.rinis.folder_file(INBOX, bestanden[0]["id"])
    with zipfile.ZipFile(io.BytesIO(inhoud)) as archief:
        [csv_naam] = [n for n in archief.namelist() if n.endswith(".csv")]
        tekst = archief.read(csv_naam).decode("utf-8")
    allure.attach(tekst, name=csv_naam, attachment_type=allure.attachment_type.CSV)
    kop, *regels = tekst.splitlines()
    assert kop == kolommen, f"de kopregel is '{kop}', verwacht '{kolommen}'"
    sets = [r[2] for r in csv.reader(regels, delimiter=";")]
    verwacht = sorted(verzoek.antwoord.get("besluiten", {})) or None
    assert len(sets) == len(set(sets)) >= 2, f"één regel per set, ten minste twee: {sets}"
    if verwacht:
        assert sorted(sets) == verwacht, f"de CSV noemt {sets}, het formulier {verwacht}"
    [bij_cbs] = [f for f in keten.cbs.optins() if f["bestandsnaam"] == bestanden[0]["naam"]]
    assert len(bij_cbs["rijen"]) == len(sets), f"het CBS las {len(bij_cbs['rijen'])} besluiten: {bij_cbs}"


@then(parsers.re(rf"is er voor {PERIODE} bij het GGk en het CBS nog niets ingetrokken"))
def _(keten, portaal, periode: str) -> None:
    """Zolang de intrekking niet bevestigd is, heeft het GGk niets verstuurd en het CBS niets vastgelegd.
    Voorbeeld: Dan is er voor H12016 bij het GGk en het CBS nog niets ingetrokken
    """
    keten.wait_idle()
    code = portaal.gemeentecode
    ingediend = [o for o in extra.optins(keten.ggk, code) if o["soort"] == "intrekking" and o["periode"] == periode]
    assert not ingediend, f"het GGk heeft al een intrekking: {ingediend}"
    statussen = [h["status"] for lv in keten.cbs.status(gemeente=code, periode=periode) for h in lv["historie"]]
    assert "ingetrokken" not in statussen, f"het CBS legde al 'ingetrokken' vast: {statussen}"


STATUS = (r"(?P<status>opt-in|opt-out|ingetrokken|correctielevering aangekondigd|spiegelrapport geaccordeerd|"
          r"terugmelding ontvangen)")


@then(parsers.re(rf'legt het CBS bij de (?P<set>Wmo|Jeugd|SBO)-levering voor {PERIODE} "{STATUS}" vast door '
                 r'"(?P<naam>[^"]+)"(?: met "(?P<tekst>[^"]+)")?'))
def _(keten, portaal, set: str, periode: str, status: str, naam: str, tekst: str | None) -> None:
    """Het besluit of de reactie uit het portaal staat in het leveringsregister van het CBS, met
    wie besloot (en bij een terugmelding: wat er niet klopt).
    Voorbeeld: Dan legt het CBS bij de Wmo-levering voor H12016 "ingetrokken" vast door "Henk de Vries"
    Voorbeeld: Dan legt het CBS bij de Wmo-levering voor H12016 "terugmelding ontvangen" vast door "Henk de Vries" met "te laag"
    """
    keten.wait_idle()
    leveringen = keten.cbs.status(gemeente=portaal.gemeentecode, periode=periode, soort=SET[set])
    historie = [h for lv in leveringen for h in lv["historie"] if h["status"] == status]
    assert historie, (f"het CBS legde geen '{status}' vast; statussen: "
                      f"{[h['status'] for lv in leveringen for h in lv['historie']]}")
    toelichting = historie[-1]["toelichting"] or ""
    assert naam in toelichting, f"'{naam}' ontbreekt bij het besluit: {historie[-1]}"
    assert not tekst or tekst in toelichting, f"'{tekst}' ontbreekt bij het besluit: {historie[-1]}"


@when(parsers.re(rf"de gebruiker via het portaal voor {PERIODE} een correctielevering aankondigt voor "
                 r"(?P<sets>(?:Wmo|Jeugd|SBO)(?:(?:, | en )(?:Wmo|Jeugd|SBO))*)"))
def _(portaal, periode: str, sets: str) -> None:
    """Kies in het opt-in-scherm de derde keuze: eerst een correctielevering (seed 000 h.7).
    Voorbeeld: Als de gebruiker via het portaal voor H12016 een correctielevering aankondigt voor Wmo
    """
    portaal.open(PortaalPagina.OPTIN)
    naam = f"{periode[:2]} {periode[2:]}"
    helft = portaal.regio(re.compile(rf"^{naam} "))
    for s in sets.replace(" en ", ", ").split(", "):
        helft.get_by_role("group", name=SET[s], exact=True).get_by_label("correctielevering", exact=True).check()
    portaal.klik(portaal.knop(f"Besluit indienen voor {naam}", helft))


def _reageer(keten, portaal, soort: str, conclusie: str, tekst: str) -> None:
    """Open the spiegelrapporten page (by the menu), pick the newest report of ``soort`` and send."""
    keten.wait_idle()
    portaal.klik(portaal.page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Spiegelrapporten"))
    prefix = {"op-orde rapport": "CBS_OPORDE_", "spiegelrapport II": "CBS_SPIEGEL2_"}[soort]
    regio = portaal.page.get_by_role("region", name=re.compile("^" + prefix))
    assert regio.count(), f"geen {soort} op de pagina Spiegelrapporten: {portaal.tekst[:500]}"
    rapport = regio.first
    rapport.get_by_role("group", name="Reactie").get_by_label(conclusie, exact=True).check()
    if tekst:
        rapport.get_by_label("Toelichting", exact=True).fill(tekst)
    portaal.klik(portaal.knop("Reactie versturen", rapport))


@when(parsers.re(r"de gebruiker via het portaal het (?P<soort>op-orde rapport|spiegelrapport II) accordeert"))
def _(keten, portaal, soort: str) -> None:
    """Geef op de pagina Spiegelrapporten het akkoord van de gemeente op het rapport (accordering).
    Voorbeeld: Als de gebruiker via het portaal het op-orde rapport accordeert
    """
    _reageer(keten, portaal, soort, "akkoord", "")


@when(parsers.re(r'de gebruiker via het portaal op het (?P<soort>op-orde rapport|spiegelrapport II) terugmeldt'
                 r'(?:: "(?P<tekst>[^"]+)"| zonder toelichting)'))
def _(keten, portaal, soort: str, tekst: str | None) -> None:
    """Meld op de pagina Spiegelrapporten terug wat er volgens de gemeente niet klopt.
    Voorbeeld: Als de gebruiker via het portaal op het op-orde rapport terugmeldt: "Het aantal cliënten is te laag"
    Voorbeeld: Als de gebruiker via het portaal op het op-orde rapport terugmeldt zonder toelichting
    """
    _reageer(keten, portaal, soort, "terugmelding", tekst or "")


@when(parsers.re(rf"de medewerker alleen de correctielevering van (?P<set>Wmo|Jeugd|SBO) voor {PERIODE} intrekt"),
      target_fixture="verzoek")
def _(keten, medewerker, set: str, periode: str):
    """Trek via het GGk alleen de correctielevering in; de levering van daarvoor geldt weer (seed 004).
    Voorbeeld: Als de medewerker alleen de correctielevering van Wmo voor H22017 intrekt
    """
    response = keten.ggk.submit_intrekking(medewerker.gemeentecode, medewerker.gegevens() | {
        "periode": periode, "soorten": [SET[set]], "alleen_correctie": True})
    allure.attach(response.content, name=f"ggk → harness · intrekking HTTP {response.status_code}",
                  attachment_type=allure.attachment_type.JSON)
    return Verzoek("intrekking", response.status_code, response.json())


def _levering(keten, gemeente, set: str, periode: str, bestand: str) -> dict:
    keten.wait_idle()
    leveringen = keten.cbs.status(gemeente=gemeente.code, periode=periode, soort=SET[set])
    gevonden = [lv for lv in leveringen if lv["bestand"] == bestand]
    assert gevonden, f"het CBS kent geen {set}-levering '{bestand}'; wel {[lv['bestand'] for lv in leveringen]}"
    return gevonden[0]


@then(parsers.re(rf'heeft de (?P<set>Wmo|Jeugd|SBO)-levering "(?P<bestand>[^"]+)" voor {PERIODE} bij het CBS '
                 r'de status "(?P<status>[^"]+)"'))
def _(keten, gemeente, set: str, bestand: str, periode: str, status: str) -> None:
    """De status van één levering (het bestand zoals het CBS het kreeg) in het register van het CBS.
    Voorbeeld: Dan heeft de Wmo-levering "WMO_H22017_correctie_0363.csv" voor H22017 bij het CBS de status "correctie ingetrokken"
    """
    levering = _levering(keten, gemeente, set, periode, bestand)
    assert levering["status"] == status, f"de status is '{levering['status']}', verwacht '{status}': {levering}"


@then(parsers.re(rf'is de (?P<set>Wmo|Jeugd|SBO)-levering "(?P<bestand>[^"]+)" voor {PERIODE} bij het CBS weer '
                 r'de actuele, met status "(?P<status>[^"]+)"'))
def _(keten, gemeente, set: str, bestand: str, periode: str, status: str) -> None:
    """Deze levering is (weer) de levering die het CBS gebruikt, met deze status.
    Voorbeeld: Dan is de Wmo-levering "WMO_H22017_eerste_0363.csv" voor H22017 bij het CBS weer de actuele, met status "op-orde verzonden"
    """
    levering = _levering(keten, gemeente, set, periode, bestand)
    assert levering["actueel"] and levering["status"] == status, (
        f"verwacht de actuele levering met status '{status}': {levering}")


@then(parsers.re(r'krijgt de gemeente op haar (?:besluit|intrekking) een foutrapport met foutcode "(?P<code>\w+)" '
                 r'van het CBS'))
def _(keten, gemeente, verzoek, code: str) -> None:
    """Het CBS weigerde het besluit: een Fo01 van het CBS bij de GGk-referentie van het besluit.
    Voorbeeld: Dan krijgt de gemeente op haar intrekking een foutrapport met foutcode "StUF055" van het CBS
    """
    referentie = verzoek.antwoord.get("referentie")
    item = keten.ggk.wait_for_download(gemeente.code, 0, lambda i: i["soort"] == "foutrapport"
                                       and i["correlatie"] == referentie, "foutrapport")
    fo01 = stuf.read_antwoord(stuf.parse_xml(keten.ggk.download(gemeente.code, item["id"])))
    assert (fo01.stuurgegevens.zender.organisatie, fo01.fout.code) == ("CBS", code), (
        f"een Fo01 van {fo01.stuurgegevens.zender.organisatie} met {fo01.fout.code} ({fo01.fout.omschrijving}), "
        f"verwacht {code} van het CBS")
    allure.attach(fo01.fout.omschrijving, name="omschrijving", attachment_type=allure.attachment_type.TEXT)


# ------------------------------------------------------------- file contents


@when(parsers.re(r'de gemeente een Wmo-bestand met type maatwerkarrangement "(?P<code>\d{2})" aanlevert als '
                 r'"(?P<bestandsnaam>[^"]+)"'), target_fixture="aanlevering")
def _(keten, gemeente: Gemeente, nu, code: str, bestandsnaam: str) -> Aanlevering:
    """Een geldig Wmo-bestand waarin elke regel dit type maatwerkarrangement (iWmo-productcategorie) heeft.
    Voorbeeld: Als de gemeente een Wmo-bestand met type maatwerkarrangement "18" aanlevert als "WMO_H12016_categorie.csv"
    """
    jaar, halfjaar = periode_uit_naam(bestandsnaam, nu)
    data = generator.generate(SOORT["Wmo"], gemeente.code, jaar, halfjaar, nu, rows=5, seed=5)
    kop, *regels = data.decode(generator.ENCODING).splitlines()
    kolom = kop.split(generator.SEPARATOR).index("Type maatwerkarrangement")
    nieuw = [kop]
    for regel in regels:
        velden = regel.split(generator.SEPARATOR)
        velden[kolom] = code
        nieuw.append(generator.SEPARATOR.join(velden))
    return lever_aan(keten, gemeente, [(bestandsnaam, ("\r\n".join(nieuw) + "\r\n").encode(generator.ENCODING))])


@given(parsers.re(rf"de inwonertabel van het CBS noemt (?P<wie>{GEMEENTE}) met (?P<n>[\d.]+) inwoners"))
def _(keten, wie: str, n: str) -> None:
    """Zet een inwonertal in de tabel die het CBS voor de SBO-drempel leest (testgegevens; de tabel
    zelf is data die een coördinator vervangt, zie docs/regels.md).
    Voorbeeld: Gegeven de inwonertabel van het CBS noemt Amsterdam (0363) met 25.000 inwoners
    """
    extra.set_inwoners(keten.cbs, {parse_gemeente(wie).code: int(n.replace(".", ""))})


@given(parsers.re(rf"het CBS weet dat (?P<wie>{GEMEENTE}) Iv3-informatie levert"))
def _(keten, wie: str) -> None:
    """Zet in de inwonertabel van het CBS dat deze gemeente Iv3 levert (voor haar vervalt SBO).
    Voorbeeld: Gegeven het CBS weet dat Schiermonnikoog (0088) Iv3-informatie levert
    """
    extra.set_inwoners(keten.cbs, iv3=[parse_gemeente(wie).code])


@when(parsers.re(rf"de medewerker voor {PERIODE} een opt-in geeft voor alleen de (?P<deel>basisset|kostenset|"
                 r"facultatieve set) van Wmo"), target_fixture="verzoek")
def _(keten, medewerker, periode: str, deel: str):
    """Probeer via het GGk een opt-in voor een deel van de Wmo-set (een opt-in geldt alleen de hele set).
    Voorbeeld: Als de medewerker voor H12016 een opt-in geeft voor alleen de basisset van Wmo
    """
    response = keten.ggk.submit_optin(medewerker.gemeentecode, medewerker.gegevens() | {
        "periode": periode, "besluiten": {"WMO": f"opt-in {deel}"}})
    return Verzoek("opt-in", response.status_code, response.json())


@when(parsers.re(r"de gebruiker via het portaal alleen de correctielevering van (?P<set>Wmo|Jeugd|SBO) voor "
                 rf"{PERIODE} wil intrekken"))
def _(portaal, set: str, periode: str) -> None:
    """Kies op het intrekscherm een set en "alleen de correctielevering"; het portaal vraagt dan om bevestiging.
    Voorbeeld: Als de gebruiker via het portaal alleen de correctielevering van Wmo voor H22017 wil intrekken
    """
    portaal.open(PortaalPagina.INTREKKEN)
    helft = portaal.regio(re.compile(rf"^{periode[:2]} {periode[2:]} "))
    helft.get_by_label(SET[set], exact=True).check()
    helft.get_by_label("alleen de correctielevering", exact=True).check()
    portaal.klik(portaal.knop("Verder naar bevestigen", helft))

