"""What the four party simulators have in common: config, state, and the shared endpoints.

Every party serves ``GET /health`` (who it is, its clock, its endpoints),
``GET /journal`` (every message it sent or received, with a link to the raw payload)
and a small control API under ``/_beheer`` (``simulators/beheer/api.py``: clock, tasks,
wait-until-idle, faults, the courier's time-out, a restart) that a test harness uses and a
real partner does not need.

On a TLS chain (``docs/beveiliging.md``) every request carries a verified client certificate:
before anything else, :meth:`Party.admit` checks it is valid on the party's (simulated) date
and that the party's access table (``ACCESS``) lets its organisation call the path; a refusal
is a 403 and a line in the party's access log (``GET /_beheer/toegang``). Without TLS there is
no certificate and nothing is checked.

A restart (``POST /_beheer/herstart``, ``simulators/beheer/herstart.py``) replaces the app's
party by a new one built from the same config. Every view, and the fault middleware,
finds its party through :func:`party_of` on every request, never through a reference
kept aside.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request, url_for
from lxml import etree
from werkzeug.exceptions import HTTPException

from . import __version__, auditlog, stuf
from .beheer import api as beheer_api
from .beheer.herstart import Deur
from .beheer.storingen import Storingen
from .clock import Clock
from .courier import Courier
from .identity import GEMEENTE, HARNESS, Identity, admits, identity_of
from .kalender import Werkdagkalender
from .store import Journal, Store
from .tasks import Handler, Tasks
from .tijdlijn import Tijdlijn

OUTGOING_SCHEMA = """
CREATE TABLE IF NOT EXISTS uitgaand (
    sleutel TEXT PRIMARY KEY,   -- what the message is for (a referentienummer, a task)
    bericht BLOB NOT NULL       -- the serialised StUF message, sent as is on every try
);
CREATE TABLE IF NOT EXISTS instellingen (
    sleutel TEXT PRIMARY KEY,   -- e.g. 'tijdlijn'
    waarde TEXT NOT NULL        -- JSON
);
"""


ACCESS_LOG = "toegang_audit"
"""The table of every request a party refused on its certificate (a TLS chain)."""

PARTIES = ("gemeente", "ggk", "rinis", "cbs")
"""The four parties in chain order: the one list every module uses."""
NEIGHBOURS = {
    "gemeente": ("ggk",),
    "ggk": ("rinis", "gemeente"),
    "rinis": ("ggk", "cbs"),
    "cbs": ("rinis",),
}
"""Whom each party talks to directly (its ``urls``)."""

TASK_WORKERS = 1
"""Default worker threads per party. More (option taakwerkers) let its kinds of task overlap
their waits; on two cores the period bench ran no faster with three (CPU, not waiting, bounds
it: bench/README.md), so one, as before."""

_ONGELADEN = object()
MAX_COURIER_TIMEOUT = 300.0


@dataclass
class PartyConfig:
    """Everything a party needs, given once at creation.

    ``urls`` maps neighbour names to base URLs; the chain may fill it in after the
    app is created (ports are known only once the servers are bound).
    """

    state_path: Path
    clock: Clock
    urls: dict[str, str] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)


class Party:
    """State, journal, tasks and courier of one party; subclasses add the rules."""

    name = "party"
    schema = ""
    tasks_first: tuple[str, ...] = ()
    """Kinds of task done before any other that is due (simulators/tasks.py)."""
    ACCESS: tuple[tuple[str, str], ...] = ()
    """On a TLS chain: per path prefix, whose certificate may call it (a party's name,
    ``gemeente`` for any gemeente, ``*`` for every certificate of the chain); the first match
    wins, after the control paths of every party (``simulators.identity.CONTROL_PATHS``). A path
    not listed is the harness's."""

    def __init__(self, config: PartyConfig) -> None:
        self.config = config
        self.clock = config.clock
        self.store = Store(config.state_path, OUTGOING_SCHEMA + auditlog.schema(ACCESS_LOG) + self.schema)
        self.journal = Journal(self.store, self.clock)
        self.access_log = auditlog.Auditlog(self.store, self.clock, ACCESS_LOG)
        # How long a call to a neighbour may take (option courier_timeout, seconds); a scenario
        # that makes a neighbour hang lowers it for a while (set_courier_timeout).
        self.courier_timeout = float(config.options.get("courier_timeout", 10.0))
        self.courier = Courier(self.name, self.journal, timeout=self.courier_timeout,
                               tls=config.options.get("tls"))
        # Worker threads for the party's tasks (option taakwerkers): one kind of task at a time,
        # different kinds side by side, as a real party's stages run (simulators/tasks.py).
        self.tasks = Tasks(self.store, self.task_handlers(), clock=self.clock,
                           expiry=self.task_expiry_handlers(),
                           workers=int(config.options.get("taakwerkers", TASK_WORKERS)),
                           first=self.tasks_first)
        self.storingen = Storingen(  # in memory: a restart clears them
            self.name, self.clock, self.journal,
            peer=lambda: getattr(getattr(self, "receiver", None), "peer", "onbekend"))
        self._tijdlijn: Tijdlijn | None | object = _ONGELADEN

    def task_handlers(self) -> dict[str, Handler]:
        return {}

    # ------------------------------------------------------ who may call (TLS)

    def admit(self, identity: Identity, method: str, path: str, herkomst: str = "") -> str | None:
        """Why ``identity`` may not make this request (None: it may): its certificate is not
        valid on the party's date, or the access table keeps the path for others. A refusal
        is a line in the access log."""
        today = self.clock.peek()
        if not identity.valid_on(today):
            why = (f"het certificaat van {identity.described} is niet geldig op {today:%d-%m-%Y} "
                   f"({identity.validity()})")
        else:
            who = admits(self.ACCESS, identity, path)
            why = None if who is None else (f"{path} is bij {self.name} alleen voor {_wie(who)}; het "
                                            f"certificaat is van {identity.described}")
        if why is not None:
            self.refuse(identity, f"{method} {path}", why, herkomst)
        return why

    def refuse(self, identity: Identity | None, actie: str, why: str, herkomst: str = "",
               gemeentecode: str | None = None) -> None:
        """One line in the access log: who was refused what, and why."""
        self.access_log.schrijf(identity.described if identity else "onbekend (geen geldig certificaat)",
                                gemeentecode or (identity.gemeentecode if identity else None), actie,
                                "geweigerd", why, herkomst or "onbekend")

    def refuse_handshake(self, peer: str, why: str) -> None:
        """The TLS server refused a connection in its handshake (``simulators/https.py``)."""
        self.refuse(None, "tls-handshake", why, peer)

    def task_expiry_handlers(self) -> dict[str, Callable[[dict, str], None]]:
        """Per task kind: what to do when it could not be done before its deadline."""
        return {}

    def outgoing(self, key: str, build: Callable[[], etree._Element]) -> etree._Element:
        """The message to send under ``key``: built once, then the same bytes on every retry.

        A retry after a lost Bv03 must be the identical message (same referentienummer
        and tijdstipBericht), or the receiver rightly answers StUF016.
        """
        row = self.store.one("SELECT bericht FROM uitgaand WHERE sleutel = ?", (key,))
        if row is None:
            self.store.execute("INSERT OR IGNORE INTO uitgaand VALUES (?, ?)",
                               (key, stuf.to_bytes(build())))
            row = self.store.one("SELECT bericht FROM uitgaand WHERE sleutel = ?", (key,))
        return stuf.parse_xml(bytes(row["bericht"]))

    @property
    def tijdlijn(self) -> Tijdlijn | None:
        """The timeline this party follows, if one was loaded (persisted: survives a restart;
        read from the store once, then kept: every upload and check asks for it)."""
        if self._tijdlijn is _ONGELADEN:
            row = self.store.one("SELECT waarde FROM instellingen WHERE sleutel = 'tijdlijn'")
            self._tijdlijn = Tijdlijn.from_json(json.loads(row["waarde"])) if row else None
        return self._tijdlijn

    def set_tijdlijn(self, tijdlijn: Tijdlijn) -> None:
        with self.store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO instellingen VALUES ('tijdlijn', ?)",
                       (json.dumps(tijdlijn.to_json(), ensure_ascii=False),))
            self.on_tijdlijn(tijdlijn, db)
        self._tijdlijn = tijdlijn

    def on_tijdlijn(self, tijdlijn: Tijdlijn, db) -> None:
        """A party schedules what the timeline makes due (within the same transaction)."""

    @property
    def kalender(self) -> Werkdagkalender:
        tijdlijn = self.tijdlijn
        return tijdlijn.kalender if tijdlijn else Werkdagkalender()

    def reset(self, settle: float = 2.0) -> bool:
        """Forget everything: every table emptied, open tasks dropped. For a test harness
        between scenarios, so one scenario's deliveries never leak into the next.
        Returns whether the party was idle before (False: running work was cut off).
        Armed faults go first, so a hanging request ends and senders can settle."""
        self.storingen.reset()
        self.courier.timeout = self.courier_timeout
        self.access_log.wis()
        idle = self.tasks.wait_idle(settle)
        # No task starts while the store is emptied, and one still running (a send that
        # outlived the settle time) ends first: its last side effect happens now, not in the
        # next scenario. The harness resets every party twice for what such a send caused.
        with self.tasks.stilgezet(self.courier.timeout + 2):
            self.store.wipe()
            self.tasks.forget()
        self._tijdlijn = None
        return idle

    def set_courier_timeout(self, seconds: Any) -> float:
        """How long the courier waits for a neighbour, until the next reset or restart (then
        the configured value again): a hang costs a scenario this long, not 10 s."""
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not (
                0 < seconds <= MAX_COURIER_TIMEOUT):
            raise ValueError(f"timeout is een aantal seconden groter dan 0 en ten hoogste "
                             f"{MAX_COURIER_TIMEOUT:g}, bijvoorbeeld {{\"timeout\": 1}}")
        self.courier.timeout = float(seconds)
        return self.courier.timeout

    def url(self, neighbour: str) -> str:
        try:
            return self.config.urls[neighbour].rstrip("/")
        except KeyError:
            raise LookupError(f"{self.name} kent het adres van {neighbour} niet") from None

    def start(self) -> None:
        self.tasks.start()

    def stop(self, wait: float = 5.0) -> None:
        """Stop the task worker (waiting at most ``wait`` s for the task it is doing) and
        close the store."""
        self.storingen.reset()  # ends a running hang, so the server can shut down at once
        self.tasks.stop(wait)
        self.store.close()


def party_of(app: Flask | None = None) -> Any:
    return (app or current_app).extensions["ketentest.party"]


def make_app(party: Party, endpoints: dict[str, str], *blueprints: Blueprint) -> Flask:
    """A Flask app for ``party``: the shared endpoints, the party's own blueprints,
    and error handlers that answer in JSON with a Dutch message, never a traceback."""
    app = Flask(f"ketentest.{party.name}", static_folder=None)  # a party serves no files from disk
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024 * 1024
    app.json.ensure_ascii = False
    app.extensions["ketentest.party"] = party
    app.extensions["ketentest.endpoints"] = endpoints
    deur = app.extensions["ketentest.deur"] = Deur()
    flask_wsgi = app.wsgi_app

    def storend(environ: dict, start_response: Callable):
        """Who may call comes first (a TLS chain), then faults, then Flask; the party's of this
        moment (a restart replaces it)."""
        with deur.binnen():
            party = party_of(app)
            identity = identity_of(environ)
            if identity is not None:
                why = party.admit(identity, environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""),
                                  f"{environ.get('REMOTE_ADDR', '')}:{environ.get('REMOTE_PORT', '')}")
                if why is not None:
                    return _refused(why, start_response)
            return party.storingen.handle(flask_wsgi, environ, start_response)

    app.wsgi_app = storend
    app.register_blueprint(_common_blueprint())
    app.register_blueprint(beheer_api.blueprint(party_of))
    for bp in blueprints:
        app.register_blueprint(bp)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        return jsonify(fout=exc.name, melding=_dutch(exc)), exc.code

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("onverwachte fout")
        return jsonify(fout="Interne fout", melding=(
            f"{party.name} kon het verzoek niet afhandelen ({type(exc).__name__}); "
            "niets is verwerkt")), 500

    return app


def _wie(who: str) -> str:
    return {GEMEENTE: "een gemeente", HARNESS: "de harness"}.get(who, f"de partij {who}")


def _refused(why: str, start_response: Callable) -> list[bytes]:
    body = json.dumps({"fout": "Geen toegang", "melding": why}, ensure_ascii=False).encode()
    start_response("403 Forbidden", [("Content-Type", "application/json"),
                                     ("Content-Length", str(len(body)))])
    return [body]


def _dutch(exc: HTTPException) -> str:
    texts = {
        404: "Dit adres bestaat niet bij deze partij; zie /health voor de endpoints.",
        405: "Deze methode is hier niet toegestaan.",
        413: "Het bericht is te groot.",
    }
    return texts.get(exc.code or 0, exc.description or exc.name)


def _common_blueprint() -> Blueprint:
    bp = Blueprint("common", __name__)

    @bp.get("/health")
    def health():
        party = party_of()
        return jsonify(
            party=party.name,
            version=__version__,
            proces=os.getpid(),  # each party of `ketentest up` is its own OS process
            klok=party.clock.now().isoformat(),
            gesimuleerde_klok=party.clock.simulated,
            endpoints=current_app.extensions["ketentest.endpoints"],
            buren=party.config.urls,
            open_taken=party.tasks.pending(),
        )

    @bp.get("/journal")
    def journal():
        party = party_of()
        since = request.args.get("na", default=0, type=int)
        inhoud = request.args.get("inhoud") == "1"
        entries = party.journal.entries(since, request.args.get("correlatie"), payloads=inhoud)
        for entry in entries:
            if inhoud:
                entry["inhoud"] = base64.b64encode(bytes(entry["payload"])).decode("ascii")
            entry["payload"] = url_for("common.journal_payload", entry_id=entry["id"], _external=True)
        return jsonify(entries)

    @bp.get("/journal/stand")
    def journal_position():
        """The id of the last journal line: cheap to ask before a scenario begins."""
        return jsonify(laatste=party_of().journal.last_id())

    @bp.get("/journal/<int:entry_id>/payload")
    def journal_payload(entry_id: int):
        found = party_of().journal.payload(entry_id)
        if found is None:
            return jsonify(fout="Niet gevonden", melding=f"journaalregel {entry_id} bestaat niet"), 404
        payload, content_type = found
        return Response(payload, content_type=content_type)

    return bp
