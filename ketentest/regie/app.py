"""The regie's web face: the page with every delivery, one delivery's page, and the same data
for scripts (JSON and CSV). Thin: parse the query, take a :class:`~ketentest.regie.chain_view.Snapshot`,
select, render. Dutch for people, server-rendered, whole without JavaScript; a small script
on the page asks ``/api/stand`` every few seconds and, when the data changed, fetches the
page again and swaps its contents (progressive enhancement: without it, reload).
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request
from markupsafe import Markup

from ketentest.journey import chain_order, journey_steps
from ketentest.journey_svg import sequence_diagram_svg
from simulators.kalender import DAGEN_KORT, MAANDEN_KORT
from simulators.server import ServedApp

from .chain_view import ChainView, Snapshot
from .export import as_csv, levering_json
from .leveringen import PARTIJNAMEN, STAPPEN, TOESTANDEN
from .query import PER_PAGINA, SORTEERBAAR, Keuze, KeuzeRefused, select
from .sla import dag_kort, sla_clocks
from .sources import TlsClient

__all__ = ["RegieServer", "create_app", "serve"]

bp = Blueprint("regie", __name__, template_folder="templates")

KOLOMMEN = {"geupload": "GGk: geüpload", "bij_rinis": "RINIS: Bv03", "in_inbox": "RINIS: in CBS-inbox",
            "bij_cbs": "CBS: opgehaald", "technisch_rapport": "CBS: technisch rapport",
            "in_downloadgebied": "GGk: rapport in downloadgebied",
            "bij_gemeente": "Gemeente: rapport opgehaald",
            "op_orde": "Op-orde rapport", "spiegelrapport_2": "Spiegelrapport II"}
"""The column heads of the steps: the party whose state it is, and the step in brief."""


def create_app(view: ChainView) -> Flask:
    """The regie's Flask app over ``view`` (which it reads on every request)."""
    app = Flask(__name__, static_folder=None)
    app.json.ensure_ascii = False
    app.json.sort_keys = False  # the steps in chain order, the fields as docs/regie.md lists them
    app.extensions["ketentest.regie"] = view
    app.jinja_env.filters.update(tijd=tijd_kort, tijd_vol=tijd_vol, dag=dag_kort)
    app.jinja_env.globals.update(KOLOMMEN=KOLOMMEN, STAPPEN=STAPPEN, TOESTANDEN=TOESTANDEN,
                                 PARTIJNAMEN=PARTIJNAMEN, SORTEERBAAR=SORTEERBAAR)
    app.register_blueprint(bp)

    @app.errorhandler(404)
    def _not_found(_exc):
        if request.path.startswith("/api/"):
            return jsonify(fout="Niet gevonden", melding="Dit adres bestaat niet bij de regie."), 404
        return render_template("regie/fout.html", titel="Niet gevonden",
                               melding="Deze pagina bestaat niet bij de regie."), 404

    return app


def _view() -> ChainView:
    return current_app.extensions["ketentest.regie"]


def _keuze() -> tuple[Keuze, str | None]:
    try:
        return Keuze.from_args(request.args), None
    except KeuzeRefused as exc:
        return Keuze(), str(exc)


@bp.get("/")
def overzicht():
    snapshot = _view().snapshot()
    keuze, melding = _keuze()
    selectie = select(snapshot.leveringen, keuze)
    rijen = [(lev, sla_clocks(lev, snapshot.tijdlijn, snapshot.nu)) for lev in selectie.pagina()]
    return render_template("regie/overzicht.html", s=snapshot, keuze=keuze, melding=melding,
                           selectie=selectie, rijen=rijen, keuzes=_keuzes(snapshot),
                           per_pagina=PER_PAGINA), 400 if melding else 200


@bp.get("/levering/<referentie>")
def levering(referentie: str):
    snapshot = _view().snapshot()
    lev = snapshot.levering(referentie)
    if lev is None:
        return render_template("regie/fout.html", titel="Levering onbekend", melding=(
            f"De regie kent geen levering met GGk-referentie {referentie}.")), 404
    lines = _view().lines_of(referentie)
    per_partij: dict[str, list[dict]] = {}
    for partij, regel in lines:
        per_partij.setdefault(partij, []).append(dict(regel))
    try:
        reis = journey_steps(per_partij)
        svg = sequence_diagram_svg(reis, f"Levering {referentie}").split("\n", 1)[1]
    except (ValueError, KeyError):
        reis, svg = [], ""
    volgorde = {naam: i for i, naam in enumerate(chain_order(p for p, _ in lines))}
    berichten = sorted(lines, key=lambda line: (volgorde[line[0]], int(line[1].get("id") or 0)))
    return render_template("regie/levering.html", s=snapshot, lev=lev, berichten=berichten,
                           klokken=sla_clocks(lev, snapshot.tijdlijn, snapshot.nu), reis=reis,
                           svg=Markup(svg))


@bp.get("/api/leveringen")
def api_leveringen():
    snapshot = _view().snapshot()
    keuze, melding = _keuze()
    if melding:
        return jsonify(fout="Ongeldig filter", melding=melding), 400
    selectie = select(snapshot.leveringen, keuze)
    return jsonify(
        aantal=len(selectie.leveringen), totaal=selectie.totaal, per_toestand=selectie.per_toestand,
        klok=snapshot.nu.isoformat(), bijgewerkt=snapshot.bijgewerkt.isoformat(timespec="seconds"),
        leveringen=[levering_json(lev, sla_clocks(lev, snapshot.tijdlijn, snapshot.nu))
                    for lev in selectie.leveringen])


@bp.get("/api/leveringen.csv")
def api_leveringen_csv():
    snapshot = _view().snapshot()
    keuze, melding = _keuze()
    if melding:
        return Response(f"fout: {melding}\n", status=400, content_type="text/plain; charset=utf-8")
    selectie = select(snapshot.leveringen, keuze)
    tekst = as_csv((lev, sla_clocks(lev, snapshot.tijdlijn, snapshot.nu)) for lev in selectie.leveringen)
    return Response(tekst, content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="leveringen.csv"'})


@bp.get("/api/keten")
def api_keten():
    """The parties (up or not, clock, journal) and the books per hop."""
    snapshot = _view().snapshot()
    return jsonify(
        klok=snapshot.nu.isoformat(), bijgewerkt=snapshot.bijgewerkt.isoformat(timespec="seconds"),
        tijdlijn=snapshot.tijdlijn.naam if snapshot.tijdlijn else None,
        partijen=[{"partij": p.naam, "url": p.url, "bereikbaar": p.bereikbaar, "melding": p.melding,
                   "sinds": p.sinds.isoformat(timespec="seconds") if p.sinds else None, "klok": p.klok,
                   "journaal": p.journaal, "open_taken": p.open_taken, "alarmen": p.alarmen}
                  for p in snapshot.partijen],
        boekhouding=snapshot.boeken.als_json() if snapshot.boeken else None)


@bp.get("/api/stand")
def api_stand():
    """What the page's script asks every few seconds: has anything changed?"""
    snapshot = _view().snapshot()
    return jsonify(versie=snapshot.versie, bijgewerkt=snapshot.bijgewerkt.isoformat(timespec="seconds"))


def _keuzes(snapshot: Snapshot) -> dict[str, list[tuple[str, str]]]:
    """The choices the filter form offers: what the known deliveries have."""
    gemeenten = sorted({(lev.gemeentecode, lev.gemeente or "?") for lev in snapshot.leveringen
                        if lev.gemeentecode}, key=lambda g: (g[1], g[0]))
    perioden = sorted({lev.periode for lev in snapshot.leveringen if lev.periode})
    soorten = sorted({lev.soort for lev in snapshot.leveringen if lev.soort})
    return {"gemeente": [(code, f"{naam} ({code})") for code, naam in gemeenten],
            "periode": [(p, p) for p in perioden], "soort": [(s, s) for s in soorten],
            "toestand": list(TOESTANDEN.items())}


# ----------------------------------------------------------------- times for people


def _moment(tijdstip: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(tijdstip) if tijdstip else None
    except ValueError:
        return None


def tijd_kort(tijdstip: str | None) -> str:
    """``ma 15 aug 09:00:03``: the party's own clock, as it showed it."""
    moment = _moment(tijdstip)
    if moment is None:
        return tijdstip or ""
    return f"{DAGEN_KORT[moment.weekday()]} {moment.day} {MAANDEN_KORT[moment.month - 1]} {moment:%H:%M:%S}"


def tijd_vol(tijdstip: str | datetime | date | None, ms: bool = False) -> str:
    """``ma 15 aug 2016 09:00:03`` (with ``ms``: ``09:00:03.012``, for one delivery's page, where
    a simulated clock puts a whole journey in one second)."""
    moment = tijdstip if isinstance(tijdstip, datetime) else _moment(tijdstip) if isinstance(
        tijdstip, str) else None
    if moment is None:
        return str(tijdstip or "")
    tijd = f"{moment:%H:%M:%S}.{moment.microsecond // 1000:03d}" if ms else f"{moment:%H:%M:%S}"
    return f"{dag_kort(moment.date())} {tijd}"


# ------------------------------------------------------------------------ serving


class RegieServer:
    """The regie served on ``host:port`` (0: any free port) over the parties at ``urls``."""

    def __init__(self, urls: dict[str, str], host: str = "127.0.0.1", port: int = 0,
                 ttl: float = 1.0, tls: TlsClient | None = None) -> None:
        """``tls``: on a TLS chain, what the regie trusts and shows to read the parties."""
        self.view = ChainView(urls, ttl=ttl, tls=tls)
        self.served = ServedApp(create_app(self.view), host, port)

    @property
    def url(self) -> str:
        return self.served.url

    def start(self) -> RegieServer:
        self.served.start()
        self.view.warm()
        return self

    def stop(self) -> None:
        self.served.stop()
        self.view.close()

    def __enter__(self) -> RegieServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def serve(urls: dict[str, str], host: str = "127.0.0.1", port: int = 0, ttl: float = 1.0) -> RegieServer:
    """Start the regie in a background thread; ``stop()`` it when done."""
    return RegieServer(urls, host, port, ttl).start()
