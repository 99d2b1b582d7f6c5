"""The conformance suites work on a partner's endpoint: each party runs as a separate
process (``ketentest up --party``), the harness plays its neighbours (``ketentest run
--target``), and the role's checks pass against the party as it should be and fail, with
the check named for it, against a party broken on purpose (``simulators/beheer/defects.py``).

This is the proof behind docs/conformiteit.md; each run is a real run of the CLI, with the
partner report it writes read back. A partner's endpoint keeps its state between runs, so the
role's checks are shown to pass against one partner process, with one state folder, after a
run that failed and left its debris there (issue 15): files an earlier run left unfetched, a
download area with the same names, messages the partner still retries.

The runs mostly wait (for the partner to go quiet, for what a broken party never sends), so the
module starts every run its tests need at once, a few side by side (``runs``), and each test
judges its own run when it comes; the tests share one xdist worker (``xdist_group``).
"""

from __future__ import annotations

import re
import shlex
import signal
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from test_cli import free_ports  # ports for the partner and the harness before they listen

ROOT = Path(__file__).resolve().parent.parent
NEIGHBOURS = {"ggk": ("gemeente", "rinis"), "rinis": ("ggk", "cbs"), "cbs": ("rinis",)}
OTHERS = {"ggk": ("gemeente", "rinis", "cbs"), "rinis": ("gemeente", "ggk", "cbs"),
          "cbs": ("gemeente", "ggk", "rinis")}
SUITES = "burentest,foutafhandeling"

DEFECTS = [  # (party, defect, the check that must catch it)
    ("rinis", "geen-gemeentecode", "RINIS-NAAMGEVING"),
    ("rinis", "bv03-op-alles", "RINIS-GEEN-XML"),
    ("rinis", "kwijt-crossref", "RINIS-BV03"),
    ("rinis", "geen-fo01", "RINIS-LEEG-BESTAND"),
    ("ggk", "bv03-op-alles", "GGK-GEEN-XML"),
    ("ggk", "kwijt-crossref", "GGK-BV03"),
    ("ggk", "dubbel-verwerken", "GGK-DUBBEL-ZELFDE"),
    ("ggk", "geen-isd-code", "GGK-FO01-ZENDER"),
    ("cbs", "rapport-zonder-referentie", "CBS-RAPPORT"),
    ("cbs", "niet-opgehaald-melden", "CBS-OPHALEN"),
]


def _partner(party: str, tmp_path: Path, harness: dict[str, int], defect: str | None) -> tuple[
        subprocess.Popen, str]:
    """``ketentest up --party`` as its own process, pointed at the harness's parties."""
    port = free_ports(1)[0]
    args = [sys.executable, "-m", "ketentest.cli", "up", "--party", party, "--port", str(port),
            "--state-dir", str(tmp_path / f"partner-{party}"), "--klok", "2016-08-15T09:00"]
    for buur in NEIGHBOURS[party]:
        args += [f"--{buur}-url", f"http://127.0.0.1:{harness[buur]}"]
    if defect:
        args += ["--optie", f"{party}.defecten={defect}"]
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line:
        process.kill()
        pytest.fail(f"ketentest up --party {party} stopte: {process.stderr.read()}")
    naam, url = line.split()
    assert naam == party
    return process, url


def _wait_idle(url: str, seconds: float) -> bool:
    """Whether the partner (our simulator, so its control API may be asked) finished its open
    work within ``seconds``; work with a deadline on its frozen clock is retried for ever."""
    return requests.post(f"{url}/_beheer/wacht", params={"seconden": seconds}, timeout=seconds + 5).ok


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    process.stdout.close()
    process.stderr.close()


def _run(party: str, url: str, harness: dict[str, int], report: Path, suites: str = SUITES,
         *extra: str) -> tuple[int, str, dict[str, str]]:
    """``ketentest run`` of the role's checks against the partner at ``url``; returns exit code,
    output and the verdict per check from the partner report."""
    run = subprocess.run(
        [sys.executable, "-m", "ketentest.cli", "run", "--suite", suites, "--tags", f"rol:{party}",
         "--target", f"{party}={url}", "--report", str(report), *extra,
         *[arg for p, port in harness.items() for arg in ("--poort", f"{p}={port}")]],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    verdicts = {}
    md = report / "partnerrapport.md"
    assert md.exists(), f"no partner report:\n{run.stdout[-3000:]}\n{run.stderr[-2000:]}"
    for row in md.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in row.strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"[A-Z][A-Z0-9-]+", cells[0]):
            # an outline gives one row per example; one failing example fails the check
            if not verdicts.get(cells[0], "").startswith("niet voldaan"):
                verdicts[cells[0]] = cells[3]
    return run.returncode, run.stdout + run.stderr, verdicts


def _conformance_run(party: str, tmp_path: Path,
                     defect: str | None = None) -> tuple[int, str, dict[str, str]]:
    """Run the role's checks against the party; returns exit code, output, verdict per check."""
    harness = dict(zip(OTHERS[party], free_ports(3), strict=True))
    process, url = _partner(party, tmp_path, harness, defect)
    try:
        # a broken party leaves checks waiting for what never comes: on loopback 3 s is plenty
        return _run(party, url, harness, tmp_path / f"rapport-{party}-{defect or 'goed'}", SUITES,
                    *(["--wachttijd", "3"] if defect else []))
    finally:
        _stop(process)


WRONG = {"rinis": "cbs", "ggk": "rinis", "cbs": "rinis"}
"""The harness party a first run puts on the wrong port: the one the partner calls back."""
SIDE_BY_SIDE = 4
"""Conformance runs at once: each is a partner process and a chain of three, mostly waiting."""

pytestmark = pytest.mark.xdist_group("conformiteit")


def _stateful_runs(party: str, tmp_path: Path) -> tuple[tuple[int, str, dict], tuple[int, str, dict], bool]:
    """One partner process, one state folder, two runs: the first with the harness party the
    partner calls back on another port than the partner was given, then the second set up right.
    Returns both runs and whether the partner went quiet in between."""
    harness = dict(zip(OTHERS[party], free_ports(3), strict=True))
    process, url = _partner(party, tmp_path, harness, None)
    try:
        verkeerd = harness | {WRONG[party]: free_ports(1)[0]}
        first = _run(party, url, verkeerd, tmp_path / "rapport-verkeerd", "burentest", "--wachttijd", "2")
        # the GGk retries its Di01s until a deadline its frozen clock never reaches
        quiet = party == "ggk" or _wait_idle(url, 20)
        return first, _run(party, url, harness, tmp_path / "rapport-goed"), quiet
    finally:
        _stop(process)


def _work(item: pytest.Item, tmp_path: Path) -> Callable[[], object] | None:
    """The run a test of this module judges, as a function to start in the background."""
    params = item.callspec.params if hasattr(item, "callspec") else {}
    name = item.originalname if hasattr(item, "originalname") else item.name
    if name == "test_the_role_checks_pass_against_a_stateful_party_after_a_failed_run":
        return lambda: _stateful_runs(params["party"], tmp_path)
    if name == "test_a_party_broken_on_purpose_fails_the_check_named_for_it":
        return lambda: _conformance_run(params["party"], tmp_path, params["defect"])
    return None


@pytest.fixture(scope="module")
def runs(request, tmp_path_factory) -> dict[str, Future]:
    """Every run this worker's tests of the module need, started at once, SIDE_BY_SIDE at a
    time; a test waits for its own (``runs[nodeid].result()``)."""
    pool = ThreadPoolExecutor(SIDE_BY_SIDE, thread_name_prefix="conformiteit")
    futures = {}
    for item in request.session.items:
        if item.module is request.module:
            work = _work(item, tmp_path_factory.mktemp(item.name[:40]))
            if work is not None:
                futures[item.nodeid] = pool.submit(work)
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.mark.parametrize("party", ["rinis", "ggk", "cbs"])
def test_the_role_checks_pass_against_a_stateful_party_after_a_failed_run(party, runs, request):
    """A set-up mistake first (it fails and leaves its traffic unfinished in the partner's
    state), then a run set up right: every check must pass, judged on that run's own traffic."""
    (code, output, verdicts), (code2, output2, verdicts2), quiet = runs[request.node.nodeid].result()
    assert code == 1, f"the run with {WRONG[party]} on the wrong port passed:\n{output[-3000:]}"
    assert "niet voldaan: geen antwoord" in verdicts.values(), verdicts
    assert quiet, f"{party} kept working on the first run's traffic"
    code, output, verdicts = code2, output2, verdicts2
    assert code == 0, output[-4000:]
    assert verdicts and set(verdicts.values()) == {"voldaan"}, verdicts
    assert f"partner {party} http://127.0.0.1:" in output, "the partner's endpoint is printed"
    assert "harness " in output, "the harness's own endpoints, which the partner calls, are printed"
    minimum = {"rinis": 30, "ggk": 40, "cbs": 2}[party]
    assert len(verdicts) >= minimum, f"only {len(verdicts)} checks for {party}: {sorted(verdicts)}"


@pytest.mark.parametrize("party,defect,check", DEFECTS, ids=[f"{p}-{d}" for p, d, _c in DEFECTS])
def test_a_party_broken_on_purpose_fails_the_check_named_for_it(party, defect, check, runs, request):
    code, output, verdicts = runs[request.node.nodeid].result()
    assert code == 1, f"the run passed against {party} with defect {defect}:\n{output[-3000:]}"
    failing = sorted(c for c, v in verdicts.items() if v != "voldaan")
    assert verdicts.get(check, "").startswith("niet voldaan"), (
        f"{check} did not catch {defect}; failing: {failing}")
    assert f"x {check}:" in output, "the run's own summary names the failing check"


def test_a_failed_check_in_the_partner_report_says_why_and_its_command_reruns_it_alone(tmp_path):
    """End to end, against a RINIS broken on purpose: the report says the check got a wrong
    answer (expected vs received) and gives a command; that command, as printed, runs exactly
    that one check against the same endpoint, and it fails the same way."""
    harness = dict(zip(OTHERS["rinis"], free_ports(3), strict=True))
    process, url = _partner("rinis", tmp_path, harness, "geen-gemeentecode")
    try:
        code, output, verdicts = _run("rinis", url, harness, tmp_path / "rapport", "burentest")
        assert code == 1 and verdicts["RINIS-NAAMGEVING"] == "niet voldaan: verkeerd antwoord", verdicts
        md = (tmp_path / "rapport" / "partnerrapport.md").read_text(encoding="utf-8")
        sectie = md.split("### RINIS-NAAMGEVING: niet voldaan: verkeerd antwoord", 1)[1]
        assert "verwacht: WMO_H12016_regulier_0363.csv; ontvangen: WMO_H12016_regulier.csv" in sectie, sectie
        commando = re.search(r"```sh\n(.+)\n```", sectie)[1]
        assert f"--target rinis={url}" in commando and f"--poort cbs={harness['cbs']}" in commando, commando
        assert "harness → rinis · GMSD-AANLEVERING" in sectie, "the messages of the check are linked"
        args = shlex.split(commando)
        assert args[:2] == ["ketentest", "run"], commando
        rerun = subprocess.run([sys.executable, "-m", "ketentest.cli", *args[1:], "--report",
                                str(tmp_path / "herhaling")], cwd=ROOT, capture_output=True, text=True,
                               timeout=600)
    finally:
        _stop(process)
    assert rerun.returncode == 1, rerun.stdout[-3000:] + rerun.stderr[-2000:]
    assert re.search(r"^1 failed, \d+ deselected", rerun.stdout, re.MULTILINE), rerun.stdout[-3000:]
    again = (tmp_path / "herhaling" / "partnerrapport.md").read_text(encoding="utf-8")
    assert "0 van 1 controles voldaan" in again, again
    assert "### RINIS-NAAMGEVING: niet voldaan: verkeerd antwoord" in again, again
