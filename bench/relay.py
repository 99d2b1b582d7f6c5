"""The physical anchor of the benchmarks: a bare relay of four minimal apps, one process each.

``app1 -> app2 -> app3 -> app4`` for what travels out (a gemeente's file towards CBS) and
``app4 -> app3 -> app2 -> app1`` for what travels back (a report towards the gemeente). Each
app is a minimal Flask app served by the simulators' own server stack (waitress through
:class:`simulators.server.ServedApp`) in its own process, and passes the body on to its
neighbour through a kept-alive ``requests`` session per worker thread, as the simulators'
courier does. Nothing is parsed, checked or stored: what a chain of four processes costs
on this machine when it does no work of its own. A benchmark divides by this, so its figure
is a ratio that travels between machines.

Used by ``bench/periode.py`` and ``bench/roundtrip.py``; ``python bench/relay.py serve NAME``
is one app's process (the same stdin/stdout handshake as ``simulators.serve``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from flask import Flask, Response, request

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("app1", "app2", "app3", "app4")


def relay_app(name: str, buren: dict[str, str]) -> Flask:
    """``POST /uit`` passes the body to the next app, ``POST /terug`` to the previous one;
    the app at the end answers 204."""
    app = Flask(name)
    local = threading.local()

    def session() -> requests.Session:
        if getattr(local, "session", None) is None:
            local.session = requests.Session()
            local.session.trust_env = False
        return local.session

    def pass_on(direction: str) -> Response:
        target = buren.get(direction)
        body = request.get_data()
        if target is None:
            return Response(status=204)
        answer = session().post(f"{target}/{direction}", data=body, timeout=60)
        return Response(status=answer.status_code)

    app.add_url_rule("/uit", "uit", lambda: pass_on("uit"), methods=["POST"])
    app.add_url_rule("/terug", "terug", lambda: pass_on("terug"), methods=["POST"])
    return app


def _serve(name: str) -> int:
    """One relay app in this process: print its URL, read its neighbours, serve until SIGTERM."""
    sys.path.insert(0, str(ROOT))
    from simulators.server import ServedApp

    buren: dict[str, str] = {}
    served = ServedApp(relay_app(name, buren))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(json.dumps({"url": served.url}), flush=True)
    buren.update(json.loads(sys.stdin.readline())["buren"])
    served.start()
    print(json.dumps({"klaar": True}), flush=True)
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait()
    served.stop()
    return 0


class Relay:
    """Four relay apps in four processes; ``with Relay() as relay: relay.uit(body)``."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen] = []
        self.urls: list[str] = []

    def __enter__(self) -> Relay:
        for name in NAMES:
            self.processes.append(subprocess.Popen(
                [sys.executable, __file__, "serve", name], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                text=True, bufsize=1, env=os.environ | {"PYTHONUNBUFFERED": "1"}))
        self.urls = [json.loads(p.stdout.readline())["url"] for p in self.processes]
        for index, process in enumerate(self.processes):
            buren = {}
            if index + 1 < len(NAMES):
                buren["uit"] = self.urls[index + 1]
            if index > 0:
                buren["terug"] = self.urls[index - 1]
            process.stdin.write(json.dumps({"buren": buren}) + "\n")
            process.stdin.flush()
        for process in self.processes:
            process.stdout.readline()
        return self

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
            process.stdin.close()
            process.stdout.close()

    def move(self, out: Iterable[bytes], back: Iterable[bytes], threads: int = 8) -> float:
        """Seconds to move every body of ``out`` from app1 to app4 and every body of ``back``
        from app4 to app1, ``threads`` clients at a time (as the period's uploads)."""
        local = threading.local()

        def post(item: tuple[str, bytes]) -> int:
            if getattr(local, "session", None) is None:
                local.session = requests.Session()
                local.session.trust_env = False
            url, body = item
            return local.session.post(url, data=body, timeout=60).status_code

        work = [(f"{self.urls[0]}/uit", body) for body in out] + [(f"{self.urls[-1]}/terug", body)
                                                                   for body in back]
        start = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            statuses = list(pool.map(post, work))
        elapsed = time.perf_counter() - start
        if any(status != 204 for status in statuses):
            raise RuntimeError(f"the relay failed: {sorted(set(statuses))}")
        return elapsed


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        sys.exit(_serve(sys.argv[2]))
    with Relay() as relay:
        seconds = relay.move([b"x" * 20_000] * 1200, [b"y" * 100_000] * 1200)
    print(f"1200 files of 20 KB out, 1200 of 100 KB back, four processes: {seconds:.2f} s")
