"""One validation policy for query parameters, on pages and in the API.

A parameter that is present but wrong is refused with a 400 and a Chinese message naming
it — never silently clamped or ignored, never a 500 (a number beyond the database's
integers, a date out of range, text too long). An absent or empty parameter takes its
default. The web layer renders the refusal as a page or as RFC 9457 ``problem+json``
(:mod:`.errors`), with every bad parameter listed under ``invalid_params``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from flask import Flask, request
from werkzeug.exceptions import NotFound

from opengov.site.exceptions import InvalidInputError

#: Far beyond any real page or id, well inside every database's integer.
INT_LIMIT = 2**31 - 1
#: Longest free text accepted in a parameter (a search query, a code).
TEXT_LIMIT = 200


class InvalidParameterError(InvalidInputError):
    """A query parameter with a value the endpoint cannot use."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.invalid_params = {name: message}


def _raw(name: str) -> str | None:
    value = request.args.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def int_arg(name: str, default: int, *, low: int = 0, high: int = INT_LIMIT,
            label: str = "") -> int:
    """``?name=`` as an integer in ``low..high``, ``default`` when absent or empty."""
    raw = _raw(name)
    if raw is None:
        return default
    label = label or name
    if not (raw.isascii() and (raw.isdigit() or (raw[:1] == "-" and raw[1:].isdigit()))) \
            or len(raw) > 12:
        raise InvalidParameterError(name, f"参数 {label} 应为整数，收到“{raw[:20]}”。")
    value = int(raw)
    if not low <= value <= high:
        raise InvalidParameterError(name, f"参数 {label} 应在 {low} 至 {high} 之间，收到 {value}。")
    return value


def optional_int_arg(name: str, *, low: int = 0, high: int = INT_LIMIT,
                     label: str = "") -> int | None:
    """``?name=`` as an integer, or None when absent or empty."""
    if _raw(name) is None:
        return None
    return int_arg(name, 0, low=low, high=high, label=label)


def int_list_arg(name: str, *, low: int = 0, high: int = INT_LIMIT, label: str = "",
                 most: int = 50) -> list[int]:
    """Every ``?name=`` as integers (``?year=2024&year=2025``); empty values are skipped."""
    values: list[int] = []
    label = label or name
    raw_values = [raw.strip() for raw in request.args.getlist(name) if raw.strip()]
    if len(raw_values) > most:
        raise InvalidParameterError(name, f"参数 {label} 最多 {most} 个。")
    for raw in raw_values:
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
            raise InvalidParameterError(name, f"参数 {label} 应为整数，收到“{raw[:20]}”。")
        value = int(raw)
        if not low <= value <= high:
            raise InvalidParameterError(
                name, f"参数 {label} 应在 {low} 至 {high} 之间，收到 {value}。")
        values.append(value)
    return values


def text_arg(name: str, default: str = "", *, longest: int = TEXT_LIMIT,
             label: str = "") -> str:
    """``?name=`` as stripped text of at most ``longest`` characters."""
    raw = _raw(name)
    if raw is None:
        return default
    if len(raw) > longest or "\x00" in raw:
        raise InvalidParameterError(name, f"参数 {label or name} 过长或含有无效字符"
                                          f"（最多 {longest} 个字）。")
    return raw


def choice_arg(name: str, choices: Collection[str], default: str, *, label: str = "") -> str:
    """``?name=`` as one of ``choices``."""
    raw = _raw(name)
    if raw is None:
        return default
    if raw not in choices:
        allowed = "、".join(sorted(choices))
        raise InvalidParameterError(name, f"参数 {label or name} 应为 {allowed} 之一，"
                                          f"收到“{raw[:20]}”。")
    return raw


def date_arg(name: str, *, label: str = "") -> dt.date | None:
    """``?name=YYYY-MM-DD`` as a date between 1949 and 2100, None when absent."""
    raw = _raw(name)
    if raw is None:
        return None
    try:
        value = dt.date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        value = None
    if value is None or not 1949 <= value.year <= 2100:
        raise InvalidParameterError(name, f"参数 {label or name} 应为 1949 至 2100 年间的日期"
                                          f"（YYYY-MM-DD），收到“{raw[:20]}”。")
    return value


def refuse_nul_characters() -> None:
    """Before every request: a NUL character in the URL's path or query string is nothing a
    person types, and PostgreSQL's text cannot hold one (``DataError``, a 500, wherever the
    value reaches a query): the path is a 404, a parameter a 400 naming it."""
    if "\x00" in request.path:
        raise NotFound()
    for name, value in request.args.items(multi=True):
        if "\x00" in name or "\x00" in value:
            shown = name.replace("\x00", "")[:40] or "?"
            raise InvalidParameterError(shown, f"参数 {shown} 含有无效字符。")


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_characters)
