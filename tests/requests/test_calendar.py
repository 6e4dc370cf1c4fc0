"""The site's working-day calendar: overrides through the service and the staff page, the
warnings of the staff pages, and the recomputation of open requests on every change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from opengov.site import clock
from opengov.site.accounts.models import User
from opengov.site.accounts.rules.roles import Role
from opengov.site.db import unit_of_work
from opengov.site.requests.models import InfoRequest
from opengov.site.workdays import service as work_calendar
from opengov.site.workdays.models import CalendarOverride
from opengov.site.workdays.rules import package_data
from tests.factories import make_agency

D = dt.date
Filer = Callable[..., tuple[InfoRequest, str]]


def _stored(session: Session, filed: InfoRequest) -> InfoRequest:
    """``filed`` as committed (the session forgets what it held)."""
    session.expire_all()
    stored = session.get(InfoRequest, filed.id)
    assert stored is not None
    return stored


def test_a_change_and_the_new_due_dates_commit_together(db_session: Session,
                                                        file_request: Filer) -> None:
    filed, _ = file_request(received_on=D(2026, 12, 20))
    work_calendar.set_override(D(2027, 1, 1), False, "元旦", actor=None)
    assert _stored(db_session, filed).due_on == D(2027, 1, 18)
    override = db_session.get(CalendarOverride, D(2027, 1, 1))
    assert override is not None
    assert (override.workday, override.created_by) == (False, "cli")


def test_a_failed_recomputation_undoes_the_change(db_session: Session,
                                                  file_request: Filer) -> None:
    filed, _ = file_request(received_on=D(2026, 12, 20))

    def refuse(_sender: object, **_details: Any) -> None:
        raise RuntimeError("recomputation failed")

    work_calendar.calendar_changed.connect(refuse)
    try:
        with pytest.raises(RuntimeError, match="recomputation failed"):
            work_calendar.set_override(D(2027, 1, 1), False, "元旦", actor=None)
        with pytest.raises(RuntimeError, match="recomputation failed"):
            work_calendar.confirm_year(2027, "国办发明电〔2026〕N号")
    finally:
        work_calendar.calendar_changed.disconnect(refuse)
    assert (_stored(db_session, filed).due_on, filed.due_provisional) == (D(2027, 1, 15), True)
    assert db_session.get(CalendarOverride, D(2027, 1, 1)) is None
    assert work_calendar.site_calendar() == work_calendar.load_calendar(db_session)
    assert not work_calendar.site_calendar().is_covered(2027)


def test_overrides_of_a_year_and_freshness(db_session: Session) -> None:
    work_calendar.set_override(D(2027, 2, 7), True, "春节调休", actor=None)
    work_calendar.set_override(D(2027, 1, 1), False, "元旦", actor=None)
    work_calendar.set_override(D(2028, 1, 1), False, "元旦", actor=None)
    assert [(row.day, row.workday) for row in work_calendar.overrides_in(2027)] == [
        (D(2027, 1, 1), False), (D(2027, 2, 7), True)]
    assert not work_calendar.freshness(D(2026, 11, 23)).ok
    work_calendar.confirm_year(2027, "国办发明电〔2026〕N号")
    assert work_calendar.freshness(D(2026, 11, 23)).ok
    page = work_calendar.calendar_page(2027)
    assert (page.year, page.covered, len(page.overrides)) == (2027, True, 2)


def test_calendar_page_sets_overrides_and_confirms(
        client: FlaskClient, make_user: Callable[..., User], login: Callable[[str], None],
        file_request: Filer, db_session: Session) -> None:
    filed, _ = file_request(received_on=dt.date(2026, 12, 20))
    admin = make_user("admin1", Role.ADMIN)
    login("admin1")
    page = client.get("/staff/calendar?year=2027").get_data(as_text=True)
    assert "没有正式数据" in page
    bad = client.post("/staff/calendar?year=2027", data={"action": "set", "day-day": "x",
                                                         "day-status": "holiday"})
    assert "日期格式应为" in bad.get_data(as_text=True)
    response = client.post("/staff/calendar", data={
        "action": "set", "day-day": "2027-01-01", "day-status": "holiday",
        "day-note": "元旦"})
    assert response.status_code == 302
    db_session.expire_all()
    override = db_session.get(CalendarOverride, dt.date(2027, 1, 1))
    assert override is not None
    assert override.created_by == admin.username
    assert _stored(db_session, filed).due_on == dt.date(2027, 1, 18)
    listing = client.get("/staff/calendar?year=2027").get_data(as_text=True)
    assert "元旦" in listing
    assert client.post("/staff/calendar", data={
        "action": "confirm", "year-year": "2027", "year-note": "国办发明电",
        "year-complete": "y"}).status_code == 302
    assert not _stored(db_session, filed).due_provisional


def test_dashboard_warns_when_next_year_is_missing(
        client: FlaskClient, make_user: Callable[..., User], login: Callable[[str], None],
        db_session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """From 1 November of the last year the package data covers, the dashboard says that the
    next year is missing; before, it does not; confirming the year removes the warning."""
    last = max(year for year in range(2004, 2100) if package_data().covers(year))
    with unit_of_work() as session:
        make_agency(session, "gov")
    make_user("handler1", Role.HANDLER)
    login("handler1")
    monkeypatch.setattr(clock, "today", lambda: dt.date(last, 10, 31))
    assert 'id="calendar-warning"' not in client.get("/staff/").get_data(as_text=True)
    monkeypatch.setattr(clock, "today", lambda: dt.date(last, 11, 1))
    page = client.get("/staff/").get_data(as_text=True)
    assert 'id="calendar-warning"' in page
    assert f"{last + 1}年的放假安排尚未录入" in page
    work_calendar.confirm_year(last + 1, "test")
    assert 'id="calendar-warning"' not in client.get("/staff/").get_data(as_text=True)
