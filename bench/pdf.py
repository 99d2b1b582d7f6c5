"""Benchmark: what one CBS report PDF costs to draw, per kind.

Why: in the period benchmark (``bench/periode.py``) the CBS process spends most of its
time drawing PDFs: a technical report per file, an op-orde rapport and a spiegelrapport
II per delivery. This draws them in one process, without HTTP or SQLite, from the
inputs the CBS really gets:

* **technisch**: ``check_file`` on generator files (WMO with 25 rows, SBO, JEUGD, as
  ``bench/periode.py`` uploads them) of ``--gemeenten`` gemeenten, then
  ``technical_report_pdf`` as the CBS backend calls it;
* **oporde** / **spiegel2**: the figures of those files, the peer group computed from the
  other gemeenten' figures (as the backend does), spiegelrapport I, and spiegelrapport II
  compared with the figures of I.

Every PDF is timed on its own, in CPU time of the drawing thread (``time.thread_time``:
what the CBS process pays, and less disturbed than wall time when other work shares the
cores; wall time is reported next to it); ``--runs`` rounds each draw every report once,
and the figure is the median ms per PDF over all of them, with the median size in bytes.
The machine is shared, so the milliseconds still move; the **reference** is a bare fpdf2
document (A4, one page, one ``cell``) timed in the same rounds, interleaved with the
reports, and ``ratio`` is a kind's median CPU ms over the reference's: that is the figure
to compare across runs and machines.

Run from the repository root: ``.venv/bin/python bench/pdf.py [--gemeenten 10] [--runs 5]
[--json PATH]``. It reports, it does not judge: the exit code is 0.

Measured here (2-core VM shared with other work, Python 3.11.7, fpdf2 2.8.9), 5 runs of
``--runs 3`` each, old and new interleaved; median over the runs of the median per PDF:

============  ======================  =====================  =======
PDF           fpdf2 cell/multi_cell   ReportPage (page.py)   bytes
============  ======================  =====================  =======
reference     0.49 ms                 0.40 ms                999
technisch     10.1 ms (21.3x ref)     1.47 ms (3.7x ref)     3264
oporde        11.6 ms (24.3x ref)     1.83 ms (4.6x ref)     3266
spiegel2      12.0 ms (25.3x ref)     2.43 ms (5.9x ref)     4006
============  ======================  =====================  =======

The PDFs are the same bytes before and after. What is left is mostly fpdf2's own work:
``output()`` (about 0.4 ms a document plus 0.1 ms a page: object serialization and
compression, which saves 3-5 KB a report) and the bar chart's ``rect``/``line``/``text``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fpdf import FPDF  # noqa: E402

from simulators.cbs import spiegel  # noqa: E402
from simulators.cbs.check import check_file  # noqa: E402
from simulators.cbs.report import technical_report_pdf  # noqa: E402
from simulators.cbs.spiegel_pdf import spiegelrapport_pdf  # noqa: E402
from simulators.gmsd import generator  # noqa: E402
from simulators.gmsd.gemeenten import gemeenten  # noqa: E402

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ONTVANGEN = datetime(2016, 8, 15, 10, 15, tzinfo=AMSTERDAM)
OPORDE = datetime(2016, 10, 3, 9, 0, tzinfo=AMSTERDAM)
SPIEGEL2 = datetime(2016, 11, 7, 9, 0, tzinfo=AMSTERDAM)
PERIODE = "H12016"
SOORTEN = ("WMO", "SBO", "JEUGD")

Draw = Callable[[], bytes]


def reference_pdf() -> bytes:
    """The yardstick: the least an fpdf2 report can cost on this machine."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 6, "Centraal Bureau voor de Statistiek")
    return bytes(pdf.output())


def reports(aantal: int) -> dict[str, list[Draw]]:
    """Per kind, one drawing call per report, with the inputs prepared (not timed)."""
    namen = gemeenten(ONTVANGEN.date())
    codes = sorted(namen)[:aantal]
    bestanden = {
        (code, soort): (
            generator.bestandsnaam(soort, 2016, 1).replace(".csv", f"_{code}.csv"),
            generator.generate(soort, code, 2016, 1, ONTVANGEN, rows=25, seed=index),
        )
        for index, code in enumerate(codes)
        for soort in SOORTEN
    }
    figures = {key: spiegel.figures_from_file(key[1], inhoud) for key, (_, inhoud) in bestanden.items()}
    technisch, oporde, spiegel2 = [], [], []
    for (code, soort), (naam, inhoud) in bestanden.items():
        referentie = f"20160815-101500-{codes.index(code) * 3 + SOORTEN.index(soort):03d}"
        oordeel = check_file(naam, inhoud, code, {PERIODE})
        technisch.append(lambda o=oordeel, c=code, r=referentie: technical_report_pdf(
            o, c, r, ONTVANGEN, ONTVANGEN))
        andere = [(c, f) for (c, s), f in figures.items() if s == soort and c != code]
        argumenten = dict(
            soort=soort, gemeentecode=code, gemeentenaam=namen[code], periode=PERIODE,
            cijfers=figures[code, soort], inwoners=spiegel.inwoners(code),
            vergelijking=spiegel.vergelijkingsgroep(code, soort, PERIODE, andere=andere),
            ggk_referentie=referentie, groep=spiegel.groepsomschrijving(code, andere),
            bestandsnaam=naam,
        )
        oporde.append(lambda a=argumenten: spiegelrapport_pdf("I", gemaakt=OPORDE, **a))
        spiegel2.append(lambda a=argumenten: spiegelrapport_pdf(
            "II", gemaakt=SPIEGEL2, eerder=a["cijfers"], **a))
    return {"technisch": technisch, "oporde": oporde, "spiegel2": spiegel2}


def measure(soorten: dict[str, list[Draw]], runs: int) -> dict[str, dict]:
    """Time every report ``runs`` times, a reference PDF before each report."""
    cpu: dict[str, list[float]] = {soort: [] for soort in ["referentie", *soorten]}
    wall: dict[str, list[float]] = {soort: [] for soort in cpu}
    groottes: dict[str, list[int]] = {soort: [] for soort in cpu}
    for _ in range(runs):
        for soort, tekeningen in soorten.items():
            for teken in tekeningen:
                for naam, functie in (("referentie", reference_pdf), (soort, teken)):
                    start, start_cpu = time.perf_counter(), time.thread_time()
                    pdf = functie()
                    cpu[naam].append((time.thread_time() - start_cpu) * 1000)
                    wall[naam].append((time.perf_counter() - start) * 1000)
                    groottes[naam].append(len(pdf))
    referentie = statistics.median(cpu["referentie"])
    return {
        soort: {
            "pdfs": len(cpu[soort]),
            "median_cpu_ms": round(statistics.median(cpu[soort]), 3),
            "min_cpu_ms": round(min(cpu[soort]), 3),
            "median_wall_ms": round(statistics.median(wall[soort]), 3),
            "bytes_median": int(statistics.median(groottes[soort])),
            "ratio": round(statistics.median(cpu[soort]) / referentie, 2),
        }
        for soort in cpu
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gemeenten", type=int, default=10, help="gemeenten; 3 files each (default 10)")
    parser.add_argument("--runs", type=int, default=5, help="rounds over every report (default 5)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    args = parser.parse_args()

    soorten = reports(args.gemeenten)
    for tekeningen in soorten.values():  # warm-up: imports, fonts, caches
        tekeningen[0]()
    reference_pdf()
    uitkomst = measure(soorten, args.runs)

    print(f"{'PDF':<12}{'aantal':>8}{'CPU ms':>9}{'min':>8}{'wall ms':>9}{'bytes':>8}{'× ref':>8}")
    for soort, c in uitkomst.items():
        print(f"{soort:<12}{c['pdfs']:>8}{c['median_cpu_ms']:>9.2f}{c['min_cpu_ms']:>8.2f}"
              f"{c['median_wall_ms']:>9.2f}{c['bytes_median']:>8}{c['ratio']:>8.1f}")
    if args.json:
        args.json.write_text(json.dumps({
            "gemeenten": args.gemeenten,
            "runs": args.runs,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "gemeten": datetime.now().isoformat(timespec="seconds"),
            "pdf": uitkomst,
        }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
