"""``ketentest run`` as a coordinator uses it: verdicts, the summary per suite and hop,
and a parallel run that judges the same as a serial one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

KAPOT = """# language: nl
@burentest @hop:ggk-rinis
Functionaliteit: Opzettelijk kapot
  Scenario: RINIS hoort een geldig bericht te weigeren (dit klopt niet, met opzet)
    Gegeven het is maandag 15 augustus 2016
    Als het GGk een Di01 met het bestand "WMO_H12016_regulier.csv" van gemeente 0363 aan RINIS aanbiedt
    Dan weigert RINIS het bericht met een Fo03 met foutcode "StUF055"

  Scenario: RINIS bevestigt een geldig bericht
    Gegeven het is maandag 15 augustus 2016
    Als het GGk een Di01 met het bestand "WMO_H12016_regulier.csv" van gemeente 0363 aan RINIS aanbiedt
    Dan bevestigt RINIS elk bericht met een Bv03 met het referentienummer als crossRefnummer
"""


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ketentest.cli", "run", *args], cwd=ROOT,
                          env=os.environ | (env or {}), capture_output=True, text=True, timeout=600)




def _verdicts(junit: Path) -> dict[str, str]:
    verdicts = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        failed = case.find("failure") is not None or case.find("error") is not None
        verdicts[case.get("name")] = "mislukt" if failed else "geslaagd"
    return verdicts


def test_a_scenario_broken_on_purpose_turns_the_run_red_and_names_its_hop(tmp_path):
    # pytest-bdd and Allure name features relative to the project: the file lives in
    # reports/ (ignored by git) for the length of this test
    (ROOT / "reports").mkdir(exist_ok=True)
    features = Path(tempfile.mkdtemp(prefix="kapot-", dir=ROOT / "reports"))
    try:
        (features / "kapot.feature").write_text(KAPOT, encoding="utf-8")
        result = _run("--suite", "burentest", "--report", str(tmp_path / "rapport"),
                      env={"KETENTEST_FEATURES": str(features)})
    finally:
        shutil.rmtree(features)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    summary = [line for line in lines if line.strip().startswith("burentest")]
    assert len(summary) == 1 and "ggk-rinis" in summary[0], result.stdout
    assert "geslaagd   1" in summary[0] and "mislukt   1" in summary[0], summary[0]
    failure = [line for line in lines if line.strip().startswith("x ")]
    assert len(failure) == 1 and "antwoordde Bv03" in failure[0], result.stdout
    verdicts = _verdicts(tmp_path / "rapport" / "junit.xml")
    assert sorted(verdicts.values()) == ["geslaagd", "mislukt"]


def _collected(*args: str) -> list[str]:
    """The scenario names a run would run (pytest's collection, without running them)."""
    result = subprocess.run([sys.executable, "-m", "pytest", "tests/test_features.py", "--collect-only", "-q",
                             "-p", "no:allure_pytest", *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    return sorted(line.split("::", 1)[1] for line in result.stdout.splitlines() if "::" in line)


def test_a_parallel_run_gives_the_same_verdicts_as_a_serial_run(tmp_path):
    """``-n 2``: two processes, each with its own chain, judge every scenario and all pass, as
    the serial run of the same suites does (``tests/test_features.py`` runs every scenario
    serially in this same test session and requires each to pass): the same names, the same
    verdicts, and every worker's Allure results in the one report."""
    parallel = _run("--suite", "all", "-n", "2", "--report", str(tmp_path / "parallel"))
    assert parallel.returncode == 0, parallel.stdout[-3000:] + parallel.stderr[-2000:]
    verdicts = _verdicts(tmp_path / "parallel" / "junit.xml")
    assert len(verdicts) >= 40
    assert sorted(verdicts) == _collected(), "the parallel run ran exactly the scenarios of the suites"
    assert set(verdicts.values()) == {"geslaagd"}, [n for n, v in verdicts.items() if v != "geslaagd"]
    results = list((tmp_path / "parallel" / "allure-results").glob("*-result.json"))
    assert len(results) == len(verdicts), "every worker writes its scenarios' Allure results"
