"""Numbered letters to applicants (告知书), kept as issued, rendered as HTML and PDF.

The text is composed once when the letter is issued and stored; later edits of templates or
settings never change a letter already sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app, render_template
from sqlalchemy.orm import Session

from opengov.site.pdf import cjk_pdf
from opengov.site.requests.models import InfoRequest, RequestLetter
from opengov.site.requests.rules.outcomes import Outcome, remedies_text
from opengov.site.requests.service.handling import next_serial

TITLES = {
    "reply": "政府信息公开申请答复书",
    "correction": "政府信息公开申请补正告知书",
    "extension": "延长政府信息公开申请答复期限告知书",
    "fee": "政府信息公开信息处理费收费通知书",
}


def _number(session: Session, request: InfoRequest, issued_on: dt.date) -> str:
    agency = request.agency
    serial = next_serial(session, f"letter:{agency.code}", issued_on.year)
    short = agency.short_name or agency.name
    return f"{short}依申请公开告知〔{issued_on.year}〕第{serial}号"


def _review_body(request: InfoRequest) -> str:
    config = current_app.config
    if request.agency.code == config["ROOT_AGENCY"]:
        return str(config["REQUEST_ROOT_REVIEW_BODY"])
    return str(config["REQUEST_REVIEW_BODY"])


def chinese_date(day: dt.date | None) -> str:
    """2025年10月9日: the date style of official letters."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def compose(request: InfoRequest, kind: str, *, outcome: Outcome | None = None,
            detail: str = "", other_body: str = "", deadline: dt.date | None = None) -> str:
    """The paragraphs of a letter, one per line, from ``templates/letters/<kind>.txt``
    (wording that legal staff may adjust without touching code)."""
    if kind not in TITLES:
        raise ValueError(f"unknown letter kind {kind}")
    if kind == "reply" and outcome is None:
        raise ValueError("a reply letter needs an outcome")
    what = "、".join(part for part in (request.doc_title, request.doc_number) if part)
    text = render_template(
        f"letters/{kind}.txt", request=request, what=what or request.description[:60],
        outcome=outcome, detail=detail.strip(), other_body=other_body.strip(),
        deadline=deadline,
        remedies=remedies_text(_review_body(request), current_app.config["REQUEST_COURT"]))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def issue(session: Session, request: InfoRequest, kind: str, issued_on: dt.date,
          body: str) -> RequestLetter:
    letter = RequestLetter(request=request, kind=kind, title=TITLES[kind],
                           number=_number(session, request, issued_on), body=body,
                           issued_on=issued_on)
    session.add(letter)
    session.flush()
    return letter


@dataclass(frozen=True)
class LetterPdf:
    """A letter as a PDF download."""

    filename: str
    content: bytes


def letter_pdf(letter: RequestLetter) -> LetterPdf:
    """The letter as a PDF named after its title and the request's number."""
    return LetterPdf(f"{letter.title}-{letter.request.number}.pdf", render_pdf(letter))


def render_pdf(letter: RequestLetter) -> bytes:
    """The letter as an A4 PDF with the CJK font of the ``LETTER_FONT`` setting."""
    pdf = cjk_pdf(letter.title)
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 12, letter.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.cell(0, 8, letter.number, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("cjk", size=12)
    for paragraph in letter.body.split("\n"):
        pdf.multi_cell(0, 8, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(10)
    pdf.cell(0, 8, letter.request.agency.name, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, chinese_date(letter.issued_on), align="R")
    return bytes(pdf.output())
