"""The journey of one scenario: every message between the parties, once, in order, as a picture.

Each party journals what it sent (``uit``) and received (``in``), so one message shows
up twice: in the sender's journal and in the receiver's. :func:`stappen` merges the two
sides into one :class:`Stap`; :func:`sequentiediagram_svg` draws the steps as a sequence
diagram (one lifeline per party, time running down) and :func:`reis_html` wraps that
picture and a table of the same steps in a small HTML page, for viewers that will not
show an SVG attachment.

Where the journals fall short of the truth: a party that does not journal a hop (the GGk
does not journal an upload it receives, the RINIS not a file the CBS fetches) leaves a
one-sided step, drawn with an open circle at the end that has no journal line; and two
entries recorded in the same simulated millisecond by different parties are ordered by
journal id, which says nothing across parties, so only each party's own order is certain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lxml import etree

__all__ = ["KETEN", "Stap", "reis_html", "sequentiediagram_svg", "stappen"]

KETEN = ("gemeente", "ggk", "rinis", "cbs")
"""The parties in chain order: the lifelines from left to right."""

ANTWOORDEN = frozenset({"Bv01", "Bv02", "Bv03", "Bv04", "Fo02", "Fo03"})
"""Berichtcodes that come back synchronously on the caller's own request."""

FOUTEN = frozenset({"Fo01", "Fo02", "Fo03"})

SVG_NS = "http://www.w3.org/2000/svg"

# Layout of the diagram, in pixels.
TIJD_BREEDTE = 120  # the time column on the left
KOLOM = 240  # distance between two lifelines
KOP = 34  # height of a party's box
RIJ = 48  # height of one step
MARGE = 16

ZWART = "#263238"
ROOD = "#c62828"
GRIJS = "#90a4ae"


@dataclass(frozen=True)
class Stap:
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


def stappen(entries: Mapping[str, Iterable[Mapping[str, Any]]]) -> list[Stap]:
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
    for partij in _volgorde(regels):
        for in_ in regels[partij]:
            if in_.data["richting"] != "in":
                continue
            kandidaten = [r for r in regels.get(in_.van, ()) if id(r) not in gekoppeld
                          and r.data["richting"] == "uit" and r.naar == partij
                          and _zelfde_bericht(r.data, in_.data)]
            uit = _verzonden(kandidaten, _moment(str(in_.data.get("tijdstip"))))
            if uit is not None:
                gekoppeld.add(id(uit))
                paren[id(uit)] = in_
    gebruikt = {id(r) for r in paren.values()}
    tweetallen: list[tuple[_Regel, _Regel | None]] = []
    for partij in _volgorde(regels):
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


def _stap(eerste: _Regel, tweede: _Regel | None) -> Stap:
    """One step from the sender's line (or the only line) and, if found, the receiver's."""
    regels = [eerste] if tweede is None else [eerste, tweede]

    def veld(naam: str) -> Any:
        return next((r.data[naam] for r in regels if r.data.get(naam)), None)

    code = veld("berichtcode")
    soort = str(veld("soort") or "bericht")
    naam = veld("bestandsnaam")
    label = " ".join(str(deel) for deel in (code or soort, naam) if deel)
    return Stap(
        van=eerste.van, naar=eerste.naar, label=label,
        referentie=veld("referentienummer"), crossref=veld("crossRefnummer"),
        tijdstip=str(veld("tijdstip") or ""), soort=soort, berichtcode=code,
        bestandsnaam=naam, correlatie=veld("correlatie"),
        bronnen=tuple((r.partij, r.id) for r in regels),
    )


def _op_volgorde(gemaakt: list[tuple[Stap, list[_Regel]]], regels: dict[str, list[_Regel]]) -> list[Stap]:
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
    uit: list[Stap] = []

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


def _volgorde(namen: Iterable[str]) -> list[str]:
    """Chain parties first in chain order, then the others in the order given."""
    namen = list(dict.fromkeys(namen))
    return [p for p in KETEN if p in namen] + [p for p in namen if p not in KETEN]


# ----------------------------------------------------------------------- drawing

_DAGEN = ("ma", "di", "wo", "do", "vr", "za", "zo")
_MAANDEN = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def kort(tekst: str, lengte: int) -> str:
    """``tekst`` in at most ``lengte`` characters, cut in the middle so the extension stays."""
    if len(tekst) <= lengte:
        return tekst
    kop = (lengte - 1) * 2 // 3
    return tekst[:kop] + "…" + tekst[len(tekst) - (lengte - 1 - kop):]


def kort_ref(nummer: str | None) -> str:
    """The first 8 characters of a referentienummer: enough to tell messages apart by eye."""
    return (nummer or "")[:8]


def sequentiediagram_svg(
    stappen: Sequence[Stap], titel: str = "", partijen: Sequence[str] | None = None
) -> str:
    """A standalone SVG sequence diagram of ``stappen``; its height grows with the steps.

    Lifelines follow ``partijen`` (default: the chain order, other parties appended).
    Answers are dashed, StUF faults red; an open circle marks the end of a one-sided
    step whose party did not journal it.
    """
    svg = _svg(stappen, titel, partijen)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(
        svg, encoding="unicode", pretty_print=True)


def _svg(stappen: Sequence[Stap], titel: str, partijen: Sequence[str] | None) -> etree._Element:
    namen = list(partijen or [])
    namen += [p for p in _volgorde([*KETEN, *(p for s in stappen for p in (s.van, s.naar))])
              if p not in namen]
    x_van = {naam: TIJD_BREEDTE + KOLOM // 2 + i * KOLOM for i, naam in enumerate(namen)}
    breedte = TIJD_BREEDTE + len(namen) * KOLOM + MARGE
    boven = MARGE + (28 if titel else 0)
    eerste_rij = boven + KOP + 12
    onder = eerste_rij + len(stappen) * RIJ + 8
    hoogte = onder + KOP + 64

    svg = etree.Element(_q("svg"), nsmap={None: SVG_NS}, width=str(breedte), height=str(hoogte),
                        viewBox=f"0 0 {breedte} {hoogte}", role="img")
    svg.set("font-family", "Helvetica, Arial, sans-serif")
    svg.set("font-size", "12")
    _sub(svg, "title").text = _xml_veilig(titel or "Reis van de berichten")
    _defs(svg)
    _sub(svg, "rect", width=str(breedte), height=str(hoogte), fill="#ffffff")
    if titel:
        _tekst(svg, MARGE, MARGE + 16, titel, **{"font-size": "16", "font-weight": "bold"})

    lijnen = _sub(svg, "g", {"class": "levenslijnen"})
    for naam, x in x_van.items():
        _sub(lijnen, "line", x1=str(x), y1=str(boven + KOP), x2=str(x), y2=str(onder),
             stroke=GRIJS, **{"stroke-dasharray": "2 4"})
        for y in (boven, onder):
            _partij(lijnen, naam, x, y)

    vorige_dag = None
    for nummer, stap in enumerate(stappen):
        y = eerste_rij + nummer * RIJ
        moment = _leesbaar(stap.tijdstip)
        dag = moment.date() if moment else None
        if dag is not None and dag != vorige_dag:
            if vorige_dag is not None:
                _sub(svg, "line", {"class": "nieuwe-dag"}, x1=str(MARGE), y1=str(y), x2=str(breedte),
                     y2=str(y), stroke=GRIJS, **{"stroke-dasharray": "6 3"})
            _tekst(svg, MARGE, y + 14, f"{_DAGEN[dag.weekday()]} {dag.day} {_MAANDEN[dag.month - 1]}"
                   f" {dag.year}", {"class": "datum"}, **{"font-weight": "bold", "font-size": "11"})
            vorige_dag = dag
        tijd = moment.strftime("%H:%M:%S") if moment else (stap.tijdstip or "?")
        _tekst(svg, MARGE, y + 30, tijd, {"class": "tijd"}, fill="#455a64",
               **{"font-family": "monospace", "font-size": "11"})
        _pijl(svg, stap, x_van[stap.van], x_van[stap.naar], y, nummer + 1)

    _legenda(svg, hoogte - 26)
    return svg


def _pijl(svg: etree._Element, stap: Stap, x1: int, x2: int, y: int, nummer: int) -> None:
    kleur = ROOD if stap.fout else ZWART
    klassen = " ".join(["stap"] + [k for k, aan in (("antwoord", stap.antwoord), ("fout", stap.fout),
                                                     ("enkelzijdig", stap.enkelzijdig)) if aan])
    g = _sub(svg, "g", {"class": klassen})
    _sub(g, "title").text = _xml_veilig(_uitleg(stap, nummer))
    lijn_y = y + 26
    streep = {"stroke-dasharray": "6 4"} if stap.antwoord else {}
    if x1 == x2:  # a party talking to itself: a small loop to the right
        _sub(g, "path", d=f"M{x1},{lijn_y - 8} h36 v16 h-34", fill="none", stroke=kleur,
             **{"stroke-width": "1.5", "marker-end": f"url(#{_marker(stap)})"}, **streep)
        midden, ruimte = x1 + 40, KOLOM - 50
        anker = "start"
    else:
        richting = 1 if x2 > x1 else -1
        _sub(g, "line", x1=str(x1), y1=str(lijn_y), x2=str(x2 - richting * 2), y2=str(lijn_y),
             stroke=kleur, **{"stroke-width": "1.5", "marker-end": f"url(#{_marker(stap)})"}, **streep)
        midden, ruimte = (x1 + x2) // 2, abs(x2 - x1) - 16
        anker = "middle"
        if stap.enkelzijdig:
            stil = x2 if stap.gezien_door == (stap.van,) else x1
            _sub(g, "circle", {"class": "niet-gejournaliseerd"}, cx=str(stil), cy=str(lijn_y), r="4",
                 fill="#ffffff", stroke=kleur, **{"stroke-width": "1.5"})
    tekens = max(12, ruimte * 10 // 67)  # about 6.7 px a character at 11 px, wide fonts too
    _tekst(g, midden, lijn_y - 6, kort(stap.label, tekens), {"class": "label"}, fill=kleur,
           **{"text-anchor": anker, "font-size": "11",
              "font-weight": "bold" if stap.fout else "normal"})
    refs = " · ".join(deel for deel in (
        f"ref {kort_ref(stap.referentie)}" if stap.referentie else "",
        f"x {kort_ref(stap.crossref)}" if stap.crossref else "") if deel)
    if refs:
        _tekst(g, midden, lijn_y + 14, refs, {"class": "referentie"}, fill="#546e7a",
               **{"text-anchor": anker, "font-family": "monospace", "font-size": "10"})


def _uitleg(stap: Stap, nummer: int) -> str:
    """The tooltip: everything the picture shortened, in full."""
    regels = [f"{nummer}. {stap.van} → {stap.naar}: {stap.label}", f"tijdstip {stap.tijdstip}"]
    if stap.referentie:
        regels.append(f"referentienummer {stap.referentie}")
    if stap.crossref:
        regels.append(f"crossRefnummer {stap.crossref}")
    if stap.correlatie:
        regels.append(f"correlatie {stap.correlatie}")
    if stap.enkelzijdig:
        regels.append(f"alleen in het journaal van {', '.join(stap.gezien_door) or '?'}")
    return "\n".join(regels)


def _marker(stap: Stap) -> str:
    return "pijl-fout" if stap.fout else "pijl"


def _defs(svg: etree._Element) -> None:
    defs = _sub(svg, "defs")
    for naam, kleur in (("pijl", ZWART), ("pijl-fout", ROOD)):
        marker = _sub(defs, "marker", id=naam, viewBox="0 0 10 10", refX="10", refY="5",
                      markerWidth="8", markerHeight="8", orient="auto-start-reverse")
        _sub(marker, "path", d="M0,0 L10,5 L0,10 z", fill=kleur)


def _partij(parent: etree._Element, naam: str, x: int, y: int) -> None:
    g = _sub(parent, "g", {"class": "partij"})
    _sub(g, "rect", x=str(x - KOLOM // 2 + 20), y=str(y), width=str(KOLOM - 40), height=str(KOP),
         rx="4", fill="#eceff1", stroke=ZWART)
    _tekst(g, x, y + KOP // 2 + 5, kort(naam, 22), **{"text-anchor": "middle", "font-weight": "bold"})


def _legenda(svg: etree._Element, y: int) -> None:
    g = _sub(svg, "g", {"class": "legenda"}, **{"font-size": "11"})
    x = MARGE
    for tekst, kleur, streep in (("bericht", ZWART, None), ("antwoord", ZWART, "6 4"),
                                 ("StUF-fout", ROOD, None)):
        extra = {"stroke-dasharray": streep} if streep else {}
        _sub(g, "line", x1=str(x), y1=str(y), x2=str(x + 36), y2=str(y), stroke=kleur,
             **{"stroke-width": "1.5", "marker-end": f"url(#{'pijl-fout' if kleur == ROOD else 'pijl'})"},
             **extra)
        _tekst(g, x + 44, y + 4, tekst, fill=kleur)
        x += 130
    _sub(g, "circle", cx=str(x + 4), cy=str(y), r="4", fill="#ffffff", stroke=ZWART)
    _tekst(g, x + 14, y + 4, "niet in het journaal van deze partij")


def _leesbaar(tijdstip: str) -> datetime | None:
    """The time as the party's clock showed it (not converted), or None when unreadable."""
    try:
        return datetime.fromisoformat(tijdstip)
    except (TypeError, ValueError):
        return None


def _q(tag: str) -> str:
    return f"{{{SVG_NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, attrib: dict[str, str] | None = None, **kwargs: str):
    return etree.SubElement(parent, _q(tag), attrib or {}, **kwargs)


def _tekst(parent: etree._Element, x: int, y: int, tekst: str,
           attrib: dict[str, str] | None = None, **kwargs: str) -> etree._Element:
    element = _sub(parent, "text", attrib, x=str(x), y=str(y), **kwargs)
    element.text = _xml_veilig(tekst)
    return element


def _xml_veilig(tekst: str) -> str:
    """Characters XML 1.0 cannot carry (controls from a garbled file name) become U+FFFD."""
    return "".join(c if c in "\t\n\r" or ord(c) >= 0x20 and c not in "\ufffe\uffff" else "\ufffd"
                   for c in tekst)


# ----------------------------------------------------------------------- the page


def reis_html(stappen: Sequence[Stap], titel: str) -> str:
    """A small HTML page: the diagram inline, then every step in a table, names in full."""
    html = etree.Element("html", lang="nl")
    head = etree.SubElement(html, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    etree.SubElement(head, "title").text = _xml_veilig(titel)
    etree.SubElement(head, "style").text = (
        "body{font-family:Helvetica,Arial,sans-serif;margin:1em}"
        "table{border-collapse:collapse;font-size:13px}"
        "th,td{border:1px solid #cfd8dc;padding:2px 6px;text-align:left;vertical-align:top}"
        "td.nr,td.ref{font-family:monospace}tr.fout td{color:#c62828}"
        "tr.antwoord td.bericht{font-style:italic}tr.enkelzijdig td.journaal{color:#8d6e63}")
    body = etree.SubElement(html, "body")
    etree.SubElement(body, "h1").text = _xml_veilig(titel)
    body.append(_svg(stappen, "", None))

    tabel = etree.SubElement(body, "table")
    kop = etree.SubElement(etree.SubElement(tabel, "thead"), "tr")
    for naam in ("#", "tijdstip", "van", "naar", "bericht", "referentienummer", "crossRefnummer",
                 "journaal"):
        etree.SubElement(kop, "th").text = naam
    tbody = etree.SubElement(tabel, "tbody")
    for nummer, stap in enumerate(stappen, start=1):
        klassen = [k for k, aan in (("antwoord", stap.antwoord), ("fout", stap.fout),
                                    ("enkelzijdig", stap.enkelzijdig)) if aan]
        rij = etree.SubElement(tbody, "tr", {"class": " ".join(klassen)} if klassen else {})
        journaal = (f"alleen {', '.join(stap.gezien_door)}" if stap.enkelzijdig
                    else ", ".join(stap.gezien_door))
        for klasse, waarde in (("nr", str(nummer)), ("tijd", stap.tijdstip), ("van", stap.van),
                               ("naar", stap.naar), ("bericht", stap.label),
                               ("ref", stap.referentie or ""), ("ref", stap.crossref or ""),
                               ("journaal", journaal)):
            etree.SubElement(rij, "td", {"class": klasse}).text = _xml_veilig(waarde)
    return "<!DOCTYPE html>\n" + etree.tostring(html, method="html", encoding="unicode")
