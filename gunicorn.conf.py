"""Production server settings (gunicorn reads this file from the working directory).

Threaded workers keep HTTP connections alive between requests, as browsers and proxies expect;
the app is thread-safe (per-thread SQLite connections, a lock around the search columns' refresh).
"""

import multiprocessing
import os

bind = os.environ.get("CATALOGUE_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("CATALOGUE_WORKERS", min(4, multiprocessing.cpu_count() * 2)))
worker_class = "gthread"
threads = int(os.environ.get("CATALOGUE_THREADS", 4))
keepalive = 5
timeout = 60


def post_worker_init(worker) -> None:
    """Each worker loads the search index's columns before its first visitor needs them."""
    search = getattr(worker.wsgi, "extensions", {}).get("search")  # absent when wrapped in middleware
    if search is not None:
        search.warm_up()
