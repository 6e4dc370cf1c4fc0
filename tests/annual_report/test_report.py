"""The annual report counted from real requests, documents and the register."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import shutil
import subprocess
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.agencies.service import agency_by_code
from opengov.site.audit.service import Origin
from opengov.site.catalog.rules.metadata import Validity
from opengov.site.db import unit_of_work
from opengov.site.exceptions import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from opengov.site.reports import service as reports
from opengov.site.reports.models import ReviewCase
from opengov.site.reports.rules import (
    APPLICANT_COLUMNS,
    ROW_CARRIED_IN,
    ROW_CARRIED_OUT,
    ROW_NEW,
    ROW_TOTAL,
    TOTAL_COLUMN,
    ReviewGroup,
    ReviewResult,
    row_label,
)
from opengov.site.requests.rules.outcomes import Outcome
from tests.annual_report.conftest import D, build_year
from tests.factories import make_agency, make_document

ORIGIN = Origin(ip="127.0.0.1", user_agent="pytest")


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    """A site-wide administrator: keeps every agency's report and register."""
    return make_user("admin", Role.ADMIN)


@pytest.fixture
def drafter(make_user: Callable[..., User]) -> User:
    """A site-wide drafter of annual reports (not a reviewer: another person publishes)."""
    return make_user("drafter", Role.REPORT_DRAFTER)


def entries(overview: str = "", problems: str = "", **figures: int | Decimal,
            ) -> reports.ReportEntries:
    """What staff enter in a report: the written sections, these figures, the rest 0."""
    values: dict[str, int | Decimal] = {"licensing_decisions": 0, "penalty_decisions": 0,
                                        "coercion_decisions": 0, "fees_collected": Decimal("0")}
    values.update(figures)
    return reports.ReportEntries(overview=overview, problems=problems, other_matters="",
                                 **values)  # type: ignore[arg-type]


def written(code: str, year: int, drafter: User) -> None:
    """The report drafted with both written sections and submitted for review."""
    reports.save_report(code, year, entries("本年度认真贯彻落实《条例》。", "公开质量有待提高。"),
                        actor=drafter, origin=ORIGIN)
    reports.submit_report(code, year, actor=drafter, origin=ORIGIN)


def test_every_cell_of_table3_from_a_year_of_requests(db_session: Session) -> None:
    build_year()
    data = reports.build_report(db_session, agency_by_code("gov"), 2025)
    cells = reports.table3_cells(data.table3)
    columns = list(itertools.islice(itertools.cycle(APPLICANT_COLUMNS), len(Outcome)))
    for outcome, column in zip(Outcome, columns, strict=True):
        extra = {Outcome.DISCLOSED: {"自然人": 1}, Outcome.PARTLY_DISCLOSED: {"商业企业": 1}}
        expected = {c: int(c == column) + extra.get(outcome, {}).get(c, 0)
                    for c in APPLICANT_COLUMNS}
        expected[TOTAL_COLUMN] = sum(expected.values())
        assert cells[row_label(outcome)] == expected, outcome
    assert cells[ROW_NEW][TOTAL_COLUMN] == len(Outcome) + 2  # + the open one and the paying one
    assert cells[ROW_CARRIED_IN] == {**dict.fromkeys(APPLICANT_COLUMNS, 0), "自然人": 1,
                                     "法律服务机构": 1, TOTAL_COLUMN: 2}
    assert cells[ROW_TOTAL][TOTAL_COLUMN] == len(Outcome) + 2
    assert cells[ROW_CARRIED_OUT] == {**dict.fromkeys(APPLICANT_COLUMNS, 0), "科研机构": 1,
                                      "法律服务机构": 1, TOTAL_COLUMN: 2}
    assert data.problems == []
    assert data.fees_yuan == 300
    assert "共收取信息处理费300.00元" in reports.other_matters_text(data)


def test_publication_freezes_the_tables_and_next_year_carries_over(
        db_session: Session, admin: User, drafter: User) -> None:
    build_year()
    gov = agency_by_code("gov")
    written("gov", 2025, drafter)
    with unit_of_work() as session:
        document = reports.publish(session, gov, 2025, on=D(2026, 1, 20), actor=admin,
                                   origin=ORIGIN)
    assert document.category.slug == "annual-reports"
    assert document.title == "示例市人民政府2025年政府信息公开工作年度报告"
    assert document.is_public
    assert (document.index_no or "").startswith("007000001/2026-")
    assert "三、本年度办理结果" in document.body
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in document.body
    report = reports.find_report(db_session, gov, 2025)
    assert report is not None
    assert report.published_table3 is not None
    assert report.published_table3[ROW_CARRIED_OUT][TOTAL_COLUMN] == 2

    with pytest.raises(reports.ReportCheckError, match="已于2026-01-20发布"), \
            unit_of_work() as session:
        reports.publish(session, gov, 2025, on=D(2026, 1, 21), actor=admin, origin=ORIGIN)

    # 2026: what was carried out of 2025 is carried in.
    data_2026 = reports.build_report(db_session, gov, 2026)
    assert data_2026.table3.carried_in[TOTAL_COLUMN] == 2
    assert data_2026.problems == []
    # A 2025 report whose frozen 四 disagrees (data changed after publication) blocks 2026.
    with unit_of_work():
        report.published_table3 = {**report.published_table3,
                                   ROW_CARRIED_OUT: {**report.published_table3[ROW_CARRIED_OUT],
                                                     TOTAL_COLUMN: 3}}
    problems = reports.build_report(db_session, gov, 2026).problems
    assert any("2025年已发布年报" in problem for problem in problems)
    with pytest.raises(reports.ReportCheckError, match="2025年已发布年报"):
        written("gov", 2026, drafter)


def test_published_files_are_real_xlsx_and_pdf(db_session: Session, admin: User,
                                               drafter: User) -> None:
    build_year()
    written("gov", 2025, drafter)
    with unit_of_work() as session:
        document = reports.publish(session, agency_by_code("gov"), 2025, on=D(2026, 1, 20),
                                   actor=admin, origin=ORIGIN)
    names = sorted(a.original_name for a in document.attachments)
    assert names == ["示例市人民政府2025年政府信息公开工作年度报告.pdf",
                     "示例市人民政府2025年政府信息公开工作年度报告.xlsx"]
    data = reports.build_report(db_session, agency_by_code("gov"), 2025)
    workbook = load_workbook(io.BytesIO(reports.render_xlsx(data)))
    sheet = workbook["三、依申请公开"]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows[ROW_NEW][-1] == len(Outcome) + 2
    assert rows["4.保护第三方合法权益"][-1] == 1
    text = "".join(page.extract_text() for page in
                   PdfReader(io.BytesIO(reports.render_pdf(data))).pages).replace("\x00", "")
    assert "政府信息公开工作年度报告" in text
    assert "本年新收政府信息公开申请数量" in text


def test_table2_and_table4_and_staff_figures(db_session: Session, admin: User) -> None:
    with unit_of_work() as session:
        gov = make_agency(session, "gov")
        make_document(session, genre="行政规范性文件", date_written=D(2025, 3, 1),
                      published_on=D(2025, 3, 5))
        make_document(session, genre="行政规范性文件", date_written=D(2021, 3, 1),
                      published_on=D(2021, 3, 5), validity=Validity.REPEALED,
                      repealed_on=D(2025, 9, 1))
        make_document(session, genre="规章", date_written=D(2024, 3, 1),
                      published_on=D(2024, 3, 5))
        make_document(session, genre="行政规范性文件", date_written=D(2025, 5, 1),
                      published=False)  # a draft is not 制发
        make_document(session, agency="czj", genre="规章", date_written=D(2025, 3, 1),
                      published_on=D(2025, 3, 5))
    for year, group, result in ((2025, ReviewGroup.RECONSIDERATION, ReviewResult.UPHELD),
                                (2025, ReviewGroup.LITIGATION_DIRECT, ReviewResult.PENDING),
                                (2024, ReviewGroup.RECONSIDERATION, ReviewResult.CORRECTED)):
        reports.register_review_case(actor=admin, origin=ORIGIN, agency_id=gov.id, year=year,
                                     group=group, result=result, case_number="",
                                     request_number="", filed_on=None, note="")
    reports.save_report("gov", 2025, entries(licensing_decisions=1234,
                                             fees_collected=Decimal("56.78")),
                        actor=admin, origin=ORIGIN)
    data = reports.build_report(db_session, gov, 2025)
    counts = data.regulations
    assert (counts["行政规范性文件"].made, counts["行政规范性文件"].repealed,
            counts["行政规范性文件"].in_force) == (1, 1, 1)
    assert (counts["规章"].made, counts["规章"].repealed, counts["规章"].in_force) == (0, 0, 1)
    assert data.table4[ReviewGroup.RECONSIDERATION] == {
        "结果维持": 1, "结果纠正": 0, "其他结果": 0, "尚未审结": 0, TOTAL_COLUMN: 1}
    assert data.table4[ReviewGroup.LITIGATION_DIRECT]["尚未审结"] == 1
    body = reports.render_body(data)
    assert "<td>行政许可</td><td colspan=\"3\">1234</td>" in body
    assert "56.78" in body
    assert "未收取信息处理费" in body


def test_deadlines_and_the_government_summary(db_session: Session) -> None:
    with unit_of_work() as session:
        gov = make_agency(session, "gov")
        czj = make_agency(session, "czj")
    assert reports.report_deadline(gov, 2025) == dt.date(2026, 3, 31)
    assert reports.report_deadline(czj, 2025) == dt.date(2026, 1, 31)
    build_year()
    data = reports.build_report(db_session, gov, 2025)
    [line] = [line for line in data.departments if line.agency.code == "czj"]
    assert (line.new, line.closed, line.carried_out, line.published) == (1, 0, 1, False)
    assert "所属部门和乡镇政府信息公开申请办理情况" in reports.render_body(data)
    assert reports.build_report(db_session, czj, 2025).departments == []


def test_a_report_is_published_after_its_year(db_session: Session, admin: User,
                                              drafter: User) -> None:
    with unit_of_work() as session:
        make_agency(session, "gov")
    written("gov", 2025, drafter)
    with pytest.raises(reports.ReportCheckError, match="结束后发布"), \
            unit_of_work() as session:
        reports.publish(session, make_agency(session, "gov"), 2025, on=D(2025, 12, 31),
                        actor=admin, origin=ORIGIN)


def test_one_report_per_agency_and_year(db_session: Session) -> None:
    with unit_of_work() as session:
        gov = make_agency(session, "gov")
        first = reports.get_or_create_report(session, gov, 2025)
        assert reports.get_or_create_report(session, gov, 2025) is first
        assert reports.get_or_create_report(session, gov, 2024) is not first
    assert reports.find_report(db_session, gov, 2023) is None


def test_a_person_keeps_the_report_and_register_of_their_agency_only(
        db_session: Session, admin: User, make_user: Callable[..., User]) -> None:
    with unit_of_work() as session:
        gov, czj = make_agency(session, "gov"), make_agency(session, "czj")
    department = make_user("czj-handler", Role.ADMIN, agency_id=czj.id)
    assert [agency.code for agency in reports.agencies_kept_by(department)] == ["czj"]

    def register(actor: User) -> ReviewCase:
        return reports.register_review_case(
            actor=actor, origin=ORIGIN, agency_id=gov.id, year=2025,
            group=ReviewGroup.RECONSIDERATION, result=ReviewResult.PENDING, case_number="",
            request_number="", filed_on=None, note="")

    with pytest.raises(NotFoundError):
        register(department)
    registered = register(admin)
    with pytest.raises(NotFoundError):
        reports.record_review_result(registered.id, ReviewResult.UPHELD, actor=department,
                                     origin=ORIGIN)
    assert reports.review_register(actor=department).cases == []
    with pytest.raises(NotFoundError):
        reports.report_for_editing("gov", 2025, actor=department)
    assert reports.report_for_editing("czj", 2025, actor=department).agency.code == "czj"


def test_a_published_report_is_not_edited(db_session: Session, admin: User,
                                          drafter: User) -> None:
    build_year()
    written("gov", 2025, drafter)
    with unit_of_work() as session:
        reports.publish(session, agency_by_code("gov"), 2025, on=D(2026, 1, 20), actor=admin,
                        origin=ORIGIN)
    with pytest.raises(ConflictError, match="已发布"):
        reports.save_report("gov", 2025, entries(licensing_decisions=1), actor=drafter,
                            origin=ORIGIN)
    report = reports.find_report(db_session, agency_by_code("gov"), 2025)
    assert report is not None
    assert report.licensing_decisions == 0


def test_a_report_with_placeholder_text_cannot_be_published_by_anyone(
        db_session: Session, admin: User, drafter: User,
        make_user: Callable[..., User]) -> None:
    build_year()
    gov = agency_by_code("gov")
    reviewer = make_user("reviewer", Role.REVIEWER)
    for overview, problems in (("", "公开质量有待提高。"),
                               ("（本节由工作人员撰写。）", "公开质量有待提高。"),
                               ("本年度共办理XX件。", "公开质量有待提高。"),
                               ("本年度认真贯彻落实《条例》。", "【此处填写存在的问题】")):
        reports.save_report("gov", 2025, entries(overview, problems), actor=drafter,
                            origin=ORIGIN)
        with pytest.raises(reports.ReportCheckError):
            reports.submit_report("gov", 2025, actor=drafter, origin=ORIGIN)
        # Not even an administrator can publish it past the check.
        report = reports.find_report(db_session, gov, 2025)
        assert report is not None
        with unit_of_work() as session:
            session.get(type(report), report.id).status = reports.SUBMITTED  # type: ignore[union-attr]
        for person in (admin, reviewer):
            with pytest.raises(reports.ReportCheckError, match=r"尚未撰写|待填写"), \
                    unit_of_work() as session:
                reports.publish(session, gov, 2025, on=D(2026, 1, 20), actor=person,
                                origin=ORIGIN)
        with unit_of_work() as session:
            session.get(type(report), report.id).status = reports.DRAFT  # type: ignore[union-attr]
    assert reports.find_report(db_session, gov, 2025).published_on is None  # type: ignore[union-attr]


def test_review_by_another_person_with_confirmation_and_corrections_keep_the_old(
        db_session: Session, drafter: User, make_user: Callable[..., User]) -> None:
    build_year()
    gov = agency_by_code("gov")
    reviewer = make_user("reviewer", Role.REVIEWER)
    both = make_user("both", Role.REPORT_DRAFTER, Role.REVIEWER)
    with pytest.raises(ForbiddenError):
        reports.save_report("gov", 2025, entries("概况", "问题"), actor=reviewer, origin=ORIGIN)
    reports.save_report("gov", 2025, entries("本年度认真贯彻落实《条例》。", "公开质量有待提高。"),
                        actor=both, origin=ORIGIN)
    reports.submit_report("gov", 2025, actor=both, origin=ORIGIN)
    with pytest.raises(reports.ReportCheckError, match="不能审核发布"):
        reports.publish_report("gov", 2025, actor=both, origin=ORIGIN, confirmed=True)
    with pytest.raises(InvalidInputError, match="确认"):
        reports.publish_report("gov", 2025, actor=reviewer, origin=ORIGIN, confirmed=False)
    reports.return_report("gov", 2025, "请补充平台建设情况", actor=reviewer, origin=ORIGIN)
    returned = reports.find_report(db_session, gov, 2025)
    assert returned is not None
    assert (returned.status, returned.review_note) == (reports.DRAFT, "请补充平台建设情况")
    written("gov", 2025, drafter)
    first = reports.publish_report("gov", 2025, actor=reviewer, origin=ORIGIN, confirmed=True)
    assert first.title == "示例市人民政府2025年政府信息公开工作年度报告"
    assert "本报告中所列数据统计期限为2025年1月1日至12月31日" in first.body
    with pytest.raises(InvalidInputError):
        reports.correct_report("gov", 2025, " ", actor=drafter, origin=ORIGIN)
    corrected = reports.correct_report("gov", 2025, "更正表二行政许可数量", actor=drafter,
                                       origin=ORIGIN)
    assert corrected.version == 2
    written("gov", 2025, drafter)
    second = reports.publish_report("gov", 2025, actor=reviewer, origin=ORIGIN, confirmed=True)
    assert second.id != first.id
    assert second.title.endswith("（第2版）")
    assert "更正内容：更正表二行政许可数量" in second.body
    with unit_of_work() as session:
        old = session.get(type(first), first.id)
        assert old is not None
        assert old.is_public
    versions = reports.versions_of(db_session, gov, 2025)
    assert [(v.version, v.status) for v in versions] == [(1, "published"), (2, "published")]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_pdf_tables_have_the_grouped_headers_of_the_xlsx(db_session: Session,
                                                             tmp_path: Path) -> None:
    build_year()
    data = reports.build_report(db_session, agency_by_code("gov"), 2025)
    path = tmp_path / "report.pdf"
    path.write_bytes(reports.render_pdf(data))
    shutil.copy(path, Path("/tmp/i12-report.pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    compact = "".join(text.split())
    assert "本报告中所列数据统计期限为2025年1月1日至12月31日" in compact
    for header in ("申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织",
                   "法律服务机构", "总计", "未经复议直接起诉", "复议后起诉", "第二十条第（一）项"):
        assert header in compact, header
    # The group heading 申请人情况 is one merged cell above the seven columns: one line.
    assert text.count("申请人情况") == 1
    fonts = {font["/BaseFont"] for page in PdfReader(path).pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("Serif" in str(font) for font in fonts)  # the title in a serif face
