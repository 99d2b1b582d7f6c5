"""An append-only audit log in a party's SQLite store: who did what, for which gemeente,
with what result, from where, and when (on the party's clock).

The GGk portal logs every action and refusal of a person (``ggk/portaal/backend.py``); CBS
logs every check of a signed opt-in (``cbs/backend.py``). Triggers refuse every UPDATE,
and every DELETE except the harness's reset, which lifts the guard for the one
transaction that empties the table. Coordinators read it at ``GET /_beheer/audit``.
"""

from __future__ import annotations

import sqlite3

from .clock import Clock
from .store import Store


def schema(tabel: str) -> str:
    """The table, its guard table and the triggers that keep it append-only."""
    return f"""
CREATE TABLE IF NOT EXISTS {tabel} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tijdstip TEXT NOT NULL,                    -- party clock, ISO
    wie TEXT NOT NULL,                         -- who acted (identity, e-mail address, signer)
    gemeentecode TEXT,
    actie TEXT NOT NULL,                       -- inloggen, upload, optin, optin-handtekening, ...
    resultaat TEXT NOT NULL,                   -- gelukt, geweigerd, verlopen, aanvaard, ...
    details TEXT NOT NULL DEFAULT '',
    herkomst TEXT NOT NULL                     -- remote address, or the message it came in
);
CREATE TABLE IF NOT EXISTS {tabel}_wissen (ja INTEGER);
CREATE TRIGGER IF NOT EXISTS {tabel}_geen_update BEFORE UPDATE ON {tabel}
BEGIN SELECT RAISE(ABORT, 'het auditlog is alleen aan te vullen'); END;
CREATE TRIGGER IF NOT EXISTS {tabel}_geen_delete BEFORE DELETE ON {tabel}
WHEN NOT EXISTS (SELECT 1 FROM {tabel}_wissen)
BEGIN SELECT RAISE(ABORT, 'het auditlog is alleen aan te vullen'); END;
"""


class Auditlog:
    """Writing and reading one audit table of a party."""

    def __init__(self, store: Store, clock: Clock, tabel: str) -> None:
        self.store, self.clock, self.tabel = store, clock, tabel

    def schrijf(self, wie: str, gemeentecode: str | None, actie: str, resultaat: str, details: str = "",
                herkomst: str = "onbekend", db: sqlite3.Connection | None = None) -> None:
        """Add one line; within ``db``'s transaction when given, so it stands or falls with it."""
        sql = (f"INSERT INTO {self.tabel} (tijdstip, wie, gemeentecode, actie, resultaat, details, herkomst)"
               " VALUES (?,?,?,?,?,?,?)")
        waarden = (self.clock.now().isoformat(), wie, gemeentecode, actie, resultaat, details[:2000],
                   herkomst or "onbekend")
        if db is not None:
            db.execute(sql, waarden)
        else:
            self.store.execute(sql, waarden)

    def lees(self, gemeentecode: str | None = None, actie: str | None = None, na: int = 0) -> list[dict]:
        sql, params = f"SELECT * FROM {self.tabel} WHERE id > ?", [na]
        for kolom, waarde in (("gemeentecode", gemeentecode), ("actie", actie)):
            if waarde:
                sql += f" AND {kolom} = ?"
                params.append(waarde)
        return [dict(r) for r in self.store.query(sql + " ORDER BY id", tuple(params))]

    def wis(self) -> None:
        """The harness's reset: lift the guard and empty the table. The guard stays lifted
        until the store's wipe empties the guard table too (it comes after this table)."""
        with self.store.transaction() as db:
            db.execute(f"INSERT INTO {self.tabel}_wissen VALUES (1)")
            db.execute(f"DELETE FROM {self.tabel}")


KOLOMMEN = ("id", "tijdstip", "wie", "actie", "resultaat", "herkomst", "details")


def als_tabel(regels: list[dict]) -> str:
    """Audit lines as a text table a person reads in the report (details last, unpadded)."""
    rijen = [[str(r.get(k, "")) for k in KOLOMMEN] for r in regels]
    breedte = [max([len(k)] + [len(r[i]) for r in rijen]) for i, k in enumerate(KOLOMMEN[:-1])]

    def regel(velden: list[str]) -> str:
        return "  ".join(v.ljust(b) for v, b in zip(velden, breedte, strict=False)) + "  " + velden[-1]
    return "\n".join([regel(list(KOLOMMEN)), *(regel(r) for r in rijen)]) + "\n"
