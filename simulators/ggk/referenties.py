"""The GGk reference ``yyyymmdd-hhmmss-nnn`` (seed 003): what a gemeente quotes for each CSV
it uploaded and each opt-in it sent. Uploads (``referenties``) and opt-ins (``optins``)
share one count per second, so no two items ever get the same reference."""

from __future__ import annotations

import sqlite3
from datetime import datetime

TABELLEN = ("referenties", "optins")


def next_referentie(db: sqlite3.Connection, moment: datetime) -> str:
    """The next ``yyyymmdd-hhmmss-nnn`` in this second (read within the caller's transaction,
    which then stores it)."""
    prefix = moment.strftime("%Y%m%d-%H%M%S")
    # a range, not LIKE: it reads the index (LIKE ignores case, so SQLite scans the table, and a
    # deadline day puts a thousand uploads in one simulated second)
    used = sum(db.execute(f"SELECT COUNT(*) FROM {table} WHERE referentie >= ? AND referentie < ?",
                          (prefix + "-", prefix + ".")).fetchone()[0] for table in TABELLEN)
    return f"{prefix}-{used + 1:03d}"
