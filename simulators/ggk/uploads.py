"""The GGk's upload desk: a gemeente's files are checked, get a GGk reference per CSV, and
go to RINIS as two Di01s each (the metadata record first, then the file).

Transport only: the GGk never opens a gemeente's file; of a ZIP it reads only the table of
contents, to give each CSV inside its own reference. All files of one upload are checked
before any is accepted. Under a timeline a file outside its period's delivery window is
refused; a file after the regular deadline but within the correction window is accepted as
late; in a period's burentest weeks a test delivery is accepted (seed 001: the connection
test, both directions, before the pilot). A file name no file system takes is refused; one
the envelope cannot carry (spaces) is mapped or refused by the option ``bestandsnaam_beleid``.

Forwarding is a task (``doorsturen``), retried until RINIS answers or the aflevertermijn
(option ``aflevertermijn_werkdagen``, default 2 working days) has passed: then the
gemeente gets a Fo01 KT001. A Fo03 from RINIS becomes a Fo01 in the download area.

Where it differs from the real GGk: the web service trusts the gemeente and user it is
given (only the portal checks an eHerkenning login, simulated).
"""

from __future__ import annotations

import io
import re
import sqlite3
import unicodedata
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .. import stuf
from ..clock import Clock
from ..gmsd.periodes import CODE_IN_NAAM as CODE_UITVRAAG
from ..kalender import Werkdagkalender
from ..store import Entry, Journal, Store
from ..tasks import Tasks
from ..tijdlijn import Tijdlijn
from . import messages
from .common import UploadRefused, dag
from .downloads import DownloadArea
from .mail import Mail
from .referenties import next_referentie
from .rinis_link import RinisLink
from .samenwerking import Samenwerkingsverbanden

SCHEMA = """
CREATE TABLE IF NOT EXISTS uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    referentienummer TEXT NOT NULL UNIQUE,     -- of the Di01 that carries the file
    meta_referentienummer TEXT NOT NULL UNIQUE, -- of the Di01 that carries the metadata
    gemeentecode TEXT NOT NULL,
    gebruiker TEXT NOT NULL,
    bestandsnaam TEXT NOT NULL,                -- as uploaded
    bestandsnaam_envelop TEXT NOT NULL,        -- as it travels in the envelope
    tijdstip TEXT NOT NULL,
    inhoud BLOB NOT NULL,
    status TEXT NOT NULL DEFAULT 'ontvangen',  -- ontvangen, doorgestuurd, geweigerd
    melding TEXT,
    aangeleverd_door TEXT                      -- the uitvoerder that uploaded it for this member
);
CREATE TABLE IF NOT EXISTS referenties (
    referentie TEXT PRIMARY KEY,               -- yyyymmdd-hhmmss-nnn
    upload_id INTEGER NOT NULL REFERENCES uploads(id),
    bestand TEXT NOT NULL                      -- the CSV it belongs to (a ZIP member, or the file)
);
CREATE INDEX IF NOT EXISTS uploads_gemeente ON uploads (gemeentecode);
CREATE INDEX IF NOT EXISTS referenties_upload ON referenties (upload_id);
"""

TAAK = "doorsturen"
"""The task soort of forwarding one upload to RINIS."""
ALLOWED_EXTENSIONS = (".csv", ".txt", ".zip")
NAME_POLICIES = ("omzetten", "weigeren")
FUNCTIE_AANLEVERING = "GMSD-AANLEVERING"
FUNCTIE_METAGEGEVENS = "GMSD-METAGEGEVENS"
MAX_FILE_BYTES = (stuf.MAX_MESSAGE_BYTES - 16 * 1024) * 3 // 4  # base64 grows by 4/3
VERBODEN_TEKENS = '<>:"|?*'


@dataclass(frozen=True)
class UploadResult:
    bestandsnaam: str
    bestandsnaam_envelop: str
    referentienummer: str
    referenties: tuple[tuple[str, str], ...]  # (CSV name, GGk reference)
    te_laat: bool = False  # accepted after the regular deadline, within the correction window
    gemeentecode: str = ""  # the gemeente it is filed for (a member, when uploaded 'namens')


def name_error(name: str) -> str | None:
    """Why ``name`` is refused as an uploaded file's name whatever the policy, or None:
    missing, a path (separators, ``..``, a leading dot), control characters or characters
    no file system takes. Dutch, for the 4xx message."""
    if not name or not name.strip():
        return "de bestandsnaam ontbreekt"
    shown = name.encode("unicode_escape").decode("ascii")[:80]
    if "/" in name or "\\" in name:
        return f"'{shown}' bevat een map-scheidingsteken (/ of \\); geef alleen de bestandsnaam"
    if name.startswith(".") or ".." in name:
        return f"'{shown}' begint met een punt of bevat '..'; dat kan een verwijzing naar een map zijn"
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        return f"'{shown}' bevat een stuurteken (zoals een tab, regeleinde of richtingsteken)"
    verboden = sorted({c for c in name if c in VERBODEN_TEKENS})
    if verboden:
        return f"'{shown}' bevat {' '.join(verboden)}; deze tekens kunnen niet in een bestandsnaam"
    return None


class UploadDesk:
    """Takes uploads, gives references, forwards them to RINIS."""

    def __init__(self, *, store: Store, clock: Clock, journal: Journal, tasks: Tasks,
                 gemeenten: Mapping[str, str], options: Mapping[str, Any],
                 tijdlijn: Callable[[], Tijdlijn | None], kalender: Callable[[], Werkdagkalender],
                 verbanden: Samenwerkingsverbanden, mail: Mail, download_area: DownloadArea,
                 rinis: RinisLink) -> None:
        policy = options.get("bestandsnaam_beleid", "omzetten")
        if policy not in NAME_POLICIES:
            raise ValueError(f"bestandsnaam_beleid must be one of {NAME_POLICIES}, not {policy!r}")
        self.name_policy = policy
        self.options = options
        self.store, self.clock, self.journal, self.tasks = store, clock, journal, tasks
        self.gemeenten, self.tijdlijn, self.kalender = gemeenten, tijdlijn, kalender
        self.verbanden, self.mail, self.download_area, self.rinis = verbanden, mail, download_area, rinis
        with store.transaction() as db:  # state from before partnerships existed
            if "aangeleverd_door" not in {r["name"] for r in db.execute("PRAGMA table_info(uploads)")}:
                db.execute("ALTER TABLE uploads ADD COLUMN aangeleverd_door TEXT")

    def upload(self, gemeentecode: str, gebruiker: str,
               files: list[tuple[str, bytes]], namens: str = "") -> list[UploadResult]:
        """Accept one or more files of one gemeente user; a reference per CSV.

        All files are checked before any is accepted: one refusal refuses the upload,
        so a user never has to work out which half of an upload went through. With
        ``namens`` the uitvoerder of a samenwerkingsverband uploads for one member: the
        upload is filed for, and forwarded as, that member.
        """
        if gemeentecode not in self.gemeenten:
            raise UploadRefused(f"gemeentecode '{gemeentecode}' is onbekend; gebruik de "
                                "viercijferige CBS-code, bijvoorbeeld 0363")
        if not gebruiker.strip():
            raise UploadRefused("geef de gebruiker op die het bestand aanlevert")
        voor = self.verbanden.filed_for(gemeentecode, namens)
        if not files:
            raise UploadRefused("er is geen bestand meegestuurd")
        prepared = [(name, data, self._envelope_name(name), self._csv_names(name, data))
                    for name, data in files]
        moment = self.clock.now()
        late = {name: self._window(csv_names, moment.date()) for name, _d, _e, csv_names in prepared}
        results: list[UploadResult] = []
        with self.store.transaction() as db:
            for name, data, envelop_name, csv_names in prepared:
                refnr, meta_refnr = stuf.new_referentienummer(), stuf.new_referentienummer()
                upload_id = db.execute(
                    "INSERT INTO uploads (referentienummer, meta_referentienummer, gemeentecode,"
                    " gebruiker, bestandsnaam, bestandsnaam_envelop, tijdstip, inhoud, aangeleverd_door)"
                    " VALUES (?,?,?,?,?,?,?,?,?)",
                    (refnr, meta_refnr, voor, gebruiker, name, envelop_name,
                     moment.isoformat(), data, gemeentecode if voor != gemeentecode else None)).lastrowid
                refs = tuple((csv, self._new_reference(db, moment, upload_id, csv))
                             for csv in csv_names)
                self.journal.record(Entry("in", "gemeente", "upload", data, _content_type(name),
                                          bestandsnaam=name, correlatie=refs[0][1]), db)
                self.tasks.add(TAAK, {"upload_id": upload_id}, db, verloopt=self._aflevertermijn(moment))
                results.append(UploadResult(name, envelop_name, refnr, refs, late[name], voor))
            self.mail.register_uploader(db, gemeentecode, gebruiker)
        return results

    def uploads(self, gemeentecode: str) -> list[dict]:
        """The gemeente's uploads, oldest first, with their references and what became of them."""
        rows = self.store.query(
            "SELECT id, referentienummer, bestandsnaam, bestandsnaam_envelop, gebruiker, tijdstip,"
            " status, melding, aangeleverd_door FROM uploads WHERE gemeentecode = ? ORDER BY id",
            (gemeentecode,))
        result = []
        for row in rows:
            refs = self.store.query("SELECT referentie, bestand FROM referenties WHERE upload_id = ?"
                                    " ORDER BY referentie", (row["id"],))
            result.append(dict(row) | {"referenties": [dict(r) for r in refs]})
        return result

    def seen_by_partners(self, gemeentecode: str) -> list[dict]:
        """What the other members of the gemeente's partnerships see of its uploads."""
        rows = self.store.query("SELECT tijdstip, bestandsnaam, gebruiker, aangeleverd_door FROM uploads"
                                " WHERE gemeentecode = ? ORDER BY id", (gemeentecode,))
        return [dict(r) for r in rows]

    def answered_by(self, db: sqlite3.Connection, referentienummer: str | None) -> sqlite3.Row | None:
        """The upload whose Di01 (file or metadata) has this referentienummer, with its first
        GGk reference as ``correlatie``; None when none has."""
        if not referentienummer:
            return None
        return db.execute("SELECT u.*, (SELECT MIN(referentie) FROM referenties r WHERE"
                          " r.upload_id = u.id) AS correlatie FROM uploads u WHERE"
                          " u.referentienummer = ? OR u.meta_referentienummer = ?",
                          (referentienummer, referentienummer)).fetchone()

    def refuse(self, db: sqlite3.Connection, upload_id: int, melding: str) -> None:
        """A Fo01 refused the upload after its Bv03 (that refusal stands)."""
        db.execute("UPDATE uploads SET status = 'geweigerd', melding = ? WHERE id = ?", (melding, upload_id))

    # ------------------------------------------------------------ to RINIS (task)

    def forward(self, upload_id: int) -> None:
        """Send the metadata Di01, then the file's Di01, to RINIS; a Fo03 refuses the upload."""
        upload = self.store.one("SELECT * FROM uploads WHERE id = ?", (upload_id,))
        refs = self.store.query("SELECT referentie, bestand FROM referenties WHERE upload_id = ?"
                                " ORDER BY referentie", (upload["id"],))
        correlatie = refs[0]["referentie"]
        code = upload["gemeentecode"]
        zender = messages.gemeente_zender(code, self.gemeenten.get(code, ""))
        sending = [  # the metadata first, so RINIS knows the file's reference on arrival
            (upload["meta_referentienummer"], FUNCTIE_METAGEGEVENS,
             messages.metagegevens_bestand(upload, [(r["bestand"], r["referentie"]) for r in refs])),
            (upload["referentienummer"], FUNCTIE_AANLEVERING, messages.aanlevering_bestand(upload)),
        ]
        for refnr, functie, bestand in sending:
            def build(refnr=refnr, functie=functie, bestand=bestand):
                return messages.di01(zender, refnr, self.clock.stuf_tijdstip(), functie, bestand)

            element, answer = self.rinis.send(refnr, build, correlatie=correlatie,
                                              bestandsnaam=bestand.bestandsnaam)
            if not answer.bevestigd:
                refusal = self.rinis.refusal(upload["gemeentecode"], upload["referentienummer"],
                                             FUNCTIE_AANLEVERING, element, answer)
                with self.store.transaction() as db:
                    self.refuse(db, upload["id"], refusal.melding)
                    self.download_area.add(db, code, "foutrapport", f"Fo01_{correlatie}.xml",
                                           refusal.fo01, "application/xml",
                                           crossRefnummer=upload["referentienummer"], correlatie=correlatie)
                return
        # a Fo01 RINIS sent after its Bv03 may have come in first: that refusal stands
        self.store.execute("UPDATE uploads SET status = 'doorgestuurd' WHERE id = ?"
                           " AND status != 'geweigerd'", (upload["id"],))

    def forward_expired(self, upload_id: int, melding: str) -> None:
        """RINIS could not be reached in time: the gemeente gets an error report (KT001)."""
        upload = self.store.one("SELECT * FROM uploads WHERE id = ?", (upload_id,))
        ref = self.store.one("SELECT referentie FROM referenties WHERE upload_id = ? ORDER BY referentie",
                             (upload["id"],))
        correlatie = ref["referentie"]
        omschrijving = (f"Het GGk kon '{upload['bestandsnaam']}' niet binnen de aflevertermijn "
                        f"bij RINIS afleveren; de aanlevering is niet verwerkt. Lever opnieuw aan.")[:200]
        fo01 = messages.fo01_kt001(upload["gemeentecode"], upload["referentienummer"],
                                   self.clock.stuf_tijdstip(), omschrijving, melding[:1000])
        with self.store.transaction() as db:
            db.execute("UPDATE uploads SET status = 'niet afgeleverd', melding = ? WHERE id = ?",
                       (omschrijving, upload["id"]))
            self.download_area.add(db, upload["gemeentecode"], "foutrapport", f"Fo01_{correlatie}.xml",
                                   fo01, "application/xml", crossRefnummer=upload["referentienummer"],
                                   correlatie=correlatie)

    # ------------------------------------------------------------------ rules

    def _window(self, csv_names: list[str], today: date) -> bool:
        """Refuse a file outside its period's delivery window; True when it is late.

        Only under a timeline: without one the GGk passes every period on and CBS's
        check judges it. A name without a code uitvraag is left to CBS as well.
        """
        tijdlijn = self.tijdlijn()
        if tijdlijn is None:
            return False
        late = False
        for csv in csv_names:
            found = CODE_UITVRAAG.search(csv.upper())
            if not found:
                continue
            code = found.group(1)
            periode = tijdlijn.periode(code)
            if periode is None:
                open_ = ", ".join(p.code for p in tijdlijn.perioden)
                raise UploadRefused(f"'{csv}': voor verslagperiode {code} kan nu niet worden aangeleverd; "
                                    f"wel voor {open_}", 422)
            if periode.in_burentest(today):  # the connection test before the round opens
                continue
            if periode.levering_open and today < periode.levering_open:
                raise UploadRefused(f"'{csv}': de aanlevering voor {code} opent op "
                                    f"{dag(periode.levering_open)}", 422)
            if periode.laat_tot and today > periode.laat_tot:
                raise UploadRefused(f"'{csv}': de aanlevering voor {code} is gesloten sinds "
                                    f"{dag(periode.laat_tot)} (de laatste dag)", 422)
            if periode.regulier_tot and today > periode.regulier_tot:
                late = True
        return late

    def _envelope_name(self, name: str) -> str:
        """The name in the envelope. A name that could not be a file name anywhere is
        refused with the reason, whatever the policy; the policy decides only about
        names the GMSD allows but the envelope does not (spaces): ``omzetten`` puts a
        mapped name in the envelope and the gemeente's own in the metadata, so CBS gets
        it unchanged; ``weigeren`` refuses it."""
        fout = name_error(name)
        if fout:
            raise UploadRefused(fout)
        if not name.lower().endswith(ALLOWED_EXTENSIONS):
            raise UploadRefused(f"'{name}': alleen .csv-, .txt- of .zip-bestanden kunnen "
                                "worden aangeleverd")
        if stuf.BESTANDSNAAM.fullmatch(name):
            return name
        if self.name_policy == "weigeren":
            raise UploadRefused(
                f"'{name}' bevat tekens die de GGk-envelop niet toestaat; gebruik alleen "
                "letters, cijfers, punt, liggend streepje en underscore (A-Z a-z 0-9 . - _)", 422)
        mapped = re.sub(r"[^A-Za-z0-9._-]", "_", name)[:255]
        return mapped if len(mapped) >= 4 else mapped.rjust(4, "_")

    def _csv_names(self, name: str, data: bytes) -> list[str]:
        if not data:
            raise UploadRefused(f"'{name}' is leeg; een lege aanlevering wordt niet doorgestuurd")
        if len(data) > MAX_FILE_BYTES:
            raise UploadRefused(f"'{name}' is te groot: een bestand mag in de envelop ten "
                                f"hoogste 25 MB worden ({MAX_FILE_BYTES} bytes)", 413)
        if not name.lower().endswith(".zip"):
            return [name]
        # The GGk does not unpack a ZIP; it reads its table of contents only, to give
        # each CSV inside its own reference number.
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = [m.filename for m in archive.infolist() if not m.is_dir()]
        except zipfile.BadZipFile:
            raise UploadRefused(f"'{name}' is geen leesbaar ZIP-bestand") from None
        csvs = [m.rsplit("/", 1)[-1] for m in members if m.lower().endswith((".csv", ".txt"))]
        if not csvs:
            raise UploadRefused(f"'{name}' bevat geen .csv- of .txt-bestand")
        return csvs

    def _new_reference(self, db: sqlite3.Connection, moment: datetime, upload_id: int, csv: str) -> str:
        """``yyyymmdd-hhmmss-nnn``: the upload time (seed 003) plus a counter, so two
        CSVs uploaded within one second still get different numbers."""
        reference = next_referentie(db, moment)
        db.execute("INSERT INTO referenties VALUES (?,?,?)", (reference, upload_id, csv))
        return reference

    def _aflevertermijn(self, moment: datetime) -> datetime:
        """Until when the GGk keeps trying to hand an upload to RINIS."""
        dagen = int(self.options.get("aflevertermijn_werkdagen", 2))
        dag_ = self.kalender().plus_werkdagen(moment, dagen)
        return moment.replace(year=dag_.year, month=dag_.month, day=dag_.day)


def _content_type(name: str) -> str:
    return "application/zip" if name.lower().endswith(".zip") else "text/csv"
