"""RINIS and a GGk that refuses a report after its Bv03: the Fo01 may reach RINIS before
RINIS has read the Bv03 (the GGk's task is quick, the answer slow). Either way the report
ends ``geweigerd`` in CBS's send folder; a late Bv03 must not turn it back into
``doorgestuurd``. The GGk here is a stand-in over real HTTP that forces that order."""

from __future__ import annotations

from datetime import datetime

import requests
from flask import Flask, Response, request

from simulators import stuf
from simulators.clock import SimulatedClock
from simulators.party import PartyConfig, party_of
from simulators.rinis import create_app
from simulators.server import ServedApp

START = datetime(2016, 8, 15, 9, 0)
RAPPORT = "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf"


def _ggk_die_eerst_weigert(rinis_url: list[str]) -> Flask:
    """Answers each Di01/Du01 with a Bv03, but only after it sent RINIS a Fo01 for it."""
    app = Flask("ggk-stand-in")

    @app.post("/stuf/ontvang")
    def ontvang():
        sg = stuf.read_stuurgegevens(stuf.unwrap(request.get_data()))
        ggk = stuf.Systeem("IB", "GGKWebservice")
        fo01 = stuf.build_antwoord("Fo01", stuf.Stuurgegevens(
            "Fo01", ggk, sg.zender, stuf.new_referentienummer(), "20160815090000000",
            crossRefnummer=sg.referentienummer),
            stuf.Foutbericht("StUF058", "client", "Het GGk weigert het rapport",
                             details="GMSD-RAPPORT-00010000"))
        antwoord = requests.post(f"{rinis_url[0]}/stuf/ontvang", data=stuf.wrap(fo01), timeout=10, headers={
            "Content-Type": stuf.CONTENT_TYPE, "SOAPAction": f'"{stuf.SOAP_ACTIONS["Fo01"]}"'})
        assert stuf.read_antwoord(stuf.unwrap(antwoord.content)).bevestigd, antwoord.text[:300]
        bv03 = stuf.build_antwoord("Bv03", stuf.Stuurgegevens(
            "Bv03", ggk, sg.zender, stuf.new_referentienummer(), "20160815090000000",
            crossRefnummer=sg.referentienummer))
        return Response(stuf.wrap(bv03), content_type=stuf.CONTENT_TYPE)

    return app


def test_a_fo01_that_overtakes_the_bv03_keeps_the_report_refused(tmp_path):
    rinis_url: list[str] = []
    with ServedApp(_ggk_die_eerst_weigert(rinis_url)) as ggk:
        config = PartyConfig(state_path=tmp_path / "rinis.sqlite3", clock=SimulatedClock(START),
                             urls={"ggk": ggk.url}, options={})
        app = create_app(config)
        party_of(app).start()  # its task worker routes the report
        with ServedApp(app) as rinis:
            rinis_url.append(rinis.url)
            response = requests.put(f"{rinis.url}/mappen/RGMSD101/{RAPPORT}", data=b"%PDF-1.4 rapport",
                                    headers={"Content-Type": "application/pdf"}, timeout=10)
            assert response.status_code == 201, response.text
            assert party_of(app).tasks.wait_idle(15), "RINIS did not finish routing"
            [rapport] = requests.get(f"{rinis.url}/mappen/RGMSD101", timeout=10).json()
            assert (rapport["status"], (rapport["melding"] or "")[:7]) == ("geweigerd", "StUF058"), rapport
        party_of(app).stop()
