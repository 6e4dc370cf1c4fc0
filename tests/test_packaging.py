"""Packaging: setup.cfg lists every package explicitly (``find:`` gets the opengov.site /
opengov.indexer mapping wrong), and a wheel installed in a clean virtualenv serves the site."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from opengov.site.config import PROJECT_ROOT

ROOTS = {"site": "opengov.site", "indexer": "opengov.indexer"}
#: Folders that travel as data packages (package_dir in setup.cfg), not as code.
DATA_PACKAGES = {"opengov.site.templates", "opengov.site.static"}


def test_every_package_is_listed_in_setup_cfg() -> None:
    config = configparser.ConfigParser()
    config.read(PROJECT_ROOT / "setup.cfg", encoding="utf-8")
    listed = set(config["options"]["packages"].split())
    found = set()
    for directory, package in ROOTS.items():
        for init in (PROJECT_ROOT / directory).rglob("__init__.py"):
            relative = init.parent.relative_to(PROJECT_ROOT / directory)
            found.add(".".join([package, *relative.parts]))
    assert found | DATA_PACKAGES == listed


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtualenv outside the checkout with only the wheel built from it installed."""
    root = tmp_path_factory.mktemp("wheel")
    # Built from a copy of the sources: a stale build/ folder of the checkout cannot leak in.
    source = root / "source"
    shutil.copytree(PROJECT_ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "instance", "build", "dist", ".stamps", "*.egg-info", "__pycache__",
        ".*_cache"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
                    str(root / "dist"), str(source)], check=True, cwd=root)
    wheel = next((root / "dist").glob("opengov-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True)
    subprocess.run([str(root / "venv" / "bin" / "pip"), "install", "-q", str(wheel)],
                   check=True, cwd=root)
    return root


@pytest.mark.slow
def test_a_wheel_in_a_clean_virtualenv_serves_every_public_page(installed: Path) -> None:
    bin_dir = installed / "venv" / "bin"
    work = installed / "run"  # not the checkout: nothing may be found through it
    work.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("OPENGOV_")}
    env.update(OPENGOV_INSTANCE_PATH=str(work / "instance"), PYTHONPATH="")
    for args in (["init"], ["import-content", str(PROJECT_ROOT / "content")],
                 ["import-fiscal", str(PROJECT_ROOT / "content" / "fiscal")],
                 ["index", "rebuild"]):
        result = subprocess.run([str(bin_dir / "opengov"), *args], cwd=work, env=env,
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
    port = _free_port()
    server = subprocess.Popen([str(bin_dir / "gunicorn"), "--bind", f"127.0.0.1:{port}",
                               "--workers", "1", "opengov.site.wsgi:app"], cwd=work, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5)
                break
            except OSError:  # refused while gunicorn starts; a read may time out under load
                time.sleep(0.2)
        pages = ["/", "/guide", "/catalog", "/agencies", "/columns/policies", "/feeds/all.atom",
                 "/sitemap.xml", "/search?q=政务公开", "/requests/new", "/statistics",
                 "/fiscal/", "/fiscal/sangong", "/api/v1/documents", "/api/v1/search?q=公开",
                 "/staff/login", "/static/css/site.css",
                 "/fiscal/government/2024/final/general-expenditure/?code=201",
                 "/static/css/fiscal-government.css"]
        for path in pages:
            url = base + urllib.parse.quote(path, safe="/?=&")
            with urllib.request.urlopen(url, timeout=30) as response:
                body = response.read().decode("utf-8")
                assert response.status == 200, path
                assert "TemplateNotFound" not in body
        with urllib.request.urlopen(base + "/api/v1/documents", timeout=30) as response:
            first = json.load(response)["results"][0]["id"]
        with urllib.request.urlopen(f"{base}/documents/{first}", timeout=30) as response:
            assert "索引号" in response.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)
