"""CBS's technical check: a good file passes every rule, each rule catches its own fault.

The files are built here by hand, line by line, from docs/bestanden.md: the check must
not be tested with the gemeente's generator, or both could share the same mistake.
Line numbers are physical lines with the header as line 1.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from simulators.cbs.check import (
    KOLOMMEN,
    MAX_REGELS,
    RULES,
    Regel,
    SboToets,
    Uitkomst,
    bsn_valid,
    catalogus,
    check_file,
    check_zip,
    parse_bestandsnaam,
)

DOCS = Path(__file__).resolve().parents[1] / "docs"
GEMEENTE = "0363"
AANMAAK = "20160815101500"
PERIODES = {"H12016", "H22015"}
NAMEN = {
    "WMO": "WMO_H12016_regulier_0363.csv",
    "SBO": "SBO_H12016_0363.csv",
    "JEUGD": "JEUGD_H12016_0363.csv",
}
NAAM = NAMEN["WMO"]

KOPPEN = {
    "WMO": (
        "Aanmaakdatum bestand",
        "Gemeentecode",
        "BSN",
        "Type maatwerkarrangement",
        "Type instelling",
        "Beoogde startdatum ondersteuning",
        "Beoogde einddatum ondersteuning",
        "Leveringsvorm",
        "Datum start daadwerkelijke ondersteuning",
        "Einddatum ondersteuning",
        "Intensiteit",
        "Daadwerkelijk betaald bedrag",
        "Reden beëindiging",
    ),
    "SBO": ("Aanmaakdatum bestand", "Gemeentecode", "Code uitvraag", "Iv3-categorie", "Kosten"),
    "JEUGD": ("Aanmaakdatum bestand", "Gemeentecode", "Code uitvraag", "Type voorziening", "Kosten"),
}

# Data rows, as on disk; the comment is the physical line.
RIJEN = {
    "WMO": tuple(
        tuple(regel.split(";"))
        for regel in (
            # line 2: everything filled, ended within the period
            f"{AANMAAK};0363;111222333;01;12345678;20160104;20161231;ZIN;20160111;20160331;4;1234.50;01",
            # line 3: only a planned start, still running
            f"{AANMAAK};0363;123456782;18;87654321;20160301;;PGB;;;;;",
            # line 4: only an actual start, before the period, still running in it
            f"{AANMAAK};0363;999999990;07;12345678;;;;20151201;;999;0.00;",
        )
    ),
    "SBO": (
        (AANMAAK, GEMEENTE, "H12016", "670", "125000.00"),
        (AANMAAK, GEMEENTE, "H12016", "671", "0.50"),
    ),
    "JEUGD": tuple(
        (AANMAAK, GEMEENTE, "H12016", f"0{type_}", f"{type_ * 1000}.00") for type_ in range(1, 6)
    ),
}


def _csv(kop, rijen, scheidingsteken=";", regeleinde="\r\n") -> bytes:
    regels = [scheidingsteken.join(kop), *(scheidingsteken.join(rij) for rij in rijen)]
    return (regeleinde.join(regels) + regeleinde).encode()


def _bestand(soort: str, wijzig: dict[int, dict[str, str]] | None = None, extra=()) -> bytes:
    """A valid file of ``soort`` with the fields in ``wijzig`` ({line: {column: value}})
    changed and the rows in ``extra`` appended."""
    kop = KOPPEN[soort]
    rijen = [dict(zip(kop, rij, strict=True)) for rij in (*RIJEN[soort], *extra)]
    for regel, velden in (wijzig or {}).items():
        rijen[regel - 2].update(velden)
    return _csv(kop, [[rij[kolom] for kolom in kop] for rij in rijen])


def _wmo(wijzig=None, extra=()) -> bytes:
    return _bestand("WMO", wijzig, extra)


def _failed(oordeel) -> dict[str, object]:
    return {b.regel: b for b in oordeel.bevindingen if not b.geslaagd}


def _ids(*soorten: str) -> list[str]:
    return [regel.id for regel in RULES if any(regel.geldt_voor(soort) for soort in soorten)]


# --- good files ---------------------------------------------------------------------


@pytest.mark.parametrize("soort", ["WMO", "SBO", "JEUGD"])
def test_check_file_valid_file_passes_every_rule(soort):
    oordeel = check_file(NAMEN[soort], _bestand(soort), GEMEENTE, PERIODES)
    assert oordeel.verdict == "goedgekeurd"
    assert [b.regel for b in oordeel.bevindingen] == _ids(soort)
    assert all(b.geslaagd and b.melding == "" and b.regels == () for b in oordeel.bevindingen)
    assert oordeel.waarschuwingen == ()


def test_check_file_valid_wmo_gets_tc01_to_tc15_and_tc17_sbo_jeugd_all_but_tc10_tc11():
    assert _ids("WMO") == [f"TC{n:02d}" for n in range(1, 18) if n != 16]
    expected = [f"TC{n:02d}" for n in range(1, 18) if n not in (10, 11)]
    assert _ids("JEUGD") == expected
    assert _ids("SBO") == [*expected, "TC18"]  # the SBO threshold judges SBO files only


@pytest.mark.parametrize(
    "inhoud",
    [
        b"\xef\xbb\xbf" + _wmo(),
        _wmo().replace(b"\r\n", b"\n"),
        _wmo().replace(b";0363;", b';"0363";'),  # quotes around a value are no part of it
        _wmo().rstrip(b"\r\n"),  # no line end after the last row
        _wmo() + b"\r\n\r\n",  # blank lines at the very end
    ],
    ids=["bom", "lf", "quoted", "no-final-line-end", "trailing-blank-lines"],
)
def test_check_file_tolerated_variations_goedgekeurd(inhoud):
    oordeel = check_file(NAAM, inhoud, GEMEENTE, PERIODES)
    assert _failed(oordeel) == {}


# --- each rule catches its own fault, and only that rule fails ----------------------


@dataclass(frozen=True)
class Breuk:
    """A file that breaks exactly one rule, and the lines that rule must name."""

    regel: str
    inhoud: bytes
    regels: tuple[int, ...] = ()
    naam: str = NAAM
    periodes: frozenset[str] = frozenset(PERIODES)
    opties: dict = field(default_factory=dict)
    ook: frozenset[str] = frozenset()
    """Rules that must fail as well: every column holds codes, dates or amounts, so a formula
    cell (TC17) also breaks the format rule of its column."""


WINDOWS_1252 = _wmo().replace("beëindiging".encode(), "beëindiging".encode("cp1252"))

BREUKEN = {
    "tc01-extensie": Breuk("TC01", _wmo(), naam="WMO_H12016_regulier_0363.xlsx"),
    "tc01-sbo-vrije-tekst": Breuk("TC01", _bestand("SBO"), naam="SBO_H12016_extra_0363.csv"),
    "tc02-periode": Breuk("TC02", _wmo(), periodes=frozenset({"H22016", "H12017"})),
    "tc03-windows-1252": Breuk("TC03", WINDOWS_1252, (1,)),
    "tc04-komma": Breuk("TC04", _csv(KOPPEN["WMO"], RIJEN["WMO"], scheidingsteken=","), (1,)),
    "tc04-sbo-met-jeugd-kop": Breuk(
        "TC04", _bestand("SBO").replace(b"Iv3-categorie", b"Type voorziening"), (1,), NAMEN["SBO"]
    ),
    "tc04-jeugd-volgorde": Breuk(
        "TC04",
        _bestand("JEUGD").replace(b"Gemeentecode;Code uitvraag", b"Code uitvraag;Gemeentecode", 1),
        (1,),
        NAMEN["JEUGD"],
    ),
    "tc05-kort": Breuk("TC05", _wmo().replace(b";PGB;;;;;\r\n", b";PGB;;;;\r\n"), (3,)),
    "tc06-sbo-alleen-kop": Breuk("TC06", _csv(KOPPEN["SBO"], []), naam=NAMEN["SBO"]),
    "tc07-bsn": Breuk("TC07", _wmo({3: {"BSN": ""}}), (3,)),
    "tc07-geen-startdatum": Breuk(
        "TC07", _wmo({4: {"Datum start daadwerkelijke ondersteuning": ""}}), (4,)
    ),
    "tc07-jeugd-kosten-spaties": Breuk(
        "TC07", _bestand("JEUGD", {2: {"Kosten": "  "}}), (2,), NAMEN["JEUGD"]
    ),
    "tc08-bedrag": Breuk("TC08", _wmo({3: {"Daadwerkelijk betaald bedrag": "1234567890.12"}}), (3,)),
    "tc08-sbo-code-uitvraag": Breuk(
        "TC08", _bestand("SBO", {3: {"Code uitvraag": "H120166"}}), (3,), NAMEN["SBO"]
    ),
    "tc09-31-februari": Breuk(
        "TC09", _wmo({2: {"Datum start daadwerkelijke ondersteuning": "20160231"}}), (2,)
    ),
    "tc09-aanmaakdatum": Breuk("TC09", _wmo({3: {"Aanmaakdatum bestand": "20160815246000"}}), (3,)),
    "tc09-jeugd-aanmaakdatum-kort": Breuk(
        "TC09", _bestand("JEUGD", {4: {"Aanmaakdatum bestand": "2016081510150"}}), (4,), NAMEN["JEUGD"]
    ),
    "tc10-start-na-periode": Breuk(
        "TC10", _wmo({3: {"Beoogde startdatum ondersteuning": "20160701"}}), (3,)
    ),
    "tc10-einde-voor-start": Breuk("TC10", _wmo({2: {"Einddatum ondersteuning": "20160110"}}), (2,)),
    "tc10-einde-voor-periode": Breuk(
        "TC10", _wmo({2: {"Beoogde einddatum ondersteuning": "20151231"}}), (2,)
    ),
    "tc11-elfproef": Breuk("TC11", _wmo({4: {"BSN": "111222334"}}), (4,)),
    "tc11-acht-cijfers": Breuk("TC11", _wmo({2: {"BSN": "12345678"}}), (2,)),
    "tc11-nullen": Breuk("TC11", _wmo({3: {"BSN": "000000000"}}), (3,)),
    "tc12-type-maatwerkarrangement": Breuk("TC12", _wmo({2: {"Type maatwerkarrangement": "19"}}), (2,)),
    "tc12-type-instelling": Breuk("TC12", _wmo({3: {"Type instelling": "1234567a"}}), (3,)),
    "tc12-leveringsvorm": Breuk("TC12", _wmo({2: {"Leveringsvorm": "zin"}}), (2,)),
    "tc12-intensiteit": Breuk("TC12", _wmo({4: {"Intensiteit": "0"}}), (4,)),
    "tc12-bedrag-komma": Breuk("TC12", _wmo({2: {"Daadwerkelijk betaald bedrag": "1234,50"}}), (2,)),
    "tc12-reden-zonder-einddatum": Breuk("TC12", _wmo({3: {"Reden beëindiging": "02"}}), (3,)),
    "tc12-reden-buiten-lijst": Breuk("TC12", _wmo({2: {"Reden beëindiging": "06"}}), (2,)),
    "tc12-sbo-iv3": Breuk("TC12", _bestand("SBO", {3: {"Iv3-categorie": "672"}}), (3,), NAMEN["SBO"]),
    "tc12-sbo-code-uitvraag": Breuk(
        "TC12", _bestand("SBO", {2: {"Code uitvraag": "H22016"}}), (2,), NAMEN["SBO"]
    ),
    "tc12-jeugd-type": Breuk(
        "TC12", _bestand("JEUGD", {6: {"Type voorziening": "06"}}), (6,), NAMEN["JEUGD"]
    ),
    "tc13-gemeentecode": Breuk("TC13", _wmo({3: {"Gemeentecode": "0344"}}), (3,)),
    "tc13-sbo-zonder-voorloopnul": Breuk(
        "TC13", _bestand("SBO", {2: {"Gemeentecode": "363"}}), (2,), NAMEN["SBO"]
    ),
    "tc14-aanmaakdatum": Breuk("TC14", _wmo({4: {"Aanmaakdatum bestand": "20160815101501"}}), (4,)),
    "tc15-wmo-gelijke-regel": Breuk("TC15", _wmo(extra=[RIJEN["WMO"][0]]), (5,)),
    "tc16-sbo-categorie-twee-keer": Breuk(
        "TC16", _bestand("SBO", {3: {"Iv3-categorie": "670"}}), (2, 3), NAMEN["SBO"]
    ),
    "tc16-jeugd-type-twee-keer": Breuk(
        "TC16", _bestand("JEUGD", {5: {"Type voorziening": "02"}}), (3, 5), NAMEN["JEUGD"]
    ),
    "tc17-wmo-formule": Breuk(
        "TC17", _wmo({3: {"Type instelling": "=1+1"}}), (3,), ook=frozenset({"TC12"})
    ),
    "tc18-sbo-te-veel-inwoners": Breuk(
        "TC18", _bestand("SBO"), naam=NAMEN["SBO"], opties={"sbo": SboToets(20_000)}
    ),
    "tc18-sbo-levert-iv3": Breuk(
        "TC18", _bestand("SBO"), naam=NAMEN["SBO"], opties={"sbo": SboToets(19_999, iv3=True)}
    ),
    "tc17-sbo-formule-in-kosten": Breuk(
        "TC17", _bestand("SBO", {2: {"Kosten": "-1+1"}}), (2,), NAMEN["SBO"], ook=frozenset({"TC12"})
    ),
}


@pytest.mark.parametrize("breuk", BREUKEN.values(), ids=BREUKEN.keys())
def test_check_file_broken_file_fails_only_its_rule(breuk):
    oordeel = check_file(breuk.naam, breuk.inhoud, GEMEENTE, set(breuk.periodes), **breuk.opties)
    failed = _failed(oordeel)
    assert set(failed) == {breuk.regel} | breuk.ook, {regel: b.melding for regel, b in failed.items()}
    bevinding = failed[breuk.regel]
    assert bevinding.regels == breuk.regels
    assert bevinding.melding
    if breuk.regels:
        assert f"regel {', '.join(map(str, breuk.regels))}" in bevinding.melding
    if bevinding.ernst == "fout" or breuk.ook:
        assert oordeel.verdict == "afgekeurd"
    else:
        assert oordeel.verdict == "goedgekeurd"
        assert oordeel.waarschuwingen == (bevinding,)


def test_every_rule_has_a_breaking_file():
    # TC00 judges a refused ZIP, not a file: tests/test_cbs_zip_safety.py breaks it
    assert {breuk.regel for breuk in BREUKEN.values()} == {regel.id for regel in RULES} - {"TC00"}


@pytest.mark.parametrize(
    ("breuk", "woorden"),
    [
        ("tc07-geen-startdatum", ["Beoogde startdatum ondersteuning", "Datum start daadwerkelijke"]),
        ("tc08-bedrag", ["Daadwerkelijk betaald bedrag", "13 tekens", "12"]),
        ("tc09-31-februari", ["20160231", "geen bestaande datum"]),
        ("tc10-start-na-periode", ["20160701", "H12016", "20160630"]),
        ("tc10-einde-voor-start", ["20160110", "20160111"]),
        ("tc11-elfproef", ["111222334", "11-proef"]),
        ("tc12-reden-zonder-einddatum", ["Reden beëindiging", "Einddatum ondersteuning"]),
        ("tc12-sbo-code-uitvraag", ["H22016", "H12016"]),
        ("tc13-gemeentecode", ["0344", "0363"]),
        ("tc14-aanmaakdatum", ["20160815101501", AANMAAK]),
        ("tc15-wmo-gelijke-regel", ["regel 5", "regel 2"]),
        ("tc16-sbo-categorie-twee-keer", ["Iv3-categorie", "670"]),
        ("tc17-wmo-formule", ["formule-injectie", "Type instelling", '"=1+1" begint met "="']),
    ],
)
def test_check_file_message_names_what_is_wrong(breuk, woorden):
    gegeven = BREUKEN[breuk]
    melding = _failed(check_file(gegeven.naam, gegeven.inhoud, GEMEENTE, PERIODES))[gegeven.regel].melding
    for woord in woorden:
        assert woord in melding


# --- choices: what runs when the name or the header cannot be read ------------------


def test_check_file_rejected_header_field_rules_do_not_pile_on():
    data = _wmo({3: {"BSN": "", "Gemeentecode": "0344", "Type maatwerkarrangement": "99"}})
    data = data.replace(b";BSN;", b";Bsn;", 1)
    failed = _failed(check_file(NAAM, data, GEMEENTE, PERIODES))
    assert set(failed) == {"TC04"}
    assert "ontbrekende kolommen: BSN" in failed["TC04"].melding
    assert "onbekende kolommen: Bsn" in failed["TC04"].melding


def test_check_file_rejected_header_still_reports_field_count_and_identical_rows():
    rijen = [*RIJEN["WMO"], RIJEN["WMO"][0], RIJEN["WMO"][1][:5]]
    data = _csv(KOPPEN["WMO"], rijen, scheidingsteken=";").replace(b"Gemeentecode", b"Gemeente", 1)
    failed = _failed(check_file(NAAM, data, GEMEENTE, PERIODES))
    assert set(failed) == {"TC04", "TC05", "TC15"}
    assert failed["TC05"].regels == (6,)
    assert failed["TC15"].regels == (5,)


def test_check_file_unreadable_name_skips_period_dates():
    data = _wmo({3: {"Beoogde startdatum ondersteuning": "20170101"}})
    failed = _failed(check_file("WMO_H12016_regulier_0363.xlsx", data, GEMEENTE, PERIODES))
    assert set(failed) == {"TC01"}


def test_check_file_dates_follow_the_period_in_the_name():
    data = _wmo({3: {"Beoogde startdatum ondersteuning": "20160701"}})
    name = "WMO_H22016_regulier_0363.csv"
    failed = _failed(check_file(name, data, GEMEENTE, {"H22016"}))
    assert set(failed) == {"TC10"}
    assert failed["TC10"].regels == (2,)  # ended in H1; line 3 starts in H2, line 4 still runs
    assert "20160331" in failed["TC10"].melding and "20160701" in failed["TC10"].melding


def test_check_file_reden_with_invalid_einddatum_is_a_date_fault_only():
    data = _wmo({2: {"Einddatum ondersteuning": "20160231"}})
    assert set(_failed(check_file(NAAM, data, GEMEENTE, PERIODES))) == {"TC09"}


def test_check_file_empty_file_fails_tc04_and_tc06():
    failed = _failed(check_file(NAAM, b"", GEMEENTE, PERIODES))
    assert set(failed) == {"TC04", "TC06"}


def test_check_file_sbo_identical_rows_warn_and_fail_on_category():
    data = _bestand("SBO", extra=[RIJEN["SBO"][0]])
    oordeel = check_file(NAMEN["SBO"], data, GEMEENTE, PERIODES)
    failed = _failed(oordeel)
    assert set(failed) == {"TC15", "TC16"}
    assert failed["TC15"].ernst == "waarschuwing" and failed["TC15"].regels == (4,)
    assert failed["TC16"].regels == (2, 4)
    assert oordeel.verdict == "afgekeurd"


def test_check_file_free_text_for_sbo_allowed_by_option():
    naam = "SBO_H12016_tweede levering_0363.csv"
    assert not check_file(naam, _bestand("SBO"), GEMEENTE, PERIODES).goedgekeurd
    oordeel = check_file(naam, _bestand("SBO"), GEMEENTE, PERIODES, vrije_tekst_sbo_jeugd=True)
    assert _failed(oordeel) == {}


def test_check_file_unknown_soort_applies_only_file_rules_and_formulas():
    oordeel = check_file("XYZ_H12016_0363.csv", _wmo(), GEMEENTE, PERIODES)
    assert [b.regel for b in oordeel.bevindingen] == ["TC01", "TC02", "TC03", "TC04", "TC17"]
    assert set(_failed(oordeel)) == {"TC01"}


# --- amounts may be negative; formula cells are flagged (TC17) ----------------------


@pytest.mark.parametrize(
    ("soort", "kolom", "bedrag"),
    [
        ("WMO", "Daadwerkelijk betaald bedrag", "-1234.50"),
        ("WMO", "Daadwerkelijk betaald bedrag", "-12345678.90"),
        ("SBO", "Kosten", "-125000.00"),
        ("JEUGD", "Kosten", "-0.50"),
    ],
)
def test_check_file_negative_amount_passes_every_rule(soort, kolom, bedrag):
    oordeel = check_file(NAMEN[soort], _bestand(soort, {2: {kolom: bedrag}}), GEMEENTE, PERIODES)
    assert _failed(oordeel) == {}
    assert oordeel.verdict == "goedgekeurd"


@pytest.mark.parametrize(
    ("bedrag", "regel"),
    [("+1234.50", "TC12"), ("-1234,50", "TC12"), ("--1234.50", "TC12"), ("-123456789.12", "TC08")],
)
def test_check_file_malformed_signed_amount_fails_its_rule(bedrag, regel):
    data = _wmo({2: {"Daadwerkelijk betaald bedrag": bedrag}})
    failed = _failed(check_file(NAAM, data, GEMEENTE, PERIODES))
    assert set(failed) - {"TC17"} == {regel}
    assert failed[regel].regels == (2,)


@pytest.mark.parametrize(
    ("waarde", "begin"),
    [
        ("=SUM(A1:A9)", '"="'),
        ("  =1+1", '"="'),
        ("+cmd|' /C calc'!A0", '"+"'),
        ("-2+3+cmd", '"-"'),
        ("@SUM(1)", '"@"'),
        ("\uff1d1+1", '"\uff1d"'),
        ("\t=1", "een tab"),
        ("\t01", "een tab"),
        ('"\r01"', "een regelterugloop (CR)"),
        ('"\r\n01"', "een regelterugloop (CR)"),
        ('" \r\n =1"', '"="'),
    ],
    ids=["is", "spaties-is", "plus-dde", "min-som", "apenstaart", "vol-breed-is", "tab-is", "tab", "cr",
         "crlf", "spaties-crlf-is"],
)
def test_check_file_formula_cell_warned_with_its_line(waarde, begin):
    data = _wmo({3: {"Type maatwerkarrangement": waarde}})
    oordeel = check_file(NAAM, data, GEMEENTE, PERIODES)
    bevinding = _failed(oordeel)["TC17"]
    assert bevinding.ernst == "waarschuwing"
    assert bevinding.regels == (3,)
    assert "formule-injectie" in bevinding.melding
    assert "regel 3 (kolom: Type maatwerkarrangement)" in bevinding.melding
    assert f"begint met {begin}" in bevinding.melding
    assert oordeel.verdict == "afgekeurd", "the code is wrong as well (TC08/TC12)"


def test_check_file_formula_cells_on_several_lines_all_listed():
    data = _wmo({2: {"Leveringsvorm": "=A1"}, 4: {"BSN": "@x", "Intensiteit": "+1+1"}})
    bevinding = _failed(check_file(NAAM, data, GEMEENTE, PERIODES))["TC17"]
    assert bevinding.regels == (2, 4)
    assert "2 regel(s)" in bevinding.melding
    assert "(kolom: Leveringsvorm, BSN, Intensiteit)" in bevinding.melding


def test_check_file_formula_in_header_and_in_skipped_rows_still_warned():
    rijen = [*RIJEN["WMO"], ("=HYPERLINK(1)", "x")]
    data = _csv(KOPPEN["WMO"], rijen).replace(b"Gemeentecode", b"=Gemeentecode", 1)
    failed = _failed(check_file(NAAM, data, GEMEENTE, PERIODES))
    assert set(failed) == {"TC04", "TC05", "TC17"}
    assert failed["TC17"].regels == (1, 5)
    assert 'de kolomnaam "=Gemeentecode" begint met "="' in failed["TC17"].melding


def test_check_file_formula_first_in_file_after_bom_warned():
    data = b"\xef\xbb\xbf" + _wmo().replace(b"Aanmaakdatum", b"@Aanmaakdatum", 1)
    assert _failed(check_file(NAAM, data, GEMEENTE, PERIODES))["TC17"].regels == (1,)


@pytest.mark.parametrize("waarde", ["\t", " ", "ZIN"])
def test_check_file_blank_or_plain_cell_is_no_formula(waarde):
    data = _wmo({3: {"Leveringsvorm": waarde}})
    assert "TC17" not in _failed(check_file(NAAM, data, GEMEENTE, PERIODES))


def test_check_zip_refused_zip_is_tc00_afgekeurd_with_the_reason():
    oordeel = check_zip("GMSD_H12016_0363.zip", "het ZIP-bestand bevat meer dan 100 bestanden")
    assert oordeel.verdict == "afgekeurd"
    [bevinding] = oordeel.bevindingen
    assert (bevinding.regel, bevinding.geslaagd, bevinding.ernst) == ("TC00", False, "fout")
    assert "meer dan 100 bestanden" in bevinding.melding
    assert oordeel.bestandsnaam == "GMSD_H12016_0363.zip"


# --- line numbers -------------------------------------------------------------------


def test_check_file_many_bad_rows_keep_twenty_line_numbers_and_count_the_rest():
    rijen = [(AANMAAK, "0344", *RIJEN["WMO"][2][2:]) for _ in range(30)]
    rijen = [(*rij[:2], bsn, *rij[3:]) for rij, bsn in zip(rijen, _bsns(30), strict=True)]
    failed = _failed(check_file(NAAM, _csv(KOPPEN["WMO"], rijen), GEMEENTE, PERIODES))
    assert set(failed) == {"TC13"}
    assert failed["TC13"].regels == tuple(range(2, 2 + MAX_REGELS))
    assert "30 regel(s)" in failed["TC13"].melding
    assert "(en nog 10)" in failed["TC13"].melding


def test_check_file_many_short_rows_keep_twenty_line_numbers():
    data = _csv(KOPPEN["WMO"], [("a", "b")] * 30)
    failed = _failed(check_file(NAAM, data, GEMEENTE, PERIODES))
    assert failed["TC05"].regels == tuple(range(2, 22))
    assert "30 regel(s)" in failed["TC05"].melding and "(en nog 10)" in failed["TC05"].melding


def test_check_file_quoted_line_break_counts_physical_lines():
    eerste = list(RIJEN["WMO"][0])
    eerste[7] = '"Z\r\nIN"'  # the record of line 2 runs on to line 3
    tweede = list(RIJEN["WMO"][1])
    tweede[1] = "0344"
    failed = _failed(check_file(NAAM, _csv(KOPPEN["WMO"], [eerste, tweede]), GEMEENTE, PERIODES))
    assert failed["TC13"].regels == (4,)


def test_check_file_non_utf8_fails_tc03_with_lines():
    lines = WINDOWS_1252.split(b"\r\n")
    lines[3] += "é".encode("cp1252")
    failed = _failed(check_file(NAAM, b"\r\n".join(lines), GEMEENTE, PERIODES))
    assert failed["TC03"].regels == (1, 4)
    assert "0xEB" in failed["TC03"].melding and "regel 1, 4" in failed["TC03"].melding


def _bsns(aantal: int) -> list[str]:
    """Distinct valid BSNs, found by counting up (so the rows are not identical)."""
    gevonden, kandidaat = [], 100000000
    while len(gevonden) < aantal:
        kandidaat += 1
        if bsn_valid(str(kandidaat)):
            gevonden.append(str(kandidaat))
    return gevonden


# --- the catalogue ------------------------------------------------------------------


def test_rules_catalogue_ids_severities_and_texts():
    assert [regel.id for regel in RULES] == [f"TC{n:02d}" for n in range(0, 19)]
    waarschuwingen = {regel.id: regel.ernst for regel in RULES if regel.ernst != "fout"}
    assert waarschuwingen == {"TC15": "waarschuwing", "TC17": "waarschuwing"}
    assert all(regel.omschrijving.endswith(".") for regel in RULES)


def test_catalogus_rows_for_documents():
    rijen = {rij.id: rij for rij in catalogus()}
    assert list(rijen) == [regel.id for regel in RULES]
    assert rijen["TC00"].soorten == ("ZIP",)
    assert rijen["TC01"].soorten == ("WMO", "SBO", "JEUGD", "ONBEKEND")
    assert rijen["TC10"] == ("TC10", "fout", ("WMO",), RULES[10].omschrijving)
    assert rijen["TC16"].soorten == ("SBO", "JEUGD")
    assert rijen["TC17"].soorten == ("WMO", "SBO", "JEUGD", "ONBEKEND")


def test_regel_unknown_severity_refused():
    with pytest.raises(ValueError, match="ernst"):
        Regel("TC99", "Onzin.", frozenset({"WMO"}), lambda _: Uitkomst(True), "ramp")


def test_docs_controles_table_matches_catalogus():
    tabel = _markdown_tabel((DOCS / "controles.md").read_text(encoding="utf-8"), "id")
    gedocumenteerd = [(rij["id"], rij["ernst"], rij["soorten"]) for rij in tabel]
    assert gedocumenteerd == [(rij.id, rij.ernst, ", ".join(rij.soorten)) for rij in catalogus()]


@pytest.mark.parametrize("soort", ["WMO", "SBO", "JEUGD"])
def test_columns_follow_docs_bestanden(soort):
    tekst = (DOCS / "bestanden.md").read_text(encoding="utf-8")
    sectie = re.search(rf"^## {soort}\b.*?(?=^## |\Z)", tekst, re.MULTILINE | re.DOTALL)
    assert sectie, f"docs/bestanden.md has no section ## {soort}"
    tabel = _markdown_tabel(sectie.group(0), "column")
    gedocumenteerd = [(rij["column"], rij["mandatory"] == "yes", int(rij["max"])) for rij in tabel]
    assert gedocumenteerd == [tuple(kolom) for kolom in KOLOMMEN[soort]]
    assert tuple(rij["column"] for rij in tabel) == KOPPEN[soort]


def _markdown_tabel(tekst: str, eerste_kolom: str) -> list[dict[str, str]]:
    """The rows of the first markdown table whose first header cell is ``eerste_kolom``."""
    regels = tekst.splitlines()
    for index, regel in enumerate(regels):
        cellen = [cel.strip() for cel in regel.strip().strip("|").split("|")]
        if regel.startswith("|") and cellen[0] == eerste_kolom:
            kop, rijen = cellen, []
            for rij in regels[index + 2 :]:
                if not rij.startswith("|"):
                    break
                waarden = [cel.strip().strip("`") for cel in rij.strip().strip("|").split("|")]
                rijen.append(dict(zip(kop, waarden, strict=False)))
            return rijen
    raise AssertionError(f"no table starting with column {eerste_kolom!r}")


# --- file names ---------------------------------------------------------------------


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
    oordeel = check_file(naam, _wmo(), GEMEENTE, PERIODES)
    failed = _failed(oordeel)
    assert "TC01" in failed
    assert woord in failed["TC01"].melding
    assert oordeel.verdict == "afgekeurd"


def test_check_file_no_periods_given_skips_period_check():
    assert "TC02" not in _failed(check_file("WMO_H12014_regulier_0363.csv", _wmo(), GEMEENTE))


@pytest.mark.parametrize(
    ("naam", "soort", "vrije_tekst", "extensie"),
    [
        ("WMO_H12016_regulier_0363.csv", "WMO", "regulier", "csv"),
        ("WMO_H12015_gestuurd door Henk_0363.CSV", "WMO", "gestuurd door Henk", "csv"),
        ("WMO_H12016_versie_2_definitief_0363.Csv", "WMO", "versie_2_definitief", "csv"),
        ("WMO_H12016_0363.csv", "WMO", "", "csv"),
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


@pytest.mark.parametrize("naam", ["SBO_H12016_extra_0363.csv", "JEUGD_H12016_v2_0363.txt"])
def test_parse_bestandsnaam_free_text_sbo_jeugd_only_with_option(naam):
    assert parse_bestandsnaam(naam, GEMEENTE) is None
    delen = parse_bestandsnaam(naam, GEMEENTE, vrije_tekst_sbo_jeugd=True)
    assert delen is not None and delen["vrije_tekst"] in ("extra", "v2")


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
        "WMO_H12016__0363.csv",
        "JEUGD_H12016_extra_0363.csv",
        "WMO_H12016_regulier_0363.zip",
        "WMO_H12016_regu\tlier_0363.csv",
        "",
    ],
)
def test_parse_bestandsnaam_nonconforming_rejected(naam):
    assert parse_bestandsnaam(naam, GEMEENTE) is None


def test_tc18_sbo_under_the_threshold_or_unknown_gemeente_passes():
    for toets in (SboToets(19_999), SboToets(None), None):
        assert _failed(check_file(NAMEN["SBO"], _bestand("SBO"), GEMEENTE, PERIODES, sbo=toets)) == {}

