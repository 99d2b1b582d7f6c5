"""``ketentest last``, the deadline-day peak on Locust, run as a coordinator runs it: a
process of its own against the embedded chain, read back through ``last.json``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketentest.cli import main
from ketentest.last.plan import Plan
from ketentest.last.runner import free_port

LIMIT = 300  # seconds; a run here takes 10-40 s, more on a busy machine


def last(*args: str) -> list[str]:
    return [sys.executable, "-m", "ketentest.cli", "last", *args]


def summary(report: Path) -> dict:
    return json.loads((report / "last.json").read_text(encoding="utf-8"))


def hop(books: dict, name: str) -> dict:
    return next(h for h in books["hops"] if h["hop"] == name)


def test_last_two_processes_answer_every_delivery_and_write_the_report(tmp_path):
    result = subprocess.run(last("--gemeenten", "34", "--duur", "10", "--processes", "2", "--report",
                                 str(tmp_path)), capture_output=True, text=True, timeout=LIMIT)
    assert result.returncode == 0, result.stdout + result.stderr
    outcome = summary(tmp_path)
    assert outcome["leveringen"] == outcome["rapporten"] == 102
    assert (outcome["fouten"], outcome["verloren"], outcome["dubbel"], outcome["workers"]) == (0, 0, 0, 2)
    assert outcome["sluitend"] and 0 < outcome["p50_ms"] <= outcome["p95_ms"] <= outcome["p99_ms"]
    assert outcome["leveringen_per_s"] > 0
    assert "<html" in (tmp_path / "locust.html").read_text(encoding="utf-8")[:500].lower()
    assert "RAPPORT,upload tot technisch rapport,102,0" in (tmp_path / "locust_stats.csv").read_text()
    assert "Geslaagd" in result.stdout and "leveringen (geaccepteerde bestanden)       102" in result.stdout


def test_last_master_and_two_workers_as_separate_processes_share_out_the_gemeenten(tmp_path):
    port = str(free_port())
    master = subprocess.Popen(last("--master", "--expect-workers", "2", "--master-port", port, "--gemeenten",
                                   "12", "--duur", "3", "--report", str(tmp_path)),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    workers = [subprocess.Popen(last("--worker", "--master-host", "127.0.0.1", "--master-port", port),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
    try:
        output, _ = master.communicate(timeout=LIMIT)
        assert [worker.wait(timeout=30) for worker in workers] == [0, 0]
    finally:
        for process in (master, *workers):
            if process.poll() is None:
                process.kill()
                process.wait()
    assert master.returncode == 0, output
    outcome = summary(tmp_path)
    assert [outcome[k] for k in ("workers", "leveringen", "rapporten", "fouten")] == [2, 36, 36, 0]
    # one file and its metadata per delivery, each under a name of its own: twelve gemeenten, none twice
    assert hop(outcome["boekhouding"], "rinis→cbs")["verzonden"] == 72


def test_last_storing_at_rinis_shows_the_retries_and_loses_nothing(tmp_path):
    result = subprocess.run(last("--gemeenten", "5", "--duur", "2", "--storing", "rinis=503,aantal=6",
                                 "--report", str(tmp_path)), capture_output=True, text=True, timeout=LIMIT)
    assert result.returncode == 0, result.stdout + result.stderr
    outcome = summary(tmp_path)
    assert [outcome[k] for k in ("verloren", "dubbel", "rapporten", "fouten")] == [0, 0, 15, 0]
    # six 503s, each tried again (a busy machine may add a retry after a time-out)
    assert hop(outcome["boekhouding"], "ggk→rinis")["herhaald"] >= 6 and outcome["herhaald"] >= 6
    assert "storing bij rinis: 503 op /stuf/, de volgende 6 verzoeken" in result.stdout


@pytest.mark.parametrize("args", [
    ["--gemeenten", "0"],
    ["--target", "ggk=http://127.0.0.1:9"],
    ["--worker", "--master-host", "127.0.0.1", "--master-port", "9", "--master-timeout", "0.5"],
], ids=["geen-gemeenten", "onbereikbaar-doel", "worker-zonder-master"])
def test_last_bad_input_is_one_dutch_sentence_with_exit_code_2(args):
    result = CliRunner().invoke(main, ["last", *args])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("fout: ") and result.output.count("\n") == 1, result.output
    assert "Traceback" not in result.output


def test_plan_piek_starts_half_the_gemeenten_in_its_last_seconds():
    even, piek = Plan(100, 30.0), Plan(100, 30.0, piek=10.0)
    assert [even.gestart(t) for t in (0, 15, 29.9, 30, 45)] == [0, 50, 99, 100, 100]
    assert [piek.gestart(t) for t in (10, 20, 25, 30)] == [25, 50, 75, 100]
