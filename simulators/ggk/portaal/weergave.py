"""What the portal's pages show, worked out from the backend's rules (no Flask): the
delivery periods of the timeline, the opt-in and withdrawal forms per period. The rules
themselves stay in ``optin.py`` and ``samenwerking.py``; this module calls them and turns
a refusal into the reason a form is closed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ...gmsd import periodes
from ..common import IntrekkingRefused, OptinRefused, dag, periode_tekst
from ..optin import SETS


@dataclass
class PeriodeRegel:
    code: str
    naam: str
    rol: str                     # huidige periode, vorige periode
    regels: list[tuple[str, str]] = field(default_factory=list)  # (what, when)
    status: str = ""


@dataclass
class Formulier:
    """One period's half of the split screen."""

    code: str
    naam: str
    rol: str
    open: bool
    reden: str                   # why it is closed ('' when open)
    eerder: list[dict] = field(default_factory=list)


def _sleutel(code: str) -> tuple[int, int]:
    return int(code[2:]), int(code[1])


def twee_perioden(ggk, vandaag: date) -> list[tuple[str, str]]:
    """(code, 'huidige periode' | 'vorige periode'): the timeline's two latest, or, without a
    timeline, the current and previous by the calendar."""
    tijdlijn = ggk.tijdlijn
    codes = (sorted((p.code for p in tijdlijn.perioden), key=_sleutel, reverse=True)[:2] if tijdlijn
             else list(periodes.deliverable(vandaag)))
    return list(zip(codes, ("huidige periode", "vorige periode"), strict=False))


def leverperioden(ggk, vandaag: date) -> list[PeriodeRegel]:
    """The delivery periods of the timeline, with their dates, for the CBS tab ([] without one)."""
    tijdlijn = ggk.tijdlijn
    if tijdlijn is None:
        return []
    rollen = dict(twee_perioden(ggk, vandaag))
    result = []
    for p in sorted(tijdlijn.perioden, key=lambda p: _sleutel(p.code), reverse=True):
        regel = PeriodeRegel(p.code, periode_tekst(p.code), rollen.get(p.code, "eerdere periode"))
        for wat, wanneer in (("Aanleveren vanaf", p.levering_open),
                             ("Tussentijdse deadline", p.tussentijdse_deadline),
                             ("Reguliere aanlevering tot en met", p.levering_sluit),
                             ("Correcties tot en met", p.correctie_deadline),
                             ("Spiegelrapport I", p.spiegelrapport_1),
                             ("Spiegelrapport II", p.spiegelrapport_2),
                             ("Opt-in-formulier open vanaf", p.optin_open),
                             ("Opt-in uiterlijk", p.optin_deadline),
                             ("Intrekken vanaf", p.intrekken_open),
                             ("Intrekken tot en met", p.intrekken_sluit)):
            if wanneer:
                regel.regels.append((wat, dag(wanneer)))
        if p.levering_open and vandaag < p.levering_open:
            regel.status = f"nog niet open (opent {dag(p.levering_open)})"
        elif p.laat_tot and vandaag > p.laat_tot:
            regel.status = "gesloten"
        elif p.regulier_tot and vandaag > p.regulier_tot:
            regel.status = "open voor correcties (te laat voor de reguliere aanlevering)"
        else:
            regel.status = "open"
        result.append(regel)
    return result


def optin_formulieren(ggk, gemeentecode: str, vandaag: date) -> list[Formulier]:
    """The opt-in form per period: open only when ``OptinRules`` would accept it now."""
    eerder = ggk.optins(gemeentecode)
    result = []
    for code, rol in twee_perioden(ggk, vandaag):
        reden = ""
        try:
            ggk._period_open(code, "optin", OptinRefused)
            with ggk.store.transaction() as db:
                if not ggk._has_oporde(db, gemeentecode, code):
                    reden = (f"uw gemeente heeft voor {periode_tekst(code)} nog geen op-orde rapport; "
                             "de opt-in kan pas daarna")
        except OptinRefused as exc:
            reden = str(exc)
        result.append(Formulier(code, periode_tekst(code), rol, not reden, reden,
                                [e for e in eerder if e["periode"] == code]))
    return result


def intrekken_formulieren(ggk, gemeentecode: str, vandaag: date) -> list[Formulier]:
    """The withdrawal form per period: open only when ``OptinRules`` would accept it now."""
    verband = ggk._delegated(gemeentecode)
    eerder = ggk.optins(gemeentecode)
    result = []
    for code, rol in twee_perioden(ggk, vandaag):
        reden = ""
        if verband is not None:
            reden = (f"uw gemeente heeft haar levering gedelegeerd aan {verband.uitvoerder} "
                     f"(samenwerkingsverband {verband.naam}); intrekken gaat via het formulier van het CBS")
        else:
            try:
                ggk._period_open(code, "intrekking", IntrekkingRefused)
            except IntrekkingRefused as exc:
                reden = str(exc)
        result.append(Formulier(code, periode_tekst(code), rol, not reden, reden,
                                [e for e in eerder if e["periode"] == code and e["soort"] == "intrekking"]))
    return result


def namens_keuzes(ggk, gemeentecode: str) -> list[tuple[str, str]]:
    """(code, name) of the gemeenten this gemeente may upload for: itself, and the members of
    the partnerships it is the uitvoerder of (the backend's ``_namens`` checks it again)."""
    keuzes = [(gemeentecode, ggk.gemeenten.get(gemeentecode, gemeentecode))]
    for verband in ggk.samenwerkingsverbanden:
        if verband.uitvoerder == gemeentecode:
            keuzes += [(lid, ggk.gemeenten.get(lid, lid)) for lid in verband.leden
                       if lid not in dict(keuzes)]
    return keuzes


__all__ = ["SETS", "Formulier", "PeriodeRegel", "intrekken_formulieren", "leverperioden",
           "namens_keuzes", "optin_formulieren", "twee_perioden"]
