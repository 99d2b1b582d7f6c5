"""RINIS, the router between GGk and CBS: its rules.

Towards CBS: RINIS acknowledges a GGk Di01, strips the envelope, pairs the file with
its metadata record, names the file for CBS (the gemeentecode appended as free text,
so names stay unique) and places both in CBS's inbox folder for that exchange type.
Towards the gemeente: it takes what CBS places in its send folder, reads addressee
and GGk reference from the agreed report name, and routes it to the GGk in a Du01
answering the delivery's Di01 (a Di01 when there is nothing to answer).

Where it differs from the real RINIS: its folder and exchange codes, its naming and
the metadata pairing are not public; the choices here are documented in
``docs/keten.md``. CBS is told of a new file by a call (the real CBS polls; so can
CBS here, through the folder listing).

Opt-in, opt-out and withdrawal (``docs/optin.md``) travel as one Di01 with functie
``GMSD-OPTIN`` or ``GMSD-INTREKKING`` and no metadata record: RINIS checks the CSV's
name (``OPTIN_<periode>_<gemeentecode>_<yyyymmddhhmmss>.zip``, the signed decision of
docs/ondertekening.md, or ``.csv``, the gemeentecode that of the zender; RINIS does not
open the file: CBS checks the signature), places it in CBS's inbox under that name and tells CBS with
``metagegevens_id`` null; a bad name is refused with a Fo01 after the Bv03. The name
is the journal's correlatie for these files: no GGk reference travels with them.

This module holds the rules and the state; every message in or out is built and read in
``messages.py``, and every request to the folder API is checked here once (a refusal is a
:class:`FolderRefused` carrying its HTTP status).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from .. import stuf
from ..beheer import defects
from ..gmsd import metagegevens, rapportnaam
from ..gmsd.gemeenten import gemeenten
from ..gmsd.optinnaam import ONTVANGEN_NAAM as OPTIN_NAAM
from ..identity import ANYONE, Identity
from ..party import Party, PartyConfig
from ..receiver import Receiver
from ..store import Entry
from ..stuf.faults import FOUTCODE
from . import messages

SCHEMA = """
CREATE TABLE IF NOT EXISTS berichten (
    referentienummer TEXT NOT NULL,      -- of the GGk Di01; unique per zender (gemeentecode)
    functie TEXT NOT NULL,
    gemeentecode TEXT NOT NULL,
    bestandsnaam TEXT,                   -- tekstBestand's name, or NULL for xmlBestand
    inhoud BLOB NOT NULL,
    ontvangen TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'ontvangen', -- ontvangen, geplaatst, geweigerd
    melding TEXT,
    koppel TEXT,                         -- metadata: referentienummer of the file's Di01
    correlatie TEXT,                     -- the GGk reference (from the metadata)
    PRIMARY KEY (gemeentecode, referentienummer)
);
CREATE TABLE IF NOT EXISTS mapbestanden (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    map TEXT NOT NULL,
    naam TEXT NOT NULL,
    inhoud BLOB NOT NULL,
    geplaatst TEXT NOT NULL,
    opgehaald TEXT,
    metagegevens_id INTEGER,             -- the sidecar metadata record of a data file
    referentienummer TEXT,               -- the Di01 it came in (inbox)
    gemeentecode TEXT,
    correlatie TEXT,
    status TEXT NOT NULL DEFAULT 'nieuw', -- nieuw; send folder: doorgestuurd, onbestelbaar
    melding TEXT
);
CREATE TABLE IF NOT EXISTS blokkades (
    functie TEXT PRIMARY KEY,            -- refused with Fo03 IB103 until lifted
    sinds TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ggkreferenties (
    referentie TEXT PRIMARY KEY,
    referentienummer TEXT NOT NULL,      -- of the Di01 that carried the file
    gemeentecode TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS berichten_referentienummer ON berichten (referentienummer);
CREATE INDEX IF NOT EXISTS berichten_koppel ON berichten (koppel);
CREATE INDEX IF NOT EXISTS mapbestanden_naam ON mapbestanden (map, naam);
CREATE INDEX IF NOT EXISTS mapbestanden_referentienummer ON mapbestanden (referentienummer);
"""

FUNCTIE_AANLEVERING = "GMSD-AANLEVERING"
FUNCTIE_METAGEGEVENS = "GMSD-METAGEGEVENS"
FUNCTIE_RAPPORT = "GMSD-RAPPORT"
FUNCTIE_OPTIN = "GMSD-OPTIN"
FUNCTIE_INTREKKING = "GMSD-INTREKKING"
FUNCTIE_REACTIE = "GMSD-REACTIE"
OPTIN_PREFIX = {FUNCTIE_OPTIN: "OPTIN", FUNCTIE_INTREKKING: "INTREKKING", FUNCTIE_REACTIE: "REACTIE"}
"""The functies whose file travels alone (no metadata record), and the name each begins with."""

DEFAULT_MAPPEN = {
    "inbox": {FUNCTIE_AANLEVERING: "RGMSD001", FUNCTIE_METAGEGEVENS: "RGMSD001",
              FUNCTIE_OPTIN: "RGMSD001", FUNCTIE_INTREKKING: "RGMSD001", FUNCTIE_REACTIE: "RGMSD001"},
    "verzend": {"RGMSD101": FUNCTIE_RAPPORT},
}
"""RINIS code per exchange type: GMSD deliveries (and opt-in/withdrawal files) land in
CBS inbox RGMSD001; CBS puts
GMSD reports in send folder RGMSD101. Configurable through ``options['mappen']``."""


class FolderRefused(ValueError):
    """RINIS refuses a request to its folder API or its beheer; ``status`` is the HTTP status,
    the text says why in Dutch, ``fout`` is the answer's title.

    400: the request cannot be read; 403: not in that folder; 404: no such folder, file or
    functie; 409: it conflicts with what is there.
    """

    def __init__(self, melding: str, status: int = 400, fout: str = "Map-fout") -> None:
        super().__init__(melding)
        self.status = status
        self.fout = fout


def _not_found(folder: str, file_id: int) -> FolderRefused:
    return FolderRefused(f"bestand {file_id} staat niet in {folder}", 404, "Niet gevonden")


class Rinis(Party):
    name = "rinis"
    tasks_first = ("routeren", "fo01")  # the way back first: reports reach the GGk while files come in
    schema = SCHEMA
    ACCESS = (("/stuf/", ANYONE), ("/mappen", "cbs"))
    """On a TLS chain: StUF from every certificate of the chain (the receiver refuses all but
    the GGk's with a Fo03 StUF013), the folders for CBS only."""

    def __init__(self, config: PartyConfig) -> None:
        super().__init__(config)
        self.mappen = config.options.get("mappen", DEFAULT_MAPPEN)
        self.gemeenten = gemeenten()
        self.defecten = defects.lees("rinis", config.options.get("defecten"))
        self.receiver = Receiver(
            party="rinis", peer="ggk", store=self.store, journal=self.journal,
            clock_tijdstip=self.clock.stuf_tijdstip,
            handlers={"Di01": self._receive_di01, "Fo01": self._receive_fo01},
            known_zenders=set(self.gemeenten) | {"IB"}, known_ontvangers={"CBS"},
            functies=set(self.mappen["inbox"]) | set(self.mappen["verzend"].values()),
            geblokkeerd=self.is_blocked, verstoring=self._refuse_for_storing, defecten=self.defecten,
            sent_by="ggk", on_refused=lambda identity, why: self.refuse(identity, "stuf", why),
        )

    def task_handlers(self):
        return {"plaatsen": self._place, "cbs_melden": self._announce_to_cbs,
                "routeren": self._route, "fo01": self._send_fo01}

    def task_expiry_handlers(self):
        return {"routeren": self._route_expired}

    def _routing_deadline(self) -> datetime:
        """Until when RINIS keeps offering a message to the GGk (option
        ``routeertermijn_werkdagen``, default 2 working days); then it raises an alarm."""
        moment = self.clock.now()
        dagen = int(self.config.options.get("routeertermijn_werkdagen", 2))
        dag = self.kalender.plus_werkdagen(moment, dagen)
        return moment.replace(year=dag.year, month=dag.month, day=dag.day)

    # ------------------------------------------------------------ beheer

    def is_blocked(self, functie: str) -> bool:
        return self.store.one("SELECT 1 FROM blokkades WHERE functie = ?", (functie,)) is not None

    def blocks(self) -> list[dict]:
        """The functies blocked now, and since when."""
        return [dict(r) for r in self.store.query("SELECT functie, sinds FROM blokkades ORDER BY functie")]

    def block(self, functie: str) -> list[dict]:
        """Block an exchange type for now: its Di01s get Fo03 IB103 (a real RINIS does
        this during maintenance of a receiving party). Returns the blocks now."""
        if functie not in self.receiver.functies:
            raise FolderRefused(f"functie '{functie}' is onbekend; bekend: "
                                f"{', '.join(sorted(self.receiver.functies))}", 404)
        self.store.execute("INSERT OR REPLACE INTO blokkades VALUES (?, ?)",
                           (functie, self.clock.now().isoformat()))
        return self.blocks()

    def unblock(self, functie: str | None = None) -> int:
        """Lift the block on ``functie`` (every block without one); returns how many were lifted."""
        with self.store.transaction() as db:
            if functie is None:
                return db.execute("DELETE FROM blokkades").rowcount
            return db.execute("DELETE FROM blokkades WHERE functie = ?", (functie,)).rowcount

    def folders(self) -> dict[str, str]:
        return {code: "inbox" for code in set(self.mappen["inbox"].values())} | {
            code: "verzend" for code in self.mappen["verzend"]}

    # ------------------------------------------------------------ from the GGk

    def receive(self, body: bytes, fo01: str | None = None,
                identity: Identity | None = None) -> tuple[bytes, int]:
        return self.receiver.receive(body, fo01, identity)

    def _receive_di01(self, message, sg: stuf.Stuurgegevens, db: sqlite3.Connection) -> str | None:
        if sg.zender.organisatie not in self.gemeenten:  # IB sends RINIS only Fo01s
            raise stuf.stuf_error("StUF013", f"zender '{sg.zender.organisatie}' stuurt RINIS geen Di01")
        envelop = messages.read_di01(message)
        if sg.functie not in self.mappen["inbox"]:  # a known exchange, but not one a gemeente sends
            return self._store_refused(db, sg, envelop, "IB234", (
                f"Combinatie functie en organisatie niet toegestaan: {sg.zender.organisatie} mag geen "
                f"berichten met functie {sg.functie} versturen; die komen alleen van het CBS"))
        if not envelop.bestand.inhoud:
            return self._store_refused(db, sg, envelop, "RIN001", (
                f"RINIS kan het bericht niet verwerken: het bestand "
                f"'{(envelop.bestand.bestandsnaam or 'xmlBestand')[:60]}' in de envelop is leeg"))
        if sg.functie == FUNCTIE_AANLEVERING and not envelop.bestand.is_tekst:
            raise stuf.stuf_error("StUF055", "een aanlevering komt als tekstBestand")
        if sg.functie == FUNCTIE_METAGEGEVENS and envelop.bestand.is_tekst:
            raise stuf.stuf_error("StUF055", "metagegevens komen als xmlBestand")
        if sg.functie in OPTIN_PREFIX and not envelop.bestand.is_tekst:
            raise stuf.stuf_error("StUF055", "een opt-in of intrekking komt als tekstBestand")
        koppel = correlatie = None
        if sg.functie in OPTIN_PREFIX:
            correlatie = envelop.bestand.bestandsnaam  # checked when placed: refused by Fo01
        elif sg.functie == FUNCTIE_METAGEGEVENS:
            try:
                meta = messages.read_metagegevens(envelop.bestand.inhoud)
                koppel, correlatie = meta.referentienummerBestand, meta.ggkReferenties[0][1]
            except metagegevens.MetagegevensError:
                pass  # answered with a Fo01 when the task runs: the Bv03 says only "received"
        else:
            meta_row = db.execute("SELECT correlatie FROM berichten WHERE koppel = ? AND"
                                  " gemeentecode = ?", (sg.referentienummer,
                                                        sg.zender.organisatie)).fetchone()
            correlatie = meta_row["correlatie"] if meta_row else None
        db.execute("INSERT INTO berichten (referentienummer, functie, gemeentecode, bestandsnaam,"
                   " inhoud, ontvangen, koppel, correlatie) VALUES (?,?,?,?,?,?,?,?)",
                   (sg.referentienummer, sg.functie, sg.zender.organisatie,
                    envelop.bestand.bestandsnaam, envelop.bestand.inhoud,
                    self.clock.now().isoformat(), koppel, correlatie))
        self.tasks.add("plaatsen", {"referentienummer": sg.referentienummer,
                                    "gemeentecode": sg.zender.organisatie}, db)
        return correlatie

    def _receive_fo01(self, message, sg: stuf.Stuurgegevens, db: sqlite3.Connection) -> str | None:
        """The GGk acknowledged a report and refused it afterwards: CBS sees the report as
        refused in its send folder, with the code (RINIS does not offer it again)."""
        row = db.execute("SELECT id, correlatie FROM mapbestanden WHERE referentienummer = ? AND map IN"
                         f" ({','.join('?' * len(self.mappen['verzend']))})",
                         (sg.crossRefnummer, *self.mappen["verzend"])).fetchone()
        if row is None:
            raise stuf.StufError("StUF043", f"Crossreferentienummer niet bekend: {sg.crossRefnummer} "
                                 "hoort bij geen rapport dat RINIS doorstuurde")
        fout = messages.read_fo01(message)
        db.execute("UPDATE mapbestanden SET status = 'geweigerd', melding = ? WHERE id = ?",
                   (f"{fout.code}: {fout.omschrijving} (Fo01 van {sg.zender.organisatie})"[:1000], row["id"]))
        return row["correlatie"]

    def _refuse_for_storing(self, message, sg: stuf.Stuurgegevens, code: str,
                            db: sqlite3.Connection) -> str | None:
        """An armed ``fo01`` storing: the message got its Bv03 and is now turned down."""
        return self._store_refused(db, sg, messages.read_di01(message), code,
                                   f"RINIS weigert het bericht (storing in de harness, foutcode {code})")

    def _store_refused(self, db, sg: stuf.Stuurgegevens, envelop: stuf.Envelop, code: str,
                       omschrijving: str) -> str | None:
        """Keep an acknowledged message as refused and schedule its Fo01 to the sender."""
        correlatie = envelop.bestand.bestandsnaam if sg.functie in OPTIN_PREFIX else None
        db.execute("INSERT INTO berichten (referentienummer, functie, gemeentecode, bestandsnaam,"
                   " inhoud, ontvangen, status, melding, correlatie) VALUES (?,?,?,?,?,?,?,?,?)",
                   (sg.referentienummer, sg.functie or "", sg.zender.organisatie,
                    envelop.bestand.bestandsnaam, envelop.bestand.inhoud, self.clock.now().isoformat(),
                    "geweigerd", f"{code}: {omschrijving}"[:1000], correlatie))
        if "geen-fo01" not in self.defecten:
            self._schedule_fo01(db, sg.referentienummer, sg.zender.organisatie, code, omschrijving)
        return correlatie

    def _schedule_fo01(self, db: sqlite3.Connection, referentienummer: str, gemeentecode: str,
                       code: str, omschrijving: str, zender: str | None = None) -> None:
        """A Fo01 to send (task ``fo01``) until the routing deadline; ``zender="CBS"`` when CBS
        found the error, RINIS otherwise."""
        data = {"referentienummer": referentienummer, "code": code, "gemeentecode": gemeentecode,
                "omschrijving": omschrijving[:200]}
        if zender:
            data["zender"] = zender
        self.tasks.add("fo01", data, db, verloopt=self._routing_deadline())

    # -------------------------------------------------------- into CBS's inbox

    def _place(self, data: dict) -> None:
        """Pair a file with its metadata; once both are here, place them for CBS."""
        row = self.store.one("SELECT * FROM berichten WHERE referentienummer = ? AND"
                             " gemeentecode = ?", (data["referentienummer"], data["gemeentecode"]))
        if row is None or row["status"] != "ontvangen":
            return
        if row["functie"] in OPTIN_PREFIX:
            self._place_optin(row)
            return
        if row["functie"] == FUNCTIE_METAGEGEVENS:
            meta_row = row
            file_row = self.store.one("SELECT * FROM berichten WHERE referentienummer = ? AND"
                                      " gemeentecode = ? AND status = 'ontvangen'",
                                      (row["koppel"], row["gemeentecode"]))
        else:
            file_row = row
            meta_row = self.store.one("SELECT * FROM berichten WHERE koppel = ? AND"
                                      " gemeentecode = ? AND status = 'ontvangen'",
                                      (row["referentienummer"], row["gemeentecode"]))
        if meta_row is not None:
            try:
                meta = messages.read_metagegevens(bytes(meta_row["inhoud"]))
            except metagegevens.MetagegevensError as exc:
                self._refuse(meta_row, "StUF055", f"Metagegevens niet conform schema: {exc}"[:200])
                return
        if file_row is None or meta_row is None:
            return  # the other half has not arrived yet; its own task will pair them
        if meta.gemeentecode != file_row["gemeentecode"]:
            self._refuse(meta_row, "StUF055", "de gemeentecode in de metagegevens wijkt af van "
                         "de zender van het bestand")
            return
        naam = cbs_name(meta.bestandsnaam, file_row["bestandsnaam"], meta.gemeentecode)
        if "geen-gemeentecode" in self.defecten:
            naam = naam.replace(f"_{meta.gemeentecode}", "", 1)
        folder = self.mappen["inbox"][FUNCTIE_AANLEVERING]
        correlatie = meta.ggkReferenties[0][1]
        now = self.clock.now().isoformat()
        with self.store.transaction() as db:
            meta_id = db.execute(
                "INSERT INTO mapbestanden (map, naam, inhoud, geplaatst, referentienummer,"
                " gemeentecode, correlatie) VALUES (?,?,?,?,?,?,?)",
                (folder, naam + ".metagegevens.xml", bytes(meta_row["inhoud"]), now,
                 meta_row["referentienummer"], meta.gemeentecode, correlatie)).lastrowid
            file_id = db.execute(
                "INSERT INTO mapbestanden (map, naam, inhoud, geplaatst, metagegevens_id,"
                " referentienummer, gemeentecode, correlatie) VALUES (?,?,?,?,?,?,?,?)",
                (folder, naam, bytes(file_row["inhoud"]), now, meta_id,
                 file_row["referentienummer"], meta.gemeentecode, correlatie)).lastrowid
            for _bestand, referentie in meta.ggkReferenties:
                db.execute("INSERT OR IGNORE INTO ggkreferenties VALUES (?,?,?)",
                           (referentie, file_row["referentienummer"], meta.gemeentecode))
            db.execute("UPDATE berichten SET status = 'geplaatst' WHERE gemeentecode = ? AND"
                       " referentienummer IN (?,?)", (meta.gemeentecode, file_row["referentienummer"],
                                                      meta_row["referentienummer"]))
            if "cbs" in self.config.urls:
                self.tasks.add("cbs_melden", {"map": folder, "id": file_id, "naam": naam,
                                              "metagegevens_id": meta_id}, db)

    def _place_optin(self, row) -> None:
        """An opt-in or withdrawal CSV travels alone: placed under its own name, no metadata."""
        naam, gemeentecode = row["bestandsnaam"], row["gemeentecode"]
        melding = optin_name_error(naam, row["functie"], gemeentecode)
        if melding:
            self._refuse(row, "RIN001", f"RINIS kan het bestand niet plaatsen: {melding}")
            return
        folder = self.mappen["inbox"][row["functie"]]
        with self.store.transaction() as db:
            file_id = db.execute(
                "INSERT INTO mapbestanden (map, naam, inhoud, geplaatst, referentienummer,"
                " gemeentecode, correlatie) VALUES (?,?,?,?,?,?,?)",
                (folder, naam, bytes(row["inhoud"]), self.clock.now().isoformat(),
                 row["referentienummer"], gemeentecode, row["correlatie"])).lastrowid
            db.execute("UPDATE berichten SET status = 'geplaatst' WHERE gemeentecode = ? AND"
                       " referentienummer = ?", (gemeentecode, row["referentienummer"]))
            if "cbs" in self.config.urls:
                self.tasks.add("cbs_melden", {"map": folder, "id": file_id, "naam": naam,
                                              "metagegevens_id": None}, db)

    def _refuse(self, row, code: str, omschrijving: str) -> None:
        """A processing error after the Bv03: a Fo01 to the original sender, via the GGk."""
        if "geen-fo01" in self.defecten:
            return
        with self.store.transaction() as db:
            db.execute("UPDATE berichten SET status = 'geweigerd', melding = ? WHERE"
                       " gemeentecode = ? AND referentienummer = ?",
                       (f"{code}: {omschrijving}", row["gemeentecode"], row["referentienummer"]))
            self._schedule_fo01(db, row["referentienummer"], row["gemeentecode"], code, omschrijving)

    def _send_fo01(self, data: dict) -> None:
        """A Fo01 to the original sender, via the GGk: zender is whoever found the error
        (RINIS, or CBS when it could not read a file), crossRefnummer the refused Di01."""
        row = self.store.one("SELECT gemeentecode, functie FROM berichten WHERE"
                             " referentienummer = ? AND gemeentecode = ?",
                             (data["referentienummer"], data["gemeentecode"]))
        zender = messages.CBS if data.get("zender") == "CBS" else messages.RINIS
        functie = row["functie"] if row is not None else data.get("functie", "onbekend")

        def build():
            return messages.build_fo01(zender, data["gemeentecode"], self.clock.stuf_tijdstip(),
                                       data["referentienummer"], functie, data["code"],
                                       data["omschrijving"], data.get("plek", "client"))

        fo01 = self.outgoing(f"fo01:{data['gemeentecode']}:{data['referentienummer']}", build)
        answer = self.courier.send_stuf("ggk", self.url("ggk") + messages.GGK_STUF, fo01)
        if not answer.bevestigd:
            raise RuntimeError(f"GGk weigerde de Fo01: {answer.fout.code} {answer.fout.omschrijving}")

    def refuse_from_cbs(self, folder: str, file_id: int, code: str, omschrijving: str) -> dict:
        """CBS could not read a file it fetched: the gemeente gets a Fo01 from CBS, via the
        GGk, tied to the Di01 the file came in. Asking twice sends one Fo01."""
        if self._require_folder(folder) != "inbox":
            raise FolderRefused(f"map {folder} is geen inbox; alleen een ontvangen bestand kan worden "
                                "geweigerd", 403)
        if not FOUTCODE.fullmatch(code or "") or not (omschrijving or "").strip():
            raise FolderRefused("geef een foutcode (zoals StUF055) en een omschrijving")
        with self.store.transaction() as db:
            row = db.execute("SELECT * FROM mapbestanden WHERE map = ? AND id = ?",
                             (folder, file_id)).fetchone()
            if row is None:
                raise FolderRefused(f"bestand {file_id} staat niet in {folder}", 404)
            if row["referentienummer"] is None:
                raise FolderRefused(f"bestand {file_id} kwam niet in een Di01: er is niemand om te melden",
                                    409)
            if row["status"] != "geweigerd":
                db.execute("UPDATE mapbestanden SET status = 'geweigerd', melding = ? WHERE id = ?",
                           (f"{code}: {omschrijving}"[:1000], file_id))
                self._schedule_fo01(db, row["referentienummer"], row["gemeentecode"], code, omschrijving,
                                    zender="CBS")
        return {"id": file_id, "status": "geweigerd", "referentienummer": row["referentienummer"]}

    def _announce_to_cbs(self, data: dict) -> None:
        self.courier.request("POST", self.url("cbs") + messages.CBS_ANNOUNCE, json=messages.announcement(
            data["map"], data["id"], data["naam"], data["metagegevens_id"]))

    # ---------------------------------------------------------------- folders

    def listing(self, folder: str, only_new: bool = False) -> list[dict]:
        """The files in a folder (``only_new``: data files not yet picked up), oldest first."""
        self._require_folder(folder)
        sql = ("SELECT id, naam, length(inhoud) AS grootte, geplaatst, opgehaald, metagegevens_id,"
               " gemeentecode, correlatie, status, melding FROM mapbestanden WHERE map = ?")
        if only_new:
            sql += " AND opgehaald IS NULL AND naam NOT LIKE '%.metagegevens.xml'"
        return [dict(r) for r in self.store.query(sql + " ORDER BY id", (folder,))]

    def fetch(self, folder: str, file_id: int) -> tuple[str, bytes]:
        """A file CBS fetches from a folder; journalled, as every hand-over is."""
        self._require_folder(folder)
        row = self.store.one("SELECT naam, inhoud, correlatie FROM mapbestanden WHERE map = ? AND id = ?",
                             (folder, file_id))
        if row is None:
            raise _not_found(folder, file_id)
        inhoud = bytes(row["inhoud"])
        self.journal.record(Entry("uit", "cbs", "bestand", inhoud, messages.content_type(row["naam"]),
                                  bestandsnaam=row["naam"], correlatie=row["correlatie"]))
        return row["naam"], inhoud

    def mark_picked_up(self, folder: str, file_id: int) -> bool:
        """CBS fetched a file (and its metadata record): it is no longer new. Idempotent."""
        self._require_folder(folder)
        now = self.clock.now().isoformat()
        with self.store.transaction() as db:
            changed = db.execute("UPDATE mapbestanden SET opgehaald = COALESCE(opgehaald, ?)"
                                 " WHERE map = ? AND (id = ? OR id = (SELECT metagegevens_id FROM"
                                 " mapbestanden WHERE id = ?))", (now, folder, file_id, file_id))
        if changed.rowcount == 0:
            raise _not_found(folder, file_id)
        return True

    def put(self, folder: str, naam: str, inhoud: bytes) -> tuple[int, bool]:
        """CBS places a file in a send folder; RINIS routes it on at once. Returns its id and
        whether it is new: the same file again (CBS retrying after a lost answer) is the same
        file, routed once; another file under a used name is refused (409)."""
        if self._require_folder(folder) != "verzend":
            raise FolderRefused(f"map {folder} is een inbox van CBS; CBS plaatst rapporten in "
                                f"{', '.join(self.mappen['verzend'])}", 403)
        if not stuf.BESTANDSNAAM.fullmatch(naam):
            raise FolderRefused(f"'{naam}': een bestandsnaam bestaat uit 4-255 tekens A-Z a-z 0-9 . - _")
        if not inhoud:
            raise FolderRefused(f"'{naam}' is leeg")
        parsed = rapportnaam.parse(naam)
        with self.store.transaction() as db:
            eerder = db.execute("SELECT id, inhoud FROM mapbestanden WHERE map = ? AND naam = ?",
                                (folder, naam)).fetchone()
            if eerder is not None:
                if bytes(eerder["inhoud"]) == inhoud:
                    return eerder["id"], False
                raise FolderRefused(f"'{naam}' staat al in {folder} met een andere inhoud; een nieuw "
                                    "rapport krijgt een eigen naam", 409)
            self.journal.record(Entry("in", "cbs", "rapport", inhoud, "application/pdf", bestandsnaam=naam,
                                      correlatie=parsed.referentie if parsed else None), db)
            file_id = db.execute(
                "INSERT INTO mapbestanden (map, naam, inhoud, geplaatst, gemeentecode, correlatie)"
                " VALUES (?,?,?,?,?,?)", (folder, naam, inhoud, self.clock.now().isoformat(),
                                          parsed.gemeentecode if parsed else None,
                                          parsed.referentie if parsed else None)).lastrowid
            self.tasks.add("routeren", {"id": file_id}, db, verloopt=self._routing_deadline())
        return file_id, True

    def _require_folder(self, folder: str) -> str:
        kind = self.folders().get(folder)
        if kind is None:
            raise FolderRefused(f"map '{folder}' bestaat niet; mappen: "
                                f"{', '.join(sorted(self.folders()))}", 404)
        return kind

    # ------------------------------------------------------------ to the GGk

    def _route(self, data: dict) -> None:
        row = self.store.one("SELECT * FROM mapbestanden WHERE id = ?", (data["id"],))
        parsed = rapportnaam.parse(row["naam"])
        if parsed is None or parsed.gemeentecode not in self.gemeenten:
            self._mark(row["id"], "onbestelbaar", "de naam volgt de rapportconventie niet "
                       "(CBS_<SOORT>_<gemeentecode>_<periode>_<GGk-referentie>.pdf)")
            return
        ref = self.store.one("SELECT referentienummer FROM ggkreferenties WHERE referentie = ?",
                             (parsed.referentie,))

        def build():
            return messages.build_report(parsed.gemeentecode, self.clock.stuf_tijdstip(),
                                         self.mappen["verzend"][row["map"]], row["naam"],
                                         bytes(row["inhoud"]), ref["referentienummer"] if ref else None)

        element = self.outgoing(f"route:{row['id']}", build)
        self.store.execute("UPDATE mapbestanden SET referentienummer = ? WHERE id = ?",  # for a later Fo01
                           (messages.referentienummer_of(element), row["id"]))
        answer = self.courier.send_stuf("ggk", self.url("ggk") + messages.GGK_STUF, element,
                                        correlatie=parsed.referentie, bestandsnaam=row["naam"])
        if answer.bevestigd:  # a Fo01 the GGk sent after its Bv03 may have come in first: it stands
            self.store.execute("UPDATE mapbestanden SET status = 'doorgestuurd', melding = NULL"
                               " WHERE id = ? AND status != 'geweigerd'", (row["id"],))
        else:
            self._mark(row["id"], "geweigerd", f"{answer.fout.code}: {answer.fout.omschrijving}")

    def _route_expired(self, data: dict, melding: str) -> None:
        """The GGk could not be reached in time: CBS sees the report as undeliverable
        (KT002) in its send folder, and the task is an alarm at ``/_beheer/alarmen``."""
        self._mark(data["id"], "onbestelbaar", f"KT002: RINIS kon het rapport niet binnen de "
                   f"routeertermijn bij het GGk afleveren ({melding})"[:1000])

    def _mark(self, file_id: int, status: str, melding: str | None) -> None:
        self.store.execute("UPDATE mapbestanden SET status = ?, melding = ? WHERE id = ?",
                           (status, melding, file_id))


def cbs_name(original: str, envelop_name: str | None, gemeentecode: str) -> str:
    """The name CBS sees: the gemeente's own name (spaces and all, when it can be a file
    name) with ``_<gemeentecode>`` appended before the extension."""
    base = original
    if not base or any(c in base for c in "/\\\0") or base.startswith("."):
        base = envelop_name or "bestand.csv"
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    return f"{stem}_{gemeentecode}" + (f".{ext}" if ext else "")


def optin_name_error(naam: str | None, functie: str, gemeentecode: str) -> str | None:
    """Why RINIS cannot place an opt-in/withdrawal file under this name (Dutch), or None.
    At most 200 characters: it becomes a Fo01's omschrijving."""
    prefix = OPTIN_PREFIX[functie]
    shown = (naam or "")[:60]
    match = OPTIN_NAAM.fullmatch(naam or "")
    if match is None:
        return (f"bestandsnaam '{shown}' volgt niet de vorm {prefix}_<periode>_<gemeentecode>_"
                "<jjjjmmdduummss>.zip")
    if match["soort"] != prefix:
        return f"bestandsnaam '{shown}' past niet bij functie {functie}: verwacht {prefix}_..."
    if match["gemeentecode"] != gemeentecode:
        return (f"de gemeentecode {match['gemeentecode']} in bestandsnaam '{shown}' wijkt af "
                f"van de zender {gemeentecode}")
    return None
