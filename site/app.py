"""The application factory: reads configuration and wires extensions, nothing else.

It opens no connection, migrates nothing and calls no network; `opengov init` does set-up.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from opengov.site import db, logs
from opengov.site.accounts.service import auth
from opengov.site.config import ConfigError, data_folder, default_instance_path, load_settings
from opengov.site.web import api, caching, errors, params, security, templating, urls
from opengov.site.web.csrf import csrf
from opengov.site.web.urls import SiteFlask

#: Features whose ``views`` register routes on the public, staff and API blueprints.
FEATURES_WITH_VIEWS = (
    "accounts",
    "agencies",
    "audit",
    "catalog",
    "complaints",
    "consultations",
    "dashboard",
    "error_reports",
    "fiscal",
    "mail",
    "powers",
    "ratings",
    "reports",
    "requests",
    "search",
    "service_items",
    "standard_catalog",
    "workdays",
)


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the site. ``overrides`` (tests) win over the instance file and environment;
    ``INSTANCE_PATH`` among them selects the instance folder."""
    overrides = dict(overrides or {})
    # Everything the site writes — the SQLite database and its WAL files, the index, uploads,
    # keys, the search spool — holds personal or unpublished data: only the site's own user
    # may read it (files 0600, folders 0700), whatever the shell's umask was.
    os.umask(0o077)
    instance_path = Path(overrides.pop("INSTANCE_PATH", None) or default_instance_path())
    app = SiteFlask(
        "opengov.site",
        instance_path=str(instance_path),
        template_folder=str(data_folder("templates")),
        static_folder=str(data_folder("static")),
    )
    app.config.update(load_settings(instance_path, os.environ, overrides))
    if not app.config["SECRET_KEY"]:
        raise ConfigError(
            "OPENGOV_SECRET_KEY: not set and no instance/secret_key; run `opengov init` first")
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    _trust_proxies(app)

    logs.init_app(app)
    db.init_app(app)
    csrf.init_app(app)
    urls.init_app(app)  # before the blueprints: bounded <int:…> URL parts
    templating.init_app(app)
    errors.init_app(app)
    params.init_app(app)  # no NUL in a path or parameter, whatever the view
    security.init_app(app)
    caching.init_app(app)
    api.init_app(app)
    auth.init_app(app)
    _register_blueprints(app)
    _connect_features()
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address, scheme, host and
    port from their X-Forwarded-* headers: the per-address limits and the audit log must see
    the applicant, not nginx. Never trust more proxies than there are: a client could then
    forge its address."""
    count = int(app.config["TRUSTED_PROXIES"])
    if count:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count)


def _connect_features() -> None:
    # A feature that must follow another's changes subscribes to its signal here, so that the
    # lower feature need not import the higher one (and nothing depends on import order).
    from opengov.site.complaints.service.filing import follow_calendar_changes as complaints
    from opengov.site.powers.service import index_source as powers_index
    from opengov.site.ratings.service import followups as rating_follow_ups
    from opengov.site.requests.service.handling import follow_calendar_changes
    from opengov.site.service_items.service import index_source as items_index

    follow_calendar_changes()
    complaints()
    rating_follow_ups.follow_calendar_changes()
    # Records of other features in the site search (issue 14).
    items_index.register_index_source()
    powers_index.register_index_source()


def _register_blueprints(app: Flask) -> None:
    from opengov.site.operations import views as operations_views
    from opengov.site.web import display, openapi, public, staff

    del display, openapi  # the 长辈版 switch (public) and /api/v1/openapi.json (api)
    for feature in FEATURES_WITH_VIEWS:
        # Importing a feature's views registers its routes on the audience blueprints.
        importlib.import_module(f"opengov.site.{feature}.views")
    app.register_blueprint(public.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(operations_views.health_bp)
    csrf.exempt(api.bp)
    if app.config["ENABLE_STAFF"]:
        app.register_blueprint(staff.bp)
