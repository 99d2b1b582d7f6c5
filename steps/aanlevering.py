"""Steps about aanleveringen: a gemeente composes files and uploads them through the GGk.

The test files come from the gemeente's generator (``simulators.gmsd.generator``
and its broken ``varianten``): that is test data, made here so a scenario can name the
exact file. The upload itself always goes over HTTP, through the gemeente simulator
(ketentest) or straight to the GGk web service (burentest gemeente↔GGk).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import allure
from pytest_bdd import given, parsers, then, when

from simulators.gmsd import generator
from simulators.gmsd.gemeenten import gemeenten
from simulators.gmsd.periodes import PATROON
from simulators.gmsd.varianten import maak_variant
from steps.drivers import WrongAnswerError
from steps.gemeenten import Gemeente

SOORT = {"Wmo": "WMO", "SBO": "SBO", "Jeugd": "JEUGD"}
CODE_UITVRAAG = re.compile(rf"_(?P<periode>{PATROON})")
GGK_REFERENTIE = re.compile(r"\d{8}-\d{6}-\d{3}")


@dataclass
class Aanlevering:
    """What a gemeente uploaded in a scenario and what the GGk answered."""

    bestandsnaam: str
    status: int
    antwoord: dict
    downloads_voor: int  # the last download id before the upload: what is new is after it
    inhoud: bytes = b""
    bestanden: list[str] = field(default_factory=list)  # the CSVs: the file itself, or a ZIP's members
    kapotte_regels: tuple[int, ...] = ()  # the lines a broken variant broke, when known
    uploads_voor: int = 0  # the id of the gemeente's last upload at the GGk before this one (a refusal adds none)
    bekende_referenties: frozenset[str] = frozenset()  # the GGk references of those earlier uploads

    def __repr__(self) -> str:  # short: Allure prints step arguments
        return f"Aanlevering({self.bestandsnaam}, HTTP {self.status})"

    @property
    def referenties(self) -> list[str]:
        return [r["referentie"] for u in self.antwoord.get("uploads", []) for r in u["referenties"]]


def periode_uit_naam(bestandsnaam: str, nu) -> tuple[int, int]:
    """(jaar, halfjaar) from a name's code uitvraag; the current period when it has none."""
    match = CODE_UITVRAAG.search(bestandsnaam.upper())
    if match:
        return int(match["periode"][2:]), int(match["periode"][1])
    return (nu.year, 1) if nu.month >= 7 else (nu.year - 1, 2)


def soort_uit_naam(bestandsnaam: str) -> str:
    voorvoegsel = bestandsnaam.split("_", 1)[0].upper()
    if voorvoegsel not in generator.SOORTEN:
        raise ValueError(f"'{bestandsnaam}' begint niet met WMO_, SBO_ of JEUGD_")
    return voorvoegsel


def lever_aan(keten, gemeente: Gemeente, files: list[tuple[str, bytes]], **extra) -> Aanlevering:
    """Upload through the gemeente simulator and remember what the GGk answered."""
    before = keten.ggk.downloads(gemeente.code)
    response = keten.gemeente.deliver(gemeente.code, files)
    naam, inhoud = files[0]
    return Aanlevering(naam, response.status_code, response.json(), before[-1]["id"] if before else 0,
                       inhoud, extra.pop("bestanden", [naam]), **extra)


@given(parsers.re(r"gemeente (?P<naam>[^()]+) \((?P<code>\d{4})\)"), target_fixture="gemeente")
def _(naam: str, code: str) -> Gemeente:
    """Kies de gemeente die aanlevert; naam en code moeten bij elkaar horen.
    Voorbeeld: Gegeven gemeente Amsterdam (0363)
    """
    known = gemeenten()
    assert code in known, f"gemeentecode {code} is onbekend bij CBS"
    assert known[code] == naam.strip(), f"{code} is {known[code]}, niet {naam.strip()}"
    return Gemeente(code, known[code])


@when(parsers.re(r"de gemeente een (?P<soort>Wmo|SBO|Jeugd)-bestand( met (?P<rijen>\d+) cliënten)? "
                 r'aanlevert als "(?P<bestandsnaam>[^"]+)"'), target_fixture="aanlevering")
def _(keten, gemeente: Gemeente, nu, soort: str, rijen: str | None, bestandsnaam: str) -> Aanlevering:
    """Stel een geldig bestand samen (aanmaakdatum = nu) en lever het aan onder deze naam.
    Wmo standaard 25 cliënten; de verslagperiode komt uit de code uitvraag in de naam.
    Voorbeeld: Als de gemeente een Wmo-bestand met 25 cliënten aanlevert als "WMO_H12016_regulier.csv"
    """
    jaar, halfjaar = periode_uit_naam(bestandsnaam, nu)
    aantal = int(rijen or 25)
    data = generator.generate(SOORT[soort], gemeente.code, jaar, halfjaar, nu, rows=aantal, seed=aantal)
    return lever_aan(keten, gemeente, [(bestandsnaam, data)])


@when(parsers.re(r'de gemeente een (?P<soort>Wmo|SBO|Jeugd)-bestand met de fout "(?P<fout>[a-z0-9-]+)" '
                 r'aanlevert( als "(?P<bestandsnaam>[^"]+)")?'), target_fixture="aanlevering")
def _(keten, gemeente: Gemeente, nu, soort: str, fout: str, bestandsnaam: str | None) -> Aanlevering:
    """Lever een bestand aan met precies één fout uit de generator (zie docs/generatoren.md),
    onder de naam die de fout maakt of onder de gegeven naam. Periode: de huidige.
    Voorbeeld: Als de gemeente een Wmo-bestand met de fout "bsn-ongeldig" aanlevert
    Voorbeeld: Als de gemeente een Wmo-bestand met de fout "bsn-ongeldig" aanlevert als "WMO_H12016_regulier.csv"
    """
    jaar, halfjaar = periode_uit_naam(bestandsnaam or "", nu)
    naam, data, regels = maak_variant(fout, SOORT[soort], gemeente.code, jaar, halfjaar, nu)
    return lever_aan(keten, gemeente, [(bestandsnaam or naam, data)], kapotte_regels=regels)


@when(parsers.re(r'de gemeente een ZIP "(?P<zipnaam>[^"]+)" aanlevert met de bestanden:'),
      target_fixture="aanlevering")
def _(keten, gemeente: Gemeente, nu, zipnaam: str, datatable) -> Aanlevering:
    """Lever meerdere bestanden in één ZIP aan; per regel een bestandsnaam en de inhoud
    ("geldig" of de naam van een fout uit de generator).
    Voorbeeld: Als de gemeente een ZIP "GMSD_H12016.zip" aanlevert met de bestanden:
    """
    kop, *regels = datatable
    assert kop[:2] == ["bestand", "inhoud"], f"de tabel heeft de kolommen 'bestand | inhoud', niet {kop}"
    files = []
    for naam, inhoud in (regel[:2] for regel in regels):
        jaar, halfjaar = periode_uit_naam(naam, nu)
        soort = soort_uit_naam(naam)
        if inhoud == "geldig":
            files.append((naam, generator.generate(soort, gemeente.code, jaar, halfjaar, nu, seed=7)))
        else:
            _naam, data, _regels = maak_variant(inhoud, soort, gemeente.code, jaar, halfjaar, nu)
            files.append((naam, data))
    data = generator.zip_bestanden(files, nu)
    return lever_aan(keten, gemeente, [(zipnaam, data)], bestanden=[n for n, _ in files])


@then("krijgt de gemeente voor het bestand een GGk-referentienummer")
def _(aanlevering: Aanlevering, nu) -> None:
    """De upload is aangenomen en het bestand heeft een referentienummer jjjjmmdd-uummss-nnn.
    Voorbeeld: Dan krijgt de gemeente voor het bestand een GGk-referentienummer
    """
    _aangenomen(aanlevering)
    if len(aanlevering.referenties) != 1:
        raise WrongAnswerError("het GGk gaf niet één referentienummer", 1, aanlevering.referenties)
    _check_referenties(aanlevering.referenties, nu)


@then(parsers.re(r"krijgt de gemeente voor elk (?:CSV-)?bestand(?: in de ZIP)? een eigen GGk-referentienummer"))
def _(aanlevering: Aanlevering, nu) -> None:
    """Elk CSV-bestand in de ZIP heeft een eigen, uniek referentienummer.
    Voorbeeld: Dan krijgt de gemeente voor elk bestand in de ZIP een eigen GGk-referentienummer
    """
    _aangenomen(aanlevering)
    per_bestand = {r["bestand"]: r["referentie"] for u in aanlevering.antwoord["uploads"]
                   for r in u["referenties"]}
    if sorted(per_bestand) != sorted(aanlevering.bestanden):
        raise WrongAnswerError("het GGk gaf referenties voor andere bestanden", sorted(aanlevering.bestanden),
                               sorted(per_bestand))
    _check_referenties(list(per_bestand.values()), nu)


def _aangenomen(aanlevering: Aanlevering) -> None:
    if aanlevering.status != 201:
        raise WrongAnswerError(f"het GGk nam de upload niet aan: {aanlevering.antwoord}", "HTTP 201",
                               f"HTTP {aanlevering.status}")


def _check_referenties(referenties: list[str], nu) -> None:
    if len(set(referenties)) != len(referenties):
        raise WrongAnswerError("de referenties zijn niet uniek", "een eigen referentie per bestand", referenties)
    for referentie in referenties:
        if not GGK_REFERENTIE.fullmatch(referentie):
            raise WrongAnswerError("een referentie heeft niet de vorm jjjjmmdd-uummss-nnn", "jjjjmmdd-uummss-nnn",
                                   referentie)
        if not referentie.startswith(nu.strftime("%Y%m%d-")):
            raise WrongAnswerError("een referentie begint niet met de uploaddatum", f"{nu:%Y%m%d}-…", referentie)


@then(parsers.parse('ontvangt het CBS het bestand als "{naam}"'))
def _(keten, aanlevering: Aanlevering, naam: str) -> None:
    """Het CBS heeft het bestand onder deze naam uit zijn RINIS-inbox gehaald.
    Voorbeeld: Dan ontvangt het CBS het bestand als "WMO_H12016_regulier_0363.csv"
    """
    keten.wait_idle()
    received = [a for a in keten.cbs.aanleveringen() if a["correlatie"] in aanlevering.referenties]
    assert [a["bestandsnaam"] for a in received] == [naam], (
        f"verwacht dat het CBS '{naam}' ontving; ontvangen: {[a['bestandsnaam'] for a in received]}")


@then(parsers.parse('ontvangt het CBS de ZIP ongeopend als "{naam}"'))
def _(keten, marks, aanlevering: Aanlevering, naam: str) -> None:
    """GGk en RINIS geven de ZIP byte voor byte door; alleen de naam krijgt de gemeentecode.
    Voorbeeld: Dan ontvangt het CBS de ZIP ongeopend als "GMSD_H12016_0088.zip"
    """
    keten.wait_idle()
    binnen = [e for e in keten.journal_since(marks)["cbs"]
              if e["richting"] == "in" and e["bestandsnaam"] == naam]
    assert binnen, f"het CBS ontving geen '{naam}'"
    ontvangen = keten.payload(binnen[0])
    assert hashlib.sha256(ontvangen).hexdigest() == hashlib.sha256(aanlevering.inhoud).hexdigest(), (
        f"de ZIP die het CBS ontving ({len(ontvangen)} bytes) is niet de aangeleverde "
        f"({len(aanlevering.inhoud)} bytes)")


# ------------------------------------------------- straight to the GGk web service


@when(parsers.re(r'de gemeente (?P<namen>"[^"]+"(?:(?:, | en )"[^"]+")*) uploadt bij het GGk'),
      target_fixture="aanlevering")
def _(keten, gemeente: Gemeente, nu, namen: str) -> Aanlevering:
    """De harness speelt de software van de gemeente en uploadt rechtstreeks bij het GGk.
    Een naam op .zip wordt een ZIP met een geldig Wmo- en SBO-bestand.
    Voorbeeld: Als de gemeente "WMO_H12016_regulier.csv" en "SBO_H12016.csv" uploadt bij het GGk
    """
    files, bestanden = [], []
    for naam in re.findall(r'"([^"]+)"', namen):
        jaar, halfjaar = periode_uit_naam(naam, nu)
        if naam.lower().endswith(".zip"):
            leden = [(generator.bestandsnaam(s, jaar, halfjaar),
                      generator.generate(s, gemeente.code, jaar, halfjaar, nu)) for s in ("WMO", "SBO")]
            files.append((naam, generator.zip_bestanden(leden, nu)))
            bestanden += [n for n, _ in leden]
        else:
            files.append((naam, generator.generate(soort_uit_naam(naam), gemeente.code, jaar, halfjaar, nu)))
            bestanden.append(naam)
    response = keten.ggk.upload(gemeente.code, files)
    _attach_antwoord(response)
    return Aanlevering(files[0][0], response.status_code, response.json(), 0, files[0][1], bestanden)


@when(parsers.re(r"de gemeente bij het GGk (?P<wat>een upload zonder bestand|een leeg bestand "
                 r'"(?P<leeg>[^"]+)"|een bestand "(?P<naam>[^"]+)") instuurt'), target_fixture="aanlevering")
def _(keten, gemeente: Gemeente, wat: str, leeg: str | None, naam: str | None) -> Aanlevering:
    """De harness uploadt iets wat het GGk hoort te weigeren.
    Voorbeeld: Als de gemeente bij het GGk een leeg bestand "WMO_H12016.csv" instuurt
    """
    files = [] if leeg is None and naam is None else [(leeg or naam, b"" if leeg else b"x;y\r\n1;2\r\n")]
    response = keten.ggk.upload(gemeente.code, files)
    _attach_antwoord(response)
    return Aanlevering(leeg or naam or "", response.status_code, response.json(), 0)


def _attach_antwoord(response) -> None:
    """The GGk's answer to a direct upload, in the report (a refusal is journalled nowhere)."""
    allure.attach(response.content, name=f"ggk → harness · upload-antwoord HTTP {response.status_code}",
                  attachment_type=allure.attachment_type.JSON)
