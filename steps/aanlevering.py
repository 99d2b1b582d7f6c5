"""Steps about aanleveringen: a gemeente composes and uploads files through the GGk."""

from __future__ import annotations

from dataclasses import dataclass

from pytest_bdd import given, parsers, then, when

from simulators.gemeente.generator import generate_wmo_csv
from simulators.gmsd.gemeenten import gemeenten


@dataclass
class Gemeente:
    code: str
    naam: str


@dataclass
class Aanlevering:
    """What a gemeente uploaded in a scenario and what the GGk answered."""

    bestandsnaam: str
    status: int
    antwoord: dict
    downloads_voor: int  # the last download id before the upload: what is new is after it

    @property
    def referenties(self) -> list[str]:
        return [r["referentie"] for u in self.antwoord.get("uploads", []) for r in u["referenties"]]


@given(parsers.re(r"gemeente (?P<naam>[^()]+) \((?P<code>\d{4})\)"), target_fixture="gemeente")
def _(naam: str, code: str) -> Gemeente:
    """Kies de gemeente die aanlevert. Voorbeeld: Gegeven gemeente Amsterdam (0363)"""
    known = gemeenten()
    assert code in known, f"gemeentecode {code} is onbekend bij CBS"
    assert known[code] == naam.strip(), f"{code} is {known[code]}, niet {naam.strip()}"
    return Gemeente(code, known[code])


@when(parsers.re(r"de gemeente een Wmo-bestand met (?P<rijen>\d+) cliënten aanlevert als "
                 r'"(?P<bestandsnaam>[^"]+)"'), target_fixture="aanlevering")
def _(keten, gemeente: Gemeente, nu, rijen: str, bestandsnaam: str) -> Aanlevering:
    """Stel een Wmo-bestand samen (geldige BSN's) en lever het aan via het GGk.
    Voorbeeld: Als de gemeente een Wmo-bestand met 25 cliënten aanlevert als "WMO_H12016_regulier.csv"
    """
    jaar, halfjaar = int(bestandsnaam.split("_")[1][2:6]), int(bestandsnaam.split("_")[1][1])
    data = generate_wmo_csv(gemeente.code, jaar, halfjaar, int(rijen), nu, seed=int(rijen))
    before = keten.downloads(gemeente.code)
    response = keten.deliver(gemeente.code, [(bestandsnaam, data)])
    return Aanlevering(bestandsnaam, response.status_code, response.json(),
                       before[-1]["id"] if before else 0)


@then("krijgt de gemeente voor het bestand een GGk-referentienummer")
def _(aanlevering: Aanlevering, nu) -> None:
    """De upload is aangenomen en elk CSV-bestand heeft een eigen referentienummer."""
    assert aanlevering.status == 201, f"upload niet aangenomen: {aanlevering.antwoord}"
    assert len(aanlevering.referenties) == 1, aanlevering.antwoord
    assert aanlevering.referenties[0].startswith(nu.strftime("%Y%m%d-")), (
        f"referentie {aanlevering.referenties[0]} hoort met de uploaddatum {nu:%Y%m%d} te beginnen")


@then(parsers.parse('ontvangt het CBS het bestand als "{naam}"'))
def _(keten, aanlevering: Aanlevering, naam: str) -> None:
    """Het CBS heeft het bestand onder deze naam uit zijn RINIS-inbox gehaald."""
    keten.wait_idle()
    received = [a for a in keten.cbs_deliveries() if a["correlatie"] in aanlevering.referenties]
    assert [a["bestandsnaam"] for a in received] == [naam], (
        f"verwacht dat het CBS '{naam}' ontving; ontvangen: {[a['bestandsnaam'] for a in received]}")
