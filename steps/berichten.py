"""Steps about StUF messages between the infrastructure parties: the harness plays a
neighbour (the GGk towards RINIS, RINIS towards the GGk, CBS towards RINIS) and sends
what that neighbour would send, so one hop is exercised at a time (burentest).

The messages are built with the shared StUF code (``simulators.stuf``), never with a
party's internals, and every one is validated against the real schema before it
leaves: a refusal then says something about the receiver, not about the harness.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime

import allure
from pytest_bdd import given, parsers, then, when

from simulators import pki, stuf
from simulators.gmsd import metagegevens, ondertekening
from simulators.gmsd.gemeenten import gemeenten
from simulators.stuf.model import GGK_NS
from steps.drivers import INBOX, ChainError, WrongAnswerError, the_one

FUNCTIE_AANLEVERING = "GMSD-AANLEVERING"
FUNCTIE_METAGEGEVENS = "GMSD-METAGEGEVENS"
FUNCTIE_RAPPORT = "GMSD-RAPPORT"
ATTACH_MAX = 1_000_000
PARTIJ = {"het GGk": "ggk", "RINIS": "rinis", "het CBS": "cbs", "de gemeente": "gemeente"}


@dataclass
class Verzonden:
    """What the harness sent in a scenario and what came back, in order."""

    ontvanger: str
    berichten: list[tuple[bytes, stuf.Antwoord | None, int]] = field(default_factory=list)
    ruw: list[bytes] = field(default_factory=list)  # each answer's bytes, as they came
    referentie: str | None = None  # the GGk reference the messages carry, when they carry one

    def __repr__(self) -> str:
        return f"Verzonden({self.ontvanger}, {len(self.berichten)} berichten)"

    @property
    def antwoorden(self) -> list[stuf.Antwoord]:
        return [a for _b, a, _s in self.berichten if a is not None]


def verstuur(keten, party: str, element_or_bytes, verzonden: Verzonden, name: str, **tls) -> stuf.Antwoord:
    """POST one message as SOAP to ``party``; keep and attach both sides (``tls``: the ``cert``
    shown on a TLS chain, when not the neighbour's)."""
    if isinstance(element_or_bytes, bytes):
        body, action = element_or_bytes, stuf.SOAP_ACTIONS["Di01"]
    else:
        stuf.require_valid(element_or_bytes)
        body = stuf.wrap(element_or_bytes)
        action = stuf.SOAP_ACTIONS[stuf.read_stuurgegevens(element_or_bytes).berichtcode]
    if len(body) > ATTACH_MAX:  # 25 MB of zeros says nothing a reader needs
        allure.attach(f"{len(body)} bytes; begint met:\n".encode() + body[:2000],
                      name=f"harness → {party} · {name} (ingekort)", attachment_type=allure.attachment_type.TEXT)
    else:
        allure.attach(body, name=f"harness → {party} · {name}", attachment_type=allure.attachment_type.XML)
    response = keten.party(party).send_stuf(body, action, **tls)
    allure.attach(response.content, name=f"{party} → harness · antwoord HTTP {response.status_code}",
                  attachment_type=allure.attachment_type.XML)
    try:
        answer = stuf.read_antwoord(stuf.unwrap(response.content))
    except (stuf.NotXmlError, stuf.UnsafeXmlError, stuf.StufError) as exc:
        raise WrongAnswerError(f"{party} gaf geen StUF-antwoord (HTTP {response.status_code}): {exc}; "
                               f"{response.text[:300]}", "een StUF-antwoord", f"HTTP {response.status_code}") from None
    verzonden.berichten.append((body, answer, response.status_code))
    verzonden.ruw.append(response.content)
    return answer


def ggk_aanbieding(gemeentecode: str, bestandsnaam: str, inhoud: bytes, moment: datetime,
                   referentie: str) -> list[stuf.Envelop]:
    """The two Di01s the GGk sends for one upload: the metadata record, then the file."""
    zender = stuf.Systeem(gemeentecode, "GGKWebservice", gemeenten().get(gemeentecode, "")[:50] or None)
    ontvanger = stuf.Systeem("CBS", "GGk")
    file_ref, meta_ref = stuf.new_referentienummer(), stuf.new_referentienummer()
    tijdstip = moment.strftime("%Y%m%d%H%M%S") + "000"
    meta = metagegevens.Metagegevens(
        referentienummerBestand=file_ref, bestandsnaam=bestandsnaam, bestandsnaamEnvelop=bestandsnaam,
        gemeentecode=gemeentecode, gebruiker="harness@ketentest.nl", tijdstipUpload=moment,
        ggkReferenties=((bestandsnaam, referentie),))
    return [
        stuf.Envelop(stuf.Stuurgegevens("Di01", zender, ontvanger, meta_ref, tijdstip,
                                        functie=FUNCTIE_METAGEGEVENS),
                     stuf.Bestand(metagegevens.to_xml(meta))),
        stuf.Envelop(stuf.Stuurgegevens("Di01", zender, ontvanger, file_ref, tijdstip,
                                        functie=FUNCTIE_AANLEVERING),
                     stuf.Bestand(inhoud, bestandsnaam)),
    ]


def _csv(gemeentecode: str) -> bytes:
    """A small file: the burentest judges transport and naming, not content."""
    return f"Aanmaakdatum bestand;Gemeentecode\r\n20160815090000;{gemeentecode}\r\n".encode()


# ------------------------------------------------------------ the harness sends


@when(parsers.re(r'het GGk een Di01 met het bestand "(?P<bestand>[^"]+)" van gemeente '
                 r"(?P<code>\d{4}) aan RINIS aanbiedt"), target_fixture="verzonden")
def _(keten, nu, bestand: str, code: str) -> Verzonden:
    """De harness speelt het GGk: twee Di01's (metagegevens, dan het bestand) naar RINIS.
    Voorbeeld: Als het GGk een Di01 met het bestand "WMO_H12016_regulier.csv" van gemeente 0363 aan RINIS aanbiedt
    """
    referentie = unieke_referentie(nu)  # how this scenario's file is known at a RINIS that keeps its state
    verzonden = Verzonden("rinis", referentie=referentie)
    for envelop in ggk_aanbieding(code, bestand, _csv(code), nu, referentie):
        verstuur(keten, "rinis", stuf.build_envelop(envelop), verzonden, envelop.stuurgegevens.functie)
    return verzonden


GEBREK = (
    r"(?P<gebrek>dat geen XML is|met een DOCTYPE|met een externe entiteit|dat niet aan het StUF-schema "
    r"voldoet|in StUF-versie 02\.04|met berichtcode \"(?P<berichtcode>[A-Za-z0-9]+)\"|met een "
    r"referentienummer dat geen UUID is|van onbekende zender (?P<zender>\S+)|aan onbekende ontvanger "
    r"\S+|met functie \"(?P<functie>[^\"]+)\"|van meer dan 25 MB|met een inhoud die geen "
    r"base64 is|met een bestandsnaam met een spatie|zonder bestand|met een leeg bestand|met het bestand als "
    r"xmlBestand|dat het al eerder stuurde|met een referentienummer dat al voor een ander bericht is "
    r"gebruikt|met een onbekend crossRefnummer|terwijl de functie tijdelijk geblokkeerd is|"
    r"met metagegevens die niet aan hun schema voldoen|met metagegevens van een andere gemeente|"
    r"met een opt-in die het CBS niet kan lezen|met een opt-in met een verkeerde bestandsnaam)"
)
"""What can be wrong with one StUF message; ``docs/foutcodes.md`` says what each must get."""


def unieke_referentie(nu: datetime) -> str:
    """A GGk reference (yyyymmdd-hhmmss-nnn) no earlier scenario used: a partner's endpoint
    keeps its state between scenarios, so a step must recognise what is its own."""
    return f"{nu:%Y%m%d}-{random.randrange(10**6):06d}-001"


def _basisbericht(afzender: str, nu: datetime, referentie: str, gemeentecode: str = "0363") -> stuf.Envelop:
    """The good message a bad one is made from: a GGk file Di01 to RINIS, or a report
    Di01 from RINIS to the GGk."""
    if afzender == "ggk":
        return ggk_aanbieding(gemeentecode, "WMO_H12016.csv", _csv(gemeentecode), nu, referentie)[1]
    return stuf.Envelop(stuf.Stuurgegevens(
        "Di01", stuf.Systeem("CBS", "CBS-GMSD"), stuf.Systeem(gemeentecode, "GGk"),
        stuf.new_referentienummer(), nu.strftime("%Y%m%d%H%M%S") + "000", functie=FUNCTIE_RAPPORT),
        stuf.Bestand(b"%PDF-1.4 harness\n%%EOF\n", f"CBS_TECHNISCH_0363_H12016_{referentie}.pdf"))


def _met(envelop: stuf.Envelop, **sg_velden) -> stuf.Envelop:
    return stuf.Envelop(replace(envelop.stuurgegevens, **sg_velden), envelop.bestand, envelop.versies)


def _xml(envelop: stuf.Envelop, pad: str, tekst: str | None = None, **attributen) -> bytes:
    """The envelope as SOAP with one element changed (``pad``: an XPath under the root)."""
    element = stuf.build_envelop(envelop)
    node = element.xpath(pad, namespaces={"StUF": stuf.STUF_NS, "GGK": GGK_NS})[0]
    if tekst is not None:
        node.text = tekst
    for naam, waarde in attributen.items():
        node.set(naam, waarde)
    return stuf.wrap(element)


def slecht_bericht(keten, afzender: str, ontvanger: str, gebrek: str, nu: datetime, referentie: str,
                   berichtcode=None, zender=None, ontvanger_org=None, functie=None) -> list[tuple[bytes, str]]:
    """The messages (SOAP bytes, name) the harness sends to show one ``gebrek``."""
    basis = _basisbericht(afzender, nu, referentie)
    goed = stuf.wrap(stuf.build_envelop(basis))
    if gebrek == "dat geen XML is":
        return [(b"dit is geen XML", "geen XML")]
    if gebrek == "met een DOCTYPE":
        return [(goed.replace(b"<soap", b'<!DOCTYPE x [<!ENTITY e "x">]><soap', 1), "DOCTYPE")]
    if gebrek == "met een externe entiteit":
        body = goed.replace(b"<soap", b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><soap', 1)
        return [(body.replace(b"<StUF:functie>", b"<StUF:functie>&e;", 1), "externe entiteit")]
    if gebrek == "dat niet aan het StUF-schema voldoet":
        return [(_xml(basis, "GGK:stuurgegevens/StUF:tijdstipBericht", "gisteren"), "schema-ongeldig")]
    if gebrek == "in StUF-versie 02.04":
        return [(goed.replace(stuf.STUF_NS.encode(), b"http://www.egem.nl/StUF/StUF0204"), "StUF 02.04")]
    if berichtcode is not None:
        return [(_xml(basis, "GGK:stuurgegevens/StUF:berichtcode", berichtcode), f"berichtcode {berichtcode}")]
    if gebrek == "met een referentienummer dat geen UUID is":
        return [(_xml(basis, "GGK:stuurgegevens/StUF:referentienummer", "20160815-0001"), "geen UUID")]
    if zender is not None:
        return [(stuf.wrap(stuf.build_envelop(_met(basis, zender=stuf.Systeem(zender, "Onbekend")))),
                 "onbekende zender")]
    if ontvanger_org is not None:
        return [(stuf.wrap(stuf.build_envelop(_met(basis, ontvanger=stuf.Systeem(ontvanger_org, "GGk")))),
                 "onbekende ontvanger")]
    if functie is not None:
        return [(stuf.wrap(stuf.build_envelop(_met(basis, functie=functie))), f"functie {functie}")]
    if gebrek == "van meer dan 25 MB":
        groot = stuf.Envelop(basis.stuurgegevens, stuf.Bestand(b"0" * (stuf.MAX_MESSAGE_BYTES + 1),
                                                               basis.bestand.bestandsnaam))
        return [(stuf.wrap(stuf.build_envelop(groot)), "meer dan 25 MB")]
    if gebrek == "met een inhoud die geen base64 is":
        return [(_xml(basis, "GGK:parameters/GGK:bericht/*", "dit is geen base64!"), "geen base64")]
    if gebrek == "met een bestandsnaam met een spatie":
        return [(_xml(basis, "GGK:parameters/GGK:bericht/*", bestandsnaam="WMO H12016.csv"), "spatie")]
    if gebrek == "zonder bestand":
        element = stuf.build_envelop(basis)
        bericht = element.find("GGK:parameters/GGK:bericht", {"GGK": GGK_NS})
        bericht.getparent().remove(bericht)
        return [(stuf.wrap(element), "zonder bestand")]
    if gebrek == "met een leeg bestand":
        return [(_xml(basis, "GGK:parameters/GGK:bericht/*", ""), "leeg bestand")]
    if gebrek == "met het bestand als xmlBestand":
        als_xml = stuf.Envelop(basis.stuurgegevens, stuf.Bestand(b"<bestand/>"))
        return [(stuf.wrap(stuf.build_envelop(als_xml)), "xmlBestand")]
    if gebrek == "dat het al eerder stuurde":
        eerst = []
        if afzender == "ggk":  # with its metadata, so RINIS can place the file (once)
            meta = ggk_aanbieding("0363", "WMO_H12016.csv", _csv("0363"), nu, referentie)[0]
            meta = stuf.Envelop(meta.stuurgegevens, stuf.Bestand(metagegevens.to_xml(replace(
                metagegevens.from_xml(meta.bestand.inhoud),
                referentienummerBestand=basis.stuurgegevens.referentienummer))))
            eerst = [(stuf.wrap(stuf.build_envelop(meta)), "metagegevens")]
        return eerst + [(goed, "eerste keer"), (goed, "dezelfde nog eens")]
    if gebrek == "met een referentienummer dat al voor een ander bericht is gebruikt":
        ander = stuf.Envelop(basis.stuurgegevens, stuf.Bestand(basis.bestand.inhoud + b"x",
                                                               basis.bestand.bestandsnaam))
        return [(goed, "eerste bericht"), (stuf.wrap(stuf.build_envelop(ander)), "ander bericht, zelfde nummer")]
    if gebrek == "met een onbekend crossRefnummer":
        du01 = _met(basis, berichtcode="Du01", crossRefnummer=stuf.new_referentienummer())
        return [(stuf.wrap(stuf.build_envelop(du01)), "onbekend crossRefnummer")]
    if gebrek.startswith("met metagegevens"):  # the file first, its metadata last: RINIS pairs them
        meta = ggk_aanbieding("0363", "WMO_H12016.csv", _csv("0363"), nu, referentie)[0]
        record = replace(metagegevens.from_xml(meta.bestand.inhoud),
                         referentienummerBestand=basis.stuurgegevens.referentienummer)
        inhoud = (b"<metagegevens>geen schema</metagegevens>" if "schema" in gebrek
                  else metagegevens.to_xml(replace(record, gemeentecode="0599")))
        meta = stuf.Envelop(meta.stuurgegevens, stuf.Bestand(inhoud))
        return [(goed, "bestand"), (stuf.wrap(stuf.build_envelop(meta)), "metagegevens")]
    if gebrek.startswith("met een opt-in"):
        naam, inhoud = "OPTIN_H12016_0599_20160815090000.csv", b"dit is geen opt-in\r\n"
        if "CBS" in gebrek:  # signed as it should be: CBS then finds the CSV unreadable
            naam = "OPTIN_H12016_0363_20160815090000.csv"
            email = "harness.medewerker@gm0363.ketentest.nl"
            besluit = ondertekening.besluit_voor(naam, inhoud, email, keten.clock())
            xml = ondertekening.onderteken(besluit, pki.persoon(email, "Harm de Tester", "0363", "Amsterdam"))
            naam, inhoud = ondertekening.zipnaam(naam), ondertekening.verpak(naam, inhoud, xml)
        optin = _met(stuf.Envelop(basis.stuurgegevens, stuf.Bestand(inhoud, naam)), functie="GMSD-OPTIN")
        return [(stuf.wrap(stuf.build_envelop(optin)), naam)]
    if gebrek == "terwijl de functie tijdelijk geblokkeerd is":
        if ontvanger != "rinis":
            raise ChainError(f"{ontvanger} kon de functie niet blokkeren: alleen RINIS kent blokkades")
        response = keten.rinis.block(basis.stuurgegevens.functie)
        if response.status_code != 201:
            raise ChainError(f"{ontvanger} kon de functie niet blokkeren: HTTP {response.status_code} "
                             f"{response.text[:200]}")
        return [(goed, "geblokkeerde functie")]
    raise AssertionError(f"onbekend gebrek: {gebrek}")


@when(parsers.re(r"(?P<afzender>het GGk|RINIS) (?P<ontvanger>RINIS|het GGk) een bericht stuurt " + GEBREK),
      target_fixture="verzonden")
def _(keten, nu, afzender: str, ontvanger: str, gebrek: str, berichtcode: str | None, zender: str | None,
      functie: str | None) -> Verzonden:
    """De harness speelt het GGk (of RINIS) en stuurt de ander een bericht met één gebrek:
    het bestand van gemeente 0363 (of een rapport voor 0363) met precies die ene fout.
    Voorbeeld: Als het GGk RINIS een bericht stuurt dat niet aan het StUF-schema voldoet
    Voorbeeld: Als RINIS het GGk een bericht stuurt met een onbekend crossRefnummer
    Voorbeeld: Als het GGk RINIS een bericht stuurt met functie "GMSD-RAPPORT"
    """
    naar = PARTIJ[ontvanger]
    ontvanger_org = None
    if gebrek.startswith("aan onbekende ontvanger"):
        ontvanger_org = gebrek.rsplit(" ", 1)[1]
    verzonden = Verzonden(naar, referentie=unieke_referentie(nu))
    for body, name in slecht_bericht(keten, PARTIJ[afzender], naar, gebrek, nu, verzonden.referentie,
                                     berichtcode, zender, ontvanger_org, functie):
        verstuur(keten, naar, body, verzonden, name)
    return verzonden


@when(parsers.re(r'RINIS het rapport "(?P<rapport>[^"]+)" in een Di01 aan het GGk aanbiedt'),
      target_fixture="verzonden")
@given(parsers.re(r'RINIS het rapport "(?P<rapport>[^"]+)" in een Di01 aan het GGk heeft aangeboden'),
       target_fixture="verzonden")
def _(keten, nu, rapport: str) -> Verzonden:
    """De harness speelt RINIS: een rapport (PDF) in een Di01 naar het GGk, voor de
    gemeente die in de rapportnaam staat.
    Voorbeeld: Als RINIS het rapport "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf" in een Di01 aan het GGk aanbiedt
    Voorbeeld: Gegeven RINIS het rapport "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf" in een Di01 aan het GGk heeft aangeboden
    """
    gemeentecode = rapport.split("_")[2]
    envelop = stuf.Envelop(stuf.Stuurgegevens(
        "Di01", stuf.Systeem("CBS", "CBS-GMSD"), stuf.Systeem(gemeentecode, "GGk"),
        stuf.new_referentienummer(), nu.strftime("%Y%m%d%H%M%S") + "000", functie=FUNCTIE_RAPPORT),
        stuf.Bestand(b"%PDF-1.4 harness\n%%EOF\n", rapport))
    verzonden = Verzonden("ggk")
    verstuur(keten, "ggk", stuf.build_envelop(envelop), verzonden, rapport)
    return verzonden


# ------------------------------------------------------------------- answers


@then(parsers.re(r"bevestigt (?P<wie>het GGk|RINIS) elk bericht met een Bv03 met het "
                 r"referentienummer als crossRefnummer"))
def _(verzonden: Verzonden, wie: str) -> None:
    """Elk verzonden bericht kreeg een Bv03 dat naar dat bericht verwijst.
    Voorbeeld: Dan bevestigt RINIS elk bericht met een Bv03 met het referentienummer als crossRefnummer
    """
    assert verzonden.berichten, "de harness heeft niets verzonden"
    for body, answer, status in verzonden.berichten:
        sent = stuf.read_stuurgegevens(stuf.unwrap(body))
        code = answer.stuurgegevens.berichtcode
        detail = f" ({answer.fout.code}: {answer.fout.omschrijving})" if answer.fout else ""
        if code != "Bv03" or status != 200:
            raise WrongAnswerError(f"{wie} antwoordde {code} met HTTP {status} op {sent.functie}{detail}",
                                   "Bv03 met HTTP 200", f"{code} met HTTP {status}")
        if answer.stuurgegevens.crossRefnummer != sent.referentienummer:
            raise WrongAnswerError(f"het Bv03 van {wie} op {sent.functie} verwijst naar een ander bericht",
                                   f"crossRefnummer {sent.referentienummer}",
                                   f"crossRefnummer {answer.stuurgegevens.crossRefnummer}")


def _referentienummer(body: bytes) -> str | None:
    """The referentienummer of a message the harness sent, if it can be read at all."""
    try:
        return stuf.read_stuurgegevens(stuf.unwrap(body)).referentienummer or None
    except (stuf.NotXmlError, stuf.UnsafeXmlError, stuf.StufError):
        return None


@then(parsers.re(r'weigert (?P<wie>het GGk|RINIS) het bericht met een Fo03 met foutcode '
                 r'"(?P<code>[A-Za-z]+\d+)"( en plek "(?P<plek>client|server)")?'))
def _(verzonden: Verzonden, wie: str, code: str, plek: str | None) -> None:
    """Het bericht is direct geweigerd met een Fo03 (in een SOAP-fault, HTTP 500) met deze
    foutcode, een omschrijving, en als crossRefnummer het referentienummer van het bericht
    (als dat te lezen was).
    Voorbeeld: Dan weigert RINIS het bericht met een Fo03 met foutcode "StUF055" en plek "client"
    """
    body, answer, status = verzonden.berichten[-1]
    got = answer.stuurgegevens.berichtcode
    gekregen = f"{got} {answer.fout.code}" if answer.fout else got
    if got != "Fo03":
        raise WrongAnswerError(f"{wie} antwoordde {got} in plaats van een Fo03", f"Fo03 {code}", gekregen)
    if answer.fout.code != code:
        raise WrongAnswerError(f"{wie} weigerde met een andere foutcode ({answer.fout.omschrijving})",
                               f"Fo03 {code}", gekregen)
    if not answer.fout.omschrijving.strip():
        raise WrongAnswerError("de Fo03 heeft geen omschrijving", "een omschrijving", "een lege omschrijving")
    if status != 500:
        raise WrongAnswerError("een Fo03 hoort in een SOAP-fault met HTTP 500", "HTTP 500", f"HTTP {status}")
    if plek and answer.fout.plek != plek:
        raise WrongAnswerError(f"de Fo03 {code} heeft de verkeerde plek", f"plek {plek}",
                               f"plek {answer.fout.plek}")
    refnr = _referentienummer(body)
    if refnr and answer.stuurgegevens.crossRefnummer != refnr[:40]:
        raise WrongAnswerError("de Fo03 verwijst niet naar het geweigerde bericht", f"crossRefnummer {refnr}",
                               f"crossRefnummer {answer.stuurgegevens.crossRefnummer}")


@then(parsers.re(r'bevestigt RINIS het bericht met een Bv03 en (?:weigert het daarna|krijgt het GGk daarna) '
                 r'(?:met )?een Fo01(?: van (?P<van>RINIS|het CBS))? met foutcode '
                 r'"(?P<code>[A-Za-z]+\d+)"( en plek "(?P<plek>client|server)")?'))
def _(keten, marks, verzonden: Verzonden, code: str, plek: str | None, van: str | None) -> None:
    """Een fout die pas bij verwerking gevonden wordt (door RINIS, of door het CBS): eerst een
    Bv03, daarna een Fo01 aan het GGk die naar het bericht verwijst, met deze foutcode; met
    "van" ook wie hem vond (de zender van de Fo01).
    Voorbeeld: Dan bevestigt RINIS het bericht met een Bv03 en weigert het daarna met een Fo01 met foutcode "RIN001"
    Voorbeeld: Dan bevestigt RINIS het bericht met een Bv03 en krijgt het GGk daarna een Fo01 van het CBS met foutcode "StUF055"
    """
    body, answer, status = verzonden.berichten[-1]
    if (answer.stuurgegevens.berichtcode, status) != ("Bv03", 200):
        raise WrongAnswerError(
            f"RINIS antwoordde {answer.stuurgegevens.berichtcode} (HTTP {status}) in plaats van eerst een Bv03"
            + (f"; {answer.fout.code}: {answer.fout.omschrijving}" if answer.fout else ""),
            "Bv03 met HTTP 200", f"{answer.stuurgegevens.berichtcode} met HTTP {status}")
    refnr = _referentienummer(body)

    def fo01s() -> list[dict]:  # by the refused message's own number: no other run's Fo01 matches
        return [e for e in keten.journal_since(marks)["ggk"]
                if e["richting"] == "in" and e["berichtcode"] == "Fo01" and e["crossRefnummer"] == refnr]

    keten.wait_for(fo01s, f"het GGk kreeg geen Fo01 over bericht {refnr}")
    keten.wait_idle()
    gekregen = fo01s()
    if len(gekregen) != 1:
        raise WrongAnswerError(f"het GGk ontving {len(gekregen)} Fo01's over bericht {refnr}", 1, len(gekregen))
    inhoud = keten.payload(gekregen[0])
    fo01 = stuf.read_antwoord(stuf.unwrap(inhoud))
    allure.attach(inhoud, name="RINIS → GGk · Fo01", attachment_type=allure.attachment_type.XML)
    if fo01.fout.code != code:
        raise WrongAnswerError(f"de Fo01 heeft een andere foutcode ({fo01.fout.omschrijving})",
                               f"Fo01 {code}", f"Fo01 {fo01.fout.code}")
    if not fo01.fout.omschrijving.strip():
        raise WrongAnswerError("de Fo01 heeft geen omschrijving", "een omschrijving", "een lege omschrijving")
    if plek and fo01.fout.plek != plek:
        raise WrongAnswerError(f"de Fo01 {code} heeft de verkeerde plek", f"plek {plek}", f"plek {fo01.fout.plek}")
    if van:
        verwacht = {"RINIS": "RINIS", "het CBS": "CBS"}[van]
        if fo01.stuurgegevens.zender.organisatie != verwacht:
            raise WrongAnswerError("de Fo01 komt van een andere zender", f"zender {verwacht}", f"zender {fo01.stuurgegevens.zender.organisatie}")


@then(parsers.re(r"beantwoordt (?P<wie>het GGk|RINIS) het herhaalde bericht met hetzelfde Bv03 en verwerkt het "
                 r"één keer"))
def _(keten, verzonden: Verzonden, wie: str) -> None:
    """Hetzelfde bericht twee keer: twee keer precies hetzelfde Bv03, en maar één keer verwerkt
    (RINIS plaatst het bestand één keer; het GGk zet het rapport één keer klaar).
    Voorbeeld: Dan beantwoordt RINIS het herhaalde bericht met hetzelfde Bv03 en verwerkt het één keer
    """
    assert len(verzonden.ruw) >= 2, "de harness stuurde het bericht geen twee keer"
    codes = [a.stuurgegevens.berichtcode for _b, a, _s in verzonden.berichten]
    if codes[-2:] != ["Bv03", "Bv03"]:
        raise WrongAnswerError(f"{wie} beantwoordde het herhaalde bericht niet twee keer met een Bv03", "Bv03, Bv03",
                               ", ".join(codes[-2:]))
    if verzonden.ruw[-1] != verzonden.ruw[-2]:
        raise WrongAnswerError(f"{wie} gaf op het herhaalde bericht een ander Bv03", "hetzelfde Bv03",
                               "een ander Bv03")
    if PARTIJ[wie] == "rinis":  # this scenario's file: by the GGk reference it carries (unique per scenario)
        def verwerkt() -> list[str]:
            return [f["naam"] for f in keten.rinis.folder(INBOX) if f["correlatie"] == verzonden.referentie
                    and not f["naam"].endswith(".metagegevens.xml")]
        wat = f"RINIS plaatste het bestand met GGk-referentie {verzonden.referentie} niet in {INBOX}"
    else:  # the report: by the referentienummer of the message the harness sent
        refnr = _referentienummer(verzonden.berichten[-1][0])

        def verwerkt() -> list[str]:
            return [i["bestandsnaam"] for i in keten.ggk.downloads("0363") if i["referentienummer"] == refnr]
        wat = f"het GGk zette het rapport van bericht {refnr} niet klaar in het downloadgebied"
    keten.wait_for(verwerkt, wat)
    keten.wait_idle()
    gedaan = verwerkt()
    if len(gedaan) != 1:
        raise WrongAnswerError(f"{wie} verwerkte het herhaalde bericht {len(gedaan)} keer", "één keer", gedaan)


# ------------------------------------------------------- what a party sent on


@then(parsers.re(r'stuurt (?P<wie>het GGk|RINIS) (?P<naar>RINIS|het GGk) een (?P<code>Di01|Du01|Fo01) '
                 r'met functie "(?P<functie>[^"]+)"'))
def _(keten, marks, request, wie: str, naar: str, code: str, functie: str) -> None:
    """In het journaal van de ontvanger staat zo'n bericht over de aanlevering van dit scenario
    (herkend aan haar GGk-referentie), en de zender kreeg een Bv03.
    Voorbeeld: Dan stuurt het GGk RINIS een Di01 met functie "GMSD-AANLEVERING"
    """
    afzender, ontvanger = PARTIJ[wie], PARTIJ[naar]
    referenties = set(request.getfixturevalue("aanlevering").referenties)

    def binnen() -> list[tuple[dict, str]]:  # (entry, functie) of this scenario's delivery
        gevonden = [e for e in keten.journal_since(marks)[ontvanger]
                    if e["richting"] == "in" and e["peer"] == afzender and e["berichtcode"] == code
                    and e["correlatie"] in referenties]
        return [(e, stuf.read_stuurgegevens(stuf.unwrap(keten.payload(e))).functie) for e in gevonden]

    gezien = keten.wait_for(lambda: [e for e, f in binnen() if f == functie],
                            f"{naar} ontving van {wie} geen {code} met functie {functie} over de aanlevering "
                            f"met GGk-referentie {', '.join(sorted(referenties))}")
    # a resend of the same message (same referentienummer) is one message
    entry = the_one({e["referentienummer"]: e for e in gezien}.values(), f"de {code} met functie {functie}",
                    toon="referentienummer")
    # what was answered: as the sender received it, or (a partner's endpoint sent it) as the
    # receiver sent it
    kant, richting = (ontvanger, "uit") if afzender in keten.extern else (afzender, "in")
    antwoorden = [e for e in keten.journal_since(marks)[kant]
                  if e["richting"] == richting and e["crossRefnummer"] == entry["referentienummer"]
                  and e["berichtcode"] in ("Bv03", "Fo03")]
    if [e["berichtcode"] for e in antwoorden] != ["Bv03"]:
        raise WrongAnswerError(f"{wie} kreeg op de {code} met functie {functie} niet één Bv03", "één Bv03",
                               [e["berichtcode"] for e in antwoorden] or "geen antwoord")
