"""The GGk's metadata record per upload (seed 000 ch.6): who uploaded what, when.

The seeds ask for a separate record next to the file, "in the StUF envelope". The
GGk envelope carries exactly one file, so the record travels as the ``xmlBestand`` of
a second Di01 (functie ``GMSD-METAGEGEVENS``) that names the file's Di01 by its
referentienummer. Its form is ours: ``schemas/ketentest/metagegevens.xsd``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from lxml import etree

from ..stuf.schema import parse_xml

NS = "urn:ketentest:gmsd:metagegevens:1"
XSD = Path(__file__).resolve().parent.parent / "schemas" / "ketentest" / "metagegevens.xsd"


@dataclass(frozen=True)
class Metagegevens:
    referentienummerBestand: str
    bestandsnaam: str  # as the gemeente uploaded it (may hold spaces)
    bestandsnaamEnvelop: str  # as it travels in the envelope
    gemeentecode: str
    gebruiker: str
    tijdstipUpload: datetime
    ggkReferenties: tuple[tuple[str, str], ...]  # (CSV name, GGk reference) per CSV


class MetagegevensError(ValueError):
    """The record is not XML or not valid against metagegevens.xsd."""


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD), etree.XMLParser(no_network=True)))


def to_xml(meta: Metagegevens) -> bytes:
    root = etree.Element(f"{{{NS}}}metagegevens", nsmap={None: NS})
    for name in ("referentienummerBestand", "bestandsnaam", "bestandsnaamEnvelop",
                 "gemeentecode", "gebruiker"):
        etree.SubElement(root, f"{{{NS}}}{name}").text = getattr(meta, name)
    etree.SubElement(root, f"{{{NS}}}tijdstipUpload").text = meta.tijdstipUpload.isoformat()
    for bestand, referentie in meta.ggkReferenties:
        node = etree.SubElement(root, f"{{{NS}}}ggkReferentie", bestand=bestand)
        node.text = referentie
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def from_xml(data: bytes) -> Metagegevens:
    try:
        root = parse_xml(data)
    except ValueError as exc:
        raise MetagegevensError(str(exc)) from None
    schema = _schema()
    if not schema.validate(root):
        raise MetagegevensError("; ".join(e.message for e in schema.error_log)[:500])

    def text(name: str) -> str:
        return root.findtext(f"{{{NS}}}{name}") or ""

    return Metagegevens(
        referentienummerBestand=text("referentienummerBestand"),
        bestandsnaam=text("bestandsnaam"),
        bestandsnaamEnvelop=text("bestandsnaamEnvelop"),
        gemeentecode=text("gemeentecode"),
        gebruiker=text("gebruiker"),
        tijdstipUpload=datetime.fromisoformat(text("tijdstipUpload")),
        ggkReferenties=tuple((n.get("bestand", ""), n.text or "")
                             for n in root.findall(f"{{{NS}}}ggkReferentie")),
    )
