"""Steps about the GGk portal as people use it (docs/portaal.md): logging in with the
simulated eHerkenning, the CBS tab, upload, download, opt-in, withdrawal, roles and the
audit log.

The steps drive the pages over HTTP the way a browser without JavaScript would:
:class:`Browser` keeps the cookies, reads each page with lxml.html and submits its forms
with the values the page holds (hidden fields, the CSRF token, checked boxes). A later
part replaces it by a real Chromium; the sentences stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import allure
import lxml.html
import requests
from pytest_bdd import given, parsers, then, when

from simulators.gemeente import generator
from steps.aanlevering import SOORT, Aanlevering, periode_uit_naam
from steps.drivers import ChainError
from steps.samenwerking import GEMEENTE, _gemeente

PERSONA = {"de medewerker": "medewerker", "de gebruikersbeheerder": "beheerder",
           "de nieuwe medewerker": "nieuw"}
WIE = r"(?P<wie>de medewerker|de gebruikersbeheerder|de nieuwe medewerker)"
NIVEAU = r"(?P<niveau>EH1|EH2\+?|EH3|EH4)"
SET = {"Wmo": "WMO", "Jeugd": "JEUGD", "SBO": "SBO"}


@dataclass
class Pagina:
    """One answer of the portal, parsed."""

    response: requests.Response
    doc: lxml.html.HtmlElement | None = field(default=None, repr=False)

    @property
    def status(self) -> int:
        return self.response.status_code

    @property
    def tekst(self) -> str:
        """The visible text of the main part (whitespace collapsed)."""
        if self.doc is None:
            return ""
        main = self.doc.find(".//main")
        return " ".join(" ".join((main if main is not None else self.doc).itertext()).split())

    def alle(self, css_class: str) -> list[str]:
        return [" ".join(e.text_content().split()) for e in self.doc.find_class(css_class)] if self.doc is not None else []


class Browser:
    """A person at the portal, without JavaScript: cookies, pages, forms."""

    def __init__(self, base: str, timeout: float = 15.0) -> None:
        self.base = base.rstrip("/")
        self.session = requests.Session()
        self.timeout = timeout
        self.pagina: Pagina | None = None
        self.gemeentecode = ""

    def _lees(self, response: requests.Response) -> Pagina:
        doc = None
        if "text/html" in response.headers.get("Content-Type", ""):
            doc = lxml.html.fromstring(response.text)
            doc.make_links_absolute(response.url)
        self.pagina = Pagina(response, doc)
        if doc is not None:  # each page the person saw, in the report
            allure.attach(response.content, attachment_type=allure.attachment_type.HTML,
                          name=f"portaal · {response.request.method} {response.url.split('/', 3)[-1]} "
                               f"HTTP {response.status_code}")
        return self.pagina

    def open(self, pad: str) -> Pagina:
        url = pad if pad.startswith("http") else self.base + pad
        return self._lees(self.session.get(url, timeout=self.timeout))

    def formulier(self, actie: str, periode: str | None = None) -> lxml.html.FormElement:
        """The form on the current page that posts to a path ending in ``actie`` (and, for
        the split screens, the one of this period)."""
        assert self.pagina is not None and self.pagina.doc is not None, "er is geen pagina open"
        for form in self.pagina.doc.forms:
            if not (form.action or "").rstrip("/").endswith(actie):
                continue
            if periode is None or dict(form.form_values()).get("periode") == periode:
                return form
        raise ChainError(f"geen formulier naar {actie}{f' voor {periode}' if periode else ''} op "
                         f"{self.pagina.response.url}: {self.pagina.tekst[:300]}")

    def verstuur(self, form: lxml.html.FormElement, velden: dict | None = None,
                 bestanden: list[tuple[str, bytes]] | None = None) -> Pagina:
        """Submit as a browser would: the form's own values (not those of a disabled fieldset),
        overridden by ``velden``; files as multipart."""
        uit = {id(e) for fs in form.iter("fieldset") if fs.get("disabled") is not None
               for e in fs.iter("input", "select", "textarea")}
        waarden: list[tuple[str, str]] = []
        for el in form.inputs:
            if id(el) in uit or not el.name or el.get("type") in ("file", "submit"):
                continue
            if el.get("type") in ("radio", "checkbox"):
                if el.checked:  # as a browser sends it: value="" stays "" (lxml would say "on")
                    waarden.append((el.name, el.get("value", "on")))
                continue
            waarden.append((el.name, el.value or ""))
        velden = velden or {}
        data = [(k, v) for k, v in waarden if k not in velden]
        for k, v in velden.items():
            data += [(k, x) for x in v] if isinstance(v, list) else [(k, v)]
        files = [("bestand", (naam, inhoud)) for naam, inhoud in bestanden] if bestanden else None
        response = self.session.post(form.action, data=data, files=files, timeout=self.timeout)
        return self._lees(response)

    def inloggen(self, gemeentecode: str, persoon: str, niveau: str) -> Pagina:
        self.gemeentecode = gemeentecode
        self.open("/portaal/inloggen")
        return self.verstuur(self.formulier("/portaal/inloggen"),
                             {"gemeente": gemeentecode, "persoon": persoon, "niveau": niveau})

    def referenties(self) -> dict[str, str]:
        """CSV name -> GGk reference, as the page shows them."""
        doc = self.pagina.doc
        return {" ".join(r[0].text_content().split()): " ".join(r[1].text_content().split())
                for r in doc.xpath("//table[contains(@class, 'referenties')]/tbody/tr")} if doc is not None else {}


def audit(keten, gemeentecode: str | None = None) -> list[dict]:
    response = keten.get("ggk", "/_beheer/audit", params={"gemeente": gemeentecode} if gemeentecode else {})
    response.raise_for_status()
    return response.json()


# ------------------------------------------------------------------------ login


@given(parsers.re(rf"{WIE} van (?P<gemeente>{GEMEENTE}) is ingelogd op het portaal met {NIVEAU}"),
       target_fixture="portaal")
@when(parsers.re(rf"{WIE} van (?P<gemeente>{GEMEENTE}) inlogt op het portaal met {NIVEAU}"),
      target_fixture="portaal")
def _(keten, wie: str, gemeente: str, niveau: str) -> Browser:
    """Een testpersoon van de gemeente logt in via de eHerkenning-simulatie, op dit niveau.
    Voorbeeld: Als de medewerker van Amsterdam (0363) inlogt op het portaal met EH3
    Voorbeeld: Gegeven de gebruikersbeheerder van Amsterdam (0363) is ingelogd op het portaal met EH3
    """
    browser = Browser(keten.urls["ggk"], keten.timeout + 5)
    browser.inloggen(_gemeente(gemeente).code, PERSONA[wie], niveau)
    return browser


@when("de gebruiker het CBS-tabblad opent")
def _(portaal: Browser) -> None:
    """Open de CBS-tab van het portaal.
    Voorbeeld: Als de gebruiker het CBS-tabblad opent
    """
    portaal.open("/portaal/cbs")


@when("de gebruiker uitlogt")
def _(portaal: Browser) -> None:
    """Log uit met de knop in de kop van elke pagina.
    Voorbeeld: Als de gebruiker uitlogt
    """
    portaal.verstuur(portaal.formulier("/portaal/uitloggen"))


@then(parsers.re(r'toont het portaal het CBS-tabblad met "(?P<tekst>[^"]+)"'))
def _(portaal: Browser, tekst: str) -> None:
    """De CBS-tab is open en toont deze tekst (bijvoorbeeld een periode).
    Voorbeeld: Dan toont het portaal het CBS-tabblad met "H1 2016"
    """
    pagina = portaal.pagina
    assert pagina.status == 200 and pagina.response.url.endswith("/portaal/cbs"), (
        f"verwacht de CBS-tab, kreeg HTTP {pagina.status} {pagina.response.url}: {pagina.tekst[:300]}")
    assert tekst in pagina.tekst, f"de CBS-tab noemt '{tekst}' niet: {pagina.tekst[:600]}"


@then(parsers.re(r'weigert het portaal met een melding met "(?P<tekst>[^"]+)"'))
def _(portaal: Browser, tekst: str) -> None:
    """Het portaal weigert (HTTP 4xx, of een foutmelding op de pagina) en zegt waarom.
    Voorbeeld: Dan weigert het portaal met een melding met "EH3"
    """
    pagina = portaal.pagina
    fout = pagina.status >= 400 or pagina.alle("fout")
    assert fout, f"het portaal weigerde niet: HTTP {pagina.status} {pagina.tekst[:300]}"
    assert tekst in pagina.tekst, f"de melding noemt '{tekst}' niet: {pagina.tekst[:600]}"


@then(parsers.re(r'vraagt het portaal opnieuw in te loggen met de melding "(?P<tekst>[^"]+)"'))
def _(portaal: Browser, tekst: str) -> None:
    """De sessie is voorbij: het portaal toont de inlogpagina met een melding.
    Voorbeeld: Dan vraagt het portaal opnieuw in te loggen met de melding "verlopen"
    """
    pagina = portaal.pagina
    assert "/portaal/inloggen" in pagina.response.url, f"geen inlogpagina maar {pagina.response.url}"
    assert tekst in pagina.tekst, f"de inlogpagina noemt '{tekst}' niet: {pagina.tekst[:400]}"


@then(parsers.re(rf"staat in het auditlog van (?P<gemeente>{GEMEENTE}) een regel "
                 r'"(?P<actie>[^"]+)" met resultaat "(?P<resultaat>[^"]+)"'))
def _(keten, gemeente: str, actie: str, resultaat: str) -> None:
    """Het auditlog van het portaal heeft een regel over deze actie, met wie, herkomst en tijd.
    Voorbeeld: Dan staat in het auditlog van Amsterdam (0363) een regel "inloggen" met resultaat "geweigerd"
    """
    regels = audit(keten, _gemeente(gemeente).code)
    allure.attach(repr(regels), name="auditlog", attachment_type=allure.attachment_type.TEXT)
    gevonden = [r for r in regels if r["actie"] == actie and r["resultaat"] == resultaat]
    assert gevonden, f"geen auditregel {actie}/{resultaat}; wel: {[(r['actie'], r['resultaat']) for r in regels]}"
    assert all(gevonden[-1][k] for k in ("wie", "herkomst", "tijdstip")), gevonden[-1]


# ----------------------------------------------------------- upload, download


@when(parsers.re(r"de gebruiker via het portaal een (?P<soort>Wmo|SBO|Jeugd)-bestand aanlevert"
                 rf'(?: namens (?P<namens>{GEMEENTE}))? als "(?P<bestandsnaam>[^"]+)"'),
      target_fixture="aanlevering")
def _(keten, nu, portaal: Browser, soort: str, namens: str | None, bestandsnaam: str) -> Aanlevering:
    """Kies een geldig bestand op de uploadpagina en lever het aan (een uitvoerder: namens een lid).
    Voorbeeld: Als de gebruiker via het portaal een Wmo-bestand aanlevert als "WMO_H12016_regulier.csv"
    """
    voor = _gemeente(namens).code if namens else portaal.gemeentecode
    jaar, halfjaar = periode_uit_naam(bestandsnaam, nu)
    data = generator.generate(SOORT[soort], voor, jaar, halfjaar, nu, rows=25, seed=25)
    portaal.open("/portaal/upload")
    velden = {"namens": voor} if namens else {}
    pagina = portaal.verstuur(portaal.formulier("/portaal/upload"), velden, [(bestandsnaam, data)])
    refs = portaal.referenties()
    antwoord = {"uploads": [{"referenties": [{"bestand": b, "referentie": r} for b, r in refs.items()]}],
                "melding": pagina.tekst[:500]}
    return Aanlevering(bestandsnaam, 201 if refs else pagina.status, antwoord, 0, data, [bestandsnaam])


@then(parsers.re(r'toont het portaal een GGk-referentienummer voor "(?P<bestand>[^"]+)"'))
def _(portaal: Browser, bestand: str) -> None:
    """Na het indienen staat het referentienummer op de pagina (jjjjmmdd-uummss-nnn).
    Voorbeeld: Dan toont het portaal een GGk-referentienummer voor "WMO_H12016_regulier.csv"
    """
    refs = portaal.referenties()
    assert re.fullmatch(r"\d{8}-\d{6}-\d{3}", refs.get(bestand, "")), (
        f"geen referentie voor {bestand} op de pagina; wel {refs}: {portaal.pagina.tekst[:400]}")


@when(parsers.re(r'de gebruiker het (?P<soort>technisch rapport|op-orde rapport|foutrapport) downloadt'))
def _(keten, portaal: Browser, soort: str) -> None:
    """Wacht tot het rapport in de downloadlijst staat en klik de link.
    Voorbeeld: Als de gebruiker het technisch rapport downloadt
    """
    prefix = {"technisch rapport": "CBS_TECHNISCH", "op-orde rapport": "CBS_OPORDE", "foutrapport": "Fo01_"}[soort]
    keten.wait_idle()
    portaal.open("/portaal/downloads")
    links = [a for a in portaal.pagina.doc.find_class("download") if a.text_content().startswith(prefix)]
    assert links, f"geen {soort} in de downloadlijst: {portaal.pagina.tekst[:500]}"
    portaal.open(links[0].get("href"))


@then(parsers.re(r"krijgt de gebruiker een ZIP-bestand"))
def _(portaal: Browser) -> None:
    """De download is een ZIP, als bijlage.
    Voorbeeld: Dan krijgt de gebruiker een ZIP-bestand
    """
    response = portaal.pagina.response
    assert response.status_code == 200, f"HTTP {response.status_code}: {response.text[:300]}"
    assert response.content[:2] == b"PK" and "attachment" in response.headers.get("Content-Disposition", ""), (
        f"geen ZIP-bijlage: {response.headers}")


@when(parsers.re(rf"de gebruiker een download van (?P<gemeente>{GEMEENTE}) opent"))
def _(keten, portaal: Browser, gemeente: str) -> None:
    """Open het adres van een bestand uit het downloadgebied van een andere gemeente.
    Voorbeeld: Als de gebruiker een download van Leiden (0546) opent
    """
    code = _gemeente(gemeente).code
    keten.wait_idle()
    items = keten.downloads(code)
    assert items, f"{gemeente} heeft niets in het downloadgebied"
    portaal.open(f"/portaal/downloads/{items[0]['id']}")


@then(parsers.re(rf"ziet de gebruiker in het portaal dat (?P<ander>{GEMEENTE}) een bestand heeft aangeleverd"))
def _(keten, portaal: Browser, ander: str) -> None:
    """Op de downloadpagina staat wat een partner van het samenwerkingsverband aanleverde.
    Voorbeeld: Dan ziet de gebruiker in het portaal dat Leiderdorp (0547) een bestand heeft aangeleverd
    """
    keten.wait_idle()
    portaal.open("/portaal/downloads")
    code = _gemeente(ander).code
    secties = [s for s in portaal.pagina.doc.find_class("partner") if f"({code})" in s.text_content()]
    assert secties and secties[0].find_class("partner-upload"), (
        f"de pagina toont geen upload van {ander}: {portaal.pagina.tekst[:600]}")


@given(parsers.re(rf"(?P<gemeente>{GEMEENTE}) heeft een rapport in het downloadgebied"))
def _(keten, gemeente: str) -> None:
    """Een andere gemeente levert via de gemeentesimulator aan en krijgt haar technisch rapport.
    Voorbeeld: Gegeven Leiden (0546) heeft een rapport in het downloadgebied
    """
    code = _gemeente(gemeente).code
    response = keten.compose_and_deliver(code, rijen=5, seed=1)
    assert response.status_code == 201, f"aanlevering voor {code} mislukte: {response.text[:300]}"
    keten.wait_for_download(code, 0, lambda d: d["soort"] == "rapport", "rapport")


# ----------------------------------------------------------- opt-in, intrekken


@when(parsers.re(r"de gebruiker via het portaal voor (?P<periode>H[12]\d{4}) (?:een )?(?P<besluit>opt-in|opt-out) "
                 r"geeft voor (?P<sets>(?:Wmo|Jeugd|SBO)(?:(?:, | en )(?:Wmo|Jeugd|SBO))*)"))
def _(portaal: Browser, periode: str, besluit: str, sets: str) -> None:
    """Vul de helft van het opt-in-scherm voor deze periode in en dien hem in.
    Voorbeeld: Als de gebruiker via het portaal voor H12016 een opt-in geeft voor Wmo en Jeugd
    """
    portaal.open("/portaal/optin")
    gekozen = [SET[s] for s in sets.replace(" en ", ", ").split(", ")]
    portaal.verstuur(portaal.formulier("/portaal/optin", periode), {f"besluit_{s}": besluit for s in gekozen})


@when(parsers.re(r"de gebruiker via het portaal de (?P<sets>(?:Wmo|Jeugd|SBO)(?:(?:, | en )(?:Wmo|Jeugd|SBO))*)-"
                 r"levering van (?P<periode>H[12]\d{4}) wil intrekken"))
def _(portaal: Browser, periode: str, sets: str) -> None:
    """Kies op het intrekscherm de sets van een periode; het portaal vraagt dan om bevestiging.
    Voorbeeld: Als de gebruiker via het portaal de Wmo en Jeugd-levering van H12016 wil intrekken
    """
    portaal.open("/portaal/intrekken")
    gekozen = [SET[s] for s in sets.replace(" en ", ", ").split(", ")]
    portaal.verstuur(portaal.formulier("/portaal/intrekken", periode), {"soort": gekozen})


@then("vraagt het portaal om bevestiging")
def _(portaal: Browser) -> None:
    """De bevestigingspagina noemt de periode en de sets.
    Voorbeeld: Dan vraagt het portaal om bevestiging
    """
    pagina = portaal.pagina
    assert pagina.response.url.endswith("/portaal/intrekken/bevestigen") and pagina.alle("samenvatting"), (
        f"geen bevestigingspagina: {pagina.response.url} {pagina.tekst[:300]}")


@when(parsers.re(r"de gebruiker de intrekking (?P<keuze>bevestigt|annuleert)"))
def _(portaal: Browser, keuze: str) -> None:
    """Kies 'Ja, trek de levering in' of 'Nee, annuleren'.
    Voorbeeld: Als de gebruiker de intrekking bevestigt
    """
    portaal.verstuur(portaal.formulier("/portaal/intrekken/bevestigen"),
                     {"bevestig": "ja" if keuze == "bevestigt" else "nee"})


@then(parsers.re(r'toont het portaal de bevestiging "(?P<tekst>[^"]+)" met een GGk-referentienummer'))
def _(portaal: Browser, tekst: str) -> None:
    """Het besluit of de intrekking is aangenomen: de melding en een referentie op de pagina.
    Voorbeeld: Dan toont het portaal de bevestiging "ontvangen" met een GGk-referentienummer
    """
    ok = portaal.pagina.alle("ok")
    assert ok and tekst in ok[0], f"geen bevestiging met '{tekst}': {portaal.pagina.tekst[:500]}"
    assert any(re.fullmatch(r"\d{8}-\d{6}-\d{3}", r) for r in portaal.referenties().values()), (
        f"geen referentie op de pagina: {portaal.pagina.tekst[:400]}")


# ------------------------------------------------------------------------ roles


@when(parsers.re(r"de gebruikersbeheerder de CBS-rol (?P<actie>toekent aan|intrekt bij) "
                 r"(?P<wie>de medewerker|de nieuwe medewerker)"))
def _(portaal: Browser, actie: str, wie: str) -> None:
    """De gebruikersbeheerder wijzigt op de rollenpagina de CBS-rol van een medewerker.
    Voorbeeld: Als de gebruikersbeheerder de CBS-rol toekent aan de nieuwe medewerker
    """
    portaal.open("/portaal/rollen")
    rij = [r for r in portaal.pagina.doc.xpath("//tr[@data-identiteit]")
           if r.get("data-identiteit").endswith(":" + PERSONA[wie])]
    assert rij, f"{wie} staat niet op de rollenpagina: {portaal.pagina.tekst[:400]}"
    form = rij[0].xpath(".//form")[0]
    verwacht = "toekennen" if actie == "toekent aan" else "intrekken"
    assert dict(form.form_values())["actie"] == verwacht, f"de knop bij {wie} is niet '{verwacht}'"
    portaal.verstuur(form)
