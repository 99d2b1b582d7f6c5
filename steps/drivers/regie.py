"""The regie over HTTP: the coordinator's page and its data for scripts (``ketentest/regie``).

Every path of the regie lives here. The browser steps (``steps/regie.py``) open
:class:`RegiePagina` addresses; a script's view (JSON, CSV) goes through :class:`RegieDriver`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import requests

from .base import ChainError


class RegiePagina(StrEnum):
    """The regie's addresses; the driver puts its base address before them."""

    OVERZICHT = "/"
    LEVERINGEN = "/api/leveringen"
    CSV = "/api/leveringen.csv"
    KETEN = "/api/keten"

    @classmethod
    def levering(cls, referentie: str) -> str:
        return f"/levering/{referentie}"


class RegieDriver:
    """The regie at ``base``, read as a script reads it."""

    def __init__(self, base: str, session: requests.Session, timeout: float = 10.0) -> None:
        self.base = base.rstrip("/")
        self.session = session
        self.timeout = timeout

    def __repr__(self) -> str:  # short: Allure prints step arguments with repr()
        return f"RegieDriver({self.base})"

    def url(self, pad: str) -> str:
        return self.base + pad

    def leveringen(self, **filters: str) -> dict[str, Any]:
        """``/api/leveringen`` with these filters (gemeente, periode, soort, toestand, ...)."""
        return self._json(RegiePagina.LEVERINGEN, filters)

    def csv(self, **filters: str) -> str:
        response = self.session.get(self.url(RegiePagina.CSV), params=filters, timeout=self.timeout)
        if response.status_code != 200:
            raise ChainError(f"de regie gaf HTTP {response.status_code} op de CSV: {response.text[:200]}")
        return response.content.decode("utf-8")

    def keten(self) -> dict[str, Any]:
        """The parties and the books per hop, as the regie sees them."""
        return self._json(RegiePagina.KETEN, {})

    def _json(self, pad: str, params: dict[str, str]) -> dict[str, Any]:
        response = self.session.get(self.url(pad), params=params, timeout=self.timeout)
        if response.status_code != 200:
            raise ChainError(f"de regie gaf HTTP {response.status_code} op {pad}: {response.text[:200]}")
        return response.json()
