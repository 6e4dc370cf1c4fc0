"""Pages of the catalog: public lists and documents, feeds, the editor, the API."""

from __future__ import annotations

from flask import current_app
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import default_exceptions

from opengov.site.catalog.views import (
    api,
    attachment_files,
    documents,
    editor,
    feeds,
    guides,
    pages,
    staff_attachments,
)
from opengov.site.exceptions import ServiceError
from opengov.site.web.public import bp as public_bp

__all__ = ["api", "attachment_files", "documents", "editor", "feeds", "guides", "pages",
           "staff_attachments"]


# TRANSITIONAL (remove once web/errors.py maps ServiceError for every app, issue 10): a
# service's refusal answers with its status instead of a 500. Registered only on an app that
# has no handler of its own for ServiceError, so it never overrides the web layer's.
def _refusal(exc: ServiceError) -> ResponseReturnValue:
    return current_app.handle_http_exception(default_exceptions[exc.status]())


def _map_refusals(state: BlueprintSetupState) -> None:
    app = state.app
    if ServiceError not in app.error_handler_spec[None][None]:
        app.register_error_handler(ServiceError, _refusal)


public_bp.record_once(_map_refusals)
