"""The report naming convention agreed between CBS and RINIS (the seeds leave it open).

``CBS_<SOORT>_<gemeentecode>_<code uitvraag>_<GGk referentie>.pdf``, e.g.
``CBS_TECHNISCH_0363_H12016_20160815-101500-001.pdf``. RINIS reads the addressee
(gemeentecode) and the GGk reference from the name, so a report needs no sidecar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .periodes import PATROON

PATTERN = re.compile(
    r"CBS_(?P<soort>[A-Z0-9]+)_(?P<gemeentecode>[0-9]{4})_(?P<periode>" + PATROON + "|ONBEKEND)"
    r"_(?P<referentie>[0-9]{8}-[0-9]{6}-[0-9]{3,})\.pdf"
)


@dataclass(frozen=True)
class Rapportnaam:
    soort: str
    gemeentecode: str
    periode: str
    referentie: str


def parse(naam: str) -> Rapportnaam | None:
    match = PATTERN.fullmatch(naam)
    return Rapportnaam(**match.groupdict()) if match else None
