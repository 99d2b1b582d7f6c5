"""Named broken files for negative tests: each variant breaks exactly one thing.

A variant starts from a valid file of :mod:`.generator` and its name (a WMO file gets
free text from :func:`.generator.vrije_tekst`), and changes only what it is named
for; every other row and field stays valid against ``docs/bestanden.md``. Where the
defect sits on particular lines, :meth:`Variant.gebroken_regels` gives their physical
line numbers (1-based, the header is line 1), the way CBS reports them. A row defect
is always put on line 3, the second data row, so a checker that counts data rows or
counts from 0 reports a different number.

Usage::

    naam, inhoud = VARIANTEN["bsn-ongeldig"]("WMO", "0363", 2016, 1, aangemaakt, 25, 0)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from . import generator
from .generator import (
    ENCODING,
    IV3_CATEGORIEEN,
    JEUGD_TYPES,
    LINE_END,
    SEPARATOR,
    SOORTEN,
    bestandsnaam,
    halfjaar_grenzen,
)

GEBROKEN_REGEL = 3
"""The physical line a row defect goes on: the second data row."""

TE_LANG_BEDRAG = "1234567890.12"
"""A well-formed amount of 13 characters, one over the maximum of 12."""

ONBEKENDE_CODES = {
    "WMO": ("Type maatwerkarrangement", "99"),
    "SBO": ("Iv3-categorie", "672"),
    "JEUGD": ("Type voorziening", "09"),
}
VERPLICHT_VELD = {"WMO": "BSN", "SBO": "Kosten", "JEUGD": "Kosten"}
BEDRAG_VELD = {"WMO": "Daadwerkelijk betaald bedrag", "SBO": "Kosten", "JEUGD": "Kosten"}
_WMO = ("WMO",)

VariantFunctie = Callable[[str, str, int, int, datetime, int, int], tuple[str, bytes]]
"""``(soort, gemeentecode, jaar, halfjaar, aangemaakt, rows, seed) -> (bestandsnaam, inhoud)``."""


@dataclass(frozen=True)
class Variant:
    """A named way to break a file: what it breaks (Dutch), for which soorten, on which lines."""

    naam: str
    omschrijving: str
    functie: VariantFunctie
    soorten: tuple[str, ...] = SOORTEN
    regels: tuple[int, ...] = ()
    """Broken physical lines; empty when the defect is the name or the file as a whole."""
    alle_gegevensregels: bool = False
    """True when every data row carries the defect (then :attr:`regels` is not used)."""

    def __call__(
        self,
        soort: str,
        gemeentecode: str,
        jaar: int,
        halfjaar: int,
        aangemaakt: datetime,
        rows: int = generator.DEFAULT_ROWS,
        seed: int = 0,
    ) -> tuple[str, bytes]:
        return self.functie(soort, gemeentecode, jaar, halfjaar, aangemaakt, rows, seed)

    def gebroken_regels(self, soort: str, rows: int = generator.DEFAULT_ROWS) -> tuple[int, ...]:
        """The physical line numbers this variant breaks in a file of ``soort`` with ``rows``."""
        if self.alle_gegevensregels:
            return tuple(range(2, _aantal_rijen(soort, rows) + 2))
        return self.regels


VARIANTEN: dict[str, Variant] = {}


def variant_namen() -> tuple[str, ...]:
    """The names of all variants, in the order they were defined."""
    return tuple(VARIANTEN)


def maak_variant(
    naam: str,
    soort: str,
    gemeentecode: str,
    jaar: int,
    halfjaar: int,
    aangemaakt: datetime,
    rows: int = generator.DEFAULT_ROWS,
    seed: int = 0,
) -> tuple[str, bytes, tuple[int, ...]]:
    """The variant ``naam`` as (bestandsnaam, inhoud, gebroken regels), for steps and the CLI."""
    if naam not in VARIANTEN:
        raise ValueError(f"onbekende variant {naam!r}; kies uit: {', '.join(VARIANTEN)}")
    variant = VARIANTEN[naam]
    bestandsnaam, inhoud = variant(soort, gemeentecode, jaar, halfjaar, aangemaakt, rows, seed)
    return bestandsnaam, inhoud, variant.gebroken_regels(soort, rows)


@dataclass(frozen=True)
class _Opdracht:
    """The arguments of one variant call, so the breaking functions take one value."""

    soort: str
    gemeentecode: str
    jaar: int
    halfjaar: int
    aangemaakt: datetime
    rows: int
    seed: int

    def naam(self) -> str:
        vrij = generator.vrije_tekst(self.seed) if self.soort == "WMO" else ""
        return bestandsnaam(self.soort, self.jaar, self.halfjaar, vrij)

    def inhoud(self) -> bytes:
        return generator.generate(self.soort, self.gemeentecode, self.jaar, self.halfjaar,
                                  self.aangemaakt, rows=self.rows, seed=self.seed)

    def regels(self) -> list[list[str]]:
        """The valid file's lines split into fields, header first."""
        tekst = self.inhoud().decode(ENCODING)
        return [line.split(SEPARATOR) for line in tekst.split(LINE_END)[:-1]]


def _variant(
    naam: str,
    omschrijving: str,
    soorten: tuple[str, ...] = SOORTEN,
    regels: tuple[int, ...] = (),
    alle_gegevensregels: bool = False,
) -> Callable[[Callable[[_Opdracht], tuple[str, bytes]]], Callable[[_Opdracht], tuple[str, bytes]]]:
    """Register the decorated breaking function in :data:`VARIANTEN` under ``naam``."""

    def registreer(breek: Callable[[_Opdracht], tuple[str, bytes]]):
        def functie(soort, gemeentecode, jaar, halfjaar, aangemaakt, rows, seed) -> tuple[str, bytes]:
            if soort not in soorten:
                raise ValueError(
                    f"variant {naam} bestaat niet voor {soort}; wel voor: {', '.join(soorten)}"
                )
            return breek(_Opdracht(soort, gemeentecode, jaar, halfjaar, aangemaakt, rows, seed))

        VARIANTEN[naam] = Variant(naam, omschrijving, functie, soorten, regels, alle_gegevensregels)
        return breek

    return registreer


# --- helpers ------------------------------------------------------------------------


def _aantal_rijen(soort: str, rows: int) -> int:
    return {"WMO": rows, "SBO": len(IV3_CATEGORIEEN), "JEUGD": len(JEUGD_TYPES)}[soort]


def _bytes(regels: list[list[str]], scheidingsteken: str = SEPARATOR, codering: str = ENCODING) -> bytes:
    tekst = LINE_END.join(scheidingsteken.join(velden) for velden in regels) + LINE_END
    return tekst.encode(codering)


def _regels_tot(opdracht: _Opdracht, regel: int, naam: str) -> list[list[str]]:
    """The valid file's lines, or a ValueError when it has no line ``regel`` to break."""
    regels = opdracht.regels()
    if len(regels) < regel:
        raise ValueError(
            f"variant {naam} heeft regel {regel} nodig, dus minstens {regel - 1} "
            f"gegevensregel(s) (rows={opdracht.rows})"
        )
    return regels


def _breek_rij(
    opdracht: _Opdracht, breek: Callable[[dict[str, str]], None], naam: str
) -> tuple[str, bytes]:
    """The valid file with line :data:`GEBROKEN_REGEL` changed in place by ``breek``."""
    regels = _regels_tot(opdracht, GEBROKEN_REGEL, naam)
    kop = regels[0]
    rij = dict(zip(kop, regels[GEBROKEN_REGEL - 1], strict=True))
    breek(rij)
    regels[GEBROKEN_REGEL - 1] = [rij[kolom] for kolom in kop]
    return opdracht.naam(), _bytes(regels)


def _zonder_einde(rij: dict[str, str]) -> None:
    """Clear a WMO row's end dates and reason, so a changed start date has nothing to contradict."""
    rij["Beoogde einddatum ondersteuning"] = ""
    rij["Einddatum ondersteuning"] = ""
    rij["Reden beëindiging"] = ""


def _naam_met_vrije_tekst(opdracht: _Opdracht, vrij: str) -> str:
    return bestandsnaam(opdracht.soort, opdracht.jaar, opdracht.halfjaar, vrij)


# --- the variants: content ----------------------------------------------------------


@_variant("scheidingsteken-komma", "Komma in plaats van puntkomma als scheidingsteken, in het hele bestand.")
def _scheidingsteken_komma(opdracht: _Opdracht) -> tuple[str, bytes]:
    return opdracht.naam(), _bytes(opdracht.regels(), scheidingsteken=",")


@_variant(
    "verplicht-veld-leeg",
    "Een verplicht veld is leeg op regel 3: BSN (WMO) of Kosten (SBO, JEUGD).",
    regels=(GEBROKEN_REGEL,),
)
def _verplicht_veld_leeg(opdracht: _Opdracht) -> tuple[str, bytes]:
    def breek(rij: dict[str, str]) -> None:
        rij[VERPLICHT_VELD[opdracht.soort]] = ""

    return _breek_rij(opdracht, breek, "verplicht-veld-leeg")


@_variant(
    "veld-te-lang",
    f"Een bedrag van 13 tekens (max. 12) op regel 3: {TE_LANG_BEDRAG}.",
    regels=(GEBROKEN_REGEL,),
)
def _veld_te_lang(opdracht: _Opdracht) -> tuple[str, bytes]:
    def breek(rij: dict[str, str]) -> None:
        rij[BEDRAG_VELD[opdracht.soort]] = TE_LANG_BEDRAG

    return _breek_rij(opdracht, breek, "veld-te-lang")


@_variant(
    "bsn-ongeldig",
    "Een BSN van 9 cijfers dat niet aan de elfproef voldoet op regel 3.",
    soorten=_WMO,
    regels=(GEBROKEN_REGEL,),
)
def _bsn_ongeldig(opdracht: _Opdracht) -> tuple[str, bytes]:
    def breek(rij: dict[str, str]) -> None:
        bsn = rij["BSN"]
        # The check digit weighs -1: +1 or -9 on it moves the sum off a multiple of 11.
        rij["BSN"] = bsn[:8] + str((int(bsn[8]) + 1) % 10)

    return _breek_rij(opdracht, breek, "bsn-ongeldig")


@_variant(
    "datum-buiten-periode",
    "Een beoogde startdatum na het einde van de periode op regel 3 (nog niet gestart, geen einddata).",
    soorten=_WMO,
    regels=(GEBROKEN_REGEL,),
)
def _datum_buiten_periode(opdracht: _Opdracht) -> tuple[str, bytes]:
    _begin, einde = halfjaar_grenzen(opdracht.jaar, opdracht.halfjaar)

    def breek(rij: dict[str, str]) -> None:
        rij["Beoogde startdatum ondersteuning"] = (einde + timedelta(days=1)).strftime("%Y%m%d")
        rij["Datum start daadwerkelijke ondersteuning"] = ""
        _zonder_einde(rij)

    return _breek_rij(opdracht, breek, "datum-buiten-periode")


@_variant(
    "datum-ongeldig",
    "Een datum die niet bestaat op regel 3: start daadwerkelijke ondersteuning 31 februari (H1) "
    "of 31 september (H2).",
    soorten=_WMO,
    regels=(GEBROKEN_REGEL,),
)
def _datum_ongeldig(opdracht: _Opdracht) -> tuple[str, bytes]:
    begin, _einde = halfjaar_grenzen(opdracht.jaar, opdracht.halfjaar)
    maand = "02" if opdracht.halfjaar == 1 else "09"

    def breek(rij: dict[str, str]) -> None:
        rij["Beoogde startdatum ondersteuning"] = begin.strftime("%Y%m%d")
        rij["Datum start daadwerkelijke ondersteuning"] = f"{opdracht.jaar:04d}{maand}31"
        _zonder_einde(rij)

    return _breek_rij(opdracht, breek, "datum-ongeldig")


@_variant(
    "codering-windows-1252",
    'Het bestand is in Windows-1252 gecodeerd: de "ë" in de kopregel is geen UTF-8.',
    soorten=_WMO,  # only the WMO header has a character outside ASCII
    regels=(1,),
)
def _codering_windows_1252(opdracht: _Opdracht) -> tuple[str, bytes]:
    return opdracht.naam(), _bytes(opdracht.regels(), codering="cp1252")


@_variant("leeg", "Het bestand is leeg (0 bytes).")
def _leeg(opdracht: _Opdracht) -> tuple[str, bytes]:
    return opdracht.naam(), b""


@_variant("alleen-kopregel", "Het bestand heeft alleen een kopregel en geen gegevensregels.")
def _alleen_kopregel(opdracht: _Opdracht) -> tuple[str, bytes]:
    return opdracht.naam(), _bytes(opdracht.regels()[:1])


@_variant(
    "dubbele-regels",
    "Regel 3 is een exacte kopie van regel 2 (bij SBO en JEUGD staat die categorie of dat type "
    "daardoor twee keer in het bestand).",
    regels=(GEBROKEN_REGEL,),
)
def _dubbele_regels(opdracht: _Opdracht) -> tuple[str, bytes]:
    regels = _regels_tot(opdracht, 2, "dubbele-regels")
    regels.insert(2, list(regels[1]))
    return opdracht.naam(), _bytes(regels)


@_variant(
    "onbekende-code",
    "Een code buiten de codelijst op regel 3: Type maatwerkarrangement 99 (WMO), Iv3-categorie 672 "
    "(SBO) of Type voorziening 09 (JEUGD).",
    regels=(GEBROKEN_REGEL,),
)
def _onbekende_code(opdracht: _Opdracht) -> tuple[str, bytes]:
    kolom, code = ONBEKENDE_CODES[opdracht.soort]

    def breek(rij: dict[str, str]) -> None:
        rij[kolom] = code

    return _breek_rij(opdracht, breek, "onbekende-code")


@_variant(
    "ander-aantal-velden",
    "Regel 3 mist zijn laatste veld (één veld minder dan de kopregel).",
    regels=(GEBROKEN_REGEL,),
)
def _ander_aantal_velden(opdracht: _Opdracht) -> tuple[str, bytes]:
    regels = _regels_tot(opdracht, GEBROKEN_REGEL, "ander-aantal-velden")
    regels[GEBROKEN_REGEL - 1] = regels[GEBROKEN_REGEL - 1][:-1]
    return opdracht.naam(), _bytes(regels)


@_variant(
    "aanmaakdatum-wisselt",
    "Regel 3 heeft een andere Aanmaakdatum bestand (een dag eerder) dan de andere regels.",
    regels=(GEBROKEN_REGEL,),
)
def _aanmaakdatum_wisselt(opdracht: _Opdracht) -> tuple[str, bytes]:
    anders = (opdracht.aangemaakt - timedelta(days=1)).strftime("%Y%m%d%H%M%S")

    def breek(rij: dict[str, str]) -> None:
        rij["Aanmaakdatum bestand"] = anders

    return _breek_rij(opdracht, breek, "aanmaakdatum-wisselt")


@_variant(
    "gemeentecode-anders",
    "Alle regels dragen een andere gemeentecode dan die van de aanleverende gemeente "
    "(0344 Utrecht, of 0363 Amsterdam als Utrecht levert).",
    alle_gegevensregels=True,
)
def _gemeentecode_anders(opdracht: _Opdracht) -> tuple[str, bytes]:
    andere = "0363" if opdracht.gemeentecode == "0344" else "0344"
    inhoud = replace(opdracht, gemeentecode=andere).inhoud()
    return opdracht.naam(), inhoud


# --- the variants: file name --------------------------------------------------------


@_variant("naam-verboden-teken", "Geldige inhoud, maar de bestandsnaam bevat een ? vóór de extensie.")
def _naam_verboden_teken(opdracht: _Opdracht) -> tuple[str, bytes]:
    stam, extensie = opdracht.naam().split(".")
    return f"{stam}?.{extensie}", opdracht.inhoud()


@_variant(
    "naam-verkeerde-periode",
    "Een geldig bestand over de periode van twee periodes terug (een jaar eerder), met die "
    "code uitvraag in de naam: geen huidige of vorige verslagperiode.",
)
def _naam_verkeerde_periode(opdracht: _Opdracht) -> tuple[str, bytes]:
    oud = replace(opdracht, jaar=opdracht.jaar - 1)
    return oud.naam(), oud.inhoud()


@_variant("naam-kleine-letters", "Het voorvoegsel van de bestandsnaam in kleine letters: wmo_H12016_….")
def _naam_kleine_letters(opdracht: _Opdracht) -> tuple[str, bytes]:
    naam = opdracht.naam()
    voorvoegsel = f"{opdracht.soort}_"
    return voorvoegsel.lower() + naam[len(voorvoegsel):], opdracht.inhoud()


@_variant(
    "naam-tweede-punt",
    "Een tweede punt in de bestandsnaam, in de vrije tekst: WMO_H12016_v1.2.csv.",
    soorten=_WMO,  # SBO and JEUGD have no free text to hold it
)
def _naam_tweede_punt(opdracht: _Opdracht) -> tuple[str, bytes]:
    return _naam_met_vrije_tekst(opdracht, "v1.2"), opdracht.inhoud()


__all__ = ["GEBROKEN_REGEL", "VARIANTEN", "Variant", "maak_variant", "variant_namen"]
