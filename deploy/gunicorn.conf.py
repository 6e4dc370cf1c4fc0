"""gunicorn settings of the site: ``gunicorn --config deploy/gunicorn.conf.py
opengov.site.wsgi:app`` (deploy/systemd/opengov-web.service runs exactly that).

The app is loaded once in the master (``preload_app``) and warmed up there — jieba's
dictionary, the title suggester, the search engine's modules — before the workers are forked:
they share those pages instead of each loading its own (≈ 250 MB and 3–11 s each), and a
worker's first search answers at once. A worker is replaced after ``max_requests`` requests,
forked again from the warm master in milliseconds, so slow growth never accumulates.

Settings come from the environment (the systemd unit's EnvironmentFile):
OPENGOV_BIND (127.0.0.1:8000), OPENGOV_WORKERS (2), OPENGOV_TIMEOUT (60 seconds).
"""

from __future__ import annotations

import gc
import os
from typing import Any

bind = os.environ.get("OPENGOV_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("OPENGOV_WORKERS", "2"))
# Synchronous workers: nginx buffers slow clients, and one request at a time per process is
# what the embedded search index is read safely with.
worker_class = "sync"
timeout = int(os.environ.get("OPENGOV_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
preload_app = True
max_requests = 2000
max_requests_jitter = 200
# The application writes one access line per request (with its request id) itself.
accesslog = None
errorlog = "-"
loglevel = "info"
proc_name = "opengov-web"


def when_ready(server: Any) -> None:
    """In the master, after the app is loaded and before any worker is forked."""
    from opengov.site.db import get_database
    from opengov.site.search.service.search import warm_up

    app = server.app.wsgi()
    with app.app_context():
        try:
            warm_up()
        except Exception:  # the site still starts; each worker then loads what it needs
            server.log.exception("opengov warm-up failed; workers will load on first use")
        else:
            server.log.info("opengov warmed up in the master: jieba, suggester, search engine")
        finally:
            # No connection of the master's pool may be used by two processes.
            get_database().engine.dispose()
    # What the master loaded is never freed: keep the collector of every worker off those
    # pages, so that they stay shared instead of being copied on the first collection.
    gc.collect()
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    """In each new worker: forget (without closing) any connection inherited by accident."""
    from opengov.site.db import EXTENSION_KEY

    app = server.app.wsgi()
    app.extensions[EXTENSION_KEY].engine.dispose(close=False)
