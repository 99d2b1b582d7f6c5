"""The portal's pages: server-rendered HTML (Jinja, plain CSS, no JavaScript), Dutch.

Every form is POST-redirect-GET with a CSRF token. A view parses the form, calls one
method of the portal's backend (``backend.Portaal``: who may log in and do what, and the
audit line of every action and refusal) or of ``pages`` (what a page shows), and
renders or redirects; the cookies are set here. A view finds the user in the session,
never in the request: the gemeente is the one the identity holds a mandate for.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, make_response, redirect, render_template, request, url_for

from ...party import party_of
from ..common import periode_tekst
from ..optin import SETS
from . import pages
from .backend import BEHEERDER, NotLoggedInError, Origin, Portaal, PortaalRefused
from .identities import CBS_ROL, GEBRUIKER
from .sessions import Session

bp = Blueprint("portaal", __name__, template_folder="templates")

COOKIE = "ggk_portaal"
LOGIN_CSRF = "ggk_portaal_inlog"
ENDPOINTS = {
    "portaal": "GET / en /portaal/inloggen (eHerkenning-simulatie), /portaal/cbs, /portaal/upload, "
               "/portaal/downloads, /portaal/spiegelrapporten, /portaal/optin, /portaal/intrekken, "
               "/portaal/rollen (docs/portaal.md)",
    "audit": "GET /_beheer/audit?gemeente=<code>&actie=<actie>&na=<id> (auditlog van het portaal)",
}
MELDINGEN = {"uitgelogd": "U bent uitgelogd.",
             "inactief": "Uw sessie is verlopen omdat u te lang niets deed. Log opnieuw in.",
             "maximale duur": "Uw sessie is verlopen: u was al te lang ingelogd. Log opnieuw in.",
             "nodig": "Log in met eHerkenning om het GGk-portaal te gebruiken."}


def _portaal() -> Portaal:
    return party_of().portaal


def _origin() -> Origin:
    return Origin(request.remote_addr or "onbekend", f"{request.method} {request.path}")


def _pagina(template: str, sessie: Session | None, status: int = 200, **context) -> Response:
    if sessie is not None:
        context |= _portaal().header(sessie)
    context.setdefault("klok", party_of().clock.peek())
    response = make_response(render_template(f"portaal/{template}", **context), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _opnieuw_inloggen(sessie: Session, volgende: str) -> str:
    persoon = sessie.identiteit.sleutel.split(":", 1)[1]
    return url_for("portaal.inloggen") + "?" + urlencode(
        {"gemeente": sessie.identiteit.gemeentecode, "persoon": persoon, "volgende": volgende})


@bp.errorhandler(PortaalRefused)
def geweigerd(exc: PortaalRefused) -> Response:
    """A refusal (its audit line is written): a page that says why, in Dutch."""
    extra = {}
    if exc.terug:
        extra["terug"] = url_for("portaal.inloggen")
    if exc.opnieuw and exc.sessie is not None:
        extra["opnieuw"] = _opnieuw_inloggen(exc.sessie, url_for(f"portaal.{exc.opnieuw}"))
    return _pagina("geweigerd.html", exc.sessie, exc.status, melding=str(exc), **extra)


@bp.errorhandler(NotLoggedInError)
def niet_ingelogd(exc: NotLoggedInError) -> Response:
    volgende = request.path if request.method == "GET" else url_for("portaal.cbs")
    return redirect(url_for("portaal.inloggen", melding=exc.reden, volgende=volgende))


def portaal(rol: str | None = CBS_ROL) -> Callable:
    """A page behind the login, for ``rol`` (``cbs``, ``beheerder``, or None: anyone logged
    in); a POST also needs the session's CSRF token."""
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            csrf = request.form.get("csrf", "") if request.method == "POST" else None
            sessie = _portaal().enter(request.cookies.get(COOKIE), rol, csrf, _origin())
            return view(sessie, *args, **kwargs)
        return wrapped
    return decorate


# ---------------------------------------------------------------- login, logout


@bp.get("/")
def voordeur():
    """Whoever opens the GGk's address in a browser lands at the portal (its login)."""
    return redirect(url_for("portaal.start"))


@bp.get("/portaal/")
@bp.get("/portaal")
def start():
    sessie = _portaal().current(request.cookies.get(COOKIE), _origin().herkomst)
    return redirect(url_for("portaal.cbs" if sessie else "portaal.inloggen"))


@bp.get("/portaal/inloggen")
def inloggen():
    """The page that plays the eHerkenning broker: pick an identity and a level."""
    token = secrets.token_urlsafe(24)
    response = _pagina(
        "inloggen.html", None, **_portaal().login_form(), gekozen_gemeente=request.args.get("gemeente", ""),
        gekozen_persoon=request.args.get("persoon", ""), volgende=request.args.get("volgende", ""),
        melding=MELDINGEN.get(request.args.get("melding", ""), ""), login_csrf=token)
    response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="Lax", path="/portaal")
    return response


@bp.post("/portaal/inloggen")
def inloggen_post():
    login = _portaal().login(
        request.form.get("gemeente", "").strip(), request.form.get("persoon", "").strip(),
        request.form.get("niveau", "").strip(),
        (request.form.get("csrf", ""), request.cookies.get(LOGIN_CSRF, "")), request.cookies.get(COOKIE),
        request.form.get("volgende", ""), _origin())
    response = redirect(login.volgende or url_for(f"portaal.{login.startpagina}"))
    response.set_cookie(COOKIE, login.token, httponly=True, samesite="Lax", path="/")
    response.delete_cookie(LOGIN_CSRF, path="/portaal")
    return response


@bp.post("/portaal/uitloggen")
@portaal(rol=None)
def uitloggen(sessie: Session):
    _portaal().logout(sessie, _origin())
    response = redirect(url_for("portaal.inloggen", melding="uitgelogd"))
    response.delete_cookie(COOKIE, path="/")
    return response


# ------------------------------------------------------------------- the CBS tab


@bp.get("/portaal/cbs")
@portaal()
def cbs(sessie: Session):
    return _pagina("cbs.html", sessie, **pages.cbs(party_of(), sessie))


@bp.get("/portaal/upload")
@portaal()
def upload(sessie: Session):
    return _pagina("upload.html", sessie, **pages.upload(party_of(), sessie))


@bp.post("/portaal/upload")
@portaal()
def upload_post(sessie: Session):
    files = [(f.filename or "", f.read()) for f in request.files.getlist("bestand") if f.filename]
    _portaal().upload(sessie, files, request.form.get("namens", ""), _origin())
    return redirect(url_for("portaal.upload"))


@bp.get("/portaal/downloads")
@portaal()
def downloads(sessie: Session):
    return _pagina("downloads.html", sessie, **pages.downloads(party_of(), sessie))


@bp.get("/portaal/downloads/<int:download_id>")
@portaal()
def download(sessie: Session, download_id: int):
    naam, data, content_type = _portaal().download(sessie, download_id, _origin())
    return Response(data, content_type=content_type, headers={
        "Content-Disposition": f'attachment; filename="{naam}"', "Cache-Control": "no-store"})


# -------------------------------------------------------------- opt-in, intrekken


@bp.get("/portaal/optin")
@portaal()
def optin(sessie: Session):
    return _pagina("optin.html", sessie, **pages.optin(party_of(), sessie),
                   opnieuw=_opnieuw_inloggen(sessie, url_for("portaal.optin")))


@bp.post("/portaal/optin")
@portaal()
def optin_post(sessie: Session):
    besluiten = {s: request.form[f"besluit_{s}"] for s in SETS if request.form.get(f"besluit_{s}")}
    _portaal().optin(sessie, request.form.get("periode", ""), besluiten, _origin())
    return redirect(url_for("portaal.optin"))


@bp.get("/portaal/intrekken")
@portaal()
def intrekken(sessie: Session):
    return _pagina("intrekken.html", sessie, **pages.intrekken(party_of(), sessie))


@bp.post("/portaal/intrekken")
@portaal()
def intrekken_post(sessie: Session):
    """Step 1 of 2: remember what is to be withdrawn and ask for confirmation."""
    soorten = [s for s in SETS if s in request.form.getlist("soort")]
    if _portaal().intrekken(sessie, request.form.get("periode", ""), soorten,
                            request.form.get("alleen_correctie") == "ja"):
        return redirect(url_for("portaal.intrekken_bevestigen"))
    return redirect(url_for("portaal.intrekken"))


@bp.get("/portaal/intrekken/bevestigen")
@portaal()
def intrekken_bevestigen(sessie: Session):
    wacht = _portaal().intrekking_pending(sessie)
    if not wacht:
        return redirect(url_for("portaal.intrekken"))
    return _pagina("bevestigen.html", sessie, wacht=wacht, periode_naam=periode_tekst(wacht["periode"]))


@bp.post("/portaal/intrekken/bevestigen")
@portaal()
def intrekken_bevestigen_post(sessie: Session):
    """Step 2 of 2: withdraw (``bevestig=ja``, needs a fresh login) or cancel."""
    _portaal().intrekken_bevestigen(sessie, request.form.get("bevestig") == "ja", _origin())
    return redirect(url_for("portaal.intrekken"))


# ------------------------------------------------------------------ spiegelrapporten


@bp.get("/portaal/spiegelrapporten")
@portaal()
def spiegelrapporten(sessie: Session):
    return _pagina("spiegelrapporten.html", sessie, **pages.spiegelrapporten(party_of(), sessie))


@bp.post("/portaal/spiegelrapporten")
@portaal()
def spiegelrapporten_post(sessie: Session):
    """Agree to a spiegelrapport, or answer it with a terugmelding (seeds 000 ch.2, 002)."""
    _portaal().reactie(sessie, request.form.get("rapport", ""), request.form.get("conclusie", ""),
                       request.form.get("toelichting", ""), _origin())
    return redirect(url_for("portaal.spiegelrapporten"))


# ------------------------------------------------------------------------- roles


@bp.get("/portaal/rollen")
@portaal(rol=BEHEERDER)
def rollen(sessie: Session):
    return _pagina("rollen.html", sessie, mensen=_portaal().roles(sessie))


@bp.post("/portaal/rollen")
@portaal(rol=BEHEERDER)
def rollen_post(sessie: Session):
    toekennen = request.form.get("actie") == "toekennen"
    _portaal().set_cbs_role(sessie, request.form.get("identiteit", ""), toekennen, _origin())
    return redirect(url_for("portaal.rollen"))


# ----------------------------------------------------------- for the coordinator


@bp.get("/_beheer/audit")
def audit():
    """The portal's audit log (JSON), oldest first; filters ``gemeente``, ``actie``, ``na``."""
    return jsonify(party_of().audit.lees(request.args.get("gemeente"), request.args.get("actie"),
                                         request.args.get("na", default=0, type=int)))


__all__ = ["COOKIE", "ENDPOINTS", "GEBRUIKER", "bp"]
