"""SLA clocks of a delivery, in working days on the calendar of the timeline the parties follow.

The agreements (``docs/tijdlijnen.md``): the technical report stands in the gemeente's
download area within ``sla.technisch_rapport_werkdagen`` working days of the upload; after
approval the op-orde report follows on the period's ``spiegelrapport_1`` date, or without
one within ``sla.oporde_werkdagen`` working days; spiegelrapport II on the period's
``spiegelrapport_2`` date (without one it has no deadline: CBS sends it when told).

Each clock is *gehaald* (done by its due day), *te laat* (done after it, or not done and the
day passed) or *loopt* (not done, still in time). A day counts whole: due on Thursday means
done by Thursday midnight. Without a timeline the parties' defaults apply (``Sla()`` and the
national holidays), as a party without one does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from simulators.kalender import DAGEN_KORT, MAANDEN_KORT, Werkdagkalender
from simulators.tijdlijn import Sla, Tijdlijn

from .leveringen import Levering

__all__ = ["SlaKlok", "sla_clocks"]


@dataclass(frozen=True)
class SlaKlok:
    """One deadline of a delivery and how it stands."""

    naam: str
    termijn: date
    stand: str  # gehaald | te laat | loopt
    werkdagen: int
    """Working days late (te laat), or still left (loopt); 0 when gehaald."""
    gereed: date | None = None

    @property
    def tekst(self) -> str:
        """``technisch rapport uiterlijk do 18 aug 2016: gehaald`` and the like."""
        kop = f"{self.naam} uiterlijk {dag_kort(self.termijn)}"
        if self.stand == "gehaald":
            return f"{kop}: gehaald"
        if self.stand == "te laat":
            return f"{kop}: {self.werkdagen} werkdag{'' if self.werkdagen == 1 else 'en'} te laat"
        return f"{kop}: loopt, nog {self.werkdagen} werkdag{'' if self.werkdagen == 1 else 'en'}"

    def als_json(self) -> dict:
        return {"naam": self.naam, "termijn": self.termijn.isoformat(), "stand": self.stand,
                "werkdagen": self.werkdagen, "gereed": self.gereed.isoformat() if self.gereed else None}


def dag_kort(dag: date) -> str:
    """``do 18 aug 2016``."""
    return f"{DAGEN_KORT[dag.weekday()]} {dag.day} {MAANDEN_KORT[dag.month - 1]} {dag.year}"


def sla_clocks(levering: Levering, tijdlijn: Tijdlijn | None, nu: datetime) -> list[SlaKlok]:
    """The delivery's deadlines so far, each with how it stands at ``nu`` (the chain's clock)."""
    kalender = tijdlijn.kalender if tijdlijn else Werkdagkalender()
    sla = tijdlijn.sla if tijdlijn else Sla()
    periode = tijdlijn.periode(levering.periode) if tijdlijn and levering.periode else None
    klokken = []
    upload = _dag(levering, "geupload")
    if upload is None:
        return klokken
    rapport = _dag(levering, "in_downloadgebied") or _dag(levering, "bij_gemeente")
    termijn = kalender.plus_werkdagen(upload, sla.technisch_rapport_werkdagen)
    klokken.append(_klok("technisch rapport", termijn, rapport, kalender, nu))
    if levering.oordeel != "goedgekeurd":
        return klokken
    oporde = _dag(levering, "op_orde")
    if periode and periode.spiegelrapport_1:
        termijn = periode.spiegelrapport_1
    else:
        begin = rapport or _dag(levering, "technisch_rapport")
        if begin is None:
            return klokken
        termijn = kalender.plus_werkdagen(begin, sla.oporde_werkdagen)
    klokken.append(_klok("op-orde rapport", termijn, oporde, kalender, nu))
    if oporde and periode and periode.spiegelrapport_2:
        spiegel = _dag(levering, "spiegelrapport_2")
        klokken.append(_klok("spiegelrapport II", periode.spiegelrapport_2, spiegel, kalender, nu))
    return klokken


def _klok(naam: str, termijn: date, gereed: date | None, kalender: Werkdagkalender, nu: datetime) -> SlaKlok:
    if gereed is not None:
        if gereed <= termijn:
            return SlaKlok(naam, termijn, "gehaald", 0, gereed)
        return SlaKlok(naam, termijn, "te laat", kalender.werkdagen_tussen(termijn, gereed), gereed)
    vandaag = nu.date()
    if vandaag > termijn:
        return SlaKlok(naam, termijn, "te laat", max(1, kalender.werkdagen_tussen(termijn, vandaag)))
    return SlaKlok(naam, termijn, "loopt", kalender.werkdagen_tussen(vandaag, termijn))


def _dag(levering: Levering, stap: str) -> date | None:
    """The day a step happened, on the clock of the party that took it."""
    gevonden = levering.stappen.get(stap)
    if gevonden is None or not gevonden.tijdstip:
        return None
    try:
        return datetime.fromisoformat(gevonden.tijdstip).date()
    except ValueError:
        return None
