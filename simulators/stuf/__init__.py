"""StUF 03.01 and the GGk envelope (ggk0210): build, read, validate. Knows no party."""

from .faults import StufFault, stuf_fault
from .messages import (
    build_antwoord,
    build_envelop,
    read_antwoord,
    read_envelop,
    read_stuurgegevens,
    require_valid,
    to_bytes,
)
from .model import (
    BESTANDSNAAM,
    MAX_MESSAGE_BYTES,
    STUF_NS,
    UUID4,
    Antwoord,
    Bestand,
    Envelop,
    Foutbericht,
    Stuurgegevens,
    Systeem,
    Versies,
    new_referentienummer,
)
from .schema import NotXml, UnsafeXml, parse_xml, schema_errors
from .soap import CONTENT_TYPE, SOAP_ACTIONS, unwrap, wrap, wrap_fault

__all__ = [
    "BESTANDSNAAM", "CONTENT_TYPE", "MAX_MESSAGE_BYTES", "SOAP_ACTIONS", "STUF_NS", "UUID4",
    "Antwoord", "Bestand", "Envelop", "Foutbericht", "NotXml", "StufFault",
    "Stuurgegevens", "Systeem", "UnsafeXml", "Versies",
    "build_antwoord", "build_envelop", "new_referentienummer", "parse_xml",
    "read_antwoord", "read_envelop", "read_stuurgegevens", "require_valid",
    "schema_errors", "stuf_fault", "to_bytes", "unwrap", "wrap", "wrap_fault",
]
