"""Which deliveries a page or a script asks for: filters, sorting, a page of rows, counts.

The query parameters are the same for the page, ``/api/leveringen`` and its CSV:
``gemeente`` (code, or name), ``periode`` (``H12016``), ``soort`` (WMO, SBO, JEUGD),
``toestand`` (a key of :data:`~ketentest.regie.leveringen.TOESTANDEN`), ``sorteer`` (a key of
:data:`SORTEERBAAR`) and ``richting`` (``op`` or ``af``); the page also takes ``pagina``.
A value that cannot be used is refused with a Dutch message naming the choices
(:class:`KeuzeRefused`, a 400).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from .leveringen import TOESTANDEN, Levering

__all__ = ["PER_PAGINA", "SORTEERBAAR", "Keuze", "KeuzeRefused", "Selectie", "select"]

PER_PAGINA = 200
_VOLGORDE = {key: i for i, key in enumerate(TOESTANDEN)}
SORTEERBAAR: dict[str, tuple[str, Callable[[Levering], tuple]]] = {
    "referentie": ("GGk-referentie", lambda lev: (lev.referentie,)),
    "gemeente": ("gemeente", lambda lev: (lev.gemeente or "~", lev.referentie)),
    "bestand": ("bestand", lambda lev: ((lev.bestandsnaam or "~").lower(), lev.referentie)),
    "soort": ("soort", lambda lev: (lev.soort or "~", lev.referentie)),
    "periode": ("periode", lambda lev: (lev.periode or "~", lev.referentie)),
    "toestand": ("toestand", lambda lev: (_VOLGORDE[lev.toestand], lev.referentie)),
    "laatst": ("laatste stap", lambda lev: (lev.laatst or "", lev.referentie)),
}
"""Sort keys: what the page calls them, and the key function (ties go by reference)."""


class KeuzeRefused(ValueError):
    """A filter or sort value that cannot be used; the message (Dutch) names the choices."""


@dataclass(frozen=True)
class Keuze:
    """The filters and order a request asks for."""

    gemeente: str = ""
    periode: str = ""
    soort: str = ""
    toestand: str = ""
    sorteer: str = "referentie"
    richting: str = "af"
    pagina: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Keuze:
        """From query parameters; raises :class:`KeuzeRefused` for a value that cannot be used."""
        waarden = {k: (args.get(k) or "").strip() for k in ("gemeente", "periode", "soort", "toestand",
                                                            "sorteer", "richting", "pagina")}
        toestand = waarden["toestand"]
        if toestand and toestand not in TOESTANDEN:
            raise KeuzeRefused(f"toestand '{toestand}' bestaat niet; kies uit {', '.join(TOESTANDEN)}")
        sorteer = waarden["sorteer"] or "referentie"
        if sorteer not in SORTEERBAAR:
            raise KeuzeRefused(f"sorteren op '{sorteer}' kan niet; kies uit {', '.join(SORTEERBAAR)}")
        richting = waarden["richting"] or "af"
        if richting not in ("op", "af"):
            raise KeuzeRefused(f"richting is 'op' of 'af', niet '{richting}'")
        try:
            pagina = int(waarden["pagina"] or 1)
        except ValueError:
            raise KeuzeRefused(f"pagina is een getal vanaf 1, niet '{waarden['pagina']}'") from None
        if pagina < 1:
            raise KeuzeRefused(f"pagina is een getal vanaf 1, niet '{pagina}'")
        return cls(waarden["gemeente"], waarden["periode"].upper(), waarden["soort"].upper(), toestand,
                   sorteer, richting, pagina)

    def args(self, **anders: str | int) -> str:
        """This choice as a query string, with some values changed (empty ones left out)."""
        keuze = replace(self, **anders)
        velden = {"gemeente": keuze.gemeente, "periode": keuze.periode, "soort": keuze.soort,
                  "toestand": keuze.toestand,
                  "sorteer": "" if keuze.sorteer == "referentie" else keuze.sorteer,
                  "richting": "" if keuze.richting == "af" else keuze.richting,
                  "pagina": "" if keuze.pagina == 1 else str(keuze.pagina)}
        return urlencode({k: v for k, v in velden.items() if v})

    def past(self, lev: Levering, met_toestand: bool = True) -> bool:
        if self.gemeente and self.gemeente != lev.gemeentecode and (
                self.gemeente.lower() != (lev.gemeente or "").lower()):
            return False
        if self.periode and lev.periode != self.periode:
            return False
        if self.soort and lev.soort != self.soort:
            return False
        return not (met_toestand and self.toestand and lev.toestand != self.toestand)

    @property
    def gefilterd(self) -> bool:
        return bool(self.gemeente or self.periode or self.soort or self.toestand)


@dataclass(frozen=True)
class Selectie:
    """The deliveries a choice selects, sorted; and per state how many the other filters leave."""

    keuze: Keuze
    leveringen: tuple[Levering, ...]
    per_toestand: dict[str, int]
    totaal: int
    """Every delivery the regie knows, whatever the filters."""

    @property
    def paginas(self) -> int:
        return max(1, -(-len(self.leveringen) // PER_PAGINA))

    def pagina(self) -> tuple[Levering, ...]:
        begin = (min(self.keuze.pagina, self.paginas) - 1) * PER_PAGINA
        return self.leveringen[begin:begin + PER_PAGINA]


def select(leveringen: Sequence[Levering], keuze: Keuze) -> Selectie:
    """The deliveries that fit ``keuze``, in its order, with the count per state."""
    zonder_toestand = [lev for lev in leveringen if keuze.past(lev, met_toestand=False)]
    per_toestand = Counter(lev.toestand for lev in zonder_toestand)
    gekozen = [lev for lev in zonder_toestand if not keuze.toestand or lev.toestand == keuze.toestand]
    gekozen.sort(key=SORTEERBAAR[keuze.sorteer][1], reverse=keuze.richting == "af")
    return Selectie(keuze, tuple(gekozen), {k: per_toestand.get(k, 0) for k in TOESTANDEN}, len(leveringen))
