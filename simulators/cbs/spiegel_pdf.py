"""How the op-orde rapport (spiegelrapport I) and spiegelrapport II look on paper.

This module owns the drawing: :func:`spiegelrapport_pdf` turns figures that
:mod:`simulators.cbs.spiegel` computed into an A4 PDF with the delivery's data, a table
per post, the notable differences, a bar chart and a note. It does no I/O and keeps no
state; where the figures differ from the real CBS is said in :mod:`simulators.cbs.spiegel`.
It imports that module, never the other way round.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import datetime

from simulators.cbs.page import FONT, ReportPage, pdf_text
from simulators.cbs.report import (
    MONITOR,
    RAPPORTSOORTEN,
    data_block,
    heading,
    new_document,
    report_file_name,
    text_line,
    timestamp,
)
from simulators.cbs.spiegel import (
    KOLOMMEN,
    PER,
    POSTEN,
    RAPPORTEN,
    SIGNAALDREMPEL,
    SpiegelError,
    grootteklasse,
    require_rapport,
    require_soort,
    sorted_posts,
)

__all__ = ["spiegel_report_name", "spiegelrapport_pdf"]

_KLEUR_GEMEENTE = (0, 84, 147)
_KLEUR_GROEP = (230, 140, 0)
_HALFJAAR = re.compile(r"H([12])(\d{4})")


def spiegelrapport_pdf(
    rapport: str,
    soort: str,
    gemeentecode: str,
    gemeentenaam: str,
    periode: str,
    cijfers: Mapping[str, float],
    inwoners: int,
    vergelijking: Mapping[str, float],
    gemaakt: datetime,
    ggk_referentie: str,
    *,
    eerder: Mapping[str, float] | None = None,
    groep: str | None = None,
    bestandsnaam: str | None = None,
    drempel: float = SIGNAALDREMPEL,
) -> bytes:
    """Spiegelrapport I (the op-orde rapport) or II for one delivery, as PDF bytes.

    ``cijfers`` are the gemeente's own figures per post (WMO clients, SBO/JEUGD euros),
    ``vergelijking`` the peer group's per 1,000 inhabitants (WMO) or per inhabitant
    (SBO/JEUGD), ``groep`` describes that group. The report has a table per post (own
    figure, own per 1,000 or per inhabitant, peer group, difference, difference in %),
    the posts that differ by more than ``drempel``, and a bar chart of own against peer
    group. Spiegelrapport II is "definitief" and, given ``eerder`` (the own figures of
    spiegelrapport I), also compares with those. The same inputs give the same bytes.
    """
    rapport, soort = require_rapport(rapport), require_soort(soort)
    if inwoners <= 0:
        raise SpiegelError(f"inwoners moet groter dan 0 zijn, niet {inwoners}")
    if eerder is not None and rapport == "I":
        raise SpiegelError("cijfers van een eerder spiegelrapport horen alleen bij spiegelrapport II")
    titel = RAPPORTSOORTEN[RAPPORTEN[rapport]]
    per = PER[soort]
    posten = sorted_posts(set(cijfers) | set(vergelijking))
    eigen = {post: cijfers.get(post, 0) / inwoners * per for post in posten}
    peer = {post: vergelijking.get(post, 0.0) for post in posten}

    pdf = new_document(f"{titel} {MONITOR}", gemaakt)
    heading(pdf, titel, f"{MONITOR} - {soort}")
    _status(pdf, rapport)
    gegevens = [
        ("Gemeente", f"{gemeentenaam} ({gemeentecode})"),
        ("Verslagperiode", _period(periode)),
        ("Soort aanlevering", soort),
    ]
    if bestandsnaam:
        gegevens.append(("Bestandsnaam", bestandsnaam))
    gegevens += [
        ("GGk-referentienummer", ggk_referentie),
        ("Inwoners", f"{_number(inwoners)} ({grootteklasse(inwoners)})"),
        ("Vergelijkingsgroep", groep or f"gemeenten met {grootteklasse(inwoners)}"),
        ("Rapport gemaakt", timestamp(gemaakt)),
    ]
    data_block(pdf, gegevens)
    _table(pdf, soort, posten, cijfers, eigen, peer)
    _signals(pdf, soort, posten, eigen, peer, drempel)
    if rapport == "II":
        _compared_with_earlier(pdf, soort, cijfers, eerder)
    _chart(pdf, soort, posten, eigen, peer)
    _note(pdf, soort)
    return bytes(pdf.output())


def spiegel_report_name(rapport: str, gemeentecode: str, periode: str | None, ggk_referentie: str) -> str:
    """``CBS_OPORDE_...pdf`` for spiegelrapport I, ``CBS_SPIEGEL2_...pdf`` for II."""
    return report_file_name(RAPPORTEN[require_rapport(rapport)], gemeentecode, periode, ggk_referentie)


def _status(pdf: ReportPage, rapport: str) -> None:
    pdf.set_font(FONT, style="B", size=11)
    if rapport == "I":
        text_line(pdf, "Status: voorlopig")
        tekst = (
            "Dit op-orde rapport vergelijkt de technisch correcte aanlevering met vergelijkbare "
            "gemeenten. Wijkt een cijfer onverwacht af, dan kan de gemeente tot de uiterste "
            "correctiedatum een correctielevering doen (altijd een volledige set)."
        )
    else:
        text_line(pdf, "Status: definitief")
        tekst = (
            "Dit spiegelrapport II is definitief: het is opgesteld na de uiterste datum voor "
            "correcties en toont de cijfers waarover de gemeente het opt-in-besluit neemt."
        )
    pdf.set_font(FONT, size=10)
    pdf.paragraph(0, 5, pdf_text(tekst))
    pdf.ln(3)


def _columns(soort: str) -> tuple[tuple[str, float], ...]:
    """Table header and column widths (mm); the first column takes what is left of 190."""
    if soort == "WMO":
        rest = (("Cliënten", 20), ("Per 1.000 inw.", 24), ("Groep per 1.000", 26),
                ("Verschil", 20), ("Verschil %", 20))
    else:
        rest = (("Kosten (EUR)", 26), ("Per inwoner", 22), ("Groep per inw.", 24),
                ("Verschil", 20), ("Verschil %", 20))
    return ((KOLOMMEN[soort], 190 - sum(b for _, b in rest)), *rest)


def _table(
    pdf: ReportPage,
    soort: str,
    posten: list[str],
    cijfers: Mapping[str, float],
    eigen: Mapping[str, float],
    peer: Mapping[str, float],
) -> None:
    pdf.set_font(FONT, style="B", size=12)
    eenheid = "per 1.000 inwoners" if soort == "WMO" else "per inwoner"
    text_line(pdf, f"Cijfers {eenheid}")
    kolommen = _columns(soort)
    decimalen = 0 if soort == "WMO" else 2
    rijen = [
        [_post_name(soort, post), _number(cijfers.get(post, 0), decimalen), _number(eigen[post], 2),
         _number(peer[post], 2), _number(eigen[post] - peer[post], 2, teken=True),
         _percent(eigen[post], peer[post])]
        for post in posten
    ]
    if soort != "WMO":
        totaal_eigen, totaal_peer = sum(eigen.values()), sum(peer.values())
        rijen.append(["Totaal", _number(sum(cijfers.values()), 2), _number(totaal_eigen, 2),
                      _number(totaal_peer, 2), _number(totaal_eigen - totaal_peer, 2, teken=True),
                      _percent(totaal_eigen, totaal_peer)])
    _table_rows(pdf, kolommen, rijen)


def _table_rows(pdf: ReportPage, kolommen: tuple[tuple[str, float], ...], rijen: list[list[str]]) -> None:
    """A header in bold with a line under it, then one 5 mm row per entry; numbers right."""
    pdf.set_font(FONT, style="B", size=8)
    for index, (naam, breedte) in enumerate(kolommen):
        pdf.text_cell(breedte, 6, pdf_text(naam), border="B", align="L" if index == 0 else "R")
    pdf.ln(6)
    pdf.set_font(FONT, size=8)
    for rij in rijen:
        for index, ((_, breedte), waarde) in enumerate(zip(kolommen, rij, strict=True)):
            tekst = _fit(pdf, pdf_text(waarde), breedte) if index == 0 else pdf_text(waarde)
            pdf.text_cell(breedte, 5, tekst, align="L" if index == 0 else "R")
        pdf.ln(5)
    pdf.ln(3)


def _signals(
    pdf: ReportPage,
    soort: str,
    posten: list[str],
    eigen: Mapping[str, float],
    peer: Mapping[str, float],
    drempel: float,
) -> None:
    pdf.set_font(FONT, style="B", size=12)
    text_line(pdf, f"Opvallende verschillen (meer dan {_number(drempel * 100)}%)")
    pdf.set_font(FONT, size=10)
    gevonden = False
    for post in posten:
        if peer[post] > 0 and abs(eigen[post] - peer[post]) > drempel * peer[post]:
            richting = "hoger" if eigen[post] > peer[post] else "lager"
            afwijking = _number(abs(eigen[post] - peer[post]) / peer[post] * 100)
            text_line(pdf, f"- {_post_name(soort, post)}: {afwijking}% {richting} dan de vergelijkingsgroep")
            gevonden = True
        elif peer[post] <= 0 < eigen[post]:
            text_line(pdf, f"- {_post_name(soort, post)}: wel cijfers, de vergelijkingsgroep niet")
            gevonden = True
    if not gevonden:
        text_line(pdf, "Geen opvallende verschillen met de vergelijkingsgroep.")
    pdf.ln(3)


def _compared_with_earlier(
    pdf: ReportPage, soort: str, cijfers: Mapping[str, float], eerder: Mapping[str, float] | None
) -> None:
    pdf.set_font(FONT, style="B", size=12)
    text_line(pdf, "Vergelijking met spiegelrapport I")
    if eerder is None:
        pdf.set_font(FONT, size=10)
        text_line(pdf, "De cijfers van spiegelrapport I zijn niet beschikbaar.")
        pdf.ln(3)
        return
    decimalen = 0 if soort == "WMO" else 2
    eenheid = "cliënten" if soort == "WMO" else "EUR"
    kolommen = ((KOLOMMEN[soort], 80), (f"Spiegelrapport I ({eenheid})", 40),
                (f"Spiegelrapport II ({eenheid})", 42), ("Verschil", 28))
    rijen = [
        [_post_name(soort, post), _number(eerder.get(post, 0), decimalen),
         _number(cijfers.get(post, 0), decimalen),
         _number(cijfers.get(post, 0) - eerder.get(post, 0), decimalen, teken=True)]
        for post in sorted_posts(set(cijfers) | set(eerder))
    ]
    _table_rows(pdf, kolommen, rijen)


def _chart(
    pdf: ReportPage, soort: str, posten: list[str], eigen: Mapping[str, float], peer: Mapping[str, float]
) -> None:
    """Horizontal bars, two per post (gemeente, peer group), an x-axis with ticks, axis
    labels and a legend. Exactly 2 filled rectangles per post plus 2 legend swatches."""
    rij = max(6.4, 32 / max(len(posten), 1))  # at least 32 mm high: room for the axis label
    staaf = min(rij * 0.4, 5.0)
    hoogte = 12 + len(posten) * rij + 28
    if pdf.get_y() + hoogte > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font(FONT, style="B", size=12)
    if soort == "WMO":
        eenheid, titel = "Cliënten per 1.000 inwoners", "cliënten per 1.000 inwoners"
    else:
        eenheid, titel = "Kosten per inwoner (EUR)", "kosten per inwoner"
    text_line(pdf, f"Grafiek: {titel}, gemeente en vergelijkingsgroep")
    links, breedte = pdf.l_margin + 22, pdf.epw - 30
    boven = pdf.get_y() + 4
    onder = boven + len(posten) * rij
    stap = _tick_step(max([*eigen.values(), *peer.values(), 0.0]))
    schaal_max = stap * max(1, math.ceil(max([*eigen.values(), *peer.values(), 0.0]) / stap))
    decimalen = 0 if stap >= 1 else 2

    pdf.set_font(FONT, size=7)
    pdf.set_line_width(0.1)
    for tick in range(round(schaal_max / stap) + 1):
        x = links + breedte * tick * stap / schaal_max
        pdf.set_draw_color(210, 210, 210)
        pdf.line(x, boven, x, onder)
        pdf.set_draw_color(0, 0, 0)
        pdf.line(x, onder, x, onder + 1.5)
        label = _number(tick * stap, decimalen)
        pdf.text(x - pdf.string_width(label) / 2, onder + 4.5, label)
    for index, post in enumerate(posten):
        y = boven + index * rij
        pdf.set_text_color(0, 0, 0)
        pdf.text(links - 2 - pdf.string_width(post), y + rij / 2 + 1, post)
        marge = (rij - 2 * staaf) / 2
        for kleur, waarde, dy in ((_KLEUR_GEMEENTE, eigen[post], marge),
                                  (_KLEUR_GROEP, peer[post], marge + staaf)):
            pdf.set_fill_color(*kleur)
            pdf.rect(links, y + dy, breedte * max(waarde, 0.0) / schaal_max, staaf, style="F")
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.3)
    pdf.line(links, boven, links, onder)
    pdf.line(links, onder, links + breedte, onder)

    pdf.set_font(FONT, size=8)
    pdf.text(links + (breedte - pdf.string_width(eenheid)) / 2, onder + 10, pdf_text(eenheid))
    as_y = pdf_text(KOLOMMEN[soort])
    midden = (boven + onder) / 2 + pdf.string_width(as_y) / 2
    with pdf.rotation(90, pdf.l_margin + 6, midden):
        pdf.text(pdf.l_margin + 6, midden, as_y)
    legenda_y = onder + 15
    x = links
    for kleur, naam in ((_KLEUR_GEMEENTE, "Gemeente"), (_KLEUR_GROEP, "Vergelijkingsgroep")):
        pdf.set_fill_color(*kleur)
        pdf.rect(x, legenda_y, 4, 3, style="F")
        pdf.text(x + 6, legenda_y + 2.6, naam)
        x += 10 + pdf.string_width(naam)
    pdf.set_y(legenda_y + 8)


def _note(pdf: ReportPage, soort: str) -> None:
    eenheid = "per 1.000 inwoners" if soort == "WMO" else "per inwoner"
    tekst = (
        f"Verschil is het eigen cijfer {eenheid} min dat van de vergelijkingsgroep; Verschil % is "
        "dat verschil als deel van het cijfer van de vergelijkingsgroep. Dit rapport komt uit de "
        "CBS-simulator van de ketentest: inwonertallen zijn fictief, en de vergelijkingscijfers ook, "
        "tenzij ze uit aangeleverde cijfers van andere gemeenten zijn berekend."
    )
    pdf.set_font(FONT, size=8)
    pdf.paragraph(0, 4, pdf_text(tekst))


# ---------------------------------------------------------------- helpers


def _period(periode: str) -> str:
    match = _HALFJAAR.fullmatch(periode)
    if not match:
        return periode
    halfjaar = "eerste" if match[1] == "1" else "tweede"
    return f"{periode} ({halfjaar} halfjaar {match[2]})"


def _post_name(soort: str, post: str) -> str:
    naam = POSTEN[soort].get(post)
    return f"{post} {naam}" if naam else post


def _number(waarde: float, decimalen: int = 0, teken: bool = False) -> str:
    """Dutch notation: ``1.234,56``; with ``teken`` always a sign (``+0,00``)."""
    if round(waarde, decimalen) == 0:
        waarde = 0.0
    opmaak = f"{waarde:{'+' if teken else ''},.{decimalen}f}"
    return opmaak.replace(",", "_").replace(".", ",").replace("_", ".")


def _percent(eigen: float, peer: float) -> str:
    return f"{_number((eigen - peer) / peer * 100, teken=True)}%" if peer > 0 else "n.v.t."


def _fit(pdf: ReportPage, tekst: str, breedte: float) -> str:
    """The text cut to fit a column, ending in "..." when it was cut."""
    ruimte = breedte - 2 * pdf.c_margin
    if pdf.string_width(tekst) <= ruimte:
        return tekst
    while tekst and pdf.string_width(tekst + "...") > ruimte:
        tekst = tekst[:-1]
    return tekst + "..."


def _tick_step(maximum: float) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about 5 ticks up to maximum."""
    if maximum <= 0:
        return 1.0
    ruw = maximum / 5
    macht = 10 ** math.floor(math.log10(ruw))
    return next(m * macht for m in (1, 2, 5, 10) if m * macht >= ruw)
