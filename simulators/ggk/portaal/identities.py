"""Who can log in to the simulated portal: a small fixed set of test identities per
gemeente, plus the users registered at the GGk (``/api/v1/gemeenten/<code>/gebruikers``);
:class:`Identities` finds them.

An identity carries a mandate for exactly one gemeente (eHerkenning's *machtiging*): the
portal takes the gemeente from the identity, never from a form field or URL.

Where it differs from real eHerkenning: no broker, no token and no KvK number; the login
page lets a tester pick the identity and the assurance level the broker would report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

NIVEAUS = ("EH1", "EH2", "EH2+", "EH3", "EH4")
MINIMUM_NIVEAU = "EH3"
CBS_ROL = "cbs"


@dataclass(frozen=True)
class Persona:
    sleutel: str
    voornaam: str
    achternaam: str
    omschrijving: str
    beheerder: bool = False
    cbs_standaard: bool = False  # has the CBS role until the administrator revokes it


PERSONAS = (
    Persona("medewerker", "Henk", "de Vries", "medewerker met CBS-rol", cbs_standaard=True),
    Persona("beheerder", "Bea", "Bakker", "gebruikersbeheerder", beheerder=True),
    Persona("nieuw", "Noor", "Jansen", "nieuwe medewerker, nog zonder rol"),
)
GEBRUIKER = "gebruiker:"
"""Prefix of a persona key for a user registered at the GGk: ``gebruiker:<e-mailadres>``."""


@dataclass(frozen=True)
class Identity:
    sleutel: str          # <gemeentecode>:<persona>, unique over all gemeenten
    gemeentecode: str
    naam: str
    email: str
    telefoon: str
    beheerder: bool = False
    cbs_standaard: bool = False


def domein(gemeentenaam: str) -> str:
    """``'s-Hertogenbosch`` -> ``s-hertogenbosch.nl``: the gemeente's mail domain."""
    return re.sub(r"[^a-z0-9-]", "", gemeentenaam.lower().replace(" ", "-")).strip("-") + ".nl"


def persona_identity(gemeentecode: str, gemeentenaam: str, persona: Persona) -> Identity:
    email = f"{persona.voornaam.lower()}.{persona.achternaam.lower().replace(' ', '')}@{domein(gemeentenaam)}"
    nummer = PERSONAS.index(persona) + 1
    return Identity(f"{gemeentecode}:{persona.sleutel}", gemeentecode,
                      f"{persona.voornaam} {persona.achternaam}", email, f"088-{gemeentecode}00{nummer}",
                      persona.beheerder, persona.cbs_standaard)


def user_identity(gebruiker: dict) -> Identity:
    """A registered GGk user: a medewerker without roles until the administrator grants one."""
    code = gebruiker["gemeentecode"]
    return Identity(f"{code}:{GEBRUIKER}{gebruiker['email']}", code,
                      gebruiker.get("naam") or gebruiker["email"], gebruiker["email"],
                      gebruiker.get("telefoon") or "onbekend")


def meets_minimum(niveau: str) -> bool:
    return niveau in NIVEAUS and NIVEAUS.index(niveau) >= NIVEAUS.index(MINIMUM_NIVEAU)


class Identities:
    """The identities of the portal: the personas of each gemeente and the registered users
    (``gebruikers``: the GGk's users of one gemeente, or of every gemeente for None)."""

    def __init__(self, gemeenten: Mapping[str, str], gebruikers: Callable[[str | None], list[dict]]) -> None:
        self.gemeenten, self.gebruikers = gemeenten, gebruikers

    def of(self, gemeentecode: str) -> list[Identity]:
        """The identities with a mandate for this gemeente ([] for an unknown code)."""
        naam = self.gemeenten.get(gemeentecode)
        if naam is None:
            return []
        return ([persona_identity(gemeentecode, naam, p) for p in PERSONAS]
                + [user_identity(g) for g in self.gebruikers(gemeentecode)])

    def registered(self) -> list[Identity]:
        """The registered users of every gemeente, in order of registration."""
        return [user_identity(g) for g in self.gebruikers(None)]

    def get(self, sleutel: str) -> Identity | None:
        code = sleutel.split(":", 1)[0]
        return next((i for i in self.of(code) if i.sleutel == sleutel), None)

    def for_login(self, gemeentecode: str, persoon: str) -> Identity | None:
        """The identity a login form offers: a persona, or ``gebruiker:<email>`` of that gemeente."""
        if persoon.startswith(GEBRUIKER):
            persoon = GEBRUIKER + persoon[len(GEBRUIKER):].strip().lower()
        return next((i for i in self.of(gemeentecode)
                     if i.sleutel.lower() == f"{gemeentecode}:{persoon}".lower()), None)
