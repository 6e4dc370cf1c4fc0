"""Downloads shared by the applicant's and the staff pages: letters and released files."""

from __future__ import annotations

from urllib.parse import quote

from flask.typing import ResponseReturnValue

from opengov.site.requests.service.delivery import ReleasedContent
from opengov.site.requests.service.letters import LetterPdf


def letter_pdf_response(pdf: LetterPdf) -> ResponseReturnValue:
    """The letter as a PDF attachment; its Chinese file name travels RFC 5987-encoded."""
    return pdf.content, 200, {
        "Content-Type": "application/pdf",
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(pdf.filename)}",
        "Cache-Control": "private, no-store",
    }


def file_response(released: ReleasedContent) -> ResponseReturnValue:
    """A released file as a download, never shown inline (it may be a PDF with scripts)."""
    return released.content, 200, {
        "Content-Type": released.content_type,
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(released.filename)}",
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    }
