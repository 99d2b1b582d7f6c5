"""What the GGk's rule modules share: refusals (each carrying its HTTP status and a Dutch
message a person can act on) and the Dutch wording of dates, periods and addresses."""

from __future__ import annotations

import re
from datetime import date

from ..gmsd.periodes import PERIODE
from ..kalender import dag_tekst

EMAIL = re.compile(r"[^@\s;]+@[^@\s;]+\.[^@\s;.]+")
"""A valid-looking e-mail address: something@domain.tld, no spaces or ``;``."""


class Refused(ValueError):
    """The GGk refuses a request; ``status`` is the HTTP status, the text says why in Dutch.

    400: the request cannot be read (a field missing or of the wrong kind); 403: the
    user lacks the right; 409: it conflicts with what is there; 422: a rule refuses it.
    """

    fout = "Geweigerd"

    def __init__(self, melding: str, status: int = 400) -> None:
        super().__init__(melding)
        self.status = status


class AccessRefused(Refused):
    """The certificate's gemeente may not do this (a TLS chain): 403."""

    fout = "Geen toegang"

    def __init__(self, melding: str) -> None:
        super().__init__(melding, 403)


class UploadRefused(Refused):
    fout = "Upload geweigerd"


class OptinRefused(Refused):
    fout = "Opt-in geweigerd"


class IntrekkingRefused(OptinRefused):
    fout = "Intrekking geweigerd"


class GebruikerRefused(Refused):
    fout = "Gebruiker niet geregistreerd"


class SamenwerkingRefused(Refused):
    fout = "Samenwerkingsverbanden niet aangenomen"


def dag(datum: date) -> str:
    """``9 november 2016``."""
    return dag_tekst(datum)


def periode_tekst(code: str) -> str:
    """``H12016`` -> ``H1 2016``."""
    return f"{code[:2]} {code[2:]}" if PERIODE.fullmatch(code) else code
