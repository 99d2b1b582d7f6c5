"""CBS's side of the GMSD chain: fetch deliveries from RINIS, check them, report back.

CBS has no StUF interface of its own: it reads files from its inbox folder on the
RINIS server and places its PDF reports in its send folder there (seed 000 ch.7).
A delivery is fetched as soon as RINIS reports it (or when the inbox is read), its
technical check runs at once, and the technical report goes to the send folder.

This module holds CBS's rules and state; the calls to RINIS's folder API are in
``messages.py``, the check in ``check/``, the PDFs in ``report.py`` and ``spiegel_pdf.py``,
the figures in ``spiegel.py``, the register in ``leveringen.py``. Every request is
checked here, once: a refusal is a :class:`Refused` carrying its HTTP status.

Where it differs from the real CBS: the check is the rule catalogue in ``check/``
(the real one is not public); report names follow the convention agreed with RINIS
(``report.report_file_name``; RINIS reads it with ``gmsd.rapportnaam``).
A ZIP is unpacked in memory and every CSV in it gets its own check and report; a ZIP
that ``zip_safety`` refuses (unreadable, a zip bomb, a path out of it, ...) is not unpacked
and gets one report, rule TC00 afgekeurd with the reason.

A file without metadata whose name begins with ``OPTIN_`` or ``INTREKKING_`` is a
gemeente's opt-in or withdrawal (``docs/optin.md``): fetched the same way, then read
and recorded by ``optin.py``. Any other file without metadata is an error, as before.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

from .. import auditlog, pki
from ..beheer import defects
from ..gmsd import metagegevens, periodes
from ..gmsd.gemeenten import gemeenten
from ..identity import ANYONE
from ..party import Party, PartyConfig
from ..store import Entry
from . import inwoners, messages, optin, spiegel, zip_safety
from . import leveringen as lv
from .check import check_file, check_zip, parse_bestandsnaam
from .report import report_file_name, technical_report_pdf
from .spiegel_pdf import spiegelrapport_pdf

SCHEMA = """
CREATE TABLE IF NOT EXISTS aanleveringen (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    map TEXT NOT NULL,
    rinis_id INTEGER NOT NULL,
    bestandsnaam TEXT NOT NULL,
    gemeentecode TEXT NOT NULL,
    inhoud BLOB NOT NULL,
    metagegevens BLOB NOT NULL,
    ontvangen TEXT NOT NULL,
    correlatie TEXT,
    UNIQUE (map, rinis_id)
);
CREATE TABLE IF NOT EXISTS rapporten (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    aanlevering_id INTEGER NOT NULL REFERENCES aanleveringen(id),
    levering_id INTEGER REFERENCES leveringen(id),
    soort TEXT NOT NULL,                 -- TECHNISCH, OPORDE, SPIEGEL2
    bestand TEXT NOT NULL,               -- the CSV the report is about
    ggk_referentie TEXT NOT NULL,
    oordeel TEXT NOT NULL,               -- goedgekeurd, afgekeurd
    bevindingen TEXT NOT NULL,           -- JSON
    naam TEXT NOT NULL,
    pdf BLOB NOT NULL,
    gemaakt TEXT NOT NULL,
    geplaatst TEXT
);
CREATE INDEX IF NOT EXISTS rapporten_aanlevering ON rapporten (aanlevering_id);
CREATE INDEX IF NOT EXISTS rapporten_levering ON rapporten (levering_id, soort);
"""

INBOX = "RGMSD001"
VERZEND = "RGMSD101"


class Refused(ValueError):
    """CBS refuses a request; ``status`` is the HTTP status (400: it cannot be read), the text
    says why in Dutch, ``fout`` is the answer's title."""

    def __init__(self, melding: str, status: int = 400, fout: str = "Ongeldige invoer") -> None:
        super().__init__(melding)
        self.status = status
        self.fout = fout


class Cbs(Party):
    name = "cbs"
    tasks_first = ("rapport_plaatsen",)  # a report drawn is placed before the next is drawn
    schema = SCHEMA + lv.SCHEMA + optin.SCHEMA + inwoners.SCHEMA + auditlog.schema("cbs_audit")
    ACCESS = (("/rinis/nieuw", "rinis"), ("/_beheer/ca.pem", ANYONE))
    """On a TLS chain: only RINIS announces a file; everyone may fetch the CA that CBS trusts."""

    def __init__(self, config: PartyConfig) -> None:
        super().__init__(config)
        self.inbox = config.options.get("inbox", INBOX)
        self.verzend = config.options.get("verzend", VERZEND)
        self.fixed_periodes = config.options.get("verslagperiodes")
        self.vrije_tekst_sbo_jeugd = bool(config.options.get("vrije_tekst_sbo_jeugd", False))
        self.leveringen = lv.Leveringen(self.store, self.clock)
        self.oporde_direct = bool(config.options.get("oporde_direct", True))
        self.zip_limits = zip_safety.Limits.from_options(config.options)
        self.defecten = defects.lees("cbs", config.options.get("defecten"))
        self.rinis = messages.RinisFolders(self.courier, lambda: self.url("rinis"))
        self.inwoners = inwoners.Inwoners(self.store, config.options)

    def task_handlers(self):
        return {"ophalen": self._fetch, "controleren": self._check,
                "rapport_plaatsen": self._place_report, "oporde": self._oporde,
                "spiegel2": self._spiegel2, "spiegel2_periode": self._spiegel2_of_periode,
                "optin_weigeren": self._refuse_optin}

    # -------------------------------------------------------------- the inbox

    def announce(self, body: Any) -> None:
        """RINIS reports a new file: fetch it (as a task, so the call returns at once)."""
        announcement = messages.read_announcement(body)
        if announcement is None:
            raise Refused("verwacht JSON met 'map' (tekst) en 'id' (getal) van het nieuwe bestand",
                          fout="Ongeldige melding")
        self.tasks.add("ophalen", {"map": announcement.folder, "id": announcement.file_id,
                                   "metagegevens_id": announcement.metagegevens_id})

    def read_inbox(self) -> int:
        """Poll the inbox for files not yet picked up; returns how many were found."""
        new = self.rinis.listing(self.inbox, only_new=True)
        for item in new:
            self.tasks.add("ophalen", {"map": self.inbox, "id": item["id"],
                                       "metagegevens_id": item["metagegevens_id"]})
        return len(new)

    def _fetch(self, data: dict) -> None:
        folder, file_id = data["map"], data["id"]
        if self.store.one("SELECT id FROM aanleveringen WHERE map = ? AND rinis_id = ?",
                          (folder, file_id)):
            return  # announced twice: fetched once
        meta_id = data.get("metagegevens_id")
        if meta_id is None:  # an opt-in, or found by reading the inbox: the listing tells
            listing = self.rinis.listing(folder)
            item = next((i for i in listing if i["id"] == file_id), None)
            meta_id = item["metagegevens_id"] if item else None
            if meta_id is None and item is not None and optin.is_optin_name(item["naam"]):
                self._fetch_optin(folder, file_id, item.get("gemeentecode"))
                return
        if meta_id is None:
            raise RuntimeError(f"bestand {file_id} in {folder} heeft geen metagegevens")
        naam, inhoud = self.rinis.fetch(folder, file_id)
        meta_naam, meta_xml = self.rinis.fetch(folder, meta_id)
        meta = messages.read_metagegevens(meta_xml)
        correlatie = meta.ggkReferenties[0][1]
        with self.store.transaction() as db:
            for file_name, payload, ctype in ((naam, inhoud, "application/octet-stream"),
                                              (meta_naam, meta_xml, "application/xml")):
                self.journal.record(Entry("in", "rinis", "bestand", payload, ctype,
                                          bestandsnaam=file_name, correlatie=correlatie), db)
            aanlevering_id = db.execute(
                "INSERT INTO aanleveringen (map, rinis_id, bestandsnaam, gemeentecode, inhoud,"
                " metagegevens, ontvangen, correlatie) VALUES (?,?,?,?,?,?,?,?)",
                (folder, file_id, naam, meta.gemeentecode, inhoud, meta_xml,
                 self.clock.now().isoformat(), correlatie)).lastrowid
            self.tasks.add("controleren", {"aanlevering_id": aanlevering_id}, db)
        self._tell_picked_up(folder, file_id)

    def _fetch_optin(self, folder: str, file_id: int, gemeentecode: str | None) -> None:
        """An opt-in or withdrawal file: fetched, journalled, checked, read and recorded at
        once; each gets a line in CBS's audit log, accepted or refused."""
        if self.store.one("SELECT id FROM optin_berichten WHERE map = ? AND rinis_id = ?",
                          (folder, file_id)):
            return  # announced twice: fetched once
        naam, inhoud = self.rinis.fetch(folder, file_id)
        with self.store.transaction() as db:
            self.journal.record(Entry("in", "rinis", "bestand", inhoud,
                                      "application/zip" if naam.endswith(".zip") else "text/csv",
                                      bestandsnaam=naam, correlatie=naam), db)
            uitkomst = optin.receive(db, self.leveringen, folder=folder, rinis_id=file_id, bestandsnaam=naam,
                                     inhoud=inhoud, gemeentecode=gemeentecode, nu=self.clock.now())
            self.audit_log.schrijf(
                uitkomst.ondertekenaar or "onbekend", uitkomst.gemeentecode, "optin",
                "aanvaard" if uitkomst.status == optin.VERWERKT else "geweigerd",
                f"{naam}: {uitkomst.melding}" if uitkomst.melding else naam, f"RINIS {folder}/{file_id}", db)
            if uitkomst.status != optin.VERWERKT:  # the gemeente must hear of it: a Fo01, via RINIS
                self.tasks.add("optin_weigeren", {"map": folder, "id": file_id, "naam": naam,
                                                  "code": uitkomst.code, "melding": uitkomst.melding}, db)
        self._tell_picked_up(folder, file_id)

    def _tell_picked_up(self, folder: str, file_id: int) -> None:
        """Tell RINIS a file was fetched (defect ``niet-opgehaald-melden`` forgets to)."""
        if "niet-opgehaald-melden" not in self.defecten:
            self.rinis.picked_up(folder, file_id)

    def _refuse_optin(self, data: dict) -> None:
        """CBS refuses an opt-in/withdrawal file: RINIS sends the gemeente a Fo01 from CBS,
        tied to the file's Di01: StUF055 when it cannot be read, KT101-KT105 when its
        signature fails (docs/ondertekening.md)."""
        code = data.get("code") or optin.ONLEESBAAR_CODE
        omschrijving = messages.refusal_omschrijving(data["naam"], data["melding"].removeprefix(code + ": "),
                                                     unreadable=code == optin.ONLEESBAAR_CODE)
        answer = self.rinis.refuse(data["map"], data["id"], code, omschrijving)
        if answer.status >= 400:  # not retried, but never silent: an alarm
            raise RuntimeError(f"RINIS nam de weigering niet aan: HTTP {answer.status} {answer.text}")

    @property
    def audit_log(self) -> auditlog.Auditlog:
        """CBS's audit log: every check of a signed opt-in, accepted or refused."""
        return auditlog.Auditlog(self.store, self.clock, "cbs_audit")

    def audit(self, gemeentecode: str | None, actie: str | None, after: int = 0) -> list[dict]:
        """The audit log's lines after ``after``, oldest first, for a gemeente or action."""
        return self.audit_log.lees(gemeentecode, actie, after)

    def ca_pem(self) -> bytes:
        """The test CA CBS trusts for signed opt-ins (docs/ondertekening.md)."""
        return pki.ca_pem()

    def reset(self, settle: float = 2.0) -> bool:
        self.audit_log.wis()
        return super().reset(settle)

    def optin_files(self) -> list[dict]:
        """Every opt-in/withdrawal file received, with its rows and outcome."""
        return optin.overview(self.store)

    # ------------------------------------------------------- technical check

    def verslagperiodes(self, moment: datetime) -> set[str]:
        if self.fixed_periodes:
            return set(self.fixed_periodes)
        return set(periodes.deliverable(moment.date()))

    def _check(self, data: dict) -> None:
        row = self.store.one("SELECT * FROM aanleveringen WHERE id = ?", (data["aanlevering_id"],))
        meta = messages.read_metagegevens(bytes(row["metagegevens"]))
        references = dict(meta.ggkReferenties)
        ontvangen = datetime.fromisoformat(row["ontvangen"])
        valid_periods = self.verslagperiodes(ontvangen)
        gemeentecode = row["gemeentecode"]
        for csv_name, name_for_check, inhoud, weigering in self._csv_files(
                row["bestandsnaam"], bytes(row["inhoud"]), meta):
            referentie = references.get(csv_name) or meta.ggkReferenties[0][1]
            if weigering:
                oordeel = check_zip(name_for_check, weigering)
            else:
                oordeel = check_file(name_for_check, inhoud, gemeentecode, valid_periods,
                                     vrije_tekst_sbo_jeugd=self.vrije_tekst_sbo_jeugd,
                                     sbo=self.inwoners.toets(gemeentecode))
            parsed = parse_bestandsnaam(name_for_check, gemeentecode,
                                        vrije_tekst_sbo_jeugd=self.vrije_tekst_sbo_jeugd)
            periode = parsed["code_uitvraag"] if parsed else "ONBEKEND"
            soort = parsed["soort"] if parsed else "ONBEKEND"
            gemaakt = self.clock.now()
            pdf = technical_report_pdf(oordeel, gemeentecode, referentie, ontvangen, gemaakt)
            naam = report_file_name("TECHNISCH", gemeentecode, periode, referentie)
            if "rapport-zonder-referentie" in self.defecten:
                naam = naam.replace(f"_{referentie}", "", 1)
            bevindingen = [{"regel": b.regel, "geslaagd": b.geslaagd, "ernst": b.ernst,
                            "melding": b.melding, "regels": list(b.regels)}
                           for b in oordeel.bevindingen]
            with self.store.transaction() as db:
                levering_id = self.leveringen.received(
                    db, aanlevering_id=row["id"], gemeentecode=gemeentecode, periode=periode,
                    soort=soort, bestand=name_for_check, ggk_referentie=referentie,
                    aanmaakdatum=_aanmaakdatum(inhoud), inhoud=inhoud)
                actueel = self.leveringen.judged(db, levering_id, oordeel.goedgekeurd)
                rapport_id = db.execute(
                    "INSERT INTO rapporten (aanlevering_id, levering_id, soort, bestand, ggk_referentie,"
                    " oordeel, bevindingen, naam, pdf, gemaakt) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (row["id"], levering_id, "TECHNISCH", name_for_check, referentie, oordeel.verdict,
                     _json(bevindingen), naam, pdf, gemaakt.isoformat())).lastrowid
                self.tasks.add("rapport_plaatsen", {"rapport_id": rapport_id}, db,
                               niet_voor=self._technical_report_due(ontvangen))
                if actueel and self.oporde_direct:
                    self.tasks.add("oporde", {"levering_id": levering_id}, db,
                                   niet_voor=self._oporde_due(periode, ontvangen))

    def _csv_files(self, naam: str, inhoud: bytes, meta: metagegevens.Metagegevens):
        """(name in the metadata, name to check, bytes, why refused) of each CSV in a delivery.

        A ZIP is unpacked in memory by ``zip_safety``; when it refuses the ZIP, this yields
        once: the ZIP's names, no bytes (nothing of a refused ZIP is stored again) and the
        Dutch reason. Otherwise the reason is empty."""
        if not naam.lower().endswith(".zip"):
            yield meta.ggkReferenties[0][0], naam, inhoud, ""
            return
        try:
            members = zip_safety.unpack(inhoud, self.zip_limits)
        except zip_safety.UnsafeZipError as refused:
            yield meta.bestandsnaam, naam, b"", refused.reason
            return
        dubbel = _more_than_one_per_set(filename for filename, _data in members)
        if dubbel:  # public: at most one file per set and half year (Wmo, SBO, JEUGD)
            yield meta.bestandsnaam, naam, b"", (f"de ZIP bevat meer dan één bestand voor {dubbel}; lever "
                                                 "per set en verslagperiode één bestand aan")
            return
        suffix = "_" + meta.gemeentecode
        for filename, data in members:
            member = filename.rsplit("/", 1)[-1]
            stem, _, ext = member.rpartition(".")
            yield member, f"{stem}{suffix}.{ext}", data, ""

    # ------------------------------------------------------------- the timeline

    def _technical_report_due(self, ontvangen: datetime) -> datetime | None:
        """When the technical report goes out: at once, or at 09:00 on the working day the
        timeline's delay points to."""
        tijdlijn = self.tijdlijn
        if tijdlijn is None or tijdlijn.sla.technisch_rapport_vertraging <= 0:
            return None
        dag = tijdlijn.kalender.plus_werkdagen(ontvangen, tijdlijn.sla.technisch_rapport_vertraging)
        return _at_nine(dag, ontvangen)

    def _oporde_due(self, periode: str, ontvangen: datetime) -> datetime | None:
        """After the technical report: with it, ``sla.oporde_vertraging`` working days after
        it (a CBS that answers late, to test the SLA), or on the period's spiegelrapport I
        date when the timeline has one ahead."""
        technisch = self._technical_report_due(ontvangen)
        tijdlijn = self.tijdlijn
        if tijdlijn is not None and tijdlijn.sla.oporde_vertraging > 0:
            goedgekeurd = technisch or ontvangen
            dag = tijdlijn.kalender.plus_werkdagen(goedgekeurd, tijdlijn.sla.oporde_vertraging)
            technisch = _at_nine(dag, ontvangen)
        dates = tijdlijn.periode(periode) if tijdlijn else None
        if dates is None or dates.spiegelrapport_1 is None:
            return technisch
        spiegel = _at_nine(dates.spiegelrapport_1, ontvangen)
        if spiegel <= ontvangen:
            return technisch
        return max(spiegel, technisch) if technisch else spiegel

    def on_tijdlijn(self, tijdlijn, db) -> None:
        """Spiegelrapport II goes out on each period's date (replacing what an earlier
        timeline scheduled)."""
        db.execute("DELETE FROM taken WHERE soort = 'spiegel2_periode' AND status = 'open'")
        for periode in tijdlijn.perioden:
            if periode.spiegelrapport_2:
                self.tasks.add("spiegel2_periode", {"periode": periode.code}, db,
                               niet_voor=_at_nine(periode.spiegelrapport_2, self.clock.peek()))

    def _spiegel2_of_periode(self, data: dict) -> None:
        self._send_spiegelrapporten2(data["periode"])

    # ------------------------------------------------ op-orde and spiegelrapport II

    def _oporde(self, data: dict) -> None:
        """The op-orde rapport (spiegelrapport I) for a current, approved delivery."""
        levering = self.leveringen.get(data["levering_id"])
        if levering is None or not levering["actueel"]:
            return  # superseded before its report was made: the newer one gets its own
        self._spiegel_report(levering, "OPORDE", lv.OPORDE_VERZONDEN)

    def spiegelrapporten2(self, periode: str) -> int:
        """Send spiegelrapport II for every current delivery of ``periode``; returns how many."""
        if not periodes.is_periode(periode):
            raise Refused("geef 'periode' als code uitvraag, bijvoorbeeld H12016", fout="Ongeldige periode")
        return self._send_spiegelrapporten2(periode)

    def _send_spiegelrapporten2(self, periode: str) -> int:
        # by history, not status: an opt-in/opt-out after the op-orde rapport is now the status
        rows = [r for r in self.leveringen.current(periode)
                if self.leveringen.reached(r["id"], lv.OPORDE_VERZONDEN)
                and not self.leveringen.reached(r["id"], lv.SPIEGEL2_VERZONDEN)]
        with self.store.transaction() as db:
            for row in rows:
                self.tasks.add("spiegel2", {"levering_id": row["id"]}, db)
        return len(rows)

    def _spiegel2(self, data: dict) -> None:
        levering = self.leveringen.get(data["levering_id"])
        if levering is not None and levering["actueel"]:
            self._spiegel_report(levering, "SPIEGEL2", lv.SPIEGEL2_VERZONDEN)

    def _spiegel_report(self, levering, rapportsoort: str, status: str) -> None:
        soort, periode, gemeentecode = levering["soort"], levering["periode"], levering["gemeentecode"]
        cijfers = self.leveringen.figures(levering, spiegel.figures_from_file)
        andere = self.leveringen.peers(periode, soort, spiegel.figures_from_file)  # spiegel leaves itself out
        eerder = None
        if rapportsoort == "SPIEGEL2":
            eerder = self._oporde_figures(levering)
        gemaakt = self.clock.now()
        pdf = spiegelrapport_pdf(
            "I" if rapportsoort == "OPORDE" else "II", soort, gemeentecode,
            self.gemeente_name(gemeentecode), periode, cijfers,
            spiegel.inwoners(gemeentecode),
            spiegel.vergelijkingsgroep(gemeentecode, soort, periode, andere=andere),
            gemaakt, levering["ggk_referentie"], eerder=eerder,
            groep=spiegel.groepsomschrijving(gemeentecode, andere), bestandsnaam=levering["bestand"])
        naam = report_file_name(rapportsoort, gemeentecode, periode, levering["ggk_referentie"])
        with self.store.transaction() as db:
            rapport_id = db.execute(
                "INSERT INTO rapporten (aanlevering_id, levering_id, soort, bestand, ggk_referentie,"
                " oordeel, bevindingen, naam, pdf, gemaakt) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (levering["aanlevering_id"], levering["id"], rapportsoort, levering["bestand"],
                 levering["ggk_referentie"], "-", _json(cijfers), naam, pdf,
                 gemaakt.isoformat())).lastrowid
            self.leveringen.set_status(db, levering["id"], status, naam)
            self.tasks.add("rapport_plaatsen", {"rapport_id": rapport_id}, db)

    def _oporde_figures(self, levering) -> dict | None:
        """The figures the op-orde rapport of this gemeente, period and set showed, if any."""
        row = self.store.one(
            "SELECT r.bevindingen FROM rapporten r JOIN leveringen l ON l.id = r.levering_id"
            " WHERE r.soort = 'OPORDE' AND l.gemeentecode = ? AND l.periode = ? AND l.soort = ?"
            " ORDER BY r.id DESC", (levering["gemeentecode"], levering["periode"], levering["soort"]))
        return json.loads(row["bevindingen"]) if row else None

    def gemeente_name(self, gemeentecode: str) -> str:
        return gemeenten().get(gemeentecode, gemeentecode)

    def _place_report(self, data: dict) -> None:
        row = self.store.one("SELECT * FROM rapporten WHERE id = ?", (data["rapport_id"],))
        pdf = bytes(row["pdf"])
        self.journal.record(Entry("uit", "rinis", "rapport", pdf, "application/pdf",
                                  bestandsnaam=row["naam"], correlatie=row["ggk_referentie"]))
        answer = self.rinis.put(self.verzend, row["naam"], pdf)
        if answer.status not in (200, 201):  # 200: RINIS had it already (our answer was lost)
            raise RuntimeError(f"RINIS weigerde {row['naam']}: HTTP {answer.status} {answer.text}")
        self.store.execute("UPDATE rapporten SET geplaatst = ? WHERE id = ?",
                           (self.clock.now().isoformat(), row["id"]))

    # ---------------------------------------------------------------- queries

    def set_inwoners(self, body: Any) -> dict:
        """Figures for the SBO threshold, for a test (``PUT /_beheer/inwoners``)."""
        try:
            return self.inwoners.zet(body)
        except inwoners.InwonersRefused as exc:
            raise Refused(str(exc), fout="Inwonertallen niet aangenomen") from None

    def inwonertabel(self) -> dict:
        return self.inwoners.tabel()

    def status(self, gemeentecode: str | None = None, periode: str | None = None,
               soort: str | None = None) -> list[dict]:
        """Every levering matching the filters, newest first, with its status history."""
        return self.leveringen.overview(gemeentecode, periode, soort)

    def aanleveringen(self) -> list[dict]:
        """Every delivery fetched, oldest first, with the reports made on it."""
        rows = self.store.query("SELECT id, bestandsnaam, gemeentecode, ontvangen, correlatie"
                                " FROM aanleveringen ORDER BY id")
        result = []
        for row in rows:
            reports = self.store.query("SELECT id, soort, bestand, ggk_referentie, oordeel, naam, gemaakt,"
                                       " geplaatst FROM rapporten WHERE aanlevering_id = ?"
                                       " ORDER BY id", (row["id"],))
            result.append(dict(row) | {"rapporten": [dict(r) for r in reports]})
        return result


def _more_than_one_per_set(namen) -> str:
    """The sets and periods a ZIP holds more than one file of ('WMO H12016'), or ''."""
    delen = [parse_bestandsnaam(naam.rsplit("/", 1)[-1]) for naam in namen]
    geteld = Counter((d["soort"], d["code_uitvraag"]) for d in delen if d)
    return ", ".join(f"{soort} {periode}" for (soort, periode), n in sorted(geteld.items()) if n > 1)


def _at_nine(dag, voorbeeld: datetime) -> datetime:
    """09:00 on ``dag`` in the clock's time zone: when CBS sends a report due that day."""
    return datetime(dag.year, dag.month, dag.day, 9, 0, tzinfo=voorbeeld.tzinfo)


def _aanmaakdatum(inhoud: bytes) -> str | None:
    """"Aanmaakdatum bestand" of the first data row, when the file can be read that far."""
    try:
        lines = inhoud.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError:
        return None
    if len(lines) < 2:
        return None
    header, first = lines[0].split(";"), lines[1].split(";")
    if "Aanmaakdatum bestand" not in header:
        return None
    index = header.index("Aanmaakdatum bestand")
    value = first[index].strip() if index < len(first) else ""
    return value if value.isdigit() and len(value) == 14 else None


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)
