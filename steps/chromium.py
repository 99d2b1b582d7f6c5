"""Debian's Chromium, driven headless by Playwright's sync API, for the portal scenarios.

Why Debian's and not Playwright's own: a browser build downloaded by a test tool cannot be
fetched on the test machines, and ``playwright install`` is never run. Playwright drives
the ``chromium`` package (``/usr/bin/chromium``, or ``KETENTEST_CHROMIUM``) instead. When it
is missing, the fixture fails (never skips) and says which package to install: a portal
scenario that silently passed without a browser would prove nothing.

One browser per test process (``chromium``, session-scoped: each xdist worker has its own),
a fresh context per scenario (``scherm``: no cookies or downloads leak between scenarios).
After every step, and on a failed one, the open page goes into the Allure report as a
full-page PNG named after the step.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import allure
import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

OMGEVING = "KETENTEST_CHROMIUM"
STANDAARD = "/usr/bin/chromium"
PAKKETTEN = "chromium chromium-driver"
ARGUMENTEN = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync")
"""Headless as root in a container: no sandbox (it needs user namespaces), no GPU, and no
traffic of its own (updates, sync, QUIC probes) that a closed network would make hang."""
WACHTTIJD_MS = 10_000
"""How long an action or a navigation may take: the portal answers in milliseconds, so a
missing label or button fails within seconds, naming what it looked for."""
_PAGINA = pytest.StashKey["Page"]()


class ChromiumMissingError(RuntimeError):
    """Chromium cannot be used here; the text says what to install (in Dutch, for the person
    running the tests)."""


def chromium_pad() -> str:
    return os.environ.get(OMGEVING) or STANDAARD


def controleer(pad: str) -> str:
    """``pad`` if it is an executable file, else :class:`ChromiumMissingError` naming the package."""
    if not (os.path.isfile(pad) and os.access(pad, os.X_OK)):
        raise ChromiumMissingError(
            f"Chromium ontbreekt ({pad}): installeer het Debian-pakket chromium (apt-get install "
            f"{PAKKETTEN}) of zet {OMGEVING} op het pad van een Chromium. De portaalscenario's draaien "
            "in een echte browser; een browser downloaden (playwright install) kan hier niet.")
    return pad


def start(playwright, pad: str | None = None) -> Browser:
    """Launch the Chromium at ``pad`` (default :func:`chromium_pad`) headless, with a temporary
    profile (Playwright's launch makes a fresh user-data-dir and removes it on close)."""
    pad = controleer(pad or chromium_pad())
    try:
        return playwright.chromium.launch(executable_path=pad, headless=True, args=list(ARGUMENTEN),
                                          timeout=60_000)
    except PlaywrightError as exc:
        reden = (str(exc).strip().splitlines() or ["onbekende fout"])[0]
        raise ChromiumMissingError(
            f"Chromium ({pad}) start niet: {reden}. Installeer het Debian-pakket chromium opnieuw "
            f"(apt-get install {PAKKETTEN}) of zet {OMGEVING} op een werkende Chromium.") from exc


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """The test process's one Chromium; fails the test (never skips) when there is none."""
    with sync_playwright() as playwright:
        try:
            browser = start(playwright)
        except ChromiumMissingError as exc:
            pytest.fail(str(exc), pytrace=False)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def scherm(request, chromium: Browser) -> Iterator[Page]:
    """A fresh browser window for one scenario (its own cookies, downloads, nothing before it)."""
    context = chromium.new_context(accept_downloads=True, locale="nl-NL", timezone_id="Europe/Amsterdam",
                                   viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WACHTTIJD_MS)
    context.set_default_navigation_timeout(WACHTTIJD_MS)
    page = context.new_page()
    request.node.stash[_PAGINA] = page
    try:
        yield page
    finally:
        del request.node.stash[_PAGINA]
        context.close()


def schermafbeelding(page: Page | None, naam: str) -> bool:
    """Attach the page as a full-page PNG to the running Allure step; False when there is no
    page to show (closed, or not yet opened)."""
    if page is None or page.is_closed() or page.url in ("", "about:blank"):
        return False
    try:
        png = page.screenshot(full_page=True, timeout=WACHTTIJD_MS, animations="disabled")
    except PlaywrightError as exc:  # the picture is evidence, not the verdict
        allure.attach(str(exc), name=f"{naam} (geen schermafbeelding)",
                      attachment_type=allure.attachment_type.TEXT)
        return False
    allure.attach(png, name=naam, attachment_type=allure.attachment_type.PNG)
    return True


def _stapnaam(step) -> str:
    return f"scherm · {step.keyword.strip()} {step.name}"


def _neemt_op(request) -> bool:
    """Screenshots cost time and go nowhere without an Allure results folder."""
    return bool(request.config.getoption("--alluredir", default=None))


@pytest.hookimpl(tryfirst=True)  # before Allure's listener closes the step
def pytest_bdd_after_step(request, feature, scenario, step, step_func, step_func_args):
    if _neemt_op(request):
        schermafbeelding(request.node.stash.get(_PAGINA, None), _stapnaam(step))


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_step_error(request, feature, scenario, step, step_func, step_func_args, exception):
    if _neemt_op(request):
        schermafbeelding(request.node.stash.get(_PAGINA, None), _stapnaam(step) + " (mislukt)")
