"""The deadline day as a Locust load shape.

Up to ``duur`` the number of users follows :meth:`Plan.gestart` (each user a gemeente
that delivers once). Then the shape holds every user until every gemeente is done and
their report events have reached the master's figures (workers report every few
seconds), or until :attr:`Plan.einde`; then the run stops.
"""

from __future__ import annotations

from locust import LoadTestShape

from .plan import DUBBEL_NAAM, RAPPORT, RAPPORT_NAAM, Plan


class DeadlineDay(LoadTestShape):
    """Gemeenten arriving over the deadline day, the last ones in a rush with ``--piek``."""

    def tick(self) -> tuple[int, float] | None:
        environment = self.runner.environment
        plan = Plan.from_options(environment.parsed_options)
        seconden = self.get_run_time()
        if seconden < plan.duur:
            doel = plan.gestart(seconden + 1)
            return doel, float(max(1, doel - self.get_current_user_count()))
        roster = environment.roster
        if seconden >= plan.einde or (roster.klaar >= plan.gemeenten
                                      and self.reported() >= roster.rapportgebeurtenissen):
            return None
        return plan.gemeenten, float(max(1, plan.gemeenten - self.get_current_user_count()))

    def reported(self) -> int:
        """Report events in the master's figures so far."""
        entries = self.runner.stats.entries
        return sum(entries[(naam, RAPPORT)].num_requests for naam in (RAPPORT_NAAM, DUBBEL_NAAM)
                   if (naam, RAPPORT) in entries)
