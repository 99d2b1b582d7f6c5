"""The regie (``ketentest/regie``): rows built from crafted journals, SLA clocks, filters and
exports; then over HTTP against a real chain: incremental reads, a party that is down or
answers garbage, the page and the JSON agreeing, and ``ketentest up`` / ``ketentest regie``
as a coordinator runs them."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import datetime

import pytest
import requests
from flask import Flask, request
from lxml import html
from test_cli import start, stop  # ketentest up as its own process

from ketentest.regie import STAPPEN, ChainView, create_app
from ketentest.regie.export import CSV_KOLOMMEN, as_csv, levering_json
from ketentest.regie.index import DeliveryIndex
from ketentest.regie.leveringen import Extra, FoutTekst, build_levering
from ketentest.regie.query import Keuze, KeuzeRefused, select
from ketentest.regie.sla import sla_clocks
from simulators.chain import PARTIES, Chain
from simulators.clock import AMSTERDAM, SimulatedClock
from simulators.server import ServedApp
from simulators.tijdlijn import laad

REF = "20160815-090000-001"
DI01_META, DI01_FILE, DU01 = "meta-0000-4000-8000-000000000001", "file-0000-4000-8000-000000000002", "du01-1"
NAMEN = {"0344": "Utrecht", "0363": "Amsterdam"}


def _t(dag: int, tijd: str) -> str:
    uur, minuut, seconde = (int(x) for x in tijd.split(":"))
    return datetime(2016, 8, dag, uur, minuut, seconde, tzinfo=AMSTERDAM).isoformat()


def _e(id_: int, richting: str, peer: str, soort: str, tijdstip: str, **velden) -> dict:
    return {"id": id_, "richting": richting, "peer": peer, "soort": soort, "berichtcode": None,
            "referentienummer": None, "crossRefnummer": None, "bestandsnaam": None, "correlatie": REF,
            "tijdstip": tijdstip, "payload": f"http://p/{id_}"} | velden


def _stuf(id_, richting, peer, code, tijdstip, ref=None, cross=None, **velden) -> dict:
    return _e(id_, richting, peer, code, tijdstip, berichtcode=code, referentienummer=ref,
              crossRefnummer=cross, **velden)


def journals(dag_rapport: int = 15) -> dict[str, list[dict]]:
    """One delivery of Utrecht as the four journals hold it (names as the simulators give them);
    RINIS journals the GGk's Di01s before it learned the reference (no correlatie)."""
    pdf, csv = f"CBS_TECHNISCH_0344_H12016_{REF}.pdf", "WMO_H12016_regulier.csv"
    return {
        "gemeente": [
            _e(1, "uit", "ggk", "upload", _t(15, "9:00:00"), bestandsnaam=csv, correlatie=None),
            _e(2, "in", "ggk", "upload-antwoord", _t(15, "9:00:00")),
            _e(3, "in", "ggk", "rapport", _t(dag_rapport, "9:00:05"), bestandsnaam=pdf[:-4] + ".zip"),
        ],
        "ggk": [
            _e(1, "in", "gemeente", "upload", _t(15, "9:00:00"), bestandsnaam=csv),
            _stuf(2, "uit", "rinis", "Di01", _t(15, "9:00:01"), DI01_META),
            _stuf(3, "in", "rinis", "Bv03", _t(15, "9:00:01"), "b1", DI01_META),
            _stuf(4, "uit", "rinis", "Di01", _t(15, "9:00:01"), DI01_FILE, bestandsnaam=csv),
            _stuf(5, "in", "rinis", "Bv03", _t(15, "9:00:01"), "b2", DI01_FILE),
            _stuf(6, "in", "rinis", "Du01", _t(dag_rapport, "9:00:04"), DU01, DI01_FILE, bestandsnaam=pdf),
        ],
        "rinis": [
            _stuf(1, "in", "ggk", "Di01", _t(15, "9:00:01"), DI01_META, correlatie=None),
            _stuf(2, "uit", "ggk", "Bv03", _t(15, "9:00:01"), None, DI01_META, correlatie=None),
            _stuf(3, "in", "ggk", "Di01", _t(15, "9:00:02"), DI01_FILE, correlatie=None),
            _stuf(4, "uit", "ggk", "Bv03", _t(15, "9:00:02"), None, DI01_FILE, correlatie=None),
            _e(5, "uit", "cbs", "bestand", _t(15, "9:00:02"), bestandsnaam="WMO_H12016_regulier_0344.csv"),
        ],
        "cbs": [
            _e(1, "in", "rinis", "bestand", _t(15, "9:00:03"), bestandsnaam="WMO_H12016_regulier_0344.csv"),
            _e(2, "uit", "rinis", "rapport", _t(dag_rapport, "9:00:03"), bestandsnaam=pdf),
        ],
    }


def index_of(journalen: dict[str, list[dict]]) -> DeliveryIndex:
    index = DeliveryIndex()
    for partij in ("gemeente", "ggk", "rinis", "cbs"):
        for regel in journalen.get(partij, []):
            index.add(partij, regel)
    return index


def build(journalen, extra: Extra | None = None, referentie: str = REF):
    index = index_of(journalen)
    return build_levering(referentie, index.upload_of(referentie), index.lines_of(referentie),
                          extra or Extra(), NAMEN)


# ------------------------------------------------------------- rows from journals


def test_a_delivery_is_followed_step_by_step_on_each_partys_clock():
    extra = Extra(inbox={REF: {"geplaatst": _t(15, "9:00:02"), "gemeentecode": "0344"}},
                  oordelen={REF: "goedgekeurd"})
    lev = build(journals(), extra)
    assert (lev.gemeentecode, lev.gemeente, lev.bestandsnaam, lev.soort, lev.periode) == (
        "0344", "Utrecht", "WMO_H12016_regulier.csv", "WMO", "H12016")
    assert {k: (s.partij, s.tijdstip[11:19]) for k, s in lev.stappen.items()} == {
        "geupload": ("ggk", "09:00:00"), "bij_rinis": ("rinis", "09:00:02"),
        "in_inbox": ("rinis", "09:00:02"),
        "bij_cbs": ("cbs", "09:00:03"), "technisch_rapport": ("cbs", "09:00:03"),
        "in_downloadgebied": ("ggk", "09:00:04"), "bij_gemeente": ("gemeente", "09:00:05")}
    assert lev.stappen["technisch_rapport"].tekst == "goedgekeurd"
    assert lev.stappen["bij_rinis"].bron == "http://p/4"  # RINIS's own Bv03 of the file's Di01
    assert lev.toestand == "bij_gemeente" and not lev.fouten and lev.te_lezen == ()


def test_every_line_of_the_delivery_is_filed_under_it_even_before_rinis_knows_the_reference():
    index = index_of(journals())
    assert index.references() == [REF]
    gevonden = {(p, r["id"]) for p, r in index.lines_of(REF)}
    alles = {(p, r["id"]) for p, lijst in journals().items() for r in lijst}
    assert gevonden == alles


def test_a_fo01_from_rinis_is_one_fault_with_its_code_text_and_when_the_gemeente_got_it():
    journalen = journals()
    journalen["rinis"] += [_stuf(6, "uit", "ggk", "Fo01", _t(15, "9:00:02"), "fo1", DI01_META,
                                 correlatie=None)]
    journalen["ggk"] += [_stuf(7, "in", "rinis", "Fo01", _t(15, "9:00:02"), "fo1", DI01_META)]
    journalen["gemeente"] += [_e(4, "in", "ggk", "foutrapport", _t(15, "9:00:06"), crossRefnummer=DI01_META,
                                 bestandsnaam=f"Fo01_{REF}.xml")]
    zonder_tekst = build(journalen)
    assert zonder_tekst.toestand == "fout" and len(zonder_tekst.fouten) == 1
    assert zonder_tekst.te_lezen == (("ggk", 7, "http://p/7"),)  # the GGk's receipt holds the text
    tekst = FoutTekst("RIN001", "RINIS weigert het bericht", "RINIS")
    lev = build(journalen, Extra(teksten={("ggk", 7): tekst}))
    (fout,) = lev.fouten
    assert fout.tekst == "Fo01 RIN001 van RINIS: RINIS weigert het bericht"
    assert fout.gemeld == _t(15, "9:00:06") and lev.te_lezen == ()


def test_a_zip_gives_each_csv_its_own_row_sharing_the_upload():
    tweede = "20160815-090000-002"
    journalen = journals()
    pdf2 = f"CBS_TECHNISCH_0344_H12016_{tweede}.pdf"
    journalen["ggk"][0]["bestandsnaam"] = "GMSD.zip"
    journalen["cbs"] += [_e(3, "uit", "rinis", "rapport", _t(15, "9:00:07"), bestandsnaam=pdf2,
                            correlatie=tweede)]
    journalen["ggk"] += [_stuf(7, "in", "rinis", "Du01", _t(15, "9:00:08"), "du2", DI01_FILE,
                               bestandsnaam=pdf2)]
    extra = Extra(bestanden={tweede: "SBO_H12016_0344.csv"}, oordelen={tweede: "afgekeurd"})
    lev = build(journalen, extra, tweede)
    assert (lev.upload, lev.bestandsnaam, lev.geupload_als, lev.soort) == (
        REF, "SBO_H12016.csv", "GMSD.zip", "SBO")
    assert lev.stappen["technisch_rapport"].tijdstip == _t(15, "9:00:07")
    assert lev.stappen["geupload"].tijdstip == _t(15, "9:00:00")  # the upload's, shared
    eigen = build(journalen, extra).stappen["technisch_rapport"]  # the first CSV: its own report
    assert eigen.tijdstip == _t(15, "9:00:03")


def test_without_any_name_the_gemeentecode_is_read_from_the_metadata_record():
    journalen = {"ggk": journals()["ggk"][:3]}
    lev = build(journalen)
    assert lev.gemeentecode is None and lev.te_lezen == (("ggk", 2, "http://p/2"),)
    assert build(journalen, Extra(gemeentecodes={REF: "0363"})).gemeente == "Amsterdam"


# ------------------------------------------------------------------------ SLA


def test_the_technical_report_sla_counts_working_days_on_the_timelines_calendar():
    tijdlijn = laad("H1 2016")  # 3 working days; 15 Aug 2016 is a Monday -> due Thursday 18 Aug
    lev = build(journals(dag_rapport=19))  # Friday: one working day late
    (klok,) = sla_clocks(lev, tijdlijn, datetime(2016, 8, 19, 12, tzinfo=AMSTERDAM))
    assert (klok.termijn.isoformat(), klok.stand, klok.werkdagen) == ("2016-08-18", "te laat", 1)
    assert klok.tekst == "technisch rapport uiterlijk do 18 aug 2016: 1 werkdag te laat"
    open_ = build({"ggk": journals()["ggk"][:1]})
    (loopt,) = sla_clocks(open_, tijdlijn, datetime(2016, 8, 16, 9, tzinfo=AMSTERDAM))
    assert (loopt.stand, loopt.werkdagen) == ("loopt", 2)
    (verlopen,) = sla_clocks(open_, tijdlijn, datetime(2016, 8, 22, 9, tzinfo=AMSTERDAM))  # Monday after
    assert (verlopen.stand, verlopen.werkdagen) == ("te laat", 2)


def test_after_approval_the_op_orde_report_is_due_on_the_periods_spiegelrapport_1_date():
    lev = build(journals(), Extra(oordelen={REF: "goedgekeurd"}))
    technisch, oporde = sla_clocks(lev, laad("H1 2016"), datetime(2016, 8, 15, 10, tzinfo=AMSTERDAM))
    assert technisch.stand == "gehaald"
    assert (oporde.naam, oporde.termijn.isoformat(), oporde.stand) == (
        "op-orde rapport", "2016-10-03", "loopt")


# --------------------------------------------------------- filters and exports


def _rows():
    eerste = build(journals(), Extra(oordelen={REF: "goedgekeurd"}))
    tweede = build({"ggk": [dict(r, correlatie="20160815-090000-002") for r in journals()["ggk"][:1]]},
                   referentie="20160815-090000-002")
    return [eerste, tweede]


def test_filters_select_and_count_per_state_within_the_other_filters():
    rows = _rows()
    alles = select(rows, Keuze())
    assert [lev.referentie for lev in alles.leveringen] == ["20160815-090000-002", REF]  # newest first
    assert alles.per_toestand["bij_gemeente"] == 1 and alles.per_toestand["geupload"] == 1
    gekozen = select(rows, Keuze.from_args({"toestand": "geupload", "sorteer": "toestand", "richting": "op"}))
    assert [lev.referentie for lev in gekozen.leveringen] == ["20160815-090000-002"]
    assert gekozen.per_toestand["bij_gemeente"] == 1  # the count ignores the state filter itself
    utrecht = select(rows, Keuze.from_args({"gemeente": "utrecht"}))
    assert [lev.referentie for lev in utrecht.leveringen] == [REF]
    with pytest.raises(KeuzeRefused, match="toestand 'kwijt' bestaat niet; kies uit geupload"):
        Keuze.from_args({"toestand": "kwijt"})
    with pytest.raises(KeuzeRefused, match="sorteren op 'kleur' kan niet"):
        Keuze.from_args({"sorteer": "kleur"})


def test_json_and_csv_carry_the_same_fields():
    lev = _rows()[0]
    klokken = sla_clocks(lev, None, datetime(2016, 8, 15, 10, tzinfo=AMSTERDAM))
    data = levering_json(lev, klokken)
    assert data["stappen"]["bij_cbs"] == {"partij": "cbs", "tijdstip": _t(15, "9:00:03"), "tekst": None,
                                          "bron": "http://p/1"}
    assert data["stappen"]["op_orde"] is None
    assert data["toestand_tekst"] == "rapport opgehaald door de gemeente"
    kop, regel, _ = as_csv([(lev, klokken)]).split("\r\n")
    rij = dict(zip(kop.split(";"), regel.split(";"), strict=True))
    assert tuple(kop.split(";")) == CSV_KOLOMMEN
    assert (rij["referentie"], rij["gemeente"], rij["toestand"], rij["bij_cbs"], rij["in_inbox"]) == (
        REF, "Utrecht", "bij_gemeente", _t(15, "9:00:03"), "ja")  # done, but no journal shows when
    assert rij["sla"].startswith("technisch rapport uiterlijk do 18 aug 2016: gehaald")


# ---------------------------------------------------------- over HTTP, a real chain


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """The four parties in this process on a simulated clock, with three deliveries: two of
    Utrecht (one refused afterwards by RINIS with a Fo01) and one of Amsterdam."""
    with Chain(tmp_path_factory.mktemp("keten"), SimulatedClock(datetime(2016, 8, 15, 9, 0))) as keten:
        aanleveren = f"{keten.urls['gemeente']}/api/v1/aanleveringen"
        requests.post(aanleveren, json={"gemeentecode": "0344"}, timeout=30).raise_for_status()
        assert requests.put(f"{keten.urls['rinis']}/_beheer/storing", json={
            "soort": "fo01", "code": "RIN001", "pad": "/stuf/ontvang", "aantal": 1}, timeout=5).ok
        for levering in ({"gemeentecode": "0344", "soort": "SBO"}, {"gemeentecode": "0363"}):
            requests.post(aanleveren, json=levering, timeout=30).raise_for_status()
        assert keten.wait_idle(20)
        yield keten


def test_the_journals_are_read_from_the_last_line_on(chain):
    view = ChainView(chain.urls, ttl=0)
    gevraagd: list[tuple[str, object]] = []
    for naam, source in view.sources.items():
        echt = source.session.get
        source.session.get = lambda url, *a, _echt=echt, _naam=naam, **k: (
            gevraagd.append((_naam, (k.get("params") or {}).get("na"))), _echt(url, *a, **k))[1]
    try:
        assert len(view.snapshot().leveringen) == 3
        eerst = {naam: na for naam, na in gevraagd if na is not None}
        gevraagd.clear()
        view.snapshot()
        laatste = {naam: source.journal[1][-1]["id"] for naam, source in view.sources.items()}
        assert {naam: na for naam, na in gevraagd if na is not None} == {n: laatste[n] - 1 for n in laatste}
        assert eerst == dict.fromkeys(PARTIES, 0)
    finally:
        view.close()


def test_the_page_and_the_json_show_the_same_deliveries(chain):
    app = create_app(ChainView(chain.urls, ttl=0, wacht=30))  # every request reads everything
    client = app.test_client()
    data = client.get("/api/leveringen").get_json()
    pagina = html.fromstring(client.get("/").get_data(as_text=True))
    rijen = {rij.get("data-referentie"): rij for rij in pagina.xpath("//table[@class='leveringen']/tbody/tr")}
    assert data["aantal"] == len(rijen) == 3
    for lev in data["leveringen"]:
        rij = rijen[lev["referentie"]]
        cel = {td.get("data-veld"): td.text_content().strip() for td in rij.xpath("td[@data-veld]")}
        assert cel["gemeente"] == f"{lev['gemeente']} ({lev['gemeentecode']})"
        assert cel["bestandsnaam"] == lev["bestandsnaam"] and cel["soort"] == lev["soort"]
        assert rij.get("data-toestand") == lev["toestand"]
        tijden = [t.get("datetime") for t in rij.xpath(".//time")]
        assert list(lev["stappen"]) == [key for key, _, _ in STAPPEN]
        assert tijden == [s["tijdstip"] for s in lev["stappen"].values() if s and s["tijdstip"]]
    fout = next(lev for lev in data["leveringen"] if lev["toestand"] == "fout")
    assert fout["fouten"][0]["foutcode"] == "RIN001" and fout["fouten"][0]["afzender"] == "RINIS"
    assert "Fo01 RIN001 van RINIS" in " ".join(rijen[fout["referentie"]].xpath("td[@data-veld='toestand']")[0]
                                               .text_content().split())
    assert client.get("/api/leveringen?gemeente=0363").get_json()["aantal"] == 1
    csv = client.get("/api/leveringen.csv?soort=SBO").get_data(as_text=True).splitlines()
    assert len(csv) == 2 and ";SBO;" in csv[1]
    slecht = client.get("/api/leveringen?toestand=kwijt")
    assert slecht.status_code == 400 and "kies uit" in slecht.get_json()["melding"]
    assert client.get("/?toestand=kwijt").status_code == 400
    detail = client.get(f"/levering/{fout['referentie']}").get_data(as_text=True)
    assert "<svg" in detail and detail.count("/payload") >= 8
    assert client.get("/levering/20990101-000000-001").status_code == 404


def _journal_app(regels: list[dict]) -> Flask:
    """A party whose journal is ``regels`` (the test changes it between reads)."""
    app = Flask("journaal")
    app.add_url_rule("/health", "health", lambda: {"party": "ggk", "klok": _t(15, "9:00:00")})
    app.add_url_rule("/journal", "journal", lambda: [r for r in regels if r["id"] > int(request.args["na"])])
    return app


def test_an_emptied_journal_is_read_again_and_its_deliveries_start_over():
    regels = [_e(1, "in", "gemeente", "upload", _t(15, "9:00:00"), bestandsnaam="WMO_H12016_a.csv")]
    with ServedApp(_journal_app(regels)) as ggk:
        view = ChainView({"ggk": ggk.url}, ttl=0)
        try:
            assert [lev.bestandsnaam for lev in view.snapshot().leveringen] == ["WMO_H12016_a.csv"]
            regels[:] = [_e(2, "in", "gemeente", "upload", _t(15, "9:00:01"),
                            bestandsnaam="WMO_H12016_b.csv")]
            assert [lev.bestandsnaam for lev in view.snapshot().leveringen] == ["WMO_H12016_b.csv"]
            assert view.sources["ggk"].journal[0] == 1  # a new generation
            regels.append(_e(3, "in", "gemeente", "upload", _t(15, "9:00:09"), bestandsnaam="SBO_H12016.csv",
                             correlatie="20160815-090009-001"))
            assert len(view.snapshot().leveringen) == 2
        finally:
            view.close()


def _garbage_app() -> Flask:
    app = Flask("onzin")
    app.add_url_rule("/health", "health", lambda: "<html>onderhoud</html>")
    app.add_url_rule("/journal", "journal", lambda: "geen json")
    return app


def test_a_party_that_is_down_or_answers_garbage_is_named_and_the_rest_is_shown(chain):
    with ServedApp(_garbage_app()) as onzin:
        urls = dict(chain.urls, rinis="http://127.0.0.1:9", cbs=onzin.url)
        wall = lambda: datetime(2026, 12, 1, 10, 42)  # noqa: E731 - the regie's own clock
        view = ChainView(urls, ttl=0, wall=wall)
        try:
            client = create_app(view).test_client()
            keten = client.get("/api/keten").get_json()
            stand = {p["partij"]: p for p in keten["partijen"]}
            assert stand["rinis"]["melding"] == "RINIS is niet bereikbaar sinds 10:42"
            assert stand["cbs"]["melding"] == "CBS geeft een onleesbaar antwoord sinds 10:42"
            assert stand["cbs"]["journaal"] == "onleesbaar" and stand["ggk"]["bereikbaar"]
            pagina = client.get("/").get_data(as_text=True)
            assert "RINIS is niet bereikbaar sinds 10:42 (tijd van de regie)" in pagina
            assert client.get("/api/leveringen").get_json()["aantal"] == 3  # what the GGk and gemeente show
        finally:
            view.close()


def test_a_partner_without_journal_is_said_so():
    app = Flask("partner")  # answers 404 on every path, as a partner's endpoint does on ours
    with ServedApp(app) as partner:
        view = ChainView({"rinis": partner.url}, ttl=0)
        try:
            (rinis,) = view.snapshot().partijen
            assert (rinis.bereikbaar, rinis.journaal, rinis.beheer) == (True, "geen", False)
            assert "heeft geen /journal" in create_app(view).test_client().get("/").get_data(as_text=True)
        finally:
            view.close()


# ---------------------------------------------------------------- as a coordinator


def _wait_for(url: str, aantal: int) -> dict:
    deadline = time.monotonic() + 20
    while True:
        data = requests.get(url, timeout=10).json()
        if data["aantal"] == aantal and all(lev["stappen"]["bij_gemeente"] for lev in data["leveringen"]):
            return data
        assert time.monotonic() < deadline, f"na 20 s: {data['per_toestand']}"
        time.sleep(0.2)


def test_up_prints_the_regie_and_it_shows_three_delivers_at_all_four_parties(tmp_path):
    process, urls = start("--ports", "vrij", "--klok", "2016-08-15T09:00", tmp_path=tmp_path, lines=5)
    try:
        assert list(urls) == [*PARTIES, "regie"]
        for code in ("0344", "0363", "0518"):
            result = subprocess.run([sys.executable, "-m", "ketentest.cli", "deliver", "--gemeente-url",
                                     urls["gemeente"], "--gemeente", code],
                                    capture_output=True, text=True, timeout=30)
            assert result.returncode == 0, result.stderr
        data = _wait_for(f"{urls['regie']}/api/leveringen", 3)
        assert sorted(lev["gemeentecode"] for lev in data["leveringen"]) == ["0344", "0363", "0518"]
        for lev in data["leveringen"]:
            partijen = {s["partij"] for s in lev["stappen"].values() if s}
            assert partijen == set(PARTIES), (lev["referentie"], partijen)
        pagina = requests.get(urls["regie"], timeout=10).text
        for lev in data["leveringen"]:
            assert f'data-referentie="{lev["referentie"]}" data-toestand="{lev["toestand"]}"' in pagina
        assert re.search(r"3 van 3 leveringen", pagina)
    finally:
        assert stop(process) == 0


def test_regie_watches_parties_started_elsewhere(chain):
    process = subprocess.Popen(
        [sys.executable, "-m", "ketentest.cli", "regie", "--port", "0", "--url", f"ggk={chain.urls['ggk']}",
         "--url", f"cbs={chain.urls['cbs']}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        naam, url = process.stdout.readline().split()
        assert naam == "regie"
        keten = requests.get(f"{url}/api/keten", timeout=10).json()
        assert [p["partij"] for p in keten["partijen"]] == ["ggk", "cbs"]
        assert requests.get(f"{url}/api/leveringen", timeout=10).json()["aantal"] == 3
    finally:
        assert stop(process) == 0


def test_regie_refuses_an_unknown_party():
    result = subprocess.run([sys.executable, "-m", "ketentest.cli", "regie", "--url", "rinus=http://x"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "gebruik PARTIJ=URL" in result.stderr
