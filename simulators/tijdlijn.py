"""A timeline: the calendar of one delivery round, as data every party reads its part of.

The documents describe the chain as dates and windows: when delivery opens, the
interim and final deadlines, when CBS sends spiegelrapport I and II, the opt-in
request and deadline, a withdrawal window, and SLAs in working days. A timeline file
(TOML, in ``fixtures/timelines/``) holds exactly that; loading it configures every
party over HTTP (``PUT /_beheer/tijdlijn``), so a new timeline is a new file, no code.

Rules the parties take from it:

* GGk: an upload is accepted from ``levering_open`` of a period up to its
  ``tussentijdse_deadline`` (or ``levering_sluit``); after that, up to
  ``correctie_deadline`` it is accepted and marked *te laat*; outside both it is refused
  with a message naming the window. A file for a period the timeline does not list
  is refused. Without ``levering_open`` delivery opens on the first of the month after
  the period (seed 003). In the ``burentest_open``..``burentest_sluit`` weeks (the
  connection test before the pilot, seed 001) the GGk accepts test deliveries too.
* CBS: the technical report after ``sla.technisch_rapport_vertraging`` working days
  (0: at once; the SLA itself is ``sla.technisch_rapport_werkdagen``); the op-orde
  rapport on the period's ``spiegelrapport_1`` date, or, without one, after
  ``sla.oporde_vertraging`` working days after approval (0: with the technical report;
  the SLA itself is ``sla.oporde_werkdagen``, measured from approval); spiegelrapport II
  on ``spiegelrapport_2``.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .kalender import Werkdagkalender

TIMELINES = Path(__file__).resolve().parent.parent / "fixtures" / "timelines"
DATUMVELDEN = ("levering_open", "levering_sluit", "tussentijdse_deadline", "correctie_deadline",
               "spiegelrapport_1", "spiegelrapport_2", "optin_open", "optin_deadline",
               "intrekken_open", "intrekken_sluit", "burentest_open", "burentest_sluit")


class TijdlijnError(ValueError):
    """A timeline file that cannot be used, with the reason in Dutch."""


@dataclass(frozen=True)
class Periode:
    """The dates of one verslagperiode within the round; any may be absent."""

    code: str
    levering_open: date | None = None
    levering_sluit: date | None = None
    tussentijdse_deadline: date | None = None
    correctie_deadline: date | None = None
    spiegelrapport_1: date | None = None
    spiegelrapport_2: date | None = None
    optin_open: date | None = None
    optin_deadline: date | None = None
    intrekken_open: date | None = None
    intrekken_sluit: date | None = None
    burentest_open: date | None = None
    burentest_sluit: date | None = None

    def __post_init__(self) -> None:
        if self.levering_open is None and _is_halfjaar(self.code):
            object.__setattr__(self, "levering_open", eerste_na_periode(self.code))

    def in_burentest(self, dag: date) -> bool:
        """Whether ``dag`` falls in the period's burentest weeks (both days inclusive)."""
        return bool(self.burentest_open and self.burentest_sluit
                    and self.burentest_open <= dag <= self.burentest_sluit)

    @property
    def regulier_tot(self) -> date | None:
        """Last day of regular delivery: levering_sluit, else the interim deadline."""
        return self.levering_sluit or self.tussentijdse_deadline

    @property
    def laat_tot(self) -> date | None:
        """Last day a late delivery (a correction) is still accepted."""
        return self.correctie_deadline or self.regulier_tot


@dataclass(frozen=True)
class Sla:
    technisch_rapport_werkdagen: int = 3
    technisch_rapport_vertraging: int = 0
    oporde_werkdagen: int = 2
    oporde_vertraging: int = 0


def _is_halfjaar(code: str) -> bool:
    """``H12016``-like (the pattern's home is ``gmsd.periodes``, which the ground floor may not import)."""
    return len(code) == 6 and code[0] == "H" and code[1] in "12" and code[2:].isdigit()


def eerste_na_periode(code: str) -> date:
    """The first of the month after verslagperiode ``code``: when its delivery opens unless
    the timeline says otherwise (seed 003). ``H12016`` -> 1 July 2016, ``H22016`` -> 1 January 2017."""
    jaar, halfjaar = int(code[2:]), int(code[1])
    return date(jaar, 7, 1) if halfjaar == 1 else date(jaar + 1, 1, 1)


@dataclass(frozen=True)
class Tijdlijn:
    naam: str
    start: datetime
    perioden: tuple[Periode, ...]
    sla: Sla = field(default_factory=Sla)
    feestdagen: str = "nationaal"
    omschrijving: str = ""
    bron: str = ""
    gemeenten: tuple[str, ...] = ()

    @property
    def kalender(self) -> Werkdagkalender:
        return Werkdagkalender(self.feestdagen)

    def periode(self, code: str) -> Periode | None:
        return next((p for p in self.perioden if p.code == code), None)

    def to_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Tijdlijn:
        return _build(data, data.get("naam", "?"))


def laad(naam_of_pad: str | Path) -> Tijdlijn:
    """A timeline by file path, or by its ``naam`` among the files in fixtures/timelines."""
    pad = Path(naam_of_pad)
    if not pad.is_file():
        pad = next((p for p in sorted(TIMELINES.glob("*.toml")) if _naam(p) == str(naam_of_pad)), pad)
    if not pad.is_file():
        raise TijdlijnError(f"tijdlijn '{naam_of_pad}' bestaat niet; beschikbaar: {', '.join(namen())}")
    try:
        data = tomllib.loads(pad.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise TijdlijnError(f"{pad.name} is geen geldige TOML: {exc}") from None
    return _build(data, pad.name)


def namen() -> list[str]:
    return [_naam(p) for p in sorted(TIMELINES.glob("*.toml"))]


def _naam(pad: Path) -> str:
    try:
        return str(tomllib.loads(pad.read_text(encoding="utf-8")).get("naam", pad.stem))
    except tomllib.TOMLDecodeError:
        return pad.stem


def _build(data: dict[str, Any], bron: str) -> Tijdlijn:
    try:
        perioden = []
        for raw in data.get("perioden", []):
            onbekend = set(raw) - {"code", *DATUMVELDEN}
            if onbekend:
                raise TijdlijnError(f"{bron}: onbekende velden in periode {raw.get('code')}: "
                                   f"{', '.join(sorted(onbekend))}")
            perioden.append(Periode(str(raw["code"]), **{k: _datum(raw.get(k)) for k in DATUMVELDEN}))
        if not perioden:
            raise TijdlijnError(f"{bron}: een tijdlijn noemt ten minste één periode")
        start = data["start"]
        start = datetime.fromisoformat(start) if isinstance(start, str) else start
        if isinstance(start, date) and not isinstance(start, datetime):
            start = datetime(start.year, start.month, start.day, 9, 0)
        return Tijdlijn(
            naam=str(data["naam"]), start=start, perioden=tuple(perioden),
            sla=Sla(**data.get("sla", {})), feestdagen=str(data.get("feestdagen", "nationaal")),
            omschrijving=str(data.get("omschrijving", "")), bron=str(data.get("bron", "")),
            gemeenten=tuple(str(g) for g in data.get("gemeenten", ())))
    except KeyError as exc:
        raise TijdlijnError(f"{bron}: verplicht veld {exc} ontbreekt") from None
    except TypeError as exc:
        raise TijdlijnError(f"{bron}: {exc}") from None


def _datum(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value
