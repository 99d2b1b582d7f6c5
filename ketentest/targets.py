"""Targets: a partner's real endpoint that takes the place of a simulated party.

``ketentest run --target rinis=https://rinis.example:8443`` (or ``[target]`` in
``ketentest.toml``) makes the harness start the other parties only and send what it
would send to RINIS to that URL. The URL is the base under which the partner serves the
paths of its role's contract (``docs/interfaces/``): ``/stuf/ontvang`` for a StUF
endpoint, ``/mappen/...`` for the RINIS folder API, ``/rinis/nieuw`` for CBS's
announcement endpoint, ``/api/v1/...`` for the GGk web service.

TLS: a CA bundle to trust the partner's certificate, and a client certificate and key
for mutual TLS. :func:`check_reachable` makes one request to each target before a run, so a
failed handshake is reported in one clear sentence instead of as every check failing.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests

PARTIJEN = ("gemeente", "ggk", "rinis", "cbs")
ENVIRONMENT = "KETENTEST_DOELEN"
"""The environment variable through which ``ketentest run`` hands the targets to pytest."""
TLS_VARIABLE = "KETENTEST_TLS"
"""Set by ``ketentest run --tls``: every scenario on a chain served with mutual TLS."""


class TargetError(ValueError):
    """A target that cannot be used as given (Dutch, for the command line)."""


@dataclass(frozen=True)
class Tls:
    ca: str | None = None     # CA bundle (PEM) to verify the partner's certificate
    cert: str | None = None   # client certificate (PEM) for mutual TLS
    key: str | None = None    # its private key (PEM)

    @property
    def verify(self) -> bool | str:
        return self.ca or True

    @property
    def client(self) -> tuple[str, str] | str | None:
        if self.cert and self.key:
            return (self.cert, self.key)
        return self.cert

    def apply(self, session: requests.Session) -> requests.Session:
        """Use these settings on ``session``. requests lets ``REQUESTS_CA_BUNDLE`` override a
        session's ``verify`` (psf/requests#3829), so the CA is forced per request as well."""
        session.verify = self.verify
        if self.client:
            session.cert = self.client
        if self.ca:
            merge = session.merge_environment_settings

            def merge_with_ca(url, proxies, stream, verify, cert):
                settings = merge(url, proxies, stream, verify, cert)
                if verify is None or verify is True:
                    settings["verify"] = self.ca
                return settings

            session.merge_environment_settings = merge_with_ca
        return session


@dataclass(frozen=True)
class Targets:
    """The partner endpoints of a run, and how to reach them."""

    urls: dict[str, str] = field(default_factory=dict)
    tls: Tls = field(default_factory=Tls)
    host: str = "127.0.0.1"          # where the harness's own parties listen
    poorten: dict[str, int] = field(default_factory=dict)  # their ports (0: any free one)

    def __bool__(self) -> bool:
        return bool(self.urls)

    def to_json(self) -> str:
        return json.dumps({"urls": self.urls, "tls": self.tls.__dict__, "host": self.host,
                           "poorten": self.poorten})

    @classmethod
    def from_json(cls, text: str) -> Targets:
        data = json.loads(text)
        return cls(dict(data.get("urls", {})), Tls(**data.get("tls", {})), data.get("host", "127.0.0.1"),
                   {k: int(v) for k, v in data.get("poorten", {}).items()})

    @classmethod
    def from_environment(cls) -> Targets:
        text = os.environ.get(ENVIRONMENT)
        return cls.from_json(text) if text else cls()


def parse_target(waarde: str) -> tuple[str, str]:
    """``rinis=https://host:port/pad`` → ("rinis", "https://host:port/pad")."""
    partij, sep, url = waarde.partition("=")
    partij = partij.strip().lower()
    if not sep or partij not in PARTIJEN:
        raise TargetError(f"'{waarde}': gebruik PARTIJ=URL met PARTIJ een van {', '.join(PARTIJEN)}")
    delen = urlsplit(url.strip())
    if delen.scheme not in ("http", "https") or not delen.netloc:
        raise TargetError(f"'{url}' is geen http(s)-adres, bijvoorbeeld https://rinis.example:8443")
    return partij, url.strip().rstrip("/")


def read_config(pad: Path) -> dict:
    """``ketentest.toml``: ``[target]`` partij = url; ``[tls]`` ca, cert, key;
    ``[harness]`` host and per-party ports."""
    try:
        data = tomllib.loads(pad.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TargetError(f"{pad} is niet te lezen: {exc}") from None
    onbekend = sorted(set(data) - {"target", "tls", "harness"})
    if onbekend:
        raise TargetError(f"{pad}: onbekende secties {onbekend}; wel: target, tls, harness")
    return data


def make_targets(targets: list[str], config: Path | None = None, ca: str | None = None,
                 cert: str | None = None, key: str | None = None, host: str | None = None,
                 poorten: list[str] | None = None) -> Targets:
    """The targets of a run: the config file first, the command line over it."""
    data = read_config(config) if config else {}
    urls = {}
    for partij, url in data.get("target", {}).items():
        urls.update([parse_target(f"{partij}={url}")])
    for waarde in targets:
        urls.update([parse_target(waarde)])
    tls_data = data.get("tls", {})
    tls = Tls(ca or tls_data.get("ca"), cert or tls_data.get("cert"), key or tls_data.get("key"))
    for naam, pad in (("ca", tls.ca), ("cert", tls.cert), ("key", tls.key)):
        if pad and not Path(pad).is_file():
            raise TargetError(f"TLS {naam}-bestand '{pad}' bestaat niet")
    if tls.key and not tls.cert:
        raise TargetError("een TLS-sleutel zonder certificaat: geef ook --cert")
    harness = data.get("harness", {})
    vaste = {k: int(v) for k, v in harness.get("poorten", {}).items()}
    for waarde in poorten or []:
        partij, sep, poort = waarde.partition("=")
        if not sep or partij not in PARTIJEN or not poort.isdigit():
            raise TargetError(f"'{waarde}': gebruik PARTIJ=POORT, bijvoorbeeld ggk=8102")
        vaste[partij] = int(poort)
    return Targets(urls, tls, host or harness.get("host", "127.0.0.1"), vaste)


def check_reachable(doelen: Targets, timeout: float = 10.0) -> None:
    """Reach every target once; raise :class:`TargetError` saying what failed (TLS handshake,
    refused connection, time-out). Any HTTP answer, even a 404, counts as reached."""
    session = doelen.tls.apply(requests.Session())
    for partij, url in doelen.urls.items():
        try:
            session.get(url + "/", timeout=timeout)
        except requests.exceptions.SSLError as exc:
            raise TargetError(f"de TLS-handshake met {partij} ({url}) is mislukt: {_reden(exc)}. Controleer "
                           "--ca (vertrouwt de harness het certificaat van de partner?) en --cert/--key "
                           "(verwacht de partner een clientcertificaat?)") from None
        except requests.exceptions.ConnectionError as exc:
            raise TargetError(f"{partij} ({url}) is niet bereikbaar: {_reden(exc)}") from None
        except requests.exceptions.Timeout:
            raise TargetError(f"{partij} ({url}) antwoordde niet binnen {timeout:g} s") from None


def _reden(exc: Exception) -> str:
    tekst = str(exc)
    for sleutel in ("CERTIFICATE_VERIFY_FAILED", "certificate verify failed", "WRONG_VERSION_NUMBER",
                    "TLSV13_ALERT_CERTIFICATE_REQUIRED", "certificate required", "Connection refused",
                    "Name or service not known", "hostname mismatch"):
        if sleutel in tekst:
            return sleutel
    return tekst[:200]
