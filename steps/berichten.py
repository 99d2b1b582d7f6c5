"""Steps about StUF messages between the infrastructure parties: the harness plays a
neighbour (the GGk towards RINIS, RINIS towards the GGk, CBS towards RINIS) and sends
what that neighbour would send, so one hop is exercised at a time (burentest).

The messages are built with the shared StUF code (``simulators.stuf``), never with a
party's internals, and every one is validated against the real schema before it
leaves: a refusal then says something about the receiver, not about the harness.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import allure
from pytest_bdd import given, parsers, then, when

from simulators import stuf
from simulators.gmsd import metagegevens
from simulators.gmsd.gemeenten import gemeenten
from steps.drivers import ChainError

FUNCTIE_AANLEVERING = "GMSD-AANLEVERING"
FUNCTIE_METAGEGEVENS = "GMSD-METAGEGEVENS"
FUNCTIE_RAPPORT = "GMSD-RAPPORT"
PARTIJ = {"het GGk": "ggk", "RINIS": "rinis", "het CBS": "cbs", "de gemeente": "gemeente"}


@dataclass
class Verzonden:
    """What the harness sent in a scenario and what came back, in order."""

    ontvanger: str
    berichten: list[tuple[bytes, stuf.Antwoord | None, int]] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"Verzonden({self.ontvanger}, {len(self.berichten)} berichten)"

    @property
    def antwoorden(self) -> list[stuf.Antwoord]:
        return [a for _b, a, _s in self.berichten if a is not None]


def _send(keten, party: str, element_or_bytes, verzonden: Verzonden, name: str) -> stuf.Antwoord:
    """POST one message as SOAP to ``party``; keep and attach both sides."""
    if isinstance(element_or_bytes, bytes):
        body, action = element_or_bytes, stuf.SOAP_ACTIONS["Di01"]
    else:
        stuf.require_valid(element_or_bytes)
        body = stuf.wrap(element_or_bytes)
        action = stuf.SOAP_ACTIONS[stuf.read_stuurgegevens(element_or_bytes).berichtcode]
    allure.attach(body, name=f"harness → {party} · {name}", attachment_type=allure.attachment_type.XML)
    response = keten.post(party, "/stuf/ontvang", data=body, headers={
        "Content-Type": stuf.CONTENT_TYPE, "SOAPAction": f'"{action}"'})
    allure.attach(response.content, name=f"{party} → harness · antwoord HTTP {response.status_code}",
                  attachment_type=allure.attachment_type.XML)
    try:
        answer = stuf.read_antwoord(stuf.unwrap(response.content))
    except (stuf.NotXml, stuf.UnsafeXml, stuf.StufFault) as exc:
        raise ChainError(f"{party} gaf geen StUF-antwoord (HTTP {response.status_code}): {exc}; "
                         f"{response.text[:300]}") from None
    verzonden.berichten.append((body, answer, response.status_code))
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
    verzonden = Verzonden("rinis")
    referentie = nu.strftime("%Y%m%d-%H%M%S") + "-001"
    for envelop in ggk_aanbieding(code, bestand, _csv(code), nu, referentie):
        _send(keten, "rinis", stuf.build_envelop(envelop), verzonden, envelop.stuurgegevens.functie)
    return verzonden


@when(parsers.re(r"het GGk RINIS een bericht stuurt (?P<gebrek>dat geen XML is|dat niet aan het "
                 r"StUF-schema voldoet|van onbekende zender (?P<zender>\S+)|met een DOCTYPE)"),
      target_fixture="verzonden")
def _(keten, nu, gebrek: str, zender: str | None) -> Verzonden:
    """De harness speelt het GGk en stuurt RINIS een ongeldig bericht.
    Voorbeeld: Als het GGk RINIS een bericht stuurt dat niet aan het StUF-schema voldoet
    """
    verzonden = Verzonden("rinis")
    envelop = ggk_aanbieding("0363", "WMO_H12016.csv", _csv("0363"), nu, "20160815-090000-001")[1]
    if gebrek == "dat geen XML is":
        _send(keten, "rinis", b"dit is geen XML", verzonden, "geen XML")
    elif gebrek == "met een DOCTYPE":
        body = stuf.wrap(stuf.build_envelop(envelop)).replace(
            b"<soap", b'<!DOCTYPE x [<!ENTITY e "x">]><soap', 1)
        _send(keten, "rinis", body, verzonden, "DOCTYPE")
    elif gebrek.startswith("van onbekende zender"):
        sg = envelop.stuurgegevens
        vreemd = stuf.Envelop(stuf.Stuurgegevens("Di01", stuf.Systeem(zender, "Onbekend"), sg.ontvanger,
                                                 sg.referentienummer, sg.tijdstipBericht,
                                                 functie=sg.functie), envelop.bestand)
        _send(keten, "rinis", stuf.build_envelop(vreemd), verzonden, "onbekende zender")
    else:
        element = stuf.build_envelop(envelop)
        element.find(".//{*}referentienummer").text = "geen-uuid"
        _send(keten, "rinis", stuf.wrap(element), verzonden, "schema-ongeldig")
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
    _send(keten, "ggk", stuf.build_envelop(envelop), verzonden, rapport)
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
        assert code == "Bv03" and status == 200, (
            f"{wie} antwoordde {code} met HTTP {status} op {sent.functie}{detail}, verwacht Bv03")
        assert answer.stuurgegevens.crossRefnummer == sent.referentienummer, (
            f"Bv03 verwijst naar {answer.stuurgegevens.crossRefnummer}, verwacht {sent.referentienummer}")


@then(parsers.re(r'weigert (?P<wie>het GGk|RINIS) het bericht met een Fo03 met foutcode '
                 r'"(?P<code>[A-Za-z]+\d+)"( en plek "(?P<plek>client|server)")?'))
def _(verzonden: Verzonden, wie: str, code: str, plek: str | None) -> None:
    """Het bericht is direct geweigerd met een Fo03 (in een SOAP-fault) met deze foutcode.
    Voorbeeld: Dan weigert RINIS het bericht met een Fo03 met foutcode "StUF055" en plek "client"
    """
    _body, answer, status = verzonden.berichten[-1]
    got = answer.stuurgegevens.berichtcode
    assert got == "Fo03", f"{wie} antwoordde {got}, verwacht Fo03 {code}"
    assert answer.fout.code == code, (
        f"{wie} gaf foutcode {answer.fout.code} ({answer.fout.omschrijving}), verwacht {code}")
    assert answer.fout.omschrijving.strip(), "de Fo03 heeft geen omschrijving"
    assert status == 500, f"een Fo03 hoort in een SOAP-fault met HTTP 500, niet {status}"
    if plek:
        assert answer.fout.plek == plek, f"plek is {answer.fout.plek}, verwacht {plek}"


# ------------------------------------------------------- what a party sent on


@then(parsers.re(r'stuurt (?P<wie>het GGk|RINIS) (?P<naar>RINIS|het GGk) een (?P<code>Di01|Du01|Fo01) '
                 r'met functie "(?P<functie>[^"]+)"'))
def _(keten, wie: str, naar: str, code: str, functie: str) -> None:
    """In het journaal van de ontvanger staat zo'n bericht, en de zender kreeg een Bv03.
    Voorbeeld: Dan stuurt het GGk RINIS een Di01 met functie "GMSD-AANLEVERING"
    """
    keten.wait_idle()
    afzender, ontvanger = PARTIJ[wie], PARTIJ[naar]
    binnen = [e for e in keten.journal_since(keten.marks)[ontvanger]
              if e["richting"] == "in" and e["peer"] == afzender and e["berichtcode"] == code]
    functies = [stuf.read_stuurgegevens(stuf.unwrap(keten.session.get(e["payload"]).content)).functie
                for e in binnen]
    assert functie in functies, (
        f"{naar} ontving van {wie} geen {code} met functie {functie}; wel: {functies or 'niets'}")
    entry = binnen[functies.index(functie)]
    antwoorden = [e for e in keten.journal_since(keten.marks)[afzender]
                  if e["richting"] == "in" and e["crossRefnummer"] == entry["referentienummer"]
                  and e["berichtcode"] in ("Bv03", "Fo03")]
    assert [e["berichtcode"] for e in antwoorden] == ["Bv03"], (
        f"{wie} kreeg op dat bericht {[e['berichtcode'] for e in antwoorden] or 'geen antwoord'}, "
        "verwacht één Bv03")
