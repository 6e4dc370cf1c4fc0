"""WSGI entry point for gunicorn: ``gunicorn --preload opengov.site.wsgi:app``.

What the first search of a worker would wait for (the segmenter's dictionary, the 繁→简
tables, the search vocabulary) is loaded here, at import: with ``--preload`` gunicorn imports
this once, before it forks the workers, and they all share it (issue 18: the first search in
a new worker took 3–11 s).
"""

from opengov.site.app import create_app
from opengov.site.search.service.search import warm_up

app = create_app()
with app.app_context():
    warm_up()
