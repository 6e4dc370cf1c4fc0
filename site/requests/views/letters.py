"""The PDF download of a reply letter, shared by the applicant's and the staff pages."""

from __future__ import annotations

from urllib.parse import quote

from flask.typing import ResponseReturnValue

from opengov.site.requests.models import RequestLetter
from opengov.site.requests.service import letters as letter_service


def letter_pdf_response(letter: RequestLetter) -> ResponseReturnValue:
    """The letter as a PDF attachment; its Chinese file name travels RFC 5987-encoded."""
    filename = quote(f"{letter.title}-{letter.request.number}.pdf")
    return letter_service.render_pdf(letter), 200, {
        "Content-Type": "application/pdf",
        "Content-Disposition": f"attachment; filename*=UTF-8''{filename}",
        "Cache-Control": "private, no-store",
    }
