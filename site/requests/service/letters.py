"""Numbered letters to applicants (告知书), kept as issued, rendered as HTML and PDF.

The text is composed once when the letter is issued and stored; later edits of templates or
settings never change a letter already sent. The addressee (主送, the applicant's name) is kept
apart from the text, encrypted like the request's own copy of it, and put in front of the text
whenever the letter is shown (:func:`paragraphs`); once the request is anonymised it reads
（已匿名化）. A reply letter words the decision in the form the handler chose
(:data:`~opengov.site.requests.rules.outcomes.REPLIES`), citing exactly its article and item.
The PDF follows the habits of GB/T 9704-2012: title in 2号 serif, the 发文字号 line, the
addressee flush left, paragraphs indented two characters, 附件 note, the agency's name and the
date (成文日期) to the right with room for the seal (印章) above them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app, render_template
from sqlalchemy.orm import Session

from opengov.site.personal_data import get_cipher
from opengov.site.requests.models import InfoRequest, RequestLetter
from opengov.site.requests.rules.applicant import Delivery
from opengov.site.requests.rules.outcomes import Reply, remedies_text
from opengov.site.requests.service.handling import ANONYMISED, next_serial

if TYPE_CHECKING:
    from fpdf import FPDF

TITLES = {
    "reply": "政府信息公开申请答复书",
    "correction": "政府信息公开申请补正告知书",
    "extension": "延长政府信息公开申请答复期限告知书",
    "fee": "政府信息公开信息处理费收费通知书",
    "lapse": "政府信息公开申请终止处理告知书",
}

#: How the applicant gets released files, by the way they chose (Art. 29(三), Art. 40).
DELIVERY_SENTENCES = {
    Delivery.EMAIL.value: "所提供的政府信息见本答复书附件，已同时发送至您提供的电子邮箱；"
                          "您也可以凭申请编号和查询码在本网站“申请查询”页面下载。",
    Delivery.ONLINE.value: "所提供的政府信息见本答复书附件，请凭申请编号和查询码在本网站"
                           "“申请查询”页面查看、下载。",
    Delivery.POST.value: "所提供的政府信息见本答复书附件，纸质件将随本答复书邮寄至您提供的"
                         "通信地址；电子件可凭申请编号和查询码在本网站“申请查询”页面下载。",
    Delivery.PICK_UP.value: "所提供的政府信息见本答复书附件，请您携带身份证明到{office}领取；"
                            "电子件可凭申请编号和查询码在本网站“申请查询”页面下载。",
    Delivery.ON_SITE.value: "所提供的政府信息见本答复书附件，请您携带身份证明到{office}"
                            "阅读、抄录。",
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


def sentence(text: str) -> str:
    """``text`` ending with a full stop (a handler's note may lack one)."""
    text = text.strip()
    return text if not text or text[-1] in "。！？；”）" else text + "。"


def delivery_sentence(request: InfoRequest) -> str:
    """Where the applicant finds the released files, in the way they chose."""
    office = request.agency.office_name or request.agency.name
    if request.agency.address:
        office = f"{office}（{request.agency.address}）"
    template = DELIVERY_SENTENCES.get(request.delivery, DELIVERY_SENTENCES[Delivery.ONLINE])
    return template.format(office=office)


def compose(request: InfoRequest, kind: str, *, reply: Reply | None = None,
            detail: str = "", other_body: str = "", deadline: dt.date | None = None,
            releases: Sequence[str] = ()) -> str:
    """The paragraphs of a letter after its addressee, one per line, from
    ``templates/letters/<kind>.txt`` (wording that legal staff may adjust without touching
    code). ``releases`` names the files released with a reply."""
    if kind not in TITLES:
        raise ValueError(f"unknown letter kind {kind}")
    if kind in ("reply", "lapse") and reply is None:
        raise ValueError("a reply letter needs the form of its reply")
    what = "、".join(part for part in (request.doc_title, request.doc_number) if part)
    text = render_template(
        f"letters/{kind}.txt", request=request, what=what or request.description[:60],
        reply=reply, detail=sentence(detail), other_body=other_body.strip().rstrip("。"),
        deadline=deadline, releases=list(releases),
        delivery=delivery_sentence(request) if releases else "",
        remedies=remedies_text(_review_body(request), current_app.config["REQUEST_COURT"]))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def issue(session: Session, request: InfoRequest, kind: str, issued_on: dt.date,
          body: str, *, enclosures: Sequence[str] = ()) -> RequestLetter:
    # The addressee is the applicant: the request's ciphertext of the name serves as it is.
    letter = RequestLetter(request=request, kind=kind, title=TITLES[kind],
                           number=_number(session, request, issued_on),
                           addressee_enc=request.name_enc, body=body,
                           issued_on=issued_on, enclosures="\n".join(enclosures))
    session.add(letter)
    session.flush()
    return letter


def addressee(letter: RequestLetter) -> str:
    """Whom the letter is addressed to (主送): the applicant's name, decrypted;
    :data:`~.handling.ANONYMISED` once erased."""
    if letter.request.anonymised_at is not None:
        return ANONYMISED
    return get_cipher().decrypt(letter.addressee_enc)


def paragraphs(letter: RequestLetter) -> list[str]:
    """The letter's text as shown and printed: the addressee line (``张三：``), then the
    paragraphs as issued."""
    name = addressee(letter)
    return [*([f"{name}："] if name else []), *letter.body.split("\n")]


def enclosure_lines(letter: RequestLetter) -> list[str]:
    """附件说明 as printed: "附件：1.名称" then "2.名称" aligned under the first name."""
    names = [name for name in letter.enclosures.split("\n") if name.strip()]
    if not names:
        return []
    if len(names) == 1:
        return [f"附件：{names[0]}"]
    return [f"附件：1.{names[0]}", *(f"{number}.{name}" for number, name
                                    in enumerate(names[1:], start=2))]


@dataclass(frozen=True)
class LetterPdf:
    """A letter as a PDF download."""

    filename: str
    content: bytes


def letter_pdf(letter: RequestLetter) -> LetterPdf:
    """The letter as a PDF named after its title and the request's number."""
    return LetterPdf(f"{letter.title}-{letter.request.number}.pdf", render_pdf(letter))


def render_pdf(letter: RequestLetter) -> bytes:
    """The letter as an A4 PDF in the layout of GB/T 9704-2012, in a serif CJK face. When the
    signature would stand alone on a page, the lines are set a little closer (§7.3.5: adjust
    the spacing rather than leave the 落款 by itself)."""
    # Loaded on first use: fpdf, openpyxl and pypdf (≈80 MB) stay out of the web workers
    # that never build a file (tests/architecture/test_worker_memory.py).
    from opengov.site.pdf import LINE_MM

    for tightening in (1.0, 0.94, 0.88, 0.82):
        pdf, alone = _typeset(letter, LINE_MM * tightening)
        if not alone:
            break
    return bytes(pdf.output())


def _typeset(letter: RequestLetter, line: float) -> tuple[FPDF, bool]:
    """The letter set with lines ``line`` mm apart, and whether its signature had to go on a
    page of its own."""
    from opengov.site.pdf import (
        BODY_PT,
        SERIF,
        TITLE_PT,
        fit_font_size,
        official_pdf,
        paragraph,
        wrap,
    )

    pdf = official_pdf(letter.title)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(SERIF, size=TITLE_PT)
    for title_line in wrap(pdf, letter.title, width):
        pdf.cell(0, 12, title_line, align="C", new_x="LMARGIN", new_y="NEXT")
    # 发文字号: one line under the title, never broken (smaller type before a break).
    pdf.set_font(SERIF, size=BODY_PT)
    fit_font_size(pdf, letter.number, width, BODY_PT)
    pdf.cell(0, line, letter.number, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(SERIF, size=BODY_PT)
    pdf.ln(line / 2)
    for number, text in enumerate(paragraphs(letter)):
        # The addressee (主送) is flush left; every other paragraph starts two characters in.
        addressee = number == 0 and text.endswith("：")
        paragraph(pdf, text, line_height=line, indent_chars=0 if addressee else 2)
    enclosures = enclosure_lines(letter)
    if enclosures:
        pdf.ln(line)
        for index, enclosure in enumerate(enclosures):
            # 附件说明: two characters in, the later names aligned with the first name.
            indent = (2 if index == 0 else 5) * pdf.font_size
            for part in wrap(pdf, enclosure, width - indent):
                pdf.set_x(pdf.l_margin + indent)
                pdf.cell(0, line, part, new_x="LMARGIN", new_y="NEXT")
    # 印章 place: the seal presses on the signature and date (GB/T 9704 §7.3.5.1); leave it
    # the room of two lines above them, and keep them on one page.
    alone = pdf.get_y() + 4 * line > pdf.h - pdf.b_margin
    if alone:
        pdf.add_page()
    else:
        pdf.ln(2 * line)
    date = chinese_date(letter.issued_on)
    right_space = 4 * pdf.font_size  # 成文日期右空四字
    date_width = pdf.get_string_width(date)
    centre = pdf.w - pdf.r_margin - right_space - date_width / 2
    agency = letter.request.agency.name
    agency_width = pdf.get_string_width(agency)
    agency_x = min(centre - agency_width / 2, pdf.w - pdf.r_margin - agency_width)
    pdf.set_x(max(pdf.l_margin, agency_x))
    pdf.cell(agency_width, line, agency, new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(centre - date_width / 2)
    pdf.cell(date_width, line, date, new_x="LMARGIN", new_y="NEXT")
    return pdf, alone
