"""Allure's run files: environment.properties read back by a Java-style loader, executor and categories."""

from __future__ import annotations

import json
import re
from importlib import metadata

import pytest

from ketentest.allure_environment import categories, categories_json, properties_text, write_environment
from simulators import __version__

PARTIJEN = [
    {"naam": "gemeente", "url": "http://127.0.0.1:5001", "soort": "gesimuleerd", "versie": "0.1.0"},
    {"naam": "ggk", "url": "http://127.0.0.1:5002/", "soort": "gesimuleerd", "versie": "0.1.0"},
    {"naam": "rinis", "url": "http://127.0.0.1:5003", "soort": "gesimuleerd", "versie": "0.1.0"},
    {"naam": "cbs", "url": "https://acceptatie.cbs.example/gmsd?x=1&y=2", "soort": "echt",
     "versie": "2024.3 (build 17)"},
]


def lees_properties(tekst: str) -> dict[str, str]:
    """A minimal ``java.util.Properties.load``: comments, continuations, separators, escapes."""
    regels, logisch = [], ""
    for ruw in tekst.splitlines():
        regel = ruw.lstrip(" \t\f")
        if not logisch and (not regel or regel[0] in "#!"):
            continue
        staart = len(regel) - len(regel.rstrip("\\"))
        if staart % 2:
            logisch += regel[:-1]
            continue
        regels.append(logisch + regel)
        logisch = ""
    if logisch:
        regels.append(logisch)

    waarden = {}
    for regel in regels:
        i = 0
        while i < len(regel) and regel[i] not in "=: \t\f":
            i += 2 if regel[i] == "\\" else 1
        sleutel, rest = regel[:i], regel[i:].lstrip(" \t\f")
        if rest[:1] in ("=", ":"):
            rest = rest[1:].lstrip(" \t\f")
        waarden[_ontsnap(sleutel)] = _ontsnap(rest)
    return waarden


def _ontsnap(tekst: str) -> str:
    eenheden, i = [], 0
    while i < len(tekst):
        teken = tekst[i]
        if teken != "\\":
            eenheden.append(ord(teken))
            i += 1
            continue
        volgend = tekst[i + 1]
        if volgend == "u":
            eenheden.append(int(tekst[i + 2:i + 6], 16))
            i += 6
        else:
            eenheden.append(ord({"t": "\t", "n": "\n", "r": "\r", "f": "\f"}.get(volgend, volgend)))
            i += 2
    data = b"".join(e.to_bytes(2, "big") for e in eenheden)
    return data.decode("utf-16-be", errors="surrogatepass")


def test_lees_properties_follows_the_java_rules_we_rely_on():
    tekst = "# commentaar\n! ook\n  a = b\nc:d\ne f\\\n   g\nh=\\u00e9\\:\\=\n"

    assert lees_properties(tekst) == {"a": "b", "c": "d", "e": "fg", "h": "é:="}


@pytest.mark.parametrize("waarde", [
    "a=b:c #!", "  begint met spaties", "Zoë – ’s-Hertogenbosch 🚂", "regel1\nregel2\r\tx",
    "C:\\pad\\naar\\", "eindigt op spatie ", "", "=", "\\u0041 is geen escape",
])
def test_properties_round_trip_special_characters(waarde):
    waarden = {"gemeente Utrecht:=#!": waarde, "sleutel": "x", "Zoë": waarde}

    tekst = properties_text(waarden)

    assert tekst.isascii()
    assert len(tekst.splitlines()) == len(waarden), "every value stays on one line"
    assert lees_properties(tekst) == waarden


def test_schrijf_omgeving_names_parties_versions_and_the_kind_of_chain(tmp_path):
    write_environment(tmp_path / "allure-results", PARTIJEN, {"scenario's": "alle", "python": "eigen"})

    tekst = (tmp_path / "allure-results" / "environment.properties").read_bytes().decode("ascii")
    omgeving = lees_properties(tekst)
    assert omgeving["keten"] == "gemengd (echt: cbs)"
    assert omgeving["cbs"] == "echt, versie 2024.3 (build 17)"
    assert omgeving["cbs.url"] == PARTIJEN[3]["url"]
    assert omgeving["ggk"] == "gesimuleerd, versie 0.1.0"
    assert omgeving["ketentest"] == __version__
    assert omgeving["lxml"] == metadata.version("lxml")
    assert omgeving["pytest-bdd"] == metadata.version("pytest-bdd")
    assert omgeving["scenario's"] == "alle"
    assert omgeving["python"] == "eigen", "extra overrides a line"


def test_schrijf_omgeving_writes_an_executor(tmp_path):
    write_environment(tmp_path, PARTIJEN[:3], executor={"buildOrder": 42, "buildUrl": "https://ci/42"})

    uitvoerder = json.loads((tmp_path / "executor.json").read_text(encoding="utf-8"))
    assert uitvoerder["name"] == "ketentest"
    assert uitvoerder["reportName"] == "Ketentest GMSD (gesimuleerd)"
    assert uitvoerder["buildName"] == f"ketentest {__version__}, gesimuleerd"
    assert (uitvoerder["buildOrder"], uitvoerder["buildUrl"]) == (42, "https://ci/42")


def test_schrijf_omgeving_accepts_english_keys_and_refuses_an_unknown_kind(tmp_path):
    write_environment(tmp_path, [{"name": "ggk", "url": "u", "mode": "echt", "version": "9"}])
    assert lees_properties((tmp_path / "environment.properties").read_text())["ggk"] == "echt, versie 9"

    with pytest.raises(ValueError, match="soort is 'nep'"):
        write_environment(tmp_path, [{"naam": "ggk", "url": "u", "soort": "nep", "versie": "1"}])


def test_categorieen_json_is_written_in_allure_format(tmp_path):
    tekst = categories_json(tmp_path)

    assert json.loads((tmp_path / "categories.json").read_text(encoding="utf-8")) == json.loads(tekst)
    for categorie in json.loads(tekst):
        assert set(categorie) <= {"name", "messageRegex", "traceRegex", "matchedStatuses", "flaky"}
        assert set(categorie["matchedStatuses"]) <= {"failed", "broken", "passed", "skipped", "unknown"}
    assert [c["name"] for c in json.loads(tekst)] == [
        "StUF-fout (Fo01/Fo03)", "Tijdlijn / SLA overschreden", "Technische controle",
        "Verbinding / infrastructuur"]
    assert json.loads(tekst)[2]["messageRegex"] == ".*TC\\d\\d.*"


@pytest.mark.parametrize(("status", "melding", "verwacht"), [
    ("failed", "AssertionError: RINIS antwoordde\nFo03 StUF055: geen tekstBestand", "StUF-fout (Fo01/Fo03)"),
    ("failed", "rapport niet binnen 3 werkdagen klaar", "Tijdlijn / SLA overschreden"),
    ("failed", "CBS keurde af:\n  TC07 gemeentecode onbekend", "Technische controle"),
    ("broken", "requests.exceptions.ConnectionError: refused", "Verbinding / infrastructuur"),
    ("broken", "TC07 in een traceback", None),
    ("passed", "Fo03 gezien en goed", None),
])
def test_categorieen_match_like_allure_does(status, melding, verwacht):
    """Allure 2: first category whose status matches and whose regex matches the whole message (DOTALL)."""
    gevonden = next((c["name"] for c in categories() if status in c["matchedStatuses"]
                     and re.fullmatch(c["messageRegex"], melding, re.DOTALL)), None)

    assert gevonden == verwacht
