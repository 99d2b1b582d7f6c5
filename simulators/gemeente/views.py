"""HTTP face of the gemeente simulator: compose-and-deliver, notifications, its reports, and
a page where a person makes a test file (the gemeente is the party that makes files; the GGk
portal only links here)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for

from ..gmsd import periodes
from ..gmsd.gemeenten import gemeenten
from ..gmsd.generator import DEFAULT_ROWS, SOORTEN
from ..party import party_of
from .backend import DeliveryRefused

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
MAX_RIJEN = 100_000
"""A test file made in a browser: large enough for a volume try, small enough to stay a download."""


@bp.post("/api/v1/aanleveringen")
def aanleveren():
    gemeente = party_of()
    if request.files:
        files = [(f.filename or "", f.read()) for f in request.files.getlist("bestand")]
        gemeentecode = request.form.get("gemeentecode")
        gebruiker = request.form.get("gebruiker")
    else:
        data = request.get_json(silent=True) or {}
        soort = str(data.get("soort", "WMO")).upper()
        if soort not in SOORTEN:
            return jsonify(fout="Onbekende soort", melding=(
                f"de gemeente-simulator stelt WMO-, SBO- en JEUGD-bestanden samen, niet '{soort}'; "
                "stuur een eigen bestand mee als multipart 'bestand'")), 400
        try:
            rijen = int(data.get("rijen", 25))
            jaar = int(data["jaar"]) if "jaar" in data else None
            halfjaar = int(data["halfjaar"]) if "halfjaar" in data else None
            seed = int(data.get("seed", 0))
        except (TypeError, ValueError):
            return jsonify(fout="Ongeldige invoer", melding="rijen, jaar, halfjaar en seed "
                           "zijn gehele getallen"), 400
        if halfjaar not in (None, 1, 2) or not 0 < rijen <= 1_000_000:
            return jsonify(fout="Ongeldige invoer", melding="halfjaar is 1 of 2; rijen tussen "
                           "1 en 1.000.000"), 400
        gemeentecode = data.get("gemeentecode")
        gebruiker = data.get("gebruiker")
        vrije_tekst = data.get("vrije_tekst")
        files = [gemeente.compose(soort, gemeentecode, rijen, jaar, halfjaar,
                                  None if vrije_tekst is None else str(vrije_tekst), seed)]
    try:
        answer = gemeente.deliver(files, gemeentecode, gebruiker)
    except DeliveryRefused as exc:
        return jsonify(exc.answer), exc.status
    return jsonify(answer), 201


@bp.post("/notificaties")
def notificaties():
    data = request.get_json(silent=True) or {}
    if not isinstance(data.get("download_id"), int) or not data.get("gemeentecode"):
        return jsonify(fout="Ongeldige melding", melding="verwacht gemeentecode en download_id"), 400
    party_of().notified(str(data["gemeentecode"]), data["download_id"])
    return jsonify(ontvangen=True), 202


@bp.get("/api/v1/rapporten")
def rapporten():
    return jsonify(party_of().reports(request.args.get("gemeentecode")))


@bp.get("/api/v1/rapporten/<int:report_id>")
def rapport(report_id: int):
    found = party_of().report(report_id)
    if found is None:
        return jsonify(fout="Niet gevonden", melding=f"rapport {report_id} bestaat niet"), 404
    name, data, content_type = found
    return Response(data, content_type=content_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# ------------------------------------------------------------ for people, in a browser


@bp.get("/")
def start():
    """A person who opens the gemeente's address lands on the page that makes test files."""
    return redirect(url_for("gemeente.testbestanden"))


def _testbestanden_pagina(status: int = 200, melding: str = "", keuze: dict | None = None) -> Response:
    party = party_of()
    vandaag = party.clock.peek().date()
    huidige, vorige = periodes.deliverable(vandaag)
    keuze = {"soort": "WMO", "gemeente": party.default_gemeentecode, "periode": huidige,
             "rijen": str(DEFAULT_ROWS), "seed": "1"} | (keuze or {})
    ggk = party.config.urls.get("ggk")
    html = render_template(
        "gemeente/testbestanden.html", soorten=SOORTEN, keuze=keuze, melding=melding, max_rijen=MAX_RIJEN,
        gemeenten=sorted(gemeenten().items(), key=lambda g: g[1]),
        perioden=[(huidige, "huidige periode"), (vorige, "vorige periode")],
        portaal=f"{ggk.rstrip('/')}/portaal/" if ggk else "", klok=party.clock.peek())
    return Response(html, status, content_type="text/html; charset=utf-8",
                    headers={"Cache-Control": "no-store"})


@bp.get("/testbestanden")
def testbestanden():
    return _testbestanden_pagina()


@bp.get("/testbestanden/bestand")
def testbestand():
    """A generated CSV as a download: the same generator as ``POST /api/v1/aanleveringen``. A GET:
    making a file changes nothing at the gemeente (it is not delivered, not journalled)."""
    keuze = {k: request.args.get(k, "").strip() for k in ("soort", "gemeente", "periode", "rijen", "seed")}
    soort, code, periode = keuze["soort"].upper(), keuze["gemeente"], keuze["periode"].upper()
    fouten = []
    if soort not in SOORTEN:
        fouten.append(f"kies een soort uit {', '.join(SOORTEN)}")
    if code not in gemeenten():
        fouten.append(f"'{code}' is geen gemeentecode van het CBS")
    if not (len(periode) == 6 and periode[0] == "H" and periode[1] in "12" and periode[2:].isdigit()):
        fouten.append(f"'{periode}' is geen verslagperiode als H12016")
    try:
        rijen, seed = int(keuze["rijen"] or DEFAULT_ROWS), int(keuze["seed"] or 0)
    except ValueError:
        rijen, seed = 0, 0
        fouten.append("aantal regels en seed zijn gehele getallen")
    if not fouten and not 1 <= rijen <= MAX_RIJEN:
        fouten.append(f"aantal regels ligt tussen 1 en {MAX_RIJEN}")
    if fouten:
        return _testbestanden_pagina(400, "Geen bestand gemaakt: " + "; ".join(fouten) + ".", keuze)
    naam, data = party_of().compose(soort, code, rijen, int(periode[2:]), int(periode[1]), None, seed)
    return Response(data, content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{naam}"', "Cache-Control": "no-store"})
