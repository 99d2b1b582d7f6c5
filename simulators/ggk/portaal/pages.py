"""What the portal's pages show, worked out from the GGk's public methods (no Flask): per
page the context its template needs; the delivery periods of the timeline, the opt-in and
withdrawal forms per period. The rules themselves stay in ``optin.py`` and
``samenwerking.py``; this module asks them why a form is closed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ...gmsd import periodes
from ..backend import Ggk
from ..common import dag, periode_tekst
from ..optin import REACTIES, SETS, SPIEGELRAPPORTEN
from .sessions import Session


@dataclass
class PeriodRow:
    code: str
    naam: str
    rol: str                     # huidige periode, vorige periode
    regels: list[tuple[str, str]] = field(default_factory=list)  # (what, when)
    status: str = ""


@dataclass
class Form:
    """One period's half of the split screen."""

    code: str
    naam: str
    rol: str
    open: bool
    reden: str                   # why it is closed ('' when open)
    eerder: list[dict] = field(default_factory=list)


def _sleutel(code: str) -> tuple[int, int]:
    return int(code[2:]), int(code[1])


def two_periods(ggk: Ggk, vandaag: date) -> list[tuple[str, str]]:
    """(code, 'huidige periode' | 'vorige periode'): the timeline's two latest, or, without a
    timeline, the current and previous by the calendar."""
    tijdlijn = ggk.tijdlijn
    codes = (sorted((p.code for p in tijdlijn.perioden), key=_sleutel, reverse=True)[:2] if tijdlijn
             else list(periodes.deliverable(vandaag)))
    return list(zip(codes, ("huidige periode", "vorige periode"), strict=False))


def delivery_periods(ggk: Ggk, vandaag: date) -> list[PeriodRow]:
    """The delivery periods of the timeline, with their dates, for the CBS tab ([] without one)."""
    tijdlijn = ggk.tijdlijn
    if tijdlijn is None:
        return []
    rollen = dict(two_periods(ggk, vandaag))
    result = []
    for p in sorted(tijdlijn.perioden, key=lambda p: _sleutel(p.code), reverse=True):
        regel = PeriodRow(p.code, periode_tekst(p.code), rollen.get(p.code, "eerdere periode"))
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


def optin_forms(ggk: Ggk, gemeentecode: str, vandaag: date) -> list[Form]:
    """The opt-in form per period: open only when the opt-in desk would accept it now."""
    eerder = ggk.optins(gemeentecode)
    result = []
    for code, rol in two_periods(ggk, vandaag):
        reden = ggk.optin_desk.window_closed(code, "optin")
        if not reden and not ggk.optin_desk.has_oporde(gemeentecode, code):
            reden = (f"uw gemeente heeft voor {periode_tekst(code)} nog geen op-orde rapport; "
                     "de opt-in kan pas daarna")
        result.append(Form(code, periode_tekst(code), rol, not reden, reden,
                                [e for e in eerder if e["periode"] == code]))
    return result


def intrekking_forms(ggk: Ggk, gemeentecode: str, vandaag: date) -> list[Form]:
    """The withdrawal form per period: open only when the opt-in desk would accept it now."""
    verband = ggk.verbanden.delegated(gemeentecode)
    eerder = ggk.optins(gemeentecode)
    result = []
    for code, rol in two_periods(ggk, vandaag):
        if verband is not None:
            reden = (f"uw gemeente heeft haar levering gedelegeerd aan {verband.uitvoerder} "
                     f"(samenwerkingsverband {verband.naam}); intrekken gaat via het formulier van het CBS")
        else:
            reden = ggk.optin_desk.window_closed(code, "intrekking")
        result.append(Form(code, periode_tekst(code), rol, not reden, reden,
                                [e for e in eerder if e["periode"] == code and e["soort"] == "intrekking"]))
    return result


def namens_choices(ggk: Ggk, gemeentecode: str) -> list[tuple[str, str]]:
    """(code, name) of the gemeenten this gemeente may upload for: itself, and the members of
    the partnerships it is the uitvoerder of (the upload desk checks it again)."""
    keuzes = [(gemeentecode, ggk.gemeenten.get(gemeentecode, gemeentecode))]
    keuzes += [(lid, ggk.gemeenten.get(lid, lid)) for lid in ggk.verbanden.members_for(gemeentecode)
               if lid != gemeentecode]
    return keuzes


# ------------------------------------------------------------------ per page


def cbs(ggk: Ggk, sessie: Session) -> dict[str, Any]:
    """The CBS tab: the timeline's periods and the gemeente's latest notifications."""
    vandaag = ggk.clock.peek().date()
    return {"tijdlijn": ggk.tijdlijn, "perioden": delivery_periods(ggk, vandaag),
            "twee": two_periods(ggk, vandaag),
            "meldingen": ggk.download_area.meldingen(sessie.identiteit.gemeentecode),
            "periode_tekst": periode_tekst, "vandaag": dag(vandaag)}


def upload(ggk: Ggk, sessie: Session) -> dict[str, Any]:
    """The upload page: for whom, the latest uploads, and the gemeente simulator's test files
    when the GGk knows its address."""
    code = sessie.identiteit.gemeentecode
    gemeente = ggk.config.urls.get("gemeente")
    return {"namens": namens_choices(ggk, code), "uploads": list(reversed(ggk.uploads(code)))[:20],
            "testbestanden": f"{gemeente.rstrip('/')}/testbestanden" if gemeente else ""}


def downloads(ggk: Ggk, sessie: Session) -> dict[str, Any]:
    """The download area, newest first, and what the partners uploaded and fetched."""
    code = sessie.identiteit.gemeentecode
    return {"items": list(reversed(ggk.downloads(code))), "samenwerking": ggk.samenwerking(code)}


def optin(ggk: Ggk, sessie: Session) -> dict[str, Any]:
    """The split opt-in screen, and whether the login is fresh enough to decide."""
    return {"sets": SETS, "vers": ggk.portaal.sessions.fresh(sessie),
            "vers_minuten": ggk.portaal.sessions.fresh_minutes(),
            "formulieren": optin_forms(ggk, sessie.identiteit.gemeentecode, ggk.clock.peek().date())}


def spiegelrapporten(ggk: Ggk, sessie: Session) -> dict[str, Any]:
    """The gemeente's spiegelrapporten (op-orde rapport, spiegelrapport II), newest first, each to
    agree to or answer with a terugmelding, and the responses sent so far."""
    code = sessie.identiteit.gemeentecode
    rapporten = [d for d in reversed(ggk.downloads(code)) if d["soort"] == "rapport"
                 and d["bestandsnaam"].startswith(tuple(f"CBS_{s}_" for s in SPIEGELRAPPORTEN))]
    return {"rapporten": rapporten, "conclusies": REACTIES,
            "eerder": [e for e in ggk.optins(code) if e["soort"] == "reactie"]}


def intrekken(ggk: Ggk, sessie: Session) -> dict[str, Any]:
    return {"sets": SETS, "formulieren": intrekking_forms(
        ggk, sessie.identiteit.gemeentecode, ggk.clock.peek().date())}


__all__ = ["SETS", "Form", "PeriodRow", "cbs", "delivery_periods", "downloads", "intrekken",
           "intrekking_forms", "namens_choices", "optin", "optin_forms", "spiegelrapporten", "two_periods",
           "upload"]
