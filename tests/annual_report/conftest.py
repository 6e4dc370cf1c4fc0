"""A year of real requests, filed and answered through the request services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from sqlalchemy.orm import Session

from opengov.site.db import unit_of_work
from opengov.site.personal_data import key_from_secret
from opengov.site.reports.rules import APPLICANT_COLUMNS
from opengov.site.requests.models import InfoRequest
from opengov.site.requests.rules.clock import Channel, EventKind
from opengov.site.requests.rules.outcomes import Outcome
from opengov.site.requests.service import handling as request_service
from tests.factories import VALID_USCC, make_agency, make_application

D = dt.date


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    app_config["PERSONAL_DATA_KEY"] = key_from_secret("annual report tests")
    return app_config


def file(session: Session, received: dt.date, column: str, agency: str = "gov",
         number: int = 0) -> InfoRequest:
    """A request by an applicant of ``column`` (自然人 or a kind of organisation)."""
    if column == "自然人":
        application = make_application(description=f"申请事项{received}-{number}")
    else:
        application = make_application(applicant_kind="法人或其他组织", org_type=column,
                                       name=f"{column}甲", id_type="统一社会信用代码",
                                       id_number=VALID_USCC,
                                       description=f"申请事项{received}-{number}")
    filed, _ = request_service.file_request(session, make_agency(session, agency), application,
                                            Channel.IN_PERSON, received,
                                            refuse_duplicates=False)
    return filed


def close(session: Session, filed: InfoRequest, outcome: Outcome, on: dt.date) -> None:
    """Take a request to its reply (or lapse) through the real state machine."""
    record = request_service.record
    received = filed.receipt_date
    assert received is not None
    if outcome is Outcome.CORRECTION_LAPSED:
        record(session, filed, EventKind.CORRECTION_REQUESTED, received,
               {"deadline": received + dt.timedelta(days=10), "matters": "请说明所需信息"})
        record(session, filed, EventKind.CORRECTION_LAPSED, on)
        return
    if outcome is Outcome.FEE_LAPSED:
        record(session, filed, EventKind.FEE_NOTICE, received,
               {"fee_yuan": "100", "received_on": received})
        record(session, filed, EventKind.FEE_LAPSED, on)
        return
    record(session, filed, EventKind.DECIDED, on, {"outcome": outcome.value, "detail": "见附件"})
    record(session, filed, EventKind.SIGNED_OFF, on, {"signer": "签发人"})
    record(session, filed, EventKind.REPLIED, on, {"delivery": "邮寄"})


def build_year() -> dict[str, InfoRequest]:
    """2025 for 示例市人民政府: every outcome once (applicant columns in turn), one
    carried in from 2024, two carried out to 2026, one fee of 300元 paid in 2025.
    Filed and answered in one unit of work (needs an app context)."""
    with unit_of_work() as session:
        return _build_year(session)


def _build_year(session: Session) -> dict[str, InfoRequest]:
    columns = itertools.cycle(APPLICANT_COLUMNS)
    made: dict[str, InfoRequest] = {}
    for position, outcome in enumerate(Outcome):
        filed = file(session, D(2025, 3, 3), next(columns), number=position)
        close(session, filed, outcome, D(2025, 4, 30))
        made[outcome.value] = filed
    carried_in = file(session, D(2024, 12, 20), "自然人", number=100)
    close(session, carried_in, Outcome.DISCLOSED, D(2025, 1, 10))
    made["carried_in"] = carried_in
    made["open"] = file(session, D(2025, 12, 29), "科研机构", number=101)
    made["open_since_2024"] = file(session, D(2024, 12, 30), "法律服务机构", number=102)
    paying = file(session, D(2025, 6, 2), "商业企业", number=103)
    request_service.record(session, paying, EventKind.FEE_NOTICE, D(2025, 6, 3),
                           {"fee_yuan": "300", "received_on": D(2025, 6, 4)})
    request_service.record(session, paying, EventKind.FEE_PAID, D(2025, 6, 10))
    close(session, paying, Outcome.PARTLY_DISCLOSED, D(2025, 6, 30))
    made["paying"] = paying
    # Received and closed outside 2025, and one for a department: not counted.
    close(session, file(session, D(2024, 3, 1), "自然人", number=104), Outcome.DISCLOSED,
          D(2024, 3, 20))
    file(session, D(2025, 5, 5), "自然人", agency="czj", number=105)
    return made
