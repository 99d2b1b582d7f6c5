"""Verslagperiodes (half years) and which ones may be delivered on a given day.

A delivery for a half year starts on the first of the month after it (seed 003), and
the services work for the current period and at most one previous one (000 ch.4):
on 15 August 2016 those are H1 2016 (current) and H2 2015 (previous).
"""

from __future__ import annotations

import re
from datetime import date

PATROON = r"H[12]\d{4}"
"""A code uitvraag (verslagperiode) as written in file names and messages: H12016, H22017.
The one home of this pattern: build others from it (``rf"_({PATROON})"``)."""
PERIODE = re.compile(PATROON)
CODE_IN_NAAM = re.compile(rf"_({PATROON})(?![0-9])", re.ASCII)
"""The code uitvraag inside a file name: ``WMO_H12016_regulier.csv`` -> ``H12016``."""


def is_periode(code: str) -> bool:
    return PERIODE.fullmatch(code) is not None


def code_uitvraag(jaar: int, halfjaar: int) -> str:
    return f"H{halfjaar}{jaar}"


def deliverable(op: date) -> tuple[str, str]:
    """(current, previous) code uitvraag for a delivery made on ``op``."""
    if op.month >= 7:
        return code_uitvraag(op.year, 1), code_uitvraag(op.year - 1, 2)
    return code_uitvraag(op.year - 1, 2), code_uitvraag(op.year - 1, 1)


def current(op: date) -> tuple[int, int]:
    """(jaar, halfjaar) of the current verslagperiode on ``op``."""
    return (op.year, 1) if op.month >= 7 else (op.year - 1, 2)
