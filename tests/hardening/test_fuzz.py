"""Fuzzing with Hypothesis: whatever a visitor types into the search form or the request
form — any Unicode, control characters, markup, huge numbers, wrong choices — the answer is
a page or a message, never a server error, and nothing typed comes back unescaped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opengov.site.db import unit_of_work
from tests.factories import make_agency, make_document

#: How many inputs each fuzz test tries; printed with the run's counts.
EXAMPLES = 120
COUNTS: Counter[str] = Counter()

FUZZ_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                         suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                HealthCheck.too_slow])

hostile_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=150, max_size=400),
    st.sampled_from(["<script>alert(1)</script>", "\x00", "9" * 30, "-1", "' OR 1=1 --",
                     "title:(*)", '"政务', "政务 AND OR NOT", "*?", "\u202e", "𠀀𠀁", ""]),
)
numberish = st.one_of(st.integers(min_value=-(2**70), max_value=2**70).map(str), hostile_text)


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    app_config.update(REQUEST_MIN_FILL_SECONDS=0, REQUEST_SUBMIT_LIMIT=100_000)
    return app_config


@pytest.fixture
def site(app: Flask) -> Iterator[Flask]:
    with app.app_context(), unit_of_work() as session:
        make_agency(session, "czj")
        make_document(session, title="关于规范公务用车管理的通知")
    runner = app.test_cli_runner()
    from opengov.site.cli import main

    assert runner.invoke(main, ["index", "rebuild"]).exit_code == 0
    return app


def _unescaped(value: str, html: str) -> bool:
    """``value`` carries markup and appears in the page as it was typed."""
    return "<" in value and re.search(r"<[a-zA-Z/!]", value) is not None and value in html


def test_search_form_and_api_never_fail(site: Flask) -> None:
    client = site.test_client()

    @FUZZ_SETTINGS
    @given(q=hostile_text, page=numberish, sort=hostile_text, year=numberish,
           agency=hostile_text, size=numberish)
    def search(q: str, page: str, sort: str, year: str, agency: str, size: str) -> None:
        args = {"q": q, "page": page, "sort": sort, "year": year, "agency": agency}
        response = client.get("/search", query_string=args)
        COUNTS["search page"] += 1
        assert response.status_code in {200, 400}, (args, response.status_code)
        assert not _unescaped(q, response.get_data(as_text=True))
        api = client.get("/api/v1/search", query_string={**args, "size": size})
        COUNTS["search API"] += 1
        assert api.status_code in {200, 400}, (args, api.status_code)
        body = api.get_json()
        assert body is not None
        if api.status_code == 400:
            assert api.mimetype == "application/problem+json"
            assert body["detail"]

    search()


APPLICANT_KINDS = st.sampled_from(["自然人", "法人或其他组织", "", "其他"])
ID_TYPES = st.sampled_from(["居民身份证", "统一社会信用代码", "护照", ""])


def test_request_form_never_fails_and_keeps_what_was_typed(site: Flask) -> None:
    client = site.test_client()
    with site.app_context():
        from opengov.site.agencies import service as agencies

        agency_id = str(agencies.all_agencies()[0].id)
    page = client.get("/requests/new").get_data(as_text=True)
    started = re.search(r'name="started" type="hidden" value="([^"]+)"', page)
    assert started is not None

    @FUZZ_SETTINGS
    @given(agency=st.one_of(st.just(agency_id), numberish), kind=APPLICANT_KINDS,
           id_type=ID_TYPES, name=hostile_text, id_number=hostile_text, phone=hostile_text,
           email=hostile_text, address=hostile_text, description=hostile_text,
           postcode=numberish, action=st.sampled_from(["review", "edit", "submit", "", "x"]),
           carrier=st.sampled_from(["电子", "纸质", "", "x"]),
           delivery=st.sampled_from(["电子邮件", "邮寄", "自行领取", "", "x"]))
    def submit(agency: str, kind: str, id_type: str, name: str, id_number: str, phone: str,
               email: str, address: str, description: str, postcode: str, action: str,
               carrier: str, delivery: str) -> None:
        data = {"agency": agency, "applicant_kind": kind, "org_type": "", "name": name,
                "id_type": id_type, "id_number": id_number, "phone": phone, "email": email,
                "address": address, "postcode": postcode, "doc_title": "", "doc_number": "",
                "description": description, "carrier": carrier, "delivery": delivery,
                "started": started.group(1), "website": "", "action": action}
        response = client.post("/requests/new", data=data)
        COUNTS["request form"] += 1
        assert response.status_code in {200, 409, 422, 429}, (data, response.status_code)
        html = response.get_data(as_text=True)
        for value in (name, address, description):
            assert not _unescaped(value, html)
        if response.status_code == 422 and address.strip() and "\x00" not in address \
                and "\r" not in address:
            # Refused: what was typed is still in the form, escaped as HTML.
            from markupsafe import escape

            assert str(escape(address.strip())) in html or str(escape(address)) in html

    submit()


def test_fuzz_counts_are_reported(capsys: pytest.CaptureFixture[str]) -> None:
    """Runs last in this module: prints how many inputs the fuzz tests sent."""
    with capsys.disabled():
        print(f"\nfuzz inputs: {dict(COUNTS)}")
