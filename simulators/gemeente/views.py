"""HTTP face of the gemeente simulator: compose-and-deliver, notifications, its reports."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from ..party import party_of
from .backend import DeliveryRefused
from .generator import SOORTEN

bp = Blueprint("gemeente", __name__)

ENDPOINTS = {
    "aanleveren": "POST /api/v1/aanleveringen (JSON: gemeentecode, soort, rijen, jaar, "
                  "halfjaar, vrije_tekst, seed; of multipart met 'bestand')",
    "notificaties": "POST /notificaties (JSON van de GGk: gemeentecode, download_id)",
    "rapporten": "GET /api/v1/rapporten",
    "rapport": "GET /api/v1/rapporten/<id>",
}


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
