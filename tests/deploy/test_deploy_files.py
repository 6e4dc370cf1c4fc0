"""The files of deploy/ parse with the real tools, and say what the site needs: a timer for
every daily job, each calling a command that exists; the upload limit nginx enforces is the
site's; gunicorn preloads and warms up the app."""

from __future__ import annotations

import re
import runpy
import shlex
import subprocess
from configparser import ConfigParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from opengov.site.cli import main
from opengov.site.config import SETTINGS_BY_NAME
from tests.support.deployment import (
    DEPLOY,
    SYSTEMD_ANALYZE,
    nginx_available,
    nginx_site,
    systemd_units,
)

#: Every job the site needs run daily, by timer name.
DAILY_JOBS = {"backup", "remind", "complaints-remind", "ratings-remind", "anonymise",
              "audit-purge", "calendar-check"}


def _unit(name: str) -> ConfigParser:
    parser = ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / "systemd" / name, encoding="utf-8")
    return parser


@pytest.mark.skipif(not nginx_available(), reason="Debian's nginx is not installed "
                    "(apt-get install nginx)")
def test_nginx_site_parses(tmp_path: Path) -> None:
    result = nginx_site(tmp_path).test()
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze is not installed")
def test_systemd_units_verify(tmp_path: Path) -> None:
    units = systemd_units(tmp_path)
    assert SYSTEMD_ANALYZE is not None
    result = subprocess.run([SYSTEMD_ANALYZE, "verify", "--man=no", *map(str, units)],
                            capture_output=True, text=True, check=False)
    # Unknown keys and bad values are only warnings to systemd: any output is a failure.
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""


def _commands(name: str) -> list[list[str]]:
    """Every ``ExecStart=`` of a unit, in order (a oneshot unit may have several, which
    ConfigParser would fold into the last)."""
    lines = (DEPLOY / "systemd" / name).read_text(encoding="utf-8").splitlines()
    return [shlex.split(line.removeprefix("ExecStart="))
            for line in lines if line.startswith("ExecStart=")]


def test_every_daily_job_has_a_timer_running_an_existing_command() -> None:
    timers = {path.stem.removeprefix("opengov-")
              for path in (DEPLOY / "systemd").glob("opengov-*.timer")}
    assert timers >= DAILY_JOBS
    runner = CliRunner()
    for job in timers:
        service = _unit(f"opengov-{job}.service")
        assert service["Service"]["Type"] == "oneshot"
        commands = _commands(f"opengov-{job}.service")
        assert commands, job
        for command in commands:
            assert command[0] == "/srv/opengov/venv/bin/opengov"
            # The command exists and takes these options (--help exits 0 before running it).
            result = runner.invoke(main, [*command[1:], "--help"])
            assert result.exit_code == 0, (job, command, result.output)
        timer = _unit(f"opengov-{job}.timer")
        assert timer["Timer"]["Persistent"] == "true"


def test_the_anonymise_job_erases_every_kind_of_personal_data_kept() -> None:
    """Applicants, complainants and commenters each have a retention period and a command."""
    assert [command[1:] for command in _commands("opengov-anonymise.service")] == [
        ["requests", "anonymise"], ["complaints", "anonymise"], ["consultations", "anonymise"]]


def test_the_services_run_gunicorn_and_both_workers() -> None:
    web = _unit("opengov-web.service")["Service"]["ExecStart"]
    assert "gunicorn --config /srv/opengov/app/deploy/gunicorn.conf.py opengov.site.wsgi:app" \
        in web
    index = _unit("opengov-index.service")["Service"]["ExecStart"]
    assert index.endswith("opengov index process --watch 2")
    mail = _unit("opengov-mail.service")["Service"]["ExecStart"]
    assert mail.endswith("opengov mail send --watch 30")


def test_nginx_takes_uploads_as_large_as_the_site() -> None:
    site = (DEPLOY / "nginx" / "opengov.conf").read_text(encoding="utf-8")
    [limit] = re.findall(r"client_max_body_size (\d+)m;", site)
    assert int(limit) == SETTINGS_BY_NAME["MAX_UPLOAD_MB"].default
    environment = (DEPLOY / "opengov.env.example").read_text(encoding="utf-8")
    assert "OPENGOV_TRUSTED_PROXIES=1" in environment  # one proxy: this nginx


def test_gunicorn_preloads_and_warms_up_the_app() -> None:
    settings = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert settings["preload_app"] is True
    assert settings["worker_class"] == "sync"
    assert callable(settings["when_ready"])
    assert callable(settings["post_fork"])
