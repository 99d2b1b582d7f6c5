"""HTTP face of CBS: the notification RINIS sends, and a read-only view of its work."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from ..party import party_of

bp = Blueprint("cbs", __name__)

ENDPOINTS = {
    "nieuw": "POST /rinis/nieuw (JSON: map, id, metagegevens_id) - RINIS meldt een nieuw bestand",
    "inbox_lezen": "POST /api/v1/inbox/lezen - lees de RINIS-inbox nu",
    "aanleveringen": "GET /api/v1/aanleveringen",
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
