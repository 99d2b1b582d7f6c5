"""Targets for a conformance run: parsing, the config file, and one clear sentence when a
partner's endpoint cannot be reached (a failed TLS handshake above all)."""

from __future__ import annotations

import http.server
import ipaddress
import socket
import ssl
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask import Flask

from ketentest.targets import TargetError, Targets, Tls, check_reachable, make_targets, parse_target
from simulators.server import ServedApp

ROOT = Path(__file__).resolve().parent.parent


def _self_signed(tmp_path: Path, naam: str) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as PEM files (a test CA of one)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, naam)])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / f"{naam}.pem", tmp_path / f"{naam}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def tls_partner(tmp_path):
    """An HTTPS endpoint with its own certificate; ``client_ca`` set: it demands a client
    certificate signed by that CA (mutual TLS)."""
    servers = []

    def start(client_ca: Path | None = None) -> tuple[str, Path]:
        cert, key = _self_signed(tmp_path, f"partner{len(servers)}")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        if client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(client_ca)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Antwoord)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"https://127.0.0.1:{server.server_address[1]}", cert

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class _Antwoord(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the name http.server asks for
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def plain_http():
    """A plain HTTP server: what an https:// target meets when the partner does not speak TLS."""
    app = Flask("plain")
    app.add_url_rule("/", "root", lambda: "hallo")
    server = ServedApp(app, "127.0.0.1", 0).start()
    yield server.url
    server.stop()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_target_is_a_known_party_and_an_http_url():
    assert parse_target("RINIS=https://rinis.example:8443/ketentest/") == (
        "rinis", "https://rinis.example:8443/ketentest")
    with pytest.raises(TargetError, match="PARTIJ=URL"):
        parse_target("router=https://x")
    with pytest.raises(TargetError, match="geen http"):
        parse_target("rinis=ftp://x")


def test_the_config_file_gives_targets_tls_and_ports_and_the_command_line_wins(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    config = tmp_path / "ketentest.toml"
    config.write_text(f'[target]\nrinis = "https://a.example"\nggk = "https://g.example"\n'
                      f'[tls]\nca = "{ca}"\n[harness]\nhost = "0.0.0.0"\n[harness.poorten]\ncbs = 9104\n',
                      encoding="utf-8")
    doelen = make_targets(["rinis=https://b.example"], config, poorten=["ggk=9102"])
    assert doelen.urls == {"rinis": "https://b.example", "ggk": "https://g.example"}
    assert doelen.tls.verify == str(ca) and doelen.host == "0.0.0.0"
    assert doelen.poorten == {"cbs": 9104, "ggk": 9102}
    assert Targets.from_json(doelen.to_json()) == doelen, "it travels to pytest as JSON unchanged"
    with pytest.raises(TargetError, match="bestaat niet"):
        make_targets([], cert=str(tmp_path / "weg.pem"))
    config.write_text("[doel]\n", encoding="utf-8")
    with pytest.raises(TargetError, match="onbekende secties"):
        make_targets([], config)


def test_a_partner_certificate_the_harness_does_not_trust_is_one_clear_sentence(tls_partner):
    url, cert = tls_partner()
    with pytest.raises(TargetError) as caught:
        check_reachable(Targets({"rinis": url}))
    tekst = str(caught.value)
    assert "TLS-handshake met rinis" in tekst and "CERTIFICATE_VERIFY_FAILED" in tekst, tekst
    assert "--ca" in tekst, tekst
    # with --ca it is trusted: reached (404 counts)
    check_reachable(Targets({"rinis": url}, Tls(ca=str(cert))))


def test_mutual_tls_needs_the_client_certificate(tls_partner, tmp_path):
    client_cert, client_key = _self_signed(tmp_path, "harness")
    url, cert = tls_partner(client_ca=client_cert)
    with pytest.raises(TargetError, match="TLS-handshake met ggk"):
        check_reachable(Targets({"ggk": url}, Tls(ca=str(cert))))
    check_reachable(Targets({"ggk": url}, Tls(ca=str(cert), cert=str(client_cert), key=str(client_key))))


def test_an_unreachable_target_is_named(plain_http):
    check_reachable(Targets({"rinis": plain_http}))  # any HTTP answer counts as reached
    with pytest.raises(TargetError, match="rinis .* is niet bereikbaar: Connection refused"):
        check_reachable(Targets({"rinis": f"http://127.0.0.1:{_closed_port()}"}))


def test_run_stops_before_any_scenario_when_the_handshake_fails(tls_partner, tmp_path):
    url, _cert = tls_partner()
    run = subprocess.run([sys.executable, "-m", "ketentest.cli", "run", "--suite", "burentest",
                          "--tags", "rol:rinis", "--target", f"rinis={url}", "--report", str(tmp_path / "r")],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "TLS-handshake met rinis" in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert not (tmp_path / "r" / "junit.xml").exists(), "no scenario ran"
