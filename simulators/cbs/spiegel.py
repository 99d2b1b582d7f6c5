"""CBS's plausibility reports: the op-orde rapport (spiegelrapport I) and spiegelrapport II.

This module owns the figures in those reports and how they look on paper: it reads
the key figures from a technically approved file (:func:`cijfers_uit_bestand`), forms
the peer group of a gemeente (:func:`vergelijkingsgroep`) and draws the PDF with a
table and a bar chart (:func:`spiegelrapport_pdf`). It does no I/O and keeps no state.

Where the simulator differs from the real CBS (details in docs/rapporten.md):

* the simulator has no population figures: :func:`inwoners` gives a fictitious,
  deterministic number of inhabitants from a hash of the gemeentecode (a few big
  cities get a rounded figure near their real size), so tests can rely on it;
* the peer group is the gemeenten of the same size class (:func:`grootteklasse`);
  when the figures of other gemeenten are passed in, the group is computed from them,
  otherwise fictitious reference figures stand in (:data:`REFERENTIECIJFERS`);
* the real reports also compare with CAK data (Wmo personal contributions); the
  simulator has none and leaves that out;
* WMO figures are clients (distinct BSN) per 1,000 inhabitants; SBO and JEUGD figures
  are costs in euros per inhabitant.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from simulators.cbs.report import (
    FONT,
    MONITOR,
    RAPPORTSOORTEN,
    gegevensblok,
    kop,
    nieuw_document,
    pdf_tekst,
    rapport_bestandsnaam,
    regel,
    tijdstip,
)

__all__ = [
    "BEKENDE_INWONERTALLEN",
    "GROOTTEKLASSEN",
    "IV3_CATEGORIEEN",
    "JEUGD_TYPES",
    "KOLOMMEN",
    "PER",
    "POSTEN",
    "RAPPORTEN",
    "REFERENTIECIJFERS",
    "SIGNAALDREMPEL",
    "SOORTEN",
    "WMO_TYPES",
    "SpiegelFout",
    "cijfers_uit_bestand",
    "groepsomschrijving",
    "grootteklasse",
    "inwoners",
    "kosten_per_post",
    "spiegel_bestandsnaam",
    "spiegelrapport_pdf",
    "vergelijkingsgroep",
    "wmo_kengetallen",
]

SOORTEN: tuple[str, ...] = ("WMO", "SBO", "JEUGD")
RAPPORTEN: Mapping[str, str] = {"I": "OPORDE", "II": "SPIEGEL2"}
"""Spiegelrapport I or II -> its soort in the report file name (report.RAPPORTSOORTEN)."""

WMO_TYPES: Mapping[str, str] = {
    "01": "Hulp bij het huishouden",
    "02": "Begeleiding",
    "03": "Persoonlijke verzorging",
    "04": "Kortdurend verblijf",
    "05": "Woondiensten",
    "06": "Overige ondersteuning individu/huishouden",
    "07": "Dagbesteding",
    "08": "Vervoerdiensten",
    "09": "Overige groepsgerichte ondersteuning",
    "10": "Overige maatwerkarrangementen",
    "11": "Rolstoelen",
    "12": "Vervoervoorzieningen",
    "13": "Woonvoorzieningen",
    "14": "Overige hulpmiddelen",
    "15": "Beschermd wonen",
    "16": "Opvang",
    "17": "Spoedopvang",
    "18": "Overige beschermd wonen en opvang",
}
IV3_CATEGORIEEN: Mapping[str, str] = {
    "670": "Eerstelijnsloket Wmo en Jeugd",
    "671": "Algemene voorziening Wmo en Jeugd",
}
JEUGD_TYPES: Mapping[str, str] = {
    "01": "Jeugdhulp zonder verblijf",
    "02": "Jeugdhulp met verblijf",
    "03": "Jeugdbescherming",
    "04": "Jeugdreclassering",
    "05": "Persoonsgebonden budget (pgb)",
}
POSTEN: Mapping[str, Mapping[str, str]] = {"WMO": WMO_TYPES, "SBO": IV3_CATEGORIEEN, "JEUGD": JEUGD_TYPES}
"""Per soort: the code of each type or post -> its Dutch name."""
KOLOMMEN: Mapping[str, str] = {
    "WMO": "Type maatwerkarrangement",
    "SBO": "Iv3-categorie",
    "JEUGD": "Type voorziening",
}
"""Per soort: the file's column that holds the type or post (docs/bestanden.md)."""
PER: Mapping[str, int] = {"WMO": 1000, "SBO": 1, "JEUGD": 1}
"""Per soort: figures are given per this many inhabitants."""

GROOTTEKLASSEN: tuple[tuple[float, str], ...] = (
    (20_000, "minder dan 20.000 inwoners"),
    (50_000, "20.000 tot 50.000 inwoners"),
    (100_000, "50.000 tot 100.000 inwoners"),
    (math.inf, "100.000 inwoners of meer"),
)
"""Size classes: (upper bound, exclusive; label)."""

BEKENDE_INWONERTALLEN: Mapping[str, int] = {
    "0363": 835_000,  # Amsterdam
    "0599": 630_000,  # Rotterdam
    "0518": 520_000,  # 's-Gravenhage
    "0344": 335_000,  # Utrecht
    "0772": 227_000,  # Eindhoven
    "0855": 211_000,  # Tilburg
    "0014": 200_000,  # Groningen
    "0034": 198_000,  # Almere
    "0758": 182_000,  # Breda
    "0268": 172_000,  # Nijmegen
    "0088": 1_000,  # Schiermonnikoog (really a little under 1,000: held at the range's floor)
    "0096": 1_100,  # Vlieland
    "0277": 1_600,  # Rozendaal
    "0060": 3_600,  # Ameland
    "0093": 4_800,  # Terschelling
}
"""The biggest and smallest gemeenten, rounded near their real size (about 2016), so their
size class is right (SBO, for one, is only for gemeenten under 20,000). Not CBS figures."""

_VERDELING: tuple[tuple[float, int], ...] = (
    (0.00, 1_000),
    (0.10, 9_000),
    (0.35, 20_000),
    (0.75, 50_000),
    (0.92, 100_000),
    (1.00, 900_000),
)
"""Share of gemeenten -> inhabitants: the synthetic figures follow this distribution."""

REFERENTIECIJFERS: Mapping[str, Mapping[str, float]] = {
    "WMO": {
        "01": 18.0, "02": 9.0, "03": 2.5, "04": 0.8, "05": 0.6, "06": 1.5, "07": 4.0, "08": 12.0,
        "09": 1.0, "10": 0.8, "11": 6.0, "12": 5.0, "13": 7.0, "14": 3.0, "15": 1.2, "16": 0.5,
        "17": 0.1, "18": 0.2,
    },
    "SBO": {"670": 8.0, "671": 25.0},
    "JEUGD": {"01": 120.0, "02": 70.0, "03": 15.0, "04": 5.0, "05": 12.0},
}
"""Fictitious base figures (WMO clients per 1,000, SBO/JEUGD euros per inhabitant)."""

SIGNAALDREMPEL = 0.5
"""A post differs notably when it is this fraction above or below the peer group."""

_KLEUR_GEMEENTE = (0, 84, 147)
_KLEUR_GROEP = (230, 140, 0)
_HALFJAAR = re.compile(r"H([12])(\d{4})")


class SpiegelFout(ValueError):
    """The file or the arguments cannot make a spiegelrapport; the message says which part."""


# ---------------------------------------------------------------- figures from a file


def wmo_kengetallen(inhoud: bytes) -> dict[str, int]:
    """Distinct clients (BSN) per Type maatwerkarrangement in a WMO file, by type code.

    A client with several rows of one type counts once for that type (and once for
    each other type they have); rows without BSN or type are left out.
    """
    kop_, rijen = _lees_csv(inhoud)
    bsn, type_ = _kolom(kop_, "BSN"), _kolom(kop_, KOLOMMEN["WMO"])
    clienten: dict[str, set[str]] = {}
    for _, rij in rijen:
        if len(rij) > max(bsn, type_) and rij[bsn].strip() and rij[type_].strip():
            clienten.setdefault(rij[type_].strip(), set()).add(rij[bsn].strip())
    return {post: len(clienten[post]) for post in _gesorteerd(clienten)}


def kosten_per_post(inhoud: bytes, kolom: str, bedrag: str = "Kosten") -> dict[str, float]:
    """The sum of ``bedrag`` per value of ``kolom``, in euros, by post code.

    For SBO ``kolom`` is "Iv3-categorie", for JEUGD "Type voorziening"; with
    ``bedrag="Daadwerkelijk betaald bedrag"`` it gives WMO costs per type. Empty
    amounts are left out; an amount that is not a number raises :class:`SpiegelFout`.
    """
    kop_, rijen = _lees_csv(inhoud)
    post_index, bedrag_index = _kolom(kop_, kolom), _kolom(kop_, bedrag)
    sommen: dict[str, Decimal] = {}
    for nummer, rij in rijen:
        if len(rij) <= max(post_index, bedrag_index) or not rij[bedrag_index].strip():
            continue
        try:
            waarde = Decimal(rij[bedrag_index].strip())
        except InvalidOperation:
            raise SpiegelFout(f"regel {nummer}: {bedrag} {rij[bedrag_index]!r} is geen bedrag") from None
        post = rij[post_index].strip()
        sommen[post] = sommen.get(post, Decimal(0)) + waarde
    return {post: float(sommen[post]) for post in _gesorteerd(sommen)}


def cijfers_uit_bestand(soort: str, inhoud: bytes) -> dict[str, int] | dict[str, float]:
    """The figures a spiegelrapport shows for a file of that soort (WMO, SBO or JEUGD)."""
    soort = _soort(soort)
    if soort == "WMO":
        return wmo_kengetallen(inhoud)
    return kosten_per_post(inhoud, KOLOMMEN[soort])


# ---------------------------------------------------------------- inhabitants, peer group


def inwoners(gemeentecode: str) -> int:
    """The fictitious, deterministic number of inhabitants of a gemeente (1,000..900,000).

    A code in :data:`BEKENDE_INWONERTALLEN` gets that figure; any other gets one from
    the first 8 bytes of SHA-256("inwoners:<code>") read as a fraction u in [0, 1),
    placed on :data:`_VERDELING` by interpolating log-linearly between its points.
    """
    code = _code(gemeentecode)
    if code in BEKENDE_INWONERTALLEN:
        return BEKENDE_INWONERTALLEN[code]
    u = _fractie(f"inwoners:{code}")
    for (van_u, van_n), (tot_u, tot_n) in zip(_VERDELING, _VERDELING[1:], strict=False):
        if u < tot_u:
            t = (u - van_u) / (tot_u - van_u)
            return round(math.exp(math.log(van_n) + t * (math.log(tot_n) - math.log(van_n))))
    return _VERDELING[-1][1]  # pragma: no cover - u < 1 always


def grootteklasse(aantal_inwoners: int) -> str:
    """The size class of a gemeente with that many inhabitants, as a Dutch label."""
    return next(label for grens, label in GROOTTEKLASSEN if aantal_inwoners < grens)


def vergelijkingsgroep(
    gemeentecode: str,
    soort: str,
    periode: str,
    andere: list[tuple[str, Mapping[str, float]]] | None = None,
    *,
    inwonertallen: Mapping[str, int] | None = None,
) -> dict[str, float]:
    """The peer group's figure per post: WMO clients per 1,000 inhabitants, SBO/JEUGD euros
    per inhabitant.

    The group is the gemeenten in ``andere`` (gemeentecode, figures) of the same size
    class, the gemeente itself left out: per post their summed figure divided by their
    summed inhabitants (a post a gemeente lacks counts as 0). Without such gemeenten
    the fictitious reference figures of that soort, period and size class stand in:
    ``REFERENTIECIJFERS[soort][post] * (0.8 + 0.4 * u)``, u a fraction from
    SHA-256("<soort>:<periode>:<size class>:<post>"), rounded to 2 decimals.
    ``inwonertallen`` overrides :func:`inwoners` for the codes it holds.
    """
    soort = _soort(soort)
    klasse = grootteklasse(_inwonertal(gemeentecode, inwonertallen))
    groep = _groepsleden(gemeentecode, klasse, andere or [], inwonertallen)
    if not groep:
        return {
            post: round(basis * (0.8 + 0.4 * _fractie(f"{soort}:{periode}:{klasse}:{post}")), 2)
            for post, basis in REFERENTIECIJFERS[soort].items()
        }
    totaal_inwoners = sum(_inwonertal(code, inwonertallen) for code, _ in groep)
    posten = _gesorteerd({post for _, cijfers in groep for post in cijfers})
    return {
        post: sum(cijfers.get(post, 0) for _, cijfers in groep) / totaal_inwoners * PER[soort]
        for post in posten
    }


def groepsomschrijving(
    gemeentecode: str,
    andere: list[tuple[str, Mapping[str, float]]] | None = None,
    *,
    inwonertallen: Mapping[str, int] | None = None,
) -> str:
    """What :func:`vergelijkingsgroep` compares with, in Dutch, for the report."""
    klasse = grootteklasse(_inwonertal(gemeentecode, inwonertallen))
    groep = _groepsleden(gemeentecode, klasse, andere or [], inwonertallen)
    if not groep:
        return f"fictieve referentiecijfers voor gemeenten met {klasse}"
    woord = "gemeente" if len(groep) == 1 else "gemeenten"
    return f"{len(groep)} andere {woord} met {klasse} (aangeleverde cijfers)"


def spiegel_bestandsnaam(rapport: str, gemeentecode: str, periode: str | None, ggk_referentie: str) -> str:
    """``CBS_OPORDE_...pdf`` for spiegelrapport I, ``CBS_SPIEGEL2_...pdf`` for II."""
    return rapport_bestandsnaam(RAPPORTEN[_rapport(rapport)], gemeentecode, periode, ggk_referentie)


# ---------------------------------------------------------------- the report


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
    rapport, soort = _rapport(rapport), _soort(soort)
    if inwoners <= 0:
        raise SpiegelFout(f"inwoners moet groter dan 0 zijn, niet {inwoners}")
    if eerder is not None and rapport == "I":
        raise SpiegelFout("cijfers van een eerder spiegelrapport horen alleen bij spiegelrapport II")
    titel = RAPPORTSOORTEN[RAPPORTEN[rapport]]
    per = PER[soort]
    posten = _gesorteerd(set(cijfers) | set(vergelijking))
    eigen = {post: cijfers.get(post, 0) / inwoners * per for post in posten}
    peer = {post: vergelijking.get(post, 0.0) for post in posten}

    pdf = nieuw_document(f"{titel} {MONITOR}", gemaakt)
    kop(pdf, titel, f"{MONITOR} - {soort}")
    _status(pdf, rapport)
    gegevens = [
        ("Gemeente", f"{gemeentenaam} ({gemeentecode})"),
        ("Verslagperiode", _periode(periode)),
        ("Soort aanlevering", soort),
    ]
    if bestandsnaam:
        gegevens.append(("Bestandsnaam", bestandsnaam))
    gegevens += [
        ("GGk-referentienummer", ggk_referentie),
        ("Inwoners", f"{_getal(inwoners)} ({grootteklasse(inwoners)})"),
        ("Vergelijkingsgroep", groep or f"gemeenten met {grootteklasse(inwoners)}"),
        ("Rapport gemaakt", tijdstip(gemaakt)),
    ]
    gegevensblok(pdf, gegevens)
    _tabel(pdf, soort, posten, cijfers, eigen, peer)
    _signalen(pdf, soort, posten, eigen, peer, drempel)
    if rapport == "II":
        _vergelijking_met_eerder(pdf, soort, cijfers, eerder)
    _grafiek(pdf, soort, posten, eigen, peer)
    _toelichting(pdf, soort)
    return bytes(pdf.output())


def _status(pdf: FPDF, rapport: str) -> None:
    pdf.set_font(FONT, style="B", size=11)
    if rapport == "I":
        regel(pdf, "Status: voorlopig")
        tekst = (
            "Dit op-orde rapport vergelijkt de technisch correcte aanlevering met vergelijkbare "
            "gemeenten. Wijkt een cijfer onverwacht af, dan kan de gemeente tot de uiterste "
            "correctiedatum een correctielevering doen (altijd een volledige set)."
        )
    else:
        regel(pdf, "Status: definitief")
        tekst = (
            "Dit spiegelrapport II is definitief: het is opgesteld na de uiterste datum voor "
            "correcties en toont de cijfers waarover de gemeente het opt-in-besluit neemt."
        )
    pdf.set_font(FONT, size=10)
    pdf.multi_cell(0, 5, pdf_tekst(tekst), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)


def _kolommen(soort: str) -> tuple[tuple[str, float], ...]:
    """Table header and column widths (mm); the first column takes what is left of 190."""
    if soort == "WMO":
        rest = (("Cliënten", 20), ("Per 1.000 inw.", 24), ("Groep per 1.000", 26),
                ("Verschil", 20), ("Verschil %", 20))
    else:
        rest = (("Kosten (EUR)", 26), ("Per inwoner", 22), ("Groep per inw.", 24),
                ("Verschil", 20), ("Verschil %", 20))
    return ((KOLOMMEN[soort], 190 - sum(b for _, b in rest)), *rest)


def _tabel(
    pdf: FPDF,
    soort: str,
    posten: list[str],
    cijfers: Mapping[str, float],
    eigen: Mapping[str, float],
    peer: Mapping[str, float],
) -> None:
    pdf.set_font(FONT, style="B", size=12)
    eenheid = "per 1.000 inwoners" if soort == "WMO" else "per inwoner"
    regel(pdf, f"Cijfers {eenheid}")
    kolommen = _kolommen(soort)
    decimalen = 0 if soort == "WMO" else 2
    rijen = [
        [_omschrijving(soort, post), _getal(cijfers.get(post, 0), decimalen), _getal(eigen[post], 2),
         _getal(peer[post], 2), _getal(eigen[post] - peer[post], 2, teken=True),
         _procent(eigen[post], peer[post])]
        for post in posten
    ]
    if soort != "WMO":
        totaal_eigen, totaal_peer = sum(eigen.values()), sum(peer.values())
        rijen.append(["Totaal", _getal(sum(cijfers.values()), 2), _getal(totaal_eigen, 2),
                      _getal(totaal_peer, 2), _getal(totaal_eigen - totaal_peer, 2, teken=True),
                      _procent(totaal_eigen, totaal_peer)])
    _tabelrijen(pdf, kolommen, rijen)


def _tabelrijen(pdf: FPDF, kolommen: tuple[tuple[str, float], ...], rijen: list[list[str]]) -> None:
    """A header in bold with a line under it, then one 5 mm row per entry; numbers right."""
    pdf.set_font(FONT, style="B", size=8)
    for index, (naam, breedte) in enumerate(kolommen):
        pdf.cell(breedte, 6, pdf_tekst(naam), border="B", align="L" if index == 0 else "R")
    pdf.ln(6)
    pdf.set_font(FONT, size=8)
    for rij in rijen:
        for index, ((_, breedte), waarde) in enumerate(zip(kolommen, rij, strict=True)):
            tekst = _past(pdf, pdf_tekst(waarde), breedte) if index == 0 else pdf_tekst(waarde)
            pdf.cell(breedte, 5, tekst, align="L" if index == 0 else "R")
        pdf.ln(5)
    pdf.ln(3)


def _signalen(
    pdf: FPDF,
    soort: str,
    posten: list[str],
    eigen: Mapping[str, float],
    peer: Mapping[str, float],
    drempel: float,
) -> None:
    pdf.set_font(FONT, style="B", size=12)
    regel(pdf, f"Opvallende verschillen (meer dan {_getal(drempel * 100)}%)")
    pdf.set_font(FONT, size=10)
    gevonden = False
    for post in posten:
        if peer[post] > 0 and abs(eigen[post] - peer[post]) > drempel * peer[post]:
            richting = "hoger" if eigen[post] > peer[post] else "lager"
            afwijking = _getal(abs(eigen[post] - peer[post]) / peer[post] * 100)
            regel(pdf, f"- {_omschrijving(soort, post)}: {afwijking}% {richting} dan de vergelijkingsgroep")
            gevonden = True
        elif peer[post] <= 0 < eigen[post]:
            regel(pdf, f"- {_omschrijving(soort, post)}: wel cijfers, de vergelijkingsgroep niet")
            gevonden = True
    if not gevonden:
        regel(pdf, "Geen opvallende verschillen met de vergelijkingsgroep.")
    pdf.ln(3)


def _vergelijking_met_eerder(
    pdf: FPDF, soort: str, cijfers: Mapping[str, float], eerder: Mapping[str, float] | None
) -> None:
    pdf.set_font(FONT, style="B", size=12)
    regel(pdf, "Vergelijking met spiegelrapport I")
    if eerder is None:
        pdf.set_font(FONT, size=10)
        regel(pdf, "De cijfers van spiegelrapport I zijn niet beschikbaar.")
        pdf.ln(3)
        return
    decimalen = 0 if soort == "WMO" else 2
    eenheid = "cliënten" if soort == "WMO" else "EUR"
    kolommen = ((KOLOMMEN[soort], 80), (f"Spiegelrapport I ({eenheid})", 40),
                (f"Spiegelrapport II ({eenheid})", 42), ("Verschil", 28))
    rijen = [
        [_omschrijving(soort, post), _getal(eerder.get(post, 0), decimalen),
         _getal(cijfers.get(post, 0), decimalen),
         _getal(cijfers.get(post, 0) - eerder.get(post, 0), decimalen, teken=True)]
        for post in _gesorteerd(set(cijfers) | set(eerder))
    ]
    _tabelrijen(pdf, kolommen, rijen)


def _grafiek(
    pdf: FPDF, soort: str, posten: list[str], eigen: Mapping[str, float], peer: Mapping[str, float]
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
    regel(pdf, f"Grafiek: {titel}, gemeente en vergelijkingsgroep")
    links, breedte = pdf.l_margin + 22, pdf.epw - 30
    boven = pdf.get_y() + 4
    onder = boven + len(posten) * rij
    stap = _stap(max([*eigen.values(), *peer.values(), 0.0]))
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
        label = _getal(tick * stap, decimalen)
        pdf.text(x - pdf.get_string_width(label) / 2, onder + 4.5, label)
    for index, post in enumerate(posten):
        y = boven + index * rij
        pdf.set_text_color(0, 0, 0)
        pdf.text(links - 2 - pdf.get_string_width(post), y + rij / 2 + 1, post)
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
    pdf.text(links + (breedte - pdf.get_string_width(eenheid)) / 2, onder + 10, pdf_tekst(eenheid))
    as_y = pdf_tekst(KOLOMMEN[soort])
    midden = (boven + onder) / 2 + pdf.get_string_width(as_y) / 2
    with pdf.rotation(90, pdf.l_margin + 6, midden):
        pdf.text(pdf.l_margin + 6, midden, as_y)
    legenda_y = onder + 15
    x = links
    for kleur, naam in ((_KLEUR_GEMEENTE, "Gemeente"), (_KLEUR_GROEP, "Vergelijkingsgroep")):
        pdf.set_fill_color(*kleur)
        pdf.rect(x, legenda_y, 4, 3, style="F")
        pdf.text(x + 6, legenda_y + 2.6, naam)
        x += 10 + pdf.get_string_width(naam)
    pdf.set_y(legenda_y + 8)


def _toelichting(pdf: FPDF, soort: str) -> None:
    eenheid = "per 1.000 inwoners" if soort == "WMO" else "per inwoner"
    tekst = (
        f"Verschil is het eigen cijfer {eenheid} min dat van de vergelijkingsgroep; Verschil % is "
        "dat verschil als deel van het cijfer van de vergelijkingsgroep. Dit rapport komt uit de "
        "CBS-simulator van de ketentest: inwonertallen zijn fictief, en de vergelijkingscijfers ook, "
        "tenzij ze uit aangeleverde cijfers van andere gemeenten zijn berekend."
    )
    pdf.set_font(FONT, size=8)
    pdf.multi_cell(0, 4, pdf_tekst(tekst), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


# ---------------------------------------------------------------- helpers


def _lees_csv(inhoud: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, fields) of a ``;``-separated UTF-8 file; blank lines skipped."""
    try:
        tekst = inhoud.decode("utf-8-sig")
    except UnicodeDecodeError as fout:
        raise SpiegelFout(f"het bestand is geen UTF-8: {fout}") from None
    regels = list(csv.reader(io.StringIO(tekst, newline=""), delimiter=";"))
    if not regels:
        raise SpiegelFout("het bestand is leeg")
    kop_ = [veld.strip() for veld in regels[0]]
    return kop_, [(nummer, rij) for nummer, rij in enumerate(regels[1:], start=2) if any(rij)]


def _kolom(kop_: list[str], naam: str) -> int:
    try:
        return kop_.index(naam)
    except ValueError:
        raise SpiegelFout(f"kolom {naam!r} ontbreekt in de kopregel") from None


def _gesorteerd(posten: Iterable[str]) -> list[str]:
    """Post codes in code order: ``2`` before ``10``, then as text."""
    return sorted(posten, key=lambda post: (len(post), post))


def _fractie(sleutel: str) -> float:
    """A fraction in [0, 1) from the first 8 bytes of SHA-256 of the key."""
    return int.from_bytes(hashlib.sha256(sleutel.encode()).digest()[:8], "big") / 2**64


def _code(gemeentecode: str) -> str:
    code = gemeentecode.upper().removeprefix("GM")
    if not re.fullmatch(r"\d{4}", code):
        raise SpiegelFout(f"gemeentecode {gemeentecode!r} heeft geen 4 cijfers")
    return code


def _inwonertal(gemeentecode: str, inwonertallen: Mapping[str, int] | None) -> int:
    code = _code(gemeentecode)
    return (inwonertallen or {}).get(code) or inwoners(code)


def _groepsleden(
    gemeentecode: str,
    klasse: str,
    andere: list[tuple[str, Mapping[str, float]]],
    inwonertallen: Mapping[str, int] | None,
) -> list[tuple[str, Mapping[str, float]]]:
    eigen = _code(gemeentecode)
    return [
        (code, cijfers) for code, cijfers in andere
        if _code(code) != eigen and grootteklasse(_inwonertal(code, inwonertallen)) == klasse
    ]


def _soort(soort: str) -> str:
    if soort.upper() not in SOORTEN:
        raise SpiegelFout(f"onbekende soort {soort!r}; bekend: {', '.join(SOORTEN)}")
    return soort.upper()


def _rapport(rapport: str) -> str:
    if rapport not in RAPPORTEN:
        raise SpiegelFout(f"rapport moet 'I' of 'II' zijn, niet {rapport!r}")
    return rapport


def _periode(periode: str) -> str:
    match = _HALFJAAR.fullmatch(periode)
    if not match:
        return periode
    halfjaar = "eerste" if match[1] == "1" else "tweede"
    return f"{periode} ({halfjaar} halfjaar {match[2]})"


def _omschrijving(soort: str, post: str) -> str:
    naam = POSTEN[soort].get(post)
    return f"{post} {naam}" if naam else post


def _getal(waarde: float, decimalen: int = 0, teken: bool = False) -> str:
    """Dutch notation: ``1.234,56``; with ``teken`` always a sign (``+0,00``)."""
    if round(waarde, decimalen) == 0:
        waarde = 0.0
    opmaak = f"{waarde:{'+' if teken else ''},.{decimalen}f}"
    return opmaak.replace(",", "_").replace(".", ",").replace("_", ".")


def _procent(eigen: float, peer: float) -> str:
    return f"{_getal((eigen - peer) / peer * 100, teken=True)}%" if peer > 0 else "n.v.t."


def _past(pdf: FPDF, tekst: str, breedte: float) -> str:
    """The text cut to fit a column, ending in "..." when it was cut."""
    ruimte = breedte - 2 * pdf.c_margin
    if pdf.get_string_width(tekst) <= ruimte:
        return tekst
    while tekst and pdf.get_string_width(tekst + "...") > ruimte:
        tekst = tekst[:-1]
    return tekst + "..."


def _stap(maximum: float) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about 5 ticks up to maximum."""
    if maximum <= 0:
        return 1.0
    ruw = maximum / 5
    macht = 10 ** math.floor(math.log10(ruw))
    return next(m * macht for m in (1, 2, 5, 10) if m * macht >= ruw)
