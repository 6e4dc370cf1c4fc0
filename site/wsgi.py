"""WSGI entry point for gunicorn: ``gunicorn opengov.site.wsgi:app``."""

from opengov.site.app import create_app

app = create_app()
