"""The GGk (Gemeentelijk Gegevensknooppunt, run by the Inlichtingenbureau): its rules, composed.

Transport only: the GGk never opens a gemeente's file or a CBS report. It takes an
upload, gives a reference number per CSV, keeps the upload metadata, and forwards
file and metadata to RINIS in GGk envelopes (Di01). Reports arriving from RINIS
(Du01/Di01) are put, as a ZIP, in the addressed gemeente's download area; a Fo01 becomes
an error report there. A gemeente only ever receives Fo01.

:class:`Ggk` owns one collaborator per job, each in its own module with public methods:
the upload desk (``uploads.py``), the download area (``downloads.py``), the opt-in desk
(``optin.py``), the samenwerkingsverbanden (``samenwerking.py``), users and mail
(``mail.py``), the link with RINIS (``rinis_link.py``) and the portal (``portaal/``).
Ggk itself wires them, routes what comes in from RINIS, and answers the JSON web service
(``views.py``) with one method per view. Every StUF message is built or read in
``messages.py``.

On a TLS chain (docs/beveiliging.md) the web service takes the gemeente from the caller's
certificate: a request for another gemeente is refused (403, and a line in the access log),
except that the uitvoerder of a samenwerkingsverband sees its members' uploads and download
areas (it delivers for them); its StUF endpoint takes messages only with RINIS's
certificate (``ACCESS``, and the receiver's ``sent_by``).

Where it differs from the real GGk: without TLS the web service trusts the gemeente and user
it is given (only the portal checks an eHerkenning login, simulated), no real e-mail (a mail
is a row in the ``mails`` outbox; a notification is also a call to the gemeente simulator,
and a line in ``meldingen``).
"""

from __future__ import annotations

import sqlite3

from .. import stuf
from ..auditlog import Auditlog
from ..beheer import defects as defecten
from ..gmsd.gemeenten import gemeenten
from ..identity import ANYONE, GEMEENTE, Identity
from ..party import Party, PartyConfig
from ..receiver import Receiver
from ..tijdlijn import Tijdlijn
from . import downloads, mail, messages, optin, uploads
from .common import AccessRefused, UploadRefused
from .downloads import DownloadArea
from .mail import Mail
from .optin import OptinDesk, OptinResult
from .portaal import backend as portaal
from .rinis_link import RinisLink
from .samenwerking import Samenwerkingsverband, Samenwerkingsverbanden
from .uploads import UploadDesk, UploadResult

FAULT_FO01 = "fo01_rinis"
"""The task soort of the Fo01 an armed ``fo01`` fault sends to RINIS."""


class Ggk(Party):
    name = "ggk"
    tasks_first = (downloads.TAAK,)  # tell a gemeente its report is there before forwarding the next file
    schema = uploads.SCHEMA + downloads.SCHEMA + optin.SCHEMA + mail.SCHEMA + portaal.SCHEMA
    ACCESS = (("/api/v1/uploads", GEMEENTE), ("/api/v1/gemeenten/", GEMEENTE),
              ("/stuf/", ANYONE), ("/portaal", ANYONE))
    """The web service is the gemeenten's; the StUF endpoint answers every certificate (the
    receiver refuses all but RINIS's with a Fo03); the portal has its own login."""

    def __init__(self, config: PartyConfig) -> None:
        super().__init__(config)
        options = config.options
        self.gemeenten = gemeenten()
        self.defecten = defecten.lees("ggk", options.get("defecten"))
        self.audit = Auditlog(self.store, self.clock, "portaal_audit")
        self.verbanden = Samenwerkingsverbanden(store=self.store, gemeenten=self.gemeenten,
                                                optie=options.get("samenwerkingsverbanden"))
        self.mail = Mail(store=self.store, clock=self.clock, tasks=self.tasks, gemeenten=self.gemeenten,
                         tijdlijn=lambda: self.tijdlijn, herinnering=options.get("herinnering_werkdagen", 3))
        self.rinis = RinisLink(courier=self.courier, clock=self.clock, url=self.url, outgoing=self.outgoing,
                               defecten=self.defecten)
        self.download_area = DownloadArea(
            store=self.store, clock=self.clock, tasks=self.tasks, courier=self.courier,
            gemeente_url=lambda: config.urls.get("gemeente"), mail_ready=self.mail.report_ready)
        self.upload_desk = UploadDesk(
            store=self.store, clock=self.clock, journal=self.journal, tasks=self.tasks,
            gemeenten=self.gemeenten, options=options, tijdlijn=lambda: self.tijdlijn,
            kalender=lambda: self.kalender, verbanden=self.verbanden, mail=self.mail,
            download_area=self.download_area, rinis=self.rinis)
        self.optin_desk = OptinDesk(
            store=self.store, clock=self.clock, journal=self.journal, tasks=self.tasks,
            gemeenten=self.gemeenten, tijdlijn=lambda: self.tijdlijn, defecten=self.defecten,
            verbanden=self.verbanden, download_area=self.download_area, rinis=self.rinis, audit=self.audit)
        self.portaal = portaal.Portaal(
            store=self.store, clock=self.clock, options=options, gemeenten=self.gemeenten, mail=self.mail,
            audit=self.audit, uploads=self.upload_desk, optins=self.optin_desk, downloads=self.download_area)
        self.receiver = Receiver(
            party="ggk", peer="rinis", store=self.store, journal=self.journal,
            clock_tijdstip=self.clock.stuf_tijdstip,
            handlers={"Du01": self._receive_report, "Di01": self._receive_report,
                      "Fo01": self._receive_fo01},
            known_zenders={"CBS", "RINIS"}, known_ontvangers=self.gemeenten, defecten=self.defecten,
            verstoring=self._verstoord, sent_by="rinis",
            on_refused=lambda identity, why: self.refuse(identity, "stuf", why),
        )

    def task_handlers(self):
        # called by Party.__init__, before the collaborators exist: each looks its own up when run
        return {uploads.TAAK: lambda data: self.upload_desk.forward(data["upload_id"]),
                downloads.TAAK: lambda data: self.download_area.notify(data["download_id"]),
                optin.TAAK: lambda data: self.optin_desk.send(data["optin_id"]),
                mail.TAAK: lambda data: self.mail.send_scheduled(data),
                FAULT_FO01: lambda data: self.rinis.send_fault_fo01(
                    data["zender"], data["referentienummer"], data["code"], data["functie"])}

    def task_expiry_handlers(self):
        return {uploads.TAAK: lambda data, melding: self.upload_desk.forward_expired(data["upload_id"],
                                                                                    melding)}

    def on_tijdlijn(self, tijdlijn: Tijdlijn, db: sqlite3.Connection) -> None:
        self.mail.plan(tijdlijn, db)

    def reset(self, settle: float = 2.0) -> bool:
        """The harness's reset empties the portal's audit log too (lifting its guard)."""
        self.audit.wis()
        return super().reset(settle)

    # ------------------------------------------------------- the web service

    def acting_for(self, identity: Identity | None, gemeentecode: str, actie: str, *,
                   members: bool = False) -> str:
        """The gemeente a web-service request is for. Without TLS (no ``identity``): the one
        named. On a TLS chain: the certificate's gemeente; naming another is refused (403, and
        an access-log line) unless ``members`` and the certificate's gemeente is the uitvoerder
        of that gemeente's samenwerkingsverband."""
        if identity is None:
            return gemeentecode
        eigen = identity.gemeentecode or ""
        if not gemeentecode or gemeentecode == eigen or (
                members and self.verbanden.may_act_for(eigen, gemeentecode)):
            return gemeentecode or eigen
        naam = self.gemeenten.get(gemeentecode)
        why = (f"het certificaat is van {identity.described}: u kunt niet {actie} voor gemeente "
               f"{gemeentecode}{f' ({naam})' if naam else ''}"
               + (" (alleen die gemeente zelf of de uitvoerder van haar samenwerkingsverband)" if members
                  else ""))
        self.refuse(identity, actie, why, "webservice", gemeentecode)
        raise AccessRefused(why)

    def upload(self, gemeentecode: str, gebruiker: str, files: list[tuple[str, bytes]],
               namens: str = "", herkomst: str = "webservice",
               identity: Identity | None = None) -> list[UploadResult]:
        """An upload through the web service; every one, taken or refused, is audited (000 ch.6:
        the GGk logs every upload and download for tracking and tracing). On a TLS chain the
        gemeente is the certificate's (an uitvoerder names a member in ``namens``, as without TLS)."""
        gemeentecode = self.acting_for(identity, gemeentecode, "aanleveren")
        namen = ", ".join(n for n, _ in files) or "(geen bestand)"
        wie = gebruiker.strip() or "onbekend"
        code = gemeentecode if gemeentecode in self.gemeenten else None
        try:
            results = self.upload_desk.upload(gemeentecode, gebruiker, files, namens)
        except UploadRefused as exc:
            self.audit.schrijf(wie, code, "upload", "geweigerd", f"{namen}: {exc}", herkomst)
            raise
        self.audit.schrijf(wie, code, "upload", "gelukt", "; ".join(
            f"{csv} {ref} voor {r.gemeentecode}" for r in results for csv, ref in r.referenties), herkomst)
        return results

    def uploads(self, gemeentecode: str, identity: Identity | None = None) -> list[dict]:
        gemeentecode = self.acting_for(identity, gemeentecode, "de aanleveringen inzien", members=True)
        return self.upload_desk.uploads(gemeentecode)

    def downloads(self, gemeentecode: str, after: int = 0, wait: float = 0.0,
                  identity: Identity | None = None) -> list[dict]:
        gemeentecode = self.acting_for(identity, gemeentecode, "het downloadgebied inzien", members=True)
        return self.download_area.listing(gemeentecode, after, wait)

    def download(self, gemeentecode: str, download_id: int, gebruiker: str = "",
                 herkomst: str = "webservice",
                 identity: Identity | None = None) -> tuple[str, bytes, str] | None:
        """One file of the download area through the web service; every fetch is audited with
        who fetched it (the area itself keeps only the first moment)."""
        gemeentecode = self.acting_for(identity, gemeentecode, "een bestand downloaden", members=True)
        found = self.download_area.fetch(gemeentecode, download_id)
        if found is not None:
            self.audit.schrijf(gebruiker.strip() or "onbekend", gemeentecode, "download", "gelukt",
                               f"{download_id} {found[0]}", herkomst)
        return found

    def optin(self, gemeentecode: str, body: object, identity: Identity | None = None) -> OptinResult:
        return self.optin_desk.optin(self.acting_for(identity, gemeentecode, "een opt-in indienen"), body)

    def optins(self, gemeentecode: str, identity: Identity | None = None) -> list[dict]:
        return self.optin_desk.optins(self.acting_for(identity, gemeentecode, "de opt-ins inzien"))

    def intrekken(self, gemeentecode: str, body: object, identity: Identity | None = None) -> OptinResult:
        return self.optin_desk.intrekken(self.acting_for(identity, gemeentecode, "een levering intrekken"),
                                         body)

    def register_gebruiker(self, gemeentecode: str, body: object, identity: Identity | None = None) -> dict:
        return self.mail.register_gebruiker(
            self.acting_for(identity, gemeentecode, "een gebruiker registreren"), body)

    def gebruikers(self, gemeentecode: str, identity: Identity | None = None) -> list[dict]:
        return self.mail.gebruikers(self.acting_for(identity, gemeentecode, "de gebruikers inzien"))

    def mails(self, aan: str | None = None) -> list[dict]:
        return self.mail.mails(aan)

    @property
    def samenwerkingsverbanden(self) -> tuple[Samenwerkingsverband, ...]:
        return self.verbanden.current()

    def set_samenwerkingsverbanden(self, raw: object) -> list[dict]:
        return self.verbanden.replace(raw)

    def samenwerking(self, gemeentecode: str, identity: Identity | None = None) -> dict:
        """What the other members of the gemeente's partnerships uploaded and fetched."""
        gemeentecode = self.acting_for(identity, gemeentecode, "het samenwerkingsverband inzien")
        verbanden = self.verbanden.of(gemeentecode)
        leden: list[dict] = []
        for verband in verbanden:
            for code in verband.gemeenten:
                if code == gemeentecode or any(lid["gemeentecode"] == code for lid in leden):
                    continue
                leden.append({
                    "gemeentecode": code, "naam": self.gemeenten.get(code, ""),
                    "samenwerkingsverband": verband.naam,
                    "rol": "uitvoerder" if code == verband.uitvoerder else "lid",
                    "uploads": self.upload_desk.seen_by_partners(code),
                    "downloads": self.download_area.fetched(code)})
        return {"gemeentecode": gemeentecode, "samenwerkingsverbanden": [v.naam for v in verbanden],
                "leden": leden}

    # -------------------------------------------------------------- from RINIS

    def receive(self, body: bytes, fo01: str | None = None,
                identity: Identity | None = None) -> tuple[bytes, int]:
        return self.receiver.receive(body, fo01, identity)

    def _verstoord(self, message, sg: stuf.Stuurgegevens, code: str, db) -> str | None:
        """An armed ``fo01`` fault: the report got its Bv03 and is now refused with a Fo01 to
        its sender, via RINIS; it does not reach the gemeente."""
        self.tasks.add(FAULT_FO01, {"referentienummer": sg.referentienummer, "code": code,
                                    "zender": [sg.zender.organisatie, sg.zender.applicatie],
                                    "functie": sg.functie or "onbekend"}, db)
        return None

    def _receive_report(self, message, sg: stuf.Stuurgegevens, db) -> str | None:
        """A report for a gemeente: into its download area as a ZIP. A Du01 answers an upload,
        so its crossRefnummer must name one."""
        naam, archive = messages.report_zip(message, self.clock.now())
        upload = self.upload_desk.answered_by(db, sg.crossRefnummer)
        if sg.berichtcode == "Du01" and upload is None:
            raise stuf.StufError("StUF043", f"Crossreferentienummer niet bekend: "
                                 f"{sg.crossRefnummer} hoort bij geen aanlevering")
        correlatie = upload["correlatie"] if upload is not None else None
        self.download_area.add(db, sg.ontvanger.organisatie, "rapport", naam, archive, "application/zip",
                               referentienummer=sg.referentienummer, crossRefnummer=sg.crossRefnummer,
                               correlatie=correlatie)
        return correlatie

    def _receive_fo01(self, message, sg: stuf.Stuurgegevens, db) -> str | None:
        """A refusal after the Bv03 (from RINIS, or from CBS via RINIS): the upload or opt-in it
        names is refused, and the Fo01 goes to the gemeente's download area."""
        melding, fo01 = messages.fo01_melding(message)
        upload = self.upload_desk.answered_by(db, sg.crossRefnummer)
        optin_row = (None if upload is not None else
                     self.optin_desk.refused_later(db, sg.crossRefnummer, melding, sg.zender.organisatie))
        if upload is not None:
            self.upload_desk.refuse(db, upload["id"], melding)
        correlatie = (upload["correlatie"] if upload is not None
                      else optin_row["referentie"] if optin_row is not None else None)
        self.download_area.add(db, sg.ontvanger.organisatie, "foutrapport",
                               f"Fo01_{correlatie or sg.referentienummer}.xml", fo01, "application/xml",
                               referentienummer=sg.referentienummer, crossRefnummer=sg.crossRefnummer,
                               correlatie=correlatie)
        # an opt-in's journal correlatie is its file name, as at RINIS and CBS
        return optin_row["bestandsnaam"] if optin_row is not None else correlatie


__all__ = ["Ggk", "UploadRefused", "UploadResult"]
