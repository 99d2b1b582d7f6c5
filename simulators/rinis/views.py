"""HTTP face of RINIS: the StUF endpoint for the GGk, the folder API for CBS, and its beheer
of blocked functies. Thin: parse, call the backend method of the same name, render. A
refusal (:class:`FolderRefused`) becomes its HTTP status with ``{"fout", "melding"}``."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, jsonify, request

from ..beheer.storingen import FO01_SLEUTEL
from ..identity import identity_of
from ..party import party_of
from ..stuf import CONTENT_TYPE
from .backend import FolderRefused

bp = Blueprint("rinis", __name__)

ENDPOINTS = {
    "stuf": "POST /stuf/ontvang (SOAP 1.1: ggk_Di01)",
    "mappen": "GET /mappen",
    "map": "GET /mappen/<map>?nieuw=1",
    "bestand": "GET /mappen/<map>/<id>",
    "opgehaald": "POST /mappen/<map>/<id>/opgehaald",
    "plaatsen": "PUT /mappen/<verzendmap>/<bestandsnaam>",
    "weigeren": "POST /mappen/<inbox>/<id>/geweigerd {code, omschrijving}",
    "blokkades": "GET|PUT|DELETE /_beheer/blokkades",
}


@bp.errorhandler(FolderRefused)
def refused(exc: FolderRefused):
    return jsonify(fout=exc.fout, melding=str(exc)), exc.status


@bp.post("/stuf/ontvang")
def receive():
    payload, status = party_of().receive(request.get_data(), request.environ.get(FO01_SLEUTEL),
                                         identity_of(request.environ))
    return Response(payload, status=status, content_type=CONTENT_TYPE)


@bp.get("/mappen")
def folders():
    return jsonify(party_of().folders())


@bp.get("/mappen/<folder>")
def listing(folder: str):
    return jsonify(party_of().listing(folder, request.args.get("nieuw") == "1"))


@bp.get("/mappen/<folder>/<int:file_id>")
def fetch(folder: str, file_id: int):
    naam, inhoud = party_of().fetch(folder, file_id)
    return Response(inhoud, content_type="application/octet-stream",
                    headers={"X-Bestandsnaam": quote(naam),
                             "Content-Disposition": "attachment"})


@bp.post("/mappen/<folder>/<int:file_id>/opgehaald")
def mark_picked_up(folder: str, file_id: int):
    return jsonify(opgehaald=party_of().mark_picked_up(folder, file_id))


@bp.put("/mappen/<folder>/<naam>")
def put(folder: str, naam: str):
    file_id, nieuw = party_of().put(folder, naam, request.get_data())
    return jsonify(id=file_id, naam=naam, nieuw=nieuw), 201 if nieuw else 200


@bp.post("/mappen/<folder>/<int:file_id>/geweigerd")
def refuse_from_cbs(folder: str, file_id: int):
    """CBS could not read a file: RINIS sends the gemeente a Fo01 from CBS (via the GGk)."""
    body = request.get_json(silent=True) or {}
    return jsonify(party_of().refuse_from_cbs(folder, file_id, str(body.get("code", "")),
                                              str(body.get("omschrijving", "")))), 202


@bp.get("/_beheer/blokkades")
def blocks():
    return jsonify(party_of().blocks())


@bp.put("/_beheer/blokkades")
def block():
    """Block a functie for now: its Di01s get a Fo03 IB103 until the block is lifted."""
    functie = str((request.get_json(silent=True) or {}).get("functie", ""))
    return jsonify(party_of().block(functie)), 201


@bp.delete("/_beheer/blokkades")
def unblock():
    return jsonify(opgeheven=party_of().unblock(request.args.get("functie")))
