"""How a PDF is drawn, for the reference tests of the CBS reports (``test_cbs_report``,
``test_cbs_spiegel``): per page its size and fonts and every operator fpdf2 wrote, and a
comparison that lets a number outside a text string differ by rounding."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

_GETAL = re.compile(r"-?\d+\.\d+")
_PDF_STRING = re.compile(r"\((?:\\.|[^\\)])*\)")


def drawing(pdf: bytes) -> list[str]:
    """Per page its size and fonts, then its content stream: every operator fpdf2 wrote."""
    lines = []
    for nummer, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        fonts = page["/Resources"]["/Font"]
        lines.append(f"pagina {nummer} {[round(float(v)) for v in page.mediabox]} " + " ".join(
            f"{naam}={fonts[naam]['/BaseFont']}" for naam in sorted(fonts)))
        lines += page.get_contents().get_data().decode("latin-1").splitlines()
    return lines


def same_drawing(actual: list[str], expected: list[str]) -> None:
    """Equal line by line; a number outside a text string may differ by 0.05 (rounding)."""
    assert len(actual) == len(expected), f"{len(actual)} regels getekend, verwacht {len(expected)}"
    for index, (regel, verwacht) in enumerate(zip(actual, expected, strict=True)):
        delen, verwachte_delen = (_GETAL.split(_PDF_STRING.sub("()", r)) for r in (regel, verwacht))
        getallen, verwachte_getallen = (
            [float(g) for g in _GETAL.findall(_PDF_STRING.sub("()", r))] for r in (regel, verwacht))
        assert (delen, _PDF_STRING.findall(regel)) == (verwachte_delen, _PDF_STRING.findall(verwacht)), (
            f"regel {index + 1}: {regel!r}, verwacht {verwacht!r}")
        assert getallen == pytest.approx(verwachte_getallen, abs=0.05), (
            f"regel {index + 1}: {regel!r}, verwacht {verwacht!r}")
