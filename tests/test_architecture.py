"""Site-wide architecture rules (design.md §7)."""

from __future__ import annotations

from flask import Flask

SAFE = {"GET", "HEAD", "OPTIONS"}


def test_public_routes_only_read_except_the_request_pages(app: Flask) -> None:
    """The public blueprint writes only through the 依申请公开 pages: the form, and the
    status pages that carry the query code in a POST body rather than in the URL."""
    writers = {rule.endpoint for rule in app.url_map.iter_rules()
               if rule.endpoint.startswith("public.") and set(rule.methods or ()) - SAFE}
    assert writers
    assert all(endpoint.startswith("public.request_") for endpoint in writers), writers


def test_api_is_read_only(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            assert set(rule.methods or ()) <= SAFE, rule
