"""The harness's small test PKI: one test CA and a certificate per person (docs/ondertekening.md).

An opt-in has legal weight, so the GGk signs each decision with the certificate of the
person who took it and CBS checks the signature (``simulators.ondertekening``). The real
chain uses certificates of a trust service; here the harness makes its own:

- **One test CA**, derived from a fixed, public seed: every ketentest process, a
  partner's harness included, makes the same CA key, so a GGk started on its own
  (``ketentest up --party ggk``) signs with certificates the harness's CBS trusts, and
  nothing has to be copied between processes or survive a restart. The key is public by
  design: this CA is for tests only and says so in its name.
- **A certificate per person** (e-mail address), with the person's name, the gemeente's
  name and its code (``organizationIdentifier`` ``GM0363``), issued the first time the
  person signs. The person's key is derived from the seed and the e-mail address, so
  the GGk need not store keys and a restarted GGk signs with the same key.
- Validity on the simulated calendar: the CA from 2000 to 2050, a person's certificate
  from 2014 to 2029 unless asked otherwise (the pilot runs 2015–2018). CBS checks these
  dates against its simulated clock, never the wall clock.

:func:`vreemde_ca` makes a CA nobody trusts, for the scenarios that must be refused.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SEED = b"ketentest test-CA v1 (niet voor productie)"
CA_NAAM = "ketentest test-CA (alleen voor tests)"
CA_GELDIG = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2050, 1, 1, tzinfo=UTC))
PERSOON_GELDIG = (datetime(2014, 1, 1, tzinfo=UTC), datetime(2029, 12, 31, 23, 59, 59, tzinfo=UTC))
_CURVE = ec.SECP256R1()
_ORDE = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551  # of P-256


@dataclass(frozen=True)
class Sleutelpaar:
    """A private key and its certificate."""

    sleutel: ec.EllipticCurvePrivateKey
    certificaat: x509.Certificate

    @property
    def certificaat_pem(self) -> bytes:
        return self.certificaat.public_bytes(serialization.Encoding.PEM)


def _afgeleid(*delen: str | bytes) -> ec.EllipticCurvePrivateKey:
    """A P-256 key derived from the seed and ``delen``: the same in every process."""
    h = hashlib.sha256(SEED)
    for deel in delen:
        h.update(b"\x00" + (deel.encode() if isinstance(deel, str) else deel))
    waarde = int.from_bytes(h.digest(), "big") % (_ORDE - 1) + 1
    return ec.derive_private_key(waarde, _CURVE)


def _serienummer(*delen: str) -> int:
    return int.from_bytes(hashlib.sha256("\x00".join(delen).encode()).digest()[:16], "big") >> 1


def _ca(sleutel: ec.EllipticCurvePrivateKey, naam: str, geldig: tuple[datetime, datetime]) -> Sleutelpaar:
    onderwerp = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, naam),
                           x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ketentest")])
    publiek = sleutel.public_key()
    cert = (x509.CertificateBuilder()
            .subject_name(onderwerp).issuer_name(onderwerp).public_key(publiek)
            .serial_number(_serienummer("ca", naam))
            .not_valid_before(geldig[0]).not_valid_after(geldig[1])
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                                         key_cert_sign=True, crl_sign=True, encipher_only=False,
                                         decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(publiek), critical=False)
            .sign(sleutel, hashes.SHA256()))
    return Sleutelpaar(sleutel, cert)


@cache
def test_ca() -> Sleutelpaar:
    """The harness's test CA (the same key in every process)."""
    return _ca(_afgeleid("ca"), CA_NAAM, CA_GELDIG)


def ca_pem() -> bytes:
    """The test CA's certificate, the one trust anchor CBS needs."""
    return test_ca().certificaat_pem


@cache
def ca_bestand() -> Path:
    """The test CA's certificate as a file (signxml reads its trust anchors from a file)."""
    pem = ca_pem()
    pad = Path(tempfile.gettempdir()) / f"ketentest-test-ca-{hashlib.sha256(pem).hexdigest()[:16]}.pem"
    if not pad.exists() or pad.read_bytes() != pem:
        tijdelijk = pad.with_suffix(f".{os.getpid()}.tmp")
        tijdelijk.write_bytes(pem)
        tijdelijk.replace(pad)
    return pad


def vreemde_ca(naam: str = "Vreemde CA") -> Sleutelpaar:
    """A CA that is not the harness's: its certificates must be refused."""
    return _ca(_afgeleid("vreemd", naam), naam, CA_GELDIG)


def persoon(email: str, naam: str, gemeentecode: str, organisatie: str, *,
            geldig: tuple[datetime, datetime] = PERSOON_GELDIG, ca: Sleutelpaar | None = None) -> Sleutelpaar:
    """The certificate of a person of a gemeente, issued by ``ca`` (the test CA by default).
    The same person gets the same key; the certificate names the gemeente by its code."""
    ca = ca or test_ca()
    sleutel = _afgeleid("persoon", email.lower())
    onderwerp = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, naam[:64]),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, (organisatie or gemeentecode)[:64]),
        x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, f"GM{gemeentecode}"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
    ])
    publiek = sleutel.public_key()
    cert = (x509.CertificateBuilder()
            .subject_name(onderwerp).issuer_name(ca.certificaat.subject).public_key(publiek)
            .serial_number(_serienummer("persoon", email.lower(), gemeentecode, geldig[0].isoformat(),
                                        geldig[1].isoformat()))
            .not_valid_before(geldig[0]).not_valid_after(geldig[1])
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                                         key_cert_sign=False, crl_sign=False, encipher_only=False,
                                         decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH,
                                                  ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.SubjectAlternativeName([x509.RFC822Name(email)]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(publiek), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.sleutel.public_key()),
                           critical=False)
            .sign(ca.sleutel, hashes.SHA256()))
    return Sleutelpaar(sleutel, cert)


@dataclass(frozen=True)
class Houder:
    """Who a certificate names: what CBS compares with the decision."""

    naam: str
    email: str
    gemeentecode: str | None
    serienummer: str


def houder(cert: x509.Certificate) -> Houder:
    def attr(oid) -> str:
        waarden = cert.subject.get_attributes_for_oid(oid)
        return str(waarden[0].value) if waarden else ""

    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        emails = san.get_values_for_type(x509.RFC822Name)
    except x509.ExtensionNotFound:
        emails = []
    org = attr(NameOID.ORGANIZATION_IDENTIFIER)
    return Houder(attr(NameOID.COMMON_NAME), emails[0] if emails else "",
                  org[2:] if org.startswith("GM") and org[2:].isdigit() else None, f"{cert.serial_number:x}")
