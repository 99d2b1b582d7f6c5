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

Why: chain tests run many deliveries; a slow round trip or a slow start makes every
scenario slow. The bare relay gives a machine-independent yardstick, so the ratio
(not the milliseconds) is what to watch across machines.

A benchmark reports, it does not fail: the exit code is 0 whatever the figures are,
but 1 when a round trip does not complete (no report after 10 s: a broken chain).

Run (from the repository root): ``PYTHONPATH=. .venv/bin/python bench/roundtrip.py [--n 50]
[--json PATH]``.
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
from datetime import datetime
from pathlib import Path

import requests

from bench.relay import Relay
from simulators.chain import PARTIES, Chain, ProcessChain
from simulators.clock import SimulatedClock

ROOT = Path(__file__).resolve().parent.parent
GEMEENTE = "0363"
START = datetime(2016, 8, 15, 9, 0)
REPORT_TIMEOUT = 10.0  # seconds; beyond this the chain is broken, not slow
TARGET_RATIO = 5.0
TARGET_START = 0.5  # seconds


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


# ------------------------------------------------------------------ 1. round trip


def last_download_id(session: requests.Session, ggk: str) -> int:
    listing = session.get(f"{ggk}/api/v1/gemeenten/{GEMEENTE}/downloads", timeout=5).json()
    return max((item["id"] for item in listing), default=0)


def one_round_trip(session: requests.Session, urls: dict[str, str], seed: int,
                   rijen: int) -> tuple[float, float]:
    """One delivery; returns (seconds until the report is there, seconds until the upload
    was answered). Raises BrokenChainError when no report comes within REPORT_TIMEOUT."""
    ggk = urls["ggk"]
    after = last_download_id(session, ggk)
    t0 = time.perf_counter()
    response = session.post(f"{urls['gemeente']}/api/v1/aanleveringen",
                            json={"rijen": rijen, "seed": seed}, timeout=REPORT_TIMEOUT)
    uploaded = time.perf_counter() - t0
    if response.status_code != 201:
        raise BrokenChainError(f"upload refused: HTTP {response.status_code} {response.text[:300]}")
    references = {ref["referentie"] for upload in response.json()["uploads"]
                  for ref in upload["referenties"]}
    deadline = t0 + REPORT_TIMEOUT
    while (remaining := deadline - time.perf_counter()) > 0:
        new = session.get(f"{ggk}/api/v1/gemeenten/{GEMEENTE}/downloads",
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


def chain_idle(session: requests.Session, urls: dict[str, str], timeout: float) -> bool:
    """Every party quiet (its task list empty), asked over HTTP twice in a row: the return
    channel makes work for a party that looked idle a moment before."""
    for _round in range(2):
        for url in urls.values():
            if session.post(f"{url}/_beheer/wacht", params={"seconden": timeout},
                            timeout=timeout + 5).status_code != 200:
                return False
    return True


# ------------------------------------------------------------------ 1 + 2, interleaved


def bench_trips(n: int, warmup: int, rijen: int) -> dict:
    """Round trips and bare relays, alternately, so that a change in the machine's speed
    during the run (a shared VM) weighs on both alike and the ratio stays fair.

    Raises BrokenChainError (after printing every thread's stack) when a delivery fails.
    """
    with tempfile.TemporaryDirectory(prefix="bench-roundtrip-") as state_dir:
        with watchdog("starting the chain", 60):
            t0 = time.perf_counter()
            chain = ProcessChain(Path(state_dir), START.isoformat())
            chain.start()
            first_start = time.perf_counter() - t0
        trips, uploads, relays = [], [], []
        body = b"x" * (rijen * 120)  # about the size of a WMO file of `rijen` clients
        try:
            with Relay() as relay_chain, requests.Session() as session:
                for i in range(warmup + n):
                    with watchdog(f"round trip {i}", 2 * REPORT_TIMEOUT + 10):
                        trip, upload = one_round_trip(session, chain.urls, i, rijen)
                        # Let the tail (GGk notifies the gemeente, which fetches the
                        # report) finish untimed, so nothing overlaps the next timing.
                        if not chain_idle(session, chain.urls, REPORT_TIMEOUT):
                            raise BrokenChainError(f"chain not idle {REPORT_TIMEOUT:g} s after "
                                                   f"delivery {i}")
                    with watchdog(f"relay {i}", 30):
                        relay = one_relay(relay_chain, body)
                    if i >= warmup:
                        trips.append(trip)
                        uploads.append(upload)
                        relays.append(relay)
        except (BrokenChainError, requests.RequestException) as exc:
            dump_threads(f"BROKEN CHAIN: {exc} (state: {state_dir})")
            raise BrokenChainError(str(exc)) from exc
        finally:
            with watchdog("stopping the chain", 30):
                chain.stop()
    return {"round_trip": summary(trips), "upload_answered": summary(uploads),
            "relay": summary(relays), "first_chain_start_s": first_start}


# ------------------------------------------------------------------ 4. chain start


def wait_healthy(urls: dict[str, str], deadline: float) -> None:
    """Poll each /health until it answers 200; a short sleep between failed tries."""
    with requests.Session() as session:
        for name, url in urls.items():
            while True:
                try:
                    if session.get(f"{url}/health", timeout=1).status_code == 200:
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


def start_cli_once(command: list[str], timeout: float = 15.0) -> float:
    """Seconds from launching ``ketentest up`` until all four parties answer /health."""
    env = os.environ | {"PYTHONUNBUFFERED": "1",
                        "PYTHONPATH": os.pathsep.join(
                            p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    with tempfile.TemporaryDirectory(prefix="bench-up-") as state_dir, \
            tempfile.TemporaryFile() as stderr:
        t0 = time.perf_counter()
        process = subprocess.Popen([*command, "--state-dir", state_dir], cwd=ROOT, env=env,
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
            wait_healthy(urls, deadline)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50, help="timed iterations (default 50)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed iterations first")
    parser.add_argument("--rijen", type=int, default=25, help="clients per WMO file")
    parser.add_argument("--starts", type=int, default=5, help="chain starts to time")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write figures as JSON")
    args = parser.parse_args(argv)
    if args.n < 1 or args.warmup < 0 or args.starts < 1:
        parser.error("--n and --starts must be >= 1, --warmup >= 0")

    results: dict = {"context": context(), "iterations": args.n, "warmup": args.warmup,
                     "rijen": args.rijen}
    try:
        results |= bench_trips(args.n, args.warmup, args.rijen)
    except BrokenChainError:
        return 1
    results["ratio"] = results["round_trip"]["median_ms"] / results["relay"]["median_ms"]
    results["start"] = bench_start(args.starts)
    results["targets"] = {"ratio_max": TARGET_RATIO, "chain_start_max_s": TARGET_START}
    print_report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
