"""``ketentest``: start the simulated chain, deliver a file, run the suites, build the report."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import click
import requests

from simulators.chain import DEFAULT_PORTS, NEIGHBOURS, PARTIES, ChainStartError, ProcessChain
from simulators.clock import clock_from_setting
from simulators.serve import serve_party

from .overview import write_overview
from .rerun import HERHAAL, WACHTTIJD, rerun_base
from .targets import ENVIRONMENT as TARGETS_VARIABLE
from .targets import TLS_VARIABLE, TargetError, check_reachable, make_targets


def suites() -> tuple[str, ...]:
    """The suites: one per folder of features/ (its scenarios carry the folder's name as tag)."""
    features = Path(__file__).resolve().parent.parent / "features"
    found = sorted(d.name for d in features.iterdir() if d.is_dir() and not d.name.startswith("."))
    return (*found, "all")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """ketentest - simulators and chain tests for the GMSD delivery
    gemeente -> GGk -> RINIS -> CBS and back."""


def _stop_on_signal() -> threading.Event:
    """An event set by Ctrl-C or SIGTERM. Installed before the first URL is printed: whoever
    reads that line may signal at once, and must get a clean stop (exit 0), not click's
    'Aborted!' (exit 1) from a KeyboardInterrupt that came before the handler."""
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    return stop


@main.command()
@click.option("--party", type=click.Choice(PARTIES), help="Start only this party "
              "(its neighbours' URLs as --<buur>-url).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind to.")
@click.option("--port", type=int, default=None, help="Port for --party (default: 810x; 0 = any "
              "free port).")
@click.option("--ports", type=click.Choice(["vast", "vrij"]), default="vast", show_default=True,
              help="Whole chain: fixed ports 8101-8104, or any free ports.")
@click.option("--state-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path(".state"), show_default=True, help="Where parties keep their SQLite state.")
@click.option("--klok", default="wall", show_default=True, help="'wall' for the real time, or an "
              "ISO date/time to start a simulated calendar, e.g. 2016-08-15T09:00.")
@click.option("--gemeente-url", help="With --party: the gemeente simulator's URL.")
@click.option("--ggk-url", help="With --party: the GGk's URL.")
@click.option("--rinis-url", help="With --party: RINIS's URL.")
@click.option("--cbs-url", help="With --party: CBS's URL.")
@click.option("--optie", "opties", multiple=True, metavar="PARTIJ.NAAM=WAARDE",
              help="A party option, e.g. ggk.bestandsnaam_beleid=weigeren.")
@click.option("--tls", is_flag=True, help="Serve over HTTPS with mutual TLS: every caller shows a client "
              "certificate of the harness's test CA (docs/beveiliging.md).")
def up(party, host, port, ports, state_dir, klok, gemeente_url, ggk_url, rinis_url, cbs_url,
       opties, tls) -> None:
    """Start the chain (or one party) and serve until interrupted.

    Prints one line per party, '<party> <url>', as soon as it answers; for the whole chain
    a fifth line, 'regie <url>': the coordinator's page (docs/regie.md). Without --tls it
    says once, on stderr, that anyone on this machine can reach the parties.
    """
    stop = _stop_on_signal()
    clock = clock_from_setting(klok)
    options = _options(opties)
    if not tls:
        click.echo(ZONDER_TLS, err=True)
    if party is None:  # every party its own process, each with its own clock set from --klok
        chain_ports = dict(DEFAULT_PORTS) if ports == "vast" else {}
        chain = ProcessChain(state_dir, klok if clock.simulated else "wall", host, chain_ports, options,
                             fork=True, tls=tls)
        try:
            chain.start()
        except ChainStartError as exc:
            raise click.ClickException(str(exc)) from None
        try:
            for name, url in chain.urls.items():
                click.echo(f"{name} {url}")
            sys.stdout.flush()
            regie = _start_regie(chain.urls, host, REGIE_PORT if ports == "vast" else 0, tls)
            try:
                click.echo(f"regie {regie.url}")
                sys.stdout.flush()
                if tls:
                    _describe_tls()
                stop.wait()
            finally:
                regie.stop()
        finally:
            chain.stop()
        return
    given = {"gemeente": gemeente_url, "ggk": ggk_url, "rinis": rinis_url, "cbs": cbs_url}
    urls = {n: given[n] for n in NEIGHBOURS[party] if given[n]}
    server = serve_party(party, state_dir, clock, host, DEFAULT_PORTS[party] if port is None else port,
                         urls, options.get(party, {}), tls=tls)
    click.echo(f"{party} {server.url}")
    if tls:
        _describe_tls()
    missing = [n for n in NEIGHBOURS[party] if n not in urls]
    if missing:
        click.echo(f"# let op: geen URL voor {', '.join(missing)}; berichten daarheen blijven "
                   "in de wachtrij", err=True)
    sys.stdout.flush()
    try:
        stop.wait()
    finally:
        server.stop()


REGIE_PORT = 8100
"""Where ``ketentest up`` (fixed ports) and ``ketentest regie`` serve the coordinator's page."""
ZONDER_TLS = "# testketen zonder TLS: iedereen op deze machine kan erbij"
"""What ``ketentest up`` says once without ``--tls`` (docs/beveiliging.md)."""


def _harness_tls() -> tuple[str, tuple[str, str]]:
    """What the harness's own tools trust and show on a TLS chain: the test CA, and the
    harness's client certificate (the control API and journals are the harness's)."""
    from simulators import pki as testpki

    return str(testpki.ca_bestand()), testpki.client_files("harness")


def _describe_tls() -> None:
    """On stderr: where the certificates are, so a person can call the chain with curl."""
    ca, (cert, key) = _harness_tls()
    click.echo(f"# TLS: elke aanroeper toont een clientcertificaat van de test-CA {ca}\n"
               f"# harness: --cert {cert} --key {key}; een gemeente of partij: ketentest pki --client "
               "CODE --uit MAP (docs/beveiliging.md)", err=True)


def _start_regie(urls: dict[str, str], host: str, port: int, tls: bool = False):
    # imported here: `ketentest up` forks its parties first, so this runs while they start
    from .regie import RegieServer

    try:
        return RegieServer(urls, host, port, tls=_harness_tls() if tls else None).start()
    except OSError as exc:
        raise click.ClickException(f"de regiepagina kan niet op {host}:{port} luisteren "
                                   f"({exc.strerror or exc}); is die poort bezet?") from None


@main.command()
@click.option("--url", "urls", multiple=True, metavar="PARTIJ=URL",
              help="A party to watch, e.g. ggk=http://127.0.0.1:8102 (repeat; any subset; default: the four "
              "where 'ketentest up' puts them).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind to.")
@click.option("--port", type=int, default=REGIE_PORT, show_default=True, help="Port (0 = any free port).")
@click.option("--tls", is_flag=True, help="The parties serve mutual TLS ('ketentest up --tls'): read them "
              "with the harness's certificate of the test CA.")
def regie(urls, host, port, tls) -> None:
    """Serve the coordinator's page for parties started elsewhere (simulated or a partner's).

    \b
    ketentest regie --url gemeente=http://127.0.0.1:8101 --url ggk=https://ggk.example
    Prints 'regie <url>' and serves until interrupted (docs/regie.md).
    """
    stop = _stop_on_signal()
    gegeven: dict[str, str] = {}
    for pair in urls:
        partij, sep, url = pair.partition("=")
        if not sep or partij not in PARTIES or not url.startswith(("http://", "https://")):
            raise click.BadParameter(f"'{pair}': gebruik PARTIJ=URL met PARTIJ een van {', '.join(PARTIES)}, "
                                     "bijvoorbeeld ggk=http://127.0.0.1:8102", param_hint="--url")
        gegeven[partij] = url.rstrip("/")
    server = _start_regie(gegeven or {p: party_url(p, None, tls) for p in PARTIES}, host, port, tls)
    click.echo(f"regie {server.url}")
    sys.stdout.flush()
    try:
        stop.wait()
    finally:
        server.stop()


def _options(pairs: tuple[str, ...]) -> dict[str, dict[str, str]]:
    options: dict[str, dict[str, str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        party, dot, name = key.partition(".")
        if not sep or not dot or party not in PARTIES:
            raise click.BadParameter(f"'{pair}': gebruik PARTIJ.NAAM=WAARDE", param_hint="--optie")
        options.setdefault(party, {})[name] = value
    return options


@main.command()
@click.option("--gemeente-url", required=True, help="URL of a running gemeente simulator.")
@click.option("--gemeente", "gemeentecode", default="0363", show_default=True)
@click.option("--soort", type=click.Choice(["WMO", "SBO", "JEUGD"]), default="WMO", show_default=True,
              help="Kind of delivery.")
@click.option("--rijen", default=25, show_default=True, help="Number of clients in the file.")
@click.option("--seed", default=0, show_default=True)
def deliver(gemeente_url, gemeentecode, soort, rijen, seed) -> None:
    """Ask a running gemeente simulator to compose and upload one delivery.

    Prints the GGk reference number of each CSV.
    """
    try:
        response = requests.post(f"{gemeente_url.rstrip('/')}/api/v1/aanleveringen", json={
            "gemeentecode": gemeentecode, "soort": soort, "rijen": rijen, "seed": seed},
            timeout=30)
    except requests.RequestException as exc:
        raise click.ClickException(f"gemeente-simulator niet bereikbaar: {exc}") from None
    answer = response.json()
    if response.status_code != 201:
        raise click.ClickException(f"{answer.get('fout')}: {answer.get('melding')}")
    for upload in answer["uploads"]:
        for ref in upload["referenties"]:
            click.echo(f"{ref['referentie']} {ref['bestand']}")


# ------------------------------------------------------ a running chain: faults, restarts


class CommandError(click.ClickException):
    """A party could not be reached or refused: a Dutch message, exit code 2, no traceback."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"fout: {self.message}", err=True)


def party_url(partij: str, url: str | None, tls: bool = False) -> str:
    """The party's address: ``--url``, or where ``ketentest up`` (``--tls``) puts it by default."""
    if partij not in PARTIES:
        raise CommandError(f"onbekende partij '{partij}'; kies uit {', '.join(PARTIES)}")
    return (url or f"http{'s' if tls else ''}://127.0.0.1:{DEFAULT_PORTS[partij]}").rstrip("/")


def _beheer(method: str, partij: str, url: str | None, pad: str, timeout: float = 10.0, tls: bool = False,
            **kwargs) -> dict:
    """One call to a party's control API; its answer, or :class:`CommandError` saying why not.
    Over HTTPS (a TLS chain) with the harness's certificate: the control API is the harness's."""
    base = party_url(partij, url, tls)
    if base.startswith("https://"):
        kwargs["verify"], kwargs["cert"] = _harness_tls()
    try:
        response = requests.request(method, base + pad, timeout=timeout, **kwargs)
    except requests.RequestException as exc:
        raise CommandError(f"{partij} is niet bereikbaar op {base} ({type(exc).__name__}). Draait de keten? "
                      "Start hem met 'ketentest up', of geef het adres van de partij met --url.") from None
    try:
        answer = response.json()
    except ValueError:
        raise CommandError(f"{base} gaf geen JSON (HTTP {response.status_code}): is dit wel {partij} "
                      "van ketentest?") from None
    if response.status_code >= 400:
        melding = (answer.get("melding") or answer.get("fout")) if isinstance(answer, dict) else None
        raise CommandError(
            f"{partij} weigerde (HTTP {response.status_code}): {melding or response.text[:300]}")
    return answer


def _storing_regel(storing: dict) -> str:
    delen = [f"{storing['id']:>3}  {storing['soort']:<10}", f"pad {storing['pad'] or '(alles)'}"]
    if storing["aantal"] is not None:
        delen.append(f"nog {storing['resterend']} van {storing['aantal']}")
    if storing["seconden"] is not None:
        delen.append(f"{storing['seconden']:g} s")
    if storing["code"]:
        delen.append(f"code {storing['code']}")
    if storing["nog_seconden"] is not None:
        delen.append(f"nog {storing['nog_seconden']:g} s")
    return "  ".join(delen + [f"geraakt {storing['geraakt']}"])


@main.command()
@click.argument("partij")
@click.argument("soort", required=False)
@click.option("--pad", help="Only requests whose path starts with this, e.g. /stuf/ (default: all).")
@click.option("--aantal", type=int, help="Only the next N matching requests (default: until cleared).")
@click.option("--seconden", type=float, help="Delay of 'traag', wait of 'hangen'.")
@click.option("--code", help="Foutcode of 'fo03' or 'fo01' (default StUF058).")
@click.option("--duur", type=float, help="The fault ends by itself after this many seconds.")
@click.option("--url", help="The party's URL (default: where 'ketentest up' starts it, "
              "http://127.0.0.1:8101-8104).")
@click.option("--opheffen", is_flag=True, help="Clear every fault of the party.")
@click.option("--toon", is_flag=True, help="Show the party's faults and what they hit.")
@click.option("--json", "as_json", is_flag=True, help="Print the party's answer as JSON.")
@click.option("--tls", is_flag=True, help="The chain runs with --tls: https at the default address, "
              "the harness's certificate.")
def storing(partij, soort, pad, aantal, seconden, code, duur, url, opheffen, toon, as_json, tls) -> None:
    """Make a party of a running chain misbehave, or stop it (docs/storingen.md).

    \b
    ketentest storing rinis 503 --pad /stuf/ --aantal 2
    ketentest storing cbs plat --duur 5
    ketentest storing rinis --toon
    ketentest storing rinis --opheffen

    SOORT: 503, 500, traag, hangen, reset_voor, reset_na, afgekapt, fo03, fo01, plat.
    Faults per scenario belong in the Gherkin; this is for a chain started with 'ketentest up'.
    """
    velden = {"pad": pad, "aantal": aantal, "seconden": seconden, "code": code, "duur": duur}
    gegeven = [naam for naam, waarde in velden.items() if waarde is not None]
    if (soort is not None) + opheffen + toon != 1:
        raise CommandError("geef een soort storing, of --opheffen, of --toon (één van de drie)")
    if gegeven and soort is None:
        raise CommandError(
            f"--{' --'.join(gegeven)} hoort bij een nieuwe storing, niet bij --opheffen of --toon")
    if opheffen:
        answer = _beheer("DELETE", partij, url, "/_beheer/storing", tls=tls)
        click.echo(json.dumps(answer, ensure_ascii=False) if as_json else
                   f"{partij}: {answer['opgeheven']} storing(en) opgeheven")
        return
    if toon:
        answer = _beheer("GET", partij, url, "/_beheer/storing", tls=tls)
        if as_json:
            click.echo(json.dumps(answer, ensure_ascii=False, indent=1))
            return
        click.echo(f"{partij}: {len(answer['storingen'])} storing(en)")
        for item in answer["storingen"]:
            click.echo("  " + _storing_regel(item))
        voorvallen = answer["voorvallen"]
        click.echo(f"getroffen verzoeken sinds de laatste reset: {len(voorvallen)}")
        for voorval in voorvallen[-5:]:
            click.echo(f"  storing {voorval['storing']} {voorval['soort']}: {voorval['methode']} "
                       f"{voorval['pad']} ({voorval['klok']})")
        return
    fault = {"soort": soort} | {naam: waarde for naam, waarde in velden.items() if waarde is not None}
    answer = _beheer("PUT", partij, url, "/_beheer/storing", json=fault, tls=tls)
    if as_json:
        click.echo(json.dumps(answer, ensure_ascii=False, indent=1))
        return
    for item in answer["storingen"]:
        if item["id"] in answer["nieuw"]:
            click.echo(f"{partij}: storing gezet: {_storing_regel(item)}")


@main.command()
@click.argument("partij")
@click.option("--url", help="The party's URL (default: where 'ketentest up' starts it).")
@click.option("--json", "as_json", is_flag=True, help="Print the party's answer as JSON.")
@click.option("--tls", is_flag=True, help="The chain runs with --tls: https at the default address, "
              "the harness's certificate.")
def herstart(partij, url, as_json, tls) -> None:
    """Restart a party of a running chain in place (POST /_beheer/herstart).

    Its faults and everything else in memory are gone; what it had stored it reads again,
    and work that was open (a file to forward, a report to place) it picks up.
    """
    answer = _beheer("POST", partij, url, "/_beheer/herstart", timeout=60, tls=tls)
    if as_json:
        click.echo(json.dumps(answer, ensure_ascii=False, indent=1))
        return
    taken = answer["open_taken"]
    click.echo(f"{partij} is opnieuw opgestart in {answer['seconden']:g} s; {answer['storingen_opgeheven']} "
               f"storing(en) opgeheven, {len(taken)} open ta{'ak' if len(taken) == 1 else 'ken'} gevonden")
    for taak in taken:
        fout = f": laatste fout {taak['fout']}" if taak["fout"] else ""
        click.echo(f"  {taak['id']:>4} {taak['soort']} ({taak['pogingen']} pogingen){fout}")


def project_root() -> Path:
    return Path(__file__).resolve().parent.parent


ROL_TAG = re.compile(r"\b(rol):([a-z]+)\b")


def _marker_expression(suite: str, tags: str | None) -> str:
    """``--suite a,b`` and ``--tags`` as a pytest marker expression; ``rol:rinis`` (the Gherkin
    tag @rol:rinis) is the marker ``rol_rinis``."""
    known = suites()
    chosen = [s.strip() for s in suite.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in known]
    if unknown or not chosen:
        raise click.BadParameter(f"onbekende suite {unknown or suite!r}; kies uit {', '.join(known)} "
                                 "(meerdere met komma's)", param_hint="--suite")
    marker = " or ".join(m for m in known if m != "all" and ("all" in chosen or m in chosen))
    if not tags:
        return marker
    return f"({marker}) and ({ROL_TAG.sub(lambda m: f'{m[1]}_{m[2]}', tags)})"


@main.command(context_settings={"ignore_unknown_options": True})
@click.option("--suite", default="all", show_default=True,
              help="A folder of features/, several separated by commas, or all.")
@click.option("--tags", default=None,
              help="Marker expression, e.g. 'ketentest and not traag' or 'rol:rinis'.")
@click.option("--report", "report_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("reports"), show_default=True, help="Where results are written.")
@click.option("-n", "workers", type=click.IntRange(min=0), default=0, show_default=True,
              help="Run in N parallel processes (pytest-xdist), each with its own chain on its own ports.")
@click.option("--target", "targets", multiple=True, metavar="PARTIJ=URL",
              help="A partner's real endpoint plays this party, e.g. rinis=https://rinis.example:8443.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="ketentest.toml with [target], [tls] and [harness] (default: ./ketentest.toml "
              "if present).")
@click.option("--ca", default=None, help="CA bundle (PEM) to trust the partner's certificate.")
@click.option("--cert", default=None, help="Client certificate (PEM) for mutual TLS.")
@click.option("--key", default=None, help="Private key of --cert (PEM).")
@click.option("--host", default=None, help="With --target: where the harness's own parties listen "
              "(default 127.0.0.1).")
@click.option("--poort", "poorten", multiple=True, metavar="PARTIJ=POORT",
              help="With --target: the port of a simulated party the partner calls (default: 8101-8104).")
@click.option("--wachttijd", type=click.FloatRange(min=0, min_open=True), default=None,
              help=f"Seconds a check waits for an answer (default 10, or ${WACHTTIJD}); raise it for a "
              "slow endpoint.")
@click.option("--scenario", default=None, metavar="NAAM",
              help="Run only the scenario with exactly this name, as the partner report shows it "
              "(the report gives the whole command per failed check).")
@click.option("--tls", is_flag=True, help="Every scenario on a chain served with mutual TLS (the browser "
              "scenarios excepted; docs/beveiliging.md). Scenarios tagged @tls always are.")
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED)
def run(suite, tags, report_dir, workers, targets, config_file, ca, cert, key, host, poorten, wachttijd,
        scenario, tls, pytest_args) -> None:
    """Start the embedded chain and run the Gherkin suites against it.

    Writes Allure results to REPORT/allure-results and JUnit XML to REPORT/junit.xml,
    prints a summary per suite and hop, and exits non-zero when a scenario fails. With
    --target a partner's endpoint takes the place of a party (docs/conformiteit.md), and
    REPORT/partnerrapport.html and .md say per check where it deviates.
    """
    expression = _marker_expression(suite, tags)
    if config_file is None and Path("ketentest.toml").is_file():
        config_file = Path("ketentest.toml")
    try:
        doelen = make_targets(list(targets), config_file, ca, cert, key, host, list(poorten))
        if doelen:
            if tls and (doelen.tls.cert or doelen.tls.key):
                raise TargetError("met --tls toont de harness per rol die hij speelt een certificaat "
                                  "van zijn test-CA (ketentest pki); --cert en --key horen bij een run "
                                  "zonder --tls")
            doelen = replace(doelen, poorten={p: doelen.poorten.get(p, DEFAULT_PORTS[p])
                                              for p in PARTIES if p not in doelen.urls})
            check_reachable(_as_harness(doelen) if tls else doelen)
    except TargetError as exc:
        raise click.ClickException(str(exc)) from None
    if doelen and workers:
        raise click.ClickException("met --target draait de harness in één proces: de partner roept "
                                   "één set adressen terug; laat -n weg")
    report_dir = report_dir.resolve()
    results = report_dir / "allure-results"
    if results.exists():
        shutil.rmtree(results)
    results.mkdir(parents=True)
    summary = report_dir / "samenvatting.json"
    command = [sys.executable, "-m", "pytest", "tests/test_features.py", "-m", expression,
               f"--alluredir={results}", f"--junitxml={report_dir / 'junit.xml'}",
               "-p", "no:allure_pytest", "-q", *(["-n", str(workers)] if workers else []),
               *([f"--scenario={scenario}"] if scenario else []), *pytest_args]
    env = os.environ | {"KETENTEST_SAMENVATTING": str(summary)}
    if wachttijd:
        env[WACHTTIJD] = f"{wachttijd:g}"
    env.pop(TLS_VARIABLE, None)
    if tls:
        env[TLS_VARIABLE] = "1"
    # what a failed check's rerun command is made of (conftest adds --scenario)
    env[HERHAAL] = rerun_base(suite, tags, doelen, float(env[WACHTTIJD]) if env.get(WACHTTIJD) else None, tls)
    terugroep = {}
    if doelen:
        env[TARGETS_VARIABLE] = doelen.to_json()
        scheme = "https" if tls else "http"
        terugroep = {p: f"{scheme}://{doelen.host}:{port}" for p, port in doelen.poorten.items()}
        for partij, url in doelen.urls.items():
            click.echo(f"partner {partij} {url}")
        for partij, url in terugroep.items():
            click.echo(f"harness {partij} {url}")
        sys.stdout.flush()
    code = subprocess.call(command, cwd=project_root(), env=env)
    _print_summary(summary)
    if code == 5:
        raise click.ClickException(f"geen scenario's gevonden voor suite '{suite}'"
                                   + (f" en tags '{tags}'" if tags else "")
                                   + (f" met de naam '{scenario}'" if scenario else ""))
    if doelen:
        from . import partner_report as partnerrapport  # only a run against a partner needs it

        md, page, lijst = partnerrapport.write(report_dir, partnerrapport.Header(
            doelen.urls, datetime.now().strftime("%Y-%m-%d %H:%M"),  # the report's date: wall time
            f"suite {suite}" + (f", tags {tags}" if tags else ""), terugroep, env[HERHAAL]))
        voldaan = sum(c.voldaan for c in lijst)
        click.echo(f"\nPartnerrapport: {voldaan} van {len(lijst)} controles voldaan: {page} ({md.name})")
        for c in lijst:
            if not c.voldaan:
                click.echo(f"  x {c.id}: {c.waargenomen}")
                if c.herhaal:
                    click.echo(f"      opnieuw: {c.herhaal}")
    sys.exit(code)


def _as_harness(doelen):
    """The targets as the harness reaches them on a TLS chain: trusting the test CA and the
    partner's ``--ca``, showing the harness's own certificate of the test CA."""
    from simulators import pki as testpki

    from .targets import Tls

    cert, key = testpki.client_files("harness")
    bundle = testpki.trust_bundle(*([doelen.tls.ca] if doelen.tls.ca else []))
    return replace(doelen, tls=Tls(bundle, cert, key))


def _print_summary(path: Path) -> None:
    if not path.exists():
        return
    rows = json.loads(path.read_text(encoding="utf-8"))
    click.echo("\nSamenvatting per suite en hop:")
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        groups.setdefault((row["suite"], row["hop"]), []).append(row)
    for (suite, hop), items in sorted(groups.items()):
        passed = sum(1 for i in items if i["uitkomst"] == "geslaagd")
        click.echo(f"  {suite:<10} {hop:<18} geslaagd {passed:>3}  mislukt {len(items) - passed:>3}")
        for item in items:
            if item["uitkomst"] != "geslaagd":
                click.echo(f"      x {item['scenario']}: {item['eerste_regel']}")
    _print_books(rows)


BOEK_KOLOMMEN = ("verzonden", "herhaald", "afgeleverd", "dubbel_onderdrukt", "verloren", "gedupliceerd",
                 "onverwacht", "open", "mislukt")


def _print_books(rows: list[dict]) -> None:
    """The chain's books summed over every scenario: per hop, nothing lost or doubled."""
    totals: dict[str, dict[str, int]] = {}
    for row in rows:
        for hop in (row.get("boekhouding") or {}).get("hops", []):
            entry = totals.setdefault(f"{hop['hop']} {hop['soort']}", dict.fromkeys(BOEK_KOLOMMEN, 0))
            for kolom in BOEK_KOLOMMEN:
                entry[kolom] += hop.get(kolom, 0)
    if not totals:
        return
    click.echo("\nBoekhouding per hop, opgeteld over de scenario's zonder @harness-speelt-partij "
               "(onverwacht: "
               "ontvangen zonder afzender in een journaal, zoals uploads die de harness zelf doet):")
    click.echo(f"  {'hop':<26}" + "".join(f"{k[:11]:>12}" for k in BOEK_KOLOMMEN))
    for naam, entry in totals.items():
        click.echo(f"  {naam:<26}" + "".join(f"{entry[k]:>12}" for k in BOEK_KOLOMMEN))
    open_ = [naam for naam, e in totals.items() if e["verloren"] or e["gedupliceerd"] or e["open"]]
    click.echo("  sluitend: niets verloren, niets dubbel verwerkt, niets open" if not open_
               else f"  NIET sluitend: {', '.join(open_)}")


@main.command()
@click.option("--uit", "uit", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write to (made if missing).")
@click.option("--email", help="Also write a person's key and certificate, for this address.")
@click.option("--naam", default="Test Persoon", show_default=True, help="The person's name (CN).")
@click.option("--gemeente", "gemeentecode", default="0363", show_default=True,
              help="The person's gemeente (organizationIdentifier GM<code>).")
@click.option("--client", "clients", multiple=True, metavar="ORGANISATIE",
              help="Also write a TLS client certificate for the TLS chain: a gemeentecode (a vendor's "
              "software for that gemeente), or gemeente, ggk, rinis, cbs or harness (repeat).")
@click.option("--label", default="", help="With --client: who uses it, as the certificate's CN "
              "(e.g. a vendor's product); the organisation stays the one named.")
@click.option("--server", "servers", multiple=True, metavar="NAAM",
              help="Also write a TLS server certificate for a partner's endpoint (e.g. rinis), valid for "
              "localhost, 127.0.0.1, ::1 and every --host (repeat).")
@click.option("--host", "hosts", multiple=True, metavar="NAAM|IP",
              help="With --server: a host name or address the endpoint is reached at (repeat).")
def pki(uit, email, naam, gemeentecode, clients, label, servers, hosts) -> None:
    """Write the harness's test CA (ca.pem) and what a partner needs with it.

    
    --email: a person's key and certificate, to sign opt-ins (docs/ondertekening.md);
    --client: a TLS client certificate, what a vendor's or partner's software shows the TLS
      chain ('ketentest up --tls'), e.g. --client 0363 for a gemeente's software;
    --server: a TLS server certificate for a partner's endpoint that the harness trusts
      ('ketentest run --tls --target ...'; docs/conformiteit.md).
    Test keys only: anyone can make the same ones."""
    from cryptography.hazmat.primitives import serialization

    from simulators import pki as testpki
    from simulators.gmsd.gemeenten import gemeenten

    for organisatie in clients:  # every name checked before anything is written
        if organisatie not in testpki.PARTY_ORGANISATIONS and organisatie not in gemeenten():
            partijen = ", ".join(testpki.PARTY_ORGANISATIONS)
            raise click.ClickException(f"--client '{organisatie}' is geen partij ({partijen}) en geen "
                                       "bekende gemeentecode")
    uit.mkdir(parents=True, exist_ok=True)
    (uit / "ca.pem").write_bytes(testpki.ca_pem())
    click.echo(f"test-CA: {uit / 'ca.pem'}")
    for organisatie in clients:
        naam_org = f"Gemeente {gemeenten()[organisatie]}" if organisatie in gemeenten() else ""
        paar = testpki.client_certificate(organisatie, naam_org, label=label)
        _write_pair(uit, f"client-{organisatie}", paar, testpki.private_key_pem(paar))
    for server in servers:
        paar = testpki.server_certificate(server, tuple(hosts))
        _write_pair(uit, f"server-{server}", paar, testpki.private_key_pem(paar))
    if email:
        if gemeentecode not in gemeenten():
            raise click.ClickException(f"gemeentecode '{gemeentecode}' is onbekend")
        paar = testpki.persoon(email, naam, gemeentecode, gemeenten()[gemeentecode])
        cert, sleutel = uit / f"{email}.pem", uit / f"{email}.key"
        cert.write_bytes(paar.certificaat_pem)
        sleutel.write_bytes(paar.sleutel.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        click.echo(f"certificaat: {cert}\nsleutel: {sleutel}")


def _write_pair(uit: Path, stem: str, paar, sleutel: bytes) -> None:
    cert, key = uit / f"{stem}.pem", uit / f"{stem}.key"
    cert.write_bytes(paar.certificaat_pem)
    key.touch(mode=0o600)
    key.write_bytes(sleutel)
    click.echo(f"certificaat: {cert}\nsleutel: {key}")


@main.command()
@click.option("--markdown", is_flag=True, help="Print as Markdown (the source of docs/steps.md).")
def steps(markdown) -> None:
    """List every step sentence with its parameters and an example."""
    # The step vocabulary sits above the harness in the house (steps import ketentest, never
    # the other way round): ask it in a process of its own, as `run` asks pytest.
    functie = "als_markdown" if markdown else "als_tekst"
    code = f"import sys; from steps.catalogus import {functie}; sys.stdout.write({functie}())"
    result = subprocess.run([sys.executable, "-c", code], cwd=project_root(), capture_output=True,
                            text=True, encoding="utf-8")
    if result.returncode:
        raise click.ClickException(f"de stappen konden niet worden gelezen: {result.stderr.strip()[-500:]}")
    click.echo(result.stdout, nl=False)


@main.command()
@click.option("--report", "report_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("reports"), show_default=True)
def report(report_dir) -> None:
    """Turn REPORT/allure-results into one HTML file, REPORT/allure-report/index.html.

    Uses Allure 3 (npm package 'allure') through npx; needs Node.js 18+ and npm.
    """
    results = report_dir / "allure-results"
    if not results.is_dir():
        raise click.ClickException(f"{results} bestaat niet: draai eerst 'ketentest run'")
    overview = write_overview(results, report_dir / "resultaten.html")
    click.echo(f"overzicht: {overview.resolve()}")
    if shutil.which("npx") is None or shutil.which("npm") is None:
        click.echo("Allure-rapport niet gemaakt: Node.js (18+) met npm ontbreekt. Installeer het "
                   "(bijvoorbeeld 'apt-get install nodejs npm') en draai 'ketentest report' opnieuw; "
                   "het overzicht hierboven werkt zonder.", err=True)
        return
    out = report_dir / "allure-report"
    tools = project_root() / ".tools" / "allure"
    tools.mkdir(parents=True, exist_ok=True)
    binary = tools / "node_modules" / ".bin" / "allure"
    try:
        if not binary.exists():
            subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(tools),
                            "allure@3"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([str(binary), "awesome", str(results), "-o", str(out), "--single-file",
                        "--report-language", "nl"], check=True, stdout=subprocess.DEVNULL)
    except (subprocess.CalledProcessError, OSError) as exc:
        click.echo(f"Allure-rapport niet gemaakt ({exc}); het overzicht hierboven is er wel.",
                   err=True)
        return
    click.echo(f"rapport: {(out / 'index.html').resolve()}")


@main.command()
@click.option("--gemeenten", type=int, default=None, help="Gemeenten that deliver, each a Locust user "
              "(default: every gemeente of H1 2016, 390).")
@click.option("--duur", type=float, default=30.0, show_default=True,
              help="Seconds within which every gemeente has started its delivery.")
@click.option("--piek", type=float, default=None, help="The deadline rush: half of the gemeenten start "
              "in the last PIEK seconds of --duur, the other half evenly before (default: all evenly).")
@click.option("--wacht", type=float, default=300.0, show_default=True,
              help="Seconds a gemeente waits for its technical reports before it counts them as failed.")
@click.option("--rijen", type=int, default=25, show_default=True, help="Clients in each WMO file.")
@click.option("--processes", type=int, default=0, show_default=True,
              help="Locust workers on this machine (processes; 0: Locust in one process).")
@click.option("--master", is_flag=True, help="Be Locust's master for workers on other machines "
              "('ketentest last --worker --master-host HOST' there).")
@click.option("--expect-workers", type=int, default=1, show_default=True,
              help="With --master: start when this many workers have joined.")
@click.option("--worker", is_flag=True, help="Be a Locust worker of the master at --master-host; the "
              "master hands over the plan and the target.")
@click.option("--master-host", default=None, help="With --worker: the master's address.")
@click.option("--master-port", type=int, default=5557, show_default=True, help="The master's port.")
@click.option("--master-timeout", type=float, default=60.0, show_default=True,
              help="Seconds a worker waits to reach its master, and a master for its workers.")
@click.option("--target", "targets", multiple=True, metavar="PARTIJ=URL",
              help="A partner's real endpoint plays this party; the harness plays the others.")
@click.option("--ca", default=None, help="CA bundle (PEM) to trust the partner's certificate.")
@click.option("--cert", default=None, help="Client certificate (PEM) for mutual TLS.")
@click.option("--key", default=None, help="Private key of --cert (PEM).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Where the harness's parties listen (another machine's workers must reach the GGk).")
@click.option("--storing", "storingen", multiple=True, metavar="PARTIJ=SOORT[,naam=waarde]",
              help="Arm a fault on a simulated party before the load, e.g. rinis=503 (default: on the "
              "path it receives the chain's messages on, the next 20 requests; docs/storingen.md).")
@click.option("--report", "report_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("reports/last"), show_default=True,
              help="Where Locust's HTML report and CSVs, last.json and the chain's logs go.")
def last(gemeenten, duur, piek, wacht, rijen, processes, master, expect_workers, worker, master_host,
         master_port, master_timeout, targets, ca, cert, key, host, storingen, report_dir) -> None:
    """The deadline-day peak on Locust (docs/last.md): every gemeente uploads its WMO, SBO and
    JEUGD file to the GGk and waits for the technical reports, all within --duur seconds.

    \b
    ketentest last --duur 30 --processes 2 --report reports/last
    ketentest last --piek 10 --storing rinis=503
    ketentest last --master --expect-workers 4 --host 10.0.0.1     # machine A
    ketentest last --worker --master-host 10.0.0.1 --processes 2   # machines B and C

    Against the embedded chain by default (as 'ketentest up' starts it, the clock on 15 August
    2016). Writes REPORT/locust.html, REPORT/locust_*.csv and REPORT/last.json and prints the
    summary; exit code 0 only when every file was answered, nothing failed and nothing was lost
    or doubled, 1 otherwise, 2 when the run could not start.
    """
    from .last import runner as lastrunner
    from .last.plan import Plan, gemeentecodes

    try:
        if worker:
            if master or not master_host:
                raise lastrunner.LastError("een worker heeft --master-host nodig (en geen --master)")
            sys.exit(lastrunner.run_worker(master_host, master_port, master_timeout, processes))
        plan = Plan(len(gemeentecodes()) if gemeenten is None else gemeenten, duur, piek, wacht, rijen)
        try:
            doelen = make_targets(list(targets), None, ca, cert, key, host, [])
        except TargetError as exc:
            raise lastrunner.LastError(str(exc)) from None
        opties = lastrunner.Opties(plan, report_dir, processes, master, expect_workers, master_port,
                                   master_timeout, host, doelen, tuple(storingen))
        samenvatting = lastrunner.run(opties, lambda regel: click.echo(regel) or sys.stdout.flush())
    except lastrunner.LastError as exc:
        raise CommandError(str(exc)) from None
    click.echo(samenvatting.als_tekst(report_dir))
    sys.exit(0 if samenvatting.geslaagd else 1)


if __name__ == "__main__":
    main()

