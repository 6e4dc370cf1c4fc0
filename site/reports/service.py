"""Assemble an agency's annual report from the documents, the requests and the register,
check it, render it (page, XLSX, PDF) and publish it in the 政府信息公开年报 column."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies import service as agencies
from opengov.site.agencies.models import Agency
from opengov.site.audit import service as audit
from opengov.site.audit.service import AuditAction, Origin
from opengov.site.catalog.models import Document
from opengov.site.catalog.rules.metadata import Disclosure, PublicationStatus, Validity
from opengov.site.catalog.service import attachments
from opengov.site.catalog.service.columns import category_by_slug, issue_index_no
from opengov.site.catalog.service.outbox import enqueue
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
)
from opengov.site.reports.models import AnnualReport, ReviewCase
from opengov.site.reports.rules import (
    APPLICANT_COLUMNS,
    REGULATION_GENRES,
    ROW_CARRIED_IN,
    ROW_CARRIED_OUT,
    ROW_NEW,
    ROW_RESULTS,
    ROW_TOTAL,
    TABLE3_NOTE,
    TOTAL_COLUMN,
    DocumentRecord,
    RegulationCounts,
    RequestRecord,
    ReviewGroup,
    ReviewResult,
    Table3,
    applicant_column,
    compute_regulation_counts,
    compute_table3,
    compute_table4,
    group_rows,
    row_label,
    section_problems,
    table3_layout,
    table3_violations,
)
from opengov.site.reports.rules import ReviewCase as ReviewCaseRecord
from opengov.site.requests.service.proactive import drafted_in_year as proactive_drafted_in_year
from opengov.site.requests.service.statistics import (
    fees_paid,
    has_request_numbered,
    received_requests,
)

#: Art. 49: departments publish by 31 January, the government's report by 31 March.
DEPARTMENT_DEADLINE = (1, 31)
GOVERNMENT_DEADLINE = (3, 31)
REPORT_COLUMN = "annual-reports"
#: A report is written (draft), handed for review (submitted), then published by someone else.
DRAFT, SUBMITTED, PUBLISHED = "draft", "submitted", "published"
STATUS_LABELS = {DRAFT: "编写中", SUBMITTED: "待审核", PUBLISHED: "已发布"}
#: Table headings in the regular face (the CJK font has no bold style), shaded as in the XLSX.
HEADING_FILL = (235, 235, 235)


class ReportCheckError(ConflictError):
    """The report breaks an invariant of Table 三 or is published already; ``problems``
    lists each broken rule."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


def report_deadline(agency: Agency, year: int) -> dt.date:
    """The day by which the report on ``year`` must be published (条例 Art. 49)."""
    month, day = GOVERNMENT_DEADLINE if agency.kind == "government" else DEPARTMENT_DEADLINE
    return dt.date(year + 1, month, day)


def get_or_create_report(session: Session, agency: Agency, year: int) -> AnnualReport:
    report = find_report(session, agency, year)
    if report is None:
        report = new_report(agency, year)
        session.add(report)
        session.flush()
    return report


def new_report(agency: Agency, year: int) -> AnnualReport:
    """An empty report, not yet saved: pages that only show it write nothing."""
    return AnnualReport(agency=agency, year=year, version=1, status=DRAFT, overview="",
                        problems="", other_matters="", licensing_decisions=0,
                        penalty_decisions=0, coercion_decisions=0, fees_collected=Decimal("0"),
                        review_note="", correction_note="")


def find_report(session: Session, agency: Agency, year: int) -> AnnualReport | None:
    """The latest version of ``agency``'s report on ``year``."""
    return session.scalars(select(AnnualReport).where(
        AnnualReport.agency_id == agency.id, AnnualReport.year == year)
        .order_by(AnnualReport.version.desc()).limit(1)).first()


def versions_of(session: Session, agency: Agency, year: int) -> list[AnnualReport]:
    """Every version of the report, the first first: corrections never hide the old one."""
    return list(session.scalars(select(AnnualReport).where(
        AnnualReport.agency_id == agency.id, AnnualReport.year == year)
        .order_by(AnnualReport.version)))


# --- the tables ----------------------------------------------------------------------------

def regulation_counts(session: Session, agency: Agency, year: int) -> dict[str, RegulationCounts]:
    """Table 二, 第二十条第（一）项, from the agency's 规章 and 行政规范性文件."""
    rows = session.execute(
        select(Document.genre, Document.date_written, Document.published_on,
               Document.repealed_on)
        .where(Document.agency_id == agency.id, Document.genre.in_(REGULATION_GENRES),
               Document.status.in_([PublicationStatus.PUBLISHED,
                                    PublicationStatus.WITHDRAWN])))
    records = [DocumentRecord(genre, written, published, repealed)
               for genre, written, published, repealed in rows]
    return compute_regulation_counts(year, records)


def request_records(session: Session, agency: Agency) -> list[RequestRecord]:
    """Every request addressed to ``agency`` whose receipt date is fixed (Art. 31)."""
    records = []
    for received in received_requests(session, agency.id):
        closed_with = received.outcome if received.closed_on is not None else None
        records.append(RequestRecord(applicant_column(received.applicant_kind, received.org_type),
                                     received.receipt_date,
                                     received.closed_on if closed_with else None, closed_with))
    return records


def request_table(session: Session, agency: Agency, year: int) -> Table3:
    """Table 三 counted from the agency's requests."""
    return compute_table3(year, request_records(session, agency))


def review_table(session: Session, agency: Agency, year: int) -> dict[ReviewGroup, dict[str, int]]:
    """Table 四 from the register."""
    cases = session.scalars(select(ReviewCase).where(ReviewCase.agency_id == agency.id,
                                                     ReviewCase.year == year))
    return compute_table4(ReviewCaseRecord(case.group, case.result) for case in cases)


def fees_collected(session: Session, agency: Agency, year: int) -> Decimal:
    """信息处理费 paid in ``year`` (元), for section 六."""
    return fees_paid(session, agency.id, year)


def table3_cells(table: Table3) -> dict[str, dict[str, int]]:
    """Table 三 as row label → column → count (what a published report freezes)."""
    cells = {ROW_NEW: dict(table.new), ROW_CARRIED_IN: dict(table.carried_in)}
    cells.update({row_label(outcome): dict(row) for outcome, row in table.results.items()})
    cells[ROW_TOTAL] = table.results_total
    cells[ROW_CARRIED_OUT] = dict(table.carried_out)
    return cells


@dataclass
class DepartmentLine:
    """One department's figures in the government's report."""

    agency: Agency
    new: int
    closed: int
    carried_out: int
    reviews: int
    published: bool


@dataclass
class ReportData:
    """Everything the report shows, counted now (or frozen, once published)."""

    report: AnnualReport
    deadline: dt.date
    regulations: dict[str, RegulationCounts]
    table3: Table3
    table4: dict[ReviewGroup, dict[str, int]]
    fees_yuan: Decimal
    problems: list[str]
    departments: list[DepartmentLine]
    #: Information moved to 主动公开 under Art. 44 in the year (section 一).
    art44: int = 0
    #: Written sections still empty or holding placeholders: publication waits for them.
    writing_problems: list[str] = field(default_factory=list)
    #: Earlier versions of the report (a correction keeps them visible).
    earlier: list[AnnualReport] = field(default_factory=list)

    @property
    def publishable(self) -> bool:
        return not self.problems and not self.writing_problems

    @property
    def agency(self) -> Agency:
        return self.report.agency

    @property
    def year(self) -> int:
        return self.report.year

    @property
    def late(self) -> bool:
        published = self.report.published_on
        return (published or clock.today()) > self.deadline


def build_report(session: Session, agency: Agency, year: int) -> ReportData:
    """Count every table of ``agency``'s report on ``year`` and check the invariants,
    including the carry-over from last year's published report. Reads only."""
    report = find_report(session, agency, year) or new_report(agency, year)
    table3 = request_table(session, agency, year)
    problems = table3_violations(table3)
    previous = find_report(session, agency, year - 1)
    if previous is not None and previous.published_table3 is not None:
        frozen = previous.published_table3.get(ROW_CARRIED_OUT, {})
        for column in (*APPLICANT_COLUMNS, TOTAL_COLUMN):
            if frozen.get(column, 0) != table3.carried_in[column]:
                problems.append(
                    f"“{column}”列：本年“二、上年结转”（{table3.carried_in[column]}）≠ "
                    f"{year - 1}年已发布年报的“四、结转下年度继续办理”（{frozen.get(column, 0)}）")
    departments = []
    if agency.kind == "government":
        for child in agency.children:
            child_table = request_table(session, child, year)
            child_report = find_report(session, child, year)
            departments.append(DepartmentLine(
                child, child_table.new[TOTAL_COLUMN], child_table.results_total[TOTAL_COLUMN],
                child_table.carried_out[TOTAL_COLUMN],
                sum(row[TOTAL_COLUMN] for row in review_table(session, child, year).values()),
                bool(child_report and child_report.published_on)))
    data = ReportData(report=report, deadline=report_deadline(agency, year),
                      regulations=regulation_counts(session, agency, year), table3=table3,
                      table4=review_table(session, agency, year),
                      fees_yuan=fees_collected(session, agency, year), problems=problems,
                      departments=departments,
                      art44=proactive_drafted_in_year(session, agency.id, year),
                      earlier=[old for old in versions_of(session, agency, year)
                               if old.id != report.id])
    data.writing_problems = section_problems(
        {"overview": report.overview, "problems": report.problems},
        report.other_matters)
    return data


# --- rendering -----------------------------------------------------------------------------

def title(agency: Agency, year: int) -> str:
    return f"{agency.name}{year}年政府信息公开工作年度报告"


def render_body(data: ReportData) -> str:
    """The report in the standard layout (sections 一–六) as Markdown with HTML tables."""
    return render_template("annual_report/report.md", data=data, layout=table3_layout(),
                           columns=APPLICANT_COLUMNS,
                           total=TOTAL_COLUMN, note=TABLE3_NOTE, results=list(ReviewResult),
                           review_groups=list(ReviewGroup), cells=table3_cells(data.table3),
                           row_new=ROW_NEW, row_in=ROW_CARRIED_IN, row_results=ROW_RESULTS, row_total=ROW_TOTAL,
                           row_out=ROW_CARRIED_OUT, other_matters=other_matters_text(data),
                           supervision=supervision_text(data),
                           opening=opening_text(data), art44=art44_text(data),
                           correction=correction_text(data))


def _table3_rows(data: ReportData) -> list[tuple[str, list[int]]]:
    cells = table3_cells(data.table3)
    columns = (*APPLICANT_COLUMNS, TOTAL_COLUMN)
    rows: list[tuple[str, list[int]]] = [
        (label, [cells[label][c] for c in columns]) for label in (ROW_NEW, ROW_CARRIED_IN)]
    rows.append((ROW_RESULTS, []))
    for heading, outcomes in group_rows():
        if heading:
            rows.append((heading, []))
        rows += [(row_label(o), [cells[row_label(o)][c] for c in columns]) for o in outcomes]
    rows += [(label, [cells[label][c] for c in columns]) for label in (ROW_TOTAL, ROW_CARRIED_OUT)]
    return rows


def render_xlsx(data: ReportData) -> bytes:
    """Tables 二, 三 and 四 as a workbook, one sheet each, numbers as numbers."""
    # Loaded on first use: fpdf, openpyxl and pypdf (≈80 MB) stay out of the web workers
    # that never build a file (tests/architecture/test_worker_memory.py).
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    bold = Font(bold=True)
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "二、主动公开"
    sheet.append([title(data.agency, data.year)])
    sheet.append(["第二十条第（一）项", "", "", ""])
    sheet.append(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
    for genre, counts in data.regulations.items():
        sheet.append([genre, counts.made, counts.repealed, counts.in_force])
    sheet.append(["第二十条第（五）项", "本年处理决定数量"])
    sheet.append(["行政许可", data.report.licensing_decisions])
    sheet.append(["第二十条第（六）项", "本年处理决定数量"])
    sheet.append(["行政处罚", data.report.penalty_decisions])
    sheet.append(["行政强制", data.report.coercion_decisions])
    sheet.append(["第二十条第（八）项", "本年收费金额（单位：万元）"])
    sheet.append(["行政事业性收费", float(data.report.fees_collected)])

    sheet = workbook.create_sheet("三、依申请公开")
    sheet.append(["", "申请人情况"])
    sheet.append([TABLE3_NOTE, "自然人", "法人或其他组织", "", "", "", "", "总计"])
    sheet.append(["", "", *APPLICANT_COLUMNS[1:], ""])
    sheet.merge_cells("B1:H1")
    sheet.merge_cells("C2:G2")
    sheet.merge_cells("A1:A3")
    sheet.merge_cells("B2:B3")
    sheet.merge_cells("H2:H3")
    for label, numbers in _table3_rows(data):
        sheet.append([label, *numbers])
    sheet.column_dimensions["A"].width = 60
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")

    sheet = workbook.create_sheet("四、复议诉讼")
    sheet.append(["行政复议", "", "", "", "", "行政诉讼"])
    sheet.append(["", "", "", "", "", "未经复议直接起诉", "", "", "", "", "复议后起诉"])
    sheet.append([*[r.value for r in ReviewResult], TOTAL_COLUMN] * 3)
    sheet.append([data.table4[group][column] for group in ReviewGroup
                  for column in (*[r.value for r in ReviewResult], TOTAL_COLUMN)])
    for row in workbook["二、主动公开"].iter_rows(min_row=1, max_row=1):
        for cell in row:
            cell.font = bold
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def opening_text(data: ReportData) -> str:
    """The report's opening paragraph, with the statistical period (rules.md §4.2)."""
    return ("本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条和《国务院办公厅"
            "政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》"
            "（国办公开办函〔2021〕30号）编制。本报告中所列数据统计期限为"
            f"{data.year}年1月1日至12月31日。")


def art44_text(data: ReportData) -> str:
    """Section 一's sentence on 依申请转主动 (条例 Art. 44), counted from the candidates."""
    return f"本年度依申请公开转为主动公开的政府信息{data.art44}件（《条例》第四十四条）。"


def correction_text(data: ReportData) -> str:
    """The head of a corrected version: which version it corrects and what changed."""
    report = data.report
    published = [old for old in data.earlier if old.published_on is not None]
    if report.version <= 1 or not published:
        return ""
    last = published[-1]
    return (f"本报告为第{report.version}版，更正了{last.published_on:%Y年%-m月%-d日}发布的第"
            f"{last.version}版（原版本仍可查阅）。更正内容：{report.correction_note.strip()}")


def _pdf_table_header(table: Any, cells: list[tuple[str, int, int]]) -> None:
    from fpdf.fonts import FontFace

    headings = FontFace(emphasis="", fill_color=HEADING_FILL)
    row = table.row()
    for text, colspan, rowspan in cells:
        row.cell(text, colspan=colspan, rowspan=rowspan, style=headings)


def render_pdf(data: ReportData) -> bytes:
    """The report as a PDF: the sections' text and the three tables laid out exactly as the
    XLSX and the published format lay them out (grouped headers, merged cells); the title in
    a serif face as in a 公文."""
    # Loaded on first use: fpdf, openpyxl and pypdf (≈80 MB) stay out of the web workers
    # that never build a file (tests/architecture/test_worker_memory.py).
    from opengov.site.pdf import SANS, SERIF, cjk_pdf, paragraph, wrap

    heading = title(data.agency, data.year)
    pdf = cjk_pdf(heading, landscape=True)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(SERIF, size=20)
    for line in wrap(pdf, heading, width):
        pdf.cell(0, 11, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    def text(body: str, size: float = 11) -> None:
        pdf.set_font(SERIF, size=size)
        for part in body.splitlines() or [""]:
            if part.strip():
                paragraph(pdf, part.strip(), line_height=size * 0.62)

    def section(name: str, body: str = "") -> None:
        pdf.set_font(SANS, size=13)
        pdf.cell(0, 10, name, new_x="LMARGIN", new_y="NEXT")
        if body:
            text(body)

    correction = correction_text(data)
    if correction:
        text(correction)
    text(opening_text(data))
    section("一、总体情况", "\n".join(part for part in (data.report.overview, supervision_text(data),
                                                    art44_text(data)) if part.strip()))
    section("二、主动公开政府信息情况")
    pdf.set_font(SANS, size=10)
    with pdf.table(col_widths=(70, 40, 40, 40), text_align="CENTER", first_row_as_headings=False,
                   line_height=7) as table:
        _pdf_table_header(table, [("第二十条第（一）项", 4, 1)])
        _pdf_table_header(table, [("信息内容", 1, 1), ("本年制发件数", 1, 1),
                                  ("本年废止件数", 1, 1), ("现行有效件数", 1, 1)])
        for genre, counts in data.regulations.items():
            table.row([genre, str(counts.made), str(counts.repealed), str(counts.in_force)])
        _pdf_table_header(table, [("第二十条第（五）项", 4, 1)])
        _pdf_table_header(table, [("信息内容", 1, 1), ("本年处理决定数量", 3, 1)])
        row = table.row()
        row.cell("行政许可")
        row.cell(str(data.report.licensing_decisions), colspan=3)
        _pdf_table_header(table, [("第二十条第（六）项", 4, 1)])
        _pdf_table_header(table, [("信息内容", 1, 1), ("本年处理决定数量", 3, 1)])
        for label, value in (("行政处罚", data.report.penalty_decisions),
                             ("行政强制", data.report.coercion_decisions)):
            row = table.row()
            row.cell(label)
            row.cell(str(value), colspan=3)
        _pdf_table_header(table, [("第二十条第（八）项", 4, 1)])
        _pdf_table_header(table, [("信息内容", 1, 1), ("本年收费金额（单位：万元）", 3, 1)])
        row = table.row()
        row.cell("行政事业性收费")
        row.cell(f"{data.report.fees_collected:.2f}", colspan=3)
    pdf.add_page()
    section("三、收到和处理政府信息公开申请情况")
    pdf.set_font(SANS, size=8)
    cells = table3_cells(data.table3)
    columns = (*APPLICANT_COLUMNS, TOTAL_COLUMN)
    layout = table3_layout()
    with pdf.table(col_widths=(20, 20, 76, *([20] * 7)), text_align="CENTER",
                   first_row_as_headings=False, line_height=4.6) as table:
        _pdf_table_header(table, [(TABLE3_NOTE, 3, 3), ("申请人情况", 7, 1)])
        _pdf_table_header(table, [("自然人", 1, 2), ("法人或其他组织", 5, 1), ("总计", 1, 2)])
        _pdf_table_header(table, [(column, 1, 1) for column in APPLICANT_COLUMNS[1:]])

        def numbers(row: Any, label: str) -> None:
            for column in columns:
                row.cell(str(cells[label][column]))

        for label in (ROW_NEW, ROW_CARRIED_IN):
            row = table.row()
            row.cell(label, colspan=3, align="LEFT")
            numbers(row, label)
        for index, (label, group, span) in enumerate(layout):
            row = table.row()
            if index == 0:
                row.cell(ROW_RESULTS, rowspan=len(layout) + 1)
            if group:
                if span:
                    row.cell(group, rowspan=span)
                row.cell(label, align="LEFT")
            else:
                row.cell(label, colspan=2, align="LEFT")
            numbers(row, label)
        row = table.row()
        row.cell(ROW_TOTAL, colspan=2, align="LEFT")
        numbers(row, ROW_TOTAL)
        row = table.row()
        row.cell(ROW_CARRIED_OUT, colspan=3, align="LEFT")
        numbers(row, ROW_CARRIED_OUT)
    pdf.add_page()
    section("四、政府信息公开行政复议、行政诉讼情况")
    pdf.set_font(SANS, size=9)
    results = [result.value for result in ReviewResult]
    with pdf.table(text_align="CENTER", first_row_as_headings=False, line_height=6) as table:
        _pdf_table_header(table, [("行政复议", 5, 2), ("行政诉讼", 10, 1)])
        _pdf_table_header(table, [("未经复议直接起诉", 5, 1), ("复议后起诉", 5, 1)])
        _pdf_table_header(table, [(column, 1, 1) for _group in ReviewGroup
                                  for column in (*results, TOTAL_COLUMN)])
        table.row([str(data.table4[group][column]) for group in ReviewGroup
                   for column in (*results, TOTAL_COLUMN)])
    section("五、存在的主要问题及改进情况", data.report.problems)
    section("六、其他需要报告的事项", other_matters_text(data))
    return bytes(pdf.output())


def other_matters_text(data: ReportData) -> str:
    """Section 六: what staff wrote, then the 信息处理费 collected (国办函〔2020〕109号)."""
    fee = (f"依据《政府信息公开信息处理费管理办法》规定，{data.year}年本机关"
           f"{'共收取信息处理费' + format(data.fees_yuan, ',.2f') + '元' if data.fees_yuan else '未收取信息处理费'}。")
    return "\n\n".join(part for part in (data.report.other_matters.strip(), fee) if part)


# --- publication ---------------------------------------------------------------------------

def publish(session: Session, agency: Agency, year: int, *, on: dt.date, actor: User,
            origin: Origin) -> Document:
    """Publish the submitted report as a document of the agency's 年报 column, with the XLSX
    and PDF attached. Refused (:class:`ReportCheckError`) unless it was submitted for review
    and ``actor`` is not who drafted or submitted it, while any invariant is broken, and while
    a written section is empty or holds placeholder text. A corrected version is published as
    a document of its own: the earlier one stays."""
    report = find_report(session, agency, year)
    if report is None:
        raise ReportCheckError([f"{year}年年度报告尚未编写。"])
    data = build_report(session, agency, year)
    if report.status == PUBLISHED:
        raise ReportCheckError([f"{year}年年度报告已于{report.published_on:%Y-%m-%d}发布；"
                                "如需更正，请编写更正版（原版本保留）。"])
    if report.status != SUBMITTED:
        raise ReportCheckError(["年度报告须先由编写人员提交审核。"])
    if actor.id in {report.drafted_by_id, report.submitted_by_id}:
        raise ReportCheckError(["编写或提交年度报告的人不能审核发布同一报告，请由另一位审核人员发布。"])
    if data.problems or data.writing_problems:
        raise ReportCheckError([*data.writing_problems, *data.problems])
    if on.year <= year:
        raise ReportCheckError([f"年度报告须在{year}年结束后发布。"])
    category = category_by_slug(session, REPORT_COLUMN)
    if category is None:
        raise LookupError(f"栏目“{REPORT_COLUMN}”不存在，请先运行 opengov init")
    report.published_on = on
    report.status = PUBLISHED
    report.reviewed_by_id, report.reviewed_at = actor.id, clock.utcnow()
    heading = title(agency, year) + (f"（第{report.version}版）" if report.version > 1 else "")
    document = Document(
        agency=agency, category=category, title=heading,
        summary=(f"{agency.name}{year}年政府信息公开工作情况：主动公开、收到和处理政府信息公开申请、"
                 "行政复议和行政诉讼、存在的主要问题及改进情况。"),
        body=render_body(data), genre="年度报告", issuer=agency.name, source=agency.name,
        date_written=on, published_on=on, topic="综合政务\\政务公开",
        keywords="政府信息公开、年度报告", validity=Validity.VALID,
        disclosure=Disclosure.PROACTIVE, status=PublicationStatus.PUBLISHED,
        index_no=issue_index_no(session, agency, on.year))
    session.add(document)
    session.flush()
    upload_dir = Path(current_app.config["UPLOAD_DIR"])
    limit = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    for content, suffix in ((render_xlsx(data), "xlsx"), (render_pdf(data), "pdf")):
        attachments.save(session, document, content, f"{heading}.{suffix}",
                         upload_dir=upload_dir, max_bytes=limit, actor=actor, origin=origin)
    report.document = document
    report.published_table3 = table3_cells(data.table3)
    enqueue(session, document.id)
    session.flush()
    return document


# --- the staff pages: report, publication, register (entry functions) --------------------
# Scope: a person of an agency keeps that agency's report and register only; site-wide
# staff (no agency) keep every agency's.


def agencies_kept_by(actor: User) -> list[Agency]:
    """The agencies whose reports and 复议/诉讼 register ``actor`` keeps."""
    return agencies.agencies_in_scope(actor.agency_id)


def _agency_kept_by(actor: User, code: str) -> Agency:
    found = next((agency for agency in agencies_kept_by(actor) if agency.code == code), None)
    if found is None:
        raise NotFoundError("没有这个机关")
    return found


def report_year_due() -> int:
    """The year whose report is being written now: last year (北京时间)."""
    return clock.today().year - 1


class ReportStatus(NamedTuple):
    """An agency's report on a year as the index lists it; ``report`` None if never saved."""

    agency: Agency
    report: AnnualReport | None
    deadline: dt.date


@dataclass
class ReportsOverview:
    year: int
    rows: list[ReportStatus]
    today: dt.date


def reports_overview(year: int | None, *, actor: User) -> ReportsOverview:
    """The reports on ``year`` (by default the one due now) of the agencies ``actor`` keeps."""
    session = get_session()
    shown = year or report_year_due()
    rows = [ReportStatus(agency, find_report(session, agency, shown),
                         report_deadline(agency, shown)) for agency in agencies_kept_by(actor)]
    return ReportsOverview(shown, rows, clock.today())


def report_for_editing(code: str, year: int, *, actor: User) -> ReportData:
    """The report on ``year`` of the agency ``code``, counted now; reads only."""
    return build_report(get_session(), _agency_kept_by(actor, code), year)


@dataclass(frozen=True)
class ReportEntries:
    """What staff write and enter in a report (the tables are counted)."""

    overview: str
    licensing_decisions: int
    penalty_decisions: int
    coercion_decisions: int
    fees_collected: Decimal
    problems: str
    other_matters: str


def _require_drafter(actor: User) -> None:
    if not actor.has_role(Role.REPORT_DRAFTER):
        raise ForbiddenError("只有年度报告编写人员可以编写年度报告")


def _require_reviewer(actor: User) -> None:
    if not actor.has_role(Role.REVIEWER):
        raise ForbiddenError("只有审核人员可以审核发布年度报告")


def save_report(code: str, year: int, entries: ReportEntries, *, actor: User,
                origin: Origin) -> AnnualReport:
    """Save the draft (the agency's own drafters, or site-wide ones); :class:`ConflictError`
    while it awaits review or once published (a correction is a new version)."""
    _require_drafter(actor)
    with unit_of_work() as session:
        agency = _agency_kept_by(actor, code)
        report = get_or_create_report(session, agency, year)
        if report.status == PUBLISHED:
            raise ConflictError(f"{year}年年度报告已发布，不能再修改；如需更正，请编写更正版")
        if report.status == SUBMITTED:
            raise ConflictError("年度报告已提交审核；审核人员退回后才能修改")
        for name, value in asdict(entries).items():
            setattr(report, name, value)
        report.drafted_by_id = actor.id
        audit.record(session, AuditAction.EDIT, actor=actor, origin=origin,
                     object_type="annual_report", object_id=report.id,
                     detail=title(agency, year))
        return report


def submit_report(code: str, year: int, *, actor: User, origin: Origin) -> AnnualReport:
    """Hand the draft to review; refused while a section is empty or holds placeholder text,
    or a table breaks an invariant (:class:`ReportCheckError`)."""
    _require_drafter(actor)
    with unit_of_work() as session:
        agency = _agency_kept_by(actor, code)
        report = find_report(session, agency, year)
        if report is None or report.status != DRAFT:
            raise ConflictError("只有编写中的年度报告可以提交审核")
        data = build_report(session, agency, year)
        if data.writing_problems or data.problems:
            raise ReportCheckError([*data.writing_problems, *data.problems])
        report.status, report.review_note = SUBMITTED, ""
        report.submitted_by_id, report.submitted_at = actor.id, clock.utcnow()
        audit.record(session, AuditAction.TRANSITION, actor=actor, origin=origin,
                     object_type="annual_report", object_id=report.id,
                     detail=f"提交审核：{title(agency, year)}")
        return report


def return_report(code: str, year: int, note: str, *, actor: User,
                  origin: Origin) -> AnnualReport:
    """The reviewer sends the report back to its drafters with the reason."""
    _require_reviewer(actor)
    if not note.strip():
        raise InvalidInputError("请写明退回的理由")
    with unit_of_work() as session:
        agency = _agency_kept_by(actor, code)
        report = find_report(session, agency, year)
        if report is None or report.status != SUBMITTED:
            raise ConflictError("只有待审核的年度报告可以退回")
        report.status, report.review_note = DRAFT, note.strip()
        report.reviewed_by_id, report.reviewed_at = actor.id, clock.utcnow()
        audit.record(session, AuditAction.TRANSITION, actor=actor, origin=origin,
                     object_type="annual_report", object_id=report.id,
                     detail=f"退回修改：{title(agency, year)}")
        return report


def correct_report(code: str, year: int, note: str, *, actor: User,
                   origin: Origin) -> AnnualReport:
    """Start a corrected version of a published report: a new draft that copies it, saying
    what it corrects. The published version and its document stay as they are."""
    _require_drafter(actor)
    if not note.strip():
        raise InvalidInputError("请说明更正的内容")
    with unit_of_work() as session:
        agency = _agency_kept_by(actor, code)
        current = find_report(session, agency, year)
        if current is None or current.status != PUBLISHED:
            raise ConflictError("只有已发布的年度报告需要以更正版更正")
        corrected = AnnualReport(
            agency=agency, year=year, version=current.version + 1, status=DRAFT,
            overview=current.overview, problems=current.problems,
            other_matters=current.other_matters,
            licensing_decisions=current.licensing_decisions,
            penalty_decisions=current.penalty_decisions,
            coercion_decisions=current.coercion_decisions,
            fees_collected=current.fees_collected, drafted_by_id=actor.id,
            review_note="", correction_note=note.strip())
        session.add(corrected)
        session.flush()
        audit.record(session, AuditAction.CREATE, actor=actor, origin=origin,
                     object_type="annual_report", object_id=corrected.id,
                     detail=f"更正版（第{corrected.version}版）：{title(agency, year)}")
        return corrected


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    content_type: str
    filename: str


REPORT_FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "pdf": "application/pdf"}


def report_file(code: str, year: int, fmt: str, *, actor: User) -> ReportFile:
    """The report as counted now, as XLSX or PDF."""
    if fmt not in REPORT_FORMATS:
        raise NotFoundError("没有这种下载格式")
    data = report_for_editing(code, year, actor=actor)
    content = render_xlsx(data) if fmt == "xlsx" else render_pdf(data)
    return ReportFile(content, REPORT_FORMATS[fmt], f"{title(data.agency, year)}.{fmt}")


def publish_report(code: str, year: int, *, actor: User, origin: Origin,
                   confirmed: bool) -> Document:
    """A reviewer other than its drafter publishes the submitted report today (北京时间),
    having confirmed it; :class:`ReportCheckError` while anything is amiss, and then nothing
    is saved."""
    _require_reviewer(actor)
    if not confirmed:
        raise InvalidInputError("发布前请勾选确认已核对年度报告的全部内容。")
    with unit_of_work() as session:
        agency = _agency_kept_by(actor, code)
        document = publish(session, agency, year, on=clock.today(), actor=actor, origin=origin)
        audit.record(session, AuditAction.TRANSITION, actor=actor, origin=origin,
                     object_type="annual_report", object_id=document.id,
                     detail=f"发布{document.title}")
        return document


@dataclass
class ReviewRegister:
    """The 复议/诉讼 cases of the agencies a person keeps, newest year first."""

    agencies: list[Agency]
    cases: list[ReviewCase]


def review_register(*, actor: User) -> ReviewRegister:
    kept = agencies_kept_by(actor)
    cases = get_session().scalars(
        select(ReviewCase).where(ReviewCase.agency_id.in_([agency.id for agency in kept]))
        .order_by(ReviewCase.year.desc(), ReviewCase.id.desc())).all()
    return ReviewRegister(kept, list(cases))


class UnknownRequestError(InvalidInputError):
    """A case names a 申请编号 the agency does not have."""


def register_review_case(*, actor: User, origin: Origin, agency_id: int, year: int,
                         group: ReviewGroup, result: ReviewResult, case_number: str,
                         request_number: str, filed_on: dt.date | None,
                         note: str) -> ReviewCase:
    """Enter a case in the register of an agency ``actor`` keeps; the request it arose from,
    when named, must be that agency's (:class:`UnknownRequestError`)."""
    with unit_of_work() as session:
        agency = next((a for a in agencies_kept_by(actor) if a.id == agency_id), None)
        if agency is None:
            raise NotFoundError("没有这个机关")
        number = request_number.strip()
        if number and not has_request_numbered(session, agency.id, number):
            raise UnknownRequestError(f"{agency.name}没有编号为 {number} 的申请")
        case = ReviewCase(agency=agency, year=year, group=group, result=result,
                          case_number=case_number, request_number=number, filed_on=filed_on,
                          note=note)
        session.add(case)
        session.flush()
        audit.record(session, AuditAction.CREATE, actor=actor, origin=origin,
                     object_type="review_case", object_id=case.id,
                     detail=f"{case.group}（{agency.name}，{case.year}年）")
        return case


def record_review_result(case_id: int, result: ReviewResult, *, actor: User,
                         origin: Origin) -> ReviewCase:
    """Record the outcome of a case that was 尚未审结."""
    with unit_of_work() as session:
        # Ids beyond a 32-bit integer are not looked up: PostgreSQL would refuse the query.
        case = session.get(ReviewCase, case_id) if 0 < case_id < 2**31 else None
        if case is None or case.agency_id not in {a.id for a in agencies_kept_by(actor)}:
            raise NotFoundError("没有这个案件")
        case.result = result
        audit.record(session, AuditAction.EDIT, actor=actor, origin=origin,
                     object_type="review_case", object_id=case.id, detail=f"结果：{case.result}")
        return case


# --- 投诉举报 in 一、总体情况 · 监督保障 (issue 15) --------------------------------------------
# Self-contained on purpose (its import here, not at the top), so that it merges beside other
# changes to this module.

from opengov.site.complaints.service import statistics as complaint_statistics  # noqa: E402


def supervision_text(data: ReportData) -> str:
    """The complaints about disclosure (条例 Arts. 47, 51) of the year, for 一、总体情况's
    监督保障 (国办公开办函〔2021〕30号): those about the agency and, for the 主管部门, every one
    it handled with its 通报批评 (a 责任追究结果, Art. 50). Counted now, frozen on publication."""
    own, handled = complaint_statistics.report_figures(get_session(), data.agency, data.year)
    year = data.year
    if own.received:
        measures = "、".join(f"{label}{count}件" for label, count in (
            ("被督促整改", own.rectification), ("被通报批评", own.criticism)) if count)
        text = (f"监督保障方面，{year}年本机关被投诉、举报政府信息公开工作问题{own.received}件，"
                f"已办结{own.answered}件，其中经调查属实或部分属实{own.substantiated}件"
                + (f"（{measures}）" if measures else "") + "。")
    else:
        text = f"监督保障方面，{year}年本机关未被投诉、举报政府信息公开工作问题。"
    if handled is not None:
        text += (f"本机关作为政府信息公开工作主管部门，全年受理投诉、举报{handled.received}件，"
                 f"已书面答复{handled.answered}件（按期答复{handled.answered_on_time}件），"
                 f"正在办理{handled.open}件；经调查属实或部分属实{handled.substantiated}件，"
                 f"督促整改{handled.rectification}件，通报批评{handled.criticism}件。")
    return text
