"""Root of the test suites: the chain under test, the step vocabulary, and the report.

One embedded chain (all four simulators on loopback, port 0, each in its own process, as
``ketentest up`` runs them) serves a whole test session, or, with
KETENTEST_URLS='{"ggk": "https://...", ...}', the parties named there are used instead.
After each scenario every message the parties exchanged during it is attached to the Allure
report, and so are the lines the GGk portal wrote to its audit log (the portal scenarios
also get a screenshot after every step: steps/chromium.py); with a partner's endpoint in the
chain, so is every request the steps made of it and its answer. Each scenario also carries the
command that reruns it alone (the Allure parameter ``herhaal``: ``ketentest run ... --scenario``).
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import zipfile
from datetime import datetime
from pathlib import Path

import allure
import pytest
import requests
from pytest_bdd.scenario import scenario_wrapper_template_registry

from ketentest.allure_environment import categories_json, write_environment
from ketentest.boekhouding import boeken
from ketentest.journey import journey_steps
from ketentest.journey_svg import journey_html, sequence_diagram_svg
from ketentest.rerun import HERHAAL, rerun_command
from ketentest.targets import TLS_VARIABLE, Targets
from simulators import auditlog
from simulators.chain import PARTIES, ProcessChain
from simulators.kalender import DAGEN_KORT
from steps.drivers import Keten, NoAnswerError
from steps.drivers.tls import Certificates

# A module comes after the step modules it imports (pytest rewrites a plugin on import).
pytest_plugins = ["steps.klok", "steps.aanlevering", "steps.berichten", "steps.mappen",
                  "steps.rapporten", "steps.status",
                  "steps.tijdlijn", "steps.fouten", "steps.optin", "steps.samenwerking",
                  "steps.chromium", "steps.portaal", "steps.handtekening", "steps.boekhouding",
                  "steps.storingen", "steps.regie", "steps.regels", "steps.beveiliging"]

START = datetime(2016, 8, 15, 9, 0)
FEATURES = Path(__file__).resolve().parent / "features"
SUITES = tuple(sorted(d.name for d in FEATURES.iterdir() if d.is_dir() and not d.name.startswith(".")))
"""A suite is a folder of features/; its scenarios carry the folder's name as a tag."""
_summary: list[dict] = []
_MARKS = pytest.StashKey[dict]()
"""Where the before-scenario hook leaves the journal marks the ``marks`` fixture hands out."""
NIET_BEREIKT = (requests.RequestException, NoAnswerError)
"""A party that did not answer: evidence missing, never the verdict of a hook."""


@pytest.fixture(scope="session")
def _chains(request, tmp_path_factory):
    """The chains of the session, each started when a scenario first needs it: without TLS, as
    users run it, and with TLS (``docs/beveiliging.md``) for the scenarios tagged @tls, or for
    every scenario with ``ketentest run --tls``."""
    started: dict[bool, Keten] = {}
    with contextlib.ExitStack() as stack:
        def chain(tls: bool) -> Keten:
            if tls not in started:
                started[tls] = _start_chain(request, tmp_path_factory, stack, tls, first=not started)
            return started[tls]

        yield chain


BROWSER_SUITES = ("portaal", "regie")
"""People in a browser: their door is the (simulated) eHerkenning login, and the harness's
Chromium shows no client certificate, so ``ketentest run --tls`` leaves these on the chain
without TLS (docs/beveiliging.md)."""


@pytest.fixture
def keten(request, _chains) -> Keten:
    """The chain the scenario drives, over HTTP only: with TLS for a scenario tagged @tls, and
    for every scenario but a browser's with ``ketentest run --tls``."""
    node = request.node
    in_browser = any(node.get_closest_marker(suite) for suite in BROWSER_SUITES)
    everything = bool(os.environ.get(TLS_VARIABLE)) and not in_browser
    return _chains(everything or node.get_closest_marker("tls") is not None)


def _start_chain(request, tmp_path_factory, stack: contextlib.ExitStack, tls: bool, first: bool) -> Keten:
    given = os.environ.get("KETENTEST_URLS")
    if given:
        keten = Keten(json.loads(given))
        _describe_environment(request, keten, simulated=set())
        return keten
    doelen = Targets.from_environment()  # ketentest run --target: a partner's endpoint plays a party
    certificates = Certificates.of_test_ca(doelen.tls.ca) if tls else None
    options = ({p: {"tls": {"ca": certificates.ca}} for p in PARTIES} if tls and doelen
               else {p: {"tls": doelen.tls.__dict__} for p in PARTIES} if doelen else {})
    # the chain users run: every party its own process, its clock set from START over HTTP
    chain = stack.enter_context(ProcessChain(tmp_path_factory.mktemp("keten-tls" if tls else "keten"),
                                             START.isoformat(), doelen.host, doelen.poorten, options=options,
                                             extern=doelen.urls, tls=tls))
    keten = Keten(chain.urls, extern=frozenset(doelen.urls), tls=certificates)
    if not tls:
        doelen.tls.apply(keten.session)
    keten.session.hooks["response"].append(_attach_partner_exchange(keten))
    if first:
        _describe_environment(request, keten, simulated=set(keten.eigen))
    return keten


@pytest.fixture
def marks(request) -> dict[str, int]:
    """Each simulated party's last journal id when the running scenario began, taken right
    after the chain was emptied (``pytest_bdd_before_scenario``): steps that judge "what
    happened in this scenario" read the journals after these."""
    if _MARKS not in request.node.stash:
        pytest.fail("de stand van de journalen is pas bekend als een scenario begint", pytrace=False)
    return request.node.stash[_MARKS]


@pytest.fixture
def nu(keten) -> datetime:
    """The chain's time, for steps that need it when no step has moved the clock yet
    (a clock step's ``target_fixture`` replaces this value)."""
    return keten.clock().replace(tzinfo=None)


def _describe_environment(request, keten: Keten, simulated: set[str]) -> None:
    """Allure's environment (which parties were simulated, where) and failure categories."""
    alluredir = request.config.getoption("--alluredir", default=None)
    if not alluredir:
        return
    partijen = []
    for party, url in keten.urls.items():
        try:
            versie = keten.party(party).health(timeout=5).get("version", "?")
        except (*NIET_BEREIKT, ValueError):
            versie = "onbekend (geen /health)"
        partijen.append({"naam": party, "url": url, "versie": versie,
                         "soort": "gesimuleerd" if party in simulated else "echt"})
    write_environment(Path(alluredir), partijen)
    categories_json(Path(alluredir))


ERNST = {"blokkerend": "blocker", "kritiek": "critical", "normaal": "normal", "klein": "minor",
         "triviaal": "trivial"}


def pytest_addoption(parser):
    parser.addoption("--scenario", action="store", default=None, metavar="NAAM",
                     help="Run only the scenario with exactly this name (as the partner report and "
                          "Allure show it; an outline's example with its values filled in).")


def pytest_configure(config):
    """Every suite folder is a marker, so a new suite needs a folder and a tag, no code."""
    for suite in SUITES:
        config.addinivalue_line("markers", f"{suite}: scenarios of features/{suite}/")


def scenario_name(item) -> str | None:
    """The name of the scenario a collected item runs (an outline's with its example filled in),
    as Allure and the partner report show it; None for an item that is no scenario."""
    template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))
    if template is None:
        return None
    callspec = getattr(item, "callspec", None)
    example = callspec.params.get("_pytest_bdd_example", {}) if callspec else {}
    return template.render(example).name


@pytest.hookimpl(trylast=True)  # after -m deselected: the name must pick one of what remains
def pytest_collection_modifyitems(config, items):
    """``--scenario NAAM`` keeps exactly the scenario of that name: the rerun of one check."""
    naam = config.getoption("--scenario")
    if not naam:
        return
    keep = [item for item in items if scenario_name(item) == naam]
    if len(keep) > 1:
        raise pytest.UsageError(f"--scenario '{naam}' past op {len(keep)} scenario's: "
                                f"{', '.join(item.nodeid for item in keep)}; kies één met --suite of --tags")
    config.hook.pytest_deselected(items=[item for item in items if item not in keep])
    items[:] = keep


ROLLEN = ("ggk", "rinis", "cbs")
HARNESS_SPEELT = "harness-speelt-partij"
"""Tag of a feature whose scenarios have the harness itself send as a party (as the burentest
does): the chain's books do not balance there by design, so they are left out of the sums."""
MAX_BERICHTEN = 300


def pytest_bdd_apply_tag(tag, function):
    """Tags with a value become markers with an argument (a marker name has no colon), and
    Allure labels: ``@hop:ggk-rinis`` → ``hop("ggk-rinis")`` and the label hop; the suite
    tags also name the Allure suite; ``@ernst:kritiek`` sets the Allure severity."""
    if tag.startswith("hop:"):
        hop = tag.split(":", 1)[1]
        pytest.mark.hop(hop)(function)
        allure.label("hop", hop)(function)
        allure.sub_suite(hop)(function)
        return True
    if tag == HARNESS_SPEELT:  # read from the feature in pytest_bdd_after_scenario; no marker
        return True
    if tag.startswith(("fout:", "controle:")):  # a check id (outlines name a fault in column "fout")
        soort, check_id = tag.split(":", 1)
        getattr(pytest.mark, soort)(check_id)(function)
        allure.label(soort, check_id)(function)
        return True
    if tag.startswith("rol:"):  # a conformance check of that party's endpoint: --tags rol:rinis
        rol = tag.split(":", 1)[1]
        if rol not in ROLLEN:
            raise ValueError(f"@rol:{rol} is onbekend; kies uit {', '.join(ROLLEN)}")
        getattr(pytest.mark, f"rol_{rol}")(function)
        allure.label("rol", rol)(function)
        return True
    if tag.startswith("ernst:"):
        ernst = tag.split(":", 1)[1]
        if ernst not in ERNST:
            raise ValueError(f"@ernst:{ernst} is onbekend; kies uit {', '.join(ERNST)}")
        allure.severity(ERNST[ernst])(function)
        return True
    if tag in SUITES:
        getattr(pytest.mark, tag)(function)
        allure.suite(tag)(function)
        return True
    return None


def pytest_bdd_before_scenario(request, feature, scenario):
    if not scenario.steps:  # a misspelt keyword makes steps into description: never pass that
        pytest.fail(f"scenario '{scenario.name}' heeft geen stappen (spelfout in een sleutelwoord?)")
    keten = request.getfixturevalue("keten")
    keten.reset()  # first: the marks are taken from the emptied chain
    request.node.stash[_MARKS] = keten.journal_marks()


@pytest.hookimpl(tryfirst=True)  # before Allure's listener closes the step
def pytest_bdd_after_step(request, feature, scenario, step, step_func, step_func_args):
    """Each step shows the simulated moment it ended at (a timeline run reads as a diary)."""
    keten = request.getfixturevalue("keten")
    try:
        moment = keten.clock()
    except (*NIET_BEREIKT, KeyError, ValueError):
        return
    allure.attach(moment.isoformat(), name=f"klok: {DAGEN_KORT[moment.weekday()]} {moment:%d-%m-%Y %H:%M}",
                  attachment_type=allure.attachment_type.TEXT)




def pytest_bdd_after_scenario(request, feature, scenario):
    # the command that reruns this scenario alone against the same chain (ketentest/rerun.py)
    herhaal = rerun_command(os.environ.get(HERHAAL) or "ketentest run", scenario.name)
    allure.dynamic.parameter("herhaal", herhaal, excluded=True)
    marks = request.node.stash.get(_MARKS, None)
    if marks is None:
        return
    keten = request.getfixturevalue("keten")
    try:
        keten.wait_idle(5)
    except AssertionError:
        pass  # attach what there is; the scenario's own steps judge the outcome
    journals = keten.journal_since(marks, inhoud=True)  # one call per party, the bytes included
    _attach_journey(scenario.name, journals)
    _attach_audit(keten)
    if HARNESS_SPEELT not in set(feature.tags) | set(scenario.tags):
        books = boeken(journals, keten.tasks(), keten.clock())
        allure.attach(books.als_tabel(), name="boekhouding per hop",
                      attachment_type=allure.attachment_type.TEXT)
        request.node.user_properties.append(("boekhouding", books.als_json()))  # for the run's summary
    entries = [(party, entry) for party, items in journals.items() for entry in items]
    if len(entries) > MAX_BERICHTEN:  # a soak exchanges thousands: the first ones show the kind
        allure.attach(f"{len(entries)} berichten in dit scenario; de eerste {MAX_BERICHTEN} zijn bijgevoegd, "
                      "de rest staat in de journalen van de partijen.", name="berichten (ingekort)",
                      attachment_type=allure.attachment_type.TEXT)
    for party, entry in entries[:MAX_BERICHTEN]:
        body = base64.b64decode(entry["inhoud"])
        name = _attachment_name(party, entry)
        if "zip" in entry["content_type"]:
            allure.attach(zip_listing(body), name=f"{name} · inhoud",
                          attachment_type=allure.attachment_type.TEXT)
            allure.attach(body, name=name, extension="zip")
            continue
        allure.attach(body, name=name, attachment_type=_attachment_type(entry["content_type"]))


PARTNER_EXCHANGE_SKIP = ("/stuf/",)
"""Paths whose exchanges a step attaches itself (``steps.berichten.verstuur``: both sides)."""


def _attach_partner_exchange(keten: Keten):
    """A ``requests`` response hook: every exchange of the steps with a partner's endpoint, both
    sides, lands on the running step, so the partner report links every message of a check.
    Listings the steps poll (a GET answered with JSON) are left out: they are questions, not
    messages."""
    partners = {keten.urls[party]: party for party in keten.extern}

    def hook(response, *args, **kwargs):
        request = response.request
        party = next((p for base, p in partners.items() if request.url.startswith(base)), None)
        if party is None or any(skip in request.url for skip in PARTNER_EXCHANGE_SKIP):
            return response
        is_listing = request.method == "GET" and "json" in response.headers.get("Content-Type", "")
        if is_listing:
            return response
        path = request.url[len(keten.urls[party]):].split("?", 1)[0]
        if request.body:
            body = request.body if isinstance(request.body, bytes) else str(request.body).encode()
            allure.attach(body[:1_000_000], name=f"harness → {party} · {request.method} {path}",
                          attachment_type=_attachment_type(request.headers.get("Content-Type", "")))
        allure.attach(response.content[:1_000_000], name=f"{party} → harness · HTTP {response.status_code} "
                      f"op {request.method} {path}",
                      attachment_type=_attachment_type(response.headers.get("Content-Type", "")))
        return response

    return hook


def _attach_audit(keten: Keten) -> None:
    """What the GGk portal and CBS wrote to their audit logs during the scenario (the reset
    before each scenario empties them), for the coordinator reading the report. Only at a
    simulated party: a partner's endpoint has no audit log to read."""
    for party, naam in (("ggk", "auditlog GGk-portaal"), ("cbs", "auditlog CBS (ondertekende besluiten)")):
        if party not in keten.eigen:
            continue
        try:
            regels = keten.party(party).audit()
        except (*NIET_BEREIKT, ValueError):
            continue  # evidence, not the verdict
        if regels:
            allure.attach(auditlog.als_tabel(regels), name=naam, attachment_type=allure.attachment_type.TEXT)
    if keten.tls is None:
        return
    for party in keten.eigen:  # a TLS chain: what each party refused on a caller's certificate
        try:
            regels = keten.party(party).access_log()
        except (*NIET_BEREIKT, ValueError):
            continue
        if regels:
            allure.attach(auditlog.als_tabel(regels), name=f"toegangslog {party}",
                          attachment_type=allure.attachment_type.TEXT)


def _attach_journey(titel: str, journals: dict[str, list[dict]]) -> None:
    """The scenario's messages as a sequence diagram: who sent what to whom, in order."""
    reis = journey_steps(journals)
    if not reis:
        return
    allure.attach(sequence_diagram_svg(reis, titel), name="reis · sequentiediagram",
                  attachment_type=allure.attachment_type.SVG)
    allure.attach(journey_html(reis, titel), name="reis · tabel", attachment_type=allure.attachment_type.HTML)


def zip_listing(data: bytes) -> str:
    """What a ZIP holds, readable in the report: name, size and date of every member."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(f"{info.filename}\t{info.file_size} bytes\t"
                             f"{datetime(*info.date_time):%d-%m-%Y %H:%M:%S}" for info in archive.infolist())
    except zipfile.BadZipFile:
        return f"geen leesbare ZIP ({len(data)} bytes)"


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
    # user_properties travel with the report from an xdist worker to the controller
    outcome.get_result().user_properties.append(("hop", marker.args[0] if marker and marker.args else "-"))


def pytest_runtest_logreport(report):
    if report.when != "call" and not (report.when == "setup" and report.failed):
        return
    markers = report.keywords
    suite = next((m for m in SUITES if m in markers), None)
    if suite is None:
        return
    hop = dict(report.user_properties).get("hop", "-")
    first = ""
    if report.failed:
        crash = getattr(report.longrepr, "reprcrash", None)
        message = crash.message if crash is not None else report.longreprtext.strip()
        first = (message.strip().splitlines() or [""])[0][:200]
    _summary.append({"suite": suite, "hop": hop, "scenario": report.nodeid.split("::")[-1],
                     "uitkomst": "geslaagd" if report.passed else "mislukt",
                     "eerste_regel": first,
                     "boekhouding": dict(report.user_properties).get("boekhouding")})


def pytest_sessionfinish(session):
    target = os.environ.get("KETENTEST_SAMENVATTING")
    if target and not hasattr(session.config, "workerinput"):  # the controller writes it once
        Path(target).write_text(json.dumps(_summary, ensure_ascii=False, indent=1), encoding="utf-8")
