"""RINIS over HTTP: its StUF endpoint and the folder API the CBS uses (``simulators/rinis/views.py``)."""

from __future__ import annotations

import requests

from .base import StufPartyDriver

INBOX = "RGMSD001"
"""The CBS's inbox at RINIS: the files of the gemeenten, with their metadata."""
VERZENDMAP = "RGMSD101"
"""The CBS's send folder at RINIS: the reports it places for the gemeenten."""
BLOKKADES = "/_beheer/blokkades"


class RinisDriver(StufPartyDriver):
    """What the harness asks of RINIS, as the GGk or the CBS would."""

    name = "rinis"
    SENDER = "ggk"
    ROLES = (("/stuf/", "ggk"), ("/mappen", "cbs"))

    @staticmethod
    def folder_path(folder: str) -> str:
        """The path of a folder (a fault's ``pad``)."""
        return f"/mappen/{folder}"

    def folder(self, folder: str) -> list[dict]:
        """What a folder holds, oldest first."""
        response = self.get(self.folder_path(folder))
        response.raise_for_status()
        return response.json()

    def try_folder(self, folder: str, **tls) -> requests.Response:
        """A folder's list as it is answered, refusal included (``tls``: the ``cert`` shown)."""
        return self.get(self.folder_path(folder), **tls)

    def folder_after(self, folder: str, mark: int) -> list[dict]:
        """What a folder holds with an id above ``mark``: what came since the mark was taken."""
        return [item for item in self.folder(folder) if item["id"] > mark]

    def folder_mark(self, folder: str) -> int:
        """The highest id in a folder (0 when empty): the mark of what was there before."""
        return max((item["id"] for item in self.folder(folder)), default=0)

    def folder_file(self, folder: str, file_id: int) -> bytes:
        """One file of a folder, as the CBS fetches it."""
        response = self.get(f"{self.folder_path(folder)}/{file_id}")
        response.raise_for_status()
        return response.content

    def place_in_folder(self, folder: str, naam: str, inhoud: bytes) -> requests.Response:
        """Put a PDF in a folder, as the CBS places a report."""
        return self.put(f"{self.folder_path(folder)}/{naam}", data=inhoud,
                        headers={"Content-Type": "application/pdf"})

    def refuse_file(self, folder: str, file_id: int, code: str, omschrijving: str) -> requests.Response:
        """Refuse a file of a folder as unreadable, as the CBS does."""
        return self.post(f"{self.folder_path(folder)}/{file_id}/geweigerd",
                         json={"code": code, "omschrijving": omschrijving})

    def block(self, functie: str) -> requests.Response:
        """Take no messages with this functie for a while (Fo03 IB103), until the next reset."""
        return self.put(BLOKKADES, json={"functie": functie})
