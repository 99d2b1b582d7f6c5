"""The one-page report for a partner whose endpoint the harness tested.

Allure is the coordinator's report; a partner (GGk, RINIS, CBS, a software vendor) wants
one page that says, per check, what was expected, what their endpoint did and whether
that passes — without reading Python or Gherkin. This module reads the Allure results of
a run (``allure-results/*-result.json``) and writes that page as Markdown and as plain
HTML (no JavaScript), with links to the messages exchanged in each check.

A check's id is the fault id of ``docs/foutcodes.md`` (the ``fout`` column of an outline,
or ``@fout:<id>``) or a ``@controle:<id>`` tag; a scenario without one is listed by name.

A failed check says which of two things happened, read from the class of the failure in the
Allure result: **geen antwoord** (``NoAnswerError``, or a ``requests`` time-out or connection
error: nothing came within the wait, which the message names with the option to raise it) or
**verkeerd antwoord** (anything else that failed a check: something came, and the message says
what was expected and what was received). Every failed check carries the command that reruns
it alone (the Allure parameter ``herhaal``, see ``ketentest/rerun.py``).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .rerun import rerun_command

OORDEEL = {"passed": "voldaan", "failed": "niet voldaan", "broken": "fout in de test",
           "skipped": "niet uitgevoerd", "unknown": "onbekend"}
GEEN_ANTWOORD = "geen antwoord"
VERKEERD_ANTWOORD = "verkeerd antwoord"
NO_ANSWER = re.compile(r"\bNoAnswerError\b|\brequests\.exceptions\.(?:\w*Timeout|ConnectionError|"
                       r"ChunkedEncodingError)\b")
"""How a failure without an answer shows in an Allure result's message or trace."""
EXCEPTION_PREFIX = re.compile(r"^(?:[a-z_]\w*\.)*[A-Z]\w*(?:Error|Exception|Refused|Timeout): ")
"""The exception's class before its message (``steps.drivers.base.WrongAnswerError: ``)."""


@dataclass(frozen=True)
class Bericht:
    naam: str
    bestand: str  # path relative to the report's folder


@dataclass(frozen=True)
class Controle:
    id: str
    verwachting: str
    waargenomen: str
    oordeel: str
    functionaliteit: str
    berichten: tuple[Bericht, ...] = field(default=())
    soort: str = ""
    """Why a failed check failed: ``geen antwoord`` or ``verkeerd antwoord`` (empty when it passed)."""
    herhaal: str = ""
    """The command that reruns this check alone against the same endpoint."""

    @property
    def voldaan(self) -> bool:
        return self.oordeel == "voldaan"

    @property
    def uitslag(self) -> str:
        """The verdict with why it failed: ``niet voldaan: geen antwoord``."""
        if self.soort in (GEEN_ANTWOORD, VERKEERD_ANTWOORD):
            return f"{self.oordeel}: {self.soort}"
        return self.oordeel


def controles(results: Path, relatief_aan: Path, herhaal: str = "") -> list[Controle]:
    """Every scenario of a run as a check, in id order (the latest result of a retried one).
    ``herhaal``: the run's command, for a result that does not carry its own rerun command."""
    gevonden: dict[str, tuple[int, Controle]] = {}
    for pad in sorted(results.glob("*-result.json")):
        data = json.loads(pad.read_text(encoding="utf-8"))
        controle = _controle(data, results, relatief_aan, herhaal)
        stop = int(data.get("stop") or 0)
        vorige = gevonden.get(data.get("historyId") or controle.id)
        if vorige is None or stop >= vorige[0]:
            gevonden[data.get("historyId") or controle.id] = (stop, controle)
    return sorted((c for _stop, c in gevonden.values()), key=lambda c: (c.id, c.verwachting))


def _controle(data: dict, results: Path, relatief_aan: Path, herhaal: str = "") -> Controle:
    labels = {label["name"]: label["value"] for label in data.get("labels", [])}
    parameters = {p["name"]: p["value"] for p in data.get("parameters", [])}
    tags = [label["value"] for label in data.get("labels", []) if label["name"] == "tag"]
    check_id = (parameters.get("fout") or labels.get("fout") or labels.get("controle")
                or next((t.split(":", 1)[1] for t in tags if t.startswith(("fout:", "controle:"))), None)
                or "—")
    status = data.get("status", "unknown")
    details = data.get("statusDetails") or {}
    melding = details.get("message") or ""
    soort = soort_fout(status, melding, details.get("trace") or "")
    waargenomen = "zoals verwacht" if status == "passed" else _eerste_regel(melding) or OORDEEL[status]
    if soort == GEEN_ANTWOORD and not waargenomen.startswith(GEEN_ANTWOORD):
        waargenomen = f"{GEEN_ANTWOORD}: {waargenomen}"
    naam = data.get("name", "?")
    oordeel = OORDEEL["failed"] if soort == GEEN_ANTWOORD else OORDEEL.get(status, status)
    return Controle(
        id=check_id, verwachting=naam, waargenomen=waargenomen, oordeel=oordeel,
        functionaliteit=labels.get("feature", ""),
        berichten=tuple(_berichten(data, results, relatief_aan)), soort=soort,
        herhaal=_unquoted(parameters.get("herhaal")) or (rerun_command(herhaal, naam) if herhaal else ""))


def _unquoted(value: str | None) -> str:
    """A string parameter as allure-python stores it (between single quotes), without them."""
    if value and len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1]
    return value or ""


def soort_fout(status: str, melding: str, trace: str = "") -> str:
    """``geen antwoord`` or ``verkeerd antwoord`` for a check that failed (its Allure status,
    message and trace); ``fout in de test`` for a broken one that was no time-out; empty when
    it passed or did not run."""
    if status not in ("failed", "broken"):
        return ""
    eerste = melding.split("\n", 1)[0]
    if NO_ANSWER.search(eerste) or (status == "broken" and NO_ANSWER.search(trace[-3000:])):
        return GEEN_ANTWOORD
    return VERKEERD_ANTWOORD if status == "failed" else OORDEEL["broken"]


def _eerste_regel(melding: str) -> str:
    for regel in melding.splitlines():
        regel = EXCEPTION_PREFIX.sub("", regel.strip())
        if regel and not regel.startswith(("assert ", "+", "-", "where")):
            return regel[:400]
    return melding.strip()[:400]


def _berichten(data: dict, results: Path, relatief_aan: Path) -> Iterable[Bericht]:
    """The exchanged messages of a check: the attachments named ``a → b · ...`` or ``a ← b``."""
    def walk(node: dict):
        yield from node.get("attachments", [])
        for step in node.get("steps", []):
            yield from walk(step)

    seen = set()
    for attachment in walk(data):
        naam = attachment.get("name", "")
        if ("→" not in naam and "←" not in naam) or attachment["source"] in seen:
            continue
        seen.add(attachment["source"])
        pad = results / attachment["source"]
        try:
            bestand = pad.relative_to(relatief_aan).as_posix()
        except ValueError:
            bestand = pad.as_posix()
        yield Bericht(naam, bestand)


@dataclass(frozen=True)
class Header:
    """What the page is about: who was tested, where, when, by which checks."""

    partijen: dict[str, str]          # role → the endpoint tested
    datum: str
    selectie: str                     # the suites and tags that were run
    terugroep: dict[str, str] = field(default_factory=dict)  # harness endpoints the partner calls
    herhaal: str = ""                 # the run's command: a check's rerun adds --scenario


UITLEG = ("**geen antwoord**: binnen de wachttijd kwam niets (of de verbinding mislukte); de melding "
          "noemt de wachttijd en hoe je die verlengt. **verkeerd antwoord**: er kwam iets, maar niet wat de "
          "controle verwacht; de melding zegt wat verwacht en wat ontvangen werd.")


def markdown(kop: Header, lijst: list[Controle]) -> str:
    voldaan = sum(c.voldaan for c in lijst)
    regels = [f"# Conformiteitsrapport {', '.join(r.upper() for r in kop.partijen) or 'keten'}", ""]
    for rol, url in kop.partijen.items():
        regels.append(f"- **{rol}**: `{url}`")
    regels += [f"- **datum**: {kop.datum}", f"- **selectie**: {kop.selectie}"]
    for partij, url in kop.terugroep.items():
        regels.append(f"- harness speelt **{partij}** op `{url}`")
    regels += ["", f"**{voldaan} van {len(lijst)} controles voldaan.**"
               + ("" if voldaan == len(lijst) else " Wat niet voldoet staat bovenaan."), "",
               "| controle | verwachting | waargenomen | oordeel | berichten |", "|---|---|---|---|---|"]
    for c in sorted(lijst, key=lambda c: (c.voldaan, c.id)):
        links = ", ".join(f"[{_md(b.naam)}]({b.bestand})" for b in c.berichten) or "—"
        regels.append(f"| {c.id} | {_md(c.verwachting)} | {_md(c.waargenomen)} | {c.uitslag} | {links} |")
    mislukt = [c for c in sorted(lijst, key=lambda c: c.id)
               if not c.voldaan and c.oordeel != OORDEEL["skipped"]]
    if mislukt:
        regels += ["", "## Wat niet voldeed, en hoe je het herhaalt", "", UITLEG, ""]
        for c in mislukt:
            regels += [f"### {c.id}: {c.uitslag}", "", _md(c.verwachting), "",
                       f"Waargenomen: {c.waargenomen}", ""]
            if c.herhaal:
                regels += ["Alleen deze controle opnieuw, tegen hetzelfde endpoint:", "", "```sh", c.herhaal,
                           "```", ""]
            if c.berichten:
                links = ", ".join(f"[{_md(b.naam)}]({b.bestand})" for b in c.berichten)
                regels += [f"Berichten: {links}", ""]
    regels += ["", "De foutcodes en wat ze betekenen: docs/foutcodes.md van ketentest. Een controle-id "
               "blijft gelijk tussen versies van de harness.", ""]
    return "\n".join(regels)


def html_page(kop: Header, lijst: list[Controle]) -> str:
    voldaan = sum(c.voldaan for c in lijst)
    e = html.escape
    rijen = []
    for c in sorted(lijst, key=lambda c: (c.voldaan, c.id)):
        links = "<br>".join(f'<a href="{e(b.bestand)}">{e(b.naam)}</a>' for b in c.berichten) or "—"
        klasse = "ok" if c.voldaan else "nok"
        herhaal = (f'<br><span class="herhaal">opnieuw: <code>{e(c.herhaal)}</code></span>'
                   if c.herhaal and not c.voldaan else "")
        rijen.append(f'<tr class="{klasse}"><td>{e(c.id)}</td><td>{e(c.verwachting)}</td>'
                     f"<td>{e(c.waargenomen)}{herhaal}</td><td>{e(c.uitslag)}</td><td>{links}</td></tr>")
    partijen = "".join(f"<li><strong>{e(r)}</strong>: <code>{e(u)}</code></li>"
                       for r, u in kop.partijen.items())
    terug = "".join(f"<li>harness speelt <strong>{e(p)}</strong> op <code>{e(u)}</code></li>"
                    for p, u in kop.terugroep.items())
    titel = f"Conformiteitsrapport {', '.join(r.upper() for r in kop.partijen) or 'keten'}"
    uitleg = e(UITLEG).replace("**geen antwoord**", "<strong>geen antwoord</strong>").replace(
        "**verkeerd antwoord**", "<strong>verkeerd antwoord</strong>")
    return f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>{e(titel)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; max-width: 80rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #ccc; padding: .4rem; text-align: left; vertical-align: top; }}
tr.nok td {{ background: #fde8e8; }} tr.ok td:nth-child(4) {{ color: #176b2c; }}
.herhaal code {{ user-select: all; word-break: break-all; }}
</style></head><body>
<h1>{e(titel)}</h1>
<ul>{partijen}<li><strong>datum</strong>: {e(kop.datum)}</li>
<li><strong>selectie</strong>: {e(kop.selectie)}</li>{terug}</ul>
<p><strong>{voldaan} van {len(lijst)} controles voldaan.</strong></p>
<p>{uitleg} Bij elke controle die niet voldeed staat het commando dat alleen die controle opnieuw doet.</p>
<table><thead><tr><th scope="col">controle</th><th scope="col">verwachting</th>
<th scope="col">waargenomen</th><th scope="col">oordeel</th><th scope="col">berichten</th></tr></thead>
<tbody>{''.join(rijen)}</tbody></table>
<p>De foutcodes en wat ze betekenen: docs/foutcodes.md van ketentest. Een controle-id blijft gelijk
tussen versies van de harness.</p>
</body></html>
"""


def write(report: Path, kop: Header) -> tuple[Path, Path, list[Controle]]:
    """Write ``partnerrapport.md`` and ``partnerrapport.html`` into ``report`` from its
    ``allure-results``; returns both paths and the checks."""
    lijst = controles(report / "allure-results", report, kop.herhaal)
    md, page = report / "partnerrapport.md", report / "partnerrapport.html"
    md.write_text(markdown(kop, lijst), encoding="utf-8")
    page.write_text(html_page(kop, lijst), encoding="utf-8")
    return md, page, lijst


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
