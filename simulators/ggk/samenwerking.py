"""Samenwerkingsverbanden at the GGk (seeds 002, 004): one gemeente (the *uitvoerder*)
delivers for the other members of its partnership, one file per gemeente, never one for
all; a member sees what the other members uploaded and downloaded; a member that
delegated its delivery cannot withdraw through the GGk (it uses CBS's own form).

The partnerships come from the party option ``samenwerkingsverbanden`` (a list of
``{naam, uitvoerder, leden, gedelegeerd}``) or, at run time, ``PUT
/_beheer/samenwerkingsverbanden``, which is kept in the store and wins over the option
until a reset. :class:`Samenwerkingsverbanden` holds them and their rules; the GGk asks
it for whom an upload is filed and who delegated.

Where it differs from the real GGk: the upload names the user's gemeente and the member
it is for (``namens``) instead of taking them from an eHerkenning mandate.
"""

from __future__ import annotations

import json
import re
from collections.abc import Container
from dataclasses import asdict, dataclass
from typing import Any

from ..store import Store
from .common import SamenwerkingRefused, UploadRefused

ALLE = "alle"


@dataclass(frozen=True)
class Samenwerkingsverband:
    naam: str
    uitvoerder: str               # gemeentecode of the gemeente that delivers for the others
    leden: tuple[str, ...]        # the other members
    gedelegeerd: bool = False     # the members delegated their delivery (and cannot withdraw)

    @property
    def gemeenten(self) -> tuple[str, ...]:
        return (self.uitvoerder, *self.leden)

    def to_json(self) -> dict[str, Any]:
        return asdict(self) | {"leden": list(self.leden)}


def verbanden_uit(raw: Any, bekend: Container[str]) -> tuple[Samenwerkingsverband, ...]:
    """Partnerships from their JSON form (or JSON text, as ``--optie`` gives it); raises
    SamenwerkingRefused naming what is wrong."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else []
        except json.JSONDecodeError as exc:
            raise SamenwerkingRefused(f"samenwerkingsverbanden zijn geen geldige JSON: {exc}") from None
    if isinstance(raw, dict) and "samenwerkingsverbanden" in raw:
        raw = raw["samenwerkingsverbanden"]
    if not isinstance(raw, list):
        raise SamenwerkingRefused("geef de samenwerkingsverbanden als lijst van "
                                  "{naam, uitvoerder, leden, gedelegeerd}")
    verbanden: list[Samenwerkingsverband] = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise SamenwerkingRefused(f"samenwerkingsverband {n} is geen object")
        naam, uitvoerder, leden = item.get("naam"), item.get("uitvoerder"), item.get("leden")
        gedelegeerd = item.get("gedelegeerd", False)
        if not isinstance(naam, str) or not naam.strip():
            raise SamenwerkingRefused(f"samenwerkingsverband {n} heeft geen naam")
        if any(v.naam == naam.strip() for v in verbanden):
            raise SamenwerkingRefused(f"samenwerkingsverband '{naam}' staat er twee keer in")
        if not isinstance(leden, list) or not leden:
            raise SamenwerkingRefused(f"samenwerkingsverband '{naam}' noemt geen leden")
        for code in (uitvoerder, *leden):
            if not isinstance(code, str) or code not in bekend:
                raise SamenwerkingRefused(f"samenwerkingsverband '{naam}': gemeentecode {code!r} is "
                                          "onbekend; gebruik de viercijferige CBS-code, bijvoorbeeld 0546")
        if not isinstance(gedelegeerd, bool):
            raise SamenwerkingRefused(f"samenwerkingsverband '{naam}': gedelegeerd is true of false")
        anderen = tuple(dict.fromkeys(c for c in leden if c != uitvoerder))
        verbanden.append(Samenwerkingsverband(naam.strip(), uitvoerder, anderen, gedelegeerd))
    return tuple(verbanden)


class Samenwerkingsverbanden:
    """The partnerships of the GGk and their rules."""

    def __init__(self, *, store: Store, gemeenten: Container[str], optie: Any = None) -> None:
        self.store, self.gemeenten = store, gemeenten
        self.optie = verbanden_uit([] if optie is None else optie, gemeenten)  # fails at start

    def current(self) -> tuple[Samenwerkingsverband, ...]:
        """Those set at run time, else those of the option."""
        row = self.store.one("SELECT waarde FROM instellingen WHERE sleutel = 'samenwerkingsverbanden'")
        return verbanden_uit(json.loads(row["waarde"]), self.gemeenten) if row else self.optie

    def replace(self, raw: Any) -> list[dict]:
        """Replace the partnerships (kept in the store, so they survive a restart)."""
        verbanden = verbanden_uit(raw, self.gemeenten)
        waarde = json.dumps([v.to_json() for v in verbanden], ensure_ascii=False)
        self.store.execute("INSERT OR REPLACE INTO instellingen VALUES ('samenwerkingsverbanden', ?)",
                           (waarde,))
        return [v.to_json() for v in verbanden]

    def filed_for(self, gemeentecode: str, namens: str) -> str:
        """The gemeente an upload is filed for: the user's own, or the member it names.

        Only the uitvoerder of a partnership may deliver for a member, and only for one
        member per upload: one file per gemeente, never one for all (seeds 002, 004).
        """
        namens = (namens or "").strip()
        if not namens or namens == gemeentecode:
            return gemeentecode
        codes = [c for c in re.split(r"[\s,;]+", namens) if c]
        if namens.lower() == ALLE or len(codes) > 1:
            raise UploadRefused("één bestand voor meerdere gemeenten wordt niet aangenomen: lever per "
                                "gemeente een eigen bestand aan, met in 'namens' die ene gemeente", 422)
        if namens not in self.gemeenten:
            raise UploadRefused(f"namens: gemeentecode '{namens}' is onbekend; gebruik de "
                                "viercijferige CBS-code van het lid, bijvoorbeeld 0547")
        if not any(v.uitvoerder == gemeentecode and namens in v.leden for v in self.current()):
            raise UploadRefused(f"gemeente {gemeentecode} mag niet aanleveren namens {namens}: alleen de "
                                "uitvoerende gemeente van een samenwerkingsverband levert aan voor "
                                "de leden", 403)
        return namens

    def delegated(self, gemeentecode: str) -> Samenwerkingsverband | None:
        """The partnership this gemeente delegated its delivery to, if any."""
        return next((v for v in self.current() if v.gedelegeerd and gemeentecode in v.leden), None)

    def of(self, gemeentecode: str) -> list[Samenwerkingsverband]:
        """The partnerships this gemeente is in (as uitvoerder or member)."""
        return [v for v in self.current() if gemeentecode in v.gemeenten]

    def may_act_for(self, gemeentecode: str, lid: str) -> bool:
        """Whether this gemeente acts for ``lid``: it is ``lid``, or the uitvoerder of a partnership
        ``lid`` is a member of (it uploads for the member and fetches the member's reports)."""
        return gemeentecode == lid or lid in self.members_for(gemeentecode)

    def members_for(self, uitvoerder: str) -> list[str]:
        """The members this gemeente may upload for, as the uitvoerder of their partnerships."""
        leden = [lid for v in self.current() if v.uitvoerder == uitvoerder for lid in v.leden]
        return list(dict.fromkeys(leden))
