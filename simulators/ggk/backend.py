"""The GGk (Gemeentelijk Gegevensknooppunt, run by the Inlichtingenbureau): its rules.

Transport only: the GGk never opens a gemeente's file or a CBS report. It takes an
upload, gives a reference number per CSV, keeps the upload metadata, and forwards
file and metadata to RINIS in GGk envelopes (Di01). Reports arriving from RINIS
(Du01/Di01) are stripped and put, as a ZIP, in the addressed gemeente's download
area; a Fo01 becomes an error report there. A gemeente only ever receives Fo01.

The opt-in and withdrawal (``optin.py``), samenwerkingsverbanden (``samenwerking.py``)
and users and e-mails (``meldingen.py``) are rules of their own, mixed in here.

The portal's sessions, roles and audit log (``portaal/regels.py``) are mixed in too; its
pages are in ``portaal/views.py`` (docs/portaal.md).

Where it differs from the real GGk: the web service trusts the gemeente and user it is
given (only the portal checks an eHerkenning login, simulated), no real e-mail (a mail is a row in
the ``mails`` outbox; a notification is also a call to the gemeente simulator, and a
line in ``meldingen``).
"""

from __future__ import annotations

import io
import re
import sqlite3
import threading
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree

from .. import stuf
from ..beheer import defects as defecten
from ..gmsd import metagegevens
from ..gmsd.gemeenten import gemeenten
from ..gmsd.periodes import CODE_IN_NAAM as CODE_UITVRAAG
from ..party import Party, PartyConfig
from ..receiver import Receiver
from ..store import Entry
from ..stuf.isd import code_voor_gemeente
from . import meldingen, optin, samenwerking
from .common import UploadRefused, dag
from .meldingen import MailRules
from .optin import OptinRules
from .portaal import regels as portaal
from .samenwerking import SamenwerkingRules

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
CREATE TABLE IF NOT EXISTS downloads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    gemeentecode TEXT NOT NULL,
    soort TEXT NOT NULL,                       -- rapport, foutrapport
    bestandsnaam TEXT NOT NULL,
    inhoud BLOB NOT NULL,
    content_type TEXT NOT NULL,
    ontvangen TEXT NOT NULL,
    referentienummer TEXT,                     -- of the message that brought it
    crossRefnummer TEXT,
    correlatie TEXT,                           -- GGk reference of the upload it answers
    opgehaald TEXT
);
CREATE TABLE IF NOT EXISTS meldingen (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    gemeentecode TEXT NOT NULL,
    download_id INTEGER NOT NULL,
    tekst TEXT NOT NULL,
    tijdstip TEXT NOT NULL
);
"""

ALLOWED_EXTENSIONS = (".csv", ".txt", ".zip")
NAME_POLICIES = ("omzetten", "weigeren")
FUNCTIE_AANLEVERING = "GMSD-AANLEVERING"
FUNCTIE_METAGEGEVENS = "GMSD-METAGEGEVENS"
MAX_FILE_BYTES = (stuf.MAX_MESSAGE_BYTES - 16 * 1024) * 3 // 4  # base64 grows by 4/3


@dataclass(frozen=True)
class UploadResult:
    bestandsnaam: str
    bestandsnaam_envelop: str
    referentienummer: str
    referenties: tuple[tuple[str, str], ...]  # (CSV name, GGk reference)
    te_laat: bool = False  # accepted after the regular deadline, within the correction window
    gemeentecode: str = ""  # the gemeente it is filed for (a member, when uploaded 'namens')


class Ggk(portaal.PortaalRules, OptinRules, SamenwerkingRules, MailRules, Party):
    name = "ggk"
    schema = SCHEMA + optin.SCHEMA + meldingen.SCHEMA + portaal.SCHEMA

    def __init__(self, config: PartyConfig) -> None:
        super().__init__(config)
        policy = config.options.get("bestandsnaam_beleid", "omzetten")
        if policy not in NAME_POLICIES:
            raise ValueError(f"bestandsnaam_beleid must be one of {NAME_POLICIES}, not {policy!r}")
        self.name_policy = policy
        self.gemeenten = gemeenten()
        self.verbanden_optie = samenwerking.verbanden_uit(
            config.options.get("samenwerkingsverbanden", []), self.gemeenten)
        self.herinnering_werkdagen = meldingen.herinnering_werkdagen(
            config.options.get("herinnering_werkdagen", 3))
        with self.store.transaction() as db:  # state from before partnerships existed
            if "aangeleverd_door" not in {r["name"] for r in db.execute("PRAGMA table_info(uploads)")}:
                db.execute("ALTER TABLE uploads ADD COLUMN aangeleverd_door TEXT")
        self.systeem = stuf.Systeem("IB", "GGKWebservice")
        self.defecten = defecten.lees("ggk", config.options.get("defecten"))
        self._downloads_changed = threading.Condition()
        self.receiver = Receiver(
            party="ggk", peer="rinis", store=self.store, journal=self.journal,
            clock_tijdstip=self.clock.stuf_tijdstip,
            handlers={"Du01": self._receive_report, "Di01": self._receive_report,
                      "Fo01": self._receive_fo01},
            known_zenders={"CBS", "RINIS"}, known_ontvangers=self.gemeenten, defecten=self.defecten,
            verstoring=self._verstoord,
        )

    def task_handlers(self):
        return {"doorsturen": self._forward, "melden": self._notify, "fo01_rinis": self._send_fo01,
                "optin_versturen": self._send_optin, meldingen.TAAK: self._send_scheduled_mail}

    # ------------------------------------------------------------------ uploads

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
        voor = self._namens(gemeentecode, namens)
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
                self.tasks.add("doorsturen", {"upload_id": upload_id}, db,
                               verloopt=self._aflevertermijn(moment))
                results.append(UploadResult(name, envelop_name, refnr, refs, late[name], voor))
            self._register_uploader(db, gemeentecode, gebruiker)
        return results

    def _window(self, csv_names: list[str], today: date) -> bool:
        """Refuse a file outside its period's delivery window; True when it is late.

        Only under a timeline: without one the GGk passes every period on and CBS's
        check judges it. A name without a code uitvraag is left to CBS as well.
        """
        tijdlijn = self.tijdlijn
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

    def _new_reference(self, db: sqlite3.Connection, moment: datetime, upload_id: int,
                       csv: str) -> str:
        """``yyyymmdd-hhmmss-nnn``: the upload time (seed 003) plus a counter, so two
        CSVs uploaded within one second still get different numbers."""
        reference = self._next_reference(db, moment)
        db.execute("INSERT INTO referenties VALUES (?,?,?)", (reference, upload_id, csv))
        return reference

    def _next_reference(self, db: sqlite3.Connection, moment: datetime) -> str:
        """The next ``yyyymmdd-hhmmss-nnn`` in this second; uploads and opt-ins share the count."""
        prefix = moment.strftime("%Y%m%d-%H%M%S")
        used = sum(db.execute(f"SELECT COUNT(*) FROM {table} WHERE referentie LIKE ?",
                              (prefix + "-%",)).fetchone()[0] for table in ("referenties", "optins"))
        return f"{prefix}-{used + 1:03d}"

    def uploads(self, gemeentecode: str) -> list[dict]:
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

    # ------------------------------------------------------------ to RINIS (task)

    def _forward(self, data: dict) -> None:
        """Send the metadata Di01, then the file's Di01, to RINIS."""
        upload = self.store.one("SELECT * FROM uploads WHERE id = ?", (data["upload_id"],))
        refs = self.store.query("SELECT referentie, bestand FROM referenties WHERE upload_id = ?"
                                " ORDER BY referentie", (upload["id"],))
        correlatie = refs[0]["referentie"]
        zender = stuf.Systeem(upload["gemeentecode"], "GGKWebservice",
                              self.gemeenten.get(upload["gemeentecode"], "")[:50] or None)
        ontvanger = stuf.Systeem("CBS", "GGk")
        meta = metagegevens.Metagegevens(
            referentienummerBestand=upload["referentienummer"],
            bestandsnaam=upload["bestandsnaam"],
            bestandsnaamEnvelop=upload["bestandsnaam_envelop"],
            gemeentecode=upload["gemeentecode"], gebruiker=upload["gebruiker"],
            tijdstipUpload=datetime.fromisoformat(upload["tijdstip"]),
            ggkReferenties=tuple((r["bestand"], r["referentie"]) for r in refs))
        messages = [  # the metadata first, so RINIS knows the file's reference on arrival
            (upload["meta_referentienummer"], FUNCTIE_METAGEGEVENS,
             stuf.Bestand(metagegevens.to_xml(meta))),
            (upload["referentienummer"], FUNCTIE_AANLEVERING,
             stuf.Bestand(bytes(upload["inhoud"]), upload["bestandsnaam_envelop"])),
        ]
        url = self.url("rinis") + "/stuf/ontvang"
        for refnr, functie, bestand in messages:
            def build(refnr=refnr, functie=functie, bestand=bestand):
                return stuf.build_envelop(stuf.Envelop(stuf.Stuurgegevens(
                    "Di01", zender, ontvanger, refnr, self.clock.stuf_tijdstip(), functie=functie),
                    bestand))

            element = self.outgoing(refnr, build)
            answer = self.courier.send_stuf("rinis", url, element, correlatie=correlatie,
                                            bestandsnaam=bestand.bestandsnaam)
            if not answer.bevestigd:
                fo01, melding = self._fo01_for_gemeente(upload["gemeentecode"], upload["referentienummer"],
                                                        FUNCTIE_AANLEVERING, element, answer)
                with self.store.transaction() as db:
                    db.execute("UPDATE uploads SET status = 'geweigerd', melding = ? WHERE id = ?",
                               (melding, upload["id"]))
                    self._add_download(db, upload["gemeentecode"], "foutrapport", f"Fo01_{correlatie}.xml",
                                       fo01, "application/xml", None, upload["referentienummer"], correlatie)
                return
        # a Fo01 RINIS sent after its Bv03 may have come in first: that refusal stands
        self.store.execute("UPDATE uploads SET status = 'doorgestuurd' WHERE id = ?"
                           " AND status != 'geweigerd'", (upload["id"],))

    def task_expiry_handlers(self):
        return {"doorsturen": self._forward_expired}

    def _aflevertermijn(self, moment: datetime) -> datetime:
        """Until when the GGk keeps trying to hand an upload to RINIS (option
        ``aflevertermijn_werkdagen``, default 2 working days)."""
        dagen = int(self.config.options.get("aflevertermijn_werkdagen", 2))
        dag = self.kalender.plus_werkdagen(moment, dagen)
        return moment.replace(year=dag.year, month=dag.month, day=dag.day)

    def _forward_expired(self, data: dict, melding: str) -> None:
        """RINIS could not be reached in time: the gemeente gets an error report (KT001)."""
        upload = self.store.one("SELECT * FROM uploads WHERE id = ?", (data["upload_id"],))
        ref = self.store.one("SELECT referentie FROM referenties WHERE upload_id = ? ORDER BY referentie",
                             (upload["id"],))
        correlatie = ref["referentie"]
        omschrijving = (f"Het GGk kon '{upload['bestandsnaam']}' niet binnen de aflevertermijn "
                        f"bij RINIS afleveren; de aanlevering is niet verwerkt. Lever opnieuw aan.")[:200]
        fo01 = stuf.build_antwoord("Fo01", stuf.Stuurgegevens(
            "Fo01", self.systeem, stuf.Systeem(upload["gemeentecode"], "GGk"), stuf.new_referentienummer(),
            self.clock.stuf_tijdstip(), crossRefnummer=upload["referentienummer"]), stuf.Foutbericht(
                "KT001", "server", omschrijving, details=melding[:1000]))
        with self.store.transaction() as db:
            db.execute("UPDATE uploads SET status = 'niet afgeleverd', melding = ? WHERE id = ?",
                       (omschrijving, upload["id"]))
            self._add_download(db, upload["gemeentecode"], "foutrapport", f"Fo01_{correlatie}.xml",
                               stuf.to_bytes(fo01), "application/xml", None, upload["referentienummer"],
                               correlatie)

    def _fo01_for_gemeente(self, gemeentecode: str, referentienummer: str, functie: str, element,
                           answer: stuf.Antwoord) -> tuple[bytes, str]:
        """RINIS answered Fo03: the gemeente gets it as a Fo01 from IB (hop by hop), with
        the ISD-keten code where one fits (``simulators/stuf/isd.py``).
        Returns the Fo01's bytes and the melding for the refused item."""
        fout = answer.fout
        code = fout.code if "geen-isd-code" in self.defecten else code_voor_gemeente(fout.code)
        details = f"{functie}-00010000"
        if code != fout.code:  # the ISD-keten code for the gemeente; RINIS's own code kept
            details += f"; RINIS antwoordde Fo03 {fout.code}"
        fo01 = stuf.build_antwoord("Fo01", stuf.Stuurgegevens(
            "Fo01", self.systeem, stuf.Systeem(gemeentecode, "GGk"), stuf.new_referentienummer(),
            self.clock.stuf_tijdstip(), crossRefnummer=referentienummer), stuf.Foutbericht(
                code, fout.plek, fout.omschrijving, details=details, detailsXML=stuf.to_bytes(element)))
        return stuf.to_bytes(fo01), f"{code}: {fout.omschrijving}"

    # -------------------------------------------------------------- from RINIS

    def receive(self, body: bytes, fo01: str | None = None) -> tuple[bytes, int]:
        return self.receiver.receive(body, fo01)

    def _verstoord(self, message, sg: stuf.Stuurgegevens, code: str, db) -> str | None:
        """An armed ``fo01`` fault: the report got its Bv03 and is now refused with a Fo01 to
        its sender, via RINIS; it does not reach the gemeente."""
        self.tasks.add("fo01_rinis", {"referentienummer": sg.referentienummer, "code": code,
                                      "zender": [sg.zender.organisatie, sg.zender.applicatie],
                                      "functie": sg.functie or "onbekend"}, db)
        return None

    def _send_fo01(self, data: dict) -> None:
        def build():
            return stuf.build_antwoord("Fo01", stuf.Stuurgegevens(
                "Fo01", self.systeem, stuf.Systeem(*data["zender"]), stuf.new_referentienummer(),
                self.clock.stuf_tijdstip(), crossRefnummer=data["referentienummer"]), stuf.Foutbericht(
                    data["code"], "client", f"Het GGk weigert het bericht (storing in de harness, foutcode "
                    f"{data['code']})", details=f"{data['functie']}-00010000"))

        fo01 = self.outgoing(f"fo01:{data['referentienummer']}", build)
        answer = self.courier.send_stuf("rinis", self.url("rinis") + "/stuf/ontvang", fo01)
        if not answer.bevestigd:
            raise RuntimeError(f"RINIS weigerde de Fo01: {answer.fout.code} {answer.fout.omschrijving}")

    def _upload_by_refnr(self, db, referentienummer: str | None):
        if not referentienummer:
            return None
        return db.execute("SELECT u.*, (SELECT MIN(referentie) FROM referenties r WHERE"
                          " r.upload_id = u.id) AS correlatie FROM uploads u WHERE"
                          " u.referentienummer = ? OR u.meta_referentienummer = ?",
                          (referentienummer, referentienummer)).fetchone()

    def _receive_report(self, message, sg: stuf.Stuurgegevens, db) -> str | None:
        envelop = stuf.read_envelop(message)
        if not envelop.bestand.is_tekst:
            raise stuf.stuf_error("StUF055", "een rapport komt als tekstBestand met bestandsnaam")
        upload = self._upload_by_refnr(db, sg.crossRefnummer)
        if sg.berichtcode == "Du01" and upload is None:
            raise stuf.StufError("StUF043", f"Crossreferentienummer niet bekend: "
                                 f"{sg.crossRefnummer} hoort bij geen aanlevering")
        naam = envelop.bestand.bestandsnaam
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            info = zipfile.ZipInfo(naam, date_time=self.clock.now().timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, envelop.bestand.inhoud)
        correlatie = upload["correlatie"] if upload is not None else None
        self._add_download(db, sg.ontvanger.organisatie, "rapport", naam.rsplit(".", 1)[0] + ".zip",
                           archive.getvalue(), "application/zip", sg.referentienummer,
                           sg.crossRefnummer, correlatie)
        return correlatie

    def _receive_fo01(self, message, sg: stuf.Stuurgegevens, db) -> str | None:
        fout = stuf.read_antwoord(message).fout
        melding = f"{fout.code}: {fout.omschrijving}"
        upload = self._upload_by_refnr(db, sg.crossRefnummer)
        optin = (None if upload is not None else
                 self._optin_refused_later(db, sg.crossRefnummer, melding, sg.zender.organisatie))
        if upload is not None:
            db.execute("UPDATE uploads SET status = 'geweigerd', melding = ? WHERE id = ?",
                       (melding, upload["id"]))
        correlatie = (upload["correlatie"] if upload is not None
                      else optin["referentie"] if optin is not None else None)
        self._add_download(db, sg.ontvanger.organisatie, "foutrapport",
                           f"Fo01_{correlatie or sg.referentienummer}.xml",
                           etree.tostring(message, xml_declaration=True, encoding="UTF-8"),
                           "application/xml", sg.referentienummer, sg.crossRefnummer, correlatie)
        # an opt-in's journal correlatie is its file name, as at RINIS and CBS
        return optin["bestandsnaam"] if optin is not None else correlatie

    # ---------------------------------------------------------- download area

    def _add_download(self, db, gemeentecode, soort, naam, inhoud, content_type, refnr,
                      crossref, correlatie) -> int:
        download_id = db.execute(
            "INSERT INTO downloads (gemeentecode, soort, bestandsnaam, inhoud, content_type,"
            " ontvangen, referentienummer, crossRefnummer, correlatie) VALUES (?,?,?,?,?,?,?,?,?)",
            (gemeentecode, soort, naam, inhoud, content_type, self.clock.now().isoformat(),
             refnr, crossref, correlatie)).lastrowid
        self.tasks.add("melden", {"download_id": download_id}, db)
        return download_id

    def downloads(self, gemeentecode: str, after: int = 0, wait: float = 0.0) -> list[dict]:
        """The gemeente's download area; with ``wait``, block until something newer is there."""
        deadline = time.monotonic() + wait
        with self._downloads_changed:  # held while reading, so no notification slips by
            while True:
                rows = self.store.query(
                    "SELECT id, soort, bestandsnaam, content_type, ontvangen, referentienummer,"
                    " crossRefnummer, correlatie, opgehaald FROM downloads WHERE gemeentecode = ?"
                    " AND id > ? ORDER BY id", (gemeentecode, after))
                remaining = deadline - time.monotonic()
                if rows or remaining <= 0:
                    return [dict(r) for r in rows]
                self._downloads_changed.wait(remaining)

    def download(self, gemeentecode: str, download_id: int) -> tuple[str, bytes, str] | None:
        row = self.store.one("SELECT bestandsnaam, inhoud, content_type FROM downloads"
                             " WHERE id = ? AND gemeentecode = ?", (download_id, gemeentecode))
        if row is None:
            return None
        self.store.execute("UPDATE downloads SET opgehaald = COALESCE(opgehaald, ?) WHERE id = ?",
                           (self.clock.now().isoformat(), download_id))
        return row["bestandsnaam"], bytes(row["inhoud"]), row["content_type"]

    def _notify(self, data: dict) -> None:
        """Tell the gemeente a file is ready (the real GGk sends an e-mail)."""
        with self._downloads_changed:
            self._downloads_changed.notify_all()
        row = self.store.one("SELECT id, gemeentecode, soort, bestandsnaam FROM downloads"
                             " WHERE id = ?", (data["download_id"],))
        tekst = f"Er staat een {row['soort']} voor u klaar: {row['bestandsnaam']}"
        # a retry (the gemeente did not answer) calls the gemeente again, but mails once
        if self.store.one("SELECT 1 FROM meldingen WHERE download_id = ?", (row["id"],)) is None:
            self._mail_rapport_klaar(row)
            self.store.execute("INSERT INTO meldingen (gemeentecode, download_id, tekst, tijdstip)"
                               " VALUES (?,?,?,?)", (row["gemeentecode"], row["id"], tekst,
                                                     self.clock.now().isoformat()))
        if "gemeente" in self.config.urls:
            self.courier.request("POST", self.url("gemeente") + "/notificaties", json={
                "gemeentecode": row["gemeentecode"], "download_id": row["id"],
                "soort": row["soort"], "bestandsnaam": row["bestandsnaam"], "tekst": tekst})


VERBODEN_TEKENS = '<>:"|?*'


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




def _content_type(name: str) -> str:
    return "application/zip" if name.lower().endswith(".zip") else "text/csv"
