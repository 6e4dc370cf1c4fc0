"""Every setting of the site, declared once with its default and what it is for.

Settings are read, in increasing priority, from the defaults below, the optional instance
file ``opengov.toml`` in the instance folder, ``OPENGOV_*`` environment variables and the
overrides passed to :func:`opengov.site.create_app` (tests). They are validated at start-up
and every error names the setting.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PREFIX = "OPENGOV_"
INSTANCE_FILE = "opengov.toml"
#: The checkout: templates/, static/ and content/ live beside the packages.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(ValueError):
    """A setting has a value the site cannot run with."""


def _parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true/false, got {raw!r}")


def _parse_choice(*choices: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {raw!r}")
        return raw

    return parse


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    parse: Callable[[str], Any]
    doc: str


#: ``{instance}`` in a default is replaced by the instance folder.
SETTINGS: tuple[Setting, ...] = (
    Setting("SECRET_KEY", None, str,
            "Signs sessions and CSRF tokens. Unset: read from instance/secret_key, "
            "which `opengov init` creates."),
    Setting("DATABASE_URL", "sqlite:///{instance}/opengov.sqlite3", str,
            "SQLAlchemy URL: SQLite by default, postgresql+psycopg://… at scale."),
    Setting("SEARCH_BACKEND", "whoosh", _parse_choice("whoosh", "elasticsearch"),
            "Search engine: embedded Whoosh or an Elasticsearch/OpenSearch cluster."),
    Setting("WHOOSH_INDEX_DIR", "{instance}/whoosh", str,
            "Folder of the Whoosh index."),
    Setting("ELASTICSEARCH_URL", "http://127.0.0.1:9200", str,
            "Base URL of the Elasticsearch or OpenSearch cluster."),
    Setting("ELASTICSEARCH_INDEX", "opengov", str,
            "Alias under which the versioned Elasticsearch indices are served."),
    Setting("SEARCH_RETRY_SECONDS", 30, int,
            "First delay before a failed search-index update is retried; doubles each time."),
    Setting("SEARCH_RETRY_MAX_SECONDS", 3600, int,
            "Longest delay between retries of a failed search-index update."),
    Setting("SEARCH_INLINE_OUTBOX", 20, int,
            "Queued index updates applied before each search (0: only `opengov index process`)."),
    Setting("JIEBA_CACHE_DIR", "{instance}", str,
            "Where jieba keeps its dictionary cache, so it loads once per process fast."),
    Setting("SITE_NAME", "示例市人民政府", str,
            "Name of the government running the site (meta tag SiteName)."),
    Setting("SITE_DOMAIN", "www.example.gov.cn", str,
            "Public domain of the site (meta tag SiteDomain)."),
    Setting("SITE_ID_CODE", "9999000001", str,
            "10-character 政府网站标识码 (meta tag SiteIDCode)."),
    Setting("ROOT_AGENCY", "gov", str,
            "Code of the agency that runs the site (the government itself)."),
    Setting("CONTENT_DIR", str(PROJECT_ROOT / "content"), str,
            "Folder of the site's own content in Markdown with a metadata header."),
    Setting("UPLOAD_DIR", "{instance}/uploads", str,
            "Folder where attachments are stored under random names."),
    Setting("MAX_UPLOAD_MB", 50, int,
            "Largest accepted upload in megabytes."),
    Setting("PAGE_SIZE", 20, int,
            "Items per page on column lists and in the API by default."),
    Setting("ENABLE_STAFF", True, _parse_bool,
            "Serve the staff back office; false on an internet-facing node."),
    Setting("SESSION_COOKIE_SECURE", False, _parse_bool,
            "Send cookies only over HTTPS; set true behind TLS."),
    Setting("LOG_LEVEL", "INFO", _parse_choice("DEBUG", "INFO", "WARNING", "ERROR"),
            "Level of the application log."),
)

SETTINGS_BY_NAME = {setting.name: setting for setting in SETTINGS}


def default_instance_path() -> Path:
    """``OPENGOV_INSTANCE_PATH`` or ``instance/`` in the checkout."""
    raw = os.environ.get(ENV_PREFIX + "INSTANCE_PATH")
    return Path(raw).resolve() if raw else PROJECT_ROOT / "instance"


def load_settings(
    instance_path: Path,
    environ: Mapping[str, str],
    overrides: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Resolve every declared setting; raise :class:`ConfigError` naming the bad one."""
    from_file: dict[str, Any] = {}
    config_file = instance_path / INSTANCE_FILE
    if config_file.is_file():
        try:
            from_file = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{config_file}: {exc}") from exc
        unknown = sorted(set(from_file) - set(SETTINGS_BY_NAME))
        if unknown:
            raise ConfigError(f"{config_file}: unknown settings {', '.join(unknown)}")

    values: dict[str, Any] = {}
    for setting in SETTINGS:
        value: Any = setting.default
        if setting.name in from_file:
            value = from_file[setting.name]
        env_name = ENV_PREFIX + setting.name
        if env_name in environ:
            try:
                value = setting.parse(environ[env_name])
            except ValueError as exc:
                raise ConfigError(f"{env_name}: {exc}") from exc
        if isinstance(value, str):
            value = value.replace("{instance}", str(instance_path))
        values[setting.name] = value
    for name, value in (overrides or {}).items():
        values[name] = value

    if values["SECRET_KEY"] is None:
        key_file = instance_path / "secret_key"
        if key_file.is_file():
            values["SECRET_KEY"] = key_file.read_text(encoding="ascii").strip()
    if values["PAGE_SIZE"] < 1 or values["PAGE_SIZE"] > 100:
        raise ConfigError("OPENGOV_PAGE_SIZE: must be between 1 and 100")
    if values["MAX_UPLOAD_MB"] < 1:
        raise ConfigError("OPENGOV_MAX_UPLOAD_MB: must be at least 1")
    return values
