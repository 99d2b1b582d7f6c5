"""The coordinator's chain view (*regie*): every delivery across the four parties, live, on one page.

``ketentest up`` serves it next to the parties (the fifth line, ``regie <url>``);
``ketentest regie --url ggk=… …`` serves it for parties started elsewhere. Like the rest of
the harness it reaches the parties only over HTTP: their journals (read incrementally), their
``/health`` and, where a party has them, its control API and read-only listings.

* :mod:`.sources`: one party over HTTP, remembered between requests;
* :mod:`.index`: which journal line belongs to which delivery (GGk reference);
* :mod:`.leveringen`: a delivery's steps at every party, its faults and verdict;
* :mod:`.sla`: its deadlines in working days on the timeline's calendar;
* :mod:`.chain_view`: the state, refreshed at most every ``ttl`` seconds;
* :mod:`.query`, :mod:`.export`: filters and sorting; JSON and CSV;
* :mod:`.app`: the Flask app and its templates (``templates/regie/``).

docs/regie.md says what the page shows and what the JSON and CSV fields mean.
"""

from .app import RegieServer, create_app, serve
from .chain_view import ChainView, PartijStand, Snapshot
from .leveringen import STAPPEN, TOESTANDEN, Levering

__all__ = ["STAPPEN", "TOESTANDEN", "ChainView", "Levering", "PartijStand", "RegieServer", "Snapshot",
           "create_app", "serve"]
