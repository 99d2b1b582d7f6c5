"""What a rule's test returns and how its Dutch message is worded.

This module owns the Uitkomst of a rule and the shared wording: how many lines, which
ones (at most MAX_REGELS), in which columns, and the first offence as an example.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from itertools import filterfalse

from .inlezen import Aanlevering
from .oordeel import MAX_REGELS
from .waarden import is_filled

_GETOOND_TEKENS = 40
"""A value quoted in a message is cut to this many characters."""


def shorten(waarde: str) -> str:
    """``waarde`` as a message quotes it: at most _GETOOND_TEKENS characters, then ``…``."""
    if len(waarde) <= _GETOOND_TEKENS:
        return waarde
    return waarde[:_GETOOND_TEKENS] + "…"


@dataclass(frozen=True)
class Uitkomst:
    """What a rule's test returns: passed or not, the Dutch message, the lines."""

    geslaagd: bool
    melding: str = ""
    regels: tuple[int, ...] = ()


Fout = tuple[int, str, str]
"""One offence: the line, the column ("" for a whole row), and what is wrong, in words."""


def line_list(regels: Iterable[int]) -> str:
    """``regel 3, 7, 9`` with at most MAX_REGELS numbers, then ``(en nog N)``."""
    regels = list(regels)
    getoond = ", ".join(map(str, regels[:MAX_REGELS]))
    meer = f" (en nog {len(regels) - MAX_REGELS})" if len(regels) > MAX_REGELS else ""
    return f"regel {getoond}{meer}"


def uitkomst(wat: str, fouten: list[Fout]) -> Uitkomst:
    """Passed without offences; else how many lines ``wat``, which, in which columns, and
    the first offence in words."""
    if not fouten:
        return Uitkomst(True)
    fouten.sort(key=lambda fout: fout[0])
    regels = tuple(dict.fromkeys(regel for regel, _, _ in fouten))
    kolommen = ", ".join(dict.fromkeys(kolom for _, kolom, _ in fouten if kolom))
    waar = f" (kolom: {kolommen})" if kolommen else ""
    regel, _, eerste = fouten[0]
    return Uitkomst(
        False,
        f"{len(regels)} regel(s) {wat}: {line_list(regels)}{waar}. Bijvoorbeeld regel {regel}: {eerste}.",
        regels,
    )


def value_faults(
    a: Aanlevering, kolom: str, geldig: Callable[[str], object], uitleg: str | Callable[[str], str]
) -> list[Fout]:
    """Each filled value of ``kolom`` within its maximum length that is not ``geldig``.

    ``geldig`` sees each distinct value once (a C function such as a pattern's
    ``fullmatch`` or a set's ``__contains__`` keeps 100,000 rows cheap); ``uitleg`` says
    why a value is wrong, as text or as a function of the value."""
    maximum = a.max_lengte[kolom]
    foutief = {
        waarde: uitleg if isinstance(uitleg, str) else uitleg(waarde)
        for waarde in filterfalse(geldig, a.verschillend(kolom))
        if is_filled(waarde) and len(waarde) <= maximum
    }
    return lines_with(a, kolom, foutief, lambda waarde: f'{kolom} "{shorten(waarde)}" {foutief[waarde]}')


def lines_with(
    a: Aanlevering, kolom: str, waarden: Collection[str], tekst: Callable[[str], str]
) -> list[Fout]:
    """An offence for each row whose ``kolom`` holds one of ``waarden``, described by ``tekst``."""
    if not waarden:
        return []
    return [
        (regel, kolom, tekst(waarde))
        for regel, waarde in zip(a.regelnummers, a.kolom(kolom), strict=True)
        if waarde in waarden
    ]

