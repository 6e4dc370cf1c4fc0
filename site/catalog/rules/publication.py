"""条例 Art. 26: 主动公开 information is published within 20 working days of being made or
changed (rules.md §3.3), unless another law or regulation sets the period."""

from __future__ import annotations

import datetime as dt

from opengov.site.workdays.rules import WorkingCalendar

ART26_WORKING_DAYS = 20


def art26_deadline(calendar: WorkingCalendar, date_written: dt.date | None,
                   changed_on: dt.date | None) -> dt.date | None:
    """Last day to publish: 20 working days (holidays and 调休 included) after the
    information was made or last changed."""
    basis = changed_on or date_written
    return None if basis is None else calendar.add_workdays(basis, ART26_WORKING_DAYS)


def art26_warning(calendar: WorkingCalendar, date_written: dt.date | None,
                  changed_on: dt.date | None, publish_on: dt.date,
                  other_basis: str = "") -> str | None:
    """A warning for the editor when publishing on ``publish_on`` is late, else None."""
    if other_basis.strip():
        return None  # "法律、法规对政府信息公开的期限另有规定的，从其规定"
    deadline = art26_deadline(calendar, date_written, changed_on)
    if deadline is None or publish_on <= deadline:
        return None
    return (f"按《政府信息公开条例》第二十六条，应自形成或变更之日起 20 个工作日内公开"
            f"（最迟 {deadline:%Y-%m-%d}），计划发布日期 {publish_on:%Y-%m-%d} 已超期。"
            "如其他法律、法规另有期限规定，请在“另行规定的公开期限依据”中注明。")
