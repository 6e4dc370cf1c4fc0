"""Response headers a public government site sends with every answer (等保 2.0, OWASP).

- a strict ``Content-Security-Policy``: scripts and styles only from the site's own files,
  a per-response nonce for the rare script that must be inline (``csp_nonce()`` in
  templates), nothing framed (``frame-ancestors 'none'``), forms post only to the site;
- ``X-Content-Type-Options``, ``Referrer-Policy``, ``Permissions-Policy``,
  ``X-Frame-Options`` (for browsers without ``frame-ancestors``), and HSTS over HTTPS;
- ``Cache-Control: no-store`` on every page that may show personal data or a query code
  (the 依申请公开 and 投诉举报 pages, 找错, the back office) and on every answer to a form,
  so neither a shared nor the browser's cache keeps them;
- the session cookie ``SameSite=Lax`` and ``Secure`` whenever the request came over HTTPS
  (``SESSION_COOKIE_SECURE = auto``; behind a proxy, as ``TRUSTED_PROXIES`` tells);
- ``HEAD`` answered exactly as ``GET`` (:class:`HeadAsGet`), so that a view that tells GET
  from POST never mistakes a HEAD for a submission.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from flask import Flask, Request, Response, g, request
from flask.sessions import SecureCookieSessionInterface

#: Paths whose pages may carry personal data or a query code: never stored by any cache
#: (依申请公开 and 投诉举报 with their query codes, 找错, the back office).
PRIVATE_PREFIXES = ("/requests/", "/complaints/", "/staff/", "/report-error", "/staff")

PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
    "microphone", "midi", "payment", "usb", "interest-cohort"))


def csp_nonce() -> str:
    """The nonce of this response's policy; a template writes ``nonce="{{ csp_nonce() }}"``
    on the one inline script that cannot live in ``static/``."""
    nonce: str | None = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(16)
    return nonce


def content_security_policy(nonce: str | None) -> str:
    scripts = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    return "; ".join((
        "default-src 'self'",
        f"script-src {scripts}",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


def is_private_path(path: str) -> bool:
    return path.startswith(PRIVATE_PREFIXES)


def secure_headers(response: Response) -> Response:
    """Add the headers above; a view's own stricter choice (an attachment's sandboxing
    policy, the staff pages' referrer rule) is kept."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(g.get("csp_nonce")))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    # The answer to a form (a comment on a draft, a 好差评 with a telephone number for the
    # call-back) may show back what was typed.
    if is_private_path(request.path) or request.method == "POST":
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


class SiteSessionInterface(SecureCookieSessionInterface):
    """The signed cookie session, ``Secure`` when the request came over HTTPS and the
    setting is ``auto`` (a site served over plain HTTP in development still signs in)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        setting = app.config["SESSION_COOKIE_SECURE"]
        if setting == "auto":
            return bool(request.is_secure)
        return bool(setting)


def cookie_secure() -> bool:
    """Whether cookies set now carry ``Secure`` (for cookies set by hand)."""
    from flask import current_app

    interface = current_app.session_interface
    if isinstance(interface, SiteSessionInterface):
        return interface.get_cookie_secure(current_app)
    return bool(current_app.config.get("SESSION_COOKIE_SECURE"))


class HeadAsGet:
    """WSGI middleware: a ``HEAD`` runs the ``GET`` view and its body is dropped, headers
    (``Content-Length`` included) as for the ``GET``."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "HEAD":
            result: Iterable[bytes] = self.app(environ, start_response)
            return result
        environ = dict(environ, REQUEST_METHOD="GET")
        environ["opengov.head"] = True
        body = self.app(environ, start_response)
        close = getattr(body, "close", None)
        if close is not None:
            close()
        return []


def is_head(current: Request) -> bool:
    return bool(current.environ.get("opengov.head"))


def init_app(app: Flask) -> None:
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.session_interface = SiteSessionInterface()
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(secure_headers)
    app.wsgi_app = HeadAsGet(app.wsgi_app)  # type: ignore[method-assign]
