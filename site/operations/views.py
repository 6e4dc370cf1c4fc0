"""Health and readiness checks for monitoring."""

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


@health_bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    """200 when the database answers and the search engine holds the index; 503 otherwise
    (the page still answers searches then, degraded). ``search.retrying`` counts index
    updates that failed and wait for their retry."""
    state = service.readiness()
    search = state.search
    body = {
        "status": "ok" if state.ready else "error",
        "database": "ok" if state.database else "unavailable",
        "search": None if search is None else {
            "status": ("ok" if search.ready else
                       "unavailable" if not search.reachable else "index missing"),
            "documents": search.documents,
            "public": search.public,
            "pending": search.pending,
            "retrying": search.retrying,
        },
    }
    return jsonify(body), 200 if state.ready else 503
