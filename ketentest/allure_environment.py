"""What the Allure report says about the run itself: environment, executor and defect categories.

Allure reads three optional files from its results directory: ``environment.properties``
(the Environment block: which parties, simulated or real, which versions),
``executor.json`` (who ran it: the report and build name) and ``categories.json``
(how failed and broken scenarios are grouped on the Categories tab). This module writes
them; it knows nothing of pytest and is called once per run with the parties' details.

``environment.properties`` is written as Java's ``Properties.store`` writes it: ASCII
only, with ``\\uXXXX`` for everything else, because Allure 2 reads it with
``Properties.load`` (ISO-8859-1) and a raw UTF-8 "é" would come out as "Ã©".
"""

from __future__ import annotations

import json
import platform
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from simulators import __version__

__all__ = ["PartyInfo", "categories", "categories_json", "properties_text", "write_environment"]

SOORTEN = ("gesimuleerd", "echt")


@dataclass(frozen=True)
class PartyInfo:
    """One party of the chain under test, as the report names it."""

    naam: str
    url: str
    soort: str  # "gesimuleerd" or "echt"
    versie: str

    @classmethod
    def uit(cls, gegeven: Mapping[str, Any]) -> PartyInfo:
        """From a dict with naam, url, soort and versie (name, mode and version also do)."""

        def veld(*namen: str) -> str:
            return next((str(gegeven[n]) for n in namen if gegeven.get(n) is not None), "")

        partij = cls(naam=veld("naam", "name"), url=veld("url"),
                     soort=veld("soort", "modus", "mode"), versie=veld("versie", "version") or "onbekend")
        if not partij.naam:
            raise ValueError(f"partij zonder naam: {dict(gegeven)!r}")
        if partij.soort not in SOORTEN:
            raise ValueError(f"partij {partij.naam}: soort is {partij.soort!r}; "
                             f"verwacht {' of '.join(repr(s) for s in SOORTEN)}")
        return partij


def write_environment(
    alluredir: Path,
    partijen: Iterable[Mapping[str, Any]],
    extra: Mapping[str, str] | None = None,
    *,
    executor: Mapping[str, Any] | None = None,
) -> None:
    """Write ``environment.properties`` and ``executor.json`` into ``alluredir``.

    ``partijen`` describes each party (naam, url, soort "gesimuleerd" or "echt",
    versie); ``extra`` adds or overrides environment lines; ``executor`` adds or
    overrides executor fields (a CI's buildOrder, buildUrl, reportUrl).
    """
    lijst = [PartyInfo.uit(p) for p in partijen]
    alluredir = Path(alluredir)
    alluredir.mkdir(parents=True, exist_ok=True)
    omgeving = _omgeving(lijst) | dict(extra or {})
    (alluredir / "environment.properties").write_text(properties_text(omgeving), encoding="ascii")
    uitvoerder = {
        "name": "ketentest",
        "type": "ketentest",
        "reportName": f"Ketentest GMSD ({_keten(lijst)})",
        "buildName": f"ketentest {__version__}, {_keten(lijst)}",
    } | dict(executor or {})
    (alluredir / "executor.json").write_text(
        json.dumps(uitvoerder, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _omgeving(partijen: list[PartyInfo]) -> dict[str, str]:
    omgeving = {
        "keten": _keten(partijen),
        "ketentest": __version__,
        "python": platform.python_version(),
        "pytest-bdd": _versie("pytest-bdd"),
        "lxml": _versie("lxml"),
    }
    for partij in partijen:
        omgeving[partij.naam] = f"{partij.soort}, versie {partij.versie}"
        omgeving[f"{partij.naam}.url"] = partij.url
    return omgeving


def _keten(partijen: list[PartyInfo]) -> str:
    """"gesimuleerd", "echt", or "gemengd (echt: cbs)" for a chain with some real partners."""
    echt = [p.naam for p in partijen if p.soort == "echt"]
    if not echt:
        return "gesimuleerd"
    if len(echt) == len(partijen):
        return "echt"
    return f"gemengd (echt: {', '.join(echt)})"


def _versie(pakket: str) -> str:
    try:
        return metadata.version(pakket)
    except metadata.PackageNotFoundError:
        return "onbekend"


def properties_text(waarden: Mapping[str, str]) -> str:
    """``waarden`` as the lines of a Java properties file, in the order given."""
    return "".join(f"{_escape(str(k), sleutel=True)}={_escape(str(v), sleutel=False)}\n"
                   for k, v in waarden.items())


_TEKENS = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f",
           "=": "\\=", ":": "\\:", "#": "\\#", "!": "\\!"}


def _escape(tekst: str, sleutel: bool) -> str:
    """As ``Properties.saveConvert``: a space is escaped throughout a key, in a value only
    when leading (a loader strips leading blanks); non-ASCII becomes UTF-16 ``\\uXXXX``."""
    uit = []
    for i, teken in enumerate(tekst):
        if teken == " ":
            uit.append("\\ " if sleutel or i == 0 else " ")
        elif teken in _TEKENS:
            uit.append(_TEKENS[teken])
        elif 0x20 <= ord(teken) <= 0x7E:
            uit.append(teken)
        else:
            utf16 = teken.encode("utf-16-be")
            uit.extend(f"\\u{int.from_bytes(utf16[j:j + 2], 'big'):04X}" for j in range(0, len(utf16), 2))
    return "".join(uit)


def categories() -> list[dict[str, Any]]:
    """The Dutch defect categories; Allure gives a scenario the first that matches.

    Allure 2 matches ``messageRegex`` against the whole message with DOTALL, so
    ``.*X.*`` finds X on any line of a multi-line assertion message.
    """
    return [
        {"name": "StUF-fout (Fo01/Fo03)", "messageRegex": ".*Fo0[123].*",
         "matchedStatuses": ["failed", "broken"]},
        {"name": "Tijdlijn / SLA overschreden", "messageRegex": ".*(werkdag|SLA|termijn).*",
         "matchedStatuses": ["failed", "broken"]},
        {"name": "Technische controle", "messageRegex": r".*TC\d\d.*",
         "matchedStatuses": ["failed"]},
        {"name": "Verbinding / infrastructuur", "messageRegex": ".*(Connection|Timeout|verbinding).*",
         "matchedStatuses": ["broken", "failed"]},
    ]


def categories_json(alluredir: Path | None = None) -> str:
    """The categories as ``categories.json`` text; written into ``alluredir`` when given."""
    tekst = json.dumps(categories(), ensure_ascii=False, indent=2) + "\n"
    if alluredir is not None:
        Path(alluredir).mkdir(parents=True, exist_ok=True)
        (Path(alluredir) / "categories.json").write_text(tekst, encoding="utf-8")
    return tekst
