"""Valid HTML on every page type, forms included: the Nu Html Checker (vnu.jar, the W3C's
validator; npm package ``vnu-jar``, run with Java) reads the pages the site serves — public,
the request form and its steps, error pages, and the back office signed in with every role —
and finds no error. Slow: it starts a JVM. ``scripts/test`` installs the checker."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from opengov.site.accounts.rules.roles import Role
from opengov.site.config import PROJECT_ROOT
from opengov.site.personal_data import key_from_secret
from tests.architecture.test_routes import populated
from tests.conftest import TEST_PASSWORD
from tests.hardening import pages

__all__ = ["populated"]

pytestmark = [pytest.mark.slow]

VNU_JAR = Path(os.environ.get(
    "OPENGOV_VNU_JAR", PROJECT_ROOT / ".stamps/vnu/node_modules/vnu-jar/build/dist/vnu.jar"))

PUBLIC_PAGES = ["/", "/search", "/search?q=政务公开", "/guide", "/catalog", "/agencies",
                "/agencies/czj", "/columns/policies", "/fiscal/", "/fiscal/sangong",
                "/statistics", "/sitemap", "/standard-catalog", "/requests/new",
                "/requests/status", "/report-error", "/no-such-page", "/staff/login"]
STAFF_PAGES = ["/staff/", "/staff/documents", "/staff/documents/new", "/staff/review",
               "/staff/users", "/staff/users/new", "/staff/audit", "/staff/agencies",
               "/staff/agencies/new", "/staff/categories", "/staff/columns/new",
               "/staff/standard-catalog", "/staff/error-reports", "/staff/search/synonyms",
               "/staff/search/popular", "/staff/fiscal/", "/staff/fiscal/import",
               "/staff/requests", "/staff/requests/new", "/staff/calendar", "/staff/reports",
               "/staff/review-cases", "/staff/account/password", "/staff/account/second-factor"]


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    # The back office shows commenters' and complainants' contacts, encrypted at rest.
    app_config["PERSONAL_DATA_KEY"] = key_from_secret("nu checker")
    return app_config


def _page_type(url: str) -> str:
    parts = [part for part in url.split("?")[0].split("/") if part]
    return "/" + "/".join(parts[:2]) if parts else "/"


@pytest.mark.skipif(shutil.which("java") is None, reason="needs Java for vnu.jar")
def test_the_nu_checker_finds_no_error_on_any_page_type(
        populated: Flask, make_user: Callable[..., Any], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} missing: scripts/test installs the npm package vnu-jar")
    app = populated
    client = app.test_client()
    files: dict[Path, str] = {}

    def save(url: str, html: str) -> None:
        path = tmp_path / f"page-{len(files):03d}.html"
        path.write_text(html, encoding="utf-8")
        files[path] = url

    for url in PUBLIC_PAGES + pages.PUBLIC_PAGES + pages.detail_pages(client):
        response = client.get(url)
        assert response.mimetype == "text/html", url
        save(url, response.get_data(as_text=True))
    # The request form's steps: errors beside fields, the review page.
    errors = client.post("/requests/new", data={"action": "review", "name": ""})
    save("/requests/new (errors)", errors.get_data(as_text=True))
    make_user("everyone", *Role)
    client.post("/staff/login", data={"username": "everyone", "password": TEST_PASSWORD})
    for url in STAFF_PAGES + pages.STAFF_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        save(url, response.get_data(as_text=True))
    document = client.get("/staff/documents").get_data(as_text=True)
    first = document.split('href="/staff/documents/')[1].split('"')[0]
    for suffix in ("", "/edit", "/versions", "/attachments"):
        response = client.get(f"/staff/documents/{first}{suffix}")
        if response.status_code == 200:
            save(f"/staff/documents/<id>{suffix}", response.get_data(as_text=True))

    result = subprocess.run(
        ["java", "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--errors-only",
         *map(str, files)], capture_output=True, text=True, timeout=600, check=False)
    report = json.loads(result.stderr or '{"messages": []}')
    problems = [(files[Path(message["url"].removeprefix("file:"))], message["message"],
                 message.get("extract", "")) for message in report["messages"]
                if message.get("type") == "error"]
    by_type = Counter(_page_type(url) for url in files.values())
    failing = Counter(_page_type(url) for url, _message, _extract in problems)
    with capsys.disabled():
        print(f"\nNu Html Checker: {len(files)} pages, {len(by_type)} page types, "
              f"{len(problems)} errors")
        for page_type in sorted(by_type):
            print(f"  {page_type}: {by_type[page_type]} pages, {failing[page_type]} errors")
    assert not problems, "\n".join(f"{url}: {message} [{extract}]"
                                   for url, message, extract in problems[:40])
