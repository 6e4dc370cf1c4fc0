"""opengov.site — the Flask application of the 政府信息公开平台."""

from opengov.site.app import create_app

__all__ = ["create_app"]
