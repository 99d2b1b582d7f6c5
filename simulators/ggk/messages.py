"""Every StUF message the GGk builds or reads, through :mod:`simulators.stuf`.

Out: the Di01 envelopes to RINIS (the metadata record and the file of an upload, an
opt-in or withdrawal), the Fo01 a gemeente finds in its download area (RINIS refused with
a Fo03, or the GGk could not deliver within the aflevertermijn: KT001), and the Fo01 to
RINIS of an armed ``fo01`` fault. In: a report (Du01/Di01) made into the ZIP of the
download area, and a Fo01 read into its melding. Every Fo01 comes from ``stuf.build_fo01``.

It only builds and reads; which code, which text and what becomes of the item is decided
in the backend and its collaborators.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime

from lxml import etree

from .. import stuf
from ..gmsd import metagegevens

IB = stuf.Systeem("IB", "GGKWebservice")
"""The GGk as the sender of its own answers (the Inlichtingenbureau runs it)."""
CBS = stuf.Systeem("CBS", "GGk")
"""The ontvanger of every Di01: CBS, reached through RINIS."""


def gemeente_zender(gemeentecode: str, gemeentenaam: str) -> stuf.Systeem:
    """The zender of a Di01: the gemeente it travels for, its name as administratie."""
    return stuf.Systeem(gemeentecode, "GGKWebservice", gemeentenaam[:50] or None)


def di01(zender: stuf.Systeem, referentienummer: str, tijdstip: str, functie: str,
         bestand: stuf.Bestand) -> etree._Element:
    """A GGk envelope (heenbericht) to CBS with one file."""
    return stuf.build_envelop(stuf.Envelop(stuf.Stuurgegevens(
        "Di01", zender, CBS, referentienummer, tijdstip, functie=functie), bestand))


def metagegevens_bestand(upload: Mapping, referenties: Sequence[tuple[str, str]]) -> stuf.Bestand:
    """The metadata record of an upload (``uploads`` row; (CSV, GGk reference) pairs)."""
    return stuf.Bestand(metagegevens.to_xml(metagegevens.Metagegevens(
        referentienummerBestand=upload["referentienummer"],
        bestandsnaam=upload["bestandsnaam"],
        bestandsnaamEnvelop=upload["bestandsnaam_envelop"],
        gemeentecode=upload["gemeentecode"], gebruiker=upload["gebruiker"],
        tijdstipUpload=datetime.fromisoformat(upload["tijdstip"]),
        ggkReferenties=tuple(referenties))))


def aanlevering_bestand(upload: Mapping) -> stuf.Bestand:
    """The uploaded file as it travels, under its envelope name."""
    return stuf.Bestand(bytes(upload["inhoud"]), upload["bestandsnaam_envelop"])


def fo01_from_fo03(gemeentecode: str, crossRefnummer: str, tijdstip: str, code: str,
                   fo03: stuf.Foutbericht, details: str, refused: etree._Element) -> bytes:
    """RINIS refused a Di01 with a Fo03: the Fo01 from IB (hop by hop) that the gemeente
    finds in its download area, with ``code`` for RINIS's own and the refused Di01 inside."""
    return _fo01_for_gemeente(gemeentecode, crossRefnummer, tijdstip, stuf.Foutbericht(
        code, fo03.plek, fo03.omschrijving, details=details, detailsXML=stuf.to_bytes(refused)))


def fo01_kt001(gemeentecode: str, crossRefnummer: str, tijdstip: str, omschrijving: str,
               details: str) -> bytes:
    """The Fo01 for an upload the GGk could not hand to RINIS within the aflevertermijn."""
    return _fo01_for_gemeente(gemeentecode, crossRefnummer, tijdstip, stuf.Foutbericht(
        "KT001", "server", omschrijving, details=details))


def _fo01_for_gemeente(gemeentecode: str, crossRefnummer: str, tijdstip: str,
                       fout: stuf.Foutbericht) -> bytes:
    return stuf.to_bytes(stuf.build_fo01(IB, stuf.Systeem(gemeentecode, "GGk"), tijdstip,
                                         crossRefnummer, fout))


def fo01_to_rinis(zender: Sequence[str], crossRefnummer: str, tijdstip: str, code: str,
                  functie: str) -> etree._Element:
    """The Fo01 of an armed ``fo01`` fault: the GGk refuses a message it acknowledged."""
    return stuf.build_fo01(IB, stuf.Systeem(*zender), tijdstip, crossRefnummer, stuf.Foutbericht(
        code, "client", f"Het GGk weigert het bericht (storing in de harness, foutcode {code})",
        details=f"{functie}-00010000"))


def report_zip(message: etree._Element, moment: datetime) -> tuple[str, bytes]:
    """A report envelope (Du01/Di01) as it goes into the download area: (ZIP name, ZIP),
    the report inside under its own name. Raises StUF055 when it carries no named text file."""
    envelop = stuf.read_envelop(message)
    if not envelop.bestand.is_tekst:
        raise stuf.stuf_error("StUF055", "een rapport komt als tekstBestand met bestandsnaam")
    naam = envelop.bestand.bestandsnaam
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(naam, date_time=moment.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, envelop.bestand.inhoud)
    return naam.rsplit(".", 1)[0] + ".zip", archive.getvalue()


def fo01_melding(message: etree._Element) -> tuple[str, bytes]:
    """A Fo01 received: its melding (``code: omschrijving``) and the message as it is kept."""
    fout = stuf.read_antwoord(message).fout
    return f"{fout.code}: {fout.omschrijving}", stuf.to_bytes(message)
