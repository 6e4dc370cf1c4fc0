"""Health check for monitoring."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from opengov.site.operations import service

health_bp = Blueprint("health", __name__)


@health_bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """200 when the database answers; 503 otherwise."""
    if not service.database_answers():
        return jsonify({"status": "error", "database": "unavailable"}), 503
    return jsonify({"status": "ok", "database": "ok"})
