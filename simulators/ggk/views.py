"""HTTP face of the GGk: the upload/download web service for gemeenten and the StUF
endpoint (WSDL ``OntvangAsynchroon``) for RINIS. Thin: parse, call the backend, render."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, jsonify, request

from ..party import party_of
from ..stuf import CONTENT_TYPE
from .backend import UploadRefused

bp = Blueprint("ggk", __name__)

ENDPOINTS = {
    "upload": "POST /api/v1/uploads (multipart: gemeentecode, gebruiker, bestand...)",
    "uploads": "GET /api/v1/gemeenten/<gemeentecode>/uploads",
    "downloads": "GET /api/v1/gemeenten/<gemeentecode>/downloads?na=<id>&wacht=<seconden>",
    "download": "GET /api/v1/gemeenten/<gemeentecode>/downloads/<id>",
    "stuf": "POST /stuf/ontvang (SOAP 1.1: ggk_Du01, ggk_Di01, Fo01)",
}


@bp.post("/api/v1/uploads")
def upload():
    files = [(f.filename or "", f.read()) for f in request.files.getlist("bestand")]
    try:
        results = party_of().upload(request.form.get("gemeentecode", ""),
                                    request.form.get("gebruiker", ""), files)
    except UploadRefused as exc:
        return jsonify(fout="Upload geweigerd", melding=str(exc)), exc.status
    return jsonify(uploads=[asdict(r) | {"referenties": [
        {"bestand": b, "referentie": ref} for b, ref in r.referenties]} for r in results]), 201


@bp.get("/api/v1/gemeenten/<gemeentecode>/uploads")
def uploads(gemeentecode: str):
    return jsonify(party_of().uploads(gemeentecode))


@bp.get("/api/v1/gemeenten/<gemeentecode>/downloads")
def downloads(gemeentecode: str):
    after = request.args.get("na", default=0, type=int)
    wait = min(request.args.get("wacht", default=0.0, type=float), 60.0)
    return jsonify(party_of().downloads(gemeentecode, after, wait))


@bp.get("/api/v1/gemeenten/<gemeentecode>/downloads/<int:download_id>")
def download(gemeentecode: str, download_id: int):
    found = party_of().download(gemeentecode, download_id)
    if found is None:
        return jsonify(fout="Niet gevonden", melding=(
            f"download {download_id} bestaat niet in het downloadgebied van {gemeentecode}")), 404
    name, data, content_type = found
    return Response(data, content_type=content_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/stuf/ontvang")
def ontvang():
    payload, status = party_of().receive(request.get_data())
    return Response(payload, status=status, content_type=CONTENT_TYPE)
