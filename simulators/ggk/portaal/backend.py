"""The portal's decisions (no Flask): who may log in at which eHerkenning level, who may
open which page (a live session, the CSRF token of a form, the CBS or administrator role),
who may grant the CBS role, and what each action of a person does and writes in the audit
log. The pages (``views.py``) parse a form, call one method here and render.

The actions call the same desks as the JSON web service (:class:`~..uploads.UploadDesk`,
:class:`~..optin.OptinDesk`, :class:`~..downloads.DownloadArea`), so the portal is a
second face of one GGk, not a second GGk. Every action and every refusal of a person goes
to the append-only audit log ``portaal_audit`` (``simulators.auditlog``): triggers refuse
every UPDATE, and every DELETE except the harness's reset.

Roles: ``portaal_rollen`` holds what the administrator granted or revoked; without a row an
identity has its default (``identities.PERSONAS``).

Where it differs from the real GGk: eHerkenning is simulated (``identities.py``): the
login page reports the identity and level a broker would.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from ... import auditlog
from ...clock import Clock
from ...store import Store
from ..common import Refused, periode_tekst
from ..downloads import DownloadArea
from ..mail import Mail
from ..optin import OptinDesk
from ..uploads import UploadDesk
from . import sessions
from .identities import CBS_ROL, MINIMUM_NIVEAU, NIVEAUS, PERSONAS, Identities, Identity, meets_minimum
from .sessions import Session, Sessions

SCHEMA = sessions.SCHEMA + """
CREATE TABLE IF NOT EXISTS portaal_rollen (
    gemeentecode TEXT NOT NULL,
    identiteit TEXT NOT NULL,
    rol TEXT NOT NULL,
    toegekend INTEGER NOT NULL,                -- 1 granted, 0 revoked
    door TEXT NOT NULL,
    tijdstip TEXT NOT NULL,
    PRIMARY KEY (gemeentecode, identiteit, rol)
);
""" + auditlog.schema("portaal_audit")

BEHEERDER = "beheerder"
"""The role of a page only the gemeente's user-administrator opens."""


@dataclass(frozen=True)
class Origin:
    """Where a person's request came from (``herkomst``, for the audit log) and what it asked
    (``waar``: method and path, named in the audit line of a refusal)."""

    herkomst: str
    waar: str


@dataclass(frozen=True)
class Login:
    token: str
    volgende: str    # the portal page asked for before the login, '' for the start page
    startpagina: str  # cbs or rollen


class PortaalRefused(Refused):
    """The portal refuses a person: a page says why (the audit line is written). ``terug``:
    the page links back to the login; ``opnieuw``: to a fresh login, then to that page."""

    fout = "Niet toegestaan"

    def __init__(self, melding: str, status: int = 403, *, sessie: Session | None = None,
                 terug: bool = False, opnieuw: str = "") -> None:
        super().__init__(melding, status)
        self.sessie, self.terug, self.opnieuw = sessie, terug, opnieuw


class NotLoggedInError(Exception):
    """No live session: the person logs in (again). ``reden``: inactief, maximale duur, or
    nodig (there was none)."""

    def __init__(self, reden: str) -> None:
        super().__init__(reden)
        self.reden = reden


class Portaal:
    """Logins, access, roles and the actions of the GGk portal."""

    def __init__(self, *, store: Store, clock: Clock, options: Mapping[str, Any],
                 gemeenten: Mapping[str, str], mail: Mail, audit: auditlog.Auditlog, uploads: UploadDesk,
                 optins: OptinDesk, downloads: DownloadArea) -> None:
        self.store, self.clock, self.gemeenten, self.audit = store, clock, gemeenten, audit
        self.uploads, self.optins, self.downloads = uploads, optins, downloads
        self.identities = Identities(gemeenten, mail.gebruikers)
        self.sessions = Sessions(store=store, clock=clock, options=options, audit=audit,
                                 identity=self.identities.get)

    # ---------------------------------------------------------- login, access

    def login_form(self) -> dict[str, Any]:
        """What the login page (the simulated eHerkenning broker) offers."""
        return {"gemeenten": sorted(self.gemeenten.items(), key=lambda g: g[1]), "personas": PERSONAS,
                "geregistreerd": self.identities.registered(), "niveaus": NIVEAUS,
                "minimum": MINIMUM_NIVEAU}

    def login(self, gemeentecode: str, persoon: str, niveau: str, csrf: tuple[str, str], vorige: str | None,
              volgende: str, origin: Origin) -> Login:
        """Log in with a mandate for ``gemeentecode`` at level ``niveau`` (EH3 or higher);
        ``csrf``: the form's token and the login cookie's; ``vorige``: the token of a session
        this login ends. Refused: no mandate, too low a level, or a stale form."""
        if not secrets.compare_digest(*csrf):
            self._refuse(None, "inloggen", "Het inlogformulier is verlopen (CSRF-controle); open de "
                         "inlogpagina opnieuw.", origin, 400, terug=True)
        identiteit = self.identities.for_login(gemeentecode, persoon)
        if identiteit is None:
            self.audit.schrijf(f"{gemeentecode}:{persoon}", gemeentecode or None, "inloggen", "geweigerd",
                               "geen machtiging", origin.herkomst)
            raise PortaalRefused(f"eHerkenning: deze persoon heeft geen machtiging voor gemeente "
                                 f"{gemeentecode or '(geen)'}.", terug=True)
        if not meets_minimum(niveau):
            self.audit.schrijf(identiteit.sleutel, gemeentecode, "inloggen", "geweigerd",
                               f"betrouwbaarheidsniveau {niveau or '(geen)'}; minimaal {MINIMUM_NIVEAU}",
                               origin.herkomst)
            raise PortaalRefused(
                f"U logde in met eHerkenning-niveau {niveau or '(geen)'}. Het GGk-portaal vraagt "
                f"betrouwbaarheidsniveau {MINIMUM_NIVEAU} of hoger, omdat u hier gegevens over personen "
                f"aanlevert. Log opnieuw in met een eHerkenningsmiddel van niveau {MINIMUM_NIVEAU} of EH4.",
                terug=True)
        token = self.sessions.start(identiteit, niveau, vorige)
        self.audit.schrijf(identiteit.sleutel, gemeentecode, "inloggen", "gelukt", f"niveau {niveau}",
                           origin.herkomst)
        veilig = volgende.startswith("/portaal/") and "//" not in volgende
        start = "cbs" if self.has_cbs_role(identiteit) or not identiteit.beheerder else "rollen"
        return Login(token, volgende if veilig else "", start)

    def current(self, token: str | None, herkomst: str) -> Session | None:
        """The live session of this cookie's token, if any."""
        return self.sessions.find(token, herkomst)[0]

    def enter(self, token: str | None, rol: str | None, csrf: str | None, origin: Origin) -> Session:
        """The session a page is opened in. ``rol``: ``cbs`` (the CBS role), ``beheerder`` (the
        user-administrator) or None (anyone logged in); ``csrf``: a form's token (None for a
        GET). Raises NotLoggedInError, or PortaalRefused for a stale form or a missing role."""
        sessie, reden = self.sessions.find(token, origin.herkomst)
        if sessie is None:
            raise NotLoggedInError(reden or "nodig")
        if csrf is not None and not secrets.compare_digest(csrf, sessie.csrf):
            self._refuse(sessie, "csrf", "Het formulier is verlopen of komt niet van het portaal "
                         "(CSRF-controle); open de pagina opnieuw.", origin, 400)
        if rol == CBS_ROL and not self.has_cbs_role(sessie.identiteit):
            self._refuse(sessie, "toegang", "U heeft de CBS-rol niet. Vraag de gebruikersbeheerder "
                         "van uw gemeente om u deze rol toe te kennen.", origin)
        if rol == BEHEERDER and not sessie.identiteit.beheerder:
            self._refuse(sessie, "toegang", "Alleen de gebruikersbeheerder van uw gemeente kan rollen "
                         "toekennen en intrekken.", origin)
        return sessie

    def logout(self, sessie: Session, origin: Origin) -> None:
        self.sessions.end(sessie)
        self._audit(sessie, origin, "uitloggen", "gelukt")

    def header(self, sessie: Session) -> dict[str, Any]:
        """What every page of a logged-in person shows; the one-time message is taken."""
        return {"sessie": sessie, "ik": sessie.identiteit,
                "gemeentenaam": self.gemeenten.get(sessie.identiteit.gemeentecode, ""),
                "cbs_rol": self.has_cbs_role(sessie.identiteit), "csrf": sessie.csrf,
                "bericht": self.sessions.take_message(sessie)}

    # ----------------------------------------------------------------- roles

    def has_cbs_role(self, identiteit: Identity) -> bool:
        row = self.store.one("SELECT toegekend FROM portaal_rollen WHERE gemeentecode = ? AND identiteit = ?"
                             " AND rol = 'cbs'", (identiteit.gemeentecode, identiteit.sleutel))
        return bool(row["toegekend"]) if row is not None else identiteit.cbs_standaard

    def roles(self, sessie: Session) -> list[tuple[Identity, bool]]:
        """The people of the administrator's gemeente, each with whether they have the CBS role."""
        return [(i, self.has_cbs_role(i)) for i in self.identities.of(sessie.identiteit.gemeentecode)]

    def set_cbs_role(self, sessie: Session, sleutel: str, toekennen: bool, origin: Origin) -> None:
        """The administrator grants or revokes the CBS role of a person of the own gemeente."""
        door = sessie.identiteit
        doel = self.identities.get(sleutel)
        if not door.beheerder or doel is None or doel.gemeentecode != door.gemeentecode:
            self._refuse(sessie, "rol", f"'{sleutel}' is geen gebruiker van uw gemeente; u beheert alleen de "
                         "rollen van uw eigen gemeente.", origin)
        self.store.execute("INSERT OR REPLACE INTO portaal_rollen VALUES (?,?,?,?,?,?)",
                           (doel.gemeentecode, doel.sleutel, "cbs", int(toekennen), door.sleutel,
                            self.clock.now().isoformat()))
        wat = "toegekend aan" if toekennen else "ingetrokken bij"
        self._audit(sessie, origin, "rol toekennen" if toekennen else "rol intrekken", "gelukt",
                    f"CBS-rol {doel.sleutel}")
        self._message(sessie, "ok", f"De CBS-rol is {wat} {doel.naam}.")

    # --------------------------------------------------------------- actions

    def upload(self, sessie: Session, files: list[tuple[str, bytes]], namens: str, origin: Origin) -> None:
        """Upload for the person's gemeente (or, as uitvoerder, for a member: ``namens``)."""
        ik = sessie.identiteit
        namen = ", ".join(n for n, _ in files) or "(geen bestand)"
        try:
            results = self.uploads.upload(ik.gemeentecode, ik.email, files, namens=namens)
        except Refused as exc:
            self._audit(sessie, origin, "upload", "geweigerd",
                        f"{namen}: {exc}" + (f" (namens {namens})" if namens else ""))
            self._message(sessie, "fout", f"Upload geweigerd: {exc}")
            return
        referenties = [{"bestand": csv, "referentie": ref, "gemeente": r.gemeentecode, "te_laat": r.te_laat}
                       for r in results for csv, ref in r.referenties]
        self._audit(sessie, origin, "upload", "gelukt", "; ".join(
            f"{r['bestand']} {r['referentie']} voor {r['gemeente']}" for r in referenties))
        self._message(sessie, "ok", "Uw upload is ontvangen. Het GGk stuurt de bestanden door naar het CBS.",
                      referenties=referenties)

    def download(self, sessie: Session, download_id: int, origin: Origin) -> tuple[str, bytes, str]:
        """(name, content, content type) of a file of the person's own gemeente."""
        code = sessie.identiteit.gemeentecode
        owner = self.downloads.owner(download_id)
        if owner is None:
            self._refuse(sessie, "download", f"Download {download_id} bestaat niet.", origin, 404)
        if owner != code:
            self._refuse(sessie, "download", f"Download {download_id} hoort niet bij uw gemeente; u ziet "
                         "alleen de bestanden van uw eigen gemeente.", origin)
        naam, data, content_type = self.downloads.fetch(code, download_id)
        self._audit(sessie, origin, "download", "gelukt", f"{download_id} {naam}")
        return naam, data, content_type

    def optin(self, sessie: Session, periode: str, besluiten: dict[str, str], origin: Origin) -> None:
        """Decide per set for one period; needs a fresh login."""
        self._require_fresh(sessie, "optin", origin)
        ik = sessie.identiteit
        try:
            result = self.optins.optin(ik.gemeentecode, {"gebruiker": ik.email, "naam": ik.naam,
                                                         "telefoon": ik.telefoon, "periode": periode,
                                                         "besluiten": besluiten})
        except Refused as exc:
            self._audit(sessie, origin, "optin", "geweigerd", f"{periode} {besluiten}: {exc}")
            self._message(sessie, "fout", f"Opt-in geweigerd: {exc}")
            return
        self._audit(sessie, origin, "optin", "gelukt",
                    f"{periode} {besluiten}; referentie {result.referentie}")
        self._message(sessie, "ok", f"Uw besluit voor {periode_tekst(periode)} is ontvangen, met uw "
                      "certificaat ondertekend, en gaat naar het CBS.",
                      referenties=[{"bestand": result.bestandsnaam, "referentie": result.referentie}])

    def intrekken(self, sessie: Session, periode: str, soorten: list[str],
                  alleen_correctie: bool = False) -> bool:
        """Step 1 of 2 of a withdrawal: remember what is to be withdrawn (the whole delivery, or
        only its correction: seed 004); False (and a message) when no set was chosen."""
        if not soorten:
            self._message(sessie, "fout", "Kies ten minste één set (Wmo, Jeugd of SBO) om in te trekken.")
            return False
        wacht: dict[str, Any] = {"periode": periode, "soorten": soorten}
        if alleen_correctie:
            wacht["alleen_correctie"] = True
        self.sessions.set_pending(sessie, wacht)
        return True

    def reactie(self, sessie: Session, rapport: str, conclusie: str, toelichting: str,
                origin: Origin) -> None:
        """The gemeente's response to a spiegelrapport: akkoord, or a terugmelding with its text."""
        ik = sessie.identiteit
        try:
            result = self.optins.reactie(ik.gemeentecode, {
                "gebruiker": ik.email, "naam": ik.naam, "telefoon": ik.telefoon, "rapport": rapport,
                "conclusie": conclusie, "toelichting": toelichting})
        except Refused as exc:
            self._audit(sessie, origin, "reactie", "geweigerd", f"{rapport} {conclusie}: {exc}")
            self._message(sessie, "fout", f"Reactie geweigerd: {exc}")
            return
        self._audit(sessie, origin, "reactie", "gelukt",
                    f"{rapport} {conclusie}; referentie {result.referentie}")
        wat = "Uw akkoord" if conclusie == "akkoord" else "Uw terugmelding"
        self._message(sessie, "ok", f"{wat} op {rapport} is ontvangen, met uw certificaat ondertekend, en "
                      "gaat naar het CBS.",
                      referenties=[{"bestand": result.bestandsnaam, "referentie": result.referentie}])

    def intrekking_pending(self, sessie: Session) -> dict | None:
        """The withdrawal waiting for confirmation, if any."""
        return self.sessions.pending(sessie) or None

    def intrekken_bevestigen(self, sessie: Session, bevestig: bool, origin: Origin) -> None:
        """Step 2 of 2: withdraw (needs a fresh login) or cancel."""
        wacht = self.sessions.pending(sessie)
        if not wacht:
            return
        if not bevestig:
            self.sessions.set_pending(sessie, {})
            self._audit(sessie, origin, "intrekken", "geannuleerd", f"{wacht['periode']} {wacht['soorten']}")
            self._message(sessie, "ok", "U heeft niets ingetrokken.")
            return
        self._require_fresh(sessie, "intrekken", origin)
        self.sessions.set_pending(sessie, {})
        ik = sessie.identiteit
        try:
            result = self.optins.intrekken(ik.gemeentecode, {"gebruiker": ik.email, "naam": ik.naam,
                                                             "telefoon": ik.telefoon} | wacht)
        except Refused as exc:
            self._audit(sessie, origin, "intrekken", "geweigerd",
                        f"{wacht['periode']} {wacht['soorten']}: {exc}")
            self._message(sessie, "fout", f"Intrekken geweigerd: {exc}")
            return
        self._audit(sessie, origin, "intrekken", "gelukt",
                    f"{wacht['periode']} {wacht['soorten']}; referentie {result.referentie}")
        self._message(sessie, "ok", f"De levering over {periode_tekst(wacht['periode'])} is ingetrokken "
                      f"({', '.join(wacht['soorten'])}); de intrekking is met uw certificaat ondertekend.",
                      referenties=[{"bestand": result.bestandsnaam, "referentie": result.referentie}])

    # ---------------------------------------------------------------- helpers

    def _require_fresh(self, sessie: Session, actie: str, origin: Origin) -> None:
        """An opt-in or a withdrawal needs a recent login; a stale one is refused."""
        if self.sessions.fresh(sessie):
            return
        self._refuse(sessie, actie, f"Voor dit besluit moet u kort tevoren hebben ingelogd (niet langer "
                     f"dan {self.sessions.fresh_minutes()} minuten geleden); u logde in om "
                     f"{sessie.ingelogd:%H:%M}. Log opnieuw in en dien het formulier dan opnieuw in.", origin,
                     opnieuw=actie)

    def _refuse(self, sessie: Session | None, actie: str, melding: str, origin: Origin, status: int = 403,
                *, terug: bool = False, opnieuw: str = "") -> NoReturn:
        """A refusal: an audit line naming the request, then PortaalRefused for the page."""
        self._audit(sessie, origin, actie, "geweigerd", f"{melding} ({origin.waar})")
        raise PortaalRefused(melding, status, sessie=sessie, terug=terug, opnieuw=opnieuw)

    def _audit(self, sessie: Session | None, origin: Origin, actie: str, resultaat: str,
               details: str = "") -> None:
        self.audit.schrijf(sessie.identiteit.sleutel if sessie else "onbekend",
                           sessie.identiteit.gemeentecode if sessie else None,
                           actie, resultaat, details, origin.herkomst)

    def _message(self, sessie: Session, soort: str, tekst: str, **extra: Any) -> None:
        self.sessions.set_message(sessie, {"soort": soort, "tekst": tekst} | extra)
