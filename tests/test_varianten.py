"""Each broken variant breaks exactly its one thing, on the lines it says.

:func:`defecten` is this test's own reading of docs/bestanden.md (it does not import
CBS's check: the parties must be able to disagree). It names every defect it finds with
the physical lines it sits on; a valid file has none, and a variant has exactly one.
"""

import csv
import io
import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from simulators.gmsd.generator import generate
from simulators.gmsd.varianten import GEBROKEN_REGEL, VARIANTEN, Variant, maak_variant, variant_namen

GEMEENTE = "0363"
ROWS = 12
VERBODEN = set(':\\/?;*"><|][')

KOLOMMEN = {
    "WMO": [
        "Aanmaakdatum bestand", "Gemeentecode", "BSN", "Type maatwerkarrangement", "Type instelling",
        "Beoogde startdatum ondersteuning", "Beoogde einddatum ondersteuning", "Leveringsvorm",
        "Datum start daadwerkelijke ondersteuning", "Einddatum ondersteuning", "Intensiteit",
        "Daadwerkelijk betaald bedrag", "Reden beëindiging",
    ],
    "SBO": ["Aanmaakdatum bestand", "Gemeentecode", "Code uitvraag", "Iv3-categorie", "Kosten"],
    "JEUGD": ["Aanmaakdatum bestand", "Gemeentecode", "Code uitvraag", "Type voorziening", "Kosten"],
}
# column -> (mandatory, max length, format, code list or None), from docs/bestanden.md
DATUM = (False, 8, r"\d{8}", None)
BEDRAG = r"\d+\.\d{2}"
SPEC = {
    "Aanmaakdatum bestand": (True, 14, r"\d{14}", None),
    "Gemeentecode": (True, 4, r"\d{4}", None),
    "BSN": (True, 9, r"\d{9}", None),
    "Type maatwerkarrangement": (True, 2, r"\d{2}", {f"{n:02d}" for n in range(1, 19)}),
    "Type instelling": (True, 8, r"\d{8}", None),
    "Beoogde startdatum ondersteuning": DATUM,
    "Beoogde einddatum ondersteuning": DATUM,
    "Leveringsvorm": (False, 3, r"[A-Z]+", {"ZIN", "PGB"}),
    "Datum start daadwerkelijke ondersteuning": DATUM,
    "Einddatum ondersteuning": DATUM,
    "Intensiteit": (False, 3, r"[1-9]\d*", None),
    "Daadwerkelijk betaald bedrag": (False, 12, BEDRAG, None),
    "Reden beëindiging": (False, 2, r"\d{2}", {"01", "02", "03", "04", "05"}),
    "Code uitvraag": (True, 6, r"H[12]\d{4}", None),
    "Iv3-categorie": (True, 3, r"\d{3}", {"670", "671"}),
    "Type voorziening": (True, 2, r"\d{2}", {"01", "02", "03", "04", "05"}),
    "Kosten": (True, 12, BEDRAG, None),
}
STARTS = ("Beoogde startdatum ondersteuning", "Datum start daadwerkelijke ondersteuning")
EINDES = ("Beoogde einddatum ondersteuning", "Einddatum ondersteuning")
SLEUTEL = {"SBO": "Iv3-categorie", "JEUGD": "Type voorziening"}

# variant -> the one defect defecten() must find
VERWACHT = {
    "scheidingsteken-komma": "scheidingsteken",
    "verplicht-veld-leeg": "verplicht-leeg",
    "veld-te-lang": "te-lang",
    "bsn-ongeldig": "bsn",
    "datum-buiten-periode": "datum-buiten-periode",
    "datum-ongeldig": "datum-ongeldig",
    "codering-windows-1252": "codering",
    "leeg": "leeg",
    "alleen-kopregel": "geen-gegevensregels",
    "dubbele-regels": "dubbel",
    "onbekende-code": "onbekende-code",
    "ander-aantal-velden": "aantal-velden",
    "aanmaakdatum-wisselt": "aanmaakdatum",
    "naam-verboden-teken": "naam-verboden-teken",
    "naam-verkeerde-periode": "naam-periode",
    "naam-kleine-letters": "naam-voorvoegsel",
    "naam-tweede-punt": "naam-punt",
    "gemeentecode-anders": "gemeentecode",
}
# (jaar, halfjaar, the moment the file is made and received)
PERIODES = [(2016, 1, datetime(2016, 8, 15, 10, 15, 30)), (2016, 2, datetime(2017, 1, 20, 8, 0, 2))]
SEEDS = (0, 1, 7)


# --- the test's own reading of the contract -------------------------------------------


def _leverbaar(op: date) -> set[str]:
    """The current and previous period on ``op`` (a period is deliverable from the month after it)."""
    if op.month >= 7:
        return {f"H1{op.year}", f"H2{op.year - 1}"}
    return {f"H2{op.year - 1}", f"H1{op.year - 1}"}


def _naam_defecten(naam: str, soort: str, ontvangen: date) -> set[str]:
    gevonden = set()
    if VERBODEN & set(naam) or not naam.isprintable():
        gevonden.add("naam-verboden-teken")
    if naam.count(".") != 1:
        gevonden.add("naam-punt")
    # Read the rest as if those two were fine, so each defect is reported once.
    stam, _, extensie = "".join(t for t in naam if t not in VERBODEN).rpartition(".")
    stam = stam.replace(".", "")
    if extensie.lower() not in ("csv", "txt"):
        gevonden.add("naam-extensie")
    if not stam.startswith(f"{soort}_"):
        gevonden.add("naam-voorvoegsel")
    rest = stam[len(soort) + 1 :]
    code, vrij = rest[:6], rest[6:]
    if not re.fullmatch(r"H[12]\d{4}", code):
        return gevonden | {"naam-code-uitvraag"}
    if vrij and (soort != "WMO" or not vrij.startswith("_") or not vrij[1:].strip()):
        gevonden.add("naam-vrije-tekst")
    if code not in _leverbaar(ontvangen):
        gevonden.add("naam-periode")
    return gevonden


def _tekst(inhoud: bytes, gevonden: dict[str, set[int]]) -> str:
    try:
        tekst = inhoud.decode("utf-8")
    except UnicodeDecodeError:
        fout = set()
        for nummer, regel in enumerate(inhoud.split(b"\n"), start=1):
            try:
                regel.decode("utf-8")
            except UnicodeDecodeError:
                fout.add(nummer)
        gevonden["codering"] = fout
        tekst = inhoud.decode("cp1252")
    if tekst.startswith("\ufeff"):
        gevonden["bom"] = set()
        tekst = tekst[1:]
    if not tekst.endswith("\r\n") or tekst.count("\n") != tekst.count("\r\n"):
        gevonden["regeleinde"] = set()
    return tekst


def _datum(waarde: str) -> date | None:
    try:
        return datetime.strptime(waarde, "%Y%m%d").date()
    except ValueError:
        return None


def _grenzen(code: str) -> tuple[date, date]:
    jaar = int(code[2:])
    return (date(jaar, 1, 1), date(jaar, 6, 30)) if code[1] == "1" else (date(jaar, 7, 1), date(jaar, 12, 31))


def _veld_defecten(kolom: str, waarde: str) -> set[str]:
    verplicht, maximum, patroon, codes = SPEC[kolom]
    if not waarde:
        return {"verplicht-leeg"} if verplicht else set()
    if len(waarde) > maximum:
        return {"te-lang"}
    if not re.fullmatch(patroon, waarde):
        return {"formaat"}
    if codes is not None and waarde not in codes:
        return {"onbekende-code"}
    if kolom in (*STARTS, *EINDES) and _datum(waarde) is None:
        return {"datum-ongeldig"}
    return set()


def _wmo_defecten(rij: dict[str, str], code: str) -> set[str]:
    gevonden = set()
    if re.fullmatch(r"\d{9}", rij["BSN"]) and not _bsn_elfproef(rij["BSN"]):
        gevonden.add("bsn")
    if not any(rij[kolom] for kolom in STARTS):
        gevonden.add("startdatum-ontbreekt")
    if rij["Reden beëindiging"] and not rij["Einddatum ondersteuning"]:
        gevonden.add("reden-zonder-einde")
    begin, einde = _grenzen(code)
    starts = [d for d in (_datum(rij[k]) for k in STARTS if rij[k]) if d]
    eindes = [d for d in (_datum(rij[k]) for k in EINDES if rij[k]) if d]
    if any(d > einde for d in starts) or any(d < begin for d in eindes):
        gevonden.add("datum-buiten-periode")
    if any(e < s for e in eindes for s in starts):
        gevonden.add("datum-volgorde")
    return gevonden


def _bsn_elfproef(bsn: str) -> bool:
    totaal = sum(int(c) * w for c, w in zip(bsn, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return totaal != 0 and totaal % 11 == 0


def defecten(naam: str, inhoud: bytes, soort: str, gemeentecode: str, ontvangen: date) -> dict[str, set[int]]:
    """Every defect of the file against docs/bestanden.md: name -> the physical lines it is on."""
    gevonden: dict[str, set[int]] = {d: set() for d in _naam_defecten(naam, soort, ontvangen)}
    if not inhoud:
        return gevonden | {"leeg": set()}
    tekst = _tekst(inhoud, gevonden)
    if ";" not in tekst.split("\r\n")[0]:
        return gevonden | {"scheidingsteken": set()}
    kop, *records = list(csv.reader(io.StringIO(tekst, newline=""), delimiter=";"))
    if kop != KOLOMMEN[soort]:
        return gevonden | {"kopregel": {1}}
    if not records:
        return gevonden | {"geen-gegevensregels": set()}
    code = re.search(r"H[12]\d{4}", naam).group()
    aanmaak = Counter(record[0] for record in records).most_common(1)[0][0]
    gezien: set[tuple[str, ...]] = set()
    sleutels: set[str] = set()
    for nummer, record in enumerate(records, start=2):
        for defect in _rij_defecten(soort, kop, record, code, gemeentecode, aanmaak, gezien, sleutels):
            gevonden.setdefault(defect, set()).add(nummer)
    return gevonden


def _rij_defecten(soort, kop, record, code, gemeentecode, aanmaak, gezien, sleutels) -> set[str]:
    if len(record) != len(kop):
        return {"aantal-velden"}
    rij = dict(zip(kop, record, strict=True))
    gevonden = set().union(*(_veld_defecten(kolom, waarde) for kolom, waarde in rij.items()))
    if tuple(record) in gezien or (soort in SLEUTEL and rij[SLEUTEL[soort]] in sleutels):
        gevonden.add("dubbel")
    gezien.add(tuple(record))
    if soort in SLEUTEL:
        sleutels.add(rij[SLEUTEL[soort]])
        if rij["Code uitvraag"] != code:
            gevonden.add("code-uitvraag")
    else:
        gevonden |= _wmo_defecten(rij, code)
    if rij["Aanmaakdatum bestand"] != aanmaak:
        gevonden.add("aanmaakdatum")
    if rij["Gemeentecode"] != gemeentecode:
        gevonden.add("gemeentecode")
    return gevonden


# --- the oracle itself --------------------------------------------------------------


@pytest.mark.parametrize("soort", ["WMO", "SBO", "JEUGD"])
@pytest.mark.parametrize(("jaar", "halfjaar", "aangemaakt"), PERIODES)
@pytest.mark.parametrize("seed", [*SEEDS, 42, 99])
def test_valid_file_has_no_defects(soort, jaar, halfjaar, aangemaakt, seed):
    code = f"H{halfjaar}{jaar}"
    naam = f"{soort}_{code}_regulier.csv" if soort == "WMO" else f"{soort}_{code}.csv"
    inhoud = generate(soort, GEMEENTE, jaar, halfjaar, aangemaakt, rows=300, seed=seed)
    assert defecten(naam, inhoud, soort, GEMEENTE, aangemaakt.date()) == {}


# --- every variant ------------------------------------------------------------------


def _gevallen() -> list[tuple[str, str]]:
    return [(naam, soort) for naam, variant in VARIANTEN.items() for soort in variant.soorten]


@pytest.mark.parametrize(("variant", "soort"), _gevallen())
@pytest.mark.parametrize(("jaar", "halfjaar", "aangemaakt"), PERIODES)
@pytest.mark.parametrize("seed", SEEDS)
def test_variant_breaks_exactly_its_one_thing_on_its_lines(variant, soort, jaar, halfjaar, aangemaakt, seed):
    gebroken = VARIANTEN[variant]
    naam, inhoud = gebroken(soort, GEMEENTE, jaar, halfjaar, aangemaakt, ROWS, seed)
    gevonden = defecten(naam, inhoud, soort, GEMEENTE, aangemaakt.date())
    assert gevonden == {VERWACHT[variant]: set(gebroken.gebroken_regels(soort, ROWS))}, (naam, inhoud)


def _fysieke_regels(inhoud: bytes) -> list[bytes]:
    return inhoud.split(b"\r\n")


@pytest.mark.parametrize(
    ("variant", "soort"),
    [(n, s) for n, s in _gevallen() if VARIANTEN[n].regels == (GEBROKEN_REGEL,)],
)
def test_row_variant_leaves_every_other_line_as_in_the_valid_file(variant, soort):
    aangemaakt = PERIODES[0][2]
    _naam, inhoud = VARIANTEN[variant](soort, GEMEENTE, 2016, 1, aangemaakt, ROWS, 3)
    geldig = _fysieke_regels(generate(soort, GEMEENTE, 2016, 1, aangemaakt, rows=ROWS, seed=3))
    regels = _fysieke_regels(inhoud)
    if variant == "dubbele-regels":
        assert regels[GEBROKEN_REGEL - 1] == regels[GEBROKEN_REGEL - 2]
        del regels[GEBROKEN_REGEL - 1]
    else:
        assert regels[GEBROKEN_REGEL - 1] != geldig[GEBROKEN_REGEL - 1]
        regels[GEBROKEN_REGEL - 1] = geldig[GEBROKEN_REGEL - 1]
    assert regels == geldig


@pytest.mark.parametrize(("variant", "soort"), _gevallen())
def test_variant_reproducible_per_seed(variant, soort):
    aangemaakt = PERIODES[0][2]
    eerste = VARIANTEN[variant](soort, GEMEENTE, 2016, 1, aangemaakt, ROWS, 5)
    assert eerste == VARIANTEN[variant](soort, GEMEENTE, 2016, 1, aangemaakt, ROWS, 5)


@pytest.mark.parametrize(
    ("variant", "soort"),
    [(n, s) for n, v in VARIANTEN.items() for s in ("WMO", "SBO", "JEUGD") if s not in v.soorten],
)
def test_variant_for_other_soort_raises_with_reason(variant, soort):
    with pytest.raises(ValueError, match=f"{variant} bestaat niet voor {soort}"):
        VARIANTEN[variant](soort, GEMEENTE, 2016, 1, PERIODES[0][2], ROWS, 0)


@pytest.mark.parametrize("variant", ["verplicht-veld-leeg", "ander-aantal-velden", "dubbele-regels"])
def test_row_variant_without_enough_rows_raises(variant):
    with pytest.raises(ValueError, match="gegevensregel"):
        VARIANTEN[variant]("WMO", GEMEENTE, 2016, 1, PERIODES[0][2], 0, 0)


# --- the defects as the issue names them ------------------------------------------


def _maak(variant: str, soort: str = "WMO", halfjaar: int = 1) -> tuple[str, bytes]:
    aangemaakt = PERIODES[halfjaar - 1][2]
    return VARIANTEN[variant](soort, GEMEENTE, 2016, halfjaar, aangemaakt, ROWS, 0)


def _velden(inhoud: bytes, regel: int) -> dict[str, str]:
    kop, *records = inhoud.decode("utf-8").split("\r\n")
    return dict(zip(kop.split(";"), records[regel - 2].split(";"), strict=True))


def test_windows_1252_is_not_utf8_but_reads_as_cp1252():
    _naam, inhoud = _maak("codering-windows-1252")
    with pytest.raises(UnicodeDecodeError):
        inhoud.decode("utf-8")
    assert inhoud.decode("cp1252").split("\r\n")[0].endswith("Reden beëindiging")
    assert b"\xeb" in inhoud.split(b"\r\n")[0]


@pytest.mark.parametrize("soort", ["WMO", "SBO", "JEUGD"])
def test_comma_variant_header_has_no_semicolon(soort):
    _naam, inhoud = _maak("scheidingsteken-komma", soort)
    kop = inhoud.decode("utf-8").split("\r\n")[0]
    assert ";" not in kop and kop.split(",") == KOLOMMEN[soort]


def test_empty_and_header_only():
    assert _maak("leeg")[1] == b""
    assert _maak("alleen-kopregel", "JEUGD")[1] == (";".join(KOLOMMEN["JEUGD"]) + "\r\n").encode()


@pytest.mark.parametrize(("soort", "kolom", "code"), [
    ("WMO", "Type maatwerkarrangement", "99"), ("SBO", "Iv3-categorie", "672"),
    ("JEUGD", "Type voorziening", "09"),
])
def test_unknown_code_values(soort, kolom, code):
    assert _velden(_maak("onbekende-code", soort)[1], GEBROKEN_REGEL)[kolom] == code


@pytest.mark.parametrize(("soort", "kolom"), [("WMO", "BSN"), ("SBO", "Kosten"), ("JEUGD", "Kosten")])
def test_mandatory_field_empty(soort, kolom):
    assert _velden(_maak("verplicht-veld-leeg", soort)[1], GEBROKEN_REGEL)[kolom] == ""


def test_bsn_ongeldig_has_nine_digits():
    bsn = _velden(_maak("bsn-ongeldig")[1], GEBROKEN_REGEL)["BSN"]
    assert len(bsn) == 9 and bsn.isdigit() and not _bsn_elfproef(bsn)


@pytest.mark.parametrize(("halfjaar", "datum"), [(1, "20160231"), (2, "20160931")])
def test_datum_ongeldig_is_a_day_that_does_not_exist(halfjaar, datum):
    rij = _velden(_maak("datum-ongeldig", halfjaar=halfjaar)[1], GEBROKEN_REGEL)
    assert rij["Datum start daadwerkelijke ondersteuning"] == datum


@pytest.mark.parametrize(("halfjaar", "datum"), [(1, "20160701"), (2, "20170101")])
def test_datum_buiten_periode_starts_the_day_after(halfjaar, datum):
    rij = _velden(_maak("datum-buiten-periode", halfjaar=halfjaar)[1], GEBROKEN_REGEL)
    assert rij["Beoogde startdatum ondersteuning"] == datum


@pytest.mark.parametrize("soort", ["SBO", "JEUGD"])
def test_dubbele_regels_has_one_category_twice(soort):
    records = _maak("dubbele-regels", soort)[1].decode().split("\r\n")[1:-1]
    assert Counter(Counter(r.split(";")[3] for r in records).values()) == Counter(
        {1: len(records) - 2, 2: 1}
    )


def test_aanmaakdatum_wisselt_on_one_row_only():
    _naam, inhoud = _maak("aanmaakdatum-wisselt", "SBO")
    waarden = [r.split(";")[0] for r in inhoud.decode().split("\r\n")[1:-1]]
    assert waarden == ["20160815101530", "20160814101530"]


def test_gemeentecode_anders_on_every_row():
    _naam, inhoud = _maak("gemeentecode-anders", "JEUGD")
    assert {r.split(";")[1] for r in inhoud.decode().split("\r\n")[1:-1]} == {"0344"}
    assert VARIANTEN["gemeentecode-anders"].gebroken_regels("JEUGD") == (2, 3, 4, 5, 6)
    utrecht = VARIANTEN["gemeentecode-anders"]("SBO", "0344", 2016, 1, PERIODES[0][2], ROWS, 0)[1]
    assert {r.split(";")[1] for r in utrecht.decode().split("\r\n")[1:-1]} == {"0363"}


@pytest.mark.parametrize(("variant", "soort", "patroon"), [
    ("naam-verboden-teken", "SBO", r"SBO_H12016\?\.csv"),
    ("naam-verboden-teken", "WMO", r"WMO_H12016_[^?]+\?\.csv"),
    ("naam-verkeerde-periode", "JEUGD", r"JEUGD_H12015\.csv"),
    ("naam-kleine-letters", "WMO", r"wmo_H12016_.+\.csv"),
    ("naam-kleine-letters", "SBO", r"sbo_H12016\.csv"),
    ("naam-tweede-punt", "WMO", r"WMO_H12016_v1\.2\.csv"),
])
def test_name_variants(variant, soort, patroon):
    naam, _inhoud = _maak(variant, soort)
    assert re.fullmatch(patroon, naam), naam


def test_naam_verkeerde_periode_content_matches_its_name():
    naam, inhoud = _maak("naam-verkeerde-periode", "SBO")
    assert {r.split(";")[2] for r in inhoud.decode().split("\r\n")[1:-1]} == {"H12015"}
    assert "H12015" in naam


# --- the registry -------------------------------------------------------------------


def test_registry_has_every_named_variant():
    assert set(variant_namen()) == set(VERWACHT)
    assert list(variant_namen()) == list(VARIANTEN)


def test_every_variant_is_described_and_named_as_its_key():
    for naam, variant in VARIANTEN.items():
        assert isinstance(variant, Variant) and variant.naam == naam
        assert len(variant.omschrijving) > 20 and variant.omschrijving.endswith(".")
        assert set(variant.soorten) <= {"WMO", "SBO", "JEUGD"} and variant.soorten


def test_maak_variant_gives_name_content_and_lines():
    aangemaakt = PERIODES[0][2]
    naam, inhoud, regels = maak_variant("onbekende-code", "SBO", GEMEENTE, 2016, 1, aangemaakt, seed=4)
    assert (naam, inhoud) == VARIANTEN["onbekende-code"]("SBO", GEMEENTE, 2016, 1, aangemaakt, 25, 4)
    assert regels == (GEBROKEN_REGEL,)


def test_maak_variant_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="bsn-ongeldig"):
        maak_variant("bsn-fout", "WMO", GEMEENTE, 2016, 1, PERIODES[0][2])


def test_docs_describe_every_variant():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "generatoren.md").read_text(encoding="utf-8")
    assert [naam for naam in variant_namen() if f"| `{naam}` |" not in doc] == []
