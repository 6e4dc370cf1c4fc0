"""Public per-agency performance: received, closed, on time, median working days net of
pauses, open past the deadline; no percentage under ten; a chart with its table; CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from opengov.site.db import unit_of_work
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.rules.clock import EventKind
from opengov.site.requests.rules.statistics import RequestFacts, yearly_figures
from opengov.site.requests.service import steps
from tests.factories import make_agency

Filer = Callable[..., tuple[InfoRequest, str]]
D = dt.date


def test_median_is_net_of_pauses_and_overdue_open_counted() -> None:
    facts = [RequestFacts(D(2025, 3, 3), workdays_net=None, overdue_open=True),
             *(RequestFacts(D(2025, 3, 3), D(2025, 4, 1), _outcome(), D(2025, 4, 1),
                            D(2025, 4, 2), 20, net) for net in (3, 5, 30))]
    [year] = yearly_figures(facts)
    assert year.median_workdays == 5
    assert year.overdue_open == 1
    assert year.on_time_rate is None  # three replies: no percentage


def _outcome():  # type: ignore[no-untyped-def]
    from opengov.site.requests.rules.outcomes import Outcome

    return Outcome.DISCLOSED


def test_statistics_page_chart_table_and_csv(client: FlaskClient, db_session: Session,
                                            file_request: Filer) -> None:
    consulted, _ = file_request(received_on=D(2025, 9, 26), description="征求意见的申请")
    with unit_of_work() as session:
        request = session.get(InfoRequest, consulted.id)
        assert request is not None
        for kind, on, data in (
                (EventKind.CONSULTATION_SENT, D(2025, 9, 29), {"ref": "C1", "party": "某公司"}),
                (EventKind.CONSULTATION_ANSWERED, D(2025, 10, 13), {"ref": "C1"}),
                (EventKind.DECIDED, D(2025, 10, 20), {"outcome": "4.1", "reply": "4.1"}),
                (EventKind.SIGNED_OFF, D(2025, 10, 20), {"signer": "李四"}),
                (EventKind.REPLIED, D(2025, 10, 21), {})):
            steps.take_step(session, request, kind, on, data)
    file_request(received_on=D(2025, 1, 6), description="早已逾期仍未办结")
    with unit_of_work() as session:
        make_agency(session, "czj")
    page = client.get("/statistics?year=2025").get_data(as_text=True)
    assert '<svg role="img"' in page
    assert 'id="by-year"' in page
    assert "示例市财政局" in page  # every agency, even without requests
    assert "%" not in page.split('id="by-agency"')[1].split("</table>")[0]  # two requests
    rows = list(csv.reader(io.StringIO(client.get("/statistics.csv?year=2025").get_data(
        as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "机关"
    gov = next(row for row in rows if row[0] == "示例市人民政府")
    # 2 received, 1 closed, 1 replied on time. Median: after 9-26 up to 10-21 there are 13
    # working days (国庆 1–8 October off, Sunday 9-28 and Saturday 10-11 worked), less the 5 of
    # the consultation (9-29 < d ≤ 10-13) = 8.
    assert gov[2:6] == ["2", "1", "1", "1"]
    assert gov[7] == "8.0"
    assert gov[8] == "1"  # the request from January is past its deadline and still open
    refused = client.get("/statistics?year=99999")
    assert refused.status_code == 400
    assert "参数 年度 应在 2008 至 2100 之间" in refused.get_data(as_text=True)
    assert client.get("/statistics.csv?year=abc").status_code == 400
    assert client.get("/statistics?year=").status_code == 200  # empty: the default year
    assert client.get("/statistics?agency=nosuch").status_code == 404
