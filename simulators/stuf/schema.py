"""Safe XML parsing and validation against the real StUF 03.01 / GGk 0210 schemas.

The schemas live in ``simulators/schemas/stuf`` as unchanged copies (see SOURCE.md
there). The GGk set includes the whole StUF 03.01 base schema, so one compiled schema
validates the envelopes (Di01, Du01) and the StUF messages Bv03, Fo01 and Fo03.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from lxml import etree

from .model import GGK_NS, STUF_NS

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas" / "stuf"
GGK_XSD = SCHEMA_DIR / "ggk0210" / "ggkberichten" / "ggk0210_msg_ggkberichten.xsd"

_schema_lock = threading.Lock()


class UnsafeXmlError(ValueError):
    """The document declares a DOCTYPE (entities, external DTD): refused unread."""


class NotXmlError(ValueError):
    """The bytes are not a well-formed XML document."""


def _parser() -> etree.XMLParser:
    # No entity resolution, no DTD loading, no network access, no huge trees.
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted bytes into an element; refuse any DOCTYPE.

    Raises :class:`UnsafeXmlError` for a document with a DOCTYPE (so no entity expansion
    attack and no external DTD), :class:`NotXmlError` for anything not well-formed.
    """
    if b"<!DOCTYPE" in data:  # XML keywords are case-sensitive; refuse before parsing
        raise UnsafeXmlError("een DOCTYPE-declaratie (met entiteiten of DTD) is niet toegestaan")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise NotXmlError(f"geen geldige XML: {exc}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise UnsafeXmlError("DOCTYPE-declaraties zijn niet toegestaan")
    return root


@cache
def _ggk_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(GGK_XSD), parser))


def schema_errors(element: etree._Element) -> list[str]:
    """Validate one message element (Di01, Du01, Bv03, Fo01, Fo03); return the errors.

    An empty list means valid. The element may sit inside a SOAP body: it is
    validated as a document of its own.
    """
    if element.getparent() is not None:
        element = etree.fromstring(etree.tostring(element), _parser())
    schema = _ggk_schema()
    with _schema_lock:  # an lxml schema object keeps its error log: one user at a time
        ok = schema.validate(element)
        errors = [] if ok else [f"regel {e.line}: {_short_names(e.message)}" for e in schema.error_log]
    return errors


def _short_names(message: str) -> str:
    """``{namespace}name`` as ``StUF:name``/``GGK:name``: the full URIs crowd the element's
    name out of a Fo03 omschrijving (200 characters)."""
    return message.replace(f"{{{STUF_NS}}}", "StUF:").replace(f"{{{GGK_NS}}}", "GGK:")
