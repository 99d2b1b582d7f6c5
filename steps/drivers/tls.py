"""Which certificate the harness shows on a TLS chain (docs/beveiliging.md).

The harness is a party of the test: it reaches every party's control API, journal and test
hooks with a certificate of its own (``harness``), and where it plays a party it shows that
party's certificate: a gemeente's software at the GGk's web service, the GGk at RINIS's StUF
endpoint, CBS at RINIS's folders, RINIS at the GGk's StUF endpoint and at CBS. Each driver
says per path which role it plays there (``PartyDriver.ROLES``); every certificate comes
from the test CA (``simulators.pki``), made the same in every process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from simulators import pki

HARNESS = "harness"


@dataclass(frozen=True)
class Certificates:
    """The CA bundle the harness trusts, and the certificate it shows per role (a party's
    name, a gemeentecode, or ``harness``)."""

    ca: str

    @classmethod
    def of_test_ca(cls, *extra_ca: str | None) -> Certificates:
        """Trusting the test CA (and ``extra_ca``, a partner's CA bundle, when given)."""
        return cls(pki.trust_bundle(*(ca for ca in extra_ca if ca)))

    def cert(self, role: str) -> tuple[str, str]:
        """(certificate file, key file) of the test CA's client certificate for ``role``."""
        return pki.client_files(role)

    def expired(self, role: str, until: datetime) -> tuple[str, str]:
        """A client certificate of the test CA for ``role`` that was valid until ``until``: the
        TLS handshake takes it (the parties check dates on their simulated clock), the party
        refuses it."""
        pair = pki.client_certificate(role, valid=(pki.TLS_VALID[0], until))
        return pki.files(pair, f"client-{role}-tot-{until:%Y%m%d}")

    def foreign(self, role: str) -> tuple[str, str]:
        """A client certificate for ``role`` issued by a CA the chain does not trust: the TLS
        handshake refuses it."""
        return pki.files(pki.client_certificate(role, ca=pki.vreemde_ca()), f"client-{role}-vreemde-ca")

    def __repr__(self) -> str:  # short: Allure prints step arguments with repr()
        return "Certificates(test-CA)"
