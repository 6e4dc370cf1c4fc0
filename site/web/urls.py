"""Absolute URLs from the configuration only, and the canonical link of every page.

The site's public address is ``SITE_SCHEME://SITE_DOMAIN``. Feeds, the sitemap,
``robots.txt``, the ``Url`` meta tag, canonical links and the API's links are built on it and
never on the request's ``Host`` or forwarded headers, which any client can forge: a forged
host must not reach a cached page, and a feed's ids must not change with the name the site
was reached by.
"""

from __future__ import annotations

import builtins
from typing import Any
from urllib.parse import urlencode

from flask import Flask, current_app, has_request_context, request
from werkzeug.routing import IntegerConverter, Map

#: Query parameters that change nothing but the display (长辈版): not part of the canonical URL.
DISPLAY_PARAMETERS = frozenset({"elder"})
#: The largest id or number a URL may carry: PostgreSQL's INTEGER.
INT_CEILING = 2**31 - 1


def site_base() -> str:
    """``https://www.example.gov.cn``: the site's public address, without a slash."""
    config = current_app.config
    return f"{config['SITE_SCHEME']}://{config['SITE_DOMAIN']}"


def site_url(path: str) -> str:
    """The absolute public URL of a site path (``/documents/1``)."""
    return site_base() + (path if path.startswith("/") else "/" + path)


def canonical_url() -> str:
    """The public URL of the current page: its path and its meaningful parameters, sorted."""
    arguments = sorted((key, value) for key, values in request.args.lists()
                       for value in values if value and key not in DISPLAY_PARAMETERS)
    query = urlencode(arguments)
    return site_url(request.path) + (f"?{query}" if query else "")


class SiteFlask(Flask):
    """Flask whose external URLs (``url_for(..., _external=True)``, also outside a request)
    come from :func:`site_base`."""

    def url_for(self, endpoint: str, *, _anchor: str | None = None,
                _method: str | None = None, _scheme: str | None = None,
                _external: bool | None = None, **values: Any) -> str:
        external = _external if _external is not None else not has_request_context()
        if not external and _scheme is None:
            return super().url_for(endpoint, _anchor=_anchor, _method=_method, **values)
        if has_request_context():
            path = super().url_for(endpoint, _anchor=_anchor, _method=_method,
                                   _external=False, **values)
            return site_url(path)
        adapter = self.url_map.bind(self.config["SITE_DOMAIN"], script_name="/",
                                    url_scheme=self.config["SITE_SCHEME"])
        url = adapter.build(endpoint, values, method=_method, force_external=True)
        return url + (f"#{_anchor}" if _anchor else "")


def init_app(app: Flask) -> None:
    """Before any blueprint registers its rules: ``int`` URL parts get their ceiling."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.jinja_env.globals["canonical_url"] = canonical_url


class BoundedIntegerConverter(IntegerConverter):
    """``<int:…>`` with a ceiling: a number in a URL beyond what the database stores (SQLite
    raises ``OverflowError`` past 2⁶³−1, PostgreSQL's INTEGER ends at 2³¹−1) is a 404, not
    a 500. ``<int(max=…):…>`` still sets a lower ceiling of its own."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = None, signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min,
                         max=INT_CEILING if max is None else builtins.min(max, INT_CEILING),
                         signed=signed)
        # Digits beyond the ceiling's never reach int(): a 10,000-digit number is refused by
        # the pattern, not parsed.
        self.regex = r"\d{1,10}" if not signed else r"-?\d{1,10}"
