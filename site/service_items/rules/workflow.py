"""Review before publication, with versions, for records the public relies on: 政务服务事项
(办事指南) here and 行政职权 (权力清单) in the powers feature.

It is the documents' workflow (draft → submitted → approved by a reviewer who is not the
author → published) applied to *revisions*: a published record keeps its public version while
a new revision of it is written and reviewed, and publishing the new revision makes the old one
history. So a guide never disappears from the site while it is being corrected, and every
version the public saw stays readable for staff.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from opengov.site.accounts.rules.roles import Role
from opengov.site.exceptions import ConflictError


class RevisionStatus(StrEnum):
    """Where one revision of a record stands."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PUBLISHED = "published"  # the version the public sees now
    SUPERSEDED = "superseded"  # was public, replaced by a later version


STATUS_LABELS: dict[RevisionStatus, str] = {
    RevisionStatus.DRAFT: "草稿",
    RevisionStatus.SUBMITTED: "待审核",
    RevisionStatus.APPROVED: "审核通过待发布",
    RevisionStatus.PUBLISHED: "现行版本",
    RevisionStatus.SUPERSEDED: "历史版本",
}

#: Revisions still being worked on; a record has at most one.
OPEN_STATUSES = frozenset({RevisionStatus.DRAFT, RevisionStatus.SUBMITTED,
                           RevisionStatus.APPROVED})
#: Revisions the public saw: the version history.
PUBLISHED_STATUSES = frozenset({RevisionStatus.PUBLISHED, RevisionStatus.SUPERSEDED})


class PublicState(StrEnum):
    """Whether the public sees a record."""

    UNPUBLISHED = "unpublished"  # never published yet
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"  # taken off the site (e.g. the item was abolished)


STATE_LABELS: dict[PublicState, str] = {
    PublicState.UNPUBLISHED: "未发布",
    PublicState.PUBLISHED: "已发布",
    PublicState.WITHDRAWN: "已撤下",
}


class Action(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"
    RECALL = "recall"
    PUBLISH = "publish"
    DISCARD = "discard"


@dataclass(frozen=True)
class Transition:
    action: Action
    label: str
    sources: frozenset[RevisionStatus]
    #: None: the revision is deleted (a discarded draft).
    target: RevisionStatus | None
    roles: frozenset[Role]
    needs_opinion: bool = False
    #: Nobody reviews what they wrote or last edited.
    not_by_author: bool = False


S = RevisionStatus

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
    Transition(Action.DISCARD, "放弃修改", frozenset({S.DRAFT}), None,
               frozenset({Role.EDITOR})),
)}

#: Revisions whose content the editor may change.
EDITABLE = frozenset({S.DRAFT})
#: Who takes a published record off the site (with a reason): as for documents, a reviewer.
WITHDRAW_ROLES = frozenset({Role.REVIEWER})


class WorkflowError(ConflictError, ValueError):
    """A step that is not allowed now or not to this person; the message says why."""


def _holds(roles: Iterable[Role | str], needed: frozenset[Role]) -> bool:
    held = {Role(role) for role in roles}
    return Role.ADMIN in held or bool(held & needed)


def check(action: Action | str, status: RevisionStatus, *, roles: Iterable[Role | str],
          is_author: bool, opinion: str = "", noun: str = "事项") -> Transition:
    """The transition ``action`` of a revision in ``status`` by a person with ``roles``;
    :class:`WorkflowError` when it is not allowed. ``noun`` names the record in messages."""
    try:
        transition = TRANSITIONS[Action(action)]
    except ValueError:
        raise WorkflowError(f"未知的操作：{action}") from None
    if status not in transition.sources:
        allowed = "、".join(STATUS_LABELS[source] for source in sorted(transition.sources))
        raise WorkflowError(f"“{STATUS_LABELS[status]}”的{noun}修订不能{transition.label}"
                            f"（只有“{allowed}”可以）。")
    if not _holds(roles, transition.roles):
        raise WorkflowError(f"您没有{transition.label}的权限。")
    if transition.not_by_author and is_author:
        raise WorkflowError(f"不能审核自己编写的{noun}，请由其他审核人员办理。")
    if transition.needs_opinion and not opinion.strip():
        raise WorkflowError(f"{transition.label}必须填写意见。")
    return transition


def available(status: RevisionStatus, *, roles: Iterable[Role | str],
              is_author: bool) -> list[Transition]:
    """The steps the person could take now (opinions aside), for the action buttons."""
    result = []
    role_list = list(roles)
    for transition in TRANSITIONS.values():
        try:
            check(transition.action, status, roles=role_list, is_author=is_author, opinion="-")
        except WorkflowError:
            continue
        result.append(transition)
    return result


def may_withdraw(roles: Iterable[Role | str]) -> bool:
    return _holds(roles, WITHDRAW_ROLES)


#: Every step of the trail of a record, by the ``action`` its events record.
STEP_LABELS: dict[str, str] = {
    **{action.value: step.label for action, step in TRANSITIONS.items()},
    "create": "新建版本",
    "withdraw": "撤下",
}
