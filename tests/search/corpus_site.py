"""A site filled with the shared corpus, for the quality test and the benchmark."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from opengov.site import create_app
from opengov.site.bootstrap import initialise
from opengov.site.catalog.models import Document
from opengov.site.content.service.corpus import import_corpus
from opengov.site.db import get_session
from opengov.site.search.service import search as search_service
from tests.search.judged import Shown

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def corpus_app(instance: Path, **settings: Any) -> Flask:
    """A fresh SQLite site in ``instance`` with the corpus imported (not yet indexed)."""
    config = {"INSTANCE_PATH": instance, "SECRET_KEY": "corpus", "TESTING": True,
              "DATABASE_URL": f"sqlite:///{instance}/opengov.sqlite3", **settings}
    instance.mkdir(parents=True, exist_ok=True)
    app = create_app(config)
    with app.app_context():
        initialise()
        import_corpus(CORPUS)
    return app


def shown_keys(app: Flask) -> Callable[[str], Shown]:
    """Search through the site service, as the page does, and return what it shows."""
    with app.app_context():
        keys = dict(get_session().execute(select(Document.id, Document.content_key)).all())

    def run(query: str) -> Shown:
        with app.app_context():
            outcome = search_service.search(get_session(), query, size=10, log_query=False)
            alternative = outcome.alternative.hits if outcome.alternative else []
            return Shown([keys[hit.id] for hit in outcome.hits],
                         [keys[hit.id] for hit in alternative], outcome.suggestion,
                         outcome.total)

    return run
