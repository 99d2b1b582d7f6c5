"""The one-page report for a partner whose endpoint the harness tested.

Allure is the coordinator's report; a partner (GGk, RINIS, CBS, a software vendor) wants
one page that says, per check, what was expected, what their endpoint did and whether
that passes — without reading Python or Gherkin. This module reads the Allure results of
a run (``allure-results/*-result.json``) and writes that page as Markdown and as plain
HTML (no JavaScript), with links to the messages exchanged in each check.

A check's id is the fault id of ``docs/foutcodes.md`` (the ``fout`` column of an outline,
or ``@fout:<id>``) or a ``@controle:<id>`` tag; a scenario without one is listed by name.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

OORDEEL = {"passed": "voldaan", "failed": "niet voldaan", "broken": "fout in de test",
           "skipped": "niet uitgevoerd", "unknown": "onbekend"}


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

    @property
    def voldaan(self) -> bool:
        return self.oordeel == "voldaan"


def controles(results: Path, relatief_aan: Path) -> list[Controle]:
    """Every scenario of a run as a check, in id order (the latest result of a retried one)."""
    gevonden: dict[str, tuple[int, Controle]] = {}
    for pad in sorted(results.glob("*-result.json")):
        data = json.loads(pad.read_text(encoding="utf-8"))
        controle = _controle(data, results, relatief_aan)
        stop = int(data.get("stop") or 0)
        vorige = gevonden.get(data.get("historyId") or controle.id)
        if vorige is None or stop >= vorige[0]:
            gevonden[data.get("historyId") or controle.id] = (stop, controle)
    return sorted((c for _stop, c in gevonden.values()), key=lambda c: (c.id, c.verwachting))


def _controle(data: dict, results: Path, relatief_aan: Path) -> Controle:
    labels = {label["name"]: label["value"] for label in data.get("labels", [])}
    parameters = {p["name"]: p["value"] for p in data.get("parameters", [])}
    tags = [label["value"] for label in data.get("labels", []) if label["name"] == "tag"]
    check_id = (parameters.get("fout") or labels.get("fout") or labels.get("controle")
                or next((t.split(":", 1)[1] for t in tags if t.startswith(("fout:", "controle:"))), None)
                or "—")
    status = data.get("status", "unknown")
    melding = (data.get("statusDetails") or {}).get("message") or ""
    waargenomen = "zoals verwacht" if status == "passed" else _eerste_regel(melding) or OORDEEL[status]
    return Controle(
        id=check_id, verwachting=data.get("name", "?"), waargenomen=waargenomen,
        oordeel=OORDEEL.get(status, status), functionaliteit=labels.get("feature", ""),
        berichten=tuple(_berichten(data, results, relatief_aan)))


def _eerste_regel(melding: str) -> str:
    for regel in melding.splitlines():
        regel = regel.strip()
        if regel.startswith("AssertionError: "):
            regel = regel.removeprefix("AssertionError: ")
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
        regels.append(f"| {c.id} | {_md(c.verwachting)} | {_md(c.waargenomen)} | {c.oordeel} | {links} |")
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
        rijen.append(f'<tr class="{klasse}"><td>{e(c.id)}</td><td>{e(c.verwachting)}</td>'
                     f"<td>{e(c.waargenomen)}</td><td>{e(c.oordeel)}</td><td>{links}</td></tr>")
    partijen = "".join(f"<li><strong>{e(r)}</strong>: <code>{e(u)}</code></li>"
                       for r, u in kop.partijen.items())
    terug = "".join(f"<li>harness speelt <strong>{e(p)}</strong> op <code>{e(u)}</code></li>"
                    for p, u in kop.terugroep.items())
    titel = f"Conformiteitsrapport {', '.join(r.upper() for r in kop.partijen) or 'keten'}"
    return f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>{e(titel)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; max-width: 80rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #ccc; padding: .4rem; text-align: left; vertical-align: top; }}
tr.nok td {{ background: #fde8e8; }} tr.ok td:nth-child(4) {{ color: #176b2c; }}
</style></head><body>
<h1>{e(titel)}</h1>
<ul>{partijen}<li><strong>datum</strong>: {e(kop.datum)}</li>
<li><strong>selectie</strong>: {e(kop.selectie)}</li>{terug}</ul>
<p><strong>{voldaan} van {len(lijst)} controles voldaan.</strong></p>
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
    lijst = controles(report / "allure-results", report)
    md, page = report / "partnerrapport.md", report / "partnerrapport.html"
    md.write_text(markdown(kop, lijst), encoding="utf-8")
    page.write_text(html_page(kop, lijst), encoding="utf-8")
    return md, page, lijst


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
