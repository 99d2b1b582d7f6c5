"""The ISD-keten's Fo01 codes, and which one a gemeente gets for a refusal between hops.

Between the infrastructure parties an envelope check is answered with a Fo03 carrying a
code of StUF 03.01 table 4.1. A gemeente only ever receives a Fo01, from IB, and the
official ISD-keten error list (revisie 3, 2018; ``docs/foutcodes.md``) has codes of its own
for most of those situations. Where one fits, the GGk puts it in the gemeente's Fo01 and
keeps the original code in ``details``; where none fits the code passes unchanged.
"""

from __future__ import annotations

ISD_OMSCHRIJVING = {
    "StUF055": "Berichtbody is niet conform schema",
    "IB002": "Organisatie niet geautoriseerd",
    "IB007": "Bericht te groot",
    "IB009": "(Cross)referentienummer is geen geldige UUID",
    "IB101": "Geen geldige CPA",
    "IB102": "Geen routering bekend",
    "IB103": "Berichttype tijdelijk geblokkeerd",
    "IB210": "Ontvangende organisatie onbekend",
    "IB213": "Zendende organisatie onbekend",
    "IB216": "Combinatie zender en referentienummer niet uniek",
    "IB234": "Combinatie functie en organisatie niet toegestaan",
    "IB240": "Combinatie berichtcode en functie niet toegestaan",
    "IB798": "StUF-versie wijkt af",
    "RIN001": "Asynchrone algemene fout (RINIS)",
}
"""The official ISD-keten Fo01 codes and their meaning (abridged, Dutch)."""

VOOR_GEMEENTE = {
    "StUF001": "IB798",   # Versie StUF niet ondersteund
    "StUF010": "IB210",   # ontvangende organisatie onbekend
    "StUF013": "IB213",   # zendende organisatie onbekend
    "StUF016": "IB216",   # zender + referentienummer niet uniek
    "StUF022": "IB240",   # berichtcode onbekend
    "StUF025": "IB240",   # berichtcode niet ondersteund (voor deze functie)
    "StUF034": "IB102",   # functie onbekend: RINIS kent geen route voor dit soort uitwisseling
}
"""A Fo03 code between hops → the ISD-keten code the gemeente's Fo01 carries. Codes not
listed (StUF055, IB007, IB009, IB103, StUF046, StUF058, ...) pass unchanged."""


def code_voor_gemeente(code: str) -> str:
    """The foutcode a gemeente sees for a refusal with ``code`` further down the chain."""
    return VOOR_GEMEENTE.get(code, code)
