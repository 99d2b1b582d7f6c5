"""The ``ketentest`` command as a user runs it: separate processes, real ports, signals."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest
import requests
from click.testing import CliRunner

from ketentest.cli import main
from simulators.chain import PARTIES


def start(*args: str, tmp_path, lines: int) -> tuple[subprocess.Popen, dict[str, str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "ketentest.cli", "up", "--state-dir", str(tmp_path), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    urls = {}
    for _ in range(lines):
        line = process.stdout.readline()
        if not line:
            process.kill()
            pytest.fail(f"ketentest up stopped early: {process.stderr.read()}")
        party, url = line.split()
        urls[party] = url
    return process, urls


def stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=10)
    finally:
        process.stdout.close()
        process.stderr.close()


def test_up_serves_all_four_parties_and_deliver_prints_references(tmp_path):
    process, urls = start("--ports", "vrij", "--klok", "2016-08-15T09:00", tmp_path=tmp_path,
                          lines=4)
    try:
        assert sorted(urls) == sorted(PARTIES)
        for party, url in urls.items():
            health = requests.get(f"{url}/health", timeout=5).json()
            assert health["party"] == party
            assert health["klok"].startswith("2016-08-15T09:00")
            assert health["endpoints"], f"{party} lists no endpoints"
        result = subprocess.run(
            [sys.executable, "-m", "ketentest.cli", "deliver", "--gemeente-url", urls["gemeente"],
             "--gemeente", "0344"], capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
        referentie, bestand = result.stdout.split()
        assert referentie.startswith("20160815-090000-") and bestand.startswith("WMO_H12016")
        items = requests.get(f"{urls['ggk']}/api/v1/gemeenten/0344/downloads",
                             params={"wacht": 15}, timeout=20).json()
        assert items and items[0]["correlatie"] == referentie
    finally:
        assert stop(process) == 0


def test_up_one_party_alone_with_its_neighbours_as_options(tmp_path):
    process, urls = start("--party", "rinis", "--port", "0", "--ggk-url", "http://127.0.0.1:9",
                          tmp_path=tmp_path, lines=1)
    try:
        health = requests.get(f"{urls['rinis']}/health", timeout=5).json()
        assert health["party"] == "rinis"
        assert health["buren"] == {"ggk": "http://127.0.0.1:9"}
        assert not health["gesimuleerde_klok"]
    finally:
        assert stop(process) == 0
    assert (tmp_path / "rinis.sqlite3").exists()


def test_deliver_reports_an_unreachable_gemeente_clearly():
    result = CliRunner().invoke(main, ["deliver", "--gemeente-url", "http://127.0.0.1:9"])
    assert result.exit_code == 1
    assert "niet bereikbaar" in result.output


def test_help_explains_every_command():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("up", "deliver", "run", "report"):
        assert command in result.output
    up_help = CliRunner().invoke(main, ["up", "--help"]).output
    for option in ("--party", "--port", "--klok", "--state-dir", "--ggk-url"):
        assert option in up_help


def test_bad_option_is_refused_with_a_message():
    result = CliRunner().invoke(main, ["up", "--optie", "zonderpunt"])
    assert result.exit_code == 2
    assert "PARTIJ.NAAM=WAARDE" in result.output
