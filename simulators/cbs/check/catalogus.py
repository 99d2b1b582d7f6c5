"""The rule catalogue: every rule's id, Dutch text, soorten, ernst and test, in order.

TC00 judges a delivered ZIP that CBS refused to unpack (soort ZIP, :func:`check_zip`);
every other rule judges one CSV/TXT file.

This module owns :data:`RULES`, the order in which an Oordeel lists its Bevindingen,
and :func:`catalogus`, the rows ``docs/controles.md`` and the reports show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from .inlezen import Aanlevering
from .kolommen import ONBEKEND, SOORTEN, ZIP
from .meldingen import Uitkomst
from .oordeel import ERNSTEN, FOUT, MAX_REGELS, WAARSCHUWING, Bevinding
from .regels_bestand import (
    tc00_zip,
    tc01_bestandsnaam,
    tc02_verslagperiode,
    tc03_utf8,
    tc04_csv_kopregel,
    tc05_aantal_velden,
    tc06_gegevens,
)
from .regels_velden import (
    tc07_verplichte_velden,
    tc08_veldlengte,
    tc09_datums,
    tc10_datums_in_periode,
    tc11_bsn,
    tc12_codewaarden,
    tc13_gemeentecode,
    tc14_aanmaakdatum,
    tc15_gelijke_regels,
    tc16_dubbele_categorie,
    tc17_formules,
    tc18_sbo_drempel,
)


@dataclass(frozen=True)
class Regel:
    """A rule of the catalogue: its id, Dutch text, the soorten it applies to, its test."""

    id: str
    omschrijving: str
    soorten: frozenset[str]
    toets: Callable[[Aanlevering], Uitkomst]
    ernst: str = FOUT

    def __post_init__(self) -> None:
        if self.ernst not in ERNSTEN:
            raise ValueError(f"ernst moet fout of waarschuwing zijn, niet {self.ernst!r}")

    def geldt_voor(self, soort: str) -> bool:
        return soort in self.soorten

    def pas_toe(self, aanlevering: Aanlevering) -> Bevinding:
        uitkomst = self.toets(aanlevering)
        return Bevinding(
            regel=self.id,
            omschrijving=self.omschrijving,
            geslaagd=uitkomst.geslaagd,
            melding="" if uitkomst.geslaagd else uitkomst.melding,
            regels=uitkomst.regels[:MAX_REGELS],
            ernst=self.ernst,
        )


class Catalogusregel(NamedTuple):
    """One row of the catalogue for documents and reports."""

    id: str
    ernst: str
    soorten: tuple[str, ...]
    omschrijving: str


_ALLE = frozenset({*SOORTEN, ONBEKEND})
_GEKEND = frozenset(SOORTEN)
_WMO = frozenset({"WMO"})
_SBO = frozenset({"SBO"})
_SBO_JEUGD = frozenset({"SBO", "JEUGD"})
_ZIP = frozenset({ZIP})

RULES: tuple[Regel, ...] = (
    Regel(
        "TC00",
        "Het ZIP-bestand is veilig en leesbaar: geen zip-bom (verhouding of totale grootte "
        "uitgepakt, overlappende delen), niet te veel bestanden, geen ZIP in het ZIP-bestand, "
        "geen pad buiten het ZIP-bestand, geen symbolische koppeling, geen dubbele naam, geen "
        "versleuteling, en ten minste één .csv- of .txt-bestand.",
        _ZIP,
        tc00_zip,
    ),
    Regel(
        "TC01",
        "De bestandsnaam volgt de naamconventie (soort, code uitvraag, vrije tekst, "
        "extensie .csv of .txt, geen verboden tekens).",
        _ALLE,
        tc01_bestandsnaam,
    ),
    Regel(
        "TC02",
        "De code uitvraag in de bestandsnaam is een verslagperiode waarvoor geleverd kan "
        "worden (de huidige of de vorige).",
        _ALLE,
        tc02_verslagperiode,
    ),
    Regel("TC03", "Het bestand is gecodeerd in UTF-8.", _ALLE, tc03_utf8),
    Regel(
        "TC04",
        "Het bestand is een CSV-bestand met puntkomma (;) als scheidingsteken en een "
        "kopregel met de voorgeschreven kolommen in de voorgeschreven volgorde.",
        _ALLE,
        tc04_csv_kopregel,
    ),
    Regel("TC05", "Elke gegevensregel heeft evenveel velden als de kopregel.", _GEKEND, tc05_aantal_velden),
    Regel("TC06", "Het bestand bevat ten minste één gegevensregel.", _GEKEND, tc06_gegevens),
    Regel(
        "TC07",
        "Elk verplicht veld is gevuld; bij Wmo ten minste één van Beoogde startdatum "
        "ondersteuning en Datum start daadwerkelijke ondersteuning.",
        _GEKEND,
        tc07_verplichte_velden,
    ),
    Regel("TC08", "Geen veld is langer dan de maximale lengte van zijn kolom.", _GEKEND, tc08_veldlengte),
    Regel(
        "TC09",
        "Elke datum is een bestaande datum JJJJMMDD; Aanmaakdatum bestand is een bestaand "
        "tijdstip JJJJMMDDuummss.",
        _GEKEND,
        tc09_datums,
    ),
    Regel(
        "TC10",
        "De datums passen bij de verslagperiode: een startdatum niet na het einde ervan, een "
        "einddatum niet vóór het begin ervan, en geen einddatum vóór zijn startdatum.",
        _WMO,
        tc10_datums_in_periode,
    ),
    Regel("TC11", "Elk BSN bestaat uit 9 cijfers en voldoet aan de 11-proef.", _WMO, tc11_bsn),
    Regel(
        "TC12",
        "Elke code en elk bedrag heeft een toegestane waarde en opmaak; Reden beëindiging "
        "alleen met een Einddatum ondersteuning; Code uitvraag gelijk aan die in de bestandsnaam.",
        _GEKEND,
        tc12_codewaarden,
    ),
    Regel(
        "TC13",
        "De Gemeentecode op elke regel is die van de aanleverende gemeente.",
        _GEKEND,
        tc13_gemeentecode,
    ),
    Regel(
        "TC14",
        "Aanmaakdatum bestand is op elke regel dezelfde.",
        _GEKEND,
        tc14_aanmaakdatum,
    ),
    Regel(
        "TC15",
        "Geen gegevensregel komt meer dan eens voor.",
        _GEKEND,
        tc15_gelijke_regels,
        WAARSCHUWING,
    ),
    Regel(
        "TC16",
        "Elke Iv3-categorie (SBO) of elk type voorziening (JEUGD) komt hoogstens één keer voor.",
        _SBO_JEUGD,
        tc16_dubbele_categorie,
    ),
    Regel(
        "TC17",
        "Geen cel begint (na spaties) met =, +, - of @, of met een tab of regelterugloop, zodat "
        "een spreadsheet hem niet als formule leest (formule-injectie); een getal als -123.45 mag.",
        _ALLE,
        tc17_formules,
        WAARSCHUWING,
    ),
    Regel(
        "TC18",
        "SBO alleen van een gemeente met minder dan 20.000 inwoners op 1 januari 2016 die geen "
        "Iv3-informatie aan het CBS levert; voor de andere vervalt de uitvraag.",
        _SBO,
        tc18_sbo_drempel,
    ),
)


def catalogus() -> tuple[Catalogusregel, ...]:
    """The catalogue as rows (id, ernst, soorten, omschrijving), for documents and reports.

    Soorten are listed as WMO, SBO, JEUGD, then ONBEKEND (a file whose name says no soort)
    and ZIP (a delivered ZIP that CBS refused to unpack).
    """
    volgorde = (*SOORTEN, ONBEKEND, ZIP)
    return tuple(
        Catalogusregel(
            regel.id,
            regel.ernst,
            tuple(soort for soort in volgorde if soort in regel.soorten),
            regel.omschrijving,
        )
        for regel in RULES
    )
