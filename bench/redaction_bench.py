"""Figures for redaction of released files: finding and removing the text under the boxes of a
many-page PDF, as a ratio to what any reader spends extracting that PDF's text (pypdf), measured
in the same run.

Run: .venv/bin/python bench/redaction_bench.py [PAGES]   (prints figures; asserts nothing)
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pypdf
from fpdf import FPDF

from opengov.site.redaction import ID_NUMBER, MOBILE_NUMBER, find_boxes, redact_pdf
from tests.requests.released_pdf import FONT


def document(pages: int) -> bytes:
    pdf = FPDF()
    pdf.add_font("cjk", "", FONT, collection_font_number=2)
    pdf.set_font("cjk", size=11)
    for page in range(pages):
        pdf.add_page()
        for line in range(30):
            pdf.multi_cell(0, 7, f"第{page + 1}页第{line + 1}行：关于老旧小区改造资金拨付情况的说明，"
                                 f"联系人王小明，电话1391234{line:04d}，身份证号110101199003074514。",
                           new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def timed(action: object, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def main(pages: int) -> None:
    data = document(pages)
    reference = timed(lambda: [page.extract_text()
                               for page in pypdf.PdfReader(io.BytesIO(data)).pages])
    boxes = find_boxes(data, ["王小明"], [ID_NUMBER, MOBILE_NUMBER])
    finding = timed(lambda: find_boxes(data, ["王小明"], [ID_NUMBER, MOBILE_NUMBER]))
    redacting = timed(lambda: redact_pdf(data, boxes), runs=1)
    result = redact_pdf(data, boxes)
    print(f"{pages} pages, {len(data) / 1024:.0f} KB, {len(boxes)} boxes (one per line of a match), "
          f"{result.glyphs_removed} glyphs removed")
    print(f"reference (pypdf text extraction): {reference * 1000:.0f} ms")
    print(f"find_boxes: {finding * 1000:.0f} ms = {finding / reference:.1f}× reference")
    print(f"redact_pdf (incl. verification): {redacting * 1000:.0f} ms = "
          f"{redacting / reference:.1f}× reference, {redacting / pages * 1000:.0f} ms per page")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
