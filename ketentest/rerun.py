"""How a run is repeated: what ``ketentest run`` hands the suites besides the targets, so that
a failed check can say how to wait longer and how to run it again, alone.

- ``KETENTEST_WACHTTIJD``: how many seconds a step waits for an answer (``--wachttijd``);
  a check that got nothing names this wait and this option (``steps.drivers.NoAnswerError``).
- ``KETENTEST_HERHAAL``: the ``ketentest run`` command of this run with everything a partner's
  endpoint depends on (targets, harness host and ports, TLS files, wait, suite, tags);
  conftest.py adds ``--scenario NAAM`` per scenario, and the partner report shows it.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from .targets import Targets

WACHTTIJD = "KETENTEST_WACHTTIJD"
HERHAAL = "KETENTEST_HERHAAL"


def rerun_base(suite: str, tags: str | None, doelen: Targets, wachttijd: float | None,
               tls: bool = False) -> str:
    """The ``ketentest run`` command that repeats this run against the same endpoints: every
    option spelled out (no ``--config``), TLS files as absolute paths, shell-quoted."""
    parts = ["ketentest", "run", "--suite", suite]
    if tags:
        parts += ["--tags", tags]
    if wachttijd:
        parts += ["--wachttijd", f"{wachttijd:g}"]
    if tls:
        parts.append("--tls")
    if not doelen:
        return shlex.join(parts)
    for partij, url in doelen.urls.items():
        parts += ["--target", f"{partij}={url}"]
    for optie, pad in (("--ca", doelen.tls.ca), ("--cert", doelen.tls.cert), ("--key", doelen.tls.key)):
        if pad:
            parts += [optie, str(Path(pad).resolve())]
    if doelen.host != "127.0.0.1":
        parts += ["--host", doelen.host]
    for partij, poort in doelen.poorten.items():
        parts += ["--poort", f"{partij}={poort}"]
    return shlex.join(parts)


def rerun_command(base: str, scenario: str) -> str:
    """``base`` narrowed to one scenario, by its name as the report shows it."""
    return f"{base} --scenario {shlex.quote(scenario)}"
