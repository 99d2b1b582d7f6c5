"""CBS and opt-in/withdrawal files: reading the CSV, recording decisions in the delivery
register, and the whole way from RINIS's StUF endpoint to CBS's status over real HTTP."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest
import requests

from simulators import pki, stuf
from simulators.cbs import leveringen as lv
from simulators.cbs import optin
from simulators.cbs.backend import Cbs
from simulators.chain import Chain
from simulators.clock import AMSTERDAM, SimulatedClock
from simulators.gmsd import ondertekening
from simulators.gmsd.gemeenten import gemeenten
from simulators.store import Store

START = datetime(2016, 8, 15, 9, 0)
NAAM = "OPTIN_H12016_0363_20161110120000.csv"
KOP = ";".join(optin.KOLOMMEN)
HENK = "Henk de Vries;henk@amsterdam.nl;020-1234567"


def _csv(*regels: str, kop: str = KOP) -> bytes:
    return "\r\n".join((kop, *regels, "")).encode()


GOED = _csv(f"Amsterdam;H12016;WMO;opt-in;20161110;{HENK}",
            f"Amsterdam;H12016;JEUGD;opt-out;20161110;{HENK}")


# ------------------------------------------------------------------ the CSV


def test_read_good_file_one_besluit_per_row():
    bestand = optin.read(NAAM, GOED)
    assert (bestand.soort, bestand.periode, bestand.gemeentecode) == ("OPTIN", "H12016", "0363")
    assert [(b.soort, b.conclusie, b.status) for b in bestand.besluiten] == [
        ("WMO", "opt-in", lv.OPTIN), ("JEUGD", "opt-out", lv.OPTOUT)]
    wmo = bestand.besluiten[0]
    assert (wmo.naam, wmo.email, wmo.telefoon, wmo.datumconclusie) == (
        "Henk de Vries", "henk@amsterdam.nl", "020-1234567", "20161110")


def test_read_withdrawal_file_ingetrokken():
    bestand = optin.read("INTREKKING_H22017_0363_20180301090000.csv",
                         _csv(f"Amsterdam;H22017;SBO;ingetrokken;20180301;{HENK}"))
    assert bestand.soort == "INTREKKING"
    assert [(b.soort, b.status) for b in bestand.besluiten] == [("SBO", lv.INGETROKKEN)]


def test_read_bom_and_lf_line_ends_are_read():
    bestand = optin.read(NAAM, b"\xef\xbb\xbf" + GOED.replace(b"\r\n", b"\n"))
    assert len(bestand.besluiten) == 2


@pytest.mark.parametrize("naam,inhoud,melding", [
    pytest.param(NAAM, _csv(f"Amsterdam;H12016;WMO;opt-in;20161110;{HENK}",
                            kop=KOP.replace("conclusie", "besluit")), "kopregel", id="wrong-header"),
    pytest.param(NAAM, _csv(f"Amsterdam;H12016;WMO;misschien;20161110;{HENK}"),
                 "conclusie 'misschien'", id="unknown-conclusie"),
    pytest.param(NAAM, _csv(f"Amsterdam;H12016;WMO;ingetrokken;20161110;{HENK}"),
                 "conclusie 'ingetrokken' kan niet in een OPTIN-bestand", id="withdrawal-in-optin"),
    pytest.param(NAAM, _csv(f"Amsterdam;H12016;PGB;opt-in;20161110;{HENK}"),
                 "naam verzoek 'PGB' is onbekend", id="unknown-soort"),
    pytest.param(NAAM, _csv(f"Amsterdam;H22016;WMO;opt-in;20161110;{HENK}"),
                 "verslagperiode 'H22016' wijkt af van H12016", id="period-mismatch"),
    pytest.param(NAAM, _csv(f"Amsterdam;H12016;WMO;opt-in;20161310;{HENK}"),
                 "datumconclusie '20161310'", id="bad-date"),
    pytest.param(NAAM, _csv(f"Amsterdam;H12016;WMO;opt-in;20161110;{HENK}",
                            f"Amsterdam;H12016;WMO;opt-out;20161110;{HENK}"),
                 "regel 3: naam verzoek WMO staat al", id="set-twice"),
    pytest.param(NAAM, _csv("Amsterdam;H12016;WMO;opt-in;20161110;;;020-1234567"),
                 "naam van gebruiker en emailadres zijn verplicht", id="no-user"),
    pytest.param(NAAM, _csv("Amsterdam;H12016;WMO;opt-in"), "4 velden, verwacht 8", id="short-row"),
    pytest.param(NAAM, _csv(), "geen regels", id="header-only"),
    pytest.param(NAAM, b"", "leeg", id="empty"),
    pytest.param(NAAM, "Naam organisatie;é".encode("latin-1"), "geen UTF-8", id="not-utf8"),
    pytest.param("OPTIN_H12016_0363.csv", GOED, "volgt niet de vorm", id="bad-name"),
])
def test_read_unreadable_file_refused_naming_the_fault(naam, inhoud, melding):
    with pytest.raises(optin.OptinUnreadableError) as caught:
        optin.read(naam, inhoud)
    assert melding in str(caught.value), f"the refusal should say {melding!r}: {caught.value}"


def test_read_names_every_bad_row_not_only_the_first():
    with pytest.raises(optin.OptinUnreadableError) as caught:
        optin.read(NAAM, _csv(f"Amsterdam;H12016;PGB;opt-in;20161110;{HENK}",
                              f"Amsterdam;H12016;WMO;ja;20161110;{HENK}"))
    assert [m.split(":")[0] for m in caught.value.meldingen] == ["regel 2", "regel 3"], (
        caught.value.meldingen)


# ------------------------------------------------------------ the register


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "cbs.sqlite3", lv.SCHEMA + optin.SCHEMA)
    yield store
    store.close()


@pytest.fixture
def register(store):
    return lv.Leveringen(store, SimulatedClock(datetime(2016, 11, 10, 12, 0)))


def _levering_op_orde(register, soort: str = "WMO") -> int:
    """An approved, current delivery whose op-orde rapport went out."""
    with register.store.transaction() as db:
        levering_id = register.received(
            db, aanlevering_id=1, gemeentecode="0363", periode="H12016", soort=soort,
            bestand=f"{soort}_H12016_0363.csv", ggk_referentie="20160815-090000-001",
            aanmaakdatum="20160815090000", inhoud=b"x")
        assert register.judged(db, levering_id, True)
        register.set_status(db, levering_id, lv.OPORDE_VERZONDEN, "CBS_OPORDE_...pdf")
    return levering_id


def _besluit(register, status: str, soort: str = "WMO", naam: str = "Henk de Vries") -> int:
    with register.store.transaction() as db:
        return register.besluit(db, gemeentecode="0363", periode="H12016", soort=soort, status=status,
                                toelichting=f"{status} door {naam}", bestand=NAAM)


def _historie(register, soort: str = "WMO") -> list[str]:
    return [h["status"] for lev in register.overview("0363", "H12016", soort) for h in lev["historie"]]


def test_register_opt_in_after_op_orde_on_the_current_delivery(register):
    levering_id = _levering_op_orde(register)
    assert _besluit(register, lv.OPTIN) == levering_id, "the decision goes to the current delivery"
    [levering] = register.overview("0363", "H12016", "WMO")
    assert (levering["status"], levering["besluit"], levering["actueel"]) == (lv.OPTIN, lv.OPTIN, True)
    assert _historie(register) == [lv.ONTVANGEN, lv.GOEDGEKEURD, lv.OPORDE_VERZONDEN, lv.OPTIN]
    assert levering["historie"][-1]["toelichting"] == "opt-in door Henk de Vries"


def test_register_opt_out_replaces_opt_in_history_keeps_both(register):
    levering_id = _levering_op_orde(register)
    _besluit(register, lv.OPTIN)
    _besluit(register, lv.OPTOUT, naam="Anna Jansen")
    assert register.get(levering_id)["status"] == lv.OPTOUT
    assert _historie(register)[-2:] == [lv.OPTIN, lv.OPTOUT]
    [levering] = register.overview("0363", "H12016", "WMO")
    assert levering["historie"][-1]["toelichting"] == "opt-out door Anna Jansen"


def test_register_intrekken_after_opt_in(register):
    levering_id = _levering_op_orde(register)
    _besluit(register, lv.OPTIN)
    _besluit(register, lv.INGETROKKEN)
    assert register.get(levering_id)["status"] == lv.INGETROKKEN
    assert register.reached(levering_id, lv.OPORDE_VERZONDEN), "the history still shows the op-orde"


def test_register_decision_on_a_set_without_delivery_makes_one_levering_without_file(register):
    _levering_op_orde(register, "WMO")
    eerste = _besluit(register, lv.OPTOUT, soort="SBO")
    tweede = _besluit(register, lv.OPTIN, soort="SBO")
    assert eerste == tweede, "a second decision goes to the same levering without a file"
    [levering] = register.overview("0363", "H12016", "SBO")
    assert levering["zonder_bestand"] and not levering["actueel"], levering
    assert (levering["status"], levering["bestand"]) == (lv.OPTIN, NAAM)
    assert bytes(register.get(eerste)["inhoud"]) == b"", "no file content"
    assert register.current("H12016", "SBO") == [], "never current: no report reads it"
    assert _historie(register, "SBO") == [lv.OPTOUT, lv.OPTIN]


def test_register_delivery_after_decision_without_file_becomes_current_as_usual(register):
    zonder = _besluit(register, lv.OPTIN)
    levering_id = _levering_op_orde(register)
    assert register.get(levering_id)["actueel"] and not register.get(zonder)["actueel"]
    assert register.get(zonder)["status"] == lv.OPTIN, "the file-less levering is not 'gecorrigeerd'"


def test_register_refuses_a_status_that_is_no_decision(register):
    with pytest.raises(ValueError, match="geen besluit"):
        _besluit(register, lv.GOEDGEKEURD)


ZIPNAAM = NAAM.replace(".csv", ".zip")
TIEN_NOV = datetime(2016, 11, 10, 12, 0, tzinfo=AMSTERDAM)


def ondertekend(csv: bytes = GOED, *, email: str = "henk@amsterdam.nl", gemeentecode: str = "0363",
                paar: pki.Sleutelpaar | None = None, moment: datetime = TIEN_NOV, naam: str = NAAM) -> bytes:
    """The ZIP the GGk sends: the CSV and its decision, signed by Henk (unless ``paar``)."""
    paar = paar or pki.persoon(email, "Henk de Vries", gemeentecode, "Amsterdam")
    besluit = ondertekening.besluit_voor(naam, csv, email, moment)
    return ondertekening.verpak(naam, csv, ondertekening.onderteken(besluit, paar))


def _ontvang(store, register, inhoud: bytes, naam: str = ZIPNAAM, rinis_id: int = 7,
             nu: datetime = TIEN_NOV) -> optin.Outcome:
    with store.transaction() as db:
        return optin.receive(db, register, folder="RGMSD001", rinis_id=rinis_id, bestandsnaam=naam,
                             inhoud=inhoud, gemeentecode="0363", nu=nu)


def test_receive_signed_file_records_each_row_and_remembers_the_decision(store, register):
    levering_id = _levering_op_orde(register)
    uitkomst = _ontvang(store, register, ondertekend())
    assert (uitkomst.status, uitkomst.code, uitkomst.ondertekenaar) == (
        optin.VERWERKT, None, "henk@amsterdam.nl")
    [bericht] = optin.overview(store)
    assert (bericht["status"], bericht["soort"], bericht["periode"], bericht["gemeentecode"]) == (
        optin.VERWERKT, "OPTIN", "H12016", "0363")
    assert [(r["soort"], r["conclusie"], r["naam"]) for r in bericht["rijen"]] == [
        ("WMO", "opt-in", "Henk de Vries"), ("JEUGD", "opt-out", "Henk de Vries")]
    assert bericht["rijen"][0]["levering_id"] == levering_id
    toelichting = register.overview("0363", "H12016", "WMO")[0]["historie"][-1]["toelichting"]
    for part in ("Henk de Vries", "henk@amsterdam.nl", "020-1234567", "20161110", ZIPNAAM):
        assert part in toelichting, f"{part!r} missing from {toelichting!r}"
    [kept] = store.query("SELECT ondertekenaar, optin_bericht_id FROM ondertekeningen")
    assert (kept["ondertekenaar"], kept["optin_bericht_id"]) == ("henk@amsterdam.nl", uitkomst.id)


def test_receive_unreadable_csv_in_a_signed_zip_is_onleesbaar_nothing_recorded(store, register):
    _levering_op_orde(register)
    uitkomst = _ontvang(store, register, ondertekend(_csv(f"Amsterdam;H12016;WMO;misschien;20161110;{HENK}")))
    [bericht] = optin.overview(store)
    assert bericht["status"] == optin.ONLEESBAAR and "misschien" in bericht["melding"], bericht
    assert uitkomst.code == "StUF055" and bericht["rijen"] == []
    assert _historie(register)[-1] == lv.OPORDE_VERZONDEN, "no decision from an unreadable file"


def _zonder_xml(csv: bytes = GOED) -> bytes:
    return ondertekening.verpak(NAAM, csv, None)


def _gewijzigde_csv() -> bytes:
    """Henk signed an opt-out for JEUGD; someone made it an opt-in afterwards."""
    echt = ondertekend()
    with zipfile.ZipFile(io.BytesIO(echt)) as zf:
        xml = zf.read(NAAM.replace(".csv", ".xml"))
    return ondertekening.verpak(NAAM, GOED.replace(b"JEUGD;opt-out", b"JEUGD;opt-in"), xml)


def _gewijzigde_xml() -> bytes:
    echt = ondertekend()
    with zipfile.ZipFile(io.BytesIO(echt)) as zf:
        xml = zf.read(NAAM.replace(".csv", ".xml"))
    return ondertekening.verpak(NAAM, GOED, xml.replace(b"<periode>H12016<", b"<periode>H22016<"))


@pytest.mark.parametrize("inhoud, naam, code, tekst", [
    pytest.param(GOED, NAAM, "KT101", "niet ondertekend", id="bare-csv"),
    pytest.param(_zonder_xml(), ZIPNAAM, "KT101", "niet ondertekend", id="zip-without-xml"),
    pytest.param(_gewijzigde_csv(), ZIPNAAM, "KT102", "gewijzigd na ondertekening", id="csv-tampered"),
    pytest.param(_gewijzigde_xml(), ZIPNAAM, "KT102", "gewijzigd na ondertekening", id="xml-tampered"),
    pytest.param(ondertekend(paar=pki.persoon("henk@amsterdam.nl", "Henk de Vries", "0363", "Amsterdam",
                                              ca=pki.vreemde_ca())),
                 ZIPNAAM, "KT103", "niet uitgegeven door de test-CA", id="foreign-ca"),
    pytest.param(ondertekend(gemeentecode="0518"), ZIPNAAM, "KT103", "van gemeente 0518",
                 id="other-gemeente"),
    pytest.param(ondertekend(email="piet@amsterdam.nl"), ZIPNAAM, "KT103",
                 "de regels noemen henk@amsterdam.nl", id="rows-name-another-person"),
    pytest.param(ondertekend(paar=pki.persoon("henk@amsterdam.nl", "Henk de Vries", "0363", "Amsterdam",
                                              geldig=(datetime(2014, 1, 1, tzinfo=UTC),
                                                      datetime(2015, 12, 31, tzinfo=UTC)))),
                 ZIPNAAM, "KT104", "niet op 10-11-2016", id="expired-on-the-simulated-date"),
    pytest.param(ondertekend(moment=datetime(2016, 11, 11, 9, 0, tzinfo=AMSTERDAM)), ZIPNAAM, "KT104",
                 "na vandaag", id="signed-tomorrow"),
    pytest.param(b"PK\x03\x04 geen zip", ZIPNAAM, "StUF055", "geen leesbare ZIP", id="broken-zip"),
])
def test_receive_refuses_and_records_nothing(store, register, inhoud, naam, code, tekst):
    _levering_op_orde(register)
    uitkomst = _ontvang(store, register, inhoud, naam)
    [bericht] = optin.overview(store)
    assert uitkomst.code == code and tekst in (uitkomst.melding or ""), uitkomst
    assert bericht["status"] in (optin.ONGELDIG, optin.ONLEESBAAR) and bericht["rijen"] == [], bericht
    assert _historie(register)[-1] == lv.OPORDE_VERZONDEN, "no decision from a refused file"
    assert store.query("SELECT * FROM ondertekeningen") == []


def test_receive_the_same_signed_decision_twice_is_a_replay(store, register):
    _levering_op_orde(register)
    zip_ = ondertekend()
    assert _ontvang(store, register, zip_, rinis_id=7).status == optin.VERWERKT
    later = _ontvang(store, register, zip_, rinis_id=9, nu=datetime(2016, 11, 14, 9, 0, tzinfo=AMSTERDAM))
    assert (later.status, later.code) == (optin.ONGELDIG, "KT105"), later
    assert "al op 2016-11-10 ontvangen" in later.melding, later.melding
    assert len([h for h in _historie(register) if h == lv.OPTIN]) == 1, "the decision counts once"


def test_receive_a_certificate_valid_on_the_simulated_date_but_not_today_is_accepted(store, register):
    """The wall clock plays no part: a certificate that ended in 2017 signs in 2016."""
    _levering_op_orde(register)
    paar = pki.persoon("henk@amsterdam.nl", "Henk de Vries", "0363", "Amsterdam",
                       geldig=(datetime(2016, 1, 1, tzinfo=UTC), datetime(2017, 1, 1, tzinfo=UTC)))
    assert _ontvang(store, register, ondertekend(paar=paar)).status == optin.VERWERKT


def test_spiegelrapport2_still_goes_to_a_delivery_with_an_opt_in(make_party):
    cbs = make_party(Cbs)
    levering_id = _levering_op_orde(cbs.leveringen)
    _besluit(cbs.leveringen, lv.OPTIN)
    assert cbs.spiegelrapporten2("H12016") == 1, "op-orde in the history is what counts"
    assert [t["data"] for t in cbs.tasks.listing()] == [{"levering_id": levering_id}]


# ------------------------------------------------------------ over real HTTP


def _optin_di01(gemeentecode: str, naam: str, inhoud: bytes, functie: str = "GMSD-OPTIN") -> bytes:
    """The Di01 the GGk sends for an opt-in, as SOAP."""
    zender = stuf.Systeem(gemeentecode, "GGKWebservice", gemeenten()[gemeentecode][:50])
    element = stuf.build_envelop(stuf.Envelop(
        stuf.Stuurgegevens("Di01", zender, stuf.Systeem("CBS", "GGk"), stuf.new_referentienummer(),
                           "20161110120000000", functie=functie),
        stuf.Bestand(inhoud, naam)))
    stuf.require_valid(element)
    return stuf.wrap(element)


def test_chain_optin_di01_to_rinis_shows_opt_in_in_cbs_status(tmp_path):
    with Chain(tmp_path, SimulatedClock(START)) as chain:
        urls = chain.urls
        response = requests.post(f"{urls['gemeente']}/api/v1/aanleveringen",
                                 json={"rijen": 10, "seed": 1}, timeout=10)
        assert response.status_code == 201, response.text
        assert chain.wait_idle(20), "the delivery did not settle"
        getekend = ondertekend(moment=START.replace(tzinfo=AMSTERDAM))
        response = requests.post(f"{urls['rinis']}/stuf/ontvang", data=_optin_di01("0363", ZIPNAAM, getekend),
                                 headers={"Content-Type": stuf.CONTENT_TYPE,
                                          "SOAPAction": f'"{stuf.SOAP_ACTIONS["Di01"]}"'}, timeout=10)
        assert response.status_code == 200, response.text
        assert stuf.read_antwoord(stuf.unwrap(response.content)).bevestigd, "RINIS answers Bv03"
        assert chain.wait_idle(20), "the opt-in did not settle"

        wmo = requests.get(f"{urls['cbs']}/api/v1/status", params={
            "gemeente": "0363", "periode": "H12016", "soort": "WMO"}, timeout=10).json()
        assert wmo[0]["status"] == "opt-in", f"expected opt-in, got {[w['status'] for w in wmo]}"
        assert not wmo[0]["zonder_bestand"], "the opt-in is on the delivery itself"
        assert "Henk de Vries" in wmo[0]["historie"][-1]["toelichting"]
        jeugd = requests.get(f"{urls['cbs']}/api/v1/status", params={
            "gemeente": "0363", "periode": "H12016", "soort": "JEUGD"}, timeout=10).json()
        assert [(j["status"], j["zonder_bestand"]) for j in jeugd] == [("opt-out", True)], jeugd

        [bericht] = requests.get(f"{urls['cbs']}/api/v1/optin", timeout=10).json()
        assert (bericht["bestandsnaam"], bericht["status"]) == (ZIPNAAM, "verwerkt"), bericht
        inbox = requests.get(f"{urls['rinis']}/mappen/RGMSD001", timeout=10).json()
        [geplaatst] = [i for i in inbox if i["naam"] == ZIPNAAM]
        assert geplaatst["metagegevens_id"] is None and geplaatst["opgehaald"], geplaatst
        journal = requests.get(f"{urls['cbs']}/journal", params={"correlatie": ZIPNAAM}, timeout=10).json()
        assert [(e["richting"], e["soort"]) for e in journal] == [("in", "bestand")], journal
        [regel] = requests.get(f"{urls['cbs']}/_beheer/audit", timeout=10).json()
        assert (regel["wie"], regel["actie"], regel["resultaat"]) == (
            "henk@amsterdam.nl", "optin", "aanvaard"), regel
