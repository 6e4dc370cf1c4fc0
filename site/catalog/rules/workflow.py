"""The editorial workflow of a document as a state machine (issue 5).

draft → submitted → approved (保密审查 by a reviewer who is not the author) → published, now or
on a later date (scheduled) → corrected / 失效 / 废止 / withdrawn. Every transition is
checked here; an illegal one raises :class:`WorkflowError` with a message for the person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from opengov.site.accounts.rules.roles import Role
from opengov.site.catalog.rules.metadata import PublicationStatus, Validity
from opengov.site.exceptions import ConflictError

S = PublicationStatus

STATUS_LABELS: dict[PublicationStatus, str] = {
    S.DRAFT: "草稿",
    S.SUBMITTED: "待审核",
    S.APPROVED: "审核通过待发布",
    S.PUBLISHED: "已发布",
    S.WITHDRAWN: "已撤回",
}


class Action(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"
    RECALL = "recall"
    PUBLISH = "publish"
    CORRECT = "correct"
    EXPIRE = "expire"
    REPEAL = "repeal"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"


@dataclass(frozen=True)
class Transition:
    action: Action
    label: str
    sources: frozenset[PublicationStatus]
    target: PublicationStatus
    roles: frozenset[Role]
    #: An opinion / reason must be given (review opinions, corrections, withdrawals).
    needs_opinion: bool = False
    #: The author may not do it: nobody reviews their own document.
    not_by_author: bool = False
    #: The 有效性 it sets, for 失效 and 废止.
    validity: Validity | None = None


TRANSITIONS: dict[Action, Transition] = {t.action: t for t in (
    Transition(Action.SUBMIT, "提交审核", frozenset({S.DRAFT}), S.SUBMITTED,
               frozenset({Role.EDITOR})),
    Transition(Action.RETURN, "退回修改", frozenset({S.SUBMITTED}), S.DRAFT,
               frozenset({Role.REVIEWER}), needs_opinion=True, not_by_author=True),
    Transition(Action.APPROVE, "审核通过", frozenset({S.SUBMITTED}), S.APPROVED,
               frozenset({Role.REVIEWER}), needs_opinion=True, not_by_author=True),
    Transition(Action.RECALL, "撤回修改", frozenset({S.SUBMITTED, S.APPROVED}), S.DRAFT,
               frozenset({Role.EDITOR})),
    Transition(Action.PUBLISH, "发布", frozenset({S.APPROVED}), S.PUBLISHED,
               frozenset({Role.EDITOR, Role.REVIEWER})),
    Transition(Action.CORRECT, "更正", frozenset({S.PUBLISHED}), S.PUBLISHED,
               frozenset({Role.REVIEWER}), needs_opinion=True),
    Transition(Action.EXPIRE, "标记失效", frozenset({S.PUBLISHED}), S.PUBLISHED,
               frozenset({Role.REVIEWER}), needs_opinion=True, validity=Validity.EXPIRED),
    Transition(Action.REPEAL, "标记废止", frozenset({S.PUBLISHED}), S.PUBLISHED,
               frozenset({Role.REVIEWER}), needs_opinion=True, validity=Validity.REPEALED),
    Transition(Action.WITHDRAW, "撤下", frozenset({S.PUBLISHED}), S.WITHDRAWN,
               frozenset({Role.REVIEWER}), needs_opinion=True),
    Transition(Action.REOPEN, "重新编辑", frozenset({S.WITHDRAWN}), S.DRAFT,
               frozenset({Role.EDITOR})),
)}

#: States in which the content of a document may be edited with the editor. A published
#: document changes only through a correction (a new, recorded version).
EDITABLE = frozenset({S.DRAFT})


class WorkflowError(ConflictError, ValueError):
    """A transition that is not allowed; the message says why, in Chinese. A step that does
    not fit the document's state, as most refusals here are, is a conflict (409)."""


def _holds(roles: Iterable[Role], needed: frozenset[Role]) -> bool:
    held = set(roles)
    return Role.ADMIN in held or bool(held & needed)


def check(action: Action | str, status: PublicationStatus, *, roles: Iterable[Role],
          is_author: bool, opinion: str = "",
          validity: Validity = Validity.VALID) -> Transition:
    """The transition ``action`` from ``status`` by a person with ``roles``; raise
    :class:`WorkflowError` when it is not allowed."""
    try:
        transition = TRANSITIONS[Action(action)]
    except ValueError:
        raise WorkflowError(f"未知的操作：{action}") from None
    if status not in transition.sources:
        allowed = "、".join(STATUS_LABELS[source] for source in sorted(transition.sources))
        raise WorkflowError(f"“{STATUS_LABELS[status]}”状态的文件不能{transition.label}"
                            f"（只有“{allowed}”状态可以）。")
    role_set = frozenset(roles)
    if not _holds(role_set, transition.roles):
        raise WorkflowError(f"您没有{transition.label}的权限。")
    if transition.not_by_author and is_author:
        raise WorkflowError("不能审核自己撰写的文件，请由其他审核人员办理。")
    if transition.needs_opinion and not opinion.strip():
        raise WorkflowError(f"{transition.label}必须填写意见或理由。")
    if transition.validity is not None and validity == transition.validity:
        raise WorkflowError(f"该文件已经是“{validity.value}”状态。")
    if transition.validity is not None and validity != Validity.VALID \
            and validity != Validity.AMENDED:
        raise WorkflowError(f"“{validity.value}”的文件不能再{transition.label}。")
    return transition


def available(status: PublicationStatus, *, roles: Iterable[Role], is_author: bool,
              validity: Validity = Validity.VALID) -> list[Transition]:
    """The transitions the person could take now (opinions aside), for the action buttons."""
    result = []
    for transition in TRANSITIONS.values():
        try:
            check(transition.action, status, roles=roles, is_author=is_author,
                  opinion="-", validity=validity)
        except WorkflowError:
            continue
        result.append(transition)
    return result
