"""JSON API, versioned under /api/v1."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from opengov.site.views.api import documents, fiscal, health, search  # noqa: E402, F401

health_bp = health.health_bp
