"""The GMSD file name convention: what a name says, or why it does not conform (TC01).

This module owns reading a file name: its soort, code uitvraag, free text, extension
and RINIS's appended gemeentecode. CBS's backend uses it to file a delivery, the
check to judge one.

Where the simulator chooses (the real check was not published): the convention
follows the GMSD aanleverprotocol; control characters are rejected as well, a WMO
file may leave its free text out, and SBO and JEUGD files may have free text only with
``vrije_tekst_sbo_jeugd``.
"""

from __future__ import annotations

import re

from ...gmsd.periodes import CODE_IN_NAAM
from .kolommen import ONBEKEND, SOORTEN

EXTENSIES: tuple[str, ...] = ("csv", "txt")
VERBODEN_TEKENS = ':\\/?;*"><|]['

_NAAM = re.compile(r"(?P<soort>WMO|SBO|JEUGD)_(?P<code>H(?P<halfjaar>[12])(?P<jaar>\d{4}))", re.ASCII)
_SOORT_PREFIX = re.compile(r"(WMO|SBO|JEUGD)_", re.IGNORECASE)


def parse_bestandsnaam(
    naam: str, gemeentecode: str | None = None, *, vrije_tekst_sbo_jeugd: bool = False
) -> dict | None:
    """The parts of a GMSD file name, or None when it does not follow the convention.

    With ``gemeentecode`` the name is read as CBS receives it: RINIS appended
    ``_<gemeentecode>`` before the extension, and it must be there. Without it the
    name is read as the gemeente made it. The result has soort, code_uitvraag, jaar,
    halfjaar, vrije_tekst (without the appended gemeentecode), extensie (lower case)
    and gemeentecode (the appended one, or None). ``vrije_tekst_sbo_jeugd`` lets SBO
    and JEUGD names carry free text after the code uitvraag, as WMO names may.
    """
    delen, _fout = read_bestandsnaam(naam, gemeentecode, vrije_tekst_sbo_jeugd)
    return delen


def read_bestandsnaam(
    naam: str, gemeentecode: str | None, vrije_tekst_sbo_jeugd: bool = False
) -> tuple[dict | None, str]:
    """The parts of the name and an empty string, or None and why it does not conform."""
    if not naam:
        return None, "de bestandsnaam is leeg"
    verboden = sorted({teken for teken in naam if teken in VERBODEN_TEKENS})
    if verboden:
        return None, f"de bestandsnaam bevat niet-toegestane tekens: {' '.join(verboden)}"
    if any(ord(teken) < 32 or ord(teken) == 127 for teken in naam):
        return None, "de bestandsnaam bevat stuurtekens"
    if naam.count(".") != 1:
        return None, (
            f"de bestandsnaam moet precies één punt hebben, vóór de extensie (gevonden: {naam.count('.')})"
        )
    stam, extensie = naam.split(".")
    if extensie.lower() not in EXTENSIES:
        return None, f"de extensie moet .csv of .txt zijn, niet .{extensie}"
    match = _NAAM.match(stam)
    if not match:
        return None, _why_no_match(stam)
    rest = stam[match.end() :]
    rest, fout = _without_gemeentecode(rest, gemeentecode)
    if fout:
        return None, fout
    soort = match["soort"]
    fout = _check_vrije_tekst(soort, rest, vrije_tekst_sbo_jeugd)
    if fout:
        return None, fout
    return {
        "soort": soort,
        "code_uitvraag": match["code"],
        "jaar": int(match["jaar"]),
        "halfjaar": int(match["halfjaar"]),
        "vrije_tekst": rest[1:],
        "extensie": extensie.lower(),
        "gemeentecode": gemeentecode,
    }, ""


def _why_no_match(stam: str) -> str:
    prefix = _SOORT_PREFIX.match(stam)
    if not prefix:
        return "de bestandsnaam begint niet met WMO_, SBO_ of JEUGD_"
    if prefix.group(1) not in SOORTEN:
        return f"het voorvoegsel moet in hoofdletters: {prefix.group(1).upper()}_"
    return "na het voorvoegsel moet de code uitvraag volgen: H1 of H2 en het jaar (bijvoorbeeld H12016)"


def _without_gemeentecode(rest: str, gemeentecode: str | None) -> tuple[str, str]:
    """``rest`` without RINIS's appended ``_<gemeentecode>``, and an error if it is missing."""
    if gemeentecode is None:
        return rest, ""
    achtervoegsel = f"_{gemeentecode}"
    if not rest.endswith(achtervoegsel):
        return rest, f"de bestandsnaam eindigt niet op de gemeentecode {gemeentecode}"
    return rest[: -len(achtervoegsel)], ""


def _check_vrije_tekst(soort: str, rest: str, vrije_tekst_sbo_jeugd: bool) -> str:
    """``rest`` is what follows the code uitvraag: empty, or ``_`` and free text."""
    if not rest:
        return ""
    if soort != "WMO" and not vrije_tekst_sbo_jeugd:
        return f"een {soort}-bestand mag na de code uitvraag geen vrije tekst hebben"
    if not rest.startswith("_"):
        return "na de code uitvraag moet een _ volgen vóór de vrije tekst"
    if not rest[1:].strip():
        return "de vrije tekst na de code uitvraag is leeg"
    return ""


def soort_from_prefix(bestandsnaam: str) -> str:
    """Which content rules apply to a wrongly named file: by its prefix, any case."""
    prefix = _SOORT_PREFIX.match(bestandsnaam)
    return prefix.group(1).upper() if prefix else ONBEKEND


def code_uitvraag_anywhere(bestandsnaam: str) -> str | None:
    """A code uitvraag such as ``H12016`` anywhere in a name that does not conform, or None."""
    gevonden = CODE_IN_NAAM.search(bestandsnaam)
    return gevonden.group(1) if gevonden else None


def periode(naam: dict) -> tuple[str, str]:
    """First and last day of the name's code uitvraag, as ``YYYYMMDD``."""
    jaar = naam["jaar"]
    if naam["halfjaar"] == 1:
        return f"{jaar:04d}0101", f"{jaar:04d}0630"
    return f"{jaar:04d}0701", f"{jaar:04d}1231"
