"""The signed opt-in (docs/ondertekening.md): the test CA every process derives alike, the
checks of simulators.gmsd.ondertekening that the scenarios do not reach, and a GGk that
forgets to sign, refused by CBS with a Fo01 that lands in the GGk portal's audit log."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml import XMLSigner
from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm, SignatureMethod

from simulators import pki
from simulators.chain import Chain
from simulators.clock import AMSTERDAM, SimulatedClock
from simulators.gmsd import ondertekening

NAAM = "OPTIN_H12016_0363_20161110090000.csv"
CSV = b"Naam organisatie;verslagperiode\r\nAmsterdam;H12016\r\n"
NU = datetime(2016, 11, 10, 9, 0, tzinfo=AMSTERDAM)
HENK = ("henk@amsterdam.nl", "Henk de Vries", "0363", "Amsterdam")


def _getekend(**kwargs) -> bytes:
    besluit = ondertekening.besluit_voor(NAAM, CSV, HENK[0], NU)
    return ondertekening.onderteken(besluit, pki.persoon(*HENK, **kwargs))


def _publieke_sleutel() -> bytes:
    return pki.test_ca().certificaat.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def test_every_process_derives_the_same_test_ca_and_person_keys():
    """A GGk started on its own signs with keys the harness's CBS trusts: same seed, same keys."""
    code = ("from cryptography.hazmat.primitives import serialization as s; from simulators import pki; "
            "print(pki.test_ca().certificaat.public_key().public_bytes(s.Encoding.PEM, "
            "s.PublicFormat.SubjectPublicKeyInfo).decode())")
    ander = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert ander.encode().strip() == _publieke_sleutel().strip()
    assert pki.persoon(*HENK).sleutel.private_numbers() == pki.persoon(*HENK).sleutel.private_numbers()
    assert (pki.persoon(*HENK).sleutel.private_numbers()
            != pki.persoon("piet@amsterdam.nl", "Piet", "0363", "Amsterdam").sleutel.private_numbers())
    assert pki.vreemde_ca().certificaat.public_key() != pki.test_ca().certificaat.public_key()


def test_a_person_certificate_names_the_gemeente_and_the_address():
    houder = pki.houder(pki.persoon(*HENK).certificaat)
    assert (houder.naam, houder.email, houder.gemeentecode) == ("Henk de Vries", "henk@amsterdam.nl", "0363")


def test_a_signature_made_with_inclusive_c14n_is_refused():

    root = etree.fromstring(_getekend())
    root.remove(root[-1])  # the exclusive signature; sign again with inclusive c14n 1.1
    signer = XMLSigner(signature_algorithm=SignatureMethod.ECDSA_SHA256,
                       digest_algorithm=DigestAlgorithm.SHA256,
                       c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_1)
    paar = pki.persoon(*HENK)
    xml = etree.tostring(signer.sign(root, key=paar.sleutel, cert=[paar.certificaat]))
    with pytest.raises(ondertekening.SignatureError, match="exclusieve canonicalisatie") as caught:
        ondertekening.controleer(NAAM, CSV, xml, nu=NU)
    assert caught.value.code == "KT102"


@pytest.mark.parametrize("xml, code, tekst", [
    pytest.param(b"geen xml", "KT102", "geen geldige XML", id="not-xml"),
    pytest.param(b"<ondertekendBesluit xmlns='urn:ketentest:gmsd:ondertekening:1'/>", "KT102",
                 "ondertekening.xsd", id="not-the-schema"),
    pytest.param(b'<!DOCTYPE x [<!ENTITY a "b">]><x/>', "KT102", "DOCTYPE", id="doctype"),
])
def test_a_decision_that_is_no_decision_is_refused(xml, code, tekst):
    with pytest.raises(ondertekening.SignatureError, match=tekst) as caught:
        ondertekening.controleer(NAAM, CSV, xml, nu=NU)
    assert caught.value.code == code


def test_the_signed_decision_is_read_from_what_the_signature_covers():
    """A second element outside the signature cannot change what CBS reads: the schema
    refuses it, and the fields come from signxml's signed_xml."""
    xml = _getekend().replace(b"<ds:Signature", b"<periode>H22016</periode><ds:Signature", 1)
    with pytest.raises(ondertekening.SignatureError) as caught:
        ondertekening.controleer(NAAM, CSV, xml, nu=NU)
    assert caught.value.code == "KT102"
    assert ondertekening.controleer(NAAM, CSV, _getekend(), nu=NU).besluit.periode == "H12016"


def test_a_ggk_that_does_not_sign_gets_a_fo01_from_cbs_and_an_audit_line(tmp_path):
    """The defect optin-niet-ondertekenen: CBS refuses KT101, the gemeente gets the Fo01, and
    the GGk writes the refusal in its portal audit log under the person who decided."""
    clock = SimulatedClock(datetime(2016, 8, 15, 9, 0))
    with Chain(tmp_path, clock, options={"ggk": {"defecten": "optin-niet-ondertekenen"}}) as chain:
        response = requests.post(f"{chain.urls['gemeente']}/api/v1/aanleveringen",
                                 json={"rijen": 10, "seed": 1}, timeout=10)
        assert response.status_code == 201, response.text
        assert chain.wait_idle(20)
        response = requests.post(f"{chain.urls['ggk']}/api/v1/gemeenten/0363/optin", json={
            "gebruiker": "henk@amsterdam.nl", "naam": "Henk de Vries", "telefoon": "020-1234567",
            "periode": "H12016", "besluiten": {"WMO": "opt-in"}}, timeout=10)
        assert response.status_code == 201, response.text
        referentie = response.json()["referentie"]
        assert chain.wait_idle(20)

        [cbs_regel] = requests.get(f"{chain.urls['cbs']}/_beheer/audit", timeout=10).json()
        assert (cbs_regel["actie"], cbs_regel["resultaat"], cbs_regel["gemeentecode"]) == (
            "optin", "geweigerd", "0363"), cbs_regel
        assert "KT101" in cbs_regel["details"], cbs_regel
        assert cbs_regel["herkomst"].startswith("RINIS RGMSD001/"), cbs_regel
        downloads = requests.get(f"{chain.urls['ggk']}/api/v1/gemeenten/0363/downloads", timeout=10).json()
        assert f"Fo01_{referentie}.xml" in [d["bestandsnaam"] for d in downloads], downloads
        [ggk_regel] = requests.get(f"{chain.urls['ggk']}/_beheer/audit",
                                   params={"gemeente": "0363", "actie": "optin"}, timeout=10).json()
        assert (ggk_regel["wie"], ggk_regel["resultaat"], ggk_regel["herkomst"]) == (
            "henk@amsterdam.nl", "geweigerd", "Fo01 van CBS via RINIS"), ggk_regel
        assert "KT101" in ggk_regel["details"] and referentie in ggk_regel["details"], ggk_regel
        [optin] = requests.get(f"{chain.urls['ggk']}/api/v1/gemeenten/0363/optin", timeout=10).json()
        assert optin["status"] == "geweigerd" and optin["melding"].startswith("KT101"), optin
        wmo = requests.get(f"{chain.urls['cbs']}/api/v1/status", timeout=10,
                           params={"gemeente": "0363", "periode": "H12016", "soort": "WMO"}).json()
        statussen = [h["status"] for lv in wmo for h in lv["historie"]]
        assert "opt-in" not in statussen, f"an unsigned opt-in counted: {statussen}"


def test_ketentest_pki_writes_what_a_partner_signs_with(tmp_path):
    """A partner's GGk signs with the key and certificate `ketentest pki` wrote; CBS accepts it,
    and the CA file is the one CBS trusts."""
    from click.testing import CliRunner
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    from ketentest.cli import main

    result = CliRunner().invoke(main, ["pki", "--uit", str(tmp_path), "--email", "henk@amsterdam.nl",
                                       "--naam", "Henk de Vries", "--gemeente", "0363"])
    assert result.exit_code == 0, result.output
    paar = pki.Sleutelpaar(load_pem_private_key((tmp_path / "henk@amsterdam.nl.key").read_bytes(), None),
                           x509.load_pem_x509_certificate((tmp_path / "henk@amsterdam.nl.pem").read_bytes()))
    xml = ondertekening.onderteken(ondertekening.besluit_voor(NAAM, CSV, HENK[0], NU), paar)
    gecontroleerd = ondertekening.controleer(NAAM, CSV, xml, nu=NU, ca_bestand=tmp_path / "ca.pem")
    assert gecontroleerd.houder.gemeentecode == "0363"
    refused = CliRunner().invoke(main, ["pki", "--uit", str(tmp_path), "--email", "x@y.nl",
                                        "--gemeente", "9999"])
    assert refused.exit_code != 0 and "onbekend" in refused.output
