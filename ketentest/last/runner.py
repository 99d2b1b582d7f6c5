"""``ketentest last`` on the harness's side: start the chain, arm the faults, run Locust,
read the books, summarise.

Locust runs as a process of its own (``python -m locust -f locustfile.py``): it patches
its whole process with gevent, and this process starts the chain's party processes and
reads their books with plain threads and ``requests``. The chain is the embedded one,
as ``ketentest up`` starts it (each party its own process, the clock on 15 August 2016,
no timeline), in ``REPORT/keten``, on free loopback ports; on the usual ports 8101-8104
when another machine must reach it (``--host``), or with targets, where a partner's
endpoint plays a party, the harness the others, and the partner calls them back.
"""

from __future__ import annotations

import json
import math
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import requests

from simulators.chain import DEFAULT_PORTS, PARTIES, ChainStartError, ProcessChain

from ..boekhouding import Boeken, boeken
from ..targets import TargetError, Targets, check_reachable
from .plan import KLOK, Plan, gemeentecodes
from .summary import Samenvatting, samenvatten

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
STORING_PAD = {"gemeente": "/notificaties", "ggk": "/stuf/", "rinis": "/stuf/", "cbs": "/rinis/"}
"""Where a party meets a fault of ``--storing`` by default: where it receives from the chain,
never the gemeenten's uploads (their failures would be the load's, not the chain's)."""
STORING_AANTAL = 20
STORING_VELDEN = ("pad", "aantal", "seconden", "code", "duur")
MASTER_PORT = 5557  # Locust's own default
POLLS = 4
"""Long-polls the gemeenten keep at the GGk at a time, over all Locust processes: half its threads."""


class LastError(RuntimeError):
    """A run that cannot start or finish as asked: one Dutch sentence, exit code 2."""


@dataclass
class Opties:
    """How to run: the plan, where the report goes, how Locust is spread, what is targeted."""

    plan: Plan
    report: Path
    processes: int = 0
    master: bool = False
    expect_workers: int = 1
    master_port: int = MASTER_PORT
    master_timeout: float = 60.0
    host: str = "127.0.0.1"
    doelen: Targets = field(default_factory=Targets)
    storingen: tuple[str, ...] = ()


def lees_storing(waarde: str) -> tuple[str, dict]:
    """``rinis=503`` or ``rinis=traag,seconden=0.5,aantal=50`` -> (party, fault for PUT /_beheer/storing)."""
    partij, sep, rest = waarde.partition("=")
    soort, *velden = rest.split(",")
    if not sep or partij not in PARTIES or not soort:
        raise LastError(f"'{waarde}': gebruik --storing PARTIJ=SOORT[,naam=waarde...], bijvoorbeeld "
                        "rinis=503 of rinis=503,aantal=5")
    storing: dict = {"soort": soort, "pad": STORING_PAD[partij], "aantal": STORING_AANTAL}
    for veld in velden:
        naam, sep, tekst = veld.partition("=")
        if not sep or naam not in STORING_VELDEN:
            raise LastError(f"'{veld}' in --storing {waarde}: gebruik naam=waarde met naam een van "
                            f"{', '.join(STORING_VELDEN)}")
        try:
            storing[naam] = (tekst if naam in ("pad", "code") else int(tekst) if naam == "aantal"
                             else float(tekst))
        except ValueError:
            raise LastError(f"'{veld}' in --storing {waarde}: {naam} is een getal") from None
    return partij, storing


def check(opties: Opties) -> list[tuple[str, dict]]:
    """Everything that can be refused before anything starts; the faults to arm."""
    try:
        opties.plan.check(len(gemeentecodes()))
    except ValueError as exc:
        raise LastError(str(exc)) from None
    if opties.processes < 0 or opties.expect_workers < 1:
        raise LastError("--processes is 0 of meer en --expect-workers 1 of meer")
    if opties.master and opties.processes:
        raise LastError("--master en --processes gaan niet samen: start de workers op deze machine met "
                        "'ketentest last --worker --master-host 127.0.0.1'")
    storingen = [lees_storing(waarde) for waarde in opties.storingen]
    extern = [partij for partij, _ in storingen if partij in opties.doelen.urls]
    if extern:
        raise LastError(f"{extern[0]} is een partner (--target): een storing zet de harness alleen bij "
                        "een partij die hij zelf speelt")
    try:
        check_reachable(opties.doelen)
    except TargetError as exc:
        raise LastError(str(exc)) from None
    return storingen


def run(opties: Opties, echo: Callable[[str], None]) -> Samenvatting:
    """One deadline-day run against the embedded chain (or the partners of ``doelen``)."""
    storingen = check(opties)
    report = opties.report.resolve()
    report.mkdir(parents=True, exist_ok=True)
    for old in ("locust.json", "last.json"):
        (report / old).unlink(missing_ok=True)
    state = report / "keten"
    shutil.rmtree(state, ignore_errors=True)
    doelen = opties.doelen
    options = {p: {"tls": doelen.tls.__dict__} for p in PARTIES} if doelen else {}
    vast = bool(doelen) or opties.host not in ("127.0.0.1", "localhost")  # others call them: known ports
    ports = {p: DEFAULT_PORTS[p] for p in PARTIES if p not in doelen.urls} if vast else {}
    chain = ProcessChain(state, klok=KLOK, host=opties.host, ports=ports, options=options, extern=doelen.urls)
    try:
        chain.start()
    except (ChainStartError, OSError) as exc:
        raise LastError(f"de keten start niet: {exc}") from None
    try:
        urls = chain.urls
        eigen = {p: u for p, u in urls.items() if p not in doelen.urls}
        for partij, url in urls.items():
            echo(f"{'partner' if partij in doelen.urls else 'keten'} {partij} {url}")
        for partij, storing in storingen:
            arm(partij, eigen[partij], storing)
            echo(f"storing bij {partij}: {beschrijf(storing)}")
        if opties.master:
            echo(f"master op poort {opties.master_port}: wacht op {opties.expect_workers} worker(s), "
                 f"ten hoogste {opties.master_timeout:g} s")
        echo(f"Locust: {opties.plan.beschrijving()}; verloop in {report / 'locust.log'}")
        cijfers = run_locust(opties, urls["ggk"], report)
        books = None
        if eigen:
            try:
                if not wait_quiet(eigen):
                    echo("let op: de keten liep niet binnen 60 s leeg; de boekhouding telt open werk")
                books = read_books(eigen)
            except requests.RequestException as exc:
                raise LastError(f"de boekhouding van de keten is niet te lezen: {exc}") from None
        samenvatting = samenvatten(cijfers, opties.plan, books, doelen.urls)
        samenvatting.write(report / "last.json")
        if books is not None:
            (report / "boekhouding.txt").write_text(books.als_tabel() + "\n", encoding="utf-8")
        return samenvatting
    finally:
        chain.stop()


def beschrijf(storing: dict) -> str:
    """A fault in Dutch, one line: ``503 op /stuf/, de volgende 20 verzoeken``."""
    delen = [f"{storing['soort']} op {storing.get('pad') or 'elk pad'}"]
    delen += [f"de volgende {storing['aantal']} verzoeken"] if storing.get("aantal") else []
    delen += [f"{naam} {storing[naam]}" for naam in ("seconden", "code", "duur") if storing.get(naam)]
    return ", ".join(delen)


def arm(partij: str, url: str, storing: dict) -> None:
    try:
        response = requests.put(f"{url}/_beheer/storing", json=storing, timeout=10)
    except requests.RequestException as exc:
        raise LastError(f"{partij} ({url}) is niet bereikbaar om een storing te zetten: {exc}") from None
    if response.status_code != 201:
        try:
            melding = response.json().get("melding")
        except ValueError:
            melding = None
        raise LastError(f"{partij} weigerde de storing {storing}: {melding or response.text[:300]}")


def locust_command(opties: Opties, ggk_url: str, report: Path) -> list[str]:
    plan, tls = opties.plan, opties.doelen.tls if "ggk" in opties.doelen.urls else None
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", ggk_url,
               "--html", str(report / "locust.html"), "--csv", str(report / "locust"), "--only-summary",
               "--gemeenten", str(plan.gemeenten), "--duur", str(plan.duur), "--piek", str(plan.piek or 0),
               "--wacht", str(plan.wacht), "--rijen", str(plan.rijen),
               "--polls", str(max(1, POLLS // workers(opties))),
               "--cijfers", str(report / "locust.json")]
    for naam, pad in (("--ggk-ca", tls and tls.ca), ("--ggk-cert", tls and tls.cert),
                      ("--ggk-key", tls and tls.key)):
        if pad:
            command += [naam, str(Path(pad).resolve())]
    if opties.processes:
        port = free_port()
        command += ["--processes", str(opties.processes), "--master-bind-host", "127.0.0.1",
                    "--master-bind-port", str(port), "--master-port", str(port)]
    elif opties.master:
        command += ["--master", "--expect-workers", str(opties.expect_workers), "--expect-workers-max-wait",
                    str(math.ceil(opties.master_timeout)), "--master-bind-port", str(opties.master_port)]
    return command


def workers(opties: Opties) -> int:
    """The Locust processes that will run gemeenten (a remote worker with --processes counts as several)."""
    return opties.processes or (opties.expect_workers if opties.master else 1)


def run_locust(opties: Opties, ggk_url: str, report: Path) -> dict:
    """Run Locust until the shape ends it; the master's figures, or :class:`LastError` saying why not."""
    log = report / "locust.log"
    limit = opties.plan.einde + 60 + (opties.master_timeout if opties.master else 0)
    command = locust_command(opties, ggk_url, report)
    with log.open("wb") as out:
        try:
            code = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, timeout=limit).returncode
        except subprocess.TimeoutExpired:
            raise LastError(f"Locust was na {limit:g} s nog niet klaar en is gestopt; zie {log}") from None
    figures = report / "locust.json"
    if figures.exists():
        return json.loads(figures.read_text(encoding="utf-8"))
    tekst = log.read_text(encoding="utf-8", errors="replace")
    if "Gave up waiting for workers" in tekst:
        raise LastError(f"niet alle {opties.expect_workers} worker(s) meldden zich binnen "
                        f"{opties.master_timeout:g} s bij de master op poort {opties.master_port}")
    staart = " | ".join(line for line in tekst.splitlines()[-3:] if line.strip())
    raise LastError(f"Locust stopte zonder uitslag (exit {code}): {staart or 'geen uitvoer'}")


def wait_quiet(urls: dict[str, str], timeout: float = 60.0) -> bool:
    """Until every simulated party has no open task, twice in a row (a hand-off in between
    wakes the next party); False when ``timeout`` passed first."""
    deadline = time.monotonic() + timeout
    quiet_rounds = 0
    with requests.Session() as session:
        while quiet_rounds < 2:
            rest = deadline - time.monotonic()
            if rest <= 0:
                return False
            answers = [session.post(f"{url}/_beheer/wacht", params={"seconden": f"{min(rest, 10):.1f}"},
                                    timeout=rest + 10) for url in urls.values()]
            quiet_rounds = quiet_rounds + 1 if all(a.status_code == 200 for a in answers) else 0
    return True


def read_books(urls: dict[str, str]) -> Boeken:
    """The books of the simulated parties. The gemeente's journal is left out: the Locust users,
    not the simulated gemeente, upload, so its journal would show every upload as unexpected."""
    with requests.Session() as session:
        def get(url: str, pad: str):
            response = session.get(url + pad, timeout=60)
            response.raise_for_status()
            return response.json()

        journalen = {p: get(u, "/journal") for p, u in urls.items() if p != "gemeente"}
        taken = {p: get(u, "/_beheer/taken") for p, u in urls.items() if p != "gemeente"}
        klok = datetime.fromisoformat(get(next(iter(urls.values())), "/_beheer/klok")["klok"])
    return boeken(journalen, taken, klok)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_master(host: str, port: int, timeout: float) -> None:
    """Until something listens on the master's port; :class:`LastError` when nothing does in time."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=min(5.0, max(0.1, timeout))):
                return
        except OSError as exc:
            if time.monotonic() >= deadline:
                raise LastError(f"de master op {host}:{port} is niet bereikbaar ({exc.strerror or exc}); "
                                f"start eerst 'ketentest last --master' daar, of geef --master-host en "
                                f"--master-port") from None
            time.sleep(0.5)


def run_worker(master_host: str, master_port: int, master_timeout: float, processes: int) -> int:
    """A worker (or ``processes`` of them) for the master at ``master_host``; Locust's own exit code.
    The master hands over the plan, the GGk's address and the TLS files' paths."""
    wait_for_master(master_host, master_port, master_timeout)
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--worker",
               "--master-host", master_host, "--master-port", str(master_port)]
    if processes:
        command += ["--processes", str(processes)]
    return subprocess.call(command, stdin=subprocess.DEVNULL)
