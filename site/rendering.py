"""Markdown → safe HTML: Python-Markdown renders, nh3 (Ammonia) sanitises.

One pipeline for public pages and the editor's preview, so what staff preview is exactly
what citizens see.
"""

from __future__ import annotations

import markdown
import nh3
from markupsafe import Markup

_EXTENSIONS = ["extra", "sane_lists", "toc"]

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "abbr": {"title"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text: str) -> Markup:
    """Sanitised HTML of a Markdown text; raw HTML, scripts and ``javascript:`` links removed."""
    html = markdown.markdown(text, extensions=_EXTENSIONS, output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704 — sanitised by nh3 just above


def plain_text(text: str, limit: int | None = None) -> str:
    """The text of a Markdown document without markup, for descriptions and feeds."""
    stripped = nh3.clean(markdown.markdown(text), tags=set())
    stripped = " ".join(stripped.split())
    if limit is not None and len(stripped) > limit:
        return stripped[: limit - 1] + "…"
    return stripped
