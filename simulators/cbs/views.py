"""HTTP face of CBS: the notification RINIS sends, and a read-only view of its work."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from .. import pki
from ..gmsd.periodes import PERIODE
from ..party import party_of

bp = Blueprint("cbs", __name__)

ENDPOINTS = {
    "nieuw": "POST /rinis/nieuw (JSON: map, id, metagegevens_id) - RINIS meldt een nieuw bestand",
    "inbox_lezen": "POST /api/v1/inbox/lezen - lees de RINIS-inbox nu",
    "aanleveringen": "GET /api/v1/aanleveringen",
    "status": "GET /api/v1/status[?gemeente=&periode=&soort=] - leveringen en hun status",
    "spiegelrapporten2": "POST /api/v1/spiegelrapporten2 (JSON: periode) - verstuur spiegelrapport II",
    "optin": "GET /api/v1/optin - ontvangen opt-in- en intrekkingsbestanden, hun regels en uitkomst",
    "audit": "GET /_beheer/audit?gemeente=<code>&actie=<actie>&na=<id> - auditlog: elke controle van een "
             "ondertekend besluit",
    "ca": "GET /_beheer/ca.pem - het certificaat van de test-CA die het CBS vertrouwt",
}


@bp.post("/rinis/nieuw")
def nieuw():
    data = request.get_json(silent=True) or {}
    if not isinstance(data.get("id"), int) or not isinstance(data.get("map"), str):
        return jsonify(fout="Ongeldige melding", melding="verwacht JSON met 'map' (tekst) en "
                       "'id' (getal) van het nieuwe bestand"), 400
    meta_id = data.get("metagegevens_id")
    party_of().announce(data["map"], data["id"], meta_id if isinstance(meta_id, int) else None)
    return jsonify(ontvangen=True), 202


@bp.post("/api/v1/inbox/lezen")
def inbox_lezen():
    return jsonify(nieuw=party_of().read_inbox())


@bp.get("/api/v1/aanleveringen")
def aanleveringen():
    return jsonify(party_of().aanleveringen())


@bp.get("/api/v1/status")
def status():
    args = request.args
    return jsonify(party_of().leveringen.overzicht(args.get("gemeente"), args.get("periode"),
                                                   args.get("soort")))


@bp.get("/api/v1/optin")
def optin():
    return jsonify(party_of().optin_berichten())


@bp.get("/_beheer/audit")
def audit():
    """CBS's audit log (JSON), oldest first: each signed decision checked, accepted or refused."""
    return jsonify(party_of().auditregels.lees(request.args.get("gemeente"), request.args.get("actie"),
                                               request.args.get("na", default=0, type=int)))


@bp.get("/_beheer/ca.pem")
def ca():
    """The trust anchor for signed opt-ins, for a partner's GGk or CBS (docs/ondertekening.md)."""
    return Response(pki.ca_pem(), mimetype="application/x-pem-file")


@bp.post("/api/v1/spiegelrapporten2")
def spiegelrapporten2():
    periode = str((request.get_json(silent=True) or {}).get("periode", ""))
    if not PERIODE.fullmatch(periode):
        return jsonify(fout="Ongeldige periode", melding="geef 'periode' als code uitvraag, "
                       "bijvoorbeeld H12016"), 400
    return jsonify(periode=periode, verzonden=party_of().spiegelrapporten2(periode)), 202
