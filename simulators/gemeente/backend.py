"""A gemeente (or its software vendor's application) in the GMSD chain: its rules.

It composes a delivery (a generated WMO, SBO or JEUGD file with valid BSNs), uploads it
to the GGk web service, and fetches its reports from the GGk download area when the GGk
tells it one is ready. It never receives Bv03 or Fo03: refusals reach it as Fo01 error
reports in the download area. It also makes test files for a person (the test-file page).

Every request is checked here, once: a refusal is a :class:`Refused` carrying its HTTP
status and Dutch message; the GGk's own refusal of an upload is a :class:`DeliveryRefused`
passing the GGk's answer on. What travels to and from the GGk is in ``messages.py``.

Where it differs from a real gemeente: its files are generated (``simulators.gmsd.generator``),
and it fetches a report as soon as it is told, where a person would log in to the portal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..gmsd import periodes
from ..gmsd.gemeenten import gemeenten
from ..gmsd.generator import DEFAULT_ROWS, SOORTEN, bestandsnaam, generate
from ..identity import ANYONE
from ..party import Party, PartyConfig
from ..store import Entry
from ..tasks import TransientError
from . import messages

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
MAX_RIJEN = 1_000_000
"""The most rows of a file composed for a delivery (``POST /api/v1/aanleveringen``)."""
MAX_RIJEN_TESTBESTAND = 100_000
"""A test file made in a browser: large enough for a volume try, small enough to stay a download."""


class Refused(ValueError):
    """The gemeente refuses a request; ``status`` is the HTTP status, the text says why in
    Dutch, ``fout`` is the answer's title. 400: the request cannot be read or asks for a file
    the gemeente cannot make; 404: no such report."""

    def __init__(self, melding: str, status: int = 400, fout: str = "Ongeldige invoer") -> None:
        super().__init__(melding)
        self.status = status
        self.fout = fout

    @property
    def answer(self) -> dict:
        """The JSON answer: ``{"fout", "melding"}``."""
        return {"fout": self.fout, "melding": str(self)}


class DeliveryRefused(Refused):
    """The GGk refused the upload: its status, and its own answer, passed on as it came."""

    def __init__(self, status: int, answer: dict) -> None:
        super().__init__(answer.get("melding", ""), status, answer.get("fout", ""))
        self._answer = answer

    @property
    def answer(self) -> dict:
        return self._answer


class Gemeente(Party):
    name = "gemeente"
    schema = SCHEMA
    ACCESS = (("/notificaties", "ggk"), ("/testbestanden", ANYONE), ("/", ANYONE))
    """On a TLS chain: only the GGk notifies; a person's test-file page is open to every
    certificate; composing and delivering on request is the harness's."""

    def __init__(self, config: PartyConfig) -> None:
        super().__init__(config)
        self.default_gemeentecode = config.options.get("gemeentecode", DEFAULT_GEMEENTECODE)
        self.default_gebruiker = config.options.get("gebruiker", "medewerker@gemeente.nl")
        self.ggk = messages.GgkWebService(self.courier, lambda: self.url("ggk"))

    def task_handlers(self):
        return {"rapport_ophalen": self._fetch_report}

    # ------------------------------------------------------------ a delivery

    def deliver_composed(self, request: Mapping[str, Any]) -> dict:
        """Compose the file a JSON request asks for (soort, rijen, jaar, halfjaar, vrije_tekst,
        seed; each optional) and deliver it for its gemeentecode and gebruiker."""
        soort = str(request.get("soort", "WMO")).upper()
        if soort not in SOORTEN:
            raise Refused(f"de gemeente-simulator stelt WMO-, SBO- en JEUGD-bestanden samen, niet '{soort}'; "
                          "stuur een eigen bestand mee als multipart 'bestand'", fout="Onbekende soort")
        try:
            rijen = int(request.get("rijen", DEFAULT_ROWS))
            jaar = int(request["jaar"]) if "jaar" in request else None
            halfjaar = int(request["halfjaar"]) if "halfjaar" in request else None
            seed = int(request.get("seed", 0))
        except (TypeError, ValueError):
            raise Refused("rijen, jaar, halfjaar en seed zijn gehele getallen") from None
        if halfjaar not in (None, 1, 2) or not 0 < rijen <= MAX_RIJEN:
            raise Refused("halfjaar is 1 of 2; rijen tussen 1 en 1.000.000")
        vrije_tekst = request.get("vrije_tekst")
        gemeentecode = request.get("gemeentecode")
        composed = self.compose(soort, gemeentecode, rijen, jaar, halfjaar,
                                None if vrije_tekst is None else str(vrije_tekst), seed)
        return self.deliver([composed], gemeentecode, request.get("gebruiker"))

    def compose(self, soort: str = "WMO", gemeentecode: str | None = None, rijen: int = DEFAULT_ROWS,
                jaar: int | None = None, halfjaar: int | None = None,
                vrije_tekst: str | None = None, seed: int = 0) -> tuple[str, bytes]:
        """A WMO, SBO or JEUGD file for the current verslagperiode unless a period is named;
        the caller has checked the request."""
        gemeentecode = gemeentecode or self.default_gemeentecode
        now = self.clock.now()
        if jaar is None or halfjaar is None:
            jaar, halfjaar = periodes.current(now.date())
        data = generate(soort, gemeentecode, jaar, halfjaar, now, rows=rijen, seed=seed)
        return bestandsnaam(soort, jaar, halfjaar, vrije_tekst), data

    def deliver(self, files: list[tuple[str, bytes]], gemeentecode: str | None = None,
                gebruiker: str | None = None) -> dict:
        """Upload files to the GGk; returns its answer (references per CSV), or raises
        :class:`DeliveryRefused` with the GGk's own."""
        gemeentecode = gemeentecode or self.default_gemeentecode
        gebruiker = gebruiker or self.default_gebruiker
        for name, data in files:
            self.journal.record(Entry("uit", "ggk", "upload", data, "text/csv",
                                      bestandsnaam=name))
        answer = self.ggk.upload(gemeentecode, gebruiker, files)
        self.journal.record(Entry("in", "ggk", "upload-antwoord", answer.content,
                                  "application/json", correlatie=(answer.references or [None])[0]))
        self.store.execute(
            "INSERT INTO aanleveringen (gemeentecode, bestandsnaam, tijdstip, status, antwoord)"
            " VALUES (?,?,?,?,?)", (gemeentecode, ", ".join(n for n, _ in files),
                                    self.clock.now().isoformat(), answer.status, answer.text))
        if not answer.accepted:
            raise DeliveryRefused(answer.status, answer.answer)
        return answer.answer

    # ------------------------------------------------------------ its reports

    def notified(self, body: Any) -> None:
        """The GGk says a download is ready: fetch it (as a task, so the call returns at once)."""
        notification = messages.read_notification(body)
        if notification is None:
            raise Refused("verwacht gemeentecode en download_id", fout="Ongeldige melding")
        self.tasks.add("rapport_ophalen", {"gemeentecode": notification.gemeentecode,
                                           "download_id": notification.download_id})

    def _fetch_report(self, data: dict) -> None:
        code, download_id = data["gemeentecode"], data["download_id"]
        item = self.ggk.download_item(code, download_id)
        if item is None:
            raise TransientError(f"download {download_id} staat (nog) niet klaar")
        inhoud = self.ggk.download(code, download_id, self.default_gebruiker)
        with self.store.transaction() as db:
            self.journal.record(Entry("in", "ggk", item.soort, inhoud, item.content_type,
                                      bestandsnaam=item.bestandsnaam, crossRefnummer=item.crossRefnummer,
                                      correlatie=item.correlatie), db)
            db.execute("INSERT OR IGNORE INTO rapporten (gemeentecode, download_id, soort,"
                       " bestandsnaam, inhoud, content_type, opgehaald) VALUES (?,?,?,?,?,?,?)",
                       (code, download_id, item.soort, item.bestandsnaam, inhoud,
                        item.content_type, self.clock.now().isoformat()))

    def reports(self, gemeentecode: str | None = None) -> list[dict]:
        sql = ("SELECT id, gemeentecode, download_id, soort, bestandsnaam, content_type, opgehaald"
               " FROM rapporten")
        params: tuple = ()
        if gemeentecode:
            sql, params = sql + " WHERE gemeentecode = ?", (gemeentecode,)
        return [dict(r) for r in self.store.query(sql + " ORDER BY id", params)]

    def report(self, report_id: int) -> tuple[str, bytes, str]:
        """(name, bytes, content type) of a fetched report."""
        row = self.store.one("SELECT bestandsnaam, inhoud, content_type FROM rapporten WHERE id = ?",
                             (report_id,))
        if row is None:
            raise Refused(f"rapport {report_id} bestaat niet", 404, "Niet gevonden")
        return row["bestandsnaam"], bytes(row["inhoud"]), row["content_type"]

    # ------------------------------------------------------------ test files, for people

    def test_file_form(self) -> dict:
        """What the test-file page offers: soorten, gemeenten, the periods deliverable today,
        the most rows, and the choice it starts with."""
        vandaag = self.clock.peek()
        huidige, vorige = periodes.deliverable(vandaag.date())
        return {
            "soorten": SOORTEN, "max_rijen": MAX_RIJEN_TESTBESTAND, "klok": vandaag,
            "gemeenten": sorted(gemeenten().items(), key=lambda g: g[1]),
            "perioden": [(huidige, "huidige periode"), (vorige, "vorige periode")],
            "keuze": {"soort": "WMO", "gemeente": self.default_gemeentecode, "periode": huidige,
                      "rijen": str(DEFAULT_ROWS), "seed": "1"},
        }

    def test_file(self, keuze: Mapping[str, str]) -> tuple[str, bytes]:
        """A generated CSV for a person (the same generator as a delivery); nothing is delivered
        or journalled. ``keuze`` is the page's form (soort, gemeente, periode, rijen, seed);
        a refusal names every fault at once."""
        soort, code, periode = keuze["soort"].upper(), keuze["gemeente"], keuze["periode"].upper()
        fouten = []
        if soort not in SOORTEN:
            fouten.append(f"kies een soort uit {', '.join(SOORTEN)}")
        if code not in gemeenten():
            fouten.append(f"'{code}' is geen gemeentecode van het CBS")
        if not periodes.is_periode(periode):
            fouten.append(f"'{periode}' is geen verslagperiode als H12016")
        try:
            rijen, seed = int(keuze["rijen"] or DEFAULT_ROWS), int(keuze["seed"] or 0)
        except ValueError:
            rijen, seed = 0, 0
            fouten.append("aantal regels en seed zijn gehele getallen")
        if not fouten and not 1 <= rijen <= MAX_RIJEN_TESTBESTAND:
            fouten.append(f"aantal regels ligt tussen 1 en {MAX_RIJEN_TESTBESTAND}")
        if fouten:
            raise Refused("Geen bestand gemaakt: " + "; ".join(fouten) + ".")
        return self.compose(soort, code, rijen, int(periode[2:]), int(periode[1]), None, seed)


__all__ = ["DeliveryRefused", "Gemeente", "PartyConfig", "Refused"]
