"""Steps about who gets in on the TLS chain (``features/beveiliging``, docs/beveiliging.md).

The harness shows a certificate the scenario names: a gemeente's or a party's of the test
CA, none, one that expired on the simulated calendar, or one of a CA the chain does not
trust. It then checks what the party answered (a refused handshake, or a 403 with a reason),
that nothing was stored or handed out, and that the refusal is a line in the party's access
log (``/_beheer/toegang``). Only on a TLS chain: a scenario here carries ``@tls``.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import allure
from pytest_bdd import given, parsers, then, when

from simulators import stuf
from simulators.gmsd import generator
from simulators.kalender import MAANDEN
from steps.aanlevering import Aanlevering, periode_uit_naam, soort_uit_naam
from steps.berichten import Verzonden, ggk_aanbieding, unieke_referentie, verstuur
from steps.drivers import INBOX, ChainError, NoAnswerError, WrongAnswerError
from steps.gemeenten import GEMEENTE, Gemeente, parse_gemeente

PARTIJEN = {"het GGk": "ggk", "RINIS": "rinis", "het CBS": "cbs"}
CERTIFICAAT = (r"(?P<certificaat>geen certificaat|het certificaat van (?:gemeente " + GEMEENTE
               + r"|het GGk|RINIS|het CBS)|een certificaat van gemeente " + GEMEENTE
               + r" dat op \d{1,2} [a-z]+ \d{4} verliep|een certificaat van gemeente " + GEMEENTE
               + r" van een andere CA)")
"""Which certificate the harness shows, in a step sentence."""
WIE = r"(?P<wie>het GGk|RINIS|het CBS)"


@dataclass(frozen=True)
class Certificaat:
    """A certificate a scenario names: what the harness shows (``files``; None: nothing)."""

    tekst: str
    files: tuple[str, str] | None
    gemeentecode: str | None = None


@dataclass
class Poging:
    """One request the harness made with a certificate, and how it was answered."""

    wat: str
    status: int | None  # None: no HTTP answer (the connection ended in the handshake)
    inhoud: bytes = b""
    fout: str = ""
    voor: dict[str, list[str]] = field(default_factory=dict)  # per gemeente, its uploads before

    def __repr__(self) -> str:
        return f"Poging({self.wat}, {self.status or self.fout[:60]})"

    @property
    def melding(self) -> str:
        try:
            antwoord = json.loads(self.inhoud)
        except ValueError:
            return self.inhoud.decode("utf-8", "replace")[:300]
        return str(antwoord.get("melding") or antwoord.get("fout") or antwoord) if isinstance(antwoord, dict) \
            else str(antwoord)


def lees_certificaat(keten, tekst: str) -> Certificaat:
    """The certificate a step names, as files the harness shows."""
    if keten.tls is None:
        raise ChainError("dit scenario hoort op de keten met TLS te draaien (tag @tls)")
    if tekst == "geen certificaat":
        return Certificaat(tekst, None)
    if tekst.startswith("het certificaat van "):
        wie = tekst.removeprefix("het certificaat van ")
        if wie in PARTIJEN:
            return Certificaat(tekst, keten.tls.cert(PARTIJEN[wie]))
        code = parse_gemeente(wie.removeprefix("gemeente ")).code
        return Certificaat(tekst, keten.tls.cert(code), code)
    match = re.fullmatch(r"een certificaat van gemeente (?P<gemeente>.+\)) (?:dat op (?P<dag>\d{1,2}) "
                         r"(?P<maand>[a-z]+) (?P<jaar>\d{4}) verliep|(?P<vreemd>van een andere CA))", tekst)
    assert match, f"onbekend certificaat '{tekst}'"
    code = parse_gemeente(match["gemeente"]).code
    if match["vreemd"]:
        return Certificaat(tekst, keten.tls.foreign(code), code)
    assert match["maand"] in MAANDEN, f"'{match['maand']}' is geen maand"
    einde = datetime(int(match["jaar"]), MAANDEN.index(match["maand"]) + 1, int(match["dag"]), 23, 59, 59,
                     tzinfo=UTC)
    return Certificaat(tekst, keten.tls.expired(code, einde), code)


def probeer(wat: str, call, **extra) -> Poging:
    """Make one request; a connection that ends without an HTTP answer is kept as such."""
    try:
        response = call()
    except NoAnswerError as exc:
        poging = Poging(wat, None, fout=str(exc), **extra)
    else:
        poging = Poging(wat, response.status_code, response.content, **extra)
    allure.attach(poging.inhoud or poging.fout.encode(), name=f"antwoord op {wat}: "
                  + (f"HTTP {poging.status}" if poging.status else "geen verbinding"),
                  attachment_type=allure.attachment_type.TEXT)
    return poging


def _uploads(keten, codes: list[str]) -> dict[str, list[str]]:
    """Per gemeente, the references of what it uploaded so far (read with its own certificate)."""
    return {code: [r["referentie"] for u in keten.ggk.uploads(code) for r in u.get("referenties", [])]
            for code in dict.fromkeys(codes)}


def _bestand(naam: str, gemeente: Gemeente, nu) -> tuple[str, bytes]:
    jaar, halfjaar = periode_uit_naam(naam, nu)
    return naam, generator.generate(soort_uit_naam(naam), gemeente.code, jaar, halfjaar, nu)


# ------------------------------------------------------------------ the harness asks


@given(parsers.re(r'de gemeente heeft "(?P<naam>[^"]+)" met haar eigen certificaat bij het GGk geüpload'),
       target_fixture="aanlevering")
def _(keten, gemeente: Gemeente, nu, naam: str) -> Aanlevering:
    """De software van de gemeente uploadde een geldig bestand, met het certificaat van de gemeente.
    Voorbeeld: Gegeven de gemeente heeft "WMO_H12016_regulier.csv" met haar eigen certificaat bij het GGk geüpload
    """
    files = [_bestand(naam, gemeente, nu)]
    response = keten.ggk.upload(gemeente.code, files)
    if response.status_code != 201:
        raise WrongAnswerError("het GGk nam de upload met het eigen certificaat niet aan",
                               "HTTP 201", f"HTTP {response.status_code}: {response.text[:300]}")
    return Aanlevering(naam, response.status_code, response.json(), 0, files[0][1], [naam])


@when(parsers.re(r'de gemeente "(?P<naam>[^"]+)" uploadt bij het GGk met ' + CERTIFICAAT),
      target_fixture="poging")
def _(keten, gemeente: Gemeente, nu, naam: str, certificaat: str) -> Poging:
    """De harness uploadt voor de gemeente, en toont daarbij dit certificaat.
    Voorbeeld: Als de gemeente "WMO_H12016_regulier.csv" uploadt bij het GGk met het certificaat van gemeente Utrecht (0344)
    """
    cert = lees_certificaat(keten, certificaat)
    voor = _uploads(keten, [gemeente.code, *([cert.gemeentecode] if cert.gemeentecode else [])])
    files = [_bestand(naam, gemeente, nu)]
    return probeer(f"upload van {naam} met {cert.tekst}",
                   lambda: keten.ggk.upload(gemeente.code, files, cert=cert.files), voor=voor)


@when(parsers.re(r"met " + CERTIFICAAT + r" het downloadgebied van de gemeente bij het GGk wordt opgevraagd"),
      target_fixture="poging")
def _(keten, gemeente: Gemeente, certificaat: str) -> Poging:
    """De harness vraagt de lijst van het downloadgebied van de gemeente op met dit certificaat.
    Voorbeeld: Als met het certificaat van gemeente Utrecht (0344) het downloadgebied van de gemeente bij het GGk wordt opgevraagd
    """
    cert = lees_certificaat(keten, certificaat)
    return probeer(f"het downloadgebied van {gemeente.code} met {cert.tekst}",
                   lambda: keten.ggk.try_downloads(gemeente.code, cert=cert.files))


@when(parsers.re(r"met " + CERTIFICAAT + r" het technisch rapport van de gemeente uit het downloadgebied "
                 r"wordt gehaald"), target_fixture="poging")
def _(keten, gemeente: Gemeente, aanlevering: Aanlevering, certificaat: str) -> Poging:
    """Het technisch rapport over de aanlevering staat klaar (de gemeente ziet het met haar eigen
    certificaat); de harness haalt het op met dit certificaat.
    Voorbeeld: Als met het certificaat van gemeente Utrecht (0344) het technisch rapport van de gemeente uit het downloadgebied wordt gehaald
    """
    cert = lees_certificaat(keten, certificaat)
    item = keten.ggk.wait_for_download(
        gemeente.code, aanlevering.downloads_voor,
        lambda i: i["soort"] == "rapport" and i["correlatie"] in aanlevering.referenties, "technisch rapport")
    return probeer(f"{item['bestandsnaam']} van {gemeente.code} met {cert.tekst}",
                   lambda: keten.ggk.try_download(gemeente.code, item["id"], cert=cert.files))


@when(parsers.re(r"met " + CERTIFICAAT + r' een Di01 met het bestand "(?P<bestand>[^"]+)" van gemeente '
                 r"(?P<code>\d{4}) aan RINIS wordt aangeboden"), target_fixture="verzonden")
def _(keten, nu, certificaat: str, bestand: str, code: str) -> Verzonden:
    """De twee Di01's die het GGk voor een upload stuurt (metagegevens, dan het bestand), met
    zender gemeente ``code`` zoals het GGk ze stuurt, maar met dit certificaat.
    Voorbeeld: Als met het certificaat van het CBS een Di01 met het bestand "WMO_H12016_regulier.csv" van gemeente 0363 aan RINIS wordt aangeboden
    """
    cert = lees_certificaat(keten, certificaat)
    verzonden = Verzonden("rinis", referentie=unieke_referentie(nu))
    inhoud = f"Aanmaakdatum bestand;Gemeentecode\r\n20160815090000;{code}\r\n".encode()
    for envelop in ggk_aanbieding(code, bestand, inhoud, nu, verzonden.referentie):
        verstuur(keten, "rinis", stuf.build_envelop(envelop), verzonden, envelop.stuurgegevens.functie,
                 cert=cert.files)
    return verzonden


@when(parsers.re(r"met " + CERTIFICAAT + r" de inbox van het CBS bij RINIS wordt opgevraagd"),
      target_fixture="poging")
def _(keten, certificaat: str) -> Poging:
    """De harness vraagt de lijst van de inbox van het CBS bij RINIS op, met dit certificaat.
    Voorbeeld: Als met het certificaat van het GGk de inbox van het CBS bij RINIS wordt opgevraagd
    """
    cert = lees_certificaat(keten, certificaat)
    return probeer(f"de inbox van het CBS met {cert.tekst}", lambda: keten.rinis.try_folder(INBOX, cert=cert.files))


# ------------------------------------------------------------------ what came back


@then(parsers.re(r"weigert " + WIE + r" de verbinding al in de TLS-handshake"))
def _(poging: Poging, wie: str) -> None:
    """Er kwam geen HTTP-antwoord: de verbinding eindigde in de TLS-handshake.
    Voorbeeld: Dan weigert het GGk de verbinding al in de TLS-handshake
    """
    if poging.status is not None:
        raise WrongAnswerError(f"{wie} liet de verbinding toe en antwoordde", "geen verbinding (handshake geweigerd)",
                               f"HTTP {poging.status}: {poging.melding[:200]}")


@then(parsers.re(r"weigert " + WIE + r' het verzoek met HTTP (?P<status>4\d\d) en een melding met "(?P<tekst>[^"]+)"'))
def _(poging: Poging, wie: str, status: str, tekst: str) -> None:
    """Het verzoek kwam binnen en is geweigerd met deze status en een leesbare melding.
    Voorbeeld: Dan weigert het GGk het verzoek met HTTP 403 en een melding met "Utrecht"
    """
    if poging.status is None:
        raise WrongAnswerError(f"{wie} liet de verbinding niet toe", f"HTTP {status}", poging.fout[:300])
    if poging.status != int(status) or tekst not in poging.melding:
        raise WrongAnswerError(f"{wie} antwoordde anders op {poging.wat}", f'HTTP {status} met "{tekst}"',
                               f"HTTP {poging.status}: {poging.melding[:300]}")


@then("krijgt de aanroeper geen bestand en geen lijst te zien")
def _(poging: Poging) -> None:
    """Wat geweigerd is, geeft niets prijs: geen ZIP, geen lijst van bestanden.
    Voorbeeld: Dan krijgt de aanroeper geen bestand en geen lijst te zien
    """
    if poging.inhoud.startswith(b"PK") or poging.inhoud.lstrip().startswith(b"["):
        raise WrongAnswerError(f"{poging.wat} gaf toch iets prijs", "alleen een melding",
                               poging.inhoud[:200].decode("utf-8", "replace"))


@then("heeft het GGk niets opgeslagen")
def _(keten, poging: Poging) -> None:
    """Geen nieuwe upload bij de gemeente waarvoor geüpload werd, noch bij de gemeente van het certificaat.
    Voorbeeld: Dan heeft het GGk niets opgeslagen
    """
    keten.wait_idle()
    na = _uploads(keten, list(poging.voor))
    for code, referenties in na.items():
        nieuw = sorted(set(referenties) - set(poging.voor[code]))
        if nieuw:
            raise WrongAnswerError(f"het GGk nam na de weigering toch een upload aan voor {code}", "geen upload",
                                   ", ".join(nieuw))


@then("heeft RINIS niets opgeslagen")
def _(keten, verzonden: Verzonden) -> None:
    """Niets van deze berichten (herkend aan hun GGk-referentie) staat in de inbox van het CBS.
    Voorbeeld: Dan heeft RINIS niets opgeslagen
    """
    keten.wait_idle()
    gevonden = [i["naam"] for i in keten.rinis.folder(INBOX) if i["correlatie"] == verzonden.referentie]
    if gevonden:
        raise WrongAnswerError("RINIS zette het geweigerde bestand toch in de inbox van het CBS", "niets",
                               ", ".join(gevonden))


@then(parsers.re(r"staat de weigering in het toegangslog van " + WIE + r'(?: met "(?P<tekst>[^"]+)")?'))
def _(keten, wie: str, tekst: str | None) -> None:
    """De partij schreef de weigering in haar toegangslog (wie, wat, waarom), met deze tekst erin.
    Een handshake wordt geweigerd voordat de partij een verzoek ziet: de harness wacht even op de regel.
    Voorbeeld: Dan staat de weigering in het toegangslog van het GGk met "Utrecht"
    """
    driver = keten.party(PARTIJEN[wie])
    deadline = time.monotonic() + 5
    while True:
        regels = [r for r in driver.access_log() if r["resultaat"] == "geweigerd"]
        if any(tekst is None or tekst in " ".join(str(v) for v in r.values()) for r in regels):
            return
        if time.monotonic() > deadline:
            raise WrongAnswerError(f"{wie} schreef de weigering niet in het toegangslog",
                                   'een regel "geweigerd"' + (f' met "{tekst}"' if tekst else ""),
                                   "; ".join(f"{r['wie']}: {r['details']}" for r in regels) or "geen regel")
        time.sleep(0.05)


@then(parsers.re(r"staat er niets in het toegangslog van " + WIE))
def _(keten, wie: str) -> None:
    """Niets geweigerd: wie erbij hoort kwam binnen.
    Voorbeeld: Dan staat er niets in het toegangslog van het GGk
    """
    regels = keten.party(PARTIJEN[wie]).access_log()
    if regels:
        raise WrongAnswerError(f"{wie} weigerde iets", "geen weigering",
                               "; ".join(f"{r['actie']}: {r['details']}" for r in regels))


@then("geeft het GGk de lijst van het downloadgebied")
def _(poging: Poging) -> None:
    """Het GGk liet de aanroeper binnen en gaf de lijst (JSON) van het downloadgebied.
    Voorbeeld: Dan geeft het GGk de lijst van het downloadgebied
    """
    try:
        lijst = json.loads(poging.inhoud) if poging.status == 200 else None
    except ValueError:
        lijst = None
    if not isinstance(lijst, list):
        raise WrongAnswerError(f"het GGk gaf de lijst niet bij {poging.wat}", "HTTP 200 met een lijst",
                               f"HTTP {poging.status}: {poging.melding[:300]}" if poging.status else poging.fout[:300])
