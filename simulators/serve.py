"""Serving one party: :class:`PartyServer` (in this process), and ``python -m simulators.serve
--party ggk ...``, one party in a process of its own.

A process imports only its own party's package (``app_factory``): a RINIS process never
loads the CBS's PDF and signature libraries, so four processes start in parallel quickly.
:class:`simulators.chain.ProcessChain` starts four of these processes. The handshake runs over the
child's stdin and stdout, one JSON line each way, because a party bound to port 0 learns
its neighbours' ports only after they are bound too:

1. the child builds its party, binds its port and writes ``{"partij": ..., "url": ...}``;
2. the parent answers ``{"buren": {"rinis": "http://...", ...}}``;
3. the child starts its task worker and server and writes ``{"klaar": true}``.

With ``--tls`` the party serves HTTPS and requires a client certificate of the test CA
(:class:`simulators.https.HttpsServedApp`, docs/beveiliging.md), and its courier shows the
party's own certificate; without, it serves plain HTTP through waitress, as it always did.

The child serves until SIGTERM or SIGINT, or until its stdin closes (the parent is gone),
then stops server and party cleanly. What it logs goes to stderr, which the parent sends
to ``<state-dir>/<party>.log``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from flask import Flask

from .clock import Clock, clock_from_setting
from .party import PARTIES, PartyConfig, party_of
from .server import ServedApp


def app_factory(party: str) -> Callable[[PartyConfig], Flask]:
    """The party's ``create_app``, its package imported on first use."""
    if party not in PARTIES:
        raise ValueError(f"onbekende partij '{party}'; kies uit {', '.join(PARTIES)}")
    return importlib.import_module(f"{__package__}.{party}").create_app


class PartyServer:
    """One party served on ``host:port`` in this process: built from its config, its task
    worker started with the server, both stopped together. ``tls``: over HTTPS with mutual
    TLS, the party's courier showing the party's certificate (unless its options say which)."""

    def __init__(self, name: str, config: PartyConfig, host: str = "127.0.0.1", port: int = 0,
                 tls: bool = False) -> None:
        self.name = name
        self.tls = tls
        if not tls:
            self.served = ServedApp(app_factory(name)(config), host, port)
            return
        from . import pki
        from .https import HttpsServedApp

        tls_options = {"pki": name, **config.options.get("tls", {})}
        config = replace(config, options={**config.options, "tls": tls_options})
        app = app_factory(name)(config)
        cert, key = pki.server_files(name, (host,))
        self.served = HttpsServedApp(app, host, port, cert=cert, key=key, ca=str(pki.ca_bestand()),
                                     on_refused=lambda peer, why: party_of(app).refuse_handshake(peer, why))

    @property
    def url(self) -> str:
        return self.served.url

    @property
    def port(self) -> int:
        return self.served.port

    @property
    def party(self) -> Any:
        """The party object behind the server (a restart replaces it; for tests of this package)."""
        return party_of(self.served.app)

    def start(self) -> PartyServer:
        self.party.start()
        self.served.start()
        return self

    def stop(self) -> None:
        self.party.storingen.reset()  # a hanging request ends, so the server stops at once
        self.served.stop()
        self.party.stop()


def serve_party(name: str, state_dir: Path, clock: Clock, host: str = "127.0.0.1", port: int = 0,
                urls: dict[str, str] | None = None, options: dict[str, Any] | None = None,
                start: bool = True, tls: bool = False) -> PartyServer:
    """One party alone, as a partner runs it next to its own endpoints (``ketentest up --party``),
    or as one process of a :class:`~simulators.chain.ProcessChain`: its state in
    ``state_dir/<name>.sqlite3``, its neighbours at ``urls``. Bound to its port; started unless
    ``start`` is False; over HTTPS with mutual TLS when ``tls``."""
    Path(state_dir).mkdir(parents=True, exist_ok=True)
    config = PartyConfig(Path(state_dir) / f"{name}.sqlite3", clock, dict(urls or {}), dict(options or {}))
    server = PartyServer(name, config, host, port, tls)
    return server.start() if start else server


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m simulators.serve",
                                     description="Serve one ketentest party in this process.")
    parser.add_argument("--party", required=True, choices=PARTIES)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--state-dir", type=Path, required=True)
    parser.add_argument("--klok", default="wall", help="'wall' or an ISO moment to start a simulated clock")
    parser.add_argument("--opties", default="{}", help="the party's options as a JSON object")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with mutual TLS (test CA)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, instream: TextIO | None = None,
         outstream: TextIO | None = None) -> int:
    """Serve one party until SIGTERM/SIGINT or until ``instream`` closes; the handshake is
    read from ``instream`` and written to ``outstream`` (stdin and stdout by default)."""
    args = _arguments(argv)
    instream, outstream = instream or sys.stdin, outstream or sys.stdout

    def say(message: dict) -> None:
        outstream.write(json.dumps(message) + "\n")
        outstream.flush()

    logging.basicConfig(stream=sys.stderr, level=logging.WARNING,
                        format=f"%(asctime)s {args.party} %(name)s %(levelname)s %(message)s")
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    server = serve_party(args.party, args.state_dir, clock_from_setting(args.klok), args.host, args.port,
                         options=json.loads(args.opties), start=False, tls=args.tls)
    try:
        say({"partij": args.party, "url": server.url})
        line = instream.readline()
        if not line:
            return 1  # the parent went away before the chain was wired
        server.party.config.urls.update(json.loads(line).get("buren", {}))
        server.start()
        say({"klaar": True})
        # the handshake stream closing means the parent is gone: a chain never outlives its harness
        threading.Thread(target=lambda: (instream.read(), stop.set()), daemon=True).start()
        stop.wait()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
