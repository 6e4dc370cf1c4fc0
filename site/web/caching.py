"""Conditional GET, ``Cache-Control`` and compression of the site's answers.

Every successful ``GET`` of a public page, feed, sitemap or API endpoint gets an ``ETag``
(a hash of the body as sent) and answers ``304 Not Modified`` when the browser or a cache
already holds it; views that know when their content changed also send ``Last-Modified``.

- HTML pages: ``no-cache`` — stored, but revalidated on every visit, so a correction or a
  withdrawal is never served stale, and an unchanged page costs a 304;
- feeds, the sitemap, ``robots.txt`` and the API: ``public, max-age`` of
  ``CACHE_MAX_AGE_SECONDS`` (readers and aggregators poll them);
- pages with personal data or a query code are ``no-store`` (:mod:`.security`) and get no
  ``ETag``.

Bodies of text types are gzip-compressed when the client accepts it (``COMPRESS_RESPONSES``;
turn it off where nginx compresses). The ``ETag`` is that of the compressed bytes, which are
deterministic (no timestamp in the gzip header), so the two encodings never share a tag.
"""

from __future__ import annotations

import gzip
import hashlib

from flask import Flask, Response, current_app, request

from opengov.site.web.security import is_private_path

#: Smaller bodies are not worth compressing (headers cost about as much).
COMPRESS_MIN_BYTES = 1024
COMPRESSIBLE = ("text/", "application/json", "application/problem+json", "application/xml",
                "application/atom+xml", "application/javascript", "image/svg+xml")
#: Machine-read resources that may be cached for a while.
MACHINE_PREFIXES = ("/api/", "/feeds/", "/sitemap.xml", "/robots.txt")


def _cacheable(response: Response) -> bool:
    return (request.method == "GET" and response.status_code == 200
            and not response.direct_passthrough and not response.is_streamed
            and not is_private_path(request.path) and not request.path.startswith("/static/")
            and "Set-Cookie" not in response.headers)


def _machine_read(response: Response) -> bool:
    return request.path.startswith(MACHINE_PREFIXES) or response.mimetype in {
        "application/atom+xml", "application/xml", "application/json"}


def _compress(response: Response) -> None:
    if (not current_app.config["COMPRESS_RESPONSES"] or response.direct_passthrough
            or response.is_streamed or "Content-Encoding" in response.headers
            or not (response.mimetype or "").startswith(COMPRESSIBLE)
            or not request.accept_encodings["gzip"]):
        return
    response.vary.add("Accept-Encoding")
    body = response.get_data()
    if len(body) < COMPRESS_MIN_BYTES:
        return
    response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"


def finish_response(response: Response) -> Response:
    """Cache headers, compression and the conditional answer, in that order."""
    if request.method != "GET" or (response.status_code >= 300 and response.status_code != 304):
        return response
    cacheable = _cacheable(response)
    if cacheable and "Cache-Control" not in response.headers:
        if _machine_read(response):
            age = int(current_app.config["CACHE_MAX_AGE_SECONDS"])
            response.headers["Cache-Control"] = f"public, max-age={age}"
        else:
            response.headers["Cache-Control"] = "no-cache"
    _compress(response)
    if cacheable:
        if not response.get_etag()[0]:
            response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
        response.make_conditional(request)
    return response


def init_app(app: Flask) -> None:
    app.after_request(finish_response)
