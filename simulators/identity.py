"""Who is calling, on a TLS chain: the organisation the verified client certificate names.

The TLS server (``simulators/https.py``) accepts only certificates of the test CA and hands
the verified certificate to the app in the WSGI environ (``SSL_CLIENT_CERT``, as cheroot and
Apache's mod_ssl name it). :func:`identity_of` reads it back as an :class:`Identity`: a party
(by its OIN), the harness, or a gemeente (``GM<code>``). On a chain without TLS there is no
certificate and :func:`identity_of` gives None: then nothing is checked, as before TLS.

:func:`admits` applies a party's access table (who may call which path); the rules about a
gemeente's own files are the backends' (``docs/beveiliging.md``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

CLIENT_CERT = "SSL_CLIENT_CERT"
"""The WSGI environ key of the verified client certificate (PEM)."""
ANYONE = "*"
"""In an access table: every certificate the TLS server accepted."""
GEMEENTE = "gemeente"
"""In an access table: the certificate of any gemeente (``GM<code>``)."""
HARNESS = "harness"
CONTROL_PATHS = (("/health", ANYONE), ("/_beheer", HARNESS), ("/journal", HARNESS))
"""What every party serves for the harness: the control API and the journal take only the
harness's certificate; ``/health`` answers every certificate of the chain."""


@dataclass(frozen=True)
class Identity:
    """What a verified client certificate says: ``key`` is a party (``ggk``, ``rinis``, ``cbs``,
    ``gemeente``, ``harness``), a gemeentecode, or None (a certificate of the test CA that
    names no organisation of the chain)."""

    key: str | None
    name: str
    organisation: str
    identifier: str
    serial: str
    not_before: datetime
    not_after: datetime

    @property
    def gemeentecode(self) -> str | None:
        return self.key if self.key and self.key.isdigit() else None

    def is_(self, who: str) -> bool:
        """Whether this identity is ``who``: a party's key, :data:`GEMEENTE` or :data:`ANYONE`."""
        return who == ANYONE or (who == GEMEENTE and self.gemeentecode is not None) or self.key == who

    @property
    def described(self) -> str:
        """In a Dutch sentence: ``gemeente Amsterdam (GM0363)``, ``BKWI (RINIS) (OIN …)``."""
        if self.gemeentecode:
            from .gmsd.gemeenten import gemeenten

            return f"gemeente {gemeenten().get(self.gemeentecode) or self.gemeentecode} ({self.identifier})"
        if self.identifier:
            return f"{self.organisation or self.name} (OIN {self.identifier})"
        return f"'{self.name}' (zonder organisatie-identificatie)"

    def valid_on(self, moment: datetime) -> bool:
        return self.not_before <= moment <= self.not_after

    def validity(self) -> str:
        return f"geldig van {self.not_before:%d-%m-%Y} tot en met {self.not_after:%d-%m-%Y}"


@lru_cache(maxsize=512)
def from_pem(pem: str) -> Identity:
    """The identity of a PEM certificate (parsed once per certificate: every request has one)."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    from . import pki

    cert = x509.load_pem_x509_certificate(pem.encode("ascii"))

    def attr(oid) -> str:
        found = cert.subject.get_attributes_for_oid(oid)
        return str(found[0].value) if found else ""

    identifier = attr(NameOID.ORGANIZATION_IDENTIFIER)
    return Identity(pki.identify(identifier), attr(NameOID.COMMON_NAME), attr(NameOID.ORGANIZATION_NAME),
                    identifier, f"{cert.serial_number:x}", cert.not_valid_before_utc,
                    cert.not_valid_after_utc)


def identity_of(environ: Mapping) -> Identity | None:
    """The caller's identity, or None on a chain without TLS (no certificate to read)."""
    pem = environ.get(CLIENT_CERT)
    return from_pem(pem) if pem else None


def admits(table: Iterable[tuple[str, str]], identity: Identity, path: str) -> str | None:
    """Whether ``table`` (path, who; a path also covers what lies under it; the first match
    wins, then :data:`CONTROL_PATHS`) lets ``identity`` call ``path``: None when it may, else
    who may (for the refusal). A path nothing matches is the harness's: a party's own test
    hooks."""
    for prefix, who in (*table, *CONTROL_PATHS):
        if path == prefix or (prefix != "/" and path.startswith(prefix.rstrip("/") + "/")):
            return None if identity.is_(who) else who
    return None if identity.is_(HARNESS) else HARNESS
