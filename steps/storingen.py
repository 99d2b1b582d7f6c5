"""Steps about faults: a party that answers 503, drops the connection, is down, is slow,
refuses a message with a Fo03 or later with a Fo01 (``simulators/beheer/storingen.py``), or
restarts; and what the chain does about it: resend the identical message, hand a file on
once, mark a refused report, pick up open work after a restart.

A fault is armed over the party's control API (``steps.drivers``); the step says in
business words which messages it hits. "Berichten" are what a party's neighbours send it:
StUF messages for the GGk and RINIS, RINIS's announcements for the CBS, the GGk's
notifications for the gemeente. Every reset before a scenario clears every fault and
restores every courier's time-out.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict

import allure
import pytest
from pytest_bdd import given, parsers, then, when

from steps.drivers import INBOX, VERZENDMAP, ChainError, GgkDriver, RinisDriver
from steps.storingsplan import INGANGEN, Storingsplan, arm_ronde, maak_plan

PARTIJ = {"RINIS": "rinis", "het GGk": "ggk", "het CBS": "cbs", "de gemeente": "gemeente"}
WIE = r"(?P<wie>RINIS|het GGk|het CBS|de gemeente)"
VOLGENDE = r"(?:het volgende bericht|de volgende (?P<aantal>\d+) berichten)"
STUF_BUUR = {"rinis": "ggk", "ggk": "rinis"}
"""Who sends a party its StUF messages."""
RAPPORTSOORT = {"technisch rapport": "TECHNISCH", "op-orde rapport": "OPORDE"}
PLEK = r"(?P<plek>de inbox van het CBS bij RINIS|de verzendmap bij RINIS)"
PLEKKEN = {"de inbox van het CBS bij RINIS": RinisDriver.folder_path(INBOX),
           "de verzendmap bij RINIS": RinisDriver.folder_path(VERZENDMAP)}
"""The CBS's folders at RINIS, which the CBS reaches over RINIS's folder API."""


@pytest.fixture
def herstarts() -> dict[str, dict]:
    """Per party, what its restart in this scenario found open."""
    return {}


@pytest.fixture
def storingsplan() -> Storingsplan | None:
    """No random faults unless a step gives a plan (its ``target_fixture`` replaces this)."""
    return None


# ------------------------------------------------------------------ drivers


def arm(keten, party: str, **storing) -> dict:
    """Arm one fault at ``party`` and show it in the report."""
    answer = keten.arm_fault(party, {k: v for k, v in storing.items() if v is not None})
    allure.attach(json.dumps(answer, ensure_ascii=False, indent=1), name=f"storing bij {party}",
                  attachment_type=allure.attachment_type.JSON)
    return answer


def _aantal(aantal: str | None) -> int:
    return int(aantal) if aantal else 1


def _ingang(keten, party: str) -> str:
    """Where the party's neighbours' messages come in (the rest: the harness's questions)."""
    return keten.party(party).INGANG


def _uit_berichten(keten, marks: dict[str, int], party: str, naar: str) -> list[dict]:
    """The StUF messages ``party`` sent ``naar`` in this scenario, every attempt."""
    return [e for e in keten.journal_since(marks)[party]
            if e["richting"] == "uit" and e["peer"] == naar and e["berichtcode"] in ("Di01", "Du01", "Fo01")]


def _herhaald(keten, marks: dict[str, int], party: str, naar: str) -> dict[str, list[dict]]:
    """Per referentienummer the attempts ``party`` made, for messages sent more than once."""
    per_ref: dict[str, list[dict]] = defaultdict(list)
    for entry in _uit_berichten(keten, marks, party, naar):
        per_ref[entry["referentienummer"]].append(entry)
    return {ref: entries for ref, entries in per_ref.items() if len(entries) > 1}


# ------------------------------------------------------------- arming faults


@given(parsers.re(WIE + r" antwoordt op " + VOLGENDE + r" met (?:HTTP (?P<status>500|503)|een Fo03 met "
                  r'foutcode "(?P<code>[A-Za-z]+\d+)")'))
def _(keten, wie: str, aantal: str | None, status: str | None, code: str | None) -> None:
    """De partij beantwoordt de volgende berichten van haar buren met een HTTP-fout (zonder ze te
    verwerken) of weigert ze met een Fo03 met deze foutcode (alleen het GGk en RINIS ontvangen StUF).
    Voorbeeld: Gegeven RINIS antwoordt op de volgende 2 berichten met HTTP 503
    Voorbeeld: Gegeven het GGk antwoordt op het volgende bericht met een Fo03 met foutcode "StUF058"
    """
    party = PARTIJ[wie]
    if code and party not in STUF_BUUR:
        raise ChainError(f"{wie} ontvangt geen StUF-berichten en kan dus geen Fo03 geven")
    arm(keten, party, soort=status or "fo03", code=code, pad=_ingang(keten, party), aantal=_aantal(aantal))


@given(parsers.re(WIE + r" antwoordt op " + VOLGENDE + r' met een Fo01 met foutcode "(?P<code>[A-Za-z]+\d+)"'))
def _(keten, wie: str, aantal: str | None, code: str) -> None:
    """De partij neemt de volgende StUF-berichten aan (Bv03), maar weigert ze daarna alsnog met een
    Fo01 met deze foutcode aan de afzender (alleen het GGk en RINIS ontvangen StUF).
    Voorbeeld: Gegeven RINIS antwoordt op het volgende bericht met een Fo01 met foutcode "StUF058"
    """
    party = PARTIJ[wie]
    if party not in STUF_BUUR:
        raise ChainError(f"{wie} ontvangt geen StUF-berichten en kan dus geen Fo01 sturen")
    arm(keten, party, soort="fo01", code=code, pad=_ingang(keten, party), aantal=_aantal(aantal))


@given(parsers.re(WIE + r" verbreekt de verbinding (?P<wanneer>voor|na) het verwerken van " + VOLGENDE))
def _(keten, wie: str, wanneer: str, aantal: str | None) -> None:
    """De partij sluit de verbinding zonder antwoord: vóór het verwerken (er is niets gebeurd) of
    erna (alles is verwerkt, maar de zender weet dat niet: de dubbelzinnige bevestiging).
    Voorbeeld: Gegeven RINIS verbreekt de verbinding na het verwerken van het volgende bericht
    """
    party = PARTIJ[wie]
    arm(keten, party, soort=f"reset_{wanneer}", pad=_ingang(keten, party), aantal=_aantal(aantal))


@given(parsers.re(WIE + r" kapt het antwoord op " + VOLGENDE + r" halverwege af"))
def _(keten, wie: str, aantal: str | None) -> None:
    """De partij verwerkt het bericht, maar haar antwoord breekt halverwege af.
    Voorbeeld: Gegeven RINIS kapt het antwoord op het volgende bericht halverwege af
    """
    party = PARTIJ[wie]
    arm(keten, party, soort="afgekapt", pad=_ingang(keten, party), aantal=_aantal(aantal))


@given(parsers.re(WIE + r" is (?:(?P<duur>\d+) seconden? )?onbereikbaar"))
def _(keten, wie: str, duur: str | None) -> None:
    """De partij ligt plat: elk verzoek (behalve dat van de harness zelf) wordt zonder antwoord
    afgebroken, tot ze weer bereikbaar wordt of de gegeven tijd voorbij is.
    Voorbeeld: Gegeven RINIS is onbereikbaar
    Voorbeeld: Gegeven het CBS is 2 seconden onbereikbaar
    """
    arm(keten, PARTIJ[wie], soort="plat", duur=int(duur) if duur else None)


@given(parsers.re(WIE + r" antwoordt traag \((?P<seconden>\d+(?:,\d+)?) seconden?\)"))
def _(keten, wie: str, seconden: str) -> None:
    """De partij beantwoordt elk bericht van haar buren volledig, maar zoveel seconden te laat.
    Voorbeeld: Gegeven het CBS antwoordt traag (2 seconden)
    """
    party = PARTIJ[wie]
    arm(keten, party, soort="traag", seconden=float(seconden.replace(",", ".")), pad=_ingang(keten, party))


@given(parsers.re(WIE + r" blijft hangen op " + VOLGENDE))
def _(keten, wie: str, aantal: str | None) -> None:
    """De partij geeft geen antwoord tot de zender het opgeeft (time-out), en verwerkt niets.
    Voorbeeld: Gegeven RINIS blijft hangen op het volgende bericht
    """
    party = PARTIJ[wie]
    arm(keten, party, soort="hangen", pad=_ingang(keten, party), aantal=_aantal(aantal))


@given(parsers.re(PLEK + r" is onbereikbaar"))
def _(keten, plek: str) -> None:
    """Deze map van het CBS bij RINIS ligt plat (elk verzoek wordt zonder antwoord afgebroken); de rest
    van RINIS werkt gewoon.
    Voorbeeld: Gegeven de verzendmap bij RINIS is onbereikbaar
    """
    arm(keten, "rinis", soort="plat", pad=PLEKKEN[plek])


@given("het GGk levert geen bestanden uit het downloadgebied van de gemeente")
def _(keten, gemeente) -> None:
    """Het GGk laat zien wat er in het downloadgebied van de gemeente staat, maar elke poging een
    bestand op te halen wordt zonder antwoord afgebroken.
    Voorbeeld: Gegeven het GGk levert geen bestanden uit het downloadgebied van de gemeente
    """
    arm(keten, "ggk", soort="plat", pad=GgkDriver.downloads_path(gemeente.code))


@given(parsers.re(WIE + r" wacht hoogstens (?P<seconden>\d+(?:,\d+)?) seconden? op een antwoord"
                  r"(?: van (?:zijn|haar) buren)?"))
def _(keten, wie: str, seconden: str) -> None:
    """Zo lang wacht de partij op het antwoord van een buur voor ze het opgeeft en het later opnieuw
    probeert (standaard 10 seconden; elk scenario begint weer met de standaard).
    Voorbeeld: Gegeven het GGk wacht hoogstens 1 seconde op een antwoord van zijn buren
    """
    keten.set_courier_timeout(PARTIJ[wie], float(seconden.replace(",", ".")))


@given(parsers.re(r"willekeurige storingen op elke hop \(zaad (?P<zaad>\d+)\)"), target_fixture="storingsplan")
def _(keten, zaad: str) -> Storingsplan:
    """Een plan van willekeurige storingen (503, 500, verbroken verbindingen, afgekapte en trage
    antwoorden, korte uitval) aan de ontvangende kant van elke hop, uit dit zaad: hetzelfde zaad geeft
    hetzelfde plan. De eerste ronde gaat nu in; de volgende komen tussen de aanleveringen door.
    Voorbeeld: Gegeven willekeurige storingen op elke hop (zaad 2016)
    """
    plan = maak_plan(int(zaad))
    allure.attach(plan.beschrijving(), name="storingsplan", attachment_type=allure.attachment_type.TEXT)
    arm_ronde(keten, plan, 0)
    return plan


@when(parsers.re(WIE + r" weer bereikbaar wordt"))
def _(keten, wie: str) -> None:
    """Elke storing bij de partij is voorbij; wie het opnieuw probeert, komt er weer door.
    Voorbeeld: Als RINIS weer bereikbaar wordt
    """
    keten.clear_faults(PARTIJ[wie])


@when(parsers.re(PLEK + r" weer bereikbaar wordt"))
def _(keten, plek: str) -> None:
    """De storing van deze map is voorbij.
    Voorbeeld: Als de verzendmap bij RINIS weer bereikbaar wordt
    """
    keten.clear_faults("rinis", PLEKKEN[plek])


@when("het GGk weer bestanden uit het downloadgebied levert")
def _(keten, gemeente) -> None:
    """De gemeente kan haar bestanden weer ophalen.
    Voorbeeld: Als het GGk weer bestanden uit het downloadgebied levert
    """
    keten.clear_faults("ggk", GgkDriver.downloads_path(gemeente.code))


@when("alle storingen voorbij zijn")
def _(keten) -> None:
    """Bij elke partij is elke storing opgeheven (ook wat van een storingsplan nog openstond).
    Voorbeeld: Als alle storingen voorbij zijn
    """
    for party in keten.eigen:
        keten.clear_faults(party)


@when(parsers.re(WIE + r" opnieuw opstart"))
def _(keten, herstarts: dict, wie: str) -> None:
    """De partij start opnieuw op, op dezelfde plek en met dezelfde opslag: wat ze in het geheugen had
    (storingen, wachtrijen) is weg, wat ze had vastgelegd leest ze opnieuw in.
    Voorbeeld: Als het GGk opnieuw opstart
    """
    party = PARTIJ[wie]
    herstarts[party] = answer = keten.restart(party)
    allure.attach(json.dumps(answer, ensure_ascii=False, indent=1), name=f"herstart van {party}",
                  attachment_type=allure.attachment_type.JSON)


# ------------------------------------------------------------ what followed


@then(parsers.re(r"blijft " + WIE + r" proberen (?P<naar>RINIS|het GGk|het CBS) te bereiken"))
def _(keten, wie: str, naar: str) -> None:
    """De zender heeft een taak die naar de ontvanger moet, al minstens twee keer mislukte en nog
    openstaat: hij probeert het later weer (gewacht wordt hoogstens de time-out van de harness).
    Voorbeeld: Dan blijft het GGk proberen RINIS te bereiken
    Voorbeeld: Dan blijft de gemeente proberen het GGk te bereiken
    """
    party, ontvanger = PARTIJ[wie], PARTIJ[naar]
    kenmerken = (keten.urls[ontvanger], ontvanger)
    deadline = time.monotonic() + keten.timeout
    while True:
        taken = [t for t in keten.party(party).tasks()
                 if t["fout"] and any(k in t["fout"] for k in kenmerken)]
        if any(t["status"] == "open" and t["pogingen"] >= 2 for t in taken):
            return
        if time.monotonic() > deadline:
            raise ChainError(f"{wie} heeft binnen {keten.timeout:.0f} s geen taak die {naar} twee keer "
                             f"niet bereikte en openstaat; wel: {taken or 'geen'}")
        time.sleep(0.02)


@then(parsers.re(r"heeft (?P<wie>het GGk|RINIS) het bericht opnieuw verstuurd"))
def _(keten, marks, wie: str) -> None:
    """De zender heeft minstens één StUF-bericht meer dan eens verstuurd, elke keer byte voor byte
    hetzelfde (zelfde referentienummer en tijdstipBericht).
    Voorbeeld: Dan heeft het GGk het bericht opnieuw verstuurd
    """
    keten.wait_idle()
    party = PARTIJ[wie]
    herhaald = _herhaald(keten, marks, party, STUF_BUUR[party])
    sent = [(e["berichtcode"], e["referentienummer"]) for e in _uit_berichten(keten, marks, party, STUF_BUUR[party])]
    assert herhaald, f"{wie} verstuurde geen bericht opnieuw; verstuurd: {sent}"
    for ref, entries in herhaald.items():
        bodies = {keten.payload(e) for e in entries}
        assert len(bodies) == 1, (
            f"{wie} verstuurde {ref} {len(entries)} keer, maar niet telkens hetzelfde bericht")


@then(parsers.re(r"antwoordt (?P<wie>RINIS|het GGk) op het herhaalde bericht met hetzelfde Bv03"))
def _(keten, marks, wie: str) -> None:
    """De ontvanger herkent het herhaalde bericht: hij geeft opnieuw zijn eerste Bv03 (hetzelfde
    referentienummer), en dat is het antwoord dat de zender nu krijgt.
    Voorbeeld: Dan antwoordt RINIS op het herhaalde bericht met hetzelfde Bv03
    """
    keten.wait_idle()
    party = PARTIJ[wie]
    zender = STUF_BUUR[party]
    herhaald = _herhaald(keten, marks, zender, party)
    assert herhaald, f"{zender} verstuurde geen bericht opnieuw aan {wie}"
    journals = keten.journal_since(marks)
    for ref in herhaald:
        gegeven = [e for e in journals[party] if e["richting"] == "uit" and e["crossRefnummer"] == ref]
        codes = [e["berichtcode"] for e in gegeven]
        assert len(gegeven) >= 2 and set(codes) == {"Bv03"}, (
            f"{wie} antwoordde op {ref}: {codes or 'niets'}; verwacht twee keer een Bv03")
        bodies = {keten.payload(e) for e in gegeven}
        assert len(bodies) == 1, f"{wie} gaf op het herhaalde bericht {ref} een ander Bv03 dan eerst"
        gekregen = [e for e in journals[zender] if e["richting"] == "in" and e["crossRefnummer"] == ref]
        assert gekregen, f"{zender} kreeg op {ref} nooit een antwoord"
        assert keten.payload(gekregen[-1]) in bodies, (
            f"{zender} kreeg op {ref} een ander antwoord dan het Bv03 dat {wie} bewaarde")


@then("heeft RINIS het bestand maar één keer doorgezet naar het CBS")
def _(keten, aanlevering) -> None:
    """Het bestand staat één keer in de inbox van het CBS bij RINIS en het CBS heeft één aanlevering
    ervan, hoe vaak het ook werd aangeboden.
    Voorbeeld: Dan heeft RINIS het bestand maar één keer doorgezet naar het CBS
    """
    keten.wait_idle()
    inbox = [i["naam"] for i in keten.rinis.folder(INBOX) if i["correlatie"] in aanlevering.referenties
             and not i["naam"].endswith(".metagegevens.xml")]
    assert len(inbox) == 1, f"in {INBOX} staat het bestand {len(inbox)} keer: {inbox}"
    bij_cbs = [a["bestandsnaam"] for a in keten.cbs.aanleveringen() if a["correlatie"] in aanlevering.referenties]
    assert len(bij_cbs) == 1, f"het CBS heeft {len(bij_cbs)} aanleveringen van het bestand: {bij_cbs}"


@then(parsers.re(r'zet RINIS het (?P<soort>technisch rapport|op-orde rapport) in de verzendmap op '
                 r'"geweigerd" met foutcode "(?P<code>[A-Za-z]+\d+)"'))
def _(keten, aanlevering, soort: str, code: str) -> None:
    """Het GGk weigerde het rapport met een Fo03: RINIS houdt het in de verzendmap van het CBS met
    status "geweigerd" en de foutcode in de melding (RINIS biedt het niet opnieuw aan).
    Voorbeeld: Dan zet RINIS het technisch rapport in de verzendmap op "geweigerd" met foutcode "StUF058"
    """
    keten.wait_idle()
    prefix = f"CBS_{RAPPORTSOORT[soort]}_"
    items = [i for i in keten.rinis.folder(VERZENDMAP)
             if i["naam"].startswith(prefix) and i["correlatie"] in aanlevering.referenties]
    assert items, f"er staat geen {soort} over de aanlevering in {VERZENDMAP}"
    gezien = [(i["naam"], i["status"], i["melding"]) for i in items]
    assert all(i["status"] == "geweigerd" and (i["melding"] or "").startswith(code) for i in items), (
        f"verwacht status 'geweigerd' met foutcode {code}; in {VERZENDMAP}: {gezien}")


@then(parsers.re(r"heeft RINIS het (?P<soort>technisch rapport|op-orde rapport) maar één keer aan het "
                 r"GGk aangeboden"))
def _(keten, marks, aanlevering, soort: str) -> None:
    """RINIS stuurde het rapport in één bericht naar het GGk, zonder herhaling.
    Voorbeeld: Dan heeft RINIS het technisch rapport maar één keer aan het GGk aangeboden
    """
    keten.wait_idle()
    prefix = f"CBS_{RAPPORTSOORT[soort]}_"
    sent = [e for e in _uit_berichten(keten, marks, "rinis", "ggk")
            if (e["bestandsnaam"] or "").startswith(prefix) and e["correlatie"] in aanlevering.referenties]
    assert len(sent) == 1, (
        f"RINIS bood het {soort} {len(sent)} keer aan: {[e['referentienummer'] for e in sent]}")


@then(parsers.re(r"is de storing bij " + WIE + r" (?P<keer>\d+) keer opgetreden"))
def _(keten, wie: str, keer: str) -> None:
    """Zo vaak trof een storing een verzoek aan deze partij (sinds het begin van het scenario).
    Voorbeeld: Dan is de storing bij het CBS 1 keer opgetreden
    """
    keten.wait_idle()
    voorvallen = keten.faults(PARTIJ[wie])["voorvallen"]
    assert len(voorvallen) == int(keer), (
        f"de storing bij {wie} trof {len(voorvallen)} verzoeken, verwacht {keer}: "
        f"{[(v['soort'], v['methode'], v['pad']) for v in voorvallen]}")


@then(parsers.re(r"pakt " + WIE + r" na het opstarten (?:zijn|haar) openstaande werk weer op"))
def _(keten, herstarts: dict, wie: str) -> None:
    """Bij het opnieuw opstarten vond de partij werk dat nog openstond, en dat werk is nu gedaan.
    Voorbeeld: Dan pakt het GGk na het opstarten zijn openstaande werk weer op
    """
    party = PARTIJ[wie]
    assert party in herstarts, f"{wie} is in dit scenario niet opnieuw opgestart"
    gevonden = herstarts[party]["open_taken"]
    assert gevonden, f"{wie} vond bij het opstarten geen openstaand werk"
    keten.wait_idle()
    taken = {t["id"]: t for t in keten.party(party).tasks()}
    niet_klaar = [(t["soort"], taken.get(t["id"], {}).get("status", "weg")) for t in gevonden
                  if taken.get(t["id"], {}).get("status") != "klaar"]
    assert not niet_klaar, f"{wie} maakte het werk van voor de herstart niet af: {niet_klaar}"


@then(parsers.re(r"staat het (?P<soort>technisch rapport|op-orde rapport) maar één keer in het "
                 r"downloadgebied van de gemeente"))
def _(keten, gemeente, aanlevering, soort: str) -> None:
    """Het rapport over de aanlevering staat precies één keer in het downloadgebied, hoe vaak het
    onderweg ook werd aangeboden.
    Voorbeeld: Dan staat het technisch rapport maar één keer in het downloadgebied van de gemeente
    """
    keten.wait_idle()
    prefix = f"CBS_{RAPPORTSOORT[soort]}_"
    items = [d["bestandsnaam"] for d in keten.ggk.downloads(gemeente.code)
             if d["bestandsnaam"].startswith(prefix) and d["correlatie"] in aanlevering.referenties]
    assert len(items) == 1, f"het {soort} staat {len(items)} keer in het downloadgebied: {items}"


@then("heeft de gemeente het technisch rapport opgehaald")
def _(keten, gemeente, aanlevering) -> None:
    """De gemeente heeft het technisch rapport over de aanlevering uit haar downloadgebied gehaald en
    bewaard (één keer).
    Voorbeeld: Dan heeft de gemeente het technisch rapport opgehaald
    """
    keten.wait_idle()
    rapporten = keten.gemeente.reports(gemeente.code)
    namen = [r["bestandsnaam"] for r in rapporten if r["bestandsnaam"].startswith("CBS_TECHNISCH_")
             and any(ref in r["bestandsnaam"] for ref in aanlevering.referenties)]
    assert len(namen) == 1, f"de gemeente haalde het technisch rapport {len(namen)} keer op: {namen}"


@then("hebben de storingen elke hop geraakt")
def _(keten, storingsplan: Storingsplan | None) -> None:
    """Elke ingang uit het storingsplan kreeg minstens één storing te verwerken: de keten is echt op
    elke hop op de proef gesteld.
    Voorbeeld: Dan hebben de storingen elke hop geraakt
    """
    assert storingsplan is not None, "er is in dit scenario geen storingsplan gegeven"
    voorvallen = {party: keten.faults(party)["voorvallen"] for party in {i.party for i in INGANGEN}}
    per_ingang = {f"{i.party} {i.pad}": sum(v["pad"].startswith(i.pad) for v in voorvallen[i.party])
                  for i in INGANGEN}
    allure.attach("\n".join(f"{k:<28} {n:>4}" for k, n in per_ingang.items()), name="storingen per ingang",
                  attachment_type=allure.attachment_type.TEXT)
    missed = [k for k, n in per_ingang.items() if n == 0]
    assert not missed, f"geen storing trof {missed}; per ingang: {per_ingang}"
