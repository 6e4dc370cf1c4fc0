"""Health checks for monitoring: ``/healthz`` (liveness) and ``/healthz/ready`` (every
moving part; restrict it to the monitoring network in nginx, deploy/nginx/opengov.conf)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from flask.typing import ResponseReturnValue

from opengov.site.operations.service import health

health_bp = Blueprint("health", __name__)


@health_bp.after_request
def never_cached(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@health_bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """200 when the database answers; 503 otherwise. Cheap: for load balancers."""
    if not health.alive():
        return jsonify({"status": "error", "database": "unavailable"}), 503
    return jsonify({"status": "ok", "database": "ok"})


@health_bp.get("/healthz/ready")
def ready() -> ResponseReturnValue:
    """Every check of ``opengov status``: 200 when nothing is wrong (warnings included in
    the body), 503 when something is."""
    status = health.site_status()
    return jsonify(status.as_dict()), 200 if status.ok else 503
