"""HTTP face of the gemeente simulator: compose-and-deliver, notifications, its reports, and
a page where a person makes a test file (the gemeente is the party that makes files; the GGk
portal only links here). Thin: parse, call the backend method of the same name, render. A
refusal (:class:`Refused`) becomes its HTTP status with ``{"fout", "melding"}`` (the GGk's own
answer when the GGk refused the upload), or the page again with the message."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for

from ..party import party_of
from .backend import Refused

bp = Blueprint("gemeente", __name__, template_folder="templates")

ENDPOINTS = {
    "aanleveren": "POST /api/v1/aanleveringen (JSON: gemeentecode, soort, rijen, jaar, "
                  "halfjaar, vrije_tekst, seed; of multipart met 'bestand')",
    "notificaties": "POST /notificaties (JSON van de GGk: gemeentecode, download_id)",
    "rapporten": "GET /api/v1/rapporten",
    "rapport": "GET /api/v1/rapporten/<id>",
    "testbestanden": "GET /testbestanden (HTML: een testbestand maken en downloaden, voor mensen; "
                     "docs/portaal.md)",
}


@bp.errorhandler(Refused)
def refused(exc: Refused):
    return jsonify(exc.answer), exc.status


@bp.post("/api/v1/aanleveringen")
def deliver():
    if request.files:
        files = [(f.filename or "", f.read()) for f in request.files.getlist("bestand")]
        answer = party_of().deliver(files, request.form.get("gemeentecode"), request.form.get("gebruiker"))
    else:
        answer = party_of().deliver_composed(request.get_json(silent=True) or {})
    return jsonify(answer), 201


@bp.post("/notificaties")
def notified():
    party_of().notified(request.get_json(silent=True))
    return jsonify(ontvangen=True), 202


@bp.get("/api/v1/rapporten")
def reports():
    return jsonify(party_of().reports(request.args.get("gemeentecode")))


@bp.get("/api/v1/rapporten/<int:report_id>")
def report(report_id: int):
    name, data, content_type = party_of().report(report_id)
    return Response(data, content_type=content_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# ------------------------------------------------------------ for people, in a browser


@bp.get("/")
def start():
    """A person who opens the gemeente's address lands on the page that makes test files."""
    return redirect(url_for("gemeente.test_file_form"))


def _page(status: int = 200, melding: str = "", keuze: dict | None = None) -> Response:
    party = party_of()
    form = party.test_file_form()
    ggk = party.config.urls.get("ggk")
    html = render_template(
        "gemeente/testbestanden.html", soorten=form["soorten"], keuze=form["keuze"] | (keuze or {}),
        melding=melding, max_rijen=form["max_rijen"], gemeenten=form["gemeenten"],
        perioden=form["perioden"], portaal=f"{ggk.rstrip('/')}/portaal/" if ggk else "",
        klok=form["klok"])
    return Response(html, status, content_type="text/html; charset=utf-8",
                    headers={"Cache-Control": "no-store"})


@bp.get("/testbestanden")
def test_file_form():
    return _page()


@bp.get("/testbestanden/bestand")
def test_file():
    """A generated CSV as a download: the same generator as ``POST /api/v1/aanleveringen``. A GET:
    making a file changes nothing at the gemeente (it is not delivered, not journalled)."""
    keuze = {k: request.args.get(k, "").strip() for k in ("soort", "gemeente", "periode", "rijen", "seed")}
    try:
        naam, data = party_of().test_file(keuze)
    except Refused as exc:
        return _page(exc.status, str(exc), keuze)
    return Response(data, content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{naam}"', "Cache-Control": "no-store"})
