"""The gemeente simulator over HTTP: it composes test files, uploads them to the GGk and
fetches its reports (``simulators/gemeente/views.py``)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests

from .base import PartyDriver

AANLEVERINGEN = "/api/v1/aanleveringen"
RAPPORTEN = "/api/v1/rapporten"


class GemeenteDriver(PartyDriver):
    """What the harness asks of the gemeente simulator."""

    name = "gemeente"
    INGANG = "/notificaties"
    """The GGk's notifications of a new download come in here."""
    ROLES = (("/notificaties", "ggk"),)

    def deliver(self, gemeentecode: str, files: list[tuple[str, bytes]]) -> requests.Response:
        """Upload these files through the gemeente simulator (it logs and uploads to the GGk)."""
        return self.post(AANLEVERINGEN, data={"gemeentecode": gemeentecode},
                         files=[("bestand", (name, data)) for name, data in files])

    def compose_and_deliver(self, gemeentecode: str, **spec) -> requests.Response:
        """Let the simulator compose a file from ``spec`` (soort, rijen, seed...) and upload it."""
        return self.post(AANLEVERINGEN, json={"gemeentecode": gemeentecode, **spec})

    def compose_and_deliver_many(self, specs: list[dict], workers: int = 4) -> list[requests.Response]:
        """Several compose-and-deliver calls side by side, as gemeenten do (a session is not
        shared between threads: each call has its own connection)."""
        url = self.url(AANLEVERINGEN)
        tls = {} if self.tls is None else {"verify": self.tls.ca, "cert": self.tls.cert(self.role(AANLEVERINGEN))}
        with ThreadPoolExecutor(workers) as pool:
            return list(pool.map(lambda spec: requests.post(url, json=spec, timeout=self.timeout + 5, **tls),
                                 specs))

    def reports(self, gemeentecode: str | None = None) -> list[dict]:
        """The reports the simulator fetched from its download areas (of one gemeente, when given)."""
        params = {"gemeentecode": gemeentecode} if gemeentecode else None
        return self.get(RAPPORTEN, params=params).json()
