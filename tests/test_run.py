"""``ketentest run`` as a coordinator uses it: verdicts, the summary per suite and hop,
and a parallel run that judges the same as a serial one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
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


def _runs_side_by_side(*runs: tuple[str, ...]) -> list[subprocess.CompletedProcess]:
    """Several ``ketentest run`` at once, each with its own chain on its own ports."""
    with ThreadPoolExecutor(len(runs)) as pool:
        return list(pool.map(lambda args: _run(*args), runs))


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


def test_a_parallel_run_gives_the_same_verdicts_as_a_serial_run(tmp_path):
    serial, parallel = _runs_side_by_side(
        ("--suite", "all", "--report", str(tmp_path / "serieel")),
        ("--suite", "all", "-n", "2", "--report", str(tmp_path / "parallel")))
    assert serial.returncode == 0, serial.stdout[-3000:] + serial.stderr[-2000:]
    assert parallel.returncode == 0, parallel.stdout[-3000:] + parallel.stderr[-2000:]
    serial_verdicts = _verdicts(tmp_path / "serieel" / "junit.xml")
    assert len(serial_verdicts) >= 40
    assert _verdicts(tmp_path / "parallel" / "junit.xml") == serial_verdicts
    results = list((tmp_path / "parallel" / "allure-results").glob("*-result.json"))
    assert len(results) == len(serial_verdicts), "every worker writes its scenarios' Allure results"
