"""HTTP face of CBS: the notification RINIS sends, and a read-only view of its work.
Thin: parse, call the backend method of the same name, render. A refusal
(:class:`Refused`) becomes its HTTP status with ``{"fout", "melding"}``."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from ..party import party_of
from .backend import Refused

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
    "inwoners": "GET|PUT /_beheer/inwoners (JSON: inwoners {gemeentecode: aantal}, iv3 [gemeentecode]) - de "
                "inwonertabel voor de SBO-drempel (TC18)",
}


@bp.errorhandler(Refused)
def refused(exc: Refused):
    return jsonify(fout=exc.fout, melding=str(exc)), exc.status


@bp.post("/rinis/nieuw")
def announce():
    party_of().announce(request.get_json(silent=True))
    return jsonify(ontvangen=True), 202


@bp.post("/api/v1/inbox/lezen")
def read_inbox():
    return jsonify(nieuw=party_of().read_inbox())


@bp.get("/api/v1/aanleveringen")
def aanleveringen():
    return jsonify(party_of().aanleveringen())


@bp.get("/api/v1/status")
def status():
    args = request.args
    return jsonify(party_of().status(args.get("gemeente"), args.get("periode"), args.get("soort")))


@bp.get("/api/v1/optin")
def optin_files():
    return jsonify(party_of().optin_files())


@bp.get("/_beheer/audit")
def audit():
    """CBS's audit log (JSON), oldest first: each signed decision checked, accepted or refused."""
    return jsonify(party_of().audit(request.args.get("gemeente"), request.args.get("actie"),
                                    request.args.get("na", default=0, type=int)))


@bp.get("/_beheer/ca.pem")
def ca_pem():
    """The trust anchor for signed opt-ins, for a partner's GGk or CBS (docs/ondertekening.md)."""
    return Response(party_of().ca_pem(), mimetype="application/x-pem-file")


@bp.post("/api/v1/spiegelrapporten2")
def spiegelrapporten2():
    periode = str((request.get_json(silent=True) or {}).get("periode", ""))
    return jsonify(periode=periode, verzonden=party_of().spiegelrapporten2(periode)), 202


@bp.get("/_beheer/inwoners")
def inwonertabel():
    return jsonify(party_of().inwonertabel())


@bp.put("/_beheer/inwoners")
def set_inwoners():
    """Figures for the SBO threshold, kept until the next reset (data/inwoners/SOURCE.md)."""
    return jsonify(party_of().set_inwoners(request.get_json(silent=True)))

