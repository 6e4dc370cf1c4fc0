"""Staff roles. A person may hold several; nobody reviews their own document."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    EDITOR = "editor"  # 撰稿
    REVIEWER = "reviewer"  # 审核 / 保密审查
    HANDLER = "handler"  # 依申请公开办理
    ADMIN = "admin"  # 系统管理
    #: 年度报告编写: drafts the annual report of the person's own agency (all, if site-wide).
    REPORT_DRAFTER = "report_drafter"


ROLE_LABELS: dict[Role, str] = {
    Role.EDITOR: "撰稿",
    Role.REVIEWER: "审核（保密审查）",
    Role.HANDLER: "依申请公开办理",
    Role.ADMIN: "系统管理",
    Role.REPORT_DRAFTER: "年度报告编写",
}
