"""The JSON API blueprint, versioned under /api/v1; features register their endpoints on it."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
