"""The browser under the portal scenarios (steps/chromium.py): Debian's Chromium or a loud
failure that names the package, and the report's evidence: a screenshot after every step
(also the failed one) and the GGk audit log of the scenario."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from steps.chromium import OMGEVING, ChromiumMissingError, controleer

ROOT = Path(__file__).resolve().parent.parent
LUS = "apt-get install chromium chromium-driver"


def test_a_missing_chromium_names_the_debian_package_and_the_variable():
    with pytest.raises(ChromiumMissingError) as fout:
        controleer("/nergens/chromium")
    melding = str(fout.value)
    assert melding.startswith("Chromium ontbreekt (/nergens/chromium)"), melding
    assert LUS in melding and OMGEVING in melding, melding


def test_a_file_that_cannot_run_is_no_chromium(tmp_path):
    nep = tmp_path / "chromium"
    nep.write_text("geen programma")  # exists, but not executable
    with pytest.raises(ChromiumMissingError, match="Chromium ontbreekt"):
        controleer(str(nep))
    nep.chmod(0o755)
    assert controleer(str(nep)) == str(nep)


def test_without_chromium_the_browser_fixture_fails_loudly_and_never_skips(tmp_path):
    """A test process on a machine without Chromium: the test using the browser errors with the
    Dutch message; nothing passes or is skipped silently."""
    (tmp_path / "test_portaal_zonder_browser.py").write_text(
        "def test_iets_in_de_browser(chromium):\n    assert chromium.version\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "steps.chromium", "-p", "no:cacheprovider", "-rA",
         "test_portaal_zonder_browser.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env=os.environ | {OMGEVING: "/nergens/chromium"})
    uitvoer = result.stdout + result.stderr
    assert result.returncode == 1, uitvoer
    assert "1 error" in uitvoer and "skipped" not in uitvoer and "passed" not in uitvoer, uitvoer
    assert "Chromium ontbreekt (/nergens/chromium)" in uitvoer and LUS in uitvoer, uitvoer


def test_debian_chromium_renders_a_page_and_finds_a_field_by_its_label(chromium):
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.set_content('<main><label for="b">Bestand</label><input id="b" type="file"></main>')
        assert page.get_by_label("Bestand").count() == 1
        assert page.screenshot(full_page=True)[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        context.close()
    assert chromium.version.split(".")[0].isdigit()


EEN_SCENARIO = """# language: nl
@portaal @hop:gemeente-ggk
Functionaliteit: Bewijs in het rapport
  Scenario: Inloggen staat met schermafbeeldingen en auditlog in het rapport
    Gegeven het is maandag 15 augustus 2016
    Als de medewerker van Amsterdam (0363) inlogt op het portaal met EH3
    Dan toont het portaal het CBS-tabblad met "Amsterdam"

  Scenario: Een mislukte stap heeft zijn eigen schermafbeelding
    Gegeven het is maandag 15 augustus 2016
    Als de medewerker van Amsterdam (0363) inlogt op het portaal met EH2
    Dan toont het portaal het CBS-tabblad met "Amsterdam"
"""


def _resultaten(alluredir: Path) -> dict[str, dict]:
    found = [json.loads(p.read_text(encoding="utf-8")) for p in alluredir.glob("*-result.json")]
    return {r["name"]: r for r in found}


def test_every_step_has_a_screenshot_the_failed_one_too_and_the_scenario_its_audit_log(tmp_path):
    (ROOT / "reports").mkdir(exist_ok=True)  # pytest-bdd names features relative to the project
    features = Path(tempfile.mkdtemp(prefix="bewijs-", dir=ROOT / "reports"))
    alluredir = tmp_path / "allure-results"
    try:
        (features / "bewijs.feature").write_text(EEN_SCENARIO, encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "tests/test_features.py", "-p", "no:allure_pytest", "-q",
             f"--alluredir={alluredir}"], cwd=ROOT, capture_output=True, text=True, timeout=300,
            env=os.environ | {"KETENTEST_FEATURES": str(features)})
    finally:
        shutil.rmtree(features)
    assert "1 failed, 1 passed" in result.stdout, result.stdout[-3000:] + result.stderr[-2000:]
    resultaten = _resultaten(alluredir)
    goed = next(r for n, r in resultaten.items() if n.startswith("Inloggen staat"))
    fout = next(r for n, r in resultaten.items() if n.startswith("Een mislukte stap"))

    def pngs(stap: dict) -> list[dict]:
        return [a for a in stap.get("attachments", []) if a["type"] == "image/png"]

    # before the login there is no page; from the login on, every step shows it
    stappen = goed["steps"]
    assert not pngs(stappen[0]), stappen[0]
    for stap in stappen[1:]:
        [png] = pngs(stap)
        assert png["name"] == f"scherm · {stap['name']}", (png["name"], stap["name"])
        assert (alluredir / png["source"]).read_bytes()[:4] == b"\x89PNG"
    mislukt = fout["steps"][-1]
    assert mislukt["status"] == "failed", mislukt
    assert [a["name"] for a in pngs(mislukt)] == [f"scherm · {mislukt['name']} (mislukt)"], mislukt
    [audit] = [a for a in goed["attachments"] if a["name"] == "auditlog GGk-portaal"]
    tabel = (alluredir / audit["source"]).read_text(encoding="utf-8")
    assert "0363:medewerker" in tabel and "inloggen" in tabel and "gelukt" in tabel, tabel
    [audit] = [a for a in fout["attachments"] if a["name"] == "auditlog GGk-portaal"]
    tabel = (alluredir / audit["source"]).read_text(encoding="utf-8")
    assert "geweigerd" in tabel and "gelukt" not in tabel, tabel  # this scenario's lines only
