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


def _failure(results: Path, naam: str, fout: str, status: str, melding: str, trace: str = "",
             herhaal: str | None = None) -> None:
    """A failed or broken result as allure-pytest-bdd writes it: the exception's ``exconly()``
    as message (qualified class name first), a string parameter between single quotes."""
    data = {"name": naam, "status": status, "historyId": naam, "stop": 1,
            "labels": [{"name": "feature", "value": "Burentest"}],
            "parameters": [{"name": "fout", "value": fout}]
            + ([{"name": "herhaal", "value": f"'{herhaal}'", "excluded": True}] if herhaal else []),
            "statusDetails": {"message": melding, "trace": trace},
            "steps": [{"name": "Dan ...", "attachments": [
                {"name": "harness → rinis · GMSD-AANLEVERING", "source": f"{fout}-in.xml"},
                {"name": "rinis → harness · antwoord HTTP 200", "source": f"{fout}-uit.xml"}]}]}
    (results / f"{fout}-result.json").write_text(json.dumps(data), encoding="utf-8")


def test_each_failed_check_says_whether_it_got_no_answer_or_a_wrong_one_and_how_to_rerun_it(tmp_path):
    results = tmp_path / "allure-results"
    results.mkdir()
    commando = ("ketentest run --suite burentest --tags rol:rinis --target rinis=https://rinis.example "
                "--poort cbs=8104 --scenario 'RINIS haalt het bestand op'")
    _failure(results, "RINIS haalt het bestand op", "RINIS-OPHALEN", "failed",
             "steps.drivers.base.NoAnswerError: geen antwoord binnen 10 s: RINIS heeft niet vastgelegd "
             "dat het CBS 'x.csv' ophaalde. Geef meer tijd met 'ketentest run --wachttijd SECONDEN' (of de "
             "omgevingsvariabele KETENTEST_WACHTTIJD).", herhaal=commando)
    _failure(results, "RINIS zet het bestand in de inbox", "RINIS-NAAMGEVING", "failed",
             "steps.drivers.base.WrongAnswerError: verkeerd antwoord: RINIS zette het bestand onder een "
             "andere naam (verwacht: x_0363.csv; ontvangen: x.csv)")
    _failure(results, "RINIS bevestigt", "RINIS-BV03", "failed",
             "AssertionError: RINIS antwoordde Fo03, verwacht Bv03\nassert 'Fo03' == 'Bv03'")
    _failure(results, "RINIS antwoordt niet", "RINIS-TRAAG", "broken",
             "requests.exceptions.ReadTimeout: HTTPConnectionPool(host='rinis.example', port=443): "
             "Read timed out.",
             trace="Traceback ...\nrequests.exceptions.ReadTimeout: ...")
    _failure(results, "De harness zelf struikelt", "RINIS-KAPOT", "broken", "KeyError: 'correlatie'")
    kop = partnerrapport.Header({"rinis": "https://rinis.example"}, "2026-11-23", "burentest rol:rinis",
                                herhaal="ketentest run --suite burentest --tags rol:rinis")
    md, page, lijst = partnerrapport.write(tmp_path, kop)

    per_id = {c.id: c for c in lijst}
    assert per_id["RINIS-OPHALEN"].uitslag == "niet voldaan: geen antwoord"
    assert per_id["RINIS-OPHALEN"].waargenomen.startswith("geen antwoord binnen 10 s: RINIS heeft niet")
    assert "--wachttijd" in per_id["RINIS-OPHALEN"].waargenomen, "how to wait longer"
    assert per_id["RINIS-NAAMGEVING"].uitslag == "niet voldaan: verkeerd antwoord"
    assert "(verwacht: x_0363.csv; ontvangen: x.csv)" in per_id["RINIS-NAAMGEVING"].waargenomen
    assert per_id["RINIS-BV03"].uitslag == "niet voldaan: verkeerd antwoord", "a plain assert: a wrong answer"
    assert per_id["RINIS-BV03"].waargenomen == "RINIS antwoordde Fo03, verwacht Bv03"
    assert per_id["RINIS-TRAAG"].uitslag == "niet voldaan: geen antwoord", "a requests time-out is no answer"
    assert per_id["RINIS-TRAAG"].waargenomen.startswith("geen antwoord: HTTPConnectionPool")
    assert per_id["RINIS-KAPOT"].uitslag == "fout in de test", "a harness bug is neither"

    assert per_id["RINIS-OPHALEN"].herhaal == commando, "the result's own command, unquoted"
    assert per_id["RINIS-NAAMGEVING"].herhaal == (
        "ketentest run --suite burentest --tags rol:rinis --scenario 'RINIS zet het bestand in de inbox'"), (
        "without its own, the run's command narrowed to the scenario")
    text = md.read_text(encoding="utf-8")
    for c in lijst:
        sectie = text.split(f"### {c.id}: {c.uitslag}", 1)[1].split("###", 1)[0]
        assert f"```sh\n{c.herhaal}\n```" in sectie, f"{c.id}: no rerun command in\n{sectie}"
        assert f"(allure-results/{c.id}-in.xml)" in sectie and f"(allure-results/{c.id}-uit.xml)" in sectie, (
            f"{c.id}: the messages of the check are linked")
    row = next(r for r in text.splitlines() if r.startswith("| RINIS-OPHALEN |"))
    assert "| niet voldaan: geen antwoord |" in row
    body = page.read_text(encoding="utf-8")
    assert "opnieuw: <code>ketentest run --suite burentest" in body and "<script" not in body
    assert "niet voldaan: verkeerd antwoord" in body and "geen antwoord" in body
