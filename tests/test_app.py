"""The app factory, configuration and the skeleton's pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from opengov.site import create_app
from opengov.site.config import ConfigError, load_settings


def test_defaults_point_into_the_instance_folder(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, {})
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path}/opengov.sqlite3"
    assert settings["WHOOSH_INDEX_DIR"] == f"{tmp_path}/whoosh"
    assert settings["SEARCH_BACKEND"] == "whoosh"


def test_environment_overrides_instance_file(tmp_path: Path) -> None:
    (tmp_path / "opengov.toml").write_text('SITE_NAME = "甲市人民政府"\nPAGE_SIZE = 30\n',
                                           encoding="utf-8")
    settings = load_settings(tmp_path, {"OPENGOV_PAGE_SIZE": "10"})
    assert settings["SITE_NAME"] == "甲市人民政府"
    assert settings["PAGE_SIZE"] == 10


@pytest.mark.parametrize(("environ", "named"), [
    ({"OPENGOV_SEARCH_BACKEND": "solr"}, "OPENGOV_SEARCH_BACKEND"),
    ({"OPENGOV_PAGE_SIZE": "lots"}, "OPENGOV_PAGE_SIZE"),
    ({"OPENGOV_PAGE_SIZE": "0"}, "OPENGOV_PAGE_SIZE"),
    ({"OPENGOV_ENABLE_STAFF": "maybe"}, "OPENGOV_ENABLE_STAFF"),
])
def test_bad_settings_are_named(tmp_path: Path, environ: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load_settings(tmp_path, environ)


def test_unknown_setting_in_instance_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "opengov.toml").write_text('SITE_NAM = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="SITE_NAM"):
        load_settings(tmp_path, {})


def test_factory_refuses_to_start_without_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="OPENGOV_SECRET_KEY"):
        create_app({"INSTANCE_PATH": tmp_path})


def test_factory_has_no_side_effects(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    create_app({"INSTANCE_PATH": instance, "SECRET_KEY": "k"})
    assert not instance.exists()


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_not_found_page_is_chinese(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_api_errors_are_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 404


def test_commands_on_a_machine_not_yet_set_up(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """``opengov --help`` lists the commands and a command that needs the site says what to
    do — neither shows a traceback."""
    from click.testing import CliRunner

    from opengov.site.cli import main

    monkeypatch.setenv("OPENGOV_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("OPENGOV_SECRET_KEY", raising=False)
    runner = CliRunner()
    listed = runner.invoke(main, ["--help"])
    assert listed.exit_code == 0
    assert "status" in listed.output
    assert "Traceback" not in listed.output
    status = runner.invoke(main, ["status"])
    assert status.exit_code == 1
    assert "run `opengov init` first" in status.output
    assert "Traceback" not in status.output
