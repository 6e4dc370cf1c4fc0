"""The site's log: one handler on standard error, plain text or JSON lines, a request id on
every line, no personal data, and an access line per request.

Under systemd standard error goes to the journal (``journalctl -u opengov-web``); a log
collector reads the JSON lines. The ``opengov`` logger and its children (every module's
``logging.getLogger(__name__)``) write through the handler installed here; gunicorn's own
error log goes to the same standard error.

Personal data never belongs in a log line (callers name records, not what they hold), and
the formatter blanks e-mail addresses, 居民身份证号码 and mobile numbers that slip into a
message anyway, so that a careless ``%s`` of a form value cannot leak them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from typing import Any

from flask import Flask, Response, g, request

from opengov.site import clock

#: The logger every module of the site logs under.
ROOT_LOGGER = "opengov"
#: One line per request, when ACCESS_LOG is on.
ACCESS_LOGGER = "opengov.access"
#: The header carrying the request id: taken from the proxy (nginx sets ``$request_id``)
#: when well-formed, made up otherwise, and sent back to the client.
REQUEST_ID_HEADER = "X-Request-ID"

_REQUEST_ID: ContextVar[str] = ContextVar("opengov_request_id", default="-")
_WELL_FORMED_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

#: Personal data that must not reach a log line even by mistake (order matters: an ID
#: number contains a run of digits that could look like a phone number).
_PERSONAL = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"), "[id-number]"),
    (re.compile(r"(?<!\d)\d{15}(?!\d)"), "[id-number]"),
    (re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"), "[phone]"),
)
#: Marks the handler this module installed, so that a second app in the same process
#: (tests, the CLI) replaces it instead of adding another.
_HANDLER_MARK = "_opengov_handler"


def redact(text: str) -> str:
    """``text`` with e-mail addresses, ID numbers and mobile numbers blanked out."""
    for pattern, replacement in _PERSONAL:
        text = pattern.sub(replacement, text)
    return text


def current_request_id() -> str:
    """The id of the request being served, ``-`` outside a request."""
    return _REQUEST_ID.get()


class RequestIdFilter(logging.Filter):
    """Gives every record the current request id as ``record.request_id``."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _REQUEST_ID.get()
        return True


def _beijing_time(record: logging.LogRecord) -> str:
    """When the record was made, in 北京时间 whatever the server's ``TZ``."""
    moment = dt.datetime.fromtimestamp(record.created, clock.CHINA)
    return moment.isoformat(timespec="milliseconds")


class TextFormatter(logging.Formatter):
    """``2025-09-26T10:00:00.123+08:00 INFO opengov.mail [request id] message``, the message
    (and traceback) redacted."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def formatTime(self, record: logging.LogRecord,  # noqa: N802 — logging's name
                   datefmt: str | None = None) -> str:
        return _beijing_time(record)

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802
        record.message = redact(record.message)
        return super().formatMessage(record)

    def formatException(self, ei: Any) -> str:  # noqa: N802
        return redact(super().formatException(ei))


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (ISO 8601, 北京时间), level, logger, request id, message,
    the extra ``fields`` of access lines, and the traceback, if any; redacted."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _beijing_time(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": redact(record.getMessage()),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(level: str, log_format: str) -> None:
    """Install the site's handler on the ``opengov`` logger (replacing one installed before),
    at ``level``, formatting as ``text`` or ``json``."""
    logger = logging.getLogger(ROOT_LOGGER)
    for handler in list(logger.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    setattr(handler, _HANDLER_MARK, True)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    logger.addHandler(handler)
    logger.setLevel(level)


def init_app(app: Flask) -> None:
    """Configure the log from LOG_LEVEL and LOG_FORMAT; give each request an id (in the
    ``X-Request-ID`` response header) and, with ACCESS_LOG, an access line."""
    configure(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])
    access_log = bool(app.config["ACCESS_LOG"])
    access = logging.getLogger(ACCESS_LOGGER)

    @app.before_request
    def start_request() -> None:
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = offered if _WELL_FORMED_ID.match(offered) else uuid.uuid4().hex
        g.request_id_token = _REQUEST_ID.set(request_id)
        g.request_started = time.perf_counter()

    @app.after_request
    def finish_request(response: Response) -> Response:
        request_id = _REQUEST_ID.get()
        if request_id != "-":
            response.headers[REQUEST_ID_HEADER] = request_id
        if access_log and "request_started" in g:
            took_ms = round((time.perf_counter() - g.request_started) * 1000, 1)
            # The path only: query strings carry what people searched for or typed.
            access.info("%s %s %s %sms %s", request.method, request.path,
                        response.status_code, took_ms, request.remote_addr or "-",
                        extra={"fields": {"method": request.method, "path": request.path,
                                          "status": response.status_code, "ms": took_ms,
                                          "client": request.remote_addr or "-"}})
        return response

    @app.teardown_request
    def end_request(_exc: BaseException | None) -> None:
        token = g.pop("request_id_token", None)
        if token is not None:
            _REQUEST_ID.reset(token)
