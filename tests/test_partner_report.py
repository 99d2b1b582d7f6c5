"""The partner's one-page report, from Allure results: ids, what was observed, links."""

from __future__ import annotations

import json
from pathlib import Path

from ketentest import partner_report as partnerrapport


def _result(results: Path, naam: str, status: str, fout: str | None, melding: str = "",
            bijlage: str | None = None) -> None:
    data = {"name": naam, "status": status, "historyId": naam, "stop": 1,
            "labels": [{"name": "feature", "value": "Foutcatalogus"}],
            "parameters": [{"name": "fout", "value": fout}] if fout else [],
            "statusDetails": {"message": melding} if melding else {},
            "steps": [{"name": "Dan ...", "attachments": []}]}
    if bijlage:
        (results / bijlage).write_text("<Fo03/>", encoding="utf-8")
        data["steps"][0]["attachments"] = [{"name": "rinis → harness · antwoord", "source": bijlage},
                                           {"name": "klok: ma 15-08-2016", "source": "klok.txt"}]
    (results / f"{naam.replace(' ', '_')}-result.json").write_text(json.dumps(data), encoding="utf-8")


def test_the_page_puts_failures_first_with_what_was_observed_and_links_to_the_messages(tmp_path):
    results = tmp_path / "allure-results"
    results.mkdir()
    _result(results, "RINIS weigert niet-XML met StUF055", "passed", "RINIS-GEEN-XML")
    _result(results, "RINIS weigert een referentienummer dat geen UUID is met IB009", "failed", "RINIS-UUID",
            "AssertionError: RINIS antwoordde Bv03, verwacht Fo03 IB009\nassert 'Bv03' == 'Fo03'",
            bijlage="abc-attachment.xml")
    kop = partnerrapport.Header({"rinis": "https://rinis.example:8443/stuf"}, "2026-11-23",
                             "burentest rol:rinis")
    md, page, lijst = partnerrapport.write(tmp_path, kop)

    assert [c.id for c in lijst] == ["RINIS-GEEN-XML", "RINIS-UUID"]
    text = md.read_text(encoding="utf-8")
    assert "1 van 2 controles voldaan" in text
    rows = [r for r in text.splitlines() if r.startswith("| RINIS-")]
    assert rows[0].startswith("| RINIS-UUID |"), "what fails comes first"
    assert "RINIS antwoordde Bv03, verwacht Fo03 IB009" in rows[0] and "niet voldaan" in rows[0]
    assert "assert 'Bv03'" not in rows[0], "the observation is the Dutch message, not pytest's diff"
    assert "(allure-results/abc-attachment.xml)" in rows[0], "a link to the exchanged message"
    assert "klok" not in rows[0], "only messages are linked, not the clock"
    assert (tmp_path / "allure-results/abc-attachment.xml").exists()
    assert "https://rinis.example:8443/stuf" in text
    body = page.read_text(encoding="utf-8")
    assert '<tr class="nok"><td>RINIS-UUID</td>' in body and "<script" not in body
