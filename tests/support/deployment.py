"""The files of ``deploy/`` placed in a temporary folder as an administrator would place them
on a server, with the server's paths replaced by the test's: Debian's nginx run in a
temporary prefix, the systemd units checked by ``systemd-analyze verify``."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from opengov.site.config import PROJECT_ROOT
from tests.support.smtp import free_port, self_signed

DEPLOY = PROJECT_ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


def nginx_available() -> bool:
    return Path(NGINX).is_file()


@dataclass(frozen=True)
class NginxSite:
    prefix: Path
    config: Path
    http_port: int
    https_port: int
    ca_file: Path

    def _run(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([NGINX, "-p", str(self.prefix), "-c", str(self.config),
                               "-e", str(self.prefix / "logs" / "error.log"), *arguments],
                              capture_output=True, text=True, check=False)

    def test(self) -> subprocess.CompletedProcess[str]:
        """``nginx -t``: the configuration parses and its files exist."""
        return self._run("-t")

    def start(self) -> None:
        result = self._run()
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
        wait_for_port(self.https_port)

    def stop(self) -> None:
        self._run("-s", "quit")
        pid_file = self.prefix / "logs" / "nginx.pid"
        deadline = time.monotonic() + 10
        while pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


def nginx_site(folder: Path, *, upstream_port: int = 8000,
               upstream_source: str | None = None) -> NginxSite:
    """deploy/nginx in ``folder`` with ports, certificate, static folder and log paths of
    the test; ``upstream_source`` makes nginx connect to gunicorn from that address (so a
    test can tell the client's address from the proxy's)."""
    prefix = folder / "nginx"
    (prefix / "logs").mkdir(parents=True)
    (prefix / "snippets").mkdir()
    certificate = self_signed(prefix)
    http_port, https_port = free_port(), free_port()
    proxy = (DEPLOY / "nginx" / "opengov-proxy.conf").read_text(encoding="utf-8")
    if upstream_source:
        proxy += f"proxy_bind {upstream_source};\n"
    (prefix / "snippets" / "opengov-proxy.conf").write_text(proxy, encoding="utf-8")
    site = (DEPLOY / "nginx" / "opengov.conf").read_text(encoding="utf-8")
    replacements = {
        "/etc/ssl/opengov/fullchain.pem": str(certificate.cert_file),
        "/etc/ssl/opengov/privkey.pem": str(certificate.key_file),
        "/srv/opengov/app/static/": str(PROJECT_ROOT / "static") + "/",
        "/etc/nginx/snippets/": str(prefix / "snippets") + "/",
        "/var/log/nginx/": str(prefix / "logs") + "/",
        "/var/www/letsencrypt": str(prefix / "acme"),
        "127.0.0.1:8000": f"127.0.0.1:{upstream_port}",
    }
    for old, new in replacements.items():
        assert old in site or old == "/var/www/letsencrypt", old
        site = site.replace(old, new)
    site = re.sub(r"listen 80;", f"listen 127.0.0.1:{http_port};", site)
    site = re.sub(r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;", site)
    site = re.sub(r"\s*listen \[::\]:(80|443)[^;]*;", "", site)
    (prefix / "opengov.conf").write_text(site, encoding="utf-8")
    config = prefix / "nginx.conf"
    temp = prefix / "temp"
    config.write_text(f"""
worker_processes 1;
pid {prefix}/logs/nginx.pid;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    access_log {prefix}/logs/access.log;
    include {prefix}/opengov.conf;
}}
""", encoding="utf-8")
    temp.mkdir()
    return NginxSite(prefix, config, http_port, https_port, certificate.cert_file)


def systemd_units(folder: Path) -> list[Path]:
    """deploy/systemd in ``folder`` with the server's paths replaced by this checkout's and
    this virtualenv's (verify checks that ExecStart programs exist)."""
    target = folder / "systemd"
    target.mkdir()
    environment = folder / "opengov.env"
    shutil.copy(DEPLOY / "opengov.env.example", environment)
    venv = Path(sys.executable).parent.parent
    units = []
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        text = unit.read_text(encoding="utf-8")
        text = (text.replace("/srv/opengov/venv", str(venv))
                .replace("/srv/opengov/app", str(PROJECT_ROOT))
                .replace("/etc/opengov/opengov.env", str(environment)))
        (target / unit.name).write_text(text, encoding="utf-8")
        units.append(target / unit.name)
    return units
