"""Benchmark: how long the whole Gherkin suite takes, serial and in parallel.

Target (issue "suites"): the full suite (burentest + ketentest) in at most 60 s serial
on a 2-core machine. It starts ``ketentest run --suite all`` as a new process, the way
a coordinator or CI does, so the figure includes interpreter start, imports, the
embedded chain's start-up, every scenario, the state reset between scenarios, the
Allure attachments and the JUnit file; then the same with ``-n 2`` (pytest-xdist, a
chain per worker). Each is run ``--repeat`` times; the median is reported.

A benchmark reports, it does not fail: exit code 0 whatever the times, 1 only when
a run itself failed (a red suite is not a speed figure).

Run from the repository root: ``.venv/bin/python bench/suites.py [--repeat 3] [--json PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SERIAL_S = 60.0


def run_once(workers: int) -> tuple[float, int]:
    """Wall time of one ``ketentest run --suite all`` and the number of scenarios it ran."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "ketentest.cli", "run", "--suite", "all", "--report", tmp]
        if workers:
            command += ["-n", str(workers)]
        start = time.perf_counter()
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            sys.stderr.write(result.stdout[-4000:] + result.stderr[-2000:])
            raise SystemExit(f"the suite failed (exit {result.returncode}): no speed figure")
        cases = len(list(ET.parse(Path(tmp) / "junit.xml").getroot().iter("testcase")))
    return elapsed, cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    figures = {}
    for label, workers in (("serieel", 0), ("parallel -n 2", 2)):
        times, cases = [], 0
        for _ in range(args.repeat):
            elapsed, cases = run_once(workers)
            times.append(elapsed)
        figures[label] = {"mediaan_s": round(statistics.median(times), 2), "min_s": round(min(times), 2),
                          "max_s": round(max(times), 2), "scenarios": cases}
    serial = figures["serieel"]["mediaan_s"]
    print(f"{'run':<16}{'median':>9}{'min':>8}{'max':>8}  scenarios")
    for label, f in figures.items():
        print(f"{label:<16}{f['mediaan_s']:>8.2f}s{f['min_s']:>7.2f}s{f['max_s']:>7.2f}s  {f['scenarios']}")
    verdict = "met" if serial <= TARGET_SERIAL_S else "NOT met"
    print(f"target: serial <= {TARGET_SERIAL_S:.0f} s: {verdict} ({serial:.1f} s)")
    if args.json:
        args.json.write_text(json.dumps({
            "figures": figures, "target_serial_s": TARGET_SERIAL_S,
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                        "platform": platform.platform()}}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
