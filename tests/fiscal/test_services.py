"""Saving disclosures: tables, 三公 lines, the catalog document, the search outbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.catalog.models import SearchOutbox
from opengov.site.catalog.rules.metadata import PublicationStatus
from opengov.site.catalog.service.editorial import publication_instant
from opengov.site.db import unit_of_work
from opengov.site.exceptions import ForbiddenError, NotFoundError
from opengov.site.fiscal.models import FiscalDisclosure, FiscalRow
from opengov.site.fiscal.rules.disclosures import SangongItem, Stage, Timeliness
from opengov.site.fiscal.service import uploads
from opengov.site.fiscal.service.disclosures import (
    FiscalDataError,
    attach_original,
    find_disclosure,
    overview,
    public_disclosure,
    save_disclosure,
)
from opengov.site.fiscal.service.tables import disclosure_tables, sangong_table
from tests.factories import make_agency
from tests.fiscal.conftest import sample_data
from tests.fiscal.spreadsheets import good_workbook


def test_save_creates_tables_lines_and_a_searchable_document(db_session: Session) -> None:
    with unit_of_work() as session:
        disclosure = save_disclosure(session, make_agency(session, "czj"), sample_data())

    assert [table.number for table in disclosure.tables] == [1, 5, 6]
    table5 = disclosure.table(5)
    assert table5 is not None
    assert [row.level for row in table5.rows] == [0, 1, 2, 3, 3, 1, 2, 3]
    assert table5.rows[3].amounts == [Decimal("80.00"), Decimal("80.00"), None]
    document = disclosure.document
    assert document is not None
    assert document.title == "示例市财政局2025年部门预算"
    assert document.category.slug == "fiscal"
    assert document.status is PublicationStatus.PUBLISHED
    assert document.index_no is not None
    assert "| 2010601 | 行政运行 | 80.00 | 80.00 |  |" in document.body
    assert "“三公”经费合计" in document.body
    outbox = db_session.scalars(select(SearchOutbox.document_id)).all()
    assert document.id in outbox


def test_amounts_are_stored_exactly(db_session: Session) -> None:
    data = sample_data(reception="123456789.99", prior="0.01")
    with unit_of_work() as session:
        agency = make_agency(session, "czj")
        save_disclosure(session, agency, data)
    db_session.expire_all()
    disclosure = find_disclosure(db_session, agency, 2025, Stage.BUDGET)
    assert disclosure is not None
    lines = {line.item: line for line in disclosure.sangong_lines}
    assert lines[SangongItem.RECEPTION].amount == Decimal("123456789.99")
    assert lines[SangongItem.RECEPTION].prior_amount == Decimal("0.01")


def test_resave_replaces_and_keeps_one_document(db_session: Session) -> None:
    with unit_of_work() as session:
        agency = make_agency(session, "czj")
        first = save_disclosure(session, agency, sample_data())
    document_id = first.document_id
    index_no = first.document.index_no if first.document else None
    data = sample_data(reception="2.00")
    del data.tables[1]
    with unit_of_work() as session:
        second = save_disclosure(session, agency, data)
    assert second.id == first.id
    assert second.document_id == document_id
    assert second.document is not None
    assert second.document.index_no == index_no
    assert [table.number for table in second.tables] == [5, 6]
    assert db_session.scalar(select(func.count()).select_from(FiscalDisclosure)) == 1
    assert db_session.scalar(select(func.count()).select_from(FiscalRow)) == 13


def test_data_that_does_not_add_up_is_refused(db_session: Session) -> None:
    with unit_of_work() as session:
        agency = make_agency(session, "czj")
    data = sample_data()
    data.tables[5][0].amounts = (Decimal("151.00"), Decimal("100.00"), Decimal("51.00"))
    with pytest.raises(FiscalDataError) as caught, unit_of_work() as session:
        save_disclosure(session, agency, data)
    assert any("合计" in str(problem) for problem in caught.value.problems)
    assert find_disclosure(db_session, agency, 2025, Stage.BUDGET) is None


def test_prior_year_is_taken_from_last_years_disclosure(db_session: Session) -> None:
    with unit_of_work() as session:
        agency = make_agency(session, "czj")
        save_disclosure(session, agency, sample_data(2024, reception="0.80", prior=None,
                                                     approved_on=dt.date(2024, 2, 1),
                                                     published_on=dt.date(2024, 2, 10)))
        current = save_disclosure(session, agency, sample_data(2025, reception="1.00",
                                                               prior=None))
    lines = {line.item: line for line in current.sangong_lines}
    assert lines[SangongItem.RECEPTION].prior_amount == Decimal("0.80")


def test_unpublished_disclosure_has_no_document(db_session: Session) -> None:
    with unit_of_work() as session:
        disclosure = save_disclosure(session, make_agency(session, "czj"),
                                     sample_data(published_on=None))
    assert disclosure.document is None
    with pytest.raises(ValueError, match="尚未发布"), unit_of_work() as session:
        attach_original(session, disclosure, Path("/nonexistent"), "a.xlsx", b"x", "x")


def test_original_file_is_attached_once(db_session: Session, tmp_path: Path) -> None:
    with unit_of_work() as session:
        disclosure = save_disclosure(session, make_agency(session, "czj"), sample_data())
        first = attach_original(session, disclosure, tmp_path, "示例市财政局2025年部门预算.xlsx",
                                b"PK-content", "application/octet-stream")
    with unit_of_work() as session:
        again = attach_original(session, disclosure, tmp_path, "copy.xlsx", b"PK-content",
                                "application/octet-stream")
    assert again.id == first.id
    assert first.original_name == "示例市财政局2025年部门预算.xlsx"
    assert (tmp_path / first.stored_name).read_bytes() == b"PK-content"
    assert first.stored_name.endswith(".xlsx")


def test_sangong_table_computes_totals_and_changes(db_session: Session) -> None:
    with unit_of_work() as session:
        disclosure = save_disclosure(session, make_agency(session, "czj"), sample_data())
    table = sangong_table(disclosure)
    by_label = {row[0]: row for row in table.rows}
    total = by_label["“三公”经费合计"]
    assert total[1:5] == [Decimal("7.00"), Decimal("32.00"), Decimal("-25.00"),
                          Decimal("-78.1")]
    vehicle = by_label["2.公务用车购置及运行（维护）费"]
    assert vehicle[1:3] == [Decimal("6.00"), Decimal("31.50")]
    reception = by_label["3.公务接待费"]
    assert reception[3:5] == [Decimal("0.50"), Decimal("100.0")]
    assert "承办全省财政工作会议" in str(reception[5])
    assert by_label["机关运行经费"][1] == Decimal("42.30")
    assert [number for number, _ in disclosure_tables(disclosure)] == [1, 5, 6, 7]


def test_overview_marks_late_and_future_publications(db_session: Session) -> None:
    with unit_of_work() as session:
        czj = make_agency(session, "czj")
        zjj = make_agency(session, "zjj")
        make_agency(session, "qsz")
        save_disclosure(session, czj, sample_data(published_on=dt.date(2025, 3, 2)))
        save_disclosure(session, zjj, sample_data(published_on=dt.date(2025, 3, 3)))
        final = sample_data(stage=Stage.FINAL, approved_on=dt.date(2025, 8, 1),
                            published_on=dt.date(2025, 8, 5))
        save_disclosure(session, czj, final)
    entries = {entry.agency.code: entry for entry in overview(db_session, 2025,
                                                              dt.date(2025, 4, 1))}
    assert entries["czj"].stages[0].timeliness is Timeliness.ON_TIME
    assert entries["czj"].stages[0].days == 20
    assert entries["zjj"].stages[0].timeliness is Timeliness.LATE
    assert entries["zjj"].stages[0].days == 21
    # The 决算 is dated after "today": not yet public, and not yet due either.
    assert entries["czj"].stages[1].timeliness is Timeliness.PENDING
    assert not entries["czj"].stages[1].published
    assert entries["qsz"].stages[0].disclosure is None
    assert public_disclosure(db_session, "czj", 2025, Stage.FINAL, dt.date(2025, 4, 1)) is None
    assert public_disclosure(db_session, "czj", 2025, Stage.FINAL, dt.date(2025, 8, 5))


def test_future_publication_waits_in_the_outbox(db_session: Session) -> None:
    later = clock.today() + dt.timedelta(days=30)
    with unit_of_work() as session:
        disclosure = save_disclosure(session, make_agency(session, "czj"), sample_data(
            approved_on=clock.today(), published_on=later))
    entry = db_session.scalars(select(SearchOutbox).where(
        SearchOutbox.document_id == disclosure.document_id)).one()
    assert entry.next_attempt_at == publication_instant(later)  # that day's midnight


def test_a_department_editor_uploads_for_their_department_only(
        app: Flask, make_user: Callable[..., User]) -> None:
    with app.app_context(), unit_of_work() as session:
        czj, zjj = make_agency(session, "czj"), make_agency(session, "zjj")
    editor = make_user("zjj-editor", Role.EDITOR, agency_id=zjj.id)
    admin = make_user("zjj-admin", Role.ADMIN, agency_id=zjj.id)

    def start(actor: User) -> str:
        return uploads.start_upload(
            actor=actor, agency_id=czj.id, year=2025, stage=Stage.BUDGET,
            approved_on=dt.date(2025, 2, 10), published_on=dt.date(2025, 2, 20), narrative="",
            table_number=None, filename="C:\\报表\\预算.xlsx", content=good_workbook())

    with app.app_context():
        assert [agency.code for agency in uploads.upload_agencies(editor)] == ["zjj"]
        assert {"czj", "zjj"} <= {agency.code for agency in uploads.upload_agencies(admin)}
        with pytest.raises(ForbiddenError):
            start(editor)
        token = start(admin)
        with pytest.raises(NotFoundError):  # another person's upload
            uploads.upload_preview(token, actor=editor)
        preview = uploads.upload_preview(token, actor=admin)
        assert (preview.pending.filename, preview.result.problems) == ("预算.xlsx", [])
        assert preview.saved is None
        saved = uploads.confirm_upload(token, actor=admin).saved
        assert saved is not None
        assert (saved.agency.code, saved.year, saved.stage) == ("czj", 2025, Stage.BUDGET)
        assert [d.agency.code for d in uploads.staff_disclosures(admin)] == ["czj"]
        assert uploads.staff_disclosures(editor) == []
        with pytest.raises(NotFoundError):  # confirmed: no longer waiting
            uploads.upload_preview(token, actor=admin)
