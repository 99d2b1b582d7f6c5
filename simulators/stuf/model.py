"""StUF vocabulary as typed values: systemen, stuurgegevens, bestanden, foutberichten.

English code, Dutch StUF names: ``zender``, ``ontvanger``, ``referentienummer`` mean
exactly what the standard means by them (Stuf0301.pdf §4).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

STUF_NS = "http://www.egem.nl/StUF/StUF0301"
GGK_NS = "http://www.stufstandaarden.nl/koppelvlak/ggk0210"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"

MAX_MESSAGE_BYTES = 25 * 1024 * 1024
"""The GGk specification's limit for a whole message: 25 MB (taken as MiB)."""

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
BESTANDSNAAM = re.compile(r"[A-Za-z0-9\-._]{4,255}")
"""The envelope's ``bestandsnaam`` pattern (``StUF:bestandsnaampattern``)."""


def new_referentienummer() -> str:
    """A lower-case UUID v4, as the GGk envelope requires."""
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Systeem:
    """A StUF ``zender`` or ``ontvanger``."""

    organisatie: str
    applicatie: str
    administratie: str | None = None
    gebruiker: str | None = None


@dataclass(frozen=True)
class Stuurgegevens:
    berichtcode: str
    zender: Systeem
    ontvanger: Systeem
    referentienummer: str
    tijdstipBericht: str
    crossRefnummer: str | None = None
    functie: str | None = None


@dataclass(frozen=True)
class Versies:
    """The four GGk parameters ``applicatieVersie`` … ``functieSubversie`` (4 digits)."""

    applicatieVersie: str = "0001"
    applicatieSubversie: str = "0000"
    functieVersie: str = "0001"
    functieSubversie: str = "0000"

    def details(self, functie: str) -> str:
        """The GGk Fo01 ``details`` text: functie + '-' + the four versions."""
        return (
            f"{functie}-{self.applicatieVersie[-2:]}{self.applicatieSubversie[-2:]}"
            f"{self.functieVersie[-2:]}{self.functieSubversie[-2:]}"
        )


@dataclass(frozen=True)
class Bestand:
    """The payload of a GGk envelope: a text file with its name, or an XML document."""

    inhoud: bytes
    bestandsnaam: str | None = None  # set for tekstBestand, None for xmlBestand

    @property
    def is_tekst(self) -> bool:
        return self.bestandsnaam is not None


@dataclass(frozen=True)
class Envelop:
    """``GGK:envelopHeenbericht-ggk_Di01`` or ``GGK:envelopRetourbericht-ggk_Du01``."""

    stuurgegevens: Stuurgegevens
    bestand: Bestand
    versies: Versies = field(default_factory=Versies)

    @property
    def berichtcode(self) -> str:
        return self.stuurgegevens.berichtcode


@dataclass(frozen=True)
class Foutbericht:
    """The body of a Fo01/Fo03: code, plek, omschrijving, optional details."""

    code: str
    plek: str  # "client" or "server", lower-case
    omschrijving: str
    details: str | None = None
    detailsXML: bytes | None = None  # the offending message, serialised


@dataclass(frozen=True)
class Antwoord:
    """A parsed synchronous answer: a Bv03 or a Fo03 with its foutbericht."""

    stuurgegevens: Stuurgegevens
    fout: Foutbericht | None = None

    @property
    def bevestigd(self) -> bool:
        return self.stuurgegevens.berichtcode == "Bv03"
