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

**TLS between the parties** (docs/beveiliging.md): the same CA issues a server certificate
per party (:func:`server_certificate`, for the addresses it is reached at) and a client
certificate per organisation (:func:`client_certificate`): a party by its (made-up) OIN, a
gemeente as ``GM<code>``, and the harness, which is a party of the test too. The
organisation's identity is the subject's ``organizationIdentifier``, as in PKIoverheid;
:func:`identify` reads it back. Python's ``ssl`` and ``requests`` read keys from files, so
:func:`files` writes a pair once per process into a folder of its own under the temporary
directory (the same bytes every time: derived, like the keys).
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import re
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
TLS_VALID = (datetime(2014, 1, 1, tzinfo=UTC), datetime(2049, 12, 31, 23, 59, 59, tzinfo=UTC))
"""A TLS certificate's validity: the simulated years (checked by the parties on their clock)
and today's date (checked by the clients' TLS stack on the wall clock) both fall inside."""
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


# ------------------------------------------------------------------ TLS between the parties


@dataclass(frozen=True)
class Organisation:
    """Who a TLS client certificate names: ``key`` is a party (``ggk``, ``rinis``, ``cbs``,
    ``gemeente``, ``harness``) or a gemeentecode; ``identifier`` is the certificate's
    ``organizationIdentifier``."""

    key: str
    name: str
    identifier: str

    @property
    def gemeentecode(self) -> str | None:
        return self.key if self.key.isdigit() else None


PARTY_ORGANISATIONS = {
    "gemeente": Organisation("gemeente", "ketentest gemeente-simulator", "00000099000000000001"),
    "ggk": Organisation("ggk", "Inlichtingenbureau (GGk)", "00000099000000000002"),
    "rinis": Organisation("rinis", "BKWI (RINIS)", "00000099000000000003"),
    "cbs": Organisation("cbs", "Centraal Bureau voor de Statistiek", "00000099000000000004"),
    "harness": Organisation("harness", "ketentest harness", "00000099000000000009"),
}
"""The parties and the harness, each with a made-up OIN (20 digits, prefix 00000099: not
issued by Logius) as its ``organizationIdentifier``."""
GEMEENTECODE = re.compile(r"\d{4}")


def organisation(key: str, name: str = "") -> Organisation:
    """A party (or the harness) by name, or a gemeente by its code (``GM<code>``)."""
    if key in PARTY_ORGANISATIONS:
        return PARTY_ORGANISATIONS[key]
    if GEMEENTECODE.fullmatch(key):
        return Organisation(key, name or f"gemeente {key}", f"GM{key}")
    raise ValueError(f"onbekende organisatie '{key}': een partij ({', '.join(PARTY_ORGANISATIONS)}) "
                     "of een gemeentecode van vier cijfers")


def identify(identifier: str) -> str | None:
    """The key of the organisation an ``organizationIdentifier`` names (None: nobody known)."""
    if identifier.startswith("GM") and GEMEENTECODE.fullmatch(identifier[2:]):
        return identifier[2:]
    return next((o.key for o in PARTY_ORGANISATIONS.values() if o.identifier == identifier), None)


def _tls_certificate(key: ec.EllipticCurvePrivateKey, subject: x509.Name, ca: Sleutelpaar,
                     valid: tuple[datetime, datetime], usage, san: list | None, *serial: str) -> Sleutelpaar:
    public = key.public_key()
    builder = (x509.CertificateBuilder()
               .subject_name(subject).issuer_name(ca.certificaat.subject).public_key(public)
               .serial_number(_serienummer("tls", *serial, valid[0].isoformat(), valid[1].isoformat()))
               .not_valid_before(valid[0]).not_valid_after(valid[1])
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(
                   digital_signature=True, content_commitment=False, key_encipherment=False,
                   data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                   encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.sleutel.public_key()),
                              critical=False))
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return Sleutelpaar(key, builder.sign(ca.sleutel, hashes.SHA256()))


def client_certificate(key: str, name: str = "", *, valid: tuple[datetime, datetime] = TLS_VALID,
                       ca: Sleutelpaar | None = None, label: str = "") -> Sleutelpaar:
    """The TLS client certificate of an organisation (:func:`organisation`), issued by ``ca``
    (the test CA by default). ``label``: who uses it, when not the organisation itself (a
    vendor's software for a gemeente), in the common name."""
    org = organisation(key, name)
    ca = ca or test_ca()
    subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, (label or org.name)[:64]),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org.name[:64]),
        x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, org.identifier),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
    ])
    return _tls_certificate(_afgeleid("tls-client", org.identifier), subject, ca, valid,
                            ExtendedKeyUsageOID.CLIENT_AUTH, None, "client", org.identifier, label,
                            ca.certificaat.subject.rfc4514_string())


SERVER_HOSTS = ("localhost", "127.0.0.1", "::1")
"""What a party's server certificate is valid for on this machine (the chain runs on loopback)."""


def server_certificate(party: str, hosts: tuple[str, ...] = (), *,
                       ca: Sleutelpaar | None = None) -> Sleutelpaar:
    """The TLS server certificate of a party (or a partner's endpoint), for loopback and for
    ``hosts`` (names or IP addresses)."""
    ca = ca or test_ca()
    names = tuple(dict.fromkeys((*SERVER_HOSTS, *(h for h in hosts if h and h not in ("0.0.0.0", "::")))))
    san: list[x509.GeneralName] = []
    for host in names:
        try:
            san.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            san.append(x509.DNSName(host))
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{party} (ketentest)"[:64]),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ketentest"),
                         x509.NameAttribute(NameOID.COUNTRY_NAME, "NL")])
    return _tls_certificate(_afgeleid("tls-server", party), subject, ca, TLS_VALID,
                            ExtendedKeyUsageOID.SERVER_AUTH, san, "server", party, *names)


def private_key_pem(pair: Sleutelpaar) -> bytes:
    return pair.sleutel.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())


@cache
def _folder() -> Path:
    seed = hashlib.sha256(SEED).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / f"ketentest-pki-{seed}-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _write(path: Path, data: bytes, mode: int) -> None:
    if path.exists() and path.read_bytes() == data:
        return
    tijdelijk = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(tijdelijk, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    tijdelijk.replace(path)


def files(pair: Sleutelpaar, name: str) -> tuple[str, str]:
    """(certificate file, key file) of ``pair``, written once under a name made of ``name``
    and the certificate's digest (so another certificate never finds a stale file)."""
    pem = pair.certificaat_pem
    stem = f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}-{hashlib.sha256(pem).hexdigest()[:12]}"
    folder = _folder()
    cert, key = folder / f"{stem}.pem", folder / f"{stem}.key"
    _write(key, private_key_pem(pair), 0o600)
    _write(cert, pem, 0o644)
    return str(cert), str(key)


@cache
def client_files(key: str) -> tuple[str, str]:
    """The files of the test CA's client certificate of an organisation (cached per process)."""
    return files(client_certificate(key), f"client-{key}")


@cache
def server_files(party: str, hosts: tuple[str, ...] = ()) -> tuple[str, str]:
    """The files of a party's server certificate (cached per process)."""
    return files(server_certificate(party, hosts), f"server-{party}")


def trust_bundle(*extra: str) -> str:
    """A CA bundle file holding the test CA and the PEM files ``extra`` (a partner's own CA)."""
    data = ca_pem() + b"".join(Path(path).read_bytes().rstrip(b"\n") + b"\n" for path in extra)
    if not extra:
        return str(ca_bestand())
    path = _folder() / f"vertrouwd-{hashlib.sha256(data).hexdigest()[:12]}.pem"
    _write(path, data, 0o644)
    return str(path)
