"""The GGk portal over plain HTTP, as a browser without JavaScript would use it: for the
HTTP-level tests of the portal (tests/test_portaal.py), which check status codes, CSRF and
form handling faster than a real browser can. The Gherkin scenarios use Chromium instead
(steps/portaal.py, steps/chromium.py).

:class:`Browser` keeps the cookies, reads each page with lxml.html and submits its forms
with the values the page holds (hidden fields, the CSRF token, checked boxes; not the
fields of a disabled fieldset).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import allure
import lxml.html
import requests

from steps.drivers import ChainError, PortaalPagina


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
        self.open(PortaalPagina.INLOGGEN)
        return self.verstuur(self.formulier(PortaalPagina.INLOGGEN),
                             {"gemeente": gemeentecode, "persoon": persoon, "niveau": niveau})

    def referenties(self) -> dict[str, str]:
        """CSV name -> GGk reference, as the page shows them."""
        doc = self.pagina.doc
        return {" ".join(r[0].text_content().split()): " ".join(r[1].text_content().split())
                for r in doc.xpath("//table[contains(@class, 'referenties')]/tbody/tr")} if doc is not None else {}
