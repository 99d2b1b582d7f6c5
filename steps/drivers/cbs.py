"""The CBS over HTTP: what it received, its delivery register, the opt-in files, its audit log
and spiegelrapport II (``simulators/cbs/views.py``)."""

from __future__ import annotations

from .base import ChainError, PartyDriver

AANLEVERINGEN = "/api/v1/aanleveringen"
STATUS = "/api/v1/status"
OPTIN = "/api/v1/optin"
SPIEGELRAPPORTEN2 = "/api/v1/spiegelrapporten2"
AUDIT = "/_beheer/audit"


class CbsDriver(PartyDriver):
    """What the harness asks of the CBS."""

    name = "cbs"
    INGANG = "/rinis/"
    """RINIS's announcements of a new file come in here."""
    ROLES = (("/rinis/nieuw", "rinis"),)
    """On a TLS chain the harness announces a file as RINIS."""

    def aanleveringen(self) -> list[dict]:
        """Every file the CBS fetched from its inbox, with the reports it made about it."""
        return self.get(AANLEVERINGEN).json()

    def status(self, **filters: str) -> list[dict]:
        """The delivery register (``gemeente``, ``periode``, ``soort``), newest delivery first."""
        response = self.get(STATUS, params=filters)
        response.raise_for_status()
        return response.json()

    def optins(self) -> list[dict]:
        """The opt-in and withdrawal files the CBS received, and what it made of each."""
        return self.get(OPTIN).json()

    def audit(self, gemeentecode: str | None = None) -> list[dict]:
        """The CBS's audit log of signed decisions (of one gemeente, when given)."""
        response = self.get(AUDIT, params={"gemeente": gemeentecode} if gemeentecode else {})
        response.raise_for_status()
        return response.json()

    def send_spiegelrapporten2(self, periode: str) -> int:
        """Send spiegelrapport II for this period; returns how many went out."""
        response = self.post(SPIEGELRAPPORTEN2, json={"periode": periode})
        if response.status_code != 202:
            raise ChainError(f"CBS verstuurde geen spiegelrapport II: {response.text[:300]}")
        return response.json()["verzonden"]
