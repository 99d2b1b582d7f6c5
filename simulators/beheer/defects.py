"""Deliberately broken parties: the conformance suites must catch each of these.

A party started with the option ``defecten`` (``ketentest up --party rinis --defect
geen-gemeentecode``) deviates from the rules in exactly that way. The proof that a
conformance check works is that it fails, with its own id, against the party that breaks
it (``docs/conformiteit.md``). Never set in a normal chain.

One defect is caught by CBS rather than by a conformance check: ``optin-niet-ondertekenen``
needs the opt-in window on the simulated calendar, which the role suites leave out; CBS
refuses the unsigned decision (KT101), as ``tests/test_ondertekening.py`` shows.
"""

from __future__ import annotations

from collections.abc import Iterable

DEFECTEN: dict[str, dict[str, str]] = {
    "rinis": {
        "geen-gemeentecode": "zet een bestand in de inbox van het CBS zonder _<gemeentecode> in de naam",
        "bv03-op-alles": "controleert de envelop niet: elk bericht krijgt een Bv03",
        "kwijt-crossref": "zet in een Bv03/Fo03 een ander crossRefnummer dan het referentienummer van "
                          "het beantwoorde bericht",
        "geen-fo01": "meldt een fout die het na het Bv03 vindt niet met een Fo01",
    },
    "ggk": {
        "bv03-op-alles": "controleert de envelop niet: elk bericht krijgt een Bv03",
        "kwijt-crossref": "zet in een Bv03/Fo03 een ander crossRefnummer dan het referentienummer van "
                          "het beantwoorde bericht",
        "dubbel-verwerken": "verwerkt hetzelfde bericht nog eens als het opnieuw komt",
        "geen-isd-code": "geeft de gemeente de StUF-code van RINIS in plaats van de ISD-ketencode",
        "optin-niet-ondertekenen": "stuurt een opt-in of intrekking zonder ondertekend besluit",
    },
    "cbs": {
        "rapport-zonder-referentie": "laat de GGk-referentie weg uit de naam van het technisch rapport",
        "niet-opgehaald-melden": "meldt RINIS niet dat het een bestand heeft opgehaald",
    },
    "gemeente": {},
}
"""Per party: the deviations it can be started with, and what each does (Dutch)."""


def lees(party: str, waarde: str | Iterable[str] | None) -> frozenset[str]:
    """The option ``defecten`` of ``party``, checked: an unknown name is an error at start."""
    if not waarde:
        return frozenset()
    namen = {waarde} if isinstance(waarde, str) else set(waarde)
    onbekend = sorted(namen - set(DEFECTEN.get(party, {})))
    if onbekend:
        bekend = ", ".join(sorted(DEFECTEN.get(party, {}))) or "geen"
        raise ValueError(f"{party} kent de defecten {onbekend} niet; wel: {bekend}")
    return frozenset(namen)
