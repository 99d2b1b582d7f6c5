"""A gemeente (or its software vendor's application) in the GMSD chain.

It composes a delivery (a generated WMO file with valid BSNs), uploads it to the GGk
web service, and fetches its reports from the GGk download area when the GGk tells
it one is ready. It never receives Bv03 or Fo03: refusals reach it as Fo01 error
reports in the download area.
"""

from __future__ import annotations

from ..gmsd import periodes
from ..gmsd.generator import SOORTEN, bestandsnaam, generate
from ..party import Party, PartyConfig
from ..store import Entry
from ..tasks import TransientError

SCHEMA = """
CREATE TABLE IF NOT EXISTS aanleveringen (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    gemeentecode TEXT NOT NULL,
    bestandsnaam TEXT NOT NULL,
    tijdstip TEXT NOT NULL,
    status INTEGER NOT NULL,             -- HTTP status of the GGk's answer
    antwoord TEXT NOT NULL               -- the GGk's JSON answer
);
CREATE TABLE IF NOT EXISTS rapporten (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    gemeentecode TEXT NOT NULL,
    download_id INTEGER NOT NULL,
    soort TEXT NOT NULL,
    bestandsnaam TEXT NOT NULL,
    inhoud BLOB NOT NULL,
    content_type TEXT NOT NULL,
    opgehaald TEXT NOT NULL,
    UNIQUE (gemeentecode, download_id)
);
"""

DEFAULT_GEMEENTECODE = "0363"


class DeliveryRefused(Exception):
    """The GGk refused the upload: status and the GGk's own message."""

    def __init__(self, status: int, answer: dict) -> None:
        super().__init__(answer.get("melding", ""))
        self.status = status
        self.answer = answer


class Gemeente(Party):
    name = "gemeente"
    schema = SCHEMA

    def __init__(self, config: PartyConfig) -> None:
        super().__init__(config)
        self.default_gemeentecode = config.options.get("gemeentecode", DEFAULT_GEMEENTECODE)
        self.default_gebruiker = config.options.get("gebruiker", "medewerker@gemeente.nl")

    def task_handlers(self):
        return {"rapport_ophalen": self._fetch_report}

    def compose(self, soort: str = "WMO", gemeentecode: str | None = None, rijen: int = 25,
                jaar: int | None = None, halfjaar: int | None = None,
                vrije_tekst: str | None = None, seed: int = 0) -> tuple[str, bytes]:
        """A WMO, SBO or JEUGD file for the current verslagperiode unless a period is named."""
        if soort not in SOORTEN:
            raise ValueError(f"soort '{soort}' is onbekend; kies uit {', '.join(SOORTEN)}")
        gemeentecode = gemeentecode or self.default_gemeentecode
        now = self.clock.now()
        if jaar is None or halfjaar is None:
            jaar, halfjaar = periodes.current(now.date())
        data = generate(soort, gemeentecode, jaar, halfjaar, now, rows=rijen, seed=seed)
        return bestandsnaam(soort, jaar, halfjaar, vrije_tekst), data

    def deliver(self, files: list[tuple[str, bytes]], gemeentecode: str | None = None,
                gebruiker: str | None = None) -> dict:
        """Upload files to the GGk; returns its answer (references per CSV)."""
        gemeentecode = gemeentecode or self.default_gemeentecode
        gebruiker = gebruiker or self.default_gebruiker
        for name, data in files:
            self.journal.record(Entry("uit", "ggk", "upload", data, "text/csv",
                                      bestandsnaam=name))
        response = self.courier.request(
            "POST", self.url("ggk") + "/api/v1/uploads",
            data={"gemeentecode": gemeentecode, "gebruiker": gebruiker},
            files=[("bestand", (name, data)) for name, data in files])
        answer = response.json()
        references = [r["referentie"] for u in answer.get("uploads", []) for r in u["referenties"]]
        self.journal.record(Entry("in", "ggk", "upload-antwoord", response.content,
                                  "application/json", correlatie=(references or [None])[0]))
        self.store.execute(
            "INSERT INTO aanleveringen (gemeentecode, bestandsnaam, tijdstip, status, antwoord)"
            " VALUES (?,?,?,?,?)", (gemeentecode, ", ".join(n for n, _ in files),
                                    self.clock.now().isoformat(), response.status_code,
                                    response.text))
        if response.status_code != 201:
            raise DeliveryRefused(response.status_code, answer)
        return answer

    def notified(self, gemeentecode: str, download_id: int) -> None:
        self.tasks.add("rapport_ophalen", {"gemeentecode": gemeentecode, "download_id": download_id})

    def _fetch_report(self, data: dict) -> None:
        code, download_id = data["gemeentecode"], data["download_id"]
        listing = self.courier.request(
            "GET", f"{self.url('ggk')}/api/v1/gemeenten/{code}/downloads",
            params={"na": download_id - 1}).json()
        item = next((i for i in listing if i["id"] == download_id), None)
        if item is None:
            raise TransientError(f"download {download_id} staat (nog) niet klaar")
        response = self.courier.request(
            "GET", f"{self.url('ggk')}/api/v1/gemeenten/{code}/downloads/{download_id}")
        response.raise_for_status()
        with self.store.transaction() as db:
            self.journal.record(Entry("in", "ggk", item["soort"], response.content,
                                      item["content_type"], bestandsnaam=item["bestandsnaam"],
                                      crossRefnummer=item["crossRefnummer"],
                                      correlatie=item["correlatie"]), db)
            db.execute("INSERT OR IGNORE INTO rapporten (gemeentecode, download_id, soort,"
                       " bestandsnaam, inhoud, content_type, opgehaald) VALUES (?,?,?,?,?,?,?)",
                       (code, download_id, item["soort"], item["bestandsnaam"], response.content,
                        item["content_type"], self.clock.now().isoformat()))

    def reports(self, gemeentecode: str | None = None) -> list[dict]:
        sql = ("SELECT id, gemeentecode, download_id, soort, bestandsnaam, content_type, opgehaald"
               " FROM rapporten")
        params: tuple = ()
        if gemeentecode:
            sql, params = sql + " WHERE gemeentecode = ?", (gemeentecode,)
        return [dict(r) for r in self.store.query(sql + " ORDER BY id", params)]

    def report(self, report_id: int) -> tuple[str, bytes, str] | None:
        row = self.store.one("SELECT bestandsnaam, inhoud, content_type FROM rapporten WHERE id = ?",
                             (report_id,))
        return None if row is None else (row["bestandsnaam"], bytes(row["inhoud"]),
                                         row["content_type"])


__all__ = ["DeliveryRefused", "Gemeente", "PartyConfig"]
