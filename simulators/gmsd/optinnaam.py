"""The name of an opt-in, withdrawal or spiegelrapport-response file (docs/optin.md):
``OPTIN_H12016_0363_20160815090000.csv``, ``INTREKKING_...``, ``REACTIE_...``.

The GGk makes it, RINIS routes by it (such a file travels without metadata), CBS reads the
period and gemeente from it. Signed decisions travel as a ZIP of the same name.
"""

from __future__ import annotations

import re

from .periodes import PATROON

NAAM = re.compile(rf"(?P<soort>OPTIN|INTREKKING|REACTIE)_(?P<periode>{PATROON})_(?P<gemeentecode>\d{{4}})_"
                  r"(?P<tijdstip>\d{14})\.csv", re.ASCII)
"""The CSV as the GGk writes it."""
ONTVANGEN_NAAM = re.compile(NAAM.pattern.removesuffix(r"\.csv") + r"\.(?:csv|zip)", re.ASCII)
"""As it may travel: the CSV, or the signed ZIP around it."""
PREFIXES = ("OPTIN_", "INTREKKING_", "REACTIE_")
