"""HTTP face of the GGk: the upload/download, opt-in, partnership, user and mail web
services for gemeenten, and the StUF endpoint (WSDL ``OntvangAsynchroon``) for RINIS.
Thin: parse, call the one :class:`~.backend.Ggk` method of the same name, render. A
refusal (:class:`Refused`) becomes its HTTP status with ``{"fout", "melding"}``."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, jsonify, request

from ..beheer.storingen import FO01_SLEUTEL
from ..identity import identity_of
from ..party import party_of
from ..stuf import CONTENT_TYPE
from .common import Refused

bp = Blueprint("ggk", __name__)

ENDPOINTS = {
    "upload": "POST /api/v1/uploads (multipart: gemeentecode, gebruiker, [namens], bestand...)",
    "uploads": "GET /api/v1/gemeenten/<gemeentecode>/uploads",
    "downloads": "GET /api/v1/gemeenten/<gemeentecode>/downloads?na=<id>&wacht=<seconden>",
    "download": "GET /api/v1/gemeenten/<gemeentecode>/downloads/<id>[?gebruiker=<adres>]",
    "optin": "POST /api/v1/gemeenten/<gemeentecode>/optin (JSON, docs/optin.md)",
    "optins": "GET /api/v1/gemeenten/<gemeentecode>/optin",
    "intrekken": "POST /api/v1/gemeenten/<gemeentecode>/intrekken (JSON, docs/optin.md)",
    "samenwerking": "GET /api/v1/gemeenten/<gemeentecode>/samenwerking",
    "gebruikers": "GET|POST /api/v1/gemeenten/<gemeentecode>/gebruikers (JSON: email, naam, telefoon)",
    "mails": "GET /api/v1/mails?aan=<adres>",
    "samenwerkingsverbanden": "GET|PUT /_beheer/samenwerkingsverbanden (JSON: [{naam, uitvoerder, "
                              "leden, gedelegeerd}])",
    "stuf": "POST /stuf/ontvang (SOAP 1.1: ggk_Du01, ggk_Di01, Fo01)",
}


def _herkomst() -> str:
    """Where a web-service call came from, for the audit log."""
    return f"webservice {request.remote_addr or 'onbekend'}"


@bp.errorhandler(Refused)
def refused(exc: Refused):
    return jsonify(fout=exc.fout, melding=str(exc)), exc.status


@bp.post("/api/v1/uploads")
def upload():
    files = [(f.filename or "", f.read()) for f in request.files.getlist("bestand")]
    results = party_of().upload(request.form.get("gemeentecode", ""), request.form.get("gebruiker", ""),
                                files, namens=request.form.get("namens", ""), herkomst=_herkomst(),
                                identity=identity_of(request.environ))
    return jsonify(uploads=[asdict(r) | {"referenties": [
        {"bestand": b, "referentie": ref} for b, ref in r.referenties]} for r in results]), 201


@bp.get("/api/v1/gemeenten/<gemeentecode>/uploads")
def uploads(gemeentecode: str):
    return jsonify(party_of().uploads(gemeentecode, identity_of(request.environ)))


@bp.get("/api/v1/gemeenten/<gemeentecode>/downloads")
def downloads(gemeentecode: str):
    after = request.args.get("na", default=0, type=int)
    wait = request.args.get("wacht", default=0.0, type=float)
    return jsonify(party_of().downloads(gemeentecode, after, wait, identity_of(request.environ)))


@bp.get("/api/v1/gemeenten/<gemeentecode>/downloads/<int:download_id>")
def download(gemeentecode: str, download_id: int):
    found = party_of().download(gemeentecode, download_id, request.args.get("gebruiker", ""), _herkomst(),
                                identity_of(request.environ))
    if found is None:
        return jsonify(fout="Niet gevonden", melding=(
            f"download {download_id} bestaat niet in het downloadgebied van {gemeentecode}")), 404
    name, data, content_type = found
    return Response(data, content_type=content_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/api/v1/gemeenten/<gemeentecode>/optin")
def optin(gemeentecode: str):
    result = party_of().optin(gemeentecode, request.get_json(silent=True), identity_of(request.environ))
    return jsonify(asdict(result)), 201


@bp.get("/api/v1/gemeenten/<gemeentecode>/optin")
def optins(gemeentecode: str):
    return jsonify(party_of().optins(gemeentecode, identity_of(request.environ)))


@bp.post("/api/v1/gemeenten/<gemeentecode>/intrekken")
def intrekken(gemeentecode: str):
    result = party_of().intrekken(gemeentecode, request.get_json(silent=True), identity_of(request.environ))
    return jsonify(asdict(result)), 201


@bp.get("/api/v1/gemeenten/<gemeentecode>/samenwerking")
def samenwerking(gemeentecode: str):
    return jsonify(party_of().samenwerking(gemeentecode, identity_of(request.environ)))


@bp.post("/api/v1/gemeenten/<gemeentecode>/gebruikers")
def register_gebruiker(gemeentecode: str):
    return jsonify(party_of().register_gebruiker(gemeentecode, request.get_json(silent=True),
                                                 identity_of(request.environ))), 201


@bp.get("/api/v1/gemeenten/<gemeentecode>/gebruikers")
def gebruikers(gemeentecode: str):
    return jsonify(party_of().gebruikers(gemeentecode, identity_of(request.environ)))


@bp.get("/api/v1/mails")
def mails():
    return jsonify(party_of().mails(request.args.get("aan")))


@bp.get("/_beheer/samenwerkingsverbanden")
def get_samenwerkingsverbanden():
    return jsonify([v.to_json() for v in party_of().samenwerkingsverbanden])


@bp.put("/_beheer/samenwerkingsverbanden")
def set_samenwerkingsverbanden():
    """Set the partnerships at run time (kept in the store until a reset)."""
    return jsonify(party_of().set_samenwerkingsverbanden(request.get_json(silent=True)))


@bp.post("/stuf/ontvang")
def ontvang():
    payload, status = party_of().receive(request.get_data(), request.environ.get(FO01_SLEUTEL),
                                         identity_of(request.environ))
    return Response(payload, status=status, content_type=CONTENT_TYPE)
