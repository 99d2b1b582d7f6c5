"""CBS's table of inhabitants per gemeente on 1 January 2016 and who reports Iv3: what the
SBO threshold (rule TC18) reads.

The figures come from a file a coordinator can replace (``simulators/data/inwoners/``, see
its SOURCE.md: it ships without figures) and, during a test, from ``PUT /_beheer/inwoners``
(kept in the store until a reset, over the file's). A gemeente neither names is unknown:
TC18 does not judge it.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from ..store import Store
from .check import SboToets

BESTAND = Path(__file__).resolve().parent.parent / "data" / "inwoners" / "inwoners-2016-01-01.csv"
DREMPEL = 20_000
SCHEMA = """
CREATE TABLE IF NOT EXISTS inwoners (
    gemeentecode TEXT PRIMARY KEY,
    inwoners INTEGER,
    iv3 INTEGER NOT NULL DEFAULT 0
);
"""


class InwonersRefused(ValueError):
    """A table of inhabitants that cannot be taken; the text says why, in Dutch."""


def lees_bestand(pad: Path) -> dict[str, tuple[int | None, bool]]:
    """gemeentecode -> (inwoners, levert Iv3) from a ``gemeentecode;inwoners;iv3`` file."""
    with pad.open(encoding="utf-8", newline="") as handle:
        return {r["gemeentecode"].strip(): (int(r["inwoners"]) if (r.get("inwoners") or "").strip() else None,
                                            (r.get("iv3") or "").strip().lower() == "ja")
                for r in csv.DictReader(handle, delimiter=";") if (r.get("gemeentecode") or "").strip()}


class Inwoners:
    """The table, from the file and the figures a test put in."""

    def __init__(self, store: Store, options: dict[str, Any]) -> None:
        self.store = store
        self.bestand = lees_bestand(Path(options.get("inwoners_bestand", BESTAND)))
        self.drempel = int(options.get("sbo_max_inwoners", DREMPEL))

    def toets(self, gemeentecode: str) -> SboToets | None:
        """What TC18 knows of the gemeente (None: nothing)."""
        row = self.store.one("SELECT inwoners, iv3 FROM inwoners WHERE gemeentecode = ?", (gemeentecode,))
        if row is not None:
            return SboToets(row["inwoners"], bool(row["iv3"]), self.drempel)
        if gemeentecode in self.bestand:
            inwoners, iv3 = self.bestand[gemeentecode]
            return SboToets(inwoners, iv3, self.drempel)
        return None

    def zet(self, body: Any) -> dict:
        """Put figures in: ``{"inwoners": {code: n}, "iv3": [code, ...]}``; returns the table set."""
        if not isinstance(body, dict) or not set(body) <= {"inwoners", "iv3"}:
            raise InwonersRefused("stuur een JSON-object met 'inwoners' ({gemeentecode: aantal}) en/of "
                                  "'iv3' ([gemeentecode, ...])")
        inwoners, iv3 = body.get("inwoners", {}), body.get("iv3", [])
        if not isinstance(inwoners, dict) or not all(
                _code(k) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
                for k, v in inwoners.items()):
            raise InwonersRefused("'inwoners' is {gemeentecode van 4 cijfers: aantal (0 of meer)}")
        if not isinstance(iv3, list) or not all(_code(c) for c in iv3):
            raise InwonersRefused("'iv3' is een lijst van gemeentecodes van 4 cijfers")
        with self.store.transaction() as db:
            for code in {*inwoners, *iv3}:
                uit_bestand = (self.bestand.get(code) or (None, False))[0]
                db.execute("INSERT OR REPLACE INTO inwoners VALUES (?,?,?)",
                           (code, inwoners.get(code, uit_bestand), int(code in iv3)))
        return self.tabel()

    def tabel(self) -> dict:
        rows = self.store.query("SELECT * FROM inwoners ORDER BY gemeentecode")
        return {"inwoners": {r["gemeentecode"]: r["inwoners"] for r in rows if r["inwoners"] is not None},
                "iv3": [r["gemeentecode"] for r in rows if r["iv3"]], "drempel": self.drempel}


def _code(waarde: Any) -> bool:
    return isinstance(waarde, str) and len(waarde) == 4 and waarde.isdigit()

