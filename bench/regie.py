"""Benchmark: the regie's page and JSON with a period bench's worth of deliveries in the journals.

The measure of issue 18: with 1,200 deliveries in the journals (every gemeente of 15 August 2016
× WMO, SBO and JEUGD, and a corrected WMO file from a tenth of them: what
``bench/periode.py`` sends, 390 × 3 + 39 = 1,209), the page and ``/api/leveringen`` answer within 1 s on
the 2-core machine.

How: the chain users run (:class:`~simulators.chain.ProcessChain`, one process per party)
follows the timeline "H1 2016"; the files are uploaded straight to the GGk web service
(``POST /api/v1/uploads``, ``--threads`` client threads), the corrections on 22 August, and
the clock is moved to 3 October and 7 November, so every delivery has its technical report,
op-orde report and spiegelrapport II: about 30 journal lines per delivery. Not timed: that is the fill.

Then the regie is served in this process, as ``ketentest up`` serves it (waitress, its own
thread), over the four parties, with the TTL ``ketentest up`` uses (1 s). Timed, from a client
in this process:

* *eerste lezing*: the first request of a regie that has read nothing (every journal read
  from the start; ``ketentest up`` starts this read in the background as soon as it is up);
* *ververst*: a request after the TTL ran out, so the regie reads every party again (only
  what is new in each journal: here nothing) and answers: what a coordinator's page costs
  every few seconds;
* *uit de cache*: a request within the TTL.

For the reads it also prints where a read's time went (``ChainView.duur``: reading the
parties, building the rows, filling the gaps, the books), median over the reads.

Each for the page (``/``, the first 200 of 1,200 rows), ``/api/leveringen`` (all 1,200) and
the CSV; ``--n`` times each, median, p90 (nearest rank) and maximum. Exit 0 whatever the
figures; 1 when the regie does not show every delivery (a broken regie is not a speed figure).

Run from the repository root: ``.venv/bin/python bench/regie.py [--gemeenten 400] [--n 20]
[--json PATH]``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.periode import files_for, upload_all  # noqa: E402
from ketentest.regie import ChainView, create_app  # noqa: E402
from simulators import tijdlijn as tijdlijnen  # noqa: E402
from simulators.chain import ProcessChain  # noqa: E402
from simulators.clock import AMSTERDAM  # noqa: E402
from simulators.gmsd.gemeenten import gemeenten  # noqa: E402
from simulators.server import ServedApp  # noqa: E402
from steps.drivers import ChainError, Keten  # noqa: E402

TTL = 1.0
DOEL = 1.0
ADRESSEN = {"pagina": "/", "JSON": "/api/leveringen", "CSV": "/api/leveringen.csv"}


def p90(waarden: list[float]) -> float:
    return sorted(waarden)[max(0, -(-len(waarden) * 9 // 10) - 1)]


def timed(session: requests.Session, url: str) -> tuple[float, requests.Response]:
    begin = time.perf_counter()
    response = session.get(url, timeout=60)
    return time.perf_counter() - begin, response


def fill(keten: Keten, codes: list[str], threads: int) -> tuple[int, float]:
    """Every delivery of the period bench, every report; returns (deliveries, seconds)."""
    tijdlijn = tijdlijnen.laad("H1 2016")
    keten.apply_timeline(tijdlijn.to_json())
    begin = time.perf_counter()
    bestanden = [(code, files_for(code, tijdlijn.start, seed=i)) for i, code in enumerate(codes)]
    statuses = upload_all(keten, bestanden, threads)
    settle(keten)
    correctie = datetime(2016, 8, 22, 9, 0)
    keten.set_clock(correctie, terug=False)
    settle(keten)
    correcties = sorted(random.Random(2016).sample(codes, max(1, len(codes) // 10)))
    statuses += upload_all(keten, [(code, files_for(code, correctie, seed=1000 + i)[:1])
                                   for i, code in enumerate(correcties)], threads)
    assert all(status == 201 for status in statuses), f"uploads geweigerd: {set(statuses)}"
    settle(keten)
    for moment in (datetime(2016, 10, 3, 9, 0), datetime(2016, 11, 7, 9, 0)):
        # as Keten.advance_to, but a party may take longer than its 60 s wait per call: the op-orde
        # reports of 1,200 deliveries fall due at one moment, on a machine others share
        while (due := keten.next_due()) is not None and due <= moment.replace(tzinfo=AMSTERDAM):
            keten.set_clock(due.astimezone(AMSTERDAM).replace(tzinfo=None), terug=False)
            settle(keten)
        keten.set_clock(moment, terug=False)
        settle(keten)
    return 3 * len(codes) + len(correcties), time.perf_counter() - begin


def settle(keten: Keten, limit: float = 900.0) -> None:
    """Wait until the chain is quiet, however many of the parties' 60-second waits that takes."""
    deadline = time.monotonic() + limit
    while True:
        try:
            keten.wait_idle(60)
            return
        except ChainError:
            if time.monotonic() > deadline:
                raise


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gemeenten", type=int, default=400)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    codes = sorted(gemeenten(tijdlijnen.laad("H1 2016").start.date()))[: args.gemeenten]
    figures: dict[str, dict[str, float]] = {}
    duur: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp, ProcessChain(Path(tmp), "2016-08-15T09:00") as chain:
        keten = Keten(chain.urls, timeout=600)
        verwacht, vullen = fill(keten, codes, args.threads)
        regels = sum(len(keten.get(party, "/journal").json()) for party in chain.urls)
        view = ChainView(chain.urls, ttl=TTL)
        with ServedApp(create_app(view)) as regie, requests.Session() as session:
            eerste, antwoord = timed(session, regie.url + ADRESSEN["pagina"])
            eerste_duur = dict(view.duur)
            figures["eerste lezing: pagina"] = {"mediaan": eerste, "p90": eerste, "max": eerste}
            data = session.get(regie.url + ADRESSEN["JSON"], timeout=60).json()
            per_toestand = data["per_toestand"]
            grootte = {naam: len(session.get(regie.url + pad, timeout=60).content)
                       for naam, pad in ADRESSEN.items()}
            for naam, pad in ADRESSEN.items():
                ververst, cache = [], []
                for _ in range(args.n):
                    time.sleep(TTL + 0.05)
                    ververst.append(timed(session, regie.url + pad)[0])
                    for deel, seconden in view.duur.items():
                        duur.setdefault(deel, []).append(seconden)
                    cache.append(timed(session, regie.url + pad)[0])
                for soort, tijden in (("ververst", ververst), ("uit de cache", cache)):
                    figures[f"{soort}: {naam}"] = {"mediaan": statistics.median(tijden), "p90": p90(tijden),
                                                   "max": max(tijden)}
        view.close()
    print(f"{len(codes)} gemeenten × 3 bestanden + correcties = {verwacht} leveringen, "
          f"{regels} journaalregels (vullen {vullen:.0f} s, niet getimed); n = {args.n}, TTL {TTL:g} s")
    print(f"  {'':<28}{'mediaan':>9}{'p90':>9}{'max':>9}   (s)")
    for label, cijfers in figures.items():
        print(f"  {label:<28}" + "".join(f"{cijfers[k]:9.3f}" for k in ("mediaan", "p90", "max")))
    print("  waar een lezing heen gaat (s): eerste "
          + ", ".join(f"{k} {v:.3f}" for k, v in eerste_duur.items())
          + "; ververst (mediaan) " + ", ".join(f"{k} {statistics.median(v):.3f}" for k, v in duur.items()))
    print("  grootte: " + ", ".join(f"{naam} {n / 1024:.0f} KiB" for naam, n in grootte.items()))
    print("  per toestand:", ", ".join(f"{k} {v}" for k, v in per_toestand.items() if v))
    warm = max(c["p90"] for label, c in figures.items() if not label.startswith("eerste"))
    ok = data["aantal"] == verwacht and antwoord.ok and not per_toestand.get("fout")
    print(f"doel ≤ {DOEL:g} s (p90, ververst en uit de cache):",
          "gehaald" if warm <= DOEL else "NIET gehaald", f"| eerste lezing {eerste:.2f} s",
          "| alle leveringen getoond:", "ja" if ok else "NEE")
    if args.json:
        args.json.write_text(json.dumps({"leveringen": verwacht, "journaalregels": regels, "figures": figures,
                                         "bytes": grootte, "per_toestand": per_toestand,
                                         "duur_eerste": eerste_duur, "duur_ververst": duur}, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
