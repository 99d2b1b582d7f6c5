"""Opt-in, opt-out and withdrawal files at CBS: reading the CSV and recording it.

The GGk sends a gemeente's decisions as one CSV (``docs/optin.md``), which RINIS places
in CBS's inbox under its own name, without a metadata record:
``OPTIN_<periode>_<gemeentecode>_<yyyymmddhhmmss>.csv`` (opt-in/opt-out) or
``INTREKKING_...csv`` (withdrawal). :func:`read` reads one such file, all or nothing;
:func:`receive` keeps it in ``optin_berichten`` and records each row in the delivery
register as the status of that gemeente's set for that period.

Since issue 8 a decision travels signed: ``<stem>.zip`` holds ``<stem>.csv`` and
``<stem>.xml``, the signed decision of ``simulators.gmsd.ondertekening``. :func:`receive`
opens the ZIP, checks the signature on CBS's simulated date and against replay (the
``ondertekeningen`` table keeps every decision accepted), reads the CSV, checks that its
rows name the signer, and only then records it. A bare CSV is unsigned.

A file CBS cannot read is kept with status ``opt-in onleesbaar``, one whose signature fails
with ``handtekening ongeldig``, each with a Dutch melding in ``optin_berichten``
(``GET /api/v1/optin``), and refused at RINIS, which sends the gemeente a Fo01 from CBS
(``backend.py``, ``_refuse_optin``): StUF055 for an unreadable file, KT101–KT105 for a
signature (docs/ondertekening.md).
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import zipfile
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from ..gmsd import ondertekening
from ..gmsd.optinnaam import NAAM, ONTVANGEN_NAAM, PREFIXES
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
CREATE TABLE IF NOT EXISTS ondertekeningen (
    besluit_id TEXT PRIMARY KEY,         -- the Id of the signed decision: seen twice is a replay
    optin_bericht_id INTEGER NOT NULL,
    ondertekenaar TEXT NOT NULL,
    certificaat TEXT NOT NULL,           -- serial number of the signer's certificate (hex)
    ondertekend TEXT NOT NULL,           -- the moment in the decision
    ontvangen TEXT NOT NULL
);
"""

VERWERKT = "verwerkt"
ONLEESBAAR = "opt-in onleesbaar"
ONGELDIG = "handtekening ongeldig"
ONLEESBAAR_CODE = "StUF055"
MAX_DEEL = 1 << 20
"""The most a CSV or signed decision in an opt-in ZIP may hold (a real one is a few kB)."""

KOLOMMEN = ("Naam organisatie", "verslagperiode", "naam verzoek", "conclusie", "datumconclusie",
            "naam van gebruiker", "emailadres", "telefoonnummer")
KOLOMMEN_REACTIE = (*KOLOMMEN, "rapport", "toelichting")
"""A response to a spiegelrapport names the report and says why (a terugmelding)."""
SOORTEN = ("WMO", "JEUGD", "SBO")
CONCLUSIES = {"OPTIN": ("opt-in", "opt-out", "correctielevering"),
              "INTREKKING": ("ingetrokken", "correctie ingetrokken"),
              "REACTIE": ("akkoord", "terugmelding")}
"""Per kind of file, the conclusies it may hold: the third opt-in choice is a correction
delivery (seed 000 ch.7); a withdrawal may take back only the correction (seed 004); a
spiegelrapport is agreed to or answered with a terugmelding (seeds 000 ch.2, 002)."""
STATUS = {"opt-in": lv.OPTIN, "opt-out": lv.OPTOUT, "ingetrokken": lv.INGETROKKEN,
          "correctielevering": lv.CORRECTIE_AANGEKONDIGD, "correctie ingetrokken": lv.CORRECTIE_INGETROKKEN,
          "akkoord": lv.GEACCORDEERD, "terugmelding": lv.TERUGMELDING}
"""The delivery register's status for each conclusie."""


class OptinUnreadableError(ValueError):
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
    rapport: str = ""       # a response: the spiegelrapport it answers
    reactie: str = ""       # a response: the terugmelding's text

    @property
    def status(self) -> str:
        """The delivery register's status for this decision."""
        return STATUS[self.conclusie]

    def toelichting(self, bestandsnaam: str) -> str:
        wie = ", ".join(v for v in (self.email, self.telefoon) if v)
        over = f", rapport {self.rapport}" if self.rapport else ""
        tekst = f": {self.reactie}" if self.reactie else ""
        return (f"{self.conclusie} door {self.naam} ({wie}), datumconclusie {self.datumconclusie}, "
                f"bestand {bestandsnaam}{over}{tekst}")


@dataclass(frozen=True)
class OptinFile:
    """A readable opt-in or withdrawal file."""

    soort: str              # OPTIN or INTREKKING
    periode: str
    gemeentecode: str
    besluiten: tuple[Besluit, ...]


def is_optin_name(naam: str) -> bool:
    """Whether a file without metadata is an opt-in or withdrawal file (by its name)."""
    return naam.startswith(PREFIXES)


def read(naam: str, inhoud: bytes) -> OptinFile:
    """Read one opt-in/withdrawal CSV; raises :class:`OptinUnreadableError` naming every fault."""
    match = NAAM.fullmatch(naam)
    if match is None:
        raise OptinUnreadableError([f"bestandsnaam '{naam}' volgt niet de vorm OPTIN_<periode>_"
                                    "<gemeentecode>_<jjjjmmdduummss>.csv of INTREKKING_..."])
    try:
        text = inhoud.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OptinUnreadableError([f"het bestand is geen UTF-8 (byte {exc.start})"]) from None
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise OptinUnreadableError(["het bestand is leeg"])
    header = tuple(cell.strip() for cell in lines[0].split(";"))
    kolommen = KOLOMMEN_REACTIE if match["soort"] == "REACTIE" else KOLOMMEN
    if header != kolommen:
        raise OptinUnreadableError([f"de kopregel is '{lines[0][:200]}', verwacht '{';'.join(kolommen)}'"])
    if len(lines) == 1:
        raise OptinUnreadableError(["het bestand heeft geen regels na de kopregel"])
    conclusies = CONCLUSIES[match["soort"]]
    meldingen: list[str] = []
    besluiten: list[Besluit] = []
    for number, line in enumerate(lines[1:], start=2):
        cells = [cell.strip() for cell in line.split(";")]
        if len(cells) != len(kolommen):
            meldingen.append(f"regel {number}: {len(cells)} velden, verwacht {len(kolommen)}")
            continue
        organisatie, periode, soort, conclusie, datum, gebruiker, email, telefoon = cells[:8]
        rapport, reactie = (cells[8], cells[9]) if len(cells) == 10 else ("", "")
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
        if not _is_date(datum):
            fouten.append(f"datumconclusie '{datum}' is geen datum JJJJMMDD")
        if not gebruiker or not email:
            fouten.append("naam van gebruiker en emailadres zijn verplicht")
        if match["soort"] == "REACTIE" and not rapport:
            fouten.append("een reactie noemt het spiegelrapport")
        if conclusie == "terugmelding" and not reactie:
            fouten.append("een terugmelding heeft een toelichting")
        meldingen += [f"regel {number}: {fout}" for fout in fouten]
        if not fouten:
            besluiten.append(Besluit(soort, conclusie, datum, gebruiker, email, telefoon, organisatie,
                                     rapport, reactie))
    if meldingen:
        raise OptinUnreadableError(meldingen)
    return OptinFile(match["soort"], match["periode"], match["gemeentecode"], tuple(besluiten))


@dataclass(frozen=True)
class Outcome:
    """What became of one received opt-in/withdrawal file."""

    id: int                     # in optin_berichten
    status: str                 # VERWERKT, ONLEESBAAR or ONGELDIG
    code: str | None            # the Fo01 code when refused: StUF055 or KT101-KT105
    melding: str | None
    ondertekenaar: str | None   # the signer's e-mail address, when the signature could be read
    gemeentecode: str | None


def unpack(naam: str, inhoud: bytes) -> tuple[str, bytes, bytes | None]:
    """(CSV name, CSV, signed decision or None) of a received file: a bare CSV is unsigned;
    a ZIP must hold exactly ``<stem>.csv`` and ``<stem>.xml``, each at most :data:`MAX_DEEL`."""
    if not naam.endswith(".zip"):
        return naam, inhoud, None
    stam = naam.removesuffix(".zip")
    verwacht = {f"{stam}.csv", f"{stam}.xml"}
    try:
        with zipfile.ZipFile(io.BytesIO(inhoud)) as zf:
            entries = zf.infolist()
            namen = {e.filename for e in entries}
            if len(entries) > 2 or not namen <= verwacht or f"{stam}.csv" not in namen:
                raise OptinUnreadableError([f"de ZIP bevat {sorted(namen)[:5]}; verwacht {stam}.csv en "
                                            f"{stam}.xml"])
            delen = {}
            for entry in entries:
                if entry.file_size > MAX_DEEL or entry.flag_bits & 0x1:
                    raise OptinUnreadableError([f"{entry.filename} is versleuteld of groter dan "
                                                f"{MAX_DEEL} bytes"])
                with zf.open(entry) as f:
                    delen[entry.filename] = f.read(MAX_DEEL + 1)[:MAX_DEEL + 1]
                if len(delen[entry.filename]) > MAX_DEEL:
                    raise OptinUnreadableError([f"{entry.filename} is groter dan {MAX_DEEL} bytes"])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise OptinUnreadableError([f"'{naam}' is geen leesbare ZIP ({type(exc).__name__})"]) from None
    return f"{stam}.csv", delen[f"{stam}.csv"], delen.get(f"{stam}.xml")


def receive(db: sqlite3.Connection, register: lv.Leveringen, *, folder: str, rinis_id: int,
            bestandsnaam: str, inhoud: bytes, gemeentecode: str | None, nu: datetime,
            ca_bestand: Path | None = None) -> Outcome:
    """Check, read and keep one received file; record its decisions only when the
    signature holds, it is no replay, the CSV can be read and its rows name the signer.
    Within ``db``'s transaction."""
    match = ONTVANGEN_NAAM.fullmatch(bestandsnaam)
    if match:
        gemeentecode = match["gemeentecode"]
    ondertekenaar = None
    try:
        csv_naam, csv, xml = unpack(bestandsnaam, inhoud)
        if not NAAM.fullmatch(csv_naam):
            read(csv_naam, csv)  # says what is wrong with the name
        gecontroleerd = ondertekening.controleer(csv_naam, csv, xml, nu=nu, ca_bestand=ca_bestand)
        ondertekenaar = gecontroleerd.besluit.ondertekenaar
        eerder = db.execute("SELECT o.ontvangen, b.bestandsnaam FROM ondertekeningen o JOIN optin_berichten b"
                            " ON b.id = o.optin_bericht_id WHERE o.besluit_id = ?",
                            (gecontroleerd.besluit.id,)).fetchone()
        if eerder is not None:
            raise ondertekening.SignatureError(ondertekening.HERHAALD, (
                f"dit ondertekende besluit ({gecontroleerd.besluit.id}) is al op "
                f"{eerder['ontvangen'][:10]} ontvangen in '{eerder['bestandsnaam']}'; een besluit telt "
                "één keer"))
        bestand = read(csv_naam, csv)
        anders = sorted({b.email for b in bestand.besluiten if b.email.lower() != ondertekenaar.lower()})
        if anders:
            raise ondertekening.SignatureError(ondertekening.VREEMD, (
                f"de regels noemen {', '.join(anders)} als beslisser, maar {ondertekenaar} ondertekende"))
        zonder = [b.soort for b in bestand.besluiten if b.conclusie == "correctie ingetrokken"
                  and register.correctie(db, bestand.gemeentecode, bestand.periode, b.soort) is None]
        if zonder:
            raise OptinUnreadableError([f"er is geen correctielevering van {s} voor {bestand.periode} om "
                                        "in te trekken" for s in zonder])
    except OptinUnreadableError as exc:
        return _keep(db, folder, rinis_id, bestandsnaam, inhoud, match, gemeentecode, nu, ONLEESBAAR,
                     ONLEESBAAR_CODE, str(exc)[:2000], [], ondertekenaar)
    except ondertekening.SignatureError as exc:
        return _keep(db, folder, rinis_id, bestandsnaam, inhoud, match, gemeentecode, nu, ONGELDIG,
                     exc.code, str(exc)[:2000], [], ondertekenaar)
    rijen = []
    for besluit in bestand.besluiten:
        if besluit.conclusie == "correctie ingetrokken":
            levering_id = register.intrek_correctie(
                db, gemeentecode=bestand.gemeentecode, periode=bestand.periode, soort=besluit.soort,
                toelichting=besluit.toelichting(bestandsnaam))
        else:
            levering_id = register.besluit(
                db, gemeentecode=bestand.gemeentecode, periode=bestand.periode, soort=besluit.soort,
                status=besluit.status, toelichting=besluit.toelichting(bestandsnaam), bestand=bestandsnaam)
        rij = asdict(besluit)
        if not besluit.rapport:  # only a response to a spiegelrapport names a report and a text
            del rij["rapport"], rij["reactie"]
        rijen.append(rij | {"levering_id": levering_id})
    uitkomst = _keep(db, folder, rinis_id, bestandsnaam, inhoud, match, gemeentecode, nu, VERWERKT,
                     None, None, rijen, ondertekenaar)
    db.execute("INSERT INTO ondertekeningen VALUES (?,?,?,?,?,?)",
               (gecontroleerd.besluit.id, uitkomst.id, ondertekenaar, gecontroleerd.houder.serienummer,
                gecontroleerd.besluit.tijdstip.isoformat(), nu.isoformat()))
    return uitkomst


def _keep(db: sqlite3.Connection, folder: str, rinis_id: int, bestandsnaam: str, inhoud: bytes,
          match: re.Match | None, gemeentecode: str | None, nu: datetime, status: str, code: str | None,
          melding: str | None, rijen: list[dict], ondertekenaar: str | None) -> Outcome:
    row_id = db.execute(
        "INSERT INTO optin_berichten (map, rinis_id, bestandsnaam, soort, gemeentecode, periode,"
        " inhoud, ontvangen, status, melding, rijen) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (folder, rinis_id, bestandsnaam, match["soort"] if match else None, gemeentecode,
         match["periode"] if match else None, inhoud, nu.isoformat(), status, melding,
         json.dumps(rijen, ensure_ascii=False))).lastrowid
    return Outcome(row_id, status, code, melding, ondertekenaar, gemeentecode)


def overview(store: Store) -> list[dict]:
    """Every received opt-in/withdrawal file, oldest first, with its rows and outcome
    (without the file's bytes)."""
    return [{k: row[k] for k in row.keys() if k not in ("inhoud", "rijen")}
            | {"rijen": json.loads(row["rijen"])}
            for row in store.query("SELECT * FROM optin_berichten ORDER BY id")]


def _is_date(value: str) -> bool:
    if not (len(value) == 8 and value.isdigit()):
        return False
    try:
        datetime.strptime(value, "%Y%m%d")
    except ValueError:
        return False
    return True
