"""The log: a handler that writes every line with its request id, plain or JSON, personal data
blanked; an access line per request; the client's address behind trusted proxies only; and
versioned static URLs."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from opengov.site import create_app, logs
from opengov.site.config import ConfigError, load_settings


@pytest.fixture
def captured(app: Flask) -> Iterator[io.StringIO]:
    """What the site's handler writes (it writes to standard error; here into a buffer)."""
    [handler] = [h for h in logging.getLogger(logs.ROOT_LOGGER).handlers
                 if getattr(h, "_opengov_handler", False)]
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def test_redaction() -> None:
    text = ("张三 zhangsan@example.com 11010519491231002X 110105491231002 13800138000 "
            "电话 0571-87654321 编号 YSQ-2025-000001")
    assert logs.redact(text) == ("张三 [email] [id-number] [id-number] [phone] "
                                 "电话 0571-87654321 编号 YSQ-2025-000001")


def test_every_line_has_the_request_id_and_no_personal_data(client: FlaskClient,
                                                            captured: io.StringIO) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "req-12345678"})
    assert response.headers["X-Request-ID"] == "req-12345678"
    line = captured.getvalue().strip().splitlines()[-1]
    assert re.fullmatch(r"\S+\+08:00 INFO opengov\.access \[req-12345678\] GET /healthz 200 "
                        r"[0-9.]+ms 127\.0\.0\.1", line), line
    # A made-up or malformed id is replaced by one of the site's own.
    response = client.get("/healthz", headers={"X-Request-ID": "bad id; <script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])
    logging.getLogger("opengov.test").warning("mail to %s failed", "lisi@example.com")
    assert "[-] mail to [email] failed" in captured.getvalue()


def test_access_lines_leave_out_the_query_string(client: FlaskClient,
                                                 captured: io.StringIO) -> None:
    client.get("/search?q=13800138000")
    assert "GET /search 200" in captured.getvalue()
    assert "13800138000" not in captured.getvalue()
    assert "q=" not in captured.getvalue()


@pytest.fixture
def json_app(app_config: dict[str, Any]) -> Iterator[Flask]:
    app = create_app({**app_config, "LOG_FORMAT": "json"})
    yield app
    logs.configure("INFO", "text")


def test_json_lines(json_app: Flask) -> None:
    [handler] = [h for h in logging.getLogger(logs.ROOT_LOGGER).handlers
                 if getattr(h, "_opengov_handler", False)]
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    handler.setStream(buffer)
    json_app.test_client().get("/healthz", headers={"X-Request-ID": "abcdef-123456"})
    entry = json.loads(buffer.getvalue().strip().splitlines()[-1])
    assert entry["logger"] == "opengov.access"
    assert entry["request_id"] == "abcdef-123456"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/healthz", 200)
    assert entry["time"].endswith("+08:00")


def test_one_handler_whatever_how_many_apps(app_config: dict[str, Any], app: Flask) -> None:
    create_app(app_config)
    create_app(app_config)
    mine = [h for h in logging.getLogger(logs.ROOT_LOGGER).handlers
            if getattr(h, "_opengov_handler", False)]
    assert len(mine) == 1


def test_access_log_can_be_turned_off(app_config: dict[str, Any]) -> None:
    quiet = create_app({**app_config, "ACCESS_LOG": False})
    [handler] = [h for h in logging.getLogger(logs.ROOT_LOGGER).handlers
                 if getattr(h, "_opengov_handler", False)]
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    handler.setStream(buffer)
    quiet.test_client().get("/healthz")
    assert "opengov.access" not in buffer.getvalue()


# --- the client's address ---------------------------------------------------------------


@pytest.mark.parametrize(("proxies", "expected"), [
    (0, "10.0.0.2"),  # no proxy trusted: the connection's address, whatever the header says
    (1, "203.0.113.7"),  # one proxy: the address it saw, not the one the client wrote
])
def test_trusted_proxies(app_config: dict[str, Any], proxies: int, expected: str) -> None:
    app = create_app({**app_config, "TRUSTED_PROXIES": proxies})
    seen: list[str] = []

    @app.before_request
    def remember() -> None:
        from flask import request

        seen.append(request.remote_addr or "")

    app.test_client().get("/healthz", environ_base={"REMOTE_ADDR": "10.0.0.2"},
                          headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7",
                                   "X-Forwarded-Proto": "https"})
    assert seen == [expected]


def test_bad_proxy_and_smtp_settings_are_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="OPENGOV_TRUSTED_PROXIES"):
        load_settings(tmp_path, {"OPENGOV_TRUSTED_PROXIES": "-1"})
    with pytest.raises(ConfigError, match="OPENGOV_SMTP_PASSWORD"):
        load_settings(tmp_path, {"OPENGOV_SMTP_PASSWORD": "口令"})
    with pytest.raises(ConfigError, match="OPENGOV_SMTP_SECURITY"):
        load_settings(tmp_path, {"OPENGOV_SMTP_SECURITY": "tls"})


# --- static files -----------------------------------------------------------------------


def test_static_urls_carry_the_files_digest(client: FlaskClient, app: Flask) -> None:
    page = client.get("/").get_data(as_text=True)
    css = Path(app.static_folder or "") / "css" / "site.css"
    digest = hashlib.sha256(css.read_bytes()).hexdigest()[:12]
    assert f'href="/static/css/site.css?v={digest}"' in page
    assert client.get(f"/static/css/site.css?v={digest}").status_code == 200
