"""The fault catalogue (docs/foutcodes.md) and the scenarios of features/ (most in
foutafhandeling/, the signed opt-in's in portaal/) stay equal: every listed fault has a
scenario that expects its code, and every scenario names a listed fault. A fault added to
a simulator without a scenario, or a scenario for a fault nobody documented, fails here."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "foutcodes.md"
FEATURES = ROOT / "features"
FOUT_ID = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+")
FOUTCODE = re.compile(r"[A-Za-z]{2,10}\d{1,5}")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def catalogus() -> dict[str, str]:
    """fault id → foutcode ('' when the answer has none, e.g. an HTTP 4xx)."""
    found = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| "):
            continue
        cells = _cells(line.replace("\\|", "¦"))
        if FOUT_ID.fullmatch(cells[0]) and len(cells) >= 4:
            assert cells[0] not in found, f"{cells[0]} staat twee keer in {DOC.name}"
            found[cells[0]] = cells[3] if FOUTCODE.fullmatch(cells[3]) else ""
    return found


def scenarios() -> dict[str, list[str]]:
    """fault id → the texts that show it: an outline's example row, or a tagged scenario."""
    found: dict[str, list[str]] = {}
    for feature in sorted(FEATURES.glob("*/*.feature")):
        lines = feature.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            stripped = line.strip()
            if stripped.startswith("|"):
                first = _cells(stripped)[0]
                if FOUT_ID.fullmatch(first):
                    found.setdefault(first, []).append(stripped)
            for tag in re.findall(r"@fout:(\S+)", stripped):
                block = []
                for following in lines[number + 1:]:
                    if following.strip().startswith(("Scenario", "Abstract Scenario")) and block:
                        break
                    block.append(following)
                found.setdefault(tag, []).append("\n".join(block))
    return found


def test_the_catalogue_is_not_empty_and_covers_every_hop():
    ids = catalogus()
    assert len(ids) >= 60, f"only {len(ids)} faults listed"
    for prefix in ("RINIS-", "GGK-", "GGK-FO01-", "WS-", "MAP-", "CBS-"):
        assert any(i.startswith(prefix) for i in ids), f"no fault {prefix}…"


def test_every_listed_fault_has_a_scenario_that_expects_its_code():
    shown = scenarios()
    missing = sorted(set(catalogus()) - set(shown))
    assert not missing, f"faults in {DOC.name} without a scenario in {FEATURES.name}/: {missing}"
    for fout, code in catalogus().items():
        if code:
            assert any(re.search(rf"\b{re.escape(code)}\b", text) for text in shown[fout]), (
                f"the scenario of {fout} does not expect foutcode {code}: {shown[fout]}")


def test_every_fault_a_scenario_names_is_listed():
    unknown = sorted(set(scenarios()) - set(catalogus()))
    assert not unknown, f"scenarios name faults that {DOC.name} does not list: {unknown}"
