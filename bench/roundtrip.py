"""Benchmark: how long one GMSD delivery takes through the simulated chain, and why.

Measures, in one run on this machine:

1. **Round trip**: a gemeente upload (``POST /api/v1/aanleveringen``) until the CBS
   technical report stands in the gemeente's download area at the GGk, over loopback,
   through all four simulators (gemeente -> GGk -> RINIS -> CBS -> RINIS -> GGk), each in its
   own process (:class:`simulators.chain.ProcessChain`, as ``ketentest up`` runs them).
   The end is seen with the GGk's long-poll (``downloads?na=<last id>&wacht=10``),
   which answers as soon as the report is there: no polling loop in the timing.
2. **Bare relay**: four minimal Flask apps on the same server stack (waitress via
   :class:`simulators.server.ServedApp`, ``requests`` sessions kept alive), one process
   each (``bench/relay.py``), app1 calling app2 calling app3 calling app4 with a body of the
   upload's size. This is the floor the HTTP stack alone
   sets for a four-party chain; the round trip is compared against it. Round trips
   and relays alternate in one loop, so a shared VM's changing speed hits both alike.
3. **Ratio** round trip / bare relay (target: <= 5x). It tells how much of a delivery
   is the simulators' own work (XML, SQLite, PDFs, tasks) rather than plumbing.
4. **Chain start**: ``ketentest up`` in a new process until all four parties answer
   ``/health`` (target: <= 0.5 s), and ``Chain.start()`` in-process for comparison.
5. **TLS chain** (``--tls``, issue 20): a second ``ProcessChain(tls=True)`` (HTTPS with mutual
   TLS, cheroot + Python's ``ssl``) runs beside the plain one, and the same round trip over it
   is timed in the same loop (plain and TLS take turns going first, then the relay), showing
   the certificate the harness shows there: its own (``harness``) for the gemeente simulator's
   upload and the control API, the gemeente's (``0363``) for the GGk's download long-poll.
   Reported: TLS / plain and TLS / relay; ``GET /health`` on a kept-alive connection and on a
   new one per call, plain and TLS (what a request and a handshake cost); and the start of a
   ``ProcessChain`` and of ``ketentest up`` until all four answer ``/health``, plain and TLS
   in turns.

Why: chain tests run many deliveries; a slow round trip or a slow start makes every
scenario slow. The bare relay gives a machine-independent yardstick, so the ratio
(not the milliseconds) is what to watch across machines.

A benchmark reports, it does not fail: the exit code is 0 whatever the figures are,
but 1 when a round trip does not complete (no report after 10 s: a broken chain).

Run (from the repository root): ``PYTHONPATH=. .venv/bin/python bench/roundtrip.py [--n 50]
[--tls] [--json PATH]``.
"""

from __future__ import annotations

import argparse
import contextlib
import faulthandler
import json
import math
import os
import platform
import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import requests

from bench.relay import Relay
from simulators import pki
from simulators.chain import PARTIES, Chain, ProcessChain
from simulators.clock import SimulatedClock

ROOT = Path(__file__).resolve().parent.parent
GEMEENTE = "0363"
START = datetime(2016, 8, 15, 9, 0)
REPORT_TIMEOUT = 10.0  # seconds; beyond this the chain is broken, not slow
TARGET_RATIO = 5.0
TARGET_START = 0.5  # seconds
HARNESS = "harness"  # the certificate of the harness: control API, journal, the gemeente's upload API
HEALTH_CALLS = 30  # per kind of /health call in the TLS cost breakdown


class BrokenChainError(RuntimeError):
    """A delivery did not come back as a report in time."""


def dump_threads(why: str) -> None:
    """Every thread's stack to stderr: what a stuck chain is waiting for."""
    sys.stdout.flush()
    print(f"\n{why}\nStacks of all threads:", file=sys.stderr, flush=True)
    faulthandler.dump_traceback(sys.stderr, all_threads=True)


@contextlib.contextmanager
def watchdog(what: str, seconds: float) -> Iterator[None]:
    """End the process (exit 1, with every thread's stack) if ``what`` takes longer.

    A deadlock in the chain blocks on a lock without time-out (in a request, in
    ``wait_idle()`` or in ``stop()``); a benchmark must then fail, not hang.
    """
    def fire() -> None:
        dump_threads(f"BROKEN CHAIN: {what} did not finish within {seconds:g} s (a deadlock?)")
        os._exit(1)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


# ------------------------------------------------------------------ statistics


def summary(samples: list[float]) -> dict[str, float]:
    """Median, p90 (nearest rank), min and max of samples in seconds, as milliseconds."""
    ordered = sorted(samples)
    p90 = ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]
    return {"n": len(ordered), "median_ms": statistics.median(ordered) * 1000,
            "p90_ms": p90 * 1000, "min_ms": ordered[0] * 1000, "max_ms": ordered[-1] * 1000}


# ------------------------------------------------------------------ the harness as a client


@dataclass(frozen=True)
class Client:
    """The benchmark's kept-alive session to a chain; on a TLS chain every call shows the
    test CA's client certificate of ``als`` (``harness`` or a gemeentecode), as the harness's
    drivers do (``steps/drivers/base.py``).

    ``verify`` and ``cert`` go with each call, not on the session: ``requests`` lets
    ``REQUESTS_CA_BUNDLE`` in the environment override a session's ``verify``. urllib3 keeps a
    pool per certificate, so each role keeps its own connections alive. Without TLS a call is
    the session's plain call, as before issue 20.
    """

    session: requests.Session
    tls: bool = False

    def request(self, method: str, url: str, *, als: str = HARNESS, **kwargs) -> requests.Response:
        if self.tls:
            kwargs.setdefault("verify", str(pki.ca_bestand()))
            kwargs.setdefault("cert", pki.client_files(als))
        return self.session.request(method, url, **kwargs)


# ------------------------------------------------------------------ 1. round trip


def last_download_id(client: Client, ggk: str) -> int:
    listing = client.request("GET", f"{ggk}/api/v1/gemeenten/{GEMEENTE}/downloads", als=GEMEENTE,
                             timeout=5).json()
    return max((item["id"] for item in listing), default=0)


def one_round_trip(client: Client, urls: dict[str, str], seed: int,
                   rijen: int) -> tuple[float, float]:
    """One delivery; returns (seconds until the report is there, seconds until the upload
    was answered). Raises BrokenChainError when no report comes within REPORT_TIMEOUT.
    The upload API is the harness's; the download area is the gemeente's own (its certificate)."""
    ggk = urls["ggk"]
    after = last_download_id(client, ggk)
    t0 = time.perf_counter()
    response = client.request("POST", f"{urls['gemeente']}/api/v1/aanleveringen",
                              json={"rijen": rijen, "seed": seed}, timeout=REPORT_TIMEOUT)
    uploaded = time.perf_counter() - t0
    if response.status_code != 201:
        raise BrokenChainError(f"upload refused: HTTP {response.status_code} {response.text[:300]}")
    references = {ref["referentie"] for upload in response.json()["uploads"]
                  for ref in upload["referenties"]}
    deadline = t0 + REPORT_TIMEOUT
    while (remaining := deadline - time.perf_counter()) > 0:
        new = client.request("GET", f"{ggk}/api/v1/gemeenten/{GEMEENTE}/downloads", als=GEMEENTE,
                             params={"na": after, "wacht": f"{remaining:.3f}"},
                             timeout=remaining + 5).json()
        if any(item["correlatie"] in references for item in new):
            return time.perf_counter() - t0, uploaded
        after = max((item["id"] for item in new), default=after)  # someone else's download
    raise BrokenChainError(f"no report for upload {sorted(references)} after {REPORT_TIMEOUT:.0f} s")


# ------------------------------------------------------------------ 2. bare relay


def one_relay(relay: Relay, body: bytes) -> float:
    t0 = time.perf_counter()
    relay.move([body], [], threads=1)
    return time.perf_counter() - t0


def chain_idle(client: Client, urls: dict[str, str], timeout: float) -> bool:
    """Every party quiet (its task list empty), asked over HTTP twice in a row: the return
    channel makes work for a party that looked idle a moment before."""
    for _round in range(2):
        for url in urls.values():
            if client.request("POST", f"{url}/_beheer/wacht", params={"seconden": timeout},
                              timeout=timeout + 5).status_code != 200:
                return False
    return True


# ------------------------------------------------------------------ 1 + 2 (+ 5), interleaved


def start_chain(state_dir: str, tls: bool) -> tuple[ProcessChain, float]:
    """A ProcessChain in ``state_dir`` (plain or TLS) and the seconds its start took."""
    with watchdog(f"starting the {'TLS ' if tls else ''}chain", 60):
        t0 = time.perf_counter()
        chain = ProcessChain(Path(state_dir), START.isoformat(), tls=tls)
        chain.start()
        return chain, time.perf_counter() - t0


def timed_delivery(client: Client, chain: ProcessChain, i: int, rijen: int) -> tuple[float, float]:
    """One round trip (see :func:`one_round_trip`), then, untimed, the tail (GGk notifies the
    gemeente, which fetches the report) until the chain is idle, so nothing overlaps the next
    timing."""
    with watchdog(f"round trip {i}{' (TLS)' if client.tls else ''}", 2 * REPORT_TIMEOUT + 10):
        trip, upload = one_round_trip(client, chain.urls, i, rijen)
        if not chain_idle(client, chain.urls, REPORT_TIMEOUT):
            raise BrokenChainError(f"{'TLS ' if client.tls else ''}chain not idle "
                                   f"{REPORT_TIMEOUT:g} s after delivery {i}")
    return trip, upload


def bench_trips(n: int, warmup: int, rijen: int, tls: bool = False) -> dict:
    """Round trips and bare relays, alternately, so that a change in the machine's speed
    during the run (a shared VM) weighs on both alike and the ratio stays fair. With ``tls``
    a TLS chain runs beside the plain one and each iteration also times a round trip over it;
    plain and TLS take turns going first, so neither always follows the relay.

    Raises BrokenChainError (after printing every thread's stack) when a delivery fails.
    """
    with contextlib.ExitStack() as stack:
        state_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-roundtrip-"))
        chain, first_start = start_chain(state_dir, tls=False)
        stack.callback(stop_chain, chain)
        clients = [Client(stack.enter_context(requests.Session()))]
        chains = [chain]
        if tls:
            tls_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-roundtrip-tls-"))
            tls_chain, tls_first_start = start_chain(tls_dir, tls=True)
            stack.callback(stop_chain, tls_chain)
            clients.append(Client(stack.enter_context(requests.Session()), tls=True))
            chains.append(tls_chain)
        samples: dict[bool, tuple[list[float], list[float]]] = {c.tls: ([], []) for c in clients}
        relays: list[float] = []
        body = b"x" * (rijen * 120)  # about the size of a WMO file of `rijen` clients
        try:
            relay_chain = stack.enter_context(Relay())
            for i in range(warmup + n):
                order = list(zip(clients, chains, strict=True))
                for client, each in (order if i % 2 == 0 else order[::-1]):
                    trip, upload = timed_delivery(client, each, i, rijen)
                    if i >= warmup:
                        samples[client.tls][0].append(trip)
                        samples[client.tls][1].append(upload)
                with watchdog(f"relay {i}", 30):
                    relay = one_relay(relay_chain, body)
                if i >= warmup:
                    relays.append(relay)
            health = bench_health(clients, chains) if tls else None
        except (BrokenChainError, requests.RequestException) as exc:
            dump_threads(f"BROKEN CHAIN: {exc} (state: {', '.join(str(c.state_dir) for c in chains)})")
            raise BrokenChainError(str(exc)) from exc
    trips, uploads = samples[False]
    result = {"round_trip": summary(trips), "upload_answered": summary(uploads),
              "relay": summary(relays), "first_chain_start_s": first_start}
    if tls:
        result["tls"] = {"round_trip": summary(samples[True][0]),
                         "upload_answered": summary(samples[True][1]),
                         "first_chain_start_s": tls_first_start, "health": health}
    return result


def stop_chain(chain: ProcessChain) -> None:
    with watchdog("stopping the chain", 30):
        chain.stop()


# ------------------------------------------------------------------ 5. what TLS costs per call


def time_health(client: Client, url: str, fresh: bool) -> float:
    """Seconds for one ``GET /health``: on the client's kept-alive connection, or (``fresh``)
    on a connection of its own, so the TCP connect and (on TLS) the handshake are in it."""
    if not fresh:
        t0 = time.perf_counter()
        client.request("GET", f"{url}/health", timeout=5).raise_for_status()
        return time.perf_counter() - t0
    with requests.Session() as session:
        once = Client(session, client.tls)
        t0 = time.perf_counter()
        once.request("GET", f"{url}/health", timeout=5).raise_for_status()
        return time.perf_counter() - t0


def bench_health(clients: list[Client], chains: list[ProcessChain]) -> dict:
    """``GET /health`` of the GGk, kept alive and on a new connection, plain and TLS, in
    turns: a new connection minus a kept-alive call is what connecting (and the handshake)
    costs; TLS minus plain on kept-alive calls is what TLS costs each request. The couriers
    keep their connections alive, so a delivery pays the handshake only on a courier
    thread's first call."""
    samples: dict[str, list[float]] = {}
    with watchdog("the /health calls", 120):
        for _ in range(HEALTH_CALLS):
            for client, chain in zip(clients, chains, strict=True):
                for fresh in (False, True):
                    key = f"{'tls' if client.tls else 'plain'}_{'new' if fresh else 'kept'}"
                    samples.setdefault(key, []).append(time_health(client, chain.urls["ggk"], fresh))
    return {key: summary(values) for key, values in samples.items()}


# ------------------------------------------------------------------ 4. chain start


def wait_healthy(urls: dict[str, str], deadline: float, tls: bool = False) -> None:
    """Poll each /health until it answers 200 (over TLS with the harness's certificate when
    ``tls``); a short sleep between failed tries."""
    with requests.Session() as session:
        client = Client(session, tls)
        for name, url in urls.items():
            while True:
                try:
                    if client.request("GET", f"{url}/health", timeout=1).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if time.perf_counter() > deadline:
                    raise TimeoutError(f"{name} ({url}) does not answer /health")
                time.sleep(0.002)


def cli_up_command() -> tuple[list[str] | None, str]:
    """The ``ketentest up`` command line, or None and why not."""
    if not (ROOT / "ketentest" / "cli.py").is_file():
        return None, "ketentest/cli.py does not exist"
    try:
        from ketentest import cli
    except Exception as exc:  # another engineer's work in progress: report, do not crash
        return None, f"ketentest.cli does not import ({type(exc).__name__}: {exc})"
    group = getattr(cli, "main", None)
    up = getattr(group, "commands", {}).get("up")
    if up is None:
        return None, "ketentest.cli has no 'up' command"
    command = [sys.executable, "-m", "ketentest.cli", "up"]
    # Free ports when the CLI offers them, so a running 'ketentest up' on 8101-8104
    # does not collide with the benchmark.
    if any("--ports" in getattr(p, "opts", ()) for p in up.params):
        command += ["--ports", "vrij"]
    return command, "ketentest up (new process)"


def start_cli_once(command: list[str], timeout: float = 15.0, tls: bool = False) -> float:
    """Seconds from launching ``ketentest up`` (with ``--tls`` when ``tls``) until all four
    parties answer /health."""
    env = os.environ | {"PYTHONUNBUFFERED": "1",
                        "PYTHONPATH": os.pathsep.join(
                            p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    with tempfile.TemporaryDirectory(prefix="bench-up-") as state_dir, \
            tempfile.TemporaryFile() as stderr:
        t0 = time.perf_counter()
        process = subprocess.Popen([*command, "--state-dir", state_dir, *(["--tls"] if tls else [])],
                                   cwd=ROOT, env=env,
                                   stdout=subprocess.PIPE, stderr=stderr, text=True)
        lines: queue.Queue[str | None] = queue.Queue()

        def read() -> None:
            for line in process.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=read, daemon=True).start()
        try:
            deadline = t0 + timeout
            urls: dict[str, str] = {}
            while len(urls) < len(PARTIES):
                try:
                    line = lines.get(timeout=max(0.0, deadline - time.perf_counter()))
                except queue.Empty:
                    raise TimeoutError(f"'ketentest up' printed {sorted(urls)} only") from None
                if line is None:
                    stderr.seek(0)
                    tail = stderr.read().decode(errors="replace")[-500:]
                    raise RuntimeError(f"'ketentest up' ended (rc {process.wait()}) after "
                                       f"printing {sorted(urls)}: {tail}")
                name, _, url = line.strip().partition(" ")
                if name in PARTIES and url.startswith("http"):
                    urls[name] = url
            wait_healthy(urls, deadline, tls)
            return time.perf_counter() - t0
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def start_in_process_once() -> tuple[float, float]:
    """(seconds for Chain.start(), seconds until all four answer /health) in this process."""
    with tempfile.TemporaryDirectory(prefix="bench-start-") as state_dir:
        t0 = time.perf_counter()
        chain = Chain(Path(state_dir), SimulatedClock(START))
        try:
            chain.start()
            started = time.perf_counter() - t0
            wait_healthy(chain.urls, t0 + 15)
            return started, time.perf_counter() - t0
        finally:
            chain.stop()


def bench_start(repeat: int) -> dict:
    with watchdog("the in-process chain starts", 60 * repeat):
        in_process = [start_in_process_once() for _ in range(repeat)]
    result: dict = {
        "inprocess_chain_start": summary([s for s, _ in in_process]),
        "inprocess_until_health": summary([h for _, h in in_process]),
    }
    command, why = cli_up_command()
    if command is not None:
        try:
            with watchdog("the 'ketentest up' starts", 60 * repeat):
                result["cli_until_health"] = summary([start_cli_once(command)
                                                      for _ in range(repeat)])
            result["measured"] = "cli"
            result["command"] = " ".join(["python", *command[1:]])
            return result
        except (RuntimeError, TimeoutError, OSError) as exc:
            why = f"'ketentest up' could not be measured ({exc})"
    result["measured"] = "inprocess"
    result["fallback_reason"] = why
    return result


def start_process_chain_once(tls: bool) -> float:
    """Seconds from ``ProcessChain(tls=...).start()`` (four new interpreters, as the benchmark's
    own chains) until all four answer /health (over TLS with the harness's certificate)."""
    with tempfile.TemporaryDirectory(prefix="bench-start-pc-") as state_dir:
        t0 = time.perf_counter()
        chain = ProcessChain(Path(state_dir), START.isoformat(), tls=tls)
        try:
            chain.start()
            wait_healthy(chain.urls, t0 + 30, tls)
            return time.perf_counter() - t0
        finally:
            chain.stop()


def cli_has_tls() -> bool:
    from ketentest import cli

    return any("--tls" in getattr(p, "opts", ()) for p in cli.main.commands["up"].params)


def bench_tls_start(repeat: int) -> dict:
    """Plain and TLS starts in turns (a shared VM's drift weighs on both alike): the
    ProcessChain the benchmark uses, and ``ketentest up`` (which forks its parties) when
    the CLI is there and has ``--tls``."""
    samples: dict[str, list[float]] = {}
    command, why = cli_up_command()
    if command is not None and not cli_has_tls():
        command, why = None, "ketentest up has no --tls"
    with watchdog("the TLS and plain starts", 120 * repeat):
        for _ in range(repeat):
            for tls in (False, True):
                kind = "tls" if tls else "plain"
                samples.setdefault(f"processchain_{kind}", []).append(start_process_chain_once(tls))
                if command is not None:
                    samples.setdefault(f"cli_{kind}", []).append(start_cli_once(command, tls=tls))
    result: dict = {key: summary(values) for key, values in samples.items()}
    if command is None:
        result["cli_missing_reason"] = why
    return result


# ------------------------------------------------------------------ report


def context() -> dict:
    return {"date": datetime.now().isoformat(timespec="seconds"),  # allowed here, not in simulators
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "cpu_count": os.cpu_count(), "platform": platform.platform(),
            # set here: every new process compiles the project's sources again
            "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", "")}


def row(label: str, figures: dict, unit: str = "ms") -> str:
    scale = 1 if unit == "ms" else 1 / 1000
    return (f"  {label:<34} {figures['median_ms'] * scale:9.3f} {figures['p90_ms'] * scale:9.3f}"
            f" {figures['min_ms'] * scale:9.3f}  {unit}  (n={figures['n']})")


def print_report(results: dict) -> None:
    ctx, start = results["context"], results["start"]
    print(f"ketentest bench - {ctx['date']} - Python {ctx['python']} - "
          f"{ctx['cpu_count']} CPUs - {ctx['platform']}"
          + (" - PYTHONDONTWRITEBYTECODE set" if ctx["PYTHONDONTWRITEBYTECODE"] else ""))
    print(f"\n  {'':<34} {'median':>9} {'p90':>9} {'min':>9}")
    print(row("round trip (upload -> report)", results["round_trip"]))
    print(row("  of which: upload answered", results["upload_answered"]))
    print(row("bare 4-hop relay (waitress)", results["relay"]))
    ratio = results["ratio"]
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    print(f"\n  ratio round trip / bare relay      {ratio:9.1f}x   "
          f"target: <= {TARGET_RATIO:g}x ({verdict})")
    print()
    if start["measured"] == "cli":
        label, main = "chain start: ketentest up->/health", start["cli_until_health"]
        print(f"  measured: '{start['command']}' in a new process, until all four /health")
    else:
        label, main = "chain start: in-process ->/health", start["inprocess_until_health"]
        print(f"  measured: IN-PROCESS Chain.start() + /health (fallback: "
              f"{start['fallback_reason']})")
    print(row(label, main, "s"))
    print(row("in-process Chain.start()", start["inprocess_chain_start"], "s"))
    print(row("in-process Chain.start() + /health", start["inprocess_until_health"], "s"))
    print(f"  {'first ProcessChain.start()':<34} {results['first_chain_start_s']:9.3f}"
          f" {'':>9} {'':>9}  s  (n=1, four processes until wired)")
    verdict = "met" if main["median_ms"] / 1000 <= TARGET_START else "NOT met"
    print(f"  target: <= {TARGET_START:g} s (median {main['median_ms'] / 1000:.3f} s: {verdict})")
    if "tls" in results:
        print_tls_report(results["tls"], results["round_trip"])


def print_tls_report(tls: dict, plain: dict) -> None:
    """The TLS chain's figures next to the plain chain's of the same run."""
    print("\n  TLS chain (mutual TLS, cheroot), in the same loop as the plain one:")
    print(f"  {'':<34} {'median':>9} {'p90':>9} {'min':>9}")
    print(row("round trip over TLS", tls["round_trip"]))
    print(row("  of which: upload answered", tls["upload_answered"]))
    print(f"  ratio TLS / plain round trip       {tls['ratio_to_plain']:9.2f}x   "
          f"(+{tls['round_trip']['median_ms'] - plain['median_ms']:.1f} ms)")
    print(f"  ratio TLS round trip / bare relay  {tls['ratio_to_relay']:9.1f}x")
    labels = {"plain_kept": "GET /health, kept alive, plain", "tls_kept": "GET /health, kept alive, TLS",
              "plain_new": "GET /health, new conn., plain", "tls_new": "GET /health, new conn., TLS"}
    for key, label in labels.items():
        print(row(label, tls["health"][key]))
    start = tls["start"]
    labels = {"processchain_plain": "ProcessChain.start()->/health", "processchain_tls":
              "ProcessChain(tls).start()->/health", "cli_plain": "ketentest up ->/health",
              "cli_tls": "ketentest up --tls ->/health"}
    for key, label in labels.items():
        if key in start:
            print(row(label, start[key], "s"))
    if "cli_missing_reason" in start:
        print(f"  ketentest up not measured: {start['cli_missing_reason']}")
    print(f"  {'first ProcessChain(tls).start()':<34} {tls['first_chain_start_s']:9.3f}"
          f" {'':>9} {'':>9}  s  (n=1)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50, help="timed iterations (default 50)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed iterations first")
    parser.add_argument("--rijen", type=int, default=25, help="clients per WMO file")
    parser.add_argument("--starts", type=int, default=5, help="chain starts to time")
    parser.add_argument("--tls", action="store_true",
                        help="also time a TLS chain (mutual TLS) beside the plain one")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write figures as JSON")
    args = parser.parse_args(argv)
    if args.n < 1 or args.warmup < 0 or args.starts < 1:
        parser.error("--n and --starts must be >= 1, --warmup >= 0")

    results: dict = {"context": context(), "iterations": args.n, "warmup": args.warmup,
                     "rijen": args.rijen}
    try:
        results |= bench_trips(args.n, args.warmup, args.rijen, args.tls)
    except BrokenChainError:
        return 1
    results["ratio"] = results["round_trip"]["median_ms"] / results["relay"]["median_ms"]
    results["start"] = bench_start(args.starts)
    if args.tls:
        tls = results["tls"]
        tls["ratio_to_plain"] = tls["round_trip"]["median_ms"] / results["round_trip"]["median_ms"]
        tls["ratio_to_relay"] = tls["round_trip"]["median_ms"] / results["relay"]["median_ms"]
        tls["start"] = bench_tls_start(args.starts)
    results["targets"] = {"ratio_max": TARGET_RATIO, "chain_start_max_s": TARGET_START}
    print_report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
