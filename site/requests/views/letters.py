"""The PDF download of a letter, shared by the applicant's and the staff pages."""

from __future__ import annotations

from urllib.parse import quote

from flask.typing import ResponseReturnValue

from opengov.site.requests.service.letters import LetterPdf


def letter_pdf_response(pdf: LetterPdf) -> ResponseReturnValue:
    """The letter as a PDF attachment; its Chinese file name travels RFC 5987-encoded."""
    return pdf.content, 200, {
        "Content-Type": "application/pdf",
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(pdf.filename)}",
        "Cache-Control": "private, no-store",
    }
