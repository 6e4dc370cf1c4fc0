"""PDF documents in Chinese: fpdf2 with the CJK fonts of the ``LETTER_FONT`` (sans) and
``LETTER_TITLE_FONT`` (serif) settings, and line breaking that never splits a number.

A 公文 (GB/T 9704-2012) is set in a serif face on an A4 page with a type area of 156 × 225
mm; :func:`official_pdf` gives that page, :func:`wrap` breaks Chinese text into lines the way
typesetters do: anywhere between characters, except inside a number such as YSQ-2026-000001,
〔2026〕第12号 or 2026年1月9日, never a closing mark at the start of a line (避头) nor an
opening one at its end (避尾).
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import current_app
from fpdf import FPDF

SANS = "cjk"
SERIF = "serif"

#: GB/T 9704-2012 §5.2.2: 天头 37 mm, 订口 28 mm; the type area is 156 × 225 mm.
OFFICIAL_MARGINS = (28.0, 37.0, 26.0)
OFFICIAL_BOTTOM = 35.0
#: 3号 (16 pt) for the text, 2号 (22 pt) for the title; 22 lines of text on a page.
BODY_PT = 16.0
TITLE_PT = 22.0
LINE_MM = 225.0 / 22

#: Runs that must stay on one line: citations of an article, identifiers, numbers, dates.
_UNBREAKABLE = re.compile(
    r"第[一二三四五六七八九十百]+条(?:第[一二三四五六七八九十]+款)?(?:第（[一二三四五六七八九十]+）项)?"
    r"|〔\d{4}〕第?\d+号"
    r"|\d{4}年\d{1,2}月\d{1,2}日"
    r"|[A-Za-z0-9][A-Za-z0-9\-_./:@%]*[A-Za-z0-9%]"
    r"|[A-Za-z0-9]")
#: 避头: marks that never begin a line; 避尾: marks that never end one.
_NO_LINE_START = frozenset("，。、；：？！）》」』”’…—％%,.;:?!)]")
_NO_LINE_END = frozenset("（《「『“‘([")


def _font_number(path: Path) -> int:
    # In Noto's .ttc files the Simplified Chinese face is number 2 (JP, KR, SC, TC, HK).
    return 2 if path.suffix.lower() == ".ttc" else 0


class _Document(FPDF):
    """An FPDF whose pages may carry a 公文 page number (— 1 —)."""

    page_numbers = False

    def footer(self) -> None:
        if not self.page_numbers:
            return
        # GB/T 9704 §7.5: 4号 (14 pt) numbers, odd pages right, even pages left, one
        # character in from the edge of the type area.
        self.set_y(-OFFICIAL_BOTTOM + 7)
        self.set_font(SERIF, size=14)
        align = "R" if self.page_no() % 2 else "L"
        self.cell(0, 7, f"— {self.page_no()} —", align=align)


def cjk_pdf(title: str, *, landscape: bool = False) -> FPDF:
    """An A4 document with the fonts ``cjk`` (sans) and ``serif``, both Simplified Chinese."""
    pdf = _Document(orientation="L" if landscape else "P", format="A4")
    pdf.set_title(title)
    pdf.set_margins(20 if landscape else 25, 20, 20 if landscape else 25)
    _add_fonts(pdf)
    return pdf


def official_pdf(title: str) -> FPDF:
    """A portrait A4 document with the margins and page numbers of GB/T 9704."""
    pdf = _Document(orientation="P", format="A4")
    pdf.page_numbers = True
    pdf.set_title(title)
    pdf.set_margins(*OFFICIAL_MARGINS)
    pdf.set_auto_page_break(True, margin=OFFICIAL_BOTTOM)
    _add_fonts(pdf)
    return pdf


def _add_fonts(pdf: FPDF) -> None:
    sans = Path(current_app.config["LETTER_FONT"])
    pdf.add_font(SANS, "", str(sans), collection_font_number=_font_number(sans))
    serif = Path(current_app.config["LETTER_TITLE_FONT"])
    if not serif.is_file():
        serif = sans
    pdf.add_font(SERIF, "", str(serif), collection_font_number=_font_number(serif))


def tokens(text: str) -> list[str]:
    """``text`` as the pieces a line may break between."""
    pieces: list[str] = []
    position = 0
    for match in _UNBREAKABLE.finditer(text):
        pieces.extend(text[position:match.start()])
        pieces.append(match.group())
        position = match.end()
    pieces.extend(text[position:])
    return pieces


def wrap(pdf: FPDF, text: str, width: float, *, indent: float = 0.0) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (mm) in the current font, the first
    one ``indent`` narrower; a closing mark may hang past the edge rather than start a line."""
    lines: list[str] = []
    line: list[str] = []
    used = indent
    for piece in tokens(text):
        piece_width = pdf.get_string_width(piece)
        if line and used + piece_width > width + 0.01 and piece not in _NO_LINE_START:
            carried: list[str] = []
            while line and line[-1] in _NO_LINE_END:
                carried.insert(0, line.pop())
            if line:
                lines.append("".join(line))
            line = carried
            used = sum(pdf.get_string_width(item) for item in line)
        line.append(piece)
        used += piece_width
    if line or not lines:
        lines.append("".join(line))
    return lines


def paragraph(pdf: FPDF, text: str, *, line_height: float, indent_chars: int = 2,
              align: str = "L") -> None:
    """One paragraph at the current position: the first line indented ``indent_chars``
    characters (全角), every line from :func:`wrap`."""
    width = pdf.w - pdf.l_margin - pdf.r_margin
    indent = indent_chars * pdf.font_size
    for number, line in enumerate(wrap(pdf, text, width, indent=indent)):
        pdf.set_x(pdf.l_margin + (indent if number == 0 else 0))
        pdf.cell(0 if align == "L" else width - (indent if number == 0 else 0), line_height,
                 line, align=align, new_x="LMARGIN", new_y="NEXT")


def fit_font_size(pdf: FPDF, text: str, width: float, size: float, *,
                  smallest: float = 8.0) -> float:
    """The largest size up to ``size`` at which ``text`` fits ``width`` on one line."""
    family = pdf.font_family
    while size > smallest:
        pdf.set_font(family, size=size)
        if pdf.get_string_width(text) <= width:
            break
        size -= 0.5
    return size
