"""SOAP 1.1 document/literal transport of the GGk WSDL (``OntvangAsynchroon``).

The WSDL binds ``ggk_Di01``, ``ggk_Du01`` and ``Fo01`` to SOAP 1.1: the StUF message
is the single child of ``soap:Body``; the answer is a ``StUF:Bv03Bericht`` in the body,
or a SOAP fault (HTTP 500) whose ``detail`` holds the ``StUF:Fo03Bericht``.
"""

from __future__ import annotations

from lxml import etree

from .model import GGK_NS, SOAP_NS, STUF_NS
from .schema import NotXmlError, parse_xml

SOAP_ACTIONS = {
    "Di01": f"{GGK_NS}/ggk_Di01",
    "Du01": f"{GGK_NS}/ggk_Du01",
    "Fo01": f"{STUF_NS}/Fo01",
}
CONTENT_TYPE = "text/xml; charset=utf-8"


def wrap(message: etree._Element) -> bytes:
    """A SOAP 1.1 envelope whose body holds ``message``."""
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"soap": SOAP_NS})
    body = etree.SubElement(envelope, f"{{{SOAP_NS}}}Body")
    body.append(message)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def wrap_fault(fo03: etree._Element, faultstring: str, plek: str = "client") -> bytes:
    """A SOAP 1.1 fault carrying a Fo03 in its ``detail``; the faultcode follows the
    Fo03's plek (``soap:Client`` or ``soap:Server``)."""
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"soap": SOAP_NS})
    body = etree.SubElement(envelope, f"{{{SOAP_NS}}}Body")
    fault = etree.SubElement(body, f"{{{SOAP_NS}}}Fault")
    etree.SubElement(fault, "faultcode").text = "soap:Server" if plek == "server" else "soap:Client"
    etree.SubElement(fault, "faultstring").text = faultstring
    etree.SubElement(fault, "detail").append(fo03)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def unwrap(data: bytes) -> etree._Element:
    """The StUF message inside a SOAP envelope (or in a fault's detail).

    A bare StUF message (no SOAP envelope) is accepted as it is, so a partner can post
    the message alone. Raises :class:`NotXmlError`/:class:`UnsafeXmlError` from parsing.
    """
    root = parse_xml(data)
    if root.tag != f"{{{SOAP_NS}}}Envelope":
        return root
    body = root.find(f"{{{SOAP_NS}}}Body")
    if body is None or len(body) == 0:
        raise NotXmlError("SOAP-envelop zonder Body-inhoud")
    child = body[0]
    if child.tag == f"{{{SOAP_NS}}}Fault":
        detail = child.find("detail")
        if detail is None or len(detail) == 0:
            raise NotXmlError("SOAP-fault zonder Fo03 in detail: " + (child.findtext("faultstring") or ""))
        return detail[0]
    return child
