"""The outcome of a deadline-day run: Locust's figures and the chain's books in one
summary, written as ``last.json`` and printed in Dutch.

``verloren`` and ``dubbel`` come from the chain's books (``ketentest/boekhouding.py``) on
every hop whose two ends the harness simulates; where a partner plays a party, files
without a technical report count as lost as well, and doubles are the second reports
the gemeenten saw.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..boekhouding import Boeken
from .plan import DUBBEL_NAAM, LEVERING, RAPPORT, RAPPORT_NAAM, Plan


@dataclass
class Samenvatting:
    leveringen: int
    rapporten: int
    fouten: int
    verloren: int
    dubbel: int
    herhaald: int
    zonder_rapport: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    workers: int
    seconden: float
    leveringen_per_s: float
    aangeboden_per_s: float
    plan: dict
    sluitend: bool | None
    partners: dict[str, str] = field(default_factory=dict)
    foutmeldingen: list[dict] = field(default_factory=list)
    boekhouding: dict | None = None

    @property
    def geslaagd(self) -> bool:
        return (self.leveringen > 0 and self.fouten == 0 and self.verloren == 0 and self.dubbel == 0
                and self.zonder_rapport == 0 and self.sluitend is not False)

    def to_json(self) -> dict:
        return asdict(self) | {"geslaagd": self.geslaagd}

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")

    def als_tekst(self, rapport: Path) -> str:
        """The summary as the command line prints it, in Dutch."""
        ms = "/".join("-" if v is None else f"{v:g}" for v in (self.p50_ms, self.p95_ms, self.p99_ms))
        books = ("boekhouding van de keten" if not self.partners
                 else "boekhouding van de gesimuleerde partijen en wat terugkwam "
                 f"({', '.join(self.partners)} is een partner)")
        regels = [
            f"\nDeadlinedag: {Plan(**self.plan).beschrijving()}, {self.workers} worker(s)",
            f"  leveringen (geaccepteerde bestanden)  {self.leveringen:>8}",
            f"  technische rapporten terug            {self.rapporten:>8}",
            f"  mislukte verzoeken                    {self.fouten:>8}",
            f"  verloren / dubbel                     {self.verloren:>3} / {self.dubbel}   ({books})",
            f"  herhaald door de keten                {self.herhaald:>8}",
            f"  upload tot rapport p50/p95/p99        {ms} ms",
            f"  doorvoer                              {self.leveringen_per_s:.1f} leveringen/s in "
            f"{self.seconden:.1f} s (aangeboden {self.aangeboden_per_s:.1f}/s)",
        ]
        for fout in self.foutmeldingen[:5]:
            regels.append(f"    x {fout['aantal']}x {fout['soort']} {fout['naam']}: {fout['fout']}")
        regels.append(f"  rapport: {rapport / 'locust.html'} en {rapport / 'last.json'}")
        if self.geslaagd:
            regels.append("Geslaagd: elk bestand beantwoord, niets mislukt, niets verloren of dubbel.")
        else:
            redenen = [reden for reden, waar in (
                ("geen enkele levering", self.leveringen == 0), (f"{self.fouten} mislukt", self.fouten),
                (f"{self.zonder_rapport} zonder rapport", self.zonder_rapport),
                (f"{self.verloren} verloren", self.verloren), (f"{self.dubbel} dubbel", self.dubbel),
                ("de boekhouding sluit niet", self.sluitend is False)) if waar]
            regels.append(f"NIET geslaagd: {', '.join(redenen)}.")
        return "\n".join(regels)


def samenvatten(cijfers: dict, plan: Plan, books: Boeken | None, partners: dict[str, str]) -> Samenvatting:
    """The summary from the master's figures (``locustfile.write_figures``) and the books."""
    entries = {(e["soort"], e["naam"]): e for e in cijfers["verzoeken"]}
    rapport = entries.get((RAPPORT, RAPPORT_NAAM), {})
    gezien_dubbel = entries.get((RAPPORT, DUBBEL_NAAM), {}).get("aantal", 0)
    leveringen = sum(e["aantal"] - e["fouten"] for e in cijfers["verzoeken"] if e["soort"] == LEVERING)
    rapporten = rapport.get("aantal", 0) - rapport.get("fouten", 0)
    zonder_rapport = max(0, leveringen - rapport.get("aantal", 0))  # no answer, not even a failure
    verloren = dubbel = herhaald = 0
    if books is not None:
        verloren = sum(hop.verloren for hop in books.hops)
        dubbel = sum(hop.gedupliceerd for hop in books.hops)
        herhaald = sum(hop.herhaald for hop in books.hops)
    if partners:
        verloren += max(0, leveringen - rapporten)
        dubbel += gezien_dubbel
    laatste = max((e["laatste"] or 0 for e in cijfers["verzoeken"] if e["soort"] == RAPPORT), default=0)
    begin = cijfers.get("begin") or laatste
    seconden = max(0.0, laatste - begin)
    return Samenvatting(
        leveringen=leveringen, rapporten=rapporten,
        fouten=sum(e["fouten"] for e in cijfers["verzoeken"]),
        verloren=verloren, dubbel=dubbel, herhaald=herhaald, zonder_rapport=zonder_rapport,
        p50_ms=rapport.get("p50_ms"), p95_ms=rapport.get("p95_ms"), p99_ms=rapport.get("p99_ms"),
        workers=cijfers["workers"], seconden=round(seconden, 2),
        leveringen_per_s=round(leveringen / seconden, 2) if seconden else 0.0,
        aangeboden_per_s=round(3 * plan.gemeenten / plan.duur, 2), plan=asdict(plan),
        sluitend=None if books is None else books.sluitend, partners=dict(partners),
        foutmeldingen=sorted(cijfers["fouten"], key=lambda f: -f["aantal"]),
        boekhouding=None if books is None else books.als_json())
