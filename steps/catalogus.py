"""The step vocabulary as a list a coordinator can read: every sentence, its parameters,
what it does and one example. ``ketentest steps`` prints it and ``docs/steps.md`` is
made from it, so the documentation is the code's own account and cannot drift.

Each step function's docstring holds its description and one line
``Voorbeeld: <Gegeven|Als|Dan> <sentence>``; a test checks that every step has one
and that the example is matched by the step itself.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass

from pytest_bdd import parsers
from pytest_bdd.steps import step_function_context_registry

MODULES: tuple[tuple[str, str], ...] = (
    ("steps.klok", "Klok en kalender"),
    ("steps.tijdlijn", "Tijdlijnen en termijnen"),
    ("steps.aanlevering", "Aanlevering"),
    ("steps.berichten", "Berichten en envelop"),
    ("steps.mappen", "RINIS-mappen"),
    ("steps.rapporten", "Rapporten"),
    ("steps.status", "Leveringsstatus bij het CBS"),
    ("steps.fouten", "Fouten en weigeringen"),
    ("steps.optin", "Opt-in, opt-out en intrekken"),
    ("steps.samenwerking", "Samenwerkingsverbanden en e-mails"),
    ("steps.portaal", "Het GGk-portaal"),
    ("steps.handtekening", "Het ondertekende besluit"),
    ("steps.boekhouding", "Boekhouding: niets verloren"),
    ("steps.storingen", "Storingen en herstel"),
    ("steps.regie", "De regiepagina"),
    ("steps.regels", "Regels van de keten: SLA na goedkeuring, audit, metagegevens, drempels"),
    ("steps.beveiliging", "Beveiliging: certificaten en toegang (keten met TLS)"),
)
SLEUTELWOORD = {"given": "Gegeven", "when": "Als", "then": "Dan"}
_NAMED_GROUP = re.compile(r"\(\?P<(\w+)>")


@dataclass(frozen=True)
class Stap:
    domein: str
    soort: str  # given, when, then
    zin: str  # the sentence pattern as written in the code
    parameters: tuple[str, ...]
    uitleg: str
    voorbeeld: str
    module: str
    parser: object

    @property
    def sleutelwoord(self) -> str:
        return SLEUTELWOORD[self.soort]

    def past_voorbeeld(self) -> bool:
        """Whether the example (without its keyword) is matched by this step's own parser."""
        zin = self.voorbeeld.split(" ", 1)[1] if " " in self.voorbeeld else ""
        return bool(zin) and self.parser.is_matching(zin)


def stappen() -> list[Stap]:
    """Every registered step of the vocabulary, by domain, in the order of the source."""
    for module, _domein in MODULES:
        importlib.import_module(module)
    domeinen = dict(MODULES)
    found = []
    for context in list(step_function_context_registry.values()):
        module = context.step_func.__module__
        if module not in domeinen:
            continue
        uitleg, voorbeelden = _docstring(context.step_func.__doc__ or "")
        voorbeeld = _kies(voorbeelden, context)
        regel = context.step_func.__code__.co_firstlineno
        found.append((regel, Stap(domeinen[module], context.type or "given", _zin(context.parser),
                                  _parameters(context.parser), uitleg, voorbeeld, module,
                                  context.parser)))
    order = [m for m, _ in MODULES]
    found.sort(key=lambda item: (order.index(item[1].module), item[0], item[1].soort))
    return [stap for _regel, stap in found]


def _zin(parser) -> str:
    if isinstance(parser, parsers.re):
        return leesbaar(parser.regex.pattern)
    return re.sub(r"\{(\w+)(:[^}]*)?\}", r"<\1>", parser.name)


def leesbaar(pattern: str) -> str:
    """A step regex as a coordinator reads it: ``<name>`` for a parameter, ``<name: a|b>``
    for a choice of literal words, ``[...]`` for an optional part."""
    text, _end = _leesbaar(pattern, 0)
    return text


def _leesbaar(pattern: str, i: int) -> tuple[str, int]:
    out: list[str] = []
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i + 1])
            i += 2
        elif char == "(":
            name = None
            if pattern.startswith("(?P<", i):
                close = pattern.index(">", i)
                name, i = pattern[i + 4:close], close + 1
            elif pattern.startswith("(?:", i):
                i += 3
            else:
                i += 1
            start = i
            inner, i = _leesbaar(pattern, i)  # i is at the closing parenthesis
            raw = pattern[start:i]
            i += 1
            optional = i < len(pattern) and pattern[i] == "?"
            if optional:
                i += 1
            if name:
                literal = re.fullmatch(r"[\w\- ]+(\|[\w\- ]+)+", raw)
                inner = f"<{name}: {raw}>" if literal else f"<{name}>"
            out.append(f"[{inner}]" if optional else inner)
        elif char == ")":
            return "".join(out), i
        elif char in "^$":
            i += 1
        else:
            out.append(char)
            i += 1
    return "".join(out), i


def _parameters(parser) -> tuple[str, ...]:
    if isinstance(parser, parsers.re):
        return tuple(_NAMED_GROUP.findall(parser.regex.pattern))
    if isinstance(parser, parsers.parse):
        return tuple(parser.parser.named_fields)
    return ()


def _docstring(doc: str) -> tuple[str, list[str]]:
    lines = [line.strip() for line in doc.strip().splitlines()]
    voorbeelden = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Voorbeeld:")]
    uitleg = " ".join(line for line in lines if line and not line.startswith("Voorbeeld:"))
    return uitleg, voorbeelden


def _kies(voorbeelden: list[str], context) -> str:
    """The example for this registration (a function registered as given and when has two)."""
    for voorbeeld in voorbeelden:
        woord, _, zin = voorbeeld.partition(" ")
        if woord == SLEUTELWOORD[context.type or "given"] and context.parser.is_matching(zin):
            return voorbeeld
    return voorbeelden[0] if voorbeelden else ""


def als_tekst() -> str:
    """The vocabulary for a terminal."""
    out, domein = [], None
    for stap in stappen():
        if stap.domein != domein:
            domein = stap.domein
            out.append(f"\n== {domein} ==")
        out.append(f"\n{stap.sleutelwoord} {stap.zin}")
        if stap.parameters:
            out.append(f"  parameters: {', '.join(stap.parameters)}")
        out.append(f"  {stap.uitleg}")
        out.append(f"  voorbeeld: {stap.voorbeeld}")
    return "\n".join(out).lstrip() + "\n"


def als_markdown() -> str:
    """The vocabulary as ``docs/steps.md``."""
    out = ["# Stappen: de woordenschat van de scenario's", "",
           "Gegenereerd met `ketentest steps --markdown > docs/steps.md`; een test houdt dit",
           "bestand gelijk aan de code. Elke stap praat alleen over HTTP met de partijen.",
           "Parameters staan in de zin als `(?P<naam>...)` (reguliere expressie) of `{naam}`.", ""]
    domein = None
    for stap in stappen():
        if stap.domein != domein:
            domein = stap.domein
            out += [f"## {domein}", ""]
        out += [f"### {stap.sleutelwoord} `{stap.zin}`", "", stap.uitleg, ""]
        if stap.parameters:
            out += [f"Parameters: {', '.join(f'`{p}`' for p in stap.parameters)}", ""]
        out += ["```gherkin", stap.voorbeeld, "```", ""]
    return "\n".join(out)
