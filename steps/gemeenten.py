"""Gemeenten as the Gherkin names them: ``Leiden (0546)``, name and code together, checked
against CBS's list (``simulators.gmsd.gemeenten``). Shared by every step module that names
more than the scenario's own gemeente."""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulators.gmsd.gemeenten import gemeenten

GEMEENTE = r"[^()]+ \(\d{4}\)"
"""A gemeente in a step sentence, for building step patterns."""
_NAAM_EN_CODE = re.compile(r"(?P<naam>[^()]+) \((?P<code>\d{4})\)")


@dataclass
class Gemeente:
    code: str
    naam: str


def parse_gemeente(tekst: str) -> Gemeente:
    """``'Leiden (0546)'`` -> ``Gemeente('0546', 'Leiden')``; fails when name and code do not belong together."""
    match = _NAAM_EN_CODE.fullmatch(tekst.strip())
    assert match, f"'{tekst}' is geen gemeente als 'Leiden (0546)'"
    naam = gemeenten().get(match["code"])
    assert naam == match["naam"].strip(), f"{match['code']} is {naam}, niet {match['naam']}"
    return Gemeente(match["code"], naam)
