"""The TLS chain end to end, as users start it (docs/beveiliging.md): ``ketentest up --tls``
in its own process, every call over real TLS on loopback with real certificates of the test
CA; ``ketentest up`` without it says once that the door is open; ``ketentest pki`` writes what
a partner needs; and partner mode runs a role suite against an endpoint served with mutual
TLS, end to end (the partner's endpoint and the harness's own parties both require a client
certificate of the test CA).
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from cryptography import x509
from cryptography.x509.oid import NameOID
from test_cli import free_ports, start, stop_and_read  # ketentest up as its own process

from ketentest.cli import ZONDER_TLS, main
from ketentest.rerun import rerun_base, rerun_command
from ketentest.targets import Targets, Tls
from simulators import pki

ROOT = Path(__file__).resolve().parent.parent
CA = str(pki.ca_bestand())
KLOK = "2016-08-15T09:00"


@pytest.fixture(scope="module")
def tls_chain(tmp_path_factory) -> Iterator[dict[str, str]]:
    process, urls = start("--tls", "--ports", "vrij", "--klok", KLOK,
                          tmp_path=tmp_path_factory.mktemp("tls-keten"), lines=5)
    yield urls
    stop_and_read(process)


def _as(who: str | None, **kwargs) -> dict:
    """What requests needs to call the TLS chain as ``who`` (None: without a certificate)."""
    return {"verify": CA, "cert": pki.client_files(who) if who else None, "timeout": 15, **kwargs}


def _upload(ggk: str, gemeentecode: str, who: str) -> requests.Response:
    csv = ("Aanmaakdatum bestand;Gemeentecode\r\n20160815090000;" + gemeentecode + "\r\n").encode()
    return requests.post(f"{ggk}/api/v1/uploads", data={"gemeentecode": gemeentecode, "gebruiker": "t@x.nl"},
                         files=[("bestand", ("WMO_H12016_regulier.csv", csv))], **_as(who))


def test_up_tls_lets_each_gemeente_reach_only_its_own_files(tls_chain):
    ggk = tls_chain["ggk"]
    assert all(url.startswith("https://") for name, url in tls_chain.items() if name != "regie")

    refused = _upload(ggk, "0363", "0344")  # Utrecht's software names Amsterdam
    assert refused.status_code == 403, refused.text
    assert "gemeente Utrecht (GM0344)" in refused.json()["melding"]
    assert requests.get(f"{ggk}/api/v1/gemeenten/0363/uploads", **_as("0363")).json() == []

    taken = _upload(ggk, "0363", "0363")
    assert taken.status_code == 201, taken.text
    referentie = taken.json()["uploads"][0]["referenties"][0]["referentie"]

    deadline, rapport = time.monotonic() + 30, None
    while rapport is None and time.monotonic() < deadline:
        items = requests.get(f"{ggk}/api/v1/gemeenten/0363/downloads", params={"wacht": 5},
                             **_as("0363")).json()
        rapport = next((i for i in items if i["correlatie"] == referentie), None)
    assert rapport is not None, "no technical report for Amsterdam's upload"
    pad = f"/api/v1/gemeenten/0363/downloads/{rapport['id']}"

    eigen = requests.get(ggk + pad, **_as("0363"))
    assert eigen.status_code == 200 and zipfile.ZipFile(io.BytesIO(eigen.content)).namelist()
    ander = requests.get(ggk + pad, **_as("0344"))
    assert ander.status_code == 403 and not ander.content.startswith(b"PK")
    assert requests.get(f"{ggk}/api/v1/gemeenten/0363/downloads", **_as("0344")).status_code == 403

    toegang = requests.get(f"{ggk}/_beheer/toegang", **_as("harness")).json()
    assert sum("GM0344" in regel["wie"] for regel in toegang) == 3, toegang


def test_up_tls_refuses_a_caller_without_a_certificate_and_audits_it(tls_chain):
    ggk = tls_chain["ggk"]
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{ggk}/api/v1/gemeenten/0363/downloads", **_as(None))
    with pytest.raises(requests.exceptions.ConnectionError):  # plain HTTP on the HTTPS port
        requests.get(ggk.replace("https://", "http://") + "/health", timeout=15)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # the refusal is written after the handshake ended
        regels = requests.get(f"{ggk}/_beheer/toegang", params={"actie": "tls-handshake"},
                              **_as("harness")).json()
        if {"geen clientcertificaat aangeboden", "gewone HTTP op de HTTPS-poort"} <= {r["details"]
                                                                                    for r in regels}:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"the refused handshakes are not in the access log: {regels}")


def test_up_tls_control_api_is_the_harnesss_only(tls_chain):
    rinis = tls_chain["rinis"]
    assert requests.get(f"{rinis}/_beheer/klok", **_as("harness")).status_code == 200
    refused = requests.get(f"{rinis}/_beheer/klok", **_as("ggk"))
    assert refused.status_code == 403 and "alleen voor de harness" in refused.json()["melding"]
    assert requests.get(f"{rinis}/mappen/RGMSD001", **_as("cbs")).status_code == 200
    assert requests.get(f"{rinis}/mappen/RGMSD001", **_as("0363")).status_code == 403


def test_the_regie_reads_the_tls_chain_with_the_harnesss_certificate(tls_chain):
    answer = requests.get(f"{tls_chain['regie']}/api/keten", timeout=30).json()
    assert {p["partij"]: p["bereikbaar"] for p in answer["partijen"]} == {
        "gemeente": True, "ggk": True, "rinis": True, "cbs": True}, answer["partijen"]


def test_up_says_once_that_a_chain_without_tls_is_open(tmp_path):
    process, urls = start("--ports", "vrij", tmp_path=tmp_path, lines=5)
    assert urls["ggk"].startswith("http://")
    assert stop_and_read(process).count(ZONDER_TLS) == 1


def test_up_with_tls_does_not_say_the_door_is_open(tmp_path):
    process, _ = start("--party", "cbs", "--tls", "--port", "0", tmp_path=tmp_path, lines=1)
    assert ZONDER_TLS not in stop_and_read(process)


def test_pki_writes_a_partners_client_and_server_certificates(tmp_path):
    result = CliRunner().invoke(main, ["pki", "--uit", str(tmp_path), "--client", "0363", "--label",
                                       "Leverancier X", "--client", "rinis", "--server", "rinis",
                                       "--host", "rinis.example", "--host", "10.1.2.3"])
    assert result.exit_code == 0, result.output
    ca = x509.load_pem_x509_certificate((tmp_path / "ca.pem").read_bytes())
    client = x509.load_pem_x509_certificate((tmp_path / "client-0363.pem").read_bytes())
    client.verify_directly_issued_by(ca)
    assert client.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)[0].value == "GM0363"
    assert client.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Leverancier X"
    party = x509.load_pem_x509_certificate((tmp_path / "client-rinis.pem").read_bytes())
    oin = party.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)[0].value
    assert pki.identify(oin) == "rinis"
    server = x509.load_pem_x509_certificate((tmp_path / "server-rinis.pem").read_bytes())
    server.verify_directly_issued_by(ca)
    san = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "rinis.example" in san.get_values_for_type(x509.DNSName)
    assert "10.1.2.3" in {str(a) for a in san.get_values_for_type(x509.IPAddress)}
    assert (tmp_path / "server-rinis.key").stat().st_mode & 0o077 == 0


def test_pki_refuses_an_unknown_organisation_and_writes_nothing(tmp_path):
    result = CliRunner().invoke(main, ["pki", "--uit", str(tmp_path / "uit"), "--client", "9999"])
    assert result.exit_code != 0 and "9999" in result.output
    assert not (tmp_path / "uit").exists()


def test_partner_mode_runs_the_rinis_role_over_mutual_tls_end_to_end(tmp_path):
    """A partner's RINIS served with mutual TLS (here our simulator, with a server certificate
    of the test CA), the harness's GGk and CBS served with it too: every check passes, and the
    rerun commands carry --tls."""
    ggk, cbs = free_ports(2)
    partner, urls = start("--party", "rinis", "--tls", "--port", "0", "--klok", KLOK, "--ggk-url",
                          f"https://127.0.0.1:{ggk}", "--cbs-url", f"https://127.0.0.1:{cbs}",
                          tmp_path=tmp_path / "partner", lines=1)
    try:
        assert urls["rinis"].startswith("https://")
        certs = tmp_path / "pki"
        assert CliRunner().invoke(main, ["pki", "--uit", str(certs)]).exit_code == 0
        run = subprocess.run(
            [sys.executable, "-m", "ketentest.cli", "run", "--tls", "--suite", "burentest,foutafhandeling",
             "--tags", "rol:rinis", "--target", f"rinis={urls['rinis']}", "--ca", str(certs / "ca.pem"),
             "--poort", f"ggk={ggk}", "--poort", f"cbs={cbs}", "--report", str(tmp_path / "rapport")],
            cwd=ROOT, capture_output=True, text=True, timeout=600)
    finally:
        partner_log = stop_and_read(partner)
    uitvoer = run.stdout + run.stderr
    assert run.returncode == 0, f"{uitvoer[-4000:]}\n{partner_log[-2000:]}"
    assert f"harness ggk https://127.0.0.1:{ggk}" in uitvoer  # the partner calls the harness over TLS too
    voldaan = re.search(r"Partnerrapport: (\d+) van (\d+) controles voldaan", uitvoer)
    assert voldaan and voldaan[1] == voldaan[2] and int(voldaan[2]) >= 10, uitvoer[-3000:]
    rapport = (tmp_path / "rapport" / "partnerrapport.md").read_text(encoding="utf-8")
    assert f"`https://127.0.0.1:{cbs}`" in rapport


def test_a_failed_checks_rerun_command_keeps_the_tls_chain():
    doelen = Targets({"rinis": "https://rinis.example:8443"}, Tls(ca="/x/ca.pem"))
    command = rerun_command(rerun_base("burentest", "rol:rinis", doelen, None, tls=True), "Een controle")
    assert " --tls " in command and "--target rinis=https://rinis.example:8443" in command
    assert "--tls" not in rerun_base("burentest", None, doelen, None)
