"""Test files a gemeente delivers to CBS for the GMSD: the WMO person-level CSV.

This module owns the *content* of the simulated gemeente's files: valid BSNs, the code
uitvraag, the file name the gemeente chooses and the rows of the WMO file. It knows
nothing of the transport (GGk, RINIS) nor of CBS's check; CBS keeps its own copy of
the expected header on purpose, so the two can disagree the way real parties can.

The column order and formats of the WMO file were not public (DOMAIN.md, "Facts from
public sources beyond the seeds"); the choices made here:

* columns in the order of the aanleverprotocol's data items (:data:`WMO_COLUMNS`);
* separator ``;``, UTF-8 without BOM, CRLF line ends, a header row first;
* dates ``YYYYMMDD`` (as in the iStandaarden), "Aanmaakdatum bestand" as
  ``YYYYMMDDhhmmss``, the same value on every row;
* Gemeentecode: 4 digits with leading zeros (``0363``);
* Type maatwerkarrangement: the 2-digit iWmo productcategorie ``01``..``18``;
* Type instelling: an 8-digit AGB-like code, drawn from a small pool of fictional
  providers (a real AGB code is 8 digits; these are not registered ones);
* Leveringsvorm: ``ZIN`` or ``PGB``;
* Intensiteit: whole hours per week (``1``..``16``);
* Daadwerkelijk betaald bedrag: euros with exactly 2 decimals and a decimal **dot**
  (``1234.50``), no thousands separator: a dot cannot be mistaken for a field
  separator and reads the same in every locale;
* Reden beëindiging: a 2-digit code from a small pool (``01``..``05``), filled only
  when Einddatum ondersteuning is; the real code list was not public, so no meaning
  is asserted for the codes;
* empty optional fields are empty strings between separators.

Every file is reproducible from its seed: all choices come from one
``random.Random(seed)``. Faker is deliberately not used: no column needs natural
language, and Faker's data changes between its releases, which would change the bytes
for the same seed after an upgrade.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

WMO_COLUMNS: list[str] = [
    "Aanmaakdatum bestand",
    "Gemeentecode",
    "BSN",
    "Type maatwerkarrangement",
    "Type instelling",
    "Beoogde startdatum ondersteuning",
    "Beoogde einddatum ondersteuning",
    "Leveringsvorm",
    "Datum start daadwerkelijke ondersteuning",
    "Einddatum ondersteuning",
    "Intensiteit",
    "Daadwerkelijk betaald bedrag",
    "Reden beëindiging",
]

SEPARATOR = ";"
LINE_END = "\r\n"
ENCODING = "utf-8"

PRODUCTCATEGORIEEN: tuple[str, ...] = tuple(f"{code:02d}" for code in range(1, 19))
REDENEN_BEEINDIGING: tuple[str, ...] = ("01", "02", "03", "04", "05")
INSTELLINGEN_IN_POOL = 12

_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def bsn_valid(bsn: str) -> bool:
    """True when ``bsn`` is 9 digits that pass the 11-proef (and are not all zero)."""
    if len(bsn) != 9 or not bsn.isascii() or not bsn.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(bsn, _BSN_WEIGHTS, strict=True))
    return total != 0 and total % 11 == 0


def make_bsn(rng: random.Random) -> str:
    """A random BSN that passes the 11-proef, drawn from ``rng``."""
    while True:
        first_eight = [rng.randrange(10) for _ in range(8)]
        partial = sum(d * w for d, w in zip(first_eight, _BSN_WEIGHTS[:8], strict=True))
        check_digit = partial % 11  # partial - check_digit must be divisible by 11
        if check_digit == 10 or partial == 0:
            continue
        return "".join(map(str, first_eight)) + str(check_digit)


def code_uitvraag(jaar: int, halfjaar: int) -> str:
    """The code uitvraag of a half year, e.g. ``code_uitvraag(2016, 1) == "H12016"``."""
    _check_periode(jaar, halfjaar)
    return f"H{halfjaar}{jaar:04d}"


def halfjaar_grenzen(jaar: int, halfjaar: int) -> tuple[date, date]:
    """First and last day of the half year: 1 Jan–30 Jun (H1) or 1 Jul–31 Dec (H2)."""
    _check_periode(jaar, halfjaar)
    if halfjaar == 1:
        return date(jaar, 1, 1), date(jaar, 6, 30)
    return date(jaar, 7, 1), date(jaar, 12, 31)


def wmo_bestandsnaam(
    jaar: int, halfjaar: int, vrije_tekst: str = "regulier", extensie: str = "csv"
) -> str:
    """The name the gemeente gives its WMO file: ``WMO_H12016_regulier.csv``.

    An empty ``vrije_tekst`` gives ``WMO_H12016.csv``. The name is not checked here
    (CBS does that); tests use this to make deliberately wrong names too.
    """
    stem = f"WMO_{code_uitvraag(jaar, halfjaar)}"
    if vrije_tekst:
        stem = f"{stem}_{vrije_tekst}"
    return f"{stem}.{extensie}"


def generate_wmo_csv(
    gemeentecode: str,
    jaar: int,
    halfjaar: int,
    rows: int,
    aangemaakt: datetime,
    seed: int = 0,
) -> bytes:
    """A WMO person-level file for one gemeente and half year, as the CSV's bytes.

    ``aangemaakt`` becomes "Aanmaakdatum bestand" on every row. The same arguments
    give the same bytes; another ``seed`` gives other rows.
    """
    if len(gemeentecode) != 4 or not gemeentecode.isascii() or not gemeentecode.isdigit():
        raise ValueError(f"gemeentecode moet 4 cijfers zijn, niet {gemeentecode!r}")
    if rows < 0:
        raise ValueError(f"rows moet 0 of meer zijn, niet {rows}")
    begin, einde = halfjaar_grenzen(jaar, halfjaar)
    rng = random.Random(seed)
    instellingen = _instelling_pool(rng)
    aanmaakdatum = aangemaakt.strftime("%Y%m%d%H%M%S")
    lines = [SEPARATOR.join(WMO_COLUMNS)]
    for _ in range(rows):
        row = _wmo_row(rng, begin, einde, instellingen)
        lines.append(SEPARATOR.join([aanmaakdatum, gemeentecode, *row]))
    return (LINE_END.join(lines) + LINE_END).encode(ENCODING)


def _check_periode(jaar: int, halfjaar: int) -> None:
    if halfjaar not in (1, 2):
        raise ValueError(f"halfjaar moet 1 of 2 zijn, niet {halfjaar}")
    if not 1000 <= jaar <= 9999:
        raise ValueError(f"jaar moet 4 cijfers hebben, niet {jaar}")


def _instelling_pool(rng: random.Random) -> list[str]:
    """Fictional 8-digit AGB-like provider codes, distinct, in a stable order."""
    codes: list[str] = []
    while len(codes) < INSTELLINGEN_IN_POOL:
        code = f"{rng.randrange(10**8):08d}"
        if code not in codes:
            codes.append(code)
    return codes


def _wmo_row(rng: random.Random, begin: date, einde: date, instellingen: list[str]) -> list[str]:
    """One row from BSN onwards (the caller prefixes Aanmaakdatum and Gemeentecode)."""
    periode_dagen = (einde - begin).days
    beoogd_start = begin + timedelta(days=rng.randint(0, periode_dagen))
    beoogd_einde = _beoogde_einddatum(rng, beoogd_start)
    start = beoogd_start + timedelta(days=rng.randint(0, min(14, (einde - beoogd_start).days)))
    einddatum = _einddatum(rng, start, einde)
    return [
        make_bsn(rng),
        rng.choice(PRODUCTCATEGORIEEN),
        rng.choice(instellingen),
        _datum(beoogd_start),
        _datum(beoogd_einde),
        "PGB" if rng.random() < 0.15 else "ZIN",
        _datum(start),
        _datum(einddatum),
        str(rng.randint(1, 16)),
        _bedrag(rng.randint(2_500, 1_500_000)),
        rng.choice(REDENEN_BEEINDIGING) if einddatum else "",
    ]


def _beoogde_einddatum(rng: random.Random, start: date) -> date | None:
    """Empty for one in five (indefinite), else 1 month to 2 years after the start."""
    if rng.random() < 0.2:
        return None
    return start + timedelta(days=rng.randint(30, 730))


def _einddatum(rng: random.Random, start: date, einde: date) -> date | None:
    """Empty (still running) for most rows, else after the start and within the period."""
    if start >= einde or rng.random() < 0.65:
        return None
    return start + timedelta(days=rng.randint(1, (einde - start).days))


def _datum(value: date | None) -> str:
    return value.strftime("%Y%m%d") if value else ""


def _bedrag(centen: int) -> str:
    return f"{centen // 100}.{centen % 100:02d}"
