"""CBS's plausibility reports: the op-orde rapport (spiegelrapport I) and spiegelrapport II.

This module owns the figures in those reports: it reads the key figures from a
technically approved file (:func:`figures_from_file`), gives a gemeente its
inhabitants and size class (:func:`inwoners`, :func:`grootteklasse`) and forms its peer
group (:func:`vergelijkingsgroep`, :func:`groepsomschrijving`). The PDF with the table
and the bar chart is drawn in :mod:`simulators.cbs.spiegel_pdf`, which imports this module
(never the other way round). It does no I/O and keeps no state.

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
from decimal import Decimal, InvalidOperation
from functools import cache

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
    "SpiegelError",
    "figures_from_file",
    "groepsomschrijving",
    "grootteklasse",
    "inwoners",
    "costs_per_post",
    "require_rapport",
    "require_soort",
    "sorted_posts",
    "vergelijkingsgroep",
    "wmo_clients_per_type",
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


class SpiegelError(ValueError):
    """The file or the arguments cannot make a spiegelrapport; the message says which part."""


# ---------------------------------------------------------------- figures from a file


def wmo_clients_per_type(inhoud: bytes) -> dict[str, int]:
    """Distinct clients (BSN) per Type maatwerkarrangement in a WMO file, by type code.

    A client with several rows of one type counts once for that type (and once for
    each other type they have); rows without BSN or type are left out.
    """
    kop_, rijen = _read_csv(inhoud)
    bsn, type_ = _column(kop_, "BSN"), _column(kop_, KOLOMMEN["WMO"])
    clienten: dict[str, set[str]] = {}
    for _, rij in rijen:
        if len(rij) > max(bsn, type_) and rij[bsn].strip() and rij[type_].strip():
            clienten.setdefault(rij[type_].strip(), set()).add(rij[bsn].strip())
    return {post: len(clienten[post]) for post in sorted_posts(clienten)}


def costs_per_post(inhoud: bytes, kolom: str, bedrag: str = "Kosten") -> dict[str, float]:
    """The sum of ``bedrag`` per value of ``kolom``, in euros, by post code.

    For SBO ``kolom`` is "Iv3-categorie", for JEUGD "Type voorziening"; with
    ``bedrag="Daadwerkelijk betaald bedrag"`` it gives WMO costs per type. Empty
    amounts are left out; an amount that is not a number raises :class:`SpiegelError`.
    """
    kop_, rijen = _read_csv(inhoud)
    post_index, bedrag_index = _column(kop_, kolom), _column(kop_, bedrag)
    sommen: dict[str, Decimal] = {}
    for nummer, rij in rijen:
        if len(rij) <= max(post_index, bedrag_index) or not rij[bedrag_index].strip():
            continue
        try:
            waarde = Decimal(rij[bedrag_index].strip())
        except InvalidOperation:
            raise SpiegelError(f"regel {nummer}: {bedrag} {rij[bedrag_index]!r} is geen bedrag") from None
        post = rij[post_index].strip()
        sommen[post] = sommen.get(post, Decimal(0)) + waarde
    return {post: float(sommen[post]) for post in sorted_posts(sommen)}


def figures_from_file(soort: str, inhoud: bytes) -> dict[str, int] | dict[str, float]:
    """The figures a spiegelrapport shows for a file of that soort (WMO, SBO or JEUGD)."""
    soort = require_soort(soort)
    if soort == "WMO":
        return wmo_clients_per_type(inhoud)
    return costs_per_post(inhoud, KOLOMMEN[soort])


# ---------------------------------------------------------------- inhabitants, peer group


@cache  # a pure function of the code, asked for every peer of every report
def inwoners(gemeentecode: str) -> int:
    """The fictitious, deterministic number of inhabitants of a gemeente (1,000..900,000).

    A code in :data:`BEKENDE_INWONERTALLEN` gets that figure; any other gets one from
    the first 8 bytes of SHA-256("inwoners:<code>") read as a fraction u in [0, 1),
    placed on :data:`_VERDELING` by interpolating log-linearly between its points.
    """
    code = _code(gemeentecode)
    if code in BEKENDE_INWONERTALLEN:
        return BEKENDE_INWONERTALLEN[code]
    u = _fraction(f"inwoners:{code}")
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
    soort = require_soort(soort)
    klasse = grootteklasse(_inhabitants_of(gemeentecode, inwonertallen))
    groep = _group_members(gemeentecode, klasse, andere or [], inwonertallen)
    if not groep:
        return {
            post: round(basis * (0.8 + 0.4 * _fraction(f"{soort}:{periode}:{klasse}:{post}")), 2)
            for post, basis in REFERENTIECIJFERS[soort].items()
        }
    totaal_inwoners = sum(_inhabitants_of(code, inwonertallen) for code, _ in groep)
    posten = sorted_posts({post for _, cijfers in groep for post in cijfers})
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
    klasse = grootteklasse(_inhabitants_of(gemeentecode, inwonertallen))
    groep = _group_members(gemeentecode, klasse, andere or [], inwonertallen)
    if not groep:
        return f"fictieve referentiecijfers voor gemeenten met {klasse}"
    woord = "gemeente" if len(groep) == 1 else "gemeenten"
    return f"{len(groep)} andere {woord} met {klasse} (aangeleverde cijfers)"


# ---------------------------------------------------------------- helpers


def _read_csv(inhoud: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, fields) of a ``;``-separated UTF-8 file; blank lines skipped."""
    try:
        tekst = inhoud.decode("utf-8-sig")
    except UnicodeDecodeError as fout:
        raise SpiegelError(f"het bestand is geen UTF-8: {fout}") from None
    regels = list(csv.reader(io.StringIO(tekst, newline=""), delimiter=";"))
    if not regels:
        raise SpiegelError("het bestand is leeg")
    kop_ = [veld.strip() for veld in regels[0]]
    return kop_, [(nummer, rij) for nummer, rij in enumerate(regels[1:], start=2) if any(rij)]


def _column(kop_: list[str], naam: str) -> int:
    try:
        return kop_.index(naam)
    except ValueError:
        raise SpiegelError(f"kolom {naam!r} ontbreekt in de kopregel") from None


def sorted_posts(posten: Iterable[str]) -> list[str]:
    """Post codes in code order: ``2`` before ``10``, then as text."""
    return sorted(posten, key=lambda post: (len(post), post))


def _fraction(sleutel: str) -> float:
    """A fraction in [0, 1) from the first 8 bytes of SHA-256 of the key."""
    return int.from_bytes(hashlib.sha256(sleutel.encode()).digest()[:8], "big") / 2**64


@cache
def _code(gemeentecode: str) -> str:
    code = gemeentecode.upper().removeprefix("GM")
    if not re.fullmatch(r"\d{4}", code):
        raise SpiegelError(f"gemeentecode {gemeentecode!r} heeft geen 4 cijfers")
    return code


def _inhabitants_of(gemeentecode: str, inwonertallen: Mapping[str, int] | None) -> int:
    code = _code(gemeentecode)
    return (inwonertallen or {}).get(code) or inwoners(code)


def _group_members(
    gemeentecode: str,
    klasse: str,
    andere: list[tuple[str, Mapping[str, float]]],
    inwonertallen: Mapping[str, int] | None,
) -> list[tuple[str, Mapping[str, float]]]:
    eigen = _code(gemeentecode)
    if not inwonertallen:  # every report compares with every peer: their classes, once each
        return [(code, cijfers) for code, cijfers in andere
                if _code(code) != eigen and _class_of(code) == klasse]
    return [
        (code, cijfers) for code, cijfers in andere
        if _code(code) != eigen and grootteklasse(_inhabitants_of(code, inwonertallen)) == klasse
    ]


@cache
def _class_of(gemeentecode: str) -> str:
    return grootteklasse(inwoners(_code(gemeentecode)))


def require_soort(soort: str) -> str:
    """``soort`` in capitals (WMO, SBO or JEUGD); raises :class:`SpiegelError` for another."""
    if soort.upper() not in SOORTEN:
        raise SpiegelError(f"onbekende soort {soort!r}; bekend: {', '.join(SOORTEN)}")
    return soort.upper()


def require_rapport(rapport: str) -> str:
    """``rapport``, which must be "I" or "II"; raises :class:`SpiegelError` for another."""
    if rapport not in RAPPORTEN:
        raise SpiegelError(f"rapport moet 'I' of 'II' zijn, niet {rapport!r}")
    return rapport
