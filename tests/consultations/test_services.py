"""征求意见 through its services: periods, review and publication through the catalog,
closing, moderation, groups, feedback, the final decision, access control, the catalog record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.audit.models import AuditEntry
from opengov.site.audit.service import COMMAND_LINE
from opengov.site.catalog.models import Document, DocumentVersion, SearchOutbox
from opengov.site.catalog.rules.metadata import PublicationStatus
from opengov.site.catalog.rules.workflow import WorkflowError
from opengov.site.catalog.service.editorial import EditConflictError
from opengov.site.consultations.models import Consultation, ConsultationComment
from opengov.site.consultations.rules import Phase
from opengov.site.consultations.service import drafting, moderation
from opengov.site.consultations.service import public as consultations
from opengov.site.consultations.service.drafting import ConsultationInputError
from opengov.site.consultations.service.moderation import CommentInput
from opengov.site.db import get_session, unit_of_work
from opengov.site.exceptions import ConflictError, ForbiddenError, NotFoundError
from opengov.site.personal_data import get_cipher
from opengov.site.throttle.service import RateLimitedError
from tests.consultations.conftest import MONDAY, Publisher, SetClock, consultation_data
from tests.factories import make_document


def comment(consultation_id: int, text: str = "建议延长周末服务时间。", client: str = "10.0.0.1",
            **fields: str) -> int:
    return consultations.submit_comment(consultation_id, CommentInput(text=text, **fields),
                                        client=client).serial


def comment_ids(consultation_id: int) -> dict[int, int]:
    """serial → id of the consultation's comments."""
    rows = get_session().scalars(select(ConsultationComment).where(
        ConsultationComment.consultation_id == consultation_id))
    return {row.serial: row.id for row in rows}


# --- periods ------------------------------------------------------------------------------


def test_a_period_shorter_than_the_kind_asks_is_refused_without_a_reason(
        staff: dict[str, User], agencies: dict[str, int], today: SetClock) -> None:
    # 规范性文件: 7 working days from Monday 1 September 2025 end on Wednesday 10 September.
    short = consultation_data(agencies["czj"], closes_on=dt.date(2025, 9, 9))
    with pytest.raises(ConsultationInputError) as refused:
        drafting.create(staff["editor"], short, origin=COMMAND_LINE)
    assert refused.value.field == "closes_on"
    assert "7个工作日" in refused.value.message
    assert "2025-09-10" in refused.value.message
    reasoned = consultation_data(agencies["czj"], closes_on=dt.date(2025, 9, 9),
                                 shortened_reason="上级要求9月中旬前出台，时间紧迫。")
    assert drafting.create(staff["editor"], reasoned, origin=COMMAND_LINE) > 0
    enough = consultation_data(agencies["czj"], closes_on=dt.date(2025, 9, 10))
    assert drafting.create(staff["editor"], enough, origin=COMMAND_LINE) > 0


def test_thirty_days_for_a_major_decision(staff: dict[str, User], agencies: dict[str, int],
                                          today: SetClock) -> None:
    data = consultation_data(agencies["czj"], kind="major_decision",
                             closes_on=MONDAY + dt.timedelta(days=29))
    with pytest.raises(ConsultationInputError, match="一般不少于30日"):
        drafting.create(staff["editor"], data, origin=COMMAND_LINE)


def test_a_draft_needs_its_explanation_and_contact(staff: dict[str, User],
                                                   agencies: dict[str, int],
                                                   today: SetClock) -> None:
    for field in ("explanation", "contact", "draft_text"):
        with pytest.raises(ConsultationInputError) as refused:
            drafting.create(staff["editor"], consultation_data(agencies["czj"], **{field: " "}),
                            origin=COMMAND_LINE)
        assert refused.value.field == field


def test_approval_after_the_planned_day_rechecks_the_period(
        staff: dict[str, User], agencies: dict[str, int], today: SetClock,
        db_session: Session) -> None:
    data = consultation_data(agencies["czj"], closes_on=dt.date(2025, 9, 10))
    consultation_id = drafting.create(staff["editor"], data, origin=COMMAND_LINE)
    drafting.submit(staff["editor"], consultation_id, origin=COMMAND_LINE)
    today.set(dt.date(2025, 9, 3))  # reviewed two days late: only 5 working days would be left
    with pytest.raises(ConflictError, match="7个工作日"):
        drafting.review(staff["reviewer"], consultation_id, approve=True, opinion="同意",
                        origin=COMMAND_LINE)
    assert db_session.get(Consultation, consultation_id).document.status is \
        PublicationStatus.SUBMITTED  # nothing was written


# --- review and the catalog ---------------------------------------------------------------


def test_publication_goes_through_the_catalog_review(staff: dict[str, User],
                                                     agencies: dict[str, int], today: SetClock,
                                                     db_session: Session,
                                                     make_user: Callable[..., User]) -> None:
    both = make_user("czj_both", Role.EDITOR, Role.REVIEWER, agency_id=agencies["czj"])
    data = consultation_data(agencies["czj"])
    consultation_id = drafting.create(both, data, origin=COMMAND_LINE)
    found = db_session.get(Consultation, consultation_id)
    assert found is not None
    assert found.document.status is PublicationStatus.DRAFT
    assert found.document.category.slug == "consultations"
    assert found.document.genre == "征集调查"
    assert found.document.title == "关于《示例市政务服务中心运行管理办法（征求意见稿）》公开征求意见的公告"
    assert f"/consultations/{consultation_id}" in found.document.body
    with pytest.raises(NotFoundError):  # not public yet
        consultations.detail(consultation_id)
    drafting.submit(both, consultation_id, origin=COMMAND_LINE)
    # Nobody reviews their own draft (the catalog's rule), even holding both roles.
    with pytest.raises(WorkflowError, match="不能审核自己撰写的文件"):
        drafting.review(both, consultation_id, approve=True, opinion="同意",
                        origin=COMMAND_LINE)
    drafting.review(staff["reviewer"], consultation_id, approve=False, opinion="请补充起草依据。",
                    origin=COMMAND_LINE)
    assert get_session().get(Consultation, consultation_id).document.status is \
        PublicationStatus.DRAFT
    drafting.submit(both, consultation_id, origin=COMMAND_LINE)
    assert drafting.review(staff["reviewer"], consultation_id, approve=True, opinion="同意发布",
                           origin=COMMAND_LINE) is Phase.OPEN
    view = consultations.detail(consultation_id)
    document = view.consultation.document
    assert document.status is PublicationStatus.PUBLISHED
    assert document.published_on == MONDAY
    assert document.index_no
    assert document.index_no.startswith("007000002/2025-")
    assert view.period == 10
    assert not view.shortened
    queued = get_session().scalars(select(SearchOutbox.document_id)).all()
    assert document.id in queued
    actions = get_session().scalars(select(AuditEntry.detail).where(
        AuditEntry.object_type == "document", AuditEntry.object_id == str(document.id))).all()
    assert any("审核通过" in detail for detail in actions)


def test_a_draft_edited_meanwhile_is_not_overwritten(staff: dict[str, User],
                                                     agencies: dict[str, int],
                                                     today: SetClock) -> None:
    consultation_id = drafting.create(staff["editor"], consultation_data(agencies["czj"]),
                                      origin=COMMAND_LINE)
    version = drafting.edit_page(staff["editor"], consultation_id).version
    changed = consultation_data(agencies["czj"], title="示例市政务服务中心管理办法（修改稿）")
    drafting.save(staff["editor"], consultation_id, changed, expected_version=version,
                  origin=COMMAND_LINE)
    with pytest.raises(EditConflictError):
        drafting.save(staff["editor"], consultation_id, consultation_data(agencies["czj"]),
                      expected_version=version, origin=COMMAND_LINE)
    found = get_session().get(Consultation, consultation_id)
    assert found is not None
    assert "修改稿" in found.document.title


# --- comments, closing --------------------------------------------------------------------


def test_comments_while_open_then_no_more(publish: Publisher, today: SetClock,
                                          db_session: Session) -> None:
    consultation_id = publish(closes_on=dt.date(2025, 9, 15))
    assert comment(consultation_id, name="李四", phone="13900000000",
                   email="lisi@example.com") == 1
    assert comment(consultation_id, "第二条应当写明乡镇便民服务中心。") == 2
    stored = db_session.scalars(select(ConsultationComment).where(
        ConsultationComment.serial == 1)).one()
    # Name and contact are stored encrypted, never as typed.
    assert "李四" not in stored.name_enc
    assert "lisi" not in stored.email_enc
    assert get_cipher().decrypt(stored.name_enc) == "李四"
    today.set(dt.date(2025, 9, 15))  # the last day still takes comments
    assert comment(consultation_id) == 3
    today.set(dt.date(2025, 9, 16))
    assert consultations.detail(consultation_id).phase is Phase.CLOSED
    with pytest.raises(ConflictError, match="已于2025年09月15日截止"):
        comment(consultation_id)


def test_comments_are_limited_per_address(publish: Publisher, app_config: dict[str, Any],
                                          today: SetClock, app: Any) -> None:
    app.config["CONSULTATION_COMMENT_LIMIT"] = 2
    consultation_id = publish()
    comment(consultation_id)
    comment(consultation_id)
    with pytest.raises(RateLimitedError):
        comment(consultation_id)
    assert comment(consultation_id, client="10.0.0.2") == 3


def test_moderation_decides_what_the_public_sees(publish: Publisher, staff: dict[str, User],
                                                 today: SetClock) -> None:
    consultation_id = publish()
    comment(consultation_id, "建议延长服务时间。我的电话13900000000。")
    comment(consultation_id, "广告：代办各类证件")
    ids = comment_ids(consultation_id)
    assert consultations.detail(consultation_id).comments == []  # nothing before moderation
    moderation.moderate(staff["editor"], consultation_id, ids[1], "已公开",
                        public_text="建议延长服务时间。")
    with pytest.raises(ConsultationInputError, match="理由"):
        moderation.moderate(staff["editor"], consultation_id, ids[2], "无效")
    moderation.moderate(staff["editor"], consultation_id, ids[2], "无效", note="广告或无实际内容")
    view = consultations.detail(consultation_id)
    assert [c.public_text for c in view.comments] == ["建议延长服务时间。"]
    assert view.received == 1  # the invalid one is not counted
    with pytest.raises(NotFoundError):  # another agency's staff
        moderation.moderate(staff["other"], consultation_id, ids[1], "已收录")
    with pytest.raises(ForbiddenError):  # a request handler is not drafting staff
        moderation.moderate(staff["handler"], consultation_id, ids[1], "已收录")


def test_an_agency_that_does_not_publish_comments(publish: Publisher, staff: dict[str, User],
                                                  today: SetClock) -> None:
    consultation_id = publish(publishes_comments=False)
    comment(consultation_id)
    ids = comment_ids(consultation_id)
    with pytest.raises(ConsultationInputError, match="不公开公众意见"):
        moderation.moderate(staff["editor"], consultation_id, ids[1], "已公开")
    moderation.moderate(staff["editor"], consultation_id, ids[1], "已收录")
    view = consultations.detail(consultation_id)
    assert view.comments == []
    assert view.received == 1


def test_staff_enter_comments_received_by_letter(publish: Publisher, staff: dict[str, User],
                                                 today: SetClock) -> None:
    from opengov.site.consultations.rules import Channel

    consultation_id = publish()
    serial = moderation.enter_comment(staff["editor"], consultation_id,
                                      CommentInput(text="来信：建议增加夜间服务。"), Channel.LETTER)
    assert serial == 1
    case = drafting.staff_case(staff["editor"], consultation_id)
    assert case.comments[0].comment.channel == "信函"
    assert case.comments[0].comment.entered_by_id == staff["editor"].id


# --- feedback -----------------------------------------------------------------------------


def _sorted_out(consultation_id: int, staff: dict[str, User]) -> None:
    ids = comment_ids(consultation_id)
    moderation.moderate(staff["editor"], consultation_id, ids[1], "已公开")
    moderation.moderate(staff["editor"], consultation_id, ids[2], "已收录")
    moderation.save_group(staff["editor"], consultation_id, None, summary="建议延长周末服务时间",
                          decision="部分采纳", reason="每月第一个周六上午提供服务。",
                          comment_ids=[ids[1]])
    moderation.save_group(staff["editor"], consultation_id, None, summary="建议设立夜间窗口",
                          decision="未采纳", reason="现有人员不足，先开通网上办理。",
                          comment_ids=[ids[2]])


def test_feedback_is_published_once_the_period_is_over(publish: Publisher,
                                                       staff: dict[str, User],
                                                       today: SetClock) -> None:
    consultation_id = publish(closes_on=dt.date(2025, 9, 15))
    comment(consultation_id)
    comment(consultation_id, "建议设立夜间窗口。", email="wangwu@example.com")
    with pytest.raises(ConflictError, match="期限届满后"):
        drafting.publish_feedback(staff["reviewer"], consultation_id, "", origin=COMMAND_LINE)
    today.set(dt.date(2025, 9, 16))
    with pytest.raises(ConflictError, match="未审核的意见：第1条、第2条"):
        drafting.publish_feedback(staff["reviewer"], consultation_id, "", origin=COMMAND_LINE)
    _sorted_out(consultation_id, staff)
    with pytest.raises(ForbiddenError):  # publishing is a reviewer's
        drafting.publish_feedback(staff["editor"], consultation_id, "", origin=COMMAND_LINE)
    drafting.publish_feedback(staff["reviewer"], consultation_id, "根据意见修改了第二条。",
                              origin=COMMAND_LINE)
    view = consultations.detail(consultation_id)
    assert view.phase is Phase.FEEDBACK
    assert [(g.decision, g.serials) for g in view.groups] == [("部分采纳", [1]), ("未采纳", [2])]
    assert view.counts is not None
    assert (view.counts.valid, view.counts.partly,
                                        view.counts.not_adopted) == (2, 1, 1)
    document = view.consultation.document
    assert "## 意见采纳情况" in document.body
    assert "现有人员不足" in document.body
    assert "wangwu" not in document.body
    assert "建议设立夜间窗口。" not in document.body
    notes = get_session().scalars(select(DocumentVersion.note).where(
        DocumentVersion.document_id == document.id).order_by(DocumentVersion.number)).all()
    assert notes == ["", "公布意见采纳情况"]  # a recorded new version of the notice
    with pytest.raises(ConflictError, match="已经公布"):
        moderation.moderate(staff["editor"], consultation_id, comment_ids(consultation_id)[1],
                            "已收录")


def test_feedback_when_no_comment_came(publish: Publisher, staff: dict[str, User],
                                       today: SetClock) -> None:
    consultation_id = publish(closes_on=dt.date(2025, 9, 15))
    today.set(dt.date(2025, 9, 20))
    with pytest.raises(ConflictError, match="未收到有效意见的"):
        drafting.publish_feedback(staff["reviewer"], consultation_id, "", origin=COMMAND_LINE)
    drafting.publish_feedback(staff["reviewer"], consultation_id, "征求意见期间未收到意见。",
                              origin=COMMAND_LINE)
    assert consultations.detail(consultation_id).phase is Phase.FEEDBACK


def test_a_group_not_adopted_states_why(publish: Publisher, staff: dict[str, User],
                                        today: SetClock) -> None:
    consultation_id = publish()
    comment(consultation_id)
    ids = comment_ids(consultation_id)
    with pytest.raises(ConsultationInputError, match="须说明理由"):
        moderation.save_group(staff["editor"], consultation_id, None, summary="延长时间",
                              decision="未采纳", reason="", comment_ids=[])
    with pytest.raises(ConsultationInputError, match="尚未审核"):
        moderation.save_group(staff["editor"], consultation_id, None, summary="延长时间",
                              decision="采纳", reason="", comment_ids=[ids[1]])


def test_the_period_can_be_extended_with_a_published_reason(
        publish: Publisher, staff: dict[str, User], today: SetClock) -> None:
    consultation_id = publish(closes_on=dt.date(2025, 9, 15))
    with pytest.raises(ConsultationInputError):
        drafting.extend(staff["reviewer"], consultation_id, dt.date(2025, 9, 12), "理由",
                        origin=COMMAND_LINE)
    drafting.extend(staff["reviewer"], consultation_id, dt.date(2025, 9, 30),
                    "应企业要求延长。", origin=COMMAND_LINE)
    today.set(dt.date(2025, 9, 20))
    view = consultations.detail(consultation_id)
    assert view.phase is Phase.OPEN
    assert "延长至2025-09-30" in view.consultation.extension_note
    assert "应企业要求延长" in view.consultation.document.body


def test_the_final_decision_is_linked_after_the_feedback(
        publish: Publisher, staff: dict[str, User], today: SetClock) -> None:
    consultation_id = publish(closes_on=dt.date(2025, 9, 15))
    with unit_of_work() as session:
        decided = make_document(session, agency="czj", title="示例市政务服务中心运行管理办法",
                                published_on=dt.date(2025, 9, 1))
        index_no, decided_id = decided.index_no, decided.id
    today.set(dt.date(2025, 9, 16))
    with pytest.raises(ConflictError, match="公布意见采纳情况后"):
        drafting.link_decision(staff["reviewer"], consultation_id, index_no=index_no or "",
                               origin=COMMAND_LINE)
    drafting.publish_feedback(staff["reviewer"], consultation_id, "未收到意见。",
                              origin=COMMAND_LINE)
    with pytest.raises(ConsultationInputError, match="没有这个索引号"):
        drafting.link_decision(staff["reviewer"], consultation_id, index_no="nope",
                               origin=COMMAND_LINE)
    drafting.link_decision(staff["reviewer"], consultation_id, index_no=index_no or "",
                           origin=COMMAND_LINE)
    found = consultations.detail(consultation_id).consultation
    assert found.decision_document_id == decided_id
    assert f"](/documents/{decided_id})" in found.document.body


# --- scope --------------------------------------------------------------------------------


def test_other_agencies_staff_do_not_see_a_consultation(publish: Publisher,
                                                        staff: dict[str, User],
                                                        today: SetClock) -> None:
    consultation_id = publish()
    assert [row.consultation.id for row in drafting.staff_list(staff["editor"])] == [
        consultation_id]
    assert drafting.staff_list(staff["other"]) == []
    with pytest.raises(NotFoundError):
        drafting.staff_case(staff["other"], consultation_id)
    with pytest.raises(NotFoundError):
        drafting.extend(staff["other"], consultation_id, dt.date(2025, 10, 1), "x",
                        origin=COMMAND_LINE)
    with pytest.raises(ForbiddenError):
        drafting.staff_list(staff["handler"])


def test_the_home_page_list_holds_open_consultations_only(publish: Publisher,
                                                          today: SetClock) -> None:
    first = publish(closes_on=dt.date(2025, 9, 15))
    second = publish(closes_on=dt.date(2025, 9, 30))
    assert [item.consultation.id for item in consultations.open_consultations()] == [first,
                                                                                      second]
    today.set(dt.date(2025, 9, 20))
    assert [item.consultation.id for item in consultations.open_consultations()] == [second]


def test_the_catalog_document_is_public_exactly_when_the_consultation_is(
        publish: Publisher, db_session: Session, today: SetClock) -> None:
    consultation_id = publish()
    document = db_session.get(Consultation, consultation_id).document
    public = db_session.scalars(select(Document).where(
        Document.category.has(slug="consultations"))).all()
    assert document in public
    assert document.is_public
