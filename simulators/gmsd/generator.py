"""Test files a gemeente delivers to CBS for the GMSD: WMO, SBO and JEUGD CSVs, and ZIPs.

This module owns the *content* of the simulated gemeente's files: valid BSNs, the code
uitvraag, the file names the gemeente chooses and the rows of each file. It knows
nothing of the transport (GGk, RINIS) nor of CBS's check; CBS keeps its own copy of
the expected headers on purpose, so the two can disagree the way real parties can.

The formats follow ``docs/bestanden.md``, the contract of gemeente and CBS. Choices
made within it:

* Type instelling: an 8-digit AGB-like code, drawn from a small pool of fictional
  providers (a real AGB code is 8 digits; these are not registered ones);
* a WMO file mixes arrangements that started in the period with ones that started
  up to two years before it and still run; one in ten rows fills only one of the two
  start dates; every end date lies on or after both start dates of its row;
* Intensiteit ``1``..``40`` hours per week; optional fields are now and then empty;
* some clients have several arrangements (the same BSN on more rows), but no row is
  ever repeated exactly;
* Reden beëindiging: a code ``01``..``05`` (the real list was not public, so no
  meaning is asserted), filled only when Einddatum ondersteuning is;
* SBO and JEUGD files carry every Iv3-categorie or type voorziening once, in code
  order, unless the caller names fewer.

Every file's bytes are reproducible from its seed: all row data comes from one
``random.Random(seed)``. Faker (``nl_NL``) is only used for :func:`vrije_tekst`, the
free text in a WMO file *name*: it reads like a person wrote it, and since Faker's
word lists change between its releases, an upgrade may change a name but never a
file's content.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Iterable
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

SBO_COLUMNS: list[str] = [
    "Aanmaakdatum bestand",
    "Gemeentecode",
    "Code uitvraag",
    "Iv3-categorie",
    "Kosten",
]

JEUGD_COLUMNS: list[str] = [
    "Aanmaakdatum bestand",
    "Gemeentecode",
    "Code uitvraag",
    "Type voorziening",
    "Kosten",
]

IV3_CATEGORIEEN: tuple[str, ...] = ("670", "671")
"""670 eerstelijnsloket Wmo en Jeugd, 671 algemene voorziening Wmo en Jeugd."""

JEUGD_TYPES: dict[str, str] = {
    "01": "Jeugdhulp zonder verblijf",
    "02": "Jeugdhulp met verblijf",
    "03": "Jeugdbescherming",
    "04": "Jeugdreclassering",
    "05": "Persoonsgebonden budget (pgb)",
}

SOORTEN: tuple[str, ...] = ("WMO", "SBO", "JEUGD")
COLUMNS: dict[str, list[str]] = {"WMO": WMO_COLUMNS, "SBO": SBO_COLUMNS, "JEUGD": JEUGD_COLUMNS}

SEPARATOR = ";"
LINE_END = "\r\n"
ENCODING = "utf-8"

PRODUCTCATEGORIEEN: tuple[str, ...] = tuple(f"{code:02d}" for code in range(1, 19))
REDENEN_BEEINDIGING: tuple[str, ...] = ("01", "02", "03", "04", "05")
INSTELLINGEN_IN_POOL = 12
DEFAULT_ROWS = 25
DEFAULT_VRIJE_TEKST = "regulier"

VERBODEN_TEKENS = ':\\/?;*"><|]['
"""Characters a file name may not hold (docs/bestanden.md); a ``.`` only before the extension."""

_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
_VRIJE_TEKSTEN = (
    "gestuurd door {voornaam}",
    "aangeleverd door {voornaam} {achternaam}",
    "correctie {voornaam}",
    "regulier {voornaam}",
)


# --- BSN, period, names -------------------------------------------------------------


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


def vrije_tekst(seed: int = 0) -> str:
    """Free text for a WMO file name that reads like a person chose it ("gestuurd door Henk").

    Same seed, same text (for one Faker release). Characters a file name may not hold
    and every ``.`` are left out, so the result can go straight into a name.
    """
    from faker import Faker  # here, not at the top: a gemeente process starts without it (0.2 s)

    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    sjabloon = fake.random_element(_VRIJE_TEKSTEN)
    tekst = sjabloon.format(voornaam=fake.first_name(), achternaam=fake.last_name())
    return _naamveilig(tekst) or DEFAULT_VRIJE_TEKST


def bestandsnaam(
    soort: str, jaar: int, halfjaar: int, vrije_tekst: str | None = None, extensie: str = "csv"
) -> str:
    """The name the gemeente gives a file: ``WMO_H12016_regulier.csv``, ``SBO_H12016.csv``.

    Without ``vrije_tekst`` a WMO file gets "regulier" and SBO/JEUGD none (the
    protocol's summary). The name is not checked here (CBS does that), so tests can
    make deliberately wrong names too.
    """
    _check_soort(soort)
    if vrije_tekst is None:
        vrije_tekst = DEFAULT_VRIJE_TEKST if soort == "WMO" else ""
    stem = f"{soort}_{code_uitvraag(jaar, halfjaar)}"
    if vrije_tekst:
        stem = f"{stem}_{vrije_tekst}"
    return f"{stem}.{extensie}"


def wmo_bestandsnaam(
    jaar: int, halfjaar: int, vrije_tekst: str = DEFAULT_VRIJE_TEKST, extensie: str = "csv"
) -> str:
    """The WMO file's name: ``WMO_H12016_regulier.csv``; empty free text gives ``WMO_H12016.csv``."""
    return bestandsnaam("WMO", jaar, halfjaar, vrije_tekst, extensie)


def sbo_bestandsnaam(jaar: int, halfjaar: int, vrije_tekst: str = "", extensie: str = "csv") -> str:
    """The SBO file's name: ``SBO_H12016.csv`` (free text only for CBS's lenient option)."""
    return bestandsnaam("SBO", jaar, halfjaar, vrije_tekst, extensie)


def jeugd_bestandsnaam(jaar: int, halfjaar: int, vrije_tekst: str = "", extensie: str = "csv") -> str:
    """The JEUGD file's name: ``JEUGD_H12016.csv`` (free text only for CBS's lenient option)."""
    return bestandsnaam("JEUGD", jaar, halfjaar, vrije_tekst, extensie)


# --- the files ----------------------------------------------------------------------


def generate(
    soort: str,
    gemeentecode: str,
    jaar: int,
    halfjaar: int,
    aangemaakt: datetime,
    rows: int = DEFAULT_ROWS,
    seed: int = 0,
) -> bytes:
    """A valid file of ``soort`` (WMO, SBO or JEUGD) as bytes.

    ``rows`` only counts for WMO: an SBO or JEUGD file has one row per Iv3-categorie
    or type voorziening.
    """
    _check_soort(soort)
    if soort == "WMO":
        return generate_wmo_csv(gemeentecode, jaar, halfjaar, rows, aangemaakt, seed=seed)
    if soort == "SBO":
        return generate_sbo_csv(gemeentecode, jaar, halfjaar, aangemaakt, seed=seed)
    return generate_jeugd_csv(gemeentecode, jaar, halfjaar, aangemaakt, seed=seed)


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
    _check_gemeentecode(gemeentecode)
    if rows < 0:
        raise ValueError(f"rows moet 0 of meer zijn, niet {rows}")
    begin, einde = halfjaar_grenzen(jaar, halfjaar)
    rng = random.Random(seed)
    instellingen = _instelling_pool(rng)
    prefix = [_aanmaakdatum(aangemaakt), gemeentecode]
    lines: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    bsns: list[str] = []
    while len(lines) < rows:
        row = _wmo_row(rng, begin, einde, instellingen, _bsn(rng, bsns))
        if tuple(row) not in seen:  # a repeated row is a defect (varianten: dubbele-regels)
            seen.add(tuple(row))
            lines.append([*prefix, *row])
    return _csv_bytes(WMO_COLUMNS, lines)


def generate_sbo_csv(
    gemeentecode: str,
    jaar: int,
    halfjaar: int,
    aangemaakt: datetime,
    seed: int = 0,
    categorieen: Iterable[str] = IV3_CATEGORIEEN,
) -> bytes:
    """The SBO file: the costs of sociale basisondersteuning per Iv3-categorie (670, 671).

    ``categorieen`` may name fewer (each at most once); the Kosten of a category do
    not depend on which others are in the file.
    """
    return _kosten_csv("SBO", tuple(categorieen), gemeentecode, jaar, halfjaar, aangemaakt, seed)


def generate_jeugd_csv(
    gemeentecode: str,
    jaar: int,
    halfjaar: int,
    aangemaakt: datetime,
    seed: int = 0,
    types: Iterable[str] = tuple(JEUGD_TYPES),
) -> bytes:
    """The JEUGD file: the costs per type voorziening (``01``..``05``, :data:`JEUGD_TYPES`)."""
    return _kosten_csv("JEUGD", tuple(types), gemeentecode, jaar, halfjaar, aangemaakt, seed)


def zip_bestanden(files: list[tuple[str, bytes]], aangemaakt: datetime) -> bytes:
    """A ZIP (deflate) of ``(name, content)`` pairs, as a gemeente may upload several files at once.

    Every entry is stamped ``aangemaakt`` and the platform fields are fixed, so the
    same files give the same bytes on every machine (for one zlib).
    """
    names = [name for name, _ in files]
    dubbel = sorted({name for name in names if names.count(name) > 1})
    if dubbel:
        raise ValueError(f"bestandsnamen komen meer dan eens voor in de ZIP: {', '.join(dubbel)}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files:
            info = zipfile.ZipInfo(name, date_time=aangemaakt.timetuple()[:6])
            info.create_system = 3  # Unix; the default depends on the platform
            info.external_attr = 0o644 << 16
            archive.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return buffer.getvalue()


# --- helpers ------------------------------------------------------------------------


def _check_soort(soort: str) -> None:
    if soort not in SOORTEN:
        raise ValueError(f"soort moet een van {', '.join(SOORTEN)} zijn, niet {soort!r}")


def _check_periode(jaar: int, halfjaar: int) -> None:
    if halfjaar not in (1, 2):
        raise ValueError(f"halfjaar moet 1 of 2 zijn, niet {halfjaar}")
    if not 1000 <= jaar <= 9999:
        raise ValueError(f"jaar moet 4 cijfers hebben, niet {jaar}")


def _check_gemeentecode(gemeentecode: str) -> None:
    if len(gemeentecode) != 4 or not gemeentecode.isascii() or not gemeentecode.isdigit():
        raise ValueError(f"gemeentecode moet 4 cijfers zijn, niet {gemeentecode!r}")


def _naamveilig(tekst: str) -> str:
    """``tekst`` without forbidden characters, dots and control characters, spaces collapsed."""
    kept = "".join(
        teken for teken in tekst
        if teken not in VERBODEN_TEKENS and teken != "." and teken.isprintable()
    )
    return " ".join(kept.split())


def _aanmaakdatum(aangemaakt: datetime) -> str:
    return aangemaakt.strftime("%Y%m%d%H%M%S")


def _csv_bytes(columns: list[str], rows: list[list[str]]) -> bytes:
    lines = [SEPARATOR.join(columns), *(SEPARATOR.join(row) for row in rows)]
    return (LINE_END.join(lines) + LINE_END).encode(ENCODING)


def _kosten_csv(
    soort: str, codes: tuple[str, ...], gemeentecode: str, jaar: int, halfjaar: int,
    aangemaakt: datetime, seed: int,
) -> bytes:
    """An SBO or JEUGD file: one row of costs per code, amounts drawn for all codes first."""
    _check_gemeentecode(gemeentecode)
    code = code_uitvraag(jaar, halfjaar)
    alle_codes = IV3_CATEGORIEEN if soort == "SBO" else tuple(JEUGD_TYPES)
    wat = COLUMNS[soort][3]
    onbekend = [c for c in codes if c not in alle_codes]
    if onbekend:
        raise ValueError(f"{wat} onbekend: {', '.join(onbekend)} (kies uit {', '.join(alle_codes)})")
    if len(set(codes)) != len(codes):
        raise ValueError(f"{wat} mag maar één keer in het bestand staan: {', '.join(codes)}")
    rng = random.Random(f"{soort}:{seed}")  # SBO and JEUGD with one seed get other amounts
    kosten = {c: _bedrag(rng.randint(1_000_000, 500_000_000)) for c in alle_codes}
    rows = [[_aanmaakdatum(aangemaakt), gemeentecode, code, c, kosten[c]] for c in codes]
    return _csv_bytes(COLUMNS[soort], rows)


def _instelling_pool(rng: random.Random) -> list[str]:
    """Fictional 8-digit AGB-like provider codes, distinct, in a stable order."""
    codes: list[str] = []
    while len(codes) < INSTELLINGEN_IN_POOL:
        code = f"{rng.randrange(10**8):08d}"
        if code not in codes:
            codes.append(code)
    return codes


def _bsn(rng: random.Random, bsns: list[str]) -> str:
    """A new client's BSN, or one in ten times a client seen before (a second arrangement)."""
    if bsns and rng.random() < 0.1:
        return rng.choice(bsns)
    bsns.append(make_bsn(rng))
    return bsns[-1]


def _wmo_row(
    rng: random.Random, begin: date, einde: date, instellingen: list[str], bsn: str
) -> list[str]:
    """One row from BSN onwards (the caller prefixes Aanmaakdatum and Gemeentecode)."""
    beoogd_start, start = _startdata(rng, begin, einde)
    laatste_start = max(d for d in (beoogd_start, start) if d is not None)
    beoogd_einde = _beoogde_einddatum(rng, laatste_start, begin)
    einddatum = _einddatum(rng, laatste_start, begin, einde)
    return [
        bsn,
        rng.choice(PRODUCTCATEGORIEEN),
        rng.choice(instellingen),
        _datum(beoogd_start),
        _datum(beoogd_einde),
        _leveringsvorm(rng),
        _datum(start),
        _datum(einddatum),
        "" if rng.random() < 0.1 else str(rng.randint(1, 40)),
        "" if rng.random() < 0.05 else _bedrag(rng.randint(2_500, 1_500_000)),
        rng.choice(REDENEN_BEEINDIGING) if einddatum and rng.random() < 0.9 else "",
    ]


def _startdata(rng: random.Random, begin: date, einde: date) -> tuple[date | None, date | None]:
    """Beoogde and daadwerkelijke start, at least one filled, both on or before ``einde``.

    Three in ten arrangements started before the period and still run in it.
    """
    if rng.random() < 0.3:
        beoogd = begin - timedelta(days=rng.randint(1, 730))
    else:
        beoogd = begin + timedelta(days=rng.randint(0, (einde - begin).days))
    start = beoogd + timedelta(days=rng.randint(0, min(14, (einde - beoogd).days)))
    keuze = rng.random()
    if keuze < 0.05:
        return beoogd, None
    if keuze < 0.1:
        return None, start
    return beoogd, start


def _beoogde_einddatum(rng: random.Random, laatste_start: date, begin: date) -> date | None:
    """Empty for one in five (indefinite), else after the starts and not before the period."""
    if rng.random() < 0.2:
        return None
    einde = laatste_start + timedelta(days=rng.randint(30, 730))
    if einde < begin:  # an arrangement planned to end before the period is not in the file
        einde = begin + timedelta(days=rng.randint(0, 180))
    return einde


def _einddatum(rng: random.Random, laatste_start: date, begin: date, einde: date) -> date | None:
    """Empty (still running) for most rows, else within the period and not before a start."""
    if rng.random() < 0.65:
        return None
    vroegste = max(laatste_start, begin)
    return vroegste + timedelta(days=rng.randint(0, (einde - vroegste).days))


def _leveringsvorm(rng: random.Random) -> str:
    keuze = rng.random()
    if keuze < 0.05:
        return ""
    return "PGB" if keuze < 0.2 else "ZIN"


def _datum(value: date | None) -> str:
    return value.strftime("%Y%m%d") if value else ""


def _bedrag(centen: int) -> str:
    return f"{centen // 100}.{centen % 100:02d}"
