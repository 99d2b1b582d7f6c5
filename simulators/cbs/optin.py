"""Opt-in, opt-out and withdrawal files at CBS: reading the CSV and recording it.

The GGk sends a gemeente's decisions as one CSV (``docs/optin.md``), which RINIS places
in CBS's inbox under its own name, without a metadata record:
``OPTIN_<periode>_<gemeentecode>_<yyyymmddhhmmss>.csv`` (opt-in/opt-out) or
``INTREKKING_...csv`` (withdrawal). :func:`lees` reads one such file, all or nothing;
:func:`registreer` keeps it in ``optin_berichten`` and records each row in the delivery
register as the status of that gemeente's set for that period.

A file CBS cannot read is kept with status ``opt-in onleesbaar`` and a Dutch melding in
``optin_berichten`` (``GET /api/v1/optin``), and refused at RINIS, which sends the
gemeente a Fo01 from CBS (``backend.py``, ``_refuse_optin``).
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime

from ..store import Store
from . import leveringen as lv

SCHEMA = """
CREATE TABLE IF NOT EXISTS optin_berichten (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    map TEXT NOT NULL,
    rinis_id INTEGER NOT NULL,
    bestandsnaam TEXT NOT NULL,
    soort TEXT,                          -- OPTIN or INTREKKING (from the name), if readable
    gemeentecode TEXT,                   -- from the name, else as RINIS listed it
    periode TEXT,                        -- from the name
    inhoud BLOB NOT NULL,
    ontvangen TEXT NOT NULL,
    status TEXT NOT NULL,                -- verwerkt, opt-in onleesbaar
    melding TEXT,                        -- why it could not be read
    rijen TEXT NOT NULL DEFAULT '[]',    -- JSON: each decision read, with its levering_id
    UNIQUE (map, rinis_id)
);
"""

VERWERKT = "verwerkt"
ONLEESBAAR = "opt-in onleesbaar"

KOLOMMEN = ("Naam organisatie", "verslagperiode", "naam verzoek", "conclusie", "datumconclusie",
            "naam van gebruiker", "emailadres", "telefoonnummer")
SOORTEN = ("WMO", "JEUGD", "SBO")
CONCLUSIES = {"OPTIN": ("opt-in", "opt-out"), "INTREKKING": ("ingetrokken",)}
"""Per kind of file, the conclusies it may hold."""
STATUS = {"opt-in": lv.OPTIN, "opt-out": lv.OPTOUT, "ingetrokken": lv.INGETROKKEN}
"""The delivery register's status for each conclusie."""
NAAM = re.compile(r"(?P<soort>OPTIN|INTREKKING)_(?P<periode>H[12]\d{4})_(?P<gemeentecode>\d{4})_"
                  r"(?P<tijdstip>\d{14})\.csv", re.ASCII)
PREFIXES = ("OPTIN_", "INTREKKING_")


class OptinOnleesbaar(ValueError):
    """CBS cannot read this opt-in/withdrawal file; ``meldingen`` say why (Dutch), one per fault.
    The caller records the file as refused; no decision in it is recorded."""

    def __init__(self, meldingen: list[str]) -> None:
        super().__init__("; ".join(meldingen))
        self.meldingen = meldingen


@dataclass(frozen=True)
class Besluit:
    """One row: the decision of a gemeente on one set, and who took it."""

    soort: str              # naam verzoek: WMO, JEUGD or SBO
    conclusie: str          # opt-in, opt-out or ingetrokken
    datumconclusie: str     # YYYYMMDD
    naam: str
    email: str
    telefoon: str
    organisatie: str

    @property
    def status(self) -> str:
        """The delivery register's status for this decision."""
        return STATUS[self.conclusie]

    def toelichting(self, bestandsnaam: str) -> str:
        wie = ", ".join(v for v in (self.email, self.telefoon) if v)
        return (f"{self.conclusie} door {self.naam} ({wie}), datumconclusie {self.datumconclusie}, "
                f"bestand {bestandsnaam}")


@dataclass(frozen=True)
class OptinBestand:
    """A readable opt-in or withdrawal file."""

    soort: str              # OPTIN or INTREKKING
    periode: str
    gemeentecode: str
    besluiten: tuple[Besluit, ...]


def is_optin_naam(naam: str) -> bool:
    """Whether a file without metadata is an opt-in or withdrawal file (by its name)."""
    return naam.startswith(PREFIXES)


def lees(naam: str, inhoud: bytes) -> OptinBestand:
    """Read one opt-in/withdrawal CSV; raises :class:`OptinOnleesbaar` naming every fault."""
    match = NAAM.fullmatch(naam)
    if match is None:
        raise OptinOnleesbaar([f"bestandsnaam '{naam}' volgt niet de vorm OPTIN_<periode>_"
                               "<gemeentecode>_<jjjjmmdduummss>.csv of INTREKKING_..."])
    try:
        text = inhoud.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OptinOnleesbaar([f"het bestand is geen UTF-8 (byte {exc.start})"]) from None
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise OptinOnleesbaar(["het bestand is leeg"])
    header = tuple(cell.strip() for cell in lines[0].split(";"))
    if header != KOLOMMEN:
        raise OptinOnleesbaar([f"de kopregel is '{lines[0][:200]}', verwacht '{';'.join(KOLOMMEN)}'"])
    if len(lines) == 1:
        raise OptinOnleesbaar(["het bestand heeft geen regels na de kopregel"])
    conclusies = CONCLUSIES[match["soort"]]
    meldingen: list[str] = []
    besluiten: list[Besluit] = []
    for number, line in enumerate(lines[1:], start=2):
        cells = [cell.strip() for cell in line.split(";")]
        if len(cells) != len(KOLOMMEN):
            meldingen.append(f"regel {number}: {len(cells)} velden, verwacht {len(KOLOMMEN)}")
            continue
        organisatie, periode, soort, conclusie, datum, gebruiker, email, telefoon = cells
        fouten = []
        if periode != match["periode"]:
            fouten.append(f"verslagperiode '{periode}' wijkt af van {match['periode']} in de bestandsnaam")
        if soort not in SOORTEN:
            fouten.append(f"naam verzoek '{soort}' is onbekend (WMO, JEUGD of SBO)")
        elif any(b.soort == soort for b in besluiten):
            fouten.append(f"naam verzoek {soort} staat al op een eerdere regel")
        if conclusie not in conclusies:
            fouten.append(f"conclusie '{conclusie}' kan niet in een {match['soort']}-bestand "
                          f"({' of '.join(conclusies)})")
        if not _datum(datum):
            fouten.append(f"datumconclusie '{datum}' is geen datum JJJJMMDD")
        if not gebruiker or not email:
            fouten.append("naam van gebruiker en emailadres zijn verplicht")
        meldingen += [f"regel {number}: {fout}" for fout in fouten]
        if not fouten:
            besluiten.append(Besluit(soort, conclusie, datum, gebruiker, email, telefoon, organisatie))
    if meldingen:
        raise OptinOnleesbaar(meldingen)
    return OptinBestand(match["soort"], match["periode"], match["gemeentecode"], tuple(besluiten))


def registreer(db: sqlite3.Connection, register: lv.Leveringen, *, folder: str, rinis_id: int,
               bestandsnaam: str, inhoud: bytes, gemeentecode: str | None, ontvangen: str) -> int:
    """Keep a received file in ``optin_berichten`` and, when it can be read, record each
    decision in the delivery register. Returns the row id; within ``db``'s transaction."""
    match = NAAM.fullmatch(bestandsnaam)
    if match:
        gemeentecode = match["gemeentecode"]
    status, melding, rijen = VERWERKT, None, []
    try:
        bestand = lees(bestandsnaam, inhoud)
    except OptinOnleesbaar as exc:
        status, melding = ONLEESBAAR, str(exc)[:2000]
    else:
        for besluit in bestand.besluiten:
            levering_id = register.besluit(
                db, gemeentecode=bestand.gemeentecode, periode=bestand.periode, soort=besluit.soort,
                status=besluit.status, toelichting=besluit.toelichting(bestandsnaam),
                bestand=bestandsnaam)
            rijen.append(asdict(besluit) | {"levering_id": levering_id})
    return db.execute(
        "INSERT INTO optin_berichten (map, rinis_id, bestandsnaam, soort, gemeentecode, periode,"
        " inhoud, ontvangen, status, melding, rijen) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (folder, rinis_id, bestandsnaam, match["soort"] if match else None, gemeentecode,
         match["periode"] if match else None, inhoud, ontvangen, status, melding,
         json.dumps(rijen, ensure_ascii=False))).lastrowid


def overzicht(store: Store) -> list[dict]:
    """Every received opt-in/withdrawal file, oldest first, with its rows and outcome
    (without the file's bytes)."""
    return [{k: row[k] for k in row.keys() if k not in ("inhoud", "rijen")}
            | {"rijen": json.loads(row["rijen"])}
            for row in store.query("SELECT * FROM optin_berichten ORDER BY id")]


def _datum(value: str) -> bool:
    if not (len(value) == 8 and value.isdigit()):
        return False
    try:
        datetime.strptime(value, "%Y%m%d")
    except ValueError:
        return False
    return True
