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


def _rinis_die_eerst_weigert(ggk_url: list[str]) -> Flask:
    """Answers each Di01 with a Bv03; the file's (not the metadata's) only after it sent the
    GGk a Fo01 RIN001 for it."""
    app = Flask("rinis-stand-in")

    @app.post("/stuf/ontvang")
    def ontvang():
        sg = stuf.read_stuurgegevens(stuf.unwrap(request.get_data()))
        rinis = stuf.Systeem("RINIS", "RINIS-router")
        if sg.functie == "GMSD-AANLEVERING":
            fo01 = stuf.build_antwoord("Fo01", stuf.Stuurgegevens(
                "Fo01", rinis, stuf.Systeem(sg.zender.organisatie, "GGk"), stuf.new_referentienummer(),
                "20160815090000000", crossRefnummer=sg.referentienummer),
                stuf.Foutbericht("RIN001", "client", "RINIS kan het bestand niet plaatsen",
                                 details="GMSD-AANLEVERING-00010000"))
            antwoord = requests.post(f"{ggk_url[0]}/stuf/ontvang", data=stuf.wrap(fo01), timeout=10, headers={
                "Content-Type": stuf.CONTENT_TYPE, "SOAPAction": f'"{stuf.SOAP_ACTIONS["Fo01"]}"'})
            assert stuf.read_antwoord(stuf.unwrap(antwoord.content)).bevestigd, antwoord.text[:300]
        bv03 = stuf.build_antwoord("Bv03", stuf.Stuurgegevens(
            "Bv03", rinis, sg.zender, stuf.new_referentienummer(), "20160815090000000",
            crossRefnummer=sg.referentienummer))
        return Response(stuf.wrap(bv03), content_type=stuf.CONTENT_TYPE)

    return app


def test_a_fo01_that_overtakes_the_bv03_keeps_the_upload_refused(tmp_path):
    ggk_url: list[str] = []
    with ServedApp(_rinis_die_eerst_weigert(ggk_url)) as rinis:
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
