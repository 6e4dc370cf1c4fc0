"""Pure rules of the mail outbox: back-off, which SMTP refusals are final, how an address
is shown to staff."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

#: How long a delivered notice's record (without recipient or body) is kept.
KEEP_SENT_DAYS = 30
#: How long a worker holds the notices it is sending before another worker may take them
#: (a worker that died mid-send: the notices go out again, at least once rather than never).
CLAIM_SECONDS = 300


class NoticeState(StrEnum):
    """Where a queued notice stands."""

    WAITING = "waiting"  # not tried yet, or due again
    RETRYING = "retrying"  # failed at least once, will be tried again
    FAILED = "failed"  # given up: a final refusal or too many attempts
    SENT = "sent"  # the mail server took it


STATE_LABELS: dict[NoticeState, str] = {
    NoticeState.WAITING: "待发送",
    NoticeState.RETRYING: "发送失败，等待重试",
    NoticeState.FAILED: "发送失败，已停止重试",
    NoticeState.SENT: "已发出",
}


def state_of(attempts: int, failed: bool, sent: bool) -> NoticeState:
    """The state of a notice from its record."""
    if sent:
        return NoticeState.SENT
    if failed:
        return NoticeState.FAILED
    return NoticeState.RETRYING if attempts else NoticeState.WAITING


def backoff(attempts: int, base_seconds: int, max_seconds: int) -> dt.timedelta:
    """Delay before attempt ``attempts + 1``: doubling from ``base_seconds`` up to a cap."""
    return dt.timedelta(seconds=min(max_seconds, base_seconds * 2 ** max(attempts - 1, 0)))


def is_permanent(smtp_code: int | None) -> bool:
    """Whether the server's reply code refuses for good (5xx: no such mailbox, rejected as
    spam …): retrying would only repeat it. Connection failures and 4xx are temporary."""
    return smtp_code is not None and 500 <= smtp_code < 600


def give_up(attempts: int, max_attempts: int, permanent: bool) -> bool:
    """Whether a notice that just failed its ``attempts``-th time is given up."""
    return permanent or attempts >= max_attempts


def mask_address(address: str) -> str:
    """``z***@example.com``: enough for staff to tell notices apart and see the domain
    that refused, without showing the applicant's mailbox on a list page."""
    local, at, domain = address.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"
