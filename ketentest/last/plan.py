"""The plan of a deadline-day run: how many gemeenten start, over how many seconds, with
what peak, and how long each waits for its reports.

Pure on purpose: the command line checks it, the load shape follows it and the tests
read it, none of them importing Locust (which patches the whole process with gevent).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from simulators.gmsd.gemeenten import gemeenten
from simulators.gmsd.generator import SOORTEN, bestandsnaam, generate

PERIODE = (2016, 1)
"""The verslagperiode every gemeente delivers for: H1 2016."""
KLOK = "2016-08-15T09:00"
"""The embedded chain's clock: a Monday on which H1 2016 is open for delivery."""
AANGEMAAKT = datetime.fromisoformat(KLOK)
MARGE = 15.0
"""Seconds the run may last beyond ``duur + wacht``: the last reports reach the master."""

RAPPORT, RAPPORT_NAAM, DUBBEL_NAAM = "RAPPORT", "upload tot technisch rapport", "dubbel"
"""The report events of a gemeente in Locust's figures (type, name): per file, upload until
its technical report; a second technical report for one file."""
LEVERING = "LEVERING"
"""The event of a file the GGk accepted (its name: the soort)."""


class PlanError(ValueError):
    """A plan that cannot run as given (Dutch, one sentence for the command line)."""


def gemeentecodes() -> list[str]:
    """Every gemeente of the period, in code order: who delivers on the deadline day."""
    return sorted(gemeenten(AANGEMAAKT.date()))


def bestanden(gemeentecode: str, rijen: int) -> list[tuple[str, bytes]]:
    """A gemeente's WMO, SBO and JEUGD file for the period, as (name, bytes)."""
    jaar, halfjaar = PERIODE
    return [(bestandsnaam(soort, jaar, halfjaar),
             generate(soort, gemeentecode, jaar, halfjaar, AANGEMAAKT, rows=rijen, seed=int(gemeentecode)))
            for soort in SOORTEN]


@dataclass(frozen=True)
class Plan:
    """``gemeenten`` start within ``duur`` seconds; each uploads its three files once and
    waits at most ``wacht`` seconds for their technical reports.

    Without ``piek`` the gemeenten start evenly over ``duur``. With ``piek`` (seconds) the
    deadline rush: half of them start in the last ``piek`` seconds of ``duur``, the other
    half evenly before it.
    """

    gemeenten: int
    duur: float
    piek: float | None = None
    wacht: float = 300.0
    rijen: int = 25

    @classmethod
    def from_options(cls, options: Any) -> Plan:
        """The plan from Locust's parsed options (the arguments the locustfile adds)."""
        return cls(int(options.gemeenten), float(options.duur), float(options.piek) if options.piek else None,
                   float(options.wacht), int(options.rijen))

    def check(self, beschikbaar: int) -> None:
        if not 1 <= self.gemeenten <= beschikbaar:
            raise PlanError(f"--gemeenten moet van 1 tot en met {beschikbaar} zijn (de gemeenten van "
                            f"H{PERIODE[1]} {PERIODE[0]}), niet {self.gemeenten}")
        if self.duur <= 0:
            raise PlanError(f"--duur is een aantal seconden groter dan 0, niet {self.duur:g}")
        if self.piek is not None and not 0 < self.piek < self.duur:
            raise PlanError(f"--piek is een aantal seconden groter dan 0 en kleiner dan --duur "
                            f"({self.duur:g}), niet {self.piek:g}")
        if self.wacht <= 0:
            raise PlanError(f"--wacht is een aantal seconden groter dan 0, niet {self.wacht:g}")
        if self.rijen < 1:
            raise PlanError(f"--rijen is 1 of meer, niet {self.rijen}")

    def gestart(self, seconden: float) -> int:
        """How many gemeenten have started ``seconden`` after the start."""
        if seconden >= self.duur:
            return self.gemeenten
        if seconden <= 0:
            return 0
        if self.piek is None:
            deel = seconden / self.duur
        else:
            rustig = self.duur - self.piek
            deel = (seconden / rustig / 2 if seconden <= rustig
                    else 0.5 + (seconden - rustig) / self.piek / 2)
        return min(self.gemeenten, math.floor(self.gemeenten * deel + 1e-9))

    @property
    def einde(self) -> float:
        """The latest second the run lasts, however slow the chain."""
        return self.duur + self.wacht + MARGE

    def beschrijving(self) -> str:
        """The shape in Dutch, for the summary."""
        spreiding = (f"de helft in de laatste {self.piek:g} s" if self.piek is not None
                     else "gelijkmatig verdeeld")
        return f"{self.gemeenten} gemeenten beginnen binnen {self.duur:g} s ({spreiding})"
