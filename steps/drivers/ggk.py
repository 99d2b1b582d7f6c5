"""The GGk over HTTP: its web service for gemeenten (uploads, the download area, opt-in,
withdrawal, partnerships, e-mail), its StUF endpoint, and the pages of its portal
(``simulators/ggk/views.py``, ``simulators/ggk/portaal/``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum

import requests

from .base import ChainError, NoAnswerError, StufPartyDriver

UPLOADS = "/api/v1/uploads"
MAILS = "/api/v1/mails"
SAMENWERKINGSVERBANDEN = "/_beheer/samenwerkingsverbanden"
AUDIT = "/_beheer/audit"


def _gemeente_path(gemeentecode: str, path: str = "") -> str:
    return f"/api/v1/gemeenten/{gemeentecode}{path}"


class PortaalPagina(StrEnum):
    """The portal's pages a person opens by address, or lands on (the rest they reach by
    clicking). A value is a path; the browser puts the GGk's address before it."""

    INLOGGEN = "/portaal/inloggen"
    CBS = "/portaal/cbs"
    ROLLEN = "/portaal/rollen"
    DOWNLOADS = "/portaal/downloads"
    OPTIN = "/portaal/optin"
    INTREKKEN = "/portaal/intrekken"
    INTREKKEN_BEVESTIGEN = "/portaal/intrekken/bevestigen"

    @classmethod
    def download(cls, download_id: int) -> str:
        """The address of one file of the download area."""
        return f"{cls.DOWNLOADS}/{download_id}"


class GgkDriver(StufPartyDriver):
    """What the harness asks of the GGk, as a gemeente's software, RINIS or a person would."""

    name = "ggk"
    SENDER = "rinis"
    ROLES = (("/stuf/", "rinis"),)

    def role(self, path: str) -> str:
        """A gemeente's own paths: its software, with its certificate."""
        if path.startswith(_gemeente_path("")):
            return path.split("/")[4]
        return super().role(path)

    # ------------------------------------------------------------- uploads

    def upload(self, gemeentecode: str, files: list[tuple[str, bytes]], gebruiker: str = "harness@ketentest.nl",
               namens: list[str] | None = None, **tls) -> requests.Response:
        """Upload straight to the GGk web service, as a gemeente's own software would (the
        uitvoerder of a samenwerkingsverband: ``namens`` its members). ``tls``: on a TLS chain,
        ``cert`` to show another certificate than the gemeente's (None: none)."""
        form = {"gemeentecode": gemeentecode, "gebruiker": gebruiker}
        if namens:
            form["namens"] = ",".join(namens)
        return self.post(UPLOADS, data=form, files=[("bestand", (name, data)) for name, data in files],
                         als=gemeentecode, **tls)

    def uploads(self, gemeentecode: str) -> list[dict]:
        """What the gemeente uploaded, oldest first, with each upload's moment and references."""
        return self.get(_gemeente_path(gemeentecode, "/uploads")).json()

    # ------------------------------------------------------- download area

    def downloads(self, gemeentecode: str, na: int = 0, wacht: float = 0) -> list[dict]:
        """The gemeente's download area after id ``na``; ``wacht``: long-poll that many seconds
        for something new."""
        response = self.get(_gemeente_path(gemeentecode, "/downloads"), params={"na": na, "wacht": wacht})
        response.raise_for_status()
        return response.json()

    def wait_for_download(self, gemeentecode: str, na: int, predicate: Callable[[dict], bool], what: str) -> dict:
        """Wait (long-poll, at most ``timeout`` s) for a download after ``na`` matching ``predicate``."""
        deadline = time.monotonic() + self.timeout
        seen: list[dict] = []
        while (remaining := deadline - time.monotonic()) > 0:
            new = self.downloads(gemeentecode, na, wacht=remaining)
            for item in new:
                seen.append(item)
                if predicate(item):
                    return item
            na = max([na, *(i["id"] for i in new)])
        raise NoAnswerError(f"geen {what} in het downloadgebied van {gemeentecode}; wel gezien: "
                            f"{[i['bestandsnaam'] for i in seen] or 'niets nieuws'}", self.timeout)

    def download(self, gemeentecode: str, download_id: int) -> bytes:
        """One file of the download area."""
        response = self.get(_gemeente_path(gemeentecode, f"/downloads/{download_id}"))
        response.raise_for_status()
        return response.content

    def try_downloads(self, gemeentecode: str, **tls) -> requests.Response:
        """The download area's list as it is answered, refusal included (``tls``: the ``cert`` shown)."""
        return self.get(_gemeente_path(gemeentecode, "/downloads"), **tls)

    def try_download(self, gemeentecode: str, download_id: int, **tls) -> requests.Response:
        """One file of the download area as it is answered, refusal included."""
        return self.get(_gemeente_path(gemeentecode, f"/downloads/{download_id}"), **tls)

    @staticmethod
    def downloads_path(gemeentecode: str) -> str:
        """The path under which the gemeente fetches its files (a fault's ``pad``)."""
        return _gemeente_path(gemeentecode, "/downloads/")

    # ------------------------------------------- people, opt-in, withdrawal

    def register_user(self, gemeentecode: str, email: str, naam: str, telefoon: str) -> requests.Response:
        """Register an employee with a personal e-mail address."""
        return self.post(_gemeente_path(gemeentecode, "/gebruikers"),
                         json={"email": email, "naam": naam, "telefoon": telefoon})

    def submit_optin(self, gemeentecode: str, form: dict) -> requests.Response:
        """An opt-in or opt-out through the web service."""
        return self.post(_gemeente_path(gemeentecode, "/optin"), json=form)

    def submit_intrekking(self, gemeentecode: str, form: dict) -> requests.Response:
        """A withdrawal of a period's delivery through the web service."""
        return self.post(_gemeente_path(gemeentecode, "/intrekken"), json=form)

    def mails(self, aan: str) -> list[dict]:
        """The GGk's outbox: what it mailed to this address."""
        return self.get(MAILS, params={"aan": aan}).json()

    # ------------------------------------------------ samenwerkingsverbanden

    def set_samenwerkingsverbanden(self, verbanden: list[dict]) -> None:
        response = self.put(SAMENWERKINGSVERBANDEN, json=verbanden)
        if response.status_code != 200:
            raise ChainError(f"het GGk nam het samenwerkingsverband niet aan: {response.text[:300]}")

    def samenwerking(self, gemeentecode: str) -> dict | list:
        """What a member sees of its samenwerkingsverband."""
        return self.get(_gemeente_path(gemeentecode, "/samenwerking")).json()

    # ------------------------------------------------------------ the portal

    def audit(self, gemeentecode: str | None = None) -> list[dict]:
        """The portal's audit log (of one gemeente, when given)."""
        response = self.get(AUDIT, params={"gemeente": gemeentecode} if gemeentecode else {})
        response.raise_for_status()
        return response.json()
