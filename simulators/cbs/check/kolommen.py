"""The columns and code lists of a GMSD file, as CBS's check knows them.

This module owns CBS's own copy of ``docs/bestanden.md``: per soort the columns in
their order, which must be filled and how long each may be, and the valid codes. It
does not import the gemeente's generator, because CBS and the gemeente's software must
be able to disagree.
"""

from typing import NamedTuple

SOORTEN: tuple[str, ...] = ("WMO", "SBO", "JEUGD")
ONBEKEND = "ONBEKEND"
"""Soort of a file whose name does not say WMO, SBO or JEUGD."""
ZIP = "ZIP"
"""Soort of a delivered ZIP as a whole, when CBS refuses to unpack it: only TC00 applies."""

SEPARATOR = ";"

AANMAAKDATUM = "Aanmaakdatum bestand"
GEMEENTECODE = "Gemeentecode"
BSN = "BSN"
TYPE_MAATWERKARRANGEMENT = "Type maatwerkarrangement"
TYPE_INSTELLING = "Type instelling"
BEOOGDE_START = "Beoogde startdatum ondersteuning"
BEOOGDE_EINDE = "Beoogde einddatum ondersteuning"
LEVERINGSVORM = "Leveringsvorm"
START = "Datum start daadwerkelijke ondersteuning"
EINDE = "Einddatum ondersteuning"
INTENSITEIT = "Intensiteit"
BETAALD_BEDRAG = "Daadwerkelijk betaald bedrag"
REDEN_BEEINDIGING = "Reden beëindiging"
CODE_UITVRAAG = "Code uitvraag"
IV3_CATEGORIE = "Iv3-categorie"
TYPE_VOORZIENING = "Type voorziening"
KOSTEN = "Kosten"


class Kolom(NamedTuple):
    """A column of a GMSD file: its name, whether it must be filled, its maximum length."""

    naam: str
    verplicht: bool
    max_lengte: int


KOLOMMEN: dict[str, tuple[Kolom, ...]] = {
    "WMO": (
        Kolom(AANMAAKDATUM, True, 14),
        Kolom(GEMEENTECODE, True, 4),
        Kolom(BSN, True, 9),
        Kolom(TYPE_MAATWERKARRANGEMENT, True, 2),
        Kolom(TYPE_INSTELLING, True, 8),
        Kolom(BEOOGDE_START, False, 8),  # this one or START: TC07
        Kolom(BEOOGDE_EINDE, False, 8),
        Kolom(LEVERINGSVORM, False, 3),
        Kolom(START, False, 8),
        Kolom(EINDE, False, 8),
        Kolom(INTENSITEIT, False, 3),
        Kolom(BETAALD_BEDRAG, False, 12),
        Kolom(REDEN_BEEINDIGING, False, 2),
    ),
    "SBO": (
        Kolom(AANMAAKDATUM, True, 14),
        Kolom(GEMEENTECODE, True, 4),
        Kolom(CODE_UITVRAAG, True, 6),
        Kolom(IV3_CATEGORIE, True, 3),
        Kolom(KOSTEN, True, 12),
    ),
    "JEUGD": (
        Kolom(AANMAAKDATUM, True, 14),
        Kolom(GEMEENTECODE, True, 4),
        Kolom(CODE_UITVRAAG, True, 6),
        Kolom(TYPE_VOORZIENING, True, 2),
        Kolom(KOSTEN, True, 12),
    ),
}
KOPREGELS: dict[str, tuple[str, ...]] = {
    soort: tuple(kolom.naam for kolom in kolommen) for soort, kolommen in KOLOMMEN.items()
}
WMO_HEADER = KOPREGELS["WMO"]
SBO_HEADER = KOPREGELS["SBO"]
JEUGD_HEADER = KOPREGELS["JEUGD"]

DATUMKOLOMMEN: dict[str, tuple[str, ...]] = {
    "WMO": (BEOOGDE_START, BEOOGDE_EINDE, START, EINDE),
    "SBO": (),
    "JEUGD": (),
}
STARTKOLOMMEN = (BEOOGDE_START, START)
EINDKOLOMMEN = (BEOOGDE_EINDE, EINDE)
START_EN_EINDE = ((BEOOGDE_START, BEOOGDE_EINDE), (START, EINDE))
"""Which end date may not lie before which start date: planned with planned, actual with actual."""

PRODUCTCATEGORIEEN = frozenset(f"{code:02d}" for code in range(1, 19))
LEVERINGSVORMEN = frozenset({"ZIN", "PGB"})
REDENEN_BEEINDIGING = frozenset(f"{code:02d}" for code in range(1, 6))
IV3_CATEGORIEEN = frozenset({"670", "671"})
TYPES_VOORZIENING = frozenset(f"{code:02d}" for code in range(1, 6))
CATEGORIEKOLOM = {"SBO": (IV3_CATEGORIE, IV3_CATEGORIEEN), "JEUGD": (TYPE_VOORZIENING, TYPES_VOORZIENING)}
"""The column whose valid codes may occur only once in an SBO or JEUGD file (TC16)."""
