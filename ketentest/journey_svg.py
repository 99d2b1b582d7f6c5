"""The journey of one scenario drawn: a sequence diagram in SVG, and a small HTML page.

:func:`sequence_diagram_svg` draws the steps that :func:`ketentest.journey.stappen` merged
from the journals (one lifeline per party, time running down); :func:`journey_html` wraps
that picture and a table of the same steps in a page, for viewers that will not show an
SVG attachment. This module imports :mod:`ketentest.journey`, never the other way round
(reis re-exports these names on first use).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from lxml import etree

from ketentest.journey import KETEN, JourneyStep, chain_order, short_ref, shorten
from simulators.kalender import DAGEN_KORT, MAANDEN_KORT

__all__ = ["journey_html", "sequence_diagram_svg"]

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



def sequence_diagram_svg(
    stappen: Sequence[JourneyStep], titel: str = "", partijen: Sequence[str] | None = None
) -> str:
    """A standalone SVG sequence diagram of ``stappen``; its height grows with the steps.

    Lifelines follow ``partijen`` (default: the chain order, other parties appended).
    Answers are dashed, StUF faults red; an open circle marks the end of a one-sided
    step whose party did not journal it.
    """
    svg = _svg(stappen, titel, partijen)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(
        svg, encoding="unicode", pretty_print=True)


def _svg(stappen: Sequence[JourneyStep], titel: str, partijen: Sequence[str] | None) -> etree._Element:
    namen = list(partijen or [])
    namen += [p for p in chain_order([*KETEN, *(p for s in stappen for p in (s.van, s.naar))])
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
            _tekst(svg, MARGE, y + 14, f"{DAGEN_KORT[dag.weekday()]} {dag.day} {MAANDEN_KORT[dag.month - 1]}"
                   f" {dag.year}", {"class": "datum"}, **{"font-weight": "bold", "font-size": "11"})
            vorige_dag = dag
        tijd = moment.strftime("%H:%M:%S") if moment else (stap.tijdstip or "?")
        _tekst(svg, MARGE, y + 30, tijd, {"class": "tijd"}, fill="#455a64",
               **{"font-family": "monospace", "font-size": "11"})
        _pijl(svg, stap, x_van[stap.van], x_van[stap.naar], y, nummer + 1)

    _legenda(svg, hoogte - 26)
    return svg


def _pijl(svg: etree._Element, stap: JourneyStep, x1: int, x2: int, y: int, nummer: int) -> None:
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
    _tekst(g, midden, lijn_y - 6, shorten(stap.label, tekens), {"class": "label"}, fill=kleur,
           **{"text-anchor": anker, "font-size": "11",
              "font-weight": "bold" if stap.fout else "normal"})
    refs = " · ".join(deel for deel in (
        f"ref {short_ref(stap.referentie)}" if stap.referentie else "",
        f"x {short_ref(stap.crossref)}" if stap.crossref else "") if deel)
    if refs:
        _tekst(g, midden, lijn_y + 14, refs, {"class": "referentie"}, fill="#546e7a",
               **{"text-anchor": anker, "font-family": "monospace", "font-size": "10"})


def _uitleg(stap: JourneyStep, nummer: int) -> str:
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


def _marker(stap: JourneyStep) -> str:
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
    _tekst(g, x, y + KOP // 2 + 5, shorten(naam, 22), **{"text-anchor": "middle", "font-weight": "bold"})


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


def journey_html(stappen: Sequence[JourneyStep], titel: str) -> str:
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
