"""Every public page and API endpoint, found from the URL map, answers without a server error
and without writing to the database.

The site is set up as a user sets it up (``import-content``, ``import-fiscal``,
``import-service-items``, ``import-powers``, ``index process``); then the pages are crawled from
the routes without parameters, and every GET route of the public and API blueprints that the crawl
did not reach is requested with parameter values the crawl saw. A route whose parameter no page
ever links to fails the test until a sample is added to :data:`EXTRA_SAMPLES`, so a new route
cannot escape the walk.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Rule

from opengov.site.cli import main
from opengov.site.config import PROJECT_ROOT

#: Values for parameters that no public page links to: a letter needs the query code; the seed
#: content carries no attachments; the few items with blank forms may lie beyond the crawl.
EXTRA_SAMPLES: dict[str, list[Any]] = {"letter_id": [1], "attachment_id": [1], "file_id": [1]}
#: Pages that take their subject from the query string, which links rarely carry.
EXTRA_STARTS = ["/search?q=政务公开", "/api/v1/search?q=政府信息公开条例", "/columns/policies?page=2",
                "/api/v1/documents?page=2&size=5"]
AUDIENCES = ("public.", "api.", "health.")
MAX_PAGES = 1500
#: Pages fetched per endpoint at most: the crawl goes wide over the routes, not deep into a list.
PER_ENDPOINT = 12
HREF = re.compile(r"""(?:href|src)="([^"#]+)""")


def _get_rules(app: Flask) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith(AUDIENCES) and "GET" in (rule.methods or ())]


@pytest.fixture
def populated(app: Flask) -> Flask:
    runner = app.test_cli_runner()
    for args in (["import-content", str(PROJECT_ROOT / "content")],
                 ["import-fiscal", str(PROJECT_ROOT / "content" / "fiscal")],
                 ["standard-catalog", "load", str(PROJECT_ROOT / "content" / "standard_catalog")],
                 ["import-consultations", str(PROJECT_ROOT / "content" / "consultations")],
                 ["import-service-items", str(PROJECT_ROOT / "content")],
                 ["import-powers", str(PROJECT_ROOT / "content")],
                 ["index", "rebuild"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
    return app


class Walk:
    """What the crawl fetched: status per URL, parameter values seen per name."""

    def __init__(self, app: Flask, client: FlaskClient) -> None:
        self.app = app
        self.client = client
        self.adapter = app.url_map.bind("localhost")
        self.status: dict[str, int] = {}
        self.endpoints: set[str] = set()
        self.values: dict[str, list[Any]] = defaultdict(list)

    def match(self, url: str) -> tuple[str, dict[str, Any]] | None:
        parts = urlsplit(url)
        try:
            endpoint, arguments = self.adapter.match(parts.path, method="GET",
                                                     query_args=parts.query)
        except (NotFound, MethodNotAllowed):
            return None
        return str(endpoint), arguments

    def fetch(self, url: str) -> str:
        response = self.client.get(url)
        self.status[url] = response.status_code
        found = self.match(url)
        if found is not None:
            endpoint, arguments = found
            self.endpoints.add(endpoint)
            for name, value in arguments.items():
                if value not in self.values[name]:
                    self.values[name].append(value)
        if response.mimetype == "text/html":
            return response.get_data(as_text=True)
        return ""

    def crawl(self, start: list[str]) -> None:
        queue = list(start)
        queued: set[str] = set(start)
        queued_per_endpoint: dict[str, int] = defaultdict(int)
        while queue and len(self.status) < MAX_PAGES:
            url = queue.pop(0)
            if url in self.status:
                continue
            for link in HREF.findall(self.fetch(url)):
                target = urljoin(url, link.replace("&amp;", "&"))
                parts = urlsplit(target)
                if parts.netloc or not parts.path.startswith("/"):
                    continue
                if parts.path.startswith(("/staff", "/static")):
                    continue
                local = parts.path + (f"?{parts.query}" if parts.query else "")
                if local in self.status or local in queued:
                    continue
                found = self.match(local)
                if found is None or queued_per_endpoint[found[0]] >= PER_ENDPOINT:
                    continue
                queued_per_endpoint[found[0]] += 1
                queued.add(local)
                queue.append(local)

    def samples(self, rule: Rule) -> Iterator[dict[str, Any]]:
        names = sorted(rule.arguments)
        choices = []
        for name in names:
            values = self.values.get(name) or EXTRA_SAMPLES.get(name)
            if not values:
                pytest.fail(f"no page links to {rule.rule}: add a sample for '{name}' "
                            "to EXTRA_SAMPLES")
            choices.append(values[:3])
        for combination in itertools.product(*choices):
            yield dict(zip(names, combination, strict=True))


def _data_version(database: Path) -> int:
    with sqlite3.connect(database) as observer:
        return int(observer.execute("PRAGMA data_version").fetchone()[0])


def test_every_public_page_and_api_endpoint_answers_and_writes_nothing(
        populated: Flask, database_url: str) -> None:
    app = populated
    client = app.test_client()
    observer = None
    if database_url.startswith("sqlite:///"):
        # data_version changes for this connection whenever another connection commits.
        observer = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        before = int(observer.execute("PRAGMA data_version").fetchone()[0])
    walk = Walk(app, client)
    rules = _get_rules(app)
    with app.test_request_context():
        walk.crawl([rule.rule for rule in rules if not rule.arguments] + EXTRA_STARTS)
        for rule in rules:
            if rule.endpoint in walk.endpoints:
                continue
            for arguments in walk.samples(rule):
                walk.fetch(app.url_for(rule.endpoint, **arguments))
    failures = {url: status for url, status in walk.status.items() if status >= 500}
    assert not failures
    assert {rule.endpoint for rule in rules} <= walk.endpoints
    assert len(walk.status) > 60  # the crawl went through the content, not just the roots
    if observer is not None:
        after = int(observer.execute("PRAGMA data_version").fetchone()[0])
        observer.close()
        assert after == before, "a GET wrote to the database"


def test_public_pages_other_than_the_request_forms_only_read(app: Flask) -> None:
    """The public blueprint accepts other methods only on the forms citizens send: the
    依申请公开 and 投诉举报 forms and status pages (which carry the query code in a POST body
    rather than in the URL), comments on a draft (征求意见), the 找错 form and the 好差评 forms
    (rating an item; rating a closed request with its query code)."""
    safe = {"GET", "HEAD", "OPTIONS"}
    writers = {rule.endpoint for rule in app.url_map.iter_rules()
               if rule.endpoint.startswith("public.") and set(rule.methods or ()) - safe}
    views = {app.view_functions[endpoint].__module__ for endpoint in writers}
    assert views <= {"opengov.site.requests.views.public", "opengov.site.complaints.views.public",
                     "opengov.site.consultations.views.public", "opengov.site.error_reports.views",
                     "opengov.site.ratings.views.public"}, views


def test_the_api_is_read_only(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            assert set(rule.methods or ()) <= {"GET", "HEAD", "OPTIONS"}, rule
