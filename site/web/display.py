"""长辈版 (older-reader mode): larger text and higher contrast, switched without JavaScript.

``?elder=1`` turns it on and ``?elder=0`` off on any page; the choice is kept in a cookie so
it follows the reader around the site (rules.md §6.4).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Response, request

from opengov.site.web.public import bp

ELDER_PARAM = "elder"
ELDER_COOKIE = "opengov_elder"
_ONE_YEAR = 365 * 24 * 3600


def _requested() -> str | None:
    value = request.args.get(ELDER_PARAM)
    return value if value in {"0", "1"} else None


def elder_mode() -> bool:
    """Whether this response is rendered in 长辈版."""
    requested = _requested()
    if requested is not None:
        return requested == "1"
    return request.cookies.get(ELDER_COOKIE) == "1"


def elder_toggle_url() -> str:
    """The current page with the mode switched the other way."""
    args = {key: value for key, value in request.args.items() if key != ELDER_PARAM}
    args[ELDER_PARAM] = "0" if elder_mode() else "1"
    return f"{request.path}?{urlencode(args)}"


@bp.app_context_processor
def display_context() -> dict[str, Any]:
    return {"elder_mode": elder_mode, "elder_toggle_url": elder_toggle_url}


@bp.after_app_request
def remember_display_mode(response: Response) -> Response:
    requested = _requested()
    if requested is not None:
        response.set_cookie(ELDER_COOKIE, requested, max_age=_ONE_YEAR, httponly=True,
                            samesite="Lax")
    return response
