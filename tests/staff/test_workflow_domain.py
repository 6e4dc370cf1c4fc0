"""The workflow state machine: every transition, legal and illegal."""

from __future__ import annotations

import datetime as dt

import pytest

from opengov.site.accounts.rules.roles import Role
from opengov.site.catalog.rules.metadata import PublicationStatus as S
from opengov.site.catalog.rules.metadata import Validity
from opengov.site.catalog.rules.publication import art26_deadline, art26_warning
from opengov.site.catalog.rules.workflow import TRANSITIONS, Action, WorkflowError, available, check
from opengov.site.workdays.rules import WorkingCalendar

LEGAL = [
    (Action.SUBMIT, S.DRAFT, Role.EDITOR, S.SUBMITTED),
    (Action.RETURN, S.SUBMITTED, Role.REVIEWER, S.DRAFT),
    (Action.APPROVE, S.SUBMITTED, Role.REVIEWER, S.APPROVED),
    (Action.RECALL, S.SUBMITTED, Role.EDITOR, S.DRAFT),
    (Action.RECALL, S.APPROVED, Role.EDITOR, S.DRAFT),
    (Action.PUBLISH, S.APPROVED, Role.EDITOR, S.PUBLISHED),
    (Action.PUBLISH, S.APPROVED, Role.REVIEWER, S.PUBLISHED),
    (Action.CORRECT, S.PUBLISHED, Role.REVIEWER, S.PUBLISHED),
    (Action.EXPIRE, S.PUBLISHED, Role.REVIEWER, S.PUBLISHED),
    (Action.REPEAL, S.PUBLISHED, Role.REVIEWER, S.PUBLISHED),
    (Action.WITHDRAW, S.PUBLISHED, Role.REVIEWER, S.WITHDRAWN),
    (Action.REOPEN, S.WITHDRAWN, Role.EDITOR, S.DRAFT),
]


@pytest.mark.parametrize(("action", "source", "role", "target"), LEGAL)
def test_legal_transitions(action: Action, source: S, role: Role, target: S) -> None:
    assert check(action, source, roles={role}, is_author=False, opinion="同意").target == target
    assert check(action, source, roles={Role.ADMIN}, is_author=False, opinion="同意").target \
        == target


def test_every_action_is_covered() -> None:
    assert {action for action, *_ in LEGAL} == set(TRANSITIONS)


@pytest.mark.parametrize(("action", "source"), [
    (action, source) for action, transition in TRANSITIONS.items()
    for source in S if source not in transition.sources])
def test_illegal_sources_are_refused_in_chinese(action: Action, source: S) -> None:
    with pytest.raises(WorkflowError, match="状态的文件不能"):
        check(action, source, roles={Role.ADMIN}, is_author=False, opinion="x")


@pytest.mark.parametrize(("action", "source", "role", "_target"), LEGAL)
def test_wrong_role_is_refused(action: Action, source: S, role: Role, _target: S) -> None:
    others = {Role.HANDLER}
    with pytest.raises(WorkflowError, match=r"没有.*权限"):
        check(action, source, roles=others, is_author=False, opinion="x")


@pytest.mark.parametrize("action", [Action.APPROVE, Action.RETURN])
def test_nobody_reviews_their_own_document(action: Action) -> None:
    with pytest.raises(WorkflowError, match="不能审核自己撰写的文件"):
        check(action, S.SUBMITTED, roles={Role.EDITOR, Role.REVIEWER, Role.ADMIN},
              is_author=True, opinion="同意")


@pytest.mark.parametrize("action", [a for a, t in TRANSITIONS.items() if t.needs_opinion])
def test_opinion_is_required(action: Action) -> None:
    source = next(iter(TRANSITIONS[action].sources))
    with pytest.raises(WorkflowError, match="必须填写意见"):
        check(action, source, roles={Role.ADMIN}, is_author=False, opinion="  ")


def test_validity_changes_only_once() -> None:
    with pytest.raises(WorkflowError, match="已经是“废止”"):
        check(Action.REPEAL, S.PUBLISHED, roles={Role.REVIEWER}, is_author=False, opinion="x",
              validity=Validity.REPEALED)
    with pytest.raises(WorkflowError, match="不能再标记失效"):
        check(Action.EXPIRE, S.PUBLISHED, roles={Role.REVIEWER}, is_author=False, opinion="x",
              validity=Validity.REPEALED)


def test_unknown_action() -> None:
    with pytest.raises(WorkflowError, match="未知的操作"):
        check("delete-everything", S.DRAFT, roles={Role.ADMIN}, is_author=False)


def test_available_actions_for_buttons() -> None:
    assert [t.action for t in available(S.SUBMITTED, roles={Role.REVIEWER}, is_author=False)] \
        == [Action.RETURN, Action.APPROVE]
    assert [t.action for t in available(S.SUBMITTED, roles={Role.REVIEWER, Role.EDITOR},
                                        is_author=True)] == [Action.RECALL]


def test_art26_counts_working_days_with_holidays_and_makeup_days() -> None:
    calendar = WorkingCalendar()
    new_year = dt.date(2026, 1, 2)  # 元旦 holiday; Sunday 1月4日 is a 调休 working day
    assert calendar.add_workdays(new_year, 1) == dt.date(2026, 1, 4)
    assert art26_deadline(calendar, new_year, None) == dt.date(2026, 1, 29)
    assert art26_deadline(calendar, new_year, dt.date(2026, 1, 9)) == dt.date(2026, 2, 6)
    # 国庆 2025: 20 working days after 09-26 is 10-30 (rules.md §2.3).
    assert art26_deadline(calendar, dt.date(2025, 9, 26), None) == dt.date(2025, 10, 30)
    assert art26_warning(calendar, new_year, None, dt.date(2026, 1, 29)) is None
    warning = art26_warning(calendar, new_year, None, dt.date(2026, 1, 30))
    assert warning is not None
    assert "2026-01-29" in warning
    assert art26_warning(calendar, new_year, None, dt.date(2026, 2, 2),
                         "《某条例》第十条") is None
    assert art26_warning(calendar, None, None, dt.date(2026, 2, 2)) is None
