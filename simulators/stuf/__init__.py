"""StUF 03.01 and the GGk envelope (ggk0210): build, read, validate. Knows no party."""

from .faults import StufError, stuf_error
from .messages import (
    build_antwoord,
    build_envelop,
    build_fo01,
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
from .schema import NotXmlError, UnsafeXmlError, parse_xml, schema_errors
from .soap import CONTENT_TYPE, SOAP_ACTIONS, unwrap, wrap, wrap_fault

__all__ = [
    "BESTANDSNAAM", "CONTENT_TYPE", "MAX_MESSAGE_BYTES", "SOAP_ACTIONS", "STUF_NS", "UUID4",
    "Antwoord", "Bestand", "Envelop", "Foutbericht", "NotXmlError", "StufError",
    "Stuurgegevens", "Systeem", "UnsafeXmlError", "Versies",
    "build_antwoord", "build_envelop", "build_fo01", "new_referentienummer", "parse_xml",
    "read_antwoord", "read_envelop", "read_stuurgegevens", "require_valid",
    "schema_errors", "stuf_error", "to_bytes", "unwrap", "wrap", "wrap_fault",
]
