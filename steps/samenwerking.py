"""Steps about samenwerkingsverbanden (seeds 002, 004): one gemeente delivers for its
partners, one file per member; members see each other's activity; delegating members
cannot withdraw through the GGk — and about the GGk's e-mail notifications."""

from __future__ import annotations

import re
from datetime import datetime

from pytest_bdd import given, parsers, then, when

from simulators.gmsd import generator
from steps.aanlevering import Aanlevering, periode_uit_naam
from steps.gemeenten import GEMEENTE, Gemeente, parse_gemeente
from steps.klok import parse_datum
from steps.rapporten import lees_rapport
from steps.tijdlijn import kalender, ontvangen_rapport


@given(parsers.re(rf'het samenwerkingsverband "(?P<naam>[^"]+)" met uitvoerder (?P<uitvoerder>{GEMEENTE}) '
                  rf"en leden (?P<leden>{GEMEENTE}(?:(?:, | en ){GEMEENTE})*)"
                  r"(?P<gedelegeerd>, die hun levering hebben gedelegeerd)?"), target_fixture="verband")
def _(keten, naam: str, uitvoerder: str, leden: str, gedelegeerd: str | None) -> dict:
    """Richt een samenwerkingsverband in bij het GGk.
    Voorbeeld: Gegeven het samenwerkingsverband "Holland Rijnland" met uitvoerder Leiden (0546) en leden Leiderdorp (0547) en Oegstgeest (0579)
    """
    lid_codes = [parse_gemeente(lid).code for lid in re.split(r"(?<=\)), | en (?=[^()]+ \(\d{4}\))", leden)]
    verband = {"naam": naam, "uitvoerder": parse_gemeente(uitvoerder).code, "leden": lid_codes,
               "gedelegeerd": bool(gedelegeerd)}
    keten.ggk.set_samenwerkingsverbanden([verband])
    return verband


@when(parsers.re(rf"(?P<uitvoerder>{GEMEENTE}) een (?P<soort>Wmo|SBO|Jeugd)-bestand aanlevert namens "
                 rf'(?P<namens>{GEMEENTE}|alle leden) als "(?P<bestandsnaam>[^"]+)"'),
      target_fixture="aanlevering")
def _(keten, nu, verband: dict, uitvoerder: str, soort: str, namens: str, bestandsnaam: str) -> Aanlevering:
    """De uitvoerende gemeente levert een bestand aan voor een lid (of, fout, voor allemaal).
    Voorbeeld: Als Leiden (0546) een Wmo-bestand aanlevert namens Leiderdorp (0547) als "WMO_H22017_lid.csv"
    """
    zelf = parse_gemeente(uitvoerder)
    voor = verband["leden"] if namens == "alle leden" else [parse_gemeente(namens).code]
    jaar, halfjaar = periode_uit_naam(bestandsnaam, nu)
    data = generator.generate({"Wmo": "WMO", "SBO": "SBO", "Jeugd": "JEUGD"}[soort], voor[0], jaar, halfjaar, nu)
    response = keten.ggk.upload(zelf.code, [(bestandsnaam, data)], gebruiker=f"uitvoerder@{zelf.code}.nl",
                                namens=voor)
    return Aanlevering(bestandsnaam, response.status_code, response.json(), 0, data, [bestandsnaam])


@then(parsers.re(rf"ziet (?P<lid>{GEMEENTE}) dat (?P<ander>{GEMEENTE}) een bestand heeft aangeleverd"))
def _(keten, lid: str, ander: str) -> None:
    """Een lid ziet in het GGk wat een ander lid van het verband aanleverde.
    Voorbeeld: Dan ziet Oegstgeest (0579) dat Leiderdorp (0547) een bestand heeft aangeleverd
    """
    keten.wait_idle()
    zicht = keten.ggk.samenwerking(parse_gemeente(lid).code)
    code = parse_gemeente(ander).code
    leden = zicht.get("leden", zicht) if isinstance(zicht, dict) else zicht
    gezien = [lid_ for lid_ in leden if lid_.get("gemeentecode") == code and lid_.get("uploads")]
    assert gezien, f"{lid} ziet geen upload van {ander}: {zicht}"


@then(parsers.re(r'ontvangt (?P<adres>\S+@\S+) een e-mail over "(?P<onderwerp>[^"]+)"( op (?P<datum>.+))?'))
def _(keten, adres: str, onderwerp: str, datum: str | None) -> None:
    """In het postvak-uit van het GGk staat een e-mail aan dit persoonlijke adres.
    Voorbeeld: Dan ontvangt henk@amsterdam.nl een e-mail over "rapport" op maandag 15 augustus 2016
    """
    keten.wait_idle()
    mails = keten.ggk.mails(adres)
    passend = [m for m in mails if onderwerp.lower() in (m["onderwerp"] + " " + m["tekst"]).lower()]
    assert passend, f"geen e-mail over '{onderwerp}' aan {adres}; wel: {[m['onderwerp'] for m in mails]}"
    if datum:
        dag = parse_datum(datum).date()
        assert any(m["tijdstip"][:10] == dag.isoformat() for m in passend), (
            f"de e-mail over '{onderwerp}' kwam op {[m['tijdstip'][:10] for m in passend]}, "
            f"verwacht {dag.isoformat()}")


@then(parsers.re(r'heeft (?P<adres>\S+@\S+) nog geen e-mail over "(?P<onderwerp>[^"]+)"'))
def _(keten, adres: str, onderwerp: str) -> None:
    """Zo'n e-mail is (nog) niet verstuurd.
    Voorbeeld: Dan heeft henk@amsterdam.nl nog geen e-mail over "opt-in"
    """
    keten.wait_idle()
    mails = keten.ggk.mails(adres)
    passend = [m["onderwerp"] for m in mails if onderwerp.lower() in (m["onderwerp"] + " " + m["tekst"]).lower()]
    assert not passend, f"er is al een e-mail over '{onderwerp}' aan {adres}: {passend}"


@when("deze gemeenten aanleveren:", target_fixture="aanleveringen")
def _(keten, nu, datatable) -> list[tuple[Gemeente, Aanlevering]]:
    """Meerdere gemeenten leveren elk een bestand aan; kolommen gemeente, bestand en
    (leeg of) namens: de uitvoerder van een samenwerkingsverband levert aan voor een lid.
    Voorbeeld: Als deze gemeenten aanleveren:
    """
    kop, *regels = datatable
    assert kop[:3] == ["gemeente", "bestand", "namens"], f"kolommen 'gemeente | bestand | namens', niet {kop}"
    gedaan = []
    for tekst, bestandsnaam, namens in (r[:3] for r in regels):
        zelf = parse_gemeente(tekst)
        voor = parse_gemeente(namens) if namens.strip() else zelf
        jaar, halfjaar = periode_uit_naam(bestandsnaam, nu)
        soort = bestandsnaam.split("_", 1)[0].upper()
        data = generator.generate(soort, voor.code, jaar, halfjaar, nu)
        before = keten.ggk.downloads(voor.code)
        response = keten.ggk.upload(zelf.code, [(bestandsnaam, data)], gebruiker=f"medewerker@{zelf.code}.nl",
                                    namens=[voor.code] if voor != zelf else None)
        assert response.status_code == 201, f"{tekst} kon '{bestandsnaam}' niet aanleveren: {response.text[:300]}"
        gedaan.append((voor, Aanlevering(bestandsnaam, response.status_code, response.json(),
                                         before[-1]["id"] if before else 0, data, [bestandsnaam])))
    return gedaan


@then(parsers.re(r"krijgt elke gemeente binnen (?P<n>\d+) werkdagen een technisch rapport "
                 r'"(?P<oordeel>goedgekeurd|afgekeurd)"'))
def _(keten, request, aanleveringen, n: str, oordeel: str) -> None:
    """Elke gemeente uit de tabel vindt haar eigen technisch rapport op tijd in haar downloadgebied.
    Voorbeeld: Dan krijgt elke gemeente binnen 3 werkdagen een technisch rapport "goedgekeurd"
    """
    for gemeente, aanlevering in aanleveringen:
        item = ontvangen_rapport(keten, gemeente, aanlevering, "technisch rapport")
        rapport = lees_rapport(keten, gemeente.code, item)
        assert f"Oordeel: {oordeel}" in rapport.tekst, f"{gemeente.naam}: rapport zegt niet '{oordeel}'"
        upload = aanlevering.antwoord["uploads"][0]
        verstuurd = keten.ggk.uploads(gemeente.code)
        tijdstip = next(u["tijdstip"] for u in verstuurd if u["referentienummer"] == upload["referentienummer"])
        dagen = kalender(request).werkdagen_tussen(datetime.fromisoformat(tijdstip),
                                                   datetime.fromisoformat(item["ontvangen"]))
        assert dagen <= int(n), f"{gemeente.naam}: technisch rapport na {dagen} werkdagen, toegestaan {n}"
