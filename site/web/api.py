"""The JSON API blueprint, versioned under /api/v1; features register their endpoints on it.

Shared by every endpoint:

- read-only and anonymous, so any web page may read it: CORS for ``GET``/``HEAD`` from any
  origin (no cookies are involved), with the pre-flight ``OPTIONS`` answered;
- errors as RFC 9457 ``application/problem+json`` in Chinese (:mod:`.errors`) and bad
  parameters refused with a 400 listing them (:mod:`.params`);
- lists paginated with ``page``/``size`` and RFC 8288 ``Link`` headers (``first``, ``prev``,
  ``next``, ``last``), the same links in the body under ``links``;
- described by the OpenAPI 3.1 document at ``/api/v1/openapi.json`` (:mod:`.openapi`).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, request, url_for

bp = Blueprint("api", __name__, url_prefix="/api/v1")

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match, "
                                    "If-Modified-Since",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Link, Retry-After",
    "Access-Control-Max-Age": "86400",
}


@bp.after_request
def cors(response: Response) -> Response:
    for name, value in CORS_HEADERS.items():
        response.headers.setdefault(name, value)
    # The API is data, not a page: no framing, no sniffing, and no policy scripts could use.
    response.headers.setdefault("Content-Security-Policy",
                                "default-src 'none'; frame-ancestors 'none'")
    return response


def page_links(endpoint: str, page: int, pages: int, **values: Any) -> dict[str, str]:
    """Absolute links to the first, previous, next and last page of a list (``values`` are
    the other query parameters, kept as given)."""
    kept = {key: value for key, value in values.items() if value not in (None, "")}

    def link(number: int) -> str:
        return url_for(endpoint, _external=True, **kept, page=number)

    links = {"self": link(page), "first": link(1), "last": link(max(pages, 1))}
    if page > 1:
        links["prev"] = link(min(page - 1, max(pages, 1)))
    if page < pages:
        links["next"] = link(page + 1)
    return links


def with_page_links(response: Response, links: dict[str, str]) -> Response:
    """The RFC 8288 ``Link`` header of ``links``."""
    response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"'
                                         for rel, url in links.items() if rel != "self")
    return response


def init_app(app: Flask) -> None:
    """Pre-flight requests from other origins are answered for every API path."""

    @app.before_request
    def preflight() -> Response | None:
        if request.method == "OPTIONS" and request.path.startswith(bp.url_prefix or ""):
            response = Response(status=204)
            response.headers.update(CORS_HEADERS)
            return response
        return None
