"""Staff roles. A person may hold several; nobody reviews their own document."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    EDITOR = "editor"  # 撰稿
    REVIEWER = "reviewer"  # 审核 / 保密审查
    HANDLER = "handler"  # 依申请公开办理
    ADMIN = "admin"  # 系统管理


ROLE_LABELS: dict[Role, str] = {
    Role.EDITOR: "撰稿",
    Role.REVIEWER: "审核（保密审查）",
    Role.HANDLER: "依申请公开办理",
    Role.ADMIN: "系统管理",
}
