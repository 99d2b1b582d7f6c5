"""Which journal line belongs to which delivery, filed as the lines arrive.

Every party journals the GGk reference of an upload as ``correlatie``; this index files each
line under the reference it concerns, one line at a time, so a page that asks the parties
again only files what is new. Three cases need more than the correlatie:

* a ZIP gets one GGk reference per CSV: the upload's lines carry the first, every report
  (``CBS_<SOORT>_<gemeente>_<periode>_<referentie>.pdf``, as a ZIP in the download area) the
  reference of its own CSV, which its name says. A report whose correlatie is the upload's
  ties that CSV's reference to the upload (:attr:`DeliveryIndex.root`);
* RINIS journals a StUF message before it knows the reference (it learns it from the
  metadata record, and never does when it refuses that record): such a line is filed under
  the delivery whose line carries its referentienummer or crossRefnummer, once one does;
* the gemeente journals its upload before the GGk has answered with a reference: the answer,
  the next line of its journal, says which.

Lines whose correlatie is no GGk reference (opt-ins carry a file name) concern no delivery.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from simulators.gmsd import rapportnaam

__all__ = ["REFERENTIE", "DeliveryIndex", "Line", "report_of"]

REFERENTIE = re.compile(r"\d{8}-\d{6}-\d{3,}")
"""A GGk reference: the upload's time and a count, ``20160815-090000-001`` (docs/keten.md)."""

Line = tuple[str, Mapping[str, Any]]
"""A journal line with the party whose journal holds it: ``(partij, regel)``."""


@lru_cache(maxsize=8192)
def report_of(bestandsnaam: str | None) -> rapportnaam.Rapportnaam | None:
    """The report a file name names (a PDF at CBS and RINIS, the same name as ZIP at the GGk);
    cached: every report's name comes by in six journal lines."""
    if not bestandsnaam or not bestandsnaam.startswith("CBS_"):
        return None
    if bestandsnaam.endswith(".zip"):
        bestandsnaam = bestandsnaam[:-4] + ".pdf"
    return rapportnaam.parse(bestandsnaam)


class DeliveryIndex:
    """Journal lines filed per GGk reference; :meth:`add` one line at a time."""

    def __init__(self) -> None:
        self.lines: dict[str, list[Line]] = {}
        """Per reference, its lines in the order they were added."""
        self.root: dict[str, str] = {}
        """A ZIP member's reference -> the reference of the upload it came in."""
        self._numbers: dict[str, str] = {}  # StUF referentienummer -> the reference it was filed under
        self._waiting: dict[str, list[Line]] = {}  # StUF number -> lines that wait for it
        self._uploads: dict[str, list[Line]] = {}  # per party: uploads that wait for the GGk's answer
        self._filed: set[tuple[str, Any]] = set()  # (partij, journal id) of every line filed

    def add(self, partij: str, regel: Mapping[str, Any]) -> set[str]:
        """File one line; returns the references whose lines changed (with a ZIP's members)."""
        touched: set[str] = set()
        line = (partij, regel)
        correlatie = regel.get("correlatie")
        rapport = report_of(regel.get("bestandsnaam"))
        if rapport is not None:
            if correlatie and REFERENTIE.fullmatch(correlatie) and correlatie != rapport.referentie:
                if self.root.get(rapport.referentie) != correlatie:
                    self.root[rapport.referentie] = correlatie
                    touched.add(rapport.referentie)
            self._file(rapport.referentie, line, touched)
        elif correlatie:
            if REFERENTIE.fullmatch(correlatie):
                self._file(correlatie, line, touched)
                if regel.get("soort") == "upload-antwoord":
                    for wachtend in self._uploads.pop(partij, []):
                        self._file(correlatie, wachtend, touched)
        elif regel.get("soort") == "upload" and regel.get("richting") == "uit":
            self._uploads.setdefault(partij, []).append(line)
        elif regel.get("soort") == "upload-antwoord":
            self._uploads.pop(partij, None)  # refused: no reference, no delivery
        else:
            numbers = [n for n in (regel.get("referentienummer"), regel.get("crossRefnummer")) if n]
            known = next((self._numbers[n] for n in numbers if n in self._numbers), None)
            if known is not None:
                self._file(known, line, touched)
            else:
                for number in numbers:
                    self._waiting.setdefault(number, []).append(line)
        return self._with_members(touched)

    def _file(self, referentie: str, line: Line, touched: set[str]) -> None:
        key = (line[0], line[1].get("id", id(line[1])))
        if key in self._filed:
            return  # a line that waited under both its numbers comes by twice
        self._filed.add(key)
        self.lines.setdefault(referentie, []).append(line)
        touched.add(referentie)
        number = line[1].get("referentienummer")
        if number and number not in self._numbers:
            self._numbers[number] = referentie
            for wachtend in self._waiting.pop(number, []):
                self._file(referentie, wachtend, touched)

    def _with_members(self, touched: set[str]) -> set[str]:
        if not touched or not self.root:
            return touched
        return touched | {lid for lid, root in self.root.items() if root in touched}

    def references(self) -> list[str]:
        """Every delivery's reference, in the order first seen."""
        return list(self.lines)

    def upload_of(self, referentie: str) -> str:
        """The reference of the upload a reference came in (itself, unless a ZIP member)."""
        return self.root.get(referentie, referentie)

    def members(self, upload: str) -> list[str]:
        """The references of one upload's deliveries: itself, and a ZIP's other CSVs."""
        return [upload, *(lid for lid, root in self.root.items() if root == upload and lid != upload)]

    def lines_of(self, referentie: str) -> list[Line]:
        """A delivery's lines: its upload's (for a ZIP member: without the other CSVs'
        reports) and its own reports."""
        root = self.upload_of(referentie)
        eigen = self.lines.get(referentie, [])
        if root == referentie:
            return list(eigen)
        gedeeld = [line for line in self.lines.get(root, [])
                   if report_of(line[1].get("bestandsnaam")) is None]
        return gedeeld + eigen
