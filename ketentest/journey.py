"""The journey of one scenario: every message between the parties, once, in order, as a picture.

Each party journals what it sent (``uit``) and received (``in``), so one message shows
up twice: in the sender's journal and in the receiver's. :func:`stappen` merges the two
sides into one :class:`JourneyStep`. This module owns that merge and the order of the steps;
the picture (:func:`~ketentest.journey_svg.sequence_diagram_svg`,
:func:`~ketentest.journey_svg.journey_html`) is drawn in :mod:`ketentest.journey_svg`.

Where the journals fall short of the truth: a party that does not journal a hop (the GGk
does not journal an upload it receives, the RINIS not a file the CBS fetches) leaves a
one-sided step, drawn with an open circle at the end that has no journal line; and two
entries recorded in the same simulated millisecond by different parties are ordered by
journal id, which says nothing across parties, so only each party's own order is certain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

__all__ = ["KETEN", "JourneyStep", "chain_order", "journey_steps", "short_ref", "shorten"]

KETEN = ("gemeente", "ggk", "rinis", "cbs")
"""The parties in chain order: the lifelines from left to right."""

ANTWOORDEN = frozenset({"Bv01", "Bv02", "Bv03", "Bv04", "Fo02", "Fo03"})
"""Berichtcodes that come back synchronously on the caller's own request."""

FOUTEN = frozenset({"Fo01", "Fo02", "Fo03"})


@dataclass(frozen=True)
class JourneyStep:
    """One message from ``van`` to ``naar``, merged from the journals that recorded it.

    ``label`` is the berichtcode (or the soort when there is none) followed by the file
    name; ``referentie`` and ``crossref`` are the full numbers. ``bronnen`` lists the
    ``(partij, journaal-id)`` lines the step was made of: two for a message both sides
    journaled, one for a one-sided step.
    """

    van: str
    naar: str
    label: str
    referentie: str | None
    crossref: str | None
    tijdstip: str
    soort: str
    berichtcode: str | None = None
    bestandsnaam: str | None = None
    correlatie: str | None = None
    bronnen: tuple[tuple[str, int], ...] = ()

    @property
    def antwoord(self) -> bool:
        """A synchronous answer (Bv03, Fo03, an HTTP response) rather than a message of its own."""
        if self.berichtcode:
            return self.berichtcode in ANTWOORDEN
        return self.soort.endswith("antwoord") or self.soort.endswith("response")

    @property
    def fout(self) -> bool:
        return self.berichtcode in FOUTEN

    @property
    def gezien_door(self) -> tuple[str, ...]:
        """The parties whose journal holds this step."""
        return tuple(partij for partij, _ in self.bronnen)

    @property
    def enkelzijdig(self) -> bool:
        """Only one of the two parties journaled this message."""
        return len(set(self.gezien_door)) < 2 and self.van != self.naar


# ----------------------------------------------------------------------- merging


@dataclass
class _Regel:
    """One journal entry, with the party whose journal it came from."""

    partij: str
    data: Mapping[str, Any]

    @property
    def id(self) -> int:
        return int(self.data.get("id") or 0)

    @property
    def van(self) -> str:
        return self.partij if self.data["richting"] == "uit" else str(self.data["peer"])

    @property
    def naar(self) -> str:
        return str(self.data["peer"]) if self.data["richting"] == "uit" else self.partij


def journey_steps(entries: Mapping[str, Iterable[Mapping[str, Any]]]) -> list[JourneyStep]:
    """Merge each party's journal entries into steps, each message once, in order.

    ``entries`` maps a party name to its journal entries (as ``GET /journal`` gives
    them). A sender's ``uit`` and the receiver's ``in`` are one step when they carry the
    same berichtcode and referentienummer, or (for an answer, which the callee journals
    without its own number) the same berichtcode and crossRefnummer, or, without a
    berichtcode, the same soort and bestandsnaam. A receipt pairs with the latest
    such send at or before it, so a retry after a lost message or a lost answer pairs
    with the send that did arrive; the other sends stay one-sided.
    """
    regels: dict[str, list[_Regel]] = {}
    for partij, lijst in entries.items():
        eigen = []
        for data in lijst:
            if data.get("richting") not in ("in", "uit"):
                raise ValueError(f"journaalregel {data.get('id')} van {partij} heeft richting "
                                 f"{data.get('richting')!r}; verwacht 'in' of 'uit'")
            eigen.append(_Regel(partij, data))
        regels[partij] = sorted(eigen, key=lambda r: r.id)

    gekoppeld: set[int] = set()  # id() of the 'uit' rules already merged
    paren: dict[int, _Regel] = {}  # id() of an 'uit' rule -> the 'in' rule it was merged with
    verstuurd = _sends_by_key(regels)  # a soak journals thousands: no scan of every send per receipt
    for partij in chain_order(regels):
        for in_ in regels[partij]:
            if in_.data["richting"] != "in":
                continue
            mogelijk = {id(r): r for key in _keys(partij, in_.data)
                        for r in verstuurd.get((in_.van, key), ())}
            kandidaten = [r for r in mogelijk.values() if id(r) not in gekoppeld
                          and r.naar == partij and _zelfde_bericht(r.data, in_.data)]
            uit = _verzonden(kandidaten, _moment(str(in_.data.get("tijdstip"))))
            if uit is not None:
                gekoppeld.add(id(uit))
                paren[id(uit)] = in_
    gebruikt = {id(r) for r in paren.values()}
    tweetallen: list[tuple[_Regel, _Regel | None]] = []
    for partij in chain_order(regels):
        for regel in regels[partij]:
            if regel.data["richting"] == "uit":
                tweetallen.append((regel, paren.get(id(regel))))
            elif id(regel) not in gebruikt:
                tweetallen.append((regel, None))

    gemaakt = [(_stap(a, b), [a] if b is None else [a, b]) for a, b in tweetallen]
    return _op_volgorde(gemaakt, regels)


def _verzonden(kandidaten: list[_Regel], ontvangen: datetime) -> _Regel | None:
    """The send a receipt at ``ontvangen`` belongs to: the latest before it, else the earliest."""
    ervoor = [r for r in kandidaten if _moment(str(r.data.get("tijdstip"))) <= ontvangen]
    if ervoor:
        return max(ervoor, key=lambda r: (_moment(str(r.data.get("tijdstip"))), -r.id))
    return min(kandidaten, key=lambda r: (_moment(str(r.data.get("tijdstip"))), r.id), default=None)


def _keys(naar: str, data: Mapping[str, Any]) -> list[tuple]:
    """Under which keys a message is found: every pair :func:`_zelfde_bericht` accepts shares
    one (the same berichtcode and referentienummer, or crossRefnummer; without a berichtcode,
    the same bestandsnaam)."""
    code = data.get("berichtcode") or None
    keys: list[tuple] = []
    if data.get("referentienummer"):
        keys.append((naar, code, "ref", data["referentienummer"]))
    if data.get("crossRefnummer"):
        keys.append((naar, code, "kruis", data["crossRefnummer"]))
    if code is None and data.get("bestandsnaam"):
        keys.append((naar, None, "naam", data["bestandsnaam"]))
    return keys


def _sends_by_key(regels: Mapping[str, list[_Regel]]) -> dict[tuple[str, tuple], list[_Regel]]:
    """Per (sender, key of :func:`_keys`), the sender's 'uit' lines."""
    index: dict[tuple[str, tuple], list[_Regel]] = {}
    for partij, lijst in regels.items():
        for regel in lijst:
            if regel.data["richting"] == "uit":
                for key in _keys(regel.naar, regel.data):
                    index.setdefault((partij, key), []).append(regel)
    return index


def _zelfde_bericht(uit: Mapping[str, Any], in_: Mapping[str, Any]) -> bool:
    code = uit.get("berichtcode")
    if code or in_.get("berichtcode"):
        if code != in_.get("berichtcode"):
            return False
        ref_uit, ref_in = uit.get("referentienummer"), in_.get("referentienummer")
        if ref_uit and ref_in:
            return ref_uit == ref_in
        kruis_uit, kruis_in = uit.get("crossRefnummer"), in_.get("crossRefnummer")
        return bool(kruis_uit) and kruis_uit == kruis_in
    naam = uit.get("bestandsnaam")
    return bool(naam) and naam == in_.get("bestandsnaam") and uit.get("soort") == in_.get("soort")


def _stap(eerste: _Regel, tweede: _Regel | None) -> JourneyStep:
    """One step from the sender's line (or the only line) and, if found, the receiver's."""
    regels = [eerste] if tweede is None else [eerste, tweede]

    def veld(naam: str) -> Any:
        return next((r.data[naam] for r in regels if r.data.get(naam)), None)

    code = veld("berichtcode")
    soort = str(veld("soort") or "bericht")
    naam = veld("bestandsnaam")
    label = " ".join(str(deel) for deel in (code or soort, naam) if deel)
    return JourneyStep(
        van=eerste.van, naar=eerste.naar, label=label,
        referentie=veld("referentienummer"), crossref=veld("crossRefnummer"),
        tijdstip=str(veld("tijdstip") or ""), soort=soort, berichtcode=code,
        bestandsnaam=naam, correlatie=veld("correlatie"),
        bronnen=tuple((r.partij, r.id) for r in regels),
    )


def _op_volgorde(gemaakt: list[tuple[JourneyStep, list[_Regel]]],
                 regels: dict[str, list[_Regel]]) -> list[JourneyStep]:
    """Order by tijdstip then journal id, never against the order of one party's own journal.

    A merge of the parties' journals: a step is next when it heads the journal of every
    party that recorded it; of those, the earliest goes first. Should the journals
    disagree (a clock moved back), the earliest head goes first anyway.
    """
    van_regel = {id(r): i for i, (_, bron) in enumerate(gemaakt) for r in bron}
    rijen = {p: [van_regel[id(r)] for r in lijst] for p, lijst in regels.items()}
    sleutel = [(_moment(stap.tijdstip), bron[0].id) for stap, bron in gemaakt]
    partijen_van = [{r.partij for r in bron} for _, bron in gemaakt]
    kop = dict.fromkeys(rijen, 0)
    gedaan: set[int] = set()
    uit: list[JourneyStep] = []

    def koppen() -> list[int]:
        for p, rij in rijen.items():
            while kop[p] < len(rij) and rij[kop[p]] in gedaan:
                kop[p] += 1
        return [rij[kop[p]] for p, rij in rijen.items() if kop[p] < len(rij)]

    while len(gedaan) < len(gemaakt):
        hoofden = set(koppen())
        klaar = [i for i in hoofden
                 if all(kop[p] < len(rijen[p]) and rijen[p][kop[p]] == i for p in partijen_van[i])]
        i = min(klaar or hoofden, key=lambda k: sleutel[k])
        gedaan.add(i)
        uit.append(gemaakt[i][0])
    return uit


def _moment(tijdstip: str) -> datetime:
    """For ordering: aware and naive times made comparable; an unreadable one goes last."""
    try:
        moment = datetime.fromisoformat(tijdstip)
    except (TypeError, ValueError):
        return datetime.max.replace(tzinfo=UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def chain_order(namen: Iterable[str]) -> list[str]:
    """Chain parties first in chain order, then the others in the order given."""
    namen = list(dict.fromkeys(namen))
    return [p for p in KETEN if p in namen] + [p for p in namen if p not in KETEN]


# ----------------------------------------------------------------------- short texts


def shorten(tekst: str, lengte: int) -> str:
    """``tekst`` in at most ``lengte`` characters, cut in the middle so the extension stays."""
    if len(tekst) <= lengte:
        return tekst
    kop = (lengte - 1) * 2 // 3
    return tekst[:kop] + "…" + tekst[len(tekst) - (lengte - 1 - kop):]


def short_ref(nummer: str | None) -> str:
    """The first 8 characters of a referentienummer: enough to tell messages apart by eye."""
    return (nummer or "")[:8]
