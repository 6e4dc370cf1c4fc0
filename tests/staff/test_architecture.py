"""Architecture: every staff route needs signing in and the right role (every role × route).

The routes are read from ``app.url_map``, so a route added later is covered without
touching this test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from opengov.site.accounts.rules.roles import Role
from opengov.site.web.staff import ANY_STAFF_ENDPOINTS, PUBLIC_ENDPOINTS, REQUIRED_ROLES
from tests.staff.conftest import sign_in

_DUMMY = {"Integer": 999999, "BoundedInteger": 999999, "Float": 1.0, "UUID": "00000000-0000-0000-0000-000000000000"}


def _staff_rules(app: Flask) -> Iterator[Rule]:
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("staff."):
            yield rule


def _url(rule: Rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__.replace("Converter", "")
        values[name] = _DUMMY.get(converter, "x")
    return rule.build(values, append_unknown=False)[1]  # type: ignore[index]


def _requests(app: Flask) -> list[tuple[str, str, str]]:
    result = []
    for rule in _staff_rules(app):
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            result.append((rule.endpoint, method, _url(rule)))
    return result


def test_every_staff_endpoint_declares_its_roles(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in _staff_rules(app)}
    assert endpoints, "no staff routes found"
    undeclared = endpoints - set(REQUIRED_ROLES) - ANY_STAFF_ENDPOINTS - PUBLIC_ENDPOINTS
    assert undeclared == set(), "declare these with staff_route(..., roles=[...])"
    assert {"staff.login", "staff.login_second_factor"} == PUBLIC_ENDPOINTS


def test_anonymous_visitors_are_sent_to_sign_in(app: Flask, client: FlaskClient) -> None:
    for endpoint, method, url in _requests(app):
        if endpoint in PUBLIC_ENDPOINTS:
            continue
        response = client.open(url, method=method)
        assert response.status_code == 302, (endpoint, method, url, response.status_code)
        assert "/staff/login" in response.headers["Location"], (endpoint, method)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_exactly_its_routes(
        app: Flask, client: FlaskClient, make_user: Callable[..., object], role: Role) -> None:
    make_user(f"only-{role.value}", role)
    sign_in(client, f"only-{role.value}")
    checked = 0
    for endpoint, method, url in _requests(app):
        if endpoint in PUBLIC_ENDPOINTS or endpoint == "staff.logout":
            continue
        needed = REQUIRED_ROLES.get(endpoint, frozenset({Role.ADMIN}))
        allowed = endpoint in ANY_STAFF_ENDPOINTS or role == Role.ADMIN or role in needed
        response = client.open(url, method=method)
        location = response.headers.get("Location", "")
        if allowed:
            assert response.status_code != 403, (endpoint, method)
            assert "/staff/login" not in location, (endpoint, method)
        else:
            assert response.status_code == 403, (endpoint, method, response.status_code)
        checked += 1
    assert checked > 0


def test_staff_pages_are_not_cached_or_framed(client: FlaskClient,
                                              make_user: Callable[..., object]) -> None:
    make_user("li", Role.EDITOR)
    sign_in(client, "li")
    response = client.get("/staff/")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"
