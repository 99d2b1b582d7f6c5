"""The A4 page every CBS report is drawn on, and a fast way to write its text.

fpdf2 makes the document (pages, core fonts, metadata, page numbers, output). Its
``cell`` and ``multi_cell`` cost ~30 µs a line and ~1 ms a wrapped paragraph (fragment
objects; line breaking that measures the line again for every character): most of the
CBS process's time in the period benchmark. :meth:`ReportPage.text_cell` and
:meth:`ReportPage.paragraph` write the same operators for text in one core font, so the
PDFs stay the same byte for byte, from the font's width table, with a paragraph's line
breaks worked out once per text and width. What they do not handle (the page-count
alias, a no-break space, a soft hyphen, a control character) goes to fpdf2. They call
three protected fpdf2 methods (``_out``, ``_set_font_for_page``, ``_perform_page_break``);
the tests compare them with fpdf2's own ``cell``/``multi_cell`` and whole reports with
reference drawings, so an fpdf2 upgrade that changes what they should write shows there.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.util import escape_parens

__all__ = ["FONT", "Line", "ReportPage", "pdf_text", "wrap"]

FONT = "Helvetica"
_TOLERANCE = 1e-9  # fpdf2's FloatTolerance: a line is too long beyond this
_NOT_FAST = re.compile(r"[\x00-\x1f\xa0\xad]")  # line breaks, tabs, no-break space, soft hyphen
_UNPRINTABLE = {code: "?" for code in (*range(32), 127)}
_CACHE_LIMIT = 4096

Line = tuple[str, int, int, bool]
"""A wrapped line: its text, its width in font units, its spaces, whether it is justified."""

_lines: dict[tuple[str, float, float, str], tuple[Line, ...] | None] = {}
_NOT_WRAPPED = object()


def pdf_text(text: str) -> str:
    """Text the core font can draw: control characters and anything outside
    Windows-1252 (possible in a file name or header from the file) become ``?``."""
    return text.translate(_UNPRINTABLE).encode("cp1252", errors="replace").decode("cp1252")


class ReportPage(FPDF):
    """An A4 page with the sender on top and page numbers at the bottom."""

    def __init__(self, sender: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.sender = sender
        self.core_fonts_encoding = "windows-1252"

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, size=8)
        self.cell(0, 10, f"{self.sender} - pagina {self.page_no()} van {{nb}}", align="C")

    def string_width(self, text: str) -> float:
        """What ``get_string_width`` says, in the current font, without fragments."""
        normal = self.normalize_text(text)
        if self.str_alias_nb_pages in normal:
            return self.get_string_width(normal, normalized=True)
        return sum(map(self.current_font.cw.__getitem__, normal)) * self.font_size_pt * 0.001 / self.k

    def text_cell(
        self,
        w: float,
        h: float,
        text: str,
        border: str = "",
        align: str = "L",
        new_x: XPos = XPos.RIGHT,
        new_y: YPos = YPos.TOP,
    ) -> None:
        """``cell(w, h, text, border, align=align, new_x=..., new_y=...)``, for
        ``align`` L, R or C and ``border`` a string of L, T, R, B."""
        normal = self.normalize_text(text)
        if self.str_alias_nb_pages in normal:
            self.cell(w, h, text, border=border, align=align, new_x=new_x, new_y=new_y)
            return
        if w == 0:
            w = self.w - self.r_margin - self.x
        units = sum(map(self.current_font.cw.__getitem__, normal))
        self._write_line(w, h, normal or None, units, 0, border, align, new_x, new_y)

    def paragraph(self, w: float, h: float, text: str, new_x: XPos = XPos.LMARGIN) -> None:
        """``multi_cell(w, h, text, new_x=new_x)``: justified lines, the last one left
        aligned, broken where fpdf2 breaks them; then below the paragraph."""
        normal = self.normalize_text(text)
        if _NOT_FAST.search(normal) or self.str_alias_nb_pages in normal:
            self.multi_cell(w, h, text, new_x=new_x, new_y=YPos.NEXT)
            return
        if w == 0:
            w = self.w - self.r_margin - self.x
        lines = self._wrapped(normal, w - self.c_margin - self.c_margin)
        if lines is None:  # a single character wider than the line: fpdf2 says so
            self.multi_cell(w, h, text, new_x=new_x, new_y=YPos.NEXT)
            return
        if not lines:
            self._write_line(w, h, None, 0, 0, "", "L", new_x, YPos.NEXT)
        for index, (line, units, spaces, justified) in enumerate(lines):
            last = index == len(lines) - 1
            self._write_line(w, h, line, units, spaces if justified else 0, "", "L",
                             new_x if last else XPos.LEFT, YPos.NEXT)

    # ------------------------------------------------------------ what fpdf2 would write

    def _wrapped(self, text: str, max_width: float) -> tuple[Line, ...] | None:
        """The lines of :func:`wrap`, kept per font, size, width and text (many report
        texts are the same in every report); safe with reports drawn in several threads."""
        key = (self.current_font.fontkey, self.font_size_pt, max_width, text)
        lines = _lines.get(key, _NOT_WRAPPED)
        if lines is _NOT_WRAPPED:
            if len(_lines) >= _CACHE_LIMIT:
                _lines.clear()
            lines = _lines[key] = wrap(text, self.current_font.cw.__getitem__, self.font_size_pt, self.k,
                                       max_width)
        return lines

    def _write_line(
        self,
        w: float,
        h: float,
        text: str | None,
        units: int,
        spaces: int,
        border: str,
        align: str,
        new_x: XPos,
        new_y: YPos,
    ) -> None:
        """One line as ``_render_styled_text_line`` writes it (fpdf2 2.8), word spacing
        ``Tw`` spread over ``spaces`` when given; ``text`` already normalized, None for
        no text at all (an empty string is an empty text object, as fpdf2 writes for an
        empty line inside a paragraph)."""
        if self.will_page_break(h):
            self._perform_page_break()
        k, x, y = self.k, self.x, self.y
        parts = []
        if border:
            left, right = x * k, (x + w) * k
            top, bottom = (self.h - y) * k, (self.h - (y + h)) * k
            if set(border) >= set("LTRB"):
                parts.append(f"{left:.2f} {top:.2f} {right - left:.2f} {bottom - top:.2f} re S")
                border = ""
            for side, (x1, y1, x2, y2) in (("L", (left, top, left, bottom)), ("T", (left, top, right, top)),
                                           ("R", (right, top, right, bottom)),
                                           ("B", (left, bottom, right, bottom))):
                if side in border:
                    parts.append(f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l S")
        local = False
        if text is not None:
            width = units * self.font_size_pt * 0.001 / k
            if align == "R":
                dx = w - self.c_margin - width
            elif align == "C":
                dx = (w - width) / 2
            else:
                dx = self.c_margin
            parts.append(f"BT {(x + dx) * k:.2f} {(self.h - y - 0.5 * h - 0.3 * self.font_size) * k:.2f} Td")
            if not self.current_font_is_set_on_page:
                self._out(self._set_font_for_page(self.current_font, self.font_size_pt))
            if self.text_color != self.fill_color:
                parts.append(self.text_color.serialize().lower())
                local = True
            word_spacing = (w - self.c_margin - self.c_margin - width) / spaces if spaces else 0.0
            if word_spacing:
                parts.append(f"{word_spacing * k:.3f} Tw ({escape_parens(text)}) Tj")
                local = True
            else:
                parts.append(f"({escape_parens(text)}) Tj")
            parts.append("ET")
        if parts:
            self._out(f"q {' '.join(parts)} Q" if local else " ".join(parts))
        if new_x == XPos.RIGHT:
            self.x += w
        elif new_x == XPos.LMARGIN:
            self.x = self.l_margin
        if new_y == YPos.NEXT:
            self.y += h


def wrap(
    text: str, unit_width: Callable[[str], int], size_pt: float, k: float, max_width: float
) -> tuple[Line, ...] | None:
    """fpdf2's word wrap (``MultiLineBreak``, WORD mode, one font): break at the last
    space before the character that overflows, at that character if it is a space, or
    inside a word without one (not justified). The widths are summed in font units and
    compared the way fpdf2 compares them, so the lines are fpdf2's to the last character.
    None when one character does not fit a line."""
    scale = size_pt * 0.001
    total = sum(map(unit_width, text))
    if total * scale / k < max_width - 1e-6:  # fits with room to spare: one line, as fpdf2 finds
        return ((text, total, text.count(" "), False),) if total else ()
    lines: list[Line] = []
    start = units = spaces = 0
    hint: tuple[int, int, int] | None = None  # (index of the last space, units and spaces before it)
    index = 0
    while index < len(text):
        char = text[index]
        char_units = unit_width(char)
        if (units * size_pt * 0.001 / k + char_units * size_pt * 0.001 / k) - max_width > _TOLERANCE:
            if char == " ":
                lines.append((text[start:index], units, spaces, True))
                index += 1
            elif hint is not None:
                lines.append((text[start:hint[0]], hint[1], hint[2], True))
                index = hint[0] + 1
            elif index == start:
                return None
            else:
                lines.append((text[start:index], units, spaces, False))
            start, units, spaces, hint = index, 0, 0, None
            continue
        if char == " ":
            hint = (index, units, spaces)
            spaces += 1
        units += char_units
        index += 1
    if units:
        lines.append((text[start:], units, spaces, False))
    return tuple(lines)
