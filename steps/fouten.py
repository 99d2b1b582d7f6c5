"""Steps about refusals a person or program sees: an HTTP 4xx with a Dutch message from
the GGk web service, and Fo01 error reports in the gemeente's download area."""

from __future__ import annotations

from pytest_bdd import parsers, then


@then(parsers.re(r'weigert het GGk de upload met HTTP (?P<status>4\d\d) en een melding met "(?P<tekst>[^"]+)"'))
def _(aanlevering, status: str, tekst: str) -> None:
    """Het GGk weigert met deze HTTP-status en een Nederlandse melding die de tekst bevat.
    Voorbeeld: Dan weigert het GGk de upload met HTTP 400 en een melding met "geen bestand"
    """
    assert aanlevering.status == int(status), (
        f"het GGk antwoordde HTTP {aanlevering.status}, verwacht {status}: {aanlevering.antwoord}")
    melding = aanlevering.antwoord.get("melding", "")
    assert tekst in melding, f"de melding '{melding}' noemt '{tekst}' niet"
    assert "Traceback" not in melding, "de melding bevat een stack trace"


@then(parsers.re(r'staat er een foutrapport met foutcode "(?P<code>[A-Za-z]+\d+)" in het downloadgebied '
                 r"van de gemeente"))
def _(keten, gemeente, aanlevering, code: str) -> None:
    """Een latere partij weigerde: de gemeente ziet een foutrapport bij haar GGk-referentie.
    Voorbeeld: Dan staat er een foutrapport met foutcode "StUF055" in het downloadgebied van de gemeente
    """
    item = keten.wait_for_download(
        gemeente.code, aanlevering.downloads_voor,
        lambda i: i["soort"] == "foutrapport", "foutrapport")
    inhoud = keten.download(gemeente.code, item["id"]).decode("utf-8", errors="replace")
    assert code in inhoud, f"het foutrapport noemt foutcode {code} niet:\n{inhoud[:600]}"
