"""What the gemeente sends and receives on the wire, built and read in one place.

To the GGk web service: the upload (multipart: gemeentecode, gebruiker, one part ``bestand``
per file), whose JSON answer names a GGk reference per CSV; then, when told, the listing of
its download area and the download itself. From the GGk: the notification that a download
is ready (``{"gemeentecode", "download_id"}``). The paths and field names live here and
nowhere else; what to send, and when, is ``backend.py``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..courier import Courier


@dataclass(frozen=True)
class UploadAnswer:
    """The GGk's answer to an upload: its HTTP status and JSON, as they came."""

    status: int
    answer: Any
    content: bytes
    text: str

    @property
    def accepted(self) -> bool:
        return self.status == 201

    @property
    def references(self) -> list[str]:
        """The GGk reference of every CSV uploaded, in order."""
        return [r["referentie"] for u in self.answer.get("uploads", []) for r in u["referenties"]]


@dataclass(frozen=True)
class Download:
    """One item of the gemeente's download area at the GGk: a report or a Fo01 error report."""

    id: int
    soort: str
    bestandsnaam: str
    content_type: str
    crossRefnummer: str | None
    correlatie: str | None


@dataclass(frozen=True)
class Notification:
    """The GGk tells the gemeente a download is ready."""

    gemeentecode: str
    download_id: int


def read_notification(data: Any) -> Notification | None:
    """The notification in a JSON body, or None when it is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("download_id"), int) or not data.get(
            "gemeentecode"):
        return None
    return Notification(str(data["gemeentecode"]), data["download_id"])


class GgkWebService:
    """The gemeente's calls to the GGk web service; ``base_url`` is asked on every call (the
    chain fills in the GGk's address after the gemeente is made)."""

    def __init__(self, courier: Courier, base_url: Callable[[], str]) -> None:
        self.courier = courier
        self.base_url = base_url

    def upload(self, gemeentecode: str, gebruiker: str, files: list[tuple[str, bytes]]) -> UploadAnswer:
        response = self.courier.request(
            "POST", self.base_url() + "/api/v1/uploads", gemeentecode=gemeentecode,
            data={"gemeentecode": gemeentecode, "gebruiker": gebruiker},
            files=[("bestand", (name, data)) for name, data in files])
        return UploadAnswer(response.status_code, response.json(), response.content, response.text)

    def download_item(self, gemeentecode: str, download_id: int) -> Download | None:
        """The listing's entry for this download, or None when it is not (yet) there."""
        listing = self.courier.request(
            "GET", f"{self.base_url()}/api/v1/gemeenten/{gemeentecode}/downloads", gemeentecode=gemeentecode,
            params={"na": download_id - 1}).json()
        item = next((i for i in listing if i["id"] == download_id), None)
        if item is None:
            return None
        return Download(item["id"], item["soort"], item["bestandsnaam"], item["content_type"],
                        item["crossRefnummer"], item["correlatie"])

    def download(self, gemeentecode: str, download_id: int, gebruiker: str = "") -> bytes:
        """One file of the download area, fetched as ``gebruiker`` (the GGk audits who fetched)."""
        response = self.courier.request(
            "GET", f"{self.base_url()}/api/v1/gemeenten/{gemeentecode}/downloads/{download_id}",
            gemeentecode=gemeentecode, params={"gebruiker": gebruiker} if gebruiker else None)
        response.raise_for_status()
        return response.content
