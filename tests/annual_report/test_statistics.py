"""Public request statistics: yearly figures, and no percentages on fewer than 10."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from opengov.site.requests.rules.outcomes import Bucket, Outcome
from opengov.site.requests.rules.statistics import RequestFacts, yearly_figures
from tests.annual_report.conftest import build_year

D = dt.date


def replied(received: dt.date, on: dt.date, due: dt.date, outcome: Outcome = Outcome.DISCLOSED,
            workdays: int = 5) -> RequestFacts:
    return RequestFacts(received, on, outcome, on, due, workdays)


def test_rates_need_ten_requests() -> None:
    nine = [replied(D(2025, 1, 2), D(2025, 1, 10), D(2025, 2, 1)) for _ in range(9)]
    [figures] = yearly_figures(nine)
    assert (figures.received, figures.closed, figures.replied) == (9, 9, 9)
    assert figures.on_time_rate is None
    assert figures.outcome_share(Bucket.DISCLOSED) is None
    assert figures.average_workdays == 5
    late = replied(D(2025, 1, 2), D(2025, 3, 1), D(2025, 2, 1), Outcome.NOT_HELD, workdays=40)
    [figures] = yearly_figures([*nine, late])
    assert figures.on_time_rate == Fraction(9, 10)
    assert figures.outcome_share(Bucket.UNAVAILABLE) == Fraction(1, 10)
    assert figures.average_workdays == Fraction(85, 10)


def test_years_by_receipt_and_by_closing() -> None:
    facts = [replied(D(2024, 12, 30), D(2025, 1, 15), D(2025, 1, 28)),
             RequestFacts(D(2025, 6, 1)),
             RequestFacts(D(2025, 6, 1), D(2025, 7, 1), Outcome.CORRECTION_LAPSED)]
    newest, oldest = yearly_figures(facts)
    assert (newest.year, newest.received, newest.closed, newest.replied) == (2025, 2, 2, 1)
    assert newest.outcomes[Bucket.OTHER] == 1
    assert (oldest.year, oldest.received, oldest.closed) == (2024, 1, 0)
    assert oldest.average_workdays is None


def test_statistics_page(client: FlaskClient, db_session: Session) -> None:
    build_year()
    page = client.get("/statistics").get_data(as_text=True)
    assert "各年度依申请公开办理情况" in page
    assert "不计算比例" in page
    assert "<th scope=\"row\">2025</th>" in page
    assert "%）" in page  # 2025 has more than ten replies: rates are shown
    department = client.get("/statistics?agency=czj").get_data(as_text=True)
    assert "示例市财政局" in department
    assert "%）" not in department  # one open request: counts only
    assert client.get("/statistics?agency=nope").status_code == 404
