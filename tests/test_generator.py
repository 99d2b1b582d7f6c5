"""The gemeente's test files follow docs/bestanden.md: headers, formats, periods, names, ZIPs.

The expectations are copied from docs/bestanden.md on purpose instead of taken from the
generator, so a change on one side only makes these tests fail.
"""

import csv
import io
import random
import re
import zipfile
from collections import Counter
from datetime import date, datetime

import pytest

from simulators.gmsd.generator import (
    IV3_CATEGORIEEN,
    JEUGD_COLUMNS,
    JEUGD_TYPES,
    SBO_COLUMNS,
    WMO_COLUMNS,
    bestandsnaam,
    bsn_valid,
    code_uitvraag,
    generate,
    generate_jeugd_csv,
    generate_sbo_csv,
    generate_wmo_csv,
    halfjaar_grenzen,
    jeugd_bestandsnaam,
    make_bsn,
    sbo_bestandsnaam,
    vrije_tekst,
    wmo_bestandsnaam,
    zip_bestanden,
)

AANGEMAAKT = datetime(2016, 8, 15, 10, 15, 30)
VERBODEN = set(':\\/?;*"><|][')

# docs/bestanden.md, column by column: (mandatory, max length, format)
BEDRAG = r"\d+\.\d{2}"
DATUM = r"\d{8}"
WMO_CONTRACT = {
    "Aanmaakdatum bestand": (True, 14, r"\d{14}"),
    "Gemeentecode": (True, 4, r"\d{4}"),
    "BSN": (True, 9, r"\d{9}"),
    "Type maatwerkarrangement": (True, 2, r"0[1-9]|1[0-8]"),
    "Type instelling": (True, 8, r"\d{8}"),
    "Beoogde startdatum ondersteuning": (False, 8, DATUM),
    "Beoogde einddatum ondersteuning": (False, 8, DATUM),
    "Leveringsvorm": (False, 3, r"ZIN|PGB"),
    "Datum start daadwerkelijke ondersteuning": (False, 8, DATUM),
    "Einddatum ondersteuning": (False, 8, DATUM),
    "Intensiteit": (False, 3, r"[1-9]\d{0,2}"),
    "Daadwerkelijk betaald bedrag": (False, 12, BEDRAG),
    "Reden beëindiging": (False, 2, r"0[1-5]"),
}
SBO_CONTRACT = {
    "Aanmaakdatum bestand": (True, 14, r"\d{14}"),
    "Gemeentecode": (True, 4, r"\d{4}"),
    "Code uitvraag": (True, 6, r"H[12]\d{4}"),
    "Iv3-categorie": (True, 3, r"67[01]"),
    "Kosten": (True, 12, BEDRAG),
}
JEUGD_CONTRACT = {
    "Aanmaakdatum bestand": (True, 14, r"\d{14}"),
    "Gemeentecode": (True, 4, r"\d{4}"),
    "Code uitvraag": (True, 6, r"H[12]\d{4}"),
    "Type voorziening": (True, 2, r"0[1-5]"),
    "Kosten": (True, 12, BEDRAG),
}
STARTS = ("Beoogde startdatum ondersteuning", "Datum start daadwerkelijke ondersteuning")
EINDES = ("Beoogde einddatum ondersteuning", "Einddatum ondersteuning")


def _records(data: bytes) -> list[list[str]]:
    """The file read as docs/bestanden.md says: UTF-8 without BOM, ';', CRLF, no quoting."""
    assert not data.startswith(b"\xef\xbb\xbf"), "no BOM"
    text = data.decode("utf-8")
    assert text.endswith("\r\n") and text.count("\n") == text.count("\r\n"), "every line ends CRLF"
    assert '"' not in text, "no quoting needed"
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def _rows(data: bytes) -> list[dict[str, str]]:
    header, *rows = _records(data)
    assert all(len(row) == len(header) for row in rows), "every row has as many fields as the header"
    return [dict(zip(header, row, strict=True)) for row in rows]


def _assert_contract(rows: list[dict[str, str]], contract: dict) -> None:
    for row in rows:
        for column, (mandatory, maximum, pattern) in contract.items():
            value = row[column]
            assert value or not mandatory, f"{column} is mandatory: {row}"
            assert len(value) <= maximum, f"{column} longer than {maximum}: {row}"
            assert not value or re.fullmatch(pattern, value), f"{column}={value!r} is not {pattern}"


def _dag(value: str) -> date:
    return datetime.strptime(value, "%Y%m%d").date()


# --- BSN, code uitvraag, names ------------------------------------------------------


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
    assert wmo_bestandsnaam(2016, 1, "") == "WMO_H12016.csv"
    assert wmo_bestandsnaam(2015, 2, "gestuurd door Henk", "CSV") == (
        "WMO_H22015_gestuurd door Henk.CSV"
    )


def test_sbo_jeugd_bestandsnaam_without_free_text_by_default():
    assert sbo_bestandsnaam(2016, 1) == "SBO_H12016.csv"
    assert jeugd_bestandsnaam(2015, 2, extensie="txt") == "JEUGD_H22015.txt"
    assert sbo_bestandsnaam(2016, 1, "extra") == "SBO_H12016_extra.csv"


def test_bestandsnaam_generic_matches_per_soort():
    assert bestandsnaam("WMO", 2016, 1) == wmo_bestandsnaam(2016, 1)
    assert bestandsnaam("SBO", 2016, 1) == sbo_bestandsnaam(2016, 1)
    assert bestandsnaam("JEUGD", 2016, 2, "x", "TXT") == "JEUGD_H22016_x.TXT"


def test_bestandsnaam_unknown_soort_raises():
    with pytest.raises(ValueError, match="soort"):
        bestandsnaam("wmo", 2016, 1)


@pytest.mark.parametrize("seed", range(40))
def test_vrije_tekst_allowed_in_a_file_name(seed):
    tekst = vrije_tekst(seed)
    assert tekst and tekst == tekst.strip()
    assert not VERBODEN & set(tekst), tekst
    assert "." not in tekst and all(teken.isprintable() for teken in tekst), tekst
    assert wmo_bestandsnaam(2016, 1, tekst).count(".") == 1


def test_vrije_tekst_reproducible_and_varied():
    assert vrije_tekst(3) == vrije_tekst(3)
    assert len({vrije_tekst(seed) for seed in range(20)}) > 10


# --- WMO ----------------------------------------------------------------------------


def test_generate_wmo_csv_header_exactly_columns():
    data = generate_wmo_csv("0363", 2016, 1, 3, AANGEMAAKT)
    assert _records(data)[0] == WMO_COLUMNS == list(WMO_CONTRACT)
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


@pytest.mark.parametrize("seed", [0, 3, 11])
def test_generate_wmo_csv_every_field_follows_the_contract(seed):
    rows = _rows(generate_wmo_csv("0599", 2016, 1, 400, AANGEMAAKT, seed=seed))
    _assert_contract(rows, WMO_CONTRACT)
    assert {row["Gemeentecode"] for row in rows} == {"0599"}


def test_generate_wmo_csv_all_bsns_valid():
    rows = _rows(generate_wmo_csv("0363", 2016, 1, 500, AANGEMAAKT, seed=3))
    assert all(bsn_valid(row["BSN"]) for row in rows)


@pytest.mark.parametrize(("jaar", "halfjaar"), [(2016, 1), (2016, 2), (2015, 2)])
def test_generate_wmo_csv_dates_follow_the_period_rules(jaar, halfjaar):
    begin, einde = halfjaar_grenzen(jaar, halfjaar)
    rows = _rows(generate_wmo_csv("0363", jaar, halfjaar, 600, AANGEMAAKT, seed=5))
    for row in rows:
        starts = [_dag(row[kolom]) for kolom in STARTS if row[kolom]]
        eindes = [_dag(row[kolom]) for kolom in EINDES if row[kolom]]
        assert starts, f"at least one start date: {row}"
        assert all(start <= einde for start in starts), f"a start after the period: {row}"
        assert all(eind >= begin for eind in eindes), f"an end before the period: {row}"
        assert all(eind >= start for eind in eindes for start in starts), f"end before start: {row}"


def test_generate_wmo_csv_reden_only_with_einddatum():
    rows = _rows(generate_wmo_csv("0363", 2016, 2, 500, AANGEMAAKT, seed=9))
    assert any(row["Einddatum ondersteuning"] for row in rows), "some rows end within the period"
    assert any(not row["Einddatum ondersteuning"] for row in rows), "some are still running"
    for row in rows:
        if row["Reden beëindiging"]:
            assert row["Einddatum ondersteuning"], row
        if row["Einddatum ondersteuning"]:
            assert row["Einddatum ondersteuning"] <= "20161231", row


def test_generate_wmo_csv_exercises_the_optional_cases():
    """The file is not only happy rows: the contract's optional cases all occur."""
    begin, _einde = halfjaar_grenzen(2016, 1)
    rows = _rows(generate_wmo_csv("0363", 2016, 1, 1000, AANGEMAAKT, seed=1))
    assert any(row[STARTS[0]] and not row[STARTS[1]] for row in rows), "only beoogde start"
    assert any(row[STARTS[1]] and not row[STARTS[0]] for row in rows), "only daadwerkelijke start"
    assert any(row[STARTS[0]] and _dag(row[STARTS[0]]) < begin for row in rows), "started earlier"
    for column in ("Leveringsvorm", "Intensiteit", "Daadwerkelijk betaald bedrag", EINDES[0]):
        assert any(not row[column] for row in rows), f"{column} is sometimes empty"
    assert {row["Leveringsvorm"] for row in rows} == {"ZIN", "PGB", ""}
    assert max(Counter(row["BSN"] for row in rows).values()) > 1, "a client with two arrangements"


def test_generate_wmo_csv_no_row_repeated():
    records = _records(generate_wmo_csv("0363", 2016, 1, 2000, AANGEMAAKT, seed=2))[1:]
    assert len({tuple(record) for record in records}) == len(records)


def test_generate_wmo_csv_aanmaakdatum_is_passed_datetime():
    rows = _rows(generate_wmo_csv("0363", 2016, 1, 20, AANGEMAAKT))
    assert {row["Aanmaakdatum bestand"] for row in rows} == {"20160815101530"}


@pytest.mark.parametrize("gemeentecode", ["363", "03633", "036a", "０３６３"])
def test_generate_wmo_csv_bad_gemeentecode_raises(gemeentecode):
    with pytest.raises(ValueError, match="gemeentecode"):
        generate_wmo_csv(gemeentecode, 2016, 1, 1, AANGEMAAKT)


# --- SBO and JEUGD ------------------------------------------------------------------


def test_generate_sbo_csv_header_and_categories_once_each():
    data = generate_sbo_csv("0344", 2016, 1, AANGEMAAKT, seed=4)
    assert _records(data)[0] == SBO_COLUMNS == list(SBO_CONTRACT)
    rows = _rows(data)
    _assert_contract(rows, SBO_CONTRACT)
    assert Counter(row["Iv3-categorie"] for row in rows) == Counter({"670": 1, "671": 1})
    assert IV3_CATEGORIEEN == ("670", "671")


def test_generate_jeugd_csv_header_and_types_once_each():
    data = generate_jeugd_csv("0344", 2016, 1, AANGEMAAKT, seed=4)
    assert _records(data)[0] == JEUGD_COLUMNS == list(JEUGD_CONTRACT)
    rows = _rows(data)
    _assert_contract(rows, JEUGD_CONTRACT)
    assert [row["Type voorziening"] for row in rows] == ["01", "02", "03", "04", "05"]
    assert JEUGD_TYPES["03"] == "Jeugdbescherming" and len(JEUGD_TYPES) == 5


@pytest.mark.parametrize("maak", [generate_sbo_csv, generate_jeugd_csv])
@pytest.mark.parametrize(("jaar", "halfjaar", "code"), [(2016, 1, "H12016"), (2015, 2, "H22015")])
def test_kosten_files_carry_gemeente_code_uitvraag_and_one_aanmaakdatum(maak, jaar, halfjaar, code):
    rows = _rows(maak("0014", jaar, halfjaar, AANGEMAAKT))
    assert {row["Gemeentecode"] for row in rows} == {"0014"}
    assert {row["Code uitvraag"] for row in rows} == {code}
    assert {row["Aanmaakdatum bestand"] for row in rows} == {"20160815101530"}


@pytest.mark.parametrize("maak", [generate_sbo_csv, generate_jeugd_csv])
def test_kosten_files_reproducible_per_seed(maak):
    assert maak("0363", 2016, 1, AANGEMAAKT, seed=8) == maak("0363", 2016, 1, AANGEMAAKT, seed=8)
    assert maak("0363", 2016, 1, AANGEMAAKT, seed=8) != maak("0363", 2016, 1, AANGEMAAKT, seed=9)


def test_sbo_and_jeugd_with_one_seed_have_other_amounts():
    sbo = [row["Kosten"] for row in _rows(generate_sbo_csv("0363", 2016, 1, AANGEMAAKT))]
    jeugd = [row["Kosten"] for row in _rows(generate_jeugd_csv("0363", 2016, 1, AANGEMAAKT))]
    assert not set(sbo) & set(jeugd)


def test_generate_sbo_csv_fewer_categories_keep_their_amounts():
    alle = _rows(generate_sbo_csv("0363", 2016, 1, AANGEMAAKT, seed=5))
    alleen_671 = _rows(generate_sbo_csv("0363", 2016, 1, AANGEMAAKT, seed=5, categorieen=["671"]))
    assert alleen_671 == [alle[1]]


@pytest.mark.parametrize(
    ("kwargs", "woord"),
    [({"categorieen": ["672"]}, "onbekend"), ({"categorieen": ["670", "670"]}, "één keer")],
)
def test_generate_sbo_csv_bad_categories_raise(kwargs, woord):
    with pytest.raises(ValueError, match=woord):
        generate_sbo_csv("0363", 2016, 1, AANGEMAAKT, **kwargs)


def test_generate_jeugd_csv_unknown_type_raises():
    with pytest.raises(ValueError, match="09"):
        generate_jeugd_csv("0363", 2016, 1, AANGEMAAKT, types=["01", "09"])


# --- generate(), ZIP ----------------------------------------------------------------


def test_generate_dispatches_per_soort():
    assert generate("WMO", "0363", 2016, 1, AANGEMAAKT, rows=7, seed=2) == generate_wmo_csv(
        "0363", 2016, 1, 7, AANGEMAAKT, seed=2
    )
    assert generate("SBO", "0363", 2016, 1, AANGEMAAKT, seed=2) == generate_sbo_csv(
        "0363", 2016, 1, AANGEMAAKT, seed=2
    )
    assert generate("JEUGD", "0363", 2016, 1, AANGEMAAKT, rows=99, seed=2) == generate_jeugd_csv(
        "0363", 2016, 1, AANGEMAAKT, seed=2
    )


def test_generate_unknown_soort_raises():
    with pytest.raises(ValueError, match="WMO, SBO, JEUGD"):
        generate("PGB", "0363", 2016, 1, AANGEMAAKT)


def _bestanden() -> list[tuple[str, bytes]]:
    return [
        (wmo_bestandsnaam(2016, 1), generate("WMO", "0363", 2016, 1, AANGEMAAKT, rows=30)),
        (sbo_bestandsnaam(2016, 1), generate("SBO", "0363", 2016, 1, AANGEMAAKT)),
        (jeugd_bestandsnaam(2016, 1), generate("JEUGD", "0363", 2016, 1, AANGEMAAKT)),
    ]


def test_zip_bestanden_holds_every_file_deflated_and_dated():
    bestanden = _bestanden()
    with zipfile.ZipFile(io.BytesIO(zip_bestanden(bestanden, AANGEMAAKT))) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [naam for naam, _ in bestanden]
        for naam, inhoud in bestanden:
            info = archive.getinfo(naam)
            assert archive.read(naam) == inhoud
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.date_time == (2016, 8, 15, 10, 15, 30)


def test_zip_bestanden_deterministic_bytes():
    assert zip_bestanden(_bestanden(), AANGEMAAKT) == zip_bestanden(_bestanden(), AANGEMAAKT)
    assert zip_bestanden(_bestanden(), AANGEMAAKT) != zip_bestanden(
        _bestanden(), datetime(2016, 8, 16, 10, 15, 30)
    )


def test_zip_bestanden_same_name_twice_raises():
    with pytest.raises(ValueError, match="SBO_H12016.csv"):
        zip_bestanden([("SBO_H12016.csv", b"a"), ("SBO_H12016.csv", b"b")], AANGEMAAKT)
