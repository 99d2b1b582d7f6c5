"""Receiving StUF messages at RINIS and the GGk without HTTP: Bv03, Fo03, duplicates, journal.

The parties are built but not started: no worker thread runs, so the tasks a message
causes stay in the ``taken`` table where the tests can see them.
"""

from __future__ import annotations

import hashlib
import io
import sqlite3
import zipfile
from collections.abc import Callable

import pytest
from lxml import etree

from simulators import stuf
from simulators.ggk.backend import Ggk
from simulators.receiver import Receiver
from simulators.rinis.backend import Rinis
from simulators.store import Journal, Store
from simulators.stuf.model import SOAP_NS

CSV = b"Gemeente;Periode\r\n0363;H12016\r\n"
CSV_NAAM = "WMO_H12016_regulier_0363.csv"


@pytest.fixture
def rinis(make_party) -> Rinis:
    return make_party(Rinis)


@pytest.fixture
def ggk(make_party) -> Ggk:
    return make_party(Ggk)


def _di01(refnr: str | None = None, *, berichtcode: str = "Di01", zender: str = "0363",
          ontvanger: str = "CBS", functie: str = "GMSD-AANLEVERING", inhoud: bytes = CSV,
          bestandsnaam: str = CSV_NAAM, crossref: str | None = None) -> stuf.Envelop:
    """A GGk -> RINIS delivery as the GGk sends it."""
    sg = stuf.Stuurgegevens(
        berichtcode, stuf.Systeem(zender, "GGKWebservice", "Amsterdam"),
        stuf.Systeem(ontvanger, "GGk"), refnr or stuf.new_referentienummer(),
        "20160815090000123", crossRefnummer=crossref, functie=functie)
    return stuf.Envelop(sg, stuf.Bestand(inhoud, bestandsnaam))


def _soap(envelop: stuf.Envelop) -> bytes:
    return stuf.wrap(stuf.build_envelop(envelop))


def _read(payload: bytes) -> tuple[etree._Element, stuf.Antwoord]:
    message = stuf.unwrap(payload)
    return message, stuf.read_antwoord(message)


def _count(party, sql: str) -> int:
    return party.store.query(sql)[0][0]


# ------------------------------------------------------------------- accepted


def test_rinis_valid_di01_bv03_answering_it(rinis):
    envelop = _di01()
    payload, status = rinis.receive(_soap(envelop))
    assert status == 200, f"a valid Di01 should get HTTP 200, got {status}"
    message, antwoord = _read(payload)
    sg, di01 = antwoord.stuurgegevens, envelop.stuurgegevens
    assert message.tag == f"{{{stuf.model.STUF_NS}}}Bv03Bericht", "the answer should be a Bv03"
    assert stuf.schema_errors(message) == [], "the Bv03 should validate"
    assert sg.berichtcode == "Bv03"
    assert sg.crossRefnummer == di01.referentienummer, "crossRefnummer = the Di01's refnr"
    assert sg.zender == di01.ontvanger, "the Bv03's zender is the Di01's ontvanger"
    assert sg.ontvanger == di01.zender, "the Bv03's ontvanger is the Di01's zender"
    assert stuf.UUID4.fullmatch(sg.referentienummer), "the Bv03 has its own UUID v4"
    assert sg.referentienummer != di01.referentienummer, "the Bv03 has its own referentienummer"


def test_rinis_valid_di01_stored_and_plaatsen_task(rinis):
    envelop = _di01()
    rinis.receive(_soap(envelop))
    rows = rinis.store.query("SELECT referentienummer, functie, gemeentecode, bestandsnaam, inhoud"
                             " FROM berichten")
    assert [tuple(r)[:4] for r in rows] == [(envelop.stuurgegevens.referentienummer,
                                             "GMSD-AANLEVERING", "0363", CSV_NAAM)]
    assert bytes(rows[0]["inhoud"]) == CSV, "the stored file should be the decoded payload"
    tasks = rinis.tasks.listing()
    assert [(t["soort"], t["data"], t["status"]) for t in tasks] == [
        ("plaatsen", {"referentienummer": envelop.stuurgegevens.referentienummer,
                      "gemeentecode": "0363"}, "open")]


# ------------------------------------------------------------------- refused


def _doctype(soap: bytes) -> bytes:
    declaration, rest = soap.split(b"?>", 1)
    return declaration + b'?><!DOCTYPE soap:Envelope [<!ENTITY e "y">]>' + rest


def _berichtcode(code: str) -> Callable[[bytes], bytes]:
    return lambda soap: soap.replace(b">Di01<", f">{code}<".encode(), 1)


# (id, the Di01's changes, a change to its SOAP bytes, code, plek, referentienummer readable)
REFUSALS = [
    ("not-xml", {}, lambda soap: b"dit is geen XML", "StUF055", "client", False),
    ("doctype", {}, _doctype, "StUF055", "client", False),
    ("no-stuf-berichtcode", {}, _berichtcode("Xx01"), "StUF022", "client", True),
    ("du01-to-rinis", {"berichtcode": "Du01", "crossref": stuf.new_referentienummer()}, None,
     "StUF025", "server", True),
    ("lk01-to-rinis", {}, _berichtcode("Lk01"), "StUF025", "server", True),
    ("schema-invalid", {"bestandsnaam": "WMO H12016.csv"}, None, "StUF055", "client", True),
    ("unknown-zender", {"zender": "9999"}, None, "StUF013", "client", True),
    ("unknown-ontvanger", {"ontvanger": "IB"}, None, "StUF010", "client", True),
    ("unknown-functie", {"functie": "GMSD-ONBEKEND"}, None, "StUF034", "client", True),
]


def _refused(party, payload: bytes, status: int) -> stuf.Antwoord:
    assert status == 500, f"a refusal should get HTTP 500, got {status}"
    root = etree.fromstring(payload)
    fault = root.find(f"{{{SOAP_NS}}}Body/{{{SOAP_NS}}}Fault")
    assert fault is not None, "a refusal should be a SOAP Fault"
    assert fault.findtext("faultstring"), "the SOAP fault should have a faultstring"
    detail = fault.find("detail")
    assert detail is not None and len(detail) == 1, "the fault's detail should hold one Fo03"
    fo03 = detail[0]
    assert fo03.tag == f"{{{stuf.model.STUF_NS}}}Fo03Bericht", f"not a Fo03: {fo03.tag}"
    assert stuf.schema_errors(fo03) == [], "the Fo03 should validate"
    return stuf.read_antwoord(fo03)


@pytest.mark.parametrize("changes,mutate,code,plek,readable",
                         [pytest.param(*r[1:], id=r[0]) for r in REFUSALS])
def test_rinis_refused_message_fo03_with_code_and_plek(rinis, changes, mutate, code, plek,
                                                       readable):
    envelop = _di01(**changes)
    soap = _soap(envelop)
    if mutate is not None:
        soap = mutate(soap)
    antwoord = _refused(rinis, *rinis.receive(soap))
    fout = antwoord.fout
    assert (fout.code, fout.plek) == (code, plek), f"expected {code}/{plek}, got {fout}"
    assert fout.omschrijving, "a Fo03 says why"
    assert antwoord.stuurgegevens.berichtcode == "Fo03"
    if readable:
        assert antwoord.stuurgegevens.crossRefnummer == envelop.stuurgegevens.referentienummer, (
            "the Fo03's crossRefnummer should be the refused message's referentienummer")
    assert _count(rinis, "SELECT COUNT(*) FROM berichten") == 0, "a refused message is not stored"
    assert rinis.tasks.listing() == [], "a refused message causes no task"


def test_rinis_fo03_for_readable_message_swaps_zender_ontvanger(rinis):
    envelop = _di01(functie="GMSD-ONBEKEND")
    antwoord = _refused(rinis, *rinis.receive(_soap(envelop)))
    sg = antwoord.stuurgegevens
    assert sg.zender == envelop.stuurgegevens.ontvanger, "the Fo03 comes from the ontvanger"
    assert sg.ontvanger == envelop.stuurgegevens.zender, "the Fo03 goes to the zender"


def test_rinis_referentienummer_not_uuid_fo03_ib009_crossref_is_offending(rinis):
    refnr = stuf.new_referentienummer().upper()
    antwoord = _refused(rinis, *rinis.receive(_soap(_di01(refnr))))
    assert antwoord.fout.code == "IB009"
    assert "referentienummer" in antwoord.fout.omschrijving, antwoord.fout.omschrijving
    assert antwoord.stuurgegevens.crossRefnummer == refnr, (
        "the Fo03 should point at the offending (upper-case) referentienummer")


def test_rinis_unknown_zender_and_ontvanger_fo03_stuf010_first_in_table(rinis):
    # StUF 03.01 table 4.1: if several situations apply, only the first in the table is sent.
    antwoord = _refused(rinis, *rinis.receive(_soap(_di01(zender="9999", ontvanger="IB"))))
    assert antwoord.fout.code == "StUF010", f"StUF010 precedes StUF013, got {antwoord.fout.code}"


def test_rinis_duplicate_referentienummer_other_content_fo03_stuf016(rinis):
    refnr = stuf.new_referentienummer()
    first, status = rinis.receive(_soap(_di01(refnr)))
    assert status == 200, "the first message should be accepted"
    antwoord = _refused(rinis, *rinis.receive(_soap(_di01(refnr, inhoud=CSV + b"0363;H22015\r\n"))))
    assert (antwoord.fout.code, antwoord.fout.plek) == ("StUF016", "client"), antwoord.fout
    assert antwoord.stuurgegevens.crossRefnummer == refnr, "crossRefnummer = the reused number"
    rows = rinis.store.query("SELECT inhoud FROM berichten")
    assert [bytes(r["inhoud"]) for r in rows] == [CSV], "the first message stays, unchanged"
    assert len(rinis.tasks.listing()) == 1, "the refused duplicate adds no task"


def test_rinis_same_referentienummer_other_zender_accepted(rinis):
    # Uniqueness is per (zender, referentienummer): StUF 03.01 and the receiver's own table.
    refnr = stuf.new_referentienummer()
    assert rinis.receive(_soap(_di01(refnr, zender="0363")))[1] == 200
    assert rinis.receive(_soap(_di01(refnr, zender="0518")))[1] == 200, (
        "another zender may use the same referentienummer")


# ----------------------------------------------------------------- duplicates


def test_rinis_identical_resend_same_answer_handled_once(rinis):
    soap = _soap(_di01())
    first = rinis.receive(soap)
    again = rinis.receive(soap)
    assert first[1] == again[1] == 200, f"both should be HTTP 200: {first[1]}, {again[1]}"
    assert again[0] == first[0], "an identical resend should get the byte-identical answer"
    soorten = [t["soort"] for t in rinis.tasks.listing()]
    assert soorten == ["plaatsen"], f"handled once: exactly one 'plaatsen' task, got {soorten}"
    assert _count(rinis, "SELECT COUNT(*) FROM berichten") == 1, "stored once"


# -------------------------------------------------------------------- journal


def _journal(party) -> list[tuple[dict, bytes]]:
    return [(e, party.journal.payload(e["id"])[0]) for e in party.journal.entries()]


def test_rinis_journal_holds_message_and_bv03(rinis):
    envelop = _di01()
    soap = _soap(envelop)
    answer, _ = rinis.receive(soap)
    entries = _journal(rinis)
    refnr = envelop.stuurgegevens.referentienummer
    assert [(e["richting"], e["peer"], e["soort"]) for e, _ in entries] == [
        ("in", "ggk", "Di01"), ("uit", "ggk", "Bv03")], "the message and its answer"
    (inkomend, body), (uitgaand, antwoord) = entries
    assert body == soap, "the journal keeps the received bytes"
    assert inkomend["referentienummer"] == refnr
    assert antwoord == answer, "the journal keeps the answer sent"
    assert uitgaand["crossRefnummer"] == refnr, "the answer is journalled against the message"


def test_rinis_journal_identifies_a_refused_message_without_storing_it(rinis):
    soap = _soap(_di01(zender="9999"))
    answer, _ = rinis.receive(soap)
    entries = _journal(rinis)
    assert [(e["richting"], e["soort"]) for e, _ in entries] == [("in", "Di01"), ("uit", "Fo03")]
    received, sent = (payload for _, payload in entries)
    assert sent == answer, "the Fo03 is journalled as sent"
    assert soap not in received and b"9999" not in received, "a refused message is never stored"
    assert received == (f"niet bewaard: geweigerd met StUF013; {len(soap)} bytes; sha256 "
                        f"{hashlib.sha256(soap).hexdigest()}").encode()


def test_rinis_journal_identifies_an_unreadable_message_without_storing_it(rinis):
    answer, _ = rinis.receive(b"dit is geen XML")
    entries = _journal(rinis)
    assert [(e["richting"], e["soort"]) for e, _ in entries] == [("in", "onleesbaar"),
                                                                ("uit", "Fo03")]
    received, sent = (payload for _, payload in entries)
    assert sent == answer and b"geen XML" not in received
    assert received.startswith(b"niet bewaard: geweigerd met StUF055; 15 bytes; sha256 ")


def test_rinis_journal_holds_resend_and_repeated_answer(rinis):
    soap = _soap(_di01())
    answer, _ = rinis.receive(soap)
    rinis.receive(soap)
    entries = _journal(rinis)
    assert [(e["richting"], e["soort"]) for e, _ in entries] == [
        ("in", "Di01"), ("uit", "Bv03"), ("in", "Di01"), ("uit", "Bv03")], "both exchanges"
    assert entries[3][1] == answer, "the repeated answer is the first answer"


def test_receiver_storage_conflict_in_handler_fo03_stuf046_nothing_kept(tmp_path, clock):
    store = Store(tmp_path / "r.sqlite3", "CREATE TABLE IF NOT EXISTS log (x TEXT);")

    def handler(message, sg, db):
        db.execute("INSERT INTO log VALUES ('half')")
        raise sqlite3.IntegrityError("UNIQUE constraint failed: log.x")

    receiver = Receiver(party="rinis", peer="ggk", store=store, journal=Journal(store, clock),
                        clock_tijdstip=clock.stuf_tijdstip, handlers={"Di01": handler},
                        known_zenders={"0363"}, known_ontvangers={"CBS"})
    try:
        antwoord = _refused(None, *receiver.receive(_soap(_di01())))
        assert (antwoord.fout.code, antwoord.fout.plek) == ("StUF046", "server"), antwoord.fout
        assert store.query("SELECT COUNT(*) FROM log")[0][0] == 0, "the handler's work is undone"
        assert store.query("SELECT COUNT(*) FROM ontvangen")[0][0] == 0, "not marked received"
    finally:
        store.close()


# ---------------------------------------------------------------- the GGk side


def _report(crossref: str | None, *, berichtcode: str = "Du01") -> bytes:
    naam = "CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf"
    sg = stuf.Stuurgegevens(berichtcode, stuf.Systeem("CBS", "CBS-GMSD"),
                            stuf.Systeem("0363", "GGk"), stuf.new_referentienummer(),
                            "20160815101500000", crossRefnummer=crossref, functie="GMSD-RAPPORT")
    return _soap(stuf.Envelop(sg, stuf.Bestand(b"%PDF-1.4 rapport", naam)))


def test_ggk_du01_answering_upload_bv03_and_download(ggk):
    upload = ggk.upload("0363", "henk", [(CSV_NAAM, CSV)])[0]
    payload, status = ggk.receive(_report(upload.referentienummer))
    assert status == 200, f"a Du01 answering an upload should get HTTP 200, got {status}"
    message, antwoord = _read(payload)
    assert antwoord.bevestigd and stuf.schema_errors(message) == [], "a valid Bv03"
    downloads = ggk.downloads("0363")
    assert [(d["soort"], d["bestandsnaam"], d["correlatie"]) for d in downloads] == [
        ("rapport", "CBS_TECHNISCH_0363_H12016_20160815-090000-001.zip", "20160815-090000-001")]
    naam, inhoud, content_type = ggk.download("0363", downloads[0]["id"])
    with zipfile.ZipFile(io.BytesIO(inhoud)) as archive:
        assert archive.read("CBS_TECHNISCH_0363_H12016_20160815-090000-001.pdf") == (
            b"%PDF-1.4 rapport"), "the report travels unchanged inside the ZIP"
    assert "melden" in [t["soort"] for t in ggk.tasks.listing()], "the gemeente is to be told"


def test_ggk_du01_unknown_crossref_fo03_stuf043(ggk):
    crossref = stuf.new_referentienummer()
    antwoord = _refused(ggk, *ggk.receive(_report(crossref)))
    assert (antwoord.fout.code, antwoord.fout.plek) == ("StUF043", "client"), antwoord.fout
    assert ggk.downloads("0363") == [], "a refused report does not reach the download area"


def test_ggk_di01_report_without_upload_bv03_and_download(ggk):
    # A report that answers no delivery travels as a Di01 and still reaches the gemeente.
    payload, status = ggk.receive(_report(None, berichtcode="Di01"))
    assert status == 200, f"a Di01 report should get HTTP 200, got {status}"
    assert _read(payload)[1].bevestigd, "a Bv03"
    downloads = ggk.downloads("0363")
    assert [(d["soort"], d["correlatie"]) for d in downloads] == [("rapport", None)], downloads


def test_ggk_di01_from_gemeente_fo03_stuf013(ggk):
    # GGk's StUF endpoint takes messages from RINIS/CBS only, never from a gemeente.
    antwoord = _refused(ggk, *ggk.receive(_soap(_di01(zender="0363", ontvanger="0363"))))
    assert antwoord.fout.code == "StUF013", antwoord.fout
