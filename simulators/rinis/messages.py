"""What RINIS sends and receives on the wire, built and read in one place.

From the GGk: a Di01 in the GGk envelope (a file, its metadata record, an opt-in) and a
Fo01 refusing a report RINIS routed. To the GGk: a Fo01 refusing a Di01 (one builder,
``stuf.build_fo01``) and a report in a Du01 answering a delivery's Di01 (a Di01 when
there is nothing to answer). To CBS: the announcement of a new file in its inbox, and the
files of the folder API with the content type the journal records. StUF goes through
:mod:`simulators.stuf`, the metadata record through :mod:`simulators.gmsd.metagegevens`.
It decides nothing: which message goes where, and why, is ``backend.py``'s.
"""

from __future__ import annotations

from lxml import etree

from .. import stuf
from ..gmsd import metagegevens

GGK_STUF = "/stuf/ontvang"
"""Where the GGk receives StUF from RINIS (WSDL ``OntvangAsynchroon``)."""
CBS_ANNOUNCE = "/rinis/nieuw"
"""Where CBS hears of a new file in its inbox."""

RINIS = stuf.Systeem("RINIS", "RINIS-router")
"""RINIS as zender of what it finds itself."""
CBS = stuf.Systeem("CBS", "CBS-GMSD")
"""CBS as zender of a report, or of a Fo01 when it could not read a file (RINIS sends both)."""


def ggk_of(gemeentecode: str) -> stuf.Systeem:
    """The ontvanger of what RINIS sends a gemeente: its GGk."""
    return stuf.Systeem(gemeentecode, "GGk")


# ------------------------------------------------------------------ from the GGk


def read_di01(message: etree._Element) -> stuf.Envelop:
    """The envelope of a Di01 the receiver accepted: stuurgegevens and the file."""
    return stuf.read_envelop(message)


def read_fo01(message: etree._Element) -> stuf.Foutbericht:
    """Why the GGk refused a report it had acknowledged."""
    return stuf.read_antwoord(message).fout


def read_metagegevens(inhoud: bytes) -> metagegevens.Metagegevens:
    """The metadata record of a delivery; raises ``metagegevens.MetagegevensError``."""
    return metagegevens.from_xml(inhoud)


# ------------------------------------------------------------------ to the GGk


def build_fo01(zender: stuf.Systeem, gemeentecode: str, tijdstip: str, crossRefnummer: str,
               functie: str, code: str, omschrijving: str, plek: str = "client") -> etree._Element:
    """A Fo01 refusing the Di01 ``crossRefnummer`` of that gemeente, via its GGk; ``details``
    names the refused message's functie with the GGk's versions."""
    return stuf.build_fo01(zender, ggk_of(gemeentecode), tijdstip, crossRefnummer,
                           stuf.Foutbericht(code, plek, omschrijving, details=f"{functie}-00010000"))


def build_report(gemeentecode: str, tijdstip: str, functie: str, naam: str, inhoud: bytes,
                 crossRefnummer: str | None) -> etree._Element:
    """A CBS report for a gemeente: a Du01 answering the Di01 ``crossRefnummer``, or a Di01
    when there is none to answer."""
    sg = stuf.Stuurgegevens("Du01" if crossRefnummer else "Di01", CBS, ggk_of(gemeentecode),
                            stuf.new_referentienummer(), tijdstip, crossRefnummer=crossRefnummer,
                            functie=functie)
    return stuf.build_envelop(stuf.Envelop(sg, stuf.Bestand(inhoud, naam)))


def referentienummer_of(message: etree._Element) -> str:
    """The referentienummer a message was sent under: a later Fo01 names it."""
    return stuf.read_stuurgegevens(message).referentienummer


# ------------------------------------------------------------------ to and from CBS


def announcement(folder: str, file_id: int, naam: str, metagegevens_id: int | None) -> dict:
    """What RINIS posts to CBS's ``/rinis/nieuw`` when it placed a file in CBS's inbox."""
    return {"map": folder, "id": file_id, "naam": naam, "metagegevens_id": metagegevens_id}


def content_type(naam: str) -> str:
    """The content type of a folder file, by its name."""
    lower = naam.lower()
    if lower.endswith(".xml"):
        return "application/xml"
    if lower.endswith(".zip"):
        return "application/zip"
    return "text/csv"
