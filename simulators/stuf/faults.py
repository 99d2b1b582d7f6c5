"""Refusals as exceptions that carry their StUF wire form.

A receiving party raises :class:`StufError` from its checks; the view turns it into a
Fo03 (synchronous, envelope checks) or the party's outbox turns it into a Fo01
(asynchronous, found while processing). Codes come from StUF 03.01 table 4.1 and the
ISD-keten error list; ``docs/foutcodes.md`` lists every one the simulators use.
"""

from __future__ import annotations

import re

from .model import Foutbericht

FOUTCODE = re.compile(r"[A-Za-z]{2,10}\d{1,5}")
"""What a foutcode looks like: StUF055, IB213, RIN001, KT001."""


class StufError(Exception):
    """A refusal with a StUF foutcode, plek (client/server) and Dutch omschrijving."""

    def __init__(
        self,
        code: str,
        omschrijving: str,
        plek: str = "client",
        details: str | None = None,
        detailsXML: bytes | None = None,
    ) -> None:
        super().__init__(f"{code}: {omschrijving}")
        if plek not in ("client", "server"):
            raise ValueError(f"plek must be 'client' or 'server', not {plek!r}")
        self.foutbericht = Foutbericht(code, plek, omschrijving, details, detailsXML)

    @property
    def code(self) -> str:
        return self.foutbericht.code


# StUF 03.01 table 4.1: the standard's own texts, for the codes the simulators raise.
STUF_OMSCHRIJVING = {
    "StUF010": "Combinatie van ontvangende organisatie, applicatie en administratie onbekend",
    "StUF013": "Combinatie van zendende organisatie, applicatie en administratie onbekend",
    "StUF016": "Combinatie zender en referentienummer niet uniek",
    "StUF022": "Berichtcode onbekend",
    "StUF025": "Berichtcode niet ondersteund",
    "StUF034": "Functie onbekend binnen sectormodel",
    "StUF046": "Opslaan bericht niet mogelijk",
    "StUF055": "Berichtbody is niet conform schema in sectormodel",
    "StUF058": "Proces voor afhandelen bericht geeft fout",
}


def stuf_error(code: str, toelichting: str = "", plek: str | None = None) -> StufError:
    """A fault with the standard's text for ``code``, followed by a readable reason."""
    tekst = STUF_OMSCHRIJVING[code]
    if toelichting:
        tekst = f"{tekst}: {toelichting}"
    server_side = {"StUF025", "StUF046", "StUF058"}
    return StufError(code, tekst[:200], plek or ("server" if code in server_side else "client"))
