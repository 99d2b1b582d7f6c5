"""One party in a process of its own: ``python -m simulators.serve --party ggk ...``.

:class:`simulators.chain.ProcessChain` starts four of these. The handshake runs over the
child's stdin and stdout, one JSON line each way, because a party bound to port 0 learns
its neighbours' ports only after they are bound too:

1. the child builds its party, binds its port and writes ``{"partij": ..., "url": ...}``;
2. the parent answers ``{"buren": {"rinis": "http://...", ...}}``;
3. the child starts its task worker and server and writes ``{"klaar": true}``.

The child serves until SIGTERM or SIGINT, or until its stdin closes (the parent is gone),
then stops server and party cleanly. What it logs goes to stderr, which the parent sends
to ``<state-dir>/<party>.log``.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from pathlib import Path

from .chain import PARTIES, serve_party
from .clock import clock_from_setting


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m simulators.serve",
                                     description="Serve one ketentest party in this process.")
    parser.add_argument("--party", required=True, choices=PARTIES)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--state-dir", type=Path, required=True)
    parser.add_argument("--klok", default="wall", help="'wall' or an ISO moment to start a simulated clock")
    parser.add_argument("--opties", default="{}", help="the party's options as a JSON object")
    return parser.parse_args(argv)


def _say(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING,
                        format=f"%(asctime)s {args.party} %(name)s %(levelname)s %(message)s")
    # waitress warns per queued request under load ("Task queue depth"): a load is not a fault
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    server = serve_party(args.party, args.state_dir, clock_from_setting(args.klok), args.host, args.port,
                         options=json.loads(args.opties), start=False)
    try:
        _say({"partij": args.party, "url": server.url})
        line = sys.stdin.readline()
        if not line:
            return 1  # the parent went away before the chain was wired
        server.party.config.urls.update(json.loads(line).get("buren", {}))
        server.start()
        _say({"klaar": True})
        # stdin closing means the parent is gone: a chain never outlives its harness
        threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
        stop.wait()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
