"""Steps about the signed opt-in (docs/ondertekening.md): the harness plays the GGk and
sends RINIS a decision that is unsigned, tampered, foreign, expired or replayed, and
checks that CBS refuses it with a Fo01 to the gemeente and a line in its audit log; and
it reads a decision the GGk itself signed.

The decisions are made with the shared signing code and the harness's test CA
(``simulators.gmsd.ondertekening``, ``simulators.pki``), never with a party's internals.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

import allure
from pytest_bdd import parsers, then, when

from simulators import auditlog, pki, stuf
from simulators.clock import AMSTERDAM
from simulators.gmsd import ondertekening
from simulators.gmsd.gemeenten import gemeenten
from steps.berichten import Verzonden, verstuur
from steps.drivers import INBOX
from steps.gemeenten import GEMEENTE, parse_gemeente
from steps.klok import PERIODE

SET = {"Wmo": "WMO", "Jeugd": "JEUGD", "SBO": "SBO"}
KOP = ("Naam organisatie;verslagperiode;naam verzoek;conclusie;datumconclusie;naam van gebruiker;emailadres;"
       "telefoonnummer")
GEBREK = (r"(?P<gebrek>zonder handtekening|waarvan de CSV na ondertekening is gewijzigd|"
          r"ondertekend met een certificaat van een vreemde CA|ondertekend met een verlopen certificaat|"
          r"ondertekend door een ander dan in de regels staat|"
          rf"ondertekend door een medewerker van (?P<ander>{GEMEENTE})|ondertekend door de medewerker)")


@dataclass
class Besluitzending:
    """A decision the harness sent as the GGk, and where to look for its answers."""

    gemeentecode: str
    zipnaam: str
    inhoud: bytes
    referentienummer: str
    downloads_voor: int   # the last download id of the gemeente before: what is new is after it
    audit_na: int         # CBS's audit log had lines up to this id before

    def __repr__(self) -> str:
        return f"Besluitzending({self.zipnaam})"


def _persoon(request, code: str) -> tuple[str, str]:
    """(e-mail address, name) of the scenario's employee, or of the harness's test person."""
    try:
        medewerker = request.getfixturevalue("medewerker")
    except LookupError:
        return f"harness.medewerker@gm{code}.ketentest.nl", "Harm de Tester"
    return medewerker.email, medewerker.naam


def _csv(code: str, periode: str, soort: str, besluit: str, moment: datetime, email: str, naam: str) -> bytes:
    rij = f"{gemeenten()[code]};{periode};{soort};{besluit};{moment:%Y%m%d};{naam};{email};088-0000000"
    return f"{KOP}\r\n{rij}\r\n".encode()


def _audit_laatste(keten) -> int:
    regels = keten.cbs.audit()
    return regels[-1]["id"] if regels else 0


def _stuur(keten, code: str, zipnaam: str, inhoud: bytes, naam: str) -> Besluitzending:
    """One Di01 with functie GMSD-OPTIN to RINIS, as the GGk sends it; RINIS must say Bv03."""
    items = keten.ggk.downloads(code)
    voor = items[-1]["id"] if items else 0
    audit_na = _audit_laatste(keten)
    tijdstip = keten.clock().strftime("%Y%m%d%H%M%S") + "000"
    envelop = stuf.Envelop(stuf.Stuurgegevens(
        "Di01", stuf.Systeem(code, "GGKWebservice", gemeenten()[code][:50]), stuf.Systeem("CBS", "GGk"),
        stuf.new_referentienummer(), tijdstip, functie="GMSD-OPTIN"), stuf.Bestand(inhoud, zipnaam))
    allure.attach(inhoud, name=f"harness → rinis · {zipnaam}", attachment_type="application/zip",
                  extension="zip")
    antwoord = verstuur(keten, "rinis", stuf.build_envelop(envelop), Verzonden("rinis"), naam)
    assert antwoord.bevestigd, f"RINIS nam het besluit niet aan: {antwoord.fout}"
    return Besluitzending(code, zipnaam, inhoud, envelop.stuurgegevens.referentienummer, voor, audit_na)


@when(parsers.re(rf"het GGk RINIS een (?P<besluit>opt-in|opt-out) voor (?P<set>Wmo|Jeugd|SBO) van "
                 rf"(?P<gemeente>{GEMEENTE}) voor {PERIODE} stuurt {GEBREK}"),
      target_fixture="besluitzending")
def _(keten, request, besluit: str, set: str, gemeente: str, periode: str, gebrek: str,
      ander: str | None) -> Besluitzending:
    """De harness speelt het GGk: een ondertekend besluit (ZIP met CSV en XML) met precies dit gebrek,
    namens de medewerker van het scenario (of een testpersoon van de harness).
    Voorbeeld: Als het GGk RINIS een opt-in voor Wmo van Amsterdam (0363) voor H12016 stuurt zonder handtekening
    Voorbeeld: Als het GGk RINIS een opt-in voor Wmo van Amsterdam (0363) voor H12016 stuurt ondertekend door een medewerker van Leiden (0546)
    """
    code = parse_gemeente(gemeente).code
    moment = keten.clock().astimezone(AMSTERDAM)
    email, naam = _persoon(request, code)
    csv_naam = f"OPTIN_{periode}_{code}_{moment:%Y%m%d%H%M%S}.csv"
    csv = _csv(code, periode, SET[set], besluit, moment, email, naam)
    paar = pki.persoon(email, naam, code, gemeenten()[code])
    if gebrek == "ondertekend met een certificaat van een vreemde CA":
        paar = pki.persoon(email, naam, code, gemeenten()[code], ca=pki.vreemde_ca())
    elif gebrek == "ondertekend met een verlopen certificaat":
        paar = pki.persoon(email, naam, code, gemeenten()[code],
                           geldig=(datetime(2014, 1, 1, tzinfo=UTC), datetime(2015, 12, 31, tzinfo=UTC)))
    elif ander:
        andere = parse_gemeente(ander)
        paar = pki.persoon(email, naam, andere.code, andere.naam)
    ondertekenaar = email
    if gebrek == "ondertekend door een ander dan in de regels staat":
        ondertekenaar = f"collega.{code}@gm{code}.ketentest.nl"
        paar = pki.persoon(ondertekenaar, "Cor Collega", code, gemeenten()[code])
    xml = None
    if gebrek != "zonder handtekening":
        xml = ondertekening.onderteken(ondertekening.besluit_voor(csv_naam, csv, ondertekenaar, moment), paar)
        allure.attach(xml, name=f"ondertekend besluit {csv_naam}", attachment_type=allure.attachment_type.XML)
    if gebrek == "waarvan de CSV na ondertekening is gewijzigd":
        ander_besluit = "opt-out" if besluit == "opt-in" else "opt-in"
        csv = csv.replace(f";{besluit};".encode(), f";{ander_besluit};".encode())
    zipnaam = ondertekening.zipnaam(csv_naam)
    return _stuur(keten, code, zipnaam, ondertekening.verpak(csv_naam, csv, xml), gebrek)


def _laatste_besluit(keten, code: str) -> tuple[str, bytes]:
    """The newest opt-in/withdrawal file of a gemeente in CBS's inbox at RINIS: name and bytes."""
    keten.wait_idle()
    bestanden = [f for f in keten.rinis.folder(INBOX) if f["naam"].startswith(("OPTIN_", "INTREKKING_"))
                 and f["gemeentecode"] == code]
    assert bestanden, f"er staat geen opt-in of intrekking van {code} in {INBOX}"
    return bestanden[-1]["naam"], keten.rinis.folder_file(INBOX, bestanden[-1]["id"])


@when(parsers.re(rf"het GGk het laatste ondertekende besluit van (?P<gemeente>{GEMEENTE}) nog eens naar RINIS "
                 r"stuurt"), target_fixture="besluitzending")
def _(keten, gemeente: str) -> Besluitzending:
    """De harness speelt het GGk en stuurt een besluit dat het CBS al had, ongewijzigd, in een nieuw Di01.
    Voorbeeld: Als het GGk het laatste ondertekende besluit van Amsterdam (0363) nog eens naar RINIS stuurt
    """
    code = parse_gemeente(gemeente).code
    naam, inhoud = _laatste_besluit(keten, code)
    return _stuur(keten, code, naam, inhoud, "herhaald besluit")


def _optin_bericht(keten, zipnaam: str) -> dict:
    keten.wait_idle()
    berichten = [b for b in keten.cbs.optins() if b["bestandsnaam"] == zipnaam]
    assert berichten, f"het CBS ontving '{zipnaam}' niet"
    return berichten[-1]


@then(parsers.re(r'weigert het CBS het besluit met foutcode "(?P<code>KT\d+|StUF\d+)" en een melding met '
                 r'"(?P<tekst>[^"]+)"'))
def _(keten, besluitzending: Besluitzending, code: str, tekst: str) -> None:
    """Het CBS legt het bestand vast als geweigerd, met de foutcode en een Nederlandse melding.
    Voorbeeld: Dan weigert het CBS het besluit met foutcode "KT102" en een melding met "gewijzigd na ondertekening"
    """
    bericht = _optin_bericht(keten, besluitzending.zipnaam)
    melding = bericht["melding"] or ""
    assert bericht["status"] != "verwerkt" and bericht["rijen"] == [], f"het CBS verwerkte het besluit: {bericht}"
    assert melding.startswith(f"{code}:") and tekst in melding, (
        f"het CBS weigerde met '{melding}', verwacht foutcode {code} en '{tekst}'")


@then(parsers.re(r'krijgt de gemeente een foutrapport met foutcode "(?P<code>KT\d+|StUF\d+)" van het CBS'))
def _(keten, besluitzending: Besluitzending, code: str) -> None:
    """De gemeente krijgt een Fo01 van het CBS, bij het Di01 van het besluit, in haar downloadgebied.
    Voorbeeld: Dan krijgt de gemeente een foutrapport met foutcode "KT101" van het CBS
    """
    item = keten.ggk.wait_for_download(besluitzending.gemeentecode, besluitzending.downloads_voor,
                                   lambda i: i["soort"] == "foutrapport", "foutrapport")
    inhoud = keten.ggk.download(besluitzending.gemeentecode, item["id"])
    allure.attach(inhoud, name=f"foutrapport {item['bestandsnaam']}", attachment_type=allure.attachment_type.XML)
    fo01 = stuf.read_antwoord(stuf.parse_xml(inhoud))
    sg = fo01.stuurgegevens
    assert (sg.berichtcode, sg.zender.organisatie, sg.ontvanger.organisatie) == (
        "Fo01", "CBS", besluitzending.gemeentecode), f"verwacht een Fo01 van CBS aan de gemeente: {sg}"
    assert sg.crossRefnummer == besluitzending.referentienummer, (
        f"de Fo01 hoort bij {sg.crossRefnummer}, verwacht het Di01 {besluitzending.referentienummer}")
    assert fo01.fout.code == code and fo01.fout.omschrijving.strip(), (
        f"foutcode {fo01.fout.code} ({fo01.fout.omschrijving}), verwacht {code}")


@then(parsers.re(rf'staat in het auditlog van het CBS een regel "(?P<actie>[^"]+)" met resultaat '
                 rf'"(?P<resultaat>[^"]+)" voor (?P<gemeente>{GEMEENTE})'))
def _(keten, actie: str, resultaat: str, gemeente: str) -> None:
    """Het CBS schreef deze controle in zijn auditlog, met wie ondertekende, herkomst en tijd.
    Voorbeeld: Dan staat in het auditlog van het CBS een regel "optin" met resultaat "geweigerd" voor Amsterdam (0363)
    """
    code = parse_gemeente(gemeente).code
    keten.wait_idle()
    regels = keten.cbs.audit(code)
    allure.attach(auditlog.als_tabel(regels), name="auditlog CBS", attachment_type=allure.attachment_type.TEXT)
    gevonden = [r for r in regels if (r["actie"], r["resultaat"]) == (actie, resultaat)]
    assert gevonden, f"geen auditregel {actie}/{resultaat} voor {code}; wel: " + str(
        [(r["actie"], r["resultaat"], r["details"][:80]) for r in regels])
    assert all(gevonden[-1][k] for k in ("wie", "herkomst", "tijdstip", "details")), gevonden[-1]


@then(parsers.re(rf"legt het CBS voor de (?P<set>Wmo|Jeugd|SBO)-levering van {PERIODE} geen "
                 r"besluit vast"))
def _(keten, gemeente, set: str, periode: str) -> None:
    """Het leveringsregister van het CBS kent voor deze set en periode geen opt-in, opt-out of intrekking.
    Voorbeeld: Dan legt het CBS voor de Wmo-levering van H12016 geen besluit vast
    """
    keten.wait_idle()
    leveringen = keten.cbs.status(gemeente=gemeente.code, periode=periode, soort=SET[set])
    besluiten = [h["status"] for lv in leveringen for h in lv["historie"]
                 if h["status"] in ("opt-in", "opt-out", "ingetrokken")]
    assert besluiten == [], f"het CBS legde toch een besluit vast: {besluiten}"


@then(parsers.re(rf'is het laatste besluit van (?P<gemeente>{GEMEENTE}) ondertekend door "(?P<naam>[^"]+)" '
                 r"met exclusieve canonicalisatie"))
def _(keten, gemeente: str, naam: str) -> None:
    """Het besluit dat het CBS kreeg is een ZIP met de CSV en een XML-handtekening (xml-exc-c14n) van deze persoon,
    met een certificaat van de test-CA voor de gemeente, geldig op de gesimuleerde datum.
    Voorbeeld: Dan is het laatste besluit van Amsterdam (0363) ondertekend door "Henk de Vries" met exclusieve canonicalisatie
    """
    code = parse_gemeente(gemeente).code
    zipnaam, inhoud = _laatste_besluit(keten, code)
    assert zipnaam.endswith(".zip"), f"het besluit kwam als '{zipnaam}', niet als ZIP met handtekening"
    csv_naam, xml_naam = zipnaam.replace(".zip", ".csv"), zipnaam.replace(".zip", ".xml")
    with zipfile.ZipFile(io.BytesIO(inhoud)) as zf:
        assert sorted(zf.namelist()) == sorted([csv_naam, xml_naam]), f"de ZIP bevat {zf.namelist()}"
        csv, xml = zf.read(csv_naam), zf.read(xml_naam)
    allure.attach(xml, name=f"ondertekend besluit {xml_naam}", attachment_type=allure.attachment_type.XML)
    assert b'Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"' in xml, "geen exclusieve canonicalisatie"
    try:
        gecontroleerd = ondertekening.controleer(csv_naam, csv, xml, nu=keten.clock())
    except ondertekening.SignatureError as exc:
        raise AssertionError(f"de handtekening houdt geen stand: {exc}") from None
    assert (gecontroleerd.houder.naam, gecontroleerd.houder.gemeentecode) == (naam, code), (
        f"ondertekend door {gecontroleerd.houder}, verwacht {naam} van {code}")
