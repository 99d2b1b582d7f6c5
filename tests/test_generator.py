"""The gemeente's WMO test files: valid BSNs, the agreed header, reproducible rows."""

import random
from datetime import datetime

import pytest

from simulators.gemeente.generator import (
    WMO_COLUMNS,
    bsn_valid,
    code_uitvraag,
    generate_wmo_csv,
    make_bsn,
    wmo_bestandsnaam,
)

AANGEMAAKT = datetime(2016, 8, 15, 10, 15, 30)


def _rows(data: bytes) -> list[dict[str, str]]:
    lines = data.decode("utf-8").split("\r\n")
    assert lines[-1] == "", "the file ends with CRLF"
    header = lines[0].split(";")
    return [dict(zip(header, line.split(";"), strict=True)) for line in lines[1:-1]]


@pytest.mark.parametrize("bsn", ["111222333", "123456782"])
def test_bsn_valid_known_valid_accepted(bsn):
    assert bsn_valid(bsn)


@pytest.mark.parametrize("bsn", ["123456789", "000000000", "12345678", "1234567820", "12345678a"])
def test_bsn_valid_invalid_rejected(bsn):
    assert not bsn_valid(bsn)


def test_make_bsn_always_valid():
    rng = random.Random(7)
    bsns = [make_bsn(rng) for _ in range(2000)]
    assert all(bsn_valid(bsn) for bsn in bsns)
    assert len(set(bsns)) > 1990


def test_code_uitvraag_half_and_year():
    assert code_uitvraag(2016, 1) == "H12016"
    assert code_uitvraag(2015, 2) == "H22015"


def test_code_uitvraag_bad_halfjaar_raises():
    with pytest.raises(ValueError):
        code_uitvraag(2016, 3)


def test_wmo_bestandsnaam_convention():
    assert wmo_bestandsnaam(2016, 1) == "WMO_H12016_regulier.csv"
    assert wmo_bestandsnaam(2015, 2, "gestuurd door Henk", "CSV") == (
        "WMO_H22015_gestuurd door Henk.CSV"
    )


def test_generate_wmo_csv_header_exactly_columns():
    data = generate_wmo_csv("0363", 2016, 1, 3, AANGEMAAKT)
    first_line = data.split(b"\r\n")[0].decode("utf-8")
    assert first_line.split(";") == WMO_COLUMNS
    assert WMO_COLUMNS[0] == "Aanmaakdatum bestand"
    assert WMO_COLUMNS[-1] == "Reden beëindiging"
    assert len(WMO_COLUMNS) == 13


def test_generate_wmo_csv_utf8_without_bom_crlf():
    data = generate_wmo_csv("0363", 2016, 1, 5, AANGEMAAKT)
    assert not data.startswith(b"\xef\xbb\xbf")
    assert "Reden beëindiging".encode() in data
    assert data.count(b"\n") == data.count(b"\r\n") == 6


def test_generate_wmo_csv_row_count():
    assert len(_rows(generate_wmo_csv("0363", 2016, 1, 250, AANGEMAAKT))) == 250
    assert _rows(generate_wmo_csv("0363", 2016, 1, 0, AANGEMAAKT)) == []


def test_generate_wmo_csv_same_seed_same_bytes():
    first = generate_wmo_csv("0363", 2016, 1, 100, AANGEMAAKT, seed=42)
    second = generate_wmo_csv("0363", 2016, 1, 100, AANGEMAAKT, seed=42)
    assert first == second


def test_generate_wmo_csv_other_seed_other_bytes():
    first = generate_wmo_csv("0363", 2016, 1, 100, AANGEMAAKT, seed=42)
    second = generate_wmo_csv("0363", 2016, 1, 100, AANGEMAAKT, seed=43)
    assert first != second


def test_generate_wmo_csv_all_bsns_valid():
    rows = _rows(generate_wmo_csv("0363", 2016, 1, 500, AANGEMAAKT, seed=3))
    assert all(bsn_valid(row["BSN"]) for row in rows)


@pytest.mark.parametrize(
    ("halfjaar", "begin", "einde"), [(1, "20160101", "20160630"), (2, "20160701", "20161231")]
)
def test_generate_wmo_csv_start_dates_inside_half_year(halfjaar, begin, einde):
    rows = _rows(generate_wmo_csv("0363", 2016, halfjaar, 500, AANGEMAAKT, seed=5))
    for row in rows:
        beoogd = row["Beoogde startdatum ondersteuning"]
        start = row["Datum start daadwerkelijke ondersteuning"]
        assert begin <= beoogd <= einde, row
        assert begin <= start <= einde, row


def test_generate_wmo_csv_end_dates_after_start():
    rows = _rows(generate_wmo_csv("0363", 2016, 2, 500, AANGEMAAKT, seed=9))
    ended = [row for row in rows if row["Einddatum ondersteuning"]]
    assert ended, "some rows end within the period"
    assert any(not row["Einddatum ondersteuning"] for row in rows), "some are still running"
    for row in rows:
        start = row["Datum start daadwerkelijke ondersteuning"]
        if row["Einddatum ondersteuning"]:
            assert start < row["Einddatum ondersteuning"] <= "20161231", row
            assert row["Reden beëindiging"], row
        else:
            assert row["Reden beëindiging"] == "", row
        if row["Beoogde einddatum ondersteuning"]:
            assert row["Beoogde startdatum ondersteuning"] < row["Beoogde einddatum ondersteuning"]


def test_generate_wmo_csv_aanmaakdatum_is_passed_datetime():
    rows = _rows(generate_wmo_csv("0363", 2016, 1, 20, AANGEMAAKT))
    assert {row["Aanmaakdatum bestand"] for row in rows} == {"20160815101530"}


def test_generate_wmo_csv_field_formats():
    rows = _rows(generate_wmo_csv("0599", 2016, 1, 300, AANGEMAAKT, seed=11))
    for row in rows:
        assert row["Gemeentecode"] == "0599"
        assert row["Type maatwerkarrangement"] in {f"{n:02d}" for n in range(1, 19)}
        assert len(row["Type instelling"]) == 8 and row["Type instelling"].isdigit()
        assert row["Leveringsvorm"] in {"ZIN", "PGB"}
        euros, cents = row["Daadwerkelijk betaald bedrag"].split(".")
        assert euros.isdigit() and len(cents) == 2 and cents.isdigit()
    assert {row["Leveringsvorm"] for row in rows} == {"ZIN", "PGB"}


def test_generate_wmo_csv_bad_gemeentecode_raises():
    with pytest.raises(ValueError):
        generate_wmo_csv("363", 2016, 1, 1, AANGEMAAKT)
