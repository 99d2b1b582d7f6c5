"""What CBS sends and receives on the wire, built and read in one place.

CBS has no StUF interface of its own: it works through RINIS's folder API (seed 000
ch.7, ``docs/keten.md``). In: the announcement RINIS posts when it placed a file in CBS's
inbox (``{"map", "id", "metagegevens_id"}``), the folder listing, and the files CBS
fetches (the name in the ``X-Bestandsnaam`` header). Out: "picked up", a PDF report put
in the send folder, and the refusal of a file CBS cannot read or accept (a foutcode and
an omschrijving, which RINIS turns into a Fo01 from CBS). The paths and field names live
here and nowhere else; what to fetch, check and send is ``backend.py``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from ..courier import Courier
from ..gmsd import metagegevens


@dataclass(frozen=True)
class Announcement:
    """RINIS placed a file (and its metadata record, if any) in a folder of CBS."""

    folder: str
    file_id: int
    metagegevens_id: int | None


def read_announcement(data: Any) -> Announcement | None:
    """The announcement in a JSON body, or None when it is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("id"), int) or not isinstance(
            data.get("map"), str):
        return None
    meta_id = data.get("metagegevens_id")
    return Announcement(data["map"], data["id"], meta_id if isinstance(meta_id, int) else None)


def read_metagegevens(inhoud: bytes) -> metagegevens.Metagegevens:
    """The metadata record RINIS placed beside a delivered file."""
    return metagegevens.from_xml(inhoud)


def refusal_omschrijving(naam: str, melding: str, unreadable: bool) -> str:
    """The omschrijving of CBS's refusal of a file, as the gemeente reads it in the Fo01
    (at most 200 characters, the name cut to 60)."""
    naam = naam[:60]
    return (f"Het CBS kan '{naam}' niet lezen: {melding}" if unreadable
            else f"Het CBS weigert '{naam}': {melding}")[:200]


@dataclass(frozen=True)
class Answer:
    """RINIS's answer to a call that changes something: its status and the start of its text."""

    status: int
    text: str


class RinisFolders:
    """CBS's calls to RINIS's folder API; ``base_url`` is asked on every call (the chain
    fills in RINIS's address after CBS is made)."""

    def __init__(self, courier: Courier, base_url: Callable[[], str]) -> None:
        self.courier = courier
        self.base_url = base_url

    def listing(self, folder: str, only_new: bool = False) -> list[dict]:
        """The files in a folder (``only_new``: not yet picked up), each with its id, naam and
        metagegevens_id."""
        response = self.courier.request("GET", f"{self.base_url()}/mappen/{folder}",
                                        params={"nieuw": "1"} if only_new else None)
        response.raise_for_status()
        return response.json()

    def fetch(self, folder: str, file_id: int) -> tuple[str, bytes]:
        """(name, bytes) of a file in a folder."""
        response = self.courier.request("GET", f"{self.base_url()}/mappen/{folder}/{file_id}")
        response.raise_for_status()
        return unquote(response.headers.get("X-Bestandsnaam", "")), response.content

    def picked_up(self, folder: str, file_id: int) -> None:
        """Tell RINIS a file was fetched (its answer changes nothing for CBS)."""
        self.courier.request("POST", f"{self.base_url()}/mappen/{folder}/{file_id}/opgehaald")

    def put(self, folder: str, naam: str, pdf: bytes) -> Answer:
        """Place a PDF report in a send folder: 201 placed, 200 RINIS had it already."""
        response = self.courier.request("PUT", f"{self.base_url()}/mappen/{folder}/{naam}", data=pdf,
                                        headers={"Content-Type": "application/pdf"})
        return Answer(response.status_code, response.text[:200])

    def refuse(self, folder: str, file_id: int, code: str, omschrijving: str) -> Answer:
        """Refuse a file CBS fetched: RINIS sends the gemeente a Fo01 from CBS."""
        response = self.courier.request("POST", f"{self.base_url()}/mappen/{folder}/{file_id}/geweigerd",
                                        json={"code": code, "omschrijving": omschrijving})
        return Answer(response.status_code, response.text[:200])
