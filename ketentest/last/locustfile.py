"""What Locust loads (``locust -f``) in every process of a ``ketentest last`` run: the
gemeente user, the deadline-day shape, the run's own options, the roster, and the
figures the command line turns into ``last.json``.

Locust imports this file by its path, as a module of its own, so it imports the package
absolutely. The options below are Locust's "custom arguments": the master hands them to
its workers, so a worker needs no more than ``--worker --master-host``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from locust import events, runners
from locust.runners import MasterRunner, WorkerRunner

from ketentest.last.gemeente import Gemeente
from ketentest.last.plan import Plan, gemeentecodes
from ketentest.last.roster import Roster
from ketentest.last.shape import DeadlineDay

__all__ = ["Gemeente", "DeadlineDay"]  # what Locust looks for in this module

# The master counts a worker missing after 3 s without a heartbeat (Locust's default) and
# gives its users to the others; when it is back, the master evens the count out again and
# stops gemeenten that were still waiting for their reports. On a busy 2-core machine a
# worker sometimes went 3 s without being scheduled: allow 15 s before calling it missing.
runners.HEARTBEAT_LIVENESS = 15


@events.init_command_line_parser.add_listener
def options(parser) -> None:
    groep = parser.add_argument_group("ketentest last")
    groep.add_argument("--gemeenten", type=int, default=len(gemeentecodes()), help="Gemeenten that deliver.")
    groep.add_argument("--duur", type=float, default=30.0, help="Seconds within which they all start.")
    groep.add_argument("--piek", type=float, default=0.0, help="Half of them start in the last PIEK s.")
    groep.add_argument("--wacht", type=float, default=300.0, help="Seconds a gemeente waits for its reports.")
    groep.add_argument("--rijen", type=int, default=25, help="Clients in each WMO file.")
    groep.add_argument("--polls", type=int, default=4, help="Long-polls at a time in each Locust process.")
    groep.add_argument("--ggk-ca", default=None, help="CA bundle (PEM) that signed the GGk's certificate.")
    groep.add_argument("--ggk-cert", default=None, help="Client certificate (PEM) for the GGk.")
    groep.add_argument("--ggk-key", default=None, help="Key of --ggk-cert (PEM).")
    groep.add_argument("--cijfers", default=None, help="Where the master writes the run's figures (JSON).")


@events.init.add_listener
def on_init(environment, runner, **kwargs) -> None:
    plan = Plan.from_options(environment.parsed_options)
    environment.roster = Roster(runner, gemeentecodes()[:plan.gemeenten])
    if isinstance(runner, WorkerRunner) or not environment.parsed_options.cijfers:
        return
    run = {"workers": 1}

    def test_start(environment, **kwargs) -> None:
        run["workers"] = runner.worker_count if isinstance(runner, MasterRunner) else 1
        run["begin"] = time.time()

    def quitting(environment, **kwargs) -> None:
        write_figures(environment, Path(environment.parsed_options.cijfers), run)

    environment.events.test_start.add_listener(test_start)
    environment.events.quitting.add_listener(quitting)


def write_figures(environment, path: Path, run: dict) -> None:
    """Every entry of Locust's statistics and every error, as the master holds them at the end."""
    stats = environment.runner.stats
    verzoeken = [{"soort": e.method, "naam": e.name, "aantal": e.num_requests, "fouten": e.num_failures,
                  **{f"p{round(p * 100)}_ms": e.get_response_time_percentile(p) for p in (0.5, 0.95, 0.99)},
                  "gemiddeld_ms": round(e.avg_response_time, 1), "max_ms": e.max_response_time,
                  "laatste": e.last_request_timestamp}
                 for e in stats.entries.values()]
    fouten = [{"soort": e.method, "naam": e.name, "fout": str(e.error), "aantal": e.occurrences}
              for e in stats.errors.values()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"workers": run["workers"], "begin": run.get("begin"),
                                "einde": time.time(), "verzoeken": verzoeken, "fouten": fouten},
                               ensure_ascii=False, indent=1), encoding="utf-8")
