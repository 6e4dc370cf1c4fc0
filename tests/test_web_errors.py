"""A service's refusal reaches people as a Chinese error page and the API as JSON, with the
status that names it (404, 403, 400, 409) and the service's own message."""

from __future__ import annotations

import pytest
from flask import Flask

from opengov.site.exceptions import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    ServiceError,
)
from opengov.site.web.errors import MESSAGES
from tests.public.html import parse

REFUSALS = [
    (NotFoundError("没有这个机关"), 404),
    (ForbiddenError("只能查看本机关的申请"), 403),
    (InvalidInputError("截止日期不能早于收到日期"), 400),
    (ConflictError("该申请已办结，不能再补正"), 409),
]


def _raising_route(app: Flask, rule: str, error: ServiceError) -> None:
    def refuse() -> str:
        raise error

    app.add_url_rule(rule, rule.strip("/").replace("/", "_"), refuse)


@pytest.mark.parametrize(("error", "status"), REFUSALS)
def test_refusals_are_pages_with_their_message(app: Flask, error: ServiceError,
                                                status: int) -> None:
    _raising_route(app, "/refused-for-test", error)
    response = app.test_client().get("/refused-for-test")
    assert response.status_code == status
    page = parse(response.get_data(as_text=True))
    assert error.message in page.texts("p")
    assert f"错误代码：{status}" in page.texts("p")


@pytest.mark.parametrize(("error", "status"), REFUSALS)
def test_refusals_under_the_api_are_json(app: Flask, error: ServiceError, status: int) -> None:
    _raising_route(app, "/api/v1/refused-for-test", error)
    response = app.test_client().get("/api/v1/refused-for-test")
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.get_json() == {"type": "about:blank", "title": MESSAGES[status],
                                   "status": status, "detail": error.message,
                                   "instance": "/api/v1/refused-for-test"}
