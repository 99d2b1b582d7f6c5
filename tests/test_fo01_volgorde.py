"""A refusal after the Bv03 that overtakes the Bv03: the Fo01 may reach the sender before
the sender has read the Bv03 (the receiver's task is quick, its answer slow). Either way
the message ends ``geweigerd``; a late Bv03 must not turn it back into ``doorgestuurd``.
Both ways round: RINIS with a GGk stand-in (a report), and the GGk with a RINIS stand-in
(an upload), each stand-in over real HTTP forcing that order."""

from __future__ import annotations

from datetime import datetime

import requests
from flask import Flask, Response, request

from simulators import stuf
from simulators.clock import SimulatedClock
from simulators.ggk import create_app as ggk_app
from simulators.party import PartyConfig, party_of
from simulators.rinis import create_app
from simulators.server import ServedApp

START = datetime(2016, 8, 15, 9, 0)
RAPPORT = "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf"


def _weigert_eerst(naam: str, eigen: stuf.Systeem, code: str, functie: str | None,
                   afzender_url: list[str]) -> Flask:
    """A stand-in receiver: answers each Di01/Du01 with a Bv03, but for ``functie`` (every
    message when None) only after it sent the sender a Fo01 ``code`` for it."""
    app = Flask(naam)

    @app.post("/stuf/ontvang")
    def ontvang():
        sg = stuf.read_stuurgegevens(stuf.unwrap(request.get_data()))
        if functie is None or sg.functie == functie:
            ontvanger = sg.zender if eigen.organisatie == "IB" else stuf.Systeem(sg.zender.organisatie, "GGk")
            fo01 = stuf.build_antwoord("Fo01", stuf.Stuurgegevens(
                "Fo01", eigen, ontvanger, stuf.new_referentienummer(), "20160815090000000",
                crossRefnummer=sg.referentienummer),
                stuf.Foutbericht(code, "client", f"{naam} weigert het bericht na het Bv03",
                                 details=f"{sg.functie}-00010000"))
            antwoord = requests.post(f"{afzender_url[0]}/stuf/ontvang", data=stuf.wrap(fo01), timeout=10,
                                     headers={"Content-Type": stuf.CONTENT_TYPE,
                                              "SOAPAction": f'"{stuf.SOAP_ACTIONS["Fo01"]}"'})
            assert stuf.read_antwoord(stuf.unwrap(antwoord.content)).bevestigd, antwoord.text[:300]
        bv03 = stuf.build_antwoord("Bv03", stuf.Stuurgegevens(
            "Bv03", eigen, sg.zender, stuf.new_referentienummer(), "20160815090000000",
            crossRefnummer=sg.referentienummer))
        return Response(stuf.wrap(bv03), content_type=stuf.CONTENT_TYPE)

    return app


def test_a_fo01_that_overtakes_the_bv03_keeps_the_report_refused(tmp_path):
    rinis_url: list[str] = []
    with ServedApp(_weigert_eerst("GGk", stuf.Systeem("IB", "GGKWebservice"), "StUF058", None,
                                   rinis_url)) as ggk:
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


def test_a_fo01_that_overtakes_the_bv03_keeps_the_upload_refused(tmp_path):
    ggk_url: list[str] = []
    with ServedApp(_weigert_eerst("RINIS", stuf.Systeem("RINIS", "RINIS-router"), "RIN001",
                                   "GMSD-AANLEVERING", ggk_url)) as rinis:
        config = PartyConfig(state_path=tmp_path / "ggk.sqlite3", clock=SimulatedClock(START),
                             urls={"rinis": rinis.url}, options={})
        app = ggk_app(config)
        party_of(app).start()
        with ServedApp(app) as ggk:
            ggk_url.append(ggk.url)
            response = requests.post(f"{ggk.url}/api/v1/uploads", timeout=10,
                                     data={"gemeentecode": "0363", "gebruiker": "henk@amsterdam.nl"},
                                     files={"bestand": ("WMO_H12016.csv", b"a;b\r\n1;2\r\n")})
            assert response.status_code == 201, response.text
            assert party_of(app).tasks.wait_idle(15), "the GGk did not finish forwarding"
            [upload] = requests.get(f"{ggk.url}/api/v1/gemeenten/0363/uploads", timeout=10).json()
            assert upload["status"] == "geweigerd" and "RIN001" in (upload["melding"] or ""), upload
        party_of(app).stop()
