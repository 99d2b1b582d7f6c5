"""The portal's pages: server-rendered HTML (Jinja, plain CSS, no JavaScript), Dutch.

Every form is POST-redirect-GET with a CSRF token; every action and every refusal goes
to the audit log. A view finds the user in the session, never in the request: the
gemeente is the one the identity holds a mandate for. The actions call the backend
methods the JSON web service calls (``upload``, ``optin``, ``intrekken``, ``download``).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, make_response, redirect, render_template, request, url_for

from ...party import party_of
from ..common import Refused, dag, periode_tekst
from ..optin import SETS
from . import weergave
from .identiteiten import CBS_ROL, GEBRUIKER, MINIMUM_NIVEAU, NIVEAUS, PERSONAS, niveau_voldoet
from .regels import Sessie

bp = Blueprint("portaal", __name__, template_folder="templates")

COOKIE = "ggk_portaal"
LOGIN_CSRF = "ggk_portaal_inlog"
ENDPOINTS = {
    "portaal": "GET / en /portaal/inloggen (eHerkenning-simulatie), /portaal/cbs, /portaal/upload, "
               "/portaal/downloads, /portaal/optin, /portaal/intrekken, /portaal/rollen (docs/portaal.md)",
    "audit": "GET /_beheer/audit?gemeente=<code>&actie=<actie>&na=<id> (auditlog van het portaal)",
}
MELDINGEN = {"uitgelogd": "U bent uitgelogd.",
             "inactief": "Uw sessie is verlopen omdat u te lang niets deed. Log opnieuw in.",
             "maximale duur": "Uw sessie is verlopen: u was al te lang ingelogd. Log opnieuw in.",
             "nodig": "Log in met eHerkenning om het GGk-portaal te gebruiken."}


def _herkomst() -> str:
    return request.remote_addr or "onbekend"


def _audit(sessie: Sessie | None, actie: str, resultaat: str, details: str = "", *,
           wie: str = "", gemeente: str | None = None) -> None:
    party_of().audit(wie or (sessie.identiteit.sleutel if sessie else "onbekend"),
                     gemeente if sessie is None else sessie.identiteit.gemeentecode,
                     actie, resultaat, details, _herkomst())


def _pagina(template: str, sessie: Sessie | None, status: int = 200, **context) -> Response:
    party = party_of()
    if sessie is not None:
        context |= {"sessie": sessie, "ik": sessie.identiteit,
                    "gemeentenaam": party.gemeenten.get(sessie.identiteit.gemeentecode, ""),
                    "cbs_rol": party.heeft_cbs_rol(sessie.identiteit), "csrf": sessie.csrf,
                    "bericht": party.sessie_gegeven(sessie, "bericht", neem=True)}
    context.setdefault("klok", party.clock.peek())
    response = make_response(render_template(f"portaal/{template}", **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _weiger(sessie: Sessie | None, actie: str, melding: str, status: int = 403, **extra) -> Response:
    """A refusal: an audit line and a page that says why, in Dutch."""
    _audit(sessie, actie, "geweigerd", f"{melding} ({request.method} {request.path})")
    return _pagina("geweigerd.html", sessie, status, melding=melding, **extra)


def _bericht(sessie: Sessie, soort: str, tekst: str, **extra) -> None:
    party_of().sessie_gegeven(sessie, "bericht", {"soort": soort, "tekst": tekst} | extra)


def portaal(rol: str | None = CBS_ROL) -> Callable:
    """A page behind the login: a live session, on a POST its CSRF token, and the role
    (``cbs``: the CBS role; ``beheerder``: the gemeente's user-administrator; None: any)."""
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            party = party_of()
            sessie, reden = party.sessie(request.cookies.get(COOKIE), _herkomst())
            if sessie is None:
                volgende = request.path if request.method == "GET" else url_for("portaal.cbs")
                return redirect(url_for("portaal.inloggen", melding=reden or "nodig", volgende=volgende))
            if request.method == "POST" and not secrets.compare_digest(
                    request.form.get("csrf", ""), sessie.csrf):
                return _weiger(sessie, "csrf", "Het formulier is verlopen of komt niet van het portaal "
                               "(CSRF-controle); open de pagina opnieuw.", 400)
            if rol == CBS_ROL and not party.heeft_cbs_rol(sessie.identiteit):
                return _weiger(sessie, "toegang", "U heeft de CBS-rol niet. Vraag de gebruikersbeheerder "
                               "van uw gemeente om u deze rol toe te kennen.")
            if rol == "beheerder" and not sessie.identiteit.beheerder:
                return _weiger(sessie, "toegang", "Alleen de gebruikersbeheerder van uw gemeente kan rollen "
                               "toekennen en intrekken.")
            return view(sessie, *args, **kwargs)
        return wrapped
    return decorate


def _opnieuw_inloggen(sessie: Sessie, volgende: str) -> str:
    persoon = sessie.identiteit.sleutel.split(":", 1)[1]
    return url_for("portaal.inloggen") + "?" + urlencode(
        {"gemeente": sessie.identiteit.gemeentecode, "persoon": persoon, "volgende": volgende})


# ---------------------------------------------------------------- login, logout


@bp.get("/")
def voordeur():
    """Whoever opens the GGk's address in a browser lands at the portal (its login)."""
    return redirect(url_for("portaal.start"))


@bp.get("/portaal/")
@bp.get("/portaal")
def start():
    sessie, _reden = party_of().sessie(request.cookies.get(COOKIE), _herkomst())
    return redirect(url_for("portaal.cbs" if sessie else "portaal.inloggen"))


@bp.get("/portaal/inloggen")
def inloggen():
    """The page that plays the eHerkenning broker: pick an identity and a level."""
    party = party_of()
    token = secrets.token_urlsafe(24)
    response = _pagina(
        "inloggen.html", None, gemeenten=sorted(party.gemeenten.items(), key=lambda g: g[1]),
        personas=PERSONAS, geregistreerd=party.identiteiten(None), niveaus=NIVEAUS, minimum=MINIMUM_NIVEAU,
        gekozen_gemeente=request.args.get("gemeente", ""), gekozen_persoon=request.args.get("persoon", ""),
        volgende=request.args.get("volgende", ""), melding=MELDINGEN.get(request.args.get("melding", ""), ""),
        login_csrf=token)
    response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="Lax", path="/portaal")
    return response


@bp.post("/portaal/inloggen")
def inloggen_post():
    party = party_of()
    gemeentecode = request.form.get("gemeente", "").strip()
    persoon = request.form.get("persoon", "").strip()
    niveau = request.form.get("niveau", "").strip()
    wie = f"{gemeentecode}:{persoon}"
    if not secrets.compare_digest(request.form.get("csrf", ""), request.cookies.get(LOGIN_CSRF, "")):
        return _weiger(None, "inloggen", "Het inlogformulier is verlopen (CSRF-controle); open de "
                       "inlogpagina opnieuw.", 400, terug=url_for("portaal.inloggen"))
    identiteit = party.identiteit_voor(gemeentecode, persoon)
    if identiteit is None:
        party.audit(wie, gemeentecode or None, "inloggen", "geweigerd", "geen machtiging", _herkomst())
        return _pagina("geweigerd.html", None, 403, terug=url_for("portaal.inloggen"), melding=(
            f"eHerkenning: deze persoon heeft geen machtiging voor gemeente {gemeentecode or '(geen)'}."))
    if not niveau_voldoet(niveau):
        party.audit(identiteit.sleutel, gemeentecode, "inloggen", "geweigerd",
                    f"betrouwbaarheidsniveau {niveau or '(geen)'}; minimaal {MINIMUM_NIVEAU}", _herkomst())
        return _pagina("geweigerd.html", None, 403, terug=url_for("portaal.inloggen"), melding=(
            f"U logde in met eHerkenning-niveau {niveau or '(geen)'}. Het GGk-portaal vraagt "
            f"betrouwbaarheidsniveau {MINIMUM_NIVEAU} of hoger, omdat u hier gegevens over personen "
            f"aanlevert. Log opnieuw in met een eHerkenningsmiddel van niveau {MINIMUM_NIVEAU} of EH4."))
    token = party.start_sessie(identiteit, niveau, request.cookies.get(COOKIE))
    party.audit(identiteit.sleutel, gemeentecode, "inloggen", "gelukt", f"niveau {niveau}", _herkomst())
    volgende = request.form.get("volgende", "")
    doel = volgende if volgende.startswith("/portaal/") and "//" not in volgende else (
        url_for("portaal.cbs") if party.heeft_cbs_rol(identiteit) or not identiteit.beheerder
        else url_for("portaal.rollen"))
    response = redirect(doel)
    response.set_cookie(COOKIE, token, httponly=True, samesite="Lax", path="/")
    response.delete_cookie(LOGIN_CSRF, path="/portaal")
    return response


@bp.post("/portaal/uitloggen")
@portaal(rol=None)
def uitloggen(sessie: Sessie):
    party_of().beeindig_sessie(sessie)
    _audit(sessie, "uitloggen", "gelukt")
    response = redirect(url_for("portaal.inloggen", melding="uitgelogd"))
    response.delete_cookie(COOKIE, path="/")
    return response


# ------------------------------------------------------------------- the CBS tab


@bp.get("/portaal/cbs")
@portaal()
def cbs(sessie: Sessie):
    party = party_of()
    code = sessie.identiteit.gemeentecode
    vandaag = party.clock.peek().date()
    meldingen = party.store.query("SELECT tekst, tijdstip FROM meldingen WHERE gemeentecode = ?"
                                  " ORDER BY id DESC LIMIT 20", (code,))
    return _pagina("cbs.html", sessie, tijdlijn=party.tijdlijn,
                   perioden=weergave.leverperioden(party, vandaag),
                   twee=weergave.twee_perioden(party, vandaag), meldingen=[dict(m) for m in meldingen],
                   periode_tekst=periode_tekst, vandaag=dag(vandaag))


@bp.get("/portaal/upload")
@portaal()
def upload(sessie: Sessie):
    party = party_of()
    code = sessie.identiteit.gemeentecode
    gemeente = party.config.urls.get("gemeente")  # the simulator's test-file page, when the GGk knows it
    return _pagina("upload.html", sessie, namens=weergave.namens_keuzes(party, code),
                   uploads=list(reversed(party.uploads(code)))[:20],
                   testbestanden=f"{gemeente.rstrip('/')}/testbestanden" if gemeente else "")


@bp.post("/portaal/upload")
@portaal()
def upload_post(sessie: Sessie):
    party = party_of()
    ik = sessie.identiteit
    files = [(f.filename or "", f.read()) for f in request.files.getlist("bestand") if f.filename]
    namens = request.form.get("namens", "")
    namen = ", ".join(n for n, _ in files) or "(geen bestand)"
    try:
        results = party.upload(ik.gemeentecode, ik.email, files, namens=namens)
    except Refused as exc:
        _audit(sessie, "upload", "geweigerd", f"{namen}: {exc}" + (f" (namens {namens})" if namens else ""))
        _bericht(sessie, "fout", f"Upload geweigerd: {exc}")
        return redirect(url_for("portaal.upload"))
    referenties = [{"bestand": csv, "referentie": ref, "gemeente": r.gemeentecode, "te_laat": r.te_laat}
                   for r in results for csv, ref in r.referenties]
    _audit(sessie, "upload", "gelukt", "; ".join(f"{r['bestand']} {r['referentie']} voor {r['gemeente']}"
                                                 for r in referenties))
    _bericht(sessie, "ok", "Uw upload is ontvangen. Het GGk stuurt de bestanden door naar het CBS.",
             referenties=referenties)
    return redirect(url_for("portaal.upload"))


@bp.get("/portaal/downloads")
@portaal()
def downloads(sessie: Sessie):
    party = party_of()
    code = sessie.identiteit.gemeentecode
    return _pagina("downloads.html", sessie, items=list(reversed(party.downloads(code))),
                   samenwerking=party.samenwerking(code))


@bp.get("/portaal/downloads/<int:download_id>")
@portaal()
def download(sessie: Sessie, download_id: int):
    party = party_of()
    code = sessie.identiteit.gemeentecode
    row = party.store.one("SELECT gemeentecode FROM downloads WHERE id = ?", (download_id,))
    if row is None:
        return _weiger(sessie, "download", f"Download {download_id} bestaat niet.", 404)
    if row["gemeentecode"] != code:
        return _weiger(sessie, "download", f"Download {download_id} hoort niet bij uw gemeente; u ziet "
                       "alleen de bestanden van uw eigen gemeente.")
    naam, data, content_type = party.download(code, download_id)
    _audit(sessie, "download", "gelukt", f"{download_id} {naam}")
    return Response(data, content_type=content_type, headers={
        "Content-Disposition": f'attachment; filename="{naam}"', "Cache-Control": "no-store"})


# -------------------------------------------------------------- opt-in, intrekken


@bp.get("/portaal/optin")
@portaal()
def optin(sessie: Sessie):
    party = party_of()
    vers_minuten = int(party.portaal_limieten()[2].total_seconds() // 60)
    return _pagina("optin.html", sessie, sets=SETS, vers=party.login_vers(sessie), vers_minuten=vers_minuten,
                   formulieren=weergave.optin_formulieren(party, sessie.identiteit.gemeentecode,
                                                          party.clock.peek().date()),
                   opnieuw=_opnieuw_inloggen(sessie, url_for("portaal.optin")))


def _niet_vers(sessie: Sessie, actie: str, terug: str) -> Response | None:
    party = party_of()
    if party.login_vers(sessie):
        return None
    minuten = int(party.portaal_limieten()[2].total_seconds() // 60)
    return _weiger(sessie, actie, f"Voor dit besluit moet u kort tevoren hebben ingelogd (niet langer dan "
                   f"{minuten} minuten geleden); u logde in om {sessie.ingelogd:%H:%M}. Log opnieuw in en "
                   "dien het formulier dan opnieuw in.", opnieuw=_opnieuw_inloggen(sessie, terug))


@bp.post("/portaal/optin")
@portaal()
def optin_post(sessie: Sessie):
    weigering = _niet_vers(sessie, "optin", url_for("portaal.optin"))
    if weigering is not None:
        return weigering
    ik = sessie.identiteit
    periode = request.form.get("periode", "")
    besluiten = {s: request.form[f"besluit_{s}"] for s in SETS if request.form.get(f"besluit_{s}")}
    try:
        result = party_of().optin(ik.gemeentecode, {"gebruiker": ik.email, "naam": ik.naam,
                                                    "telefoon": ik.telefoon, "periode": periode,
                                                    "besluiten": besluiten})
    except Refused as exc:
        _audit(sessie, "optin", "geweigerd", f"{periode} {besluiten}: {exc}")
        _bericht(sessie, "fout", f"Opt-in geweigerd: {exc}")
        return redirect(url_for("portaal.optin"))
    _audit(sessie, "optin", "gelukt", f"{periode} {besluiten}; referentie {result.referentie}")
    _bericht(sessie, "ok", f"Uw besluit voor {periode_tekst(periode)} is ontvangen, met uw certificaat "
             "ondertekend, en gaat naar het CBS.",
             referenties=[{"bestand": result.bestandsnaam, "referentie": result.referentie}])
    return redirect(url_for("portaal.optin"))


@bp.get("/portaal/intrekken")
@portaal()
def intrekken(sessie: Sessie):
    party = party_of()
    return _pagina("intrekken.html", sessie, sets=SETS, formulieren=weergave.intrekken_formulieren(
        party, sessie.identiteit.gemeentecode, party.clock.peek().date()))


@bp.post("/portaal/intrekken")
@portaal()
def intrekken_post(sessie: Sessie):
    """Step 1 of 2: remember what is to be withdrawn and ask for confirmation."""
    periode = request.form.get("periode", "")
    soorten = [s for s in SETS if s in request.form.getlist("soort")]
    if not soorten:
        _bericht(sessie, "fout", "Kies ten minste één set (Wmo, Jeugd of SBO) om in te trekken.")
        return redirect(url_for("portaal.intrekken"))
    party_of().sessie_gegeven(sessie, "wacht", {"periode": periode, "soorten": soorten})
    return redirect(url_for("portaal.intrekken_bevestigen"))


@bp.get("/portaal/intrekken/bevestigen")
@portaal()
def intrekken_bevestigen(sessie: Sessie):
    wacht = party_of().sessie_gegeven(sessie, "wacht")
    if not wacht:
        return redirect(url_for("portaal.intrekken"))
    return _pagina("bevestigen.html", sessie, wacht=wacht, periode_naam=periode_tekst(wacht["periode"]))


@bp.post("/portaal/intrekken/bevestigen")
@portaal()
def intrekken_bevestigen_post(sessie: Sessie):
    """Step 2 of 2: withdraw (``bevestig=ja``, needs a fresh login) or cancel."""
    party = party_of()
    wacht = party.sessie_gegeven(sessie, "wacht")
    if not wacht:
        return redirect(url_for("portaal.intrekken"))
    if request.form.get("bevestig") != "ja":
        party.sessie_gegeven(sessie, "wacht", {})
        _audit(sessie, "intrekken", "geannuleerd", f"{wacht['periode']} {wacht['soorten']}")
        _bericht(sessie, "ok", "U heeft niets ingetrokken.")
        return redirect(url_for("portaal.intrekken"))
    weigering = _niet_vers(sessie, "intrekken", url_for("portaal.intrekken"))
    if weigering is not None:
        return weigering
    party.sessie_gegeven(sessie, "wacht", {})
    ik = sessie.identiteit
    try:
        result = party.intrekken(ik.gemeentecode, {"gebruiker": ik.email, "naam": ik.naam,
                                                   "telefoon": ik.telefoon} | wacht)
    except Refused as exc:
        _audit(sessie, "intrekken", "geweigerd", f"{wacht['periode']} {wacht['soorten']}: {exc}")
        _bericht(sessie, "fout", f"Intrekken geweigerd: {exc}")
        return redirect(url_for("portaal.intrekken"))
    _audit(sessie, "intrekken", "gelukt",
           f"{wacht['periode']} {wacht['soorten']}; referentie {result.referentie}")
    _bericht(sessie, "ok", f"De levering over {periode_tekst(wacht['periode'])} is ingetrokken "
             f"({', '.join(wacht['soorten'])}); de intrekking is met uw certificaat ondertekend.",
             referenties=[{"bestand": result.bestandsnaam, "referentie": result.referentie}])
    return redirect(url_for("portaal.intrekken"))


# ------------------------------------------------------------------------- roles


@bp.get("/portaal/rollen")
@portaal(rol="beheerder")
def rollen(sessie: Sessie):
    party = party_of()
    mensen = [(i, party.heeft_cbs_rol(i)) for i in party.identiteiten(sessie.identiteit.gemeentecode)]
    return _pagina("rollen.html", sessie, mensen=mensen)


@bp.post("/portaal/rollen")
@portaal(rol="beheerder")
def rollen_post(sessie: Sessie):
    sleutel = request.form.get("identiteit", "")
    toekennen = request.form.get("actie") == "toekennen"
    doel = party_of().zet_cbs_rol(sessie.identiteit, sleutel, toekennen)
    if doel is None:
        return _weiger(sessie, "rol", f"'{sleutel}' is geen gebruiker van uw gemeente; u beheert alleen de "
                       "rollen van uw eigen gemeente.")
    wat = "toegekend aan" if toekennen else "ingetrokken bij"
    _audit(sessie, "rol toekennen" if toekennen else "rol intrekken", "gelukt", f"CBS-rol {doel.sleutel}")
    _bericht(sessie, "ok", f"De CBS-rol is {wat} {doel.naam}.")
    return redirect(url_for("portaal.rollen"))


# ----------------------------------------------------------- for the coordinator


@bp.get("/_beheer/audit")
def audit():
    """The portal's audit log (JSON), oldest first; filters ``gemeente``, ``actie``, ``na``."""
    return jsonify(party_of().auditlog(request.args.get("gemeente"), request.args.get("actie"),
                                       request.args.get("na", default=0, type=int)))


__all__ = ["COOKIE", "ENDPOINTS", "GEBRUIKER", "bp"]
