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
#: The folder of this package: ``site/`` in a checkout, ``…/site-packages/opengov/site`` installed.
PACKAGE_DIR = Path(__file__).resolve().parent
#: The checkout (templates/, static/ and content/ beside the packages) when run from one;
#: installed from a wheel, the folder holding the package.
PROJECT_ROOT = PACKAGE_DIR.parent
#: Whether the site runs from a checkout (editable install) rather than from a wheel.
IN_CHECKOUT = (PROJECT_ROOT / "setup.cfg").is_file()


def data_folder(name: str) -> Path:
    """``templates`` or ``static``: package data inside an installed wheel, the top-level
    folder of the checkout otherwise (where the design keeps them)."""
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else PROJECT_ROOT / name


class ConfigError(ValueError):
    """A setting has a value the site cannot run with."""


def _parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true/false, got {raw!r}")


def _parse_auto_bool(raw: str) -> bool | str:
    if raw.strip().lower() == "auto":
        return "auto"
    return _parse_bool(raw)


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
    Setting("SEARCH_TIMEOUT_SECONDS", 5.0, float,
            "Longest wait for the search engine during a page or API request; keep it well "
            "below the web server's worker time-out (gunicorn: 30 s)."),
    Setting("SITE_NAME", "示例市人民政府", str,
            "Name of the government running the site (meta tag SiteName)."),
    Setting("SITE_DOMAIN", "www.example.gov.cn", str,
            "Public domain of the site (meta tag SiteDomain), optionally with a port. Every "
            "absolute URL (feeds, sitemap, canonical links, the API) is built from it and "
            "SITE_SCHEME, never from the request's Host header."),
    Setting("SITE_SCHEME", "https", _parse_choice("https", "http"),
            "Scheme of the site's public address."),
    Setting("SITE_ID_CODE", "9999000001", str,
            "10-character 政府网站标识码 (meta tag SiteIDCode)."),
    Setting("ROOT_AGENCY", "gov", str,
            "Code of the agency that runs the site (the government itself)."),
    Setting("FINANCE_AGENCY", "czj", str,
            "Code of the government's finance department (本级政府财政部门): its editors "
            "publish the government's budget and final accounts, in its name (预算法 Art. 14)."),
    Setting("CONTENT_DIR", str((PROJECT_ROOT if IN_CHECKOUT else Path.cwd()) / "content"), str,
            "Folder of the site's own content in Markdown with a metadata header."),
    Setting("UPLOAD_DIR", "{instance}/uploads", str,
            "Folder where attachments are stored under random names."),
    Setting("MAX_UPLOAD_MB", 50, int,
            "Largest accepted upload in megabytes."),
    Setting("PAGE_SIZE", 20, int,
            "Items per page on column lists and in the API by default."),
    Setting("ENABLE_STAFF", True, _parse_bool,
            "Serve the staff back office; false on an internet-facing node."),
    Setting("SESSION_COOKIE_SECURE", "auto", _parse_auto_bool,
            "Send cookies only over HTTPS: auto (whenever the request came over HTTPS, as "
            "TRUSTED_PROXIES tells behind a proxy), true or false."),
    # --- staff accounts (issue 5) ---
    Setting("PASSWORD_MIN_LENGTH", 12, int,
            "Shortest staff password accepted (at least 8; 12 recommended)."),
    Setting("PASSWORD_MIN_CLASSES", 2, int,
            "How many of lower case, upper case, digits, other characters (incl. Chinese) a "
            "staff password must mix (0-4)."),
    Setting("LOGIN_MAX_FAILURES", 5, int,
            "Failed sign-ins for one user name within LOGIN_LOCKOUT_MINUTES that lock it "
            "temporarily (the same for names that do not exist: no account enumeration)."),
    Setting("LOGIN_MAX_FAILURES_PER_IP", 30, int,
            "Failed sign-ins from one address within LOGIN_LOCKOUT_MINUTES that block it."),
    Setting("LOGIN_LOCKOUT_MINUTES", 15, int,
            "Window for counting failed sign-ins, and how long a lock-out lasts."),
    Setting("TOTP_REQUIRED_FOR_ADMINS", True, _parse_bool,
            "Administrators must sign in with a second factor (TOTP app or recovery code) and "
            "enrol at their first sign-in (等保 2.0: two kinds of authentication for privileged "
            "users); other staff may enrol on their own."),
    Setting("SESSION_IDLE_MINUTES", 30, int,
            "A staff session unused this long ends (server-side, revocable sessions)."),
    Setting("SESSION_MAX_HOURS", 12, int,
            "A staff session ends this long after sign-in whatever its use."),
    Setting("AUDIT_RETENTION_DAYS", 184, int,
            "Audit entries younger than this are never purged; at least 184 days "
            "(网络安全法 Art. 21: 不少于六个月)."),
    Setting("AUTOSAVE_SECONDS", 30, int,
            "How often the document editor autosaves a draft while it changes (0: never)."),
    # --- 依申请公开 (issue 4) ---
    Setting("PERSONAL_DATA_KEY", None, str,
            "Fernet key (urlsafe base64, 32 bytes) encrypting applicants' ID numbers and "
            "contact details. Unset: read from instance/personal_data_key, which `opengov "
            "init` creates. Losing it makes that data unreadable: back it up apart from the "
            "database."),
    Setting("REQUEST_RETENTION_YEARS", 10, int,
            "Years after a request is closed before `opengov requests anonymise` erases the "
            "applicant's personal data (confirm with the archives office)."),
    Setting("REQUEST_FEE_PAUSES_CLOCK", True, _parse_bool,
            "Whether the 20-working-day fee-payment window is excluded from the reply "
            "deadline (rules.md §1.5: unsettled, widely implemented)."),
    Setting("REQUEST_MIN_FILL_SECONDS", 5, int,
            "A public form (request, comment on a draft, complaint) sent back faster than "
            "this is treated as a robot."),
    Setting("REQUEST_SUBMIT_LIMIT", 5, int,
            "Requests one IP address may file per hour."),
    Setting("REQUEST_STATUS_LIMIT", 10, int,
            "Wrong number/query-code pairs one IP address may try per 15 minutes (requests and "
            "complaints, counted apart)."),
    Setting("REQUEST_REVIEW_BODY", "示例市人民政府", str,
            "行政复议机关 named in reply letters of departments and townships."),
    Setting("REQUEST_ROOT_REVIEW_BODY", "示例省人民政府", str,
            "行政复议机关 named in reply letters of the government itself (ROOT_AGENCY)."),
    Setting("REQUEST_COURT", "示例市人民法院", str,
            "人民法院 named in reply letters for 行政诉讼."),
    Setting("LETTER_FONT", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", str,
            "CJK font file for PDF letters (Debian package fonts-noto-cjk)."),
    Setting("LETTER_TITLE_FONT", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", str,
            "Serif CJK font file for the titles and body of letters and reports, as in a 公文 "
            "(Debian package fonts-noto-cjk); LETTER_FONT serves where it is missing."),
    Setting("REQUEST_QUERY_CODE_RESEND_LIMIT", 3, int,
            "How often per day a new query code may be sent to the contact on file of one "
            "request (each sending replaces the old code)."),
    Setting("REQUEST_ART44_APPLICANTS", 3, int,
            "How many different applicants must have asked for the same information before it is "
            "raised to the editors for 主动公开 (条例 Art. 44: 多个申请人; confirm locally)."),
    Setting("REQUEST_RELEASE_MAX_MB", 50, int,
            "Largest released file (政府信息) a handler may attach to a reply, in megabytes."),
    # --- mail (issue 11): notices go through the mail outbox, `opengov mail send` delivers ---
    Setting("SMTP_HOST", "", str,
            "SMTP server for notices to applicants and handlers; empty: no notice is queued "
            "or sent (the steps are still listed on the staff pages)."),
    Setting("SMTP_PORT", 587, int,
            "Port of the SMTP server: 587 for STARTTLS (submission), 465 for SSL, 25 for a "
            "relay without TLS."),
    Setting("SMTP_SECURITY", "starttls", _parse_choice("starttls", "ssl", "none"),
            "Encryption of the SMTP connection: starttls, ssl (implicit TLS) or none (a "
            "trusted relay on the local network only)."),
    Setting("SMTP_USERNAME", "", str,
            "SMTP user name; empty: send without authentication."),
    Setting("SMTP_PASSWORD", "", str,
            "SMTP password (set it in the environment file, not in the repository)."),
    Setting("SMTP_CA_FILE", "", str,
            "CA certificates (PEM) that sign the SMTP server's certificate, for a mail "
            "server with a private CA; empty: the system's CAs."),
    Setting("SMTP_TIMEOUT_SECONDS", 30, int,
            "How long to wait for the SMTP server before the attempt counts as failed."),
    Setting("MAIL_FROM", "gk@example.gov.cn", str, "Sender address of notices."),
    Setting("MAIL_RETRY_SECONDS", 60, int,
            "First delay before a notice the mail server did not take is retried; doubles "
            "each time."),
    Setting("MAIL_RETRY_MAX_SECONDS", 3600, int,
            "Longest delay between two attempts to send a notice."),
    Setting("MAIL_MAX_ATTEMPTS", 12, int,
            "Attempts after which a notice is given up and listed as failed for staff "
            "(12 with the defaults: about eight hours)."),
    # --- portal conventions (issue 16; 《政府网站发展指引》, rules.md §10.2: confirm) ---
    Setting("SITE_ORGANISER", "", str,
            "主办单位 named in the footer; empty: SITE_NAME."),
    Setting("SITE_OPERATOR", "", str,
            "承办单位 (or 技术支持) named in the footer; empty: not shown."),
    Setting("SITE_CONTACT", "", str,
            "联系方式 of the site in the footer (telephone or e-mail of the site's office)."),
    Setting("ICP_RECORD", "", str,
            "ICP备案号, e.g. 示ICP备12345678号; linked to the MIIT record site. Empty: not shown."),
    Setting("ICP_RECORD_URL", "https://beian.miit.gov.cn/", str,
            "Where the ICP备案号 links."),
    Setting("PUBLIC_SECURITY_RECORD", "", str,
            "公安机关备案号, e.g. 示公网安备 99010002000001号. Empty: not shown."),
    Setting("PUBLIC_SECURITY_RECORD_URL", "", str,
            "Where the 公安机关备案号 links (the record's page on the public-security "
            "record site); empty: not linked."),
    Setting("PARTY_GOV_BADGE_URL", "", str,
            "Certificate page of the 党政机关网站标识 (the red badge in the footer). Empty: "
            "the badge is not shown."),
    Setting("SITE_DESCRIPTION", "", str,
            "Description meta of pages that have none of their own; empty: generated from "
            "SITE_NAME."),
    Setting("ERROR_REPORT_WORKDAYS", 3, int,
            "Working days staff have to deal with a 找错 report (confirm with the site's "
            "management rules)."),
    Setting("ERROR_REPORT_LIMIT", 10, int,
            "找错 reports one IP address may send per hour."),
    # --- public participation: 征求意见 and 举报投诉 (issue 15) ---
    Setting("CONSULTATION_COMMENT_LIMIT", 10, int,
            "Comments on drafts one IP address may send per hour (all consultations together)."),
    Setting("COMPLAINT_OFFICE", "", str,
            "Code of the agency whose staff handle complaints about disclosure, the "
            "政府信息公开工作主管部门 (条例 Arts. 47, 51); empty: ROOT_AGENCY."),
    Setting("COMPLAINT_REPLY_DAYS", 15, int,
            "Working days within which a complaint is answered (the 条例 sets none: rules.md "
            "§9.2, common practice, confirm)."),
    Setting("COMPLAINT_SUBMIT_LIMIT", 5, int,
            "Complaints one IP address may file per hour."),
    Setting("COMPLAINT_RETENTION_YEARS", 10, int,
            "Years after a complaint is answered or withdrawn before `opengov complaints "
            "anonymise` erases the complainant's name, contacts and account of the case; the "
            "finding and answer stay for the statistics (confirm with the archives office)."),
    Setting("COMMENT_RETENTION_YEARS", 5, int,
            "Years after a consultation closes before `opengov consultations anonymise` erases "
            "its commenters' names and contacts; the comments and the published feedback stay "
            "(common practice: as long as the decision may be challenged in court, 行政诉讼法 "
            "Art. 46; confirm with the archives office)."),
    # --- 好差评 (issue 14) ---
    Setting("RATING_FOLLOW_UP_DAYS", 15, int,
            "Working days within which a 差评 must be called back (回访) and rectified (整改) "
            "(rules.md §8.4: Sichuan's rule; confirm the national one)."),
    Setting("RATING_MIN_PUBLIC", 10, int,
            "Below this many ratings an item or agency shows its counts but no 满意率 "
            "(a handful of ratings is not a rate)."),
    Setting("RATING_LIMIT", 5, int,
            "Service-item ratings one address may send per hour (and one per item a day)."),
    # --- hardening (issue 13) ---
    Setting("DATABASE_BUSY_TIMEOUT_SECONDS", 10, float,
            "How long a SQLite writer waits for the write lock before the site answers "
            "\"暂时无法提交\" (503) with the form kept; keep it below the web worker's time-out."),
    Setting("COMPRESS_RESPONSES", True, _parse_bool,
            "gzip pages, feeds and API answers for clients that accept it; false where a "
            "reverse proxy (the nginx site of deploy/) compresses."),
    Setting("CACHE_MAX_AGE_SECONDS", 300, int,
            "How long browsers and caches may keep feeds, the sitemap and API answers without "
            "asking again (pages are always revalidated, with ETag)."),
    Setting("POPULAR_SEARCH_MIN_VISITORS", 10, int,
            "热门搜索 shows a query only when at least this many distinct visitors searched it "
            "within POPULAR_SEARCH_DAYS (one address counts once a day)."),
    Setting("POPULAR_SEARCH_DAYS", 30, int,
            "The period 热门搜索 counts over, in days."),
    Setting("POPULAR_SEARCH_REVIEW", True, _parse_bool,
            "热门搜索 shows only queries staff approved on the page 热门搜索管理 (false: every "
            "query that passes the thresholds and the block list)."),
    # --- running the site (issue 11) ---
    Setting("LOG_LEVEL", "INFO", _parse_choice("DEBUG", "INFO", "WARNING", "ERROR"),
            "Level of the application log."),
    Setting("LOG_FORMAT", "text", _parse_choice("text", "json"),
            "Log lines on standard error as plain text or as JSON lines (one object a line, "
            "for a log collector); every line carries the request id."),
    Setting("ACCESS_LOG", True, _parse_bool,
            "Log one line per request: method, path (without query string), status, "
            "duration, client address, request id."),
    Setting("TRUSTED_PROXIES", 0, int,
            "Reverse proxies in front of gunicorn whose X-Forwarded-For/-Proto/-Host/-Port "
            "headers are trusted (1 behind the nginx of deploy/). 0: the connection's "
            "address is the client's; never more than the proxies there are."),
    Setting("BACKUP_DIR", "{instance}/backups", str,
            "Where `opengov backup` and `opengov upgrade` write backups; put it on another "
            "disk (the deployment uses /var/backups/opengov)."),
    Setting("BACKUP_KEEP", 14, int,
            "Complete backups `opengov backup --prune` keeps in BACKUP_DIR (the newest)."),
    Setting("BACKUP_MAX_AGE_HOURS", 26, int,
            "`opengov status` warns when the newest backup in BACKUP_DIR is older (daily "
            "timer plus slack)."),
    Setting("MIN_FREE_DISK_MB", 1024, int,
            "`opengov status` and /healthz/ready fail when the instance, upload or backup "
            "folder's disk has less free space (warn below twice this)."),
    Setting("OUTBOX_MAX_DELAY_MINUTES", 10, int,
            "A search-index update or notice due longer than this means its worker is not "
            "running: `opengov status` fails."),
)

SETTINGS_BY_NAME = {setting.name: setting for setting in SETTINGS}


def default_instance_path() -> Path:
    """``OPENGOV_INSTANCE_PATH``, or ``instance/`` in the checkout (in the working directory
    when installed from a wheel)."""
    raw = os.environ.get(ENV_PREFIX + "INSTANCE_PATH")
    if raw:
        return Path(raw).resolve()
    return (PROJECT_ROOT if IN_CHECKOUT else Path.cwd()) / "instance"


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
    if values["PERSONAL_DATA_KEY"] is None:
        key_file = instance_path / "personal_data_key"
        if key_file.is_file():
            values["PERSONAL_DATA_KEY"] = key_file.read_text(encoding="ascii").strip()
    if values["PAGE_SIZE"] < 1 or values["PAGE_SIZE"] > 100:
        raise ConfigError("OPENGOV_PAGE_SIZE: must be between 1 and 100")
    if values["MAX_UPLOAD_MB"] < 1:
        raise ConfigError("OPENGOV_MAX_UPLOAD_MB: must be at least 1")
    if values["PASSWORD_MIN_LENGTH"] < 8:
        raise ConfigError("OPENGOV_PASSWORD_MIN_LENGTH: must be at least 8")
    if not 0 <= values["PASSWORD_MIN_CLASSES"] <= 4:
        raise ConfigError("OPENGOV_PASSWORD_MIN_CLASSES: must be between 0 and 4")
    for name in ("LOGIN_MAX_FAILURES", "LOGIN_MAX_FAILURES_PER_IP", "LOGIN_LOCKOUT_MINUTES",
                 "SESSION_IDLE_MINUTES", "SESSION_MAX_HOURS", "COMPLAINT_REPLY_DAYS"):
        if values[name] < 1:
            raise ConfigError(f"OPENGOV_{name}: must be at least 1")
    for name in ("ERROR_REPORT_WORKDAYS", "ERROR_REPORT_LIMIT"):
        if values[name] < 1:
            raise ConfigError(f"OPENGOV_{name}: must be at least 1")
    # 0 would erase the personal data of whatever closed before today.
    for name in ("REQUEST_RETENTION_YEARS", "COMPLAINT_RETENTION_YEARS",
                 "COMMENT_RETENTION_YEARS"):
        if values[name] < 1:
            raise ConfigError(f"OPENGOV_{name}: must be at least 1")
    if not 1 <= values["RATING_FOLLOW_UP_DAYS"] <= 60:
        raise ConfigError("OPENGOV_RATING_FOLLOW_UP_DAYS: must be between 1 and 60")
    for name in ("RATING_MIN_PUBLIC", "RATING_LIMIT"):
        if values[name] < 1:
            raise ConfigError(f"OPENGOV_{name}: must be at least 1")
    for name in ("SMTP_USERNAME", "SMTP_PASSWORD"):
        if not str(values[name]).isascii():
            raise ConfigError(f"OPENGOV_{name}: only ASCII characters (SMTP AUTH sends them so)")
    if values["TRUSTED_PROXIES"] < 0:
        raise ConfigError("OPENGOV_TRUSTED_PROXIES: must be 0 or more")
    for name in ("MAIL_RETRY_SECONDS", "MAIL_RETRY_MAX_SECONDS", "MAIL_MAX_ATTEMPTS",
                 "SMTP_TIMEOUT_SECONDS", "SMTP_PORT", "BACKUP_KEEP", "OUTBOX_MAX_DELAY_MINUTES"):
        if values[name] < 1:
            raise ConfigError(f"OPENGOV_{name}: must be at least 1")
    if not 0.1 <= float(values["DATABASE_BUSY_TIMEOUT_SECONDS"]) <= 60:
        raise ConfigError("OPENGOV_DATABASE_BUSY_TIMEOUT_SECONDS: must be between 0.1 and 60")
    if values["POPULAR_SEARCH_MIN_VISITORS"] < 0:
        raise ConfigError("OPENGOV_POPULAR_SEARCH_MIN_VISITORS: must not be negative")
    if values["POPULAR_SEARCH_DAYS"] < 1:
        raise ConfigError("OPENGOV_POPULAR_SEARCH_DAYS: must be at least 1")
    if values["CACHE_MAX_AGE_SECONDS"] < 0:
        raise ConfigError("OPENGOV_CACHE_MAX_AGE_SECONDS: must not be negative")
    domain = str(values["SITE_DOMAIN"])
    if not domain or any(char in domain for char in "/?#@ \\"):
        raise ConfigError("OPENGOV_SITE_DOMAIN: a host name (and port), e.g. www.example.gov.cn")
    if values["AUDIT_RETENTION_DAYS"] < 184:
        raise ConfigError("OPENGOV_AUDIT_RETENTION_DAYS: must be at least 184 (网络安全法第二十一条)")
    return values


def settings_table() -> str:
    """The Markdown table of every setting, as the README shows it."""
    lines = ["| variable | default | purpose |", "|---|---|---|"]
    for setting in SETTINGS:
        default = "" if setting.default is None else str(setting.default)
        default = default.replace(str(PROJECT_ROOT), ".")
        lines.append(f"| `{ENV_PREFIX}{setting.name}` | `{default}` | {setting.doc} |")
    lines.append(f"| `{ENV_PREFIX}INSTANCE_PATH` | `./instance` | The instance folder: database, "
                 "index, uploads, secret key. |")
    return "\n".join(lines)
