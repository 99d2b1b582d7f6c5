"""CBS's verdict on one file: a Bevinding per rule, together the Oordeel.

This module owns what the check hands back, the backend stores and the technical
report prints; it knows no rules and reads no file.
"""

from __future__ import annotations

from dataclasses import dataclass

FOUT = "fout"
WAARSCHUWING = "waarschuwing"
ERNSTEN: tuple[str, ...] = (FOUT, WAARSCHUWING)

MAX_REGELS = 20
"""At most this many offending line numbers are kept per Bevinding."""


@dataclass(frozen=True)
class Bevinding:
    """The outcome of one rule for one file."""

    regel: str
    omschrijving: str
    geslaagd: bool
    melding: str = ""
    regels: tuple[int, ...] = ()
    ernst: str = FOUT
    """``fout`` rejects the file when the rule fails; ``waarschuwing`` only reports it."""


@dataclass(frozen=True)
class Oordeel:
    """CBS's verdict on one file: every applicable rule's Bevinding, in catalogue order."""

    bestandsnaam: str
    bevindingen: tuple[Bevinding, ...]

    @property
    def goedgekeurd(self) -> bool:
        return all(b.geslaagd for b in self.bevindingen if b.ernst == FOUT)

    @property
    def verdict(self) -> str:
        return "goedgekeurd" if self.goedgekeurd else "afgekeurd"

    @property
    def waarschuwingen(self) -> tuple[Bevinding, ...]:
        """The failed rules that only warn: reported, but the file is not rejected for them."""
        return tuple(b for b in self.bevindingen if not b.geslaagd and b.ernst == WAARSCHUWING)
