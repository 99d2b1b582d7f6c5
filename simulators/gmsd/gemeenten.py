"""Real gemeentecodes (CBS, via NLExtract; see data/gemeenten/SOURCE.md)."""

from __future__ import annotations

import csv
from datetime import date
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "gemeenten" / "gemeentelijke-indeling.csv"


@cache
def _rows() -> tuple[dict[str, str], ...]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle, delimiter=";"))


def gemeenten(op: date | None = None) -> dict[str, str]:
    """gemeentecode -> naam; on a date: the gemeenten that existed then, else all since 2015."""
    result: dict[str, str] = {}
    for row in _rows():
        begin, einde = row["begindatum"], row["einddatum"]
        if op is not None:
            if not (begin <= op.isoformat() and (not einde or einde > op.isoformat())):
                continue
        elif einde and einde < "2015-01-01":
            continue
        result[row["gemeentecode"]] = row["gemeentenaam"]
    return result
