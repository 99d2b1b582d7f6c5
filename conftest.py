"""Root of the test suites: the chain under test, the step vocabulary, and the report.

One embedded chain (all four simulators on loopback, port 0) serves a whole test
session, or, with KETENTEST_URLS='{"ggk": "https://...", ...}', the parties named
there are used instead. After each scenario every message the parties exchanged during
it is attached to the Allure report.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import allure
import pytest

from simulators.chain import Chain
from simulators.clock import SimulatedClock
from steps.drivers import Keten

pytest_plugins = ["steps.klok", "steps.aanlevering", "steps.rapporten"]

START = datetime(2016, 8, 15, 9, 0)
_summary: list[dict] = []


@pytest.fixture(scope="session")
def keten(tmp_path_factory) -> Keten:
    """The chain the scenarios drive, over HTTP only."""
    given = os.environ.get("KETENTEST_URLS")
    if given:
        yield Keten(json.loads(given))
        return
    with Chain(tmp_path_factory.mktemp("keten"), SimulatedClock(START)) as chain:
        yield Keten(chain.urls)


def pytest_bdd_apply_tag(tag, function):
    """``@hop:ggk-rinis`` becomes the marker ``hop("ggk-rinis")`` (a marker name has no colon)."""
    if tag.startswith("hop:"):
        pytest.mark.hop(tag.split(":", 1)[1])(function)
        return True
    return None


def pytest_bdd_before_scenario(request, feature, scenario):
    if not scenario.steps:  # a misspelt keyword makes steps into description: never pass that
        pytest.fail(f"scenario '{scenario.name}' heeft geen stappen (spelfout in een sleutelwoord?)")
    keten = request.getfixturevalue("keten")
    request.node.stash[_MARKS] = keten.journal_marks()


_MARKS = pytest.StashKey[dict]()


def pytest_bdd_after_scenario(request, feature, scenario):
    marks = request.node.stash.get(_MARKS, None)
    if marks is None:
        return
    keten = request.getfixturevalue("keten")
    try:
        keten.wait_idle(5)
    except AssertionError:
        pass  # attach what there is; the scenario's own steps judge the outcome
    for party, entries in keten.journal_since(marks).items():
        for entry in entries:
            body = keten.session.get(entry["payload"], timeout=10).content
            name = _attachment_name(party, entry)
            allure.attach(body, name=name, attachment_type=_attachment_type(entry["content_type"]))


def _attachment_name(party: str, entry: dict) -> str:
    arrow = "→" if entry["richting"] == "uit" else "←"
    parts = [f"{party} {arrow} {entry['peer']}", entry["soort"]]
    if entry.get("bestandsnaam"):
        parts.append(entry["bestandsnaam"])
    return " · ".join(parts)


def _attachment_type(content_type: str):
    if "pdf" in content_type:
        return allure.attachment_type.PDF
    if "xml" in content_type:
        return allure.attachment_type.XML
    if "json" in content_type:
        return allure.attachment_type.JSON
    if "csv" in content_type:
        return allure.attachment_type.CSV
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    marker = item.get_closest_marker("hop")
    outcome.get_result().hop = marker.args[0] if marker and marker.args else "-"


def pytest_runtest_logreport(report):
    if report.when != "call" and not (report.when == "setup" and report.failed):
        return
    markers = report.keywords
    suite = next((m for m in ("ketentest", "burentest") if m in markers), None)
    if suite is None:
        return
    hop = getattr(report, "hop", "-")
    first = ""
    if report.failed:
        first = (report.longreprtext.strip().splitlines() or [""])[-1][:200]
    _summary.append({"suite": suite, "hop": hop, "scenario": report.nodeid.split("::")[-1],
                     "uitkomst": "geslaagd" if report.passed else "mislukt",
                     "eerste_regel": first})


def pytest_sessionfinish(session):
    target = os.environ.get("KETENTEST_SAMENVATTING")
    if target:
        Path(target).write_text(json.dumps(_summary, ensure_ascii=False, indent=1), encoding="utf-8")
