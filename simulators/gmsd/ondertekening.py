"""The signed opt-in: a decision that travels with the XML signature of the person who took it.

An opt-in, opt-out or withdrawal has legal weight (DOMAIN.md "Opt-in"). The GGk therefore
sends the CSV of docs/optin.md together with an *ondertekend besluit*: a small XML
document (``schemas/ketentest/ondertekening.xsd``) that names the CSV, its SHA-256, the
gemeente, the period, the signer and the moment, signed with an enveloped XML signature
(signxml, exclusive canonicalisation, ECDSA-SHA256) and the signer's certificate from the
harness's test CA (``simulators.pki``). Both go in one ZIP, ``<name of the CSV>.zip``
holding ``<stem>.csv`` and ``<stem>.xml``, so RINIS carries them as one file.

CBS checks (:func:`controleer`) and refuses, each with its own code (docs/ondertekening.md):

- KT101 no signature (a bare CSV, or a ZIP without the XML);
- KT102 tampered: the XML or the CSV changed after signing, or the two do not match;
- KT103 foreign: a certificate not issued by the test CA, or one of a person of another
  gemeente, or a signer other than the one the decision names;
- KT104 the certificate is not valid on the simulated date, or the signing moment lies
  outside it or after today;
- KT105 replayed: the same signed decision again (CBS keeps what it accepted).
"""

from __future__ import annotations

import base64
import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from cryptography import x509
from lxml import etree
from signxml import (
    InvalidCertificate,
    InvalidDigest,
    InvalidInput,
    InvalidSignature,
    SignatureConfiguration,
    XMLSigner,
    XMLVerifier,
)
from signxml.algorithms import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureConstructionMethod,
    SignatureMethod,
)

from .. import pki
from ..stuf.schema import parse_xml

NS = "urn:ketentest:gmsd:ondertekening:1"
DS = "http://www.w3.org/2000/09/xmldsig#"
XSD = Path(__file__).resolve().parent.parent / "schemas" / "ketentest" / "ondertekening.xsd"
EXC_C14N = CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0
VELDEN = ("bestandsnaam", "sha256", "soort", "gemeentecode", "periode", "ondertekenaar", "tijdstip")

ONTBREEKT, GEWIJZIGD, VREEMD, NIET_GELDIG, HERHAALD = "KT101", "KT102", "KT103", "KT104", "KT105"


class SignatureError(ValueError):
    """CBS refuses this decision: ``code`` (KT101–KT105) and a Dutch ``melding``."""

    def __init__(self, code: str, melding: str) -> None:
        super().__init__(f"{code}: {melding}")
        self.code = code
        self.melding = melding


@dataclass(frozen=True)
class Besluit:
    """What the person signs."""

    id: str                 # besluit-<uuid>: what CBS remembers against replay
    bestandsnaam: str       # the CSV's name
    sha256: str             # base64 of the CSV's SHA-256
    soort: str              # OPTIN or INTREKKING
    gemeentecode: str
    periode: str
    ondertekenaar: str      # the person's e-mail address, as on the certificate
    tijdstip: datetime      # the moment of signing, on the signer's clock


@dataclass(frozen=True)
class Gecontroleerd:
    """A decision CBS accepted, and who signed it."""

    besluit: Besluit
    houder: pki.Houder


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD), etree.XMLParser(no_network=True)))


def digest(inhoud: bytes) -> str:
    return base64.b64encode(hashlib.sha256(inhoud).digest()).decode()


def besluit_voor(csv_naam: str, csv: bytes, ondertekenaar: str, tijdstip: datetime) -> Besluit:
    """The decision for a CSV named as docs/optin.md says (``OPTIN_<periode>_<code>_<ts>.csv``)."""
    soort, periode, gemeentecode, _ = csv_naam.removesuffix(".csv").split("_")
    return Besluit(f"besluit-{uuid.uuid4()}", csv_naam, digest(csv), soort, gemeentecode, periode,
                   ondertekenaar, tijdstip)


def onderteken(besluit: Besluit, paar: pki.Sleutelpaar) -> bytes:
    """The signed XML of a decision (enveloped signature, exclusive c14n, the certificate in KeyInfo)."""
    root = etree.Element(f"{{{NS}}}ondertekendBesluit", nsmap={None: NS}, Id=besluit.id)
    for veld in VELDEN:
        waarde = getattr(besluit, veld)
        etree.SubElement(root, f"{{{NS}}}{veld}").text = (waarde.isoformat() if isinstance(waarde, datetime)
                                                          else waarde)
    signer = XMLSigner(method=SignatureConstructionMethod.enveloped,
                       signature_algorithm=SignatureMethod.ECDSA_SHA256,
                       digest_algorithm=DigestAlgorithm.SHA256, c14n_algorithm=EXC_C14N)
    signed = signer.sign(root, key=paar.sleutel, cert=[paar.certificaat])
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def zipnaam(csv_naam: str) -> str:
    return csv_naam.removesuffix(".csv") + ".zip"


def verpak(csv_naam: str, csv: bytes, xml: bytes | None) -> bytes:
    """The ZIP that travels: the CSV and, beside it, its signed decision."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(csv_naam, csv)
        if xml is not None:
            zf.writestr(csv_naam.removesuffix(".csv") + ".xml", xml)
    return buffer.getvalue()


def _certificaat(root: etree._Element) -> x509.Certificate:
    node = root.find(f"{{{DS}}}Signature/{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate")
    if node is None or not (node.text or "").strip():
        raise SignatureError(VREEMD, "de handtekening bevat geen certificaat van de ondertekenaar")
    try:
        return x509.load_der_x509_certificate(base64.b64decode("".join(node.text.split())))
    except ValueError:
        raise SignatureError(VREEMD, "het certificaat in de handtekening is onleesbaar") from None


def _dag(moment: datetime) -> str:
    return f"{moment:%d-%m-%Y}"


def controleer(csv_naam: str, csv: bytes, xml: bytes | None, *, nu: datetime,
               ca_bestand: Path | None = None) -> Gecontroleerd:
    """Check a decision as CBS does, on its simulated moment ``nu``, trusting the CA in
    ``ca_bestand`` (PEM; the test CA by default); raises :class:`SignatureError`."""
    if xml is None:
        raise SignatureError(
            ONTBREEKT, f"'{csv_naam}' is niet ondertekend: een opt-in of intrekking komt als "
                                  "ZIP met het CSV-bestand en het ondertekende besluit (XML)")
    try:
        root = parse_xml(xml)
    except ValueError as exc:
        raise SignatureError(GEWIJZIGD, f"het ondertekende besluit is geen geldige XML: {exc}") from None
    if not _schema().validate(root):
        raise SignatureError(GEWIJZIGD, f"het ondertekende besluit volgt ondertekening.xsd niet: "
                                  f"{_schema().error_log.last_error.message}")
    if root.find(f"{{{DS}}}Signature") is None:
        raise SignatureError(ONTBREEKT, f"het besluit bij '{csv_naam}' heeft geen handtekening")
    c14n = root.find(f"{{{DS}}}Signature/{{{DS}}}SignedInfo/{{{DS}}}CanonicalizationMethod")
    if c14n is None or c14n.get("Algorithm") != EXC_C14N.value:
        raise SignatureError(
            GEWIJZIGD, "de handtekening gebruikt geen exclusieve canonicalisatie (xml-exc-c14n)")
    cert = _certificaat(root)
    wie = pki.houder(cert)
    van, tot = cert.not_valid_before_utc, cert.not_valid_after_utc
    vandaag = nu if nu.tzinfo else nu.astimezone()
    if not van <= vandaag <= tot:
        raise SignatureError(
            NIET_GELDIG, f"het certificaat van {wie.naam or wie.email} is geldig van {_dag(van)} "
                                    f"tot {_dag(tot)}, niet op {_dag(vandaag)}")
    config = SignatureConfiguration(signature_methods=frozenset({SignatureMethod.ECDSA_SHA256}),
                                    digest_algorithms=frozenset({DigestAlgorithm.SHA256}),
                                    verification_time=vandaag)
    try:
        result = XMLVerifier().verify(xml, ca_pem_file=str(ca_bestand or pki.ca_bestand()),
                                      expect_config=config)
    except InvalidCertificate:
        raise SignatureError(VREEMD, f"het certificaat van {wie.naam or wie.email} ({wie.email}) is niet "
                               "uitgegeven door de test-CA van de keten") from None
    except (InvalidDigest, InvalidSignature):
        raise SignatureError(
            GEWIJZIGD, "het besluit is gewijzigd na ondertekening: de handtekening klopt niet "
                                  "meer") from None
    except InvalidInput as exc:  # an algorithm or form CBS does not accept
        raise SignatureError(GEWIJZIGD, f"de handtekening is niet te controleren: {exc}"[:300]) from None
    signed = result.signed_xml  # read only what the signature covers
    waarden = {veld: signed.findtext(f"{{{NS}}}{veld}") or "" for veld in VELDEN}
    besluit = Besluit(signed.get("Id", ""), waarden["bestandsnaam"], waarden["sha256"], waarden["soort"],
                      waarden["gemeentecode"], waarden["periode"], waarden["ondertekenaar"],
                      datetime.fromisoformat(waarden["tijdstip"]))
    if besluit.bestandsnaam != csv_naam:
        raise SignatureError(
            GEWIJZIGD, f"het besluit is ondertekend voor '{besluit.bestandsnaam}', niet voor "
                                  f"'{csv_naam}'")
    if besluit.sha256 != digest(csv):
        raise SignatureError(
            GEWIJZIGD, f"'{csv_naam}' is gewijzigd na ondertekening: de SHA-256 wijkt af van "
                                  "die in het ondertekende besluit")
    soort, periode, gemeentecode, _ = csv_naam.removesuffix(".csv").split("_")
    if (besluit.soort, besluit.periode, besluit.gemeentecode) != (soort, periode, gemeentecode):
        raise SignatureError(
            GEWIJZIGD, "soort, periode of gemeente in het besluit wijken af van de bestandsnaam")
    if wie.gemeentecode != besluit.gemeentecode:
        raise SignatureError(
            VREEMD, f"ondertekend door {wie.naam} van gemeente {wie.gemeentecode or 'onbekend'}, "
                               f"niet door een medewerker van {besluit.gemeentecode}")
    if wie.email.lower() != besluit.ondertekenaar.lower():
        raise SignatureError(VREEMD, f"het besluit noemt {besluit.ondertekenaar} als ondertekenaar, maar het "
                               f"certificaat is van {wie.email}")
    getekend = besluit.tijdstip if besluit.tijdstip.tzinfo else besluit.tijdstip.astimezone()
    if not van <= getekend <= tot or getekend.date() > vandaag.astimezone(getekend.tzinfo).date():
        raise SignatureError(NIET_GELDIG, f"ondertekend op {_dag(getekend)}: buiten de geldigheid van het "
                                    f"certificaat ({_dag(van)} tot {_dag(tot)}) of na vandaag "
                                    f"({_dag(vandaag)})")
    return Gecontroleerd(besluit, wie)
