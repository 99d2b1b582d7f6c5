"""The control API under ``/_beheer``: what a test harness asks of a simulated party.

Clock and timeline, reset between scenarios, a restart in place, faults (``storingen``),
the courier's time-out, the task list and waiting until idle. A real partner's endpoint
has none of this; ``docs/interfaces/openapi/beheer.yaml`` is its contract.

The blueprint finds the party of the moment through the ``party_of`` it is given (a
restart replaces the party behind an app), so it imports no party module.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from ..clock import ClockError
from ..tijdlijn import Tijdlijn, TijdlijnError
from .herstart import HerstartError, restart
from .storingen import StoringError


def blueprint(party_of: Callable[[], Any]) -> Blueprint:
    """The ``/_beheer`` endpoints, reaching the app's party through ``party_of()``."""
    bp = Blueprint("beheer", __name__)

    @bp.get("/_beheer/klok")
    def get_clock():
        clock = party_of().clock
        return jsonify(klok=clock.now().isoformat(), gesimuleerd=clock.simulated)

    @bp.put("/_beheer/klok")
    def set_clock():
        party = party_of()
        data = request.get_json(silent=True) or {}
        try:
            party.clock.set(datetime.fromisoformat(str(data.get("klok", ""))),
                            allow_back=bool(data.get("opnieuw")))
        except ClockError as exc:
            return jsonify(fout="Klok niet verzet", melding=str(exc)), 409
        except ValueError:
            return jsonify(fout="Ongeldige tijd", melding="geef 'klok' als ISO-tijd, "
                           "bijvoorbeeld 2016-08-15T09:00:00"), 400
        party.tasks.wake()
        return jsonify(klok=party.clock.now().isoformat())

    @bp.get("/_beheer/tijdlijn")
    def get_tijdlijn():
        tijdlijn = party_of().tijdlijn
        return jsonify(tijdlijn.to_json() if tijdlijn else None)

    @bp.put("/_beheer/tijdlijn")
    def put_tijdlijn():
        """Follow this timeline (the JSON form of a fixtures/timelines file)."""
        try:
            tijdlijn = Tijdlijn.from_json(request.get_json(silent=True) or {})
        except (TijdlijnError, ValueError) as exc:
            return jsonify(fout="Ongeldige tijdlijn", melding=str(exc)), 400
        party_of().set_tijdlijn(tijdlijn)
        return jsonify(tijdlijn=tijdlijn.naam)

    @bp.post("/_beheer/reset")
    def reset():
        """Empty the party's state (a test harness's call between scenarios)."""
        idle = party_of().reset()
        return jsonify(gereset=True, was_rustig=idle)

    @bp.post("/_beheer/herstart")
    def herstart():
        """Restart the party in place (see :func:`restart`); answers what it found open."""
        try:
            return jsonify(restart(current_app._get_current_object(), eigen=1))
        except HerstartError as exc:
            return jsonify(fout="Niet herstart", melding=str(exc)), 409

    @bp.get("/_beheer/courier")
    def get_courier():
        party = party_of()
        return jsonify(timeout=party.courier.timeout, ingesteld=party.courier_timeout)

    @bp.put("/_beheer/courier")
    def put_courier():
        """Lower (or raise) the courier's time-out until the next reset or restart."""
        party = party_of()
        try:
            party.set_courier_timeout((request.get_json(silent=True) or {}).get("timeout"))
        except ValueError as exc:
            return jsonify(fout="Ongeldige time-out", melding=str(exc)), 400
        return jsonify(timeout=party.courier.timeout, ingesteld=party.courier_timeout)

    @bp.get("/_beheer/storing")
    def get_storing():
        """The armed faults (what is left of each) and what they did."""
        return jsonify(party_of().storingen.listing())

    @bp.put("/_beheer/storing")
    def put_storing():
        """Arm a fault (or a list of them): see simulators/storingen.py and docs/storingen.md."""
        try:
            made = party_of().storingen.arm(request.get_json(silent=True))
        except StoringError as exc:
            return jsonify(fout="Ongeldige storing", melding=str(exc)), 400
        return jsonify(party_of().storingen.listing() | {"nieuw": [s.id for s in made]}), 201

    @bp.delete("/_beheer/storing")
    def delete_storing():
        return jsonify(opgeheven=party_of().storingen.clear())

    @bp.delete("/_beheer/storing/<int:storing_id>")
    def delete_one_storing(storing_id: int):
        if not party_of().storingen.clear(storing_id):
            return jsonify(fout="Niet gevonden", melding=f"storing {storing_id} is niet (meer) actief"), 404
        return jsonify(opgeheven=1)

    @bp.get("/_beheer/taken")
    def tasks():
        return jsonify(party_of().tasks.listing())

    @bp.get("/_beheer/alarmen")
    def alarms():
        """Work that failed or ran past its deadline: never silent."""
        return jsonify(party_of().tasks.alarms())

    @bp.get("/_beheer/taken/later")
    def tasks_later():
        """Work that falls due when the clock moves on, earliest first."""
        return jsonify(party_of().tasks.later())

    @bp.get("/_beheer/toegang")
    def access_log():
        """Every request the party refused on its certificate (a TLS chain), oldest first;
        filters ``gemeente``, ``actie``, ``na``."""
        return jsonify(party_of().access_log.lees(request.args.get("gemeente"), request.args.get("actie"),
                                                  request.args.get("na", default=0, type=int)))

    @bp.post("/_beheer/wacht")
    def wait_idle():
        """Wait until the party has no open task (at most ``seconden``, default 10)."""
        try:
            seconds = min(float(request.args.get("seconden", 10)), 60.0)
        except ValueError:
            return jsonify(fout="Ongeldig verzoek", melding="seconden is een getal, bijvoorbeeld 10"), 400
        start = time.monotonic()
        idle = party_of().tasks.wait_idle(seconds)
        return jsonify(rustig=idle, gewacht=round(time.monotonic() - start, 3)), (200 if idle else 504)

    return bp
