"""Benchmark: a whole delivery period for 400 gemeenten through the real HTTP chain.

The volume target of the timelines issue: one period of H1 2016 on the simulated
calendar, for 400 gemeenten × 3 files (WMO, SBO, JEUGD), with every report (technical,
op-orde on 3 October, spiegelrapport II on 7 November), a correction for a tenth of
the gemeenten, and opt-ins where the chain offers them. Target: ≤ 30 s wall time and
≤ 1 GiB memory on a 2-core machine.

How: the chain users run, :class:`~simulators.chain.ProcessChain` (each party its own
process, real HTTP on loopback, SQLite state in a temporary folder), follows the timeline
"H1 2016". The gemeente's files are generated first (not timed: test data). Then, timed:
uploads straight to the GGk web service from ``--threads`` client threads on 15 August,
corrections on 22 August, the clock moved to 3 October and 7 November (each time
waiting until the chain is quiet), and opt-ins after 9 November if the GGk offers
them. Afterwards every hop is counted from the parties' own journals and stores: what
was sent against what arrived. Nothing may be lost.

Peak memory is the sum of the peak resident set sizes (``VmHWM``) of the four party
processes and the client. The exit code is 0 whatever the figures, 1 when a message was
lost or the chain did not finish (a broken chain is not a speed figure).

The machine-independent figure is ``ratio``: in the same run, the bare relay of
``bench/relay.py`` (four minimal apps, one process each) moves the same number of messages
of the same sizes (every uploaded file out, every report back, from as many client
threads); the period's total time divided by the relay's (target ≤ 3×).

Run from the repository root:
``.venv/bin/python bench/periode.py [--gemeenten 400] [--threads 8] [--json PATH]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.relay import Relay  # noqa: E402
from simulators import tijdlijn as tijdlijnen  # noqa: E402
from simulators.chain import ProcessChain  # noqa: E402
from simulators.gmsd import generator  # noqa: E402
from simulators.gmsd.gemeenten import gemeenten  # noqa: E402
from steps.drivers import Keten  # noqa: E402

SOORTEN = ("WMO", "SBO", "JEUGD")


def files_for(code: str, moment: datetime, seed: int) -> list[tuple[str, bytes]]:
    return [
        (
            generator.bestandsnaam(soort, 2016, 1),
            generator.generate(soort, code, 2016, 1, moment, rows=25, seed=seed),
        )
        for soort in SOORTEN
    ]


def upload_all(keten: Keten, batches: list[tuple[str, list[tuple[str, bytes]]]], threads: int) -> list[int]:
    sessions: dict[int, requests.Session] = {}

    def one(item: tuple[str, list[tuple[str, bytes]]]) -> int:
        import threading

        session = sessions.setdefault(threading.get_ident(), requests.Session())
        code, files = item
        statuses = []
        for name, data in files:  # one upload per file: a reference each
            response = session.post(
                keten.url("ggk", "/api/v1/uploads"),
                timeout=60,
                data={"gemeentecode": code, "gebruiker": f"medewerker@{code}.nl"},
                files=[("bestand", (name, data))],
            )
            statuses.append(response.status_code)
        return max(statuses)

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, batches))


def counts(keten: Keten) -> dict[str, int]:
    """Per hop, from each party's own journal: what left one side and what arrived."""
    journals = {party: keten.get(party, "/journal").json() for party in keten.urls}

    def n(party: str, richting: str, peer: str, soort: str | None = None, code: str | None = None) -> int:
        return sum(
            1
            for e in journals[party]
            if e["richting"] == richting
            and e["peer"] == peer
            and (soort is None or e["soort"] == soort)
            and (code is None or e["berichtcode"] == code)
            and not (e["bestandsnaam"] or "").endswith(".metagegevens.xml")
        )

    return {
        "gemeente→ggk uploads aangenomen": n("ggk", "in", "gemeente", "upload"),
        "ggk→rinis Di01 verzonden": n("ggk", "uit", "rinis", code="Di01"),
        "ggk→rinis Di01 ontvangen": n("rinis", "in", "ggk", code="Di01"),
        "rinis→cbs bestanden afgegeven": n("rinis", "uit", "cbs", "bestand"),
        "rinis→cbs bestanden ontvangen": n("cbs", "in", "rinis", "bestand"),
        "cbs→rinis rapporten verzonden": n("cbs", "uit", "rinis", "rapport"),
        "cbs→rinis rapporten ontvangen": n("rinis", "in", "cbs", "rapport"),
        "rinis→ggk Du01/Di01 verzonden": n("rinis", "uit", "ggk", code="Du01")
        + n("rinis", "uit", "ggk", code="Di01"),
        "rinis→ggk Du01/Di01 ontvangen": n("ggk", "in", "rinis", code="Du01")
        + n("ggk", "in", "rinis", code="Di01"),
        "Fo01/Fo03": sum(1 for p in journals.values() for e in p if e["berichtcode"] in ("Fo01", "Fo03")),
    }


def peak_memory_mib(pids: list[int]) -> float:
    """The sum of the processes' peak resident set sizes (Linux ``VmHWM``), with this one's."""
    total_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total_kib += int(line.split()[1])
    return total_kib / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report_sizes(keten: Keten) -> list[int]:
    """The size of every report CBS sent back, from its own journal."""
    return [len(keten.session.get(entry["payload"], timeout=60).content)
            for entry in keten.get("cbs", "/journal").json()
            if entry["richting"] == "uit" and entry["soort"] == "rapport"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gemeenten", type=int, default=400)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--taakwerkers", type=int, default=None,
                        help="worker threads per party (option taakwerkers; default the parties' own)")
    args = parser.parse_args()
    opties = ({party: {"taakwerkers": args.taakwerkers} for party in ("gemeente", "ggk", "rinis", "cbs")}
              if args.taakwerkers else {})
    tijdlijn = tijdlijnen.laad("H1 2016")
    codes = sorted(gemeenten(tijdlijn.start.date()))[: args.gemeenten]
    rng = random.Random(2016)
    correcties = sorted(rng.sample(codes, max(1, len(codes) // 10)))
    eerst = [(code, files_for(code, tijdlijn.start, seed=i)) for i, code in enumerate(codes)]
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, \
            ProcessChain(Path(tmp), tijdlijn.start.isoformat(), options=opties) as chain:
        keten = Keten(chain.urls, timeout=600)
        keten.apply_timeline(tijdlijn.to_json())
        start = time.perf_counter()
        statuses = upload_all(keten, eerst, args.threads)
        keten.wait_idle()
        figures["aanleveren 15 aug (s)"] = time.perf_counter() - start
        correctie_moment = datetime(2016, 8, 22, 9, 0)
        keten.advance_to(correctie_moment)
        tweede = [
            (code, files_for(code, correctie_moment, seed=1000 + i)[:1]) for i, code in enumerate(correcties)
        ]
        mark = time.perf_counter()
        statuses += upload_all(keten, tweede, args.threads)
        keten.wait_idle()
        figures["correcties 22 aug (s)"] = time.perf_counter() - mark
        for label, moment in (
            ("op-orde 3 okt (s)", datetime(2016, 10, 3, 9, 0)),
            ("spiegelrapport II 7 nov (s)", datetime(2016, 11, 7, 9, 0)),
        ):
            mark = time.perf_counter()
            keten.advance_to(moment)
            figures[label] = time.perf_counter() - mark
        figures["totaal (s)"] = time.perf_counter() - start
        hops = counts(keten)
        status = keten.cbs_status()
        pids = {party: keten.get(party, "/health").json()["proces"] for party in keten.urls}
        cpu = {party: cpu_seconds(pid) for party, pid in pids.items()}
        peak = peak_memory_mib(list(pids.values()))
        terug = report_sizes(keten)
    uit = [data for _code, files in eerst + tweede for _name, data in files]
    with Relay() as relay:
        figures["kale relay, zelfde berichten (s)"] = relay.move(uit, [bytes(n) for n in terug], args.threads)
    ratio = figures["totaal (s)"] / figures["kale relay, zelfde berichten (s)"]
    peak_mib = peak
    expected_files = 3 * len(codes) + len(correcties)
    print(
        f"{len(codes)} gemeenten × 3 bestanden + {len(correcties)} correcties = {expected_files} bestanden, "
        f"{args.threads} client-threads"
    )
    for label, value in figures.items():
        print(f"  {label:<32}{value:8.1f}")
    print(f"  {'piekgeheugen (MiB)':<32}{peak_mib:8.0f}")
    per_partij = ", ".join(f"{party} {seconds:.1f}" for party, seconds in cpu.items())
    print(f"  CPU-seconden per partij: {per_partij}"
          f" (samen {sum(cpu.values()):.1f} in {figures['totaal (s)']:.1f} s)")
    print(f"  {'verhouding tot de kale relay':<32}{ratio:8.1f}x  "
          f"({len(uit)} bestanden uit, {len(terug)} rapporten terug)")
    print("per hop:")
    for label, value in hops.items():
        print(f"  {label:<36}{value:8d}")
    by_status: dict[str, int] = {}
    for levering in status:
        by_status[levering["status"]] = by_status.get(levering["status"], 0) + 1
    print("leveringen bij het CBS:", ", ".join(f"{k}: {v}" for k, v in sorted(by_status.items())))
    lost = [
        label
        for label in hops
        if "verzonden" in label or "afgegeven" in label
        if hops[label] != hops[label.replace("verzonden", "ontvangen").replace("afgegeven", "ontvangen")]
    ]
    ok = (
        all(s == 201 for s in statuses)
        and not lost
        and hops["gemeente→ggk uploads aangenomen"] == expected_files
        and hops["rinis→cbs bestanden ontvangen"] == expected_files
    )
    print(
        "target ≤ 30 s:",
        "met" if figures["totaal (s)"] <= 30 else "NOT met",
        "| ≤ 3× relay:",
        "met" if ratio <= 3 else "NOT met",
        "| ≤ 1 GiB:",
        "met" if peak_mib <= 1024 else "NOT met",
        "| nothing lost:",
        "yes" if ok else f"NO {lost}",
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "figures": figures,
                    "ratio": ratio,
                    "cpu_s": cpu,
                    "peak_mib": peak_mib,
                    "hops": hops,
                    "statuses": by_status,
                    "files": expected_files,
                },
                indent=1,
            )
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
