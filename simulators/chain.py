"""The only module that knows all four parties: builds them, wires them, serves them.

Two ways to run a chain:

* :class:`ProcessChain`, what users and the suites run: each party its own OS process
  (``python -m simulators.serve``, one log file each), bound to a loopback port (port 0:
  any free one), told its neighbours' URLs once all are bound, each with its own clock
  set from the same start; a harness moves the clocks over HTTP (``/_beheer/klok``).
* :class:`Chain`, for unit tests: the four parties in this process, served by waitress in
  threads, sharing one injected clock object, their party objects at hand.

Either serves HTTPS with mutual TLS when made with ``tls=True`` (``ketentest up --tls``,
docs/beveiliging.md): every party its server certificate of the test CA, every caller
required to show a client certificate of it.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from .clock import Clock, WallClock
from .party import NEIGHBOURS, PARTIES, PartyConfig
from .serve import PartyServer

DEFAULT_PORTS = {"gemeente": 8101, "ggk": 8102, "rinis": 8103, "cbs": 8104}


@dataclass
class Chain:
    """Four simulated parties on loopback. Use as a context manager, or start()/stop()."""

    state_dir: Path
    clock: Clock = field(default_factory=WallClock)
    host: str = "127.0.0.1"
    ports: dict[str, int] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    extern: dict[str, str] = field(default_factory=dict)
    """Parties played by a partner's real endpoint (``ketentest/targets.py``): not started
    here; their neighbours are given the partner's URL instead."""
    tls: bool = False
    servers: dict[str, PartyServer] = field(default_factory=dict, init=False)

    _urls: dict[str, dict[str, str]] = field(default_factory=dict, init=False, repr=False)

    def start(self) -> Chain:
        self.state_dir = Path(self.state_dir)
        self._urls = {name: {} for name in PARTIES}
        eigen = [name for name in PARTIES if name not in self.extern]
        try:
            for name in eigen:
                self.servers[name] = self._serve(name, self.ports.get(name, 0))
            for name, neighbours in NEIGHBOURS.items():
                for neighbour in neighbours:
                    self._urls[name][neighbour] = (self.extern[neighbour] if neighbour in self.extern
                                                   else self.servers[neighbour].url)
            for name in eigen:
                self.servers[name].start()
        except BaseException:
            self.stop()
            raise
        return self

    def _serve(self, name: str, port: int) -> PartyServer:
        config = PartyConfig(state_path=self.state_dir / f"{name}.sqlite3", clock=self.clock,
                             urls=self._urls[name], options=self.options.get(name, {}))
        return PartyServer(name, config, self.host, port, self.tls)

    def stop_party(self, name: str) -> int:
        """Stop one party (an outage); returns its port, to start it there again."""
        server = self.servers.pop(name)
        server.stop()
        return server.port

    def start_party(self, name: str, port: int) -> None:
        """Start a party again on the same state path and port: it picks up where it was."""
        self.servers[name] = self._serve(name, port).start()

    @property
    def urls(self) -> dict[str, str]:
        """Every party's URL in chain order: the simulated ones and the partners' (``extern``)."""
        own = {name: server.url for name, server in self.servers.items()}
        return {name: own.get(name) or self.extern[name] for name in PARTIES
                if name in own or name in self.extern}

    def party(self, name: str) -> Any:
        """The party object behind a server (for tests of this package only)."""
        return self.servers[name].party

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until no party has work left: every hand-off in the chain is done."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(self.party(n).tasks.wait_idle(max(0.0, deadline - time.monotonic()))
                   for n in self.servers) and not any(self.party(n).tasks.pending() for n in self.servers):
                return True
        return False

    def stop(self) -> None:
        for name, server in list(self.servers.items()):
            server.stop()
            del self.servers[name]

    def __enter__(self) -> Chain:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def wiring(urls: dict[str, str], extern: dict[str, str]) -> dict[str, dict[str, str]]:
    """Per simulated party, its neighbours' URLs: a partner's endpoint where one plays the
    neighbour (``extern``), the simulated party's own URL otherwise."""
    every = {**urls, **extern}
    return {name: {n: every[n] for n in NEIGHBOURS[name] if n in every} for name in urls}


class ForkedParty:
    """One party process made by ``os.fork()`` from a process that already imported the
    parties: it starts in milliseconds where a new interpreter needs its imports again. Only
    from a process without other threads (the ``ketentest up`` command), where a fork is safe;
    the child serves through :func:`simulators.serve.main` and ends with ``os._exit``.
    Offers what :class:`ProcessChain` uses of a ``subprocess.Popen``."""

    def __init__(self, argv: list[str], log: Path, inherited: list[int]) -> None:
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 1
            try:
                for fd in (from_parent, to_parent, *inherited):  # the parent's and the siblings'
                    os.close(fd)
                log_fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
                os.dup2(log_fd, 2)
                os.close(log_fd)
                from . import serve

                code = serve.main(argv, os.fdopen(to_child, "r"), os.fdopen(from_child, "w"))
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        os.close(to_child)
        os.close(from_child)
        self.pid = pid
        self.returncode: int | None = None
        self.stdin = os.fdopen(from_parent, "w")
        self.stdout = os.fdopen(to_parent, "r")

    def fds(self) -> list[int]:
        return [self.stdin.fileno(), self.stdout.fileno()]

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"pid {self.pid}", timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ChainStartError(RuntimeError):
    """A party process did not come up: its log's last lines say why."""


@dataclass
class ProcessChain:
    """Four simulated parties, each in its own OS process on loopback (what ``ketentest up``
    and the suites run). Use as a context manager, or start()/stop().

    ``klok`` is ``"wall"`` or an ISO moment: every party starts its own simulated clock
    there, and a harness moves them together over HTTP. ``options`` per party must be JSON.
    """

    state_dir: Path
    klok: str = "wall"
    host: str = "127.0.0.1"
    ports: dict[str, int] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    extern: dict[str, str] = field(default_factory=dict)
    start_timeout: float = 30.0
    fork: bool = False
    """Fork the parties from this process (only when it runs no other thread, see
    :class:`ForkedParty`) instead of starting four new interpreters: ``ketentest up`` starts
    in well under a second. Falls back to new interpreters when threads are running."""
    tls: bool = False
    """Every party over HTTPS with mutual TLS (``python -m simulators.serve --tls``)."""
    processes: dict[str, subprocess.Popen | ForkedParty] = field(default_factory=dict, init=False)
    _urls: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def start(self) -> ProcessChain:
        self.state_dir = Path(self.state_dir)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        eigen = [name for name in PARTIES if name not in self.extern]
        if self.fork and threading.active_count() == 1:
            # what every party needs (Flask, lxml, StUF, the store) is imported once, here; each
            # forked child then imports only its own party's package, the four side by side
            importlib.import_module(f"{__package__}.receiver")
        try:
            for name in eigen:  # all four import and bind at the same time
                self.processes[name] = self._spawn(name, self.ports.get(name, 0))
            for name in eigen:
                self._urls[name] = self._read(name)["url"]
            for name, buren in wiring(self._urls, self.extern).items():
                self._write(name, {"buren": buren})
            for name in eigen:
                self._read(name)  # {"klaar": true}
        except BaseException:
            self.stop()
            raise
        return self

    def _spawn(self, name: str, port: int) -> subprocess.Popen | ForkedParty:
        argv = ["--party", name, "--host", self.host, "--port", str(port), "--state-dir",
                str(self.state_dir), "--klok", self.klok, "--opties", json.dumps(self.options.get(name, {})),
                *(["--tls"] if self.tls else [])]
        if self.fork and threading.active_count() == 1:
            inherited = [fd for process in self.processes.values()
                         if isinstance(process, ForkedParty) for fd in process.fds()]
            return ForkedParty(argv, self.state_dir / f"{name}.log", inherited)
        log = open(self.state_dir / f"{name}.log", "ab")  # noqa: SIM115 - the child owns it from here
        try:
            return subprocess.Popen(
                [sys.executable, "-m", "simulators.serve", *argv],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True, bufsize=1,
                env=os.environ | {"PYTHONUNBUFFERED": "1"})
        finally:
            log.close()

    def _read(self, name: str) -> dict:
        """The next handshake line of ``name``, or :class:`ChainStartError` with its log."""
        process = self.processes[name]
        answer: list[str] = []
        reader = threading.Thread(target=lambda: answer.append(process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.start_timeout)
        if not answer:
            raise ChainStartError(f"{name} kwam niet op binnen {self.start_timeout:g} s"
                                  f"{self._log_tail(name)}")
        if not answer[0]:
            raise ChainStartError(f"{name} stopte bij het opstarten (code {process.wait(5)})"
                                  f"{self._log_tail(name)}")
        return json.loads(answer[0])

    def _write(self, name: str, message: dict) -> None:
        self.processes[name].stdin.write(json.dumps(message) + "\n")
        self.processes[name].stdin.flush()

    def _log_tail(self, name: str) -> str:
        try:
            log = (self.state_dir / f"{name}.log").read_text(encoding="utf-8", errors="replace")
            lines = log.splitlines()
        except OSError:
            return ""
        return (": " + " | ".join(lines[-5:])) if lines else ""

    @property
    def urls(self) -> dict[str, str]:
        """Every party's URL in chain order: the simulated ones and the partners' (``extern``)."""
        return {name: self._urls.get(name) or self.extern[name] for name in PARTIES
                if name in self._urls or name in self.extern}

    def stop_party(self, name: str, timeout: float = 10.0) -> int:
        """Stop one party's process (an outage); returns its port, to start it there again."""
        port = int(self._urls[name].rsplit(":", 1)[1])
        self._end(self.processes.pop(name), timeout)
        return port

    def start_party(self, name: str, port: int) -> None:
        """Start a party's process again on the same state directory and port."""
        self.processes[name] = self._spawn(name, port)
        self._urls[name] = self._read(name)["url"]
        self._write(name, {"buren": wiring(self._urls, self.extern)[name]})
        self._read(name)

    @staticmethod
    def _end(process: subprocess.Popen | ForkedParty, timeout: float) -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout)
        for stream in (process.stdin, process.stdout):
            if stream:
                stream.close()

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM to every party at once, then wait for each (a kill after ``timeout`` s)."""
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for name in list(self.processes):
            self._end(self.processes.pop(name), timeout)

    def __enter__(self) -> ProcessChain:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def wait_for_health(urls: dict[str, str], timeout: float = 5.0) -> dict[str, dict]:
    """Poll each party's /health until it answers; returns the answers."""
    deadline = time.monotonic() + timeout
    answers: dict[str, dict] = {}
    with requests.Session() as session:
        for name, url in urls.items():
            while True:
                try:
                    answers[name] = session.get(f"{url}/health", timeout=1).json()
                    break
                except requests.RequestException:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"{name} ({url}) antwoordt niet op /health") from None
                    time.sleep(0.02)
    return answers
