"""A plan of random faults on every hop's receiving side, made from a seed (for the soak).

The same seed gives the same plan: which fault, at which entrance, in which round, with
which count, delay or duration. The rounds are armed one by one between parts of the
deliveries, so the faults meet the traffic throughout, not only its first messages.
What a fault hits within a round depends on the threads' timing and is not repeatable;
what the plan promises is that no single message can meet more faults than its sender
survives:

* a task without a deadline gives up after its 7th failed attempt (``simulators/tasks.py``:
  six retry delays), so the faults at one entrance together fail one task at most
  ``BUDGET`` (5) times: a count fault costs its ``aantal``, an outage of ``PLAT_DUUR``
  seconds costs 3 (a task retries after 0.05 and 0.2 s, the next try falls after it), a
  slow answer costs nothing;
* every entrance gets a fault that surely meets traffic in the first round (a count, not
  an outage that may pass unseen), so every hop is hit.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from steps.drivers import INBOX, VERZENDMAP, CbsDriver, GemeenteDriver, GgkDriver, RinisDriver

ALLE = ("503", "500", "reset_voor", "reset_na", "afgekapt", "traag", "plat")
"""Every entrance meets every kind, including the ambiguous acknowledgement (reset_na,
afgekapt): RINIS takes a report PUT again as the same file, so none is doubled."""
BUDGET = 5
PLAT_DUUR = 0.3
PLAT_KOSTEN = 3
RUST = 3
"""Weight of "no new fault here this round" against each kind of fault."""


@dataclass(frozen=True)
class Ingang:
    """Where one neighbour's messages come in at a party."""

    party: str
    pad: str
    wat: str  # Dutch, for the report
    soorten: tuple[str, ...] = ALLE


INGANGEN = (
    Ingang("rinis", RinisDriver.INGANG, "StUF-berichten van het GGk"),
    Ingang("ggk", GgkDriver.INGANG, "StUF-berichten van RINIS"),
    Ingang("cbs", CbsDriver.INGANG, "meldingen van RINIS over nieuwe bestanden"),
    Ingang("gemeente", GemeenteDriver.INGANG, "notificaties van het GGk"),
    Ingang("rinis", RinisDriver.folder_path(INBOX), "het CBS haalt bestanden uit zijn inbox"),
    Ingang("rinis", RinisDriver.folder_path(VERZENDMAP), "het CBS zet rapporten in de verzendmap"),
)


@dataclass(frozen=True)
class Storingsplan:
    zaad: int
    rondes: tuple[tuple[tuple[Ingang, dict[str, Any]], ...], ...]

    def __repr__(self) -> str:  # short: Allure prints step arguments
        return f"Storingsplan(zaad {self.zaad}, {len(self.rondes)} rondes)"

    def ronde(self, nummer: int) -> dict[str, list[dict[str, Any]]]:
        """The faults of one round, per party (armed in one call each)."""
        per_party: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for ingang, storing in self.rondes[nummer]:
            per_party[ingang.party].append(storing)
        return dict(per_party)

    def beschrijving(self) -> str:
        """The plan as text, a line per fault: what the report shows."""
        regels = [f"storingsplan, zaad {self.zaad}: {len(self.rondes)} rondes"]
        for nummer, ronde in enumerate(self.rondes):
            for ingang, storing in ronde:
                details = ", ".join(f"{k} {v}" for k, v in storing.items() if k not in ("soort", "pad"))
                regels.append(f"ronde {nummer:>2}  {ingang.party:<8} {ingang.pad:<18} {storing['soort']:<10} "
                              f"{details}")
        return "\n".join(regels)


def arm_ronde(keten, plan: Storingsplan, nummer: int) -> None:
    """Arm one round of the plan at the chain (``steps.drivers.Keten``), one call per party."""
    for party, storingen in plan.ronde(nummer).items():
        keten.arm_fault(party, storingen)


def maak_plan(zaad: int, rondes: int = 10) -> Storingsplan:
    """A plan of ``rondes`` rounds; the same seed gives the same plan."""
    rng = random.Random(zaad)
    budget = {ingang: BUDGET for ingang in INGANGEN}
    plan = []
    for nummer in range(rondes):
        ronde = []
        for ingang in INGANGEN:
            storing = _kies(rng, ingang, budget[ingang], eerste=nummer == 0)
            if storing is not None:
                budget[ingang] -= kosten(storing)
                ronde.append((ingang, storing))
        plan.append(tuple(ronde))
    return Storingsplan(zaad, tuple(plan))


def kosten(storing: dict[str, Any]) -> int:
    """How often this fault can fail one retrying task, at most."""
    if storing["soort"] == "traag":
        return 0
    if storing["soort"] == "plat":
        return PLAT_KOSTEN
    return storing["aantal"]


def _kies(rng: random.Random, ingang: Ingang, budget: int, eerste: bool) -> dict[str, Any] | None:
    keuzes = [s for s in ingang.soorten if s == "traag" or (s == "plat" and budget >= PLAT_KOSTEN)
              or (s not in ("traag", "plat") and budget >= 1)]
    if eerste:
        keuzes = [s for s in keuzes if s != "plat"]  # a count is sure to meet traffic
    else:
        keuzes += [None] * RUST
    soort = rng.choice(keuzes)
    if soort is None:
        return None
    storing: dict[str, Any] = {"soort": soort, "pad": ingang.pad}
    if soort == "plat":
        storing["duur"] = PLAT_DUUR
    elif soort == "traag":
        storing |= {"aantal": rng.randint(1, 3), "seconden": rng.choice((0.05, 0.1, 0.2, 0.3))}
    else:
        storing["aantal"] = rng.randint(1, min(2, budget))
    return storing
