"""Steps about the GGk portal as people use it (docs/portaal.md): logging in with the
simulated eHerkenning, the CBS tab, upload, download, opt-in, withdrawal, roles and the
audit log.

The steps drive Debian's Chromium (steps/chromium.py) the way a person would: fields are
found by their labels, buttons and links by their role and visible name, files are chosen
in the file field and downloads saved by the browser. A step that cannot find a label or a
button fails: the page then lacks what a person (or a screen reader) needs. The HTTP status
of a page is the one of the navigation the browser made.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import allure
from playwright.sync_api import Locator, Page
from playwright.sync_api import Response as Antwoord
from pytest_bdd import given, parsers, then, when

from simulators import auditlog
from simulators.gmsd import generator
from steps.aanlevering import SOORT, Aanlevering, periode_uit_naam
from steps.drivers import PortaalPagina
from steps.gemeenten import GEMEENTE, parse_gemeente
from steps.klok import PERIODE

PERSONA = {"de medewerker": "medewerker", "de gebruikersbeheerder": "beheerder",
           "de nieuwe medewerker": "nieuw"}
NAAM = {"medewerker": "Henk de Vries", "beheerder": "Bea Bakker", "nieuw": "Noor Jansen"}
"""The test persons' names as the portal shows them (docs/portaal.md, "Identiteiten en rollen")."""
WIE = r"(?P<wie>de medewerker|de gebruikersbeheerder|de nieuwe medewerker)"
NIVEAU = r"(?P<niveau>EH1|EH2\+?|EH3|EH4)"
SET = {"Wmo": "WMO", "Jeugd": "JEUGD", "SBO": "SBO"}
REFERENTIE = re.compile(r"\d{8}-\d{6}-\d{3}")


@dataclass
class Download:
    """A file the browser saved: the name it suggested and the bytes."""

    naam: str
    inhoud: bytes


@dataclass
class Portaal:
    """A person at the portal in Chromium: the page, the answer to the last navigation, the
    last download. ``werkmap`` holds the files the person uploads and the ones saved."""

    page: Page
    base: str
    werkmap: Path
    gemeentecode: str = ""
    antwoord: Antwoord | None = field(default=None, repr=False)
    download: Download | None = None

    def __repr__(self) -> str:  # short: Allure prints step arguments
        return f"Portaal({self.gemeentecode or '-'}, {self.page.url})"

    # ------------------------------------------------------------- navigation

    def open(self, pad: str) -> Antwoord:
        """Type an address in the address bar (a path of the portal, or a whole URL)."""
        antwoord = self.page.goto(pad if pad.startswith("http") else self.base + pad)
        assert antwoord is not None, f"de browser kreeg geen antwoord op {pad}"
        self.antwoord = antwoord
        return antwoord

    def klik(self, element: Locator) -> Antwoord:
        """Click something that submits a form or follows a link, and wait for the new page."""
        with self.page.expect_navigation() as navigatie:
            element.click()
        self.antwoord = navigatie.value
        return self.antwoord

    def knop(self, naam: str, binnen: Page | Locator | None = None) -> Locator:
        return (binnen or self.page).get_by_role("button", name=naam, exact=True)

    @property
    def status(self) -> int:
        return self.antwoord.status if self.antwoord is not None else 0

    @property
    def url(self) -> str:
        return self.page.url

    @property
    def tekst(self) -> str:
        """The visible text of the main part (whitespace collapsed)."""
        main = self.page.get_by_role("main")
        return " ".join((main.inner_text() if main.count() else self.page.inner_text("body")).split())

    def melding(self, rol: str) -> str:
        """The text of the page's messages of this role: ``alert`` (a refusal), ``status`` (done)."""
        return " ".join(" ".join(m.split()) for m in self.page.get_by_role(rol).all_inner_texts())

    def regio(self, naam: str | re.Pattern) -> Locator:
        """A part of the page with its own heading (a period's half of a split screen, a member)."""
        regio = self.page.get_by_role("region", name=naam)
        assert regio.count() == 1, f"de pagina heeft {regio.count()} delen '{naam}': {self.tekst[:400]}"
        return regio

    # ------------------------------------------------------------------ login

    def inloggen(self, gemeente, persoon: str, niveau: str) -> Antwoord:
        """Through the eHerkenning simulation: choose gemeente, person and level, then log in."""
        self.gemeentecode = gemeente.code
        self.open(PortaalPagina.INLOGGEN)
        self.page.get_by_label("Gemeente (machtiging)", exact=True).select_option(
            label=f"{gemeente.naam} ({gemeente.code})")
        self.page.get_by_label("Persoon", exact=True).select_option(value=persoon)
        self.page.get_by_label("Betrouwbaarheidsniveau", exact=True).select_option(value=niveau)
        return self.klik(self.knop("Inloggen"))

    def referenties(self) -> dict[str, str]:
        """CSV name -> GGk reference, from the table the page shows after an upload or decision."""
        tabel = self.page.get_by_role("table", name="GGk-referentienummers")
        if not tabel.count():
            return {}
        rijen = tabel.locator("tbody").get_by_role("row").all()
        cellen = [[" ".join(c.split()) for c in rij.get_by_role("cell").all_inner_texts()] for rij in rijen]
        return {c[0]: c[1] for c in cellen if len(c) >= 2}

    def bewaar(self, element: Locator) -> Download:
        """Click a download link and keep what the browser saved."""
        with self.page.expect_download() as wacht:
            element.click()
        download = wacht.value
        fout = download.failure()
        assert fout is None, f"de download van {download.suggested_filename} mislukte: {fout}"
        doel = self.werkmap / "downloads" / download.suggested_filename
        doel.parent.mkdir(parents=True, exist_ok=True)
        download.save_as(doel)
        self.download = Download(download.suggested_filename, doel.read_bytes())
        return self.download


def _sets(tekst: str) -> list[str]:
    return [SET[s] for s in tekst.replace(" en ", ", ").split(", ")]


def _periode_naam(code: str) -> str:
    """``H12016`` -> ``H1 2016``, as the pages write a period."""
    return f"{code[:2]} {code[2:]}"


# ------------------------------------------------------------------------ login


@given(parsers.re(rf"{WIE} van (?P<gemeente>{GEMEENTE}) is ingelogd op het portaal met {NIVEAU}"),
       target_fixture="portaal")
@when(parsers.re(rf"{WIE} van (?P<gemeente>{GEMEENTE}) inlogt op het portaal met {NIVEAU}"),
      target_fixture="portaal")
def _(keten, scherm: Page, tmp_path: Path, wie: str, gemeente: str, niveau: str) -> Portaal:
    """Een testpersoon van de gemeente logt in via de eHerkenning-simulatie, op dit niveau.
    Voorbeeld: Als de medewerker van Amsterdam (0363) inlogt op het portaal met EH3
    Voorbeeld: Gegeven de gebruikersbeheerder van Amsterdam (0363) is ingelogd op het portaal met EH3
    """
    portaal = Portaal(scherm, keten.ggk.base, tmp_path)
    portaal.inloggen(parse_gemeente(gemeente), PERSONA[wie], niveau)
    return portaal


@when("de gebruiker het CBS-tabblad opent")
def _(portaal: Portaal) -> None:
    """Open de CBS-tab van het portaal.
    Voorbeeld: Als de gebruiker het CBS-tabblad opent
    """
    portaal.open(PortaalPagina.CBS)


@when("de gebruiker de rollenpagina opent")
def _(portaal: Portaal) -> None:
    """Open de pagina waar de gebruikersbeheerder de CBS-rol toekent (alleen voor hem bedoeld).
    Voorbeeld: Als de gebruiker de rollenpagina opent
    """
    portaal.open(PortaalPagina.ROLLEN)


@when("de gebruiker uitlogt")
def _(portaal: Portaal) -> None:
    """Log uit met de knop in de kop van elke pagina.
    Voorbeeld: Als de gebruiker uitlogt
    """
    portaal.klik(portaal.knop("Uitloggen"))


@then(parsers.re(r'toont het portaal het CBS-tabblad met "(?P<tekst>[^"]+)"'))
def _(portaal: Portaal, tekst: str) -> None:
    """De CBS-tab is open en toont deze tekst (bijvoorbeeld een periode).
    Voorbeeld: Dan toont het portaal het CBS-tabblad met "H1 2016"
    """
    assert portaal.status == 200 and portaal.url.endswith(PortaalPagina.CBS), (
        f"verwacht de CBS-tab, kreeg HTTP {portaal.status} {portaal.url}: {portaal.tekst[:300]}")
    kop = portaal.page.get_by_role("heading", level=1)
    assert kop.count() == 1 and kop.inner_text().startswith("CBS"), f"geen CBS-kop: {portaal.tekst[:200]}"
    assert tekst in portaal.tekst, f"de CBS-tab noemt '{tekst}' niet: {portaal.tekst[:600]}"


@then(parsers.re(r'weigert het portaal met een melding met "(?P<tekst>[^"]+)"'))
def _(portaal: Portaal, tekst: str) -> None:
    """Het portaal weigert (HTTP 4xx, of een foutmelding op de pagina) en zegt waarom.
    Voorbeeld: Dan weigert het portaal met een melding met "EH3"
    """
    melding = portaal.melding("alert")
    assert portaal.status >= 400 or melding, f"het portaal weigerde niet: HTTP {portaal.status} {portaal.tekst[:300]}"
    assert tekst in melding, f"de melding (role=alert) noemt '{tekst}' niet: {melding or portaal.tekst[:600]}"


@then(parsers.re(r'vraagt het portaal opnieuw in te loggen met de melding "(?P<tekst>[^"]+)"'))
def _(portaal: Portaal, tekst: str) -> None:
    """De sessie is voorbij: het portaal toont de inlogpagina met een melding.
    Voorbeeld: Dan vraagt het portaal opnieuw in te loggen met de melding "verlopen"
    """
    assert PortaalPagina.INLOGGEN in portaal.url, f"geen inlogpagina maar {portaal.url}"
    assert portaal.knop("Inloggen").is_visible(), f"de inlogpagina heeft geen knop Inloggen: {portaal.tekst[:300]}"
    assert tekst in portaal.melding("alert"), f"de inlogpagina noemt '{tekst}' niet: {portaal.tekst[:400]}"


@then(parsers.re(rf"staat in het auditlog van (?P<gemeente>{GEMEENTE}) een regel "
                 r'"(?P<actie>[^"]+)" met resultaat "(?P<resultaat>[^"]+)"'))
def _(keten, gemeente: str, actie: str, resultaat: str) -> None:
    """Het auditlog van het portaal heeft een regel over deze actie, met wie, herkomst en tijd.
    Voorbeeld: Dan staat in het auditlog van Amsterdam (0363) een regel "inloggen" met resultaat "geweigerd"
    """
    regels = keten.ggk.audit(parse_gemeente(gemeente).code)
    allure.attach(auditlog.als_tabel(regels), name="auditlog", attachment_type=allure.attachment_type.TEXT)
    gevonden = [r for r in regels if r["actie"] == actie and r["resultaat"] == resultaat]
    assert gevonden, f"geen auditregel {actie}/{resultaat}; wel: {[(r['actie'], r['resultaat']) for r in regels]}"
    assert all(gevonden[-1][k] for k in ("wie", "herkomst", "tijdstip")), gevonden[-1]


# ----------------------------------------------------------- upload, download


@when(parsers.re(r"de gebruiker via het portaal een (?P<soort>Wmo|SBO|Jeugd)-bestand aanlevert"
                 rf'(?: namens (?P<namens>{GEMEENTE}))? als "(?P<bestandsnaam>[^"]+)"'),
      target_fixture="aanlevering")
def _(keten, nu, portaal: Portaal, soort: str, namens: str | None, bestandsnaam: str) -> Aanlevering:
    """Kies een geldig bestand op de uploadpagina en lever het aan (een uitvoerder: namens een lid).
    Voorbeeld: Als de gebruiker via het portaal een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    """
    lid = parse_gemeente(namens) if namens else None
    jaar, halfjaar = periode_uit_naam(bestandsnaam, nu)
    data = generator.generate(SOORT[soort], lid.code if lid else portaal.gemeentecode, jaar, halfjaar, nu,
                              rows=25, seed=25)
    bestand = portaal.werkmap / "uploads" / bestandsnaam
    bestand.parent.mkdir(parents=True, exist_ok=True)
    bestand.write_bytes(data)
    portaal.klik(portaal.page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Aanleveren"))
    portaal.page.get_by_label("Bestand (CSV, TXT of ZIP)").set_input_files(bestand)
    if lid:
        portaal.page.get_by_label(re.compile(r"^Aanleveren voor")).select_option(label=f"{lid.naam} ({lid.code})")
    portaal.klik(portaal.knop("Aanleveren"))
    refs = portaal.referenties()
    antwoord = {"uploads": [{"referenties": [{"bestand": b, "referentie": r} for b, r in refs.items()]}],
                "melding": (portaal.melding("alert") or portaal.melding("status"))[:500]}
    return Aanlevering(bestandsnaam, 201 if refs else portaal.status, antwoord, 0, data, [bestandsnaam])


@then(parsers.re(r'toont het portaal een GGk-referentienummer voor "(?P<bestand>[^"]+)"'))
def _(portaal: Portaal, bestand: str) -> None:
    """Na het indienen staat het referentienummer op de pagina (jjjjmmdd-uummss-nnn).
    Voorbeeld: Dan toont het portaal een GGk-referentienummer voor "WMO_H12016_regulier.csv"
    """
    refs = portaal.referenties()
    assert REFERENTIE.fullmatch(refs.get(bestand, "")), (
        f"geen referentie voor {bestand} op de pagina; wel {refs}: {portaal.tekst[:400]}")


@when(parsers.re(r'de gebruiker het (?P<soort>technisch rapport|op-orde rapport|foutrapport) downloadt'))
def _(keten, portaal: Portaal, soort: str) -> None:
    """Wacht tot het rapport in de downloadlijst staat en klik de link.
    Voorbeeld: Als de gebruiker het technisch rapport downloadt
    """
    prefix = {"technisch rapport": "CBS_TECHNISCH", "op-orde rapport": "CBS_OPORDE", "foutrapport": "Fo01_"}[soort]
    keten.wait_idle()
    portaal.open(PortaalPagina.DOWNLOADS)
    links = portaal.page.get_by_role("link", name=re.compile("^" + re.escape(prefix)))
    assert links.count(), f"geen {soort} in de downloadlijst: {portaal.tekst[:500]}"
    naam = links.first.inner_text().strip()
    download = portaal.bewaar(links.first)
    assert download.naam == naam, f"de link heet {naam}, de browser bewaarde {download.naam}"


@then(parsers.re(r"krijgt de gebruiker een ZIP-bestand"))
def _(portaal: Portaal) -> None:
    """De browser bewaarde een ZIP (een bijlage, geen pagina).
    Voorbeeld: Dan krijgt de gebruiker een ZIP-bestand
    """
    download = portaal.download
    assert download is not None, f"de browser bewaarde niets; de pagina is {portaal.url}"
    assert download.inhoud[:2] == b"PK" and download.naam.endswith(".zip"), (
        f"geen ZIP: {download.naam}, begint met {download.inhoud[:20]!r}")
    with zipfile.ZipFile(io.BytesIO(download.inhoud)) as archief:
        assert archief.namelist() and archief.testzip() is None, f"{download.naam} is leeg of kapot"
    allure.attach(download.inhoud, name=f"download · {download.naam}", extension="zip")


@when(parsers.re(rf"de gebruiker een download van (?P<gemeente>{GEMEENTE}) opent"))
def _(keten, portaal: Portaal, gemeente: str) -> None:
    """Open het adres van een bestand uit het downloadgebied van een andere gemeente.
    Voorbeeld: Als de gebruiker een download van Leiden (0546) opent
    """
    code = parse_gemeente(gemeente).code
    keten.wait_idle()
    items = keten.ggk.downloads(code)
    assert items, f"{gemeente} heeft niets in het downloadgebied"
    portaal.open(PortaalPagina.download(items[0]["id"]))


@then(parsers.re(rf"ziet de gebruiker in het portaal dat (?P<ander>{GEMEENTE}) een bestand heeft aangeleverd"))
def _(keten, portaal: Portaal, ander: str) -> None:
    """Op de downloadpagina staat wat een partner van het samenwerkingsverband aanleverde.
    Voorbeeld: Dan ziet de gebruiker in het portaal dat Leiderdorp (0547) een bestand heeft aangeleverd
    """
    keten.wait_idle()
    portaal.open(PortaalPagina.DOWNLOADS)
    lid = parse_gemeente(ander)
    deel = portaal.regio(re.compile(rf"^{re.escape(lid.naam)} \({lid.code}\)"))
    uploads = deel.get_by_role("listitem").filter(has_text=" aangeleverd: ")
    assert uploads.count(), f"de pagina toont geen upload van {ander}: {deel.inner_text()[:600]}"
    assert not deel.get_by_role("link").count(), "wat een ander lid aanleverde is alleen zichtbaar, geen link"


@given(parsers.re(rf"(?P<gemeente>{GEMEENTE}) heeft een rapport in het downloadgebied"))
def _(keten, gemeente: str) -> None:
    """Een andere gemeente levert via de gemeentesimulator aan en krijgt haar technisch rapport.
    Voorbeeld: Gegeven Leiden (0546) heeft een rapport in het downloadgebied
    """
    code = parse_gemeente(gemeente).code
    response = keten.gemeente.compose_and_deliver(code, rijen=5, seed=1)
    assert response.status_code == 201, f"aanlevering voor {code} mislukte: {response.text[:300]}"
    keten.ggk.wait_for_download(code, 0, lambda d: d["soort"] == "rapport", "rapport")


# ----------------------------------------------------------- opt-in, intrekken


@when(parsers.re(rf"de gebruiker via het portaal voor {PERIODE} (?:een )?(?P<besluit>opt-in|opt-out) "
                 r"geeft voor (?P<sets>(?:Wmo|Jeugd|SBO)(?:(?:, | en )(?:Wmo|Jeugd|SBO))*)"))
def _(portaal: Portaal, periode: str, besluit: str, sets: str) -> None:
    """Vul de helft van het opt-in-scherm voor deze periode in en dien hem in.
    Voorbeeld: Als de gebruiker via het portaal voor H12016 een opt-in geeft voor Wmo en Jeugd
    """
    portaal.open(PortaalPagina.OPTIN)
    naam = _periode_naam(periode)
    helft = portaal.regio(re.compile(rf"^{naam} "))
    for s in _sets(sets):
        helft.get_by_role("group", name=s, exact=True).get_by_label(besluit, exact=True).check()
    portaal.klik(portaal.knop(f"Besluit indienen voor {naam}", helft))


@when(parsers.re(r"de gebruiker via het portaal de (?P<sets>(?:Wmo|Jeugd|SBO)(?:(?:, | en )(?:Wmo|Jeugd|SBO))*)-"
                 rf"levering van {PERIODE} wil intrekken"))
def _(portaal: Portaal, periode: str, sets: str) -> None:
    """Kies op het intrekscherm de sets van een periode; het portaal vraagt dan om bevestiging.
    Voorbeeld: Als de gebruiker via het portaal de Wmo en Jeugd-levering van H12016 wil intrekken
    """
    portaal.open(PortaalPagina.INTREKKEN)
    helft = portaal.regio(re.compile(rf"^{_periode_naam(periode)} "))
    for s in _sets(sets):
        helft.get_by_label(s, exact=True).check()
    portaal.klik(portaal.knop("Verder naar bevestigen", helft))


@then("vraagt het portaal om bevestiging")
def _(portaal: Portaal) -> None:
    """De bevestigingspagina noemt de periode en de sets.
    Voorbeeld: Dan vraagt het portaal om bevestiging
    """
    assert portaal.url.endswith(PortaalPagina.INTREKKEN_BEVESTIGEN), f"geen bevestigingspagina: {portaal.url}"
    assert portaal.page.get_by_role("heading", name="Intrekken bevestigen").is_visible()
    assert portaal.knop("Ja, trek de levering in").is_visible() and portaal.knop("Nee, annuleren").is_visible(), (
        f"de bevestigingspagina biedt geen keuze: {portaal.tekst[:300]}")


@when(parsers.re(r"de gebruiker de intrekking (?P<keuze>bevestigt|annuleert)"))
def _(portaal: Portaal, keuze: str) -> None:
    """Kies 'Ja, trek de levering in' of 'Nee, annuleren'.
    Voorbeeld: Als de gebruiker de intrekking bevestigt
    """
    portaal.klik(portaal.knop("Ja, trek de levering in" if keuze == "bevestigt" else "Nee, annuleren"))


@then(parsers.re(r'toont het portaal de bevestiging "(?P<tekst>[^"]+)" met een GGk-referentienummer'))
def _(portaal: Portaal, tekst: str) -> None:
    """Het besluit of de intrekking is aangenomen: de melding en een referentie op de pagina.
    Voorbeeld: Dan toont het portaal de bevestiging "ontvangen" met een GGk-referentienummer
    """
    ok = portaal.melding("status")
    assert tekst in ok and not portaal.melding("alert"), f"geen bevestiging met '{tekst}': {portaal.tekst[:500]}"
    assert any(REFERENTIE.fullmatch(r) for r in portaal.referenties().values()), (
        f"geen referentie op de pagina: {portaal.tekst[:400]}")


# ------------------------------------------------------------------------ roles


@when(parsers.re(r"de gebruikersbeheerder de CBS-rol (?P<actie>toekent aan|intrekt bij) "
                 r"(?P<wie>de medewerker|de nieuwe medewerker)"))
def _(portaal: Portaal, actie: str, wie: str) -> None:
    """De gebruikersbeheerder wijzigt op de rollenpagina de CBS-rol van een medewerker.
    Voorbeeld: Als de gebruikersbeheerder de CBS-rol toekent aan de nieuwe medewerker
    """
    portaal.klik(portaal.page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Rollen"))
    naam = NAAM[PERSONA[wie]]
    knop = f"CBS-rol {'toekennen aan' if actie == 'toekent aan' else 'intrekken bij'} {naam}"
    gevonden = portaal.page.get_by_role("button", name=knop, exact=True)
    assert gevonden.count() == 1, f"geen knop '{knop}' op de rollenpagina: {portaal.tekst[:400]}"
    portaal.klik(gevonden)
    verwacht = "toegekend aan" if actie == "toekent aan" else "ingetrokken bij"
    assert f"{verwacht} {naam}" in portaal.melding("status"), f"geen bevestiging: {portaal.tekst[:300]}"
