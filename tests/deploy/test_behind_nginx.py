"""The site as deployed: gunicorn with deploy/gunicorn.conf.py behind Debian's nginx with
deploy/nginx, over real TLS. nginx connects to gunicorn from another loopback address than
the client's, so the test sees that the site logs the client (ProxyFix), not the proxy."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from opengov.site.config import PROJECT_ROOT
from tests.support.deployment import DEPLOY, NginxSite, nginx_available, nginx_site, wait_for_port
from tests.support.smtp import free_port

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not nginx_available(), reason="Debian's nginx is not installed")]

BIN = Path(sys.executable).parent
PROXY_SOURCE = "127.0.0.2"


@dataclass
class Deployed:
    nginx: NginxSite
    gunicorn: subprocess.Popen[bytes]
    log: Path

    def https(self) -> http.client.HTTPSConnection:
        context = ssl.create_default_context(cafile=str(self.nginx.ca_file))
        return http.client.HTTPSConnection("127.0.0.1", self.nginx.https_port, context=context,
                                           timeout=30)

    def get(self, path: str, headers: dict[str, str] | None = None
            ) -> tuple[http.client.HTTPResponse, bytes]:
        connection = self.https()
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response, response.read()

    def stop_gunicorn(self) -> str:
        if self.gunicorn.poll() is None:
            self.gunicorn.send_signal(signal.SIGTERM)
            self.gunicorn.wait(timeout=60)
        return self.log.read_text(encoding="utf-8")


@pytest.fixture
def deployed(tmp_path: Path) -> Iterator[Deployed]:
    port = free_port()
    env = {**os.environ, "OPENGOV_INSTANCE_PATH": str(tmp_path / "instance"),
           "OPENGOV_TRUSTED_PROXIES": "1", "OPENGOV_BIND": f"127.0.0.1:{port}",
           "OPENGOV_WORKERS": "2", "OPENGOV_LOG_FORMAT": "json", "TZ": "Asia/Shanghai"}
    for command in (["init"], ["import-content", str(PROJECT_ROOT / "content")],
                    ["index", "process"]):
        subprocess.run([str(BIN / "opengov"), *command], env=env, check=True,
                       capture_output=True)
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        gunicorn = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", str(DEPLOY / "gunicorn.conf.py"),
             "opengov.site.wsgi:app"], env=env, cwd=tmp_path, stdout=output,
            stderr=subprocess.STDOUT)
    nginx = nginx_site(tmp_path, upstream_port=port, upstream_source=PROXY_SOURCE)
    try:
        wait_for_port(port, timeout=120)
        nginx.start()
        yield Deployed(nginx, gunicorn, log)
    finally:
        nginx.stop()
        if gunicorn.poll() is None:
            gunicorn.kill()
            gunicorn.wait()


def _access_lines(log: str) -> list[dict[str, object]]:
    lines = []
    for line in log.splitlines():
        if line.startswith("{"):
            entry = json.loads(line)
            if entry.get("logger") == "opengov.access":
                lines.append(entry)
    return lines


def test_the_site_behind_nginx(deployed: Deployed) -> None:
    response, body = deployed.get("/", {"X-Forwarded-For": "203.0.113.7"})
    assert response.status == 200
    page = body.decode()
    assert "政府信息公开" in page
    request_id = response.getheader("X-Request-ID") or ""
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # nginx's $request_id, passed through
    assert "max-age=31536000" in (response.getheader("Strict-Transport-Security") or "")

    # Static files: versioned URL, cached for a year, compressed.
    [stylesheet] = re.findall(r'href="(/static/css/site\.css\?v=[0-9a-f]{12})"', page)
    response, body = deployed.get(stylesheet, {"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "immutable" in (response.getheader("Cache-Control") or "")
    assert "max-age=31536000" in (response.getheader("Strict-Transport-Security") or "")

    # A search answers through the warmed-up workers.
    response, body = deployed.get("/search?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80")
    assert response.status == 200

    # Uploads larger than the site accepts are refused by nginx before they are read.
    connection = deployed.https()
    connection.putrequest("POST", "/staff/login")
    connection.putheader("Content-Length", str(51 * 1024 * 1024))
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.endheaders()
    assert connection.getresponse().status == 413

    # Readiness from this machine: answered (warnings only on a fresh instance).
    response, body = deployed.get("/healthz/ready")
    assert response.status == 200, body
    assert json.loads(body)["status"] in {"ok", "warning"}

    # Plain HTTP goes to HTTPS.
    with socket.create_connection(("127.0.0.1", deployed.nginx.http_port)) as plain:
        plain.sendall(b"GET /columns HTTP/1.1\r\nHost: www.example.gov.cn\r\n"
                      b"Connection: close\r\n\r\n")
        answer = plain.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 301")
    assert "Location: https://www.example.gov.cn/columns" in answer

    log = deployed.stop_gunicorn()
    assert "opengov warmed up in the master" in log
    [home] = [entry for entry in _access_lines(log) if entry["request_id"] == request_id]
    # The client's address from nginx's X-Forwarded-For (one trusted proxy): neither the
    # proxy's own address nor the one the client made up.
    assert home["client"] == "127.0.0.1"
    assert home["path"] == "/"
    assert home["status"] == 200
    assert all(entry["client"] != PROXY_SOURCE for entry in _access_lines(log))
