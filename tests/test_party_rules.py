"""Each party's own rules without HTTP: GGk uploads, RINIS naming and folders, GMSD formats."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

import pytest

from simulators import stuf
from simulators.clock import SimulatedClock
from simulators.ggk.backend import Ggk, UploadRefused
from simulators.gmsd import metagegevens, periodes, rapportnaam
from simulators.rinis.backend import FolderRefused, Rinis, cbs_name

START = datetime(2016, 8, 15, 9, 0)
CSV = b"Gemeente;Periode\r\n0363;H12016\r\n"
REFERENCE = re.compile(r"[0-9]{8}-[0-9]{6}-[0-9]{3}")
HENK = "WMO_H12015_gestuurd door Henk.CSV"
RAPPORT = "CBS_TECHNISCH_0363_H12016_20160815-101500-001.pdf"


@pytest.fixture
def make_ggk(make_party):
    """A bare GGk, not started: its tasks stay in the ``taken`` table."""
    return lambda options=None: make_party(Ggk, options)


@pytest.fixture
def ggk(make_ggk) -> Ggk:
    return make_ggk()


@pytest.fixture
def rinis(make_party) -> Rinis:
    return make_party(Rinis)


def _zip(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def _count(party, table: str) -> int:
    return party.store.query(f"SELECT COUNT(*) FROM {table}")[0][0]


def _references(results) -> list[str]:
    return [ref for result in results for _csv, ref in result.referenties]


# ------------------------------------------------------------------ GGk upload


def test_upload_csv_one_reference_from_clock_time(ggk):
    results = ggk.upload("0363", "henk", [("WMO_H12016_0363.csv", CSV)])
    assert len(results) == 1, "one result per uploaded file"
    assert results[0].referenties == (("WMO_H12016_0363.csv", "20160815-090000-001"),), (
        f"one reference yyyymmdd-hhmmss-nnn from the clock, got {results[0].referenties}")
    assert stuf.UUID4.fullmatch(results[0].referentienummer), "the Di01 gets a UUID v4"


def test_upload_reference_follows_clock(ggk, clock):
    clock.set(datetime(2016, 8, 15, 10, 15, 30))
    results = ggk.upload("0363", "henk", [("WMO_H12016_0363.csv", CSV)])
    assert _references(results) == ["20160815-101530-001"], _references(results)


def test_upload_three_files_same_second_unique_references(ggk):
    files = [(f"WMO_H12016_deel{n}.csv", CSV) for n in range(1, 4)]
    results = ggk.upload("0363", "henk", files)
    refs = _references(results)
    assert [r.bestandsnaam for r in results] == [name for name, _ in files], "one result per file"
    assert all(REFERENCE.fullmatch(r) for r in refs), f"format yyyymmdd-hhmmss-nnn: {refs}"
    assert all(r.startswith("20160815-090000-") for r in refs), f"from the clock time: {refs}"
    assert len(set(refs)) == 3, f"three CSVs in one second need three references: {refs}"


def test_upload_two_calls_same_clock_time_unique_references(ggk):
    first = _references(ggk.upload("0363", "henk", [("WMO_H12016_a.csv", CSV)]))
    second = _references(ggk.upload("0518", "piet", [("WMO_H12016_b.csv", CSV)]))
    assert first[0][:15] == second[0][:15] == "20160815-090000", "both within the same second"
    assert first != second, f"two uploads in one second got the same reference: {first}"
    assert _count(ggk, "referenties") == 2


def test_upload_zip_with_two_csvs_two_references_stored_unopened(ggk):
    archive = _zip(("WMO_H12016_a.csv", CSV), ("map/JW_H12016_b.CSV", CSV), ("map/", b""),
                   ("leesmij.pdf", b"%PDF"))
    results = ggk.upload("0363", "henk", [("aanlevering.zip", archive)])
    assert len(results) == 1, "a ZIP is one upload"
    assert [csv for csv, _ in results[0].referenties] == ["WMO_H12016_a.csv", "JW_H12016_b.CSV"], (
        f"one reference per CSV inside: {results[0].referenties}")
    refs = _references(results)
    assert len(set(refs)) == 2 and all(REFERENCE.fullmatch(r) for r in refs), refs
    rows = ggk.store.query("SELECT bestandsnaam, inhoud FROM uploads")
    assert [(r["bestandsnaam"], bytes(r["inhoud"])) for r in rows] == [
        ("aanlevering.zip", archive)], "the ZIP is stored as uploaded, unopened"


@pytest.mark.parametrize("gemeentecode,gebruiker,files,named", [
    pytest.param("9999", "henk", [("WMO_H12016.csv", CSV)], "onbekend", id="unknown-gemeentecode"),
    pytest.param("0363", "  ", [("WMO_H12016.csv", CSV)], "gebruiker", id="empty-gebruiker"),
    pytest.param("0363", "henk", [("WMO_H12016.csv", b"")], "leeg", id="empty-file"),
    pytest.param("0363", "henk", [("WMO_H12016.xlsx", CSV)], ".csv", id="xlsx"),
    pytest.param("0363", "henk", [("aanlevering.zip", b"PK\x03\x04 geen zip")], "ZIP",
                 id="unreadable-zip"),
    pytest.param("0363", "henk", [("aanlevering.zip", _zip(("leesmij.pdf", b"%PDF")))],
                 "geen .csv", id="zip-without-csv"),
    pytest.param("0363", "henk", [], "geen bestand", id="no-file"),
])
def test_upload_refused_dutch_message_nothing_stored(ggk, gemeentecode, gebruiker, files, named):
    with pytest.raises(UploadRefused) as caught:
        ggk.upload(gemeentecode, gebruiker, files)
    assert named in str(caught.value), f"the refusal should say {named!r}: {caught.value}"
    assert caught.value.status == 400, f"a refused upload is a 400, got {caught.value.status}"
    assert _count(ggk, "uploads") == 0, "a refused upload is not stored"
    assert ggk.tasks.listing() == [], "a refused upload is not forwarded"


def test_upload_name_policy_weigeren_space_refused_422(make_ggk):
    ggk = make_ggk({"bestandsnaam_beleid": "weigeren"})
    with pytest.raises(UploadRefused) as caught:
        ggk.upload("0363", "henk", [(HENK, CSV)])
    assert caught.value.status == 422, f"expected 422, got {caught.value.status}"
    assert HENK in str(caught.value), "the refusal names the file"
    assert "A-Z a-z 0-9 . - _" in str(caught.value), (
        f"the refusal should name the allowed characters: {caught.value}")
    assert _count(ggk, "uploads") == 0


def test_upload_name_policy_weigeren_valid_name_accepted(make_ggk):
    ggk = make_ggk({"bestandsnaam_beleid": "weigeren"})
    result = ggk.upload("0363", "henk", [("WMO_H12015_Henk.CSV", CSV)])[0]
    assert result.bestandsnaam_envelop == "WMO_H12015_Henk.CSV", "a valid name travels as is"


def test_upload_name_policy_omzetten_default_mapped_original_kept(ggk):
    result = ggk.upload("0363", "henk", [(HENK, CSV)])[0]
    assert result.bestandsnaam_envelop == "WMO_H12015_gestuurd_door_Henk.CSV", (
        f"spaces become underscores in the envelope: {result.bestandsnaam_envelop}")
    assert stuf.BESTANDSNAAM.fullmatch(result.bestandsnaam_envelop), "envelope-safe name"
    row = ggk.store.one("SELECT bestandsnaam, bestandsnaam_envelop FROM uploads")
    assert tuple(row) == (HENK, "WMO_H12015_gestuurd_door_Henk.CSV"), (
        f"the original name stays in uploads.bestandsnaam: {tuple(row)}")
    assert result.referenties == ((HENK, "20160815-090000-001"),), "referenced by its own name"


def test_upload_name_policy_unknown_refused_at_start(make_ggk):
    with pytest.raises(ValueError, match="bestandsnaam_beleid"):
        make_ggk({"bestandsnaam_beleid": "negeren"})


def test_upload_adds_one_doorsturen_task(ggk):
    ggk.upload("0363", "henk", [("WMO_H12016_0363.csv", CSV)])
    upload_id = ggk.store.one("SELECT id FROM uploads")["id"]
    tasks = ggk.tasks.listing()
    assert [(t["soort"], t["data"], t["status"]) for t in tasks] == [
        ("doorsturen", {"upload_id": upload_id}, "open")], tasks


def test_upload_multi_file_one_refused_nothing_stored(ggk):
    files = [("WMO_H12016_a.csv", CSV), ("WMO_H12016_b.xlsx", CSV), ("WMO_H12016_c.csv", CSV)]
    with pytest.raises(UploadRefused, match="WMO_H12016_b.xlsx"):
        ggk.upload("0363", "henk", files)
    for table in ("uploads", "referenties"):
        assert _count(ggk, table) == 0, f"nothing of a refused upload is kept in {table}"
    assert ggk.tasks.listing() == [], "nothing of a refused upload is forwarded"


# ------------------------------------------------------------------ RINIS naming


def test_cbs_name_appends_gemeentecode_before_extension():
    assert cbs_name("WMO_H12016.csv", "WMO_H12016.csv", "0363") == "WMO_H12016_0363.csv"


def test_cbs_name_keeps_spaces_of_original():
    naam = cbs_name(HENK, "WMO_H12015_gestuurd_door_Henk.CSV", "0363")
    assert naam == "WMO_H12015_gestuurd door Henk_0363.CSV", naam


def test_cbs_name_original_with_slash_falls_back_to_envelope_name():
    naam = cbs_name("map/WMO H12016.csv", "WMO_H12016.csv", "0363")
    assert naam == "WMO_H12016_0363.csv", naam


def test_cbs_name_without_extension_appends_at_end():
    assert cbs_name("aanlevering", "aanlevering", "0363") == "aanlevering_0363"


# ------------------------------------------------------------------ RINIS folders


@pytest.mark.parametrize("folder,naam,inhoud,status", [
    pytest.param("RGMSD001", RAPPORT, b"%PDF", 403, id="inbox-folder"),
    pytest.param("RGMSD101", "CBS rapport 0363.pdf", b"%PDF", 400, id="name-with-space"),
    pytest.param("RGMSD101", RAPPORT, b"", 400, id="empty-file"),
    pytest.param("RGMSD999", RAPPORT, b"%PDF", 404, id="unknown-folder"),
])
def test_rinis_put_refused_with_status(rinis, folder, naam, inhoud, status):
    with pytest.raises(FolderRefused) as caught:
        rinis.put(folder, naam, inhoud)
    assert caught.value.status == status, f"expected {status}, got {caught.value.status}"
    assert str(caught.value), "a refusal says why"
    assert _count(rinis, "mapbestanden") == 0, "a refused file is not placed"
    assert rinis.tasks.listing() == [], "a refused file is not routed"


def test_rinis_put_report_in_send_folder_placed_and_routeren_task(rinis):
    file_id, nieuw = rinis.put("RGMSD101", RAPPORT, b"%PDF-1.4")
    assert nieuw
    row = rinis.store.one("SELECT map, naam, inhoud, gemeentecode, correlatie, status"
                          " FROM mapbestanden WHERE id = ?", (file_id,))
    assert (row["map"], row["naam"], bytes(row["inhoud"])) == ("RGMSD101", RAPPORT, b"%PDF-1.4")
    assert (row["gemeentecode"], row["correlatie"]) == ("0363", "20160815-101500-001"), (
        "addressee and GGk reference are read from the report name")
    tasks = rinis.tasks.listing()
    assert [(t["soort"], t["data"]) for t in tasks] == [("routeren", {"id": file_id})], tasks


# ------------------------------------------------------------------ GMSD formats


def test_rapportnaam_parse_fields():
    parsed = rapportnaam.parse(RAPPORT)
    assert parsed == rapportnaam.Rapportnaam("TECHNISCH", "0363", "H12016", "20160815-101500-001")


def test_rapportnaam_parse_periode_onbekend():
    parsed = rapportnaam.parse("CBS_TECHNISCH_0363_ONBEKEND_20160815-101500-001.pdf")
    assert parsed is not None and parsed.periode == "ONBEKEND"


@pytest.mark.parametrize("naam", [
    "CBS_TECHNISCH_0363_H12016_20160815-101500-001.csv",
    "CBS_TECHNISCH_363_H12016_20160815-101500-001.pdf",
    "CBS_technisch_0363_H12016_20160815-101500-001.pdf",
    "CBS_TECHNISCH_0363_H32016_20160815-101500-001.pdf",
    "CBS_TECHNISCH_0363_H12016_20160815-1015-001.pdf",
    "X" + RAPPORT,
])
def test_rapportnaam_parse_other_name_none(naam):
    assert rapportnaam.parse(naam) is None, f"{naam} does not follow the convention"


@pytest.mark.parametrize("op,expected", [
    (date(2016, 8, 15), ("H12016", "H22015")),
    (date(2017, 2, 15), ("H22016", "H12016")),
    (date(2016, 7, 1), ("H12016", "H22015")),
    (date(2016, 6, 30), ("H22015", "H12015")),
])
def test_periodes_deliverable_current_and_previous(op, expected):
    assert periodes.deliverable(op) == expected, f"on {op}"


def _meta(**changes) -> metagegevens.Metagegevens:
    fields = dict(
        referentienummerBestand=stuf.new_referentienummer(),
        bestandsnaam=HENK,
        bestandsnaamEnvelop="WMO_H12015_gestuurd_door_Henk.CSV",
        gemeentecode="0363",
        gebruiker="henk",
        tijdstipUpload=SimulatedClock(START).now(),
        ggkReferenties=((HENK, "20160815-090000-001"), ("JW.csv", "20160815-090000-002")),
    )
    return metagegevens.Metagegevens(**(fields | changes))


def test_metagegevens_round_trip_identical():
    meta = _meta()
    assert metagegevens.from_xml(metagegevens.to_xml(meta)) == meta


def test_metagegevens_missing_gemeentecode_refused():
    data = re.sub(rb"<gemeentecode>[^<]*</gemeentecode>", b"", metagegevens.to_xml(_meta()))
    assert b"gemeentecode" not in data, "the test should remove the element"
    with pytest.raises(metagegevens.MetagegevensError, match="gemeentecode"):
        metagegevens.from_xml(data)


def test_metagegevens_doctype_refused():
    declaration, rest = metagegevens.to_xml(_meta()).split(b"?>", 1)
    data = declaration + b'?><!DOCTYPE metagegevens [<!ENTITY e "0363">]>' + rest
    with pytest.raises(metagegevens.MetagegevensError, match="DOCTYPE"):
        metagegevens.from_xml(data)


def test_metagegevens_not_xml_refused():
    with pytest.raises(metagegevens.MetagegevensError):
        metagegevens.from_xml(b"gemeentecode=0363")


def test_the_courier_timeout_is_a_party_option(make_party):
    assert make_party(Rinis).courier.timeout == 10.0
    assert make_party(Rinis, {"courier_timeout": "0.5"}).courier.timeout == 0.5


def test_stopping_a_party_clears_its_faults(make_party):
    ggk = make_party(Ggk)
    ggk.storingen.arm({"soort": "hangen", "seconden": 30})
    assert ggk.storingen.listing()["storingen"]
    ggk.stop()
    assert not ggk.storingen.listing()["storingen"]


def test_rinis_put_the_same_report_again_is_the_same_file_routed_once(rinis):
    """CBS retries after a lost answer: the same bytes under the same name are one file."""
    first, _ = rinis.put("RGMSD101", RAPPORT, b"%PDF-1.4")
    again, nieuw = rinis.put("RGMSD101", RAPPORT, b"%PDF-1.4")
    assert (again, nieuw) == (first, False)
    assert _count(rinis, "mapbestanden") == 1
    assert [t["soort"] for t in rinis.tasks.listing()] == ["routeren"], "routed once"
    with pytest.raises(FolderRefused) as caught:
        rinis.put("RGMSD101", RAPPORT, b"%PDF-1.4 another one")
    assert caught.value.status == 409 and "andere inhoud" in str(caught.value)
