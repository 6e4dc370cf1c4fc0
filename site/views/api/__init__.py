"""JSON API, versioned under /api/v1."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

import opengov.site.views.api.search  # noqa: E402, F401
from opengov.site.views.api import health  # noqa: E402

health_bp = health.health_bp
