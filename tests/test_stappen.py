"""The step vocabulary: every step documented with an example it matches, and
docs/steps.md exactly what ``ketentest steps --markdown`` prints; and the step modules
keep to their floor: parties' addresses only in steps/drivers/, no party package imported."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from click.testing import CliRunner

from ketentest.cli import main
from steps.catalogus import als_markdown, leesbaar, stappen

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "steps.md"
STEP_MODULES = sorted((ROOT / "steps").glob("*.py"))
PARTY_PATH = re.compile(r"""["'](/(?:api|_beheer|mappen|portaal|stuf|journal|notificaties|testbestanden|"""
                        r"""rinis|health)\b[^"']*)""")
PARTIES = ("simulators.gemeente", "simulators.ggk", "simulators.rinis", "simulators.cbs", "simulators.chain",
           "simulators.party", "simulators.beheer")


def test_every_step_has_a_description_and_an_example_it_matches():
    found = stappen()
    assert len(found) >= 30
    for stap in found:
        assert stap.uitleg, f"{stap.zin}: geen uitleg in de docstring"
        assert stap.voorbeeld.split(" ", 1)[0] in ("Gegeven", "Als", "Dan"), (
            f"{stap.zin}: voorbeeld begint niet met Gegeven/Als/Dan: {stap.voorbeeld!r}")
        assert stap.past_voorbeeld(), f"het voorbeeld '{stap.voorbeeld}' past niet bij '{stap.zin}'"


def test_every_step_module_is_a_plugin_of_the_suites():
    conftest = (Path(__file__).resolve().parent.parent / "conftest.py").read_text(encoding="utf-8")
    for module in {stap.module for stap in stappen()}:
        assert f'"{module}"' in conftest, f"{module} staat niet in pytest_plugins van conftest.py"


def test_every_plugin_with_steps_is_in_the_catalogue():
    """A step module that conftest loads but the catalogue forgets is missing from docs/steps.md."""
    import re

    from steps.catalogus import MODULES

    conftest = (Path(__file__).resolve().parent.parent / "conftest.py").read_text(encoding="utf-8")
    plugins = set(re.findall(r'"(steps\.\w+)"', conftest.split("pytest_plugins", 1)[1].split("]", 1)[0]))
    catalogued = {module for module, _ in MODULES}
    for module in plugins - catalogued:
        pad = Path(__file__).resolve().parent.parent / (module.replace(".", "/") + ".py")
        source = pad.read_text(encoding="utf-8")
        heeft_stappen = re.search(r"^@(given|when|then)\(", source, re.M)
        assert not heeft_stappen, f"{module} staat niet in steps/catalogus.py"


def test_docs_steps_md_is_generated_from_the_code():
    assert DOCS.read_text(encoding="utf-8") == als_markdown(), (
        "docs/steps.md loopt achter: draai 'ketentest steps --markdown > docs/steps.md'")


def test_cli_lists_the_steps():
    result = CliRunner().invoke(main, ["steps"])
    assert result.exit_code == 0, result.output
    assert "Gegeven het is <datum>" in result.output
    assert "voorbeeld: Gegeven gemeente Amsterdam (0363)" in result.output
    markdown = CliRunner().invoke(main, ["steps", "--markdown"])
    assert markdown.output == als_markdown()


def test_readable_sentences_from_regexes():
    assert leesbaar(r"gemeente (?P<naam>[^()]+) \((?P<code>\d{4})\)") == "gemeente <naam> (<code>)"
    assert leesbaar(r"een (?P<soort>Wmo|SBO)-bestand( met (?P<n>\d+) cliënten)? klaar") == (
        "een <soort: Wmo|SBO>-bestand[ met <n> cliënten] klaar")


def test_no_step_module_holds_an_address_of_a_party():
    """Every URL and path of a party lives in its driver (steps/drivers/)."""
    found = [f"{module.name}: {m[1]}" for module in STEP_MODULES
             for m in PARTY_PATH.finditer(module.read_text(encoding="utf-8"))]
    assert not found, f"paden van partijen buiten steps/drivers/: {found}"


def test_steps_import_no_party_package():
    """Steps may reach the ground floor, simulators.gmsd and simulators.stuf, never a party."""
    for module in [*STEP_MODULES, *sorted((ROOT / "steps" / "drivers").glob("*.py"))]:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            wrong = [n for n in names if n.startswith(PARTIES)]
            assert not wrong, f"{module.relative_to(ROOT)} importeert {wrong}"
