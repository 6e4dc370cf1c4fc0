"""PDF documents in Chinese (fpdf2 with the CJK font of the ``LETTER_FONT`` setting)."""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from fpdf import FPDF


def cjk_pdf(title: str, *, landscape: bool = False) -> FPDF:
    """An A4 document whose font ``cjk`` renders Simplified Chinese."""
    font = Path(current_app.config["LETTER_FONT"])
    pdf = FPDF(orientation="L" if landscape else "P", format="A4")
    pdf.set_title(title)
    pdf.set_margins(20 if landscape else 25, 20, 20 if landscape else 25)
    # In Noto's .ttc the Simplified Chinese face is number 2 (JP, KR, SC, TC, HK).
    pdf.add_font("cjk", "", str(font),
                 collection_font_number=2 if font.suffix.lower() == ".ttc" else 0)
    return pdf
