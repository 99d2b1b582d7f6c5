"""Build and read the GGk envelope (Di01/Du01) and the StUF answers Bv03, Fo01, Fo03.

Everything is built with lxml element builders, never string templates, and every
message read here has first passed :func:`schema.parse_xml` (no DTD, no entities).
"""

from __future__ import annotations

import base64
import binascii

from lxml import etree

from .faults import StufError, stuf_error
from .model import (
    GGK_NS,
    STUF_NS,
    Antwoord,
    Bestand,
    Envelop,
    Foutbericht,
    Stuurgegevens,
    Systeem,
    Versies,
    new_referentienummer,
)
from .schema import schema_errors

NSMAP = {"StUF": STUF_NS, "GGK": GGK_NS}
ENVELOP_TAGS = {
    "Di01": f"{{{GGK_NS}}}envelopHeenbericht-ggk_Di01",
    "Du01": f"{{{GGK_NS}}}envelopRetourbericht-ggk_Du01",
}
ANTWOORD_TAGS = {code: f"{{{STUF_NS}}}{code}Bericht" for code in ("Bv03", "Fo01", "Fo03")}


def _s(tag: str) -> str:
    return f"{{{STUF_NS}}}{tag}"


def _g(tag: str) -> str:
    return f"{{{GGK_NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None) -> etree._Element:
    child = etree.SubElement(parent, tag)
    if text is not None:
        child.text = text
    return child


def _systeem(parent: etree._Element, tag: str, systeem: Systeem) -> None:
    node = _sub(parent, _s(tag), None)
    _sub(node, _s("organisatie"), systeem.organisatie)
    _sub(node, _s("applicatie"), systeem.applicatie)
    if systeem.administratie is not None:
        _sub(node, _s("administratie"), systeem.administratie)
    if systeem.gebruiker is not None:
        _sub(node, _s("gebruiker"), systeem.gebruiker)


def _stuurgegevens(parent: etree._Element, tag: str, sg: Stuurgegevens, order: list[str]) -> None:
    node = _sub(parent, tag, None)
    for name in order:
        if name in ("zender", "ontvanger"):
            _systeem(node, name, getattr(sg, name))
        else:
            _sub(node, _s(name), getattr(sg, name))


# ---------------------------------------------------------------------------- build


def build_envelop(envelop: Envelop) -> etree._Element:
    """The envelope element for a Di01 (heenbericht) or Du01 (retourbericht)."""
    sg = envelop.stuurgegevens
    if sg.berichtcode not in ENVELOP_TAGS:
        raise ValueError(f"a GGk envelope is a Di01 or Du01, not {sg.berichtcode}")
    root = etree.Element(ENVELOP_TAGS[sg.berichtcode], nsmap=NSMAP)
    order = ["berichtcode", "zender", "ontvanger", "referentienummer", "tijdstipBericht"]
    if sg.berichtcode == "Du01":
        order.append("crossRefnummer")
    order.append("functie")
    _stuurgegevens(root, _g("stuurgegevens"), sg, order)
    params = _sub(root, _g("parameters"), None)
    for name in ("applicatieVersie", "applicatieSubversie", "functieVersie", "functieSubversie"):
        _sub(params, _g(name), getattr(envelop.versies, name))
    bericht = _sub(params, _g("bericht"), None)
    data = base64.b64encode(envelop.bestand.inhoud).decode("ascii")
    if envelop.bestand.is_tekst:
        node = _sub(bericht, _g("tekstBestand"), data)
        node.set("bestandsnaam", envelop.bestand.bestandsnaam or "")
    else:
        _sub(bericht, _g("xmlBestand"), data)
    return root


def build_antwoord(berichtcode: str, sg: Stuurgegevens, fout: Foutbericht | None = None) -> etree._Element:
    """A Bv03, Fo01 or Fo03 element; ``fout`` is required for Fo01/Fo03."""
    root = etree.Element(ANTWOORD_TAGS[berichtcode], nsmap={"StUF": STUF_NS})
    order = ["berichtcode", "zender", "ontvanger", "referentienummer", "tijdstipBericht",
             "crossRefnummer"]
    _stuurgegevens(root, _s("stuurgegevens"), sg, order)
    if berichtcode == "Bv03":
        return root
    if fout is None:
        raise ValueError(f"a {berichtcode} needs a foutbericht")
    body = _sub(root, _s("body"), None)
    _sub(body, _s("code"), fout.code)
    _sub(body, _s("plek"), fout.plek)
    _sub(body, _s("omschrijving"), fout.omschrijving[:200])
    if fout.details is not None:
        _sub(body, _s("details"), fout.details[:1000])
    if fout.detailsXML is not None:
        holder = _sub(body, _s("detailsXML"), None)
        try:
            holder.append(etree.fromstring(fout.detailsXML, etree.XMLParser(
                resolve_entities=False, load_dtd=False, no_network=True)))
        except etree.XMLSyntaxError:
            pass  # not XML (that may be the very fault): the code and text say enough
    return root


def build_fo01(zender: Systeem, ontvanger: Systeem, tijdstip: str, crossRefnummer: str,
               fout: Foutbericht) -> etree._Element:
    """A Fo01: the asynchronous refusal of the message ``crossRefnummer``, found while
    processing it, sent by ``zender`` back towards that message's sender (hop by hop).
    The one place every party builds its Fo01."""
    return build_antwoord("Fo01", Stuurgegevens("Fo01", zender, ontvanger, new_referentienummer(),
                                                tijdstip, crossRefnummer=crossRefnummer), fout)


def to_bytes(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8")


# ----------------------------------------------------------------------------- read


def _text(node: etree._Element, path: str) -> str | None:
    found = node.find(path, NSMAP)
    return None if found is None else (found.text or "")


def _read_systeem(node: etree._Element | None) -> Systeem:
    if node is None:
        return Systeem("", "")
    return Systeem(
        organisatie=_text(node, "StUF:organisatie") or "",
        applicatie=_text(node, "StUF:applicatie") or "",
        administratie=_text(node, "StUF:administratie"),
        gebruiker=_text(node, "StUF:gebruiker"),
    )


def read_stuurgegevens(root: etree._Element) -> Stuurgegevens:
    """The stuurgegevens of any GGk envelope or StUF answer, as far as present.

    Used before validation too, to learn whom to answer: missing parts become "".
    """
    node = root.find("GGK:stuurgegevens", NSMAP)
    if node is None:
        node = root.find("StUF:stuurgegevens", NSMAP)
    if node is None:
        raise stuf_error("StUF055", "het bericht heeft geen stuurgegevens")
    return Stuurgegevens(
        berichtcode=_text(node, "StUF:berichtcode") or "",
        zender=_read_systeem(node.find("StUF:zender", NSMAP)),
        ontvanger=_read_systeem(node.find("StUF:ontvanger", NSMAP)),
        referentienummer=_text(node, "StUF:referentienummer") or "",
        tijdstipBericht=_text(node, "StUF:tijdstipBericht") or "",
        crossRefnummer=_text(node, "StUF:crossRefnummer"),
        functie=_text(node, "StUF:functie"),
    )


def read_envelop(root: etree._Element) -> Envelop:
    """Read a validated Di01/Du01 element; the payload is decoded from base64."""
    sg = read_stuurgegevens(root)
    params = root.find("GGK:parameters", NSMAP)
    versies = Versies(*(_text(params, f"GGK:{n}") or "" for n in (
        "applicatieVersie", "applicatieSubversie", "functieVersie", "functieSubversie")))
    tekst = params.find("GGK:bericht/GGK:tekstBestand", NSMAP)
    node = tekst if tekst is not None else params.find("GGK:bericht/GGK:xmlBestand", NSMAP)
    try:
        inhoud = base64.b64decode(node.text or "", validate=True)
    except (binascii.Error, ValueError):
        raise stuf_error("StUF055", "de inhoud van het bestand is geen geldige base64") from None
    naam = tekst.get("bestandsnaam") if tekst is not None else None
    return Envelop(sg, Bestand(inhoud, naam), versies)


def read_antwoord(root: etree._Element) -> Antwoord:
    """Read a Bv03, Fo01 or Fo03 element."""
    sg = read_stuurgegevens(root)
    body = root.find("StUF:body", NSMAP)
    if body is None:
        return Antwoord(sg)
    details_xml = body.find("StUF:detailsXML", NSMAP)
    inner = None
    if details_xml is not None and len(details_xml):
        inner = etree.tostring(details_xml[0])
    fout = Foutbericht(
        code=_text(body, "StUF:code") or "",
        plek=_text(body, "StUF:plek") or "",
        omschrijving=_text(body, "StUF:omschrijving") or "",
        details=_text(body, "StUF:details"),
        detailsXML=inner,
    )
    return Antwoord(sg, fout)


def require_valid(element: etree._Element) -> None:
    """Raise StUF055 naming the first schema errors when ``element`` is not valid."""
    errors = schema_errors(element)
    if errors:
        raise StufError(
            "StUF055",
            ("Bericht is niet conform het schema: " + "; ".join(errors[:2]))[:200],
            details="; ".join(errors)[:1000],
        )
