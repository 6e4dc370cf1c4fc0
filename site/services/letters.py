"""Numbered letters to applicants (告知书), kept as issued, rendered as HTML and PDF.

The text is composed once when the letter is issued and stored; later edits of templates or
settings never change a letter already sent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import current_app
from fpdf import FPDF
from sqlalchemy.orm import Session

from opengov.site.domain.outcomes import Outcome, remedies_text
from opengov.site.models import InfoRequest, RequestLetter
from opengov.site.services.requests import next_serial

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


def _opening(request: InfoRequest) -> list[str]:
    what = "、".join(part for part in (request.doc_title, request.doc_number) if part)
    what = what or request.description[:60]
    receipt = chinese_date(request.receipt_date)
    return [f"{request.name}：",
            f"本机关于{receipt}收到您提出的政府信息公开申请（申请编号：{request.number}），"
            f"申请获取“{what}”。"]


def compose(request: InfoRequest, kind: str, *, outcome: Outcome | None = None,
            detail: str = "", other_body: str = "", deadline: dt.date | None = None) -> str:
    """The paragraphs of a letter, one per line."""
    lines = _opening(request)
    if kind == "reply":
        assert outcome is not None
        info = outcome.info
        lines.append(f"经审查，现答复如下：{info.letter_text}")
        if detail:
            lines.append(detail)
        if info.names_other_body and other_body:
            lines.append(f"该政府信息由{other_body}负责公开，请向其提出申请。")
        lines.append(f"依据：{info.basis}。")
        lines.append(remedies_text(_review_body(request), current_app.config["REQUEST_COURT"]))
    elif kind == "correction":
        until = chinese_date(deadline)
        lines.append("您的申请内容不明确，根据《中华人民共和国政府信息公开条例》第三十条，"
                     f"请于{until}前作出补正，需要补正的事项如下：{detail}")
        lines.append("答复期限自本机关收到补正的申请之日起计算。无正当理由逾期不补正的，"
                     "视为放弃申请，本机关不再处理该政府信息公开申请。")
    elif kind == "extension":
        until = chinese_date(deadline)
        lines.append("因需要延长答复期限，经本机关政府信息公开工作机构负责人同意，根据《中华人民共和国"
                     f"政府信息公开条例》第三十三条第二款，答复期限延长至{until}。{detail}")
    elif kind == "fee":
        lines.append(f"根据《政府信息公开信息处理费管理办法》，本机关依法收取信息处理费：{detail}。"
                     "请自收到本通知次日起20个工作日内缴纳，逾期未缴纳的，视为放弃申请。")
    else:
        raise ValueError(f"unknown letter kind {kind}")
    return "\n".join(lines)


def issue(session: Session, request: InfoRequest, kind: str, issued_on: dt.date,
          body: str) -> RequestLetter:
    letter = RequestLetter(request=request, kind=kind, title=TITLES[kind],
                           number=_number(session, request, issued_on), body=body,
                           issued_on=issued_on)
    session.add(letter)
    session.flush()
    return letter


def render_pdf(letter: RequestLetter) -> bytes:
    """The letter as an A4 PDF with the CJK font of the ``LETTER_FONT`` setting."""
    font = Path(current_app.config["LETTER_FONT"])
    pdf = FPDF(format="A4")
    pdf.set_title(letter.title)
    pdf.set_margins(25, 25, 25)
    # In Noto's .ttc the Simplified Chinese face is number 2 (JP, KR, SC, TC, HK).
    pdf.add_font("cjk", "", str(font),
                 collection_font_number=2 if font.suffix.lower() == ".ttc" else 0)
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
