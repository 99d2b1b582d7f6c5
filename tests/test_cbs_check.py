"""CBS's technical check: a good file is approved, each rule catches its own fault."""

from datetime import datetime

import pytest

from simulators.cbs.check import RULES, WMO_HEADER, check_file, parse_bestandsnaam
from simulators.gemeente.generator import WMO_COLUMNS, generate_wmo_csv

GEMEENTE = "0363"
NAAM = "WMO_H12016_regulier_0363.csv"
PERIODES = {"H12016", "H22015"}
GOED = generate_wmo_csv(GEMEENTE, 2016, 1, 50, datetime(2016, 8, 15, 10, 15), seed=1)


def _failed(oordeel) -> dict[str, object]:
    return {b.regel: b for b in oordeel.bevindingen if not b.geslaagd}


def _with_line(data: bytes, index: int, line: bytes) -> bytes:
    lines = data.split(b"\r\n")
    return b"\r\n".join([*lines[:index], line, *lines[index:]])


def test_check_file_good_file_goedgekeurd():
    oordeel = check_file(NAAM, GOED, GEMEENTE, PERIODES)
    assert oordeel.goedgekeurd
    assert oordeel.verdict == "goedgekeurd"
    assert [b.regel for b in oordeel.bevindingen] == [f"TC0{n}" for n in range(1, 7)]
    assert all(b.melding == "" and b.regels == () for b in oordeel.bevindingen)


def test_check_file_with_bom_goedgekeurd():
    assert check_file(NAAM, b"\xef\xbb\xbf" + GOED, GEMEENTE, PERIODES).goedgekeurd


def test_wmo_header_copy_matches_generator():
    assert list(WMO_HEADER) == WMO_COLUMNS


def test_rules_catalogue_ids_and_texts():
    assert [regel.id for regel in RULES] == ["TC01", "TC02", "TC03", "TC04", "TC05", "TC06"]
    assert all(regel.omschrijving for regel in RULES)


@pytest.mark.parametrize(
    ("naam", "woord"),
    [
        ("WMO-H12016_regulier_0363.csv", "WMO_"),
        ("WMO_H12016_regulier.csv", "gemeentecode"),
        ("WMO_H12016_regulier_0363.xlsx", "extensie"),
        ("SBO_H12016_extra_0363.csv", "vrije tekst"),
    ],
)
def test_check_file_bad_name_fails_tc01(naam, woord):
    oordeel = check_file(naam, GOED, GEMEENTE, PERIODES)
    failed = _failed(oordeel)
    assert "TC01" in failed
    assert woord in failed["TC01"].melding
    assert oordeel.verdict == "afgekeurd"


def test_check_file_wrong_period_fails_tc02():
    oordeel = check_file("WMO_H12014_regulier_0363.csv", GOED, GEMEENTE, PERIODES)
    failed = _failed(oordeel)
    assert set(failed) == {"TC02"}
    assert "H12014" in failed["TC02"].melding


def test_check_file_no_periods_given_skips_period_check():
    assert check_file("WMO_H12014_regulier_0363.csv", GOED, GEMEENTE).goedgekeurd


def test_check_file_non_utf8_fails_tc03_with_line():
    data = GOED.replace("beëindiging".encode(), "beëindiging".encode("cp1252"))
    lines = data.split(b"\r\n")
    lines[3] += "é".encode("cp1252")
    data = b"\r\n".join(lines)
    failed = _failed(check_file(NAAM, data, GEMEENTE, PERIODES))
    assert "TC03" in failed
    assert failed["TC03"].regels == (1, 4)
    assert "0xEB" in failed["TC03"].melding and "regel 1" in failed["TC03"].melding


def test_check_file_comma_separator_fails_tc04():
    data = GOED.replace(b";", b",")
    failed = _failed(check_file(NAAM, data, GEMEENTE, PERIODES))
    assert "TC04" in failed
    assert "komma" in failed["TC04"].melding


def test_check_file_missing_column_fails_tc04():
    data = GOED.replace(b";Intensiteit", b"", 1)
    failed = _failed(check_file(NAAM, data, GEMEENTE, PERIODES))
    assert "TC04" in failed
    assert "Intensiteit" in failed["TC04"].melding


def test_check_file_short_row_fails_tc05_with_line_number():
    data = _with_line(GOED, 7, b"20160815101500;0363;111222333")
    failed = _failed(check_file(NAAM, data, GEMEENTE, PERIODES))
    assert set(failed) == {"TC05"}
    assert failed["TC05"].regels == (8,)
    assert "regel 8" in failed["TC05"].melding


def test_check_file_many_bad_rows_keeps_twenty_line_numbers():
    lines = GOED.split(b"\r\n")
    data = b"\r\n".join([lines[0], *(b"a;b" for _ in range(30)), b""])
    failed = _failed(check_file(NAAM, data, GEMEENTE, PERIODES))
    assert failed["TC05"].regels == tuple(range(2, 22))
    assert "30 regel(s)" in failed["TC05"].melding


def test_check_file_header_only_fails_tc06():
    header_only = GOED.split(b"\r\n")[0] + b"\r\n"
    failed = _failed(check_file(NAAM, header_only, GEMEENTE, PERIODES))
    assert set(failed) == {"TC06"}


def test_check_file_sbo_applies_first_four_rules():
    oordeel = check_file("SBO_H12016_0363.csv", b"Iv3-categorie;Kosten\r\n", GEMEENTE, PERIODES)
    assert [b.regel for b in oordeel.bevindingen] == ["TC01", "TC02", "TC03", "TC04"]
    assert oordeel.goedgekeurd


def test_check_file_jeugd_without_separator_fails_tc04():
    oordeel = check_file("JEUGD_H12016_0363.txt", b"kosten\r\n12\r\n", GEMEENTE, PERIODES)
    assert set(_failed(oordeel)) == {"TC04"}


@pytest.mark.parametrize(
    ("naam", "soort", "vrije_tekst", "extensie"),
    [
        ("WMO_H12016_regulier_0363.csv", "WMO", "regulier", "csv"),
        ("WMO_H12015_gestuurd door Henk_0363.CSV", "WMO", "gestuurd door Henk", "csv"),
        ("WMO_H12016_versie_2_definitief_0363.Csv", "WMO", "versie_2_definitief", "csv"),
        ("SBO_H12016_0363.CSV", "SBO", "", "csv"),
        ("JEUGD_H22015_0363.txt", "JEUGD", "", "txt"),
    ],
)
def test_parse_bestandsnaam_as_received_parses(naam, soort, vrije_tekst, extensie):
    delen = parse_bestandsnaam(naam, GEMEENTE)
    assert delen is not None
    assert delen["soort"] == soort
    assert delen["vrije_tekst"] == vrije_tekst
    assert delen["extensie"] == extensie


def test_parse_bestandsnaam_parts_of_code_uitvraag():
    delen = parse_bestandsnaam("JEUGD_H22015_0363.txt", GEMEENTE)
    assert delen is not None
    assert (delen["code_uitvraag"], delen["jaar"], delen["halfjaar"]) == ("H22015", 2015, 2)


def test_parse_bestandsnaam_without_gemeentecode_reads_gemeente_name():
    assert parse_bestandsnaam("SBO_H12016.csv") is not None
    assert parse_bestandsnaam("WMO_H12015_gestuurd door Henk.CSV")["vrije_tekst"] == (
        "gestuurd door Henk"
    )


@pytest.mark.parametrize("teken", list(':\\/?;*"><|]['))
def test_parse_bestandsnaam_forbidden_character_rejected(teken):
    assert parse_bestandsnaam(f"WMO_H12016_regu{teken}lier_0363.csv", GEMEENTE) is None


@pytest.mark.parametrize(
    "naam",
    [
        "WMO_H12016_versie.2_0363.csv",
        "WMO_H12016_regulier_0363.csv.csv",
        "WMO_H12016_regulier_0363",
        "wmo_H12016_regulier_0363.csv",
        "WMO_h12016_regulier_0363.csv",
        "WMO_H32016_regulier_0363.csv",
        "WMO_H1201_regulier_0363.csv",
        "WMO_H12016regulier_0363.csv",
        "WMO_H12016_regulier_0344.csv",
        "JEUGD_H12016_extra_0363.csv",
        "WMO_H12016_regulier_0363.zip",
        "",
    ],
)
def test_parse_bestandsnaam_nonconforming_rejected(naam):
    assert parse_bestandsnaam(naam, GEMEENTE) is None
